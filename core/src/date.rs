//! A calendar date (the README's "Last update"), without a time-zone library.
//!
//! The app gets "today" from the browser and hands it in; this module only validates, parses and
//! formats, so the output is the same on every machine.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A valid Gregorian calendar date (years 1–9999, so it always prints as `YYYY-MM-DD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

/// Why a `YYYY-MM-DD` string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not of the shape `YYYY-MM-DD` (four digits, dash, two digits, dash, two digits).
    Shape(String),
    /// The shape is right but the day does not exist (e.g. `2025-02-30`).
    NoSuchDay(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Shape(raw) => {
                write!(
                    f,
                    "\u{201c}{raw}\u{201d} is not a date; write it as YYYY-MM-DD."
                )
            }
            DateError::NoSuchDay(raw) => {
                write!(f, "\u{201c}{raw}\u{201d} is not a day of the calendar.")
            }
        }
    }
}

impl std::error::Error for DateError {}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, if it exists (years 1–9999).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The UTC date `days` days after 1970-01-01 (negative: before), or `None` outside years
    /// 1–9999. For callers that have a clock but no calendar (the command-line tool's "today").
    pub fn from_unix_days(days: i64) -> Option<Date> {
        // Howard Hinnant's days-to-civil algorithm, on eras of 400 years (146 097 days).
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            i32::try_from(year).ok()?,
            u32::try_from(month).ok()?,
            u32::try_from(day).ok()?,
        )
    }

    /// Days since 1970-01-01 (negative before), the inverse of [`Date::from_unix_days`].
    pub fn unix_days(&self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
    }

    /// Monday = 0 … Sunday = 6.
    pub fn weekday(&self) -> i64 {
        // 1970-01-01 was a Thursday.
        (self.unix_days() + 3).rem_euclid(7)
    }

    /// The issue digest's form, Python's `%B %d, %Y`: `November 05, 2026` (day always two digits).
    pub fn long(&self) -> String {
        let name = MONTH_NAMES
            .get(self.month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or_default();
        format!("{name} {:02}, {:04}", self.day, self.year)
    }
}

fn digits(part: &str, len: usize) -> Option<u32> {
    if part.len() == len && part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(raw: &str) -> Result<Date, DateError> {
        let shape = || DateError::Shape(raw.to_owned());
        let mut parts = raw.split('-');
        let year = parts.next().and_then(|p| digits(p, 4)).ok_or_else(shape)?;
        let month = parts.next().and_then(|p| digits(p, 2)).ok_or_else(shape)?;
        let day = parts.next().and_then(|p| digits(p, 2)).ok_or_else(shape)?;
        if parts.next().is_some() {
            return Err(shape());
        }
        // `digits` allows at most four digits, so the year always fits an i32.
        let year = i32::try_from(year).map_err(|_| shape())?;
        Date::new(year, month, day).ok_or_else(|| DateError::NoSuchDay(raw.to_owned()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;
    fn try_from(raw: String) -> Result<Date, DateError> {
        raw.parse()
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
}

/// Days since 1970-01-01 of a civil date, any year (Howard Hinnant's days-from-civil, on eras of
/// 400 years). Shared by [`Date`] and the announcement calendar, which counts in instants.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso() {
        let d: Date = "2026-11-05".parse().unwrap();
        assert_eq!(d, Date::new(2026, 11, 5).unwrap());
        assert_eq!(d.to_string(), "2026-11-05");
    }

    #[test]
    fn long_form_has_full_month_and_two_digit_day() {
        assert_eq!(Date::new(2026, 11, 20).unwrap().long(), "November 20, 2026");
        assert_eq!(Date::new(2025, 2, 5).unwrap().long(), "February 05, 2025");
        assert_eq!(Date::new(2024, 1, 1).unwrap().long(), "January 01, 2024");
    }

    #[test]
    fn refuses_days_that_do_not_exist() {
        assert_eq!(Date::new(2025, 2, 29), None);
        assert!(Date::new(2024, 2, 29).is_some());
        assert_eq!(Date::new(1900, 2, 29), None);
        assert!(Date::new(2000, 2, 29).is_some());
        assert_eq!(Date::new(2025, 13, 1), None);
        assert_eq!(Date::new(2025, 4, 31), None);
        assert_eq!(Date::new(2025, 1, 0), None);
        assert_eq!(Date::new(0, 1, 1), None);
        assert!(matches!(
            "2025-02-30".parse::<Date>(),
            Err(DateError::NoSuchDay(_))
        ));
    }

    #[test]
    fn unix_days_become_utc_dates() {
        assert_eq!(Date::from_unix_days(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_unix_days(-1), Date::new(1969, 12, 31));
        assert_eq!(Date::from_unix_days(11_016), Date::new(2000, 2, 29));
        assert_eq!(Date::from_unix_days(20_594), Date::new(2026, 5, 21));
        assert_eq!(Date::from_unix_days(i64::MAX), None);
        assert_eq!(Date::from_unix_days(-719_162), Date::new(1, 1, 1));
        assert_eq!(Date::from_unix_days(-719_163), None);
        // Every day of a leap cycle round-trips through the calendar in order.
        let mut previous = Date::from_unix_days(-1).unwrap();
        for d in 0..146_097 {
            let date = Date::from_unix_days(d).unwrap();
            assert!(date > previous);
            previous = date;
        }
    }

    #[test]
    fn refuses_other_shapes() {
        for raw in [
            "",
            "2025-2-05",
            "2025-02-5",
            "25-02-05",
            "2025-02-05T00:00:00Z",
            "2025/02/05",
            "+025-02-05",
            "2025-02-05-01",
            "２０２５-02-05",
        ] {
            assert!(
                matches!(raw.parse::<Date>(), Err(DateError::Shape(_))),
                "{raw}"
            );
        }
    }

    #[test]
    fn serde_is_the_iso_string() {
        let d = Date::new(2026, 11, 20).unwrap();
        assert_eq!(String::from(d), "2026-11-20");
        assert_eq!(Date::try_from("2026-11-20".to_owned()), Ok(d));
    }
}
