//! The app's stored state as decisions: what is read at start-up and what replaces what cannot
//! be read ([`saved`]), how version 1's forms move forward ([`migrate`]), the list of papers not
//! saved and the first screen's copy ([`saving`]), the Undo offer ([`undo`]) and what another
//! tab's change means here ([`tab_sync`]). All of it over the two stores of [`store`], so it is
//! tested natively with their in-memory doubles; the browser app (`src/state.rs`) keeps the
//! signals and calls these.

pub mod keys;
pub mod migrate;
pub mod saved;
pub mod saving;
pub mod store;
pub mod tab_sync;
pub mod undo;

pub use store::{KeyValueStore, PapersStore, StoreError, TopicTexts};

use keys::RESULTS_PREFIX;

/// The key of problems with the papers database as a whole (not one topic's papers).
pub const PAPERS_DB_KEY: &str = "papers-db";

/// What a topic's papers are called in a message: `papers for “LLM”`.
pub fn results_what(name: &str) -> String {
    format!("papers for \u{201c}{name}\u{201d}")
}

/// The key a topic's storage problems are listed under.
pub fn problem_key(results_key: &str) -> String {
    format!("{RESULTS_PREFIX}{results_key}")
}

/// A storage problem to show, under the key a later success of the same save clears it by.
pub type Problem = (String, StoreError);
