//! `update --notify URL`: posts the day's new papers to chat webhooks, after the README is
//! written. The messages are the core's ([`chat_messages`]); this module only posts them. A
//! failed post is a warning (the run then exits 1), never a reason to lose a file.

use crate::UpdateArgs;
use daily_papers_core::arxiv::terms;
use daily_papers_core::date::Date;
use daily_papers_core::digest::chat::{chat_messages, feishu_accepted, ChatFormat, ChatTopic};
use daily_papers_core::digest::feed::FeedEntry;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use std::time::Duration;

/// How many times a message is sent again after an HTTP 429.
const RETRIES_ON_429: u32 = 3;
/// The longest wait a `Retry-After` may ask before a retry; longer is a failure.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// Each `--notify` address with its format, checked before the first request to arXiv.
pub fn targets(args: &UpdateArgs) -> Result<Vec<(String, ChatFormat)>, String> {
    let forced = match &args.notify_format {
        Some(raw) => Some(
            raw.parse::<ChatFormat>()
                .map_err(|e| format!("--notify-format: {e}"))?,
        ),
        None => None,
    };
    args.notify
        .iter()
        .filter(|url| !url.trim().is_empty())
        .map(|url| {
            let url = url.trim();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(format!(
                    "--notify: {} is not a web address (https://…).",
                    redact(url)
                ));
            }
            let format = forced.or_else(|| ChatFormat::detect(url)).ok_or_else(|| {
                format!(
                    "--notify: cannot tell which chat {} is; add --notify-format slack, discord, teams or feishu.",
                    redact(url)
                )
            })?;
            Ok((url.to_owned(), format))
        })
        .collect()
}

/// A webhook address is a password: messages name its host only.
fn redact(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or(host);
    format!("the webhook at {host}")
}

/// Posts `found` (today's new papers, per topic in the order found) to every target, each
/// target's messages `pause` apart (`None`: each service's own, [`ChatFormat::pause`]). Returns
/// whether every post succeeded; each failure has been reported on stderr.
pub fn post_all(
    targets: &[(String, ChatFormat)],
    found: &[FeedEntry],
    date: Date,
    pause: Option<Duration>,
) -> bool {
    if targets.is_empty() {
        return true;
    }
    let mut topics: Vec<ChatTopic> = Vec::new();
    for entry in found {
        match topics.last_mut() {
            Some(topic) if topic.name == entry.topic => topic.papers.push(&entry.paper),
            _ => topics.push(ChatTopic {
                name: &entry.topic,
                papers: vec![&entry.paper],
            }),
        }
    }
    if topics.is_empty() {
        eprintln!("Chat: no new paper today; nothing posted.");
        return true;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("warning: chat: could not start: {e}");
            return false;
        }
    };
    let client = match reqwest::Client::builder()
        .user_agent(crate::http::USER_AGENT)
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(30))
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            eprintln!("warning: chat: could not start the HTTP client: {e}");
            return false;
        }
    };
    let mut all_ok = true;
    for (url, format) in targets {
        let messages = chat_messages(*format, date, &topics);
        let total = messages.len();
        let mut posted = true;
        for (index, body) in messages.into_iter().enumerate() {
            if index > 0 {
                let pause = pause.unwrap_or(format.pause());
                // The timer is made inside the runtime: made outside, it has no clock to use.
                runtime.block_on(async { tokio::time::sleep(pause).await });
            }
            if let Err(why) = runtime.block_on(post(&client, url, *format, body)) {
                eprintln!(
                    "warning: chat: {} ({format}): message {} of {total} was not posted: {why}",
                    redact(url),
                    index + 1
                );
                posted = false;
                break;
            }
        }
        all_ok &= posted;
        if posted {
            eprintln!(
                "Chat: posted {total} message{} to {} ({format}).",
                if total == 1 { "" } else { "s" },
                redact(url)
            );
        }
    }
    all_ok
}

/// One message, retried up to [`RETRIES_ON_429`] times when the service asks to wait (HTTP 429
/// and `Retry-After`).
async fn post(
    client: &reqwest::Client,
    url: &str,
    format: ChatFormat,
    body: String,
) -> Result<(), String> {
    for attempt in 0..=RETRIES_ON_429 {
        let response = client
            .post(url)
            .header(CONTENT_TYPE, "application/json; charset=utf-8")
            .body(body.clone())
            .send()
            .await
            .map_err(describe)?;
        let status = response.status();
        if status.as_u16() == 429 && attempt < RETRIES_ON_429 {
            let wait = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| terms::retry_after(v, std::time::SystemTime::now()))
                .unwrap_or(Duration::from_secs(2));
            if wait > MAX_RETRY_WAIT {
                return Err(format!("HTTP 429, asked to wait {} s", wait.as_secs()));
            }
            tokio::time::sleep(wait).await;
            continue;
        }
        let text = response.text().await.unwrap_or_default();
        if !status.is_success() {
            let text: String = text.chars().take(200).collect();
            return Err(format!("HTTP {status}: {}", text.trim()));
        }
        // Feishu answers HTTP 200 to a refused message, with a non-zero `code`.
        if format == ChatFormat::Feishu {
            return feishu_accepted(&text);
        }
        return Ok(());
    }
    Err(format!("HTTP 429 {} times", RETRIES_ON_429 + 1))
}

/// The error and its causes in one line, without the address (a secret).
fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
