//! The mirror's benchmark: builds a mirror of synthetic papers made from the real answers'
//! vocabulary and lengths (`core/tests/fixtures/arxiv/`), then times topic-style queries as the
//! app sends them, at each sort, through the whole answer path (parse, search, Atom).
//!
//! Usage: `mirror_bench DIR [PAPERS] [QUERIES]` (defaults 200000 papers, 300 queries per sort).
//! DIR is left as a ready mirror, so `daily-papers-server --mirror DIR` serves it (see
//! `server/bench-mirror.sh`, which adds the `wrk` run and the server's memory).

use std::time::{Duration, Instant};

use daily_papers_core::arxiv::parse_feed;
use daily_papers_server::mirror::answer::{answer, Outcome};
use daily_papers_server::mirror::harvest::{Mirror, MirrorSettings, State};
use daily_papers_server::mirror::oai::Change;
use daily_papers_server::mirror::record::{Record, Version};
use daily_papers_server::query_params::ArxivQuery;

const FIXTURE: &[u8] = include_bytes!("../../core/tests/fixtures/arxiv/search-100-entries.xml");

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Words and lengths of the real answers.
struct Corpus {
    title_words: Vec<String>,
    abstract_words: Vec<String>,
    title_lengths: Vec<usize>,
    abstract_lengths: Vec<usize>,
    authors: Vec<String>,
    categories: Vec<Vec<String>>,
    comments: Vec<String>,
}

