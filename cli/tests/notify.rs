//! `daily-papers update --notify`: the day's new papers posted to a fake chat receiver on
//! 127.0.0.1 in each service's documented shape, split to each one's limits; nothing posted on a
//! day without new papers; a webhook that cannot be reached or refuses is a warning and exit 1,
//! with the README written.

mod common;

use common::*;
use daily_papers_core::arxiv::Paper;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Each request's `Content-Type`, body and arrival.
type Posts = Arc<Mutex<Vec<(String, Vec<u8>, Instant)>>>;

/// A chat service on 127.0.0.1: records every POST body and answers with `status` and `body`.
struct FakeChat {
    url: String,
    posts: Posts,
}

impl FakeChat {
    fn start(status: u16, body: &'static str) -> FakeChat {
        FakeChat::script(vec![], status, body)
    }

    /// Answers the first requests with `first` (status, extra header line), then `status` and
    /// `body` to every other.
    fn script(first: Vec<(u16, &'static str)>, status: u16, body: &'static str) -> FakeChat {
        let first = Arc::new(Mutex::new(std::collections::VecDeque::from(first)));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://{}/hook/SECRET-TOKEN",
            listener.local_addr().unwrap()
        );
        let posts: Posts = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::clone(&posts);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let shared = Arc::clone(&shared);
                let first = Arc::clone(&first);
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let arrived = Instant::now();
                        let mut length = 0;
                        let mut content_type = String::new();
                        loop {
                            let mut header = String::new();
                            reader.read_line(&mut header).unwrap();
                            let header = header.trim_end();
                            if header.is_empty() {
                                break;
                            }
                            let (name, value) = header.split_once(':').unwrap();
                            match name.to_ascii_lowercase().as_str() {
                                "content-length" => length = value.trim().parse().unwrap(),
                                "content-type" => content_type = value.trim().to_owned(),
                                _ => {}
                            }
                        }
                        let mut data = vec![0; length];
                        reader.read_exact(&mut data).unwrap();
                        shared.lock().unwrap().push((content_type, data, arrived));
                        let (status, header) =
                            first.lock().unwrap().pop_front().unwrap_or((status, ""));
                        let reply = format!(
                            "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nContent-Type: application/json\r\n{header}\r\n{body}",
                            body.len()
                        );
                        stream.write_all(reply.as_bytes()).unwrap();
                    }
                });
            }
        });
        FakeChat { url, posts }
    }

    /// The bodies posted, as JSON (each checked to be sent as JSON).
    fn bodies(&self) -> Vec<(usize, Value)> {
        self.posts
            .lock()
            .unwrap()
            .iter()
            .map(|(content_type, data, _)| {
                assert!(
                    content_type.starts_with("application/json"),
                    "{content_type}"
                );
                (data.len(), serde_json::from_slice(data).unwrap())
            })
            .collect()
    }
}

fn paper(topic: usize, n: usize) -> Paper {
    Paper {
        id: format!("http://arxiv.org/abs/2612.{topic}{n:04}v1"),
        // Long titles, with each service's markup characters.
        title: format!(
            "Paper {topic}-{n}: *bold* _under_ [link](x) <b>&amp; @everyone | {}",
            "word ".repeat(25)
        ),
        abstract_text: "An abstract.".to_owned(),
        updated: "2026-12-06".to_owned(),
        abs_link: format!("http://arxiv.org/abs/2612.{topic}{n:04}v1"),
        pdf_link: format!("http://arxiv.org/pdf/2612.{topic}{n:04}v1"),
        ..Paper::default()
    }
}

const TOPICS: [&str; 3] = ["Graph Learning", "Retrieval", "Robotics"];
const PER_TOPIC: usize = 60;

/// A config of three topics, 60 new papers each, from a fake arXiv.
fn setup() -> (tempfile::TempDir, FakeArxiv) {
    let fake = FakeArxiv::start();
    for (t, topic) in TOPICS.iter().enumerate() {
        let papers: Vec<Paper> = (0..PER_TOPIC).map(|n| paper(t, n)).collect();
        fake.on(topic, vec![Reply::feed(atom_feed(&papers))]);
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("daily-papers.json"),
        config(&TOPICS, &fake.endpoint, "0", ""),
    )
    .unwrap();
    (dir, fake)
}

fn update(dir: &Path, chat: &str, format: &str) -> std::process::Output {
    daily_papers(
        dir,
        &[
            "update",
            "--date",
            "2026-12-07",
            "--notify",
            chat,
            "--notify-format",
            format,
            // No pause between messages: the receiver is this test.
            "--notify-pause-ms",
            "0",
        ],
    )
}

