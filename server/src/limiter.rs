//! The global upstream limiter: arXiv's terms of use, kept for all users of this server together.
//!
//! arXiv asks for one connection at a time and at least three seconds between requests. However
//! many browsers ask at once, upstream requests here take turns: one [`Turn`] at a time, each
//! starting at least `spacing` after the previous one ended.
//!
//! Waiting is bounded in count and in time. A caller whose wait would be longer than `max_wait`
//! is refused at once, and so is one that finds every place in line taken; the caller is told how
//! long the line in front needs ([`Refused::retry_after`]), counting the request in progress and
//! each waiting one at the length of the last upstream request (bounded by the timeout). Counting
//! the request in progress at its whole timeout instead would admit about a third of the
//! configured line. A caller let in whose wait still runs past `max_wait` (upstream slowed down
//! or hangs meanwhile) is refused then.
//!
//! The line is shared fairly: one client address holds at most `per_client` places (waiting or
//! running), so a single client asking many different queries (say, varying `start`) cannot
//! fill it while others are turned away.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex as StdMutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{Mutex, OwnedMutexGuard, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Why a caller gets no turn; either way it should come back after `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub reason: RefusedBecause,
    /// About how long the line now in front would take to drain, in whole seconds (at least one).
    pub retry_after: Duration,
}

/// The bound a refused caller hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusedBecause {
    /// Every place in the waiting line is taken.
    QueueFull,
    /// The wait would be (or has become) longer than the limit.
    WaitTooLong { limit: Duration },
    /// This client address already holds its share of the line.
    ClientShare { share: usize },
}

impl RefusedBecause {
    /// A short name for logs.
    pub fn name(self) -> &'static str {
        match self {
            RefusedBecause::QueueFull => "waiting line full",
            RefusedBecause::WaitTooLong { .. } => "wait too long",
            RefusedBecause::ClientShare { .. } => "client's share of the line taken",
        }
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let after = self.retry_after.as_secs();
        match self.reason {
            RefusedBecause::QueueFull => write!(
                f,
                "too many different queries are waiting for arXiv on this server; try again in {after} s"
            ),
            RefusedBecause::WaitTooLong { limit } => write!(
                f,
                "arXiv is slow to answer and this query would wait more than {} s for its turn; \
                 try again in {after} s",
                limit.as_secs()
            ),
            RefusedBecause::ClientShare { share } => write!(
                f,
                "your address already has {share} different {} waiting for arXiv on this server, \
                 its share of the line; try again in {after} s, when some have been answered",
                if share == 1 { "query" } else { "queries" }
            ),
        }
    }
}

/// The limits a [`Limiter`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Least time between the end of one upstream request and the start of the next.
    pub spacing: Duration,
    /// How many callers may wait while one request is in progress.
    pub queue: usize,
    /// The longest an upstream request may take (the client's timeout).
    pub upstream_timeout: Duration,
    /// The longest a caller may wait for its turn.
    pub max_wait: Duration,
    /// The most places (waiting or running) one client address may hold.
    pub per_client: usize,
}

/// What the line looks like now.
#[derive(Debug, Default)]
struct Line {
    /// The earliest start of the next request, once the previous one has ended.
    next_start: Option<Instant>,
    /// When the request in progress started, if one is.
    running_since: Option<Instant>,
    /// How long the last finished upstream request took.
    last_length: Option<Duration>,
}

/// Hands out turns to call upstream, one at a time, spaced out.
#[derive(Debug)]
pub struct Limiter {
    /// One permit for the request in progress plus one per waiting place.
    places: Arc<Semaphore>,
    /// Held for the whole of an upstream request. Tokio's mutex is fair (first come, first
    /// served), so waiting requests keep their order.
    exclusive: Arc<Mutex<()>>,
    /// Readable without waiting for `exclusive`, so a caller can be told how long the line is.
    line: Arc<StdMutex<Line>>,
    /// Places held per client address.
    clients: Arc<StdMutex<HashMap<IpAddr, usize>>>,
    limits: Limits,
}

