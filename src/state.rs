//! The app's state (keywords, settings, results per keyword, storage problems) as signals, and
//! the only place that writes them to storage: every edit goes through a method here that
//! updates the signal and saves, so the components never talk to storage themselves.
//! Keywords and settings are read from `localStorage` before the first paint; papers come from
//! IndexedDB afterwards, keyword by keyword, so the page shows at once and fills its sections.
//! Nothing is saved at start-up (except moving version 1's papers), so a saved value the page
//! could not read stays untouched until the user changes something. Another open tab's saves
//! are picked up (`storage` events), so two tabs never write over each other's keywords.

use crate::browser::papers_db::PapersDb;
use crate::keyword::{Keyword, KeywordError};
use crate::keyword_list::KeywordList;
use crate::results::{results_key, KeywordResults};
use crate::settings::{Settings, SettingsError};
use crate::store::{
    Store, StoreError, KEYWORDS_KEY, RESULTS_CHANGED_KEY, RESULTS_PREFIX, SETTINGS_KEY, UNSAVED_KEY,
};
use crate::stored_form::{
    read_keywords, read_results, read_settings, write_keywords, write_results, write_settings,
};
use crate::timer::sleep;
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

/// Results per keyword, under [`results_key`]. `Arc` so a section's view can hold its entry
/// cheaply and tell in O(1) that it did not change when another keyword's results arrive.
pub type ResultsMap = SmallMap<Arc<KeywordResults>>;

#[derive(Clone, Copy)]
pub struct AppState {
    pub keywords: RwSignal<KeywordList>,
    pub settings: RwSignal<Settings>,
    pub results: RwSignal<ResultsMap>,
    /// True until the saved papers have been read from the store.
    pub loading: RwSignal<bool>,
    /// Storage problems to show, by storage key, so a later successful save of the same key
    /// clears its message.
    pub storage_problems: RwSignal<SmallMap<StoreError>>,
}

const KEYWORDS_WHAT: &str = "keywords";
const SETTINGS_WHAT: &str = "settings";
/// The key of problems with the papers database as a whole (not one keyword's papers).
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

impl AppState {
    /// Reads keywords and settings at once (what cannot be read is reported and replaced by
    /// defaults in memory only), then starts reading the saved papers; see [`AppState::load_papers`].
    pub fn load() -> AppState {
        let state = AppState::load_small();
        spawn_local(state.load_papers());
        state.follow_other_tabs();
        state
    }

    /// Keywords and settings from `localStorage`, synchronously; no papers yet.
    pub fn load_small() -> AppState {
        let store = Store::open();
        let mut problems = SmallMap::default();
        if !store.is_available() {
            problems.insert(String::new(), StoreError::Unavailable);
        }
        let keywords = match store.load(KEYWORDS_KEY, KEYWORDS_WHAT, read_keywords) {
            Ok(Some(list)) => list,
            Ok(None) | Err(StoreError::Unavailable) => KeywordList::examples(),
            Err(e) => {
                problems.insert(KEYWORDS_KEY.to_owned(), e);
                KeywordList::examples()
            }
        };
        let settings = match store.load(SETTINGS_KEY, SETTINGS_WHAT, read_settings) {
            Ok(Some(settings)) => settings,
            Ok(None) | Err(StoreError::Unavailable) => Settings::default(),
            Err(e) => {
                problems.insert(SETTINGS_KEY.to_owned(), e);
                Settings::default()
            }
        };
        // Papers that could not be saved before the last reload: say which are missing.
        for keyword in unsaved(&store) {
            if keywords.position(&keyword).is_some() {
                let (_, storage_key) = results_keys(&keyword);
                problems.insert(
                    storage_key,
                    StoreError::NotSaved {
                        what: format!("papers for \u{201c}{keyword}\u{201d}"),
                    },
                );
            }
        }
        AppState {
            keywords: RwSignal::new(keywords),
            settings: RwSignal::new(settings),
            results: RwSignal::new(ResultsMap::default()),
            loading: RwSignal::new(true),
            storage_problems: RwSignal::new(problems),
        }
    }

    /// Moves version 1's papers out of `localStorage`, then reads each listed keyword's papers
    /// into its section, in the user's order, letting the browser paint between keywords.
    pub async fn load_papers(self) {
        match papers_db().await {
            Ok(db) => {
                self.move_v1_results(&db).await;
                let keywords = self.keywords.get_untracked();
                for keyword in keywords.as_slice() {
                    self.read_papers(&db, keyword, false).await;
                    sleep(0).await;
                }
            }
            Err(e) => self.record(PAPERS_DB_KEY, Err(e)),
        }
        self.loading.set(false);
    }

