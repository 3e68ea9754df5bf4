//! What a topic keeps once its fetch has ended: one rule for the browser app and the
//! command-line tool, so the same answers give the same results, and so the same README.
//!
//! - papers: kept, dated by the answer's real time (a cache's answer is as old as its `Age`);
//! - no match (arXiv's answer stays empty, or every paper fails the topic's own filters): the
//!   topic's previous papers stay, so its README section is not lost to one empty answer; a
//!   topic that had none shows the neutral "no paper matches" note;
//! - failed: the previous papers stay, with the error beside them;
//! - cancelled: nothing changes.
//!
//! A stale answer (arXiv failed, the server gave its cached one) keeps its real time and is
//! marked, so it never moves the README's "Last update" on (see
//! [`crate::library::results::draft_readme`]).

use crate::arxiv::filter::{keep_for_topic, CategoryFilter};
use crate::date::Date;
use crate::fetch::run::{Freshness, TopicFetch};
use crate::library::results::{FetchedAt, KeywordResults};
use crate::topics::Topic;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const MINUTE_MS: i64 = 60 * 1000;

/// The shell's clock when a run's answers arrive: the real time, the local offset from UTC,
/// and the date the shell calls today (the page's local date; the tool's `--date`, or today in
/// UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub unix_ms: u64,
    pub utc_offset_minutes: i32,
    pub today: Date,
}

impl Clock {
    /// When an answer this fresh was fetched from arXiv: now, less its age; its date counted
    /// back from [`Clock::today`] by the local days between.
    pub fn fetched_at(&self, freshness: &Freshness) -> FetchedAt {
        let age_ms = u64::try_from(freshness.age.as_millis()).unwrap_or(u64::MAX);
        let unix_ms = self.unix_ms.saturating_sub(age_ms);
        let offset = i64::from(self.utc_offset_minutes) * MINUTE_MS;
        let local = |ms: u64| i64::try_from(ms).unwrap_or(i64::MAX).saturating_add(offset);
        let (now, then) = (local(self.unix_ms), local(unix_ms));
        let days_back = now.div_euclid(DAY_MS) - then.div_euclid(DAY_MS);
        let date = Date::from_unix_days(self.today.unix_days() - days_back).unwrap_or(self.today);
        let minutes = then.rem_euclid(DAY_MS) / MINUTE_MS;
        FetchedAt {
            unix_ms,
            date,
            time: format!("{:02}:{:02}", minutes / 60, minutes % 60),
            stale: freshness.stale(),
        }
    }
}

/// The fetch as the topic sees it: arXiv's search stems and tokenises, so the topic's own
/// exclusions and categories are checked again on the answer; when none of its papers is left,
/// nothing matches.
pub fn for_topic(fetched: TopicFetch, topic: &Topic, categories: &CategoryFilter) -> TopicFetch {
    match fetched {
        TopicFetch::Papers { papers, freshness } => {
            let papers = keep_for_topic(papers, topic, categories);
            if papers.is_empty() {
                TopicFetch::NoMatch { freshness }
            } else {
                TopicFetch::Papers { papers, freshness }
            }
        }
        other => other,
    }
}

