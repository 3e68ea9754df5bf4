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

use crate::browser::papers_db::{PapersDb, TopicTexts};
use daily_papers_core::library::history::{SeenHistory, TopicHistory};
use daily_papers_core::library::marks::Marks;
use daily_papers_core::arxiv::Paper;
use daily_papers_core::library::refresh::RefreshOnOpen;
use daily_papers_core::library::undo::{PendingUndo, RemovedTopic, UNDO_WINDOW_MS};
use daily_papers_core::library::results::{keyword_results_key, results_key, KeywordResults};
use daily_papers_core::settings::{Settings, SettingsError};
use crate::browser::local_storage::{
    Store, StoreError, FIRST_SCREEN_PREFIX, KEYWORDS_KEY, PENDING_UNDO_KEY, REFRESH_KEY,
    RESULTS_CHANGED_KEY, RESULTS_PREFIX, SETTINGS_KEY, TOPICS_KEY, UNSAVED_KEY,
};
use daily_papers_core::storage_format::{
    read_history, read_keys, read_pending_undo, read_refresh, read_results, read_settings,
    read_settings_keeping_others, read_topics, read_v1_keywords, write_history, write_keys,
    write_pending_undo, write_refresh, write_results, write_settings, write_topics,
};
use crate::browser::timers::sleep;
use daily_papers_core::topics::list::{ListedTopic, StoredTopicList};
use daily_papers_core::topics::{TopicId, TopicList};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::future::Future;
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
    /// Every listed topic's seen history, by results key: what makes a row "New".
    pub history: RwSignal<SeenHistory>,
    /// "Refresh on open if the last fetch is older than N hours".
    pub refresh: RwSignal<RefreshOnOpen>,
    /// The latest removal, while it can be undone. Its topics' papers and history stay in the
    /// papers database until the offer ends; in memory they are in the offer itself, and the
    /// results (with their fetch time and error) in [`AppState::undo_results`].
    pub undo: RwSignal<Option<PendingUndo<ListedTopic>>>,
    undo_results: StoredValue<Vec<(String, Arc<KeywordResults>)>>,
    /// The reader's read and saved marks, kept in the papers database with the seen history.
    pub marks: RwSignal<Marks>,
    /// "Hide read": read papers are left out of every section.
    pub hide_read: RwSignal<bool>,
    /// Links to arXiv's HTML version and to alphaXiv under each paper (on unless turned off).
    pub reader_links: RwSignal<bool>,
    /// Opening a paper's abstract or one of its links marks it read (off unless turned on).
    pub opening_marks_read: RwSignal<bool>,
    /// The first topic's first papers as kept in `localStorage` (see [`keep_first_screen`]),
    /// under its results key: shown by its section until its papers are read. For display only.
    first_screen: StoredValue<Option<(String, Arc<KeywordResults>)>>,
}

const TOPICS_WHAT: &str = "topics";
const SETTINGS_WHAT: &str = "settings";
const REFRESH_WHAT: &str = "the refresh-on-open setting";
const MARKS_WHAT: &str = "the read and saved marks";
/// Where a save of the marks is told to the other tabs (they read the marks again).
const MARKS_CHANGED_KEY: &str = "daily-papers/v2/marks-changed";
/// "Hide read", `"1"` when on.
const HIDE_READ_KEY: &str = "daily-papers/v2/hide-read";
/// The HTML and alphaXiv links, `"0"` when turned off.
const READER_LINKS_KEY: &str = "daily-papers/v2/reader-links";
/// "Opening a paper marks it read", `"1"` when on.
const OPENING_MARKS_READ_KEY: &str = "daily-papers/v2/opening-marks-read";
/// The key of problems with the papers database as a whole (not one topic's papers).
const PAPERS_DB_KEY: &str = "papers-db";

thread_local! {
    /// The papers database, opened once per page; `Err` when it cannot be opened (then papers
    /// are kept in memory only, and every save says so).
    static PAPERS_DB: RefCell<Option<Result<Rc<PapersDb>, StoreError>>> = const { RefCell::new(None) };
    /// The first listed topic's stored texts, read before the page is first laid out (see
    /// [`read_first_papers`]), under its results key; taken by the first read of that topic.
    static FIRST_PAPERS: RefCell<Option<(String, Result<TopicTexts, StoreError>)>> = const { RefCell::new(None) };
}

