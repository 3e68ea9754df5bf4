//! Moving in from the tools people leave: cv-arxiv-daily's `config.yaml` (and its forks'), and
//! daily-arXiv-ai-enhanced's `config.yaml` with the keyword and author lists its settings page
//! copies ("Copy keywords", "Copy authors": the entries joined by commas).
//!
//! The shapes are plain serde types, so the caller reads the YAML with the library of its choice
//! (the command-line tool uses `serde_norway`) and this module decides what becomes of each
//! field. Every field is either taken (and said so) or named as not taken, with the reason: a
//! user moving in must be able to see that nothing was silently dropped.

use crate::config::{Config, HeaderMode};
use crate::settings::Settings;
use crate::topics::{Topic, TopicParts};
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;

/// cv-arxiv-daily's `config.yaml`: keyword groups, each with the phrases ("filters") it
/// searches; the repository it publishes to; how many papers per keyword.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CvArxivDaily {
    /// In the file's order (a YAML mapping is ordered; the README's sections follow it).
    #[serde(default, deserialize_with = "ordered_groups")]
    pub keywords: Vec<(String, KeywordGroup)>,
    #[serde(default)]
    pub max_results: Option<u64>,
    #[serde(default)]
    pub user_name: Option<String>,
    #[serde(default)]
    pub repo_name: Option<String>,
    /// Everything else (`base_url`, `show_badge`, `publish_*`, …), named in the report.
    #[serde(flatten)]
    pub other: BTreeMap<String, IgnoredAny>,
}

/// One keyword group of cv-arxiv-daily.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct KeywordGroup {
    #[serde(default)]
    pub filters: Vec<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, IgnoredAny>,
}

/// daily-arXiv-ai-enhanced's `daily_arxiv/config.yaml`: the arXiv categories it takes every new
/// paper of, and the language model that summarises them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AiEnhancedConfig {
    #[serde(default)]
    pub arxiv: Option<AiEnhancedArxiv>,
    #[serde(flatten)]
    pub other: BTreeMap<String, IgnoredAny>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AiEnhancedArxiv {
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, IgnoredAny>,
}

/// A group as forks write it: `filters: [...]` (cv-arxiv-daily), or the phrases themselves as a
/// list or a single string, or nothing (the group's name is then its phrase).
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a keyword group: `filters: [phrases]`, a list of phrases, or one phrase"
)]
enum GroupForm {
    Group(KeywordGroup),
    Phrases(Vec<String>),
    One(String),
    Nothing(()),
}

impl From<GroupForm> for KeywordGroup {
    fn from(form: GroupForm) -> KeywordGroup {
        match form {
            GroupForm::Group(group) => group,
            GroupForm::Phrases(filters) => KeywordGroup {
                filters,
                ..KeywordGroup::default()
            },
            GroupForm::One(phrase) => KeywordGroup {
                filters: vec![phrase],
                ..KeywordGroup::default()
            },
            GroupForm::Nothing(()) => KeywordGroup::default(),
        }
    }
}

fn ordered_groups<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<(String, KeywordGroup)>, D::Error> {
    struct Groups;
    impl<'de> Visitor<'de> for Groups {
        type Value = Vec<(String, KeywordGroup)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("keyword groups: a name, then `filters: [phrases]`")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut groups = Vec::new();
            while let Some(name) = map.next_key::<String>()? {
                // The group's name in the message: the library's says only what was expected.
                let group = map.next_value::<GroupForm>().map_err(|e| {
                    serde::de::Error::custom(format!(
                        "keywords: group \u{201c}{name}\u{201d}: expected {e}"
                    ))
                })?;
                groups.push((name, group.into()));
            }
            Ok(groups)
        }
    }
    deserializer.deserialize_any(Groups)
}

/// A list as daily-arXiv-ai-enhanced copies it: entries joined by commas (line breaks are
/// accepted too), trimmed, empty ones and repeats left out.
pub fn read_list(text: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for entry in text.split([',', '\n', '\r']).map(str::trim) {
        if !entry.is_empty() && !entries.iter().any(|e| e.eq_ignore_ascii_case(entry)) {
            entries.push(entry.to_owned());
        }
    }
    entries
}

/// Whether a file of this name is read as YAML (a `config.yaml`); any other file is a list as
/// daily-arXiv-ai-enhanced copies it. Both shells decide by this, so a file gives the same topics
/// on the page as with `init --from`.
pub fn is_yaml_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Why a YAML file gave nothing to move in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakeError {
    /// It has `keywords:` but they are not cv-arxiv-daily's shape.
    CvArxivDaily(String),
    /// It has `arxiv:` but not daily-arXiv-ai-enhanced's shape.
    AiEnhanced(String),
    /// A mapping that is neither tool's config.
    Unknown,
    /// The YAML reader's output was not JSON (a bug of the reader, named rather than hidden).
    Unreadable(String),
}