/// Every paper's number ("Paper 1-23") in the text, in order.
fn papers_in(text: &str) -> Vec<String> {
    text.match_indices("Paper ")
        .filter_map(|(at, _)| {
            let rest = &text[at + 6..];
            let end = rest.find(':')?;
            let id = &rest[..end];
            id.chars()
                .all(|c| c.is_ascii_digit() || c == '-')
                .then(|| id.to_owned())
        })
        .collect()
}

fn expected_papers() -> Vec<String> {
    (0..TOPICS.len())
        .flat_map(|t| (0..PER_TOPIC).map(move |n| format!("{t}-{n}")))
        .collect()
}

/// Runs `update` posting to a fresh fake receiver; checks that it exits 0, that each paper is
/// posted exactly once in order, and returns the bodies.
fn posted(format: &str, status: u16, answer: &'static str) -> Vec<(usize, Value)> {
    let (dir, _fake) = setup();
    let chat = FakeChat::start(status, answer);
    let out = update(dir.path(), &chat.url, format);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bodies = chat.bodies();
    assert!(bodies.len() > 1, "180 long lines need several messages");
    assert!(stderr(&out).contains(&format!("Chat: posted {} messages", bodies.len())));
    bodies
}

#[test]
fn slack_gets_blocks_within_its_limits() {
    let bodies = posted("slack", 200, "ok");
    let mut seen = Vec::new();
    for (_, body) in &bodies {
        assert_eq!(body["text"], "Daily Papers, 2026-12-07: 180 new papers");
        let blocks = body["blocks"].as_array().unwrap();
        assert!(blocks.len() <= 50);
        assert_eq!(blocks[0]["type"], "header");
        assert_eq!(blocks[0]["text"]["type"], "plain_text");
        let mut chars = 0;
        for block in &blocks[1..] {
            assert_eq!(block["type"], "section");
            assert_eq!(block["text"]["type"], "mrkdwn");
            let text = block["text"]["text"].as_str().unwrap();
            assert!(text.chars().count() <= 3000);
            // Slack's control characters are escaped: no `<b>`, a link `<url|title>` only.
            assert!(!text.contains("<b>"), "{text}");
            chars += text.chars().count();
            seen.extend(papers_in(text));
        }
        assert!(chars <= 12_000);
    }
    assert_eq!(seen, expected_papers());
    let first = bodies[0].1["blocks"][2]["text"]["text"].as_str().unwrap();
    assert!(
        first.starts_with("• <http://arxiv.org/abs/2612.00000v1|Paper 0-0: *bold*"),
        "{first}"
    );
    // A topic cut across messages says it continues.
    let second = bodies[1].1["blocks"][1]["text"]["text"].as_str().unwrap();
    assert!(second.ends_with("(continued)*"), "{second}");
}

#[test]
fn discord_gets_content_of_at_most_2000_characters_pinging_nobody() {
    let bodies = posted("discord", 204, "");
    let mut seen = Vec::new();
    for (_, body) in &bodies {
        let content = body["content"].as_str().unwrap();
        assert!(
            content.chars().count() <= 2000,
            "{}",
            content.chars().count()
        );
        assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
        assert_eq!(body["flags"], 4);
        assert!(!content.contains(" @everyone"), "{content}");
        seen.extend(papers_in(&content.replace('\\', "")));
    }
    assert_eq!(seen, expected_papers());
    assert!(bodies[0].1["content"]
        .as_str()
        .unwrap()
        .contains("(<http://arxiv.org/abs/2612.00000v1>)"));
}

