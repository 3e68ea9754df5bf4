//! The app's state (topics, settings, results per topic, storage problems) as signals, and
//! the only place that writes them to storage: every edit goes through a method here that
//! updates the signal and saves, so the components never talk to storage themselves.
//! Topics and settings are read from `localStorage` before the first paint; papers come from
//! IndexedDB afterwards, topic by topic, so the page shows at once and fills its sections.
//! Nothing is saved at start-up (except moving version 1's papers and keyword list forward), so
//! a saved value the page could not read stays untouched until the user changes something.
//! Another open tab's saves are picked up (`storage` events), so two tabs never write over each
//! other's topics.
//!
//! Papers are kept under their topic's id ([`results_key`]): a rename keeps them, and an edit
//! of the search keeps them too, shown as from the previous search until the next fetch.

use crate::browser::papers_db::PapersDb;
use crate::results::{keyword_results_key, results_key, KeywordResults};
use crate::settings::{Settings, SettingsError};
use crate::store::{
    Store, StoreError, KEYWORDS_KEY, RESULTS_CHANGED_KEY, RESULTS_PREFIX, SETTINGS_KEY, TOPICS_KEY,
    UNSAVED_KEY,
};
use crate::stored_form::{
    read_keys, read_results, read_settings, read_settings_keeping_others, read_topics,
    read_v1_keywords, write_keys, write_results, write_settings, write_topics,
};
use crate::timer::sleep;
use crate::topics::{TopicId, TopicList};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A few entries by key, in a vector: the app holds tens of keywords at most, and a hash or
/// tree map of its own would add kilobytes to the download for no speed a user could notice.
#[derive(Debug, Clone, PartialEq)]
pub struct SmallMap<V>(Vec<(String, V)>);

impl<V> Default for SmallMap<V> {
    fn default() -> Self {
        SmallMap(Vec::new())
    }
}

impl<V> SmallMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn insert(&mut self, key: String, value: V) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }
}

/// Results per topic, under [`results_key`]. `Arc` so a section's view can hold its entry
/// cheaply and tell in O(1) that it did not change when another topic's results arrive.
pub type ResultsMap = SmallMap<Arc<KeywordResults>>;

#[derive(Clone, Copy)]
pub struct AppState {
    pub topics: RwSignal<TopicList>,
    pub settings: RwSignal<Settings>,
    pub results: RwSignal<ResultsMap>,
    /// True until the saved papers have been read from the store.
    pub loading: RwSignal<bool>,
    /// Storage problems to show, by storage key, so a later successful save of the same key
    /// clears its message.
    pub storage_problems: RwSignal<SmallMap<StoreError>>,
}

const TOPICS_WHAT: &str = "topics";
const SETTINGS_WHAT: &str = "settings";
/// The key of problems with the papers database as a whole (not one topic's papers).
const PAPERS_DB_KEY: &str = "papers-db";

thread_local! {
    /// The papers database, opened once per page; `Err` when it cannot be opened (then papers
    /// are kept in memory only, and every save says so).
    static PAPERS_DB: RefCell<Option<Result<Rc<PapersDb>, StoreError>>> = const { RefCell::new(None) };
}

/// The open papers database (opening it on first use).
async fn papers_db() -> Result<Rc<PapersDb>, StoreError> {
    if let Some(db) = PAPERS_DB.with(|d| d.borrow().clone()) {
        return db;
    }
    let opened = PapersDb::open().await.map(Rc::new);
    PAPERS_DB.with(|d| d.borrow_mut().get_or_insert(opened).clone())
}

/// The topic list saved by this version, else version 1's keyword list as one-phrase topics
/// (ids 1, 2, 3, … in its order), else `None`.
fn load_topics(store: &Store) -> Result<Option<TopicList>, StoreError> {
    match store.load(TOPICS_KEY, TOPICS_WHAT, read_topics)? {
        Some(list) => Ok(Some(list)),
        None => store.load(KEYWORDS_KEY, TOPICS_WHAT, read_v1_keywords),
    }
}

impl AppState {
    /// Reads topics and settings at once (what cannot be read is reported and replaced by
    /// defaults in memory only), then starts reading the saved papers; see [`AppState::load_papers`].
    pub fn load() -> AppState {
        let state = AppState::load_small();
        spawn_local(state.load_papers());
        state.follow_other_tabs();
        state
    }

