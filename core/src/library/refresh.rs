//! "Refresh on open after each arXiv announcement" (the default), or "if the last fetch is older
//! than N hours": whether opening the page starts Fetch all by itself. A pure decision over the
//! clock the app hands in, so it can be tested with any clock, including one that went
//! backwards; arXiv's announcements are the core's [`crate::calendar`].

use crate::calendar::Calendar;
use serde::{Deserialize, Serialize};
use std::fmt;

const HOUR_MS: u64 = 60 * 60 * 1000;

/// The setting: on by default, after each arXiv announcement (or every N hours, 12 unless
/// changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RefreshOnOpenForm", into = "RefreshOnOpenForm")]
pub struct RefreshOnOpen {
    enabled: bool,
    after_hours: u32,
    /// After each arXiv announcement rather than every `after_hours`.
    after_announcement: bool,
}

impl Default for RefreshOnOpen {
    /// For a new user: after each announcement, the time arXiv has something new.
    fn default() -> RefreshOnOpen {
        RefreshOnOpen {
            enabled: true,
            after_hours: RefreshOnOpen::DEFAULT_HOURS,
            after_announcement: true,
        }
    }
}

/// Why a number of hours was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshHoursError(pub String);

impl fmt::Display for RefreshHoursError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\u{201c}{}\u{201d} is not a number of hours; use a whole number from {} to {}.",
            self.0,
            RefreshOnOpen::MIN_HOURS,
            RefreshOnOpen::MAX_HOURS
        )
    }
}

impl std::error::Error for RefreshHoursError {}

impl RefreshOnOpen {
    pub const DEFAULT_HOURS: u32 = 12;
    /// At least an hour: a reload must not start a new run of requests to arXiv each time.
    pub const MIN_HOURS: u32 = 1;
    /// A month.
    pub const MAX_HOURS: u32 = 720;

    /// The setting every `after_hours` hours, if they are within 1–720.
    pub fn new(enabled: bool, after_hours: u32) -> Result<RefreshOnOpen, RefreshHoursError> {
        if (Self::MIN_HOURS..=Self::MAX_HOURS).contains(&after_hours) {
            Ok(RefreshOnOpen {
                enabled,
                after_hours,
                after_announcement: false,
            })
        } else {
            Err(RefreshHoursError(after_hours.to_string()))
        }
    }

    /// The setting with hours typed by the user (`" 24 "`); the current one is unchanged on error.
    pub fn with_hours_text(self, text: &str) -> Result<RefreshOnOpen, RefreshHoursError> {
        let hours = text
            .trim()
            .parse::<u32>()
            .map_err(|_| RefreshHoursError(text.trim().to_owned()))?;
        RefreshOnOpen::new(self.enabled, hours)
            .map(|s| s.with_after_announcement(self.after_announcement))
            .map_err(|_| RefreshHoursError(text.trim().to_owned()))
    }

    /// After each arXiv announcement (`true`) or every N hours.
    pub fn with_after_announcement(self, after_announcement: bool) -> RefreshOnOpen {
        RefreshOnOpen {
            after_announcement,
            ..self
        }
    }

    pub fn after_announcement(self) -> bool {
        self.after_announcement
    }

    pub fn with_enabled(self, enabled: bool) -> RefreshOnOpen {
        RefreshOnOpen { enabled, ..self }
    }

    pub fn enabled(self) -> bool {
        self.enabled
    }

    pub fn after_hours(self) -> u32 {
        self.after_hours
    }
}

/// The stored form: `{"enabled":true,"afterHours":12,"afterAnnouncement":true}`; checked again
/// when read back. A form saved before the announcement choice existed has no
/// `afterAnnouncement`: its user chose hours, which it keeps.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefreshOnOpenForm {
    enabled: bool,
    after_hours: u32,
    #[serde(default)]
    after_announcement: bool,
}

impl TryFrom<RefreshOnOpenForm> for RefreshOnOpen {
    type Error = RefreshHoursError;
    fn try_from(form: RefreshOnOpenForm) -> Result<RefreshOnOpen, RefreshHoursError> {
        RefreshOnOpen::new(form.enabled, form.after_hours)
            .map(|s| s.with_after_announcement(form.after_announcement))
    }
}

