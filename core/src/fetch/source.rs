//! Where a run's answers came from, as the page says it once after the run: the project's server
//! answers from its mirror of arXiv's metadata with `X-Source: mirror` and the time of its last
//! harvest (`X-Mirror-Harvested-At`), and the reader should know how current that copy is.

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

/// The mirror answers of one run: how many topics were answered from it, and the latest harvest
/// time they gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MirrorAnswers {
    /// Topics of the run whose answer came from the mirror.
    pub topics: usize,
    /// The newest `X-Mirror-Harvested-At` seen, in milliseconds since the Unix epoch (`None` when
    /// no mirror answer said it in a form this reads).
    pub harvested_at_ms: Option<i64>,
}

impl MirrorAnswers {
    /// Counts one topic answered from the mirror, with the answer's `X-Mirror-Harvested-At`.
    pub fn answered(&mut self, harvested_at: Option<&str>) {
        self.topics += 1;
        if let Some(at) = harvested_at.and_then(parse_utc) {
            self.harvested_at_ms = Some(self.harvested_at_ms.map_or(at, |seen| seen.max(at)));
        }
    }

    /// "Answered from the mirror, current to 22:30 UTC." (with the day when it is not `now_ms`'s
    /// UTC day, and "3 of 20 topics" when only some were), or `None` when no answer came from it.
    pub fn text(&self, fetched_topics: usize, now_ms: i64) -> Option<String> {
        if self.topics == 0 {
            return None;
        }
        let mut text = if self.topics >= fetched_topics {
            "Answered from the mirror".to_owned()
        } else {
            format!(
                "{} of {fetched_topics} topics answered from the mirror",
                self.topics
            )
        };
        if let Some(at) = self.harvested_at_ms {
            text.push_str(", current to ");
            text.push_str(&clock_text(at, now_ms));
            text.push_str(" UTC");
        }
        text.push('.');
        Some(text)
    }
}

/// `22:30`, `yesterday 22:30` or `2026-12-01 22:30` in UTC: the instant against now.
fn clock_text(at_ms: i64, now_ms: i64) -> String {
    let (day, minutes) = (
        at_ms.div_euclid(DAY_MS),
        at_ms.rem_euclid(DAY_MS) / MINUTE_MS,
    );
    let clock = format!("{:02}:{:02}", minutes / 60, minutes % 60);
    match now_ms.div_euclid(DAY_MS) - day {
        0 => clock,
        1 => format!("yesterday {clock}"),
        _ => match crate::date::Date::from_unix_days(day) {
            Some(date) => format!("{date} {clock}"),
            None => clock,
        },
    }
}

/// `2026-12-07T18:00:12Z` (the server's form, RFC 3339 in UTC) as milliseconds since the epoch.
fn parse_utc(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let (date, time) = raw.strip_suffix('Z')?.split_once('T')?;
    let date: crate::date::Date = date.parse().ok()?;
    let mut parts = time.split(':');
    let mut number = |max: i64| -> Option<i64> {
        let part = parts.next()?;
        let whole = part.split('.').next()?;
        (whole.len() == 2 && whole.bytes().all(|b| b.is_ascii_digit()))
            .then(|| whole.parse::<i64>().ok())
            .flatten()
            .filter(|n| *n <= max)
    };
    let (hours, minutes, seconds) = (number(23)?, number(59)?, number(60)?);
    Some(date.unix_days() * DAY_MS + ((hours * 60 + minutes) * 60 + seconds) * 1_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-07 23:05 UTC.
    const NOW: i64 = 1_796_684_700_000;

    fn answered(times: &[&str]) -> MirrorAnswers {
        let mut answers = MirrorAnswers::default();
        for t in times {
            answers.answered(Some(t));
        }
        answers
    }

    #[test]
    fn the_clock_is_checked() {
        assert_eq!(parse_utc("2026-12-07T23:05:00Z"), Some(NOW));
    }

    #[test]
    fn a_run_answered_from_the_mirror_says_so_once_with_the_harvest_time_in_utc() {
        let answers = answered(&["2026-12-07T22:30:12Z", "2026-12-07T22:30:12Z"]);
        assert_eq!(
            answers.text(2, NOW).as_deref(),
            Some("Answered from the mirror, current to 22:30 UTC.")
        );
    }

    #[test]
    fn the_newest_harvest_of_the_run_is_the_one_said() {
        // A harvest completed between two answers of the run.
        let answers = answered(&["2026-12-07T21:30:00Z", "2026-12-07T22:30:00Z"]);
        assert_eq!(answers.harvested_at_ms, parse_utc("2026-12-07T22:30:00Z"));
    }

    #[test]
    fn an_older_harvest_names_its_day() {
        let yesterday = answered(&["2026-12-06T18:00:00Z"]);
        assert_eq!(
            yesterday.text(1, NOW).as_deref(),
            Some("Answered from the mirror, current to yesterday 18:00 UTC.")
        );
        let older = answered(&["2026-11-30T00:00:00Z"]);
        assert_eq!(
            older.text(1, NOW).as_deref(),
            Some("Answered from the mirror, current to 2026-11-30 00:00 UTC.")
        );
    }

    #[test]
    fn a_run_only_partly_from_the_mirror_says_how_much() {
        let answers = answered(&["2026-12-07T22:30:00Z"]);
        assert_eq!(
            answers.text(3, NOW).as_deref(),
            Some("1 of 3 topics answered from the mirror, current to 22:30 UTC.")
        );
    }

    #[test]
    fn no_mirror_answer_says_nothing_and_an_unreadable_time_is_left_out() {
        assert_eq!(MirrorAnswers::default().text(5, NOW), None);
        let mut answers = MirrorAnswers::default();
        answers.answered(Some("yesterday evening"));
        answers.answered(None);
        assert_eq!(
            answers.text(2, NOW).as_deref(),
            Some("Answered from the mirror.")
        );
        for bad in [
            "2026-12-07T22:30:00",
            "2026-12-07 22:30:00Z",
            "2026-12-07T25:00:00Z",
            "2026-02-30T10:00:00Z",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
        assert_eq!(
            parse_utc("2026-12-07T22:30:00.5Z"),
            parse_utc("2026-12-07T22:30:00Z")
        );
    }
}
