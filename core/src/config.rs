//! The config file `daily-papers.json`: the topics and settings that the app exports and the
//! command-line tool reads every morning. Pure Rust; the README's "The config file" section
//! documents the format for users.
//!
//! Reading is strict: an unknown field, a wrong type or a refused value is an error that names
//! the field by its path (`settings.max_results: …`, `topics[2].categories: …`), so a typo is
//! never silently ignored. Values go through the app's own checks ([`Topic::new`] and the
//! [`Settings`] setters), so the file accepts exactly what the app's forms accept.
//!
//! JSON has no comments. A `"_comment"` field (any JSON value: a string or a list of lines) is
//! accepted and ignored at the top level, in `settings` and nowhere else; `init` writes its
//! explanations there.
//!
//! The reader's read and saved marks ([`Marks`]) go into the file only when the export is asked
//! to carry them (`"marks"`, after the settings); a share link never carries them. A file with
//! marks is read by the command-line tool too, which has no use for them and ignores them.

use crate::digest::ImportedReadme;
use crate::library::marks::Marks;
use crate::settings::{Settings, Spacing};
use crate::topics::{Topic, TopicError, TopicField, TopicParts};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The format version this code reads and writes.
pub const CONFIG_VERSION: u32 = 1;
/// The file's usual name.
pub const CONFIG_FILE: &str = "daily-papers.json";

/// What to write above the first topic of the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeaderMode {
    /// The existing README's own header, with only its `Last update:` date changed (the
    /// reference's header when there is no README yet).
    #[default]
    Keep,
    /// Always the reference's header.
    Reference,
}

/// A config file, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub topics: Vec<Topic>,
    /// The settings; `settings.endpoint` is the file's endpoint when [`Config::endpoint_given`].
    pub settings: Settings,
    /// True when the file names an endpoint (otherwise the tool asks arXiv's API).
    pub endpoint_given: bool,
    /// The repository's web address, linked from the issue digest.
    pub repo_url: Option<String>,
    pub readme_header: HeaderMode,
    /// The read and saved marks, when the export was asked to carry them.
    pub marks: Option<Marks>,
}

/// Why a config file was refused: `path` names the field (empty for the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || self.path == "." {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