/// Reads the first listed topic's saved papers and history from the database, for the page to
/// show them as it first lays itself out (the papers of the other topics follow, as ever, one
/// per task). Returns at once, reading nothing, when no topic list was saved (a first visit:
/// there are no papers to wait for) or version 1's papers are still to be moved. The database
/// stays open for the rest of the page's life.
pub async fn read_first_papers() {
    let store = Store::open();
    // Papers of version 1 still to be moved: moving them (once the page runs) would make what
    // is read here out of date.
    if !store.v1_results().is_empty() || matches!(store.raw(KEYWORDS_KEY), Ok(Some(_))) {
        return;
    }
    let Ok(Some(list)) = load_topics(&store) else {
        return;
    };
    let Some(first) = list.entries().first() else {
        return;
    };
    let key = results_key(first.id);
    // Many papers, their first screen kept apart (see `keep_first_screen`): the page shows those
    // at once and reads the rest afterwards.
    if matches!(store.raw(&first_screen_key(&key)), Ok(Some(_))) {
        return;
    }
    let what = results_what(first.topic.name().as_str());
    let Ok(db) = papers_db().await else {
        return;
    };
    let texts = db.topic(&key, &what).await;
    FIRST_PAPERS.set(Some((key, texts)));
}

/// A topic's stored texts: those [`read_first_papers`] read for it, else read now.
async fn topic_texts(db: &PapersDb, key: &str, what: &str) -> Result<TopicTexts, StoreError> {
    let early = FIRST_PAPERS.with_borrow_mut(|first| first.take_if(|(early, _)| early == key));
    match early {
        Some((_, texts)) => {
            // Many papers would hold the page's first layout up: read them in a task of their own.
            if texts.as_ref().is_ok_and(|t| {
                t.results
                    .as_ref()
                    .is_some_and(|r| r.len() > WITH_FIRST_VIEW_CHARS)
            }) {
                sleep(0).await;
            }
            texts
        }
        None => db.topic(key, what).await,
    }
}

/// The most stored text of the first topic's papers (about 250 papers) read into the page in the
/// same task as its first view (see [`read_first_papers`]); more come in a task of their own.
const WITH_FIRST_VIEW_CHARS: usize = 500_000;

/// A first topic of more papers than this has its first screen of papers kept apart, in
/// `localStorage` (see [`keep_first_screen`]): reading all of them takes longer than the page's
/// first view should wait (about [`WITH_FIRST_VIEW_CHARS`] of stored text).
const FIRST_SCREEN_FROM_PAPERS: usize = 250;

/// Papers in that copy: more rows than a screen shows.
const FIRST_SCREEN_PAPERS: usize = 20;

/// Where the copy of the first screen of topic `key` is kept.
fn first_screen_key(key: &str) -> String {
    format!("{FIRST_SCREEN_PREFIX}{key}")
}

