//! The user's settings (endpoint, request spacing, query options, link style, categories): each
//! one parsed from what the user typed, with a readable refusal that leaves the last valid value
//! in place. Pure Rust, so every rule here is tested natively.

use crate::arxiv::filter::{CategoryFilter, CategoryFilterError};
use crate::arxiv::query::{LinkStyle, MaxResults, MaxResultsError, QueryOptions, SortBy};
use crate::arxiv::terms::{self, MIN_SPACING_MS as ARXIV_MIN_SPACING_MS};
use std::fmt;
use std::time::Duration;

/// The default endpoint: same origin, so `trunk serve` (through its proxy) and the project's own
/// server both answer it, and the browser never has to ask arXiv across origins.
pub const DEFAULT_ENDPOINT: &str = "/api/query";

/// The longest spacing we accept; anything longer is almost certainly a typo.
pub const MAX_SPACING_MS: u32 = 600_000;

/// Where queries go: a same-origin path (`/api/query`) or an absolute http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint(String);

/// Time to wait between two requests, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spacing(u32);

/// Why a setting was refused; the `Display` text is shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsError {
    EmptyEndpoint,
    BadEndpoint(String),
    NotANumber(String),
    SpacingOutOfRange,
    SpacingBelowArxivLimit,
    MaxResults(MaxResultsError),
    UnknownSort(String),
    UnknownLinkStyle(String),
    Categories(CategoryFilterError),
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::EmptyEndpoint => write!(
                f,
                "Enter an endpoint, e.g. {DEFAULT_ENDPOINT} (this site) or https://your-server/api/query."
            ),
            SettingsError::BadEndpoint(text) => write!(
                f,
                "\u{201c}{text}\u{201d} is not an endpoint: use a path starting with / (e.g. {DEFAULT_ENDPOINT}) or a URL starting with http:// or https://."
            ),
            SettingsError::NotANumber(text) => {
                write!(f, "\u{201c}{text}\u{201d} is not a number.")
            }
            SettingsError::SpacingOutOfRange => write!(
                f,
                "The spacing must be between 0 and {} seconds.",
                MAX_SPACING_MS / 1000
            ),
            SettingsError::SpacingBelowArxivLimit => write!(
                f,
                "arXiv allows at most one request every 3 seconds: use 3 or more with an arxiv.org endpoint."
            ),
            SettingsError::MaxResults(e) => write!(f, "{e}"),
            SettingsError::UnknownSort(text) => write!(
                f,
                "\u{201c}{text}\u{201d} is not a sort order: choose {}.",
                choices(SortBy::ALL.map(SortBy::as_str))
            ),
            SettingsError::UnknownLinkStyle(text) => write!(
                f,
                "\u{201c}{text}\u{201d} is not a link style: choose {}.",
                choices(LinkStyle::ALL.map(LinkStyle::as_str))
            ),
            SettingsError::Categories(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SettingsError {}

/// The names of a menu's values as a sentence lists them: `a, b or c`.
fn choices<const N: usize>(names: [&str; N]) -> String {
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl Endpoint {
    pub fn parse(raw: &str) -> Result<Endpoint, SettingsError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(SettingsError::EmptyEndpoint);
        }
        let refused = || SettingsError::BadEndpoint(text.to_owned());
        if text.chars().any(char::is_whitespace) {
            return Err(refused());
        }
        if text.starts_with('/') && !text.starts_with("//") {
            return Ok(Endpoint(text.to_owned()));
        }
        match absolute_host(text) {
            Some(host) if !host.is_empty() => Ok(Endpoint(text.to_owned())),
            _ => Err(refused()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host of an absolute endpoint, lowercased and without port or credentials; `None` for a
    /// same-origin path.
    pub fn host(&self) -> Option<String> {
        absolute_host(&self.0)
    }

    /// True when requests go straight to arXiv, whose terms ask for 3 s between requests.
    pub fn is_arxiv(&self) -> bool {
        self.host().is_some_and(|host| terms::is_arxiv_host(&host))
    }
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint(DEFAULT_ENDPOINT.to_owned())
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Endpoint {
    type Error = SettingsError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Endpoint::parse(&raw)
    }
}

impl From<Endpoint> for String {
    fn from(endpoint: Endpoint) -> String {
        endpoint.0
    }
}

/// The host part of `http(s)://[user@]host[:port]/...`, lowercased; `None` if not such a URL.
fn absolute_host(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        // An IPv6 literal: [::1]:8080
        bracketed.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    Some(host.trim_end_matches('.').to_owned())
}

impl Spacing {
    pub const fn from_millis(ms: u32) -> Spacing {
        Spacing(ms)
    }

    /// Parses seconds as the user types them: `3`, `2.5`, `0`. Read as a decimal by hand,
    /// with no floating point: a float parser would add kilobytes to every visitor's download.
    pub fn parse_seconds(raw: &str) -> Result<Spacing, SettingsError> {
        let text = raw.trim();
        let not_a_number = || SettingsError::NotANumber(text.to_owned());
        if text.starts_with('-') && text.len() > 1 {
            return Err(SettingsError::SpacingOutOfRange);
        }
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction)
        {
            return Err(not_a_number());
        }
        // Only digits here, so parsing fails only on overflow.
        let whole_seconds = if whole.is_empty() {
            0
        } else {
            whole
                .parse::<u64>()
                .map_err(|_| SettingsError::SpacingOutOfRange)?
        };
        let whole_ms = whole_seconds.saturating_mul(1000);
        // Milliseconds are as fine as a spacing needs: digits past the third are dropped.
        let fraction_ms = fraction
            .bytes()
            .chain(std::iter::repeat(b'0'))
            .take(3)
            .fold(0u64, |ms, digit| ms * 10 + u64::from(digit - b'0'));
        let ms = whole_ms.saturating_add(fraction_ms);
        if ms > u64::from(MAX_SPACING_MS) {
            return Err(SettingsError::SpacingOutOfRange);
        }
        Ok(Spacing(ms as u32))
    }

    pub fn millis(self) -> u32 {
        self.0
    }

    pub fn duration(self) -> Duration {
        Duration::from_millis(u64::from(self.0))
    }
}

impl Default for Spacing {
    fn default() -> Self {
        Spacing(ARXIV_MIN_SPACING_MS)
    }
}

/// Seconds, as the user would type them: `3`, `2.5`.
impl fmt::Display for Spacing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 1000;
        let frac = self.0 % 1000;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:03}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl TryFrom<u32> for Spacing {
    type Error = SettingsError;
    fn try_from(ms: u32) -> Result<Self, Self::Error> {
        if ms > MAX_SPACING_MS {
            Err(SettingsError::SpacingOutOfRange)
        } else {
            Ok(Spacing(ms))
        }
    }
}

impl From<Spacing> for u32 {
    fn from(spacing: Spacing) -> u32 {
        spacing.0
    }
}

/// Everything the user can set. Fields missing from a saved copy take their default, so a
/// settings object saved by an older version still loads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    pub endpoint: Endpoint,
    pub spacing: Spacing,
    pub max_results: MaxResults,
    pub sort_by: SortBy,
    pub link_style: LinkStyle,
    pub categories: CategoryFilter,
}

