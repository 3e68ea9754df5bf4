//! A stand-in for the arXiv API on loopback, for the load test and for trying the server without
//! internet: `GET /api/query` answers a real feed from `tests/fixtures/arxiv/`, and `GET /calls`
//! says how many queries it answered, so a test can check that the server's cache held.
//!
//! Usage: `fake_arxiv [ADDR:PORT]` (default 127.0.0.1:0); prints `listening on http://ADDR`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::routing::get;
use axum::Router;

const FEED: &[u8] = include_bytes!("../../core/tests/fixtures/arxiv/search-100-entries.xml");

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let calls = Arc::new(AtomicUsize::new(0));
    let router = Router::new()
        .route(
            "/api/query",
            get(|State(calls): State<Arc<AtomicUsize>>| async move {
                calls.fetch_add(1, Ordering::SeqCst);
                (
                    [(header::CONTENT_TYPE, "application/atom+xml; charset=UTF-8")],
                    FEED,
                )
            }),
        )
        .route(
            "/calls",
            get(|State(calls): State<Arc<AtomicUsize>>| async move {
                format!("{}\n", calls.load(Ordering::SeqCst))
            }),
        )
        .with_state(calls);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router).await
}
