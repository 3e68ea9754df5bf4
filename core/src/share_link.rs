//! A share link: the topics and settings (never papers) in the page address's fragment, as the
//! config file's JSON ([`crate::config`]) without spaces, base64url-encoded without padding
//! (`#share=…`). The fragment never leaves the browser (it is not sent to the server). Reading
//! one back goes through the config file's strict reader, so a damaged, truncated or hostile
//! fragment gets a message saying so, never a half-applied list.

use crate::config::Config;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use std::fmt;

/// What starts a share fragment (after the `#`).
pub const SHARE_PREFIX: &str = "share=";

/// The longest fragment read: about 12 KB of JSON, a few hundred topics. Longer ones are refused
/// before decoding (browsers and chat tools cut long addresses anyway).
pub const MAX_FRAGMENT: usize = 16_000;

/// Why a share fragment was not read; the `Display` text is for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    TooLong { length: usize },
    Damaged,
    Config(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::TooLong { length } => write!(
                f,
                "This share link is too long to be one ({length} characters; at most {MAX_FRAGMENT}). Nothing was changed."
            ),
            ShareError::Damaged => write!(
                f,
                "This share link is damaged or cut short: ask for it again. Nothing was changed."
            ),
            ShareError::Config(message) => write!(
                f,
                "This share link does not hold a valid list: {message} Nothing was changed."
            ),
        }
    }
}

impl std::error::Error for ShareError {}

/// The fragment (without `#`) that carries `config`.
pub fn share_fragment(config: &Config) -> String {
    format!(
        "{SHARE_PREFIX}{}",
        URL_SAFE_NO_PAD.encode(config.to_compact_json())
    )
}

/// The address of the list's Atom feed on the project's server (`/feed?list=…`, the share
/// link's list): on the page's own origin when its endpoint is same-origin (`/api/query`), else
/// on the endpoint's origin. `None` for an endpoint that is neither (it cannot serve a feed).
pub fn feed_address(endpoint: &str, page_origin: &str, config: &Config) -> Option<String> {
    let base = if endpoint.starts_with('/') && !endpoint.starts_with("//") {
        page_origin.trim_end_matches('/').to_owned()
    } else {
        let (scheme, rest) = endpoint.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if !matches!(scheme, "http" | "https") || authority.is_empty() {
            return None;
        }
        format!("{scheme}://{authority}")
    };
    let fragment = share_fragment(config);
    let list = fragment.strip_prefix(SHARE_PREFIX).unwrap_or(&fragment);
    Some(format!("{base}/feed?list={list}"))
}

/// Reads a page's fragment (with or without its `#`): `None` when it is not a share link at
/// all (the page then ignores it), else the config it holds or why it cannot be read.
pub fn read_share_fragment(fragment: &str) -> Option<Result<Config, ShareError>> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let encoded = fragment.strip_prefix(SHARE_PREFIX)?;
    Some(decode(encoded))
}

fn decode(encoded: &str) -> Result<Config, ShareError> {
    if encoded.len() > MAX_FRAGMENT {
        return Err(ShareError::TooLong {
            length: encoded.len(),
        });
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|_| ShareError::Damaged)?;
    let text = String::from_utf8(bytes).map_err(|_| ShareError::Damaged)?;
    Config::from_json(&text).map_err(|e| {
        // JSON cut short reads as "EOF while parsing": the link was truncated.
        if e.message.contains("EOF") {
            ShareError::Damaged
        } else {
            ShareError::Config(e.to_string())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_address_is_on_the_server_that_answers_the_page() {
        let config = config();
        let list = share_fragment(&config)["share=".len()..].to_owned();
        assert_eq!(
            feed_address("/api/query", "https://papers.example.org", &config).unwrap(),
            format!("https://papers.example.org/feed?list={list}")
        );
        assert_eq!(
            feed_address("https://api.example.org:8443/api/query", "https://me.github.io", &config)
                .unwrap(),
            format!("https://api.example.org:8443/feed?list={list}")
        );
        // The list in the address reads back as the same config.
        let address = feed_address("/api/query", "http://127.0.0.1:8080", &config).unwrap();
        let list = address.split_once("list=").unwrap().1;
        assert_eq!(read_share_fragment(&format!("share={list}")).unwrap().unwrap(), config);
        assert_eq!(feed_address("ftp://x/y", "https://a", &config), None);
        assert_eq!(feed_address("nonsense", "https://a", &config), None);
    }

    fn config() -> Config {
        let mut config = Config::starter();
        config.settings.set_max_results("25").unwrap();
        config.settings.set_link_style("pdf").unwrap();
        config
    }

    #[test]
    fn a_fragment_reads_back_as_the_same_topics_and_settings() {
        let config = config();
        let fragment = share_fragment(&config);
        assert!(fragment.starts_with("share="));
        assert!(fragment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "=-_".contains(c)));
        let back = read_share_fragment(&format!("#{fragment}"))
            .unwrap()
            .unwrap();
        assert_eq!(back.topics, config.topics);
        assert_eq!(back.settings.max_results, config.settings.max_results);
        assert_eq!(back.settings.link_style, config.settings.link_style);
    }

    /// The size cost: base64 adds a third to the JSON without spaces; the example list fits in
    /// a short link.
    #[test]
    fn the_example_list_makes_a_link_of_under_a_thousand_characters() {
        let config = Config::starter();
        let fragment = share_fragment(&config);
        let compact = config.to_compact_json();
        println!(
            "example list: {} bytes of JSON, fragment {} characters",
            compact.len(),
            fragment.len()
        );
        assert_eq!(
            fragment.len(),
            SHARE_PREFIX.len() + (compact.len() * 4).div_ceil(3)
        );
        assert!(fragment.len() < 1_000, "{}", fragment.len());
    }

    #[test]
    fn other_fragments_are_not_share_links() {
        assert_eq!(read_share_fragment(""), None);
        assert_eq!(read_share_fragment("#results"), None);
    }

    #[test]
    fn truncated_too_long_and_hostile_fragments_get_a_message() {
        let fragment = share_fragment(&config());
        let cut = &fragment[..fragment.len() - 7];
        assert_eq!(read_share_fragment(cut), Some(Err(ShareError::Damaged)));
        let long = format!("share={}", "A".repeat(MAX_FRAGMENT + 1));
        assert!(matches!(
            read_share_fragment(&long),
            Some(Err(ShareError::TooLong { .. }))
        ));
        assert_eq!(
            read_share_fragment("share=%3Cscript%3E"),
            Some(Err(ShareError::Damaged))
        );
        let hostile = URL_SAFE_NO_PAD.encode(r#"{"version":1,"topics":[{"name":""}]}"#);
        let Some(Err(ShareError::Config(message))) =
            read_share_fragment(&format!("share={hostile}"))
        else {
            panic!("an empty topic name is refused");
        };
        assert!(message.contains("topics[0]"), "{message}");
    }
}