/// True when `spacing` breaks arXiv's terms for `endpoint`: the endpoint is arXiv itself and the
/// spacing is below [`terms::MIN_SPACING_MS`].
fn below_arxiv_limit(endpoint: &Endpoint, spacing: Spacing) -> bool {
    endpoint.is_arxiv() && spacing.0 < ARXIV_MIN_SPACING_MS
}

impl Settings {
    /// The spacing actually waited: never below arXiv's 3 s when the endpoint is arXiv itself,
    /// whatever a saved copy says.
    pub fn effective_spacing(&self) -> Spacing {
        if below_arxiv_limit(&self.endpoint, self.spacing) {
            Spacing(ARXIV_MIN_SPACING_MS)
        } else {
            self.spacing
        }
    }

    pub fn query_options(&self) -> QueryOptions {
        QueryOptions {
            sort_by: self.sort_by,
            max_results: self.max_results,
        }
    }

    /// Sets the endpoint. Pointing it at arXiv raises a spacing below 3 s to 3 s.
    pub fn set_endpoint(&mut self, raw: &str) -> Result<(), SettingsError> {
        let endpoint = Endpoint::parse(raw)?;
        if below_arxiv_limit(&endpoint, self.spacing) {
            self.spacing = Spacing(ARXIV_MIN_SPACING_MS);
        }
        self.endpoint = endpoint;
        Ok(())
    }

    pub fn set_spacing(&mut self, raw: &str) -> Result<(), SettingsError> {
        let spacing = Spacing::parse_seconds(raw)?;
        if below_arxiv_limit(&self.endpoint, spacing) {
            return Err(SettingsError::SpacingBelowArxivLimit);
        }
        self.spacing = spacing;
        Ok(())
    }

    pub fn set_max_results(&mut self, raw: &str) -> Result<(), SettingsError> {
        let text = raw.trim();
        self.max_results = text.parse::<MaxResults>().map_err(|e| match e {
            MaxResultsError::NotANumber(_) => SettingsError::NotANumber(text.to_owned()),
            out_of_range => SettingsError::MaxResults(out_of_range),
        })?;
        Ok(())
    }

