//! The user's ordered list of topics and the edits the editor offers: add from typed text,
//! remove, move up or down, rename, replace after an edit. Two topics whose names differ only in
//! case would be two README sections with the same heading, so the list refuses such duplicates.
//!
//! # Identity
//!
//! Each topic gets a [`TopicId`] when it enters the list; the id stays through renames, edits and
//! moves, and is never given to another topic of the same list (the list remembers the next free
//! one, even after removals). The app keeps a topic's papers under its id, not under its name:
//! renaming a topic then keeps its papers. When an edit changes what the topic searches
//! ([`Topic::same_search`] is false), the papers kept under the id came from the previous query.
//!
//! Keyword lists of earlier releases keyed their papers by the keyword's text; on migration,
//! [`TopicList::from_keywords`] makes one topic per keyword, and [`TopicList::id_of`] finds the id
//! now owning the papers stored under a keyword's text.
//!
//! # Stored form
//!
//! ```json
//! {"next_id": 3,
//!  "topics": [{"id": 1, "topic": {"name": "Video Anomaly Detection",
//!                                 "phrases": ["Video Anomaly Detection"]}},
//!             {"id": 2, "topic": {"name": "GNN", "phrases": ["graph neural network"],
//!                                 "categories": ["cs"]}}]}
//! ```
//!
//! Each `topic` is a [`Topic`] in its own stored form. Reading refuses the whole list when a
//! topic is invalid, two topics share an id or a name (ignoring case), or `next_id` is not above
//! every id.

use super::topic::{Topic, TopicError};
use crate::topics::keyword::{Keyword, KeywordError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a first visit shows, so the page is never blank; one click each to clear.
pub const EXAMPLE_KEYWORDS: [&str; 3] = [
    "Video Anomaly Detection",
    "Video Understanding",
    "Graph Neural Networks",
];

/// A topic's identity in its list: kept through renames and edits, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TopicId(u32);

impl TopicId {
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for TopicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A topic and its identity, as the list holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListedTopic {
    pub id: TopicId,
    pub topic: Topic,
}

/// Topics in the user's order, no two with the same name (ignoring case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredTopicList", into = "StoredTopicList")]
pub struct TopicList {
    topics: Vec<ListedTopic>,
    next_id: u32,
}

impl Default for TopicList {
    fn default() -> TopicList {
        TopicList {
            topics: Vec::new(),
            next_id: 1,
        }
    }
}

/// The stored form, before its checks (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredTopicList {
    pub next_id: u32,
    pub topics: Vec<ListedTopic>,
}

/// Why a stored topic list was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicListError {
    /// Two topics with the same name, ignoring case.
    DuplicateName(String),
    /// Two topics with the same id.
    DuplicateId(TopicId),
    /// `next_id` is not above every id: a new topic could take an old one's papers.
    NextIdTooLow { next_id: u32, highest: TopicId },
}

impl fmt::Display for TopicListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TopicListError::DuplicateName(name) => {
                write!(f, "the topic \u{201c}{name}\u{201d} is listed twice")
            }
            TopicListError::DuplicateId(id) => write!(f, "two topics have the id {id}"),
            TopicListError::NextIdTooLow { next_id, highest } => write!(
                f,
                "the next topic id {next_id} is not above the highest id in use, {highest}"
            ),
        }
    }
}

impl std::error::Error for TopicListError {}

impl TopicList {
    /// What a first visit shows: the example keywords as one-phrase topics.
    pub fn examples() -> TopicList {
        let mut list = TopicList::default();
        for text in EXAMPLE_KEYWORDS {
            // The examples are valid and distinct; a failure would only shorten the list.
            let _ = list.add(text);
        }
        list
    }

    /// The keyword list of earlier releases: each keyword becomes a topic whose name and only
    /// phrase is the keyword (so its query and README section are unchanged), in the same order,
    /// with ids 1, 2, 3, … Two keywords that are the same search (ignoring case) refuse the
    /// whole list, as earlier releases refused it.
    pub fn from_keywords(
        keywords: impl IntoIterator<Item = Keyword>,
    ) -> Result<TopicList, KeywordError> {
        let mut list = TopicList::default();
        for keyword in keywords {
            list.push(Topic::from_keyword(keyword))?;
        }
        Ok(list)
    }

    /// The stored form of earlier releases, a list of keyword texts, refused as a whole if one
    /// is invalid or two are the same search.
    pub fn from_keyword_texts<S: AsRef<str>>(
        texts: impl IntoIterator<Item = S>,
    ) -> Result<TopicList, KeywordError> {
        let keywords = texts
            .into_iter()
            .map(|text| Keyword::parse(text.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        TopicList::from_keywords(keywords)
    }

    pub fn entries(&self) -> &[ListedTopic] {
        &self.topics
    }

    pub fn topics(&self) -> impl Iterator<Item = &Topic> + '_ {
        self.topics.iter().map(|entry| &entry.topic)
    }

    pub fn len(&self) -> usize {
        self.topics.len()
    }

    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
    }

    /// Where the topic with this id is.
    pub fn position(&self, id: TopicId) -> Option<usize> {
        self.topics.iter().position(|entry| entry.id == id)
    }

