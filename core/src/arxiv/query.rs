//! Turns a keyword and the user's options into an arXiv API query URL (FORMAT.md §1).

use crate::topics::keyword::{is_separator, Keyword};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// arXiv's `sortBy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SortBy {
    /// The reference script's choice: newest revisions first.
    #[default]
    LastUpdatedDate,
    /// A popular variant (usually paired with [`LinkStyle::Pdf`]).
    Relevance,
    SubmittedDate,
}

impl SortBy {
    /// Every value, in the order a settings menu shows them.
    pub const ALL: [SortBy; 3] = [
        SortBy::LastUpdatedDate,
        SortBy::Relevance,
        SortBy::SubmittedDate,
    ];

    /// The value of arXiv's `sortBy` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            SortBy::LastUpdatedDate => "lastUpdatedDate",
            SortBy::Relevance => "relevance",
            SortBy::SubmittedDate => "submittedDate",
        }
    }
}

impl fmt::Display for SortBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SortBy {
    type Err = UnknownOption;
    fn from_str(raw: &str) -> Result<SortBy, UnknownOption> {
        SortBy::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| UnknownOption {
                what: "sort order",
                given: raw.to_owned(),
            })
    }
}

/// Which link the README puts behind each title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkStyle {
    /// The abstract page (`<link rel="alternate">`), as the reference script writes it.
    #[default]
    Abs,
    /// The PDF (`<link title="pdf">`), as the relevance-sorted variant writes it.
    Pdf,
}

impl LinkStyle {
    pub const ALL: [LinkStyle; 2] = [LinkStyle::Abs, LinkStyle::Pdf];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkStyle::Abs => "abs",
            LinkStyle::Pdf => "pdf",
        }
    }
}

impl fmt::Display for LinkStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LinkStyle {
    type Err = UnknownOption;
    fn from_str(raw: &str) -> Result<LinkStyle, UnknownOption> {
        LinkStyle::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| UnknownOption {
                what: "link style",
                given: raw.to_owned(),
            })
    }
}

/// A [`SortBy`] or [`LinkStyle`] name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownOption {
    pub what: &'static str,
    pub given: String,
}

impl fmt::Display for UnknownOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\u{201c}{}\u{201d} is not a {}.", self.given, self.what)
    }
}

impl std::error::Error for UnknownOption {}

/// `max_results`, 1–2000 (arXiv's own cap per call is 2000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct MaxResults(u16);

/// Why a `max_results` value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaxResultsError {
    OutOfRange { given: u32 },
    NotANumber(String),
}

impl fmt::Display for MaxResultsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (min, max) = (MaxResults::MIN, MaxResults::MAX);
        match self {
            MaxResultsError::OutOfRange { given } => write!(
                f,
                "The number of papers per keyword must be between {min} and {max}; {given} is not."
            ),
            MaxResultsError::NotANumber(raw) => write!(
                f,
                "\u{201c}{raw}\u{201d} is not a number; type a whole number between {min} and {max}."
            ),
        }
    }
}

impl std::error::Error for MaxResultsError {}

impl MaxResults {
    pub const MIN: u32 = 1;
    /// arXiv refuses more than 2000 results in one call.
    pub const MAX: u32 = 2000;
    /// The reference script's value.
    pub const DEFAULT: u32 = 100;

    pub fn new(n: u32) -> Result<MaxResults, MaxResultsError> {
        Some(n)
            .filter(|n| (Self::MIN..=Self::MAX).contains(n))
            .and_then(|n| u16::try_from(n).ok())
            .map(MaxResults)
            .ok_or(MaxResultsError::OutOfRange { given: n })
    }

    pub fn get(self) -> u32 {
        u32::from(self.0)
    }
}

impl Default for MaxResults {
    fn default() -> MaxResults {
        // Checked while compiling: DEFAULT is within MIN..=MAX, so the cast cannot truncate.
        const DEFAULT: MaxResults = {
            assert!(
                MaxResults::MIN <= MaxResults::DEFAULT && MaxResults::DEFAULT <= MaxResults::MAX
            );
            MaxResults(MaxResults::DEFAULT as u16)
        };
        DEFAULT
    }
}

