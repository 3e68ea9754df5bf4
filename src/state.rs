//! The app's state (keywords, settings, results per keyword, storage problems) as signals, and
//! the only place that writes them to storage: every edit goes through a method here that
//! updates the signal and saves, so the components never talk to `localStorage` themselves.
//! Nothing is saved at start-up, so a saved value the page could not read stays untouched until
//! the user changes something.

use crate::keyword::{Keyword, KeywordError};
use crate::keyword_list::KeywordList;
use crate::results::{results_key, KeywordResults};
use crate::settings::{Settings, SettingsError};
use crate::store::{Store, StoreError, KEYWORDS_KEY, RESULTS_PREFIX, SETTINGS_KEY};
use crate::stored_form::{
    read_keywords, read_results, read_settings, write_keywords, write_results, write_settings,
};
use leptos::prelude::*;
use std::sync::Arc;

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
    /// Storage problems to show, by storage key, so a later successful save of the same key
    /// clears its message.
    pub storage_problems: RwSignal<SmallMap<StoreError>>,
}

const KEYWORDS_WHAT: &str = "keywords";
const SETTINGS_WHAT: &str = "settings";

impl AppState {
    /// Loads everything saved; what cannot be read is reported and replaced by defaults in
    /// memory only.
    pub fn load() -> AppState {
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
        let mut results = ResultsMap::default();
        for keyword in keywords.as_slice() {
            let (key, storage_key) = results_keys(keyword);
            match store.load(&storage_key, &results_what(keyword), read_results) {
                Ok(Some(r)) => {
                    results.insert(key, Arc::new(r));
                }
                Ok(None) | Err(StoreError::Unavailable) => {}
                Err(e) => {
                    problems.insert(storage_key, e);
                }
            }
        }
        AppState {
            keywords: RwSignal::new(keywords),
            settings: RwSignal::new(settings),
            results: RwSignal::new(results),
            storage_problems: RwSignal::new(problems),
        }
    }

    fn record(&self, key: &str, outcome: Result<(), StoreError>) {
        self.storage_problems.update(|problems| match outcome {
            Ok(()) => {
                problems.remove(key);
            }
            Err(StoreError::Unavailable) => {
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

    /// Replaces a keyword's results on screen and in storage.
    pub fn set_results(&self, keyword: &Keyword, results: KeywordResults) {
        let (key, storage_key) = results_keys(keyword);
        let saved = Store::open().save(
            &storage_key,
            &results_what(keyword),
            &write_results(&results),
        );
        self.results.update(|map| {
            map.insert(key, Arc::new(results));
        });
        self.record(&storage_key, saved);
    }

    fn forget_results(&self, keyword: &Keyword) {
        let (key, storage_key) = results_keys(keyword);
        self.results.update(|map| {
            map.remove(&key);
        });
        let removed = Store::open().remove(&storage_key);
        self.record(&storage_key, removed);
    }
}

fn results_what(keyword: &Keyword) -> String {
    format!("results for \u{201c}{keyword}\u{201d}")
}

/// A keyword's key in the results map and its key in storage.
fn results_keys(keyword: &Keyword) -> (String, String) {
    let key = results_key(keyword);
    let storage_key = format!("{RESULTS_PREFIX}{key}");
    (key, storage_key)
}
