//! One topic's requests, from the first to the answer the policy keeps or gives up on: the loop
//! the browser app and the command-line tool share, so both wait, retry and give up alike.
//!
//! The loop owns no clock and no network: the caller hands in a [`Transport`] (the browser's
//! `fetch` and timers, or an HTTP client and a runtime's sleep). The decisions stay in
//! [`crate::fetch::policy`]: [`Pacer`] says how long to wait before a request, [`Attempts`] what
//! an answer means.

use crate::arxiv::Paper;
use crate::arxiv::terms;
use crate::fetch::policy::{
    age_header, cache_header, Attempts, CacheStatus, FetchError, Outcome, Pacer, Verdict,
};
use crate::settings::Settings;
use std::time::{Duration, SystemTime};

/// One HTTP answer, as much of it as the policy reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    /// The server's `X-Cache` header (an answer from its cache needs no spacing after it).
    pub cache: Option<String>,
    /// The `Retry-After` header, already turned into a wait (see
    /// [`crate::arxiv::terms::retry_after`]).
    pub retry_after: Option<Duration>,
    /// How long ago the server's cache fetched this answer from arXiv (its `Age` header, see
    /// [`crate::fetch::policy::age_header`]); `None`: just now.
    pub age: Option<Duration>,
}

impl Answer {
    /// An answer's status and headers as every shell reads them, its body still to come:
    /// `header` gives a response header by its lower-case name; `now` turns a `Retry-After`
    /// date into a wait. `X-Cache` and `Age` are believed only beside the project's own
    /// `X-Source` ([`cache_header`], [`age_header`]).
    pub fn head(status: u16, header: impl Fn(&str) -> Option<String>, now: SystemTime) -> Answer {
        let source = header("x-source");
        Answer {
            status,
            body: Vec::new(),
            cache: cache_header(header("x-cache"), source.as_deref()),
            retry_after: header("retry-after").and_then(|v| terms::retry_after(&v, now)),
            age: age_header(header("age").as_deref(), source.as_deref()),
        }
    }
}

/// What the loop needs from its surroundings.
///
/// `async fn` in a public trait has no `Send` bound on its futures; both callers run the loop on
/// one thread (the browser's event loop, a current-thread runtime), so none is needed.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// One GET of `url`; `Err` with a short reason when no answer came (offline, refused,
    /// blocked). One request at a time: the loop never calls this twice at once.
    async fn get(&mut self, url: &str) -> Result<Answer, String>;
    /// Waits `wait`; `false` when the user cancelled meanwhile (the loop then stops).
    async fn sleep(&mut self, wait: Duration) -> bool;
    /// A monotonic clock in milliseconds (any origin): the spacing is measured on it.
    fn now_ms(&self) -> f64;
    /// True when an `Err` of [`Transport::get`] is a failure that passes (refused, reset, timed
    /// out), tried again as [`Outcome::Unanswered`]. A browser cannot tell one from a blocked
    /// cross-origin request, which stays blocked: `false` by default.
    fn errors_pass(&self) -> bool {
        false
    }
}

/// How one topic's requests ended: the fetch contract both shells keep (what the topic then
/// keeps is [`crate::fetch::outcome::results_after`]).
#[derive(Debug, Clone, PartialEq)]
pub enum TopicFetch {
    /// The papers the policy kept (possibly none, when every paper was in another field).
    Papers {
        papers: Vec<Paper>,
        freshness: Freshness,
    },
    /// arXiv answered empty twice: no paper matches the topic (not a failure).
    NoMatch { freshness: Freshness },
    /// Given up; the topic keeps its previous papers.
    Failed(FetchError),
    /// [`Transport::sleep`] said the user cancelled.
    Cancelled,
}

/// How fresh the answer a fetch ended with is: from arXiv just now, or from the server's cache,
/// fetched `age` ago (stale when arXiv failed and the server gave its old answer instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    pub age: Duration,
    pub source: CacheStatus,
}

impl Freshness {
    /// An answer from arXiv just now.
    pub const NOW: Freshness = Freshness {
        age: Duration::ZERO,
        source: CacheStatus::Unknown,
    };

    /// A cache's old answer given because arXiv failed.
    pub fn stale(&self) -> bool {
        self.source == CacheStatus::Stale
    }
}

