//! The one fetch loop: a single task that asks the endpoint for each queued topic, one request
//! at a time, waiting as the spacing rule says, and hands each answer to the fetch policy. Every
//! button only edits the queue, so whatever the user clicks, requests are never concurrent.
//! A topic is queued by id and read when its turn comes, so an edit made meanwhile is what is
//! searched.

use daily_papers_core::arxiv::topic_query::topic_query_url;
use crate::browser::locks::{try_lock, HeldLock, FETCH_LOCK};
use daily_papers_core::fetch::outcome::{for_topic, results_after, Clock};
use daily_papers_core::fetch::policy::{CacheStatus, Pacer};
use daily_papers_core::fetch::run::{self, Answer, TopicFetch, Transport};
use daily_papers_core::fetch::source::MirrorAnswers;
use daily_papers_core::topics::keyword::Keyword;
use daily_papers_core::library::run::{RunSummary, TopicOutcome};
use crate::browser::network;
use crate::state::AppState;
use crate::browser::timers::sleep;
use daily_papers_core::topics::{Topic, TopicId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// What a run says while the browser is offline.
const OFFLINE_NOTE: &str = "offline: waiting for the network";

/// What the progress bar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub running: bool,
    /// Topics finished in this run.
    pub done: usize,
    /// Topics in this run (finished, in flight and queued).
    pub total: usize,
    /// The topic being fetched, and its name.
    pub current: Option<(TopicId, Keyword)>,
    /// A wait the user should know about ("arXiv is busy, trying again in 6 s").
    pub note: Option<String>,
    pub cancelled: bool,
    /// Another tab of the app is fetching: this run waits for it (one tab fetches at a time).
    pub other_tab: bool,
    /// What happened to each topic of the run, in the order fetched (queued ones not fetched).
    pub outcomes: Vec<(TopicId, TopicOutcome)>,
    /// The topics of the run the server answered from its mirror, and how current it was.
    pub mirror: MirrorAnswers,
}

impl Progress {
    /// "2 of 5: Video Understanding", or how the last run ended.
    pub fn text(&self) -> String {
        if self.running && self.other_tab {
            return "Fetching in another tab: this tab starts when it is done.".to_owned();
        }
        match (&self.current, self.running) {
            (Some((_, keyword)), true) => {
                let mut text = format!("{} of {}: {keyword}", self.done + 1, self.total);
                if let Some(note) = &self.note {
                    text.push_str(" \u{2014} ");
                    text.push_str(note);
                }
                text
            }
            (None, true) => format!("{} of {}", self.done, self.total),
            _ if self.total > 0 || self.cancelled => format!("{}.", self.summary().text()),
            _ => String::new(),
        }
    }

    /// The run's honest count: fetched, with no match, failed, not fetched, new papers.
    pub fn summary(&self) -> RunSummary {
        RunSummary::new(self.outcomes.iter().map(|(_, o)| *o), self.cancelled)
    }

    /// The first topic of the run that failed.
    pub fn first_failure(&self) -> Option<TopicId> {
        let at = self.summary().first_failure?;
        self.outcomes.get(at).map(|(id, _)| *id)
    }

    fn set_outcome(&mut self, id: TopicId, outcome: TopicOutcome) {
        if let Some(entry) = self
            .outcomes
            .iter_mut()
            .rev()
            .find(|(i, o)| *i == id && *o == TopicOutcome::NotFetched)
        {
            entry.1 = outcome;
        }
    }
}

/// The loop's queue and clock, shared by the buttons and the task.
#[derive(Default)]
struct Queue {
    waiting: Vec<TopicId>,
    cancel: bool,
    pacer: Pacer,
}

/// Handle to the fetch loop, provided as context.
#[derive(Clone, Copy)]
pub struct Fetcher {
    state: AppState,
    queue: StoredValue<Queue>,
    pub progress: RwSignal<Progress>,
}

impl Fetcher {
    pub fn new(state: AppState) -> Fetcher {
        Fetcher {
            state,
            queue: StoredValue::new(Queue::default()),
            progress: RwSignal::new(Progress::default()),
        }
    }

    pub fn is_running(&self) -> bool {
        self.progress.with_untracked(|p| p.running)
    }

    /// Queues every topic in the user's order; ignored while a run is going on.
    pub fn fetch_all(&self) {
        if self.is_running() {
            return;
        }
        let ids: Vec<TopicId> = self
            .state
            .topics
            .with_untracked(|l| l.entries().iter().map(|e| e.id).collect());
        if ids.is_empty() {
            return;
        }
        self.start(ids);
    }

