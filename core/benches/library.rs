//! Find a paper with 40,000 papers held (400 topics x 100 papers, made from the real arXiv answers
//! in tests/fixtures/arxiv/ with distinct ids): building the index once, a fresh query (pasted, or
//! the first keystroke: every paper is looked at), and typing a query key by key through the
//! search box's `Searcher` (each keystroke narrows the previous answer).
//!
//! Run: `cargo bench --bench library`. The budget of the search box is one frame per keystroke:
//! 16 ms median, 50 ms worst. After criterion's figures, the typing runs print the median and
//! worst keystroke.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use daily_papers_core::arxiv::{parse_feed, Paper};
use daily_papers_core::library::search::{SearchIndex, Searcher};
use std::time::{Duration, Instant};

const FIXTURES: [&[u8]; 5] = [
    include_bytes!("../tests/fixtures/arxiv/search-100-entries.xml"),
    include_bytes!("../tests/fixtures/arxiv/search-10-entries.xml"),
    include_bytes!("../tests/fixtures/arxiv/single-entry.xml"),
    include_bytes!("../tests/fixtures/arxiv/old-style-id.xml"),
    include_bytes!("../tests/fixtures/arxiv/legacy-2016-format.xml"),
];

const TOPICS: usize = 400;
const PER_TOPIC: usize = 100;

/// 400 topics of 100 papers each, cycling through the fixtures' papers, every one with its own id.
fn library() -> Vec<(String, Vec<Paper>)> {
    let real: Vec<Paper> = FIXTURES
        .iter()
        .flat_map(|feed| parse_feed(feed).expect("fixture parses").papers)
        .collect();
    let mut n = 0usize;
    (0..TOPICS)
        .map(|t| {
            let papers = (0..PER_TOPIC)
                .map(|_| {
                    let mut paper = real[n % real.len()].clone();
                    paper.id = format!(
                        "http://arxiv.org/abs/{:04}.{:05}v1",
                        1000 + n / 10_000,
                        n % 10_000
                    );
                    n += 1;
                    paper
                })
                .collect();
            (format!("topic {t}"), papers)
        })
        .collect()
}

fn index_of(topics: &[(String, Vec<Paper>)]) -> SearchIndex {
    let mut index = SearchIndex::default();
    for (key, papers) in topics {
        index.set_topic(key, papers);
    }
    index
}

/// Queries pasted at once (no earlier answer to narrow): short, long, an author, none matching.
const FRESH: [(&str, &str); 7] = [
    ("1 letter", "t"),
    ("short", "fuzz"),
    ("author", "gordon fraser"),
    (
        "long",
        "deep learning test generation for autonomous driving systems",
    ),
    ("no match, rare letters", "zyzzyva"),
    ("no match, common letters", "testingthe"),
    (
        "no match, long",
        "a survey of the testing of quantum software with large language models",
    ),
];

/// How many times each query is typed.
const RUNS: usize = 15;

/// Queries typed key by key.
const TYPED: [&str; 3] = [
    "gordon fraser",
    "large language models",
    "testing deep learning systemz",
];

fn search(c: &mut Criterion) {
    let topics = library();
    let index = index_of(&topics);
    assert_eq!(index.len(), TOPICS * PER_TOPIC);

    let mut group = c.benchmark_group("search 40,000 papers");
    group.sample_size(20);
    group.bench_function("build index", |b| b.iter(|| index_of(black_box(&topics))));
    for (name, query) in FRESH {
        group.bench_function(format!("fresh query: {name}"), |b| {
            b.iter(|| index.search(black_box(query)).total())
        });
    }
    group.finish();

    println!("\nTyping key by key with 40,000 papers (Searcher), per keystroke:");
    for text in TYPED {
        let ends: Vec<usize> = text.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
        // times[k][run]: keystroke k of run `run`.
        let mut times = vec![Vec::new(); ends.len()];
        for _ in 0..RUNS {
            let mut searcher = Searcher::new(index.clone());
            for (k, &end) in ends.iter().enumerate() {
                let start = Instant::now();
                black_box(searcher.search(&text[..end]).total());
                times[k].push(start.elapsed());
            }
        }
        // Each keystroke's median over the runs (the machine's noise is not the search's).
        let mut medians: Vec<Duration> = times
            .iter_mut()
            .map(|t| {
                t.sort();
                t[t.len() / 2]
            })
            .collect();
        let slowest_key = medians
            .iter()
            .enumerate()
            .max_by_key(|(_, t)| **t)
            .map(|(k, _)| &text[..ends[k]])
            .unwrap_or_default();
        medians.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let found = index.search(text).total();
        println!(
            "  {text:?}: median keystroke {:.2} ms, slowest keystroke {:.2} ms ({slowest_key:?}), \
             single worst sample {:.2} ms ({} keystrokes x {RUNS} runs; {found} rows match)",
            ms(medians[medians.len() / 2]),
            ms(*medians.last().unwrap_or(&Duration::ZERO)),
            ms(times
                .iter()
                .flatten()
                .max()
                .copied()
                .unwrap_or(Duration::ZERO)),
            ends.len(),
        );
    }
}

criterion_group!(benches, search);
criterion_main!(benches);
