//! What the user follows: [`Topic`]s (a README section each: phrases, exclusions, authors,
//! categories) and the ordered [`TopicList`] the editor changes; a plain search phrase
//! ([`keyword`]), and a pasted list of names ([`paste_list`]).

pub mod explain;
pub mod keyword;
pub mod list;
pub mod paste_list;
mod recheck;
pub mod topic;

pub use list::{TopicId, TopicList};
pub use topic::{Phrase, Topic, TopicError, TopicField, TopicParts};
