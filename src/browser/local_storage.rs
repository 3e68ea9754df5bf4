//! Saves and loads the app's small data (topics, settings) in the browser's `localStorage`, as
//! JSON under versioned keys (`daily-papers/v2/topics`, `daily-papers/v1/settings`), so a later
//! version can change the shape without misreading old data. Papers live in IndexedDB ([`crate::browser::papers_db`]); version
//! 1 kept them here, under [`RESULTS_PREFIX`], and [`Store::v1_results`] finds them to move.
//! The JSON itself is written and read by [`daily_papers_core::storage_format`].
//! Every failure is a [`StoreError`] for the page to show; none is fatal: the app keeps working
//! with what it holds in memory. A value that cannot be read is left in place (never overwritten
//! by defaults) until the user saves something new.

use crate::browser::js_error::js_message;
use daily_papers_core::app_state::KeyValueStore;
use wasm_bindgen::{JsCast, JsValue};

// The keys and the error are the core's, so the state's decisions are tested natively.
pub use daily_papers_core::app_state::keys::{
    FIRST_SCREEN_PREFIX, KEYWORDS_KEY, PENDING_UNDO_KEY, REFRESH_KEY, RESULTS_CHANGED_KEY,
    RESULTS_PREFIX, SETTINGS_KEY, TOPICS_KEY, UNSAVED_KEY,
};
pub use daily_papers_core::app_state::StoreError;

/// The page's `localStorage`, if the browser gives one.
#[derive(Clone)]
pub struct Store {
    storage: Option<web_sys::Storage>,
}

impl Store {
    /// Opens `localStorage`. Never fails: without storage every call reports
    /// [`StoreError::Unavailable`].
    pub fn open() -> Store {
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        Store { storage }
    }

    pub fn is_available(&self) -> bool {
        self.storage.is_some()
    }

    fn storage(&self) -> Result<&web_sys::Storage, StoreError> {
        self.storage.as_ref().ok_or(StoreError::Unavailable)
    }

    /// The raw text saved under `key`, if any.
    pub fn raw(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.storage()?
            .get_item(key)
            .map_err(|e| StoreError::Failed {
                what: key.to_owned(),
                detail: js_message(&e),
            })
    }

    /// Saves `text` (written by one of [`daily_papers_core::storage_format`]'s writers) under `key`.
    pub fn save(&self, key: &str, what: &str, text: &str) -> Result<(), StoreError> {
        self.storage()?.set_item(key, text).map_err(|e| {
            if is_quota_error(&e) {
                StoreError::Full {
                    what: what.to_owned(),
                }
            } else {
                StoreError::Failed {
                    what: what.to_owned(),
                    detail: js_message(&e),
                }
            }
        })
    }

    /// Every key saved that starts with `prefix`.
    pub fn keys_starting(&self, prefix: &str) -> Vec<String> {
        let Ok(storage) = self.storage() else {
            return Vec::new();
        };
        let count = storage.length().unwrap_or(0);
        (0..count)
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|key| key.starts_with(prefix))
            .collect()
    }

    pub fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.storage()?
            .remove_item(key)
            .map_err(|e| StoreError::Failed {
                what: key.to_owned(),
                detail: js_message(&e),
            })
    }
}

impl KeyValueStore for Store {
    fn is_available(&self) -> bool {
        Store::is_available(self)
    }

    fn raw(&self, key: &str) -> Result<Option<String>, StoreError> {
        Store::raw(self, key)
    }

    fn save(&self, key: &str, what: &str, text: &str) -> Result<(), StoreError> {
        Store::save(self, key, what, text)
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        Store::remove(self, key)
    }

    fn keys_starting(&self, prefix: &str) -> Vec<String> {
        Store::keys_starting(self, prefix)
    }
}

/// Browsers name the quota error differently (Chromium and Safari `QuotaExceededError`, old
/// Firefox `NS_ERROR_DOM_QUOTA_REACHED`), with code 22 or 1014.
fn is_quota_error(error: &JsValue) -> bool {
    let Some(exception) = error.dyn_ref::<web_sys::DomException>() else {
        return false;
    };
    let name = exception.name();
    name == "QuotaExceededError"
        || name == "NS_ERROR_DOM_QUOTA_REACHED"
        || matches!(exception.code(), 22 | 1014)
}

