//! `GET /feed?list=…`: a shared list's Atom feed, for a feed reader, with no repository needed.
//!
//! `list` is what follows `#share=` in the page's share link ([`read_share_fragment`]). Each
//! topic is asked exactly as the page asks it ([`topic_query_url`], the same cache key), and
//! answered only from what the server already holds: the feed never waits for arXiv. A topic
//! that is not in the cache gets its query queued, as a page load would queue it (the limiter,
//! the single flight and the cache make it one arXiv request for every reader and page), and the
//! feed says so in one entry with `Retry-After`; the reader's next poll gets the papers.
//!
//! Readers poll often: the answer carries an `ETag` (a hash of the body) and `Cache-Control`, so
//! an unchanged feed costs a `304 Not Modified`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use daily_papers_core::arxiv::filter::keep_for_topic;
use daily_papers_core::arxiv::parse_feed;
use daily_papers_core::arxiv::topic_query::topic_query_url;
use daily_papers_core::arxiv::Paper;
use daily_papers_core::date::Date;
use daily_papers_core::digest::feed::{write_feed, FeedEntry, FeedMeta};
use daily_papers_core::share_link::{read_share_fragment, SHARE_PREFIX};
use sha2::{Digest, Sha256};

use crate::proxy::{Proxy, Served};
use crate::query_params::ArxivQuery;

/// The most topics one feed follows: a list longer than this is refused, so that one request
/// cannot queue hundreds of arXiv queries.
pub const MAX_FEED_TOPICS: usize = 100;
/// The most papers per topic in the feed (its newest).
pub const FEED_PAPERS_PER_TOPIC: usize = 50;
/// How long a reader may keep a complete feed (arXiv announces once a day; readers poll every
/// 15 minutes or so).
pub const FEED_MAX_AGE: Duration = Duration::from_secs(15 * 60);
/// The shortest wait asked when topics are still being fetched.
const MIN_RETRY: Duration = Duration::from_secs(30);
const MAX_RETRY: Duration = Duration::from_secs(10 * 60);

const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";

#[derive(Clone)]
struct FeedState {
    proxy: Arc<Proxy>,
    /// The spacing between upstream requests, to say how long a queued topic may take.
    spacing: Duration,
}

/// The `/feed` route, answering from `proxy`'s cache.
pub fn router(proxy: Arc<Proxy>, spacing: Duration) -> Router {
    Router::new()
        .route("/feed", get(feed))
        .with_state(FeedState { proxy, spacing })
}

fn refuse(message: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message + "\n",
    )
        .into_response()
}

fn today() -> Option<Date> {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Date::from_unix_days(i64::try_from(seconds / 86_400).ok()?)
}

/// The `list` parameter, percent-decoded.
fn list_param(uri: &Uri) -> Option<String> {
    form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "list")
        .map(|(_, value)| value.into_owned())
}

