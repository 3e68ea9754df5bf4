//! The papers kept in the browser's IndexedDB (through the `idb` crate): one record per
//! topic under its results key, holding the JSON text [`daily_papers_core::storage_format`] writes, and one
//! record per topic of its seen history ([`daily_papers_core::library::history::TopicHistory`]'s JSON). IndexedDB holds hundreds of
//! megabytes where `localStorage` holds about 5 M characters, and it is read asynchronously,
//! so a large library never blocks the first paint. Keywords and settings stay in
//! `localStorage` ([`crate::browser::local_storage`]): small, and needed before the first paint.
//!
//! Every write waits for its transaction to commit before it reports success; every failure is
//! a [`StoreError`] for the page to show.

use crate::browser::js_error::js_message;
use daily_papers_core::app_state::{PapersStore, StoreError};
use idb::{
    Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode, TransactionResult,
};
use std::cell::RefCell;
use std::rc::Rc;
use std::future::Future;
use wasm_bindgen::{JsCast, JsValue};

/// What the database says about other tabs while this one runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherTab {
    /// This page's upgrade waits for an older tab to let go ([`StoreError::OlderTabOpen`]).
    HoldsOlderVersion,
    /// A newer page in another tab upgrades the database: this tab has let go of it
    /// ([`StoreError::NewerTabOpened`]).
    OpenedNewerVersion,
}

/// Who is told of [`OtherTab`] events: the app's state, once it exists (an event before that
/// is kept for it). Given to [`PapersDb::open`]; clones share one listener.
#[derive(Clone, Default)]
pub struct OtherTabs(Rc<RefCell<OtherTabsInner>>);

#[derive(Default)]
struct OtherTabsInner {
    listener: Option<Box<dyn Fn(OtherTab)>>,
    untold: Option<OtherTab>,
}

impl OtherTabs {
    /// Has `listener` told whenever another tab holds up this tab's upgrade or upgrades the
    /// database itself (at once of an event that came before).
    pub fn listen(&self, listener: impl Fn(OtherTab) + 'static) {
        let untold = self.0.borrow_mut().untold.take();
        if let Some(event) = untold {
            listener(event);
        }
        self.0.borrow_mut().listener = Some(Box::new(listener));
    }

    fn tell(&self, event: OtherTab) {
        let inner = self.0.borrow();
        match inner.listener.as_ref() {
            Some(listener) => listener(event),
            None => {
                drop(inner);
                self.0.borrow_mut().untold = Some(event);
            }
        }
    }
}

pub const DB_NAME: &str = "daily-papers";

/// The schema version. 1: `results` and `seen`; 2: `marks`. A later version adds its stores
/// in [`upgrade`], keyed on the version the user's database had.
pub const DB_VERSION: u32 = 2;

/// Results per keyword (later: per topic): key = the results key (the folded keyword, see
/// [`daily_papers_core::library::results::results_key`]), value = the results' JSON text.
pub const RESULTS_STORE: &str = "results";

/// Papers seen per topic: key = the results key, value = the JSON text of the topic's
/// [`daily_papers_core::library::history::TopicHistory`] (each paper's first day and version seen, and the
/// latest fetch's marks). Written in the same transaction as the topic's results.
pub const SEEN_STORE: &str = "seen";

/// The reader's read and saved marks ([`daily_papers_core::library::marks::Marks`]' JSON),
/// one record under [`MARKS_KEY`]: kept with the seen history, never in the README.
pub const MARKS_STORE: &str = "marks";

/// The one record of [`MARKS_STORE`].
pub const MARKS_KEY: &str = "marks";

pub use daily_papers_core::app_state::TopicTexts;

/// An open papers database.
pub struct PapersDb {
    db: Database,
}