impl fmt::Display for TakeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            TakeError::CvArxivDaily(e) => write!(f, "cv-arxiv-daily config: {e}"),
            TakeError::AiEnhanced(e) => write!(f, "daily-arXiv-ai-enhanced config: {e}"),
            TakeError::Unreadable(e) => write!(f, "the YAML could not be read: {e}"),
            TakeError::Unknown => f.write_str(
                "neither a cv-arxiv-daily config (it has `keywords:`) nor a daily-arXiv-ai-enhanced one (it has `arxiv: categories:`), nor a keyword list.",
            ),
        }
    }
}

/// The page moves in through a module of its own (`yaml-reader/`), loaded only when these files
/// are chosen, so neither the YAML library nor this module's readers are in the download every
/// visitor gets. It runs as a Web Worker: it says [`YAML_READER_READY`] once it listens, is then
/// sent a [`MoveInRequest`] and answers a [`MoveInAnswer`], both as JSON.
pub const YAML_READER_READY: &str = "ready";

/// The files a user chose: each `(name, text)` config or keyword list, then the author lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct MoveInRequest {
    pub files: Vec<(String, String)>,
    pub authors: Vec<String>,
}

/// What [`move_in_from`] made of a [`MoveInRequest`]: the config file's text (`None` when no
/// topic came of it) with what was taken and not, or why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub enum MoveInAnswer {
    Done {
        config: Option<String>,
        taken: Vec<String>,
        not_taken: Vec<String>,
    },
    Refused(String),
}

impl MoveInRequest {
    pub fn to_message(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The page's message read back; `None` for anything else.
    pub fn from_message(message: &str) -> Option<MoveInRequest> {
        serde_json::from_str(message).ok()
    }
}

impl MoveInAnswer {
    /// The answer for what [`move_in_from`] gave.
    pub fn of(moved: Result<MoveIn, MoveInError>) -> MoveInAnswer {
        match moved {
            Ok(moving) => MoveInAnswer::Done {
                config: moving.config().map(|c| c.to_json(false)),
                taken: moving.taken,
                not_taken: moving.not_taken,
            },
            Err(e) => MoveInAnswer::Refused(e.to_string()),
        }
    }

    pub fn to_message(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The worker's message read back; `None` for anything else.
    pub fn from_message(message: &str) -> Option<MoveInAnswer> {
        serde_json::from_str(message).ok()
    }
}

/// Why a file was refused, naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveInError {
    NotYaml { file: String, why: String },
    Take { file: String, error: TakeError },
}

impl fmt::Display for MoveInError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            MoveInError::NotYaml { file, why } => write!(f, "{file}: {why}"),
            MoveInError::Take { file, error } => write!(f, "{file}: {error}"),
        }
    }
}

/// Moving in from these files, as `init --from FILE… --from-authors FILE…` and the page's import
/// both do: each `(name, text)` of `files` is a YAML config (or YAML list) when its name says so
/// ([`is_yaml_name`]) and a copied keyword list otherwise; then each author list. `yaml_to_json`
/// is the shell's YAML reader ([`yaml_to_json`] with the `yaml` feature).
pub fn move_in_from(
    files: &[(String, String)],
    authors: &[String],
    yaml_to_json: impl Fn(&str) -> Result<String, String>,
) -> Result<MoveIn, MoveInError> {
    let mut moving = MoveIn::default();
    for (name, text) in files {
        if !is_yaml_name(name) {
            moving.keyword_list(text);
            continue;
        }
        let json = yaml_to_json(text).map_err(|why| MoveInError::NotYaml {
            file: name.clone(),
            why,
        })?;
        moving.take_yaml(&json).map_err(|error| MoveInError::Take {
            file: name.clone(),
            error,
        })?;
    }
    for text in authors {
        moving.author_list(text);
    }
    Ok(moving)
}

/// A YAML document as JSON text, in the file's order (what [`MoveIn::take_yaml`] reads), or why it
/// is not YAML. Only with the `yaml` feature (the command-line tool and the page's YAML reader):
/// the page's own module has no YAML library.
#[cfg(feature = "yaml")]
pub fn yaml_to_json(text: &str) -> Result<String, String> {
    let value = serde_norway::from_str::<serde_norway::Value>(text)
        .map_err(|e| format!("not YAML: {e}"))?;
    // JSON carries no key that is not a string or a number (a list as a key, say): named.
    serde_json::to_string(&value).map_err(|e| format!("not YAML Daily Papers can read: {e}"))
}

