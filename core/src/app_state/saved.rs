//! What the page reads from the small store before its first paint: topics, settings, the
//! refresh-on-open setting, an Undo offer left by the last visit, the on/off settings and the
//! first screen's copy. What cannot be read is reported and replaced by its default in memory
//! only: nothing is written at start-up, so a saved value the page could not read stays untouched
//! until the user changes something.

use super::keys::{
    Flag, KEYWORDS_KEY, PENDING_UNDO_KEY, REFRESH_KEY, SETTINGS_KEY, TOPICS_KEY,
};
use super::saving::{read_first_screen, unsaved};
use super::{problem_key, results_what, KeyValueStore, Problem, StoreError};
use crate::library::refresh::RefreshOnOpen;
use crate::library::results::{results_key, KeywordResults};
use crate::library::undo::PendingUndo;
use crate::settings::Settings;
use crate::storage_format::{
    read_pending_undo, read_refresh, read_settings_keeping_others, read_topics, read_v1_keywords,
};
use crate::topics::list::ListedTopic;
use crate::topics::TopicList;

pub const TOPICS_WHAT: &str = "topics";
pub const SETTINGS_WHAT: &str = "settings";
pub const REFRESH_WHAT: &str = "the refresh-on-open setting";

/// The state kept by the last visit, as the page starts with it.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedState {
    pub topics: TopicList,
    pub settings: Settings,
    pub refresh: RefreshOnOpen,
    /// A removal not yet undone when the page was closed: offered again for a whole window.
    pub undo: Option<PendingUndo<ListedTopic>>,
    pub hide_read: bool,
    pub reader_links: bool,
    pub opening_marks_read: bool,
    /// The first topic's first screen of papers, under its results key (for display only).
    pub first_screen: Option<(String, KeywordResults)>,
    /// What could not be read, under the key a later save clears it by.
    pub problems: Vec<Problem>,
}

/// The topic list saved by this version, else version 1's keyword list as one-phrase topics
/// (ids 1, 2, 3, … in its order), else `None`.
pub fn load_topics(store: &impl KeyValueStore) -> Result<Option<TopicList>, StoreError> {
    match store.load(TOPICS_KEY, TOPICS_WHAT, read_topics)? {
        Some(list) => Ok(Some(list)),
        None => store.load(KEYWORDS_KEY, TOPICS_WHAT, read_v1_keywords),
    }
}

/// `loaded`, else `default` (with the problem noted under `key`, unless storage is missing
/// altogether: that is reported once, under its own entry).
fn or_default<T>(
    loaded: Result<Option<T>, StoreError>,
    key: &str,
    default: impl FnOnce() -> T,
    problems: &mut Vec<Problem>,
) -> T {
    match loaded {
        Ok(Some(value)) => value,
        Ok(None) | Err(StoreError::Unavailable) => default(),
        Err(e) => {
            problems.push((key.to_owned(), e));
            default()
        }
    }
}

