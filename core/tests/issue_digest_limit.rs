//! The issue digest stays within GitHub's 65,536 characters: at the limit it is whole, past it
//! every topic keeps its first papers that fit and the footer counts the rest.

use daily_papers_core::arxiv::{LinkStyle, Paper};
use daily_papers_core::date::Date;
use daily_papers_core::digest::readme::{
    issue_digest, Section, DIGEST_PAPERS, ISSUE_BODY_MAX_CHARS,
};

const REPO: &str = "https://github.com/octocat/daily-papers";

fn paper(topic: usize, n: usize, title_chars: usize) -> Paper {
    Paper {
        // Non-ASCII on purpose: the limit is in characters, not bytes.
        title: format!("T{topic}-{n} {}", "é".repeat(title_chars)),
        updated: "2026-12-01T10:00:00Z".to_owned(),
        abs_link: format!("http://arxiv.org/abs/2612.{topic:02}{n:03}v1"),
        pdf_link: format!("http://arxiv.org/pdf/2612.{topic:02}{n:03}v1"),
        comment: "Accepted at a conference with a long name".to_owned(),
        ..Paper::default()
    }
}

fn date() -> Date {
    Date::new(2026, 12, 7).unwrap()
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Papers per topic in the digest, in order, read back from the rows' titles.
fn kept(digest: &str, topics: usize) -> Vec<Vec<usize>> {
    (0..topics)
        .map(|t| {
            digest
                .lines()
                .filter_map(|l| l.strip_prefix(&format!("| **[T{t}-")))
                .map(|rest| rest.split(' ').next().unwrap().parse().unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn twenty_topics_of_a_hundred_long_papers_fit_every_topic_and_count_the_rest() {
    let topics: Vec<(String, Vec<Paper>)> = (0..20)
        .map(|t| {
            (
                format!("Topic {t}"),
                (0..100).map(|n| paper(t, n, 300)).collect(),
            )
        })
        .collect();
    let sections: Vec<Section> = topics
        .iter()
        .map(|(k, p)| Section {
            keyword: k,
            papers: p,
        })
        .collect();
    let digest = issue_digest(date(), REPO, &sections, LinkStyle::Abs);
    assert!(chars(&digest) <= ISSUE_BODY_MAX_CHARS, "{}", chars(&digest));
    // Close to the limit: the space is used, not wasted.
    assert!(
        chars(&digest) > ISSUE_BODY_MAX_CHARS - 500,
        "{}",
        chars(&digest)
    );
    let per_topic = kept(&digest, 20);
    let written: usize = per_topic.iter().map(Vec::len).sum();
    for papers in &per_topic {
        // Every topic, its first papers in order, and no topic crowded out by the others.
        assert!(!papers.is_empty());
        assert_eq!(*papers, (0..papers.len()).collect::<Vec<_>>());
        assert!(
            papers.len().abs_diff(per_topic[0].len()) <= 1,
            "{per_topic:?}"
        );
    }
    let left_out = 20 * DIGEST_PAPERS - written;
    assert!(
        digest.ends_with(&format!(
            "**{left_out} more papers did not fit in this issue (GitHub takes at most 65,536 characters): see them in the README on the [Github]({REPO}) page.**\n"
        )),
        "{}",
        &digest[digest.len() - 300..]
    );
    assert!(digest.starts_with("---\ntitle: Latest 15 Papers - December 07, 2026\n"));
}

#[test]
fn a_digest_of_exactly_the_limit_is_whole_and_one_character_more_is_cut() {
    let mut papers: Vec<Paper> = (0..DIGEST_PAPERS).map(|n| paper(0, n, 100)).collect();
    let sections = |papers: &[Paper]| {
        issue_digest(
            date(),
            REPO,
            &[Section {
                keyword: "Topic 0",
                papers,
            }],
            LinkStyle::Abs,
        )
    };
    // Grow the last paper's title until the digest is exactly at the limit.
    let short = chars(&sections(&papers));
    let last = papers.last_mut().unwrap();
    last.title
        .push_str(&"é".repeat(ISSUE_BODY_MAX_CHARS - short));
    let whole = sections(&papers);
    assert_eq!(chars(&whole), ISSUE_BODY_MAX_CHARS);
    assert!(!whole.contains("did not fit"));
    assert_eq!(kept(&whole, 1)[0].len(), DIGEST_PAPERS);

    papers.last_mut().unwrap().title.push('é');
    let cut = sections(&papers);
    assert!(chars(&cut) <= ISSUE_BODY_MAX_CHARS);
    assert_eq!(kept(&cut, 1)[0], (0..DIGEST_PAPERS - 1).collect::<Vec<_>>());
    assert!(cut.contains("**1 more paper did not fit in this issue"));
}

#[test]
fn a_short_digest_is_unchanged() {
    let papers: Vec<Paper> = (0..40).map(|n| paper(0, n, 10)).collect();
    let digest = issue_digest(
        date(),
        REPO,
        &[Section {
            keyword: "Topic 0",
            papers: &papers,
        }],
        LinkStyle::Abs,
    );
    assert_eq!(kept(&digest, 1)[0].len(), DIGEST_PAPERS);
    assert!(!digest.contains("did not fit"));
}
