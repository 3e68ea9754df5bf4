//! What a Fetch all run and each section say about it, honestly: how many topics were fetched,
//! found nothing, failed or were not reached (after Cancel), and how many papers are new. The
//! counts always add up to the number of topics, so "Done" never hides a failure.

use std::fmt::Write as _;

/// How one topic's fetch ended in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicOutcome {
    /// Papers arrived; `new` and `updated` as the seen history classified them.
    Fetched { new: usize, updated: usize },
    /// arXiv answered (twice) with no paper: not a failure, nothing to show yet.
    NoMatch,
    /// The fetch failed (network, arXiv busy or erring, broken feed).
    Failed,
    /// The run was cancelled before this topic's turn.
    NotFetched,
}

/// The counts of a run, in the topics' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunSummary {
    pub fetched: usize,
    pub no_match: usize,
    pub failed: usize,
    pub not_fetched: usize,
    pub new_papers: usize,
    pub updated_papers: usize,
    /// Topics that brought at least one new or updated paper.
    pub topics_with_news: usize,
    /// The index of the first failed topic: where `jump-to-failure` moves focus.
    pub first_failure: Option<usize>,
    pub cancelled: bool,
}

impl RunSummary {
    /// Counts the outcomes of a finished (or, with `cancelled`, stopped) run.
    pub fn new(outcomes: impl IntoIterator<Item = TopicOutcome>, cancelled: bool) -> RunSummary {
        let mut summary = RunSummary {
            cancelled,
            ..RunSummary::default()
        };
        for (index, outcome) in outcomes.into_iter().enumerate() {
            match outcome {
                TopicOutcome::Fetched { new, updated } => {
                    summary.fetched += 1;
                    summary.new_papers += new;
                    summary.updated_papers += updated;
                    if new + updated > 0 {
                        summary.topics_with_news += 1;
                    }
                }
                TopicOutcome::NoMatch => summary.no_match += 1,
                TopicOutcome::Failed => {
                    summary.failed += 1;
                    summary.first_failure.get_or_insert(index);
                }
                TopicOutcome::NotFetched => summary.not_fetched += 1,
            }
        }
        summary
    }

    /// `Done: 27 fetched, 3 failed, 17 new papers`, or after Cancel
    /// `Cancelled: 5 fetched, 25 not fetched, 2 new papers`. Counts of zero are left out, except
    /// the fetched topics and the new papers.
    pub fn text(&self) -> String {
        let mut text = String::from(if self.cancelled {
            "Cancelled: "
        } else {
            "Done: "
        });
        let _ = write!(text, "{} fetched", self.fetched);
        for (count, what) in [
            (self.no_match, "with no match"),
            (self.failed, "failed"),
            (self.not_fetched, "not fetched"),
        ] {
            if count > 0 {
                let _ = write!(text, ", {count} {what}");
            }
        }
        text.push_str(", ");
        text.push_str(&new_papers(self.new_papers));
        if self.updated_papers > 0 {
            let _ = write!(text, ", {} updated", self.updated_papers);
        }
        text
    }

    /// True when some topic needs the user's attention (the summary is shown as a warning).
    pub fn has_failures(&self) -> bool {
        self.failed > 0
    }
}

/// `17 new papers`, `1 new paper`, `no new papers`.
fn new_papers(count: usize) -> String {
    match count {
        0 => "no new papers".to_owned(),
        1 => "1 new paper".to_owned(),
        n => format!("{n} new papers"),
    }
}

/// `25 papers`, `1 paper`.
fn papers(count: usize) -> String {
    if count == 1 {
        "1 paper".to_owned()
    } else {
        format!("{count} papers")
    }
}

/// What arrived since the previous fetch, across topics: the summary at the top of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Arrivals {
    pub new_papers: usize,
    pub updated_papers: usize,
    /// Topics with at least one new or updated paper.
    pub topics: usize,
}

impl Arrivals {
    /// From each topic's (new, updated) counts of its latest fetch
    /// ([`super::history::TopicHistory::latest_counts`]).
    pub fn new(per_topic: impl IntoIterator<Item = (usize, usize)>) -> Arrivals {
        per_topic
            .into_iter()
            .fold(Arrivals::default(), |mut sum, (new, updated)| {
                sum.new_papers += new;
                sum.updated_papers += updated;
                if new + updated > 0 {
                    sum.topics += 1;
                }
                sum
            })
    }

    /// `17 new papers in 4 topics since the previous fetch`,
    /// `3 new and 2 updated papers in 1 topic since the previous fetch`,
    /// `No new papers since the previous fetch`.
    pub fn text(&self) -> String {
        let topics = if self.topics == 1 {
            "1 topic".to_owned()
        } else {
            format!("{} topics", self.topics)
        };
        let what = match (self.new_papers, self.updated_papers) {
            (0, 0) => return "No new papers since the previous fetch".to_owned(),
            (new, 0) => new_papers(new),
            (0, 1) => "1 updated paper".to_owned(),
            (0, updated) => format!("{updated} updated papers"),
            (new, updated) => format!("{new} new and {updated} updated papers"),
        };
        format!("{what} in {topics} since the previous fetch")
    }
}