    /// Topics and settings from `localStorage`, synchronously; no papers yet.
    pub fn load_small() -> AppState {
        let store = Store::open();
        let mut problems = SmallMap::default();
        if !store.is_available() {
            problems.insert(String::new(), StoreError::Unavailable);
        }
        let topics = match load_topics(&store) {
            Ok(Some(list)) => list,
            Ok(None) | Err(StoreError::Unavailable) => TopicList::examples(),
            Err(e) => {
                problems.insert(TOPICS_KEY.to_owned(), e);
                TopicList::examples()
            }
        };
        let settings = match store.load(SETTINGS_KEY, SETTINGS_WHAT, read_settings_keeping_others) {
            Ok(Some((settings, None))) => settings,
            Ok(Some((settings, Some(refused)))) => {
                problems.insert(
                    SETTINGS_KEY.to_owned(),
                    StoreError::PartlyRead {
                        what: SETTINGS_WHAT.to_owned(),
                        detail: refused.to_string(),
                    },
                );
                settings
            }
            Ok(None) | Err(StoreError::Unavailable) => Settings::default(),
            Err(e) => {
                problems.insert(SETTINGS_KEY.to_owned(), e);
                Settings::default()
            }
        };
        // Papers that could not be saved before the last reload: say which are missing.
        for key in unsaved(&store) {
            let name = topics
                .entries()
                .iter()
                .find(|e| results_key(e.id) == key)
                .map(|e| e.topic.name().to_string());
            if let Some(name) = name {
                problems.insert(
                    storage_key(&key),
                    StoreError::NotSaved {
                        what: results_what(&name),
                    },
                );
            }
        }
        AppState {
            topics: RwSignal::new(topics),
            settings: RwSignal::new(settings),
            results: RwSignal::new(ResultsMap::default()),
            loading: RwSignal::new(true),
            storage_problems: RwSignal::new(problems),
        }
    }

    /// Moves version 1's papers out of `localStorage` and under their topics' ids, then reads
    /// each listed topic's papers into its section, in the user's order, letting the browser
    /// paint between topics.
    pub async fn load_papers(self) {
        match papers_db().await {
            Ok(db) => {
                self.move_v1_results(&db).await;
                self.move_keyword_papers_to_topics(&db).await;
                let ids: Vec<TopicId> = self
                    .topics
                    .with_untracked(|l| l.entries().iter().map(|e| e.id).collect());
                for id in ids {
                    self.read_papers(&db, id, false).await;
                    sleep(0).await;
                }
            }
            Err(e) => self.record(PAPERS_DB_KEY, Err(e)),
        }
        self.loading.set(false);
    }

    /// Reads one topic's papers from the database; `replace` also replaces papers already in
    /// memory (another tab saved newer ones), otherwise they win (fetched while loading).
    async fn read_papers(&self, db: &PapersDb, id: TopicId, replace: bool) {
        let Some(name) = self.name_of(id) else {
            return;
        };
        let key = results_key(id);
        let what = results_what(&name);
        let loaded = db.results(&key, &what).await.and_then(|text| match text {
            None => Ok(None),
            Some(text) => read_results(&text)
                .map(Some)
                .map_err(|e| StoreError::Corrupt {
                    what: what.clone(),
                    detail: e.to_string(),
                }),
        });
        match loaded {
            Ok(Some(r)) => {
                if self.name_of(id).is_none() {
                    return;
                }
                let r = Arc::new(r);
                self.results.update(|map| {
                    if replace || map.get(&key).is_none() {
                        map.insert(key, r);
                    }
                });
            }
            Ok(None) => {}
            Err(e) => self.record(&storage_key(&key), Err(e)),
        }
    }

    /// The name of the listed topic with this id.
    fn name_of(&self, id: TopicId) -> Option<String> {
        self.topics
            .with_untracked(|l| l.get(id).map(|t| t.name().to_string()))
    }

    /// Copies every version 1 results entry that reads correctly into IndexedDB in one
    /// transaction, and removes the old entries only once it has committed. An entry that does
    /// not read is left where it is and reported; one already in the database is not copied.
    async fn move_v1_results(&self, db: &PapersDb) {
        let store = Store::open();
        let old = store.v1_results();
        if old.is_empty() {
            return;
        }
        let mut moving = Vec::new();
        for (key, text) in old {
            let storage_key = format!("{RESULTS_PREFIX}{key}");
            if let Err(e) = read_results(&text) {
                let what = format!("results saved for \u{201c}{key}\u{201d}");
                self.record(
                    &storage_key,
                    Err(StoreError::Corrupt {
                        what,
                        detail: e.to_string(),
                    }),
                );
                continue;
            }
            if matches!(db.results(&key, "").await, Ok(Some(_))) {
                // Moved before, but the old copy was not removed then.
                let _ = store.remove(&storage_key);
                continue;
            }
            moving.push((key, text));
        }
        if moving.is_empty() {
            return;
        }
        match db
            .put_results(&moving, "the papers saved by the previous version")
            .await
        {
            Ok(()) => {
                for (key, _) in &moving {
                    let _ = store.remove(&format!("{RESULTS_PREFIX}{key}"));
                }
            }
            Err(e) => self.record(PAPERS_DB_KEY, Err(e)),
        }
    }

