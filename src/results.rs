//! The results kept per keyword (papers, when they were fetched, the last error) and the README
//! built from them. Kept in the browser so a reload shows the tables without any request; a
//! failed fetch records its error but keeps the papers the user already had. Pure Rust.

use crate::arxiv::{LinkStyle, Paper};
use crate::date::Date;
use crate::fetch_policy::FetchError;
use crate::keyword::Keyword;
use crate::readme::{readme, readme_with_header, Section};

/// When a keyword's papers arrived, in the user's local time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedAt {
    /// Milliseconds since the Unix epoch: orders fetches.
    pub unix_ms: u64,
    /// The local date: the README's "Last update".
    pub date: Date,
    /// The local time as shown, `HH:MM`.
    pub time: String,
}

/// One keyword's results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeywordResults {
    /// The papers of the last successful fetch, in arXiv's order.
    pub papers: Vec<Paper>,
    /// When that fetch happened; `None` if no fetch of this keyword ever succeeded.
    pub fetched_at: Option<FetchedAt>,
    /// Why the latest fetch failed, if it did; cleared by the next success.
    pub error: Option<FetchError>,
}

impl KeywordResults {
    /// The papers of a successful fetch; an earlier error is cleared.
    pub fn succeeded(papers: Vec<Paper>, at: FetchedAt) -> KeywordResults {
        KeywordResults {
            papers,
            fetched_at: Some(at),
            error: None,
        }
    }

    /// The same papers as before, with the error shown next to them.
    pub fn failed(&self, error: FetchError) -> KeywordResults {
        KeywordResults {
            papers: self.papers.clone(),
            fetched_at: self.fetched_at.clone(),
            error: Some(error),
        }
    }

    pub fn ever_fetched(&self) -> bool {
        self.fetched_at.is_some()
    }
}

/// The storage key suffix of a keyword's results: the same search whatever its case.
pub fn results_key(keyword: &Keyword) -> String {
    keyword.folded()
}

/// The README for the keywords in the user's order, and the keywords left out of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReadmeDraft {
    /// `None` until at least one keyword has been fetched successfully.
    pub markdown: Option<String>,
    /// Keywords never fetched successfully: not in the markdown, so the user is warned.
    pub left_out: Vec<Keyword>,
}

/// Builds the README: "Last update" is the date of the latest successful fetch among the listed
/// keywords; a keyword never fetched successfully is left out (an empty table would overwrite
/// the user's previous papers for it).
pub fn draft_readme<'a, R>(keywords: &'a [Keyword], results_of: R, style: LinkStyle) -> ReadmeDraft
where
    R: Fn(&Keyword) -> Option<&'a KeywordResults>,
{
    draft(keywords, results_of, |date, sections| {
        readme(date, sections, style)
    })
}

/// As [`draft_readme`], under a header kept from an imported README (see
/// [`crate::readme::readme_with_header`]): only its `Last update:` date changes.
pub fn draft_readme_with_header<'a, R>(
    header: &str,
    keywords: &'a [Keyword],
    results_of: R,
    style: LinkStyle,
) -> ReadmeDraft
where
    R: Fn(&Keyword) -> Option<&'a KeywordResults>,
{
    draft(keywords, results_of, |date, sections| {
        readme_with_header(header, date, sections, style)
    })
}

fn draft<'a, R, W>(keywords: &'a [Keyword], results_of: R, write: W) -> ReadmeDraft
where
    R: Fn(&Keyword) -> Option<&'a KeywordResults>,
    W: FnOnce(Date, &[Section]) -> String,
{
    let mut sections = Vec::with_capacity(keywords.len());
    let mut left_out = Vec::new();
    let mut latest: Option<&FetchedAt> = None;
    for keyword in keywords {
        match results_of(keyword).and_then(|r| Some((r, r.fetched_at.as_ref()?))) {
            Some((results, at)) => {
                if latest.is_none_or(|l| at.unix_ms > l.unix_ms) {
                    latest = Some(at);
                }
                sections.push(Section {
                    keyword: keyword.as_str(),
                    papers: &results.papers,
                });
            }
            _ => left_out.push(keyword.clone()),
        }
    }
    ReadmeDraft {
        markdown: latest.map(|at| write(at.date, &sections)),
        left_out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arxiv::parse_feed;
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
        }
    }

    fn kw(text: &str) -> Keyword {
        Keyword::parse(text).unwrap()
    }

    #[test]
    fn a_failure_keeps_the_previous_papers_and_a_success_clears_the_error() {
        let first = KeywordResults::succeeded(papers("single-entry.xml"), at(1, "2026-11-19"));
        let failed = first.failed(FetchError::Empty);
        assert_eq!(failed.papers, first.papers);
        assert_eq!(failed.fetched_at, first.fetched_at);
        assert_eq!(failed.error, Some(FetchError::Empty));
        let again = KeywordResults::succeeded(papers("search-10-entries.xml"), at(2, "2026-11-20"));
        assert_eq!(again.error, None);
        assert_eq!(again.papers.len(), 10);
    }

    #[test]
    fn never_fetched_keywords_are_left_out_and_last_update_is_the_latest_fetch() {
        let keywords = [kw("Alpha"), kw("Never"), kw("Beta")];
        let mut map = HashMap::new();
        map.insert(
            "alpha".to_string(),
            KeywordResults::succeeded(papers("single-entry.xml"), at(5, "2026-11-20")),
        );
        map.insert(
            "beta".to_string(),
            KeywordResults::succeeded(papers("search-10-entries.xml"), at(3, "2026-11-18")),
        );
        map.insert(
            "never".to_string(),
            KeywordResults::default().failed(FetchError::Empty),
        );
        let draft = draft_readme(&keywords, |k| map.get(&results_key(k)), LinkStyle::Abs);
        assert_eq!(draft.left_out, vec![kw("Never")]);
        let alpha = &map["alpha"].papers;
        let beta = &map["beta"].papers;
        let expected = readme(
            "2026-11-20".parse().unwrap(),
            &[
                Section {
                    keyword: "Alpha",
                    papers: alpha,
                },
                Section {
                    keyword: "Beta",
                    papers: beta,
                },
            ],
            LinkStyle::Abs,
        );
        assert_eq!(draft.markdown.as_deref(), Some(expected.as_str()));
    }

    #[test]
    fn nothing_fetched_means_no_markdown() {
        let keywords = [kw("Alpha")];
        let draft = draft_readme(&keywords, |_| None, LinkStyle::Pdf);
        assert_eq!(draft.markdown, None);
        assert_eq!(draft.left_out, vec![kw("Alpha")]);
    }

    #[test]
    fn results_key_ignores_case() {
        assert_eq!(
            results_key(&kw("Video Understanding")),
            results_key(&kw("video understanding"))
        );
    }
}
