//! Importing a Daily Papers README: real READMEs of both link styles, the issue digest, the
//! variants found in the wild (CRLF, extra text, no reference header), malformed ones, and hostile
//! input (proptest). The round trip is the contract: import, then write, gives the same bytes
//! back but the date (and a bare `|` in a cell, written `\|`: FORMAT.md §3).

#![cfg(not(target_arch = "wasm32"))]

use daily_papers_core::arxiv::{LinkStyle, Paper, SortBy};
use daily_papers_core::date::Date;
use daily_papers_core::digest::readme::{
    issue_digest, readme, readme_in_layout, readme_with_header, Section,
};
use daily_papers_core::digest::{import_readme, ImportError, ImportedReadme};
use proptest::prelude::*;

const DAILY_README: &str = include_str!("fixtures/readmes/dailyarxiv/README.md");
const DAILY_DIGEST: &str = include_str!("fixtures/readmes/dailyarxiv/ISSUE_TEMPLATE.md");
const DAILY_REPO: &str = "https://github.com/zezhishao/MTS_Daily_ArXiv";
const GOLDEN_ABS: &str = include_str!("golden/fixtures-README.md");
const GOLDEN_PDF: &str = include_str!("golden/fixtures-README-pdf.md");
const GOLDEN_OTHER: &str = include_str!("golden/other-archives-README.md");
const REAL_EXCERPT: &str = include_str!("golden/real/README.md");
const GOLDEN_DIGEST: &str = include_str!("golden/fixtures-ISSUE_TEMPLATE.md");

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn sections(imported: &ImportedReadme) -> Vec<Section<'_>> {
    imported
        .sections
        .iter()
        .map(|s| Section {
            keyword: s.name.as_str(),
            papers: &s.papers,
        })
        .collect()
}

/// Writes the README back under its own header, on its own date.
fn write_back(imported: &ImportedReadme) -> String {
    readme_with_header(
        &imported.header,
        imported.last_update.unwrap(),
        &sections(imported),
        imported.link_style,
    )
}

/// Writes the README into its own layout on its own date.
fn in_layout(imported: &ImportedReadme, sections: &[Section], prune: bool) -> String {
    readme_in_layout(
        imported,
        imported.last_update.unwrap_or(date("2026-01-01")),
        sections,
        imported.link_style,
        prune,
    )
}

/// Names the first differing line, then compares the whole.
fn assert_same(actual: &str, expected: &str) {
    for (n, (a, e)) in actual.split('\n').zip(expected.split('\n')).enumerate() {
        assert_eq!(a, e, "line {} differs", n + 1);
    }
    assert_eq!(actual, expected);
}

#[test]
fn the_dailyarxiv_readme_gives_its_topics_settings_and_papers() {
    let imported = import_readme(DAILY_README).unwrap();
    let names: Vec<&str> = imported.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["Time Series", "Trajectory", "Graph Neural Networks"]
    );
    assert_eq!(imported.last_update, Some(date("2026-08-21")));
    assert_eq!(imported.link_style, LinkStyle::Abs);
    assert_eq!(imported.sort_by, SortBy::LastUpdatedDate);
    let rows = DAILY_README
        .lines()
        .filter(|l| l.starts_with("| **["))
        .count();
    assert_eq!(imported.paper_count(), rows);
    let largest = imported.sections.iter().map(|s| s.papers.len()).max();
    assert_eq!(Some(imported.max_results.get() as usize), largest);
    assert!(imported.ignored.is_empty());
    assert!(imported.header.starts_with("# Daily Papers\n"));
    assert!(imported.header.ends_with("Last update: 2026-08-21\n\n"));
    let first = &imported.sections[0].papers[0];
    assert_eq!(
        first.title,
        "Lévy Attention: Single-Pass Predictive Uncertainty for Continuous-Time Attention"
    );
    assert_eq!(first.comment, "23 pages, 2 figures. Under review at TMLR");
    assert_eq!(first.abs_link, "https://arxiv.org/abs/2608.19171v1");
    assert_eq!(first.pdf_link, "https://arxiv.org/pdf/2608.19171v1");
    assert_eq!(first.date(), "2026-08-19");
    assert_eq!(
        imported.summary(),
        format!(
            "3 topics, {rows} papers; links to abstract pages, so newest first; up to {} per topic",
            largest.unwrap()
        )
    );
}

