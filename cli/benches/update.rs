//! `daily-papers update` of 20 topics × 100 papers against an instant fake arXiv on 127.0.0.1.
//!
//! - `update_20x100_cpu`: the process's CPU time (user + system, from getrusage) of one update
//!   with spacing 0 (allowed toward a host that is not arXiv): parse 20 feeds, import the
//!   README, write the README and the digest. The fake answers from memory in threads of the
//!   same process; its share is a copy of each answer into the socket.
//! - `update_20x100_wall_spacing_100ms`: wall time with a 0.1 s spacing, against the physical
//!   floor of (20 − 1) × 0.1 s = 1.9 s that the spacing imposes.
//!
//! Run: `cargo bench -p daily-papers-cli --bench update`.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{fixture, FakeArxiv, Reply};
use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;
use std::time::{Duration, Instant};

const TOPICS: usize = 20;

fn cpu_time() -> Duration {
    // SAFETY: getrusage writes into the struct we pass, nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn setup(spacing: &str) -> (tempfile::TempDir, FakeArxiv) {
    let fake = FakeArxiv::start();
    let feed = fixture("tests/fixtures/arxiv/search-100-entries.xml");
    let names: Vec<String> = (1..=TOPICS).map(|i| format!("Topic {i}")).collect();
    for name in &names {
        fake.on(name, vec![Reply::feed(feed.clone())]);
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let dir = tempfile::tempdir().unwrap();
    let config = common::config(
        &refs,
        &fake.endpoint,
        spacing,
        r#", "repo_url": "https://github.com/octocat/papers""#,
    );
    std::fs::write(dir.path().join("daily-papers.json"), config).unwrap();
    (dir, fake)
}

fn update(dir: &Path) {
    let config = dir.join("daily-papers.json");
    let readme = dir.join("README.md");
    let digest = dir.join("ISSUE_TEMPLATE.md");
    let code = daily_papers_cli::run([
        "daily-papers".as_ref(),
        "update".as_ref(),
        "--config".as_ref(),
        config.as_os_str(),
        "--readme".as_ref(),
        readme.as_os_str(),
        "--issue-template".as_ref(),
        digest.as_os_str(),
        "--date".as_ref(),
        "2026-11-20".as_ref(),
    ]);
    assert_eq!(
        format!("{code:?}"),
        format!("{:?}", std::process::ExitCode::SUCCESS)
    );
}

fn benches(c: &mut Criterion) {
    let (dir, _fake) = setup("0");
    update(dir.path());
    let readme = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    assert_eq!(readme.matches("\n## Topic ").count(), TOPICS);
    let mut group = c.benchmark_group("update");
    group.sample_size(20);
    group.bench_function("update_20x100_cpu", |b| {
        b.iter_custom(|iterations| {
            let start = cpu_time();
            for _ in 0..iterations {
                update(dir.path());
            }
            cpu_time() - start
        })
    });
    group.finish();

    let (slow_dir, _slow_fake) = setup("0.1");
    let floor = Duration::from_millis(100) * (TOPICS as u32 - 1);
    let mut group = c.benchmark_group("update");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(25));
    let mut worst_overhead = Duration::ZERO;
    group.bench_function("update_20x100_wall_spacing_100ms", |b| {
        b.iter_custom(|iterations| {
            let start = Instant::now();
            for _ in 0..iterations {
                let one = Instant::now();
                update(slow_dir.path());
                worst_overhead = worst_overhead.max(one.elapsed().saturating_sub(floor));
            }
            start.elapsed()
        })
    });
    group.finish();
    eprintln!(
        "physical floor (20 - 1) x 0.1 s = {floor:?}; worst run above the floor by {worst_overhead:?}"
    );
}

criterion_group!(update_benches, benches);
criterion_main!(update_benches);
