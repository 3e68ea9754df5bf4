//! Moving what earlier versions stored to where this one keeps it. Each step copies first and
//! removes the old copy only once the new one is saved: interrupted anywhere, the next start does
//! it again from what is left, and nothing is lost.

use super::keys::{KEYWORDS_KEY, RESULTS_PREFIX, TOPICS_KEY};
use super::saved::TOPICS_WHAT;
use super::{problem_key, KeyValueStore, PapersStore, Problem, StoreError, PAPERS_DB_KEY};
use crate::library::results::{keyword_results_key, results_key};
use crate::storage_format::{read_results, read_v1_keywords, write_topics};
use crate::topics::TopicList;

/// What a step of the move did to the saves shown on the page: problems to show, and keys whose
/// earlier problem is cleared (saved now).
#[derive(Debug, Default, PartialEq)]
pub struct Moved {
    pub problems: Vec<Problem>,
    pub saved: Vec<String>,
}

const WHAT: &str = "the papers saved by the previous version";

/// Copies every version 1 results entry of the small store that reads correctly into the papers
/// database in one transaction, and removes the old entries only once it has committed. An entry
/// that does not read is left where it is and reported; one already in the database is not
/// copied (moved before, but the old copy was not removed then).
pub async fn move_v1_results(store: &impl KeyValueStore, db: &impl PapersStore) -> Moved {
    let mut moved = Moved::default();
    let mut moving = Vec::new();
    for (key, text) in store.v1_results() {
        if let Err(e) = read_results(&text) {
            moved.problems.push((
                problem_key(&key),
                StoreError::Corrupt {
                    what: format!("results saved for \u{201c}{key}\u{201d}"),
                    detail: e.to_string(),
                },
            ));
            continue;
        }
        if matches!(db.topic(&key, "").await.map(|t| t.results), Ok(Some(_))) {
            let _ = store.remove(&format!("{RESULTS_PREFIX}{key}"));
            continue;
        }
        moving.push((key, text));
    }
    if moving.is_empty() {
        return moved;
    }
    match db.put_results(&moving, WHAT).await {
        Ok(()) => {
            for (key, _) in &moving {
                let _ = store.remove(&format!("{RESULTS_PREFIX}{key}"));
            }
        }
        Err(e) => moved.problems.push((PAPERS_DB_KEY.to_owned(), e)),
    }
    moved
}

