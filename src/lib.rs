//! Daily Papers in the browser: the app only. Every decision it shows (queries, Atom, topics,
//! the papers kept, the README) is made by the core, `daily-papers-core` (`core/`); this crate
//! wires the page to it.
//!
//! - [`startup`]: start-up as one sequence: storage, saved state, the page, papers, refresh.
//! - [`app`]: the shell: lays out the page.
//! - [`state`]: the app's state as signals, and the only place that saves it.
//! - [`fetch_loop`]: the one task that asks the endpoint for each queued topic.
//! - [`browser`]: adapters to the browser's APIs (storage, IndexedDB, network, clipboard, ...).
//! - [`components`]: the visible parts of the page, one file each.
//!
//! The crate exists only in the browser build (wasm32): natively it is empty.
#![cfg(target_arch = "wasm32")]
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

pub mod app;
pub mod browser;
pub mod components;
pub mod fetch_loop;
pub mod startup;
pub mod state;
