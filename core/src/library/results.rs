//! The results kept per topic (papers, when they were fetched, the search they came from, the
//! last error) and the README built from them. Kept in the browser under the topic's id, so a
//! reload shows the tables without any request and a rename keeps them; a failed fetch records
//! its error but keeps the papers the user already had; an edit of the topic's search keeps them
//! too, marked as from the previous search until the next fetch. Pure Rust.

use crate::arxiv::topic_query::search_query;
use crate::arxiv::{LinkStyle, Paper};
use crate::date::Date;
use crate::digest::readme::{readme, readme_with_header, Section};
use crate::fetch::policy::FetchError;
use crate::topics::keyword::{case_fold, Keyword};
use crate::topics::{Topic, TopicId};

/// When a keyword's papers were fetched from arXiv, in the user's local time: the real time of
/// the answer, also when it came from a cache (see [`crate::fetch::outcome::Clock`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedAt {
    /// Milliseconds since the Unix epoch: orders fetches.
    pub unix_ms: u64,
    /// The local date: the README's "Last update".
    pub date: Date,
    /// The local time as shown, `HH:MM`.
    pub time: String,
    /// A cache's old answer, given because arXiv failed: shown as such, and it never moves the
    /// README's "Last update".
    pub stale: bool,
}

impl FetchedAt {
    /// The time of papers read from a README dated `date`: older than any fetch, so the next one
    /// moves "Last update" on, and without a time of day.
    pub fn from_readme(date: Date) -> FetchedAt {
        FetchedAt {
            unix_ms: 0,
            date,
            time: String::new(),
            stale: false,
        }
    }

    /// How a stale answer is shown, with the date of `today`: `from 09:12 yesterday — arXiv
    /// unreachable` (`today`, `yesterday`, or the date for an older one).
    pub fn stale_text(&self, today: Date) -> String {
        let day = match today.unix_days() - self.date.unix_days() {
            0 => "today".to_owned(),
            1 => "yesterday".to_owned(),
            _ => format!("on {}", self.date),
        };
        format!("from {} {day} \u{2014} arXiv unreachable", self.time)
    }
}

/// One topic's results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeywordResults {
    /// The papers of the last successful fetch, in arXiv's order.
    pub papers: Vec<Paper>,
    /// When that fetch happened; `None` if no fetch of this topic ever succeeded.
    pub fetched_at: Option<FetchedAt>,
    /// Why the latest fetch failed, if it did; cleared by the next success.
    pub error: Option<FetchError>,
    /// The `search_query` the papers were fetched with; `None` for papers saved before topics
    /// (a keyword's query, which its one-phrase topic still sends).
    pub search: Option<String>,
    /// When the latest fetch found no paper while these earlier papers are kept (one empty
    /// answer does not take a topic's section away): shown as the neutral "no match" note.
    pub no_match_at: Option<FetchedAt>,
}

impl KeywordResults {
    /// The papers of a successful fetch of `topic`; an earlier error is cleared.
    pub fn succeeded(papers: Vec<Paper>, at: FetchedAt, topic: &Topic) -> KeywordResults {
        KeywordResults {
            papers,
            fetched_at: Some(at),
            error: None,
            search: Some(search_query(topic)),
            no_match_at: None,
        }
    }

    /// True when the papers came from another search than the topic's current one (the topic
    /// was edited since): they stay on screen, marked, until the next fetch. Case is ignored, as
    /// arXiv ignores it.
    pub fn from_previous_search(&self, topic: &Topic) -> bool {
        self.ever_fetched()
            && self
                .search
                .as_ref()
                .is_some_and(|s| case_fold(s) != case_fold(&search_query(topic)))
    }

    /// The same papers as before, with the error shown next to them.
    pub fn failed(&self, error: FetchError) -> KeywordResults {
        KeywordResults {
            papers: self.papers.clone(),
            fetched_at: self.fetched_at.clone(),
            error: Some(error),
            search: self.search.clone(),
            no_match_at: None,
        }
    }

    /// The time of the latest check that found no paper, whether or not earlier papers are
    /// kept: what the page's "no match" note says.
    pub fn checked_empty_at(&self) -> Option<&FetchedAt> {
        if self.no_match() {
            return self.fetched_at.as_ref();
        }
        self.no_match_at.as_ref().filter(|_| self.error.is_none())
    }

