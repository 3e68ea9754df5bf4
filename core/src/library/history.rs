//! Seen history: per topic, every paper ever shown, by arXiv id without version, with the day it
//! was first seen and the version seen. It is what lets the second morning's fetch say which of
//! 2,000 rows are new ("New") or revised ("updated to v3") instead of showing them all alike.
//!
//! The marks of a topic's latest fetch are kept with its history, so a reload still shows them
//! until the next fetch of that topic.
//!
//! Stored form (JSON, one value per topic so a store can keep one record per topic):
//!
//! ```json
//! {"seen":{"2410.01506":["2025-02-05",3],"hep-th/9901001":["2025-02-01",null]},
//!  "new":["2410.01506"],"updated":{"2409.00001":1}}
//! ```
//!
//! `seen` maps each id to `[first seen, version seen]` (`null`: the version was not known, e.g.
//! an imported link without one); `new` and `updated` (with the version seen before) are the
//! latest fetch's marks, left out when empty. [`SeenHistory`] is a map from topic key to that.

use super::paper_id::PaperId;
use crate::arxiv::Paper;
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What a fetched paper is to a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Novelty {
    /// The topic never had this paper.
    New,
    /// The topic had an older version of it.
    Updated { from: u32, to: u32 },
    /// The topic had this version (or a later one, or one of unknown version) already.
    Seen,
}

impl Novelty {
    /// True for the rows the "only new" filter keeps: new and updated.
    pub fn is_news(self) -> bool {
        self != Novelty::Seen
    }
}

/// When a paper was first seen by a topic, and the latest version it has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "(Date, Option<u32>)", into = "(Date, Option<u32>)")]
pub struct SeenPaper {
    pub first_seen: Date,
    pub version: Option<u32>,
}

impl From<(Date, Option<u32>)> for SeenPaper {
    fn from((first_seen, version): (Date, Option<u32>)) -> SeenPaper {
        SeenPaper {
            first_seen,
            version,
        }
    }
}

impl From<SeenPaper> for (Date, Option<u32>) {
    fn from(seen: SeenPaper) -> (Date, Option<u32>) {
        (seen.first_seen, seen.version)
    }
}

impl SeenPaper {
    /// Keeps the earlier first day and the later version.
    fn merge(&mut self, other: SeenPaper) {
        self.first_seen = self.first_seen.min(other.first_seen);
        self.version = self.version.max(other.version);
    }
}

/// One topic's history and the marks of its latest fetch.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TopicHistory {
    seen: BTreeMap<String, SeenPaper>,
    /// Papers the latest fetch brought for the first time.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    new: BTreeSet<String>,
    /// Papers the latest fetch brought in a later version, with the version seen before.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    updated: BTreeMap<String, u32>,
}

impl TopicHistory {
    /// How many papers this topic has ever seen.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// What the topic remembers of a paper (any version of it).
    pub fn get(&self, paper_id: &str) -> Option<SeenPaper> {
        self.seen.get(PaperId::parse(paper_id).key).copied()
    }

    /// What a paper of a fetch not yet applied is to this topic.
    pub fn classify(&self, paper_id: &str) -> Novelty {
        let id = PaperId::parse(paper_id);
        match self.seen.get(id.key) {
            None => Novelty::New,
            Some(seen) => match (seen.version, id.version) {
                (Some(from), Some(to)) if to > from => Novelty::Updated { from, to },
                _ => Novelty::Seen,
            },
        }
    }

    /// Records a successful fetch: every paper is classified against the history before it,
    /// then remembered (new ids with `today`, later versions bumped), and the classification
    /// becomes the topic's marks until its next fetch. Returns it, in the papers' order.
    ///
    /// A paper listed twice in one answer is new (or updated) both times.
    pub fn apply_fetch(&mut self, papers: &[Paper], today: Date) -> Vec<Novelty> {
        let novelties: Vec<Novelty> = papers.iter().map(|p| self.classify(&p.id)).collect();
        self.new.clear();
        self.updated.clear();
        for (paper, novelty) in papers.iter().zip(&novelties) {
            let id = PaperId::parse(&paper.id);
            match *novelty {
                Novelty::New => {
                    self.new.insert(id.key.to_owned());
                }
                Novelty::Updated { from, .. } => {
                    self.updated.insert(id.key.to_owned(), from);
                }
                Novelty::Seen => {}
            }
            self.remember(id, today);
        }
        novelties
    }

