//! `GET /api/query`: from the browser's question to arXiv's answer, at most once per query.
//!
//! The flow: parse the query ([`ArxivQuery`], else 400) → a fresh cached answer (`X-Cache: HIT`)
//! → or join the upstream call already under way for the same query (single flight) → or start
//! one, which waits for its [`Turn`](crate::limiter::Turn) in the global limiter (`MISS`) → if that
//! fails, the stale cached answer (`STALE`) or a gateway error the app can show.
//!
//! Upstream calls run in their own task, so a browser that gives up does not cancel the answer
//! other browsers are waiting for, and the limiter's spacing holds even for abandoned calls.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::Extension;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::cache::{Cache, Cached, Lookup};
use crate::config::Settings;
use crate::cors::{X_CACHE, X_MIRROR_HARVESTED_AT, X_SOURCE};
use crate::encoding::{Accepted, Compressed};
use crate::limiter::{whole_secs_up, Limiter, Limits, Refused};
use crate::mirror::answer::Outcome as MirrorOutcome;
use crate::mirror::harvest::Mirror;
use crate::query_params::ArxivQuery;
use crate::refusals::Refusals;
use crate::upstream::{Upstream, UpstreamError};

/// Why a query got no answer from upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The waiting line is full, or the wait would be too long.
    Refused(Refused),
    /// Upstream failed.
    Upstream(UpstreamError),
    /// The upstream task ended without a result (it cannot, short of a bug).
    Abandoned,
}

impl FetchError {
    pub fn status(&self) -> StatusCode {
        match self {
            FetchError::Refused(_) => StatusCode::SERVICE_UNAVAILABLE,
            FetchError::Upstream(error) => error.status(),
            FetchError::Abandoned => StatusCode::BAD_GATEWAY,
        }
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Refused(refused) => Some(refused.retry_after),
            FetchError::Upstream(error) => error.retry_after(),
            FetchError::Abandoned => None,
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Refused(refused) => refused.fmt(f),
            FetchError::Upstream(error) => error.fmt(f),
            FetchError::Abandoned => f.write_str("the request to arXiv was abandoned; try again"),
        }
    }
}

/// How a query was answered.
#[derive(Debug, Clone)]
pub enum Served {
    /// Fresh from the cache.
    Hit(Cached),
    /// Just fetched from upstream (by this request or one it joined).
    Miss(Cached),
    /// Upstream failed; this is an older answer.
    Stale(Cached, FetchError),
    /// Upstream failed and nothing is cached.
    Failed(FetchError),
}

type Outcome = Result<Cached, FetchError>;

/// The cache and the upstream calls under way, under one lock so that a query is either cached,
/// in flight, or neither, never seen in between.
#[derive(Debug)]
struct Shared {
    cache: Cache,
    in_flight: HashMap<String, watch::Receiver<Option<Outcome>>>,
}

/// Answers queries; shared by all requests.
#[derive(Debug)]
pub struct Proxy {
    shared: Mutex<Shared>,
    limiter: Limiter,
    upstream: Upstream,
    /// Requests now waiting for an upstream call (their own or one they joined).
    waiting: AtomicUsize,
    refusals: Refusals,
    /// The local mirror that answers queries itself when it can (`--mirror`).
    mirror: Option<Arc<Mirror>>,
}

