//! Keeps the papers whose categories are in the user's allowed prefixes (FORMAT.md §2).

use super::Paper;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The allowed archive prefixes (`cs`, `stat`, …): a paper passes when at least one of its
/// categories, cut at the first `.`, is in the list (`cs.CV` → `cs`, `quant-ph` → `quant-ph`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryFilter {
    /// Non-empty, no duplicates, in the user's order (so `Display` gives back what they typed).
    prefixes: Vec<String>,
}

/// Why a category list was refused; the `Display` text is shown next to the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CategoryFilterError {
    /// Nothing but commas and spaces: every paper would be dropped.
    Empty,
    /// A token that cannot be an arXiv archive name (e.g. `cs.CV`, `c s`, `cs;`).
    BadPrefix(String),
}

impl fmt::Display for CategoryFilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CategoryFilterError::Empty => write!(
                f,
                "List at least one arXiv archive, separated by commas (for example \u{201c}cs, stat\u{201d})."
            ),
            CategoryFilterError::BadPrefix(token) => write!(
                f,
                "\u{201c}{token}\u{201d} is not an arXiv archive name; use names like cs, stat, math or quant-ph, separated by commas."
            ),
        }
    }
}

impl std::error::Error for CategoryFilterError {}

/// arXiv archive names are lower-case letters with an occasional `-` (`quant-ph`, `cond-mat`);
/// we also accept digits and upper case (kept as typed) rather than guess the future, but not `.`
/// (the filter works on the part before the first `.`), spaces or punctuation.
fn is_archive_name(token: &str) -> bool {
    !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl CategoryFilter {
    /// Parses a comma-separated list (`"cs, stat"`); spaces around names are ignored, empty items
    /// (`"cs,,stat"`, a trailing comma) are skipped, duplicates are kept once.
    pub fn parse(raw: &str) -> Result<CategoryFilter, CategoryFilterError> {
        let mut prefixes: Vec<String> = Vec::new();
        for token in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            if !is_archive_name(token) {
                return Err(CategoryFilterError::BadPrefix(token.to_owned()));
            }
            if !prefixes.iter().any(|p| p == token) {
                prefixes.push(token.to_owned());
            }
        }
        if prefixes.is_empty() {
            return Err(CategoryFilterError::Empty);
        }
        Ok(CategoryFilter { prefixes })
    }

    /// The allowed prefixes, in the user's order.
    pub fn prefixes(&self) -> &[String] {
        &self.prefixes
    }

    /// True when one of the paper's categories, cut at the first `.`, is allowed.
    pub fn allows(&self, paper: &Paper) -> bool {
        paper.categories.iter().any(|category| {
            let archive = category.split('.').next().unwrap_or_default();
            self.prefixes.iter().any(|p| p == archive)
        })
    }

    /// Keeps the allowed papers, in arXiv's order.
    pub fn apply(&self, papers: Vec<Paper>) -> Vec<Paper> {
        let mut papers = papers;
        papers.retain(|p| self.allows(p));
        papers
    }
}

impl Default for CategoryFilter {
    /// The reference script's list: `cs, stat`.
    fn default() -> CategoryFilter {
        CategoryFilter {
            prefixes: vec!["cs".to_owned(), "stat".to_owned()],
        }
    }
}

impl fmt::Display for CategoryFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.prefixes.join(", "))
    }
}

impl FromStr for CategoryFilter {
    type Err = CategoryFilterError;
    fn from_str(raw: &str) -> Result<CategoryFilter, CategoryFilterError> {
        CategoryFilter::parse(raw)
    }
}

impl TryFrom<String> for CategoryFilter {
    type Error = CategoryFilterError;
    fn try_from(raw: String) -> Result<CategoryFilter, CategoryFilterError> {
        CategoryFilter::parse(&raw)
    }
}

impl From<CategoryFilter> for String {
    fn from(filter: CategoryFilter) -> String {
        filter.to_string()
    }
}