/// The topic's results after its fetch ended as `fetched` (see the module's rules), given what
/// it held before; `None` when nothing changes.
pub fn results_after(
    previous: Option<&KeywordResults>,
    fetched: TopicFetch,
    topic: &Topic,
    clock: &Clock,
) -> Option<KeywordResults> {
    match fetched {
        TopicFetch::Papers { papers, freshness } if !papers.is_empty() => Some(
            KeywordResults::succeeded(papers, clock.fetched_at(&freshness), topic),
        ),
        TopicFetch::Papers { freshness, .. } | TopicFetch::NoMatch { freshness } => {
            match previous.filter(|p| !p.papers.is_empty()) {
                Some(previous) => Some(KeywordResults {
                    error: None,
                    no_match_at: Some(clock.fetched_at(&freshness)),
                    ..previous.clone()
                }),
                None => Some(KeywordResults::succeeded(
                    Vec::new(),
                    clock.fetched_at(&freshness),
                    topic,
                )),
            }
        }
        TopicFetch::Failed(error) => Some(previous.cloned().unwrap_or_default().failed(error)),
        TopicFetch::Cancelled => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arxiv::Paper;
    use crate::fetch::policy::{CacheStatus, FetchError};
    use std::time::Duration;

    /// 2026-12-07 09:30 UTC, 10:30 in Paris.
    const NOW_MS: u64 = 1_796_635_800_000;

    fn clock(offset: i32, today: &str) -> Clock {
        Clock {
            unix_ms: NOW_MS,
            utc_offset_minutes: offset,
            today: today.parse().unwrap(),
        }
    }

    fn stale(age_secs: u64) -> Freshness {
        Freshness {
            age: Duration::from_secs(age_secs),
            source: CacheStatus::Stale,
        }
    }

    fn paper(id: &str) -> Paper {
        Paper {
            id: format!("http://arxiv.org/abs/{id}"),
            title: id.to_owned(),
            ..Paper::default()
        }
    }

    #[test]
    fn an_answer_is_dated_by_when_arxiv_gave_it() {
        let now = clock(60, "2026-12-07").fetched_at(&Freshness::NOW);
        assert_eq!((now.unix_ms, now.time.as_str()), (NOW_MS, "10:30"));
        assert_eq!(now.date, "2026-12-07".parse().unwrap());
        assert!(!now.stale);
        // A day-old cached answer: 09:12 local yesterday, marked.
        let old = clock(60, "2026-12-07").fetched_at(&stale(25 * 3600 + 18 * 60));
        assert_eq!(old.unix_ms, NOW_MS - (25 * 3600 + 18 * 60) * 1000);
        assert_eq!(old.time, "09:12");
        assert_eq!(old.date, "2026-12-06".parse().unwrap());
        assert!(old.stale);
        assert_eq!(
            old.stale_text("2026-12-07".parse().unwrap()),
            "from 09:12 yesterday \u{2014} arXiv unreachable"
        );
        // The tool's --date shifts every date alike.
        let dated = clock(0, "2026-11-30").fetched_at(&stale(10 * 3600));
        assert_eq!(dated.date, "2026-11-29".parse().unwrap());
        assert_eq!(dated.time, "23:30");
    }

    #[test]
    fn what_a_topic_keeps_after_each_ending() {
        let topic = Topic::from_phrase("Alpha").unwrap();
        let c = clock(0, "2026-12-07");
        let before =
            KeywordResults::from_readme(vec![paper("1")], "2026-12-01".parse().unwrap(), &topic)
                .failed(FetchError::Empty);
        let fresh = TopicFetch::Papers {
            papers: vec![paper("2")],
            freshness: Freshness::NOW,
        };
        let kept = results_after(Some(&before), fresh, &topic, &c).unwrap();
        assert_eq!(kept.papers, vec![paper("2")]);
        assert_eq!(kept.fetched_at.unwrap().unix_ms, NOW_MS);
        // No match: the previous papers stay, dated as before, the old error gone.
        let none = TopicFetch::NoMatch {
            freshness: Freshness::NOW,
        };
        let kept = results_after(Some(&before), none.clone(), &topic, &c).unwrap();
        assert_eq!(kept.papers, before.papers);
        assert_eq!(kept.fetched_at, before.fetched_at);
        assert_eq!(kept.error, None);
        assert_eq!(kept.checked_empty_at().unwrap().unix_ms, NOW_MS);
        // … and a topic that had none is a neutral "no match".
        assert!(results_after(None, none, &topic, &c).unwrap().no_match());
        let failed = results_after(
            Some(&before),
            TopicFetch::Failed(FetchError::Busy { status: 503 }),
            &topic,
            &c,
        )
        .unwrap();
        assert_eq!(failed.papers, before.papers);
        assert_eq!(failed.error, Some(FetchError::Busy { status: 503 }));
        assert_eq!(
            results_after(Some(&before), TopicFetch::Cancelled, &topic, &c),
            None
        );
    }

    #[test]
    fn papers_the_topic_filters_out_are_no_match() {
        let topic = Topic::from_phrase("Alpha").unwrap();
        let categories = CategoryFilter::parse("cs.CV").unwrap();
        let mut other = paper("1");
        other.categories = vec!["math.AG".to_owned()];
        let fetched = TopicFetch::Papers {
            papers: vec![other],
            freshness: Freshness::NOW,
        };
        assert_eq!(
            for_topic(fetched, &topic, &categories),
            TopicFetch::NoMatch {
                freshness: Freshness::NOW
            }
        );
    }
}