fn corpus() -> Corpus {
    let papers = parse_feed(FIXTURE).expect("the fixture parses").papers;
    let words = |text: &str| {
        text.split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    Corpus {
        title_words: papers.iter().flat_map(|p| words(&p.title)).collect(),
        abstract_words: papers
            .iter()
            .flat_map(|p| words(&p.abstract_text))
            .collect(),
        title_lengths: papers.iter().map(|p| words(&p.title).len()).collect(),
        abstract_lengths: papers
            .iter()
            .map(|p| words(&p.abstract_text).len())
            .collect(),
        authors: papers.iter().flat_map(|p| p.authors.clone()).collect(),
        categories: papers.iter().map(|p| p.categories.clone()).collect(),
        comments: papers.iter().map(|p| p.comment.clone()).collect(),
    }
}

fn synthetic(corpus: &Corpus, rng: &mut Lcg, n: usize) -> Record {
    let pick = |rng: &mut Lcg, list: &[String]| list[rng.next(list.len())].clone();
    let text = |rng: &mut Lcg, words: &[String], len: usize| {
        (0..len)
            .map(|_| pick(rng, words))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let title_len = corpus.title_lengths[rng.next(corpus.title_lengths.len())];
    let abstract_len = corpus.abstract_lengths[rng.next(corpus.abstract_lengths.len())];
    let submitted = 1_167_609_600 + (n as i64) * 3_000 + rng.next(3_000) as i64; // from 2007
    let mut versions = vec![Version {
        number: 1,
        date: submitted,
    }];
    if rng.next(3) == 0 {
        versions.push(Version {
            number: 2,
            date: submitted + rng.next(400 * 86_400) as i64,
        });
    }
    Record {
        id: format!(
            "{:02}{:02}.{:05}",
            7 + n / 120_000,
            1 + (n / 10_000) % 12,
            n % 100_000
        ),
        versions,
        title: text(rng, &corpus.title_words, title_len),
        abstract_text: text(rng, &corpus.abstract_words, abstract_len),
        authors: (0..1 + rng.next(6))
            .map(|_| pick(rng, &corpus.authors))
            .collect(),
        categories: corpus.categories[rng.next(corpus.categories.len())].clone(),
        comment: pick(rng, &corpus.comments),
        journal_ref: String::new(),
        doi: String::new(),
        report_no: String::new(),
    }
}

/// A topic query as the app writes it (core's `topic_query`): one or two phrases in title or
/// abstract, sometimes narrowed to categories.
fn topic_query(corpus: &Corpus, rng: &mut Lcg) -> String {
    let word = |rng: &mut Lcg| loop {
        let w: String = corpus.title_words[rng.next(corpus.title_words.len())]
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        if w.len() > 3 {
            return w.to_lowercase();
        }
    };
    let phrase = match rng.next(3) {
        0 => {
            let w = word(rng);
            format!("ti:\"{w}\" AND abs:\"{w}\"")
        }
        _ => {
            let p = format!("{} {}", word(rng), word(rng));
            format!("ti:\"{p}\" OR abs:\"{p}\"")
        }
    };
    match rng.next(3) {
        0 => format!("({phrase}) AND (cat:cs.* OR cat:stat.ML)"),
        _ => phrase,
    }
}

/// CPU time this thread has used: unlike wall-clock time, not stretched when other processes
/// share the cores.
fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the call only writes it.
    let done = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(done, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(
        args.next()
            .expect("usage: mirror_bench DIR [PAPERS] [QUERIES]"),
    );
    let papers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let queries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let corpus = corpus();
    let mirror = Mirror::open(MirrorSettings {
        dir: dir.clone(),
        oai_upstream: "http://127.0.0.1:9/oai".parse().expect("a URL"),
        interval: Duration::from_secs(3600),
        sets: Vec::new(),
        import: None,
        replica: false,
        compare: None,
    })
    .expect("the mirror opens");
    let mut rng = Lcg(42);
    if mirror.store.papers() as usize != papers {
        let started = Instant::now();
        let batch = 50_000;
        let mut state = State::default();
        for first in (0..papers).step_by(batch) {
            let changes: Vec<Change> = (first..(first + batch).min(papers))
                .map(|n| Change::Upsert(Box::new(synthetic(&corpus, &mut rng, n))))
                .collect();
            state.ready = first + batch >= papers;
            state.harvested_at = Some(time::OffsetDateTime::now_utc().unix_timestamp());
            state.pages += 1;
            mirror.apply(&changes, &state).expect("the batch applies");
        }
        // One segment, as the end of `--mirror-import` leaves a mirror.
        mirror.store.merge_all().expect("the segments merge");
        let built = started.elapsed();
        println!("papers: {}", mirror.store.papers());
        println!(
            "build: {:.1} s ({:.0} papers/s), merged into one segment",
            built.as_secs_f64(),
            papers as f64 / built.as_secs_f64()
        );
    } else {
        println!("papers: {} (already built)", mirror.store.papers());
    }
    let size = daily_papers_server::mirror::index::Store::size_bytes(&dir);
    println!(
        "index size: {:.1} MiB ({:.0} bytes/paper)",
        size as f64 / 1048576.0,
        size as f64 / papers as f64
    );

    let mut rng = Lcg(7);
    let topics: Vec<String> = (0..queries)
        .map(|_| topic_query(&corpus, &mut rng))
        .collect();
    for (sort, order) in [
        ("relevance", "descending"),
        ("lastUpdatedDate", "descending"),
        ("submittedDate", "descending"),
    ] {
        let mut times = Vec::with_capacity(topics.len());
        let mut cpu_times = Vec::with_capacity(topics.len());
        let mut matched = 0u64;
        for topic in &topics {
            let encoded: String = form_urlencoded::byte_serialize(topic.as_bytes()).collect();
            let raw =
                format!("search_query={encoded}&sortBy={sort}&sortOrder={order}&max_results=100");
            let query = ArxivQuery::parse(Some(&raw)).expect("a valid query");
            let (started, cpu_started) = (Instant::now(), thread_cpu());
            let outcome = answer(&mirror.store, &query, 0).expect("answered");
            times.push(started.elapsed());
            cpu_times.push(thread_cpu().saturating_sub(cpu_started));
            if let Outcome::Feed(body) = outcome {
                matched += body.matches("<entry>").count() as u64;
            }
        }
        times.sort();
        cpu_times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "sortBy={sort}: {} queries, median {:.2} ms, p99 {:.2} ms, max {:.2} ms (CPU time: median {:.2} ms, p99 {:.2} ms, mean {:.2} ms), {:.1} entries per answer",
            times.len(),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(times.last().copied().unwrap_or_default()),
            ms(percentile(&cpu_times, 0.5)),
            ms(percentile(&cpu_times, 0.99)),
            ms(cpu_times.iter().sum::<Duration>()) / cpu_times.len() as f64,
            matched as f64 / times.len() as f64
        );
    }
    // For the wrk run: the same kind of queries, one per line, URL-encoded.
    let list: Vec<String> = (0..20_000)
        .map(|_| {
            let topic = topic_query(&corpus, &mut rng);
            let encoded: String = form_urlencoded::byte_serialize(topic.as_bytes()).collect();
            format!("/api/query?search_query={encoded}&sortBy=lastUpdatedDate&sortOrder=descending&max_results=100")
        })
        .collect();
    std::fs::write(dir.join("bench-queries.txt"), list.join("\n") + "\n")
        .expect("writes the query list");
}
