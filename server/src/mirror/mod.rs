//! The mirror (`--mirror DIR`): a local full-text index of arXiv's metadata that answers
//! `/api/query` itself, kept current from arXiv's OAI-PMH interface within arXiv's terms.
//!
//! - [`record`]: one paper with every version; [`oai`] reads OAI-PMH `arXivRaw` pages and
//!   [`snapshot`] arXiv's JSON-lines metadata snapshot (`--mirror-import`);
//! - [`index`]: the Tantivy index, its English analysis, commits carrying the harvest state;
//! - [`query`]: arXiv's query language, parsed by our own grammar; [`answer`] turns an API
//!   request into arXiv's own Atom feed ([`atom`]);
//! - [`harvest`]: the harvester, sharing the server's one upstream line and its spacing;
//!   [`compare`] (`--mirror-compare`) measures the answers against live arXiv in the same line.

pub mod answer;
pub mod atom;
pub mod compare;
pub mod harvest;

pub mod index;
pub mod oai;
pub mod query;
pub mod record;
pub mod snapshot;
pub mod status;
