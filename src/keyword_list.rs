//! The user's ordered list of keywords and the edits the keyword editor offers: add, remove,
//! move up or down, rename. Two keywords that differ only in case are the same arXiv search, so
//! the list refuses such duplicates. Pure Rust, tested natively.

use crate::keyword::{Keyword, KeywordError};

/// What a first visit shows, so the page is never blank; one click each to clear.
pub const EXAMPLE_KEYWORDS: [&str; 3] = [
    "Video Anomaly Detection",
    "Video Understanding",
    "Graph Neural Networks",
];

/// Keywords in the user's order, no two the same search. Saved as a JSON array of strings; a
/// saved list with an invalid keyword or a duplicate is refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeywordList(Vec<Keyword>);

impl KeywordList {
    pub fn examples() -> KeywordList {
        KeywordList(
            EXAMPLE_KEYWORDS
                .iter()
                .filter_map(|text| Keyword::parse(text).ok())
                .collect(),
        )
    }

    pub fn as_slice(&self) -> &[Keyword] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Where `keyword` is, matching exactly (the list never holds two that differ only in case).
    pub fn position(&self, keyword: &Keyword) -> Option<usize> {
        self.0.iter().position(|k| k == keyword)
    }

    /// The keyword already in the list that is the same search as `candidate`, if any, skipping
    /// the one at `except` (the keyword being renamed). The candidate is case-folded once, not
    /// once per keyword in the list (in the browser each fold is a call into JavaScript).
    fn duplicate_of(&self, candidate: &Keyword, except: Option<usize>) -> Option<&Keyword> {
        let folded = candidate.folded();
        self.0
            .iter()
            .enumerate()
            .find(|(i, k)| Some(*i) != except && k.folded() == folded)
            .map(|(_, k)| k)
    }

    /// Appends an already parsed keyword unless it duplicates one in the list.
    fn push_new(&mut self, keyword: Keyword) -> Result<Keyword, KeywordError> {
        if let Some(existing) = self.duplicate_of(&keyword, None) {
            return Err(KeywordError::Duplicate(existing.to_string()));
        }
        self.0.push(keyword.clone());
        Ok(keyword)
    }

    /// Adds a keyword at the end; refuses empty, too long and duplicate ones.
    pub fn add(&mut self, raw: &str) -> Result<Keyword, KeywordError> {
        self.push_new(Keyword::parse(raw)?)
    }

    /// Removes a keyword; returns whether it was there.
    pub fn remove(&mut self, keyword: &Keyword) -> bool {
        match self.position(keyword) {
            Some(i) => {
                self.0.remove(i);
                true
            }
            None => false,
        }
    }

    /// Swaps a keyword with the one above it; returns whether it moved.
    pub fn move_up(&mut self, keyword: &Keyword) -> bool {
        match self.position(keyword) {
            Some(i) if i > 0 => {
                self.0.swap(i, i - 1);
                true
            }
            _ => false,
        }
    }

    /// Swaps a keyword with the one below it; returns whether it moved.
    pub fn move_down(&mut self, keyword: &Keyword) -> bool {
        match self.position(keyword) {
            Some(i) if i + 1 < self.0.len() => {
                self.0.swap(i, i + 1);
                true
            }
            _ => false,
        }
    }

    /// Replaces a keyword's text in place. Changing only its case is allowed (the same search);
    /// taking the text of another keyword is refused.
    pub fn rename(&mut self, keyword: &Keyword, raw: &str) -> Result<Keyword, KeywordError> {
        let renamed = Keyword::parse(raw)?;
        let Some(i) = self.position(keyword) else {
            // The keyword vanished meanwhile (e.g. removed in another tab's save); add instead.
            return self.push_new(renamed);
        };
        if let Some(existing) = self.duplicate_of(&renamed, Some(i)) {
            return Err(KeywordError::Duplicate(existing.to_string()));
        }
        if let Some(slot) = self.0.get_mut(i) {
            *slot = renamed.clone();
        }
        Ok(renamed)
    }
}

