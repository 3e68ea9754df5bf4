//! `daily-papers update` against the project's server answering from its mirror of arXiv's
//! metadata (issue 23), imported from a snapshot of the real fixtures' papers: the tool runs
//! unchanged, never reaches the API upstream, and writes byte for byte the README it writes when
//! the same answers come through the proxying server.

mod common;

use clap::Parser;
use common::*;
use daily_papers_core::arxiv::topic_query::topic_query_url;
use daily_papers_core::arxiv::{parse_feed, Paper};
use daily_papers_core::config::Config;
use daily_papers_core::digest::import_readme;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

const FIXTURES: [&str; 4] = [
    "tests/fixtures/arxiv/search-100-entries.xml",
    "tests/fixtures/arxiv/search-10-entries.xml",
    "tests/fixtures/arxiv/single-entry.xml",
    "tests/fixtures/arxiv/old-style-id.xml",
];

/// The topics (phrases of several words, searched as `ti:"…" OR abs:"…"`), and their words as
/// arXiv's English analysis finds them (words followed by one of the last word's forms), written
/// here independently of the mirror's engine.
const TOPICS: [(&str, &[&str], &[&str]); 2] = [
    (
        "Software Testing",
        &["software"],
        &["test", "tests", "testing", "tested"],
    ),
    (
        "Language Models",
        &["language"],
        &["model", "models", "modeling", "modelled", "modelling"],
    ),
];

/// Every distinct paper of the real answers.
fn fixture_papers() -> Vec<Paper> {
    let mut seen = HashSet::new();
    FIXTURES
        .iter()
        .flat_map(|f| parse_feed(&fixture(f)).unwrap().papers)
        .filter(|p| seen.insert(p.id.clone()))
        .collect()
}

/// `http://arxiv.org/abs/2202.12139v3` → (`2202.12139`, 3).
fn id_and_version(entry_id: &str) -> (String, u32) {
    let id = entry_id.rsplit_once("/abs/").unwrap().1;
    let (id, version) = id.rsplit_once('v').unwrap();
    (id.to_owned(), version.parse().unwrap())
}

/// The paper's line of arXiv's JSON-lines snapshot: v1 at `published`, the latest version at
/// `updated` (the dates as the feed gives them, which the import also reads).
fn snapshot_line(paper: &Paper) -> String {
    let (id, latest) = id_and_version(&paper.id);
    let versions: Vec<serde_json::Value> = (1..=latest)
        .map(|n| {
            let date = if n == latest && n > 1 {
                &paper.updated
            } else {
                &paper.published
            };
            serde_json::json!({"version": format!("v{n}"), "created": date})
        })
        .collect();
    let optional = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    let mut categories = vec![paper.primary_category.clone()];
    categories.extend(
        paper
            .categories
            .iter()
            .filter(|c| **c != paper.primary_category)
            .cloned(),
    );
    serde_json::json!({
        "id": id,
        "authors": paper.authors.join(", "),
        "title": paper.title,
        "comments": optional(&paper.comment),
        "journal-ref": optional(&paper.journal_ref),
        "doi": optional(&paper.doi),
        "categories": categories.join(" "),
        "abstract": paper.abstract_text,
        "versions": versions,
        "update_date": "2026-11-30",
    })
    .to_string()
}

/// The project's server, in this process on its own runtime, started with `flags`.
struct Server {
    endpoint: String,
    runtime: tokio::runtime::Runtime,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    fn start(flags: &[&str]) -> Server {
        let args = ["daily-papers-server", "--spacing-ms", "300"]
            .iter()
            .chain(flags);
        let settings = daily_papers_server::config::Config::try_parse_from(args)
            .expect("flags parse")
            .settings()
            .expect("valid settings");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let addr = runtime.block_on(async {
            let app = daily_papers_server::app(&settings).expect("the server starts");
            let listener =
                daily_papers_server::http_server::listen("127.0.0.1:0".parse().unwrap()).unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(daily_papers_server::serve(listener, app, async move {
                let _ = stopped.await;
            }));
            addr
        });
        Server {
            endpoint: format!("http://{addr}/api/query"),
            runtime,
            stop: Some(stop),
        }
    }

    /// GET a path or a full address: the status, the `X-Source` header and the body.
    fn get(&self, address: &str) -> (u16, Option<String>, String) {
        let url = if address.starts_with("http") {
            address.to_owned()
        } else {
            self.endpoint.replace("/api/query", address)
        };
        self.runtime.block_on(async {
            let response = reqwest::get(&url).await.unwrap();
            let source = response
                .headers()
                .get("x-source")
                .map(|v| v.to_str().unwrap().to_owned());
            (
                response.status().as_u16(),
                source,
                response.text().await.unwrap(),
            )
        })
    }

