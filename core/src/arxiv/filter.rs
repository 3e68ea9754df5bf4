//! Keeps the papers whose categories are in the user's allowed list (FORMAT.md §2), and the
//! papers a topic keeps after arXiv's answer ([`keep_for_topic`]).

use super::categories::{Category, CategoryError};
use super::Paper;
use crate::topics::Topic;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The allowed archives (`cs`, `stat`, …) and categories (`cs.CV`): a paper passes when at least
/// one of its categories is covered. An archive covers a category whose part before the first
/// `.` is the archive (`cs.CV` → `cs`, `quant-ph` → `quant-ph`), as FORMAT.md §2 says; a
/// category covers exactly itself. Only names arXiv has are accepted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryFilter {
    /// Non-empty, no duplicates, in the user's order (so `Display` gives back what they typed,
    /// in arXiv's spelling).
    allowed: Vec<Category>,
}

/// Why a category list was refused; the `Display` text is shown next to the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CategoryFilterError {
    /// Nothing but commas and spaces: every paper would be dropped.
    Empty,
    /// A name arXiv does not have (`zzz`, `cs.XY`, `c s`).
    NotACategory(CategoryError),
}

impl fmt::Display for CategoryFilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CategoryFilterError::Empty => write!(
                f,
                "List at least one arXiv archive or category, separated by commas (for example \u{201c}cs, stat\u{201d})."
            ),
            CategoryFilterError::NotACategory(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for CategoryFilterError {}

impl CategoryFilter {
    /// Parses a comma-separated list (`"cs, stat.ML"`); spaces around names are ignored, empty
    /// items (`"cs,,stat"`, a trailing comma) are skipped, duplicates are kept once, names are
    /// looked up ignoring case and kept in arXiv's spelling.
    pub fn parse(raw: &str) -> Result<CategoryFilter, CategoryFilterError> {
        let mut allowed: Vec<Category> = Vec::new();
        for token in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let category = Category::parse(token).map_err(CategoryFilterError::NotACategory)?;
            if !allowed.contains(&category) {
                allowed.push(category);
            }
        }
        if allowed.is_empty() {
            return Err(CategoryFilterError::Empty);
        }
        Ok(CategoryFilter { allowed })
    }

    /// The allowed archives and categories, in the user's order.
    pub fn prefixes(&self) -> Vec<&'static str> {
        self.allowed.iter().map(|c| c.as_str()).collect()
    }

    /// The allowed archives and categories, in the user's order.
    pub fn categories(&self) -> &[Category] {
        &self.allowed
    }

    /// True when one of the paper's categories is covered by an allowed archive or category.
    pub fn allows(&self, paper: &Paper) -> bool {
        paper
            .categories
            .iter()
            .any(|category| self.allowed.iter().any(|a| a.covers(category)))
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
        let allowed = ["cs", "stat"]
            .into_iter()
            .filter_map(|name| Category::parse(name).ok())
            .collect();
        CategoryFilter { allowed }
    }
}

impl fmt::Display for CategoryFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.prefixes().join(", "))
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

/// The papers a topic keeps from arXiv's answer, in arXiv's order: those the user's allowed
/// categories allow and the topic itself keeps ([`Topic::keeps`]: its categories and
/// exclusions, checked again because arXiv's search stems and tokenises).
pub fn keep_for_topic(papers: Vec<Paper>, topic: &Topic, allowed: &CategoryFilter) -> Vec<Paper> {
    let mut papers = papers;
    papers.retain(|paper| allowed.allows(paper) && topic.keeps(paper));
    papers
}
