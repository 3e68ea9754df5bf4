//! The Daily Papers hosting server: the built app at `/` and a safe arXiv endpoint at `/api/query`.
//!
//! arXiv's API sends no CORS header, so a hosted page cannot call it directly. This server
//! forwards only arXiv's query parameters ([`query_params`]), one upstream request at a time and
//! spaced out for all users together, with waiting bounded in count and time ([`limiter`]),
//! answers repeated queries from memory ([`cache`], single flight in [`proxy`]), turns upstream
//! failures into clear gateway errors and never follows redirects ([`upstream`]), keeps compressed
//! copies of cached answers and of the app's files ([`encoding`]), lets only configured origins
//! read the answers ([`cors`]), and serves the static app from memory with fitting cache lifetimes
//! ([`static_files`]) and a strict Content-Security-Policy ([`csp`]). Connections are bounded in
//! number, header size and header time ([`http_server`]); refusals are summarised in the log
//! ([`refusals`]). Everything is configured by flags and environment variables ([`config`]).
//!
//! [`app`] builds the whole router and [`serve`] runs it, so tests start the server in-process.

pub mod cache;
pub mod config;
pub mod cors;
pub mod csp;
pub mod encoding;
pub mod feed;
pub mod http_server;
pub mod limiter;
pub mod mirror;
pub mod proxy;
pub mod query_params;
pub mod refusals;
pub mod static_files;
pub mod upstream;

use std::future::Future;
use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};
use tracing::Level;

use crate::config::Settings;
use crate::proxy::Proxy;
use crate::static_files::{LoadError, StaticFiles};

/// The application: the router to serve, the proxy behind `/api/query` (for inspection), and the
/// connection bounds to serve it with.
pub struct App {
    pub router: Router,
    pub proxy: Arc<Proxy>,
    pub options: http_server::Options,
}

/// The server cannot start.
#[derive(Debug)]
pub enum StartError {
    /// The HTTP client for the upstream could not be built (no TLS roots, ...).
    HttpClient(reqwest::Error),
    /// The dist folder could not be read.
    Dist(LoadError),
    /// The mirror's folder could not be opened.
    Mirror(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::HttpClient(error) => {
                write!(f, "cannot set up the HTTP client for the upstream: {error}")
            }
            StartError::Dist(error) => write!(f, "cannot load the app to serve: {error}"),
            StartError::Mirror(error) => f.write_str(error),
        }
    }
}

impl std::error::Error for StartError {}

/// Builds the application for these settings (reading and compressing `--dist` if given).
pub fn app(settings: &Settings) -> Result<App, StartError> {
    let mut proxy = Proxy::new(settings).map_err(StartError::HttpClient)?;
    let mut mirror = None;
    if let Some(mirror_settings) = &settings.mirror {
        let opened = Arc::new(
            mirror::harvest::Mirror::open(mirror_settings.clone()).map_err(StartError::Mirror)?,
        );
        proxy = proxy.with_mirror(Arc::clone(&opened));
        mirror = Some(opened);
    }
    let proxy = Arc::new(proxy);
    if let Some(mirror) = mirror {
        if mirror.settings.replica {
            tokio::spawn(mirror::harvest::follow(mirror));
        } else {
            if mirror.fidelity.every().is_some() {
                tokio::spawn(mirror::compare::run(
                    Arc::clone(&mirror),
                    Arc::clone(&proxy),
                ));
            }
            tokio::spawn(mirror::harvest::run(mirror, Arc::clone(&proxy)));
        }
    }
    let mut api = Router::new().route("/api/query", get(proxy::query));
    if settings.mirror.is_some() {
        api = api.route("/api/mirror", get(mirror::status::handler));
    }
    let api = api
        .with_state(Arc::clone(&proxy))
        .layer(settings.origins.layer())
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(proxy::API_CSP),
        ));
    let router = Router::new()
        .merge(api)
        .merge(feed::router(Arc::clone(&proxy), settings.spacing))
        .route("/healthz", get(|| async { "ok\n" }));
    let router = match &settings.dist {
        Some(dist) => {
            let files = StaticFiles::load(dist).map_err(StartError::Dist)?;
            router.fallback_service(static_files::router(Arc::new(files)))
        }
        None => router.fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "not found: this server answers /api/query only (started without --dist)\n",
            )
        }),
    };
    let router = router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // A 5xx is an answer this server chose (busy, upstream down), already logged where it
        // was decided: the default ERROR line per answer would flood the log under load.
        .layer(TraceLayer::new_for_http().on_failure(DefaultOnFailure::new().level(Level::DEBUG)));
    let options = http_server::Options {
        max_connections: settings.max_connections,
        log_summary_interval: settings.log_summary_interval,
        ..http_server::Options::default()
    };
    Ok(App {
        router,
        proxy,
        options,
    })
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    http_server::serve(listener, app.router, app.options, shutdown).await
}
