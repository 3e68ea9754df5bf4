//! A topic: what one README section follows. A name (the section's `## ` heading), one or more
//! phrases (a paper matches if any matches), optional exclusions (a paper matching any is
//! dropped), optional authors (a paper by any of them matches too), optional arXiv categories
//! (the paper must be in one of them). Built from parts through one constructor that checks every
//! field, so the rest of the app never sees a topic that cannot be searched.
//!
//! # Stored form
//!
//! A topic is written as a JSON object; empty lists are left out when writing and may be left out
//! when reading:
//!
//! ```json
//! {"name": "Video Anomaly Detection",
//!  "phrases": ["Video Anomaly Detection", "VAD"],
//!  "exclude": ["medical"],
//!  "authors": ["Kaiming He"],
//!  "categories": ["cs.CV"]}
//! ```
//!
//! Reading goes through [`Topic::new`]: a form with a bad field, an unknown key, or nothing to
//! follow is refused with the same message the editor would show.

use crate::arxiv::categories::{Category, CategoryError};
use crate::arxiv::topic_query::{self, QueryTooLong};
use crate::topics::keyword::{Keyword, KeywordError, MAX_KEYWORD_CHARS};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A phrase searched in titles and abstracts (or excluded from them), validated as a keyword
/// always was: trimmed, non-empty, at most [`MAX_KEYWORD_CHARS`] characters, some words.
pub type Phrase = Keyword;

/// A validated topic. See the [module docs](self) for its stored form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "TopicParts", into = "TopicParts")]
pub struct Topic {
    name: Keyword,
    phrases: Vec<Phrase>,
    exclude: Vec<Phrase>,
    authors: Vec<Keyword>,
    categories: Vec<Category>,
}

/// A topic's fields as typed or stored, not yet checked. This is also the JSON form of a
/// [`Topic`]. Blank entries (an empty line in the editor) are skipped.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicParts {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phrases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

impl TopicParts {
    /// The editor's fields as typed: phrases, exclusions and authors one per line, categories
    /// separated by commas (or spaces, or lines).
    pub fn from_fields(
        name: &str,
        phrases: &str,
        exclude: &str,
        authors: &str,
        categories: &str,
    ) -> TopicParts {
        let lines = |text: &str| -> Vec<String> {
            text.lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect()
        };
        TopicParts {
            name: name.to_owned(),
            phrases: lines(phrases),
            exclude: lines(exclude),
            authors: lines(authors),
            categories: categories
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }
}

/// A field of the topic editor; each error belongs to one, so it can be shown next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopicField {
    Name,
    Phrases,
    Exclude,
    Authors,
    Categories,
}

impl TopicField {
    /// The editor's `data-testid` for the field's input.
    pub fn test_id(self) -> &'static str {
        match self {
            TopicField::Name => "topic-name",
            TopicField::Phrases => "topic-phrases",
            TopicField::Exclude => "topic-exclude",
            TopicField::Authors => "topic-authors",
            TopicField::Categories => "topic-categories",
        }
    }

    /// One entry of the field, as a message names it ("phrase 2").
    fn noun(self) -> &'static str {
        match self {
            TopicField::Name => "name",
            TopicField::Phrases => "phrase",
            TopicField::Exclude => "exclusion",
            TopicField::Authors => "author",
            TopicField::Categories => "category",
        }
    }
}

/// Why a topic was refused. [`TopicError::field`] says which field to fix; the `Display` text
/// says what to fix and names the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicError {
    /// The name is empty, too long or only quotes.
    Name(KeywordError),
    /// One entry of the phrases, exclusions or authors (numbered from 1, blank lines not
    /// counted) is too long or only quotes.
    Entry {
        field: TopicField,
        number: usize,
        error: KeywordError,
    },
    /// The same phrase, exclusion or author twice (ignoring case).
    Repeated { field: TopicField, text: String },
    /// An exclusion that is also a phrase: the topic could find nothing.
    ExcludesItsOwnPhrase(String),
    /// A category arXiv does not have.
    Category(CategoryError),
    /// Neither a phrase nor an author.
    NothingToFollow,
    /// The compiled search is longer than the endpoint accepts.
    QueryTooLong(QueryTooLong),
}