impl From<RefreshOnOpen> for RefreshOnOpenForm {
    fn from(setting: RefreshOnOpen) -> RefreshOnOpenForm {
        RefreshOnOpenForm {
            enabled: setting.enabled,
            after_hours: setting.after_hours,
            after_announcement: setting.after_announcement,
        }
    }
}

/// What opening the page should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnOpen {
    /// Start Fetch all now.
    Refresh,
    /// The last fetch is recent enough; it becomes due in this many milliseconds.
    NotYet { due_in_ms: u64 },
    /// The setting is off.
    Off,
    /// Nothing was ever fetched: the first fetch is the user's own click (after adding or
    /// importing topics they may want to review them first).
    NeverFetched,
}

impl OnOpen {
    pub fn should_refresh(self) -> bool {
        self == OnOpen::Refresh
    }
}

/// Decides from the time now and of the last fetch (milliseconds since the Unix epoch).
///
/// The age is the distance between the two times, in either direction: a last fetch dated in the
/// future by more than the setting means the clock moved (or was wrong then), so the date says
/// nothing and a refresh is the safe answer; a small step back (a clock correction) is not.
pub fn on_open(now_ms: u64, last_fetch_ms: Option<u64>, setting: RefreshOnOpen) -> OnOpen {
    if !setting.enabled {
        return OnOpen::Off;
    }
    let Some(last) = last_fetch_ms else {
        return OnOpen::NeverFetched;
    };
    if setting.after_announcement && last <= now_ms {
        return after_announcement(now_ms, last, &Calendar::default());
    }
    let age = now_ms.abs_diff(last);
    let threshold = u64::from(setting.after_hours) * HOUR_MS;
    if age >= threshold {
        OnOpen::Refresh
    } else {
        OnOpen::NotYet {
            due_in_ms: threshold - age,
        }
    }
}

