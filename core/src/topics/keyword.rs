//! A search keyword, validated once at the edge so the rest of the app never sees a bad one.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest keyword we accept, in characters. arXiv's own query box is not much longer, and a
/// longer phrase is almost certainly a paste gone wrong.
pub const MAX_KEYWORD_CHARS: usize = 200;

/// A keyword: trimmed, non-empty, at most [`MAX_KEYWORD_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Keyword(String);

/// Why a keyword was refused; the `Display` text is shown next to the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeywordError {
    Empty,
    /// Only quotes and backslashes: they are dropped from the search (see
    /// [`crate::arxiv::query::search_phrase`]), which would leave nothing to search for.
    NothingToSearch,
    TooLong {
        chars: usize,
    },
    Duplicate(String),
}

impl fmt::Display for KeywordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeywordError::Empty => write!(f, "Type a keyword first."),
            KeywordError::NothingToSearch => write!(
                f,
                "Quotes and backslashes alone search for nothing; type some words."
            ),
            KeywordError::TooLong { chars } => write!(
                f,
                "A keyword can have at most {MAX_KEYWORD_CHARS} characters; this one has {chars}."
            ),
            KeywordError::Duplicate(existing) => {
                write!(f, "\u{201c}{existing}\u{201d} is already in the list.")
            }
        }
    }
}

impl std::error::Error for KeywordError {}

impl Keyword {
    /// Trims the input and checks its length, and that something is left to search for.
    pub fn parse(raw: &str) -> Result<Keyword, KeywordError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(KeywordError::Empty);
        }
        if trimmed.chars().all(is_separator) {
            return Err(KeywordError::NothingToSearch);
        }
        let chars = trimmed.chars().count();
        if chars > MAX_KEYWORD_CHARS {
            return Err(KeywordError::TooLong { chars });
        }
        Ok(Keyword(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the keyword is one word: such a keyword is searched in title AND abstract,
    /// since one word in either alone matches far too much. Quotes and backslashes separate words like spaces do, since the query drops them (see
    /// [`crate::arxiv::query::search_phrase`]): `"BERT"` is one word, `a"b` two.
    pub fn is_single_word(&self) -> bool {
        self.0
            .split(is_separator)
            .filter(|word| !word.is_empty())
            .nth(1)
            .is_none()
    }

    /// Two keywords that differ only in case are the same search to arXiv.
    pub fn same_as(&self, other: &str) -> bool {
        case_fold(&self.0) == case_fold(other.trim())
    }

    /// The keyword in lowercase: equal for two keywords that are the same search.
    pub fn folded(&self) -> String {
        case_fold(&self.0)
    }
}

/// True for a character that separates words in a keyword: whitespace, and also a double quote
/// or a backslash. arXiv's search is Lucene, where inside a quoted phrase `"` ends the phrase and
/// `\` escapes the next character; neither can be escaped reliably through arXiv's API, nor is
/// either searchable, so the query treats both as a space (see
/// [`crate::arxiv::query::search_phrase`]). Counting them as separators everywhere keeps the word
/// count and the "nothing to search" check in step with the phrase arXiv actually gets.
pub(crate) fn is_separator(c: char) -> bool {
    c == '"' || c == '\\' || c.is_whitespace()
}

/// Unicode's default lowercase mapping, the one rule for "differ only in case" (keywords, the
/// re-check, the search), so they all agree on what is the same word: the mapping given to
/// [`use_case_fold`], else Rust's own.
pub(crate) fn case_fold(text: &str) -> String {
    match CASE_FOLD.get() {
        Some(fold) => fold(text),
        None => default_case_fold(text),
    }
}

/// The lowercase mapping [`case_fold`] uses, when one is given.
static CASE_FOLD: std::sync::OnceLock<fn(&str) -> String> = std::sync::OnceLock::new();

/// Gives [`case_fold`] the lowercase mapping to use from now on (the first one given stays).
/// The browser app gives the engine's own `toLowerCase`, the same Unicode mapping as
/// `str::to_lowercase`, whose case tables would cost every visitor about 7 KB of brotli: it
/// builds the core without the `unicode-case` feature, so they stay out of its download.
pub fn use_case_fold(fold: fn(&str) -> String) {
    let _ = CASE_FOLD.set(fold);
}

/// Without a mapping given: Rust's Unicode mapping (the `unicode-case` feature, on by default).
#[cfg(feature = "unicode-case")]
fn default_case_fold(text: &str) -> String {
    text.to_lowercase()
}

/// Without a mapping given nor the `unicode-case` feature: ASCII letters only, never reached by
/// the browser app (its start-up gives the engine's mapping before anything is folded).
#[cfg(not(feature = "unicode-case"))]
fn default_case_fold(text: &str) -> String {
    text.to_ascii_lowercase()
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Keyword {
    type Error = KeywordError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Keyword::parse(&raw)
    }
}

impl From<Keyword> for String {
    fn from(keyword: Keyword) -> String {
        keyword.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_accepts_a_phrase() {
        let kw = Keyword::parse("  Video Anomaly Detection \n").unwrap();
        assert_eq!(kw.as_str(), "Video Anomaly Detection");
        assert!(!kw.is_single_word());
    }

    #[test]
    fn refuses_empty_and_whitespace_only() {
        assert_eq!(Keyword::parse(""), Err(KeywordError::Empty));
        assert_eq!(Keyword::parse(" \t\n "), Err(KeywordError::Empty));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(Keyword::parse(&"é".repeat(200)).is_ok());
        assert_eq!(
            Keyword::parse(&"é".repeat(201)),
            Err(KeywordError::TooLong { chars: 201 })
        );
    }

    #[test]
    fn refuses_a_keyword_of_only_quotes_and_backslashes() {
        assert_eq!(Keyword::parse("\"\""), Err(KeywordError::NothingToSearch));
        assert_eq!(
            Keyword::parse(" \" \\ \""),
            Err(KeywordError::NothingToSearch)
        );
        assert!(Keyword::parse("\"a\"").is_ok());
        assert!(KeywordError::NothingToSearch
            .to_string()
            .contains("type some words"));
    }

    #[test]
    fn one_word_keyword() {
        assert!(Keyword::parse("Transformer").unwrap().is_single_word());
        assert!(Keyword::parse("\"BERT\"").unwrap().is_single_word());
        assert!(!Keyword::parse("a\"b").unwrap().is_single_word());
        assert!(!Keyword::parse("C++ & C#").unwrap().is_single_word());
    }

    #[test]
    fn same_as_ignores_case_and_surrounding_space() {
        let kw = Keyword::parse("Graph Neural Network").unwrap();
        assert!(kw.same_as("  graph neural NETWORK "));
        assert!(!kw.same_as("graph neural networks"));
    }
}
