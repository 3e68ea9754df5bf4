//! Refusals counted, not logged one by one: under a flood the log stays a few lines long.
//!
//! The first refusal after a quiet spell is logged at once; the ones that follow are counted per
//! reason and summarised in one line per interval, until an interval passes without any.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How often counted refusals are summarised, by default.
pub const SUMMARY_INTERVAL: Duration = Duration::from_secs(10);

/// Counts refusals of one kind (queries, connections) and logs them in summaries.
#[derive(Debug, Clone)]
pub struct Refusals {
    what: &'static str,
    interval: Duration,
    window: Arc<Mutex<Window>>,
}

#[derive(Debug, Default)]
struct Window {
    /// A summary is due at the end of the current interval.
    open: bool,
    counts: BTreeMap<&'static str, u64>,
}

impl Refusals {
    /// `what` names the refused thing in the log ("queries", "connections").
    pub fn new(what: &'static str, interval: Duration) -> Refusals {
        Refusals {
            what,
            interval,
            window: Arc::new(Mutex::new(Window::default())),
        }
    }

    /// Counts one refusal. Must be called inside the Tokio runtime (it may start the summary timer).
    pub fn record(&self, reason: &'static str, detail: &dyn std::fmt::Display) {
        {
            let mut window = self.window();
            if window.open {
                *window.counts.entry(reason).or_default() += 1;
                return;
            }
            window.open = true;
        }
        tracing::warn!(
            "{} refused ({reason}): {detail}; further refusals are counted and summarised every {} s",
            self.what,
            self.interval.as_secs_f32()
        );
        tokio::spawn(self.clone().summarise());
    }

    /// Logs one line per interval while refusals keep coming, then closes the window.
    async fn summarise(self) {
        loop {
            tokio::time::sleep(self.interval).await;
            let counts = {
                let mut window = self.window();
                let counts = std::mem::take(&mut window.counts);
                if counts.is_empty() {
                    window.open = false;
                    return;
                }
                counts
            };
            let total: u64 = counts.values().sum();
            let mut reasons = String::new();
            for (reason, count) in &counts {
                let separator = if reasons.is_empty() { "" } else { ", " };
                let _ = write!(reasons, "{separator}{reason}: {count}");
            }
            tracing::warn!(
                "{total} more {} refused in the last {} s ({reasons})",
                self.what,
                self.interval.as_secs_f32()
            );
        }
    }

    fn window(&self) -> MutexGuard<'_, Window> {
        // Only counters are kept under the lock; a poisoned one still holds valid numbers.
        self.window.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
