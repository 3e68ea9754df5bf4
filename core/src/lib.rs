//! The Daily Papers core: everything decided without a browser or a network, used by the
//! browser app (the repository's root crate), the command-line tool (`cli/`) and the server
//! (`server/`). Tested natively with `cargo test -p daily-papers-core`.
//!
//! The pipeline, top to bottom: a [`topics::Topic`] becomes an arXiv query URL
//! ([`arxiv::topic_query`], [`arxiv::query`]); [`fetch`] asks for it, waits and retries as arXiv's
//! terms say; arXiv's Atom answer becomes [`arxiv::Paper`]s ([`arxiv::atom`]), filtered by
//! category and re-checked against the topic ([`arxiv::filter`]); they are kept per topic with
//! their history in the [`library`] and written as the Daily Papers README and digest
//! ([`digest`]).

// Input from arXiv, from the user and from storage reaches this code: it must answer with values,
// never panic. (Tests may unwrap.)
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

/// Talking to arXiv: the query language, the Atom answer, categories, the filter.
pub mod arxiv;
/// What the user follows: topics, plain keywords, pasted lists.
pub mod topics;
/// Fetching as decisions: what an answer means, how long to wait, one topic's requests.
pub mod fetch;
/// The papers kept: results per topic, seen history, search, runs, undo.
pub mod library;
/// Markdown in and out: the README, the issue digest, import, BibTeX.
pub mod digest;

/// A calendar date without a time-zone library.
pub mod date;
/// arXiv's announcement calendar: the last and next announcement, the "nothing new" sentence.
pub mod calendar;
/// The user's settings, each parsed from what was typed.
pub mod settings;
/// The config file `daily-papers.json`.
pub mod config;
/// A share link: the config in the page address's fragment.
pub mod share_link;
/// How the app's data is written to browser storage and read back.
pub mod storage_format;
/// The app's stored state as decisions over a store trait: start-up reading, migrations,
/// saving, Undo and tab sync.
pub mod app_state;
/// The GitHub workflow `init --workflow` writes.
pub mod workflow;
/// Publishing to GitHub: the API's requests and answers, the failures, which files to write.
pub mod publish;