#[test]
fn teams_gets_an_adaptive_card_under_28_kb() {
    let bodies = posted("teams", 202, "");
    let mut seen = Vec::new();
    for (bytes, body) in &bodies {
        assert!(*bytes <= 28 * 1024);
        assert_eq!(body["type"], "message");
        let attachments = body["attachments"].as_array().unwrap();
        assert_eq!(attachments.len(), 1);
        assert_eq!(
            attachments[0]["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        let card = &attachments[0]["content"];
        assert_eq!(card["type"], "AdaptiveCard");
        assert_eq!(card["version"], "1.4");
        for block in card["body"].as_array().unwrap() {
            assert_eq!(block["type"], "TextBlock");
            assert_eq!(block["wrap"], true);
            seen.extend(papers_in(
                &block["text"].as_str().unwrap().replace('\\', ""),
            ));
        }
    }
    assert_eq!(seen, expected_papers());
}

#[test]
fn feishu_gets_rich_text_posts_under_20_kb() {
    let bodies = posted("feishu", 200, r#"{"code":0,"data":{},"msg":"success"}"#);
    let mut seen = Vec::new();
    for (bytes, body) in &bodies {
        assert!(*bytes <= 20 * 1024);
        assert_eq!(body["msg_type"], "post");
        let post = &body["content"]["post"]["zh_cn"];
        assert_eq!(post["title"], "Daily Papers, 2026-12-07: 180 new papers");
        for line in post["content"].as_array().unwrap() {
            for run in line.as_array().unwrap() {
                let tag = run["tag"].as_str().unwrap();
                assert!(tag == "text" || tag == "a", "{tag}");
                if tag == "a" {
                    assert!(run["href"]
                        .as_str()
                        .unwrap()
                        .starts_with("http://arxiv.org/abs/"));
                    seen.extend(papers_in(run["text"].as_str().unwrap()));
                }
            }
        }
    }
    assert_eq!(seen, expected_papers());
}

#[test]
fn messages_to_one_webhook_are_spaced_within_its_rate_limit() {
    let (dir, _fake) = setup();
    let chat = FakeChat::start(200, "ok");
    let out = daily_papers(
        dir.path(),
        &[
            "update",
            "--date",
            "2026-12-07",
            "--notify",
            &chat.url,
            "--notify-format",
            "slack",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let arrivals: Vec<Instant> = chat.posts.lock().unwrap().iter().map(|p| p.2).collect();
    assert!(arrivals.len() > 1);
    // Slack takes one message a second per webhook.
    for pair in arrivals.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(990),
            "{:?}",
            pair[1] - pair[0]
        );
    }
}

#[test]
fn a_429_is_retried_after_the_wait_asked() {
    let (dir, _fake) = setup();
    let chat = FakeChat::script(
        vec![(429, "Retry-After: 1\r\n"), (429, "Retry-After: 1\r\n")],
        204,
        "",
    );
    let out = update(dir.path(), &chat.url, "discord");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let posts = chat.posts.lock().unwrap().clone();
    // The first message three times (twice refused), then every other once.
    assert_eq!(posts[0].1, posts[1].1);
    assert_eq!(posts[1].1, posts[2].1);
    assert_ne!(posts[2].1, posts[3].1);
    assert!(posts[1].2 - posts[0].2 >= Duration::from_millis(990));
    assert!(posts[2].2 - posts[1].2 >= Duration::from_millis(990));

    // Asked to wait longer than a run should: a warning, exit 1, the README kept.
    let (dir, _fake) = setup();
    let chat = FakeChat::script(vec![(429, "Retry-After: 3600\r\n")], 204, "");
    let out = update(dir.path(), &chat.url, "discord");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("HTTP 429, asked to wait 3600 s"),
        "{}",
        stderr(&out)
    );
    assert!(dir.path().join("README.md").exists());
}

#[test]
fn a_day_without_new_papers_posts_nothing() {
    let (dir, _fake) = setup();
    let chat = FakeChat::start(200, "ok");
    assert_eq!(
        update(dir.path(), &chat.url, "slack").status.code(),
        Some(0)
    );
    let first = chat.bodies().len();
    assert!(first > 0);
    let out = update(dir.path(), &chat.url, "slack");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(chat.bodies().len(), first);
    assert!(stderr(&out).contains("no new paper today"));
}

#[test]
fn an_unreachable_webhook_is_a_warning_and_exit_1_with_the_readme_written() {
    let (dir, _fake) = setup();
    // A port nothing listens on: bound, then closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let hook = format!("http://127.0.0.1:{port}/services/SECRET-TOKEN");
    let out = update(dir.path(), &hook, "slack");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains(&format!(
            "warning: chat: the webhook at 127.0.0.1:{port} (slack): message 1 of"
        )),
        "{message}"
    );
    assert!(
        !message.contains("SECRET-TOKEN"),
        "the address is a secret: {message}"
    );
    let readme = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    assert_eq!(readme.matches("| **[Paper ").count(), 180);
}

#[test]
fn a_refusing_service_is_a_warning_and_exit_1() {
    let (dir, _fake) = setup();
    // Feishu refuses with HTTP 200 and a code.
    let chat = FakeChat::start(200, r#"{"code":19024,"msg":"Key Words Not Found"}"#);
    let out = update(dir.path(), &chat.url, "feishu");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Feishu refused the message (code 19024): Key Words Not Found"));
    // The first refusal stops the posts to that webhook.
    assert_eq!(chat.bodies().len(), 1);
    let slack = FakeChat::start(404, "no_service");
    let (dir, _fake) = setup();
    let out = update(dir.path(), &slack.url, "slack");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("HTTP 404 Not Found: no_service"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_webhook_of_unknown_format_stops_the_run_before_arxiv() {
    let (dir, fake) = setup();
    let out = daily_papers(
        dir.path(),
        &[
            "update",
            "--date",
            "2026-12-07",
            "--notify",
            "https://chat.example/hook/SECRET",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message
            .contains("cannot tell which chat the webhook at chat.example is; add --notify-format"),
        "{message}"
    );
    assert!(!message.contains("SECRET"));
    assert!(fake.log().is_empty());
}