impl TopicError {
    /// The field the message belongs next to.
    pub fn field(&self) -> TopicField {
        match self {
            TopicError::Name(_) => TopicField::Name,
            TopicError::Entry { field, .. } | TopicError::Repeated { field, .. } => *field,
            TopicError::ExcludesItsOwnPhrase(_) => TopicField::Exclude,
            TopicError::Category(_) => TopicField::Categories,
            TopicError::NothingToFollow | TopicError::QueryTooLong(_) => TopicField::Phrases,
        }
    }
}

impl fmt::Display for TopicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TopicError::Name(KeywordError::Empty) => write!(f, "Give the topic a name."),
            TopicError::Name(KeywordError::NothingToSearch) => write!(
                f,
                "The name needs some words, not only quotes and backslashes."
            ),
            TopicError::Name(KeywordError::TooLong { chars }) => write!(
                f,
                "The name can have at most {MAX_KEYWORD_CHARS} characters; this one has {chars}."
            ),
            TopicError::Name(KeywordError::Duplicate(existing)) => write!(
                f,
                "The name \u{201c}{existing}\u{201d} is already in the list; choose another."
            ),
            TopicError::Entry {
                field,
                number,
                error,
            } => {
                let noun = field.noun();
                match error {
                    KeywordError::TooLong { chars } => write!(
                        f,
                        "The {noun} on line {number} is too long: at most {MAX_KEYWORD_CHARS} characters, it has {chars}."
                    ),
                    KeywordError::NothingToSearch => write!(
                        f,
                        "The {noun} on line {number} is only quotes and backslashes; type some words."
                    ),
                    KeywordError::Empty => write!(f, "The {noun} on line {number} is empty."),
                    KeywordError::Duplicate(text) => {
                        write!(f, "The {noun} \u{201c}{text}\u{201d} is listed twice.")
                    }
                }
            }
            TopicError::Repeated { field, text } => write!(
                f,
                "The {} \u{201c}{text}\u{201d} is listed twice; keep it once.",
                field.noun()
            ),
            TopicError::ExcludesItsOwnPhrase(text) => write!(
                f,
                "\u{201c}{text}\u{201d} is both a phrase and an exclusion, so the topic would find nothing; remove it from one of them."
            ),
            TopicError::Category(error) => write!(f, "Categories: {error}"),
            TopicError::NothingToFollow => write!(
                f,
                "Give at least one phrase (or one author) for the topic to follow."
            ),
            TopicError::QueryTooLong(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for TopicError {}

/// Parses the non-blank entries of one list field, refusing repeats (ignoring case).
fn parse_entries(field: TopicField, raw: &[String]) -> Result<Vec<Keyword>, TopicError> {
    let mut parsed: Vec<Keyword> = Vec::new();
    let mut folded: Vec<String> = Vec::new();
    let entries = raw.iter().filter(|entry| !entry.trim().is_empty());
    for (i, entry) in entries.enumerate() {
        let keyword = Keyword::parse(entry).map_err(|error| TopicError::Entry {
            field,
            number: i + 1,
            error,
        })?;
        let fold = keyword.folded();
        if folded.contains(&fold) {
            return Err(TopicError::Repeated {
                field,
                text: keyword.to_string(),
            });
        }
        folded.push(fold);
        parsed.push(keyword);
    }
    Ok(parsed)
}

impl Topic {
    /// Checks every field, in the editor's order, and returns the first problem.
    pub fn new(parts: TopicParts) -> Result<Topic, TopicError> {
        let name = Keyword::parse(&parts.name).map_err(TopicError::Name)?;
        let phrases = parse_entries(TopicField::Phrases, &parts.phrases)?;
        let exclude = parse_entries(TopicField::Exclude, &parts.exclude)?;
        let authors = parse_entries(TopicField::Authors, &parts.authors)?;
        let mut categories: Vec<Category> = Vec::new();
        for raw in parts.categories.iter().filter(|c| !c.trim().is_empty()) {
            let category = Category::parse(raw).map_err(TopicError::Category)?;
            if !categories.contains(&category) {
                categories.push(category);
            }
        }
        if phrases.is_empty() && authors.is_empty() {
            return Err(TopicError::NothingToFollow);
        }
        if let Some(clash) = exclude
            .iter()
            .find(|x| phrases.iter().any(|p| p.folded() == x.folded()))
        {
            return Err(TopicError::ExcludesItsOwnPhrase(clash.to_string()));
        }
        let topic = Topic {
            name,
            phrases,
            exclude,
            authors,
            categories,
        };
        topic_query::check_length(&topic_query::search_query(&topic))
            .map_err(TopicError::QueryTooLong)?;
        Ok(topic)
    }

    /// What typing "Video Anomaly Detection" and pressing Enter makes: a topic whose name and only
    /// phrase are that text. Its query is exactly the keyword query of earlier releases.
    pub fn from_phrase(raw: &str) -> Result<Topic, KeywordError> {
        Ok(Topic::from_keyword(Keyword::parse(raw)?))
    }

    /// A keyword of earlier releases as a topic: its name and only phrase.
    pub fn from_keyword(keyword: Keyword) -> Topic {
        Topic {
            name: keyword.clone(),
            phrases: vec![keyword],
            exclude: Vec::new(),
            authors: Vec::new(),
            categories: Vec::new(),
        }
    }

    /// The README section's heading.
    pub fn name(&self) -> &Keyword {
        &self.name
    }

    pub fn phrases(&self) -> &[Phrase] {
        &self.phrases
    }

    pub fn exclusions(&self) -> &[Phrase] {
        &self.exclude
    }

    pub fn authors(&self) -> &[Keyword] {
        &self.authors
    }

    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The only phrase, when the topic is nothing else: such a topic sends exactly the keyword
    /// query of earlier releases (see [`topic_query::search_query`]).
    pub fn sole_phrase(&self) -> Option<&Phrase> {
        match self.phrases.as_slice() {
            [only]
                if self.exclude.is_empty()
                    && self.authors.is_empty()
                    && self.categories.is_empty() =>
            {
                Some(only)
            }
            _ => None,
        }
    }

    /// True when the topic is what typing its name made: its only phrase is its name. Renaming
    /// such a topic renames its phrase too (fixing a typo in a keyword fixes its search, as
    /// before topics).
    pub fn is_plain(&self) -> bool {
        self.sole_phrase().is_some_and(|p| p == &self.name)
    }

    /// The same topic under another name. A [plain](Topic::is_plain) topic's phrase follows its
    /// name; any other topic keeps its search.
    pub fn renamed(&self, raw: &str) -> Result<Topic, KeywordError> {
        let name = Keyword::parse(raw)?;
        if self.is_plain() {
            return Ok(Topic::from_keyword(name));
        }
        Ok(Topic {
            name,
            ..self.clone()
        })
    }

    /// True when both topics ask arXiv and the re-check the same thing, whatever their names:
    /// papers fetched for one are the papers of the other. When an edit changes the search, the
    /// papers kept so far came from the previous query.
    pub fn same_search(&self, other: &Topic) -> bool {
        self.phrases == other.phrases
            && self.exclude == other.exclude
            && self.authors == other.authors
            && self.categories == other.categories
    }

    /// The fields as the editor shows them: phrases, exclusions and authors one per line,
    /// categories separated by commas. [`TopicParts::from_fields`] reads them back.
    pub fn to_fields(&self) -> [String; 5] {
        let lines = |list: &[Keyword]| -> String {
            list.iter()
                .map(Keyword::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        };
        [
            self.name.to_string(),
            lines(&self.phrases),
            lines(&self.exclude),
            lines(&self.authors),
            self.categories
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ]
    }

    /// The list item's one-line summary: "3 phrases, 1 exclusion, 2 authors, cs.CV, stat.ML".
    pub fn summary(&self) -> String {
        let count = |n: usize, one: &str, many: &str| -> Option<String> {
            match n {
                0 => None,
                1 => Some(format!("1 {one}")),
                n => Some(format!("{n} {many}")),
            }
        };
        [
            count(self.phrases.len(), "phrase", "phrases"),
            count(self.exclude.len(), "exclusion", "exclusions"),
            count(self.authors.len(), "author", "authors"),
        ]
        .into_iter()
        .flatten()
        .chain(self.categories.iter().map(|c| c.as_str().to_owned()))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

impl TryFrom<TopicParts> for Topic {
    type Error = TopicError;
    fn try_from(parts: TopicParts) -> Result<Topic, TopicError> {
        Topic::new(parts)
    }
}

impl From<Topic> for TopicParts {
    fn from(topic: Topic) -> TopicParts {
        let texts = |list: Vec<Keyword>| list.into_iter().map(String::from).collect();
        TopicParts {
            name: topic.name.into(),
            phrases: texts(topic.phrases),
            exclude: texts(topic.exclude),
            authors: texts(topic.authors),
            categories: topic.categories.into_iter().map(String::from).collect(),
        }
    }
}

impl fmt::Display for Topic {
    /// The name, as the README heading and the list item show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)
    }
}
