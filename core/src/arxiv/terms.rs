//! arXiv's terms for API clients, written once for the app, the command-line tool and the server:
//! where the API is, the 3 s between requests, the longest `search_query`, and how to read the
//! `Retry-After` arXiv (or a server in front of it) sends with a busy answer.

use std::time::{Duration, SystemTime};

/// arXiv's API, where queries go unless the user says otherwise.
pub const API_URL: &str = "https://export.arxiv.org/api/query";

/// The least time between two requests to arXiv, in milliseconds: arXiv's terms ask for 3 s.
pub const MIN_SPACING_MS: u32 = 3_000;

/// [`MIN_SPACING_MS`] as a duration.
pub const MIN_SPACING: Duration = Duration::from_millis(MIN_SPACING_MS as u64);

/// The longest `search_query`, in characters of the decoded value: the app and the tool never send
/// a longer one, and the project's server refuses it.
pub const MAX_SEARCH_QUERY_CHARS: usize = 1000;

/// True when `host` (as in a URL, any case, perhaps with a final dot) is arXiv's, whose terms
/// the spacing must honour.
pub fn is_arxiv_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "arxiv.org" || host.ends_with(".arxiv.org")
}

/// Reads a `Retry-After` header, in seconds (`120`) or as an HTTP date, into a wait from `now`
/// (a date already past is no wait). `None` when it is neither: the caller's backoff applies.
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        // Wed, 21 Oct 2015 07:28:00 GMT
        let then = UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(retry_after(" 120 ", then), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:30 GMT", then),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:27:00 GMT", then),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("-1", then), None);
        assert_eq!(retry_after("soon", then), None);
    }

    #[test]
    fn arxiv_hosts() {
        for host in [
            "arxiv.org",
            "export.arxiv.org",
            "EXPORT.ARXIV.ORG.",
            "www.arxiv.org",
        ] {
            assert!(is_arxiv_host(host), "{host}");
        }
        for host in ["notarxiv.org", "arxiv.org.example.com", "127.0.0.1", ""] {
            assert!(!is_arxiv_host(host), "{host}");
        }
    }
}