/// Keeps a copy of the first screen of the first listed topic's papers in `localStorage` when it
/// has many (more than [`FIRST_SCREEN_FROM_PAPERS`]), and no other copy: the next page shows
/// those rows with its first view, where reading the whole topic from the database first would
/// hold the page up. A copy for display only, never read back as the topic's papers; one that
/// cannot be written or read is passed over (the page then waits for the database as before).
fn keep_first_screen(topics: &TopicList, results: &ResultsMap) {
    let store = Store::open();
    let kept = topics.entries().first().and_then(|first| {
        let key = results_key(first.id);
        let papers = results.get(&key)?;
        (papers.papers.len() > FIRST_SCREEN_FROM_PAPERS).then_some((key, papers))
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
        let copy = KeywordResults {
            papers: papers
                .papers
                .iter()
                .take(FIRST_SCREEN_PAPERS)
                .cloned()
                .collect(),
            fetched_at: papers.fetched_at.clone(),
            error: None,
            search: papers.search.clone(),
            no_match_at: papers.no_match_at.clone(),
        };
        let _ = store.save(&first_screen_key(&key), "", &write_results(&copy));
    }
}

/// The copy of the first listed topic's first screen of papers, if one is kept (see
/// [`keep_first_screen`]).
fn read_first_screen(store: &Store, topics: &TopicList) -> Option<(String, Arc<KeywordResults>)> {
    let key = results_key(topics.entries().first()?.id);
    let text = store.raw(&first_screen_key(&key)).ok()??;
    let papers = read_results(&text).ok()?;
    Some((key, Arc::new(papers)))
}

/// The open papers database (opening it on first use: asked at once, not when first awaited,
/// so that the page can start the opening before it lays itself out).
fn papers_db() -> impl Future<Output = Result<Rc<PapersDb>, StoreError>> {
    let opening = PAPERS_DB
        .with(|d| d.borrow().clone())
        .ok_or_else(PapersDb::open);
    async move {
        match opening {
            Ok(db) => db,
            Err(opening) => opened(opening).await,
        }
    }
}

/// The papers database once `opening` is done (the first opening kept, should two race).
async fn opened(
    opening: impl Future<Output = Result<PapersDb, StoreError>>,
) -> Result<Rc<PapersDb>, StoreError> {
    let opened = opening.await.map(Rc::new);
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
        // Asked before the page is laid out (`PapersDb::open` asks at once), so the database
        // opens meanwhile.
        let opening = papers_db();
        let state = AppState::load_small();
        // Told before anything can happen: the database's events come in later tasks.
        let problems = state.storage_problems;
        crate::browser::papers_db::listen_to_other_tabs(move |event| {
            use crate::browser::papers_db::OtherTab;
            let problem = match event {
                OtherTab::HoldsOlderVersion => StoreError::OlderTabOpen,
                OtherTab::OpenedNewerVersion => StoreError::NewerTabOpened,
            };
            problems.update(|p| {
                p.insert(PAPERS_DB_KEY.to_owned(), problem);
            });
        });
        spawn_local(state.load_papers_from(opening));
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
        let refresh = match store.load(REFRESH_KEY, REFRESH_WHAT, read_refresh) {
            Ok(Some(setting)) => setting,
            Ok(None) | Err(StoreError::Unavailable) => RefreshOnOpen::default(),
            Err(e) => {
                problems.insert(REFRESH_KEY.to_owned(), e);
                RefreshOnOpen::default()
            }
        };
        // A removal not yet undone when the page was closed: offered again for a whole window.
        let undo = store
            .load(PENDING_UNDO_KEY, "", read_pending_undo)
            .ok()
            .flatten()
            .map(|pending| pending.resumed(now_ms()));
        let first_screen = read_first_screen(&store, &topics);
        let hide_read = matches!(store.raw(HIDE_READ_KEY).ok().flatten().as_deref(), Some("1"));
        let opening_marks_read = matches!(
            store.raw(OPENING_MARKS_READ_KEY).ok().flatten().as_deref(),
            Some("1")
        );
        let reader_links = !matches!(store.raw(READER_LINKS_KEY).ok().flatten().as_deref(), Some("0"));
        AppState {
            topics: RwSignal::new(topics),
            settings: RwSignal::new(settings),
            results: RwSignal::new(ResultsMap::default()),
            loading: RwSignal::new(true),
            storage_problems: RwSignal::new(problems),
            history: RwSignal::new(SeenHistory::default()),
            refresh: RwSignal::new(refresh),
            undo: RwSignal::new(undo),
            undo_results: StoredValue::new(Vec::new()),
            first_screen: StoredValue::new(first_screen),
            marks: RwSignal::new(Marks::default()),
            hide_read: RwSignal::new(hide_read),
            reader_links: RwSignal::new(reader_links),
            opening_marks_read: RwSignal::new(opening_marks_read),
        }
    }

    /// Moves version 1's papers out of `localStorage` and under their topics' ids, then reads
    /// each listed topic's papers into its section, in the user's order, letting the browser
    /// paint between topics.
    pub async fn load_papers(self) {
        self.load_papers_from(papers_db()).await;
    }

    /// [`AppState::load_papers`] from the database `opening` gives.
    async fn load_papers_from(
        self,
        opening: impl Future<Output = Result<Rc<PapersDb>, StoreError>>,
    ) {
        match opening.await {
            Ok(db) => {
                // Opened: an older tab that held it up has let go.
                self.record(PAPERS_DB_KEY, Ok(()));
                self.move_v1_results(&db).await;
                self.move_keyword_papers_to_topics(&db).await;
                let ids: Vec<TopicId> = self
                    .topics
                    .with_untracked(|l| l.entries().iter().map(|e| e.id).collect());
                let mut marks_read = false;
                for id in ids {
                    self.read_papers(&db, id, false).await;
                    // The marks after the first topic's papers, which the page's first view
                    // waits for; the rows built meanwhile take them as they come.
                    if !marks_read {
                        marks_read = true;
                        self.read_marks(&db).await;
                    }
                    sleep(0).await;
                }
                if !marks_read {
                    self.read_marks(&db).await;
                }
            }
            Err(e) => self.record(PAPERS_DB_KEY, Err(e)),
        }
        // Not taken by now (another tab changed the list meanwhile): out of date.
        FIRST_PAPERS.take();
        self.first_screen.set_value(None);
        self.keep_first_screen();
        self.loading.set(false);
    }

    /// Reads the read and saved marks from the database. A record that does not read is
    /// reported and left as stored until the reader marks a paper again.
    async fn read_marks(&self, db: &PapersDb) {
        match db.marks(MARKS_WHAT).await {
            Ok(Some(text)) => match Marks::from_json(&text) {
                Ok(marks) => {
                    self.marks.set(marks);
                    self.record(MARKS_CHANGED_KEY, Ok(()));
                }
                Err(e) => self.record(
                    MARKS_CHANGED_KEY,
                    Err(StoreError::Corrupt {
                        what: MARKS_WHAT.to_owned(),
                        detail: e.0,
                    }),
                ),
            },
            Ok(None) => {}
            Err(e) => self.record(MARKS_CHANGED_KEY, Err(e)),
        }
    }

    /// Marks a paper read or unread, and saves the marks.
    pub fn set_read(&self, paper_id: &str, read: bool) {
        if self
            .marks
            .try_update(|m| m.set_read(paper_id, read))
            .unwrap_or(false)
        {
            self.save_marks();
        }
    }

    /// Saves a paper to the Saved list, or takes it off, and saves the marks.
    pub fn set_saved(&self, paper: &Paper, saved: bool) {
        if self
            .marks
            .try_update(|m| m.set_saved(paper, saved))
            .unwrap_or(false)
        {
            self.save_marks();
        }
    }

    /// Takes in the marks a config file brought (nothing marked here is undone), and saves them.
    pub fn merge_marks(&self, brought: &Marks) {
        if self.marks.try_update(|m| m.merge(brought)).unwrap_or(false) {
            self.save_marks();
        }
    }

    /// Writes the marks to the database and tells the other tabs.
    fn save_marks(&self) {
        let text = self.marks.with_untracked(Marks::to_json);
        let this = *self;
        spawn_local(async move {
            let saved = match papers_db().await {
                Ok(db) => db.put_marks(&text, MARKS_WHAT).await,
                Err(_) => Err(StoreError::Failed {
                    what: MARKS_WHAT.to_owned(),
                    detail: "the papers database could not be opened".to_owned(),
                }),
            };
            if saved.is_ok() {
                let _ = Store::open().save(
                    MARKS_CHANGED_KEY,
                    "",
                    &js_sys::Date::now().to_string(),
                );
            }
            this.record(MARKS_CHANGED_KEY, saved);
        });
    }

    /// Turns "Hide read" on or off, remembered for the next visit.
    pub fn set_hide_read(&self, hide: bool) {
        self.hide_read.set(hide);
        let _ = Store::open().save(HIDE_READ_KEY, "", if hide { "1" } else { "0" });
    }

    /// Turns the HTML and alphaXiv links on or off, remembered for the next visit.
    pub fn set_reader_links(&self, on: bool) {
        self.reader_links.set(on);
        let _ = Store::open().save(READER_LINKS_KEY, "", if on { "1" } else { "0" });
    }

    /// Turns "opening a paper marks it read" on or off, remembered for the next visit.
    pub fn set_opening_marks_read(&self, on: bool) {
        self.opening_marks_read.set(on);
        let _ = Store::open().save(OPENING_MARKS_READ_KEY, "", if on { "1" } else { "0" });
    }

    /// [`keep_first_screen`] of the papers in memory now.
    fn keep_first_screen(&self) {
        self.topics.with_untracked(|topics| {
            self.results
                .with_untracked(|results| keep_first_screen(topics, results))
        });
    }

    /// The first screen of the papers of the topic under `key`, kept from the last visit, while
    /// its papers are being read (see [`keep_first_screen`]): for display only.
    pub fn first_screen_of(&self, key: &str) -> Option<Arc<KeywordResults>> {
        self.first_screen.with_value(|kept| {
            kept.as_ref()
                .filter(|(kept, _)| kept == key)
                .map(|(_, papers)| Arc::clone(papers))
        })
    }

    /// Reads one topic's papers from the database; `replace` also replaces papers already in
    /// memory (another tab saved newer ones), otherwise they win (fetched while loading).
    async fn read_papers(&self, db: &PapersDb, id: TopicId, replace: bool) {
        let Some(name) = self.name_of(id) else {
            return;
        };
        let key = results_key(id);
        let what = results_what(&name);
        let loaded = topic_texts(db, &key, &what)
            .await
            .and_then(|texts| match texts.results {
                None => Ok(None),
                Some(text) => read_results(&text)
                    .map(|r| Some((r, texts.history)))
                    .map_err(|e| StoreError::Corrupt {
                        what: what.clone(),
                        detail: e.to_string(),
                    }),
            });
        match loaded {
            Ok(Some((r, stored_history))) => {
                if self.name_of(id).is_none() {
                    return;
                }
                let history = self.read_history(db, &key, &what, &r, stored_history).await;
                self.history.update(|all| {
                    if replace || all.topic(&key).is_none() {
                        all.remove_topic(&key);
                        all.restore_topic(&key, history);
                    }
                });
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

    /// A topic's seen history from its `stored` text. Results kept from before the history
    /// existed are imported once (remembered, not marked new, dated by their fetch) and saved,
    /// so the first fetch after the upgrade marks only papers that are really new.
    async fn read_history(
        &self,
        db: &PapersDb,
        key: &str,
        what: &str,
        results: &KeywordResults,
        stored: Result<Option<String>, StoreError>,
    ) -> TopicHistory {
        match stored {
            Ok(Some(text)) => match read_history(&text) {
                Ok(history) => return history,
                Err(e) => {
                    // Left as it is until the next fetch of this topic writes a new one.
                    self.record(
                        &storage_key(key),
                        Err(StoreError::Corrupt {
                            what: format!("the history of {what}"),
                            detail: e.to_string(),
                        }),
                    );
                    return TopicHistory::default();
                }
            },
            Ok(None) => {}
            Err(e) => {
                self.record(&storage_key(key), Err(e));
                return TopicHistory::default();
            }
        }
        let mut history = TopicHistory::default();
        if let Some(at) = &results.fetched_at {
            history.import(results.papers.iter().map(|p| p.id.as_str()), at.date);
            let _ = db.put_history(key, &write_history(&history), what).await;
        }
        history
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
            if matches!(db.topic(&key, "").await.map(|t| t.results), Ok(Some(_))) {
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
            let Ok(Some(text)) = db.topic(&old, what).await.map(|t| t.results) else {
                continue;
            };
            if matches!(db.topic(&new, what).await.map(|t| t.results), Ok(None)) {
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
                        let gone: Vec<String> = before
                            .entries()
                            .iter()
                            .filter(|e| list.get(e.id).is_none())
                            .map(|e| results_key(e.id))
                            .collect();
                        self.results
                            .update(|map| gone.iter().for_each(|k| map.remove(k)));
                        self.history.update(|all| {
                            gone.iter().for_each(|k| {
                                all.remove_topic(k);
                            })
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
                } else if key == MARKS_CHANGED_KEY {
                    spawn_local(async move {
                        if let Ok(db) = papers_db().await {
                            self.read_marks(&db).await;
                        }
                    });
                } else if key == HIDE_READ_KEY {
                    self.hide_read.set(ev.new_value().as_deref() == Some("1"));
                } else if key == READER_LINKS_KEY {
                    self.reader_links.set(ev.new_value().as_deref() != Some("0"));
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
    /// Papers stay with their topic's id through renames and edits; removed topics (with their
    /// papers and history) become the Undo offer, replacing an earlier offer, whose topics are
    /// then dropped for good.
    pub fn edit_topics<T, E>(
        &self,
        edit: impl FnOnce(&mut TopicList) -> Result<T, E>,
    ) -> Result<T, E> {
        let before = self.topics.get_untracked();
        let mut list = before.clone();
        let outcome = edit(&mut list)?;
        if list != before {
            let removed: Vec<(usize, ListedTopic)> = before
                .entries()
                .iter()
                .enumerate()
                .filter(|(_, e)| list.get(e.id).is_none())
                .map(|(at, e)| (at, e.clone()))
                .collect();
            if !removed.is_empty() {
                self.offer_undo(removed);
            }
            self.save_topics(list);
        }
        Ok(outcome)
    }

    fn save_topics(&self, list: TopicList) {
        self.topics.set(list.clone());
        self.record(
            TOPICS_KEY,
            Store::open().save(TOPICS_KEY, TOPICS_WHAT, &write_topics(&list)),
        );
    }

    /// Takes removed topics' papers and history off the page into a new Undo offer (kept in
    /// storage, so a reload offers it again); the previous offer ends.
    fn offer_undo(&self, removed: Vec<(usize, ListedTopic)>) {
        self.end_undo();
        let mut kept = Vec::new();
        let mut offer = Vec::new();
        for (position, entry) in removed {
            let key = results_key(entry.id);
            let results = self
                .results
                .try_update(|map| {
                    let r = map.get(&key).cloned();
                    map.remove(&key);
                    r
                })
                .flatten()
                .unwrap_or_default();
            let history = self
                .history
                .try_update(|all| all.remove_topic(&key))
                .flatten()
                .unwrap_or_default();
            self.record(&storage_key(&key), Ok(()));
            offer.push(RemovedTopic {
                position,
                topic: entry,
                papers: results.papers.clone(),
                history,
            });
            kept.push((key, results));
        }
        // Already in list order, so the offer is built as is (`PendingUndo::new` would sort it,
        // which costs the download a sort of its own).
        let pending = PendingUndo {
            removed: offer,
            shown_until_ms: now_ms().saturating_add(UNDO_WINDOW_MS),
        };
        let _ = Store::open().save(PENDING_UNDO_KEY, "", &write_pending_undo(&pending));
        self.undo_results.set_value(kept);
        self.undo.set(Some(pending));
    }

    /// Ends the Undo offer (its time is up, or another removal replaced it): the removed topics'
    /// papers and history are deleted from the database.
    pub fn end_undo(&self) {
        let Some(pending) = self.undo.try_update(Option::take).flatten() else {
            return;
        };
        self.undo_results.set_value(Vec::new());
        let _ = Store::open().remove(PENDING_UNDO_KEY);
        let gone: Vec<(String, String)> = pending
            .removed
            .iter()
            .map(|r| {
                (
                    results_key(r.topic.id),
                    results_what(r.topic.topic.name().as_str()),
                )
            })
            .collect();
        spawn_local(async move {
            let store = Store::open();
            if let Ok(db) = papers_db().await {
                for (key, what) in gone {
                    mark_unsaved(&store, &key, false);
                    let _ = db.delete_results(&key, &what).await;
                }
            }
        });
    }

    /// Undo: puts the removed topics back in their places with their papers and history (from
    /// memory, or after a reload from the database, where they were kept). Refused with a
    /// message when a topic of the same name was added since.
    pub fn undo_removal(&self) -> Result<(), String> {
        let Some(pending) = self.undo.get_untracked() else {
            return Ok(());
        };
        let mut stored = StoredTopicList::from(self.topics.get_untracked());
        let ids: Vec<TopicId> = pending.removed.iter().map(|r| r.topic.id).collect();
        let rest = pending.restore_into(&mut stored.topics);
        let list = TopicList::try_from(stored)
            .map_err(|e| format!("Could not undo: {e}. Remove or rename it, then Undo."))?;
        self.undo.set(None);
        let _ = Store::open().remove(PENDING_UNDO_KEY);
        let kept = self
            .undo_results
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        self.save_topics(list);
        if kept.is_empty() {
            // After a reload: the papers and history are still in the database.
            let this = *self;
            spawn_local(async move {
                if let Ok(db) = papers_db().await {
                    for id in ids {
                        this.read_papers(&db, id, true).await;
                    }
                }
            });
            return Ok(());
        }
        for ((key, results), (_, history)) in kept.into_iter().zip(rest) {
            self.history.update(|all| all.restore_topic(&key, history));
            self.results.update(|map| map.insert(key, results));
        }
        Ok(())
    }

    /// Saves the refresh-on-open setting.
    pub fn set_refresh(&self, setting: RefreshOnOpen) {
        if setting != self.refresh.get_untracked() {
            self.refresh.set(setting);
            self.record(
                REFRESH_KEY,
                Store::open().save(REFRESH_KEY, REFRESH_WHAT, &write_refresh(&setting)),
            );
        }
    }

    /// When the latest successful fetch of any listed topic happened (ms since the epoch).
    pub fn last_fetch_ms(&self) -> Option<u64> {
        self.results.with_untracked(|map| {
            map.values()
                .filter_map(|r| r.fetched_at.as_ref().map(|at| at.unix_ms))
                .max()
        })
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

    /// Records a successful fetch: the topic's history classifies its papers (new, updated,
    /// seen) and the results and history are shown at once and saved together. Returns how many
    /// papers were new and how many updated.
    pub fn record_success(&self, id: TopicId, results: KeywordResults) -> (usize, usize) {
        let key = results_key(id);
        let Some(today) = results.fetched_at.as_ref().map(|at| at.date) else {
            self.set_results(id, results);
            return (0, 0);
        };
        // Written while borrowed: cloning a history would bring B-tree cloning into the download.
        let (counts, history) = self
            .history
            .try_update(|all| {
                all.apply_fetch(&key, &results.papers, today);
                all.topic(&key)
                    .map(|h| (h.latest_counts(), write_history(h)))
            })
            .flatten()
            .unwrap_or_default();
        self.save_results(id, results, Some(history).filter(|h| !h.is_empty()));
        counts
    }

    /// Takes the papers of an imported README as a topic's table and its seen history (seen on
    /// `day`, the README's date), so the first fetch marks only papers the README lacked as new.
    pub fn record_import(&self, id: TopicId, results: KeywordResults, day: daily_papers_core::date::Date) {
        let key = results_key(id);
        let history = self
            .history
            .try_update(|all| {
                all.import(&key, results.papers.iter().map(|p| p.id.as_str()), day);
                all.topic(&key).map(write_history)
            })
            .flatten();
        self.save_results(id, results, history);
    }

    /// Replaces a topic's results on screen at once (its history unchanged: a failure).
    pub fn set_results(&self, id: TopicId, results: KeywordResults) {
        self.save_results(id, results, None);
    }

    /// Shows a topic's results at once, and saves them (with its history, when given) as soon
    /// as the database takes them. A failed save is shown now and remembered, so a reload says
    /// which topic's papers are missing.
    fn save_results(&self, id: TopicId, results: KeywordResults, history: Option<String>) {
        let Some(name) = self.name_of(id) else {
            return;
        };
        let key = results_key(id);
        let text = write_results(&results);
        self.results.update(|map| {
            map.insert(key.clone(), Arc::new(results));
        });
        if self
            .topics
            .with_untracked(|l| l.entries().first().map(|e| e.id))
            == Some(id)
        {
            self.keep_first_screen();
        }
        let this = *self;
        spawn_local(async move {
            let what = results_what(&name);
            let saved = match papers_db().await {
                Ok(db) => db.put_topic(&key, &text, history.as_deref(), &what).await,
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
}

/// The wall clock, in milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
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
