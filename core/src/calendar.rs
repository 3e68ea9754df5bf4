//! arXiv's announcement calendar: new papers are announced Sunday to Thursday at 20:00 US
//! Eastern time (none on Friday and Saturday evenings, none on arXiv's holidays). From an
//! instant, the last and the next announcement, and the sentence the page shows after a fetch
//! that found nothing new.
//!
//! No time-zone library: US Eastern's rule since 2007 is short (summer time from the second
//! Sunday of March, 02:00 local, to the first Sunday of November, 02:00 local), and the reader's
//! own offset is handed in by the caller (the browser knows it for any instant), so the core
//! stays the same on every machine and every rule here is tested natively.

use crate::date::{days_from_civil, Date};
use std::fmt::Write as _;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// The local hour of an announcement, US Eastern.
const ANNOUNCEMENT_HOUR: i64 = 20;

/// How many days a search for an announcement goes on: a week, plus the longest run of holidays
/// arXiv has had (its winter break), with room to spare. Bounded, so a holiday list covering
/// everything cannot make the page loop.
const SEARCH_DAYS: i64 = 40;

/// arXiv's published holidays, as US Eastern dates (year, month, day) with the holiday's name:
/// arXiv makes no announcement on the evening of each (one on a Friday changes nothing, but is
/// kept as arXiv lists it). Copied from arXiv's own list, "On Deferred Mailings" on its page
/// "Availability of submissions" (info.arxiv.org/help/availability.html, the source
/// `source/help/availability.md` of github.com/arXiv/arxiv-docs, with its earlier years from
/// that file's history); arXiv gives the dates, the names are ours. A new year's list is out in
/// January: add it then (docs/reading.md says how). Years arXiv has not published yet have the
/// weekly rule only.
const HOLIDAYS: &[(i32, u32, u32, &str)] = &[
    (2024, 1, 15, "Martin Luther King Jr. Day"),
    (2024, 5, 22, "a day arXiv closed"),
    (2024, 6, 19, "Juneteenth"),
    (2024, 7, 4, "Independence Day"),
    (2024, 9, 2, "Labor Day"),
    (2024, 10, 8, "a day arXiv closed"),
    (2024, 11, 28, "Thanksgiving"),
    (2024, 12, 25, "Christmas"),
    (2024, 12, 26, "the winter break"),
    (2024, 12, 31, "New Year's Eve"),
    (2025, 1, 1, "New Year's Day"),
    (2025, 1, 20, "Martin Luther King Jr. Day"),
    (2025, 6, 19, "Juneteenth"),
    (2025, 7, 6, "Independence Day"),
    (2025, 9, 1, "Labor Day"),
    (2025, 11, 27, "Thanksgiving"),
    (2025, 12, 25, "Christmas"),
    (2025, 12, 30, "the winter break"),
    (2026, 1, 1, "New Year's Day"),
    (2026, 1, 19, "Martin Luther King Jr. Day"),
    (2026, 6, 19, "Juneteenth"),
    (2026, 7, 3, "Independence Day"),
    (2026, 9, 7, "Labor Day"),
    (2026, 11, 26, "Thanksgiving"),
    (2026, 12, 25, "Christmas"),
    (2026, 12, 29, "the winter break"),
    (2026, 12, 31, "New Year's Eve"),
];

/// The name a holiday is given when the list has none (a calendar built for a test).
const UNNAMED: &str = "a holiday of arXiv's";

/// arXiv's announcement calendar: the weekly rule and a list of holiday evenings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// US Eastern dates of the evenings without an announcement, with the holiday's name.
    holidays: Vec<(Date, &'static str)>,
}

impl Default for Calendar {
    /// The weekly rule and arXiv's holidays as listed in [`HOLIDAYS`].
    fn default() -> Calendar {
        Calendar {
            holidays: HOLIDAYS
                .iter()
                .filter_map(|&(y, m, d, name)| Some((Date::new(y, m, d)?, name)))
                .collect(),
        }
    }
}

/// An announcement: its instant and the US Eastern day it falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Announcement {
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// Days since 1970-01-01 of its US Eastern date.
    et_day: i64,
}