/// FORMAT.md §6: importing that README and writing its digest gives the reference's digest.
#[test]
fn the_dailyarxiv_digest_is_written_back_byte_for_byte_from_the_readme() {
    let imported = import_readme(DAILY_README).unwrap();
    let digest = issue_digest(
        imported.last_update.unwrap(),
        DAILY_REPO,
        &sections(&imported),
        imported.link_style,
    );
    assert_same(&digest, DAILY_DIGEST);
}

#[test]
fn the_dailyarxiv_readme_is_written_back_but_for_its_bare_pipes() {
    let imported = import_readme(DAILY_README).unwrap();
    let out = write_back(&imported);
    let ours: Vec<&str> = out.split('\n').collect();
    let theirs: Vec<&str> = DAILY_README.split('\n').collect();
    assert_eq!(ours.len(), theirs.len());
    let differing: Vec<usize> = (0..ours.len()).filter(|&i| ours[i] != theirs[i]).collect();
    // Line 141 has `$|S_{i}| \leq k_i$` written bare by the reference; we write `\|`.
    assert_eq!(differing, [140]);
    let (a, b) = (ours[140], theirs[140]);
    assert_eq!(a.replace("\\|", "|"), b);
    assert_eq!(a.len(), b.len() + 2);
    // Line 252 has `\|` in its abstract (a LaTeX norm): kept as it is.
    assert!(theirs[251].contains("$\\|\\mathbf{A}^{-1}\\|$"));
    // On another day only the date line changes.
    let later = readme_with_header(
        &imported.header,
        date("2026-08-22"),
        &sections(&imported),
        LinkStyle::Abs,
    );
    assert_eq!(
        later,
        out.replace("Last update: 2026-08-21\n", "Last update: 2026-08-22\n")
    );
}

#[test]
fn golden_readmes_of_both_link_styles_round_trip_byte_for_byte() {
    for (golden, style, sort) in [
        (GOLDEN_ABS, LinkStyle::Abs, SortBy::LastUpdatedDate),
        (GOLDEN_PDF, LinkStyle::Pdf, SortBy::Relevance),
        (GOLDEN_OTHER, LinkStyle::Abs, SortBy::LastUpdatedDate),
    ] {
        let imported = import_readme(golden).unwrap();
        assert_eq!(imported.link_style, style);
        assert_eq!(imported.sort_by, sort);
        assert_same(&write_back(&imported), golden);
        // The reference header is the one `readme()` writes: both writers agree.
        assert_same(
            &readme(
                imported.last_update.unwrap(),
                &sections(&imported),
                imported.link_style,
            ),
            golden,
        );
    }
}

#[test]
fn the_real_excerpt_round_trips_but_for_the_row_with_bare_pipes() {
    let imported = import_readme(REAL_EXCERPT).unwrap();
    let out = write_back(&imported);
    assert_eq!(out.len(), REAL_EXCERPT.len() + 6);
    assert_eq!(out.replace("\\|", "|"), REAL_EXCERPT.replace("\\|", "|"));
}

#[test]
fn a_digest_is_read_too_without_abstracts() {
    let imported = import_readme(GOLDEN_DIGEST).unwrap();
    assert_eq!(imported.sections.len(), 2);
    assert!(imported.header.starts_with("---\ntitle: Latest 15 Papers"));
    assert!(imported.sections[0]
        .papers
        .iter()
        .all(|p| p.abstract_text.is_empty()));
    let out = issue_digest(
        date("2026-03-07"),
        "https://github.com/octocat/daily-papers",
        &sections(&imported),
        imported.link_style,
    );
    assert_same(&out, GOLDEN_DIGEST);
}

#[test]
fn crlf_line_ends_and_a_byte_order_mark_are_read_and_written_back_as_they_were() {
    let crlf = GOLDEN_ABS.replace('\n', "\r\n");
    let imported = import_readme(&crlf).unwrap();
    let lf = import_readme(GOLDEN_ABS).unwrap();
    assert!(imported.crlf && !lf.crlf);
    assert_eq!(imported.sections, lf.sections);
    assert_same(&in_layout(&imported, &sections(&imported), false), &crlf);
    let bom = format!("\u{feff}{GOLDEN_PDF}");
    let imported = import_readme(&bom).unwrap();
    assert!(imported.bom);
    assert_same(&in_layout(&imported, &sections(&imported), false), &bom);
}