fn error(path: impl Into<String>, message: impl fmt::Display) -> ConfigError {
    ConfigError {
        path: path.into(),
        message: message.to_string(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileForm {
    version: u32,
    #[serde(rename = "_comment", default)]
    _comment: Option<IgnoredAny>,
    topics: Vec<TopicParts>,
    #[serde(default)]
    settings: Option<SettingsForm>,
    /// Read apart ([`MarksInFile`]), by the reader the stored marks already use.
    #[serde(default)]
    marks: Option<IgnoredAny>,
}

/// The file's marks alone, every other field skipped. The marks are read (and written, see
/// [`Config::to_json`]) by the same serde_json code as the marks the page stores, not through the
/// config's own reader: each reader of a saved paper adds to the page's download.
#[derive(Deserialize)]
struct MarksInFile {
    #[serde(default)]
    marks: Option<Marks>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SettingsForm {
    #[serde(rename = "_comment", default)]
    _comment: Option<IgnoredAny>,
    #[serde(default)]
    max_results: Option<u32>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    link_style: Option<String>,
    #[serde(default)]
    categories: Option<Vec<String>>,
    #[serde(default)]
    spacing_seconds: Option<serde_json::Number>,
    #[serde(default)]
    endpoint: Option<String>,
    #[serde(default)]
    repo_url: Option<String>,
    #[serde(default)]
    readme_header: Option<HeaderMode>,
}

/// The JSON key of a topic field.
fn topic_key(field: TopicField) -> &'static str {
    match field {
        TopicField::Name => "name",
        TopicField::Phrases => "phrases",
        TopicField::Exclude => "exclude",
        TopicField::Authors => "authors",
        TopicField::Categories => "categories",
    }
}

fn topic_error(index: usize, e: &TopicError) -> ConfigError {
    match e {
        TopicError::Entry { field, number, .. } => error(
            format!(
                "topics[{index}].{}[{}]",
                topic_key(*field),
                number.saturating_sub(1)
            ),
            e,
        ),
        // The path already names the field: the category's own message, not "Categories: …".
        TopicError::Category(inner) => error(format!("topics[{index}].categories"), inner),
        other => error(
            format!("topics[{index}].{}", topic_key(other.field())),
            other,
        ),
    }
}

/// True for an `http(s)://host/...` address.
fn is_web_address(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

impl Config {
    /// Reads a config file's text; see the module documentation.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let form: FileForm = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            error(path, e.into_inner())
        })?;
        deserializer
            .end()
            .map_err(|e| error("", format!("text after the config's closing brace ({e})")))?;
        if form.version != CONFIG_VERSION {
            return Err(error(
                "version",
                format!(
                    "this file is format version {}; this program reads version {CONFIG_VERSION}.",
                    form.version
                ),
            ));
        }
        let mut topics: Vec<Topic> = Vec::with_capacity(form.topics.len());
        for (i, parts) in form.topics.into_iter().enumerate() {
            let topic = Topic::new(parts).map_err(|e| topic_error(i, &e))?;
            if let Some(first) = topics
                .iter()
                .position(|t| t.name().same_as(topic.name().as_str()))
            {
                return Err(error(
                    format!("topics[{i}].name"),
                    format!(
                        "\u{201c}{}\u{201d} is already the name of topics[{first}]; each topic is one README section, so names must differ.",
                        topic.name()
                    ),
                ));
            }
            topics.push(topic);
        }
        let marks_in_file = match form.marks {
            None => None,
            Some(_) => serde_json::from_str::<MarksInFile>(text)
                .map_err(|e| error("marks", e))?
                .marks,
        };
        let form = form.settings.unwrap_or_default();
        let mut settings = Settings::default();
        let field = |name: &str| format!("settings.{name}");
        if let Some(endpoint) = &form.endpoint {
            settings
                .set_endpoint(endpoint)
                .map_err(|e| error(field("endpoint"), e))?;
        }
        if let Some(n) = form.max_results {
            settings
                .set_max_results(&n.to_string())
                .map_err(|e| error(field("max_results"), e))?;
        }
        if let Some(sort) = &form.sort {
            settings
                .set_sort_by(sort)
                .map_err(|e| error(field("sort"), e))?;
        }
        if let Some(style) = &form.link_style {
            settings
                .set_link_style(style)
                .map_err(|e| error(field("link_style"), e))?;
        }
        if let Some(categories) = &form.categories {
            settings
                .set_categories(&categories.join(","))
                .map_err(|e| error(field("categories"), e))?;
        }
        if let Some(seconds) = &form.spacing_seconds {
            settings
                .set_spacing(&seconds.to_string())
                .map_err(|e| error(field("spacing_seconds"), e))?;
        }
        if let Some(url) = &form.repo_url {
            if !is_web_address(url) {
                return Err(error(
                    field("repo_url"),
                    format!("\u{201c}{url}\u{201d} is not a web address; write it like https://github.com/owner/repository."),
                ));
            }
        }
        Ok(Config {
            topics,
            settings,
            endpoint_given: form.endpoint.is_some(),
            repo_url: form.repo_url,
            readme_header: form.readme_header.unwrap_or_default(),
            marks: marks_in_file,
        })
    }

    /// The config of an imported README: its topics (name and only phrase: the query the
    /// reference sent for that heading) and the settings it shows.
    pub fn from_import(imported: &ImportedReadme) -> Config {
        // The spacing is the app's default, 3 s: arXiv's limit (the reference slept 5 s).
        let settings = Settings {
            max_results: imported.max_results,
            sort_by: imported.sort_by,
            link_style: imported.link_style,
            ..Settings::default()
        };
        Config {
            topics: imported
                .sections
                .iter()
                .map(|s| Topic::from_keyword(s.name.clone()))
                .collect(),
            settings,
            endpoint_given: false,
            repo_url: None,
            readme_header: HeaderMode::Keep,
            marks: None,
        }
    }

    /// The file's text: pretty-printed JSON with a trailing line end. `comments` adds the
    /// `_comment` fields that explain each setting (what `init` writes).
    pub fn to_json(&self, comments: bool) -> String {
        let mut text =
            serde_json::to_string_pretty(&self.file_out(comments)).unwrap_or_default();
        // The marks last, on one line, written as the page stores them (see [`MarksInFile`]).
        if let Some(marks) = &self.marks {
            if text.ends_with("\n}") {
                text.truncate(text.len() - 2);
                text.push_str(",\n  \"marks\": ");
                text.push_str(&marks.to_json());
                text.push_str("\n}");
            }
        }
        text.push('\n');
        text
    }

    /// The file's JSON without comments, spaces or line ends (what a share link carries: never
    /// the marks).
    pub fn to_compact_json(&self) -> String {
        serde_json::to_string(&self.file_out(false)).unwrap_or_default()
    }

    fn file_out(&self, comments: bool) -> FileOut<'_> {
        let s = &self.settings;
        FileOut {
            comment: comments.then_some(TOP_COMMENT),
            version: CONFIG_VERSION,
            topics: &self.topics,
            settings: SettingsOut {
                comment: comments.then_some(SETTINGS_COMMENT),
                max_results: s.max_results.get(),
                sort: s.sort_by.as_str(),
                link_style: s.link_style.as_str(),
                categories: s.categories.prefixes(),
                spacing_seconds: spacing_number(s.spacing),
                // A same-origin path (the app's default) means nothing to the tool.
                endpoint: (self.endpoint_given && s.endpoint.host().is_some())
                    .then(|| s.endpoint.as_str()),
                repo_url: self.repo_url.as_deref(),
                readme_header: self.readme_header,
            },
        }
    }

    /// The topics as a list with ids 1, 2, 3, … in the file's order (the file refuses two
    /// topics with one name, so none is dropped).
    pub fn topic_list(&self) -> crate::topics::TopicList {
        let mut list = crate::topics::TopicList::default();
        for topic in &self.topics {
            let _ = list.push(topic.clone());
        }
        list
    }

    /// The starting config of `init`: the app's example topics and the reference's settings,
    /// with comments.
    pub fn starter() -> Config {
        Config {
            topics: crate::topics::TopicList::examples()
                .topics()
                .cloned()
                .collect(),
            settings: Settings::default(),
            endpoint_given: false,
            repo_url: None,
            readme_header: HeaderMode::Keep,
            marks: None,
        }
    }
}