impl Limiter {
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            places: Arc::new(Semaphore::new(limits.queue.saturating_add(1))),
            exclusive: Arc::new(Mutex::new(())),
            line: Arc::new(StdMutex::new(Line::default())),
            clients: Arc::new(StdMutex::new(HashMap::new())),
            limits,
        }
    }

    /// Waits for this caller's turn to call upstream, or fails (at once if it can tell). For the
    /// server's own requests (the mirror's harvest), which no client's share limits.
    pub async fn turn(&self) -> Result<Turn, Refused> {
        self.turn_for(None).await
    }

    /// As [`Limiter::turn`], for a request asked by `client`, which may hold at most its share
    /// of the line.
    pub async fn turn_for(&self, client: Option<IpAddr>) -> Result<Turn, Refused> {
        let arrived = Instant::now();
        let wait = self.expected_wait(arrived);
        let limit = self.limits.max_wait;
        if wait > limit {
            return Err(self.refused(RefusedBecause::WaitTooLong { limit }, wait));
        }
        let share = match client {
            Some(client) => Some(self.client_place(client).ok_or_else(|| {
                let share = self.limits.per_client;
                self.refused(RefusedBecause::ClientShare { share }, wait)
            })?),
            None => None,
        };
        let place = Arc::clone(&self.places)
            .try_acquire_owned()
            .map_err(|_| self.refused(RefusedBecause::QueueFull, wait))?;
        let exclusive = async {
            let exclusive = Arc::clone(&self.exclusive).lock_owned().await;
            let next_start = lock(&self.line).next_start;
            if let Some(at) = next_start {
                tokio::time::sleep_until(at).await;
            }
            exclusive
        };
        let Ok(exclusive) = tokio::time::timeout_at(arrived + limit, exclusive).await else {
            drop(place);
            let wait = self.expected_wait(Instant::now());
            return Err(self.refused(RefusedBecause::WaitTooLong { limit }, wait));
        };
        let started = Instant::now();
        lock(&self.line).running_since = Some(started);
        Ok(Turn {
            _exclusive: exclusive,
            _place: place,
            _share: share,
            line: Arc::clone(&self.line),
            started,
            spacing: self.limits.spacing,
            hold_off: Duration::ZERO,
        })
    }

    /// One more place for `client`, unless it holds its share already.
    fn client_place(&self, client: IpAddr) -> Option<ClientPlace> {
        let mut clients = lock(&self.clients);
        let held = clients.entry(client).or_insert(0);
        if *held >= self.limits.per_client {
            return None;
        }
        *held += 1;
        Some(ClientPlace {
            clients: Arc::clone(&self.clients),
            client,
        })
    }

    /// How many requests are waiting or running now.
    pub fn in_line(&self) -> usize {
        self.limits
            .queue
            .saturating_add(1)
            .saturating_sub(self.places.available_permits())
    }

    /// How long a caller arriving `now` would wait for its turn: each request in line, the one
    /// in progress included, as long as the last request took (the one in progress at least
    /// until now), plus the spacing after each.
    fn expected_wait(&self, now: Instant) -> Duration {
        let line = lock(&self.line);
        let limits = &self.limits;
        let in_line = self.in_line();
        let typical = line
            .last_length
            .unwrap_or_default()
            .min(limits.upstream_timeout);
        let (first_start, waiting) = match line.running_since {
            Some(since) => (
                (since + typical).max(now) + limits.spacing,
                in_line.saturating_sub(1),
            ),
            None => (line.next_start.unwrap_or(now).max(now), in_line),
        };
        let each = typical.saturating_add(limits.spacing);
        let start = first_start + each.saturating_mul(u32::try_from(waiting).unwrap_or(u32::MAX));
        start.saturating_duration_since(now)
    }

    fn refused(&self, reason: RefusedBecause, wait: Duration) -> Refused {
        Refused {
            reason,
            retry_after: Duration::from_secs(whole_secs_up(wait)).max(Duration::from_secs(1)),
        }
    }
}

/// A duration in whole seconds, rounded up (any fraction of a second counts as one more).
pub(crate) fn whole_secs_up(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The lock is only held to copy or set values, so a poisoned one still holds valid values.
fn lock<T>(mutex: &StdMutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One place a client holds in the line; given back when dropped.
#[derive(Debug)]
struct ClientPlace {
    clients: Arc<StdMutex<HashMap<IpAddr, usize>>>,
    client: IpAddr,
}

impl Drop for ClientPlace {
    fn drop(&mut self) {
        let mut clients = lock(&self.clients);
        if let Some(held) = clients.get_mut(&self.client) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                clients.remove(&self.client);
            }
        }
    }
}