#[test]
fn a_custom_header_and_extra_text_around_sections() {
    let body = GOLDEN_ABS.split_once("\n## ").unwrap().1;
    let custom = format!(
        "# My papers\n\n> Updated daily by a bot.\n\n## About\nThis is not a topic.\n\nLast update: 2020-01-01\n\n## {}\n<!-- footer -->\nThanks for reading.\n",
        body.trim_end_matches('\n')
    );
    let imported = import_readme(&custom).unwrap();
    assert_eq!(
        imported.header,
        "# My papers\n\n> Updated daily by a bot.\n\n## About\nThis is not a topic.\n\nLast update: 2020-01-01\n\n"
    );
    assert_eq!(imported.last_update, Some(date("2020-01-01")));
    assert_eq!(imported.sections.len(), 3);
    let ignored: Vec<&str> = imported.ignored.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(ignored, ["<!-- footer -->", "Thanks for reading."]);
    let out = readme_with_header(
        &imported.header,
        date("2026-11-21"),
        &sections(&imported),
        imported.link_style,
    );
    assert!(out.starts_with("# My papers\n\n> Updated daily by a bot.\n\n## About\nThis is not a topic.\n\nLast update: 2026-11-21\n\n## Software Testing\n"));
    assert!(out.ends_with(" |\n\n"));
}

#[test]
fn without_the_reference_header_the_readme_starts_with_its_first_topic() {
    let body = format!("## {}", GOLDEN_PDF.split_once("\n## ").unwrap().1);
    let imported = import_readme(&body).unwrap();
    assert_eq!(imported.header, "");
    assert_eq!(imported.last_update, None);
    assert_eq!(imported.link_style, LinkStyle::Pdf);
    let out = readme_with_header("", date("2026-11-20"), &sections(&imported), LinkStyle::Pdf);
    assert_same(&out, &body);
}

