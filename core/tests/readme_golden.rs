//! The README and the issue digest, byte for byte (FORMAT.md §3–4), against golden files.
//!
//! `tests/golden/*.md` are written by `tests/golden/make_golden.py`, an independent Python
//! re-implementation of the reference script's pipeline; `tests/golden/real/` holds an excerpt
//! of a real Daily Papers repository (see `real/SOURCE.md`).

// Native only (`cargo test`): the browser test run (`--target wasm32-unknown-unknown`) skips it.
#![cfg(not(target_arch = "wasm32"))]

use daily_papers_core::arxiv::{parse_feed, CategoryFilter, LinkStyle, Paper};
use daily_papers_core::date::Date;
use daily_papers_core::digest::readme::{issue_digest, readme, Section};

fn papers_from(bytes: &[u8], filter: &CategoryFilter) -> Vec<Paper> {
    filter.apply(parse_feed(bytes).expect("fixture parses").papers)
}

fn papers(bytes: &[u8]) -> Vec<Paper> {
    papers_from(bytes, &CategoryFilter::default())
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

/// Compares line by line first, so a failure names the first differing line.
fn assert_same(actual: &str, expected: &str) {
    for (n, (a, e)) in actual.split('\n').zip(expected.split('\n')).enumerate() {
        assert_eq!(a, e, "line {} differs", n + 1);
    }
    assert_eq!(actual.len(), expected.len(), "same lines, different length");
    assert_eq!(actual, expected);
}

const SEARCH_10: &[u8] = include_bytes!("fixtures/arxiv/search-10-entries.xml");
const SEARCH_100: &[u8] = include_bytes!("fixtures/arxiv/search-100-entries.xml");
const SINGLE: &[u8] = include_bytes!("fixtures/arxiv/single-entry.xml");
const LEGACY: &[u8] = include_bytes!("fixtures/arxiv/legacy-2016-format.xml");
const OLD_ID: &[u8] = include_bytes!("fixtures/arxiv/old-style-id.xml");
const COMMENT_CASES: &[u8] = include_bytes!("fixtures/hand/comment-cases.xml");
const REAL_TIME_SERIES: &[u8] = include_bytes!("fixtures/hand/daily-arxiv-time-series.xml");
const REAL_TRAJECTORY: &[u8] = include_bytes!("fixtures/hand/daily-arxiv-trajectory.xml");

struct Fixtures {
    testing: Vec<Paper>,
    information_theory: Vec<Paper>,
    comment_cases: Vec<Paper>,
}

fn fixtures() -> Fixtures {
    Fixtures {
        testing: papers(SEARCH_10),
        information_theory: papers(SINGLE),
        comment_cases: papers(COMMENT_CASES),
    }
}

impl Fixtures {
    fn sections(&self) -> [Section<'_>; 3] {
        [
            Section {
                keyword: "Software Testing",
                papers: &self.testing,
            },
            Section {
                keyword: "Information Theory",
                papers: &self.information_theory,
            },
            Section {
                keyword: "Comment Cases",
                papers: &self.comment_cases,
            },
        ]
    }
}

#[test]
fn multi_keyword_readme_matches_the_golden_file_as_a_whole() {
    let f = fixtures();
    let out = readme(date("2026-11-20"), &f.sections(), LinkStyle::Abs);
    assert_same(&out, include_str!("golden/fixtures-README.md"));
}

#[test]
fn pdf_link_style_uses_the_pdf_href_as_given() {
    let f = fixtures();
    let out = readme(date("2026-11-20"), &f.sections(), LinkStyle::Pdf);
    assert_same(&out, include_str!("golden/fixtures-README-pdf.md"));
    assert!(out.contains("(https://arxiv.org/pdf/2202.12139v1)**"));
    assert!(!out.contains("/abs/2202.12139v1)"));
}

#[test]
fn issue_digest_lists_the_first_15_papers_without_abstracts() {
    let testing = papers(SEARCH_100);
    assert_eq!(testing.len(), 95);
    let cases = papers(COMMENT_CASES);
    let sections = [
        Section {
            keyword: "testing",
            papers: &testing,
        },
        Section {
            keyword: "Comment Cases",
            papers: &cases,
        },
    ];
    let out = issue_digest(
        date("2026-03-07"),
        "https://github.com/octocat/daily-papers",
        &sections,
        LinkStyle::Abs,
    );
    assert_same(&out, include_str!("golden/fixtures-ISSUE_TEMPLATE.md"));
    assert!(out.starts_with("---\ntitle: Latest 15 Papers - March 07, 2026\n"));
    assert_eq!(out.matches("| **[").count(), 15 + 13);
}

#[test]
fn feeds_in_other_archives_with_a_matching_filter() {
    let bethe = papers_from(LEGACY, &CategoryFilter::parse("cond-mat").unwrap());
    let jupiters = papers_from(OLD_ID, &CategoryFilter::parse("astro-ph").unwrap());
    let sections = [
        Section {
            keyword: "Bethe Lattice",
            papers: &bethe,
        },
        Section {
            keyword: "Hot Jupiters",
            papers: &jupiters,
        },
    ];
    let out = readme(date("2016-10-09"), &sections, LinkStyle::Abs);
    assert_same(&out, include_str!("golden/other-archives-README.md"));
}

#[test]
fn every_comment_case_gives_the_expected_cell() {
    let cases = papers(COMMENT_CASES);
    let out = readme(
        date("2025-01-31"),
        &[Section {
            keyword: "c",
            papers: &cases,
        }],
        LinkStyle::Abs,
    );
    let cell = |title: &str| -> String {
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("| **[{title}](")))
            .unwrap_or_else(|| panic!("no row for {title}"));
        let comment = line.rsplit_once("</p></details> | ").unwrap().1;
        comment.strip_suffix(" |").unwrap().to_owned()
    };
    assert_eq!(cell("No comment element at all"), "");
    assert_eq!(cell("An empty comment element"), "");
    assert_eq!(
        cell("A comment of exactly 20 characters"),
        "Accepted by ICLR2025"
    );
    assert_eq!(
        cell("A comment of 21 characters"),
        "<details><summary>Accep...</summary><p>Accepted to DATE 2025</p></details>"
    );
    assert_eq!(
        cell("Twenty characters but twenty-three bytes"),
        "Présenté à l'ICML 25"
    );
    assert_eq!(
        cell("Non-ASCII first five characters"),
        "<details><summary>Ünïcø...</summary><p>Ünïcødé comment über alles</p></details>"
    );
    assert_eq!(cell("A short comment with a pipe"), "A\\|B tests");
    assert_eq!(cell("Twenty after normalisation"), "Accepted by ICLR2025");
    assert_eq!(
        cell("An emoji among the first five 🤖 characters"),
        "<details><summary>🤖🧪 Ro...</summary><p>🤖🧪 Robot lab notes, 12 pages</p></details>"
    );
    assert!(out.contains(
        "| **[HTML in text: <img src=\"x.png\"> & friends](http://arxiv.org/abs/2501.00010v1)** |"
    ));
    assert!(out.contains("<p>See <img src=\"fig1.png\"> for details</p></details> |\n"));
    assert!(out.contains("| **[Pipes \\| in the title \\| and abstract]("));
    assert!(!out.contains("Dropped: only in math"));
    // An empty comment shows as two spaces between the bars, and the file ends with `|\n\n`.
    assert!(out.contains("</p></details> |  |\n"));
    assert!(out.ends_with(" |\n\n"));
    assert!(!out.contains('\r'));
}