impl PapersDb {
    /// Opens (and on first use creates or upgrades) the database. The browser is asked at once,
    /// not when the answer is first awaited: the page starts the opening before it lays itself
    /// out, and the database opens meanwhile.
    pub fn open(other_tabs: &OtherTabs) -> impl Future<Output = Result<PapersDb, StoreError>> {
        let blocked = other_tabs.clone();
        let other_tabs = other_tabs.clone();
        let failed = |e: idb::Error| failure("the papers database", e);
        let request = Factory::new()
            .map_err(|_| StoreError::Unavailable)
            .and_then(|factory| factory.open(DB_NAME, Some(DB_VERSION)).map_err(failed))
            .map(|mut request| {
                request.on_upgrade_needed(|event| {
                    let old = event.old_version().unwrap_or(0);
                    if let Ok(db) = event.database() {
                        upgrade(&db, old);
                    }
                });
                // An older tab keeps the database open at its version: the open waits (it
                // goes on by itself once that tab lets go), and the page says why.
                request.on_blocked(move |_| blocked.tell(OtherTab::HoldsOlderVersion));
                request
            });
        async move {
            let mut db = request?.await.map_err(failed)?;
            // A newer page in another tab wants to upgrade: let go at once, or it would wait
            // for this tab forever, and say so here.
            db.on_version_change(move |event| {
                if let Some(Ok(db)) = event.target().map(Database::try_from) {
                    db.close();
                }
                other_tabs.tell(OtherTab::OpenedNewerVersion);
            });
            Ok(PapersDb { db })
        }
    }

