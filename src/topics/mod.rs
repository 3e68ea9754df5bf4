//! What the user follows: [`Topic`]s (a README section each: phrases, exclusions, authors,
//! categories) and the ordered [`TopicList`] the editor changes.

pub mod list;
mod recheck;
pub mod topic;

pub use list::{TopicId, TopicList};
pub use topic::{Phrase, Topic, TopicError, TopicField, TopicParts};
