//! The papers kept: what each topic has already shown (seen history, new and updated papers),
//! finding a paper across all topics, and what a row or a run says about them (authors, comment
//! links, "also in", the run's summary, refresh on open, undo of a removal), and the results kept
//! per topic ([`results`]).
//!
//! Pure Rust with no browser dependency: topics are named by an opaque `&str` key (whatever the
//! app's topic type is), dates and times are handed in, and everything is tested natively.

pub mod authors;
pub mod comment;
pub mod history;
pub mod marks;
pub mod overlap;
pub mod paper_id;
pub mod refresh;
pub mod results;
pub mod run;
pub mod search;
pub mod undo;