    /// Queues one topic: at once when idle, after the current run otherwise.
    pub fn retry(&self, id: TopicId) {
        if !self.is_running() {
            self.start(vec![id]);
            return;
        }
        if self.is_cancelled() {
            // The run is stopping; a queued topic would be dropped with it.
            return;
        }
        let queued = self.queue.try_update_value(|q| {
            let already = q.waiting.contains(&id);
            if !already {
                q.waiting.push(id);
            }
            !already
        });
        if queued == Some(true) {
            self.progress.update(|p| {
                p.total += 1;
                p.outcomes.push((id, TopicOutcome::NotFetched));
            });
        }
    }

    /// Stops after the request in flight (whose answer is still shown).
    pub fn cancel(&self) {
        if self.is_running() {
            self.queue.update_value(|q| {
                q.waiting.clear();
                q.cancel = true;
            });
        }
    }

    /// The topic as listed now; `None` once removed.
    fn listed(&self, id: TopicId) -> Option<Topic> {
        self.state
            .topics
            .with_untracked(|list| list.get(id).cloned())
    }

    pub fn is_cancelled(&self) -> bool {
        self.queue.with_value(|q| q.cancel)
    }

    fn start(&self, ids: Vec<TopicId>) {
        let total = ids.len();
        let outcomes = ids
            .iter()
            .map(|id| (*id, TopicOutcome::NotFetched))
            .collect();
        self.queue.update_value(|q| {
            q.waiting = ids;
            q.cancel = false;
        });
        self.progress.set(Progress {
            running: true,
            total,
            outcomes,
            ..Progress::default()
        });
        let this = *self;
        spawn_local(async move { this.run().await });
    }

    async fn run(self) {
        let Some(_lock) = self.wait_for_other_tabs().await else {
            self.progress.update(|p| {
                p.running = false;
                p.other_tab = false;
                p.cancelled = true;
            });
            return;
        };
        while let Some(id) = self
            .queue
            .try_update_value(|q| (!q.waiting.is_empty()).then(|| q.waiting.remove(0)))
            .flatten()
        {
            let Some(topic) = self.listed(id) else {
                // Removed while queued.
                self.progress.update(|p| {
                    p.total = p.total.saturating_sub(1);
                    if let Some(at) = p.outcomes.iter().rposition(|(i, _)| *i == id) {
                        p.outcomes.remove(at);
                    }
                });
                continue;
            };
            self.progress.update(|p| {
                p.current = Some((id, topic.name().clone()));
                p.note = None;
            });
            if !self.wait_for_network().await {
                break;
            }
            let outcome = self.fetch_topic(id).await;
            self.progress.update(|p| {
                p.set_outcome(id, outcome);
                p.done += 1;
                p.current = None;
                p.note = None;
            });
            // Let the browser paint the new table before the next keyword.
            sleep(0).await;
            if self.is_cancelled() {
                break;
            }
        }
        let cancelled = self.is_cancelled();
        self.progress.update(|p| {
            p.running = false;
            p.current = None;
            p.note = None;
            p.cancelled = cancelled;
        });
    }

    /// Takes the fetch lock, waiting (and saying so) while another tab holds it; `None` if
    /// cancelled meanwhile.
    async fn wait_for_other_tabs(&self) -> Option<HeldLock> {
        loop {
            if let Some(lock) = try_lock(FETCH_LOCK).await {
                self.progress.update(|p| p.other_tab = false);
                return Some(lock);
            }
            self.progress.update(|p| p.other_tab = true);
            if !self.sleep(Duration::from_millis(250)).await {
                return None;
            }
        }
    }

    /// Waits while the browser is offline, saying so, rather than fail every topic of the run
    /// one after the other; false if cancelled meanwhile.
    async fn wait_for_network(&self) -> bool {
        while !is_online() {
            self.progress
                .update(|p| p.note = Some(OFFLINE_NOTE.to_owned()));
            if !self.sleep(Duration::from_millis(250)).await {
                return false;
            }
        }
        self.progress.update(|p| p.note = None);
        true
    }