    /// Reads one keyword's papers from the database; `replace` also replaces papers already in
    /// memory (another tab saved newer ones), otherwise they win (fetched while loading).
    async fn read_papers(&self, db: &PapersDb, keyword: &Keyword, replace: bool) {
        let (key, storage_key) = results_keys(keyword);
        let what = results_what(keyword);
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
                if self
                    .keywords
                    .with_untracked(|l| l.position(keyword).is_none())
                {
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
            Err(e) => self.record(&storage_key, Err(e)),
        }
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

    /// Rereads keywords, settings and papers when another tab of the app saves them, so an edit
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
                if key == KEYWORDS_KEY {
                    if let Ok(Some(list)) = store.load(KEYWORDS_KEY, KEYWORDS_WHAT, read_keywords) {
                        let before = self.keywords.get_untracked();
                        self.results.update(|map| {
                            for gone in before
                                .as_slice()
                                .iter()
                                .filter(|k| list.position(k).is_none())
                            {
                                map.remove(&results_key(gone));
                            }
                        });
                        let new: Vec<Keyword> = list
                            .as_slice()
                            .iter()
                            .filter(|k| before.position(k).is_none())
                            .cloned()
                            .collect();
                        self.keywords.set(list);
                        self.record(KEYWORDS_KEY, Ok(()));
                        spawn_local(async move {
                            if let Ok(db) = papers_db().await {
                                for keyword in &new {
                                    self.read_papers(&db, keyword, true).await;
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
                    let keyword = self.keywords.with_untracked(|l| {
                        l.as_slice()
                            .iter()
                            .find(|k| results_key(k) == changed_key)
                            .cloned()
                    });
                    if let Some(keyword) = keyword {
                        spawn_local(async move {
                            if let Ok(db) = papers_db().await {
                                self.read_papers(&db, &keyword, true).await;
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

    /// Applies an edit to the keyword list; saves the list if the edit succeeded and changed it.
    pub fn edit_keywords<T>(
        &self,
        edit: impl FnOnce(&mut KeywordList) -> Result<T, KeywordError>,
    ) -> Result<T, KeywordError> {
        let before = self.keywords.get_untracked();
        let mut list = before.clone();
        let outcome = edit(&mut list)?;
        if list != before {
            // Results of keywords no longer listed (removed or renamed) are dropped for good.
            // A keyword whose case alone changed is the same search and keeps its results.
            let still_listed = |k: &Keyword| list.as_slice().iter().any(|l| l.same_as(k.as_str()));
            for gone in before.as_slice().iter().filter(|k| !still_listed(k)) {
                self.forget_results(gone);
            }
            self.keywords.set(list.clone());
            self.record(
                KEYWORDS_KEY,
                Store::open().save(KEYWORDS_KEY, KEYWORDS_WHAT, &write_keywords(&list)),
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

    /// The results currently held for a keyword.
    pub fn results_of(&self, keyword: &Keyword) -> Arc<KeywordResults> {
        self.results
            .with_untracked(|map| map.get(&results_key(keyword)).cloned())
            .unwrap_or_default()
    }

    /// Replaces a keyword's results on screen at once, and in storage as soon as the database
    /// takes them. A failed save is shown now and remembered, so a reload says which keyword's
    /// papers are missing.
    pub fn set_results(&self, keyword: &Keyword, results: KeywordResults) {
        let (key, storage_key) = results_keys(keyword);
        let text = write_results(&results);
        self.results.update(|map| {
            map.insert(key.clone(), Arc::new(results));
        });
        let this = *self;
        let keyword = keyword.clone();
        spawn_local(async move {
            let what = results_what(&keyword);
            let saved = match papers_db().await {
                Ok(db) => db.put_results(&[(key.clone(), text)], &what).await,
                Err(_) => Err(StoreError::Failed {
                    what: what.clone(),
                    detail: "the papers database could not be opened".to_owned(),
                }),
            };
            let store = Store::open();
            mark_unsaved(&store, &keyword, saved.is_err());
            if saved.is_ok() {
                // Other tabs reread this keyword's papers.
                let _ = store.save(
                    RESULTS_CHANGED_KEY,
                    "",
                    &format!("{key}\n{}", js_sys::Date::now()),
                );
            }
            this.record(&storage_key, saved);
        });
    }

    fn forget_results(&self, keyword: &Keyword) {
        let (key, storage_key) = results_keys(keyword);
        self.results.update(|map| {
            map.remove(&key);
        });
        self.record(&storage_key, Ok(()));
        let keyword = keyword.clone();
        spawn_local(async move {
            mark_unsaved(&Store::open(), &keyword, false);
            if let Ok(db) = papers_db().await {
                let _ = db.delete_results(&key, &results_what(&keyword)).await;
            }
        });
    }
}

/// The keywords listed under [`UNSAVED_KEY`].
fn unsaved(store: &Store) -> Vec<Keyword> {
    store
        .load(UNSAVED_KEY, "", read_keywords)
        .ok()
        .flatten()
        .map(|list| list.as_slice().to_vec())
        .unwrap_or_default()
}

/// Adds `keyword` to (or removes it from) the list of keywords whose papers are not saved.
fn mark_unsaved(store: &Store, keyword: &Keyword, not_saved: bool) {
    let mut list = unsaved(store);
    let listed = list.iter().any(|k| k.same_as(keyword.as_str()));
    if listed == not_saved {
        return;
    }
    if not_saved {
        list.push(keyword.clone());
    } else {
        list.retain(|k| !k.same_as(keyword.as_str()));
    }
    let outcome = match KeywordList::try_from(list) {
        Ok(list) if list.is_empty() => store.remove(UNSAVED_KEY),
        Ok(list) => store.save(UNSAVED_KEY, "", &write_keywords(&list)),
        Err(_) => store.remove(UNSAVED_KEY),
    };
    let _ = outcome;
}

fn results_what(keyword: &Keyword) -> String {
    format!("papers for \u{201c}{keyword}\u{201d}")
}

/// A keyword's key in the results map and the key its storage problems are listed under.
fn results_keys(keyword: &Keyword) -> (String, String) {
    let key = results_key(keyword);
    let storage_key = format!("{RESULTS_PREFIX}{key}");
    (key, storage_key)
}
