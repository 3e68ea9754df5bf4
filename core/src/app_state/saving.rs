//! What is saved beside the papers: the list of topics whose papers could not be saved (so a
//! reload says which are missing), and a copy of the first topic's first screen of papers (so a
//! large library's first view does not wait for the database).

use super::keys::{FIRST_SCREEN_PREFIX, UNSAVED_KEY};
use super::KeyValueStore;
use crate::library::results::{results_key, KeywordResults};
use crate::storage_format::{read_keys, read_results, write_keys, write_results};
use crate::topics::TopicList;

/// The results keys whose latest papers could not be saved.
pub fn unsaved(store: &impl KeyValueStore) -> Vec<String> {
    store
        .load(UNSAVED_KEY, "", read_keys)
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Adds `key` to (or removes it from) the list of results keys whose papers are not saved; an
/// empty list is not kept.
pub fn mark_unsaved(store: &impl KeyValueStore, key: &str, not_saved: bool) {
    let mut keys = unsaved(store);
    let listed = keys.iter().any(|k| k == key);
    if listed == not_saved {
        return;
    }
    if not_saved {
        keys.push(key.to_owned());
    } else {
        keys.retain(|k| k != key);
    }
    let _ = if keys.is_empty() {
        store.remove(UNSAVED_KEY)
    } else {
        store.save(UNSAVED_KEY, "", &write_keys(&keys))
    };
}

/// A first topic of more papers than this has its first screen of papers kept apart (see
/// [`keep_first_screen`]): reading all of them takes longer than the page's first view should
/// wait (about 500,000 characters of stored text).
pub const FIRST_SCREEN_FROM_PAPERS: usize = 250;

/// Papers in that copy: more rows than a screen shows.
pub const FIRST_SCREEN_PAPERS: usize = 20;

/// Where the copy of the first screen of topic `key` is kept.
pub fn first_screen_key(key: &str) -> String {
    format!("{FIRST_SCREEN_PREFIX}{key}")
}

/// Keeps a copy of the first screen of the first listed topic's papers when it has many (more
/// than [`FIRST_SCREEN_FROM_PAPERS`]), and no other copy: the next page shows those rows with its
/// first view, where reading the whole topic from the database first would hold the page up. A
/// copy for display only, never read back as the topic's papers; one that cannot be written is
/// passed over (the page then waits for the database as before).
pub fn keep_first_screen<R: AsRef<KeywordResults>>(
    store: &impl KeyValueStore,
    topics: &TopicList,
    results_of: impl Fn(&str) -> Option<R>,
) {
    let kept = topics.entries().first().and_then(|first| {
        let key = results_key(first.id);
        let papers = results_of(&key)?;
        (papers.as_ref().papers.len() > FIRST_SCREEN_FROM_PAPERS).then_some((key, papers))
    });
    for old in store.keys_starting(FIRST_SCREEN_PREFIX) {
        if kept
            .as_ref()
            .is_none_or(|(key, _)| old != first_screen_key(key))
        {
            let _ = store.remove(&old);
        }
    }
    if let Some((key, papers)) = kept {
        let papers = papers.as_ref();
        let copy = KeywordResults {
            papers: papers.papers.iter().take(FIRST_SCREEN_PAPERS).cloned().collect(),
            fetched_at: papers.fetched_at.clone(),
            error: None,
            search: papers.search.clone(),
            no_match_at: papers.no_match_at.clone(),
        };
        let _ = store.save(&first_screen_key(&key), "", &write_results(&copy));
    }
}

/// The copy of the first listed topic's first screen of papers, under its results key, if one
/// is kept and reads (see [`keep_first_screen`]).
pub fn read_first_screen(
    store: &impl KeyValueStore,
    topics: &TopicList,
) -> Option<(String, KeywordResults)> {
    let key = results_key(topics.entries().first()?.id);
    let text = store.raw(&first_screen_key(&key)).ok()??;
    let papers = read_results(&text).ok()?;
    Some((key, papers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app_state::store::MemoryStore;
    use crate::arxiv::Paper;
    use std::sync::Arc;

    fn papers(n: usize) -> Arc<KeywordResults> {
        let paper = |i: usize| Paper {
            id: format!("2401.{i:05}"),
            title: format!("Paper {i}"),
            ..Paper::default()
        };
        Arc::new(KeywordResults {
            papers: (0..n).map(paper).collect(),
            ..KeywordResults::default()
        })
    }

    #[test]
    fn the_unsaved_list_holds_each_key_once_and_goes_when_empty() {
        let store = MemoryStore::default();
        mark_unsaved(&store, "topic/1", true);
        mark_unsaved(&store, "topic/1", true);
        mark_unsaved(&store, "topic/2", true);
        assert_eq!(unsaved(&store), ["topic/1", "topic/2"]);
        mark_unsaved(&store, "topic/1", false);
        mark_unsaved(&store, "topic/2", false);
        assert_eq!(store.raw(UNSAVED_KEY), Ok(None));
    }

    #[test]
    fn only_a_large_first_topic_keeps_a_first_screen_and_only_its_own() {
        let topics = TopicList::examples();
        let first = results_key(topics.entries()[0].id);
        let second = results_key(topics.entries()[1].id);
        let store = MemoryStore::with(&[(&first_screen_key(&second), "old copy")]);
        let small = papers(FIRST_SCREEN_FROM_PAPERS);
        keep_first_screen(&store, &topics, |_| Some(Arc::clone(&small)));
        assert!(store.keys_starting(FIRST_SCREEN_PREFIX).is_empty(), "a small topic keeps none, and the other topic's copy goes");
        let large = papers(FIRST_SCREEN_FROM_PAPERS + 1);
        keep_first_screen(&store, &topics, |key| (key == first).then(|| Arc::clone(&large)));
        assert_eq!(store.keys_starting(FIRST_SCREEN_PREFIX), [first_screen_key(&first)]);
        let (key, copy) = read_first_screen(&store, &topics).unwrap();
        assert_eq!(key, first);
        assert_eq!(copy.papers[..], large.papers[..FIRST_SCREEN_PAPERS]);
    }

    #[test]
    fn a_first_screen_that_does_not_fit_is_passed_over() {
        let topics = TopicList::examples();
        let store = MemoryStore { room: Some(10), ..MemoryStore::default() };
        let large = papers(FIRST_SCREEN_FROM_PAPERS + 1);
        keep_first_screen(&store, &topics, |_| Some(Arc::clone(&large)));
        assert_eq!(read_first_screen(&store, &topics), None);
    }
}

/// The first listed topic's results key and name, when its papers are to be read before the
/// page's first view. `None` on a first visit (no topic list saved: there are no papers to wait
/// for), while version 1's papers are still to be moved (moving them would make what is read out
/// of date), or when a copy of its first screen is kept (shown at once; the rest is read after).
pub fn read_before_first_view(store: &impl KeyValueStore) -> Option<(String, String)> {
    if !store.v1_results().is_empty() || matches!(store.raw(super::keys::KEYWORDS_KEY), Ok(Some(_))) {
        return None;
    }
    let list = super::saved::load_topics(store).ok()??;
    let first = list.entries().first()?;
    let key = results_key(first.id);
    if matches!(store.raw(&first_screen_key(&key)), Ok(Some(_))) {
        return None;
    }
    Some((key, first.topic.name().to_string()))
}

#[cfg(test)]
mod first_view_tests {
    use super::*;
    use crate::app_state::keys::{KEYWORDS_KEY, TOPICS_KEY};
    use crate::app_state::store::MemoryStore;
    use crate::storage_format::write_topics;

    #[test]
    fn the_first_topic_is_read_before_the_first_view_unless_a_copy_or_a_move_waits() {
        assert_eq!(read_before_first_view(&MemoryStore::default()), None, "a first visit");
        let topics = TopicList::examples();
        let first = &topics.entries()[0];
        let key = results_key(first.id);
        let store = MemoryStore::with(&[(TOPICS_KEY, &write_topics(&topics))]);
        assert_eq!(read_before_first_view(&store), Some((key.clone(), first.topic.name().to_string())));
        store.save(&first_screen_key(&key), "", "copy").unwrap();
        assert_eq!(read_before_first_view(&store), None);
        let moving = MemoryStore::with(&[(TOPICS_KEY, &write_topics(&topics)), (KEYWORDS_KEY, "[]")]);
        assert_eq!(read_before_first_view(&moving), None);
    }
}
