//! Turns a [`Topic`] into arXiv's `search_query` and the query URL.
//!
//! The meaning is the topic's: (any phrase OR any author) AND (any category) AND NOT (any
//! exclusion). Written out:
//!
//! - a phrase is `ti:"p" OR abs:"p"`, or `ti:"p" AND abs:"p"` for one word, exactly as a keyword
//!   always was ([`query::search_query`]); among other terms it is put in parentheses;
//! - an author is `au:"name"`;
//! - phrases and authors are OR-ed;
//! - categories are `cat:cs.CV` (an archive with categories, like `cs`, is `cat:cs.*`; one
//!   without, like `quant-ph`, is `cat:quant-ph`), OR-ed, and AND-ed with the group above;
//! - exclusions are `ti:"x" OR abs:"x"` each, OR-ed in one group that follows `ANDNOT`.
//!
//! Each group is parenthesised before it is combined, so no meaning depends on how arXiv ranks
//! `AND`, `OR` and `ANDNOT`. Every field prefix is followed by one quoted phrase or one name,
//! never a parenthesised list (arXiv asks for `(ti:a OR ti:b)` rather than `ti:(a b)`).
//!
//! A topic with one phrase and nothing else compiles to exactly the keyword query of earlier
//! releases, so its README section is the same, byte for byte.

use super::categories::Category;
use super::query::{self, search_phrase, QueryOptions};
use crate::topics::Topic;
use std::fmt;

/// The longest `search_query`, in characters of the decoded value (arXiv's terms, which the
/// project's endpoint enforces).
pub use super::terms::MAX_SEARCH_QUERY_CHARS;

/// The longest query string (everything after `?`), in bytes as sent, that the project's
/// endpoint accepts (its `MAX_RAW_QUERY_BYTES`). Each non-ASCII character takes up to 12 bytes
/// once percent-encoded, so 1000 characters can be longer than this.
pub const MAX_QUERY_STRING_BYTES: usize = 8 * 1024;

/// Bytes kept free for the other parameters (`max_results`, `sortBy`, `sortOrder`; 61 at most)
/// when a `search_query` is checked on its own.
const OTHER_PARAMETERS_BYTES: usize = 128;

/// A compiled search the endpoint would refuse: it is never sent, and the editor says this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QueryTooLong {
    /// Characters of the `search_query` value.
    pub chars: usize,
    /// Bytes of the query string once encoded.
    pub encoded_bytes: usize,
}

impl fmt::Display for QueryTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let QueryTooLong {
            chars,
            encoded_bytes,
        } = *self;
        if chars > MAX_SEARCH_QUERY_CHARS {
            write!(
                f,
                "This topic's search is {chars} characters long; at most {MAX_SEARCH_QUERY_CHARS} can be sent. Remove some phrases, exclusions or authors."
            )
        } else {
            write!(
                f,
                "This topic's search takes {encoded_bytes} bytes in the address (letters outside A\u{2013}Z take several each); at most {MAX_QUERY_STRING_BYTES} can be sent. Remove some phrases, exclusions or authors."
            )
        }
    }
}

impl std::error::Error for QueryTooLong {}

/// The bytes `value` takes once percent-encoded as the URL encodes it.
fn encoded_len(value: &str) -> usize {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                1
            } else {
                3
            }
        })
        .sum()
}

/// Refuses a `search_query` value the endpoint would refuse, whatever the other parameters.
pub fn check_length(search_query: &str) -> Result<(), QueryTooLong> {
    let chars = search_query.chars().count();
    let encoded_bytes = "search_query=".len() + encoded_len(search_query);
    if chars > MAX_SEARCH_QUERY_CHARS
        || encoded_bytes > MAX_QUERY_STRING_BYTES - OTHER_PARAMETERS_BYTES
    {
        return Err(QueryTooLong {
            chars,
            encoded_bytes,
        });
    }
    Ok(())
}

/// `(text)` when `text` combines terms, else `text` as it is.
fn grouped(text: String, compound: bool) -> String {
    if compound {
        format!("({text})")
    } else {
        text
    }
}

/// `cat:cs.CV`, `cat:cs.*` for an archive with categories, `cat:quant-ph` for one without.
fn category_term(category: Category) -> String {
    if category.has_subjects() {
        format!("cat:{category}.*")
    } else {
        format!("cat:{category}")
    }
}

/// The `search_query` value of a topic, before URL encoding (see the [module docs](self)).
pub fn search_query(topic: &Topic) -> String {
    if let Some(phrase) = topic.sole_phrase() {
        return query::search_query(phrase);
    }
    let mut terms: Vec<String> = topic
        .phrases()
        .iter()
        .map(|phrase| format!("({})", query::search_query(phrase)))
        .collect();
    terms.extend(
        topic
            .authors()
            .iter()
            .map(|author| format!("au:\"{}\"", search_phrase(author))),
    );
    // A lone phrase is already in parentheses and a lone author is one term.
    let mut compound = terms.len() > 1;
    let mut query = terms.join(" OR ");

    let categories = topic.categories();
    if !categories.is_empty() {
        let any_category = categories
            .iter()
            .map(|c| category_term(*c))
            .collect::<Vec<_>>()
            .join(" OR ");
        query = format!(
            "{} AND {}",
            grouped(query, compound),
            grouped(any_category, categories.len() > 1)
        );
        compound = true;
    }

    if !topic.exclusions().is_empty() {
        let any_exclusion = topic
            .exclusions()
            .iter()
            .map(|x| {
                let x = search_phrase(x);
                format!("ti:\"{x}\" OR abs:\"{x}\"")
            })
            .collect::<Vec<_>>()
            .join(" OR ");
        query = format!("{} ANDNOT ({any_exclusion})", grouped(query, compound));
    }
    query
}

/// Builds `{endpoint}?search_query=…&max_results=…&sortBy=…&sortOrder=descending` for a topic,
/// encoded as [`query::query_url`] does; refuses a search the endpoint would refuse.
pub fn topic_query_url(
    endpoint: &str,
    topic: &Topic,
    options: &QueryOptions,
) -> Result<String, QueryTooLong> {
    let search = search_query(topic);
    check_length(&search)?;
    let url = query::url_for(endpoint, &search, options);
    let query_string = url.split_once('?').map_or("", |(_, query)| query);
    if query_string.len() > MAX_QUERY_STRING_BYTES {
        return Err(QueryTooLong {
            chars: search.chars().count(),
            encoded_bytes: query_string.len(),
        });
    }
    Ok(url)
}
