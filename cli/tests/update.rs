//! `daily-papers init` and `update` against a fake arXiv on 127.0.0.1: the README round trip, a
//! failing topic, `--strict`, the spacing and `Retry-After` (measured), the exit codes, and the
//! same bytes as the app's core functions.

mod common;

use common::*;
use daily_papers_core::arxiv::{parse_feed, CategoryFilter, LinkStyle, Paper};
use daily_papers_core::config::Config;
use daily_papers_core::digest::import_readme;
use daily_papers_core::digest::readme::{issue_digest, Section};
use daily_papers_core::library::results::{draft_readme, results_key, FetchedAt, KeywordResults};
use daily_papers_core::topics::TopicList;
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

const DAILY_README: &str = "tests/fixtures/readmes/dailyarxiv/README.md";

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Serves every section of `readme` as the feed of its topic's phrase.
fn serve_readme(fake: &FakeArxiv, readme: &str) {
    for section in import_readme(readme).unwrap().sections {
        fake.on(
            section.name.as_str(),
            vec![Reply::feed(atom_feed(&section.papers))],
        );
    }
}

/// `init --from-readme`, then the config pointed at `endpoint` with a short spacing (allowed
/// toward a host that is not arXiv).
fn init_from(dir: &Path, readme: &str, endpoint: &str) {
    std::fs::write(dir.join("README.md"), readme).unwrap();
    let out = daily_papers(dir, &["init", "--from-readme", "README.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = dir.join("daily-papers.json");
    let mut config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    config["settings"]["endpoint"] = endpoint.into();
    config["settings"]["spacing_seconds"] = serde_json::json!(0.3);
    std::fs::write(&path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
}

#[test]
fn init_from_the_dailyarxiv_readme_then_update_gives_the_same_readme_but_the_date() {
    let original = String::from_utf8(fixture(DAILY_README)).unwrap();
    let fake = FakeArxiv::start();
    serve_readme(&fake, &original);
    let dir = temp_dir();
    init_from(dir.path(), &original, &fake.endpoint);

    let out = daily_papers(dir.path(), &["update", "--date", "2026-08-22"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    let expected = original.replace("Last update: 2026-08-21\n", "Last update: 2026-08-22\n");
    // The one documented difference: the row whose abstract has bare pipes (`$|S_{i}|$`) now
    // has them escaped.
    let differing: Vec<(&str, &str)> = written
        .split('\n')
        .zip(expected.split('\n'))
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(differing.len(), 1, "{differing:?}");
    assert!(differing[0].1.contains("$|S_{i}|"));
    assert_eq!(written.replace("\\|", "|"), expected.replace("\\|", "|"));
    // Polite: the identifying headers, one request per topic.
    let log = fake.log();
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|r| r.accept == "application/atom+xml"));
    assert!(log
        .iter()
        .all(|r| r.user_agent.starts_with("daily-papers-cli/")));
}

#[test]
fn init_from_the_pdf_golden_readme_then_update_gives_it_back_byte_for_byte() {
    let original = String::from_utf8(fixture("tests/golden/fixtures-README-pdf.md")).unwrap();
    let fake = FakeArxiv::start();
    serve_readme(&fake, &original);
    let dir = temp_dir();
    init_from(dir.path(), &original, &fake.endpoint);
    let config = std::fs::read_to_string(dir.path().join("daily-papers.json")).unwrap();
    assert!(config.contains("\"link_style\": \"pdf\""));
    assert!(config.contains("\"sort\": \"relevance\""));
    let out = daily_papers(dir.path(), &["update", "--date", "2026-11-20"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("README.md")).unwrap(),
        original
    );
    // The query asks as the README's variant does.
    assert!(fake.log().iter().all(|r| !r.phrase.is_empty()));
}

/// A README of three topics, the middle one failing with HTTP 500.
fn one_failing(dir: &Path, strict: bool) -> (String, std::process::Output, FakeArxiv) {
    let original = String::from_utf8(fixture(DAILY_README)).unwrap();
    let fake = FakeArxiv::start();
    let imported = import_readme(&original).unwrap();
    // Fresh answers: fewer papers than the README has, so a kept section is told apart.
    for section in &imported.sections {
        fake.on(
            section.name.as_str(),
            vec![Reply::feed(atom_feed(&section.papers[..5]))],
        );
    }
    fake.on("Trajectory", vec![Reply::status(500)]);
    init_from(dir, &original, &fake.endpoint);
    std::fs::create_dir_all(dir.join(".github")).unwrap();
    std::fs::write(dir.join(".github/ISSUE_TEMPLATE.md"), "old digest\n").unwrap();
    let mut args = vec![
        "update",
        "--date",
        "2026-08-22",
        "--issue-template",
        ".github/ISSUE_TEMPLATE.md",
    ];
    if strict {
        args.push("--strict");
    }
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_daily-papers"));
    let out = command
        .current_dir(dir)
        .args(&args)
        .env("GITHUB_REPOSITORY", "octocat/papers")
        .output()
        .unwrap();
    (original, out, fake)
}

#[test]
fn a_failing_topic_keeps_its_old_section_byte_for_byte_and_exits_1() {
    let dir = temp_dir();
    let (original, out, _fake) = one_failing(dir.path(), false);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Trajectory: FAILED: The endpoint answered with HTTP 500"),
        "{err}"
    );
    assert!(err.contains("1 failed"), "{err}");
    let written = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    // Kept byte for byte, but for the one row whose abstract has bare pipes (`$|S_{i}|$`),
    // which every README we write has escaped (FORMAT.md §3).
    let (kept, old) = (
        section(&written, "Trajectory"),
        section(&original, "Trajectory"),
    );
    assert!(kept.replace("\\|", "|") == old.replace("\\|", "|"));
    assert_eq!(kept.len(), old.len() + 2);
    assert!(old.contains("$|S_{i}|"));
    assert_eq!(
        section(&written, "Time Series").matches("\n| **[").count(),
        5,
        "the topics that answered are fresh"
    );
    assert!(written.contains("Last update: 2026-08-22\n"));
    let digest = std::fs::read_to_string(dir.path().join(".github/ISSUE_TEMPLATE.md")).unwrap();
    assert!(digest.starts_with("---\ntitle: Latest 15 Papers - August 22, 2026\n"));
    assert!(digest.contains("(https://github.com/octocat/papers)"));
    assert!(digest.contains("\n## Trajectory\n"));
}

#[test]
fn strict_leaves_every_file_untouched_on_a_failure() {
    let dir = temp_dir();
    let (original, out, _fake) = one_failing(dir.path(), true);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("--strict"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("README.md")).unwrap(),
        original
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".github/ISSUE_TEMPLATE.md")).unwrap(),
        "old digest\n"
    );
}

