//! The app's state (topics, settings, results per topic, storage problems) as signals, and
//! the only place that writes them to storage: every edit goes through a method here that
//! updates the signal and saves, so the components never talk to storage themselves.
//! Topics and settings are read from `localStorage` before the first paint; papers come from
//! IndexedDB afterwards, topic by topic, so the page shows at once and fills its sections.
//! Nothing is saved at start-up (except moving version 1's papers and keyword list forward), so
//! a saved value the page could not read stays untouched until the user changes something.
//! Another open tab's saves are picked up (`storage` events), so two tabs never write over each
//! other's topics.
//! What is read, moved, saved, offered for Undo and taken from another tab is decided in the
//! core (`daily_papers_core::app_state`, tested natively over in-memory stores); this module
//! holds the signals and applies those decisions. The start-up's order is in `crate::startup`.
//!
//! Papers are kept under their topic's id ([`results_key`]): a rename keeps them, and an edit
//! of the search keeps them too, shown as from the previous search until the next fetch.

use crate::browser::local_storage::Store;
use crate::browser::papers_db::{OtherTabs, PapersDb, TopicTexts};
use crate::browser::timers::sleep;
use daily_papers_core::app_state::keys::{
    Flag, MARKS_CHANGED_KEY, REFRESH_KEY, REPO_URL_KEY, RESULTS_CHANGED_KEY, SETTINGS_KEY,
    TOPICS_KEY,
};
use daily_papers_core::app_state::migrate::{
    move_keyword_papers_to_topics, move_v1_results, Moved,
};
use daily_papers_core::app_state::saved::{SavedState, REFRESH_WHAT, SETTINGS_WHAT, TOPICS_WHAT};
use daily_papers_core::app_state::saving::{keep_first_screen, mark_unsaved};
use daily_papers_core::app_state::tab_sync::{other_tab_changed, topics_changed, TabChange};
use daily_papers_core::app_state::undo::{forget_offer, offer, removed_by, restore, save_offer};
use daily_papers_core::app_state::{
    problem_key, results_what, PapersStore, StoreError, PAPERS_DB_KEY,
};
use daily_papers_core::arxiv::Paper;
use daily_papers_core::library::history::{SeenHistory, TopicHistory};
use daily_papers_core::library::marks::Marks;
use daily_papers_core::library::refresh::RefreshOnOpen;
use daily_papers_core::library::results::{results_key, KeywordResults};
use daily_papers_core::library::undo::PendingUndo;
use daily_papers_core::settings::{Settings, SettingsError};
use daily_papers_core::storage_format::{
    read_history, read_results, write_history, write_refresh, write_results, write_settings,
    write_topics,
};
use daily_papers_core::topics::list::ListedTopic;
use daily_papers_core::topics::{TopicId, TopicList};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Poll, Waker};
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

/// The papers database as the page holds it: opened once, asked at start-up (it opens while
/// the page lays itself out); `Err` when it cannot be opened (then papers are kept in memory
/// only, and every save says so). Clones share it.
#[derive(Clone)]
pub struct Papers {
    opened: Rc<RefCell<Opening>>,
    /// Told when another tab holds up this tab's upgrade, or upgrades the database itself.
    pub other_tabs: OtherTabs,
}

/// The opening's outcome, once known, and who waits for it meanwhile.
#[derive(Default)]
struct Opening {
    outcome: Option<Result<Rc<PapersDb>, StoreError>>,
    waiting: Vec<Waker>,
}

