//! `daily-papers init --from`: moving in from cv-arxiv-daily's and daily-arXiv-ai-enhanced's own
//! files (real ones, in `tests/fixtures/moving_in/`), saying what was taken and what was not.

mod common;

use common::*;
use daily_papers_core::config::Config;
use std::path::{Path, PathBuf};

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/moving_in")
        .join(name)
}

fn init(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    let out = daily_papers(dir, &all);
    (out.status.code(), stderr(&out))
}

fn written(dir: &Path) -> Config {
    Config::from_json(&std::fs::read_to_string(dir.join("daily-papers.json")).unwrap()).unwrap()
}

#[test]
fn cv_arxiv_daily_keyword_groups_become_topics_with_several_phrases() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture_path("cv-arxiv-daily.config.yaml");
    let (code, message) = init(dir.path(), &["--from", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{message}");
    let config = written(dir.path());
    let topics: Vec<(String, Vec<String>)> = config
        .topics
        .iter()
        .map(|t| {
            (
                t.name().as_str().to_owned(),
                t.phrases().iter().map(|p| p.to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(topics.len(), 6);
    assert_eq!(
        topics[0],
        ("SLAM".into(), vec!["SLAM".into(), "Visual Odometry".into()])
    );
    assert_eq!(topics[2].0, "Visual Localization");
    assert_eq!(topics[2].1.len(), 6);
    assert_eq!(topics[5], ("NeRF".into(), vec!["NeRF".into()]));
    assert_eq!(config.settings.max_results.get(), 10);
    assert_eq!(
        config.repo_url.as_deref(),
        Some("https://github.com/Vincentqyw/cv-arxiv-daily")
    );
    assert!(
        message.contains("6 topics with 17 phrases from the keyword groups"),
        "{message}"
    );
    assert!(message.contains("Not taken:"), "{message}");
    for field in ["base_url", "show_badge", "publish_wechat", "md_readme_path"] {
        assert!(message.contains(field), "{field}: {message}");
    }
}

#[test]
fn daily_arxiv_ai_enhanced_config_keywords_and_authors_are_taken_together() {
    let dir = tempfile::tempdir().unwrap();
    let (config, keywords, authors) = (
        fixture_path("daily-arxiv-ai-enhanced.config.yaml"),
        fixture_path("daily-arxiv-ai-enhanced.keywords.txt"),
        fixture_path("daily-arxiv-ai-enhanced.authors.txt"),
    );
    let (code, message) = init(
        dir.path(),
        &[
            "--from",
            config.to_str().unwrap(),
            "--from",
            keywords.to_str().unwrap(),
            "--from-authors",
            authors.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{message}");
    let written = written(dir.path());
    let names: Vec<&str> = written.topics.iter().map(|t| t.name().as_str()).collect();
    assert_eq!(
        names,
        [
            "diffusion model",
            "large language model",
            "Retrieval-Augmented Generation",
            "Kaiming He",
            "Fei-Fei Li"
        ]
    );
    assert_eq!(written.topics[3].authors().len(), 1);
    assert!(written.topics[3].phrases().is_empty());
    assert_eq!(
        written.settings.categories.to_string(),
        "cs.CV, cs.CL, cs.LG"
    );
    assert!(
        message.contains("3 topics from the keyword list"),
        "{message}"
    );
    assert!(
        message.contains("2 author topics from the author list"),
        "{message}"
    );
    assert!(
        message.contains("llm (Daily Papers writes no summaries"),
        "{message}"
    );
}

#[test]
fn files_that_cannot_be_read_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("broken.yaml", "keywords: [unclosed\n", "not YAML"),
        (
            "other.yaml",
            "name: something else\nversion: 3\n",
            "neither a cv-arxiv-daily config",
        ),
        (
            "groups.yaml",
            "keywords:\n  SLAM:\n    filters: {not: a list}\n",
            "cv-arxiv-daily config: keywords: group \u{201c}SLAM\u{201d}: expected a keyword group: `filters: [phrases]`, a list of phrases, or one phrase",
        ),
        ("empty.txt", " , ,\n", "no topic to follow"),
    ];
    for (name, text, expected) in cases {
        std::fs::write(dir.path().join(name), text).unwrap();
        let (code, message) = init(dir.path(), &["--from", name]);
        assert_eq!(code, Some(2), "{name}: {message}");
        assert!(message.contains(expected), "{name}: {message}");
        assert!(!dir.path().join("daily-papers.json").exists());
    }
}

#[test]
fn a_group_that_daily_papers_cannot_search_is_named_and_the_rest_taken() {
    let dir = tempfile::tempdir().unwrap();
    let long = "word ".repeat(200);
    std::fs::write(
        dir.path().join("config.yaml"),
        format!("keywords:\n  Good:\n    filters: [\"graph\"]\n  Too Long:\n    filters: [\"{long}\"]\n  good:\n    filters: [\"again\"]\n"),
    )
    .unwrap();
    let (code, message) = init(dir.path(), &["--from", "config.yaml"]);
    assert_eq!(code, Some(0), "{message}");
    assert_eq!(written(dir.path()).topics.len(), 1);
    assert!(
        message.contains("keyword group \u{201c}Too Long\u{201d}"),
        "{message}"
    );
    assert!(
        message
            .contains("keyword group \u{201c}good\u{201d}: a topic of that name is already taken"),
        "{message}"
    );
}
