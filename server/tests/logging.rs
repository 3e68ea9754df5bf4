//! What the server logs under a flood: refusals are counted and summarised, not logged one by
//! one, and answers it chose (a 404, a 503) are no ERROR lines.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{query, settings, until, FakeArxiv, Reply, TestServer};

/// Every log line written in this test process (one test per process: the logger is global).
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn install() -> Log {
        let log = Log::default();
        let writer = log.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .init();
        log
    }

    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn lines_with(&self, text: &str) -> Vec<String> {
        self.lines()
            .into_iter()
            .filter(|line| line.contains(text))
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_refused_queries_is_summarised_in_a_few_lines() {
    let log = Log::install();
    let fake = FakeArxiv::start(Reply::Hang).await;
    let dist = std::env::temp_dir().join(format!("daily-papers-logging-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html>").unwrap();
    let url = fake.url();
    let mut settings = settings(&[
        "--upstream",
        &url,
        "--spacing-ms",
        "0",
        "--queue",
        "0",
        "--upstream-timeout-secs",
        "20",
        "--dist",
        dist.to_str().unwrap(),
    ]);
    settings.log_summary_interval = Duration::from_secs(2);
    let server = TestServer::start(settings).await;
    let stuck = {
        let (client, url) = (server.client.clone(), server.url(&query(0)));
        tokio::spawn(async move { client.get(url).send().await })
    };
    until("the first query reaches upstream", || fake.arrived() == 1).await;

    // 200 distinct queries while the only place is taken: each is refused with a 503.
    const REFUSED: usize = 200;
    for n in 1..=REFUSED {
        assert_eq!(server.get(&query(n)).await.status(), 503);
    }
    // And over-long and missing paths: plain 404s.
    let long = format!("/{}", "a".repeat(300));
    for _ in 0..20 {
        assert_eq!(server.get(&long).await.status(), 404);
        assert_eq!(server.get("/missing.js").await.status(), 404);
    }
    // Every refusal counted: the first logged, the others in summaries (one per interval).
    let summarised = || -> usize {
        log.lines_with("more queries refused")
            .iter()
            .map(|line| {
                let count = line.split(" more queries refused").next().unwrap();
                count.rsplit(' ').next().unwrap().parse::<usize>().unwrap()
            })
            .sum()
    };
    until("the summaries count every refusal", || {
        summarised() == REFUSED - 1
    })
    .await;
    let refusals = log.lines_with("refused");
    assert!(refusals[0].contains("waiting line full"), "{}", refusals[0]);
    assert!(
        refusals.len() <= 3,
        "the first refusal, then a summary per 2 s:\n{refusals:#?}"
    );
    let errors = log.lines_with("ERROR");
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        log.lines().len() < 10,
        "the whole log stays short:\n{:#?}",
        log.lines()
    );
    stuck.abort();
    let _ = std::fs::remove_dir_all(&dist);
}