impl Announcement {
    /// `Thursday 20:00 ET`.
    pub fn eastern_text(&self) -> String {
        format!("{} 20:00 ET", weekday_name(self.et_day))
    }

    /// The US Eastern date it falls on.
    pub fn eastern_date(&self) -> Option<Date> {
        Date::from_unix_days(self.et_day)
    }

    /// The same instant in the reader's time, `Friday 02:00`, from the reader's offset east of
    /// UTC at that instant, in minutes.
    pub fn local_text(&self, offset_minutes: i32) -> String {
        let local = self.at_ms + i64::from(offset_minutes) * MINUTE_MS;
        let day = local.div_euclid(DAY_MS);
        let minutes = local.rem_euclid(DAY_MS) / MINUTE_MS;
        format!(
            "{} {:02}:{:02}",
            weekday_name(day),
            minutes / 60,
            minutes % 60
        )
    }
}

impl Calendar {
    /// The weekly rule with these holiday evenings (US Eastern dates).
    pub fn with_holidays(holidays: impl IntoIterator<Item = Date>) -> Calendar {
        Calendar {
            holidays: holidays.into_iter().map(|date| (date, UNNAMED)).collect(),
        }
    }

    /// The holiday on this US Eastern date, by name, if arXiv lists one.
    pub fn holiday(&self, et_date: Date) -> Option<&'static str> {
        self.holidays
            .iter()
            .find(|(date, _)| *date == et_date)
            .map(|&(_, name)| name)
    }

    /// True when arXiv announces on the evening of this US Eastern day.
    fn announces_on(&self, et_day: i64) -> bool {
        // 1970-01-01 was a Thursday; 0 is Sunday.
        let weekday = (et_day + 4).rem_euclid(7);
        weekday <= 4
            && Date::from_unix_days(et_day).is_none_or(|date| self.holiday(date).is_none())
    }

    fn announcement_on(et_day: i64) -> Announcement {
        let offset_hours = if eastern_summer_on(et_day) { 4 } else { 5 };
        Announcement {
            at_ms: et_day * DAY_MS + (ANNOUNCEMENT_HOUR + offset_hours) * HOUR_MS,
            et_day,
        }
    }

    /// The latest announcement at or before `now_ms`; `None` if none in the last
    /// [`SEARCH_DAYS`] days (a holiday list that covers them all).
    pub fn last_announcement(&self, now_ms: i64) -> Option<Announcement> {
        let today = eastern_day(now_ms);
        (0..=SEARCH_DAYS)
            .map(|back| today - back)
            .filter(|&day| self.announces_on(day))
            .map(Calendar::announcement_on)
            .find(|a| a.at_ms <= now_ms)
    }

    /// The first announcement after `now_ms`; `None` if none in the next [`SEARCH_DAYS`] days.
    pub fn next_announcement(&self, now_ms: i64) -> Option<Announcement> {
        let today = eastern_day(now_ms);
        (0..=SEARCH_DAYS)
            .map(|ahead| today + ahead)
            .filter(|&day| self.announces_on(day))
            .map(Calendar::announcement_on)
            .find(|a| a.at_ms > now_ms)
    }

    /// True when arXiv has announced after `since_ms` and at or before `now_ms`: what
    /// "refresh after each arXiv announcement" asks.
    pub fn announced_between(&self, since_ms: i64, now_ms: i64) -> bool {
        self.last_announcement(now_ms)
            .is_some_and(|last| last.at_ms > since_ms)
    }

    /// What the page says after a fetch at `now_ms` that found nothing new, the previous fetch
    /// having been at `previous_fetch_ms`; `offset_minutes` gives the reader's offset east of UTC
    /// at an instant (it changes with the reader's own summer time).
    ///
    /// With no announcement since the previous fetch: `Nothing new: arXiv has not announced
    /// since Thursday 20:00 ET; next announcement Sunday 20:00 ET (in 1 day 4 h). Your time:
    /// Friday 02:00 and Monday 02:00.` After an announcement that brought nothing for the
    /// reader's topics: `No new papers in arXiv's announcement of …`.
    pub fn nothing_new_text(
        &self,
        now_ms: i64,
        previous_fetch_ms: Option<i64>,
        offset_minutes: impl Fn(i64) -> i32,
    ) -> String {
        let last = self.last_announcement(now_ms);
        let next = self.next_announcement(now_ms);
        let mut text = String::new();
        match &last {
            Some(last) if previous_fetch_ms.is_none_or(|p| p >= last.at_ms) => {
                let _ = write!(
                    text,
                    "Nothing new: arXiv has not announced since {}",
                    last.eastern_text()
                );
            }
            Some(last) => {
                let _ = write!(
                    text,
                    "No new papers for your topics in arXiv\u{2019}s announcement of {}",
                    last.eastern_text()
                );
            }
            None => text.push_str("Nothing new: arXiv has not announced for weeks"),
        }
        if let Some(next) = &next {
            let _ = write!(
                text,
                "; next announcement {} (in {})",
                next.eastern_text(),
                duration_text(next.at_ms - now_ms)
            );
        }
        text.push('.');
        let mut yours: Vec<String> = Vec::new();
        for a in last.iter().chain(next.iter()) {
            yours.push(a.local_text(offset_minutes(a.at_ms)));
        }
        if !yours.is_empty() {
            let _ = write!(text, " Your time: {}.", yours.join(" and "));
        }
        text
    }
}

