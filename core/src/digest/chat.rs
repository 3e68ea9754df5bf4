//! The day's new papers as chat messages: a Slack or Discord incoming webhook, a Microsoft Teams
//! workflow ("Post to a channel when a webhook request is received") or a Feishu custom bot, each
//! in its own documented message shape, split into as many messages as each one's limits need.
//!
//! Limits kept (each service refuses a message past them, or cuts it):
//! - Slack: at most 50 blocks, a section's text at most 3,000 characters; the whole message is
//!   kept under 12,000 characters of text, below the point where Slack answers
//!   `msg_blocks_too_long` for many blocks.
//! - Discord: `content` at most 2,000 characters.
//! - Teams: the request at most about 28 KB.
//! - Feishu: the request body at most 20 KB.
//!
//! A paper is one line: its title linking to its abstract page, then its first authors. Titles
//! come from arXiv, that is from anyone: each format's markup characters are escaped, and
//! Discord is told to ping nobody.

use crate::arxiv::Paper;
use crate::date::Date;
use serde_json::{json, Value};
use std::fmt;

/// Where the messages go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatFormat {
    Slack,
    Discord,
    Teams,
    Feishu,
}

impl ChatFormat {
    pub const ALL: [ChatFormat; 4] = [
        ChatFormat::Slack,
        ChatFormat::Discord,
        ChatFormat::Teams,
        ChatFormat::Feishu,
    ];

    /// The pause between two messages to the same webhook, within each service's rate limit:
    /// Slack takes one message a second per webhook, Discord about 30 a minute per channel,
    /// a Teams workflow a few a second, a Feishu bot 100 a minute.
    pub fn pause(self) -> std::time::Duration {
        std::time::Duration::from_millis(match self {
            ChatFormat::Discord => 2_000,
            ChatFormat::Slack | ChatFormat::Teams | ChatFormat::Feishu => 1_000,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ChatFormat::Slack => "slack",
            ChatFormat::Discord => "discord",
            ChatFormat::Teams => "teams",
            ChatFormat::Feishu => "feishu",
        }
    }

    /// The format a webhook address belongs to, from its host (and path), as each service
    /// issues them; `None` for any other address (then the format must be given).
    pub fn detect(url: &str) -> Option<ChatFormat> {
        let rest = url
            .trim()
            .strip_prefix("https://")
            .or_else(|| url.trim().strip_prefix("http://"))?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = authority
            .rsplit('@')
            .next()
            .unwrap_or(authority)
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        if host == "hooks.slack.com" {
            Some(ChatFormat::Slack)
        } else if (under("discord.com") || under("discordapp.com"))
            && path.starts_with("api/webhooks/")
        {
            Some(ChatFormat::Discord)
        } else if (host == "open.feishu.cn" || host == "open.larksuite.com")
            && path.starts_with("open-apis/bot/")
        {
            Some(ChatFormat::Feishu)
        } else if under("logic.azure.com")
            || under("powerplatform.com")
            || under("webhook.office.com")
        {
            Some(ChatFormat::Teams)
        } else {
            None
        }
    }
}

impl std::str::FromStr for ChatFormat {
    type Err = String;
    fn from_str(raw: &str) -> Result<ChatFormat, String> {
        ChatFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(raw.trim()))
            .ok_or_else(|| format!("\u{201c}{raw}\u{201d} is not a chat format; use slack, discord, teams or feishu."))
    }
}

impl fmt::Display for ChatFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a Feishu bot took a message: it answers HTTP 200 either way, with `"code": 0` (older
/// bots: `"StatusCode": 0`) on success and another code and a `msg` otherwise.
pub fn feishu_accepted(answer: &str) -> Result<(), String> {
    let value: Value = serde_json::from_str(answer)
        .map_err(|_| format!("Feishu's answer is not JSON: {}", clip(answer)))?;
    let code = value.get("code").or_else(|| value.get("StatusCode"));
    match code.and_then(Value::as_i64) {
        Some(0) => Ok(()),
        Some(code) => {
            let why = value
                .get("msg")
                .or_else(|| value.get("StatusMessage"))
                .and_then(Value::as_str)
                .unwrap_or("no reason given");
            Err(format!(
                "Feishu refused the message (code {code}): {}",
                clip(why)
            ))
        }
        None => Err(format!("Feishu's answer has no code: {}", clip(answer))),
    }
}

/// At most 200 characters of a service's answer, for a message.
fn clip(text: &str) -> String {
    text.trim().chars().take(200).collect()
}

/// One topic's new papers.
#[derive(Debug, Clone)]
pub struct ChatTopic<'a> {
    pub name: &'a str,
    pub papers: Vec<&'a Paper>,
}