#[cfg(test)]
mod tests {
    use super::*;
    use daily_papers_core::app_state::KeyValueStore;
    use daily_papers_core::settings::Settings;
    use daily_papers_core::storage_format::{read_settings, read_topics, write_settings, write_topics};
    use daily_papers_core::topics::TopicList;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    const TEST_KEY: &str = "daily-papers/test/store";

    fn fresh() -> Store {
        let store = Store::open();
        assert!(store.is_available(), "headless Chromium has localStorage");
        store.remove(TEST_KEY).unwrap();
        store
    }

    #[wasm_bindgen_test]
    fn keywords_and_settings_round_trip() {
        let store = fresh();
        let mut topics = TopicList::examples();
        topics.add("Zürich \"quotes\" & <tags>").unwrap();
        store
            .save(TEST_KEY, "your topics", &write_topics(&topics))
            .unwrap();
        let back = store.load(TEST_KEY, "your topics", read_topics).unwrap();
        assert_eq!(back, Some(topics));

        let mut settings = Settings::default();
        settings
            .set_endpoint("http://127.0.0.1:9/api/query")
            .unwrap();
        settings.set_spacing("0.5").unwrap();
        settings.set_categories("cs, math").unwrap();
        store
            .save(TEST_KEY, "your settings", &write_settings(&settings))
            .unwrap();
        let back = store
            .load(TEST_KEY, "your settings", read_settings)
            .unwrap();
        assert_eq!(back, Some(settings));
        store.remove(TEST_KEY).unwrap();
    }

    #[wasm_bindgen_test]
    fn nothing_saved_is_none() {
        let store = fresh();
        let loaded = store.load(TEST_KEY, "your topics", read_topics).unwrap();
        assert_eq!(loaded, None);
    }

    #[wasm_bindgen_test]
    fn corrupt_json_is_reported_and_left_in_place() {
        let store = fresh();
        let raw = store.storage().unwrap();
        raw.set_item(TEST_KEY, "{not json").unwrap();
        let loaded = store.load(TEST_KEY, "your topics", read_topics);
        match loaded {
            Err(StoreError::Corrupt { what, .. }) => assert_eq!(what, "your topics"),
            other => panic!("{other:?}"),
        }
        assert_eq!(store.raw(TEST_KEY).unwrap().as_deref(), Some("{not json"));
        store.remove(TEST_KEY).unwrap();
    }

    #[wasm_bindgen_test]
    fn valid_json_of_the_wrong_shape_is_corrupt_too() {
        let store = fresh();
        let raw = store.storage().unwrap();
        for text in [r#"{"a":1}"#, r#"["ok", ""]"#, r#"{"topics": []}"#, "42"] {
            raw.set_item(TEST_KEY, text).unwrap();
            let loaded = store.load(TEST_KEY, "your topics", read_topics);
            assert!(
                matches!(loaded, Err(StoreError::Corrupt { .. })),
                "{text}: {loaded:?}"
            );
        }
        raw.set_item(TEST_KEY, r#"{"spacing": "fast"}"#).unwrap();
        let loaded = store.load(TEST_KEY, "your settings", read_settings);
        assert!(
            matches!(loaded, Err(StoreError::Corrupt { .. })),
            "{loaded:?}"
        );
        store.remove(TEST_KEY).unwrap();
    }

    #[wasm_bindgen_test]
    fn a_full_storage_is_reported_and_the_previous_value_kept() {
        let store = fresh();
        let examples = write_topics(&TopicList::examples());
        store.save(TEST_KEY, "your topics", &examples).unwrap();
        // Chromium gives a page about 5 M characters of localStorage; 6 M cannot fit.
        let huge = "x".repeat(6_000_000);
        let result = store.save(TEST_KEY, "the results", &huge);
        assert_eq!(
            result,
            Err(StoreError::Full {
                what: "the results".into()
            })
        );
        let kept = store.load(TEST_KEY, "your topics", read_topics).unwrap();
        assert_eq!(kept, Some(TopicList::examples()));
        assert!(result.unwrap_err().to_string().contains("full"));
        store.remove(TEST_KEY).unwrap();
    }
}