    /// Saves a topic's results and (when given) its seen history in one transaction, so the
    /// marks never disagree with the papers; returns once it has committed.
    pub async fn put_topic(
        &self,
        key: &str,
        results: &str,
        history: Option<&str>,
        what: &str,
    ) -> Result<(), StoreError> {
        let failed = |e: idb::Error| failure(what, e);
        let tx = self
            .db
            .transaction(&[RESULTS_STORE, SEEN_STORE], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = tx.object_store(RESULTS_STORE).map_err(failed)?;
        let key = JsValue::from_str(key);
        let _ = store
            .put(&JsValue::from_str(results), Some(&key))
            .map_err(failed)?;
        if let Some(history) = history {
            let seen = tx.object_store(SEEN_STORE).map_err(failed)?;
            let _ = seen
                .put(&JsValue::from_str(history), Some(&key))
                .map_err(failed)?;
        }
        finish(tx, &store, what).await
    }

    /// The stored text of the read and saved marks, if any.
    pub async fn marks(&self, what: &str) -> Result<Option<String>, StoreError> {
        let failed = |e: idb::Error| failure(what, e);
        let tx = self
            .db
            .transaction(&[MARKS_STORE], TransactionMode::ReadOnly)
            .map_err(failed)?;
        let request = tx
            .object_store(MARKS_STORE)
            .and_then(|store| store.get(JsValue::from_str(MARKS_KEY)))
            .map_err(failed)?;
        text(request.await.map_err(failed)?, what)
    }

    /// Saves the read and saved marks; returns once the save has committed.
    pub async fn put_marks(&self, marks: &str, what: &str) -> Result<(), StoreError> {
        let failed = |e: idb::Error| failure(what, e);
        let tx = self
            .db
            .transaction(&[MARKS_STORE], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = tx.object_store(MARKS_STORE).map_err(failed)?;
        let _ = store
            .put(&JsValue::from_str(marks), Some(&JsValue::from_str(MARKS_KEY)))
            .map_err(failed)?;
        finish(tx, &store, what).await
    }

}

impl PapersStore for PapersDb {
    /// The stored texts of one topic's results and of its seen history, asked for together
    /// (one transaction, both reads under way at once). The history's failure is its own: the
    /// results are still read.
    async fn topic(&self, key: &str, what: &str) -> Result<TopicTexts, StoreError> {
        let failed = |e: idb::Error| failure(what, e);
        let tx = self
            .db
            .transaction(&[RESULTS_STORE, SEEN_STORE], TransactionMode::ReadOnly)
            .map_err(failed)?;
        let get = |store_name: &str| {
            tx.object_store(store_name)
                .and_then(|store| store.get(JsValue::from_str(key)))
                .map_err(failed)
        };
        let (results, history) = (get(RESULTS_STORE)?, get(SEEN_STORE));
        let results = text(results.await.map_err(failed)?, what)?;
        let history = match history {
            Ok(request) => request
                .await
                .map_err(failed)
                .and_then(|value| text(value, what)),
            Err(e) => Err(e),
        };
        Ok(TopicTexts { results, history })
    }

    /// Saves a topic's seen history alone (imported from its results on first load).
    async fn put_history(
        &self,
        key: &str,
        history: &str,
        what: &str,
    ) -> Result<(), StoreError> {
        let failed = |e: idb::Error| failure(what, e);
        let tx = self
            .db
            .transaction(&[SEEN_STORE], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = tx.object_store(SEEN_STORE).map_err(failed)?;
        let _ = store
            .put(&JsValue::from_str(history), Some(&JsValue::from_str(key)))
            .map_err(failed)?;
        finish(tx, &store, what).await
    }

    /// Saves several keywords' results in one transaction; returns once it has committed.
    async fn put_results(
        &self,
        entries: &[(String, String)],
        what: &str,
    ) -> Result<(), StoreError> {
        let failed = |e: idb::Error| failure(what, e);
        let tx = self
            .db
            .transaction(&[RESULTS_STORE], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = tx.object_store(RESULTS_STORE).map_err(failed)?;
        for (key, text) in entries {
            // The request is made at once; its outcome is the transaction's.
            let _ = store
                .put(&JsValue::from_str(text), Some(&JsValue::from_str(key)))
                .map_err(failed)?;
        }
        finish(tx, &store, what).await
    }

    /// Removes a topic's results and its seen history.
    async fn delete_results(&self, key: &str, what: &str) -> Result<(), StoreError> {
        let failed = |e: idb::Error| failure(what, e);
        let tx = self
            .db
            .transaction(&[RESULTS_STORE, SEEN_STORE], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = tx.object_store(RESULTS_STORE).map_err(failed)?;
        let _ = store.delete(JsValue::from_str(key)).map_err(failed)?;
        let seen = tx.object_store(SEEN_STORE).map_err(failed)?;
        let _ = seen.delete(JsValue::from_str(key)).map_err(failed)?;
        finish(tx, &store, what).await
    }
}

/// Creates what a database of version `old` lacks (0: a new database).
fn upgrade(db: &Database, old: u32) {
    if old < 1 {
        let _ = db.create_object_store(RESULTS_STORE, ObjectStoreParams::new());
        let _ = db.create_object_store(SEEN_STORE, ObjectStoreParams::new());
    }
    if old < 2 {
        let _ = db.create_object_store(MARKS_STORE, ObjectStoreParams::new());
    }
}

/// A stored value read back: the text it must be, or a corrupt record.
fn text(value: Option<JsValue>, what: &str) -> Result<Option<String>, StoreError> {
    match value {
        None => Ok(None),
        Some(v) => v.as_string().map(Some).ok_or(StoreError::Corrupt {
            what: what.to_owned(),
            detail: "not text".to_owned(),
        }),
    }
}

/// Waits for a read-write transaction to commit: an abort (quota, disk error) is a failure.
async fn finish(
    tx: idb::Transaction,
    store: &idb::ObjectStore,
    what: &str,
) -> Result<(), StoreError> {
    match tx.await {
        Ok(TransactionResult::Committed) => Ok(()),
        Ok(TransactionResult::Aborted) => Err(match store.transaction().error() {
            Some(e) => failure_of(what, &e),
            None => StoreError::Failed {
                what: what.to_owned(),
                detail: "the browser cancelled the save".to_owned(),
            },
        }),
        Err(e) => Err(failure(what, e)),
    }
}

fn failure(what: &str, error: idb::Error) -> StoreError {
    use idb::Error as E;
    let js: JsValue = match error {
        E::DomException(e) => e.into(),
        E::AddFailed(v)
        | E::DeleteFailed(v)
        | E::GetFailed(v)
        | E::UpdateFailed(v)
        | E::IndexedDbOpenFailed(v)
        | E::TransactionOpenFailed(v)
        | E::TransactionCommitError(v)
        | E::ObjectStoreNotFound(v)
        | E::IndexedDbNotFound(v) => v,
        // Not an error the browser raised (the crate's own, e.g. a lost callback). Not its
        // text: formatting it would bring the crate's forty messages into the download.
        _ => {
            return StoreError::Failed {
                what: what.to_owned(),
                detail: "the browser's database did not answer as expected".to_owned(),
            }
        }
    };
    failure_of(what, &js)
}

/// A quota error means "full"; anything else is reported with the browser's words.
fn failure_of(what: &str, error: &JsValue) -> StoreError {
    let quota = error
        .dyn_ref::<web_sys::DomException>()
        .is_some_and(|e| e.name() == "QuotaExceededError");
    if quota {
        StoreError::Full {
            what: what.to_owned(),
        }
    } else {
        StoreError::Failed {
            what: what.to_owned(),
            detail: js_message(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use daily_papers_core::arxiv::Paper;
    use daily_papers_core::library::results::KeywordResults;
    use daily_papers_core::storage_format::{read_results, write_results};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// An older tab can hold the opening up before the page's state exists to listen: the
    /// notice waits for it instead of being lost.
    #[wasm_bindgen_test]
    fn an_event_before_anyone_listens_is_told_when_someone_does() {
        let other_tabs = OtherTabs::default();
        other_tabs.tell(OtherTab::HoldsOlderVersion);
        let heard = Rc::new(RefCell::new(Vec::new()));
        let hearing = Rc::clone(&heard);
        other_tabs.listen(move |event| hearing.borrow_mut().push(event));
        other_tabs.tell(OtherTab::OpenedNewerVersion);
        assert_eq!(*heard.borrow(), [OtherTab::HoldsOlderVersion, OtherTab::OpenedNewerVersion]);
    }

    fn results(n: usize) -> KeywordResults {
        KeywordResults {
            papers: (0..n)
                .map(|i| Paper {
                    id: format!("http://arxiv.org/abs/2601.{i:05}v1"),
                    title: format!("Paper {i} \"quoted\" <b>"),
                    ..Paper::default()
                })
                .collect(),
            ..KeywordResults::default()
        }
    }

    #[wasm_bindgen_test]
    async fn results_round_trip_through_indexeddb() {
        let db = PapersDb::open(&OtherTabs::default()).await.unwrap();
        let r = results(3);
        db.put_results(&[("test/round trip".into(), write_results(&r))], "x")
            .await
            .unwrap();
        let back = db
            .topic("test/round trip", "x")
            .await
            .unwrap()
            .results
            .unwrap();
        assert_eq!(read_results(&back).unwrap(), r);
        db.delete_results("test/round trip", "x").await.unwrap();
        assert_eq!(
            db.topic("test/round trip", "x").await.unwrap().results,
            None
        );
    }

    #[wasm_bindgen_test]
    async fn a_topic_is_read_with_its_history_and_a_bad_history_does_not_hide_its_papers() {
        let db = PapersDb::open(&OtherTabs::default()).await.unwrap();
        let key = "test/read together";
        let text = write_results(&results(2));
        db.put_topic(key, &text, Some(r#"{"seen":{}}"#), "x")
            .await
            .unwrap();
        let read = db.topic(key, "x").await.unwrap();
        assert_eq!(read.results.as_deref(), Some(text.as_str()));
        assert_eq!(read.history.unwrap().as_deref(), Some(r#"{"seen":{}}"#));
        // A history record that is not text (not one this app writes): the papers still come.
        let tx = db
            .db
            .transaction(&[SEEN_STORE], TransactionMode::ReadWrite)
            .unwrap();
        let store = tx.object_store(SEEN_STORE).unwrap();
        let _ = store
            .put(&JsValue::from_f64(7.0), Some(&JsValue::from_str(key)))
            .unwrap();
        finish(tx, &store, "x").await.unwrap();
        let read = db.topic(key, "x").await.unwrap();
        assert_eq!(read.results.as_deref(), Some(text.as_str()));
        assert!(matches!(read.history, Err(StoreError::Corrupt { .. })));
        db.delete_results(key, "x").await.unwrap();
        let read = db.topic(key, "x").await.unwrap();
        assert_eq!(read.results, None);
        assert_eq!(read.history.unwrap(), None);
    }

    #[wasm_bindgen_test]
    async fn results_and_history_are_saved_and_removed_together() {
        let db = PapersDb::open(&OtherTabs::default()).await.unwrap();
        let text = write_results(&results(2));
        db.put_topic("test/with history", &text, Some(r#"{"seen":{}}"#), "x")
            .await
            .unwrap();
        assert_eq!(
            db.topic("test/with history", "x")
                .await
                .unwrap()
                .history
                .unwrap()
                .as_deref(),
            Some(r#"{"seen":{}}"#)
        );
        db.put_topic("test/with history", &text, None, "x")
            .await
            .unwrap();
        assert!(db
            .topic("test/with history", "x")
            .await
            .unwrap()
            .history
            .unwrap()
            .is_some());
        db.delete_results("test/with history", "x").await.unwrap();
        assert_eq!(
            db.topic("test/with history", "x")
                .await
                .unwrap()
                .history
                .unwrap(),
            None
        );
        assert_eq!(
            db.topic("test/with history", "x").await.unwrap().results,
            None
        );
    }

    #[wasm_bindgen_test]
    async fn every_store_exists_at_the_current_version() {
        let db = PapersDb::open(&OtherTabs::default()).await.unwrap();
        assert_eq!(db.db.version().unwrap(), DB_VERSION);
        let mut names = db.db.store_names();
        names.sort();
        assert_eq!(
            names,
            vec![
                MARKS_STORE.to_owned(),
                RESULTS_STORE.to_owned(),
                SEEN_STORE.to_owned()
            ]
        );
    }

    #[wasm_bindgen_test]
    async fn marks_round_trip() {
        let db = PapersDb::open(&OtherTabs::default()).await.unwrap();
        db.put_marks(r#"{"read":["2601.00001"]}"#, "x").await.unwrap();
        assert_eq!(
            db.marks("x").await.unwrap().as_deref(),
            Some(r#"{"read":["2601.00001"]}"#)
        );
    }

    #[wasm_bindgen_test]
    async fn two_thousand_papers_per_keyword_fit() {
        // Far beyond what localStorage could take for twenty keywords.
        let db = PapersDb::open(&OtherTabs::default()).await.unwrap();
        let text = write_results(&results(2_000));
        let entries: Vec<_> = (0..5)
            .map(|i| (format!("test/big {i}"), text.clone()))
            .collect();
        db.put_results(&entries, "x").await.unwrap();
        for (key, _) in &entries {
            let back = db.topic(key, "x").await.unwrap().results.unwrap();
            assert_eq!(read_results(&back).unwrap().papers.len(), 2_000);
            db.delete_results(key, "x").await.unwrap();
        }
    }

    #[wasm_bindgen_test]
    fn a_quota_error_reads_as_full() {
        let quota =
            web_sys::DomException::new_with_message_and_name("no room", "QuotaExceededError")
                .unwrap();
        assert_eq!(
            failure_of("the papers", &quota.into()),
            StoreError::Full {
                what: "the papers".into()
            }
        );
    }
}
