//! `daily-papers update --feed`: the Atom feed over three runs against a fake arXiv on
//! 127.0.0.1 (entries kept, none twice, ids stable, old ones dropped), read by the project's own
//! Atom reader and by Python's `feedparser`, and a previous file that is not Atom.

mod common;

use common::*;
use daily_papers_core::arxiv::{parse_feed, Paper};
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

fn paper(id: &str, version: u32, date: &str) -> Paper {
    Paper {
        id: format!("http://arxiv.org/abs/{id}v{version}"),
        title: format!("Paper {id} & <friends>"),
        abstract_text: format!("The abstract of {id}: $|x|$ < 1."),
        updated: date.to_owned(),
        abs_link: format!("http://arxiv.org/abs/{id}v{version}"),
        pdf_link: format!("http://arxiv.org/pdf/{id}v{version}"),
        comment: "12 pages".to_owned(),
        ..Paper::default()
    }
}

/// One run on `date` with these answers per topic; returns the feed's text.
fn run(dir: &Path, fake: &FakeArxiv, date: &str, answers: &[(&str, Vec<Paper>)]) -> String {
    for (topic, papers) in answers {
        fake.on(topic, vec![Reply::feed(atom_feed(papers))]);
    }
    let out = daily_papers(
        dir,
        &[
            "update",
            "--date",
            date,
            "--feed",
            "feed.xml",
            "--feed-url",
            "https://octocat.github.io/papers/feed.xml",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::read_to_string(dir.join("feed.xml")).unwrap()
}

/// (entry id, topic, updated) of every entry, read by the project's own Atom reader.
fn entries(xml: &str) -> Vec<(String, String, String)> {
    parse_feed(xml.as_bytes())
        .unwrap()
        .papers
        .into_iter()
        .map(|p| (p.id, p.categories.join(","), p.updated))
        .collect()
}

fn setup() -> (tempfile::TempDir, FakeArxiv) {
    let fake = FakeArxiv::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("daily-papers.json"),
        config(&["Graph Learning", "Retrieval"], &fake.endpoint, "0", ""),
    )
    .unwrap();
    (dir, fake)
}

#[test]
fn over_three_runs_entries_are_kept_never_twice_with_stable_ids_and_old_ones_dropped() {
    let (dir, fake) = setup();
    let dir = dir.path();
    let id = |paper: &str, topic: &str| {
        format!("urn:daily-papers:{paper}:{}", topic.replace(' ', "%20"))
    };

    // Run 1: everything is new.
    let first = run(
        dir,
        &fake,
        "2026-11-01",
        &[
            (
                "Graph Learning",
                vec![
                    paper("2610.00001", 1, "2026-10-31"),
                    paper("2610.00002", 1, "2026-10-30"),
                ],
            ),
            ("Retrieval", vec![paper("2610.00001", 1, "2026-10-31")]),
        ],
    );
    assert_eq!(
        entries(&first),
        vec![
            (
                id("2610.00001", "Graph Learning"),
                "Graph Learning".into(),
                "2026-11-01T00:00:00Z".into()
            ),
            (
                id("2610.00002", "Graph Learning"),
                "Graph Learning".into(),
                "2026-11-01T00:00:00Z".into()
            ),
            (
                id("2610.00001", "Retrieval"),
                "Retrieval".into(),
                "2026-11-01T00:00:00Z".into()
            ),
        ]
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert_eq!(
        readme
            .matches("[Atom feed](https://octocat.github.io/papers/feed.xml)")
            .count(),
        1
    );

    // Run 2, ten days later: 00002 was revised (same entry, updated), 00003 is new, 00001 is
    // unchanged (kept as it was).
    let second = run(
        dir,
        &fake,
        "2026-11-11",
        &[
            (
                "Graph Learning",
                vec![
                    paper("2610.00003", 1, "2026-11-10"),
                    paper("2610.00001", 1, "2026-10-31"),
                    paper("2610.00002", 2, "2026-11-09"),
                ],
            ),
            ("Retrieval", vec![paper("2610.00001", 1, "2026-10-31")]),
        ],
    );
    assert_eq!(
        entries(&second),
        vec![
            (
                id("2610.00003", "Graph Learning"),
                "Graph Learning".into(),
                "2026-11-11T00:00:00Z".into()
            ),
            (
                id("2610.00002", "Graph Learning"),
                "Graph Learning".into(),
                "2026-11-11T00:00:00Z".into()
            ),
            (
                id("2610.00001", "Graph Learning"),
                "Graph Learning".into(),
                "2026-11-01T00:00:00Z".into()
            ),
            (
                id("2610.00001", "Retrieval"),
                "Retrieval".into(),
                "2026-11-01T00:00:00Z".into()
            ),
        ]
    );
    assert!(second.contains("http://arxiv.org/pdf/2610.00002v2"));
    assert!(!second.contains("http://arxiv.org/pdf/2610.00002v1"));

    // Run 3, 35 days after the first: run 1's entries are past 30 days and dropped, run 2's kept.
    let third = run(
        dir,
        &fake,
        "2026-12-06",
        &[
            (
                "Graph Learning",
                vec![
                    paper("2612.00004", 1, "2026-12-05"),
                    paper("2610.00003", 1, "2026-11-10"),
                    paper("2610.00001", 1, "2026-10-31"),
                    paper("2610.00002", 2, "2026-11-09"),
                ],
            ),
            ("Retrieval", vec![paper("2610.00001", 1, "2026-10-31")]),
        ],
    );
    let third_entries = entries(&third);
    assert_eq!(
        third_entries,
        vec![
            (
                id("2612.00004", "Graph Learning"),
                "Graph Learning".into(),
                "2026-12-06T00:00:00Z".into()
            ),
            (
                id("2610.00003", "Graph Learning"),
                "Graph Learning".into(),
                "2026-11-11T00:00:00Z".into()
            ),
            (
                id("2610.00002", "Graph Learning"),
                "Graph Learning".into(),
                "2026-11-11T00:00:00Z".into()
            ),
        ]
    );
    let unique: HashSet<_> = third_entries.iter().map(|e| &e.0).collect();
    assert_eq!(unique.len(), third_entries.len());
    // The README still links to the feed once.
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert_eq!(readme.matches("[Atom feed](").count(), 1);

    // A fourth run with nothing new changes no entry.
    let fourth = run(
        dir,
        &fake,
        "2026-12-07",
        &[
            ("Graph Learning", vec![paper("2612.00004", 1, "2026-12-05")]),
            ("Retrieval", vec![paper("2610.00001", 1, "2026-10-31")]),
        ],
    );
    assert_eq!(entries(&fourth), third_entries);
}

#[test]
fn feedparser_reads_the_feed_without_complaint() {
    let python_ready = Command::new("python3")
        .args(["-c", "import feedparser"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        python_ready,
        "python3 with feedparser is needed: `make test`'s set-up installs it (scripts/setup.sh test), or pip install feedparser"
    );
    let (dir, fake) = setup();
    let mut hostile = paper("2610.00009", 1, "2026-10-31");
    hostile.title = "Control \u{1}\u{8} characters ]]> & \"quotes\"".to_owned();
    run(
        dir.path(),
        &fake,
        "2026-11-01",
        &[
            (
                "Graph Learning",
                vec![paper("2610.00001", 1, "2026-10-31"), hostile],
            ),
            ("Retrieval", vec![paper("2610.00001", 1, "2026-10-31")]),
        ],
    );
    let script = r#"
import feedparser, sys
d = feedparser.parse(sys.argv[1])
print(d.bozo, d.version, len(d.entries))
for e in d.entries:
    print(e.id, "|", e.tags[0].term, "|", e.link, "|", e.title, "|", e.summary_detail.type, "|", len(e.authors))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(dir.path().join("feed.xml"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("False atom10 3"), "{text}");
    assert_eq!(
        lines.next(),
        Some("urn:daily-papers:2610.00001:Graph%20Learning | Graph Learning | http://arxiv.org/abs/2610.00001v1 | Paper 2610.00001 & <friends> | text/plain | 1")
    );
    assert_eq!(
        lines.next(),
        Some("urn:daily-papers:2610.00009:Graph%20Learning | Graph Learning | http://arxiv.org/abs/2610.00009v1 | Control  characters ]]> & \"quotes\" | text/plain | 1")
    );
}

#[test]
fn a_previous_file_that_is_not_atom_stops_the_run_and_is_left_as_it_is() {
    let (dir, fake) = setup();
    let dir = dir.path();
    fake.on(
        "Graph Learning",
        vec![Reply::feed(atom_feed(&[paper(
            "2610.00001",
            1,
            "2026-10-31",
        )]))],
    );
    let rss =
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>mine</title></channel></rss>";
    std::fs::write(dir.join("feed.xml"), rss).unwrap();
    let out = daily_papers(
        dir,
        &["update", "--date", "2026-11-01", "--feed", "feed.xml"],
    );
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains("feed.xml: is not an Atom feed"),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(dir.join("feed.xml")).unwrap(), rss);
    assert!(!dir.join("README.md").exists());
    // Nothing was asked of arXiv either.
    assert!(fake.log().is_empty());
}