/// Version 1 kept a keyword's papers under the keyword in lower case; they now belong to the
/// topic the keyword became (ids 1, 2, 3, … in version 1's order, whatever was edited since).
/// Copies them under the topic ids in one transaction (never over papers already there), then
/// saves the topic list if only version 1's list was saved, and only then removes the old
/// entries and version 1's list. `listed` is the topic list the page holds now: an old key that
/// is one of its topics' keys too is kept.
pub async fn move_keyword_papers_to_topics(
    store: &impl KeyValueStore,
    db: &impl PapersStore,
    listed: &TopicList,
) -> Moved {
    let mut moved = Moved::default();
    let Ok(Some(v1_topics)) = store.load(KEYWORDS_KEY, TOPICS_WHAT, read_v1_keywords) else {
        return moved;
    };
    let mut moving = Vec::new();
    let mut old_keys = Vec::new();
    for entry in v1_topics.entries() {
        let old = keyword_results_key(entry.topic.name());
        let new = results_key(entry.id);
        let Ok(Some(text)) = db.topic(&old, WHAT).await.map(|t| t.results) else {
            continue;
        };
        if matches!(db.topic(&new, WHAT).await.map(|t| t.results), Ok(None)) {
            moving.push((new, text));
        }
        old_keys.push(old);
    }
    if !moving.is_empty() {
        if let Err(e) = db.put_results(&moving, WHAT).await {
            moved.problems.push((PAPERS_DB_KEY.to_owned(), e));
            return moved;
        }
    }
    if !matches!(store.raw(TOPICS_KEY), Ok(Some(_))) {
        // Version 1's list as read just now: without a saved topic list, nothing was edited
        // since it was read at start-up (or it was written after, by an older tab).
        match store.save(TOPICS_KEY, TOPICS_WHAT, &write_topics(&v1_topics)) {
            Ok(()) => moved.saved.push(TOPICS_KEY.to_owned()),
            Err(e) => {
                moved.problems.push((TOPICS_KEY.to_owned(), e));
                return moved;
            }
        }
    }
    let _ = store.remove(KEYWORDS_KEY);
    // An old key that is also a topic's key now (a keyword typed as "topic/2") holds that
    // topic's papers: keep it.
    let in_use: Vec<String> = listed
        .entries()
        .iter()
        .chain(v1_topics.entries())
        .map(|e| results_key(e.id))
        .collect();
    for old in old_keys.iter().filter(|k| !in_use.contains(k)) {
        let _ = db.delete_results(old, WHAT).await;
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app_state::store::{block_on, MemoryPapers, MemoryStore};
    use crate::library::results::KeywordResults;
    use crate::storage_format::{read_topics, write_results};

    fn results_text() -> String {
        write_results(&KeywordResults::default())
    }

    #[test]
    fn version_1_results_move_to_the_database_and_leave_the_small_store() {
        let text = results_text();
        let store = MemoryStore::with(&[
            ("daily-papers/v1/results/llm", &text),
            ("daily-papers/v1/results/broken", "{not json"),
        ]);
        let db = MemoryPapers::default();
        let moved = block_on(move_v1_results(&store, &db));
        assert_eq!(db.results_of("llm"), Some(text));
        assert_eq!(store.keys(), ["daily-papers/v1/results/broken"], "what does not read stays, reported");
        assert!(matches!(moved.problems.as_slice(), [(key, StoreError::Corrupt { .. })] if key == "daily-papers/v1/results/broken"));
    }

    #[test]
    fn a_failed_copy_keeps_the_version_1_results() {
        let text = results_text();
        let store = MemoryStore::with(&[("daily-papers/v1/results/llm", &text)]);
        let db = MemoryPapers { failing: true, ..MemoryPapers::default() };
        let moved = block_on(move_v1_results(&store, &db));
        assert_eq!(store.keys(), ["daily-papers/v1/results/llm"]);
        assert_eq!(moved.problems.len(), 1);
        assert_eq!(moved.problems[0].0, PAPERS_DB_KEY);
    }

    #[test]
    fn keyword_papers_move_under_their_topics_and_the_topic_list_is_saved_first() {
        let store = MemoryStore::with(&[(KEYWORDS_KEY, r#"["LLM","Diffusion"]"#)]);
        let db = MemoryPapers::default();
        let llm = results_text();
        block_on(db.put_results(&[("llm".to_owned(), llm.clone())], "")).unwrap();
        let listed = store.load(KEYWORDS_KEY, "", read_v1_keywords).unwrap().unwrap();
        let moved = block_on(move_keyword_papers_to_topics(&store, &db, &listed));
        assert_eq!(moved.saved, [TOPICS_KEY]);
        let saved = store.load(TOPICS_KEY, "", read_topics).unwrap().unwrap();
        assert_eq!(saved, listed);
        let first = results_key(saved.entries()[0].id);
        assert_eq!(db.results_of(&first), Some(llm));
        assert_eq!(db.results_of("llm"), None, "the old copy goes once the new one is saved");
        assert_eq!(store.raw(KEYWORDS_KEY), Ok(None));
    }

    #[test]
    fn an_interrupted_move_loses_nothing_and_is_done_again() {
        let store = MemoryStore::with(&[(KEYWORDS_KEY, r#"["LLM"]"#)]);
        let failing = MemoryPapers { failing: true, ..MemoryPapers::default() };
        failing.results.borrow_mut().push(("llm".to_owned(), results_text()));
        let listed = store.load(KEYWORDS_KEY, "", read_v1_keywords).unwrap().unwrap();
        let moved = block_on(move_keyword_papers_to_topics(&store, &failing, &listed));
        assert_eq!(moved.problems[0].0, PAPERS_DB_KEY);
        assert!(store.raw(KEYWORDS_KEY).unwrap().is_some(), "version 1's list stays");
        assert_eq!(failing.results_of("llm"), Some(results_text()));
        let db = MemoryPapers { results: failing.results, ..MemoryPapers::default() };
        let moved = block_on(move_keyword_papers_to_topics(&store, &db, &listed));
        assert_eq!(moved.problems, []);
        assert_eq!(db.results_of(&results_key(listed.entries()[0].id)), Some(results_text()));
    }

    #[test]
    fn papers_already_under_a_topic_are_never_written_over() {
        let store = MemoryStore::with(&[(KEYWORDS_KEY, r#"["LLM"]"#), (TOPICS_KEY, "kept")]);
        let db = MemoryPapers::default();
        let listed = store.load(KEYWORDS_KEY, "", read_v1_keywords).unwrap().unwrap();
        let key = results_key(listed.entries()[0].id);
        db.results.borrow_mut().push(("llm".to_owned(), "old".to_owned()));
        db.results.borrow_mut().push((key.clone(), "newer".to_owned()));
        let moved = block_on(move_keyword_papers_to_topics(&store, &db, &listed));
        assert_eq!(moved.saved, Vec::<String>::new(), "a saved topic list is left as it is");
        assert_eq!(store.raw(TOPICS_KEY), Ok(Some("kept".to_owned())));
        assert_eq!(db.results_of(&key), Some("newer".to_owned()));
    }
}
