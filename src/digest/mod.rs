//! Markdown in and out: the README and issue digest are written by [`crate::readme`] (kept at
//! that path for the app), read back by [`import`]; [`bibtex`] cites a paper as arXiv does.

pub mod bibtex;
pub mod import;

pub use import::{import_readme, ImportError, ImportedReadme, ImportedSection};
