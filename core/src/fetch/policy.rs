//! What to do with each answer while fetching: keep the papers, wait and try again, or give up
//! with an error the user can act on; and how long to wait between two requests. Pure Rust: the
//! browser's fetch loop feeds it answers and the clock, and does what it says.

use crate::arxiv::atom::{parse_feed, FeedError};
use crate::arxiv::filter::CategoryFilter;
use crate::arxiv::Paper;
use crate::settings::Spacing;
use std::fmt;
use std::time::Duration;

/// Tries per keyword while arXiv says it is busy (HTTP 429 or 503), refuses the request as
/// it is (HTTP 406, seen from arXiv when a request lacks the headers it expects), or fails in a
/// way that passes (HTTP 500, 502, 504; a refused, reset or timed-out connection where the shell
/// can tell one: [`Outcome::Unanswered`]). All of them count together, so a topic costs at most
/// this many requests and waits at most the backoff of each (2, then 4 times the spacing) or a
/// `Retry-After` up to [`MAX_RETRY_AFTER`].
pub const MAX_BUSY_TRIES: u32 = 3;

/// The longest `Retry-After` we wait for. arXiv has asked for hours; waiting that long would
/// hold a scheduled job (or the page) far beyond what the user expects, so a longer request is
/// a failure now, and the next run tries again.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// The statuses that mean "not now": back off and try again.
fn is_busy(status: u16) -> bool {
    matches!(status, 406 | 429 | 503)
}

/// Server errors that pass (a proxy's bad gateway or timeout, a crash): tried again with the
/// same backoff. Other 5xx (501 not implemented, 505 …) would answer the same again.
fn is_transient(status: u16) -> bool {
    matches!(status, 500 | 502 | 504)
}

/// Tries per keyword while the feed comes back empty: arXiv sometimes answers a good query with
/// nothing by mistake, and a second try usually brings the papers; an empty second answer means
/// no paper matches (not a failure: [`Verdict::NoMatch`]).
pub const MAX_EMPTY_TRIES: u32 = 2;

/// The server's `X-Cache` header: whether the answer came from its cache (no request to arXiv,
/// so no need to wait before the next one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    Hit,
    Stale,
    Miss,
    /// Answered from the server's mirror of arXiv's metadata (`X-Source: mirror`): no request
    /// to arXiv either.
    Mirror,
    /// No header (arXiv itself, Trunk's proxy) or one we don't know.
    Unknown,
}

/// The `cache` value an answer is read with ([`CacheStatus::from_header`]): the server's
/// `X-Cache`, or `MIRROR` when its `X-Source` says the mirror answered (also without `X-Cache`).
/// `X-Cache` is believed only beside `X-Source`, which the project's own server alone sends: a
/// cache in front of arXiv itself must not take the wait between requests away.
pub fn cache_header(x_cache: Option<String>, x_source: Option<&str>) -> Option<String> {
    match x_source.map(str::trim) {
        Some(source) if source.eq_ignore_ascii_case("mirror") => Some("MIRROR".to_owned()),
        Some(_) => x_cache,
        None => None,
    }
}

/// The answer's age, from the server's `Age` header (seconds since its cache fetched it from
/// arXiv), believed only beside `X-Source` as [`cache_header`] is: a cache in front of arXiv
/// itself says nothing reliable about the project's answers.
pub fn age_header(age: Option<&str>, x_source: Option<&str>) -> Option<Duration> {
    x_source?;
    age?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

impl CacheStatus {
    pub fn from_header(value: Option<&str>) -> CacheStatus {
        match value.map(|v| v.trim().to_ascii_uppercase()).as_deref() {
            Some("HIT") => CacheStatus::Hit,
            Some("STALE") => CacheStatus::Stale,
            Some("MISS") => CacheStatus::Miss,
            Some("MIRROR") => CacheStatus::Mirror,
            _ => CacheStatus::Unknown,
        }
    }

    /// True when answering did not cost arXiv a request.
    pub fn from_cache(self) -> bool {
        matches!(
            self,
            CacheStatus::Hit | CacheStatus::Stale | CacheStatus::Mirror
        )
    }
}

/// What came back from one request.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    Answer {
        status: u16,
        body: &'a [u8],
    },
    /// The browser could not complete the request: offline, DNS, or (most often) a cross-origin
    /// endpoint that sends no CORS header — the browser hides which. Not tried again: a blocked
    /// request stays blocked.
    NetworkError,
    /// No answer, for a reason that passes (a refused, reset or timed-out connection): what a
    /// shell that can tell it from a blocked request reports. Tried again like a busy answer.
    Unanswered,
}

