//! The category filter (FORMAT.md §2): a paper is kept when one of its categories, cut at the
//! first `.`, is an allowed archive (default `cs`, `stat`), or is exactly an allowed category
//! (`cs.CV`). Only names arXiv has are accepted (issue 9, point 5).

// Native only (`cargo test`): the browser test run (`--target wasm32-unknown-unknown`) skips it.
#![cfg(not(target_arch = "wasm32"))]

use daily_papers_core::arxiv::categories::CategoryError;
use daily_papers_core::arxiv::filter::{CategoryFilter, CategoryFilterError};
use daily_papers_core::arxiv::{parse_feed, Paper};

fn paper(categories: &[&str]) -> Paper {
    Paper {
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        ..Paper::default()
    }
}

#[test]
fn default_allows_cs_and_stat_and_drops_the_rest() {
    let f = CategoryFilter::default();
    assert_eq!(f.to_string(), "cs, stat");
    assert!(f.allows(&paper(&["cs.CV"])));
    assert!(f.allows(&paper(&["stat.ML"])));
    assert!(
        f.allows(&paper(&["math.OC", "stat.ML"])),
        "one allowed category is enough"
    );
    assert!(!f.allows(&paper(&["math.OC"])));
    assert!(!f.allows(&paper(&["quant-ph"])));
    assert!(!f.allows(&paper(&[])), "no category, nothing allowed");
    // Only the part before the first `.` counts, and it must match whole.
    assert!(!f.allows(&paper(&["csx.AI"])));
    assert!(!f.allows(&paper(&["c.s"])));
    assert!(
        !f.allows(&paper(&["CS.CV"])),
        "arXiv archive names are lower case"
    );
}

#[test]
fn archives_without_a_dot_can_be_allowed() {
    let f = CategoryFilter::parse("quant-ph, math").unwrap();
    assert!(f.allows(&paper(&["quant-ph"])));
    assert!(f.allows(&paper(&["math.OC"])));
    assert!(!f.allows(&paper(&["cs.CV"])));
}

#[test]
fn parse_accepts_spaces_empty_items_and_duplicates() {
    let f = CategoryFilter::parse("  cs ,stat,, cs , eess,").unwrap();
    assert_eq!(f.to_string(), "cs, stat, eess");
    assert_eq!(f.prefixes(), ["cs", "stat", "eess"]);
    assert_eq!(
        "cs,stat".parse::<CategoryFilter>().unwrap(),
        CategoryFilter::default()
    );
}

#[test]
fn parse_refuses_an_empty_list() {
    for raw in ["", "   ", ",", " , ,"] {
        assert_eq!(
            CategoryFilter::parse(raw),
            Err(CategoryFilterError::Empty),
            "{raw:?}"
        );
    }
    assert!(CategoryFilterError::Empty
        .to_string()
        .contains("at least one"));
}

#[test]
fn a_category_entry_allows_exactly_that_category() {
    let f = CategoryFilter::parse("cs.CV, stat").unwrap();
    assert_eq!(f.to_string(), "cs.CV, stat");
    assert!(f.allows(&paper(&["cs.CV"])));
    assert!(f.allows(&paper(&["math.OC", "cs.CV"])));
    assert!(
        f.allows(&paper(&["stat.ML"])),
        "stat is still a whole archive"
    );
    assert!(!f.allows(&paper(&["cs.LG"])));
    assert!(!f.allows(&paper(&["cs"])));
    assert!(!f.allows(&paper(&["cs.CVX"])));
}

#[test]
fn names_are_kept_in_arxivs_spelling() {
    let f = CategoryFilter::parse("CS, stat.ml, Quant-Ph").unwrap();
    assert_eq!(f.to_string(), "cs, stat.ML, quant-ph");
    assert_eq!(f.prefixes(), ["cs", "stat.ML", "quant-ph"]);
}

#[test]
fn parse_refuses_names_arxiv_does_not_have() {
    for (raw, bad) in [
        ("zzz", "zzz"),
        ("cs stat", "cs stat"),
        ("cs; stat", "cs; stat"),
        ("cs, *", "*"),
        ("cs, é", "é"),
        ("cs, csx", "csx"),
    ] {
        assert_eq!(
            CategoryFilter::parse(raw),
            Err(CategoryFilterError::NotACategory(CategoryError::Unknown(
                bad.to_owned()
            ))),
            "{raw:?}"
        );
    }
    assert_eq!(
        CategoryFilter::parse("zzz").unwrap_err().to_string(),
        "\u{201c}zzz\u{201d} is not an arXiv archive or category; use names like cs, stat, cs.CV or math.OC."
    );
    assert_eq!(
        CategoryFilter::parse("cs, econ.XX")
            .unwrap_err()
            .to_string(),
        "\u{201c}econ.XX\u{201d} is not an arXiv category; econ has econ.EM, econ.GN, econ.TH."
    );
}

#[test]
fn apply_keeps_arxivs_order() {
    let feed = parse_feed(include_bytes!("fixtures/arxiv/search-100-entries.xml")).unwrap();
    let ids_before: Vec<String> = feed.papers.iter().map(|p| p.id.clone()).collect();
    let kept = CategoryFilter::default().apply(feed.papers);
    // Counted independently from the raw file: 95 of the 100 entries have a cs or stat category.
    assert_eq!(kept.len(), 95);
    let dropped = [
        "http://arxiv.org/abs/2406.19956v3",
        "http://arxiv.org/abs/2409.05654v9",
        "http://arxiv.org/abs/hep-ph/0301050v2",
        "http://arxiv.org/abs/2501.05022v4",
        "http://arxiv.org/abs/gr-qc/0103067v1",
    ];
    let expected: Vec<&String> = ids_before
        .iter()
        .filter(|id| !dropped.contains(&id.as_str()))
        .collect();
    let ids_after: Vec<&String> = kept.iter().map(|p| &p.id).collect();
    assert_eq!(ids_after, expected);
}

#[test]
fn serde_form_is_the_display_string() {
    let f = CategoryFilter::parse("cs, math").unwrap();
    assert_eq!(String::from(f.clone()), "cs, math");
    assert_eq!(CategoryFilter::try_from("cs, math".to_owned()), Ok(f));
    assert_eq!(
        CategoryFilter::try_from(String::new()),
        Err(CategoryFilterError::Empty)
    );
}