    /// Fetches one topic until the policy keeps its papers or gives up (the loop the command-line
    /// tool runs too, [`run::fetch_topic`]), and records the result.
    async fn fetch_topic(&self, id: TopicId) -> TopicOutcome {
        let Some(topic) = self.listed(id) else {
            return TopicOutcome::NotFetched;
        };
        let settings = self.state.settings.get_untracked();
        let url = match topic_query_url(
            settings.endpoint.as_str(),
            &topic,
            &settings.query_options(),
        ) {
            Ok(url) => url,
            Err(too_long) => {
                // Topic::new refuses a topic whose search is too long, so a listed topic never
                // gets here; should one, it is not sent.
                leptos::logging::warn!("{topic} not fetched: {too_long}");
                return TopicOutcome::Failed;
            }
        };
        let mut pacer = self.queue.with_value(|q| q.pacer);
        let mut browser = Browser {
            fetcher: *self,
            id,
            mirror: None,
        };
        let fetched = run::fetch_topic(
            &mut browser,
            &mut pacer,
            &url,
            &settings,
            |because, wait| {
                let note = because.retry_note(wait);
                self.progress.update(|p| p.note = Some(note));
            },
        )
        .await;
        self.queue.update_value(|q| q.pacer = pacer);
        if let Some(harvested_at) = browser.mirror {
            self.progress
                .update(|p| p.mirror.answered(harvested_at.as_deref()));
        }
        if self.listed(id).is_none() {
            // Removed while its request was in flight: nothing to show or keep.
            return TopicOutcome::NotFetched;
        }
        let Some(clock) = clock_now() else {
            return TopicOutcome::Failed;
        };
        // The core's rule, as the command-line tool keeps it: what the topic holds now.
        let fetched = for_topic(fetched, &topic, &settings.categories);
        let previous = self.state.results_of(id);
        // New papers, or a first "no match", are a fetch the seen history records (it marks the
        // "New" rows); a "no match" that keeps the previous papers, or a failure, is not.
        let (records_fetch, ended) = match &fetched {
            TopicFetch::Papers { .. } => (true, None),
            TopicFetch::NoMatch { .. } => (previous.papers.is_empty(), Some(TopicOutcome::NoMatch)),
            TopicFetch::Failed(_) => (false, Some(TopicOutcome::Failed)),
            TopicFetch::Cancelled => return TopicOutcome::NotFetched,
        };
        let Some(after) = results_after(Some(&previous), fetched, &topic, &clock) else {
            return TopicOutcome::NotFetched;
        };
        if records_fetch {
            let (new, updated) = self.state.record_success(id, after);
            return ended.unwrap_or(TopicOutcome::Fetched { new, updated });
        }
        self.state.set_results(id, after);
        ended.unwrap_or(TopicOutcome::NotFetched)
    }

    /// Sleeps in short steps so Cancel takes effect during a long backoff; false if cancelled.
    async fn sleep(&self, wait: Duration) -> bool {
        let mut left = wait.as_millis();
        while left > 0 {
            if self.is_cancelled() {
                return false;
            }
            let step = left.min(200);
            sleep(step as u32).await;
            left -= step;
        }
        !self.is_cancelled()
    }
}

/// The browser's side of the shared fetch loop, for one topic: `fetch`, waits that Cancel (or the
/// topic's removal) cuts short, and the page's monotonic clock.
struct Browser {
    fetcher: Fetcher,
    id: TopicId,
    /// Set when the last answer came from the server's mirror: its harvest time, if given.
    mirror: Option<Option<String>>,
}

impl Transport for Browser {
    async fn get(&mut self, url: &str) -> Result<Answer, String> {
        let reply = network::get(url).await.map_err(|e| {
            leptos::logging::warn!("request for {url} failed: {}", e.0);
            e.0
        })?;
        let from_mirror =
            CacheStatus::from_header(reply.answer.cache.as_deref()) == CacheStatus::Mirror;
        self.mirror = from_mirror.then_some(reply.mirror_harvested_at);
        Ok(reply.answer)
    }

    async fn sleep(&mut self, wait: Duration) -> bool {
        self.fetcher.sleep(wait).await && self.fetcher.listed(self.id).is_some()
    }

    fn now_ms(&self) -> f64 {
        now_ms()
    }
}

/// Whether the browser says it has a network (`navigator.onLine`; true if it cannot say). The
/// page's line that says it is offline is the registration script's (`static/sw-register.js`).
fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// A monotonic clock for the spacing: the wall clock (`Date.now`) can be set back or forward
/// while the page is open, which would shorten or stretch the wait between requests.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// The page's clock: now, the local offset from UTC and the local date (`None` only if the
/// browser's clock gives an impossible date). The section header reads it too.
pub fn clock_now() -> Option<Clock> {
    let now = js_sys::Date::new_0();
    let today = daily_papers_core::date::Date::new(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )?;
    Some(Clock {
        unix_ms: now.get_time().max(0.0) as u64,
        // JavaScript gives minutes to add to local time to get UTC.
        utc_offset_minutes: -(now.get_timezone_offset() as i32),
        today,
    })
}
