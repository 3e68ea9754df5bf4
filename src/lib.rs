//! Daily Papers in the browser.
//!
//! The pipeline, top to bottom: a [`topics::Topic`] (or a plain [`keyword::Keyword`]) becomes an
//! arXiv query URL ([`arxiv::topic_query`], [`arxiv::query`]), arXiv's Atom answer becomes
//! [`arxiv::Paper`]s ([`arxiv::atom`]), those are filtered by category and re-checked against the
//! topic ([`arxiv::filter`]) and written as the Daily Papers README ([`readme`]).
//! Everything above is pure Rust, tested natively. The browser app (`app`, `components`, and the
//! storage, clipboard and network adapters) exists only in the wasm32 build.

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

pub mod arxiv;
pub mod date;
pub mod digest;
pub mod keyword;
pub mod readme;

// The app's decisions, pure and tested natively: the user's topics and settings, what to do
// with each answer while fetching, and the results kept per topic.
pub mod config;
pub mod fetch_policy;
pub mod fetch_run;
pub mod library;
pub mod paste_list;
pub mod results;
pub mod settings;
pub mod share_link;
pub mod stored_form;
pub mod topics;
pub mod workflow;

// The browser shell: adapters with one job each, the app state, the fetch loop, the components.
#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod clipboard;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod download;
#[cfg(target_arch = "wasm32")]
pub mod fetch_loop;
#[cfg(target_arch = "wasm32")]
pub mod js_error;
#[cfg(target_arch = "wasm32")]
pub mod net;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod timer;