async fn feed(
    State(state): State<FeedState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    // The reader's queries count in its address's share of the upstream line: topics past it
    // stay pending until a later poll.
    let client = peer.map(|Extension(ConnectInfo(peer))| peer.ip().to_canonical());
    let Some(list) = list_param(&uri) else {
        return refuse(
            "Add the list to follow: /feed?list=… with what follows #share= in the page's share link."
                .to_owned(),
        );
    };
    let fragment = if list.starts_with(SHARE_PREFIX) {
        list.clone()
    } else {
        format!("{SHARE_PREFIX}{list}")
    };
    let config = match read_share_fragment(&fragment) {
        Some(Ok(config)) => config,
        Some(Err(e)) => return refuse(e.to_string()),
        None => return refuse("This is not a share link's list.".to_owned()),
    };
    if config.topics.len() > MAX_FEED_TOPICS {
        return refuse(format!(
            "This list has {} topics; a feed follows at most {MAX_FEED_TOPICS}. Share a shorter list.",
            config.topics.len()
        ));
    }
    let Some(today) = today() else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server's clock gives no date\n",
        )
            .into_response();
    };
    let settings = &config.settings;
    let mut entries: Vec<FeedEntry> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for topic in &config.topics {
        let name = topic.name().as_str().to_owned();
        // The page's own URL for this topic; only its query (the cache key) is used.
        let query = topic_query_url(
            daily_papers_core::arxiv::terms::API_URL,
            topic,
            &settings.query_options(),
        )
        .ok()
        .and_then(|url| url.split_once('?').map(|(_, q)| q.to_owned()))
        .and_then(|q| ArxivQuery::parse(Some(&q)).ok());
        let Some(query) = query else {
            pending.push(format!("{name} (its search cannot be asked)"));
            continue;
        };
        // Polled once: a cached answer comes back at once; otherwise the query is now queued
        // (or joined, if already on its way) and this feed does not wait for it.
        let answer = tokio::time::timeout(Duration::ZERO, state.proxy.answer(&query, client)).await;
        let cached = match answer {
            Ok(Served::Hit(cached) | Served::Miss(cached) | Served::Stale(cached, _)) => cached,
            Ok(Served::Failed(_)) | Err(_) => {
                pending.push(name);
                continue;
            }
        };
        let Ok(parsed) = parse_feed(&cached.answer.body) else {
            pending.push(format!("{name} (arXiv's answer could not be read)"));
            continue;
        };
        let papers = keep_for_topic(parsed.papers, topic, &settings.categories);
        for paper in papers.into_iter().take(FEED_PAPERS_PER_TOPIC) {
            let Ok(found) = paper.date().parse::<Date>() else {
                continue;
            };
            entries.push(FeedEntry {
                topic: name.clone(),
                found,
                paper,
            });
        }
    }
    // Newest first; a day's papers in the list's order.
    entries.sort_by_key(|e| std::cmp::Reverse(e.found));
    let retry = (!pending.is_empty()).then(|| {
        let queued =
            u32::try_from(pending.len() + state.proxy.requests_waiting()).unwrap_or(u32::MAX);
        state
            .spacing
            .saturating_mul(queued)
            .clamp(MIN_RETRY, MAX_RETRY)
    });
    if let Some(retry) = retry {
        entries.insert(0, pending_entry(&pending, today, retry));
    }
    let digest = Sha256::digest(list.as_bytes());
    let meta = FeedMeta {
        id: format!("urn:daily-papers:list:{}", URL_SAFE_NO_PAD.encode(digest)),
        title: match config.topics.len() {
            1 => format!(
                "Daily Papers: {}",
                config
                    .topics
                    .iter()
                    .map(|t| t.name().as_str())
                    .collect::<String>()
            ),
            n => format!("Daily Papers: {n} topics"),
        },
        self_link: None,
        page_link: None,
    };
    let body = match write_feed(&meta, today, &entries) {
        Ok(body) => body,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
    };
    answer(body, retry, &headers)
}

/// The one entry that says which topics are not in the feed yet.
fn pending_entry(pending: &[String], today: Date, retry: Duration) -> FeedEntry {
    FeedEntry {
        topic: String::new(),
        found: today,
        paper: Paper {
            id: "pending".to_owned(),
            title: format!(
                "Not in this feed yet: {}",
                pending.join(", ")
            ),
            abstract_text: format!(
                "The server has not fetched {} from arXiv recently and does not make a feed wait for arXiv. It is asking now; the papers come with a poll in about {} seconds.",
                if pending.len() == 1 { "this topic" } else { "these topics" },
                retry.as_secs()
            ),
            ..Paper::default()
        },
    }
}

/// 200 with the feed, or 304 when the reader already has it.
fn answer(body: String, retry: Option<Duration>, request: &HeaderMap) -> Response {
    let hash = Sha256::digest(body.as_bytes());
    let etag = format!(
        "\"{}\"",
        URL_SAFE_NO_PAD.encode(hash.get(..16).unwrap_or_default())
    );
    let max_age = retry.unwrap_or(FEED_MAX_AGE).as_secs();
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={max_age}")) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    if let Some(retry) = retry {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(retry.as_secs()));
    }
    let matches = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*");
    if matches {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ATOM_TYPE));
    (StatusCode::OK, headers, body).into_response()
}