/// Where a message is shown: a page has a Retry button and Settings, a terminal has options, a
/// config file and the next run. Each failure has one message per shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Page,
    Terminal,
}

/// Why a keyword has no fresh papers. The `Display` text says in plain words what happened and
/// what to do; [`FetchError::detail`] adds the technical detail, shown behind "Details".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    Network { endpoint: String },
    Busy { status: u16 },
    Arxiv { message: String },
    NotAFeed { status: u16 },
    Malformed { detail: String },
    Http { status: u16 },
    Empty,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Network { endpoint } => write!(
                f,
                "Could not reach the endpoint {endpoint}. Check that you are online, then Retry. \
                 If you are, this endpoint does not answer this page: in Settings, set the endpoint \
                 to /api/query (this site's own)."
            ),
            FetchError::Busy { .. } => write!(
                f,
                "arXiv is busy and still was after {MAX_BUSY_TRIES} tries. Wait a few minutes, then \
                 Retry."
            ),
            FetchError::Arxiv { message } => write!(f, "arXiv refused the query: {message}"),
            FetchError::NotAFeed { .. } => write!(
                f,
                "The endpoint answered with something that is not a list of arXiv papers. Check \
                 the endpoint in the settings, then Retry."
            ),
            // `detail` is the parser's own sentence (what broke, and to try again).
            FetchError::Malformed { detail } => write!(
                f,
                "{detail} If it keeps happening, arXiv may be having trouble."
            ),
            FetchError::Http { status } => write!(
                f,
                "The endpoint answered with HTTP {status}. Check the endpoint in the settings, then Retry."
            ),
            // No longer a failure (an empty answer is [`Verdict::NoMatch`]); kept so an error
            // saved by an earlier release still reads.
            FetchError::Empty => write!(
                f,
                "arXiv returned nothing for this keyword. Check the spelling, or Retry later."
            ),
        }
    }
}

impl std::error::Error for FetchError {}

impl FetchError {
    /// The message in `shell`'s words: the page's is [`Display`](fmt::Display); the terminal's
    /// names the options and the config instead of buttons and settings, and says "the
    /// endpoint" of a server that may not be arXiv.
    pub fn message(&self, shell: Shell) -> String {
        if shell == Shell::Page {
            return self.to_string();
        }
        match self {
            FetchError::Network { endpoint } => format!("could not reach {endpoint}"),
            FetchError::Busy { status } => format!(
                "the endpoint was busy (HTTP {status}) {MAX_BUSY_TRIES} times; the next run tries again"
            ),
            FetchError::Arxiv { message } => format!("arXiv refused the query: {message}"),
            FetchError::NotAFeed { status } => format!(
                "the endpoint answered HTTP {status} with something that is not an arXiv feed; \
                 check --endpoint or settings.endpoint in the config"
            ),
            FetchError::Malformed { detail } => detail.clone(),
            FetchError::Http { status } if is_transient(*status) => format!(
                "The endpoint answered with HTTP {status}, {MAX_BUSY_TRIES} times; the next run tries again"
            ),
            FetchError::Http { status } => format!(
                "The endpoint answered with HTTP {status}; check --endpoint or settings.endpoint in the config"
            ),
            FetchError::Empty => "no paper matches".to_owned(),
        }
    }

