//! Any bytes as an arXiv answer: parse, filter and write the README and digest. libFuzzer
//! reports any panic (the core must return errors as values instead).
#![no_main]

use daily_papers_core::arxiv::{parse_feed, CategoryFilter, LinkStyle};
use daily_papers_core::date::Date;
use daily_papers_core::digest::readme::{issue_digest, readme, Section};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(feed) = parse_feed(data) else {
        return;
    };
    let Some(day) = Date::new(2026, 11, 20) else {
        return;
    };
    let kept = CategoryFilter::default().apply(feed.papers.clone());
    let sections = [
        Section {
            keyword: "kept",
            papers: &kept,
        },
        Section {
            keyword: "all",
            papers: &feed.papers,
        },
    ];
    for style in LinkStyle::ALL {
        let md = readme(day, &sections, style);
        assert!(md.ends_with("\n\n"));
        let _ = issue_digest(day, "https://github.com/o/r", &sections, style);
    }
});
