//! The global upstream limiter: arXiv's terms of use, kept for all users of this server together.
//!
//! arXiv asks for one connection at a time and at least three seconds between requests. However
//! many browsers ask at once, upstream requests here take turns: one [`Turn`] at a time, each
//! starting at least `spacing` after the previous one ended. Requests waiting for their turn are
//! bounded; beyond the bound the caller is told to come back later ([`QueueFull`]) instead of
//! piling up connections that would wait for minutes.

use std::sync::{Arc, Mutex as StdMutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Mutex, OwnedMutexGuard, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The waiting line is full: try again after `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueFull {
    /// About how long the line now in front would take to drain.
    pub retry_after: Duration,
}

/// Hands out turns to call upstream, one at a time, spaced out.
#[derive(Debug)]
pub struct Limiter {
    /// One permit for the request in progress plus one per waiting place.
    places: Arc<Semaphore>,
    /// Held for the whole of an upstream request. Tokio's mutex is fair (first come, first
    /// served), so waiting requests keep their order.
    exclusive: Arc<Mutex<()>>,
    /// The earliest start of the next request; readable without waiting for `exclusive`, so a
    /// refused caller can be told how long the pause is.
    next_start: Arc<StdMutex<Option<Instant>>>,
    spacing: Duration,
    queue: usize,
}

impl Limiter {
    /// A limiter that keeps `spacing` between requests and lets at most `queue` requests wait.
    pub fn new(spacing: Duration, queue: usize) -> Limiter {
        Limiter {
            places: Arc::new(Semaphore::new(queue.saturating_add(1))),
            exclusive: Arc::new(Mutex::new(())),
            next_start: Arc::new(StdMutex::new(None)),
            spacing,
            queue,
        }
    }

    /// Waits for this caller's turn to call upstream, or fails at once if the line is full.
    pub async fn turn(&self) -> Result<Turn, QueueFull> {
        let place = Arc::clone(&self.places)
            .try_acquire_owned()
            .map_err(|_| QueueFull {
                retry_after: self.drain_time(),
            })?;
        let exclusive = Arc::clone(&self.exclusive).lock_owned().await;
        let next_start = *lock(&self.next_start);
        if let Some(at) = next_start {
            tokio::time::sleep_until(at).await;
        }
        Ok(Turn {
            _exclusive: exclusive,
            _place: place,
            next_start: Arc::clone(&self.next_start),
            spacing: self.spacing,
            hold_off: Duration::ZERO,
        })
    }

    /// How many requests are waiting or running now.
    pub fn in_line(&self) -> usize {
        self.queue
            .saturating_add(1)
            .saturating_sub(self.places.available_permits())
    }

    /// The time a full line needs to drain, including a pause upstream asked for, rounded up to
    /// whole seconds (at least one).
    fn drain_time(&self) -> Duration {
        let pause = lock(&self.next_start).map_or(Duration::ZERO, |at| {
            at.saturating_duration_since(Instant::now())
        });
        let line = self
            .spacing
            .saturating_mul(u32::try_from(self.queue.saturating_add(1)).unwrap_or(u32::MAX));
        let total = pause.saturating_add(line);
        Duration::from_secs(whole_secs_up(total)).max(Duration::from_secs(1))
    }
}

/// A duration in whole seconds, rounded up (any fraction of a second counts as one more).
pub(crate) fn whole_secs_up(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The lock is only held to copy an instant, so a poisoned one still holds a valid value.
fn lock(next_start: &StdMutex<Option<Instant>>) -> std::sync::MutexGuard<'_, Option<Instant>> {
    next_start.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The right to make one upstream request. When dropped (the request finished, failed or was
/// abandoned), the next request may start `spacing` later, or later still after [`Turn::hold_off`].
#[derive(Debug)]
pub struct Turn {
    // Fields drop after `Drop::drop` has written `next_start`, so the next turn sees it.
    _exclusive: OwnedMutexGuard<()>,
    _place: OwnedSemaphorePermit,
    next_start: Arc<StdMutex<Option<Instant>>>,
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
        *lock(&self.next_start) = Some(Instant::now() + self.spacing.max(self.hold_off));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn turns_are_spaced_from_the_end_of_the_previous_request() {
        let limiter = Limiter::new(Duration::from_secs(3), 4);
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
        let limiter = Limiter::new(Duration::from_secs(3), 0);
        let before = Instant::now();
        let _turn = limiter.turn().await.unwrap();
        assert_eq!(before.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn hold_off_pushes_the_next_turn_back() {
        let limiter = Limiter::new(Duration::from_secs(3), 1);
        let mut first = limiter.turn().await.unwrap();
        first.hold_off(Duration::from_secs(60));
        drop(first);
        let before = Instant::now();
        let _second = limiter.turn().await.unwrap();
        assert!(before.elapsed() >= Duration::from_secs(60));
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_line_is_refused_with_its_drain_time() {
        let limiter = Arc::new(Limiter::new(Duration::from_secs(3), 1));
        let running = limiter.turn().await.unwrap();
        let waiting = {
            let limiter = Arc::clone(&limiter);
            tokio::spawn(async move { limiter.turn().await.map(drop) })
        };
        while limiter.in_line() < 2 {
            tokio::task::yield_now().await;
        }
        assert_eq!(
            limiter.turn().await.unwrap_err(),
            QueueFull {
                retry_after: Duration::from_secs(6)
            }
        );
        drop(running);
        assert_eq!(waiting.await.unwrap(), Ok(()));
        assert_eq!(limiter.in_line(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_refused_caller_is_told_about_a_pause_upstream_asked_for() {
        let limiter = Limiter::new(Duration::from_secs(3), 0);
        let mut turn = limiter.turn().await.unwrap();
        turn.hold_off(Duration::from_secs(60));
        drop(turn);
        let waiting = limiter.turn(); // takes the only place and sleeps through the pause
        tokio::pin!(waiting);
        assert!(poll_once(waiting.as_mut()).await.is_none());
        assert_eq!(
            limiter.turn().await.unwrap_err(),
            QueueFull {
                retry_after: Duration::from_secs(63)
            }
        );
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
    fn drain_time_rounds_up_to_whole_seconds() {
        assert_eq!(
            Limiter::new(Duration::from_millis(200), 9).drain_time(),
            Duration::from_secs(2)
        );
        assert_eq!(
            Limiter::new(Duration::from_millis(250), 9).drain_time(),
            Duration::from_secs(3)
        );
        assert_eq!(
            Limiter::new(Duration::ZERO, 9).drain_time(),
            Duration::from_secs(1)
        );
    }
}
