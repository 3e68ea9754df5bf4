//! Test doubles: a fake arXiv on 127.0.0.1 that counts and times the requests it gets, and the
//! real server started in-process on an ephemeral port, pointed at it.

#![allow(dead_code)] // each test file uses a different part of this module

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use clap::Parser;
use daily_papers_server::config::{Config, Settings};
use daily_papers_server::proxy::Proxy;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Semaphore};
use tokio::task::JoinHandle;
use tokio::time::Instant;

pub const FEED: &[u8] = include_bytes!("../../../core/tests/fixtures/arxiv/search-10-entries.xml");
pub const ARXIV_ERROR: &[u8] =
    include_bytes!("../../../core/tests/fixtures/arxiv/error-bad-id-http400.xml");
/// What the fake arXiv calls its answers (as arXiv does).
pub const ATOM: &str = "application/atom+xml; charset=UTF-8";
/// What the server calls every answer it passes on, whatever upstream said.
pub const SERVED_ATOM: &str = "application/atom+xml; charset=utf-8";

/// What the fake arXiv answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A 200 feed.
    Feed,
    /// Any status, content type, body and optional Retry-After.
    Answer {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
        retry_after: Option<&'static str>,
    },
    /// Never answers.
    Hang,
    /// A redirect to `location`.
    Redirect { status: u16, location: String },
    /// 406 unless the request accepts `application/atom+xml` (as arXiv has done), else a feed.
    FeedIfAcceptingAtom,
}

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Call {
    pub query: String,
    pub user_agent: String,
    pub accept: String,
    pub started: Instant,
    pub ended: Instant,
}

#[derive(Debug)]
pub struct FakeState {
    pub reply: Mutex<Reply>,
    pub calls: Mutex<Vec<Call>>,
    pub arrived: AtomicUsize,
    pub active: AtomicUsize,
    pub max_active: AtomicUsize,
    /// Each request takes a permit before answering: closing the gate holds answers back.
    pub gate: Semaphore,
}

/// The fake arXiv API.
pub struct FakeArxiv {
    pub addr: SocketAddr,
    pub state: Arc<FakeState>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

const OPEN: usize = Semaphore::MAX_PERMITS / 2;

impl FakeArxiv {
    pub async fn start(reply: Reply) -> FakeArxiv {
        let state = Arc::new(FakeState {
            reply: Mutex::new(reply),
            calls: Mutex::new(Vec::new()),
            arrived: AtomicUsize::new(0),
            active: AtomicUsize::new(0),
            max_active: AtomicUsize::new(0),
            gate: Semaphore::new(OPEN),
        });
        let router = Router::new()
            .route("/api/query", axum::routing::get(answer))
            .with_state(Arc::clone(&state));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
            let _ = stopped.await;
        });
        let task = tokio::spawn(async move {
            let _ = serve.into_future().await;
        });
        FakeArxiv {
            addr,
            state,
            stop: Some(stop),
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/api/query", self.addr)
    }

    pub fn set_reply(&self, reply: Reply) {
        *self.state.reply.lock().unwrap() = reply;
    }

    /// Requests that reached the fake (answered or not).
    pub fn arrived(&self) -> usize {
        self.state.arrived.load(Ordering::SeqCst)
    }

    /// Requests the fake answered, in the order they started.
    pub fn calls(&self) -> Vec<Call> {
        let mut calls = self.state.calls.lock().unwrap().clone();
        calls.sort_by_key(|call| call.started);
        calls
    }

    pub fn max_active(&self) -> usize {
        self.state.max_active.load(Ordering::SeqCst)
    }

    /// Holds back every answer until [`FakeArxiv::open_gate`].
    pub fn close_gate(&self) {
        self.state.gate.forget_permits(OPEN);
    }

    pub fn open_gate(&self) {
        self.state.gate.add_permits(OPEN);
    }

    /// Stops listening and waits until every connection is closed: afterwards nothing answers
    /// on this port.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

async fn answer(State(state): State<Arc<FakeState>>, uri: Uri, headers: HeaderMap) -> Response {
    let started = Instant::now();
    state.arrived.fetch_add(1, Ordering::SeqCst);
    let active = state.active.fetch_add(1, Ordering::SeqCst) + 1;
    state.max_active.fetch_max(active, Ordering::SeqCst);
    let reply = state.reply.lock().unwrap().clone();
    let permit = state.gate.acquire().await.unwrap();
    drop(permit);
    let response = match reply {
        Reply::Feed => ([(header::CONTENT_TYPE, ATOM)], FEED).into_response(),
        Reply::Answer {
            status,
            content_type,
            body,
            retry_after,
        } => {
            let mut response = (
                StatusCode::from_u16(status).unwrap(),
                [(header::CONTENT_TYPE, content_type)],
                body,
            )
                .into_response();
            if let Some(after) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static(after));
            }
            response
        }
        Reply::Hang => std::future::pending().await,
        Reply::Redirect { status, location } => (
            StatusCode::from_u16(status).unwrap(),
            [(header::LOCATION, location)],
        )
            .into_response(),
        Reply::FeedIfAcceptingAtom => {
            let accept = headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if accept.contains("application/atom+xml") {
                ([(header::CONTENT_TYPE, ATOM)], FEED).into_response()
            } else {
                (StatusCode::NOT_ACCEPTABLE, "Not Acceptable").into_response()
            }
        }
    };
    state.active.fetch_sub(1, Ordering::SeqCst);
    state.calls.lock().unwrap().push(Call {
        query: uri.query().unwrap_or_default().to_owned(),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        accept: headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        started,
        ended: Instant::now(),
    });
    response
}

/// Settings as the flags would give them, for an upstream that is not arXiv.
pub fn settings(args: &[&str]) -> Settings {
    Config::try_parse_from(std::iter::once("daily-papers-server").chain(args.iter().copied()))
        .expect("flags parse")
        .settings()
        .expect("valid settings")
}

/// The server, running in this process on an ephemeral port.
pub struct TestServer {
    pub addr: SocketAddr,
    pub proxy: Arc<Proxy>,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
}

impl TestServer {
    pub async fn start(settings: Settings) -> TestServer {
        let app = daily_papers_server::app(&settings).expect("app builds");
        let listener =
            daily_papers_server::http_server::listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let proxy = Arc::clone(&app.proxy);
        tokio::spawn(daily_papers_server::serve(listener, app, async move {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()
            .unwrap();
        TestServer {
            addr,
            proxy,
            client,
            stop: Some(stop),
        }
    }

    pub fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{}", self.addr, path_and_query)
    }

    pub async fn get(&self, path_and_query: &str) -> reqwest::Response {
        self.client
            .get(self.url(path_and_query))
            .send()
            .await
            .unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A query string for the n-th distinct keyword.
pub fn query(n: usize) -> String {
    format!("/api/query?search_query=ti%3A%22keyword+{n}%22&sortBy=lastUpdatedDate&sortOrder=descending&max_results=10")
}

/// Waits until `condition` holds, failing the test (instead of hanging) after 10 s.
pub async fn until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !condition() {
        assert!(Instant::now() < deadline, "gave up waiting until {what}");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Every value of a header that may be repeated (`Vary`), joined, lower case.
pub fn all_values(response: &reqwest::Response, name: &str) -> String {
    let values: Vec<&str> = response
        .headers()
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    values.join(", ").to_ascii_lowercase()
}

pub fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}