    /// Version 1 kept a keyword's papers under the keyword in lower case; they now belong to
    /// the topic the keyword became (ids 1, 2, 3, … in version 1's order, whatever was edited
    /// since). Copies them under the topic ids in one transaction (never over papers already
    /// there), then saves the topic list if only version 1's list was saved, and only then
    /// removes the old entries and version 1's list. Interrupted anywhere, the next start does
    /// it again from what is left: nothing is lost.
    async fn move_keyword_papers_to_topics(&self, db: &PapersDb) {
        let store = Store::open();
        let Ok(Some(v1_topics)) = store.load(KEYWORDS_KEY, TOPICS_WHAT, read_v1_keywords) else {
            return;
        };
        let what = "the papers saved by the previous version";
        let mut moving = Vec::new();
        let mut old_keys = Vec::new();
        for entry in v1_topics.entries() {
            let old = keyword_results_key(entry.topic.name());
            let new = results_key(entry.id);
            let Ok(Some(text)) = db.results(&old, what).await else {
                continue;
            };
            if matches!(db.results(&new, what).await, Ok(None)) {
                moving.push((new, text));
            }
            old_keys.push(old);
        }
        if !moving.is_empty() {
            if let Err(e) = db.put_results(&moving, what).await {
                self.record(PAPERS_DB_KEY, Err(e));
                return;
            }
        }
        if !matches!(store.raw(TOPICS_KEY), Ok(Some(_))) {
            // Version 1's list as read just now: without a saved topic list, nothing was edited
            // since it was read at start-up (or it was written after, by an older tab).
            let saved = store.save(TOPICS_KEY, TOPICS_WHAT, &write_topics(&v1_topics));
            let failed = saved.is_err();
            self.record(TOPICS_KEY, saved);
            if failed {
                return;
            }
        }
        let _ = store.remove(KEYWORDS_KEY);
        // An old key that is also a topic's key now (a keyword typed as "topic/2") holds that
        // topic's papers: keep it.
        let in_use: Vec<String> = self.topics.with_untracked(|l| {
            l.entries()
                .iter()
                .chain(v1_topics.entries())
                .map(|e| results_key(e.id))
                .collect()
        });
        for old in old_keys.iter().filter(|k| !in_use.contains(k)) {
            let _ = db.delete_results(old, what).await;
        }
    }