#[test]
fn nothing_fetched_exits_3_and_changes_nothing() {
    let dir = temp_dir();
    let fake = FakeArxiv::start();
    fake.on("A", vec![Reply::status(500)]);
    let cfg = config(&["A"], &fake.endpoint, "0.3", "");
    std::fs::write(dir.path().join("daily-papers.json"), cfg).unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        fixture("tests/golden/fixtures-README.md"),
    )
    .unwrap();
    let out = daily_papers(dir.path(), &["update"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(dir.path().join("README.md")).unwrap(),
        fixture("tests/golden/fixtures-README.md")
    );
}

#[test]
fn requests_are_spaced_at_least_as_configured() {
    let dir = temp_dir();
    let fake = FakeArxiv::start();
    let feed = fixture("tests/fixtures/arxiv/single-entry.xml");
    for t in ["A", "B", "C", "D"] {
        fake.on(t, vec![Reply::feed(feed.clone())]);
    }
    let cfg = config(&["A", "B", "C", "D"], &fake.endpoint, "0.3", "");
    std::fs::write(dir.path().join("daily-papers.json"), cfg).unwrap();
    let out = daily_papers(dir.path(), &["update", "--date", "2026-01-02"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let log = fake.log();
    assert_eq!(log.len(), 4);
    for pair in log.windows(2) {
        // From one answer leaving the fake to the next request arriving.
        let gap = pair[1].arrived.duration_since(pair[0].answered);
        assert!(gap >= Duration::from_millis(300), "gap {gap:?}");
    }
}

#[test]
fn a_429_with_retry_after_is_honoured() {
    let dir = temp_dir();
    let fake = FakeArxiv::start();
    let feed = fixture("tests/fixtures/arxiv/single-entry.xml");
    fake.on(
        "A",
        vec![
            Reply::status(429).header("Retry-After", "3"),
            Reply::feed(feed.clone()),
        ],
    );
    let cfg = config(&["A"], &fake.endpoint, "0.3", "");
    std::fs::write(dir.path().join("daily-papers.json"), cfg).unwrap();
    let out = daily_papers(dir.path(), &["update", "--date", "2026-01-02"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The endpoint is not always arXiv: the terminal's words say "busy", not "arXiv is busy".
    assert!(stderr(&out).contains("busy (HTTP 429); trying again in"));
    assert!(!stderr(&out).contains("arXiv is busy"));
    let log = fake.log();
    assert_eq!(log.len(), 2);
    // Retry-After 3 s is longer than the backoff (2 s for a 0.3 s spacing): 3 s it is.
    let gap = log[1].arrived.duration_since(log[0].answered);
    assert!(gap >= Duration::from_secs(3), "gap {gap:?}");
}

#[test]
fn an_empty_answer_is_retried_then_no_paper_matches_keeps_the_old_section() {
    let dir = temp_dir();
    let fake = FakeArxiv::start();
    let golden = String::from_utf8(fixture("tests/golden/fixtures-README.md")).unwrap();
    let imported = import_readme(&golden).unwrap();
    for s in &imported.sections {
        fake.on(s.name.as_str(), vec![Reply::feed(atom_feed(&s.papers))]);
    }
    fake.on(
        "Information Theory",
        vec![Reply::feed(fixture(
            "tests/fixtures/arxiv/empty-result.xml",
        ))],
    );
    init_from(dir.path(), &golden, &fake.endpoint);
    let out = daily_papers(dir.path(), &["update", "--date", "2026-11-20"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("Information Theory: no paper matches; kept its previous section"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("README.md")).unwrap(),
        golden
    );
    let tries = fake
        .log()
        .iter()
        .filter(|r| r.phrase == "Information Theory")
        .count();
    assert_eq!(tries, daily_papers_core::fetch::policy::MAX_EMPTY_TRIES as usize);
}

#[test]
fn a_malformed_config_exits_2_naming_the_field() {
    let dir = temp_dir();
    for (text, named) in [
        (
            r#"{"version": 1, "topics": [{"name": "A", "phrases": ["A"]}], "settings": {"max_results": 0}}"#,
            "daily-papers.json: settings.max_results: ",
        ),
        (
            r#"{"version": 1, "topics": [{"name": "A", "phrases": ["A"]}, {"name": "B", "phrases": ["B"], "categories": ["zzz"]}]}"#,
            "daily-papers.json: topics[1].categories: ",
        ),
        (
            r#"{"version": 1, "topics": [{"name": "A", "phrases": ["A"]}], "settings": {"spacing_seconds": "fast"}}"#,
            "daily-papers.json: settings.spacing_seconds: ",
        ),
        (
            r#"{"version": 1, "topics": []}"#,
            "daily-papers.json: topics: ",
        ),
    ] {
        std::fs::write(dir.path().join("daily-papers.json"), text).unwrap();
        let out = daily_papers(dir.path(), &["update"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(named), "{}", stderr(&out));
    }
    let out = daily_papers(dir.path(), &["update", "--date", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    let out = daily_papers(dir.path(), &["update", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let missing = daily_papers(dir.path(), &["update", "--config", "nope.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nope.json"));
    // The web app's same-origin path means nothing to the tool.
    let good = config(&["A"], "http://127.0.0.1:9/api/query", "0.3", "");
    std::fs::write(dir.path().join("daily-papers.json"), good).unwrap();
    let out = daily_papers(dir.path(), &["update", "--endpoint", "/api/query"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--endpoint: "), "{}", stderr(&out));
    // A README that is not a Daily Papers README is never overwritten.
    let good = config(&["A"], "http://127.0.0.1:9/api/query", "0.3", "");
    std::fs::write(dir.path().join("daily-papers.json"), good).unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "# My project\n\nNo tables here.\n",
    )
    .unwrap();
    let out = daily_papers(dir.path(), &["update"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("README.md: This is not a Daily Papers README"));
    // A digest with no repository link is refused before any request.
    std::fs::remove_file(dir.path().join("README.md")).unwrap();
    let out = daily_papers(dir.path(), &["update", "--issue-template", "digest.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("settings.repo_url"));
}

/// What the app writes for the same answers: each feed through the policy's filter, then the
/// core's README draft and digest.
#[test]
fn the_tool_writes_what_the_apps_core_functions_write_for_the_same_feeds() {
    let dir = temp_dir();
    let fake = FakeArxiv::start();
    let feeds = [
        (
            "Software Testing",
            "tests/fixtures/arxiv/search-10-entries.xml",
        ),
        (
            "Information Theory",
            "tests/fixtures/arxiv/single-entry.xml",
        ),
        ("Comment Cases", "tests/fixtures/hand/comment-cases.xml"),
    ];
    for (name, path) in feeds {
        fake.on(name, vec![Reply::feed(fixture(path))]);
    }
    let names: Vec<&str> = feeds.iter().map(|(n, _)| *n).collect();
    let cfg = config(
        &names,
        &fake.endpoint,
        "0",
        r#", "repo_url": "https://github.com/octocat/daily-papers", "link_style": "pdf""#,
    );
    std::fs::write(dir.path().join("daily-papers.json"), cfg).unwrap();
    let out = daily_papers(
        dir.path(),
        &[
            "update",
            "--date",
            "2026-11-20",
            "--issue-template",
            ".github/ISSUE_TEMPLATE.md",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let mut list = TopicList::default();
    for name in &names {
        list.add(name).unwrap();
    }
    let topics = || list.entries().iter().map(|e| (e.id, e.topic.name()));
    let at = FetchedAt {
        unix_ms: 1,
        date: "2026-11-20".parse().unwrap(),
        time: "08:00".into(),
        stale: false,
    };
    let results: HashMap<String, KeywordResults> = feeds
        .iter()
        .map(|(name, path)| {
            let papers: Vec<Paper> =
                CategoryFilter::default().apply(parse_feed(&fixture(path)).unwrap().papers);
            let id = list.id_of(name).unwrap();
            (
                results_key(id),
                KeywordResults::succeeded(papers, at.clone(), list.get(id).unwrap()),
            )
        })
        .collect();
    let app = draft_readme(topics(), |id| results.get(&results_key(id)), LinkStyle::Pdf);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("README.md")).unwrap(),
        app.markdown.unwrap()
    );
    let sections: Vec<Section> = topics()
        .map(|(id, k)| Section {
            keyword: k.as_str(),
            papers: &results[&results_key(id)].papers,
        })
        .collect();
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".github/ISSUE_TEMPLATE.md")).unwrap(),
        issue_digest(
            at.date,
            "https://github.com/octocat/daily-papers",
            &sections,
            LinkStyle::Pdf
        )
    );
}

/// arXiv's floor: whatever the file says, the tool waits 3 s between requests to arXiv itself
/// (checked on the decision, without a network: no test may reach arXiv).
#[test]
fn toward_arxiv_the_spacing_is_never_below_3_seconds() {
    let config = Config::from_json(
        r#"{"version": 1, "topics": [{"name": "A", "phrases": ["A"]}], "settings": {"spacing_seconds": 0.3}}"#,
    )
    .unwrap();
    assert!(!config.endpoint_given);
    let mut settings = config.settings.clone();
    assert_eq!(settings.effective_spacing().millis(), 300);
    settings.set_endpoint(daily_papers_cli::ARXIV_API).unwrap();
    assert_eq!(settings.effective_spacing().millis(), 3_000);
    let refused = Config::from_json(
        r#"{"version": 1, "topics": [{"name": "A", "phrases": ["A"]}], "settings": {"endpoint": "https://export.arxiv.org/api/query", "spacing_seconds": 0.3}}"#,
    )
    .unwrap_err();
    assert_eq!(refused.path, "settings.spacing_seconds");
}

#[test]
fn every_subcommand_has_help() {
    let dir = temp_dir();
    for (args, expected) in [
        (vec!["--help"], "init"),
        (vec!["init", "--help"], "--from-readme"),
        (vec!["update", "--help"], "--issue-template"),
    ] {
        let out = daily_papers(dir.path(), &args);
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(expected), "{text}");
    }
}

#[test]
fn init_writes_a_commented_config_that_reads_back_and_refuses_to_overwrite() {
    let dir = temp_dir();
    let out = daily_papers(dir.path(), &["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("daily-papers.json")).unwrap();
    assert!(text.contains("\"_comment\""));
    let config = Config::from_json(&text).unwrap();
    assert!(!config.topics.is_empty());
    let again = daily_papers(dir.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"));
    let bad = daily_papers(
        dir.path(),
        &["init", "--from-readme", "missing.md", "--force"],
    );
    assert_eq!(bad.status.code(), Some(2));
}