    pub fn get(&self, id: TopicId) -> Option<&Topic> {
        self.topics
            .iter()
            .find(|entry| entry.id == id)
            .map(|entry| &entry.topic)
    }

    /// The id of the topic with this name, ignoring case and surrounding space.
    pub fn id_of(&self, name: &str) -> Option<TopicId> {
        self.topics
            .iter()
            .find(|entry| entry.topic.name().same_as(name))
            .map(|entry| entry.id)
    }

    /// The name of the topic already in the list that has `name` (ignoring case), skipping the
    /// one with id `except` (the topic being renamed or edited). The name is case-folded once.
    fn duplicate_of(&self, name: &Keyword, except: Option<TopicId>) -> Option<&Keyword> {
        let folded = name.folded();
        self.topics
            .iter()
            .filter(|entry| Some(entry.id) != except)
            .map(|entry| entry.topic.name())
            .find(|existing| existing.folded() == folded)
    }

    /// Appends a topic under a new id unless its name is taken.
    pub fn push(&mut self, topic: Topic) -> Result<TopicId, KeywordError> {
        if let Some(existing) = self.duplicate_of(topic.name(), None) {
            return Err(KeywordError::Duplicate(existing.to_string()));
        }
        let id = TopicId(self.next_id);
        self.next_id = self.next_id.saturating_add(1);
        self.topics.push(ListedTopic { id, topic });
        Ok(id)
    }

    /// Adds what was typed in the box as a one-phrase topic at the end; refuses empty, too long
    /// and duplicate names, with the messages of a keyword.
    pub fn add(&mut self, raw: &str) -> Result<TopicId, KeywordError> {
        self.push(Topic::from_phrase(raw)?)
    }

    /// Removes a topic; returns whether it was there.
    pub fn remove(&mut self, id: TopicId) -> bool {
        let before = self.topics.len();
        self.topics.retain(|entry| entry.id != id);
        self.topics.len() != before
    }

    /// Swaps a topic with the one above it; returns whether it moved.
    pub fn move_up(&mut self, id: TopicId) -> bool {
        match self.position(id) {
            Some(i) if i > 0 => {
                self.topics.swap(i, i - 1);
                true
            }
            _ => false,
        }
    }

    /// Swaps a topic with the one below it; returns whether it moved.
    pub fn move_down(&mut self, id: TopicId) -> bool {
        match self.position(id) {
            Some(i) if i + 1 < self.topics.len() => {
                self.topics.swap(i, i + 1);
                true
            }
            _ => false,
        }
    }

    /// Renames a topic in place, keeping its id (see [`Topic::renamed`]: a one-phrase topic
    /// made by typing its name has its phrase renamed too). Changing only the case is allowed;
    /// taking another topic's name is refused. If the topic vanished meanwhile (removed in
    /// another tab), the renamed text is added as a new topic instead.
    pub fn rename(&mut self, id: TopicId, raw: &str) -> Result<TopicId, KeywordError> {
        let Some(entry) = self.topics.iter().find(|entry| entry.id == id) else {
            return self.add(raw);
        };
        let renamed = entry.topic.renamed(raw)?;
        self.replace_as(id, renamed)
    }

    /// Puts the edited topic in place of the one with this id, keeping the id. Refuses a name
    /// another topic has (the error belongs to the name field). If the topic vanished
    /// meanwhile, the edited one is added as a new topic.
    pub fn replace(&mut self, id: TopicId, edited: Topic) -> Result<TopicId, TopicError> {
        self.replace_as(id, edited).map_err(TopicError::Name)
    }

    fn replace_as(&mut self, id: TopicId, edited: Topic) -> Result<TopicId, KeywordError> {
        if let Some(existing) = self.duplicate_of(edited.name(), Some(id)) {
            return Err(KeywordError::Duplicate(existing.to_string()));
        }
        match self.topics.iter_mut().find(|entry| entry.id == id) {
            Some(entry) => {
                entry.topic = edited;
                Ok(id)
            }
            None => self.push(edited),
        }
    }
}

impl TryFrom<StoredTopicList> for TopicList {
    type Error = TopicListError;
    fn try_from(stored: StoredTopicList) -> Result<TopicList, TopicListError> {
        let mut list = TopicList {
            topics: Vec::with_capacity(stored.topics.len()),
            next_id: stored.next_id,
        };
        for entry in stored.topics {
            if list.position(entry.id).is_some() {
                return Err(TopicListError::DuplicateId(entry.id));
            }
            if entry.id.0 >= stored.next_id {
                return Err(TopicListError::NextIdTooLow {
                    next_id: stored.next_id,
                    highest: entry.id,
                });
            }
            if let Some(existing) = list.duplicate_of(entry.topic.name(), None) {
                return Err(TopicListError::DuplicateName(existing.to_string()));
            }
            list.topics.push(entry);
        }
        Ok(list)
    }
}

impl From<TopicList> for StoredTopicList {
    fn from(list: TopicList) -> StoredTopicList {
        StoredTopicList {
            next_id: list.next_id,
            topics: list.topics,
        }
    }
}