impl TryFrom<u32> for MaxResults {
    type Error = MaxResultsError;
    fn try_from(n: u32) -> Result<MaxResults, MaxResultsError> {
        MaxResults::new(n)
    }
}

impl From<MaxResults> for u32 {
    fn from(m: MaxResults) -> u32 {
        m.get()
    }
}

impl FromStr for MaxResults {
    type Err = MaxResultsError;
    fn from_str(raw: &str) -> Result<MaxResults, MaxResultsError> {
        let n: u32 = raw
            .trim()
            .parse()
            .map_err(|_| MaxResultsError::NotANumber(raw.to_owned()))?;
        MaxResults::new(n)
    }
}

impl fmt::Display for MaxResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Options of one query, besides the keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QueryOptions {
    pub sort_by: SortBy,
    pub max_results: MaxResults,
}

/// The phrase as it goes between the quotes of `ti:"…"`.
///
/// arXiv's search is Lucene: inside a quoted phrase only `"` (ends the phrase) and `\` (escapes
/// the next character, so `ti:"a\"` would swallow the closing quote) are special. Neither can be
/// escaped reliably through arXiv's API, and neither is searchable anyway (the index drops
/// punctuation), so both separate words as whitespace does (the same rule as
/// [`Keyword::is_single_word`]); the words are then joined by one space. Every other character
/// (`&`, `#`, `+`, `%`, `/`, `:`, parentheses, letters of any script, emoji) is kept and
/// percent-encoded by [`query_url`].
pub fn search_phrase(keyword: &Keyword) -> String {
    keyword
        .as_str()
        .split(is_separator)
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `search_query` value, before URL encoding: `ti:"<kw>" OR abs:"<kw>"` for several words,
/// `ti:"<kw>" AND abs:"<kw>"` for one word (one word in title or abstract matches far too much, so
/// the reference narrows it). Words are counted as [`Keyword::is_single_word`] does, on the
/// phrase arXiv actually gets: `"BERT"` (quotes typed by the user) is one word, `a"b` two.
pub fn search_query(keyword: &Keyword) -> String {
    let phrase = search_phrase(keyword);
    let op = if keyword.is_single_word() {
        "AND"
    } else {
        "OR"
    };
    format!("ti:\"{phrase}\" {op} abs:\"{phrase}\"")
}

/// Appends `value` percent-encoded: everything but RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) is written as `%XX` of its UTF-8 bytes, so `+` stays a plus and a space
/// is `%20`, whatever the server's form decoding.
fn push_encoded(out: &mut String, value: &str) {
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0x0f));
        }
    }
}

/// The upper-case hex digit of a nibble (0–15).
fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16).map_or('0', |c| c.to_ascii_uppercase())
}

/// Builds `{endpoint}?search_query=...&max_results=...&sortBy=...&sortOrder=descending`.
/// The endpoint may already carry a query string; then the parameters are appended with `&`.
pub fn query_url(endpoint: &str, keyword: &Keyword, options: &QueryOptions) -> String {
    url_for(endpoint, &search_query(keyword), options)
}

/// The URL of a `search_query` value with the user's options (see [`query_url`]).
pub(crate) fn url_for(endpoint: &str, query: &str, options: &QueryOptions) -> String {
    let mut url = String::with_capacity(endpoint.len() + query.len() * 3 + 80);
    url.push_str(endpoint);
    if !endpoint.contains('?') {
        url.push('?');
    } else if !(endpoint.ends_with('?') || endpoint.ends_with('&')) {
        url.push('&');
    }
    url.push_str("search_query=");
    push_encoded(&mut url, query);
    url.push_str("&max_results=");
    url.push_str(&options.max_results.get().to_string());
    url.push_str("&sortBy=");
    url.push_str(options.sort_by.as_str());
    url.push_str("&sortOrder=descending");
    url
}