impl TryFrom<Vec<Keyword>> for KeywordList {
    type Error = KeywordError;
    fn try_from(keywords: Vec<Keyword>) -> Result<Self, Self::Error> {
        let mut list = KeywordList::default();
        for keyword in keywords {
            list.push_new(keyword)?;
        }
        Ok(list)
    }
}

impl From<KeywordList> for Vec<Keyword> {
    fn from(list: KeywordList) -> Vec<Keyword> {
        list.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(text: &str) -> Keyword {
        Keyword::parse(text).unwrap()
    }

    fn texts(list: &KeywordList) -> Vec<&str> {
        list.as_slice().iter().map(Keyword::as_str).collect()
    }

    fn list(items: &[&str]) -> KeywordList {
        let mut list = KeywordList::default();
        for item in items {
            list.add(item).unwrap();
        }
        list
    }

    #[test]
    fn first_visit_shows_a_short_example_list() {
        let examples = KeywordList::examples();
        assert_eq!(texts(&examples), EXAMPLE_KEYWORDS.to_vec());
    }

    #[test]
    fn add_trims_and_appends() {
        let mut l = KeywordList::default();
        assert_eq!(
            l.add("  Video Anomaly Detection ").unwrap().as_str(),
            "Video Anomaly Detection"
        );
        l.add("Transformer").unwrap();
        assert_eq!(texts(&l), ["Video Anomaly Detection", "Transformer"]);
    }

    #[test]
    fn add_refuses_empty_too_long_and_duplicates() {
        let mut l = list(&["Video Anomaly Detection"]);
        assert_eq!(l.add("   "), Err(KeywordError::Empty));
        assert!(matches!(
            l.add(&"x".repeat(201)),
            Err(KeywordError::TooLong { chars: 201 })
        ));
        assert_eq!(
            l.add(" video ANOMALY detection "),
            Err(KeywordError::Duplicate("Video Anomaly Detection".into()))
        );
        assert_eq!(l.len(), 1);
    }

    #[test]
    fn remove_takes_out_only_that_keyword() {
        let mut l = list(&["a", "b", "c"]);
        assert!(l.remove(&kw("b")));
        assert!(!l.remove(&kw("b")));
        assert_eq!(texts(&l), ["a", "c"]);
    }

    #[test]
    fn move_up_and_down_swap_neighbours_and_stop_at_the_ends() {
        let mut l = list(&["a", "b", "c"]);
        assert!(l.move_up(&kw("c")));
        assert_eq!(texts(&l), ["a", "c", "b"]);
        assert!(!l.move_up(&kw("a")));
        assert!(l.move_down(&kw("a")));
        assert_eq!(texts(&l), ["c", "a", "b"]);
        assert!(!l.move_down(&kw("b")));
        assert!(!l.move_down(&kw("zzz")));
        assert_eq!(texts(&l), ["c", "a", "b"]);
    }

    #[test]
    fn rename_edits_in_place() {
        let mut l = list(&["a", "b", "c"]);
        assert_eq!(l.rename(&kw("b"), " Graph ").unwrap().as_str(), "Graph");
        assert_eq!(texts(&l), ["a", "Graph", "c"]);
        // Only the case changes: the same search, allowed.
        l.rename(&kw("Graph"), "GRAPH").unwrap();
        assert_eq!(texts(&l), ["a", "GRAPH", "c"]);
    }

    #[test]
    fn rename_refuses_bad_text_and_another_keywords_name() {
        let mut l = list(&["a", "b"]);
        assert_eq!(
            l.rename(&kw("b"), "A"),
            Err(KeywordError::Duplicate("a".into()))
        );
        assert_eq!(l.rename(&kw("b"), ""), Err(KeywordError::Empty));
        assert_eq!(texts(&l), ["a", "b"]);
    }

    #[test]
    fn saved_list_round_trips_and_refuses_duplicates() {
        let l = list(&["Video Understanding", "GNN"]);
        let saved: Vec<Keyword> = l.clone().into();
        assert_eq!(KeywordList::try_from(saved).unwrap(), l);
        let dup = vec![kw("GNN"), kw("gnn")];
        assert_eq!(
            KeywordList::try_from(dup),
            Err(KeywordError::Duplicate("GNN".into()))
        );
    }
}
