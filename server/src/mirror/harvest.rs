//! The mirror's lifecycle: open the index, import arXiv's snapshot if asked, then harvest
//! OAI-PMH `ListRecords` pages for ever, one request at a time through the server's one upstream
//! line (so harvest and proxied queries together keep arXiv's spacing).
//!
//! Each page is applied and committed together with the harvest state (the resumption token,
//! the `from` date, whether the first harvest is complete) in Tantivy's commit payload: a crash
//! at any moment leaves the index at the last committed page and the state that goes with it,
//! and the next start continues from there. Upserts and deletions are idempotent, so a page
//! applied twice (a crash after the commit, before the next request) changes nothing.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use reqwest::Url;
use serde::{Deserialize, Serialize};

use super::compare::Fidelity;
use super::index::Store;
use super::oai::{self, Change, OaiError};
use super::snapshot;
use crate::proxy::Proxy;

/// arXiv's OAI-PMH endpoint (since 2025).
pub const DEFAULT_OAI_UPSTREAM: &str = "https://oaipmh.arxiv.org/oai";
/// How many snapshot records go into one commit.
const IMPORT_BATCH: usize = 20_000;
/// The wait after a failed page before asking again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(60);

/// The harvest state, committed with every page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// The first harvest (or import) is complete: answers are as complete as the mirror gets.
    pub ready: bool,
    /// Index into the configured sets of the list under way (0 when harvesting everything).
    pub set_index: usize,
    /// `from=` of the list under way (`None`: everything, the first harvest).
    pub from: Option<String>,
    /// The token to continue the list under way with.
    pub token: Option<String>,
    /// The latest datestamp seen in the list under way: the next list's `from`.
    pub next_from: Option<String>,
    /// When the last complete list ended (unix seconds).
    pub harvested_at: Option<i64>,
    /// Pages applied since the mirror was created.
    pub pages: u64,
    /// Snapshot lines imported so far (an interrupted import resumes after them).
    pub imported_lines: u64,
    /// The snapshot import finished.
    pub imported: bool,
}

/// How the mirror is configured.
#[derive(Debug, Clone)]
pub struct MirrorSettings {
    pub dir: PathBuf,
    pub oai_upstream: Url,
    pub interval: Duration,
    /// OAI sets (`cs`, `math`, `physics:hep-th`); empty: all of arXiv.
    pub sets: Vec<String>,
    pub import: Option<PathBuf>,
    /// Serve a folder another server harvests into, read-only; never ask arXiv.
    pub replica: bool,
    /// `--mirror-compare`: ask arXiv one sampled user query per this long, to measure fidelity.
    pub compare: Option<Duration>,
}

/// The mirror: its index and committed state.
#[derive(Debug)]
pub struct Mirror {
    pub store: Store,
    pub settings: MirrorSettings,
    state: Mutex<State>,
    /// The fidelity compare's sample and figures (idle without `--mirror-compare`).
    pub fidelity: Fidelity,
    /// One permit per core: answers run on that many blocking threads at most, so a burst of
    /// queries waits its turn instead of sharing the cores among dozens of threads.
    pub answering: Arc<tokio::sync::Semaphore>,
}

