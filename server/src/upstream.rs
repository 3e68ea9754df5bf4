//! One request to the upstream arXiv API, and what its answer means for the app.
//!
//! Answers that are Atom XML pass through: a feed (200) and arXiv's own error entries (400 with an
//! Atom body). Everything else becomes an [`UpstreamError`] that names an HTTP status the app can
//! show: a timeout is 504, an unreachable or misbehaving upstream 502, a busy one (429, 503, and
//! 406, which arXiv has sent to clients it did not like) 503 with `Retry-After`.
//!
//! Redirects are never followed: the configured upstream is the only host this server talks to,
//! so a 3xx (to another port, another host, or a loop) is a 502 that says so.

use std::fmt;
use std::time::Duration;

use axum::http::{header, StatusCode};
use bytes::{Bytes, BytesMut};
use reqwest::Url;

use crate::config::Settings;
use crate::query_params::ArxivQuery;

/// The largest answer accepted; 2000 entries with long abstracts stay well below it.
pub const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;
/// How long to ask clients to wait when upstream is busy and does not say for how long.
pub const DEFAULT_BUSY_RETRY: Duration = Duration::from_secs(30);
/// The longest upstream `Retry-After` honoured, so a wrong header cannot stop the server for days.
pub const MAX_BUSY_RETRY: Duration = Duration::from_secs(10 * 60);

/// An upstream answer that is passed to the app as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// 200 for a feed, 400 for an arXiv error entry.
    pub status: StatusCode,
    pub body: Bytes,
}

/// What upstream requests ask for: arXiv has answered 406 to clients that did not say.
pub const ACCEPT: &str = "application/atom+xml";

impl Answer {
    /// Whether this is arXiv's own error entry (HTTP 400 with an Atom body).
    pub fn is_arxiv_error(&self) -> bool {
        self.status == StatusCode::BAD_REQUEST
    }

    /// Whether this is a feed without a paper (read by the core's own Atom reader).
    pub fn is_empty_feed(&self) -> bool {
        self.status == StatusCode::OK
            && daily_papers_core::arxiv::parse_feed(&self.body)
                .is_ok_and(|feed| feed.papers.is_empty())
    }
}

/// Why no usable answer came from upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpstreamError {
    /// No complete answer within the configured time.
    Timeout { after: Duration },
    /// No connection could be made (refused, DNS, TLS).
    Unreachable { detail: String },
    /// The connection broke while the answer was coming.
    Broken { detail: String },
    /// Upstream asked us to slow down (429), is overloaded (503) or turned us away (406).
    Busy {
        status: StatusCode,
        retry_after: Duration,
    },
    /// Upstream's own gateway timed out (504).
    UpstreamTimeout,
    /// A redirect, which is never followed.
    Redirect {
        status: StatusCode,
        location: String,
    },
    /// Any other status that is not a feed or an arXiv error entry.
    BadStatus { status: StatusCode },
    /// A 200 or 400 answer that is not XML (for example an HTML error page).
    NotXml { content_type: String },
    /// An answer larger than [`MAX_ANSWER_BYTES`].
    TooLarge,
}

impl UpstreamError {
    /// The status the app receives.
    pub fn status(&self) -> StatusCode {
        match self {
            UpstreamError::Timeout { .. } | UpstreamError::UpstreamTimeout => {
                StatusCode::GATEWAY_TIMEOUT
            }
            UpstreamError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            UpstreamError::Unreachable { .. }
            | UpstreamError::Broken { .. }
            | UpstreamError::BadStatus { .. }
            | UpstreamError::Redirect { .. }
            | UpstreamError::NotXml { .. }
            | UpstreamError::TooLarge => StatusCode::BAD_GATEWAY,
        }
    }

    /// How long the app should wait before asking again, if upstream said it is busy.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            UpstreamError::Busy { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }
}