#[test]
fn what_is_not_a_daily_papers_readme_is_refused_with_the_line() {
    assert_eq!(import_readme(" \n\r\n"), Err(ImportError::Empty));
    assert_eq!(
        import_readme("# A project\n\n## Install\n\ncargo build\n"),
        Err(ImportError::NoTopics)
    );
    let no_topics = import_readme("just text").unwrap_err().to_string();
    assert!(no_topics.contains("`## <topic>`"), "{no_topics}");

    // A damaged row: the line number and what a row looks like.
    let mut lines: Vec<String> = GOLDEN_ABS.lines().map(str::to_owned).collect();
    lines[15] = "| **[Broken row without its date".to_owned();
    let broken = lines.join("\n");
    let err = import_readme(&broken).unwrap_err();
    assert!(
        matches!(err, ImportError::BadRow { line: 16, .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.starts_with("Line 16: expected a paper row `| **[<title>](<link>)** | <date> |"));
    assert!(text.contains("Broken row without its date"));

    let no_separator = "## Topic\n| **Title** | **Date** | **Abstract** | **Comment** |\n| **[T](u)** | 2020-01-01 | x |  |\n";
    assert!(matches!(
        import_readme(no_separator),
        Err(ImportError::BadSeparator { line: 3, .. })
    ));
    let long = format!(
        "## {}\n| **Title** | **Date** | **Comment** |\n| --- | --- | --- |\n",
        "x".repeat(300)
    );
    let err = import_readme(&long).unwrap_err();
    assert!(matches!(err, ImportError::BadTopicName { line: 1, .. }));
    assert!(err.to_string().contains("at most 200 characters"));
    let twice = "## A\n| **Title** | **Date** | **Comment** |\n| --- | --- | --- |\n\n## a\n| **Title** | **Date** | **Comment** |\n| --- | --- | --- |\n";
    assert_eq!(
        import_readme(twice),
        Err(ImportError::DuplicateTopic {
            line: 5,
            first_line: 1,
            name: "a".to_owned()
        })
    );
}

/// The paper of each row of every real README writes that row again.
#[test]
fn every_row_of_every_real_readme_is_rebuilt_byte_for_byte() {
    for text in [DAILY_README, GOLDEN_ABS, GOLDEN_PDF, GOLDEN_OTHER] {
        let imported = import_readme(text).unwrap();
        let papers: Vec<&Paper> = imported.sections.iter().flat_map(|s| &s.papers).collect();
        let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| **[")).collect();
        assert_eq!(papers.len(), rows.len());
        for (paper, row) in papers.iter().zip(rows) {
            let mut out = String::new();
            daily_papers_core::digest::readme::push_readme_row(
                &mut out,
                paper,
                imported.link_style,
            );
            if row.contains("$|S_{i}|") {
                assert_eq!(
                    out.replace("\\|", "|"),
                    format!("{row}\n").replace("\\|", "|")
                );
            } else {
                assert_eq!(out, format!("{row}\n"));
            }
        }
    }
}

#[test]
fn the_seed_readmes_come_back_byte_for_byte_in_their_own_layout() {
    for golden in [GOLDEN_ABS, GOLDEN_PDF, GOLDEN_OTHER] {
        let imported = import_readme(golden).unwrap();
        assert_same(&in_layout(&imported, &sections(&imported), false), golden);
    }
    let imported = import_readme(DAILY_README).unwrap();
    assert_eq!(
        in_layout(&imported, &sections(&imported), false),
        write_back(&imported)
    );
}

/// A README with a footer, text between sections and a section we do not manage.
fn with_texts_of_the_user() -> String {
    let (head, body) = GOLDEN_ABS.split_once("## Information Theory\n").unwrap();
    format!(
        "{head}Some words between two sections.\n\n## Information Theory\n{body}\
         ## License\n\nMIT, curated by me.\n\n<!-- footer -->\n"
    )
}

#[test]
fn a_footer_text_between_sections_and_a_section_without_a_table_are_kept() {
    let text = with_texts_of_the_user();
    let imported = import_readme(&text).unwrap();
    assert_eq!(imported.sections.len(), 3);
    assert_eq!(
        imported.sections[0].after,
        "Some words between two sections.\n\n"
    );
    assert_eq!(
        imported.sections[2].after,
        "## License\n\nMIT, curated by me.\n\n<!-- footer -->\n"
    );
    assert_same(&in_layout(&imported, &sections(&imported), false), &text);
    // Fewer papers and another day: our tables change, nothing of the user's does.
    let fewer: Vec<Vec<Paper>> = imported
        .sections
        .iter()
        .map(|s| s.papers.iter().skip(1).cloned().collect())
        .collect();
    let updated: Vec<Section> = imported
        .sections
        .iter()
        .zip(&fewer)
        .map(|(s, papers)| Section {
            keyword: s.name.as_str(),
            papers,
        })
        .collect();
    let out = readme_in_layout(
        &imported,
        date("2026-12-01"),
        &updated,
        LinkStyle::Abs,
        false,
    );
    assert!(out.contains("Last update: 2026-12-01\n"));
    assert!(out.contains("\nSome words between two sections.\n\n## Information Theory\n"));
    assert!(out.ends_with(" |\n\n## License\n\nMIT, curated by me.\n\n<!-- footer -->\n"));
    let again = import_readme(&out).unwrap();
    assert_eq!(again.paper_count(), imported.paper_count() - 3);
}

#[test]
fn a_note_under_a_heading_stays_with_its_section_and_the_section_is_read() {
    let text = GOLDEN_ABS.replace(
        "## Information Theory\n",
        "## Information Theory\nPapers on coding, picked by hand.\n\n",
    );
    let imported = import_readme(&text).unwrap();
    let names: Vec<&str> = imported.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["Software Testing", "Information Theory", "Comment Cases"]
    );
    assert_eq!(
        imported.sections[1].note,
        "Papers on coding, picked by hand.\n\n"
    );
    assert!(!imported.header.contains("Information Theory"));
    let out = in_layout(&imported, &sections(&imported), false);
    assert_same(&out, &text);
    assert_eq!(out.matches("## Information Theory\n").count(), 1);
}

#[test]
fn a_section_outside_the_config_is_kept_as_it_is_unless_pruned() {
    let text = with_texts_of_the_user();
    let imported = import_readme(&text).unwrap();
    let all = sections(&imported);
    // The config has the first and the last topic only.
    let listed = [all[0], all[2]];
    let kept: Vec<&str> = imported
        .sections_not_in(listed.iter().map(|s| s.keyword))
        .iter()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(kept, ["Information Theory"]);
    assert_same(&in_layout(&imported, &listed, false), &text);
    let pruned = in_layout(&imported, &listed, true);
    let section = &imported.sections[1].raw;
    assert!(section.starts_with("## Information Theory\n") && section.ends_with(" |\n\n"));
    assert_same(&pruned, &text.replace(section.as_str(), ""));
    assert!(pruned.contains("Some words between two sections.\n\n## Comment Cases\n"));
}

#[test]
fn a_new_topic_comes_after_the_last_section_and_before_the_footer() {
    let text = with_texts_of_the_user();
    let imported = import_readme(&text).unwrap();
    let mut all = sections(&imported);
    let papers = imported.sections[0].papers.clone();
    all.push(Section {
        keyword: "Brand New",
        papers: &papers,
    });
    let out = in_layout(&imported, &all, false);
    let new_at = out.find("## Brand New\n").unwrap();
    let comment_cases = out.find("## Comment Cases\n").unwrap();
    let license = out.find("## License\n").unwrap();
    assert!(comment_cases < new_at && new_at < license, "{out}");
    assert_eq!(import_readme(&out).unwrap().sections.len(), 4);
}

/// What the page keeps of an imported README: its layout without papers, small, and the
/// README written into it is the one written into the whole import.
#[test]
fn the_layout_alone_reads_back_and_writes_the_same_readme() {
    let text = with_texts_of_the_user().replace('\n', "\r\n");
    let imported = import_readme(&text).unwrap();
    let layout_text = imported.layout_text();
    assert!(layout_text.len() < text.len() / 3, "{layout_text}");
    assert!(!layout_text.contains("| **["));
    let layout = import_readme(&layout_text).unwrap();
    assert_eq!(layout.paper_count(), 0);
    assert!(layout.crlf);
    assert_same(&in_layout(&layout, &sections(&imported), false), &text);
    // An earlier release kept the header alone: it still heads the README.
    let header_only = ImportedReadme::from_header(&imported.header);
    let out = in_layout(&header_only, &sections(&imported), false);
    assert!(out.starts_with(&imported.header.replace("\r\n", "\n")));
    // … byte for byte as that release wrote it, whatever the header ends with.
    for header in ["# Mine\nLast update: 2026-11-20\n", "# Mine\n\n", ""] {
        let header_only = ImportedReadme::from_header(header);
        assert_eq!(
            readme_in_layout(
                &header_only,
                date("2026-11-21"),
                &sections(&imported),
                LinkStyle::Abs,
                false
            ),
            readme_with_header(
                header,
                date("2026-11-21"),
                &sections(&imported),
                LinkStyle::Abs
            ),
            "{header:?}"
        );
    }
}

/// The page's Copy: the topics of the page (one of the README's removed, one added) written
/// into the imported layout, with the page's rule that a removed topic's section goes.
#[test]
fn the_pages_readme_keeps_the_users_text_and_drops_a_removed_topic() {
    use daily_papers_core::library::results::{
        draft_readme_in_layout, results_key, FetchedAt, KeywordResults,
    };
    use daily_papers_core::topics::TopicList;
    use std::collections::HashMap;

    let text = with_texts_of_the_user();
    let imported = import_readme(&text).unwrap();
    let layout = import_readme(&imported.layout_text()).unwrap();
    let mut list = TopicList::default();
    for name in ["Software Testing", "Comment Cases", "Brand New"] {
        list.add(name).unwrap();
    }
    let at = FetchedAt {
        unix_ms: 1,
        date: date("2026-12-01"),
        time: "08:00".into(),
        stale: false,
    };
    let results: HashMap<String, KeywordResults> = list
        .entries()
        .iter()
        .map(|e| {
            let papers = imported
                .section(e.topic.name())
                .map_or_else(|| imported.sections[0].papers.clone(), |s| s.papers.clone());
            (
                results_key(e.id),
                KeywordResults::succeeded(papers, at.clone(), &e.topic),
            )
        })
        .collect();
    let listed = || list.entries().iter().map(|e| (e.id, e.topic.name()));
    let draft = draft_readme_in_layout(
        Some(&layout),
        true,
        listed(),
        |id| results.get(&results_key(id)),
        LinkStyle::Abs,
        usize::MAX,
    );
    let out = draft.markdown.unwrap();
    let expected_start = text
        .replace("Last update: 2026-11-20", "Last update: 2026-12-01")
        .replace(imported.sections[1].raw.as_str(), "");
    let footer = "## License\n\nMIT, curated by me.\n\n<!-- footer -->\n";
    let before_footer = expected_start.strip_suffix(footer).unwrap();
    assert!(out.starts_with(before_footer), "{out}");
    assert!(out.ends_with(footer));
    assert!(out.contains("\n## Brand New\n"));
    assert!(!out.contains("## Information Theory"));
    // No layout: the reference's README, as before any import.
    let plain = draft_readme_in_layout(
        None,
        true,
        listed(),
        |id| results.get(&results_key(id)),
        LinkStyle::Abs,
        usize::MAX,
    );
    assert!(plain.markdown.unwrap().starts_with("# Daily Papers\n"));
}

/// Puts `chunks[0]` at the very start, `chunks[k]` before the k-th `## ` heading (from 1), and
/// the last chunk at the end.
fn insert_texts(text: &str, chunks: &[String]) -> String {
    let mut out = String::new();
    let mut k = 0;
    for line in text.split_inclusive('\n') {
        if out.is_empty() || line.starts_with("## ") {
            out.push_str(chunks.get(k).map_or("", String::as_str));
            k += 1;
        }
        out.push_str(line);
    }
    for chunk in chunks.get(k..).unwrap_or_default() {
        out.push_str(chunk);
    }
    out
}

fn users_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9 .,!*_()-]{0,40}",
        "## [A-Za-z][A-Za-z ]{0,20}",
        "### [A-Za-z ]{1,12}",
        "<!-- [a-z ]{0,12} -->",
        "> [a-z ]{0,20}",
        Just(String::new()),
    ]
}

