//! `GET /api/mirror`: what the mirror holds and how current it is, as JSON.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::record::format_date;
use crate::proxy::Proxy;

/// The answer of `/api/mirror`.
#[derive(Debug, Serialize)]
pub struct Status {
    /// Papers held (as of the last commit).
    pub papers: u64,
    /// The end of the last complete harvest (or the snapshot's newest date), RFC 3339.
    pub harvested_at: Option<String>,
    /// The first harvest or import is complete: queries are answered from the mirror.
    pub ready: bool,
    /// Seconds since `harvested_at`.
    pub lag_seconds: Option<i64>,
    /// OAI-PMH pages applied since the mirror was created.
    pub pages_harvested: u64,
    /// A harvest list is under way (a resumption token is held).
    pub harvesting: bool,
    /// The OAI sets harvested; empty: all of arXiv.
    pub sets: Vec<String>,
    /// Agreement with live arXiv, measured by `--mirror-compare`; null when it is off.
    pub fidelity: Option<super::compare::Figures>,
}

pub async fn handler(State(proxy): State<Arc<Proxy>>) -> Response {
    let Some(mirror) = proxy.mirror().map(Arc::clone) else {
        return (StatusCode::NOT_FOUND, "this server keeps no mirror\n").into_response();
    };
    let status = tokio::task::spawn_blocking(move || {
        let state = mirror.state();
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        Status {
            papers: mirror.store.papers(),
            harvested_at: state.harvested_at.map(format_date),
            ready: state.ready,
            lag_seconds: state.harvested_at.map(|at| (now - at).max(0)),
            pages_harvested: state.pages,
            harvesting: state.token.is_some(),
            sets: mirror.settings.sets.clone(),
            fidelity: mirror.fidelity.figures(),
        }
    })
    .await;
    match status.map(|s| serde_json::to_string(&s)) {
        Ok(Ok(json)) => (
            StatusCode::OK,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            json,
        )
            .into_response(),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "mirror status unavailable\n",
        )
            .into_response(),
    }
}
