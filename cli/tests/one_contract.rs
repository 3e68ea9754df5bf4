//! The page and the command-line tool keep a run's answers by one rule: for the same README
//! and the same answers (papers, no match, a failure, a cache's stale answer), the tool's
//! `update` and the core functions the page calls (its fetch loop's `for_topic` and
//! `results_after`, its import's `from_readme`, its README preview's `draft_readme_in_layout`)
//! write the same README, byte for byte.

mod common;

use common::{atom_feed, config, daily_papers, fixture, section, stderr, FakeArxiv, Reply};
use daily_papers_core::arxiv::{parse_feed, LinkStyle, Paper};
use daily_papers_core::config::Config;
use daily_papers_core::date::Date;
use daily_papers_core::digest::import_readme;
use daily_papers_core::digest::readme::{readme, Section};
use daily_papers_core::fetch::outcome::{for_topic, results_after, Clock};
use daily_papers_core::fetch::policy::Pacer;
use daily_papers_core::fetch::run::{fetch_topic, Answer, Transport};
use daily_papers_core::library::results::{draft_readme_in_layout, results_key, KeywordResults};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const TOPICS: [&str; 4] = ["Fresh", "Empty", "Broken", "Old"];
const README_DATE: &str = "2026-11-20";
const TODAY: &str = "2026-12-07";

fn papers() -> Vec<Paper> {
    parse_feed(&fixture("tests/fixtures/arxiv/search-10-entries.xml"))
        .unwrap()
        .papers
}

/// The README both start from: two papers per topic, dated [`README_DATE`].
fn existing_readme() -> String {
    let papers = papers();
    let sections: Vec<Section> = TOPICS
        .iter()
        .enumerate()
        .map(|(n, name)| Section {
            keyword: name,
            papers: &papers[2 * n..2 * n + 2],
        })
        .collect();
    readme(README_DATE.parse().unwrap(), &sections, LinkStyle::Abs)
}

/// A stale answer as the project's server sends it while arXiv fails: its cache's answer of
/// 25 hours ago, marked.
fn stale(papers: &[Paper]) -> Reply {
    Reply::feed(atom_feed(papers))
        .header("X-Source", "arxiv")
        .header("X-Cache", "STALE")
        .header("Age", "90000")
}

/// Each topic's answers: papers, an empty feed, HTTP 500, a stale answer; with `arxiv_down`,
/// the first topic fails too.
fn answers(arxiv_down: bool) -> HashMap<&'static str, Vec<Reply>> {
    let papers = papers();
    HashMap::from([
        (
            "Fresh",
            vec![if arxiv_down {
                Reply::status(502)
            } else {
                Reply::feed(atom_feed(&papers[8..10]))
            }],
        ),
        ("Empty", vec![Reply::feed(atom_feed(&[]))]),
        ("Broken", vec![Reply::status(500)]),
        ("Old", vec![stale(&papers[0..3])]),
    ])
}

/// The page's side of the wire for one topic: its answers in order (the last repeats), read as
/// the page's `network::get` reads them (through [`Answer::head`]).
struct Replay(VecDeque<Reply>);

impl Transport for Replay {
    async fn get(&mut self, _url: &str) -> Result<Answer, String> {
        let reply = if self.0.len() > 1 {
            self.0.pop_front().unwrap()
        } else {
            self.0.front().unwrap().clone()
        };
        let header = |name: &str| {
            reply
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let mut answer = Answer::head(reply.status, header, SystemTime::now());
        answer.body = reply.body.clone();
        Ok(answer)
    }
    async fn sleep(&mut self, _wait: Duration) -> bool {
        true
    }
    fn now_ms(&self) -> f64 {
        0.0
    }
}

/// What the tool writes: `daily-papers update --date TODAY` against a fake endpoint.
fn tool_readme(config_json: &str, answers: &HashMap<&str, Vec<Reply>>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeArxiv::start();
    for (name, replies) in answers {
        fake.on(name, replies.clone());
    }
    let config_json = config_json.replace("ENDPOINT", &fake.endpoint);
    std::fs::write(dir.path().join("daily-papers.json"), config_json).unwrap();
    std::fs::write(dir.path().join("README.md"), existing_readme()).unwrap();
    let out = daily_papers(dir.path(), &["update", "--date", TODAY]);
    // A failed topic: written, exit 1.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    std::fs::read_to_string(dir.path().join("README.md")).unwrap()
}

/// What the page writes: its import of the README, then per topic the core's loop over the same
/// answers and the rule its fetch loop applies, then its README preview's draft.
fn page_readme(config_json: &str, answers: &HashMap<&str, Vec<Reply>>) -> String {
    let config =
        Config::from_json(&config_json.replace("ENDPOINT", "http://127.0.0.1:9/api/query"))
            .unwrap();
    let settings = &config.settings;
    let list = config.topic_list();
    let imported = import_readme(&existing_readme()).unwrap();
    let readme_date = imported.last_update.unwrap();
    let clock = Clock {
        unix_ms: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64,
        utc_offset_minutes: 0,
        today: TODAY.parse::<Date>().unwrap(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut results: HashMap<String, KeywordResults> = HashMap::new();
    let mut pacer = Pacer::default();
    for entry in list.entries() {
        let topic = &entry.topic;
        let previous = imported
            .section(topic.name())
            .map(|s| KeywordResults::from_readme(s.papers.clone(), readme_date, topic));
        let mut replay = Replay(answers[topic.name().as_str()].clone().into());
        let fetched = runtime.block_on(fetch_topic(
            &mut replay,
            &mut pacer,
            "unused",
            settings,
            |_, _| {},
        ));
        let fetched = for_topic(fetched, topic, &settings.categories);
        if let Some(after) = results_after(previous.as_ref(), fetched, topic, &clock) {
            results.insert(results_key(entry.id), after);
        }
    }
    let names = list.entries().iter().map(|e| (e.id, e.topic.name()));
    draft_readme_in_layout(
        Some(&imported),
        true,
        names,
        |id| results.get(&results_key(id)),
        settings.link_style,
        usize::MAX,
    )
    .markdown
    .unwrap()
}

/// The README both write for these answers, once checked to be the same bytes.
fn both_write(arxiv_down: bool) -> String {
    let config_json = config(&TOPICS, "ENDPOINT", "0", r#", "link_style": "abs""#);
    let answers = answers(arxiv_down);
    let tool = tool_readme(&config_json, &answers);
    assert_eq!(tool, page_readme(&config_json, &answers));
    tool
}

#[test]
fn the_page_and_the_tool_write_the_same_readme_for_the_same_answers() {
    let tool = both_write(false);
    let before = existing_readme();
    // Fresh papers date the README; the topic that matched nothing and the one that failed
    // keep their previous sections; the stale answer's papers are kept.
    assert!(tool.contains(&format!("Last update: {TODAY}\n")), "{tool}");
    assert_eq!(section(&tool, "Empty"), section(&before, "Empty"));
    assert_eq!(section(&tool, "Broken"), section(&before, "Broken"));
    assert_ne!(section(&tool, "Fresh"), section(&before, "Fresh"));
    assert_eq!(section(&tool, "Old").matches("\n| **[").count(), 3);
}

#[test]
fn a_stale_answer_never_moves_last_update_in_either() {
    // arXiv is down: every topic fails or matches nothing, but for the server's stale answer.
    let tool = both_write(true);
    assert!(
        tool.contains(&format!("Last update: {README_DATE}\n")),
        "{tool}"
    );
    assert_eq!(section(&tool, "Old").matches("\n| **[").count(), 3);
}