fn users_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(users_line(), 0..5)
        .prop_map(|lines| lines.iter().map(|l| format!("{l}\n")).collect::<String>())
}

fn check(text: &str) {
    match import_readme(text) {
        Ok(imported) => {
            // Whatever was accepted writes a README without panicking, and reads back the same.
            let out = readme_with_header(
                &imported.header,
                date("2026-01-01"),
                &sections(&imported),
                imported.link_style,
            );
            let again = import_readme(&out).unwrap();
            assert_eq!(again.sections.len(), imported.sections.len());
            assert!(!imported.summary().is_empty());
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any text added before, between or after our sections survives an update (other papers,
    /// another day) unchanged, where it stood.
    #[test]
    fn text_added_around_our_sections_survives_an_update(
        golden in prop_oneof![Just(GOLDEN_ABS), Just(GOLDEN_PDF), Just(GOLDEN_OTHER)],
        middle in proptest::collection::vec(users_text(), 4),
        end in "[A-Za-z0-9 .\n]{0,30}",
        drop in 0usize..3,
    ) {
        let headings = golden.matches("\n## ").count();
        let mut chunks: Vec<String> = middle.into_iter().take(headings + 1).collect();
        chunks.push(end);
        let text = insert_texts(golden, &chunks);
        let imported = import_readme(&text).unwrap();
        prop_assert_eq!(imported.sections.len(), headings);
        // The update: each topic loses its first `drop` papers, on another day.
        let fewer: Vec<Vec<Paper>> = imported
            .sections
            .iter()
            .map(|s| s.papers.iter().skip(drop).cloned().collect())
            .collect();
        let updated: Vec<Section> = imported
            .sections
            .iter()
            .zip(&fewer)
            .map(|(s, papers)| Section { keyword: s.name.as_str(), papers })
            .collect();
        let day = date("2027-03-04");
        let out = readme_in_layout(&imported, day, &updated, imported.link_style, false);
        // The same update of the README without the user's text, and the text put back.
        let plain = import_readme(golden).unwrap();
        let base = readme_in_layout(&plain, day, &updated, plain.link_style, false);
        prop_assert_eq!(out, insert_texts(&base, &chunks));
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn table_like_text_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("## T\n".to_owned()),
                Just("| **Title** | **Date** | **Abstract** | **Comment** |\n".to_owned()),
                Just("| **Title** | **Date** | **Comment** |\n".to_owned()),
                Just("| --- | --- | --- | --- |\n".to_owned()),
                Just("| --- | --- | --- |\n".to_owned()),
                Just("| **[".to_owned()),
                Just("](".to_owned()),
                Just(")** | ".to_owned()),
                Just("<details><summary>Show</summary><p>".to_owned()),
                Just("</p></details> | ".to_owned()),
                Just("...</summary><p>".to_owned()),
                Just(" |".to_owned()),
                Just("\\|".to_owned()),
                Just("\r\n".to_owned()),
                Just("\n".to_owned()),
                "[a-zé|\\\\ ]{0,8}",
            ],
            0..60,
        )
    ) {
        check(&parts.concat());
    }

    #[test]
    fn mutated_real_readmes_never_panic(
        cut in 0usize..6000,
        at in 0usize..6000,
        insert in "\\PC{0,6}",
    ) {
        let base = &GOLDEN_PDF[..GOLDEN_PDF.len().min(6000)];
        let mut text: String = base.chars().take(cut.max(1)).collect();
        let at = text.char_indices().nth(at % text.chars().count().max(1)).map_or(0, |(i, _)| i);
        text.insert_str(at, &insert);
        check(&text);
    }
}