impl Mirror {
    /// Opens (or creates) the mirror in its folder and reads the committed state.
    pub fn open(settings: MirrorSettings) -> Result<Mirror, String> {
        let opened = if settings.replica {
            Store::open_read_only(&settings.dir)
        } else {
            Store::open(&settings.dir)
        };
        let store = opened.map_err(|e| {
            format!(
                "cannot open the mirror in `{}`: {e}",
                settings.dir.display()
            )
        })?;
        let state = match store.committed_payload() {
            Ok(Some(payload)) => serde_json::from_str(&payload).map_err(|e| {
                format!(
                    "the mirror in `{}` has a harvest state this server cannot read ({e}); \
                     move the folder away to start a new mirror",
                    settings.dir.display()
                )
            })?,
            Ok(None) => State::default(),
            Err(e) => return Err(format!("cannot read the mirror's state: {e}")),
        };
        // A replica never asks arXiv, so it never compares either.
        let fidelity = Fidelity::new(settings.compare.filter(|_| !settings.replica));
        Ok(Mirror {
            store,
            settings,
            state: Mutex::new(state),
            fidelity,
            answering: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            )),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The last committed state.
    pub fn state(&self) -> State {
        self.lock().clone()
    }

    pub fn ready(&self) -> bool {
        self.lock().ready
    }

    /// Commits the changes made since the last commit with `state`.
    fn commit(&self, state: &State) -> Result<(), String> {
        let payload = serde_json::to_string(state).map_err(|e| e.to_string())?;
        self.store
            .commit(&payload)
            .map_err(|e| format!("cannot commit to the mirror: {e}"))?;
        *self.lock() = state.clone();
        write_state_file(&self.settings.dir, &payload);
        Ok(())
    }

    /// Applies one page's changes and commits them with the new state, or none of them.
    pub fn apply(&self, changes: &[Change], state: &State) -> Result<(), String> {
        let applied = changes.iter().try_for_each(|change| match change {
            Change::Upsert(record) => self.store.upsert(record),
            Change::Delete { id } => self.store.delete(id),
        });
        let result = applied
            .map_err(|e| format!("cannot write to the mirror: {e}"))
            .and_then(|()| self.commit(state));
        if result.is_err() {
            let _ = self.store.rollback();
        }
        result
    }

    /// Loads arXiv's JSON-lines snapshot, resuming after the lines an interrupted import
    /// committed. Blocking: run it off the async threads.
    pub fn import(&self, file: &Path) -> Result<(), String> {
        use std::io::BufRead;
        let mut state = self.state();
        if state.imported {
            tracing::info!(file = %file.display(), "snapshot already imported");
            return Ok(());
        }
        let reader = std::fs::File::open(file)
            .map(std::io::BufReader::new)
            .map_err(|e| format!("cannot read the snapshot `{}`: {e}", file.display()))?;
        let skip = state.imported_lines;
        let mut line_no: u64 = 0;
        let mut pending = 0usize;
        let mut refused = 0u64;
        let started = std::time::Instant::now();
        for line in reader.lines() {
            let line = line.map_err(|e| format!("cannot read the snapshot: {e}"))?;
            line_no += 1;
            if line_no <= skip || line.trim().is_empty() {
                continue;
            }
            match snapshot::parse_line(&line) {
                Ok((record, update_date)) => {
                    self.store
                        .upsert(&record)
                        .map_err(|e| format!("cannot write to the mirror: {e}"))?;
                    if update_date.is_some() && update_date > state.next_from {
                        state.next_from = update_date;
                    }
                }
                Err(reason) => {
                    refused += 1;
                    tracing::warn!(line = line_no, %reason, "snapshot line skipped");
                }
            }
            pending += 1;
            if pending >= IMPORT_BATCH {
                state.imported_lines = line_no;
                self.commit(&state)?;
                pending = 0;
                tracing::info!(
                    lines = line_no,
                    papers = self.store.papers(),
                    elapsed_s = started.elapsed().as_secs(),
                    "importing the snapshot"
                );
            }
        }
        state.imported_lines = line_no;
        state.imported = true;
        state.ready = true;
        // The next harvest asks for what changed since the snapshot's newest record.
        state.from = state.next_from.clone();
        state.harvested_at = state
            .next_from
            .as_deref()
            .and_then(|d| super::record::parse_date(&format!("{d}T00:00:00Z")).ok());
        self.commit(&state)?;
        if let Err(error) = self.store.merge_all() {
            // Only slower queries: the segments stay as the import left them.
            tracing::warn!(%error, "cannot merge the imported segments");
        }
        tracing::info!(
            lines = line_no,
            refused,
            papers = self.store.papers(),
            elapsed_s = started.elapsed().as_secs(),
            "snapshot imported"
        );
        Ok(())
    }

    /// The URL of the next `ListRecords` request for `state`.
    pub fn next_url(&self, state: &State) -> Url {
        let mut url = self.settings.oai_upstream.clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("verb", "ListRecords");
            match &state.token {
                Some(token) => {
                    query.append_pair("resumptionToken", token);
                }
                None => {
                    query.append_pair("metadataPrefix", "arXivRaw");
                    if let Some(from) = &state.from {
                        query.append_pair("from", from);
                    }
                    if let Some(set) = self.settings.sets.get(state.set_index) {
                        query.append_pair("set", set);
                    }
                }
            }
        }
        url
    }

    /// The state after applying `page` to `state`; the second value says a whole list (every
    /// set) is complete.
    pub fn advance(&self, state: &State, page: &oai::Page, now: i64) -> (State, bool) {
        let mut next = state.clone();
        next.pages += 1;
        if page.last_datestamp.is_some() && page.last_datestamp > next.next_from {
            next.next_from = page.last_datestamp.clone();
        }
        next.token = page.resumption_token.clone();
        if next.token.is_some() {
            return (next, false);
        }
        next.set_index += 1;
        if next.set_index < self.settings.sets.len() {
            return (next, false);
        }
        next.set_index = 0;
        next.ready = true;
        next.harvested_at = Some(now);
        if next.next_from.is_some() {
            next.from = next.next_from.clone();
        }
        (next, true)
    }
}