impl Papers {
    /// Asks the browser to open the database, at once.
    pub fn open() -> Papers {
        let papers = Papers {
            opened: Rc::default(),
            other_tabs: OtherTabs::default(),
        };
        let opening = PapersDb::open(&papers.other_tabs);
        let opened = Rc::clone(&papers.opened);
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = opening.await.map(Rc::new);
            let waiting = {
                let mut opened = opened.borrow_mut();
                opened.outcome = Some(outcome);
                std::mem::take(&mut opened.waiting)
            };
            waiting.into_iter().for_each(Waker::wake);
        });
        papers
    }

    /// The open database, once it is.
    pub fn db(&self) -> impl Future<Output = Result<Rc<PapersDb>, StoreError>> + 'static {
        let opened = Rc::clone(&self.opened);
        std::future::poll_fn(move |cx| {
            let mut opened = opened.borrow_mut();
            match &opened.outcome {
                Some(outcome) => Poll::Ready(outcome.clone()),
                None => {
                    opened.waiting.push(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    }
}

/// The first listed topic's stored texts, read before the page was first laid out, under its
/// results key; taken by the first read of that topic.
pub type FirstPapers = Option<(String, Result<TopicTexts, StoreError>)>;

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
    /// The latest removal, while it can be undone (in this tab or another: there is one offer).
    /// Its topics' papers and history stay in the papers database until the offer ends; in
    /// memory they are in the offer itself, and the results (with their fetch time and error) in
    /// [`AppState::undo_results`] when the removal was made here.
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
    /// The repository's address the issue digest links to (`settings-repo-url`), as kept in
    /// `localStorage`: set there, by a config file or by moving in from another tool.
    pub repo_url: RwSignal<Option<String>>,
    /// The first topic's first papers as kept in `localStorage` (see [`keep_first_screen`]),
    /// under its results key: shown by its section until its papers are read. For display only.
    first_screen: StoredValue<Option<(String, Arc<KeywordResults>)>>,
    papers: StoredValue<Papers, LocalStorage>,
    /// Read by start-up, possibly after the page was first laid out (see `crate::startup`).
    first_papers: StoredValue<Rc<RefCell<FirstPapers>>, LocalStorage>,
}

const MARKS_WHAT: &str = "the read and saved marks";

/// The most stored text of the first topic's papers (about 250 papers) read into the page in the
/// same task as its first view (see `startup`); more come in a task of their own.
const WITH_FIRST_VIEW_CHARS: usize = 500_000;

impl AppState {
    /// The state the page starts with: what the last visit saved (read before the first paint;
    /// what could not be read is reported and replaced by defaults in memory only), the papers
    /// database as it opens, and the first topic's papers if they were read already. Its papers
    /// come with [`AppState::load_papers`].
    pub fn new(
        saved: SavedState,
        papers: Papers,
        first_papers: Rc<RefCell<FirstPapers>>,
    ) -> AppState {
        let mut problems = SmallMap::default();
        for (key, problem) in saved.problems {
            problems.insert(key, problem);
        }
        let state = AppState {
            topics: RwSignal::new(saved.topics),
            settings: RwSignal::new(saved.settings),
            results: RwSignal::new(ResultsMap::default()),
            loading: RwSignal::new(true),
            storage_problems: RwSignal::new(problems),
            history: RwSignal::new(SeenHistory::default()),
            refresh: RwSignal::new(saved.refresh),
            undo: RwSignal::new(saved.undo),
            undo_results: StoredValue::new(Vec::new()),
            first_screen: StoredValue::new(saved.first_screen.map(|(key, r)| (key, Arc::new(r)))),
            marks: RwSignal::new(Marks::default()),
            hide_read: RwSignal::new(saved.hide_read),
            reader_links: RwSignal::new(saved.reader_links),
            opening_marks_read: RwSignal::new(saved.opening_marks_read),
            repo_url: RwSignal::new(Store::open().raw(REPO_URL_KEY).ok().flatten()),
            papers: StoredValue::new_local(papers.clone()),
            first_papers: StoredValue::new_local(first_papers),
        };
        let problems = state.storage_problems;
        papers.other_tabs.listen(move |event| {
            use crate::browser::papers_db::OtherTab;
            let problem = match event {
                OtherTab::HoldsOlderVersion => StoreError::OlderTabOpen,
                OtherTab::OpenedNewerVersion => StoreError::NewerTabOpened,
            };
            problems.update(|p| {
                p.insert(PAPERS_DB_KEY.to_owned(), problem);
            });
        });
        state
    }

    /// The open papers database (see [`Papers::db`]).
    fn db(&self) -> impl Future<Output = Result<Rc<PapersDb>, StoreError>> + 'static {
        self.papers.with_value(Papers::db)
    }

    /// A topic's stored texts: those read before the first view, else read now.
    async fn topic_texts(&self, db: &PapersDb, key: &str, what: &str) -> Result<TopicTexts, StoreError> {
        let early = self
            .first_papers
            .with_value(|first| first.borrow_mut().take_if(|(early, _)| early == key));
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

    /// Moves version 1's papers out of `localStorage` and under their topics' ids, then reads
    /// each listed topic's papers into its section, in the user's order, letting the browser
    /// paint between topics.
    pub async fn load_papers(self) {
        match self.db().await {
            Ok(db) => {
                // Opened: an older tab that held it up has let go.
                self.record(PAPERS_DB_KEY, Ok(()));
                let store = Store::open();
                let moved = move_v1_results(&store, &*db).await;
                self.apply_moved(moved);
                let listed = self.topics.get_untracked();
                let moved = move_keyword_papers_to_topics(&store, &*db, &listed).await;
                self.apply_moved(moved);
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
        self.first_papers.with_value(|first| first.take());
        self.first_screen.set_value(None);
        self.keep_first_screen();
        self.loading.set(false);
    }

    /// Shows what a step of moving version 1's forms forward found.
    fn apply_moved(&self, moved: Moved) {
        for key in moved.saved {
            self.record(&key, Ok(()));
        }
        for (key, problem) in moved.problems {
            self.record(&key, Err(problem));
        }
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
        let opening = self.db();
        spawn_local(async move {
            let saved = match opening.await {
                Ok(db) => db.put_marks(&text, MARKS_WHAT).await,
                Err(_) => Err(StoreError::Failed {
                    what: MARKS_WHAT.to_owned(),
                    detail: "the papers database could not be opened".to_owned(),
                }),
            };
            if saved.is_ok() {
                let _ = Store::open().save(MARKS_CHANGED_KEY, "", &js_sys::Date::now().to_string());
            }
            this.record(MARKS_CHANGED_KEY, saved);
        });
    }

    /// Turns "Hide read" on or off, remembered for the next visit.
    pub fn set_hide_read(&self, hide: bool) {
        self.hide_read.set(hide);
        save_flag(Flag::HideRead, hide);
    }

    /// Turns the HTML and alphaXiv links on or off, remembered for the next visit.
    pub fn set_reader_links(&self, on: bool) {
        self.reader_links.set(on);
        save_flag(Flag::ReaderLinks, on);
    }

    /// Turns "opening a paper marks it read" on or off, remembered for the next visit.
    pub fn set_opening_marks_read(&self, on: bool) {
        self.opening_marks_read.set(on);
        save_flag(Flag::OpeningMarksRead, on);
    }

    /// The signal of an on/off setting.
    fn flag(&self, flag: Flag) -> RwSignal<bool> {
        match flag {
            Flag::HideRead => self.hide_read,
            Flag::ReaderLinks => self.reader_links,
            Flag::OpeningMarksRead => self.opening_marks_read,
        }
    }

    /// [`keep_first_screen`] of the papers in memory now.
    fn keep_first_screen(&self) {
        self.topics.with_untracked(|topics| {
            self.results.with_untracked(|results| {
                keep_first_screen(&Store::open(), topics, |key| results.get(key).cloned())
            })
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
        let loaded = self
            .topic_texts(db, &key, &what)
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
            Err(e) => self.record(&problem_key(&key), Err(e)),
        }
    }

    /// Reads these topics' papers from the database, replacing what memory holds.
    fn reread_papers(&self, ids: Vec<TopicId>) {
        let this = *self;
        let opening = self.db();
        spawn_local(async move {
            if let Ok(db) = opening.await {
                for id in ids {
                    this.read_papers(&db, id, true).await;
                }
            }
        });
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
                        &problem_key(key),
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
                self.record(&problem_key(key), Err(e));
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

    /// Follows another tab of the app: every key of the table in
    /// `daily_papers_core::app_state::keys` that syncs is applied here when that tab saves it,
    /// so an edit here starts from what it saved instead of writing over it.
    pub fn follow_other_tabs(self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let on_storage =
            Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |ev: web_sys::StorageEvent| {
                let Some(key) = ev.key() else {
                    return;
                };
                if let Some(change) = other_tab_changed(&key, ev.new_value().as_deref()) {
                    self.apply_other_tab(change);
                }
            });
        let _ =
            window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
        // Listens for the page's lifetime.
        on_storage.forget();
    }

    /// Applies another tab's saved change to this tab's state (nothing is saved again).
    fn apply_other_tab(&self, change: TabChange) {
        match change {
            TabChange::Topics(list) => {
                let (gone, new) = self.topics.with_untracked(|before| topics_changed(before, &list));
                self.results.update(|map| gone.iter().for_each(|k| map.remove(k)));
                self.history.update(|all| {
                    gone.iter().for_each(|k| {
                        all.remove_topic(k);
                    })
                });
                self.topics.set(list);
                self.record(TOPICS_KEY, Ok(()));
                self.reread_papers(new);
            }
            TabChange::Settings(settings) => {
                self.settings.set(settings);
                self.record(SETTINGS_KEY, Ok(()));
            }
            TabChange::Refresh(setting) => {
                self.refresh.set(setting);
                self.record(REFRESH_KEY, Ok(()));
            }
            TabChange::Undo(offer) => {
                // The other tab's offer replaces this one's, which that tab ended (or it is this
                // one's, used or ended there): nothing is deleted here. Its papers are in the
                // database until it ends.
                self.undo_results.set_value(Vec::new());
                self.undo.set(offer);
            }
            TabChange::Flag(flag, on) => self.flag(flag).set(on),
            TabChange::Marks => {
                let this = *self;
                let opening = self.db();
                spawn_local(async move {
                    if let Ok(db) = opening.await {
                        this.read_marks(&db).await;
                    }
                });
            }
            TabChange::Results(changed) => {
                let id = self.topics.with_untracked(|l| {
                    l.entries()
                        .iter()
                        .find(|e| results_key(e.id) == changed)
                        .map(|e| e.id)
                });
                if let Some(id) = id {
                    self.reread_papers(vec![id]);
                }
            }
        }
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
            let removed = removed_by(&before, &list);
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
    /// storage, so a reload and the other tabs offer it too); the previous offer ends.
    fn offer_undo(&self, removed: Vec<(usize, ListedTopic)>) {
        self.end_undo();
        let mut kept = Vec::new();
        let mut offered = Vec::new();
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
            self.record(&problem_key(&key), Ok(()));
            offered.push((position, entry, results.papers.clone(), history));
            kept.push((key, results));
        }
        let pending = offer(offered, now_ms());
        save_offer(&Store::open(), &pending);
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
        forget_offer(&Store::open());
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
        let opening = self.db();
        spawn_local(async move {
            let store = Store::open();
            if let Ok(db) = opening.await {
                for (key, what) in gone {
                    mark_unsaved(&store, &key, false);
                    let _ = db.delete_results(&key, &what).await;
                }
            }
        });
    }

    /// Undo: puts the removed topics back in their places with their papers and history (from
    /// memory, or after a reload or from another tab's offer, from the database, where they were
    /// kept). Refused with a message when a topic of the same name was added since.
    pub fn undo_removal(&self) -> Result<(), String> {
        let Some(pending) = self.undo.get_untracked() else {
            return Ok(());
        };
        let ids: Vec<TopicId> = pending.removed.iter().map(|r| r.topic.id).collect();
        let (list, rest) = restore(pending, self.topics.get_untracked())?;
        self.undo.set(None);
        forget_offer(&Store::open());
        let kept = self
            .undo_results
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        self.save_topics(list);
        if kept.is_empty() {
            // The papers and history are still in the database.
            self.reread_papers(ids);
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
        let opening = self.db();
        spawn_local(async move {
            let what = results_what(&name);
            let saved = match opening.await {
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
            this.record(&problem_key(&key), saved);
        });
    }
}

/// The wall clock, in milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Saves an on/off setting, for the next visit and the other tabs.
fn save_flag(flag: Flag, on: bool) {
    let _ = Store::open().save(flag.key(), "", Flag::write(on));
}