/// What moving in gathered, and what it says about it.
#[derive(Debug, Clone, Default)]
pub struct MoveIn {
    topics: Vec<Topic>,
    settings: Settings,
    repo_url: Option<String>,
    /// One line per thing taken ("3 topics from the keyword groups …").
    pub taken: Vec<String>,
    /// One line per thing not taken, with why.
    pub not_taken: Vec<String>,
}

impl MoveIn {
    /// Adds a topic, or says why not (a topic of that name already there, a phrase the arXiv
    /// query cannot carry).
    fn add(&mut self, parts: TopicParts, from: &str) -> bool {
        let name = parts.name.clone();
        if self
            .topics
            .iter()
            .any(|t| t.name().as_str().eq_ignore_ascii_case(name.trim()))
        {
            self.not_taken.push(format!(
                "{from} \u{201c}{name}\u{201d}: a topic of that name is already taken."
            ));
            return false;
        }
        match Topic::new(parts) {
            Ok(topic) => {
                self.topics.push(topic);
                true
            }
            Err(e) => {
                self.not_taken
                    .push(format!("{from} \u{201c}{name}\u{201d}: {e}"));
                false
            }
        }
    }

    fn not_taken_fields(&mut self, file: &str, fields: impl Iterator<Item = String>, why: &str) {
        let fields: Vec<String> = fields.collect();
        if !fields.is_empty() {
            self.not_taken
                .push(format!("{file}: {} ({why}).", fields.join(", ")));
        }
    }

    /// cv-arxiv-daily: each keyword group becomes a topic whose phrases are its filters.
    pub fn cv_arxiv_daily(&mut self, config: CvArxivDaily) {
        let file = "cv-arxiv-daily config";
        let mut added = 0;
        let mut phrases = 0;
        for (name, group) in config.keywords {
            let count = group.filters.len();
            let filters = if group.filters.is_empty() {
                // A group without filters searched its own name.
                vec![name.clone()]
            } else {
                group.filters
            };
            if self.add(
                TopicParts {
                    name: name.clone(),
                    phrases: filters,
                    ..TopicParts::default()
                },
                "keyword group",
            ) {
                added += 1;
                phrases += count.max(1);
            }
            self.not_taken_fields(
                &format!("{file}, keyword group \u{201c}{name}\u{201d}"),
                group.other.into_keys(),
                "not a setting Daily Papers has",
            );
        }
        self.taken.push(format!(
            "{added} topic{} with {phrases} phrase{} from the keyword groups (searched in titles, where cv-arxiv-daily searched every field)",
            plural(added),
            plural(phrases)
        ));
        if let Some(n) = config.max_results {
            match u32::try_from(n)
                .ok()
                .and_then(|n| crate::arxiv::MaxResults::new(n).ok())
            {
                Some(max) => {
                    self.settings.max_results = max;
                    self.taken
                        .push(format!("max_results: {n} papers per topic"));
                }
                None => self
                    .not_taken
                    .push(format!("{file}: max_results {n} (arXiv allows 1 to 2000).")),
            }
        }
        match (config.user_name, config.repo_name) {
            (Some(user), Some(repo)) if !user.trim().is_empty() && !repo.trim().is_empty() => {
                let url = format!("https://github.com/{}/{}", user.trim(), repo.trim());
                self.taken.push(format!(
                    "the repository {url} (the issue digest links to it)"
                ));
                self.repo_url = Some(url);
            }
            (None, None) => {}
            _ => self.not_taken.push(format!(
                "{file}: user_name and repo_name (both are needed to name the repository)."
            )),
        }
        self.not_taken_fields(
            file,
            config.other.into_keys(),
            "paperswithcode links, badges and publishing targets are not what Daily Papers writes",
        );
    }

    /// daily-arXiv-ai-enhanced's config: its categories become the allowed-category setting.
    pub fn ai_enhanced_config(&mut self, config: AiEnhancedConfig) {
        let file = "daily-arXiv-ai-enhanced config";
        if let Some(arxiv) = config.arxiv {
            if !arxiv.categories.is_empty() {
                let joined = arxiv.categories.join(", ");
                match self.settings.set_categories(&joined) {
                    Ok(()) => self.taken.push(format!(
                        "categories {joined}: only papers in them are kept (daily-arXiv-ai-enhanced listed every new paper of them; Daily Papers needs topics: add its keyword or author list)"
                    )),
                    Err(e) => self.not_taken.push(format!("{file}: categories: {e}")),
                }
            }
            self.not_taken_fields(
                &format!("{file}, arxiv"),
                arxiv.other.into_keys(),
                "not a setting Daily Papers has",
            );
        }
        self.not_taken_fields(
            file,
            config.other.into_keys(),
            "Daily Papers writes no summaries, so it has no language model to set",
        );
    }

