//! The lowercase mapping a shell gives the core (the browser app gives the engine's own
//! `toLowerCase`) is the one every "differ only in case" decision uses. Its own test binary: the
//! mapping is given once per process.

use daily_papers_core::topics::keyword::{use_case_fold, Keyword};


fn marking_fold(text: &str) -> String {
    // Folds "Ǆ" (one letter, three cases) to a plain "dz", as no Unicode mapping does: only a
    // fold given through `use_case_fold` can make the two keywords below the same.
    text.to_lowercase().replace('ǆ', "dz")
}

#[test]
fn the_given_mapping_decides_what_differs_only_in_case() {
    let keyword = Keyword::parse("ǄEMAL").unwrap();
    assert!(!keyword.same_as("dzemal"), "Rust's own mapping before one is given");
    use_case_fold(marking_fold);
    assert!(keyword.same_as("dzemal"));
    assert_eq!(keyword.folded(), "dzemal");
    // The first mapping given stays.
    use_case_fold(|text| text.to_uppercase());
    assert_eq!(keyword.folded(), "dzemal");
}
