//! Publishing to GitHub from the page, as decisions without a network: the browser app sends
//! what this module builds and hands back what GitHub answered.
//!
//! - [`names`]: what the user types, parsed: `owner/repository`, the access token (a
//!   fine-grained `github_pat_…` expected; a classic `ghp_…` gets a warning about its scope) and
//!   the API's base address (`https://api.github.com` unless set, so tests can use a fake).
//! - [`api`]: the REST API requests used (the repository, a file's contents, a file's update, and
//!   the git data API's ref, blob, tree, commit and ref update for one commit of several files)
//!   and the answers read back with serde.
//! - [`error`]: every failure a user can meet (offline, a bad or expired token, no access or a
//!   wrong name, the rate limit, a protected branch, a conflict, an archived or empty
//!   repository), each with a message that says what to do.
//! - [`plan`]: which files to write (README, digest, config, workflow), and for each whether it
//!   can be written at once, is already there, or must be shown to the user first because
//!   someone changed it since the page last read it.

pub mod api;
pub mod error;
pub mod names;
pub mod plan;