    /// The papers a README section held, dated as the README was (see
    /// [`FetchedAt::from_readme`]): what the page's import and the command-line tool start from.
    pub fn from_readme(papers: Vec<Paper>, readme_date: Date, topic: &Topic) -> KeywordResults {
        KeywordResults::succeeded(papers, FetchedAt::from_readme(readme_date), topic)
    }

    pub fn ever_fetched(&self) -> bool {
        self.fetched_at.is_some()
    }

    /// True when the latest fetch succeeded and found no paper (arXiv answered empty twice, or
    /// every paper was outside the allowed categories): a neutral state, not a failure.
    pub fn no_match(&self) -> bool {
        self.ever_fetched() && self.error.is_none() && self.papers.is_empty()
    }
}

/// The key a topic's results are kept under: its id, so a rename or an edit keeps them.
pub fn results_key(id: TopicId) -> String {
    format!("topic/{id}")
}

/// The key earlier releases kept a keyword's results under: the keyword in lower case (the
/// same search whatever its case). Read only to move those results to [`results_key`].
pub fn keyword_results_key(keyword: &Keyword) -> String {
    keyword.folded()
}

/// The README for the topics in the user's order, and the topics left out of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReadmeDraft {
    /// `None` until at least one keyword has been fetched successfully.
    pub markdown: Option<String>,
    /// Topics never fetched successfully: not in the markdown, so the user is warned.
    pub left_out: Vec<Keyword>,
    /// Topics whose latest fetch found no paper: not in the markdown either (a heading over an
    /// empty table would only push the user's other papers down), noted in neutral words.
    pub no_match: Vec<Keyword>,
}

/// Builds the README, one section per topic under its name: "Last update" is the date of the
/// latest successful fetch among the listed topics (a stale answer's only when every section is
/// stale: an old answer never moves the date on); a topic never fetched successfully is left
/// out (an empty table would overwrite the user's previous papers for it), and so is a topic
/// whose latest fetch found no paper (see [`ReadmeDraft::no_match`]).
pub fn draft_readme<'a, R>(
    topics: impl IntoIterator<Item = (TopicId, &'a Keyword)>,
    results_of: R,
    style: LinkStyle,
) -> ReadmeDraft
where
    R: Fn(TopicId) -> Option<&'a KeywordResults>,
{
    draft_readme_start(None, topics, results_of, style, usize::MAX)
}

/// As [`draft_readme`], under a header kept from an imported README (see
/// [`crate::digest::readme::readme_with_header`]): only its `Last update:` date changes.
pub fn draft_readme_with_header<'a, R>(
    header: &str,
    topics: impl IntoIterator<Item = (TopicId, &'a Keyword)>,
    results_of: R,
    style: LinkStyle,
) -> ReadmeDraft
where
    R: Fn(TopicId) -> Option<&'a KeywordResults>,
{
    draft_readme_start(Some(header), topics, results_of, style, usize::MAX)
}

/// As [`draft_readme_start`], into the layout of an existing README (see
/// [`crate::digest::readme::readme_in_layout`]): the user's text stays where it stood, and the
/// README's sections of topics not listed stay too unless `prune`. No layout: the reference's
/// header, as [`draft_readme`].
pub fn draft_readme_in_layout<'a, R>(
    layout: Option<&crate::digest::ImportedReadme>,
    prune: bool,
    topics: impl IntoIterator<Item = (TopicId, &'a Keyword)>,
    results_of: R,
    style: LinkStyle,
    max_papers: usize,
) -> ReadmeDraft
where
    R: Fn(TopicId) -> Option<&'a KeywordResults>,
{
    let Some(layout) = layout else {
        return draft_readme_start(None, topics, results_of, style, max_papers);
    };
    draft_up_to(
        topics,
        results_of,
        max_papers,
        |date, sections: &[Section]| {
            crate::digest::readme::readme_in_layout(layout, date, sections, style, prune)
        },
    )
}

/// The start of the README that [`draft_readme`] writes (under `header`, that of
/// [`draft_readme_with_header`]): the same bytes up to the end of its `max_papers`-th row, then
/// nothing more; the warnings are the whole README's. For a preview of a README that would take
/// too long to write at every change (40,000 papers make about 60 MB).
pub fn draft_readme_start<'a, R>(
    header: Option<&str>,
    topics: impl IntoIterator<Item = (TopicId, &'a Keyword)>,
    results_of: R,
    style: LinkStyle,
    max_papers: usize,
) -> ReadmeDraft
where
    R: Fn(TopicId) -> Option<&'a KeywordResults>,
{
    let write = |date, sections: &[Section]| match header {
        Some(header) => readme_with_header(header, date, sections, style),
        None => readme(date, sections, style),
    };
    draft_up_to(topics, results_of, max_papers, write)
}