/// `1 day 4 h`, `2 days`, `5 h 10 min`, `35 min` (rounded down to the minute; never negative).
pub fn duration_text(ms: i64) -> String {
    let minutes = ms.max(0) / MINUTE_MS;
    let (days, hours, mins) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
    let plural = |n: i64, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    if days > 0 {
        let mut text = plural(days, "day", "days");
        if hours > 0 {
            let _ = write!(text, " {hours} h");
        }
        text
    } else if hours > 0 {
        if mins > 0 {
            format!("{hours} h {mins} min")
        } else {
            format!("{hours} h")
        }
    } else {
        format!("{mins} min")
    }
}

/// `Thursday` for a day since 1970-01-01.
pub(crate) fn weekday_name(day: i64) -> &'static str {
    match (day + 4).rem_euclid(7) {
        0 => "Sunday",
        1 => "Monday",
        2 => "Tuesday",
        3 => "Wednesday",
        4 => "Thursday",
        5 => "Friday",
        _ => "Saturday",
    }
}

/// The year of a day since 1970-01-01 (the inverse's year part).
fn year_of(day: i64) -> i64 {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    yoe + era * 400 + i64::from(mp >= 10)
}

/// The `n`th Sunday (from 1) of a month, as days since 1970-01-01.
fn nth_sunday(year: i64, month: i64, n: i64) -> i64 {
    let first = days_from_civil(year, month, 1);
    let to_sunday = (7 - (first + 4).rem_euclid(7)) % 7;
    first + to_sunday + 7 * (n - 1)
}

/// US Eastern summer time: from the second Sunday of March to the first Sunday of November
/// (days since 1970-01-01, the change at 02:00 local on those days).
fn eastern_summer(year: i64) -> (i64, i64) {
    (nth_sunday(year, 3, 2), nth_sunday(year, 11, 1))
}

/// True when 20:00 of this US Eastern day is summer time (the change happens at 02:00, so the
/// evening of the change day already has the new offset).
fn eastern_summer_on(et_day: i64) -> bool {
    let (start, end) = eastern_summer(year_of(et_day));
    et_day >= start && et_day < end
}

/// US Eastern's offset from UTC at an instant, in hours (-4 in summer, -5 in winter).
fn eastern_offset_hours(at_ms: i64) -> i64 {
    let utc_day = at_ms.div_euclid(DAY_MS);
    let (start, end) = eastern_summer(year_of(utc_day));
    // 02:00 EST is 07:00 UTC; 02:00 EDT is 06:00 UTC.
    let starts = start * DAY_MS + 7 * HOUR_MS;
    let ends = end * DAY_MS + 6 * HOUR_MS;
    if at_ms >= starts && at_ms < ends {
        -4
    } else {
        -5
    }
}

