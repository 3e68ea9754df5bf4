//! Everything about talking to arXiv: the query URL ([`query`]), the Atom answer ([`atom`]),
//! the category filter ([`filter`]) and the typed records they produce.

pub mod atom;
pub mod categories;
pub mod filter;
pub mod query;
pub mod terms;
pub mod topic_query;

pub use atom::{parse_feed, Feed, FeedError};
pub use filter::CategoryFilter;
pub use query::{LinkStyle, MaxResults, QueryOptions, SortBy};

use serde::{Deserialize, Serialize};

/// One arXiv paper, as the feed gives it (text fields whitespace-normalised).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Paper {
    /// The entry's `<id>`, e.g. `http://arxiv.org/abs/2410.01506v3`.
    pub id: String,
    pub title: String,
    /// `<summary>`.
    pub abstract_text: String,
    pub authors: Vec<String>,
    /// `<updated>` as given, e.g. `2025-02-05T18:30:00Z`.
    pub updated: String,
    /// `<published>` as given (may be empty).
    pub published: String,
    /// href of `<link rel="alternate">`, exactly as given (http or https).
    pub abs_link: String,
    /// href of `<link title="pdf">`, exactly as given; empty when absent.
    pub pdf_link: String,
    /// Every `<category term>`, in feed order.
    pub categories: Vec<String>,
    /// `<arxiv:primary_category term>`; empty when absent.
    pub primary_category: String,
    /// `<arxiv:comment>`; empty when absent.
    pub comment: String,
    /// `<arxiv:journal_ref>`; empty when absent.
    pub journal_ref: String,
    /// `<arxiv:doi>`; empty when absent.
    pub doi: String,
}

impl Paper {
    /// The README's date column: the part of `updated` before `T`.
    pub fn date(&self) -> &str {
        self.updated.split('T').next().unwrap_or_default()
    }

    /// The link the README uses for this paper's title.
    pub fn link(&self, style: LinkStyle) -> &str {
        match style {
            LinkStyle::Abs => &self.abs_link,
            LinkStyle::Pdf => &self.pdf_link,
        }
    }

    /// The link for the page, only if it is a web address: a `javascript:` URL in a hostile feed
    /// must not become a clickable script (the README keeps the link exactly as given).
    pub fn web_link(&self, style: LinkStyle) -> Option<&str> {
        let href = self.link(style);
        let start = href.trim_start();
        let scheme = start.get(..8).unwrap_or(start).to_ascii_lowercase();
        (scheme.starts_with("https://") || scheme.starts_with("http://")).then_some(href)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper_linking_to(href: &str) -> Paper {
        Paper {
            abs_link: href.to_owned(),
            ..Paper::default()
        }
    }

    #[test]
    fn only_web_addresses_become_page_links() {
        let web = |href: &str| {
            paper_linking_to(href)
                .web_link(LinkStyle::Abs)
                .map(str::to_owned)
        };
        assert_eq!(
            web("http://arxiv.org/abs/1"),
            Some("http://arxiv.org/abs/1".to_owned())
        );
        assert_eq!(
            web(" HTTPS://arxiv.org/abs/1"),
            Some(" HTTPS://arxiv.org/abs/1".to_owned())
        );
        assert_eq!(web("javascript:alert(1)"), None);
        assert_eq!(web(" JavaScript:alert(1)"), None);
        assert_eq!(web("ftp://x"), None);
        assert_eq!(web(""), None);
        assert_eq!(web("http:/"), None);
    }
}