/// The draft with at most `max_papers` papers, the first ones in order: the sections up to the one
/// cut short (not written if cut to nothing), then none.
fn draft_up_to<'a, R, W>(
    topics: impl IntoIterator<Item = (TopicId, &'a Keyword)>,
    results_of: R,
    max_papers: usize,
    write: W,
) -> ReadmeDraft
where
    R: Fn(TopicId) -> Option<&'a KeywordResults>,
    W: FnOnce(Date, &[Section]) -> String,
{
    let mut budget = max_papers;
    let mut cut = false;
    let mut sections = Vec::new();
    let mut left_out = Vec::new();
    let mut no_match = Vec::new();
    let mut latest: Option<&FetchedAt> = None;
    // Ordered fresh before stale, then by time.
    let later = |at: &FetchedAt, than: Option<&FetchedAt>| {
        than.is_none_or(|l| (!at.stale, at.unix_ms) > (!l.stale, l.unix_ms))
    };
    for (id, keyword) in topics {
        match results_of(id).and_then(|r| Some((r, r.fetched_at.as_ref()?))) {
            Some((results, _)) if results.no_match() => no_match.push(keyword.clone()),
            Some((results, at)) => {
                if later(at, latest) {
                    latest = Some(at);
                }
                // Past the paper where the start ends, no more sections (their dates and
                // warnings still count).
                if cut {
                    continue;
                }
                let papers = results.papers.get(..budget).unwrap_or(&results.papers);
                budget -= papers.len();
                cut = papers.len() < results.papers.len();
                if !(cut && papers.is_empty()) {
                    sections.push(Section {
                        keyword: keyword.as_str(),
                        papers,
                    });
                }
            }
            _ => left_out.push(keyword.clone()),
        }
    }
    ReadmeDraft {
        markdown: latest.map(|at| write(at.date, &sections)),
        left_out,
        no_match,
    }
}

