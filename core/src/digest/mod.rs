//! Markdown in and out: the README and issue digest are written by [`readme`], read back by
//! [`import`]; [`bibtex`] cites a paper as arXiv does.

pub mod bibtex;
pub mod chat;
pub mod feed;
pub mod import;
pub mod moving_in;
pub mod readme;

pub use import::{import_readme, ImportError, ImportedReadme, ImportedSection};