/// "After each arXiv announcement": a refresh when arXiv has announced since the last fetch,
/// else due at the next announcement.
fn after_announcement(now_ms: u64, last_ms: u64, calendar: &Calendar) -> OnOpen {
    let (Ok(now), Ok(last)) = (i64::try_from(now_ms), i64::try_from(last_ms)) else {
        return OnOpen::Refresh;
    };
    if calendar.announced_between(last, now) {
        return OnOpen::Refresh;
    }
    match calendar.next_announcement(now) {
        Some(next) => OnOpen::NotYet {
            due_in_ms: u64::try_from(next.at_ms - now).unwrap_or(0),
        },
        // No announcement in sight (a holiday list covering weeks): ask anyway.
        None => OnOpen::Refresh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_760_000_000_000;

    fn hours(h: u64) -> u64 {
        h * HOUR_MS
    }

    /// Every 12 hours, the default before the announcement choice.
    fn twelve_hours() -> RefreshOnOpen {
        RefreshOnOpen::new(true, 12).unwrap()
    }

    #[test]
    fn by_default_after_each_arxiv_announcement() {
        let setting = RefreshOnOpen::default();
        assert!(setting.enabled() && setting.after_announcement());
        const HOUR: u64 = HOUR_MS;
        // Thursday 2026-12-03 20:00 EST = 2026-12-04 01:00 UTC (1_796_346_000_000 ms).
        let thursday = 1_796_346_000_000;
        // Fetched Thursday afternoon, opened Friday morning: announced in between.
        assert_eq!(
            on_open(thursday + 10 * HOUR, Some(thursday - 5 * HOUR), setting),
            OnOpen::Refresh
        );
        // Fetched Friday morning, opened Saturday: nothing announced since; due Sunday 20:00
        // EST (2026-12-07 01:00 UTC, 72 hours after Thursday's).
        let saturday = thursday + 40 * HOUR;
        assert_eq!(
            on_open(saturday, Some(thursday + 10 * HOUR), setting),
            OnOpen::NotYet {
                due_in_ms: 32 * HOUR
            }
        );
        assert_eq!(on_open(saturday, None, setting), OnOpen::NeverFetched);
        assert_eq!(
            on_open(saturday, Some(0), setting.with_enabled(false)),
            OnOpen::Off
        );
        // A last fetch in the future (a clock that moved): the hours rule judges it.
        assert_eq!(
            on_open(saturday, Some(saturday + 48 * HOUR), setting),
            OnOpen::Refresh
        );
    }

    #[test]
    fn every_twelve_hours_when_chosen() {
        let setting = twelve_hours();
        assert!(!setting.after_announcement());
        assert_eq!(setting.after_hours(), 12);
        assert_eq!(
            on_open(NOW, Some(NOW - hours(12)), setting),
            OnOpen::Refresh
        );
        assert_eq!(
            on_open(NOW, Some(NOW - hours(30)), setting),
            OnOpen::Refresh
        );
        assert_eq!(
            on_open(NOW, Some(NOW - hours(12) + 1), setting),
            OnOpen::NotYet { due_in_ms: 1 }
        );
        assert_eq!(
            on_open(NOW, Some(NOW - hours(2)), setting),
            OnOpen::NotYet {
                due_in_ms: hours(10)
            }
        );
        assert!(!on_open(NOW, Some(NOW), setting).should_refresh());
    }

    #[test]
    fn off_means_never_and_the_first_fetch_is_the_users() {
        let off = RefreshOnOpen::default().with_enabled(false);
        assert_eq!(on_open(NOW, Some(0), off), OnOpen::Off);
        assert_eq!(
            on_open(NOW, None, RefreshOnOpen::default()),
            OnOpen::NeverFetched
        );
    }

    #[test]
    fn a_clock_that_went_backwards() {
        let setting = twelve_hours();
        // A small correction: the last fetch a minute "in the future" is still recent.
        assert_eq!(
            on_open(NOW, Some(NOW + 60_000), setting),
            OnOpen::NotYet {
                due_in_ms: hours(12) - 60_000
            }
        );
        // A day in the future: the date cannot be trusted, refresh.
        assert_eq!(
            on_open(NOW, Some(NOW + hours(24)), setting),
            OnOpen::Refresh
        );
        // A clock at the epoch, or the stored time at the far end: no overflow, a decision.
        assert_eq!(on_open(0, Some(u64::MAX), setting), OnOpen::Refresh);
        assert_eq!(on_open(u64::MAX, Some(0), setting), OnOpen::Refresh);
    }

    #[test]
    fn the_hours_are_a_whole_number_from_one_to_a_month() {
        let setting = RefreshOnOpen::default();
        assert_eq!(setting.with_hours_text(" 24 ").unwrap().after_hours(), 24);
        // Typing hours keeps the choice of rule.
        assert!(setting.with_hours_text("24").unwrap().after_announcement());
        assert_eq!(
            RefreshOnOpen::new(true, 1).map(|s| on_open(NOW, Some(NOW - hours(1)), s)),
            Ok(OnOpen::Refresh)
        );
        for bad in ["0", "721", "-1", "1.5", "", "twelve", "99999999999"] {
            let err = setting.with_hours_text(bad).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("\u{201c}{bad}\u{201d} is not a number of hours; use a whole number from 1 to 720.")
            );
        }
    }

    // serde_json is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_stored_setting_is_checked_when_read_back() {
        let stored = serde_json::to_value(RefreshOnOpen::default()).unwrap();
        assert_eq!(
            stored,
            serde_json::json!({"enabled": true, "afterHours": 12, "afterAnnouncement": true})
        );
        assert_eq!(
            serde_json::from_value::<RefreshOnOpen>(stored).unwrap(),
            RefreshOnOpen::default()
        );
        // Saved before the choice existed: the hours its user had.
        assert_eq!(
            serde_json::from_str::<RefreshOnOpen>(r#"{"enabled":true,"afterHours":12}"#).unwrap(),
            twelve_hours()
        );
        assert!(
            serde_json::from_str::<RefreshOnOpen>(r#"{"enabled":true,"afterHours":0}"#).is_err()
        );
    }
}