/// The file as written, fields in the order a reader expects them.
#[derive(Serialize)]
struct FileOut<'a> {
    #[serde(rename = "_comment", skip_serializing_if = "Option::is_none")]
    comment: Option<&'a [&'a str]>,
    version: u32,
    topics: &'a [Topic],
    settings: SettingsOut<'a>,
}

#[derive(Serialize)]
struct SettingsOut<'a> {
    #[serde(rename = "_comment", skip_serializing_if = "Option::is_none")]
    comment: Option<&'a [&'a str]>,
    max_results: u32,
    sort: &'a str,
    link_style: &'a str,
    categories: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spacing_seconds: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repo_url: Option<&'a str>,
    readme_header: HeaderMode,
}

/// The spacing in seconds as a JSON number (`3`, `2.5`).
fn spacing_number(spacing: Spacing) -> Option<serde_json::Number> {
    let ms = spacing.millis();
    if ms.is_multiple_of(1000) {
        Some(serde_json::Number::from(ms / 1000))
    } else {
        serde_json::Number::from_f64(f64::from(ms) / 1000.0)
    }
}

const TOP_COMMENT: &[&str] = &[
    "The Daily Papers config (format version 1). Fields named _comment are ignored.",
    "topics: one README section each, in order. name is the section's heading; phrases (any",
    "matches), exclude (drops a paper), authors (any), categories (cs, cs.CV, ...) are optional,",
    "but a topic needs at least one phrase or one author.",
];

