//! Any text as a keyword: the query URL is built without panicking and only ever contains
//! unreserved characters and %XX escapes in its search_query value.
#![no_main]

use daily_papers_core::arxiv::query::{query_url, QueryOptions};
use daily_papers_core::topics::keyword::Keyword;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(keyword) = Keyword::parse(raw) {
        let url = query_url("/api/query", &keyword, &QueryOptions::default());
        let value = url
            .strip_prefix("/api/query?search_query=")
            .and_then(|rest| rest.split('&').next())
            .unwrap_or_default();
        assert!(value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
    }
});