    /// Rereads topics, settings and papers when another tab of the app saves them, so an edit
    /// here starts from what that tab saved instead of writing over it.
    fn follow_other_tabs(self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let on_storage =
            Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |ev: web_sys::StorageEvent| {
                let Some(key) = ev.key() else {
                    return;
                };
                let store = Store::open();
                if key == TOPICS_KEY {
                    if let Ok(Some(list)) = store.load(TOPICS_KEY, TOPICS_WHAT, read_topics) {
                        let before = self.topics.get_untracked();
                        self.results.update(|map| {
                            for gone in before.entries().iter().filter(|e| list.get(e.id).is_none())
                            {
                                map.remove(&results_key(gone.id));
                            }
                        });
                        let new: Vec<TopicId> = list
                            .entries()
                            .iter()
                            .filter(|e| before.get(e.id).is_none())
                            .map(|e| e.id)
                            .collect();
                        self.topics.set(list);
                        self.record(TOPICS_KEY, Ok(()));
                        spawn_local(async move {
                            if let Ok(db) = papers_db().await {
                                for id in new {
                                    self.read_papers(&db, id, true).await;
                                }
                            }
                        });
                    }
                } else if key == SETTINGS_KEY {
                    if let Ok(Some(settings)) =
                        store.load(SETTINGS_KEY, SETTINGS_WHAT, read_settings)
                    {
                        self.settings.set(settings);
                        self.record(SETTINGS_KEY, Ok(()));
                    }
                } else if key == RESULTS_CHANGED_KEY {
                    let Some(changed) = ev.new_value() else {
                        return;
                    };
                    let changed_key = changed.split('\n').next().unwrap_or_default().to_owned();
                    let id = self.topics.with_untracked(|l| {
                        l.entries()
                            .iter()
                            .find(|e| results_key(e.id) == changed_key)
                            .map(|e| e.id)
                    });
                    if let Some(id) = id {
                        spawn_local(async move {
                            if let Ok(db) = papers_db().await {
                                self.read_papers(&db, id, true).await;
                            }
                        });
                    }
                }
            });
        let _ =
            window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
        // Listens for the page's lifetime.
        on_storage.forget();
    }

    fn record(&self, key: &str, outcome: Result<(), StoreError>) {
        self.storage_problems.update(|problems| match outcome {
            Ok(()) => {
                problems.remove(key);
            }
            Err(StoreError::Unavailable) if key != PAPERS_DB_KEY => {
                // Reported once, under its own entry, at start-up.
            }
            Err(e) => {
                problems.insert(key.to_owned(), e);
            }
        });
    }

    /// Applies an edit to the topic list; saves the list if the edit succeeded and changed it.
    /// Papers stay with their topic's id through renames and edits; a removed topic's papers
    /// are dropped for good.
    pub fn edit_topics<T, E>(
        &self,
        edit: impl FnOnce(&mut TopicList) -> Result<T, E>,
    ) -> Result<T, E> {
        let before = self.topics.get_untracked();
        let mut list = before.clone();
        let outcome = edit(&mut list)?;
        if list != before {
            for gone in before.entries().iter().filter(|e| list.get(e.id).is_none()) {
                self.forget_results(gone.id, gone.topic.name().as_str());
            }
            self.topics.set(list.clone());
            self.record(
                TOPICS_KEY,
                Store::open().save(TOPICS_KEY, TOPICS_WHAT, &write_topics(&list)),
            );
        }
        Ok(outcome)
    }

    /// Applies one setting from the user's text; on success saves the settings.
    pub fn edit_settings(
        &self,
        edit: impl FnOnce(&mut Settings) -> Result<(), SettingsError>,
    ) -> Result<(), SettingsError> {
        let mut settings = self.settings.get_untracked();
        edit(&mut settings)?;
        if settings != self.settings.get_untracked() {
            self.settings.set(settings.clone());
            self.record(
                SETTINGS_KEY,
                Store::open().save(SETTINGS_KEY, SETTINGS_WHAT, &write_settings(&settings)),
            );
        }
        Ok(())
    }

    /// The results currently held for a topic.
    pub fn results_of(&self, id: TopicId) -> Arc<KeywordResults> {
        self.results
            .with_untracked(|map| map.get(&results_key(id)).cloned())
            .unwrap_or_default()
    }

    /// Replaces a topic's results on screen at once, and in storage as soon as the database
    /// takes them. A failed save is shown now and remembered, so a reload says which topic's
    /// papers are missing.
    pub fn set_results(&self, id: TopicId, results: KeywordResults) {
        let Some(name) = self.name_of(id) else {
            return;
        };
        let key = results_key(id);
        let text = write_results(&results);
        self.results.update(|map| {
            map.insert(key.clone(), Arc::new(results));
        });
        let this = *self;
        spawn_local(async move {
            let what = results_what(&name);
            let saved = match papers_db().await {
                Ok(db) => db.put_results(&[(key.clone(), text)], &what).await,
                Err(_) => Err(StoreError::Failed {
                    what: what.clone(),
                    detail: "the papers database could not be opened".to_owned(),
                }),
            };
            let store = Store::open();
            mark_unsaved(&store, &key, saved.is_err());
            if saved.is_ok() {
                // Other tabs reread this topic's papers.
                let _ = store.save(
                    RESULTS_CHANGED_KEY,
                    "",
                    &format!("{key}\n{}", js_sys::Date::now()),
                );
            }
            this.record(&storage_key(&key), saved);
        });
    }

    fn forget_results(&self, id: TopicId, name: &str) {
        let key = results_key(id);
        self.results.update(|map| {
            map.remove(&key);
        });
        self.record(&storage_key(&key), Ok(()));
        let what = results_what(name);
        spawn_local(async move {
            mark_unsaved(&Store::open(), &key, false);
            if let Ok(db) = papers_db().await {
                let _ = db.delete_results(&key, &what).await;
            }
        });
    }
}

/// The results keys listed under [`UNSAVED_KEY`].
fn unsaved(store: &Store) -> Vec<String> {
    store
        .load(UNSAVED_KEY, "", read_keys)
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Adds `key` to (or removes it from) the list of results keys whose papers are not saved.
fn mark_unsaved(store: &Store, key: &str, not_saved: bool) {
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

fn results_what(name: &str) -> String {
    format!("papers for \u{201c}{name}\u{201d}")
}

/// The key a topic's storage problems are listed under.
fn storage_key(results_key: &str) -> String {
    format!("{RESULTS_PREFIX}{results_key}")
}
