//! Undo of a removal: removing a topic (or all of them) keeps what was removed — the topics, their
//! papers and their seen history — so "Removed … — Undo" can bring everything back. The offer is
//! shown for at least [`UNDO_WINDOW_MS`]; it has a stored form so a reload in between shows it
//! again instead of losing it silently.

use super::history::TopicHistory;
use crate::arxiv::Paper;
use serde::{Deserialize, Serialize};

/// How long the Undo offer stays on screen: 10 seconds.
pub const UNDO_WINDOW_MS: u64 = 10_000;

/// One removed topic and everything that came with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedTopic<T> {
    /// Where it was in the topic list, to put it back in its place.
    pub position: usize,
    /// The topic as the app keeps it (opaque here).
    pub topic: T,
    /// Its papers.
    pub papers: Vec<Paper>,
    pub history: TopicHistory,
}

/// A removal that can still be undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingUndo<T> {
    /// In the order they were in the list.
    pub removed: Vec<RemovedTopic<T>>,
    /// Until when (milliseconds since the Unix epoch) the offer is shown.
    pub shown_until_ms: u64,
}

impl<T> PendingUndo<T> {
    /// The offer for topics removed at `now_ms`, sorted back into list order.
    pub fn new(mut removed: Vec<RemovedTopic<T>>, now_ms: u64) -> PendingUndo<T> {
        removed.sort_by_key(|r| r.position);
        PendingUndo {
            removed,
            shown_until_ms: now_ms.saturating_add(UNDO_WINDOW_MS),
        }
    }

    /// True once the offer has been shown for its whole window. A clock that went backwards
    /// only makes the offer stay longer.
    pub fn is_expired(&self, now_ms: u64) -> bool {
        now_ms >= self.shown_until_ms
    }

    /// How long the offer still shows (for the app's timer); zero when expired.
    pub fn remaining_ms(&self, now_ms: u64) -> u64 {
        self.shown_until_ms.saturating_sub(now_ms)
    }

    /// After a reload: the offer read back from storage is shown for a whole window again,
    /// whatever time passed, so the user always sees it before it is gone.
    pub fn resumed(self, now_ms: u64) -> PendingUndo<T> {
        PendingUndo {
            shown_until_ms: now_ms.saturating_add(UNDO_WINDOW_MS),
            ..self
        }
    }

    /// `Removed “LLM”`, `Removed 30 topics`; the page adds the Undo button after it.
    pub fn message(&self, label: impl Fn(&T) -> String) -> String {
        match self.removed.as_slice() {
            [one] => format!("Removed \u{201c}{}\u{201d}", label(&one.topic)),
            many => format!("Removed {} topics", many.len()),
        }
    }

    /// Puts the topics back into `list` at their places (or at its end when the list has
    /// shrunk since), and hands back the papers and histories for the app to restore.
    pub fn restore_into(self, list: &mut Vec<T>) -> Vec<(Vec<Paper>, TopicHistory)> {
        let mut rest = Vec::with_capacity(self.removed.len());
        for removed in self.removed {
            list.insert(removed.position.min(list.len()), removed.topic);
            rest.push((removed.papers, removed.history));
        }
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removed(position: usize, name: &str) -> RemovedTopic<String> {
        RemovedTopic {
            position,
            topic: name.to_owned(),
            papers: vec![Paper {
                id: format!("http://arxiv.org/abs/2410.0000{position}v1"),
                title: name.to_owned(),
                ..Paper::default()
            }],
            history: TopicHistory::default(),
        }
    }

    #[test]
    fn the_offer_lasts_ten_seconds() {
        let undo = PendingUndo::new(vec![removed(1, "LLM")], 1_000);
        assert!(!undo.is_expired(1_000));
        assert!(!undo.is_expired(10_999));
        assert!(undo.is_expired(11_000));
        assert_eq!(undo.remaining_ms(4_000), 7_000);
        assert_eq!(undo.remaining_ms(50_000), 0);
        // The clock went back: still shown.
        assert!(!undo.is_expired(0));
    }

    #[test]
    fn undo_puts_topics_back_in_their_places_with_their_papers() {
        let mut list = vec!["A".to_owned(), "C".to_owned()];
        let undo = PendingUndo::new(vec![removed(3, "D"), removed(1, "B")], 0);
        assert_eq!(undo.message(String::clone), "Removed 2 topics");
        let back = undo.restore_into(&mut list);
        assert_eq!(list, ["A", "B", "C", "D"]);
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].0[0].title, "B");
    }

    #[test]
    fn removing_all_then_undo_gives_the_whole_list_back() {
        let names = ["A", "B", "C"];
        let mut list: Vec<String> = Vec::new();
        let all = names
            .iter()
            .enumerate()
            .map(|(i, n)| removed(i, n))
            .collect();
        PendingUndo::new(all, 0).restore_into(&mut list);
        assert_eq!(list, names);
    }

    #[test]
    fn a_place_beyond_a_shrunk_list_is_its_end() {
        let mut list = vec!["A".to_owned()];
        let undo = PendingUndo::new(vec![removed(7, "Z")], 0);
        assert_eq!(
            undo.message(|t| t.to_uppercase()),
            "Removed \u{201c}Z\u{201d}"
        );
        undo.restore_into(&mut list);
        assert_eq!(list, ["A", "Z"]);
    }

    #[test]
    fn a_reload_shows_the_offer_again() {
        let undo = PendingUndo::new(vec![removed(0, "A")], 1_000);
        let resumed = undo.resumed(3_600_000);
        assert!(!resumed.is_expired(3_600_000 + 9_999));
        assert!(resumed.is_expired(3_600_000 + 10_000));
    }

    // serde_json is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_offer_survives_storage_with_the_history() {
        let mut entry = removed(0, "A");
        entry
            .history
            .import(["2410.00001v2"], "2025-01-01".parse().unwrap());
        let undo = PendingUndo::new(vec![entry], 5);
        let text = serde_json::to_string(&undo).unwrap();
        let back: PendingUndo<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, undo);
        assert_eq!(
            back.removed[0].history.get("2410.00001").unwrap().version,
            Some(2)
        );
        assert!(serde_json::from_str::<PendingUndo<String>>("{\"removed\":3}").is_err());
    }
}