/// Asks for `url` until the policy keeps the papers or gives up. `pacer` is shared by every
/// topic of a run (the spacing runs from one topic's last answer to the next topic's first
/// request); `on_retry` is told why and how long before each new try ("arXiv is busy (HTTP
/// 429); trying again in 6 s").
pub async fn fetch_topic<T: Transport>(
    transport: &mut T,
    pacer: &mut Pacer,
    url: &str,
    settings: &Settings,
    mut on_retry: impl FnMut(&FetchError, Duration),
) -> TopicFetch {
    let spacing = settings.effective_spacing();
    let endpoint = settings.endpoint.as_str();
    let mut attempts = Attempts::default();
    loop {
        let wait = pacer.wait_before_next(transport.now_ms(), spacing);
        if !transport.sleep(wait).await {
            return TopicFetch::Cancelled;
        }
        let answer = transport.get(url).await;
        let freshness = match &answer {
            Ok(a) => Freshness {
                age: a.age.unwrap_or_default(),
                source: CacheStatus::from_header(a.cache.as_deref()),
            },
            Err(_) => Freshness::NOW,
        };
        let (outcome, cache, retry_after) = match &answer {
            Ok(a) => (
                Outcome::Answer {
                    status: a.status,
                    body: &a.body,
                },
                CacheStatus::from_header(a.cache.as_deref()),
                a.retry_after,
            ),
            Err(_) if transport.errors_pass() => (Outcome::Unanswered, CacheStatus::Unknown, None),
            Err(_) => (Outcome::NetworkError, CacheStatus::Unknown, None),
        };
        pacer.answered(transport.now_ms(), cache);
        let verdict = attempts.judge_with_retry_after(
            outcome,
            retry_after,
            &settings.categories,
            spacing,
            endpoint,
        );
        match verdict {
            Verdict::Papers(papers) => return TopicFetch::Papers { papers, freshness },
            Verdict::Fail(error) => return TopicFetch::Failed(error),
            Verdict::NoMatch => return TopicFetch::NoMatch { freshness },
            Verdict::Retry { wait, because } => {
                on_retry(&because, wait + spacing.duration());
                if !transport.sleep(wait).await {
                    return TopicFetch::Cancelled;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    /// A scripted network on a virtual clock: every answer takes 100 ms, sleeps advance the clock.
    struct Script {
        answers: VecDeque<Result<Answer, String>>,
        now: f64,
        /// (time the request started, url)
        requests: Vec<f64>,
        cancel_after_sleeps: Option<usize>,
        sleeps: usize,
    }

    impl Transport for Script {
        async fn get(&mut self, _url: &str) -> Result<Answer, String> {
            self.requests.push(self.now);
            self.now += 100.0;
            self.answers.pop_front().unwrap_or(Err("no more".into()))
        }
        async fn sleep(&mut self, wait: Duration) -> bool {
            self.sleeps += 1;
            self.now += wait.as_secs_f64() * 1000.0;
            self.cancel_after_sleeps.is_none_or(|n| self.sleeps <= n)
        }
        fn now_ms(&self) -> f64 {
            self.now
        }
    }

    /// The loop never waits on anything but the script, so one poll finishes it.
    fn run<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        match future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(out) => out,
            Poll::Pending => panic!("the scripted transport never blocks"),
        }
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/arxiv/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    fn ok(body: Vec<u8>) -> Result<Answer, String> {
        Ok(Answer {
            status: 200,
            body,
            ..Answer::default()
        })
    }

    fn script(answers: Vec<Result<Answer, String>>) -> Script {
        Script {
            answers: answers.into(),
            now: 0.0,
            requests: Vec::new(),
            cancel_after_sleeps: None,
            sleeps: 0,
        }
    }

    fn settings(spacing: &str) -> Settings {
        let mut s = Settings::default();
        s.set_endpoint("http://127.0.0.1:9/api/query").unwrap();
        s.set_spacing(spacing).unwrap();
        s
    }

    #[test]
    fn busy_with_retry_after_then_papers_waits_as_asked_and_spaces_topics() {
        let busy = Ok(Answer {
            status: 429,
            retry_after: Some(Duration::from_secs(20)),
            ..Answer::default()
        });
        let mut t = script(vec![
            busy,
            ok(fixture("single-entry.xml")),
            ok(fixture("search-10-entries.xml")),
        ]);
        let mut pacer = Pacer::default();
        let s = settings("1");
        let mut notes = Vec::new();
        let first = run(fetch_topic(&mut t, &mut pacer, "u1", &s, |e, w| {
            notes.push(e.retry_note(w))
        }));
        assert!(matches!(first, TopicFetch::Papers { ref papers, .. } if papers.len() == 1));
        assert_eq!(notes, ["arXiv is busy (HTTP 429); trying again in 21 s."]);
        let second = run(fetch_topic(&mut t, &mut pacer, "u2", &s, |_, _| {}));
        assert!(matches!(second, TopicFetch::Papers { ref papers, .. } if !papers.is_empty()));
        // 0: first try, answered at 100; Retry-After 20 s (the spacing has passed by then):
        // 20 100. The next topic starts 1 s after that answer, at 21 200.
        assert_eq!(t.requests, [0.0, 20_100.0, 21_200.0]);
    }

    #[test]
    fn a_network_error_fails_and_cancel_stops() {
        let mut t = script(vec![Err("refused".into())]);
        let out = run(fetch_topic(
            &mut t,
            &mut Pacer::default(),
            "u",
            &settings("0"),
            |_, _| {},
        ));
        assert!(matches!(
            out,
            TopicFetch::Failed(FetchError::Network { .. })
        ));
        let mut t = script(vec![ok(fixture("empty-result.xml"))]);
        t.cancel_after_sleeps = Some(1);
        let out = run(fetch_topic(
            &mut t,
            &mut Pacer::default(),
            "u",
            &settings("0"),
            |_, _| {},
        ));
        assert_eq!(out, TopicFetch::Cancelled);
    }
}
