//! How the core's types are stored (the app keeps settings and results as JSON): each is the
//! plain string or number a person would write, and a stored value that is no longer valid is
//! refused with the same error as typed input.

// Native only (`cargo test`): the browser test run (`--target wasm32-unknown-unknown`) skips it.
#![cfg(not(target_arch = "wasm32"))]

use daily_papers_core::arxiv::{CategoryFilter, LinkStyle, MaxResults, Paper, QueryOptions, SortBy};
use daily_papers_core::date::Date;
use daily_papers_core::topics::keyword::Keyword;
use serde_json::{from_str, json, to_value};

#[test]
fn date_is_the_iso_string() {
    let d = Date::new(2026, 11, 20).unwrap();
    assert_eq!(to_value(d).unwrap(), json!("2026-11-20"));
    assert_eq!(from_str::<Date>("\"2026-11-20\"").unwrap(), d);
    assert!(from_str::<Date>("\"2026-02-30\"").is_err());
    assert!(from_str::<Date>("\"20 Nov 2026\"").is_err());
}

#[test]
fn sort_and_link_style_are_arxivs_names() {
    assert_eq!(
        to_value(SortBy::LastUpdatedDate).unwrap(),
        json!("lastUpdatedDate")
    );
    assert_eq!(
        to_value(SortBy::SubmittedDate).unwrap(),
        json!("submittedDate")
    );
    assert_eq!(to_value(SortBy::Relevance).unwrap(), json!("relevance"));
    assert_eq!(to_value(LinkStyle::Pdf).unwrap(), json!("pdf"));
    for s in SortBy::ALL {
        assert_eq!(to_value(s).unwrap(), json!(s.as_str()));
    }
    for s in LinkStyle::ALL {
        assert_eq!(from_str::<LinkStyle>(&format!("\"{s}\"")).unwrap(), s);
    }
    assert!(from_str::<SortBy>("\"newest\"").is_err());
}

#[test]
fn max_results_is_a_number_checked_on_load() {
    assert_eq!(to_value(MaxResults::default()).unwrap(), json!(100));
    assert_eq!(from_str::<MaxResults>("25").unwrap().get(), 25);
    assert!(from_str::<MaxResults>("0").is_err());
    assert!(from_str::<MaxResults>("2001").is_err());
    assert!(from_str::<MaxResults>("-1").is_err());
}

#[test]
fn query_options_round_trip() {
    let o = QueryOptions {
        sort_by: SortBy::Relevance,
        max_results: MaxResults::new(20).unwrap(),
    };
    let v = to_value(o).unwrap();
    assert_eq!(v, json!({"sort_by": "relevance", "max_results": 20}));
    assert_eq!(serde_json::from_value::<QueryOptions>(v).unwrap(), o);
}

#[test]
fn category_filter_is_its_display_string() {
    assert_eq!(
        to_value(CategoryFilter::default()).unwrap(),
        json!("cs, stat")
    );
    let f: CategoryFilter = from_str("\"math,quant-ph\"").unwrap();
    assert_eq!(f.to_string(), "math, quant-ph");
    assert!(from_str::<CategoryFilter>("\"\"").is_err());
    // A category is accepted since topics (issue 9); a name arXiv does not have is not.
    assert_eq!(
        from_str::<CategoryFilter>("\"cs.CV, stat\"")
            .unwrap()
            .to_string(),
        "cs.CV, stat"
    );
    assert!(from_str::<CategoryFilter>("\"zzz\"").is_err());
}

#[test]
fn keyword_is_its_text_and_revalidated_on_load() {
    let k = Keyword::parse("Graph Neural Network").unwrap();
    assert_eq!(to_value(&k).unwrap(), json!("Graph Neural Network"));
    assert_eq!(
        from_str::<Keyword>("\"  padded \"").unwrap().as_str(),
        "padded"
    );
    assert!(from_str::<Keyword>("\"   \"").is_err());
}

#[test]
fn paper_round_trips() {
    let feed =
        daily_papers_core::arxiv::parse_feed(include_bytes!("fixtures/arxiv/legacy-2016-format.xml"))
            .unwrap();
    let json = serde_json::to_string(&feed.papers).unwrap();
    let back: Vec<Paper> = from_str(&json).unwrap();
    assert_eq!(back, feed.papers);
}