/// Slack: blocks per message, characters per section, characters per message.
pub const SLACK_MAX_BLOCKS: usize = 50;
pub const SLACK_MAX_SECTION_CHARS: usize = 3_000;
pub const SLACK_MAX_MESSAGE_CHARS: usize = 12_000;
/// Discord: characters of `content`.
pub const DISCORD_MAX_CHARS: usize = 2_000;
/// Teams: bytes of the request (28 KB, with room for the headers' share).
pub const TEAMS_MAX_BYTES: usize = 27_000;
/// Feishu: bytes of the request body (20 KB).
pub const FEISHU_MAX_BYTES: usize = 20_000;

/// How many authors a line names before "et al.".
const AUTHORS_SHOWN: usize = 3;
/// A title longer than this is cut (a hostile feed could send a megabyte of title).
const TITLE_MAX_CHARS: usize = 300;

/// A piece of a message: a topic's heading or one paper.
#[derive(Debug, Clone)]
enum Item<'a> {
    Heading {
        topic: &'a str,
        count: usize,
        continued: bool,
    },
    Paper(&'a Paper),
}

/// The JSON bodies to post, in order: none when no topic has a new paper.
pub fn chat_messages(format: ChatFormat, date: Date, topics: &[ChatTopic]) -> Vec<String> {
    let total: usize = topics.iter().map(|t| t.papers.len()).sum();
    if total == 0 {
        return Vec::new();
    }
    let title = format!(
        "Daily Papers, {date}: {total} new paper{}",
        if total == 1 { "" } else { "s" }
    );
    let mut messages = Vec::new();
    let mut current: Vec<Item> = Vec::new();
    for topic in topics.iter().filter(|t| !t.papers.is_empty()) {
        let heading = |continued| Item::Heading {
            topic: topic.name,
            count: topic.papers.len(),
            continued,
        };
        push_fitting(
            format,
            &title,
            &mut messages,
            &mut current,
            heading(false),
            None,
        );
        for paper in &topic.papers {
            push_fitting(
                format,
                &title,
                &mut messages,
                &mut current,
                Item::Paper(paper),
                Some(heading(true)),
            );
        }
    }
    if !current.is_empty() {
        messages.push(render(format, &title, &current));
    }
    messages
}

/// Adds `item` to the message being built, or starts a new message with it (after the topic's
/// heading again, `continued`) when it does not fit.
fn push_fitting<'a>(
    format: ChatFormat,
    title: &str,
    messages: &mut Vec<String>,
    current: &mut Vec<Item<'a>>,
    item: Item<'a>,
    continued: Option<Item<'a>>,
) {
    current.push(item);
    if fits(format, title, current) {
        return;
    }
    let Some(item) = current.pop() else {
        return;
    };
    // A heading never ends a message.
    let dangling = matches!(current.last(), Some(Item::Heading { .. }));
    let heading = if dangling { current.pop() } else { None };
    if !current.is_empty() {
        messages.push(render(format, title, current));
        current.clear();
    }
    match (heading, item, continued) {
        (Some(heading), item, _) => current.extend([heading, item]),
        (None, item @ Item::Paper(_), Some(again)) => current.extend([again, item]),
        (None, item, _) => current.push(item),
    }
    // Every item is short enough to fit a message of its own with its heading (titles and
    // author lists are cut), so the new message fits.
}