impl SavedState {
    /// Reads everything the page starts with from `store`, at `now_ms`.
    pub fn read(store: &impl KeyValueStore, now_ms: u64) -> SavedState {
        let mut problems = Vec::new();
        if !store.is_available() {
            problems.push((String::new(), StoreError::Unavailable));
        }
        let topics = or_default(load_topics(store), TOPICS_KEY, TopicList::examples, &mut problems);
        let settings = match store.load(SETTINGS_KEY, SETTINGS_WHAT, read_settings_keeping_others) {
            Ok(Some((settings, Some(refused)))) => {
                problems.push((
                    SETTINGS_KEY.to_owned(),
                    StoreError::PartlyRead {
                        what: SETTINGS_WHAT.to_owned(),
                        detail: refused.to_string(),
                    },
                ));
                settings
            }
            loaded => or_default(
                loaded.map(|s| s.map(|(settings, _)| settings)),
                SETTINGS_KEY,
                Settings::default,
                &mut problems,
            ),
        };
        // Papers that could not be saved before the last reload: say which are missing.
        for key in unsaved(store) {
            let name = topics
                .entries()
                .iter()
                .find(|e| results_key(e.id) == key)
                .map(|e| e.topic.name().to_string());
            if let Some(name) = name {
                problems.push((problem_key(&key), StoreError::NotSaved { what: results_what(&name) }));
            }
        }
        let refresh = or_default(
            store.load(REFRESH_KEY, REFRESH_WHAT, read_refresh),
            REFRESH_KEY,
            RefreshOnOpen::default,
            &mut problems,
        );
        let undo = store
            .load(PENDING_UNDO_KEY, "", read_pending_undo)
            .ok()
            .flatten()
            .map(|pending| pending.resumed(now_ms));
        let flag = |flag: Flag| flag.read(store.raw(flag.key()).ok().flatten().as_deref());
        SavedState {
            first_screen: read_first_screen(store, &topics),
            topics,
            settings,
            refresh,
            undo,
            hide_read: flag(Flag::HideRead),
            reader_links: flag(Flag::ReaderLinks),
            opening_marks_read: flag(Flag::OpeningMarksRead),
            problems,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app_state::keys::{HIDE_READ_KEY, READER_LINKS_KEY, UNSAVED_KEY};
    use crate::app_state::store::MemoryStore;
    use crate::library::undo::UNDO_WINDOW_MS;
    use crate::storage_format::{write_pending_undo, write_topics};

    #[test]
    fn a_first_visit_starts_with_the_examples_and_defaults_and_no_problem() {
        let saved = SavedState::read(&MemoryStore::default(), 0);
        assert_eq!(saved.topics, TopicList::examples());
        assert_eq!(saved.settings, Settings::default());
        assert_eq!(saved.refresh, RefreshOnOpen::default());
        assert!(saved.reader_links && !saved.hide_read && !saved.opening_marks_read);
        assert_eq!(saved.problems, []);
    }

    #[test]
    fn what_cannot_be_read_is_reported_and_left_in_place() {
        let store = MemoryStore::with(&[(TOPICS_KEY, "{not json"), (SETTINGS_KEY, "[]"), (REFRESH_KEY, "7")]);
        let saved = SavedState::read(&store, 0);
        assert_eq!(saved.topics, TopicList::examples());
        let keys: Vec<&str> = saved.problems.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, [TOPICS_KEY, SETTINGS_KEY, REFRESH_KEY]);
        assert!(saved.problems.iter().all(|(_, e)| matches!(e, StoreError::Corrupt { .. })));
        assert_eq!(store.raw(TOPICS_KEY), Ok(Some("{not json".to_owned())), "nothing is written at start-up");
    }

    #[test]
    fn a_refused_setting_is_reported_and_the_rest_kept() {
        let store = MemoryStore::with(&[(SETTINGS_KEY, r#"{"max_results":20,"categories":"zzz"}"#)]);
        let saved = SavedState::read(&store, 0);
        assert!(
            matches!(saved.problems.as_slice(), [(key, StoreError::PartlyRead { .. })] if key == SETTINGS_KEY),
            "{:?}",
            saved.problems
        );
    }

    #[test]
    fn without_storage_one_problem_says_so() {
        let store = MemoryStore { unavailable: true, ..MemoryStore::default() };
        let saved = SavedState::read(&store, 0);
        assert_eq!(saved.problems, [(String::new(), StoreError::Unavailable)]);
    }

    #[test]
    fn version_1_keywords_become_topics_when_no_list_is_saved() {
        let store = MemoryStore::with(&[(KEYWORDS_KEY, r#"["Diffusion","LLM"]"#)]);
        let saved = SavedState::read(&store, 0);
        let names: Vec<String> = saved.topics.entries().iter().map(|e| e.topic.name().to_string()).collect();
        assert_eq!(names, ["Diffusion", "LLM"]);
    }

    #[test]
    fn papers_not_saved_last_time_are_named_and_flags_read() {
        let topics = TopicList::examples();
        let first = &topics.entries()[0];
        let unsaved = format!(r#"["{}","topic/999"]"#, results_key(first.id));
        let store = MemoryStore::with(&[
            (TOPICS_KEY, &write_topics(&topics)),
            (UNSAVED_KEY, &unsaved),
            (HIDE_READ_KEY, "1"),
            (READER_LINKS_KEY, "0"),
        ]);
        let saved = SavedState::read(&store, 0);
        assert_eq!(
            saved.problems,
            [(problem_key(&results_key(first.id)), StoreError::NotSaved { what: results_what(&first.topic.name().to_string()) })],
            "a key of no listed topic is passed over"
        );
        assert!(saved.hide_read && !saved.reader_links);
    }

    #[test]
    fn an_undo_offer_left_open_is_offered_for_a_whole_window_again() {
        let topics = TopicList::examples();
        let pending = crate::app_state::undo::offer(
            vec![(0, topics.entries()[0].clone(), Vec::new(), Default::default())],
            1_000,
        );
        let store = MemoryStore::with(&[(PENDING_UNDO_KEY, &write_pending_undo(&pending))]);
        let saved = SavedState::read(&store, 50_000);
        assert_eq!(saved.undo.map(|u| u.shown_until_ms), Some(50_000 + UNDO_WINDOW_MS));
    }
}