    /// Waits until `/api/mirror` says the import is complete.
    fn wait_ready(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let (status, _, body) = self.get("/api/mirror");
            assert_eq!(status, 200, "{body}");
            let state: serde_json::Value = serde_json::from_str(&body).unwrap();
            if state["ready"] == true {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the mirror never became ready: {body}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A config for the topics toward `endpoint`, keeping papers of every archive the fixtures'
/// papers are in, and the tool's default spacing (3 s, which it skips after mirror answers).
fn write_config(dir: &Path, endpoint: &str, papers: &[Paper]) {
    let names: Vec<&str> = TOPICS.iter().map(|(name, ..)| *name).collect();
    let archives: BTreeSet<&str> = papers
        .iter()
        .flat_map(|p| &p.categories)
        .map(|c| c.split('.').next().unwrap())
        .collect();
    let extra = format!(", \"categories\": {}", serde_json::json!(archives));
    let text = config(&names, endpoint, "3", &extra);
    std::fs::write(dir.join("daily-papers.json"), text).unwrap();
}

/// `update` in `dir`: the README it wrote.
fn update(dir: &Path) -> String {
    let out = daily_papers(dir, &["update", "--date", "2026-12-07"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::read_to_string(dir.join("README.md")).unwrap()
}

/// The ids of the fixtures' papers whose title or abstract holds the topic's words.
fn expected_ids(papers: &[Paper], before: &[&str], forms: &[&str]) -> BTreeSet<String> {
    let holds = |text: &str| {
        let text = text.to_lowercase();
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        words
            .windows(before.len() + 1)
            .any(|w| w[..before.len()] == *before && forms.contains(&w[before.len()]))
    };
    papers
        .iter()
        .filter(|p| holds(&p.title) || holds(&p.abstract_text))
        .map(|p| id_and_version(&p.id).0)
        .collect()
}

#[test]
fn update_against_a_mirror_writes_the_readme_the_proxy_gives_for_the_same_answers_and_never_asks_arxiv(
) {
    let papers = fixture_papers();
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("snapshot.json");
    let lines: Vec<String> = papers.iter().map(snapshot_line).collect();
    std::fs::write(&snapshot, lines.join("\n") + "\n").unwrap();
    let upstream = FakeArxiv::start();
    let index = dir.path().join("index");
    let mirror = Server::start(&[
        "--upstream",
        &upstream.endpoint,
        // A closed port: the harvest after the import only logs its failures.
        "--oai-upstream",
        "http://127.0.0.1:9/oai",
        "--mirror",
        index.to_str().unwrap(),
        "--mirror-import",
        snapshot.to_str().unwrap(),
    ]);
    mirror.wait_ready();

    let from_mirror = tempfile::tempdir().unwrap();
    write_config(from_mirror.path(), &mirror.endpoint, &papers);
    let readme = update(from_mirror.path());
    assert!(
        upstream.log().is_empty(),
        "the API upstream was asked: {:?}",
        upstream.log()
    );

    // Each topic holds the papers its search finds among the fixtures'.
    let sections = import_readme(&readme).unwrap().sections;
    assert_eq!(sections.len(), TOPICS.len());
    for ((name, before, forms), section) in TOPICS.iter().zip(&sections) {
        assert_eq!(section.name.as_str(), *name);
        let shown: BTreeSet<String> = section
            .papers
            .iter()
            .map(|p| id_and_version(&p.id).0)
            .collect();
        let expected = expected_ids(&papers, before, forms);
        assert!(expected.len() >= 2, "the fixtures hold papers for {name}");
        assert_eq!(shown, expected, "{name}");
    }

    // The same answers, sent by arXiv (a fake) through the proxying server.
    let config = Config::from_json(
        &std::fs::read_to_string(from_mirror.path().join("daily-papers.json")).unwrap(),
    )
    .unwrap();
    let arxiv = FakeArxiv::start();
    for topic in &config.topics {
        let url =
            topic_query_url(&mirror.endpoint, topic, &config.settings.query_options()).unwrap();
        let (status, source, body) = mirror.get(&url);
        assert_eq!((status, source.as_deref()), (200, Some("mirror")));
        arxiv.on(topic.name().as_str(), vec![Reply::feed(body)]);
    }
    let proxy = Server::start(&["--upstream", &arxiv.endpoint]);
    let through_proxy = tempfile::tempdir().unwrap();
    write_config(through_proxy.path(), &proxy.endpoint, &papers);
    assert_eq!(
        update(through_proxy.path()),
        readme,
        "the same README either way"
    );
    assert_eq!(
        arxiv.log().len(),
        TOPICS.len(),
        "the proxy asked arXiv once per topic"
    );
    assert!(upstream.log().is_empty());
}
