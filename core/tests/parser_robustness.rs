//! Garbage in, no panic out: arbitrary bytes and mutated real feeds go through the whole
//! pipeline (parse → filter → README → digest). Also: every keyword's query URL decodes back to
//! exactly the phrase arXiv should search.
//!
//! Case counts are kept moderate so `cargo test` stays quick; raise them for a longer hunt with
//! `PROPTEST_CASES=100000 cargo test --release --test parser_robustness`.

// Native only (`cargo test`): the browser test run (`--target wasm32-unknown-unknown`) skips it.
#![cfg(not(target_arch = "wasm32"))]

use daily_papers_core::arxiv::query::{query_url, search_query, QueryOptions};
use daily_papers_core::arxiv::{parse_feed, CategoryFilter, FeedError, LinkStyle};
use daily_papers_core::date::Date;
use daily_papers_core::topics::keyword::Keyword;
use daily_papers_core::digest::readme::{issue_digest, readme, Section};
use proptest::prelude::*;

const SEED: &[u8] = include_bytes!("fixtures/arxiv/search-10-entries.xml");
const LEGACY: &[u8] = include_bytes!("fixtures/arxiv/legacy-2016-format.xml");
const CASES: &[u8] = include_bytes!("fixtures/hand/comment-cases.xml");

/// Runs everything downstream of the network on `bytes`; checks the invariants that must hold
/// for any answer.
fn pipeline(bytes: &[u8]) {
    match parse_feed(bytes) {
        Ok(feed) => {
            for p in &feed.papers {
                assert!(!p.title.is_empty() && !p.updated.is_empty());
                for text in [&p.title, &p.abstract_text, &p.comment] {
                    assert_eq!(text.trim(), text.as_str());
                    assert!(!text.contains("  ") && !text.contains(['\n', '\t', '\r']));
                }
            }
            let papers = CategoryFilter::default().apply(feed.papers.clone());
            let all = feed.papers;
            let sections = [
                Section {
                    keyword: "kept",
                    papers: &papers,
                },
                Section {
                    keyword: "all",
                    papers: &all,
                },
            ];
            let day = Date::new(2026, 11, 20).unwrap();
            for style in LinkStyle::ALL {
                let md = readme(day, &sections, style);
                assert!(md.ends_with("\n\n") && !md.contains('\r'));
                // Every row is one line: no text can add or remove a line.
                let rows = md.lines().filter(|l| l.starts_with("| **[")).count();
                assert_eq!(rows, papers.len() + all.len());
                let digest = issue_digest(day, "https://github.com/o/r", &sections, style);
                assert!(digest.starts_with("---\n"));
            }
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            if let FeedError::MissingField { field, .. } = e {
                assert!(field == "title" || field == "date");
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let markup = prop::sample::select(vec![
        b"<".to_vec(),
        b">".to_vec(),
        b"&".to_vec(),
        b"&amp;".to_vec(),
        b"&#0;".to_vec(),
        b"&#xD800;".to_vec(),
        b"</entry>".to_vec(),
        b"<entry>".to_vec(),
        b"<title>".to_vec(),
        b"</title>".to_vec(),
        b"<![CDATA[".to_vec(),
        b"]]>".to_vec(),
        b"<!--".to_vec(),
        b"xmlns=\"\"".to_vec(),
        b"xmlns:arxiv=\"urn:x\"".to_vec(),
        b"\"".to_vec(),
        b"|".to_vec(),
        b"\xff".to_vec(),
        b"\xc3".to_vec(),
        b"\xf0\x9f\xa4\x96".to_vec(),
        b"\n\t ".to_vec(),
        b"<arxiv:comment>".to_vec(),
        b"<link title=\"pdf\" href=\"x\"/>".to_vec(),
    ]);
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            prop_oneof![markup, prop::collection::vec(any::<u8>(), 1..8)]
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1usize..200).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..400).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

fn apply(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Truncate(i) => bytes.truncate(i % len),
            Mutation::Flip(i, b) => {
                if let Some(x) = bytes.get_mut(i % len) {
                    *x ^= b | 1;
                }
            }
            Mutation::Insert(i, b) => {
                let at = (i % len).min(bytes.len());
                bytes.splice(at..at, b.iter().copied());
            }
            Mutation::Delete(i, n) => {
                let at = (i % len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            Mutation::Duplicate(i, n) => {
                let at = (i % len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(end..end, copy);
            }
        }
    }
    bytes
}

/// 256 cases per property by default (a few seconds); `PROPTEST_CASES` overrides it.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn seed() -> impl Strategy<Value = &'static [u8]> {
    prop::sample::select(vec![SEED, LEGACY, CASES])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        pipeline(&bytes);
    }

    #[test]
    fn arbitrary_text_with_a_feed_root_never_panics(body in "\\PC{0,400}") {
        let xml = format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\"><entry><title>{body}</title><updated>{body}</updated><arxiv:comment>{body}</arxiv:comment><category term=\"cs.AI\"/></entry>{body}</feed>");
        pipeline(xml.as_bytes());
    }

    #[test]
    fn mutated_real_feeds_never_panic(seed in seed(), mutations in prop::collection::vec(mutation(), 1..6)) {
        pipeline(&apply(seed, &mutations));
    }

    #[test]
    fn any_keyword_reaches_arxiv_as_the_quoted_phrase(raw in "\\PC{1,60}") {
        if let Ok(keyword) = Keyword::parse(&raw) {
            let url = query_url("/api/query", &keyword, &QueryOptions::default());
            let encoded = url
                .strip_prefix("/api/query?search_query=")
                .and_then(|rest| rest.split_once('&'))
                .map(|(q, _)| q)
                .expect("search_query comes first");
            // Only unreserved characters and %XX escapes: nothing a server could reinterpret.
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
            let decoded = percent_decode(encoded);
            prop_assert_eq!(&decoded, &search_query(&keyword));
            // The phrase between the quotes has no quote or backslash left to end it early.
            let phrase = decoded.strip_prefix("ti:\"").and_then(|r| r.split_once('"')).map(|(p, _)| p).unwrap();
            prop_assert!(!phrase.contains(['"', '\\']));
            // One word is searched in title AND abstract, several in title OR abstract.
            prop_assert_eq!(decoded.contains("\" AND abs:\""), !phrase.contains(' '));
            prop_assert_eq!(keyword.is_single_word(), !phrase.contains(' '));
            prop_assert_eq!(phrase, phrase.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn every_prefix_of_a_real_feed_is_handled() {
    // Exhaustive over one small real feed: every truncation point.
    for cut in 0..=LEGACY.len() {
        pipeline(&LEGACY[..cut]);
    }
}

#[test]
fn every_single_byte_flip_of_a_real_feed_is_handled() {
    for at in 0..LEGACY.len() {
        for flip in [0x20u8, 0x80] {
            let mut bytes = LEGACY.to_vec();
            bytes[at] ^= flip;
            pipeline(&bytes);
        }
    }
}
