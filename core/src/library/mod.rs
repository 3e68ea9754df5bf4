//! The papers kept: what each topic has already shown (seen history, new and updated papers),
//! finding a paper across all topics, and what a row or a run says about them (authors, comment
//! links, "also in", the run's summary, refresh on open, undo of a removal), and the results kept
//! per topic ([`results`]).
//!
//! Pure Rust with no browser dependency: topics are named by an opaque `&str` key (whatever the
//! app's topic type is), dates and times are handed in, and everything is tested natively.

pub mod authors;
pub mod comment;
pub mod history;
pub mod marks;
pub mod overlap;
pub mod paper_id;
pub mod refresh;
pub mod results;
pub mod run;
pub mod search;
pub mod undo;

/// Unicode's default lowercase mapping: the same rule as the keywords' "differ only in case"
/// (`keyword.rs`), so a search and a keyword agree on what is the same word.
pub(crate) fn case_fold(text: &str) -> String {
    // In the browser, its own `toLowerCase` (the same Unicode mapping): `str::to_lowercase`
    // would put Rust's Unicode case tables into every visitor's download.
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}