fn fits(format: ChatFormat, title: &str, items: &[Item]) -> bool {
    match format {
        ChatFormat::Slack => {
            let blocks = slack_blocks(title, items);
            let mut chars = 0;
            for block in &blocks {
                let text = block
                    .get("text")
                    .and_then(|t| t.get("text"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let n = text.chars().count();
                if n > SLACK_MAX_SECTION_CHARS {
                    return false;
                }
                chars += n;
            }
            blocks.len() <= SLACK_MAX_BLOCKS && chars <= SLACK_MAX_MESSAGE_CHARS
        }
        ChatFormat::Discord => discord_content(title, items).chars().count() <= DISCORD_MAX_CHARS,
        ChatFormat::Teams => render(format, title, items).len() <= TEAMS_MAX_BYTES,
        ChatFormat::Feishu => render(format, title, items).len() <= FEISHU_MAX_BYTES,
    }
}

fn render(format: ChatFormat, title: &str, items: &[Item]) -> String {
    let body = match format {
        ChatFormat::Slack => json!({
            // Shown in notifications and where blocks cannot be.
            "text": title,
            "blocks": slack_blocks(title, items),
            "unfurl_links": false,
        }),
        ChatFormat::Discord => json!({
            "content": discord_content(title, items),
            // Nobody is pinged, whatever a title says (`@everyone`).
            "allowed_mentions": { "parse": [] },
            // SUPPRESS_EMBEDS: no preview card per link.
            "flags": 4,
        }),
        ChatFormat::Teams => teams_card(title, items),
        ChatFormat::Feishu => feishu_post(title, items),
    };
    body.to_string()
}

/// At most [`TITLE_MAX_CHARS`] characters of the title, on one line.
fn short_title(paper: &Paper) -> String {
    let mut title: String = paper.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((at, _)) = title.char_indices().nth(TITLE_MAX_CHARS) {
        title.truncate(at);
        title.push('…');
    }
    title
}

/// "Ada Lovelace, Alan Turing, Grace Hopper et al."
fn authors(paper: &Paper) -> String {
    let mut text = paper
        .authors
        .iter()
        .take(AUTHORS_SHOWN)
        .map(|a| {
            let mut a = a.clone();
            if let Some((at, _)) = a.char_indices().nth(80) {
                a.truncate(at);
            }
            a
        })
        .collect::<Vec<_>>()
        .join(", ");
    if paper.authors.len() > AUTHORS_SHOWN {
        text.push_str(" et al.");
    }
    text
}

/// The paper's abstract page, only if it is a web address.
fn link(paper: &Paper) -> Option<&str> {
    paper.web_link(crate::arxiv::LinkStyle::Abs).map(str::trim)
}

fn heading_text(topic: &str, count: usize, continued: bool) -> String {
    let topic: String = topic.split_whitespace().collect::<Vec<_>>().join(" ");
    if continued {
        format!("{topic} (continued)")
    } else {
        format!("{topic}: {count} new")
    }
}

/// Slack's mrkdwn needs `&`, `<` and `>` escaped, and nothing else.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn slack_blocks(title: &str, items: &[Item]) -> Vec<Value> {
    let mut blocks = vec![json!({
        "type": "header",
        "text": { "type": "plain_text", "text": title },
    })];
    for item in items {
        let text = match item {
            Item::Heading {
                topic,
                count,
                continued,
            } => {
                format!(
                    "*{}*",
                    slack_escape(&heading_text(topic, *count, *continued))
                )
            }
            Item::Paper(paper) => {
                let title = slack_escape(&short_title(paper)).replace('|', "\u{2223}");
                let line = match link(paper) {
                    Some(href) => format!("<{}|{title}>", slack_escape(href).replace('|', "%7C")),
                    None => title,
                };
                format!("• {line}\n{}", slack_escape(&authors(paper)))
            }
        };
        blocks.push(json!({ "type": "section", "text": { "type": "mrkdwn", "text": text } }));
    }
    blocks
}

/// Discord markdown: every inline markup character escaped with a backslash (`#`, `-` and `>`
/// only mean something at the start of a line, where this text never is).
fn discord_escape(text: &str) -> String {
    escape_with(
        text,
        &[
            '\\', '*', '_', '~', '`', '|', '[', ']', '(', ')', '<', '>', '@',
        ],
    )
}

/// `text` with a backslash before each of `special`.
fn escape_with(text: &str, special: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if special.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn discord_content(title: &str, items: &[Item]) -> String {
    let mut out = format!("**{}**", discord_escape(title));
    for item in items {
        out.push('\n');
        match item {
            Item::Heading {
                topic,
                count,
                continued,
            } => {
                out.push_str("\n**");
                out.push_str(&discord_escape(&heading_text(topic, *count, *continued)));
                out.push_str("**");
            }
            Item::Paper(paper) => {
                out.push_str("- ");
                let title = discord_escape(&short_title(paper));
                match link(paper) {
                    // `<…>` keeps the link from unfolding into a preview.
                    Some(href) if !href.contains(['<', '>', ')', ' ']) => {
                        out.push_str(&format!("[{title}](<{href}>)"));
                    }
                    _ => out.push_str(&title),
                }
                let authors = authors(paper);
                if !authors.is_empty() {
                    out.push_str(" \u{2014} ");
                    out.push_str(&discord_escape(&authors));
                }
            }
        }
    }
    out
}

/// Adaptive Cards' markdown subset: `*`, `_`, `[`, `]`, `(`, `)` inline; `-`, `+`, `#` and `>`
/// only at the start of a block, so only a leading one is escaped.
fn teams_escape(text: &str) -> String {
    let escaped = escape_with(text, &['\\', '*', '_', '[', ']', '(', ')', '`']);
    if escaped.starts_with(['-', '+', '#', '>']) {
        format!("\\{escaped}")
    } else {
        escaped
    }
}

fn teams_card(title: &str, items: &[Item]) -> Value {
    let mut body = vec![json!({
        "type": "TextBlock",
        "text": teams_escape(title),
        "size": "Large",
        "weight": "Bolder",
        "wrap": true,
    })];
    for item in items {
        body.push(match item {
            Item::Heading {
                topic,
                count,
                continued,
            } => json!({
                "type": "TextBlock",
                "text": teams_escape(&heading_text(topic, *count, *continued)),
                "weight": "Bolder",
                "spacing": "Medium",
                "wrap": true,
            }),
            Item::Paper(paper) => {
                let title = teams_escape(&short_title(paper));
                let line = match link(paper) {
                    Some(href) if !href.contains([')', ' ']) => format!("[{title}]({href})"),
                    _ => title,
                };
                json!({
                    "type": "TextBlock",
                    "text": format!("{line}  \n{}", teams_escape(&authors(paper))),
                    "wrap": true,
                    "spacing": "Small",
                })
            }
        });
    }
    // The shape a Teams workflow's "Post to a channel when a webhook request is received"
    // expects: a message with one Adaptive Card attachment.
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
            },
        }],
    })
}

