//! Upstream answers kept in memory, keyed on the normalised query.
//!
//! An answer is fresh for the configured lifetime (served as `X-Cache: HIT`), then kept for
//! [`KEEP_STALE`] longer as a fallback for when arXiv fails (`X-Cache: STALE`). Failures are never
//! stored. arXiv's error entries are stored only for [`ARXIV_ERROR_FRESH`] at most: they say the
//! query itself is wrong, so asking again soon gives the same answer, but they are not worth an hour.
//! An empty feed is never fresh: arXiv sometimes answers one by mistake, and the app asks again
//! at once, which must reach arXiv, not this cache.
//! Memory is bounded: past `max_bytes` the oldest answers go first, and an answer larger than
//! [`LARGEST_SHARE`] of it is served but not kept, so a few huge answers cannot push every other
//! user's out.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::encoding::Compressed;
use crate::upstream::Answer;

/// How long an answer is kept after it stopped being fresh, as a fallback.
pub const KEEP_STALE: Duration = Duration::from_secs(24 * 60 * 60);
/// The longest an arXiv error entry is served from the cache.
pub const ARXIV_ERROR_FRESH: Duration = Duration::from_secs(10 * 60);
/// The largest part of the cache's bytes one answer may take (one eighth).
pub const LARGEST_SHARE: usize = 8;

/// A cached answer and its age.
#[derive(Debug, Clone)]
pub struct Cached {
    pub answer: Arc<Answer>,
    /// Brotli and gzip copies of the body, made once.
    pub compressed: Arc<Compressed>,
    pub fetched_at: Instant,
    pub fresh_until: Instant,
}

impl Cached {
    /// Seconds this answer may still be served fresh (for `Cache-Control: max-age`).
    pub fn fresh_for(&self, now: Instant) -> Duration {
        self.fresh_until.saturating_duration_since(now)
    }

    /// The instant from which this answer may no longer be served, even as stale.
    pub fn stale_until(&self) -> Instant {
        self.fresh_until + KEEP_STALE
    }

    /// Time since it was fetched (for the `Age` header).
    pub fn age(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.fetched_at)
    }
}

/// What the cache knows about a key.
#[derive(Debug, Clone)]
pub enum Lookup {
    Fresh(Cached),
    Stale(Cached),
    Missing,
}

/// The store. Not synchronised itself: the proxy keeps it under one lock with its in-flight map.
#[derive(Debug)]
pub struct Cache {
    entries: HashMap<String, Cached>,
    bytes: usize,
    ttl: Duration,
    max_bytes: usize,
}

impl Cache {
    pub fn new(ttl: Duration, max_bytes: usize) -> Cache {
        Cache {
            entries: HashMap::new(),
            bytes: 0,
            ttl,
            max_bytes,
        }
    }

    pub fn lookup(&self, key: &str, now: Instant) -> Lookup {
        match self.entries.get(key) {
            Some(cached) if now < cached.fresh_until => Lookup::Fresh(cached.clone()),
            Some(cached) if now < cached.stale_until() => Lookup::Stale(cached.clone()),
            _ => Lookup::Missing,
        }
    }

    /// Stores a fresh answer and returns it as cached.
    pub fn insert(
        &mut self,
        key: &str,
        answer: Arc<Answer>,
        compressed: Arc<Compressed>,
        now: Instant,
    ) -> Cached {
        let fresh = if answer.is_empty_feed() {
            Duration::ZERO
        } else if answer.is_arxiv_error() {
            self.ttl.min(ARXIV_ERROR_FRESH)
        } else {
            self.ttl
        };
        let cached = Cached {
            answer,
            compressed,
            fetched_at: now,
            fresh_until: now + fresh,
        };
        let size = cached_size(key, &cached);
        self.remove(key);
        if size <= self.max_bytes / LARGEST_SHARE {
            self.make_room(size, now);
            self.bytes += size;
            self.entries.insert(key.to_owned(), cached.clone());
        }
        cached
    }

    /// Number of answers stored (fresh or stale).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes the stored answers take, roughly (bodies and keys).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Removes `key` if stored, keeping the byte count right.
    fn remove(&mut self, key: &str) {
        if let Some(old) = self.entries.remove(key) {
            self.bytes -= cached_size(key, &old);
        }
    }

    /// Drops answers too old to serve even as stale, then the oldest until `incoming` fits.
    fn make_room(&mut self, incoming: usize, now: Instant) {
        let before = self.entries.len();
        let mut freed = 0;
        self.entries.retain(|key, cached| {
            let keep = now < cached.stale_until();
            if !keep {
                freed += cached_size(key, cached);
            }
            keep
        });
        self.bytes -= freed;
        if self.bytes + incoming <= self.max_bytes {
            return;
        }
        let mut by_age: Vec<(Instant, String)> = self
            .entries
            .iter()
            .map(|(key, cached)| (cached.fetched_at, key.clone()))
            .collect();
        by_age.sort();
        for (_, key) in by_age {
            if self.bytes + incoming <= self.max_bytes {
                break;
            }
            self.remove(&key);
        }
        tracing::debug!(
            dropped = before - self.entries.len(),
            kept = self.entries.len(),
            "cache trimmed"
        );
    }
}