/// Counts a request as waiting for as long as it lives (also when the browser gives up).
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn new(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        Waiting(counter)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Proxy {
    pub fn new(settings: &Settings) -> Result<Proxy, reqwest::Error> {
        Ok(Proxy {
            shared: Mutex::new(Shared {
                cache: Cache::new(settings.cache_ttl, settings.cache_max_bytes),
                in_flight: HashMap::new(),
            }),
            limiter: Limiter::new(Limits {
                spacing: settings.spacing,
                queue: settings.queue,
                upstream_timeout: settings.upstream_timeout,
                max_wait: settings.max_wait,
                per_client: settings.queue_share_per_client,
            }),
            upstream: Upstream::new(settings)?,
            waiting: AtomicUsize::new(0),
            refusals: Refusals::new("queries", settings.log_summary_interval),
            mirror: None,
        })
    }

    /// Lets `mirror` answer the queries it can.
    pub fn with_mirror(mut self, mirror: Arc<Mirror>) -> Proxy {
        self.mirror = Some(mirror);
        self
    }

    /// The mirror, if the server keeps one.
    pub fn mirror(&self) -> Option<&Arc<Mirror>> {
        self.mirror.as_ref()
    }

    /// No request waits for or holds a turn upstream (the mirror's fidelity compare only asks
    /// then, so users' queries always go first).
    pub fn line_is_empty(&self) -> bool {
        self.limiter.in_line() == 0 && self.requests_waiting() == 0
    }

    /// The upstream API's URL for `query`.
    pub fn upstream_url(&self, query: &ArxivQuery) -> reqwest::Url {
        self.upstream.url_for(query)
    }

    /// Asks the upstream service for `url` (the mirror's harvest) in the same line as every
    /// query, so the spacing holds for all upstream traffic together. Waits (and waits again
    /// when the line is full) until it gets its turn.
    pub async fn fetch_url(
        &self,
        url: reqwest::Url,
        accept: &str,
    ) -> Result<crate::upstream::Answer, FetchError> {
        let mut turn = loop {
            match self.limiter.turn().await {
                Ok(turn) => break turn,
                Err(refused) => tokio::time::sleep(refused.retry_after).await,
            }
        };
        let started = Instant::now();
        let result = self.upstream.fetch_url(url.clone(), accept).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(answer) => tracing::info!(
                url = %url,
                status = answer.status.as_u16(),
                bytes = answer.body.len(),
                elapsed_ms,
                "upstream answered"
            ),
            Err(error) => {
                if let Some(pause) = error.retry_after() {
                    turn.hold_off(pause);
                }
            }
        }
        drop(turn);
        result.map_err(FetchError::Upstream)
    }

    fn shared(&self) -> MutexGuard<'_, Shared> {
        // No code panics while holding the lock; if one did, the data is still consistent.
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Answers a query from the cache or upstream; a new upstream call counts in `client`'s share
    /// of the line (`None`: in nobody's).
    pub async fn answer(self: &Arc<Self>, query: &ArxivQuery, client: Option<IpAddr>) -> Served {
        let key = query.encoded();
        let mut receiver = {
            let mut shared = self.shared();
            if let Lookup::Fresh(cached) = shared.cache.lookup(key, Instant::now()) {
                return Served::Hit(cached);
            }
            match shared.in_flight.get(key) {
                Some(receiver) => receiver.clone(),
                None => {
                    let (sender, receiver) = watch::channel(None);
                    shared.in_flight.insert(key.to_owned(), receiver.clone());
                    tokio::spawn(Arc::clone(self).fetch(query.clone(), client, sender));
                    receiver
                }
            }
        };
        let waiting = Waiting::new(&self.waiting);
        let waited = receiver
            .wait_for(Option::is_some)
            .await
            .map(|outcome| outcome.clone());
        let outcome = match waited {
            Ok(outcome) => outcome.unwrap_or(Err(FetchError::Abandoned)),
            Err(_) => {
                self.forget_abandoned(key, &receiver);
                Err(FetchError::Abandoned)
            }
        };
        drop(waiting);
        match outcome {
            Ok(cached) => Served::Miss(cached),
            Err(error) => match self.shared().cache.lookup(key, Instant::now()) {
                // Another call for the same query succeeded meanwhile.
                Lookup::Fresh(cached) => Served::Hit(cached),
                Lookup::Stale(cached) => Served::Stale(cached, error),
                Lookup::Missing => Served::Failed(error),
            },
        }
    }

    /// One upstream call, in its own task; its result goes to the cache and to every waiter.
    async fn fetch(
        self: Arc<Self>,
        query: ArxivQuery,
        client: Option<IpAddr>,
        sender: watch::Sender<Option<Outcome>>,
    ) {
        let key = query.encoded();
        let result = match self.limiter.turn_for(client).await {
            Err(refused) => {
                self.refusals.record(refused.reason.name(), &refused);
                Err(FetchError::Refused(refused))
            }
            Ok(mut turn) => {
                let started = Instant::now();
                let result = self.upstream.fetch(&query).await;
                let elapsed_ms = started.elapsed().as_millis() as u64;
                match &result {
                    Ok(answer) => tracing::info!(
                        query = key,
                        status = answer.status.as_u16(),
                        bytes = answer.body.len(),
                        elapsed_ms,
                        "upstream answered"
                    ),
                    Err(error) => {
                        // A busy upstream gets a rest before anyone asks again.
                        if let Some(pause) = error.retry_after() {
                            turn.hold_off(pause);
                        }
                        tracing::warn!(query = key, %error, elapsed_ms, "upstream failed");
                    }
                }
                drop(turn);
                result.map_err(FetchError::Upstream)
            }
        };
        // Compressed once here, off the async threads, instead of for every browser.
        let result = match result {
            Ok(answer) => {
                let body = answer.body.clone();
                let compressed = tokio::task::spawn_blocking(move || Compressed::of(&body))
                    .await
                    .unwrap_or_default();
                Ok((answer, compressed))
            }
            Err(error) => Err(error),
        };
        let outcome = {
            let mut shared = self.shared();
            let outcome = result.map(|(answer, compressed)| {
                shared
                    .cache
                    .insert(key, Arc::new(answer), Arc::new(compressed), Instant::now())
            });
            shared.in_flight.remove(key);
            outcome
        };
        sender.send_replace(Some(outcome));
    }

    /// Removes an in-flight entry whose task vanished, so the next request starts a new one.
    fn forget_abandoned(&self, key: &str, receiver: &watch::Receiver<Option<Outcome>>) {
        let mut shared = self.shared();
        if shared
            .in_flight
            .get(key)
            .is_some_and(|current| current.same_channel(receiver))
        {
            shared.in_flight.remove(key);
        }
    }

    /// How many requests are waiting for an upstream call, their own or a shared one.
    pub fn requests_waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }
}

