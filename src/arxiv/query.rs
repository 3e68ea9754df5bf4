//! Turns a keyword and the user's options into an arXiv API query URL (FORMAT.md §1).

use crate::keyword::Keyword;
use serde::{Deserialize, Serialize};

/// arXiv's `sortBy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SortBy {
    #[default]
    LastUpdatedDate,
    Relevance,
    SubmittedDate,
}

/// Which link the README puts behind each title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkStyle {
    #[default]
    Abs,
    Pdf,
}

/// `max_results`, 1–2000 (arXiv's own cap per call is 2000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct MaxResults(u16);

/// Options of one query, besides the keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QueryOptions {
    pub sort_by: SortBy,
    pub max_results: MaxResults,
}

// Implementations (as_str / FromStr / Display for SortBy and LinkStyle, MaxResults::new,
// Default = 100, search_query, query_url) are part of the core issue.

/// Builds `{endpoint}?search_query=...&max_results=...&sortBy=...&sortOrder=descending`.
/// The endpoint may already carry a query string; then the parameters are appended with `&`.
pub fn query_url(endpoint: &str, keyword: &Keyword, options: &QueryOptions) -> String {
    let _ = (endpoint, keyword, options);
    todo!("core issue")
}
