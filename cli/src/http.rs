//! The tool's [`Transport`]: an HTTP client (rustls, as the server's) that identifies itself and
//! asks for Atom, a runtime's sleep, and a monotonic clock. The loop that uses it is the core's
//! [`daily_papers_core::fetch::run::fetch_topic`], the same as the app's.

use daily_papers_core::fetch::run::{Answer, Transport};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT};
use std::time::{Duration, Instant, SystemTime};

/// arXiv asks API clients to say who they are; a request without `Accept` may get HTTP 406.
pub const USER_AGENT: &str = concat!(
    "daily-papers-cli/",
    env!("CARGO_PKG_VERSION"),
    " (Daily Papers command-line tool; one request at a time, 3 s apart)"
);

/// A larger answer is not an arXiv feed (2,000 entries, arXiv's cap, are a few megabytes).
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

pub struct Http {
    client: reqwest::Client,
    start: Instant,
    /// Why the last request got no answer, for the summary.
    pub last_error: Option<String>,
    /// True when that failure passes (refused, reset, timed out): tried again.
    last_error_passes: bool,
}

impl Http {
    pub fn new() -> Result<Http, String> {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/atom+xml"));
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .connect_timeout(Duration::from_secs(30))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| format!("could not start the HTTP client: {e}"))?;
        Ok(Http {
            client,
            start: Instant::now(),
            last_error: None,
            last_error_passes: false,
        })
    }
}

/// The error and its causes in one line ("error sending request: connection refused").
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Why a request got no whole answer, and whether trying again may help.
struct NoAnswer {
    reason: String,
    passes: bool,
}

/// A connection refused, reset or timed out (or a name not found yet) passes; an answer too
/// large to be a feed would be as large again.
fn no_answer(error: reqwest::Error) -> NoAnswer {
    NoAnswer {
        passes: error.is_connect() || error.is_timeout() || error.is_request() || error.is_body(),
        reason: describe(&error.without_url()),
    }
}

impl Http {
    async fn fetch(&self, url: &str) -> Result<Answer, NoAnswer> {
        let mut response = self.client.get(url).send().await.map_err(no_answer)?;
        let headers = response.headers();
        let header = |name: &str| Some(headers.get(name)?.to_str().ok()?.to_owned());
        let mut answer = Answer::head(response.status().as_u16(), header, SystemTime::now());
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(no_answer)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(NoAnswer {
                    reason: format!(
                        "the answer is larger than {} MB, so it is not an arXiv feed",
                        MAX_BODY_BYTES / (1024 * 1024)
                    ),
                    passes: false,
                });
            }
            body.extend_from_slice(&chunk);
        }
        answer.body = body;
        Ok(answer)
    }
}

impl Transport for Http {
    async fn get(&mut self, url: &str) -> Result<Answer, String> {
        match self.fetch(url).await {
            Ok(answer) => {
                self.last_error = None;
                self.last_error_passes = false;
                Ok(answer)
            }
            Err(no) => {
                self.last_error = Some(no.reason.clone());
                self.last_error_passes = no.passes;
                Err(no.reason)
            }
        }
    }

    fn errors_pass(&self) -> bool {
        self.last_error_passes
    }

    async fn sleep(&mut self, wait: Duration) -> bool {
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        true
    }

    fn now_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }
}
