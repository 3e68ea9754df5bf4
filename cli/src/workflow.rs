//! The GitHub workflow `init --workflow` writes: the generator lives in the core
//! ([`daily_papers_core::workflow`]), so the app offers the same file.

pub use daily_papers_core::workflow::*;
