//! Any text as a mirror's `search_query`: the parser never panics, and a query it accepts stays
//! within its bounds (nesting and terms), so evaluating it costs bounded time.
#![no_main]

use daily_papers_server::mirror::query::{parse, Node, MAX_DEPTH, MAX_TERMS};
use libfuzzer_sys::fuzz_target;

/// (depth, terms) of a parsed query.
fn size(node: &Node) -> (usize, usize) {
    match node {
        Node::Term(..) | Node::Submitted { .. } => (1, 1),
        Node::Not(inner) => {
            let (depth, terms) = size(inner);
            (depth + 1, terms)
        }
        Node::And(a, b) | Node::Or(a, b) | Node::AndNot(a, b) => {
            let ((da, ta), (db, tb)) = (size(a), size(b));
            (da.max(db) + 1, ta + tb)
        }
    }
}

fuzz_target!(|raw: &str| {
    let _ = daily_papers_server::mirror::query::grouping_matters(raw);
    if let Ok(node) = parse(raw) {
        let (depth, terms) = size(&node);
        assert!(terms <= MAX_TERMS, "{terms} terms accepted");
        // Each binary operator adds a level of the tree; nesting is bounded separately.
        assert!(depth <= MAX_TERMS + MAX_DEPTH, "depth {depth} accepted");
    }
});