fn cached_size(key: &str, cached: &Cached) -> usize {
    key.len() + cached.answer.body.len() + cached.compressed.len()
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use bytes::Bytes;

    use super::*;

    fn answer(status: StatusCode, body: &'static str) -> Arc<Answer> {
        Arc::new(Answer {
            status,
            body: Bytes::from_static(body.as_bytes()),
        })
    }

    const HOUR: Duration = Duration::from_secs(3600);
    /// A feed with one paper, as arXiv sends it.
    const ONE_PAPER: &str = include_str!("../../core/tests/fixtures/arxiv/single-entry.xml");
    const EMPTY: &str = include_str!("../../core/tests/fixtures/arxiv/empty-result.xml");

    #[tokio::test(start_paused = true)]
    async fn fresh_then_stale_then_gone() {
        let mut cache = Cache::new(HOUR, 1 << 20);
        let t0 = Instant::now();
        cache.insert("q", answer(StatusCode::OK, ONE_PAPER), Arc::default(), t0);
        assert!(matches!(
            cache.lookup("q", t0 + HOUR - Duration::from_secs(1)),
            Lookup::Fresh(_)
        ));
        assert!(matches!(cache.lookup("q", t0 + HOUR), Lookup::Stale(_)));
        assert!(matches!(
            cache.lookup("q", t0 + HOUR + KEEP_STALE),
            Lookup::Missing
        ));
        assert!(matches!(cache.lookup("other", t0), Lookup::Missing));
    }

    #[tokio::test(start_paused = true)]
    async fn arxiv_error_entries_stay_fresh_briefly() {
        let mut cache = Cache::new(HOUR, 1 << 20);
        let t0 = Instant::now();
        let cached = cache.insert(
            "bad",
            answer(StatusCode::BAD_REQUEST, "<feed/>"),
            Arc::default(),
            t0,
        );
        assert_eq!(cached.fresh_for(t0), ARXIV_ERROR_FRESH);
        assert!(matches!(
            cache.lookup("bad", t0 + ARXIV_ERROR_FRESH),
            Lookup::Stale(_)
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn an_empty_feed_is_never_fresh() {
        let mut cache = Cache::new(HOUR, 1 << 20);
        let t0 = Instant::now();
        let cached = cache.insert("q", answer(StatusCode::OK, EMPTY), Arc::default(), t0);
        assert_eq!(cached.fresh_for(t0), Duration::ZERO);
        assert!(matches!(cache.lookup("q", t0), Lookup::Stale(_)));
        // A feed with a paper for the same query is fresh again.
        cache.insert("q", answer(StatusCode::OK, ONE_PAPER), Arc::default(), t0);
        assert!(matches!(cache.lookup("q", t0), Lookup::Fresh(_)));
    }

    #[tokio::test(start_paused = true)]
    async fn zero_lifetime_keeps_only_a_stale_fallback() {
        let mut cache = Cache::new(Duration::ZERO, 1 << 20);
        let t0 = Instant::now();
        cache.insert("q", answer(StatusCode::OK, ONE_PAPER), Arc::default(), t0);
        assert!(matches!(cache.lookup("q", t0), Lookup::Stale(_)));
    }

    #[tokio::test(start_paused = true)]
    async fn the_oldest_answers_make_room() {
        // Room for eight answers of 11 bytes with their keys, each within its share.
        let mut cache = Cache::new(HOUR, 8 * 11);
        let t0 = Instant::now();
        for (n, key) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .enumerate()
        {
            let at = t0 + Duration::from_secs(n as u64);
            cache.insert(
                key,
                answer(StatusCode::OK, "0123456789"),
                Arc::default(),
                at,
            );
        }
        assert!(matches!(cache.lookup("a", t0), Lookup::Missing));
        assert!(matches!(cache.lookup("b", t0), Lookup::Fresh(_)));
        assert!(matches!(cache.lookup("i", t0), Lookup::Fresh(_)));
        assert_eq!(cache.bytes(), 88);
        // An answer larger than its share of the budget is served but not kept, and pushes no
        // other answer out.
        let huge = cache.insert(
            "huge",
            answer(StatusCode::OK, "0123456789012"),
            Arc::default(),
            t0,
        );
        assert_eq!(huge.answer.body.len(), 13);
        assert!(matches!(cache.lookup("huge", t0), Lookup::Missing));
        assert_eq!(cache.len(), 8);
    }

    #[tokio::test(start_paused = true)]
    async fn replacing_an_answer_keeps_the_byte_count_right() {
        let mut cache = Cache::new(HOUR, 1 << 20);
        let t0 = Instant::now();
        cache.insert(
            "q",
            answer(StatusCode::OK, "0123456789"),
            Arc::default(),
            t0,
        );
        cache.insert("q", answer(StatusCode::OK, "01234"), Arc::default(), t0);
        assert_eq!(cache.bytes(), 6);
        assert_eq!(cache.len(), 1);
    }
}