#[test]
fn worked_example_row_of_format_md() {
    let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<entry>
  <id>http://arxiv.org/abs/2410.01506v3</id>
  <updated>2025-02-05T18:30:00Z</updated>
  <title>Learnable Expansion of Graph Operators for
  Multi-Modal Feature Fusion</title>
  <summary>  In computer vision tasks, features often come from diverse
representations ...</summary>
  <arxiv:comment>Accepted at the Thirteenth International Conference on Learning Representations (ICLR 2025)</arxiv:comment>
  <link href="http://arxiv.org/abs/2410.01506v3" rel="alternate" type="text/html"/>
  <link title="pdf" href="http://arxiv.org/pdf/2410.01506v3" rel="related" type="application/pdf"/>
  <category term="cs.CV"/>
</entry></feed>"#;
    let ps = papers(xml.as_bytes());
    let out = readme(
        date("2025-02-06"),
        &[Section {
            keyword: "Graph",
            papers: &ps,
        }],
        LinkStyle::Abs,
    );
    let row = "| **[Learnable Expansion of Graph Operators for Multi-Modal Feature Fusion](http://arxiv.org/abs/2410.01506v3)** | 2025-02-05 | <details><summary>Show</summary><p>In computer vision tasks, features often come from diverse representations ...</p></details> | <details><summary>Accep...</summary><p>Accepted at the Thirteenth International Conference on Learning Representations (ICLR 2025)</p></details> |\n";
    assert!(out.ends_with(&format!("## Graph\n| **Title** | **Date** | **Abstract** | **Comment** |\n| --- | --- | --- | --- |\n{row}\n")));
}

#[test]
fn header_is_exact_and_a_section_without_papers_keeps_its_heading() {
    let out = readme(
        date("2026-01-02"),
        &[Section {
            keyword: "Nothing",
            papers: &[],
        }],
        LinkStyle::Abs,
    );
    assert_eq!(
        out,
        "# Daily Papers\nThe project automatically fetches the latest papers from arXiv based on keywords.\n\nThe subheadings in the README file represent the search keywords.\n\nOnly the most recent articles for each keyword are retained, up to a maximum of 100 papers.\n\nYou can click the 'Watch' button to receive daily email notifications.\n\nLast update: 2026-01-02\n\n## Nothing\n| **Title** | **Date** | **Abstract** | **Comment** |\n| --- | --- | --- | --- |\n\n"
    );
    let empty = readme(date("2026-01-02"), &[], LinkStyle::Abs);
    assert!(empty.ends_with("Last update: 2026-01-02\n\n"));
}

