//! Parses arXiv's Atom answer into [`Feed`] (FORMAT.md §2), with the quick-xml event reader.