    /// What a paper is as of the latest fetch applied: what its row shows until the next one.
    /// A paper the history never heard of is `Seen`: nothing is announced as new that no fetch
    /// brought (e.g. results kept from before the history existed; import those first).
    pub fn novelty(&self, paper_id: &str) -> Novelty {
        let id = PaperId::parse(paper_id);
        if self.new.contains(id.key) {
            return Novelty::New;
        }
        match (self.updated.get(id.key), self.seen.get(id.key)) {
            (
                Some(&from),
                Some(SeenPaper {
                    version: Some(to), ..
                }),
            ) => Novelty::Updated { from, to: *to },
            _ => Novelty::Seen,
        }
    }

    /// How many papers the latest fetch brought new, and how many in a later version.
    pub fn latest_counts(&self) -> (usize, usize) {
        (self.new.len(), self.updated.len())
    }

    /// Remembers papers without marking them: the papers of an imported README (or results kept
    /// from before), so the first fetch marks only truly new papers as new. `ids` may be feed ids
    /// or README links; a paper already remembered keeps its earlier first day.
    pub fn import<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>, day: Date) {
        for id in ids {
            self.remember(PaperId::parse(id), day);
        }
    }

    /// Adds another history of the same topic (e.g. one restored by Undo after the topic was
    /// added again): every paper keeps its earliest first day and latest version; the marks of
    /// `self` stay.
    pub fn merge(&mut self, other: TopicHistory) {
        for (key, seen) in other.seen {
            self.seen
                .entry(key)
                .and_modify(|mine| mine.merge(seen))
                .or_insert(seen);
        }
    }

    fn remember(&mut self, id: PaperId<'_>, day: Date) {
        let seen = SeenPaper {
            first_seen: day,
            version: id.version,
        };
        match self.seen.get_mut(id.key) {
            Some(mine) => mine.merge(seen),
            None => {
                self.seen.insert(id.key.to_owned(), seen);
            }
        }
    }
}

/// A paper's mark in a topic's `history` (see [`TopicHistory::novelty`]); `Seen` for a topic
/// without history.
pub fn novelty_in(history: Option<&TopicHistory>, paper_id: &str) -> Novelty {
    history.map_or(Novelty::Seen, |h| h.novelty(paper_id))
}

/// Every topic's history, by topic key.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SeenHistory {
    /// Shared, so a view can hold one topic's history and tell it changed by its address alone:
    /// a change to a history someone holds makes a new one (`Arc::make_mut`; see
    /// [`SeenHistory::topic_shared`]).
    topics: BTreeMap<String, Arc<TopicHistory>>,
}

impl SeenHistory {
    pub fn topic(&self, topic: &str) -> Option<&TopicHistory> {
        self.topics.get(topic).map(Arc::as_ref)
    }

    /// This topic's history as shared: the same `Arc` until this topic's history changes, a
    /// new one after (another topic's change leaves it alone), so a view of one topic can skip
    /// the work when only other topics changed.
    pub fn topic_shared(&self, topic: &str) -> Option<Arc<TopicHistory>> {
        self.topics.get(topic).cloned()
    }

    /// The topics that have a history, by key.
    pub fn topics(&self) -> impl Iterator<Item = (&str, &TopicHistory)> {
        self.topics.iter().map(|(k, h)| (k.as_str(), h.as_ref()))
    }

    /// See [`TopicHistory::apply_fetch`]; a topic without history starts one.
    pub fn apply_fetch(&mut self, topic: &str, papers: &[Paper], today: Date) -> Vec<Novelty> {
        self.topic_mut(topic).apply_fetch(papers, today)
    }

    /// See [`TopicHistory::novelty`]; `Seen` for a topic without history.
    pub fn novelty(&self, topic: &str, paper_id: &str) -> Novelty {
        novelty_in(self.topic(topic), paper_id)
    }

