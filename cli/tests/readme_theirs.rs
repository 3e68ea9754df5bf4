//! The user's README is theirs (issue 29), with the tool against a fake arXiv on 127.0.0.1: what
//! we did not write is kept (a footer, a note under a heading, sections outside the config), the
//! file keeps its permissions, symbolic link and line ends, a file that cannot be written is
//! found before the first request and has its own exit code, failures that pass are retried, and
//! what scripts expect (--dry-run, --quiet, --summary-json, exit codes in --help).

mod common;

use common::*;
use daily_papers_core::digest::import_readme;
use std::path::Path;

const GOLDEN: &str = "tests/golden/fixtures-README.md";

fn golden() -> String {
    String::from_utf8(fixture(GOLDEN)).unwrap()
}

/// Serves every section of `readme` as the feed of its topic, and writes a config of `topics`
/// toward the fake.
fn serve(dir: &Path, readme: &str, topics: &[&str]) -> FakeArxiv {
    let fake = FakeArxiv::start();
    for section in import_readme(readme).unwrap().sections {
        fake.on(
            section.name.as_str(),
            vec![Reply::feed(atom_feed(&section.papers))],
        );
    }
    std::fs::write(
        dir.join("daily-papers.json"),
        config(topics, &fake.endpoint, "0", ""),
    )
    .unwrap();
    fake
}

const ALL: [&str; 3] = ["Software Testing", "Information Theory", "Comment Cases"];

/// The golden README with a note under a heading, text between sections and a footer.
fn with_users_text() -> String {
    golden()
        .replace(
            "## Information Theory\n",
            "## Information Theory\nPicked by hand: coding and channels.\n\n",
        )
        .replace(
            "## Comment Cases\n",
            "Some words between two sections.\n\n## Comment Cases\n",
        )
        + "## License\n\nMIT. Curated by Ada.\n"
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn a_footer_a_note_and_text_between_sections_survive_an_update() {
    let dir = tempfile::tempdir().unwrap();
    let original = with_users_text();
    std::fs::write(dir.path().join("README.md"), &original).unwrap();
    let _fake = serve(dir.path(), &original, &ALL);
    let out = daily_papers(dir.path(), &["update", "--date", "2026-11-20"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The same papers on the README's own date: nothing at all changes.
    assert_eq!(read(dir.path(), "README.md"), original);
    assert!(stderr(&out).contains("(unchanged)"), "{}", stderr(&out));
}

#[test]
fn a_note_under_a_heading_is_read_as_part_of_its_section() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), with_users_text()).unwrap();
    let out = daily_papers(dir.path(), &["init", "--from-readme", "README.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Read README.md: 3 topics"),
        "{}",
        stderr(&out)
    );
    let config = read(dir.path(), "daily-papers.json");
    assert!(config.contains("\"Information Theory\""), "{config}");
}

