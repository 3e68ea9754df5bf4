//! The Daily Papers hosting server: the built app at `/` and a safe arXiv endpoint at `/api/query`.
//!
//! arXiv's API sends no CORS header, so a hosted page cannot call it directly. This server
//! forwards only arXiv's query parameters ([`query_params`]), one upstream request at a time and
//! spaced out for all users together ([`limiter`]), answers repeated queries from memory
//! ([`cache`], single flight in [`proxy`]), turns upstream failures into clear gateway errors
//! ([`upstream`]), keeps compressed copies of cached answers ([`encoding`]), lets only configured origins read the answers ([`cors`]) and serves the
//! static app with fitting cache lifetimes ([`static_files`]). Everything is configured by
//! flags and environment variables ([`config`]).
//!
//! [`app`] builds the whole router and [`serve`] runs it, so tests start the server in-process.

pub mod cache;
pub mod config;
pub mod cors;
pub mod encoding;
pub mod http_server;
pub mod limiter;
pub mod proxy;
pub mod query_params;
pub mod static_files;
pub mod upstream;

use std::future::Future;
use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::Settings;
use crate::proxy::Proxy;

/// The application: the router to serve and the proxy behind `/api/query` (for inspection).
pub struct App {
    pub router: Router,
    pub proxy: Arc<Proxy>,
}

/// The server cannot start.
#[derive(Debug)]
pub enum StartError {
    /// The HTTP client for the upstream could not be built (no TLS roots, ...).
    HttpClient(reqwest::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::HttpClient(error) => {
                write!(f, "cannot set up the HTTP client for the upstream: {error}")
            }
        }
    }
}

impl std::error::Error for StartError {}

/// Builds the application for these settings.
pub fn app(settings: &Settings) -> Result<App, StartError> {
    let proxy = Arc::new(Proxy::new(settings).map_err(StartError::HttpClient)?);
    let api = Router::new()
        .route("/api/query", get(proxy::query))
        .with_state(Arc::clone(&proxy))
        .layer(settings.origins.layer());
    let router = Router::new()
        .merge(api)
        .route("/healthz", get(|| async { "ok\n" }));
    let router = match &settings.dist {
        Some(dist) => router.fallback_service(static_files::router(dist)),
        None => router.fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "not found: this server answers /api/query only (started without --dist)\n",
            )
        }),
    };
    let router = router
        // Brotli's default level (11) is far too slow for answers made per request; 4 is close
        // to gzip's ratio at a fraction of the time.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(TraceLayer::new_for_http());
    Ok(App { router, proxy })
}

/// Serves `router` on `listener` until `shutdown` completes, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    http_server::serve(listener, router, http_server::HEADER_TIMEOUT, shutdown).await
}