    /// See [`TopicHistory::import`].
    pub fn import<'a>(&mut self, topic: &str, ids: impl IntoIterator<Item = &'a str>, day: Date) {
        self.topic_mut(topic).import(ids, day);
    }

    /// Takes a removed topic's history out (to keep for Undo).
    pub fn remove_topic(&mut self, topic: &str) -> Option<TopicHistory> {
        self.topics.remove(topic).map(Arc::unwrap_or_clone)
    }

    /// Puts a history back (Undo); merged with the topic's history if it has one again.
    pub fn restore_topic(&mut self, topic: &str, history: TopicHistory) {
        match self.topics.get_mut(topic) {
            Some(mine) => Arc::make_mut(mine).merge(history),
            None => {
                self.topics.insert(topic.to_owned(), Arc::new(history));
            }
        }
    }

    /// Moves a history to a topic's new key (a renamed topic that is the same search).
    pub fn rename_topic(&mut self, from: &str, to: &str) {
        if from == to {
            return;
        }
        if let Some(history) = self.topics.remove(from) {
            self.restore_topic(to, Arc::unwrap_or_clone(history));
        }
    }

    /// Forgets the histories of topics that are no longer listed.
    pub fn retain_topics<'a>(&mut self, topics: impl IntoIterator<Item = &'a str>) {
        let keep: BTreeSet<&str> = topics.into_iter().collect();
        self.topics.retain(|k, _| keep.contains(k.as_str()));
    }

    fn topic_mut(&mut self, topic: &str) -> &mut TopicHistory {
        Arc::make_mut(self.topics.entry(topic.to_owned()).or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn paper(id: &str) -> Paper {
        Paper {
            id: id.to_owned(),
            ..Paper::default()
        }
    }

    fn papers(ids: &[&str]) -> Vec<Paper> {
        ids.iter().map(|id| paper(id)).collect()
    }

    fn abs(id: &str) -> String {
        format!("http://arxiv.org/abs/{id}")
    }

    #[test]
    fn a_topic_shared_history_changes_address_with_its_own_changes_only() {
        let mut all = SeenHistory::default();
        all.apply_fetch("a", &papers(&[&abs("2410.00001v1")]), day("2025-02-05"));
        all.apply_fetch("b", &papers(&[&abs("2410.00002v1")]), day("2025-02-05"));
        let a = all.topic_shared("a").unwrap();
        all.apply_fetch("b", &papers(&[&abs("2410.00003v1")]), day("2025-02-06"));
        all.restore_topic("c", TopicHistory::default());
        assert!(Arc::ptr_eq(&a, &all.topic_shared("a").unwrap()));
        all.apply_fetch("a", &papers(&[&abs("2410.00004v1")]), day("2025-02-06"));
        let changed = all.topic_shared("a").unwrap();
        assert!(!Arc::ptr_eq(&a, &changed));
        // The one held is as it was; the new one has the change.
        assert_eq!(a.len(), 1);
        assert_eq!(changed.len(), 2);
        all.restore_topic("a", TopicHistory::default());
        assert!(!Arc::ptr_eq(&changed, &all.topic_shared("a").unwrap()));
    }

    #[test]
    fn the_first_fetch_of_a_topic_brings_only_new_papers() {
        let mut history = TopicHistory::default();
        let got = history.apply_fetch(
            &papers(&[&abs("2410.01506v3"), &abs("hep-th/9901001v2")]),
            day("2025-02-05"),
        );
        assert_eq!(got, vec![Novelty::New, Novelty::New]);
        assert_eq!(
            history.get(&abs("2410.01506v1")),
            Some(SeenPaper {
                first_seen: day("2025-02-05"),
                version: Some(3)
            })
        );
        assert_eq!(history.len(), 2);
    }

    #[test]
    fn the_second_fetch_tells_new_updated_and_seen_apart() {
        let mut history = TopicHistory::default();
        history.apply_fetch(
            &papers(&[&abs("2410.01506v1"), &abs("2410.00002v2")]),
            day("2025-02-05"),
        );
        let second = papers(&[
            &abs("2410.09999v1"),
            &abs("2410.01506v3"),
            &abs("2410.00002v2"),
        ]);
        let got = history.apply_fetch(&second, day("2025-02-06"));
        assert_eq!(
            got,
            vec![
                Novelty::New,
                Novelty::Updated { from: 1, to: 3 },
                Novelty::Seen
            ]
        );
        // The update keeps the first day it was seen, and remembers the new version.
        assert_eq!(
            history.get(&abs("2410.01506v3")),
            Some(SeenPaper {
                first_seen: day("2025-02-05"),
                version: Some(3)
            })
        );
        assert_eq!(
            history.get(&abs("2410.09999v1")).unwrap().first_seen,
            day("2025-02-06")
        );
        // A third identical fetch: nothing is news any more.
        let third = history.apply_fetch(&second, day("2025-02-07"));
        assert!(third.iter().all(|n| *n == Novelty::Seen));
    }

    #[test]
    fn an_older_version_than_seen_is_not_an_update() {
        let mut history = TopicHistory::default();
        history.apply_fetch(&papers(&[&abs("2410.01506v3")]), day("2025-02-05"));
        assert_eq!(history.classify(&abs("2410.01506v2")), Novelty::Seen);
        history.apply_fetch(&papers(&[&abs("2410.01506v2")]), day("2025-02-06"));
        assert_eq!(history.get("2410.01506").unwrap().version, Some(3));
    }

    // serde_json is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn marks_last_until_the_next_fetch_and_survive_storage() {
        let mut history = TopicHistory::default();
        history.apply_fetch(&papers(&[&abs("2410.00001v1")]), day("2025-02-05"));
        history.apply_fetch(
            &papers(&[&abs("2410.00001v2"), &abs("2410.00003v1")]),
            day("2025-02-06"),
        );
        let reloaded: TopicHistory =
            serde_json::from_str(&serde_json::to_string(&history).unwrap()).unwrap();
        assert_eq!(reloaded, history);
        assert_eq!(
            reloaded.novelty(&abs("2410.00001v2")),
            Novelty::Updated { from: 1, to: 2 }
        );
        assert_eq!(reloaded.novelty(&abs("2410.00003v1")), Novelty::New);
        assert_eq!(reloaded.novelty(&abs("2410.77777v1")), Novelty::Seen);
        assert_eq!(reloaded.latest_counts(), (1, 1));

        // An empty answer (no match) is a fetch too: nothing new since.
        history.apply_fetch(&[], day("2025-02-07"));
        assert_eq!(history.novelty(&abs("2410.00003v1")), Novelty::Seen);
        assert_eq!(history.latest_counts(), (0, 0));
        assert_eq!(history.len(), 2);
    }

    // serde_json is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_stored_form_is_compact() {
        let mut history = TopicHistory::default();
        history.import(["http://arxiv.org/abs/hep-th/9901001"], day("2025-02-01"));
        history.apply_fetch(
            &papers(&[&abs("2410.01506v3"), &abs("hep-th/9901001v2")]),
            day("2025-02-05"),
        );
        assert_eq!(
            serde_json::to_value(&history).unwrap(),
            serde_json::json!({
                "seen": {"2410.01506": ["2025-02-05", 3], "hep-th/9901001": ["2025-02-01", 2]},
                "new": ["2410.01506"]
            })
        );
        let mut all = SeenHistory::default();
        all.restore_topic("llm", history.clone());
        assert_eq!(
            serde_json::to_value(&all).unwrap(),
            serde_json::json!({ "llm": serde_json::to_value(&history).unwrap() })
        );
    }

    // serde_json is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn corrupt_stored_history_is_refused_not_guessed() {
        for bad in [
            r#"{"seen":{"2410.01506":["2025-02-30",3]}}"#,
            r#"{"seen":{"2410.01506":"2025-02-05"}}"#,
            r#"{"seen":{"2410.01506":["2025-02-05",-1]}}"#,
            r#"{"seen":[]}"#,
        ] {
            assert!(serde_json::from_str::<TopicHistory>(bad).is_err(), "{bad}");
        }
        let minimal: TopicHistory = serde_json::from_str(r#"{"seen":{}}"#).unwrap();
        assert!(minimal.is_empty());
    }

    #[test]
    fn imported_readme_papers_are_not_new_on_the_first_fetch() {
        let mut history = SeenHistory::default();
        // README links as the Daily Papers script writes them.
        history.import(
            "llm",
            [
                "http://arxiv.org/abs/2410.01506v2",
                "https://arxiv.org/pdf/2410.00002v1",
            ],
            day("2025-01-01"),
        );
        let got = history.apply_fetch(
            "llm",
            &papers(&[
                &abs("2410.01506v2"),
                &abs("2410.00002v2"),
                &abs("2410.00003v1"),
            ]),
            day("2025-02-05"),
        );
        assert_eq!(
            got,
            vec![
                Novelty::Seen,
                Novelty::Updated { from: 1, to: 2 },
                Novelty::New
            ]
        );
        // Another topic has its own history: the same paper is new there.
        assert_eq!(
            history.apply_fetch(
                "vision",
                &papers(&[&abs("2410.01506v2")]),
                day("2025-02-05")
            ),
            vec![Novelty::New]
        );
    }

    #[test]
    fn a_paper_imported_without_version_is_not_announced_as_updated() {
        let mut history = TopicHistory::default();
        history.import(["2410.01506"], day("2025-01-01"));
        assert_eq!(history.classify(&abs("2410.01506v4")), Novelty::Seen);
        history.apply_fetch(&papers(&[&abs("2410.01506v4")]), day("2025-02-05"));
        assert_eq!(history.get("2410.01506").unwrap().version, Some(4));
        assert_eq!(
            history.classify(&abs("2410.01506v5")),
            Novelty::Updated { from: 4, to: 5 }
        );
    }

    #[test]
    fn a_paper_listed_twice_in_one_answer_is_new_both_times() {
        let mut history = TopicHistory::default();
        let got = history.apply_fetch(
            &papers(&[&abs("2410.01506v1"), &abs("2410.01506v1")]),
            day("2025-02-05"),
        );
        assert_eq!(got, vec![Novelty::New, Novelty::New]);
        assert_eq!(history.latest_counts(), (1, 0));
    }

    #[test]
    fn hostile_ids_are_kept_whole_and_never_merge() {
        let mut history = TopicHistory::default();
        let ids = [
            "",
            "javascript:alert(1)",
            "v999999999999",
            "\u{0}",
            "http://arxiv.org/abs/x",
        ];
        let got = history.apply_fetch(&papers(&ids), day("2025-02-05"));
        assert_eq!(got, vec![Novelty::New; 5]);
        assert_eq!(history.len(), 5);
        assert_eq!(history.classify("javascript:alert(1)"), Novelty::Seen);
        assert_eq!(history.classify("javascript:alert(2)"), Novelty::New);
    }

    #[test]
    fn undo_restores_a_removed_history_and_merges_with_a_new_one() {
        let mut all = SeenHistory::default();
        all.apply_fetch("llm", &papers(&[&abs("2410.00001v1")]), day("2025-02-01"));
        let removed = all.remove_topic("llm").unwrap();
        assert!(all.topic("llm").is_none());
        // Added again and fetched before Undo.
        all.apply_fetch(
            "llm",
            &papers(&[&abs("2410.00001v2"), &abs("2410.00002v1")]),
            day("2025-02-03"),
        );
        all.restore_topic("llm", removed);
        let llm = all.topic("llm").unwrap();
        assert_eq!(
            llm.get("2410.00001"),
            Some(SeenPaper {
                first_seen: day("2025-02-01"),
                version: Some(2)
            })
        );
        assert_eq!(llm.len(), 2);
        assert_eq!(all.novelty("llm", &abs("2410.00002v1")), Novelty::New);
    }

    #[test]
    fn rename_and_retain_follow_the_topic_list() {
        let mut all = SeenHistory::default();
        all.apply_fetch("a", &papers(&[&abs("2410.00001v1")]), day("2025-02-01"));
        all.apply_fetch("b", &papers(&[&abs("2410.00002v1")]), day("2025-02-01"));
        all.rename_topic("a", "a2");
        all.rename_topic("b", "b");
        assert!(all.topic("a").is_none());
        assert_eq!(all.topic("a2").unwrap().len(), 1);
        all.retain_topics(["a2"]);
        assert_eq!(all.topics().map(|(k, _)| k).collect::<Vec<_>>(), vec!["a2"]);
        assert_eq!(all.novelty("gone", "2410.00001"), Novelty::Seen);
    }

    #[test]
    fn the_real_old_style_fixture_is_remembered_by_its_id() {
        let path = format!(
            "{}/tests/fixtures/arxiv/old-style-id.xml",
            env!("CARGO_MANIFEST_DIR")
        );
        let feed = crate::arxiv::parse_feed(&std::fs::read(path).unwrap()).unwrap();
        let mut history = TopicHistory::default();
        history.apply_fetch(&feed.papers, day("2026-05-12"));
        assert_eq!(
            history.get("astro-ph/0601001"),
            Some(SeenPaper {
                first_seen: day("2026-05-12"),
                version: Some(1)
            })
        );
    }
}