/// A copy of the state for people (`DIR/harvest-state.json`); the commit payload is the truth.
fn write_state_file(dir: &Path, payload: &str) {
    let tmp = dir.join("harvest-state.json.tmp");
    let done = std::fs::write(&tmp, payload)
        .and_then(|()| std::fs::rename(&tmp, dir.join("harvest-state.json")));
    if let Err(error) = done {
        tracing::debug!(%error, "cannot write harvest-state.json");
    }
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// How often a replica looks for the harvester's new commits.
pub const REPLICA_RELOAD: Duration = Duration::from_secs(2);

impl Mirror {
    /// Re-reads what the harvester committed (a replica's index and state).
    pub fn refresh(&self) -> Result<(), String> {
        self.store.reload().map_err(|e| e.to_string())?;
        let payload = self.store.committed_payload().map_err(|e| e.to_string())?;
        if let Some(payload) = payload {
            let state: State = serde_json::from_str(&payload).map_err(|e| e.to_string())?;
            *self.lock() = state;
        }
        Ok(())
    }
}

/// Runs a replica: follows the harvester's commits in the shared folder, never asks arXiv.
pub async fn follow(mirror: Arc<Mirror>) {
    loop {
        let follower = Arc::clone(&mirror);
        match tokio::task::spawn_blocking(move || follower.refresh()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "cannot read the harvester's commit"),
            Err(error) => tracing::warn!(%error, "cannot read the harvester's commit"),
        }
        tokio::time::sleep(REPLICA_RELOAD).await;
    }
}

/// Runs the mirror: the import if asked and not done, then harvesting for ever.
pub async fn run(mirror: Arc<Mirror>, proxy: Arc<Proxy>) {
    if let Some(file) = mirror.settings.import.clone() {
        let importer = Arc::clone(&mirror);
        let result = tokio::task::spawn_blocking(move || importer.import(&file)).await;
        match result {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::error!(%error, "snapshot import failed"),
            Err(error) => tracing::error!(%error, "snapshot import stopped"),
        }
    }
    let retry = mirror.settings.interval.min(RETRY_AFTER_FAILURE);
    loop {
        let state = mirror.state();
        let url = mirror.next_url(&state);
        let fetched = proxy.fetch_url(url.clone(), "text/xml").await;
        let wait = match fetched {
            Err(error) => {
                tracing::warn!(url = %url, %error, "OAI-PMH request failed");
                error.retry_after().unwrap_or(retry)
            }
            Ok(answer) if !answer.status.is_success() => {
                tracing::warn!(url = %url, status = answer.status.as_u16(), "OAI-PMH answered an error status");
                retry
            }
            Ok(answer) => {
                let body = answer.body;
                let parsed = tokio::task::spawn_blocking(move || oai::parse_page(&body)).await;
                match parsed {
                    Ok(Ok(page)) => {
                        for reason in &page.refused {
                            tracing::warn!(%reason, "OAI-PMH record refused");
                        }
                        let (next, complete) = mirror.advance(&state, &page, now_unix());
                        let applier = Arc::clone(&mirror);
                        let changes = page.changes;
                        let count = changes.len();
                        let next_state = next.clone();
                        let applied = tokio::task::spawn_blocking(move || {
                            applier.apply(&changes, &next_state)
                        })
                        .await;
                        match applied {
                            Ok(Ok(())) => {
                                tracing::info!(
                                    changes = count,
                                    papers = mirror.store.papers(),
                                    more = next.token.is_some(),
                                    "OAI-PMH page applied"
                                );
                                if complete {
                                    mirror.settings.interval
                                } else {
                                    Duration::ZERO
                                }
                            }
                            Ok(Err(error)) => {
                                tracing::error!(%error, "OAI-PMH page not applied");
                                retry
                            }
                            Err(error) => {
                                tracing::error!(%error, "OAI-PMH page not applied");
                                retry
                            }
                        }
                    }
                    Ok(Err(OaiError::Protocol { code, message }))
                        if code == "badResumptionToken" =>
                    {
                        // Tokens expire at midnight: ask for the same list again from its start.
                        tracing::warn!(%message, "resumption token refused; restarting the list");
                        let mut restart = state.clone();
                        restart.token = None;
                        let applier = Arc::clone(&mirror);
                        let _ =
                            tokio::task::spawn_blocking(move || applier.apply(&[], &restart)).await;
                        Duration::ZERO
                    }
                    Ok(Err(error)) => {
                        tracing::warn!(url = %url, %error, "OAI-PMH page refused");
                        retry
                    }
                    Err(error) => {
                        tracing::error!(%error, "OAI-PMH page not read");
                        retry
                    }
                }
            }
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}