    /// daily-arXiv-ai-enhanced's copied keyword list: one topic per keyword.
    pub fn keyword_list(&mut self, text: &str) {
        let entries = read_list(text);
        let added = entries
            .into_iter()
            .filter(|k| {
                self.add(
                    TopicParts {
                        name: k.clone(),
                        phrases: vec![k.clone()],
                        ..TopicParts::default()
                    },
                    "keyword",
                )
            })
            .count();
        self.taken.push(format!(
            "{added} topic{} from the keyword list",
            plural(added)
        ));
    }

    /// daily-arXiv-ai-enhanced's copied author list: one topic per author, following their
    /// papers.
    pub fn author_list(&mut self, text: &str) {
        let entries = read_list(text);
        let added = entries
            .into_iter()
            .filter(|a| {
                self.add(
                    TopicParts {
                        name: a.clone(),
                        authors: vec![a.clone()],
                        ..TopicParts::default()
                    },
                    "author",
                )
            })
            .count();
        self.taken.push(format!(
            "{added} author topic{} from the author list",
            plural(added)
        ));
    }

    /// One YAML file, as the shell's YAML library wrote it out in JSON (the page's YAML reader
    /// gives the same): a cv-arxiv-daily config (it has `keywords:`), a daily-arXiv-ai-enhanced
    /// config (`arxiv:`), or a keyword list (a YAML list or one string). JSON text rather than
    /// a `serde_json::Value`, whose maps are sorted: the keyword groups keep the file's order.
    pub fn take_yaml(&mut self, json: &str) -> Result<(), TakeError> {
        use serde_json::Value;
        let document: Value =
            serde_json::from_str(json).map_err(|e| TakeError::Unreadable(e.to_string()))?;
        let has = |key: &str| document.as_object().is_some_and(|m| m.contains_key(key));
        if has("keywords") {
            let config: CvArxivDaily = serde_json::from_str(json)
                .map_err(|e| TakeError::CvArxivDaily(e.to_string()))?;
            self.cv_arxiv_daily(config);
        } else if has("arxiv") {
            let config: AiEnhancedConfig = serde_json::from_str(json)
                .map_err(|e| TakeError::AiEnhanced(e.to_string()))?;
            self.ai_enhanced_config(config);
        } else {
            match document {
                Value::Array(list) => {
                    let entries: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
                    self.keyword_list(&entries.join("\n"));
                }
                Value::String(text) => self.keyword_list(&text),
                Value::Null => self.keyword_list(""),
                _ => return Err(TakeError::Unknown),
            }
        }
        Ok(())
    }