/// The `GET /api/query` handler.
pub async fn query(
    State(proxy): State<Arc<Proxy>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = match ArxivQuery::parse(uri.query()) {
        Ok(query) => query,
        Err(error) => {
            tracing::debug!(%error, "query refused");
            return error_response(StatusCode::BAD_REQUEST, &error.to_string(), None);
        }
    };
    let accepted = Accepted::from_header(
        headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok()),
    );
    if let Some(mirror) = proxy.mirror.as_ref().filter(|m| m.ready()) {
        let (answering, asked) = (Arc::clone(mirror), query.clone());
        // The permit moves into the blocking task: held until the answer is written, even
        // when the client leaves first.
        let permit = Arc::clone(&mirror.answering).acquire_owned().await;
        let answered = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let outcome = crate::mirror::answer::answer(&answering.store, &asked, now);
            (outcome, answering.state().harvested_at)
        })
        .await;
        match answered {
            Ok((Ok(outcome), harvested_at)) => {
                if matches!(outcome, MirrorOutcome::Feed(_)) {
                    mirror.fidelity.sample(&query);
                }
                return mirror_response(outcome, harvested_at);
            }
            Ok((Err(reason), _)) => {
                tracing::debug!(query = query.encoded(), %reason, "left to arXiv by the mirror")
            }
            Err(error) => tracing::warn!(%error, "the mirror failed to answer"),
        }
    }
    let client = peer.map(|Extension(ConnectInfo(peer))| peer.ip().to_canonical());
    let served = proxy.answer(&query, client).await;
    let now = Instant::now();
    let mut response = match served {
        Served::Hit(cached) => answer_response(&cached, "HIT", now, accepted),
        Served::Miss(cached) => answer_response(&cached, "MISS", now, accepted),
        Served::Stale(cached, error) => {
            // Logged once per upstream failure already; this line is per request.
            tracing::debug!(query = query.encoded(), %error, "serving a stale answer");
            let mut response = answer_response(&cached, "STALE", now, accepted);
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            headers.insert(
                header::WARNING,
                HeaderValue::from_static("110 - \"Response is Stale\""),
            );
            response
        }
        Served::Failed(error) => {
            error_response(error.status(), &error.to_string(), error.retry_after())
        }
    };
    // Every answer says it comes from this server (arXiv's, through its limiter and cache):
    // the page and the command-line tool believe `X-Cache` only beside this header, which
    // arXiv and other caches in front of it never send.
    response
        .headers_mut()
        .insert(X_SOURCE, HeaderValue::from_static("arxiv"));
    response
}

