//! The query string of `GET /api/query`: only arXiv's own parameters, with bounded values.
//!
//! This is what keeps the endpoint from being an open proxy: a request is turned into an
//! [`ArxivQuery`] here or refused with a [`QueryError`] before anything is sent upstream.
//! The accepted query is also normalised (parameters sorted, numbers canonical, one encoding),
//! so equal questions share one cache entry and one upstream call.

use std::fmt;

/// The longest raw query string looked at; longer ones are refused before parsing.
pub const MAX_RAW_QUERY_BYTES: usize = 8 * 1024;
/// The longest `search_query`, in characters (arXiv's terms, as the app and the tool keep them).
pub use daily_papers_core::arxiv::terms::MAX_SEARCH_QUERY_CHARS;
/// The longest `id_list`, in characters (about a hundred arXiv identifiers).
pub const MAX_ID_LIST_CHARS: usize = 2000;
/// arXiv serves at most 2000 results per call.
pub const MAX_RESULTS_RANGE: (u32, u32) = (1, 2000);
/// arXiv pages through at most 30000 results of a search.
pub const START_RANGE: (u32, u32) = (0, 30_000);

/// One of the parameters arXiv's `query` method understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Param {
    IdList,
    MaxResults,
    SearchQuery,
    SortBy,
    SortOrder,
    Start,
}

impl Param {
    /// Every parameter, in the order of their names (the normalised order).
    pub const ALL: [Param; 6] = [
        Param::IdList,
        Param::MaxResults,
        Param::SearchQuery,
        Param::SortBy,
        Param::SortOrder,
        Param::Start,
    ];

    /// The name as it appears in the URL.
    pub fn name(self) -> &'static str {
        match self {
            Param::IdList => "id_list",
            Param::MaxResults => "max_results",
            Param::SearchQuery => "search_query",
            Param::SortBy => "sortBy",
            Param::SortOrder => "sortOrder",
            Param::Start => "start",
        }
    }

    fn from_name(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|param| param.name() == name)
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

const SORT_BY_VALUES: &[&str] = &["relevance", "lastUpdatedDate", "submittedDate"];
const SORT_ORDER_VALUES: &[&str] = &["ascending", "descending"];

/// Why a query string was refused (answered with 400 and this message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// The query string is longer than [`MAX_RAW_QUERY_BYTES`].
    TooLong,
    /// A parameter that is not one of arXiv's query parameters.
    Unknown { name: String },
    /// The same parameter given twice.
    Repeated { param: Param },
    /// A text parameter longer than its bound.
    ValueTooLong { param: Param, max_chars: usize },
    /// A text parameter with a control character (newline, tab, NUL, ...).
    ControlCharacter { param: Param },
    /// A numeric parameter that is not a plain non-negative number.
    NotANumber { param: Param },
    /// A numeric parameter outside its range.
    OutOfRange { param: Param, min: u32, max: u32 },
    /// `sortBy` or `sortOrder` with a value arXiv does not know.
    NotOneOf {
        param: Param,
        allowed: &'static [&'static str],
    },
    /// Neither `search_query` nor `id_list` says what to look for.
    NothingToSearch,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::TooLong => write!(
                f,
                "the query string is longer than {MAX_RAW_QUERY_BYTES} bytes; ask for less at once"
            ),
            QueryError::Unknown { name } => {
                let allowed: Vec<&str> = Param::ALL.iter().map(|p| p.name()).collect();
                write!(
                    f,
                    "unknown parameter `{}`: only arXiv's query parameters are forwarded ({})",
                    name.chars().take(64).collect::<String>(),
                    allowed.join(", ")
                )
            }
            QueryError::Repeated { param } => {
                write!(
                    f,
                    "parameter `{param}` is given more than once; give it once"
                )
            }
            QueryError::ValueTooLong { param, max_chars } => {
                write!(
                    f,
                    "parameter `{param}` is longer than {max_chars} characters"
                )
            }
            QueryError::ControlCharacter { param } => {
                write!(
                    f,
                    "parameter `{param}` contains a control character (newline, tab, ...)"
                )
            }
            QueryError::NotANumber { param } => {
                write!(f, "parameter `{param}` must be a whole number")
            }
            QueryError::OutOfRange { param, min, max } => {
                write!(f, "parameter `{param}` must be between {min} and {max}")
            }
            QueryError::NotOneOf { param, allowed } => {
                write!(
                    f,
                    "parameter `{param}` must be one of: {}",
                    allowed.join(", ")
                )
            }
            QueryError::NothingToSearch => {
                f.write_str("give `search_query` or `id_list`: there is nothing to search for")
            }
        }
    }
}