/// Feishu's rich text ("post"): lines of tagged runs; no markup, so nothing to escape.
fn feishu_post(title: &str, items: &[Item]) -> Value {
    let mut lines: Vec<Value> = Vec::new();
    for item in items {
        match item {
            Item::Heading {
                topic,
                count,
                continued,
            } => {
                lines.push(
                    json!([{ "tag": "text", "text": heading_text(topic, *count, *continued) }]),
                );
            }
            Item::Paper(paper) => {
                let title = short_title(paper);
                let first = match link(paper) {
                    Some(href) => json!({ "tag": "a", "text": title, "href": href }),
                    None => json!({ "tag": "text", "text": title }),
                };
                let authors = authors(paper);
                let mut line = vec![json!({ "tag": "text", "text": "• " }), first];
                if !authors.is_empty() {
                    line.push(json!({ "tag": "text", "text": format!(" \u{2014} {authors}") }));
                }
                lines.push(Value::Array(line));
            }
        }
    }
    json!({
        "msg_type": "post",
        "content": { "post": { "zh_cn": { "title": title, "content": lines } } },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(n: usize, title: &str) -> Paper {
        Paper {
            id: format!("http://arxiv.org/abs/2612.{n:05}v1"),
            title: title.to_owned(),
            authors: vec![
                "Ada Lovelace".into(),
                "Alan Turing".into(),
                "Grace Hopper".into(),
                "Emmy Noether".into(),
            ],
            abs_link: format!("http://arxiv.org/abs/2612.{n:05}v1"),
            ..Paper::default()
        }
    }

    fn date() -> Date {
        Date::new(2026, 12, 7).unwrap()
    }

    #[test]
    fn formats_are_told_from_the_webhook_address() {
        let cases = [
            ("https://hooks.slack.com/services/T000/B000/XXXX", Some(ChatFormat::Slack)),
            ("https://discord.com/api/webhooks/123/abc", Some(ChatFormat::Discord)),
            ("https://ptb.discord.com/api/webhooks/123/abc", Some(ChatFormat::Discord)),
            ("https://discordapp.com/api/webhooks/123/abc", Some(ChatFormat::Discord)),
            ("https://discord.com/channels/1", None),
            ("https://open.feishu.cn/open-apis/bot/v2/hook/abc", Some(ChatFormat::Feishu)),
            ("https://open.larksuite.com/open-apis/bot/v2/hook/abc", Some(ChatFormat::Feishu)),
            ("https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x", Some(ChatFormat::Teams)),
            ("https://default123.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc", Some(ChatFormat::Teams)),
            ("https://hooks.slack.com.evil.example/services/x", None),
            ("https://evil.example/hooks.slack.com", None),
            ("http://127.0.0.1:8080/hook", None),
            ("not a url", None),
        ];
        for (url, expected) in cases {
            assert_eq!(ChatFormat::detect(url), expected, "{url}");
        }
        assert_eq!("Teams".parse::<ChatFormat>(), Ok(ChatFormat::Teams));
        assert!("irc"
            .parse::<ChatFormat>()
            .unwrap_err()
            .contains("slack, discord, teams or feishu"));
    }

    #[test]
    fn feishu_answers_are_read_by_their_code() {
        assert_eq!(
            feishu_accepted(r#"{"code":0,"data":{},"msg":"success"}"#),
            Ok(())
        );
        assert_eq!(
            feishu_accepted(r#"{"StatusCode":0,"StatusMessage":"success"}"#),
            Ok(())
        );
        assert_eq!(
            feishu_accepted(r#"{"code":19024,"msg":"Key Words Not Found"}"#),
            Err("Feishu refused the message (code 19024): Key Words Not Found".to_owned())
        );
        assert!(feishu_accepted("<html>").unwrap_err().contains("not JSON"));
    }

    #[test]
    fn nothing_new_is_no_message() {
        for format in ChatFormat::ALL {
            assert!(chat_messages(
                format,
                date(),
                &[ChatTopic {
                    name: "A",
                    papers: vec![]
                }]
            )
            .is_empty());
        }
    }

    #[test]
    fn hostile_titles_stay_text() {
        let p = paper(
            1,
            "@everyone <!channel> [click](javascript:x) *bold* | pipe",
        );
        let topics = [ChatTopic {
            name: "A",
            papers: vec![&p],
        }];
        let discord: Value =
            serde_json::from_str(&chat_messages(ChatFormat::Discord, date(), &topics)[0]).unwrap();
        let content = discord["content"].as_str().unwrap();
        assert!(content.contains("\\@everyone"), "{content}");
        assert!(
            content.contains("\\[click\\]\\(javascript:x\\)"),
            "{content}"
        );
        assert_eq!(discord["allowed_mentions"]["parse"], json!([]));
        let slack: Value =
            serde_json::from_str(&chat_messages(ChatFormat::Slack, date(), &topics)[0]).unwrap();
        let text = slack["blocks"][2]["text"]["text"].as_str().unwrap();
        assert!(
            text.contains("&lt;!channel&gt;") && !text.contains("<!channel>"),
            "{text}"
        );
        assert!(
            text.starts_with("• <http://arxiv.org/abs/2612.00001v1|@everyone"),
            "{text}"
        );
    }
}