/// An answer from the mirror: arXiv's feed (200) or error entry (400), saying where it came
/// from and how current the mirror is.
fn mirror_response(outcome: MirrorOutcome, harvested_at: Option<i64>) -> Response {
    let (status, body) = match outcome {
        MirrorOutcome::Feed(body) => (StatusCode::OK, body),
        MirrorOutcome::Error(body) => (StatusCode::BAD_REQUEST, body),
    };
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(ATOM)),
            // The mirror changes at each harvest; a minute of browser caching costs nothing.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            ),
            (X_SOURCE, HeaderValue::from_static("mirror")),
        ],
        body,
    )
        .into_response();
    if let Some(at) = harvested_at {
        if let Ok(value) = HeaderValue::from_str(&crate::mirror::record::format_date(at)) {
            response.headers_mut().insert(X_MIRROR_HARVESTED_AT, value);
        }
    }
    response
}

/// The type of every answer from upstream, whatever upstream called it: arXiv's own type. Only
/// XML reaches this point, and as Atom a browser never runs scripts in it.
pub const ATOM: &str = "application/atom+xml; charset=utf-8";
/// Sent with every `/api/query` answer: should a browser open one as a page anyway, nothing in it
/// may run or load anything.
pub const API_CSP: &str = "default-src 'none'; sandbox";

/// An upstream answer, passed through with its status as Atom, compressed as accepted.
fn answer_response(
    cached: &Cached,
    x_cache: &'static str,
    now: Instant,
    accepted: Accepted,
) -> Response {
    // Rounded up, so a fresh MISS advertises the configured lifetime, not one second less.
    let fresh_for = whole_secs_up(cached.fresh_for(now));
    let cache_control = if fresh_for == 0 {
        HeaderValue::from_static("no-cache")
    } else {
        HeaderValue::from_str(&format!("public, max-age={fresh_for}"))
            .unwrap_or(HeaderValue::from_static("no-cache"))
    };
    let (body, encoding) = cached.compressed.pick(accepted, &cached.answer.body);
    let mut response = (
        cached.answer.status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(ATOM)),
            (header::CACHE_CONTROL, cache_control),
            (header::AGE, HeaderValue::from(cached.age(now).as_secs())),
            (X_CACHE, HeaderValue::from_static(x_cache)),
            // Also when sent uncompressed: a CDN must not give this copy to every client.
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ],
        Body::from(body),
    )
        .into_response();
    if let Some(content_encoding) = encoding.header() {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, content_encoding);
    }
    response
}

/// A plain-text reason for a refused or failed query; never cached.
fn error_response(status: StatusCode, message: &str, retry_after: Option<Duration>) -> Response {
    let mut response = (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        format!("{message}\n"),
    )
        .into_response();
    if let Some(after) = retry_after {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(whole_secs_up(after).max(1)),
        );
    }
    response
}