impl std::error::Error for QueryError {}

/// A validated arXiv query, in normalised form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArxivQuery {
    /// The parameters, sorted by name, values canonical.
    params: Vec<(Param, String)>,
    /// The parameters encoded as a query string; doubles as the cache key.
    encoded: String,
}

impl ArxivQuery {
    /// Parses the raw query string of a request (without the `?`).
    pub fn parse(raw: Option<&str>) -> Result<ArxivQuery, QueryError> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_RAW_QUERY_BYTES {
            return Err(QueryError::TooLong);
        }
        let mut params: Vec<(Param, String)> = Vec::new();
        for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
            let param = Param::from_name(&name).ok_or_else(|| QueryError::Unknown {
                name: name.into_owned(),
            })?;
            if params.iter().any(|(seen, _)| *seen == param) {
                return Err(QueryError::Repeated { param });
            }
            params.push((param, canonical_value(param, &value)?));
        }
        let has_target = params.iter().any(|(param, value)| {
            matches!(param, Param::SearchQuery | Param::IdList) && !value.trim().is_empty()
        });
        if !has_target {
            return Err(QueryError::NothingToSearch);
        }
        params.sort_by_key(|(param, _)| *param);
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                params
                    .iter()
                    .map(|(param, value)| (param.name(), value.as_str())),
            )
            .finish();
        Ok(ArxivQuery { params, encoded })
    }

    /// The normalised query string: what is sent upstream and what the cache is keyed on.
    pub fn encoded(&self) -> &str {
        &self.encoded
    }

    /// The value of one parameter, if given.
    pub fn get(&self, param: Param) -> Option<&str> {
        self.params
            .iter()
            .find(|(p, _)| *p == param)
            .map(|(_, value)| value.as_str())
    }
}

/// Checks one value against its parameter's bounds and returns its canonical spelling.
fn canonical_value(param: Param, value: &str) -> Result<String, QueryError> {
    match param {
        Param::SearchQuery => bounded_text(param, value, MAX_SEARCH_QUERY_CHARS),
        Param::IdList => bounded_text(param, value, MAX_ID_LIST_CHARS),
        Param::Start => bounded_number(param, value, START_RANGE),
        Param::MaxResults => bounded_number(param, value, MAX_RESULTS_RANGE),
        Param::SortBy => one_of(param, value, SORT_BY_VALUES),
        Param::SortOrder => one_of(param, value, SORT_ORDER_VALUES),
    }
}

fn bounded_text(param: Param, value: &str, max_chars: usize) -> Result<String, QueryError> {
    if value.chars().count() > max_chars {
        return Err(QueryError::ValueTooLong { param, max_chars });
    }
    if value.chars().any(char::is_control) {
        return Err(QueryError::ControlCharacter { param });
    }
    Ok(value.to_owned())
}

fn bounded_number(param: Param, value: &str, (min, max): (u32, u32)) -> Result<String, QueryError> {
    // Only plain digits: no sign, no spaces, no "1e3". Long runs of zeros are still numbers.
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(QueryError::NotANumber { param });
    }
    // Leading zeros parse; only overflow fails, and an overflowing number is out of range anyway.
    match value.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
        _ => Err(QueryError::OutOfRange { param, min, max }),
    }
}