const SETTINGS_COMMENT: &[&str] = &[
    "max_results: papers asked per topic (1-2000). sort: lastUpdatedDate, relevance or submittedDate.",
    "link_style: abs (abstract pages) or pdf. categories: arXiv archives a paper must be in.",
    "spacing_seconds: wait between requests (at least 3 toward arXiv, whatever is written here).",
    "endpoint (optional): where queries go; arXiv's API when absent.",
    "repo_url (optional): linked from the issue digest; in GitHub Actions GITHUB_REPOSITORY is used.",
    "readme_header: keep (the README's own header, new date) or reference (the reference's header).",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> String {
        Config::from_json(text).unwrap_err().to_string()
    }

    #[test]
    fn marks_go_into_the_file_only_when_asked_and_come_back() {
        use crate::arxiv::Paper;
        let mut config = Config::starter();
        let without = config.to_json(false);
        assert!(!without.contains("\"marks\""), "{without}");
        assert_eq!(Config::from_json(&without).unwrap().marks, None);

        let mut marks = Marks::default();
        marks.set_read("http://arxiv.org/abs/2612.00001v1", true);
        marks.set_saved(
            &Paper {
                id: "http://arxiv.org/abs/2612.00002v1".into(),
                title: "A saved paper".into(),
                ..Paper::default()
            },
            true,
        );
        config.marks = Some(marks.clone());
        let with = config.to_json(false);
        assert!(with.contains("\"marks\""), "{with}");
        let back = Config::from_json(&with).unwrap();
        assert_eq!(back.marks, Some(marks));
        assert_eq!(back.topics, config.topics);
        // A share link never carries them.
        assert!(!config.to_compact_json().contains("marks"));
        // Marks that do not read are refused with their path.
        let bad = with.replacen("\"read\"", "\"unread\"", 1);
        let e = Config::from_json(&bad).unwrap_err();
        assert!(e.path.starts_with("marks"), "{e}");
    }

    #[test]
    fn the_compact_form_is_the_file_without_its_comments_and_spaces() {
        let config = Config::starter();
        let compact = config.to_compact_json();
        assert!(
            !compact.contains('\n') && !compact.contains(": ") && !compact.contains("_comment")
        );
        let value = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(value(&compact), value(&config.to_json(false)));
        let back = Config::from_json(&compact).unwrap();
        assert_eq!(back.to_json(false), config.to_json(false));
    }

    #[test]
    fn a_minimal_file_takes_the_defaults() {
        let c = Config::from_json(r#"{"version": 1, "topics": [{"name": "Time Series"}]}"#)
            .unwrap_err();
        // A topic needs a phrase or an author: the name alone is not a search.
        assert_eq!(c.path, "topics[0].phrases");
        let c = Config::from_json(
            r#"{"version": 1, "topics": [{"name": "TS", "phrases": ["Time Series"]}]}"#,
        )
        .unwrap();
        assert_eq!(c.settings, Settings::default());
        assert!(!c.endpoint_given);
        assert_eq!(c.readme_header, HeaderMode::Keep);
        assert_eq!(c.topics[0].name().as_str(), "TS");
    }

    #[test]
    fn every_bad_field_is_named() {
        let base = |settings: &str| {
            format!(
                r#"{{"version": 1, "topics": [{{"name": "A", "phrases": ["A"]}}], "settings": {{{settings}}}}}"#
            )
        };
        assert!(refused(&base(r#""max_results": 0"#)).starts_with("settings.max_results: "));
        assert!(refused(&base(r#""max_results": "ten""#))
            .starts_with("settings.max_results: invalid type"));
        assert!(refused(&base(r#""sort": "newest""#))
            .starts_with("settings.sort: \u{201c}newest\u{201d}"));
        assert!(refused(&base(r#""link_style": "html""#)).starts_with("settings.link_style: "));
        assert!(refused(&base(r#""categories": ["c s"]"#)).starts_with("settings.categories: "));
        assert!(
            refused(&base(r#""spacing_seconds": -1"#)).starts_with("settings.spacing_seconds: ")
        );
        assert!(refused(&base(
            r#""endpoint": "https://export.arxiv.org/api/query", "spacing_seconds": 1"#
        ))
        .starts_with("settings.spacing_seconds: arXiv allows"));
        assert!(refused(&base(r#""endpoint": "ftp://x""#)).starts_with("settings.endpoint: "));
        assert!(
            refused(&base(r#""repo_url": "github.com/o/r""#)).starts_with("settings.repo_url: ")
        );
        assert!(
            refused(&base(r#""readme_header": "custom""#)).starts_with("settings.readme_header: ")
        );
        assert!(refused(&base(r#""colour": "red""#))
            .starts_with("settings.colour: unknown field `colour`, expected one of"));
        assert!(refused(r#"{"version": 2, "topics": []}"#)
            .starts_with("version: this file is format version 2"));
        assert!(refused(r#"{"topics": []}"#).contains("missing field `version`"));
        let topics = r#"{"version": 1, "topics": [{"name": "A", "phrases": ["A"]}, {"name": "B", "phrases": ["B"]}, {"name": "C", "phrases": ["C"], "categories": ["zzz"]}]}"#;
        let text = refused(topics);
        assert!(
            text.starts_with("topics[2].categories: \u{201c}zzz\u{201d} is not an arXiv"),
            "{text}"
        );
        assert!(text.contains("zzz"), "{text}");
        let dup = r#"{"version": 1, "topics": [{"name": "A", "phrases": ["A"]}, {"name": "a", "phrases": ["B"]}]}"#;
        assert!(refused(dup).starts_with("topics[1].name: "));
        let unknown = r#"{"version": 1, "topics": [{"name": "A", "phrase": ["A"]}]}"#;
        assert!(
            refused(unknown).starts_with("topics[0].phrase: unknown field `phrase`"),
            "{}",
            refused(unknown)
        );
        let long = format!(
            r#"{{"version": 1, "topics": [{{"name": "A", "phrases": ["A", "{}"]}}]}}"#,
            "x".repeat(201)
        );
        assert!(refused(&long).starts_with("topics[0].phrases[1]: "));
        assert!(refused("{").contains("EOF"));
    }

    #[test]
    fn written_configs_read_back_the_same_with_or_without_comments() {
        let mut c = Config::starter();
        c.settings
            .set_endpoint("http://127.0.0.1:8081/api/query")
            .unwrap();
        c.settings.set_spacing("0.3").unwrap();
        c.settings.set_link_style("pdf").unwrap();
        c.settings.set_categories("cs, math").unwrap();
        c.endpoint_given = true;
        c.repo_url = Some("https://github.com/o/r".into());
        c.readme_header = HeaderMode::Reference;
        for comments in [false, true] {
            let text = c.to_json(comments);
            assert_eq!(Config::from_json(&text).unwrap(), c, "{text}");
            assert_eq!(text.contains("_comment"), comments);
        }
        assert!(c.to_json(false).contains("\"spacing_seconds\": 0.3"));
        let starter = Config::starter().to_json(true);
        assert!(!starter.contains("endpoint\""), "{starter}");
        assert_eq!(Config::from_json(&starter).unwrap(), Config::starter());
    }
}