    /// The config file to write, or `None` when nothing gave a topic.
    pub fn config(&self) -> Option<Config> {
        (!self.topics.is_empty()).then(|| Config {
            topics: self.topics.clone(),
            settings: self.settings.clone(),
            endpoint_given: false,
            repo_url: self.repo_url.clone(),
            readme_header: HeaderMode::default(),
            marks: None,
        })
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_as_daily_arxiv_ai_enhanced_copies_them() {
        assert_eq!(
            read_list(" diffusion model,LLM , ,llm,\nRetrieval-Augmented Generation\n"),
            ["diffusion model", "LLM", "Retrieval-Augmented Generation"]
        );
        assert!(read_list(" , \n").is_empty());
    }

    #[test]
    fn an_author_list_gives_author_topics_and_a_repeat_is_named() {
        let mut moving = MoveIn::default();
        moving.author_list("Yann LeCun, Fei-Fei Li");
        moving.keyword_list("Fei-Fei Li, NeRF");
        let config = moving.config().unwrap();
        let names: Vec<&str> = config.topics.iter().map(|t| t.name().as_str()).collect();
        assert_eq!(names, ["Yann LeCun", "Fei-Fei Li", "NeRF"]);
        assert!(
            moving.not_taken[0].contains("Fei-Fei Li"),
            "{:?}",
            moving.not_taken
        );
        assert_eq!(moving.taken[0], "2 author topics from the author list");
        assert_eq!(moving.taken[1], "1 topic from the keyword list");
    }

    #[test]
    fn keyword_groups_are_read_in_every_form_forks_write() {
        let config: CvArxivDaily = serde_json::from_str(
            r#"{"keywords": {"SLAM": {"filters": ["SLAM", "Visual Odometry"], "note": 1},
                "NeRF": ["NeRF", "Neural Radiance Field"], "3DGS": "Gaussian Splatting", "Diffusion": null},
                "max_results": 5000, "user_name": "someone"}"#,
        )
        .unwrap();
        let mut moving = MoveIn::default();
        moving.cv_arxiv_daily(config);
        let written = moving.config().unwrap();
        let topics: Vec<(&str, Vec<String>)> = written
            .topics
            .iter()
            .map(|t| {
                (
                    t.name().as_str(),
                    t.phrases().iter().map(|p| p.to_string()).collect(),
                )
            })
            .collect();
        assert_eq!(
            topics,
            [
                (
                    "SLAM",
                    vec!["SLAM".to_owned(), "Visual Odometry".to_owned()]
                ),
                (
                    "NeRF",
                    vec!["NeRF".to_owned(), "Neural Radiance Field".to_owned()]
                ),
                ("3DGS", vec!["Gaussian Splatting".to_owned()]),
                ("Diffusion", vec!["Diffusion".to_owned()]),
            ]
        );
        let not_taken = moving.not_taken.join("\n");
        assert!(
            not_taken.contains("keyword group \u{201c}SLAM\u{201d}: note"),
            "{not_taken}"
        );
        assert!(
            not_taken.contains("max_results 5000 (arXiv allows 1 to 2000)"),
            "{not_taken}"
        );
        assert!(not_taken.contains("user_name and repo_name"), "{not_taken}");
    }

    #[test]
    fn a_yaml_document_is_taken_by_its_shape_and_keeps_the_groups_order() {
        let mut moving = MoveIn::default();
        moving
            .take_yaml(r#"{"keywords": {"Zeta": {"filters": ["zeta"]}, "Alpha": ["alpha"]}}"#)
            .unwrap();
        moving.take_yaml(r#"["NeRF", "SLAM"]"#).unwrap();
        moving.take_yaml(r#""diffusion model, LLM""#).unwrap();
        moving
            .take_yaml(r#"{"arxiv": {"categories": ["cs.CV"]}, "llm": {"model": "x"}}"#)
            .unwrap();
        let config = moving.config().unwrap();
        let names: Vec<&str> = config.topics.iter().map(|t| t.name().as_str()).collect();
        assert_eq!(names, ["Zeta", "Alpha", "NeRF", "SLAM", "diffusion model", "LLM"]);
        assert_eq!(config.settings.categories.to_string(), "cs.CV");
        assert!(moving.not_taken.iter().any(|l| l.contains("llm")), "{:?}", moving.not_taken);

        assert_eq!(moving.take_yaml(r#"{"name": "x"}"#), Err(TakeError::Unknown));
        assert!(matches!(
            moving.take_yaml(r#"{"keywords": {"A": {"filters": {"not": "a list"}}}}"#),
            Err(TakeError::CvArxivDaily(_))
        ));
        assert!(matches!(moving.take_yaml("{"), Err(TakeError::Unreadable(_))));
    }

    #[test]
    fn yaml_is_read_by_the_file_name() {
        assert!(is_yaml_name("config.yaml"));
        assert!(is_yaml_name("CONFIG.YML"));
        assert!(!is_yaml_name("keywords.txt"));
    }

    #[test]
    fn the_workers_messages_survive_the_trip() {
        let request = MoveInRequest {
            files: vec![("keywords.txt".into(), "NeRF, SLAM".into())],
            authors: vec!["Fei-Fei Li".into()],
        };
        assert_eq!(MoveInRequest::from_message(&request.to_message()), Some(request.clone()));
        let answer = MoveInAnswer::of(move_in_from(&request.files, &request.authors, |_| {
            Err("no YAML here".into())
        }));
        let MoveInAnswer::Done { config, taken, .. } = &answer else {
            panic!("{answer:?}")
        };
        let config = Config::from_json(config.as_deref().unwrap()).unwrap();
        assert_eq!(config.topics.len(), 3);
        assert_eq!(taken.len(), 2);
        assert_eq!(MoveInAnswer::from_message(&answer.to_message()), Some(answer));
        assert_eq!(MoveInAnswer::from_message(YAML_READER_READY), None);
        // A YAML file the reader refuses is named.
        let refused = move_in_from(&[("c.yaml".into(), "x".into())], &[], |_| Err("not YAML: line 1".into()));
        assert_eq!(refused.unwrap_err().to_string(), "c.yaml: not YAML: line 1");
    }

    #[test]
    fn nothing_to_follow_is_no_config() {
        let mut moving = MoveIn::default();
        moving.keyword_list("");
        assert!(moving.config().is_none());
    }
}