    /// [`FetchError::retry_note`] in `shell`'s words.
    pub fn retry_note_in(&self, wait: Duration, shell: Shell) -> String {
        if shell == Shell::Page {
            return self.retry_note(wait);
        }
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let reason = match self {
            FetchError::Busy { status } => format!("busy (HTTP {status})"),
            FetchError::Http { status } => format!("HTTP {status}"),
            FetchError::Network { .. } => "no answer".to_owned(),
            FetchError::Empty => "an empty answer".to_owned(),
            other => other.message(shell),
        };
        format!("{reason}; trying again in {seconds} s.")
    }

    /// The technical side of the error, for whoever runs the endpoint (`None` when the message
    /// already says everything).
    pub fn detail(&self) -> Option<String> {
        match self {
            FetchError::Network { endpoint } => Some(format!(
                "The request to {endpoint} failed with no answer: no network, a server down, or a \
                 cross-origin endpoint without an Access-Control-Allow-Origin header (CORS; \
                 arXiv's own API has none). /api/query, the project's server (make host) or any \
                 server sending that header works."
            )),
            FetchError::Busy { status } => Some(format!(
                "HTTP {status} from the endpoint, {MAX_BUSY_TRIES} tries with growing waits."
            )),
            FetchError::NotAFeed { status } => Some(format!(
                "HTTP {status}, and the answer is not an Atom feed (a web page or another format)."
            )),
            _ => None,
        }
    }

    /// What the progress text says while waiting to try again after this error.
    pub fn retry_note(&self, wait: Duration) -> String {
        // Whole seconds, rounded up (u64 arithmetic: printing a u128 costs download size).
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let reason = match self {
            FetchError::Busy { status } => format!("arXiv is busy (HTTP {status})"),
            FetchError::Empty => "arXiv returned nothing".to_owned(),
            other => other.to_string(),
        };
        format!("{reason}; trying again in {seconds} s.")
    }
}

/// The decision about one answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Papers that passed the category filter, in arXiv's order (possibly none, when every
    /// paper was in another field).
    Papers(Vec<Paper>),
    /// arXiv answered with no paper, twice: nothing matches the topic yet. Not an error.
    NoMatch,
    /// Ask again after `wait` (on top of the usual spacing).
    Retry {
        wait: Duration,
        because: FetchError,
    },
    Fail(FetchError),
}

/// The tries made so far for one keyword; a fresh one per keyword per fetch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attempts {
    busy: u32,
    empty: u32,
}

impl Attempts {
    /// Judges one answer whose `Retry-After` header asked for `retry_after`: a busy answer is
    /// then tried again no sooner than asked (and never sooner than the backoff), or given up
    /// at once when the wait asked for is longer than [`MAX_RETRY_AFTER`].
    pub fn judge_with_retry_after(
        &mut self,
        outcome: Outcome<'_>,
        retry_after: Option<Duration>,
        filter: &CategoryFilter,
        spacing: Spacing,
        endpoint: &str,
    ) -> Verdict {
        let (status, body) = match outcome {
            Outcome::NetworkError => {
                return Verdict::Fail(FetchError::Network {
                    endpoint: endpoint.to_owned(),
                })
            }
            Outcome::Unanswered => {
                self.busy += 1;
                let because = FetchError::Network {
                    endpoint: endpoint.to_owned(),
                };
                return if self.busy < MAX_BUSY_TRIES {
                    Verdict::Retry {
                        wait: backoff(self.busy, spacing),
                        because,
                    }
                } else {
                    Verdict::Fail(because)
                };
            }
            Outcome::Answer { status, body } => (status, body),
        };
        if is_busy(status) || is_transient(status) {
            self.busy += 1;
            let because = if is_busy(status) {
                FetchError::Busy { status }
            } else {
                FetchError::Http { status }
            };
            let asked = retry_after.unwrap_or(Duration::ZERO);
            return if self.busy < MAX_BUSY_TRIES && asked <= MAX_RETRY_AFTER {
                Verdict::Retry {
                    wait: backoff(self.busy, spacing).max(asked),
                    because,
                }
            } else {
                Verdict::Fail(because)
            };
        }
        let success = (200..300).contains(&status);
        let feed = match parse_feed(body) {
            Ok(feed) => feed,
            Err(FeedError::ArxivError { message }) => {
                return Verdict::Fail(FetchError::Arxiv { message })
            }
            Err(_) if !success => return Verdict::Fail(FetchError::Http { status }),
            Err(FeedError::NotAFeed) => return Verdict::Fail(FetchError::NotAFeed { status }),
            Err(other) => {
                return Verdict::Fail(FetchError::Malformed {
                    detail: other.to_string(),
                })
            }
        };
        if !success {
            return Verdict::Fail(FetchError::Http { status });
        }
        if feed.papers.is_empty() {
            self.empty += 1;
            return if self.empty < MAX_EMPTY_TRIES {
                Verdict::Retry {
                    wait: Duration::ZERO,
                    because: FetchError::Empty,
                }
            } else {
                Verdict::NoMatch
            };
        }
        Verdict::Papers(filter.apply(feed.papers))
    }
}

