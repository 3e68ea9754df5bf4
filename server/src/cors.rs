//! Which other web sites may read `/api/query` answers (CORS), and the layer that says so.
//!
//! By default no `Access-Control-Allow-Origin` header is sent, so only the page this server hosts
//! (same origin) can read the answers. An operator who hosts the static app elsewhere (for example
//! on GitHub Pages) lists that origin; `*` opens the endpoint to every site and must be asked for.

use std::fmt;
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method};
use reqwest::Url;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The response header telling the app whether an answer came from the cache.
pub const X_CACHE: HeaderName = HeaderName::from_static("x-cache");
/// Where an answer came from (`mirror` or `arxiv`), sent by a server with a mirror; the app skips
/// its spacing for mirror answers.
pub const X_SOURCE: HeaderName = HeaderName::from_static("x-source");
/// How current a mirror answer is: the end of the mirror's last complete harvest.
pub const X_MIRROR_HARVESTED_AT: HeaderName = HeaderName::from_static("x-mirror-harvested-at");

/// The origins allowed to read answers from another site.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AllowedOrigins {
    /// Same origin only: no CORS header at all.
    #[default]
    SameOriginOnly,
    /// Every site (`*`), only when configured explicitly.
    Any,
    /// These origins, for example `https://someone.github.io`.
    List(Vec<Origin>),
}

impl AllowedOrigins {
    /// Parses the configured values: empty → same origin only, `*` alone → any, else origins.
    pub fn parse<S: AsRef<str>>(values: &[S]) -> Result<AllowedOrigins, OriginError> {
        let values: Vec<&str> = values
            .iter()
            .map(|v| v.as_ref().trim())
            .filter(|v| !v.is_empty())
            .collect();
        if values.contains(&"*") {
            return if values.len() == 1 {
                Ok(AllowedOrigins::Any)
            } else {
                Err(OriginError::StarWithOthers)
            };
        }
        if values.is_empty() {
            return Ok(AllowedOrigins::SameOriginOnly);
        }
        values
            .into_iter()
            .map(Origin::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(AllowedOrigins::List)
    }

    /// The CORS layer for the API routes.
    pub fn layer(&self) -> CorsLayer {
        let allow = match self {
            // An empty list never matches, so no header is sent and preflights are not granted.
            AllowedOrigins::SameOriginOnly => AllowOrigin::list(Vec::new()),
            AllowedOrigins::Any => AllowOrigin::any(),
            AllowedOrigins::List(origins) => {
                AllowOrigin::list(origins.iter().map(|o| o.header.clone()))
            }
        };
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::HEAD])
            // The app reads these to decide whether to wait (X-Cache, Retry-After) and to show staleness.
            .expose_headers([
                X_CACHE,
                X_SOURCE,
                X_MIRROR_HARVESTED_AT,
                header::RETRY_AFTER,
                header::AGE,
                header::WARNING,
            ])
            .max_age(Duration::from_secs(24 * 60 * 60))
    }
}

/// One web origin: scheme, host and optional port, as a browser sends it in `Origin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    header: HeaderValue,
}

impl Origin {
    /// Parses `https://host[:port]`; a single trailing `/` is forgiven, a path is not.
    pub fn parse(value: &str) -> Result<Origin, OriginError> {
        let bad = |reason| OriginError::Invalid {
            value: value.to_owned(),
            reason,
        };
        let url = Url::parse(value).map_err(|_| bad("it is not a URL like https://example.org"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("only http and https origins exist for web pages"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(bad(
                "an origin has no path: write https://someone.github.io, not .../repo",
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("an origin has no user name or password"));
        }
        let serialised = url.origin().ascii_serialization();
        let header =
            HeaderValue::from_str(&serialised).map_err(|_| bad("it cannot be sent as a header"))?;
        Ok(Origin { header })
    }

    /// The origin as browsers write it, e.g. `https://someone.github.io`.
    pub fn as_str(&self) -> &str {
        self.header.to_str().unwrap_or_default()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A configured origin that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginError {
    Invalid { value: String, reason: &'static str },
    StarWithOthers,
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OriginError::Invalid { value, reason } => {
                write!(f, "allowed origin `{value}`: {reason}")
            }
            OriginError::StarWithOthers => f.write_str(
                "allowed origins: `*` already allows every site; give it alone or list origins",
            ),
        }
    }
}

impl std::error::Error for OriginError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_configured_means_same_origin_only() {
        assert_eq!(
            AllowedOrigins::parse::<&str>(&[]),
            Ok(AllowedOrigins::SameOriginOnly)
        );
        assert_eq!(
            AllowedOrigins::parse(&[" "]),
            Ok(AllowedOrigins::SameOriginOnly)
        );
    }

    #[test]
    fn star_must_be_alone() {
        assert_eq!(AllowedOrigins::parse(&["*"]), Ok(AllowedOrigins::Any));
        assert_eq!(
            AllowedOrigins::parse(&["*", "https://a.org"]),
            Err(OriginError::StarWithOthers)
        );
    }

    #[test]
    fn origins_are_normalised_as_browsers_send_them() {
        let AllowedOrigins::List(list) =
            AllowedOrigins::parse(&["https://Someone.GitHub.io/", "http://localhost:8080"])
                .unwrap()
        else {
            panic!("expected a list");
        };
        let names: Vec<&str> = list.iter().map(Origin::as_str).collect();
        assert_eq!(
            names,
            ["https://someone.github.io", "http://localhost:8080"]
        );
        assert_eq!(
            Origin::parse("https://a.org:443").unwrap().as_str(),
            "https://a.org"
        );
    }

    #[test]
    fn paths_schemes_and_garbage_are_refused() {
        for bad in [
            "https://someone.github.io/repo",
            "ftp://a.org",
            "a.org",
            "https://u:p@a.org",
            "https://a.org/?x",
        ] {
            assert!(
                matches!(Origin::parse(bad), Err(OriginError::Invalid { .. })),
                "{bad}"
            );
        }
    }
}