#[test]
fn a_section_outside_the_config_is_kept_and_reported_unless_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let original = with_users_text();
    std::fs::write(dir.path().join("README.md"), &original).unwrap();
    let _fake = serve(
        dir.path(),
        &original,
        &["Software Testing", "Comment Cases"],
    );
    let out = daily_papers(dir.path(), &["update", "--date", "2026-11-20"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("kept 1 section not in daily-papers.json (Information Theory)"),
        "{err}"
    );
    assert_eq!(read(dir.path(), "README.md"), original);

    let out = daily_papers(dir.path(), &["update", "--date", "2026-11-20", "--prune"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("removed 1 section not in daily-papers.json (Information Theory)"),
        "{err}"
    );
    let pruned = read(dir.path(), "README.md");
    assert!(!pruned.contains("## Information Theory"));
    assert!(!pruned.contains("Picked by hand"));
    assert!(pruned.contains("\nSome words between two sections.\n\n## Comment Cases\n"));
    assert!(pruned.ends_with(" |\n\n## License\n\nMIT. Curated by Ada.\n"));
}

#[cfg(unix)]
mod files {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn the_readme_keeps_its_mode_and_a_new_one_gets_0644() {
        let dir = tempfile::tempdir().unwrap();
        let readme = dir.path().join("README.md");
        std::fs::write(&readme, golden()).unwrap();
        set_mode(&readme, 0o664);
        let _fake = serve(dir.path(), &golden(), &ALL);
        let out = daily_papers(dir.path(), &["update", "--date", "2026-11-21"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(read(dir.path(), "README.md").contains("Last update: 2026-11-21\n"));
        assert_eq!(mode(&readme), 0o664);
        let digest = dir.path().join("digest.md");
        std::fs::remove_file(&readme).unwrap();
        let out = daily_papers(
            dir.path(),
            &["update", "--date", "2026-11-21", "--summary-json", "s.json"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(mode(&readme), 0o644);
        assert_eq!(mode(&dir.path().join("s.json")), 0o644);
        assert!(!digest.exists());
    }

    #[test]
    fn a_symlinked_readme_stays_a_link_and_its_target_is_updated() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("docs")).unwrap();
        let target = dir.path().join("docs/PAPERS.md");
        std::fs::write(&target, golden()).unwrap();
        symlink("docs/PAPERS.md", dir.path().join("README.md")).unwrap();
        let _fake = serve(dir.path(), &golden(), &ALL);
        let out = daily_papers(dir.path(), &["update", "--date", "2026-11-21"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let link = std::fs::symlink_metadata(dir.path().join("README.md")).unwrap();
        assert!(link.file_type().is_symlink());
        assert_eq!(
            std::fs::read_link(dir.path().join("README.md")).unwrap(),
            Path::new("docs/PAPERS.md")
        );
        assert!(std::fs::read_to_string(&target)
            .unwrap()
            .contains("Last update: 2026-11-21\n"));
    }

    #[test]
    fn crlf_line_ends_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let crlf = with_users_text().replace('\n', "\r\n");
        std::fs::write(dir.path().join("README.md"), &crlf).unwrap();
        let _fake = serve(dir.path(), &with_users_text(), &ALL);
        let out = daily_papers(dir.path(), &["update", "--date", "2026-11-21"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(
            read(dir.path(), "README.md"),
            crlf.replace("Last update: 2026-11-20\r\n", "Last update: 2026-11-21\r\n")
        );
    }

    #[test]
    fn a_read_only_readme_is_refused_before_any_request_with_exit_4() {
        let dir = tempfile::tempdir().unwrap();
        let readme = dir.path().join("README.md");
        std::fs::write(&readme, golden()).unwrap();
        set_mode(&readme, 0o444);
        let fake = serve(dir.path(), &golden(), &ALL);
        let out = daily_papers(dir.path(), &["update", "--date", "2026-11-21"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{err}");
        assert!(err.contains("README.md: is read-only"), "{err}");
        assert!(fake.log().is_empty(), "no request was spent");
        assert_eq!(read(dir.path(), "README.md"), golden());
        assert_eq!(mode(&readme), 0o444);
        // --dry-run writes nothing, so it may run.
        let out = daily_papers(dir.path(), &["update", "--date", "2026-11-21", "--dry-run"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_found_before_the_first_request() {
        let dir = tempfile::tempdir().unwrap();
        let fake = serve(dir.path(), &golden(), &ALL);
        let out_dir = dir.path().join("out");
        std::fs::create_dir(&out_dir).unwrap();
        set_mode(&out_dir, 0o555);
        let out = daily_papers(
            dir.path(),
            &[
                "update",
                "--readme",
                "out/README.md",
                "--date",
                "2026-11-21",
            ],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{err}");
        assert!(err.contains("cannot be written"), "{err}");
        // A summary whose folder is a file: the same, before any request.
        std::fs::write(dir.path().join("github"), "a file").unwrap();
        let out = daily_papers(
            dir.path(),
            &[
                "update",
                "--summary-json",
                "github/s.json",
                "--date",
                "2026-11-21",
            ],
        );
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        assert!(fake.log().is_empty(), "no request was spent");
        set_mode(&out_dir, 0o755);
    }
}

#[test]
fn a_502_then_a_feed_is_retried_and_so_is_a_dropped_connection() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeArxiv::start();
    let feed = fixture("tests/fixtures/arxiv/single-entry.xml");
    fake.on("A", vec![Reply::status(502), Reply::feed(feed.clone())]);
    fake.on("B", vec![Reply::hang_up(), Reply::feed(feed.clone())]);
    std::fs::write(
        dir.path().join("daily-papers.json"),
        config(&["A", "B"], &fake.endpoint, "0.3", ""),
    )
    .unwrap();
    let out = daily_papers(dir.path(), &["update", "--date", "2026-01-02"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("HTTP 502; trying again in"), "{err}");
    assert!(err.contains("no answer; trying again in"), "{err}");
    let log = fake.log();
    let tries = |phrase: &str| log.iter().filter(|r| r.phrase == phrase).count();
    assert_eq!((tries("A"), tries("B")), (2, 2), "{log:?}");
    // The same backoff as a busy answer: 2 × max(spacing, 1 s).
    let a: Vec<_> = log.iter().filter(|r| r.phrase == "A").collect();
    assert!(a[1].arrived.duration_since(a[0].answered) >= std::time::Duration::from_secs(2));
}

#[test]
fn a_server_error_that_stays_fails_after_three_tries_in_the_terminals_words() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeArxiv::start();
    fake.on("A", vec![Reply::status(504)]);
    fake.on(
        "B",
        vec![Reply::feed(fixture(
            "tests/fixtures/arxiv/single-entry.xml",
        ))],
    );
    std::fs::write(
        dir.path().join("daily-papers.json"),
        config(&["A", "B"], &fake.endpoint, "0", ""),
    )
    .unwrap();
    let out = daily_papers(dir.path(), &["update", "--date", "2026-01-02"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "A: FAILED: The endpoint answered with HTTP 504, 3 times; the next run tries again"
        ),
        "{err}"
    );
    for page_words in ["then Retry", "in the settings", "this page"] {
        assert!(!err.contains(page_words), "{err}");
    }
    assert_eq!(fake.log().iter().filter(|r| r.phrase == "A").count(), 3);
}

#[test]
fn dry_run_fetches_and_says_what_would_change_but_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let original = golden();
    std::fs::write(dir.path().join("README.md"), &original).unwrap();
    let fake = serve(dir.path(), &original, &ALL);
    // One more paper in one topic.
    let mut papers = import_readme(&original).unwrap().sections[0].papers.clone();
    let mut extra = papers[0].clone();
    extra.id = "http://arxiv.org/abs/2611.00001v1".into();
    extra.abs_link = extra.id.clone();
    extra.pdf_link = "http://arxiv.org/pdf/2611.00001v1".into();
    extra.title = "A Paper Nobody Had".into();
    papers.insert(0, extra);
    fake.on("Software Testing", vec![Reply::feed(atom_feed(&papers))]);
    let out = daily_papers(
        dir.path(),
        &[
            "update",
            "--date",
            "2026-11-21",
            "--dry-run",
            "--verbose",
            "--issue-template",
            "digest.md",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "no repo_url: {err}");
    let out = daily_papers(
        dir.path(),
        &["update", "--date", "2026-11-21", "--dry-run", "--verbose"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("new: A Paper Nobody Had"), "{err}");
    assert!(
        err.contains("--dry-run: README.md would change (3 of 3 topics fetched, 0 failed, 0 matched no paper; 1 new or updated paper)"),
        "{err}"
    );
    assert_eq!(read(dir.path(), "README.md"), original);
    assert_eq!(fake.log().len(), 3, "it did fetch");
}

#[test]
fn the_summary_json_gives_each_topic_and_whether_the_readme_changed() {
    let dir = tempfile::tempdir().unwrap();
    let original = golden();
    std::fs::write(dir.path().join("README.md"), &original).unwrap();
    let fake = serve(dir.path(), &original, &ALL);
    fake.on("Information Theory", vec![Reply::status(404)]);
    let out = daily_papers(
        dir.path(),
        &[
            "update",
            "--date",
            "2026-11-20",
            "--summary-json",
            "out/summary.json",
            "--quiet",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // --quiet: the failure and the end, no progress.
    assert!(!err.contains("[1/3]"), "{err}");
    assert!(
        err.contains("Information Theory: FAILED: The endpoint answered with HTTP 404"),
        "{err}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&read(dir.path(), "out/summary.json")).unwrap();
    assert_eq!(summary["exit_code"], 1);
    assert_eq!(summary["new_papers"], 0);
    assert_eq!(summary["changed"], false, "same papers, same date");
    assert_eq!(summary["written"], true);
    let topics = summary["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 3);
    assert_eq!(topics[0]["name"], "Software Testing");
    assert_eq!(topics[0]["status"], "fetched");
    assert_eq!(topics[0]["fetched"], 10);
    assert_eq!(topics[0]["new"], 0);
    assert_eq!(topics[1]["status"], "failed");
    assert_eq!(topics[1]["failed"], true);
    assert_eq!(topics[1]["kept"], 1);
    assert!(topics[1]["error"].as_str().unwrap().contains("HTTP 404"));
    assert!(topics[2]["error"].is_null());
}

#[test]
fn a_run_on_a_saturday_without_news_says_arxiv_announced_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let original = golden();
    std::fs::write(dir.path().join("README.md"), &original).unwrap();
    let _fake = serve(dir.path(), &original, &ALL);
    // 2026-11-21 is a Saturday.
    let out = daily_papers(
        dir.path(),
        &["update", "--date", "2026-11-21", "--summary-json", "s.json"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("No new paper: arXiv announces nothing on Friday and Saturday evenings"),
        "{err}"
    );
    let summary: serde_json::Value = serde_json::from_str(&read(dir.path(), "s.json")).unwrap();
    assert_eq!(summary["new_papers"], 0);
    assert_eq!(summary["changed"], true, "the date line changed");
    assert!(summary["quiet_day"].is_string());
}

#[test]
fn a_run_after_an_arxiv_holiday_without_news_names_the_holiday() {
    let dir = tempfile::tempdir().unwrap();
    let original = golden();
    std::fs::write(dir.path().join("README.md"), &original).unwrap();
    let _fake = serve(dir.path(), &original, &ALL);
    // Friday 2026-11-27 (UTC): the evening before was Thanksgiving, a holiday of arXiv's.
    let out = daily_papers(
        dir.path(),
        &["update", "--date", "2026-11-27", "--summary-json", "s.json"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("No new paper: arXiv announced nothing on Thursday 2026-11-26 (US Eastern): Thanksgiving, one of arXiv's published holidays."),
        "{err}"
    );
    let summary: serde_json::Value = serde_json::from_str(&read(dir.path(), "s.json")).unwrap();
    assert!(
        summary["quiet_day"].as_str().unwrap().contains("Thanksgiving"),
        "{summary}"
    );
}

#[test]
fn every_subcommands_help_lists_the_exit_codes_with_an_example() {
    let dir = tempfile::tempdir().unwrap();
    for (args, example) in [
        (vec!["--help"], "4  a file could not be written"),
        (vec!["update", "--help"], "daily-papers update --dry-run"),
        (
            vec!["init", "--help"],
            "daily-papers init --from-readme README.md",
        ),
    ] {
        let out = daily_papers(dir.path(), &args);
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Exit codes:"), "{text}");
        assert!(text.contains(example), "{text}");
    }
}