/// Exponential backoff after the `n`-th busy answer: 2, 4, ... times the spacing (at least 1 s),
/// so a rate-limited endpoint sees fewer and fewer requests.
pub fn backoff(n: u32, spacing: Spacing) -> Duration {
    let base = spacing.duration().max(Duration::from_secs(1));
    base.saturating_mul(2u32.saturating_pow(n.min(16)))
}

/// The spacing rule: one request at a time, at least `spacing` from the end of one answer to the
/// start of the next request, except after an answer the server took from its cache.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pacer {
    last_answer_ms: Option<f64>,
    last_from_cache: bool,
}

impl Pacer {
    /// Records an answer (or a network error) at `now_ms` (any monotonic clock in milliseconds).
    pub fn answered(&mut self, now_ms: f64, cache: CacheStatus) {
        self.last_answer_ms = Some(now_ms);
        self.last_from_cache = cache.from_cache();
    }

    /// How long to wait at `now_ms` before the next request may start.
    pub fn wait_before_next(&self, now_ms: f64, spacing: Spacing) -> Duration {
        match self.last_answer_ms {
            None => Duration::ZERO,
            Some(_) if self.last_from_cache => Duration::ZERO,
            Some(last) => {
                let left_ms = f64::from(spacing.millis()) - (now_ms - last);
                if left_ms.is_finite() && left_ms > 0.0 {
                    Duration::from_millis(left_ms.ceil() as u64)
                } else {
                    Duration::ZERO
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENDPOINT: &str = "http://127.0.0.1:9/api/query";

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/arxiv/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn answer(status: u16, body: &[u8]) -> Outcome<'_> {
        Outcome::Answer { status, body }
    }

    fn judge(attempts: &mut Attempts, outcome: Outcome<'_>) -> Verdict {
        attempts.judge_with_retry_after(
            outcome,
            None,
            &CategoryFilter::default(),
            Spacing::from_millis(3_000),
            ENDPOINT,
        )
    }

    #[test]
    fn a_good_feed_gives_its_papers_filtered_by_category() {
        let body = fixture("search-10-entries.xml");
        let all = parse_feed(&body).unwrap().papers;
        let expected = CategoryFilter::default().apply(all.clone());
        assert!(!expected.is_empty());
        match judge(&mut Attempts::default(), answer(200, &body)) {
            Verdict::Papers(papers) => assert_eq!(papers, expected),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn busy_answers_back_off_then_give_up_after_three_tries() {
        let page = b"<html><body>Rate exceeded.</body></html>";
        let mut a = Attempts::default();
        let first = judge(&mut a, answer(429, page));
        let second = judge(&mut a, answer(503, page));
        let third = judge(&mut a, answer(429, page));
        match (first, second) {
            (
                Verdict::Retry {
                    wait: w1,
                    because: b1,
                },
                Verdict::Retry { wait: w2, .. },
            ) => {
                assert_eq!(b1, FetchError::Busy { status: 429 });
                assert_eq!(w1, Duration::from_secs(6));
                assert_eq!(w2, Duration::from_secs(12));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(third, Verdict::Fail(FetchError::Busy { status: 429 }));
    }

    #[test]
    fn a_406_backs_off_like_a_busy_answer() {
        let mut a = Attempts::default();
        assert_eq!(
            judge(&mut a, answer(406, b"Not Acceptable")),
            Verdict::Retry {
                wait: Duration::from_secs(6),
                because: FetchError::Busy { status: 406 }
            }
        );
    }

    #[test]
    fn retry_after_is_honoured_when_longer_than_the_backoff_and_refused_when_too_long() {
        let judge_after = |a: &mut Attempts, seconds: u64| {
            a.judge_with_retry_after(
                answer(429, b""),
                Some(Duration::from_secs(seconds)),
                &CategoryFilter::default(),
                Spacing::from_millis(3_000),
                ENDPOINT,
            )
        };
        let mut a = Attempts::default();
        assert!(
            matches!(judge_after(&mut a, 20), Verdict::Retry { wait, .. } if wait == Duration::from_secs(20))
        );
        // Shorter than the backoff (12 s for the second busy answer): the backoff wins.
        assert!(
            matches!(judge_after(&mut a, 1), Verdict::Retry { wait, .. } if wait == Duration::from_secs(12))
        );
        let mut b = Attempts::default();
        assert_eq!(
            judge_after(&mut b, 3_600),
            Verdict::Fail(FetchError::Busy { status: 429 })
        );
    }

    #[test]
    fn transient_server_errors_back_off_like_busy_answers_then_fail_with_their_status() {
        let mut a = Attempts::default();
        assert_eq!(
            judge(&mut a, answer(502, b"Bad Gateway")),
            Verdict::Retry {
                wait: Duration::from_secs(6),
                because: FetchError::Http { status: 502 }
            }
        );
        assert!(
            matches!(judge(&mut a, answer(500, b"")), Verdict::Retry { wait, .. } if wait == Duration::from_secs(12))
        );
        assert_eq!(
            judge(&mut a, answer(504, b"")),
            Verdict::Fail(FetchError::Http { status: 504 })
        );
        // A status that would answer the same again fails at once.
        assert_eq!(
            judge(&mut Attempts::default(), answer(501, b"")),
            Verdict::Fail(FetchError::Http { status: 501 })
        );
        let mut b = Attempts::default();
        assert!(matches!(judge(&mut b, answer(502, b"")), Verdict::Retry { .. }));
        assert!(matches!(
            judge(&mut b, answer(200, &fixture("single-entry.xml"))),
            Verdict::Papers(_)
        ));
    }

    #[test]
    fn an_unanswered_request_is_tried_again_and_a_blocked_one_is_not() {
        let network = FetchError::Network {
            endpoint: ENDPOINT.to_owned(),
        };
        let mut a = Attempts::default();
        assert_eq!(
            judge(&mut a, Outcome::Unanswered),
            Verdict::Retry {
                wait: Duration::from_secs(6),
                because: network.clone()
            }
        );
        // Busy answers and failures that pass share the bounded number of tries.
        assert!(matches!(judge(&mut a, answer(503, b"")), Verdict::Retry { .. }));
        assert_eq!(judge(&mut a, Outcome::Unanswered), Verdict::Fail(network.clone()));
        assert_eq!(
            judge(&mut Attempts::default(), Outcome::NetworkError),
            Verdict::Fail(network)
        );
    }

    #[test]
    fn each_failure_has_a_page_and_a_terminal_wording() {
        let all = [
            FetchError::Network {
                endpoint: ENDPOINT.to_owned(),
            },
            FetchError::Busy { status: 429 },
            FetchError::Arxiv {
                message: "bad query".to_owned(),
            },
            FetchError::NotAFeed { status: 200 },
            FetchError::Http { status: 404 },
            FetchError::Http { status: 502 },
            FetchError::Empty,
        ];
        for error in &all {
            assert_eq!(error.message(Shell::Page), error.to_string());
            let terminal = error.message(Shell::Terminal);
            for page_words in ["Retry", "Settings", "settings,", "this page", "paste"] {
                assert!(!terminal.contains(page_words), "{terminal}");
            }
            let note = error.retry_note_in(Duration::from_secs(2), Shell::Terminal);
            assert!(note.ends_with("; trying again in 2 s."), "{note}");
            assert!(!note.contains("Retry"), "{note}");
        }
        // The server that answered busy is not always arXiv.
        let busy = FetchError::Busy { status: 429 };
        assert!(!busy.message(Shell::Terminal).contains("arXiv"));
        assert_eq!(
            busy.retry_note_in(Duration::from_secs(3), Shell::Terminal),
            "busy (HTTP 429); trying again in 3 s."
        );
        assert!(FetchError::Http { status: 502 }
            .message(Shell::Terminal)
            .contains("the next run tries again"));
        assert!(FetchError::Http { status: 404 }
            .message(Shell::Terminal)
            .contains("--endpoint"));
    }

    #[test]
    fn busy_then_good_answer_gives_the_papers() {
        let body = fixture("single-entry.xml");
        let mut a = Attempts::default();
        assert!(matches!(
            judge(&mut a, answer(503, b"")),
            Verdict::Retry { .. }
        ));
        assert!(matches!(
            judge(&mut a, answer(200, &body)),
            Verdict::Papers(_)
        ));
    }

    #[test]
    fn an_empty_feed_is_retried_once_then_is_no_match_not_an_error() {
        let body = fixture("empty-result.xml");
        let mut a = Attempts::default();
        assert_eq!(
            judge(&mut a, answer(200, &body)),
            Verdict::Retry {
                wait: Duration::ZERO,
                because: FetchError::Empty
            }
        );
        assert_eq!(judge(&mut a, answer(200, &body)), Verdict::NoMatch);
        assert!(FetchError::Empty
            .to_string()
            .contains("arXiv returned nothing"));
    }

    #[test]
    fn busy_answers_do_not_use_up_the_empty_retry() {
        let body = fixture("empty-result.xml");
        let mut a = Attempts::default();
        assert!(matches!(
            judge(&mut a, answer(200, &body)),
            Verdict::Retry { .. }
        ));
        assert!(matches!(
            judge(&mut a, answer(503, b"")),
            Verdict::Retry { .. }
        ));
        assert_eq!(judge(&mut a, answer(200, &body)), Verdict::NoMatch);
    }

    #[test]
    fn arxiv_error_entry_shows_arxivs_message() {
        let body = fixture("error-bad-id-http400.xml");
        match judge(&mut Attempts::default(), answer(400, &body)) {
            Verdict::Fail(FetchError::Arxiv { message }) => {
                assert!(!message.is_empty());
                let shown = FetchError::Arxiv {
                    message: message.clone(),
                }
                .to_string();
                assert!(shown.contains(&message));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_truncated_feed_is_malformed() {
        let body = fixture("search-10-entries.xml");
        let cut = &body[..body.len() / 2];
        match judge(&mut Attempts::default(), answer(200, cut)) {
            Verdict::Fail(FetchError::Malformed { detail }) => assert!(!detail.is_empty()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_broken_feed_is_explained_once_not_nested_in_a_second_message() {
        let body = fixture("single-entry.xml");
        let cut = &body[..body.len() / 2];
        let Verdict::Fail(error) = judge(&mut Attempts::default(), answer(200, cut)) else {
            panic!("a cut feed must fail");
        };
        let text = error.to_string();
        assert!(
            text.starts_with("arXiv's answer was cut off or damaged ("),
            "{text}"
        );
        assert_eq!(text.matches("arXiv's answer").count(), 1, "{text}");
        assert!(text.ends_with("If it keeps happening, arXiv may be having trouble."));
    }

    #[test]
    fn a_web_page_with_200_is_not_a_feed() {
        let page = b"<!DOCTYPE html><html><head><title>Hi</title></head><body>x</body></html>";
        assert_eq!(
            judge(&mut Attempts::default(), answer(200, page)),
            Verdict::Fail(FetchError::NotAFeed { status: 200 })
        );
    }

    #[test]
    fn other_http_errors_say_the_status() {
        assert_eq!(
            judge(&mut Attempts::default(), answer(404, b"Not Found")),
            Verdict::Fail(FetchError::Http { status: 404 })
        );
        assert!(FetchError::Http { status: 502 }.to_string().contains("502"));
    }

    #[test]
    fn network_error_says_what_to_do_and_explains_cross_origin_in_the_detail() {
        let verdict = judge(&mut Attempts::default(), Outcome::NetworkError);
        let Verdict::Fail(err) = verdict else {
            panic!("{verdict:?}")
        };
        let text = err.to_string();
        assert!(text.contains(ENDPOINT));
        assert!(text.contains("online"), "{text}");
        assert!(text.contains("Retry"), "{text}");
        assert!(text.contains("/api/query"), "{text}");
        // The plain message has no jargon; the detail has the technical cause.
        assert!(
            !text.contains("CORS") && !text.contains("Access-Control"),
            "{text}"
        );
        let detail = err.detail().unwrap_or_default();
        assert!(detail.contains("cross-origin"), "{detail}");
        assert!(detail.contains("Access-Control-Allow-Origin"), "{detail}");
        assert!(detail.contains(ENDPOINT), "{detail}");
    }

    #[test]
    fn status_codes_are_in_the_detail_or_the_message() {
        let busy = FetchError::Busy { status: 429 };
        assert!(busy.to_string().contains("busy"));
        assert!(busy.detail().unwrap_or_default().contains("HTTP 429"));
        let page = FetchError::NotAFeed { status: 200 };
        assert!(page.detail().unwrap_or_default().contains("HTTP 200"));
        assert!(FetchError::Http { status: 502 }.to_string().contains("502"));
        assert_eq!(FetchError::Empty.detail(), None);
    }

    #[test]
    fn every_error_is_a_different_message() {
        let errors = [
            FetchError::Network {
                endpoint: ENDPOINT.into(),
            },
            FetchError::Busy { status: 429 },
            FetchError::Arxiv {
                message: "bad id".into(),
            },
            FetchError::NotAFeed { status: 200 },
            FetchError::Malformed {
                detail: "eof".into(),
            },
            FetchError::Http { status: 500 },
            FetchError::Empty,
        ];
        let texts: std::collections::HashSet<String> =
            errors.iter().map(ToString::to_string).collect();
        assert_eq!(texts.len(), errors.len());
    }

    #[test]
    fn x_cache_header_is_read_loosely() {
        assert_eq!(CacheStatus::from_header(Some("HIT")), CacheStatus::Hit);
        assert_eq!(
            CacheStatus::from_header(Some(" stale ")),
            CacheStatus::Stale
        );
        assert_eq!(CacheStatus::from_header(Some("MISS")), CacheStatus::Miss);
        assert_eq!(
            CacheStatus::from_header(Some("bypass")),
            CacheStatus::Unknown
        );
        assert_eq!(CacheStatus::from_header(None), CacheStatus::Unknown);
        assert!(CacheStatus::Hit.from_cache() && CacheStatus::Stale.from_cache());
        assert!(!CacheStatus::Miss.from_cache() && !CacheStatus::Unknown.from_cache());
    }

    #[test]
    fn an_answer_from_the_mirror_needs_no_spacing_after_it() {
        let read = |x_cache: Option<&str>, x_source: Option<&str>| {
            CacheStatus::from_header(cache_header(x_cache.map(str::to_owned), x_source).as_deref())
        };
        assert_eq!(read(None, Some("mirror")), CacheStatus::Mirror);
        assert_eq!(read(Some("MISS"), Some(" Mirror ")), CacheStatus::Mirror);
        assert_eq!(read(Some("MISS"), Some("arxiv")), CacheStatus::Miss);
        assert_eq!(read(Some("HIT"), Some("arxiv")), CacheStatus::Hit);
        let spacing = Spacing::from_millis(3_000);
        let mut pacer = Pacer::default();
        pacer.answered(1_000.0, read(None, Some("mirror")));
        assert_eq!(pacer.wait_before_next(1_001.0, spacing), Duration::ZERO);
        pacer.answered(2_000.0, read(None, Some("arxiv")));
        assert_eq!(
            pacer.wait_before_next(2_000.0, spacing),
            Duration::from_millis(3_000)
        );
    }

    #[test]
    fn a_cache_hit_is_believed_only_from_the_projects_own_server() {
        // A cache in front of arXiv itself (or any endpoint) saying HIT without the server's
        // X-Source: the spacing is kept, since the next request may reach arXiv.
        let spacing = Spacing::from_millis(3_000);
        let mut pacer = Pacer::default();
        let status = CacheStatus::from_header(cache_header(Some("HIT".to_owned()), None).as_deref());
        assert_eq!(status, CacheStatus::Unknown);
        pacer.answered(1_000.0, status);
        assert_eq!(
            pacer.wait_before_next(1_000.0, spacing),
            Duration::from_millis(3_000)
        );
        // The project's server's own cache hit: no wait.
        let ours = CacheStatus::from_header(
            cache_header(Some("HIT".to_owned()), Some("arxiv")).as_deref(),
        );
        pacer.answered(2_000.0, ours);
        assert_eq!(pacer.wait_before_next(2_000.0, spacing), Duration::ZERO);
    }

    #[test]
    fn first_request_goes_at_once_then_spacing_is_kept() {
        let spacing = Spacing::from_millis(3_000);
        let mut pacer = Pacer::default();
        assert_eq!(pacer.wait_before_next(0.0, spacing), Duration::ZERO);
        pacer.answered(1_000.0, CacheStatus::Miss);
        assert_eq!(
            pacer.wait_before_next(1_000.0, spacing),
            Duration::from_millis(3_000)
        );
        assert_eq!(
            pacer.wait_before_next(2_500.0, spacing),
            Duration::from_millis(1_500)
        );
        assert_eq!(pacer.wait_before_next(4_000.0, spacing), Duration::ZERO);
        assert_eq!(pacer.wait_before_next(9_000.0, spacing), Duration::ZERO);
    }

    #[test]
    fn an_answer_from_the_servers_cache_needs_no_spacing() {
        let spacing = Spacing::from_millis(3_000);
        let mut pacer = Pacer::default();
        pacer.answered(1_000.0, CacheStatus::Hit);
        assert_eq!(pacer.wait_before_next(1_000.0, spacing), Duration::ZERO);
        pacer.answered(1_100.0, CacheStatus::Stale);
        assert_eq!(pacer.wait_before_next(1_100.0, spacing), Duration::ZERO);
        pacer.answered(1_200.0, CacheStatus::Unknown);
        assert_eq!(
            pacer.wait_before_next(1_200.0, spacing),
            Duration::from_millis(3_000)
        );
    }

    #[test]
    fn while_waiting_the_note_says_why_and_how_long() {
        assert_eq!(
            FetchError::Busy { status: 429 }.retry_note(Duration::from_millis(5_500)),
            "arXiv is busy (HTTP 429); trying again in 6 s."
        );
        assert_eq!(
            FetchError::Empty.retry_note(Duration::from_secs(3)),
            "arXiv returned nothing; trying again in 3 s."
        );
    }

    #[test]
    fn backoff_grows_and_has_a_floor() {
        assert_eq!(backoff(1, Spacing::from_millis(0)), Duration::from_secs(2));
        assert_eq!(backoff(2, Spacing::from_millis(0)), Duration::from_secs(4));
        assert_eq!(
            backoff(1, Spacing::from_millis(5_000)),
            Duration::from_secs(10)
        );
        // Never overflows, whatever the count.
        assert!(backoff(u32::MAX, Spacing::from_millis(600_000)) > Duration::ZERO);
    }
}