#[test]
fn a_line_break_in_a_keyword_cannot_break_the_heading() {
    let out = readme(
        date("2026-01-02"),
        &[Section {
            keyword: "a\nb",
            papers: &[],
        }],
        LinkStyle::Abs,
    );
    assert!(out.contains("\n## a b\n| **Title**"));
}

// --- A real Daily Papers README -------------------------------------------------------------

const REAL_README: &str = include_str!("golden/real/README.md");
const REAL_ISSUE: &str = include_str!("golden/real/ISSUE_TEMPLATE.md");

fn real_papers() -> (Vec<Paper>, Vec<Paper>) {
    (papers(REAL_TIME_SERIES), papers(REAL_TRAJECTORY))
}

/// The one row of the real README with `|` in a cell (`E[|x-\mu|^p]` and two more in an abstract): the
/// reference writes the pipes bare, which splits that row's cells on GitHub; we write `\|`.
const PIPE_ROW_TITLE: &str = "Adaptive Student's t-distribution";

#[test]
fn real_readme_is_reproduced_byte_for_byte_but_for_the_escaped_pipes() {
    let (time_series, trajectory) = real_papers();
    assert_eq!(
        (time_series.len(), trajectory.len()),
        (17, 3),
        "the filter drops the two math-only entries"
    );
    let sections = [
        Section {
            keyword: "Time Series",
            papers: &time_series,
        },
        Section {
            keyword: "Trajectory",
            papers: &trajectory,
        },
    ];
    let out = readme(date("2025-04-25"), &sections, LinkStyle::Abs);

    // Every line without a pipe in its text is identical to the real README's.
    let expected_lines: Vec<&str> = REAL_README.split('\n').collect();
    let actual_lines: Vec<&str> = out.split('\n').collect();
    assert_eq!(actual_lines.len(), expected_lines.len());
    let mut differing = Vec::new();
    for (a, e) in actual_lines.iter().zip(&expected_lines) {
        if a != e {
            differing.push((*a, *e));
        }
    }
    assert_eq!(
        differing.len(),
        1,
        "only the row with pipes in its abstract differs"
    );
    let (ours, theirs) = differing[0];
    assert!(theirs.contains(PIPE_ROW_TITLE));
    // ...and it differs only by a backslash before each of the six pipes in the abstract.
    let cell_start = theirs.find("<details><summary>Show</summary><p>").unwrap();
    let cell_end = theirs.find("</p></details>").unwrap();
    let escaped = format!(
        "{}{}{}",
        &theirs[..cell_start],
        theirs[cell_start..cell_end].replace('|', "\\|"),
        &theirs[cell_end..]
    );
    assert_eq!(theirs[cell_start..cell_end].matches('|').count(), 6);
    assert_eq!(ours, escaped);
    assert_eq!(out.len(), REAL_README.len() + 6);
}

#[test]
fn real_readme_rows_without_pipes_are_byte_for_byte_equal_as_a_whole_file() {
    // The same README without the pipe row: a whole-file, byte-for-byte comparison.
    let (time_series, trajectory) = real_papers();
    let time_series: Vec<Paper> = time_series
        .into_iter()
        .filter(|p| !p.title.starts_with(PIPE_ROW_TITLE))
        .collect();
    let sections = [
        Section {
            keyword: "Time Series",
            papers: &time_series,
        },
        Section {
            keyword: "Trajectory",
            papers: &trajectory,
        },
    ];
    let expected: String = REAL_README
        .split_inclusive('\n')
        .filter(|line| !line.contains(PIPE_ROW_TITLE))
        .collect();
    assert_eq!(
        readme(date("2025-04-25"), &sections, LinkStyle::Abs),
        expected
    );
}

#[test]
fn real_readme_differs_only_in_the_date_line_on_another_day() {
    let (time_series, trajectory) = real_papers();
    let sections = [
        Section {
            keyword: "Time Series",
            papers: &time_series,
        },
        Section {
            keyword: "Trajectory",
            papers: &trajectory,
        },
    ];
    let today = readme(date("2025-04-25"), &sections, LinkStyle::Abs);
    let later = readme(date("2025-12-31"), &sections, LinkStyle::Abs);
    assert_eq!(
        later,
        today.replace("Last update: 2025-04-25\n", "Last update: 2025-12-31\n")
    );
}

#[test]
fn real_issue_template_is_reproduced_byte_for_byte() {
    let (time_series, _) = real_papers();
    let out = issue_digest(
        date("2025-04-25"),
        "https://github.com/zezhishao/MTS_Daily_ArXiv",
        &[Section {
            keyword: "Time Series",
            papers: &time_series,
        }],
        LinkStyle::Abs,
    );
    assert_same(&out, REAL_ISSUE);
}

/// BibTeX in arXiv's own form for the fixture paper (`golden/bibtex-single-entry.bib`, written
/// by hand from the feed: key = first author's surname, year, three significant title words).
#[test]
fn bibtex_of_a_fixture_paper_equals_the_golden_entry() {
    let paper = &papers(SINGLE)[0];
    assert_same(
        &daily_papers_core::digest::bibtex::bibtex(paper),
        include_str!("golden/bibtex-single-entry.bib"),
    );
}