/// The US Eastern date of an instant, as days since 1970-01-01.
fn eastern_day(at_ms: i64) -> i64 {
    (at_ms + eastern_offset_hours(at_ms) * HOUR_MS).div_euclid(DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The instant of a UTC date and time.
    fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> i64 {
        days_from_civil(y, mo, d) * DAY_MS + h * HOUR_MS + mi * MINUTE_MS
    }

    fn no_holidays() -> Calendar {
        Calendar::with_holidays([])
    }

    #[test]
    fn the_civil_calendar_agrees_with_the_dates() {
        for day in [-1, 0, 11_016, 20_594, 21_000] {
            let date = Date::from_unix_days(day).unwrap();
            let text = date.to_string();
            let y: i64 = text[0..4].parse().unwrap();
            let m: i64 = text[5..7].parse().unwrap();
            let d: i64 = text[8..10].parse().unwrap();
            assert_eq!(days_from_civil(y, m, d), day, "{text}");
            assert_eq!(year_of(day), y);
        }
        assert_eq!(weekday_name(0), "Thursday");
        assert_eq!(weekday_name(days_from_civil(2026, 12, 7)), "Monday");
    }

    #[test]
    fn eastern_summer_time_follows_the_us_rule() {
        assert_eq!(
            eastern_summer(2026),
            (days_from_civil(2026, 3, 8), days_from_civil(2026, 11, 1))
        );
        assert_eq!(
            eastern_summer(2025),
            (days_from_civil(2025, 3, 9), days_from_civil(2025, 11, 2))
        );
        // 2026-03-08 02:00 EST = 07:00 UTC.
        assert_eq!(eastern_offset_hours(utc(2026, 3, 8, 6, 59)), -5);
        assert_eq!(eastern_offset_hours(utc(2026, 3, 8, 7, 0)), -4);
        // 2026-11-01 02:00 EDT = 06:00 UTC.
        assert_eq!(eastern_offset_hours(utc(2026, 11, 1, 5, 59)), -4);
        assert_eq!(eastern_offset_hours(utc(2026, 11, 1, 6, 0)), -5);
    }

    #[test]
    fn announcements_are_sunday_to_thursday_at_eight_in_the_evening_eastern() {
        let cal = no_holidays();
        // Saturday 2026-12-05 15:00 UTC (10:00 EST): the last was Thursday 2026-12-03 20:00 EST
        // (01:00 UTC Friday), the next Sunday 2026-12-06 20:00 EST (01:00 UTC Monday).
        let saturday = utc(2026, 12, 5, 15, 0);
        let last = cal.last_announcement(saturday).unwrap();
        let next = cal.next_announcement(saturday).unwrap();
        assert_eq!(last.at_ms, utc(2026, 12, 4, 1, 0));
        assert_eq!(last.eastern_text(), "Thursday 20:00 ET");
        assert_eq!(last.eastern_date(), Date::new(2026, 12, 3));
        assert_eq!(next.at_ms, utc(2026, 12, 7, 1, 0));
        assert_eq!(next.eastern_text(), "Sunday 20:00 ET");
        // Friday evening: still Thursday's; Monday afternoon: Sunday's, next Monday's.
        let friday_evening = utc(2026, 12, 5, 2, 0);
        assert_eq!(
            cal.last_announcement(friday_evening).unwrap().at_ms,
            utc(2026, 12, 4, 1, 0)
        );
        let monday = utc(2026, 12, 7, 18, 0);
        assert_eq!(
            cal.last_announcement(monday).unwrap().eastern_text(),
            "Sunday 20:00 ET"
        );
        assert_eq!(
            cal.next_announcement(monday).unwrap().at_ms,
            utc(2026, 12, 8, 1, 0)
        );
    }

    #[test]
    fn the_announcement_instant_itself_is_the_last_not_the_next() {
        let cal = no_holidays();
        let at = utc(2026, 12, 8, 1, 0);
        assert_eq!(cal.last_announcement(at).unwrap().at_ms, at);
        assert_eq!(
            cal.next_announcement(at).unwrap().at_ms,
            utc(2026, 12, 9, 1, 0)
        );
        assert_eq!(
            cal.last_announcement(at - 1).unwrap().at_ms,
            utc(2026, 12, 7, 1, 0)
        );
    }

    #[test]
    fn across_the_spring_change_of_eastern_time() {
        let cal = no_holidays();
        // Thursday 2026-03-05 20:00 EST = 01:00 UTC; Sunday 2026-03-08 (the change day)
        // 20:00 EDT = 00:00 UTC Monday.
        let saturday = utc(2026, 3, 7, 12, 0);
        assert_eq!(
            cal.last_announcement(saturday).unwrap().at_ms,
            utc(2026, 3, 6, 1, 0)
        );
        let next = cal.next_announcement(saturday).unwrap();
        assert_eq!(next.at_ms, utc(2026, 3, 9, 0, 0));
        assert_eq!(next.eastern_text(), "Sunday 20:00 ET");
        // The change itself happens in the small hours of that Sunday: still the same next.
        assert_eq!(
            cal.next_announcement(utc(2026, 3, 8, 7, 30)).unwrap().at_ms,
            utc(2026, 3, 9, 0, 0)
        );
    }

    #[test]
    fn across_the_autumn_change_of_eastern_time() {
        let cal = no_holidays();
        // Thursday 2026-10-29 20:00 EDT = 00:00 UTC Friday; Sunday 2026-11-01 (the change
        // day) 20:00 EST = 01:00 UTC Monday.
        let saturday = utc(2026, 10, 31, 12, 0);
        assert_eq!(
            cal.last_announcement(saturday).unwrap().at_ms,
            utc(2026, 10, 30, 0, 0)
        );
        assert_eq!(
            cal.next_announcement(saturday).unwrap().at_ms,
            utc(2026, 11, 2, 1, 0)
        );
        // Sunday 00:30 UTC is still Saturday evening in Eastern time.
        assert_eq!(
            cal.next_announcement(utc(2026, 11, 1, 0, 30))
                .unwrap()
                .at_ms,
            utc(2026, 11, 2, 1, 0)
        );
    }

    #[test]
    fn holidays_are_skipped() {
        // Thanksgiving, Thursday 2026-11-26: Wednesday's announcement is the last until Sunday.
        let cal = Calendar::default();
        let friday = utc(2026, 11, 27, 15, 0);
        let last = cal.last_announcement(friday).unwrap();
        assert_eq!(last.eastern_text(), "Wednesday 20:00 ET");
        assert_eq!(last.eastern_date(), Date::new(2026, 11, 25));
        assert_eq!(
            cal.next_announcement(utc(2026, 11, 26, 12, 0))
                .unwrap()
                .eastern_text(),
            "Sunday 20:00 ET"
        );
        // Without the holiday, Thursday's would be next.
        assert_eq!(
            no_holidays()
                .next_announcement(utc(2026, 11, 26, 12, 0))
                .unwrap()
                .eastern_text(),
            "Thursday 20:00 ET"
        );
        // Christmas Eve 2026 is no holiday of arXiv's: Thursday the 24th announces.
        let christmas = utc(2026, 12, 25, 12, 0);
        assert_eq!(
            cal.last_announcement(christmas).unwrap().eastern_date(),
            Date::new(2026, 12, 24)
        );
    }

    #[test]
    fn the_holiday_list_is_the_one_arxiv_published() {
        // "On Deferred Mailings", info.arxiv.org/help/availability.html, 2026's list as arXiv
        // gives it (weekday and date).
        let cal = Calendar::default();
        let published_2026 = [
            ("Thursday", 2026, 1, 1),
            ("Monday", 2026, 1, 19),
            ("Friday", 2026, 6, 19),
            ("Friday", 2026, 7, 3),
            ("Monday", 2026, 9, 7),
            ("Thursday", 2026, 11, 26),
            ("Friday", 2026, 12, 25),
            ("Tuesday", 2026, 12, 29),
            ("Thursday", 2026, 12, 31),
        ];
        for (weekday, y, m, d) in published_2026 {
            let date = Date::new(y, m, d).unwrap();
            assert_eq!(weekday_name(date.unix_days()), weekday, "{date}");
            let name = cal.holiday(date).unwrap_or_else(|| panic!("{date} is listed"));
            assert_ne!(name, UNNAMED, "{date}");
        }
        let in_2026: Vec<Date> = cal
            .holidays
            .iter()
            .map(|&(date, _)| date)
            .filter(|date| date.to_string().starts_with("2026"))
            .collect();
        assert_eq!(in_2026.len(), published_2026.len(), "{in_2026:?}");
        // 2025's, as arXiv listed it: Sunday 6 July among them.
        for (y, m, d) in [(2025, 1, 1), (2025, 1, 20), (2025, 6, 19), (2025, 7, 6), (2025, 9, 1)] {
            assert!(cal.holiday(Date::new(y, m, d).unwrap()).is_some(), "{y}-{m}-{d}");
        }
        assert_eq!(cal.holiday(Date::new(2026, 12, 24).unwrap()), None);
        assert_eq!(cal.holiday(Date::new(2026, 11, 26).unwrap()), Some("Thanksgiving"));
    }

    #[test]
    fn a_monday_holiday_in_winter_and_in_summer() {
        let cal = Calendar::default();
        // Martin Luther King Jr. Day, Monday 2026-01-19 (EST): Sunday's announcement, then
        // Tuesday's.
        let monday = utc(2026, 1, 19, 18, 0);
        assert_eq!(cal.last_announcement(monday).unwrap().at_ms, utc(2026, 1, 19, 1, 0));
        let next = cal.next_announcement(monday).unwrap();
        assert_eq!(next.at_ms, utc(2026, 1, 21, 1, 0));
        assert_eq!(next.eastern_text(), "Tuesday 20:00 ET");
        // Labor Day, Monday 2026-09-07 (EDT): the same an hour earlier by UTC.
        let labor_day = utc(2026, 9, 7, 18, 0);
        assert_eq!(cal.last_announcement(labor_day).unwrap().at_ms, utc(2026, 9, 7, 0, 0));
        assert_eq!(cal.next_announcement(labor_day).unwrap().at_ms, utc(2026, 9, 9, 0, 0));
    }

    #[test]
    fn the_winter_break_and_the_new_year() {
        let cal = Calendar::default();
        // Tuesday 2026-12-29 and Thursday 2026-12-31 are holidays, Friday 2027-01-01 has no
        // announcement anyway: Wednesday the 30th, then Sunday 2027-01-03.
        let new_years_eve = utc(2026, 12, 31, 12, 0);
        let last = cal.last_announcement(new_years_eve).unwrap();
        assert_eq!(last.eastern_date(), Date::new(2026, 12, 30));
        let next = cal.next_announcement(new_years_eve).unwrap();
        assert_eq!(next.eastern_date(), Date::new(2027, 1, 3));
        assert_eq!(next.at_ms, utc(2027, 1, 4, 1, 0));
        let text = cal.nothing_new_text(utc(2027, 1, 2, 12, 0), None, |_| 60);
        assert_eq!(
            text,
            "Nothing new: arXiv has not announced since Wednesday 20:00 ET; next announcement \
             Sunday 20:00 ET (in 1 day 13 h). Your time: Thursday 02:00 and Monday 02:00."
        );
        // Monday the 28th, between the two, announces.
        assert_eq!(
            cal.next_announcement(utc(2026, 12, 28, 12, 0)).unwrap().eastern_date(),
            Date::new(2026, 12, 28)
        );
    }

    #[test]
    fn the_readers_autumn_change_before_eastern_times() {
        let cal = no_holidays();
        // Central Europe goes back to winter time on Sunday 2026-10-25 01:00 UTC, a week before
        // US Eastern: Thursday 20:00 EDT (00:00 UTC) was 02:00 there, Sunday's is 01:00.
        let now = utc(2026, 10, 24, 12, 0);
        let europe_change = utc(2026, 10, 25, 1, 0);
        let offset = |at: i64| if at >= europe_change { 60 } else { 120 };
        let text = cal.nothing_new_text(now, Some(now - HOUR_MS), offset);
        assert!(text.contains("next announcement Sunday 20:00 ET (in 1 day 12 h)"), "{text}");
        assert!(text.ends_with("Your time: Friday 02:00 and Monday 01:00."), "{text}");
    }

    #[test]
    fn a_holiday_list_covering_everything_gives_no_answer_rather_than_looping() {
        let all = (20_000..20_200).filter_map(Date::from_unix_days);
        let cal = Calendar::with_holidays(all);
        let now = 20_100 * DAY_MS;
        assert_eq!(cal.last_announcement(now), None);
        assert_eq!(cal.next_announcement(now), None);
        assert_eq!(
            cal.nothing_new_text(now, None, |_| 0),
            "Nothing new: arXiv has not announced for weeks."
        );
    }

    #[test]
    fn the_saturday_message_with_the_readers_own_time() {
        let cal = no_holidays();
        // Saturday 2026-12-05 20:00 UTC; the previous fetch was Saturday morning.
        let now = utc(2026, 12, 5, 20, 0);
        let previous = Some(utc(2026, 12, 5, 9, 0));
        // A reader in Central Europe, UTC+1 in December.
        let text = cal.nothing_new_text(now, previous, |_| 60);
        assert_eq!(
            text,
            "Nothing new: arXiv has not announced since Thursday 20:00 ET; next announcement \
             Sunday 20:00 ET (in 1 day 5 h). Your time: Friday 02:00 and Monday 02:00."
        );
        // In Eastern time itself.
        let text = cal.nothing_new_text(utc(2026, 12, 5, 21, 0), previous, |_| -300);
        assert!(text.contains("(in 1 day 4 h)"), "{text}");
        assert!(text.ends_with("Your time: Thursday 20:00 and Sunday 20:00."));
    }

    #[test]
    fn the_readers_own_summer_time_is_asked_for_each_instant() {
        let cal = no_holidays();
        // Saturday 2026-03-28 in Central Europe: the last announcement (Thursday, EDT) was
        // before Europe's change (Sunday 2026-03-29 01:00 UTC), the next after it.
        let now = utc(2026, 3, 28, 12, 0);
        let europe_change = utc(2026, 3, 29, 1, 0);
        let offset = |at: i64| if at >= europe_change { 120 } else { 60 };
        let text = cal.nothing_new_text(now, Some(now - HOUR_MS), offset);
        // Thursday 20:00 EDT = 00:00 UTC Friday = 01:00 CET; Sunday 20:00 EDT = 00:00 UTC
        // Monday = 02:00 CEST.
        assert!(
            text.ends_with("Your time: Friday 01:00 and Monday 02:00."),
            "{text}"
        );
    }

    #[test]
    fn after_an_announcement_that_brought_nothing() {
        let cal = no_holidays();
        // Tuesday 2026-12-08 12:00 UTC, previous fetch Monday noon: Monday 20:00 ET came between.
        let now = utc(2026, 12, 8, 12, 0);
        let text = cal.nothing_new_text(now, Some(utc(2026, 12, 7, 12, 0)), |_| 0);
        assert!(
            text.starts_with(
                "No new papers for your topics in arXiv\u{2019}s announcement of Monday 20:00 ET; \
                 next announcement Tuesday 20:00 ET (in 13 h)."
            ),
            "{text}"
        );
        assert!(cal.announced_between(utc(2026, 12, 7, 12, 0), now));
        assert!(!cal.announced_between(utc(2026, 12, 8, 2, 0), now));
    }

    #[test]
    fn durations_read_as_days_hours_and_minutes() {
        assert_eq!(
            duration_text(DAY_MS + 4 * HOUR_MS + 59 * MINUTE_MS),
            "1 day 4 h"
        );
        assert_eq!(duration_text(2 * DAY_MS), "2 days");
        assert_eq!(duration_text(5 * HOUR_MS + 10 * MINUTE_MS), "5 h 10 min");
        assert_eq!(duration_text(3 * HOUR_MS), "3 h");
        assert_eq!(duration_text(35 * MINUTE_MS + 5), "35 min");
        assert_eq!(duration_text(-5), "0 min");
    }
}