/// The right to make one upstream request. When dropped (the request finished, failed or was
/// abandoned), the next request may start `spacing` later, or later still after [`Turn::hold_off`].
#[derive(Debug)]
pub struct Turn {
    // Fields drop after `Drop::drop` has updated the line, so the next turn sees it.
    _exclusive: OwnedMutexGuard<()>,
    _place: OwnedSemaphorePermit,
    _share: Option<ClientPlace>,
    line: Arc<StdMutex<Line>>,
    started: Instant,
    spacing: Duration,
    hold_off: Duration,
}

impl Turn {
    /// Asks the next request to wait at least `pause` after this one (upstream said it is busy).
    pub fn hold_off(&mut self, pause: Duration) {
        self.hold_off = self.hold_off.max(pause);
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let now = Instant::now();
        let mut line = lock(&self.line);
        line.next_start = Some(now + self.spacing.max(self.hold_off));
        line.running_since = None;
        line.last_length = Some(now.saturating_duration_since(self.started));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUT: Duration = Duration::from_secs(30);

    fn limiter(spacing_s: u64, queue: usize, max_wait_s: u64) -> Limiter {
        Limiter::new(Limits {
            spacing: Duration::from_secs(spacing_s),
            queue,
            upstream_timeout: TIMEOUT,
            max_wait: Duration::from_secs(max_wait_s),
            per_client: usize::MAX,
        })
    }

    #[tokio::test(start_paused = true)]
    async fn turns_are_spaced_from_the_end_of_the_previous_request() {
        let limiter = limiter(3, 4, 60);
        let first = limiter.turn().await.unwrap();
        let started = Instant::now();
        tokio::time::sleep(Duration::from_secs(1)).await; // the request takes a second
        drop(first);
        let _second = limiter.turn().await.unwrap();
        assert!(
            started.elapsed() >= Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_turn_does_not_wait() {
        let limiter = limiter(3, 0, 60);
        let before = Instant::now();
        let _turn = limiter.turn().await.unwrap();
        assert_eq!(before.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn hold_off_pushes_the_next_turn_back() {
        let limiter = limiter(3, 1, 600);
        let mut first = limiter.turn().await.unwrap();
        first.hold_off(Duration::from_secs(60));
        drop(first);
        let before = Instant::now();
        let _second = limiter.turn().await.unwrap();
        assert!(before.elapsed() >= Duration::from_secs(60));
    }

    #[tokio::test(start_paused = true)]
    async fn the_configured_line_is_reachable() {
        // Upstream answers at once: 20 callers behind the running request wait 3 s each, 60 s
        // for the last, within the limit; the 21st is refused.
        let limiter = Arc::new(limiter_with_history(Duration::ZERO).await);
        let running = limiter.turn().await.unwrap();
        let waiters: Vec<_> = (0..20)
            .map(|_| {
                let limiter = Arc::clone(&limiter);
                tokio::spawn(async move { limiter.turn().await.map(drop) })
            })
            .collect();
        for _ in 0..1000 {
            tokio::task::yield_now().await;
        }
        assert_eq!(limiter.in_line(), 21, "every caller has a place");
        limiter.turn().await.unwrap_err();
        drop(running);
        for waiter in waiters {
            assert_eq!(waiter.await.unwrap(), Ok(()));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_line_is_refused_counting_each_request_as_long_as_the_last_took() {
        let limiter = Arc::new(limiter(3, 1, 600));
        let running = limiter.turn().await.unwrap();
        let waiting = {
            let limiter = Arc::clone(&limiter);
            tokio::spawn(async move { limiter.turn().await.map(drop) })
        };
        while limiter.in_line() < 2 {
            tokio::task::yield_now().await;
        }
        // No request has finished yet: the running one is counted as ending now, then 3 s of
        // spacing; the waiting one as long as the last request took (nothing) plus its spacing.
        assert_eq!(
            limiter.turn().await.unwrap_err(),
            Refused {
                reason: RefusedBecause::QueueFull,
                retry_after: Duration::from_secs(6)
            }
        );
        tokio::time::sleep(Duration::from_secs(10)).await;
        assert_eq!(
            limiter.turn().await.unwrap_err().retry_after,
            Duration::from_secs(6),
            "a request running longer than expected is counted as ending now"
        );
        drop(running);
        assert_eq!(waiting.await.unwrap(), Ok(()));
        assert_eq!(limiter.in_line(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_longer_than_the_limit_is_refused_at_once() {
        let fresh = limiter(3, 20, 60);
        let _running = fresh.turn().await.unwrap();
        let before = Instant::now();
        // No history: the running request is counted as ending now, then 3 s of spacing...
        assert_eq!(fresh.expected_wait(before), Duration::from_secs(3));
        let limiter = limiter_with_history(Duration::from_secs(30)).await;
        let before = Instant::now();
        let _running = limiter.turn().await.unwrap();
        let waiting = limiter.turn();
        tokio::pin!(waiting);
        assert!(poll_once(waiting.as_mut()).await.is_none());
        // ...but after a request that took the whole timeout, one waiting request ahead makes
        // 33 s + 33 s: refused without waiting.
        let refused = limiter.turn().await.unwrap_err();
        assert_eq!(
            refused,
            Refused {
                reason: RefusedBecause::WaitTooLong {
                    limit: Duration::from_secs(60)
                },
                retry_after: Duration::from_secs(66)
            }
        );
        assert_eq!(before.elapsed(), Duration::ZERO);
    }

    /// A limiter (spacing 3 s, timeout 30 s, max wait 60 s) whose last request took `took`.
    async fn limiter_with_history(took: Duration) -> Limiter {
        let limiter = limiter(3, 20, 60);
        let turn = limiter.turn().await.unwrap();
        tokio::time::sleep(took).await;
        drop(turn);
        tokio::time::sleep(Duration::from_secs(3)).await;
        limiter
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_let_in_is_refused_when_its_wait_reaches_the_limit() {
        // Upstream answered at once before, so two callers may wait behind a running request...
        let limiter = Arc::new(limiter_with_history(Duration::ZERO).await);
        let running = limiter.turn().await.unwrap();
        let first = {
            let limiter = Arc::clone(&limiter);
            tokio::spawn(async move { limiter.turn().await.map(drop) })
        };
        while limiter.in_line() < 2 {
            tokio::task::yield_now().await;
        }
        let before = Instant::now();
        // ...but this request hangs: the first waiter gives up after 60 s, not 30 + 3 + more.
        let refused = first.await.unwrap().unwrap_err();
        assert_eq!(
            refused.reason,
            RefusedBecause::WaitTooLong {
                limit: Duration::from_secs(60)
            }
        );
        assert_eq!(before.elapsed(), Duration::from_secs(60));
        assert_eq!(limiter.in_line(), 1, "its place is free again");
        drop(running);
    }

    #[tokio::test(start_paused = true)]
    async fn a_refused_caller_is_told_about_a_pause_upstream_asked_for() {
        let limiter = limiter(3, 0, 600);
        let mut turn = limiter.turn().await.unwrap();
        turn.hold_off(Duration::from_secs(60));
        drop(turn);
        let waiting = limiter.turn(); // takes the only place and sleeps through the pause
        tokio::pin!(waiting);
        assert!(poll_once(waiting.as_mut()).await.is_none());
        assert_eq!(
            limiter.turn().await.unwrap_err(),
            Refused {
                reason: RefusedBecause::QueueFull,
                retry_after: Duration::from_secs(63)
            }
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_longer_than_the_limit_is_refused_at_once() {
        let limiter = limiter(3, 5, 60);
        let mut turn = limiter.turn().await.unwrap();
        turn.hold_off(Duration::from_secs(120));
        drop(turn);
        let refused = limiter.turn().await.unwrap_err();
        assert_eq!(refused.retry_after, Duration::from_secs(120));
        assert!(matches!(refused.reason, RefusedBecause::WaitTooLong { .. }));
    }

    /// Polls a future once, so it takes its place in line without finishing.
    async fn poll_once<F: std::future::Future + Unpin>(future: F) -> Option<F::Output> {
        tokio::select! {
            biased;
            output = future => Some(output),
            () = std::future::ready(()) => None,
        }
    }

    #[test]
    fn whole_seconds_round_up() {
        assert_eq!(whole_secs_up(Duration::from_millis(1800)), 2);
        assert_eq!(whole_secs_up(Duration::from_secs(2)), 2);
        assert_eq!(whole_secs_up(Duration::ZERO), 0);
    }
}
