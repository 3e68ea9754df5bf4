//! The core pipeline on a real 100-entry arXiv answer (tests/fixtures/arxiv/search-100-entries.xml):
//! parse alone, and parse + category filter + README markdown, as the app runs it per keyword.
//!
//! Run: `cargo bench --bench core`. The reference Python pipeline (feedparser + string
//! formatting) takes about 43 ms per run on this feed.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use daily_papers_core::arxiv::{parse_feed, CategoryFilter, LinkStyle};
use daily_papers_core::date::Date;
use daily_papers_core::digest::readme::{issue_digest, readme, Section};

const FEED: &[u8] = include_bytes!("../tests/fixtures/arxiv/search-100-entries.xml");

fn pipeline(c: &mut Criterion) {
    let filter = CategoryFilter::default();
    let day = Date::new(2026, 11, 20).expect("valid date");

    let mut group = c.benchmark_group("search-100-entries");
    group.throughput(Throughput::Bytes(FEED.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| parse_feed(black_box(FEED)).map(|f| f.papers.len()))
    });
    group.bench_function("parse+filter+readme", |b| {
        b.iter(|| {
            let feed = parse_feed(black_box(FEED)).expect("fixture parses");
            let papers = filter.apply(feed.papers);
            let sections = [Section {
                keyword: "testing",
                papers: &papers,
            }];
            readme(day, &sections, LinkStyle::Abs)
        })
    });
    group.bench_function("parse+filter+readme+digest", |b| {
        b.iter(|| {
            let feed = parse_feed(black_box(FEED)).expect("fixture parses");
            let papers = filter.apply(feed.papers);
            let sections = [Section {
                keyword: "testing",
                papers: &papers,
            }];
            let md = readme(day, &sections, LinkStyle::Abs);
            let digest = issue_digest(day, "https://github.com/o/r", &sections, LinkStyle::Abs);
            (md, digest)
        })
    });
    group.finish();

    let feed = parse_feed(FEED).expect("fixture parses");
    let papers = filter.apply(feed.papers);
    c.bench_function("readme only (95 papers)", |b| {
        b.iter(|| {
            let sections = [Section {
                keyword: "testing",
                papers: black_box(&papers),
            }];
            readme(day, &sections, LinkStyle::Abs)
        })
    });
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