/// The counts in a topic section's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SectionCounts {
    pub papers: usize,
    pub new: usize,
    pub updated: usize,
    /// Papers the reader marked read ([`super::marks`]).
    pub read: usize,
}

impl SectionCounts {
    /// `25 papers · 3 new`, with `· 1 updated` and `· 20 read` when some are; the new count is always there
    /// (`0 new`), so the header's shape does not jump from one fetch to the next.
    pub fn text(&self) -> String {
        let mut text = format!("{} \u{b7} {} new", papers(self.papers), self.new);
        if self.updated > 0 {
            let _ = write!(text, " \u{b7} {} updated", self.updated);
        }
        if self.read > 0 {
            let _ = write!(text, " \u{b7} {} read", self.read);
        }
        text
    }

    /// `25 papers`: the header's first part, for a page that puts the new count in its own
    /// element.
    pub fn papers_text(&self) -> String {
        papers(self.papers)
    }
}

/// The neutral state of a topic arXiv has nothing for yet, with the local time of the check:
/// `No paper matches this topic yet (checked at 09:41)`.
pub fn no_match_text(checked_at: &str) -> String {
    format!("No paper matches this topic yet (checked at {checked_at})")
}

#[cfg(test)]
mod tests {
    use super::TopicOutcome::{Failed, Fetched, NoMatch, NotFetched};
    use super::*;

    fn fetched(new: usize) -> TopicOutcome {
        Fetched { new, updated: 0 }
    }

    #[test]
    fn a_run_with_failures_says_so() {
        let mut outcomes = vec![fetched(0); 27];
        outcomes[3] = fetched(10);
        outcomes[9] = fetched(7);
        outcomes.splice(5..5, [Failed, Failed]);
        outcomes.push(Failed);
        let summary = RunSummary::new(outcomes, false);
        assert_eq!(summary.text(), "Done: 27 fetched, 3 failed, 17 new papers");
        assert_eq!(summary.first_failure, Some(5));
        assert_eq!(summary.topics_with_news, 2);
        assert!(summary.has_failures());
    }

    #[test]
    fn a_cancelled_run_says_what_was_not_fetched() {
        let outcomes = [fetched(2), fetched(0), fetched(0), fetched(0), fetched(0)]
            .into_iter()
            .chain([NotFetched; 25]);
        let summary = RunSummary::new(outcomes, true);
        assert_eq!(
            summary.text(),
            "Cancelled: 5 fetched, 25 not fetched, 2 new papers"
        );
        assert_eq!(summary.first_failure, None);
        assert!(!summary.has_failures());
    }

    #[test]
    fn no_match_is_counted_apart_from_failures() {
        let summary = RunSummary::new(
            [fetched(1), NoMatch, Failed, Fetched { new: 0, updated: 2 }],
            false,
        );
        assert_eq!(
            summary.text(),
            "Done: 2 fetched, 1 with no match, 1 failed, 1 new paper, 2 updated"
        );
        assert_eq!(summary.first_failure, Some(2));
        let parts = summary.fetched + summary.no_match + summary.failed + summary.not_fetched;
        assert_eq!(parts, 4);
    }

    #[test]
    fn a_quiet_morning() {
        assert_eq!(
            RunSummary::new([fetched(0); 30], false).text(),
            "Done: 30 fetched, no new papers"
        );
        assert_eq!(
            RunSummary::new([], false).text(),
            "Done: 0 fetched, no new papers"
        );
    }

    #[test]
    fn arrivals_across_topics() {
        assert_eq!(
            Arrivals::new([(10, 0), (0, 0), (7, 0), (0, 0), (0, 0)]).text(),
            "17 new papers in 2 topics since the previous fetch"
        );
        assert_eq!(
            Arrivals::new([(3, 2)]).text(),
            "3 new and 2 updated papers in 1 topic since the previous fetch"
        );
        assert_eq!(
            Arrivals::new([(0, 1), (1, 0)]).text(),
            "1 new and 1 updated papers in 2 topics since the previous fetch"
        );
        assert_eq!(
            Arrivals::new([(0, 1)]).text(),
            "1 updated paper in 1 topic since the previous fetch"
        );
        assert_eq!(
            Arrivals::new([(0, 0)]).text(),
            "No new papers since the previous fetch"
        );
    }

    #[test]
    fn section_headers() {
        let header = |papers, new, updated| {
            SectionCounts {
                papers,
                new,
                updated,
                read: 0,
            }
            .text()
        };
        let read = SectionCounts {
            papers: 25,
            new: 3,
            updated: 0,
            read: 20,
        };
        assert_eq!(read.text(), "25 papers · 3 new · 20 read");
        assert_eq!(header(25, 3, 0), "25 papers · 3 new");
        assert_eq!(header(25, 0, 0), "25 papers · 0 new");
        assert_eq!(header(1, 1, 0), "1 paper · 1 new");
        assert_eq!(header(25, 3, 1), "25 papers · 3 new · 1 updated");
        assert_eq!(
            SectionCounts {
                papers: 0,
                ..SectionCounts::default()
            }
            .papers_text(),
            "0 papers"
        );
    }

    #[test]
    fn no_match_is_a_neutral_sentence_with_the_time() {
        assert_eq!(
            no_match_text("09:41"),
            "No paper matches this topic yet (checked at 09:41)"
        );
    }
}