impl fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpstreamError::Timeout { after } => {
                write!(
                    f,
                    "arXiv did not answer within {} s; try again later",
                    after.as_secs_f32()
                )
            }
            UpstreamError::Unreachable { detail } => {
                write!(
                    f,
                    "arXiv cannot be reached from this server ({detail}); try again later"
                )
            }
            UpstreamError::Broken { detail } => {
                write!(f, "the connection to arXiv broke off ({detail}); try again")
            }
            UpstreamError::Busy {
                status,
                retry_after,
            } => write!(
                f,
                "arXiv is busy (HTTP {}); try again in {} s",
                status.as_u16(),
                retry_after.as_secs()
            ),
            UpstreamError::UpstreamTimeout => {
                f.write_str("arXiv timed out (HTTP 504); try again later")
            }
            UpstreamError::Redirect { status, location } => write!(
                f,
                "arXiv answered with a redirect (HTTP {} to {location}), which this server does not \
                 follow; check the server's --upstream setting",
                status.as_u16()
            ),
            UpstreamError::BadStatus { status } => {
                write!(
                    f,
                    "arXiv answered with HTTP {} instead of a feed; try again later",
                    status.as_u16()
                )
            }
            UpstreamError::NotXml { content_type } => write!(
                f,
                "arXiv answered with something that is not a feed ({content_type}); try again later"
            ),
            UpstreamError::TooLarge => write!(
                f,
                "arXiv's answer is larger than {} MiB; ask for fewer results",
                MAX_ANSWER_BYTES / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for UpstreamError {}

/// The client for the configured upstream endpoint.
#[derive(Debug, Clone)]
pub struct Upstream {
    client: reqwest::Client,
    endpoint: Url,
    timeout: Duration,
}

impl Upstream {
    /// A client with the configured User-Agent and timeout.
    pub fn new(settings: &Settings) -> Result<Upstream, reqwest::Error> {
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .timeout(settings.upstream_timeout)
            .connect_timeout(settings.upstream_timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Upstream {
            client,
            endpoint: settings.upstream.clone(),
            timeout: settings.upstream_timeout,
        })
    }

    /// The full upstream URL for a query.
    pub fn url_for(&self, query: &ArxivQuery) -> Url {
        let mut url = self.endpoint.clone();
        url.set_query(Some(query.encoded()));
        url
    }

    /// Makes the request and classifies the answer. Call it only while holding a limiter turn.
    pub async fn fetch(&self, query: &ArxivQuery) -> Result<Answer, UpstreamError> {
        self.fetch_url(self.url_for(query), ACCEPT).await
    }

    /// Asks any URL of the upstream service (the mirror's OAI-PMH pages) with the same client,
    /// limits and classification as a query. Call it only while holding a limiter turn.
    pub async fn fetch_url(&self, url: Url, accept: &str) -> Result<Answer, UpstreamError> {
        let response = self
            .client
            .get(url)
            .header(header::ACCEPT, accept)
            .send()
            .await
            .map_err(|e| self.classify(&e))?;
        let status = response.status();
        let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
        match status {
            StatusCode::OK | StatusCode::BAD_REQUEST => {}
            StatusCode::TOO_MANY_REQUESTS
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::NOT_ACCEPTABLE => {
                let retry_after = response
                    .headers()
                    .get(header::RETRY_AFTER)
                    .and_then(|v| parse_retry_after(v.to_str().ok()?))
                    .unwrap_or(DEFAULT_BUSY_RETRY);
                return Err(UpstreamError::Busy {
                    status,
                    retry_after,
                });
            }
            StatusCode::GATEWAY_TIMEOUT => return Err(UpstreamError::UpstreamTimeout),
            _ if status.is_redirection() => {
                let location = response
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("nowhere")
                    .chars()
                    .take(200)
                    .collect();
                return Err(UpstreamError::Redirect { status, location });
            }
            _ => return Err(UpstreamError::BadStatus { status }),
        }
        let body = self.read_body(response).await?;
        let content_type_text = content_type
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .unwrap_or("no content type");
        if !looks_like_xml(content_type_text, &body) {
            return Err(UpstreamError::NotXml {
                content_type: content_type_text.chars().take(80).collect(),
            });
        }
        Ok(Answer { status, body })
    }

    async fn read_body(&self, mut response: reqwest::Response) -> Result<Bytes, UpstreamError> {
        if response
            .content_length()
            .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
        {
            return Err(UpstreamError::TooLarge);
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(&e))? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(UpstreamError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }

    fn classify(&self, error: &reqwest::Error) -> UpstreamError {
        if error.is_timeout() {
            UpstreamError::Timeout {
                after: self.timeout,
            }
        } else if error.is_connect() {
            UpstreamError::Unreachable {
                detail: root_cause(error),
            }
        } else {
            UpstreamError::Broken {
                detail: root_cause(error),
            }
        }
    }
}

/// The innermost error message, which says what actually happened ("Connection refused").
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string().chars().take(200).collect()
}

/// `Retry-After` in seconds or as an HTTP date (the core's reader of arXiv's terms), capped.
fn parse_retry_after(value: &str) -> Option<Duration> {
    daily_papers_core::arxiv::terms::retry_after(value, std::time::SystemTime::now())
        .map(|wait| wait.min(MAX_BUSY_RETRY))
}

/// Whether an answer is XML: not labelled HTML, and starting with an XML declaration or element.
fn looks_like_xml(content_type: &str, body: &[u8]) -> bool {
    if content_type.to_ascii_lowercase().contains("html") {
        return false;
    }
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let rest = body.get(start..).unwrap_or_default();
    rest.starts_with(b"<?xml") || rest.starts_with(b"<feed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_are_xml() {
        let fixture = include_bytes!("../../core/tests/fixtures/arxiv/error-bad-id-http400.xml");
        assert!(looks_like_xml(
            "application/atom+xml; charset=UTF-8",
            fixture
        ));
        assert!(looks_like_xml(
            "no content type",
            b"\xEF\xBB\xBF\n  <feed xmlns=\"http://www.w3.org/2005/Atom\"/>"
        ));
    }

    #[test]
    fn html_pages_and_text_are_not() {
        assert!(!looks_like_xml(
            "text/html",
            b"<?xml version='1.0'?><html/>"
        ));
        assert!(!looks_like_xml(
            "application/xml",
            b"<!DOCTYPE html><html>busy</html>"
        ));
        assert!(!looks_like_xml("text/plain", b"Rate exceeded."));
        assert!(!looks_like_xml("application/atom+xml", b""));
    }

    #[test]
    fn retry_after_is_read_in_seconds_and_capped() {
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("99999999"), Some(MAX_BUSY_RETRY));
        // A date already past: no wait.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn a_retry_after_date_is_honoured_like_seconds() {
        let at = std::time::SystemTime::now() + Duration::from_secs(120);
        let wait = parse_retry_after(&httpdate::fmt_http_date(at)).unwrap();
        // The date is in whole seconds: up to one less than asked.
        assert!(
            (Duration::from_secs(118)..=Duration::from_secs(120)).contains(&wait),
            "{wait:?}"
        );
    }

    #[test]
    fn errors_map_to_gateway_statuses() {
        let busy = UpstreamError::Busy {
            status: StatusCode::TOO_MANY_REQUESTS,
            retry_after: Duration::from_secs(30),
        };
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.retry_after(), Some(Duration::from_secs(30)));
        assert_eq!(
            UpstreamError::Timeout {
                after: Duration::from_secs(30)
            }
            .status(),
            StatusCode::GATEWAY_TIMEOUT
        );
        assert_eq!(
            UpstreamError::Unreachable {
                detail: "refused".into()
            }
            .status(),
            StatusCode::BAD_GATEWAY
        );
        assert_eq!(
            UpstreamError::NotXml {
                content_type: "text/html".into()
            }
            .status(),
            StatusCode::BAD_GATEWAY
        );
        assert_eq!(
            UpstreamError::BadStatus {
                status: StatusCode::NOT_FOUND
            }
            .status(),
            StatusCode::BAD_GATEWAY
        );
    }
}
