//! The Atom parser against real arXiv answers (tests/fixtures/arxiv, see its MANIFEST.tsv).

// Native only (`cargo test`): the browser test run (`--target wasm32-unknown-unknown`) skips it.
#![cfg(not(target_arch = "wasm32"))]

use daily_papers_core::arxiv::{parse_feed, Feed, FeedError, Paper};

fn parse(bytes: &[u8]) -> Feed {
    match parse_feed(bytes) {
        Ok(feed) => feed,
        Err(e) => panic!("fixture should parse, got {e:?}"),
    }
}

const CURRENT: &[u8] = include_bytes!("fixtures/arxiv/search-10-entries.xml");
const HUNDRED: &[u8] = include_bytes!("fixtures/arxiv/search-100-entries.xml");
const LEGACY: &[u8] = include_bytes!("fixtures/arxiv/legacy-2016-format.xml");
const SINGLE: &[u8] = include_bytes!("fixtures/arxiv/single-entry.xml");
const OLD_ID: &[u8] = include_bytes!("fixtures/arxiv/old-style-id.xml");
const EMPTY: &[u8] = include_bytes!("fixtures/arxiv/empty-result.xml");
const ERROR: &[u8] = include_bytes!("fixtures/arxiv/error-bad-id-http400.xml");

#[test]
fn current_layout_gives_every_field_of_the_first_entry() {
    let feed = parse(CURRENT);
    assert_eq!(feed.total_results, Some(214881));
    assert_eq!(feed.papers.len(), 10);
    let p = &feed.papers[0];
    assert_eq!(p.id, "http://arxiv.org/abs/2202.12139v1");
    assert_eq!(
        p.title,
        "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    );
    assert!(p
        .abstract_text
        .starts_with("Deep Learning (DL) has revolutionized"));
    assert!(p.abstract_text.ends_with("and discuss its results."));
    assert_eq!(
        p.authors,
        ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"]
    );
    assert_eq!(p.updated, "2022-02-24T15:05:19Z");
    assert_eq!(p.published, "2022-02-24T15:05:19Z");
    assert_eq!(p.date(), "2022-02-24");
    assert_eq!(p.abs_link, "https://arxiv.org/abs/2202.12139v1");
    assert_eq!(p.pdf_link, "https://arxiv.org/pdf/2202.12139v1");
    assert_eq!(p.categories, ["cs.SE", "cs.LG"]);
    assert_eq!(p.primary_category, "cs.SE");
    assert_eq!(
        p.comment,
        "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022"
    );
    assert_eq!(
        p.journal_ref,
        "Artificial Intelligence in Software Testing @ 2022 IEEE International Conference on Software Testing, Verification and Validation Workshops (ICSTW)"
    );
    assert_eq!(p.doi, "10.1109/ICSTW55395.2022.00035");
}

#[test]
fn legacy_layout_with_per_element_namespaces_and_wrapped_text() {
    let feed = parse(LEGACY);
    assert_eq!(feed.total_results, Some(1));
    let [p]: [Paper; 1] = feed.papers.try_into().expect("one entry");
    assert_eq!(p.id, "http://arxiv.org/abs/1111.2011v2");
    // The title is wrapped over two lines with indentation in the feed.
    assert_eq!(
        p.title,
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    );
    // The abstract starts with two spaces and ends with a newline in the feed.
    assert!(p.abstract_text.starts_with(
        "Theoretical description of anisotropic systems, such as layered superconductors"
    ));
    assert!(p.abstract_text.ends_with("describing a single node."));
    assert!(!p.abstract_text.contains(['\n', '\t']));
    assert!(!p.abstract_text.contains("  "));
    assert!(p.abstract_text.contains("d-dimensional \"nodes\" arranged"));
    assert_eq!(
        p.authors,
        ["James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"]
    );
    assert_eq!(p.date(), "2012-04-02");
    assert_eq!(p.published, "2011-11-08T18:48:36Z");
    // http, exactly as the old feed gives it; the doi link is neither abs nor pdf.
    assert_eq!(p.abs_link, "http://arxiv.org/abs/1111.2011v2");
    assert_eq!(p.pdf_link, "http://arxiv.org/pdf/1111.2011v2");
    assert_eq!(p.categories, ["cond-mat.str-el", "cond-mat.stat-mech"]);
    assert_eq!(p.primary_category, "cond-mat.str-el");
    assert_eq!(p.comment, "8 pages, 3 figures. Published version");
    assert_eq!(p.journal_ref, "Phys. Rev. B 85, 115117 (2012)");
    assert_eq!(p.doi, "10.1103/PhysRevB.85.115117");
}

#[test]
fn entities_in_text_are_decoded() {
    let feed = parse(OLD_ID);
    let p = &feed.papers[0];
    assert!(p.abstract_text.contains("Gould & Morgan (2003)"));
    assert!(p.abstract_text.contains("limit of V_max<17.5."));
    assert!(p.abstract_text.starts_with("We derive"));
    assert_eq!(p.id, "http://arxiv.org/abs/astro-ph/0601001v1");
    assert_eq!(p.categories, ["astro-ph"]);
    // <arxiv:affiliation> inside <author> is not part of the name.
    assert_eq!(
        p.authors,
        [
            "Andrew Gould",
            "Susan Dorsher",
            "B. Scott Gaudi",
            "Andrzej Udalski"
        ]
    );
}

#[test]
fn single_entry_with_many_authors() {
    let feed = parse(SINGLE);
    assert_eq!(feed.papers.len(), 1);
    let p = &feed.papers[0];
    assert_eq!(
        p.title,
        "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
    );
    assert_eq!(
        p.authors.first().map(String::as_str),
        Some("Kees A. Schouhamer Immink")
    );
    assert!(p.authors.len() > 15, "{}", p.authors.len());
    assert_eq!(
        p.comment,
        "44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck"
    );
    assert_eq!(p.journal_ref, "");
    assert_eq!(p.doi, "");
}

#[test]
fn hundred_entries_keep_arxivs_order_and_every_entry_has_title_date_and_links() {
    let feed = parse(HUNDRED);
    assert_eq!(feed.papers.len(), 100);
    let text = std::str::from_utf8(HUNDRED).unwrap();
    // The ids appear in the same order as in the raw file.
    let raw_ids: Vec<&str> = text
        .split("<entry>")
        .skip(1)
        .filter_map(|e| e.split("<id>").nth(1)?.split("</id>").next())
        .collect();
    let ids: Vec<&str> = feed.papers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, raw_ids);
    for p in &feed.papers {
        assert!(!p.title.is_empty() && !p.title.contains("  ") && p.title.trim() == p.title);
        assert_eq!(p.date().len(), 10, "{}", p.updated);
        assert!(
            p.abs_link.starts_with("https://arxiv.org/abs/"),
            "{}",
            p.abs_link
        );
        assert!(
            p.pdf_link.starts_with("https://arxiv.org/pdf/"),
            "{}",
            p.pdf_link
        );
        assert!(!p.categories.is_empty());
        assert!(!p.authors.is_empty());
    }
}

#[test]
fn empty_result_is_an_empty_feed_not_an_error() {
    let feed = parse(EMPTY);
    assert_eq!(feed.total_results, Some(0));
    assert!(feed.papers.is_empty());
}

#[test]
fn arxiv_error_entry_is_an_error_with_arxivs_message() {
    let err = parse_feed(ERROR).unwrap_err();
    assert_eq!(
        err,
        FeedError::ArxivError {
            message: "incorrect id format for abc".to_owned()
        }
    );
    assert!(err.to_string().contains("incorrect id format for abc"));
}