    pub fn set_sort_by(&mut self, raw: &str) -> Result<(), SettingsError> {
        self.sort_by = raw
            .trim()
            .parse()
            .map_err(|_| SettingsError::UnknownSort(raw.trim().to_owned()))?;
        Ok(())
    }

    pub fn set_link_style(&mut self, raw: &str) -> Result<(), SettingsError> {
        self.link_style = raw
            .trim()
            .parse()
            .map_err(|_| SettingsError::UnknownLinkStyle(raw.trim().to_owned()))?;
        Ok(())
    }

    pub fn set_categories(&mut self, raw: &str) -> Result<(), SettingsError> {
        self.categories = CategoryFilter::parse(raw).map_err(SettingsError::Categories)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_reference() {
        let s = Settings::default();
        assert_eq!(s.endpoint.as_str(), "/api/query");
        assert_eq!(s.spacing.millis(), 3_000);
        assert_eq!(s.max_results.get(), 100);
        assert_eq!(s.sort_by, SortBy::LastUpdatedDate);
        assert_eq!(s.link_style, LinkStyle::Abs);
        assert_eq!(s.categories.to_string(), "cs, stat");
    }

    #[test]
    fn endpoint_accepts_paths_and_http_urls() {
        let mut s = Settings::default();
        s.set_endpoint("  http://127.0.0.1:9000/api/query ")
            .unwrap();
        assert_eq!(s.endpoint.as_str(), "http://127.0.0.1:9000/api/query");
        s.set_endpoint("/proxy/arxiv?x=1").unwrap();
        assert_eq!(s.endpoint.as_str(), "/proxy/arxiv?x=1");
        assert_eq!(s.endpoint.host(), None);
    }

    #[test]
    fn bad_endpoint_is_refused_and_the_last_valid_one_kept() {
        let mut s = Settings::default();
        s.set_endpoint("https://papers.example/api/query").unwrap();
        for bad in [
            "",
            "   ",
            "ftp://x/y",
            "export.arxiv.org/api/query",
            "//cdn/x",
            "https://",
            "http://a b/",
        ] {
            let err = s.set_endpoint(bad).unwrap_err();
            assert!(!err.to_string().is_empty());
        }
        assert_eq!(s.endpoint.as_str(), "https://papers.example/api/query");
        assert_eq!(s.set_endpoint(""), Err(SettingsError::EmptyEndpoint));
    }

    #[test]
    fn arxiv_hosts_are_recognised() {
        for url in [
            "https://export.arxiv.org/api/query",
            "http://arxiv.org/api/query",
            "https://EXPORT.ARXIV.ORG:443/api/query",
            "https://user@export.arxiv.org/api/query",
            "https://export.arxiv.org./api/query",
        ] {
            assert!(Endpoint::parse(url).unwrap().is_arxiv(), "{url}");
        }
        for url in [
            "/api/query",
            "http://127.0.0.1:8081/api/query",
            "https://notarxiv.org/api/query",
            "https://arxiv.org.evil.example/api/query",
            "http://[::1]:8080/api/query",
        ] {
            assert!(!Endpoint::parse(url).unwrap().is_arxiv(), "{url}");
        }
    }

    #[test]
    fn spacing_is_read_in_seconds() {
        let mut s = Settings::default();
        s.set_spacing("2.5").unwrap();
        assert_eq!(s.spacing.millis(), 2_500);
        assert_eq!(s.spacing.to_string(), "2.5");
        s.set_spacing("0").unwrap();
        assert_eq!(s.spacing.millis(), 0);
        assert_eq!(s.spacing.to_string(), "0");
        s.set_spacing(" 10 ").unwrap();
        assert_eq!(s.spacing.to_string(), "10");
        s.set_spacing(".25").unwrap();
        assert_eq!(s.spacing.millis(), 250);
        s.set_spacing("3.").unwrap();
        assert_eq!(s.spacing.millis(), 3_000);
        s.set_spacing("0.0015").unwrap();
        assert_eq!(s.spacing.millis(), 1);
        s.set_spacing("007.5").unwrap();
        assert_eq!(s.spacing.to_string(), "7.5");
        s.set_spacing("600").unwrap();
        assert_eq!(s.spacing.millis(), 600_000);
    }

    #[test]
    fn bad_spacing_is_refused_and_the_last_valid_one_kept() {
        let mut s = Settings::default();
        s.set_spacing("4").unwrap();
        assert_eq!(
            s.set_spacing("soon"),
            Err(SettingsError::NotANumber("soon".into()))
        );
        assert_eq!(s.set_spacing("-1"), Err(SettingsError::SpacingOutOfRange));
        assert_eq!(
            s.set_spacing("NaN"),
            Err(SettingsError::NotANumber("NaN".into()))
        );
        assert_eq!(
            s.set_spacing("inf"),
            Err(SettingsError::NotANumber("inf".into()))
        );
        assert_eq!(
            s.set_spacing("1e3"),
            Err(SettingsError::NotANumber("1e3".into()))
        );
        assert_eq!(
            s.set_spacing("."),
            Err(SettingsError::NotANumber(".".into()))
        );
        assert_eq!(s.set_spacing(""), Err(SettingsError::NotANumber("".into())));
        assert_eq!(
            s.set_spacing("1.2.3"),
            Err(SettingsError::NotANumber("1.2.3".into()))
        );
        assert_eq!(s.set_spacing("601"), Err(SettingsError::SpacingOutOfRange));
        assert_eq!(
            s.set_spacing("600.001"),
            Err(SettingsError::SpacingOutOfRange)
        );
        assert_eq!(
            s.set_spacing("99999999999999999999999"),
            Err(SettingsError::SpacingOutOfRange)
        );
        assert_eq!(s.spacing.millis(), 4_000);
    }

    #[test]
    fn spacing_never_below_three_seconds_against_arxiv() {
        let mut s = Settings::default();
        s.set_spacing("1").unwrap();
        s.set_endpoint("https://export.arxiv.org/api/query")
            .unwrap();
        assert_eq!(s.spacing.millis(), 3_000, "raised when switching to arXiv");
        assert_eq!(
            s.set_spacing("2.9"),
            Err(SettingsError::SpacingBelowArxivLimit)
        );
        assert_eq!(s.spacing.millis(), 3_000);
        s.set_spacing("5").unwrap();
        assert_eq!(s.effective_spacing().millis(), 5_000);
    }

    #[test]
    fn effective_spacing_clamps_a_saved_copy_that_breaks_the_rule() {
        // A saved copy bypasses the setters; the spacing waited must still respect arXiv.
        let s = Settings {
            endpoint: Endpoint::parse("https://export.arxiv.org/api/query").unwrap(),
            spacing: Spacing::try_from(500).unwrap(),
            ..Settings::default()
        };
        assert_eq!(s.effective_spacing().millis(), 3_000);
        let local = Settings {
            spacing: Spacing::from_millis(500),
            ..Settings::default()
        };
        assert_eq!(local.effective_spacing().millis(), 500);
    }

    #[test]
    fn max_results_is_one_to_two_thousand() {
        let mut s = Settings::default();
        s.set_max_results(" 25 ").unwrap();
        assert_eq!(s.max_results.get(), 25);
        assert!(matches!(
            s.set_max_results("0"),
            Err(SettingsError::MaxResults(_))
        ));
        assert!(matches!(
            s.set_max_results("2001"),
            Err(SettingsError::MaxResults(_))
        ));
        assert_eq!(
            s.set_max_results("ten"),
            Err(SettingsError::NotANumber("ten".into()))
        );
        assert_eq!(
            s.set_max_results("-3"),
            Err(SettingsError::NotANumber("-3".into()))
        );
        assert_eq!(s.max_results.get(), 25);
        s.set_max_results("2000").unwrap();
        assert_eq!(s.query_options().max_results.get(), 2000);
    }

    #[test]
    fn sort_and_link_style_come_from_their_select_values() {
        let mut s = Settings::default();
        s.set_sort_by("relevance").unwrap();
        s.set_link_style("pdf").unwrap();
        assert_eq!(s.query_options().sort_by, SortBy::Relevance);
        assert_eq!(s.link_style, LinkStyle::Pdf);
        assert_eq!(
            s.set_sort_by("newest"),
            Err(SettingsError::UnknownSort("newest".into()))
        );
        assert_eq!(
            s.set_link_style("html"),
            Err(SettingsError::UnknownLinkStyle("html".into()))
        );
        assert_eq!(s.sort_by, SortBy::Relevance);
        assert_eq!(s.link_style, LinkStyle::Pdf);
    }

    #[test]
    fn categories_are_validated_and_the_last_valid_kept() {
        let mut s = Settings::default();
        s.set_categories("cs, math").unwrap();
        assert_eq!(s.categories.to_string(), "cs, math");
        assert!(matches!(
            s.set_categories(" , "),
            Err(SettingsError::Categories(_))
        ));
        assert_eq!(s.categories.to_string(), "cs, math");
    }

    #[test]
    fn every_refusal_reads_as_a_sentence() {
        let errors = [
            SettingsError::EmptyEndpoint,
            SettingsError::BadEndpoint("x".into()),
            SettingsError::NotANumber("x".into()),
            SettingsError::SpacingOutOfRange,
            SettingsError::SpacingBelowArxivLimit,
            SettingsError::UnknownSort("x".into()),
            SettingsError::UnknownLinkStyle("x".into()),
        ];
        for e in errors {
            let text = e.to_string();
            assert!(text.ends_with('.'), "{text}");
        }
    }
}
