//! Saves and loads the app's small data (topics, settings) in the browser's `localStorage`, as
//! JSON under versioned keys (`daily-papers/v2/topics`, `daily-papers/v1/settings`), so a later
//! version can change the shape without misreading old data. Papers live in IndexedDB ([`crate::browser::papers_db`]); version
//! 1 kept them here, under [`RESULTS_PREFIX`], and [`Store::v1_results`] finds them to move.
//! The JSON itself is written and read by [`daily_papers_core::storage_format`].
//! Every failure is a [`StoreError`] for the page to show; none is fatal: the app keeps working
//! with what it holds in memory. A value that cannot be read is left in place (never overwritten
//! by defaults) until the user saves something new.

use crate::browser::js_error::js_message;
use daily_papers_core::storage_format::FormError;
use std::fmt;
use wasm_bindgen::{JsCast, JsValue};

/// The topic list (version 2 on).
pub const TOPICS_KEY: &str = "daily-papers/v2/topics";
/// Version 1's keyword list: read when there is no topic list yet, removed once its papers are
/// kept under their topics' ids.
pub const KEYWORDS_KEY: &str = "daily-papers/v1/keywords";
pub const SETTINGS_KEY: &str = "daily-papers/v1/settings";
/// Version 1 kept each keyword's results here, followed by the keyword in lower case. Read once,
/// to move them to IndexedDB.
pub const RESULTS_PREFIX: &str = "daily-papers/v1/results/";
/// The results keys of the topics whose latest papers could not be saved (a JSON list), so a
/// reload can say which papers are missing.
pub const UNSAVED_KEY: &str = "daily-papers/v2/unsaved-results";
/// The setting "Refresh on open if the last fetch is older than N hours":
/// `{"enabled":true,"afterHours":12}`.
pub const REFRESH_KEY: &str = "daily-papers/v2/refresh-on-open";
/// A removal that can still be undone (the topics and their places; their papers and history
/// stay in the papers database until the offer ends), so a reload does not lose it.
pub const PENDING_UNDO_KEY: &str = "daily-papers/v2/pending-undo";
/// Written after each save of papers (the results key and a time), so other open tabs reread them.
pub const RESULTS_CHANGED_KEY: &str = "daily-papers/v2/results-changed";
/// A copy of the first listed topic's first papers, followed by its results key (see
/// `state::keep_first_screen`).
pub const FIRST_SCREEN_PREFIX: &str = "daily-papers/v2/first-screen/";

/// Why something could not be saved or loaded; `what` names it for the user ("your keywords").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// `localStorage` is missing or disabled (some private modes, blocked site data).
    Unavailable,
    /// The browser's quota for this page is used up.
    Full { what: String },
    /// The saved value is not valid JSON of the expected shape.
    Corrupt { what: String, detail: String },
    /// Anything else the browser reported.
    Failed { what: String, detail: String },
    /// Papers fetched before the last reload that could not be saved then.
    NotSaved { what: String },
    /// One field of the saved value is refused (a setting that became invalid); the rest is
    /// used.
    PartlyRead { what: String, detail: String },
    /// Another tab holds the papers database at an older version, so this newer page cannot
    /// upgrade it yet: it opens as soon as that tab closes or reloads.
    OlderTabOpen,
    /// A newer version of the page opened in another tab upgraded the papers database: this
    /// tab let go of it and must be reloaded to save again.
    NewerTabOpened,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable => write!(
                f,
                "This browser does not let the page save data (storage is disabled or blocked). \
                 Everything works, but keywords, settings and results are lost when the page closes."
            ),
            StoreError::Full { what } => write!(
                f,
                "The browser's storage for this page is full, so {what} could not be saved. \
                 Everything still works on this page; remove keywords you no longer need or lower \
                 Max results to make room."
            ),
            StoreError::Corrupt { what, detail } => write!(
                f,
                "The saved {what} could not be read ({detail}), so defaults are shown. The saved \
                 copy is left untouched until you change something."
            ),
            StoreError::Failed { what, detail } => write!(
                f,
                "Could not save or load {what}: {detail}. Everything still works on this page, \
                 but what is not saved is lost when the page closes."
            ),
            StoreError::NotSaved { what } => write!(
                f,
                "The latest {what} could not be saved before the page was closed, so they are \
                 missing. Fetch again to get them back."
            ),
            StoreError::PartlyRead { what, detail } => write!(
                f,
                "Part of the saved {what} could not be read ({detail}), so its default is used; \
                 the rest is kept. The saved copy is left untouched until you change something."
            ),
            StoreError::OlderTabOpen => write!(
                f,
                "Another Daily Papers tab is open with an older version of the page: close or \
                 reload it, and your saved papers load here at once."
            ),
            StoreError::NewerTabOpened => write!(
                f,
                "A newer version of Daily Papers was opened in another tab: reload this page. \
                 Until then, what you change here is not saved."
            ),
        }
    }
}

impl std::error::Error for StoreError {}

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

    /// Loads `key` and reads it with `read` (one of [`daily_papers_core::storage_format`]'s readers);
    /// `Ok(None)` when nothing was saved.
    pub fn load<T>(
        &self,
        key: &str,
        what: &str,
        read: fn(&str) -> Result<T, FormError>,
    ) -> Result<Option<T>, StoreError> {
        let Some(text) = self.raw(key)? else {
            return Ok(None);
        };
        read(&text).map(Some).map_err(|e| StoreError::Corrupt {
            what: what.to_owned(),
            detail: e.to_string(),
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

    /// Every version 1 results entry: (results key, stored text).
    pub fn v1_results(&self) -> Vec<(String, String)> {
        self.keys_starting(RESULTS_PREFIX)
            .into_iter()
            .filter_map(|key| {
                let text = self.raw(&key).ok().flatten()?;
                Some((key.strip_prefix(RESULTS_PREFIX)?.to_owned(), text))
            })
            .collect()
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