/// The issue digest of the topics listed, dated by the latest successful fetch among them and
/// linking to `repo`; `None` before any topic was fetched. The page's digest panel and its
/// Publish to GitHub write the same one.
pub fn draft_digest<'a, R>(
    topics: impl IntoIterator<Item = (TopicId, &'a Keyword)>,
    results_of: R,
    repo: &str,
    style: LinkStyle,
) -> Option<String>
where
    R: Fn(TopicId) -> Option<&'a KeywordResults>,
{
    let mut latest: Option<&FetchedAt> = None;
    let mut sections = Vec::new();
    for (id, name) in topics {
        let Some(results) = results_of(id) else {
            continue;
        };
        let Some(at) = results.fetched_at.as_ref() else {
            continue;
        };
        if latest.is_none_or(|l| at.unix_ms > l.unix_ms) {
            latest = Some(at);
        }
        sections.push(crate::digest::readme::Section {
            keyword: name.as_str(),
            papers: &results.papers,
        });
    }
    latest.map(|at| crate::digest::readme::issue_digest(at.date, repo, &sections, style))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arxiv::parse_feed;
    use crate::topics::{TopicList, TopicParts};
    use std::collections::HashMap;

    fn papers(name: &str) -> Vec<Paper> {
        let path = format!("{}/tests/fixtures/arxiv/{name}", env!("CARGO_MANIFEST_DIR"));
        parse_feed(&std::fs::read(path).unwrap()).unwrap().papers
    }

    fn at(unix_ms: u64, date: &str) -> FetchedAt {
        FetchedAt {
            unix_ms,
            date: date.parse().unwrap(),
            time: "10:00".into(),
            stale: false,
        }
    }

    fn kw(text: &str) -> Keyword {
        Keyword::parse(text).unwrap()
    }

    fn topic(text: &str) -> Topic {
        Topic::from_phrase(text).unwrap()
    }

    #[test]
    fn a_failure_keeps_the_previous_papers_and_a_success_clears_the_error() {
        let t = topic("Alpha");
        let first = KeywordResults::succeeded(papers("single-entry.xml"), at(1, "2026-11-19"), &t);
        let failed = first.failed(FetchError::Empty);
        assert_eq!(failed.papers, first.papers);
        assert_eq!(failed.fetched_at, first.fetched_at);
        assert_eq!(failed.search, first.search);
        assert_eq!(failed.error, Some(FetchError::Empty));
        let again =
            KeywordResults::succeeded(papers("search-10-entries.xml"), at(2, "2026-11-20"), &t);
        assert_eq!(again.error, None);
        assert_eq!(again.papers.len(), 10);
    }

    #[test]
    fn papers_of_another_search_are_from_the_previous_search_until_the_next_fetch() {
        let plain = topic("Video Anomaly Detection");
        let r = KeywordResults::succeeded(papers("single-entry.xml"), at(1, "2026-11-19"), &plain);
        assert!(!r.from_previous_search(&plain));
        // A rename of a topic that is more than its name keeps its search.
        let edited = Topic::new(TopicParts {
            name: "VAD".into(),
            phrases: vec!["Video Anomaly Detection".into(), "abnormal event".into()],
            ..TopicParts::default()
        })
        .unwrap();
        assert!(r.from_previous_search(&edited));
        assert!(r.failed(FetchError::Empty).from_previous_search(&edited));
        let renamed = edited.renamed("Anomalies").unwrap();
        let again =
            KeywordResults::succeeded(papers("single-entry.xml"), at(2, "2026-11-20"), &edited);
        assert!(!again.from_previous_search(&renamed));
        // Case alone is the same search for arXiv.
        assert!(!r.from_previous_search(&topic("video anomaly DETECTION")));
        // Papers saved before topics (no search recorded) and never-fetched results are not marked.
        let saved_before = KeywordResults {
            search: None,
            ..r.clone()
        };
        assert!(!saved_before.from_previous_search(&edited));
        assert!(!KeywordResults::default().from_previous_search(&edited));
    }

    #[test]
    fn never_fetched_topics_are_left_out_and_last_update_is_the_latest_fetch() {
        let mut list = TopicList::default();
        let [alpha, never, beta] = ["Alpha", "Never", "Beta"].map(|t| list.add(t).unwrap());
        let mut map = HashMap::new();
        map.insert(
            alpha,
            KeywordResults::succeeded(
                papers("single-entry.xml"),
                at(5, "2026-11-20"),
                &topic("Alpha"),
            ),
        );
        map.insert(
            beta,
            KeywordResults::succeeded(
                papers("search-10-entries.xml"),
                at(3, "2026-11-18"),
                &topic("Beta"),
            ),
        );
        map.insert(never, KeywordResults::default().failed(FetchError::Empty));
        // A rename keeps the papers: the section takes the new name.
        list.rename(beta, "Beta Renamed").unwrap();
        let draft = draft_readme(
            list.entries().iter().map(|e| (e.id, e.topic.name())),
            |id| map.get(&id),
            LinkStyle::Abs,
        );
        assert_eq!(draft.left_out, vec![kw("Never")]);
        let expected = readme(
            "2026-11-20".parse().unwrap(),
            &[
                Section {
                    keyword: "Alpha",
                    papers: &map[&alpha].papers,
                },
                Section {
                    keyword: "Beta Renamed",
                    papers: &map[&beta].papers,
                },
            ],
            LinkStyle::Abs,
        );
        assert_eq!(draft.markdown.as_deref(), Some(expected.as_str()));
    }

    #[test]
    fn the_start_of_a_readme_is_the_readme_up_to_its_last_paper_row() {
        let mut list = TopicList::default();
        let [broken, alpha, beta, never] =
            ["Broken", "Alpha", "Beta", "Never"].map(|t| list.add(t).unwrap());
        let mut map = HashMap::new();
        // Fetched once with nothing kept, then failed: an empty section in the whole README,
        // which the start must write too (it comes before any paper).
        map.insert(
            broken,
            KeywordResults::succeeded(Vec::new(), at(1, "2026-11-17"), &topic("Broken"))
                .failed(FetchError::Empty),
        );
        for (id, name, feed, day) in [
            (alpha, "Alpha", "search-10-entries.xml", at(3, "2026-11-18")),
            (beta, "Beta", "single-entry.xml", at(5, "2026-11-20")),
        ] {
            map.insert(
                id,
                KeywordResults::succeeded(papers(feed), day, &topic(name)),
            );
        }
        map.insert(never, KeywordResults::default().failed(FetchError::Empty));
        let listed = || list.entries().iter().map(|e| (e.id, e.topic.name()));
        let header = "# My papers\nLast update: 2020-01-01\n\n";
        for head in [None, Some(header)] {
            let whole = match head {
                Some(h) => draft_readme_with_header(h, listed(), |id| map.get(&id), LinkStyle::Abs),
                None => draft_readme(listed(), |id| map.get(&id), LinkStyle::Abs),
            };
            let whole_text = whole.markdown.clone().unwrap();
            let mut previous = 0;
            for max in 0..=12 {
                let start =
                    draft_readme_start(head, listed(), |id| map.get(&id), LinkStyle::Abs, max);
                assert_eq!(start.left_out, whole.left_out);
                let text = start.markdown.unwrap();
                if max >= 11 {
                    assert_eq!(text, whole_text, "all 11 papers: the whole README");
                    continue;
                }
                // Up to the end of its last row, the same bytes as the whole README.
                let rows_end = text.trim_end_matches('\n').len() + 1;
                assert!(whole_text.starts_with(&text[..rows_end]), "{max} papers");
                let rows = text.lines().filter(|l| l.starts_with("| **[")).count();
                assert_eq!(rows, max, "{max} rows");
                assert!(rows_end > previous || max == 0);
                previous = rows_end;
                assert!(
                    text.contains("Last update: 2026-11-20\n"),
                    "dated by every topic"
                );
            }
        }
    }

    #[test]
    fn a_topic_with_no_match_is_left_out_with_its_own_note_and_does_not_date_the_readme() {
        let mut list = TopicList::default();
        let [alpha, empty] = ["Alpha", "Empty"].map(|t| list.add(t).unwrap());
        let mut map = HashMap::new();
        map.insert(
            alpha,
            KeywordResults::succeeded(
                papers("single-entry.xml"),
                at(1, "2026-11-19"),
                &topic("Alpha"),
            ),
        );
        let none = KeywordResults::succeeded(Vec::new(), at(9, "2026-11-21"), &topic("Empty"));
        assert!(none.no_match());
        assert!(!none.failed(FetchError::Empty).no_match());
        map.insert(empty, none);
        let draft = draft_readme(
            list.entries().iter().map(|e| (e.id, e.topic.name())),
            |id| map.get(&id),
            LinkStyle::Abs,
        );
        assert_eq!(draft.no_match, vec![kw("Empty")]);
        assert!(draft.left_out.is_empty());
        let md = draft.markdown.unwrap();
        assert!(!md.contains("## Empty"), "{md}");
        assert!(md.contains("Last update: 2026-11-19\n"), "{md}");
    }

    #[test]
    fn a_stale_answer_keeps_its_time_and_does_not_move_last_update() {
        let mut list = TopicList::default();
        let [kept, old] = ["Kept", "Old"].map(|t| list.add(t).unwrap());
        let mut map = HashMap::new();
        map.insert(
            kept,
            KeywordResults::from_readme(
                papers("single-entry.xml"),
                "2026-11-18".parse().unwrap(),
                &topic("Kept"),
            ),
        );
        // Later than the README's date, but a cache's old answer given because arXiv failed.
        let mut stale = at(9, "2026-11-20");
        stale.stale = true;
        map.insert(
            old,
            KeywordResults::succeeded(papers("search-10-entries.xml"), stale, &topic("Old")),
        );
        let listed = || list.entries().iter().map(|e| (e.id, e.topic.name()));
        let md = draft_readme(listed(), |id| map.get(&id), LinkStyle::Abs)
            .markdown
            .unwrap();
        assert!(md.contains("Last update: 2026-11-18\n"), "{md}");
        assert!(md.contains("## Old"), "its papers are in the README");
        // Only stale answers: dated by them, the latest of what there is.
        let only_stale: HashMap<_, _> = map.iter().filter(|(id, _)| **id != kept).collect();
        let md = draft_readme(listed(), |id| only_stale.get(&id).copied(), LinkStyle::Abs)
            .markdown
            .unwrap();
        assert!(md.contains("Last update: 2026-11-20\n"), "{md}");
    }

    #[test]
    fn nothing_fetched_means_no_markdown() {
        let mut list = TopicList::default();
        let alpha = list.add("Alpha").unwrap();
        let name = kw("Alpha");
        let draft = draft_readme([(alpha, &name)], |_| None, LinkStyle::Pdf);
        assert_eq!(draft.markdown, None);
        assert_eq!(draft.left_out, vec![kw("Alpha")]);
    }

    #[test]
    fn results_keys_are_by_id_and_earlier_keys_ignore_case() {
        let mut list = TopicList::default();
        let a = list.add("Alpha").unwrap();
        let b = list.add("Beta").unwrap();
        assert_ne!(results_key(a), results_key(b));
        assert_eq!(
            keyword_results_key(&kw("Video Understanding")),
            keyword_results_key(&kw("video understanding"))
        );
    }
}
