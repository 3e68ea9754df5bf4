//! What the app's state reads and writes, as two traits: [`KeyValueStore`] (the browser's
//! `localStorage`: small values, read synchronously before the first paint) and [`PapersStore`]
//! (the papers database, IndexedDB in the browser: one record per topic, read asynchronously).
//! The browser app implements them in `src/browser/`; [`MemoryStore`] and [`MemoryPapers`]
//! implement them in memory, for native tests of every decision about what is stored.
//! Every failure is a [`StoreError`] for the page to show; none is fatal.

use super::keys::RESULTS_PREFIX;
use crate::storage_format::FormError;
use std::cell::RefCell;
use std::fmt;

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

/// The small values the app keeps (topics, settings, the Undo offer, on/off settings): text
/// under a key, read and written synchronously.
pub trait KeyValueStore {
    /// False when the browser gives no storage at all (then every call reports
    /// [`StoreError::Unavailable`]).
    fn is_available(&self) -> bool;

    /// The raw text saved under `key`, if any.
    fn raw(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Saves `text` under `key`; `what` names it in the error for the user.
    fn save(&self, key: &str, what: &str, text: &str) -> Result<(), StoreError>;

    fn remove(&self, key: &str) -> Result<(), StoreError>;

    /// Every key saved that starts with `prefix`.
    fn keys_starting(&self, prefix: &str) -> Vec<String>;

    /// Loads `key` and reads it with `read` (one of [`crate::storage_format`]'s readers);
    /// `Ok(None)` when nothing was saved.
    fn load<T>(
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

    /// Every version 1 results entry: (results key, stored text).
    fn v1_results(&self) -> Vec<(String, String)> {
        self.keys_starting(RESULTS_PREFIX)
            .into_iter()
            .filter_map(|key| {
                let text = self.raw(&key).ok().flatten()?;
                Some((key.strip_prefix(RESULTS_PREFIX)?.to_owned(), text))
            })
            .collect()
    }
}

/// One topic's stored texts, as [`PapersStore::topic`] reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicTexts {
    pub results: Option<String>,
    pub history: Result<Option<String>, StoreError>,
}

/// The papers kept per topic, under its results key: the results' JSON text and the seen
/// history's, written together.
// The app is single-threaded (the browser's main thread): its futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait PapersStore {
    /// The stored texts of one topic's results and of its seen history.
    async fn topic(&self, key: &str, what: &str) -> Result<TopicTexts, StoreError>;

    /// Saves several topics' results at once: all of them or none.
    async fn put_results(&self, entries: &[(String, String)], what: &str) -> Result<(), StoreError>;

    /// Saves one topic's seen history.
    async fn put_history(&self, key: &str, history: &str, what: &str) -> Result<(), StoreError>;

    /// Deletes one topic's results and history.
    async fn delete_results(&self, key: &str, what: &str) -> Result<(), StoreError>;
}

/// A [`KeyValueStore`] in memory, for tests: entries in the order first saved, like a browser's.
#[derive(Debug, Default)]
pub struct MemoryStore {
    pub entries: RefCell<Vec<(String, String)>>,
    /// Saves longer than this many characters fail as [`StoreError::Full`].
    pub room: Option<usize>,
    /// No storage at all, as in some private modes.
    pub unavailable: bool,
}

impl MemoryStore {
    /// A store holding `entries`.
    pub fn with(entries: &[(&str, &str)]) -> MemoryStore {
        let store = MemoryStore::default();
        for (key, text) in entries {
            store.entries.borrow_mut().push(((*key).to_owned(), (*text).to_owned()));
        }
        store
    }

    /// Every key held, in order.
    pub fn keys(&self) -> Vec<String> {
        self.entries.borrow().iter().map(|(k, _)| k.clone()).collect()
    }
}

impl KeyValueStore for MemoryStore {
    fn is_available(&self) -> bool {
        !self.unavailable
    }

    fn raw(&self, key: &str) -> Result<Option<String>, StoreError> {
        if self.unavailable {
            return Err(StoreError::Unavailable);
        }
        Ok(self.entries.borrow().iter().find(|(k, _)| k == key).map(|(_, t)| t.clone()))
    }

    fn save(&self, key: &str, what: &str, text: &str) -> Result<(), StoreError> {
        if self.unavailable {
            return Err(StoreError::Unavailable);
        }
        if self.room.is_some_and(|room| text.chars().count() > room) {
            return Err(StoreError::Full { what: what.to_owned() });
        }
        let mut entries = self.entries.borrow_mut();
        match entries.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = text.to_owned(),
            None => entries.push((key.to_owned(), text.to_owned())),
        }
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        if self.unavailable {
            return Err(StoreError::Unavailable);
        }
        self.entries.borrow_mut().retain(|(k, _)| k != key);
        Ok(())
    }

    fn keys_starting(&self, prefix: &str) -> Vec<String> {
        self.keys().into_iter().filter(|k| k.starts_with(prefix)).collect()
    }
}

/// A [`PapersStore`] in memory, for tests: results and histories by results key.
#[derive(Debug, Default)]
pub struct MemoryPapers {
    pub results: RefCell<Vec<(String, String)>>,
    pub histories: RefCell<Vec<(String, String)>>,
    /// Every write fails, as a database that could not be opened or is full.
    pub failing: bool,
}

impl MemoryPapers {
    pub fn results_of(&self, key: &str) -> Option<String> {
        find(&self.results.borrow(), key)
    }

    pub fn history_of(&self, key: &str) -> Option<String> {
        find(&self.histories.borrow(), key)
    }

    fn refuse(&self, what: &str) -> Result<(), StoreError> {
        if self.failing {
            return Err(StoreError::Failed {
                what: what.to_owned(),
                detail: "the test database refuses writes".to_owned(),
            });
        }
        Ok(())
    }
}

fn find(entries: &[(String, String)], key: &str) -> Option<String> {
    entries.iter().find(|(k, _)| k == key).map(|(_, t)| t.clone())
}

fn put(entries: &RefCell<Vec<(String, String)>>, key: &str, text: &str) {
    let mut entries = entries.borrow_mut();
    entries.retain(|(k, _)| k != key);
    entries.push((key.to_owned(), text.to_owned()));
}

impl PapersStore for MemoryPapers {
    async fn topic(&self, key: &str, _what: &str) -> Result<TopicTexts, StoreError> {
        Ok(TopicTexts {
            results: self.results_of(key),
            history: Ok(self.history_of(key)),
        })
    }

    async fn put_results(&self, entries: &[(String, String)], what: &str) -> Result<(), StoreError> {
        self.refuse(what)?;
        for (key, text) in entries {
            put(&self.results, key, text);
        }
        Ok(())
    }

    async fn put_history(&self, key: &str, history: &str, what: &str) -> Result<(), StoreError> {
        self.refuse(what)?;
        put(&self.histories, key, history);
        Ok(())
    }

    async fn delete_results(&self, key: &str, what: &str) -> Result<(), StoreError> {
        self.refuse(what)?;
        self.results.borrow_mut().retain(|(k, _)| k != key);
        self.histories.borrow_mut().retain(|(k, _)| k != key);
        Ok(())
    }
}

/// Runs a future of the in-memory stores to its end (they never wait), for native tests.
#[cfg(test)]
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut context) {
            return out;
        }
    }
}