fn one_of(
    param: Param,
    value: &str,
    allowed: &'static [&'static str],
) -> Result<String, QueryError> {
    if allowed.contains(&value) {
        Ok(value.to_owned())
    } else {
        Err(QueryError::NotOneOf { param, allowed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<ArxivQuery, QueryError> {
        ArxivQuery::parse(Some(raw))
    }

    #[test]
    fn accepts_the_app_query_and_sorts_parameters() {
        let query = parse(
            "search_query=ti%3A%22graph%22+AND+abs%3A%22graph%22&sortBy=lastUpdatedDate&sortOrder=descending&max_results=100",
        )
        .unwrap();
        assert_eq!(
            query.encoded(),
            "max_results=100&search_query=ti%3A%22graph%22+AND+abs%3A%22graph%22&sortBy=lastUpdatedDate&sortOrder=descending"
        );
        assert_eq!(
            query.get(Param::SearchQuery),
            Some("ti:\"graph\" AND abs:\"graph\"")
        );
    }

    #[test]
    fn parameter_order_and_spelling_do_not_change_the_key() {
        let a = parse("sortOrder=descending&search_query=all%3Aelectron&start=0&max_results=010")
            .unwrap();
        let b = parse("max_results=10&start=00&search_query=all:electron&sortOrder=descending")
            .unwrap();
        assert_eq!(a.encoded(), b.encoded());
        assert_eq!(a.get(Param::MaxResults), Some("10"));
    }

    #[test]
    fn plus_and_non_ascii_reach_upstream_intact() {
        let query = parse("search_query=ti%3A%22C%2B%2B%22+AND+abs%3A%22%C3%A9t%C3%A9%22").unwrap();
        assert_eq!(
            query.get(Param::SearchQuery),
            Some("ti:\"C++\" AND abs:\"été\"")
        );
        assert_eq!(
            query.encoded(),
            "search_query=ti%3A%22C%2B%2B%22+AND+abs%3A%22%C3%A9t%C3%A9%22"
        );
    }

    #[test]
    fn the_fixture_requests_with_an_empty_search_query_are_accepted() {
        let query =
            parse("search_query=&id_list=abc&sortBy=relevance&sortOrder=descending&start=0&max_results=100").unwrap();
        assert_eq!(query.get(Param::IdList), Some("abc"));
    }

    #[test]
    fn refuses_unknown_parameters() {
        assert_eq!(
            parse("search_query=a&url=http://evil"),
            Err(QueryError::Unknown { name: "url".into() })
        );
        assert_eq!(
            parse("search_query=a&SortBy=relevance"),
            Err(QueryError::Unknown {
                name: "SortBy".into()
            })
        );
    }

    #[test]
    fn refuses_repeated_parameters() {
        assert_eq!(
            parse("search_query=a&search_query=b"),
            Err(QueryError::Repeated {
                param: Param::SearchQuery
            })
        );
    }

    #[test]
    fn refuses_out_of_bounds_numbers() {
        let out = |param| QueryError::OutOfRange {
            param,
            min: 1,
            max: 2000,
        };
        assert_eq!(
            parse("search_query=a&max_results=0"),
            Err(out(Param::MaxResults))
        );
        assert_eq!(
            parse("search_query=a&max_results=2001"),
            Err(out(Param::MaxResults))
        );
        assert_eq!(
            parse("search_query=a&max_results=99999999999999999999"),
            Err(out(Param::MaxResults))
        );
        assert!(parse("search_query=a&max_results=2000").is_ok());
        assert!(parse("search_query=a&max_results=1").is_ok());
        assert_eq!(
            parse("search_query=a&start=30001"),
            Err(QueryError::OutOfRange {
                param: Param::Start,
                min: 0,
                max: 30_000
            })
        );
        for bad in ["-1", "+5", "1e3", "", " 5", "0x10"] {
            assert_eq!(
                parse(&format!(
                    "search_query=a&max_results={}",
                    bad.replace('+', "%2B").replace(' ', "%20")
                )),
                Err(QueryError::NotANumber {
                    param: Param::MaxResults
                }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn refuses_unknown_sort_values() {
        assert!(matches!(
            parse("search_query=a&sortBy=random"),
            Err(QueryError::NotOneOf {
                param: Param::SortBy,
                ..
            })
        ));
        assert!(matches!(
            parse("search_query=a&sortOrder=DESC"),
            Err(QueryError::NotOneOf {
                param: Param::SortOrder,
                ..
            })
        ));
    }

    #[test]
    fn bounds_text_lengths_in_characters() {
        let at_limit = "é".repeat(MAX_SEARCH_QUERY_CHARS);
        assert!(parse(&format!("search_query={at_limit}")).is_ok());
        assert_eq!(
            parse(&format!("search_query={at_limit}x")),
            Err(QueryError::ValueTooLong {
                param: Param::SearchQuery,
                max_chars: MAX_SEARCH_QUERY_CHARS
            })
        );
        assert_eq!(
            parse(&"a".repeat(MAX_RAW_QUERY_BYTES + 1)),
            Err(QueryError::TooLong)
        );
    }

    #[test]
    fn refuses_control_characters() {
        assert_eq!(
            parse("search_query=a%0D%0AHost:%20evil"),
            Err(QueryError::ControlCharacter {
                param: Param::SearchQuery
            })
        );
    }

    #[test]
    fn needs_something_to_search_for() {
        assert_eq!(parse(""), Err(QueryError::NothingToSearch));
        assert_eq!(ArxivQuery::parse(None), Err(QueryError::NothingToSearch));
        assert_eq!(
            parse("search_query=&id_list=&max_results=5"),
            Err(QueryError::NothingToSearch)
        );
    }

    #[test]
    fn every_error_reads_as_a_sentence_naming_the_parameter() {
        let message = parse("search_query=a&max_results=0")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("max_results") && message.contains("2000"),
            "{message}"
        );
        let message = parse("q=a").unwrap_err().to_string();
        assert!(
            message.contains("`q`") && message.contains("search_query"),
            "{message}"
        );
    }
}
