//! `daily-papers update`: fetch every topic, then write the README (and the issue digest) the app
//! would write for the same answers.
//!
//! What a run promises:
//! - one request at a time, spaced as the app spaces them (at least 3 s toward arXiv), with the
//!   app's retries: the loop is the core's [`fetch_topic`];
//! - a topic that fails keeps its previous section, read back from the existing README, and the
//!   run exits 1; `--strict` then writes nothing;
//! - a topic whose answer stays empty (arXiv's "no paper matches", after the policy's retries) is
//!   not a failure: it keeps its previous section if it has one, and is left out otherwise;
//! - the README is replaced only by one at least as complete: never when nothing was fetched
//!   (exit 3), never when the existing README cannot be read (exit 2);
//! - files are written atomically, README first, then the digest.

use crate::files::write_atomically;
use crate::http::Http;
use crate::report::Report;
use crate::{Exit, UpdateArgs};
use daily_papers_core::arxiv::filter::keep_for_topic;
use daily_papers_core::arxiv::topic_query::topic_query_url;
use daily_papers_core::config::{Config, HeaderMode};
use daily_papers_core::date::Date;
use daily_papers_core::digest::{import_readme, ImportedReadme};
use daily_papers_core::fetch::policy::{FetchError, Pacer};
use daily_papers_core::fetch::run::{fetch_topic, TopicFetch};
use daily_papers_core::digest::readme::{issue_digest, Section};
use daily_papers_core::library::results::{
    draft_readme, draft_readme_with_header, results_key, FetchedAt, KeywordResults,
};
use daily_papers_core::settings::Settings;
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

/// arXiv's API, where queries go unless the config or `--endpoint` says otherwise.
pub const ARXIV_API: &str = "https://export.arxiv.org/api/query";

/// Everything a run needs, read and checked before the first request.
struct Plan {
    config: Config,
    settings: Settings,
    date: Date,
    existing: Option<ImportedReadme>,
    digest_repo: Option<String>,
    feed: Option<crate::feed::FeedPlan>,
    notify: Vec<(String, daily_papers_core::digest::chat::ChatFormat)>,
}

/// What happened to one topic.
enum TopicResult {
    Fetched,
    /// The answer stayed empty: arXiv has no paper for it.
    NoMatch,
    Failed(String),
}

fn bad(message: impl std::fmt::Display) -> Exit {
    eprintln!("error: {message}");
    Exit::BadInput
}

fn today_utc() -> Option<Date> {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Date::from_unix_days(i64::try_from(seconds / 86_400).ok()?)
}

fn plan(args: &UpdateArgs) -> Result<Plan, Exit> {
    let config_path = args.config.display();
    let text = std::fs::read_to_string(&args.config).map_err(|e| {
        bad(format!(
            "{config_path}: {e}. Write one with `daily-papers init` (or `daily-papers init --from-readme README.md`)."
        ))
    })?;
    let config = Config::from_json(&text).map_err(|e| bad(format!("{config_path}: {e}")))?;
    if config.topics.is_empty() {
        return Err(bad(format!(
            "{config_path}: topics: the list is empty; add at least one topic."
        )));
    }
    let mut settings = config.settings.clone();
    let endpoint_error = match &args.endpoint {
        Some(endpoint) => settings
            .set_endpoint(endpoint)
            .map_err(|e| format!("--endpoint: {e}")),
        None if config.endpoint_given => Ok(()),
        None => settings
            .set_endpoint(ARXIV_API)
            .map_err(|e| format!("--endpoint: {e}")),
    };
    endpoint_error.map_err(bad)?;
    if settings.endpoint.host().is_none() {
        return Err(bad(format!(
            "{}: \u{201c}{}\u{201d} is a path of the web app's own site; the command-line tool needs a full address (http:// or https://).",
            if args.endpoint.is_some() { "--endpoint".to_owned() } else { format!("{config_path}: settings.endpoint") },
            settings.endpoint
        )));
    }
    let date = match &args.date {
        Some(raw) => raw.parse().map_err(|e| bad(format!("--date: {e}")))?,
        None => today_utc()
            .ok_or_else(|| bad("the system clock gives no valid date; pass --date YYYY-MM-DD."))?,
    };
    let existing = match std::fs::read(&args.readme) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                bad(format!(
                    "{}: not UTF-8 text; it is left as it is.",
                    args.readme.display()
                ))
            })?;
            Some(import_readme(&text).map_err(|e| {
                bad(format!(
                    "{}: {e} The README is left as it is: fix it, or move it away to start a new one.",
                    args.readme.display()
                ))
            })?)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(bad(format!("{}: {e}", args.readme.display()))),
    };
    let digest_repo = match &args.issue_template {
        None => None,
        Some(_) => Some(repo_url(&config).ok_or_else(|| {
            bad(format!(
                "{config_path}: settings.repo_url: the issue digest links to the repository; set settings.repo_url (https://github.com/owner/repository), or run in GitHub Actions, where GITHUB_REPOSITORY gives it."
            ))
        })?),
    };
    let feed = crate::feed::plan(args, repo_url(&config).as_deref()).map_err(bad)?;
    let notify = crate::notify::targets(args).map_err(bad)?;
    Ok(Plan {
        config,
        settings,
        date,
        existing,
        digest_repo,
        feed,
        notify,
    })
}

/// The digest's repository link: the config's, or GitHub Actions' `GITHUB_REPOSITORY`.
fn repo_url(config: &Config) -> Option<String> {
    config.repo_url.clone().or_else(|| {
        std::env::var("GITHUB_REPOSITORY")
            .ok()
            .filter(|r| !r.trim().is_empty())
            .map(|r| format!("https://github.com/{}", r.trim()))
    })
}

/// Words for a failure in a terminal, not a page: the network error's reason instead of the
/// browser's cross-origin advice.
fn failure_text(error: &FetchError, endpoint: &str, network_reason: Option<&str>) -> String {
    match error {
        FetchError::Network { .. } => format!(
            "could not reach {endpoint}: {}",
            network_reason.unwrap_or("no answer")
        ),
        other => other.to_string(),
    }
}

pub fn update(args: &UpdateArgs) -> Exit {
    let mut plan = match plan(args) {
        Ok(plan) => plan,
        Err(exit) => return exit,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: could not start: {e}");
            return Exit::NothingFetched;
        }
    };
    let mut http = match Http::new() {
        Ok(http) => http,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::NothingFetched;
        }
    };
    let list = plan.config.topic_list();
    let topics = list.entries();
    let settings = &plan.settings;
    let endpoint = settings.endpoint.as_str().to_owned();
    let report = Report::new(topics.len());
    let fresh = FetchedAt {
        unix_ms: 1,
        date: plan.date,
        time: String::new(),
    };
    let previous_at = FetchedAt {
        unix_ms: 0,
        date: plan
            .existing
            .as_ref()
            .and_then(|r| r.last_update)
            .unwrap_or(plan.date),
        time: String::new(),
    };
    let mut results: HashMap<String, KeywordResults> = HashMap::new();
    let mut outcomes: Vec<TopicResult> = Vec::with_capacity(topics.len());
    let mut pacer = Pacer::default();
    for (index, entry) in topics.iter().enumerate() {
        let (id, topic) = (entry.id, &entry.topic);
        let name = topic.name();
        report.start(index, name.as_str());
        let outcome = match topic_query_url(&endpoint, topic, &settings.query_options()) {
            Err(e) => TopicFetch::Failed(FetchError::Arxiv {
                message: e.to_string(),
            }),
            Ok(url) => runtime.block_on(fetch_topic(
                &mut http,
                &mut pacer,
                &url,
                settings,
                |because, wait| report.note(&because.retry_note(wait)),
            )),
        };
        let previous = plan
            .existing
            .as_ref()
            .and_then(|r| r.section(name))
            .map(|s| KeywordResults::succeeded(s.papers.clone(), previous_at.clone(), topic));
        let keeps = match &previous {
            Some(p) => format!("kept its previous section ({} papers)", p.papers.len()),
            None => "not in the README (no previous section)".to_owned(),
        };
        let result = match outcome {
            TopicFetch::Papers(papers) => {
                // arXiv's search stems and tokenises: the topic's own exclusions and categories
                // are checked again on the answer, as the app does.
                let papers = keep_for_topic(papers, topic, &settings.categories);
                report.done(&format!("{name}: {} papers", papers.len()));
                results.insert(
                    results_key(id),
                    KeywordResults::succeeded(papers, fresh.clone(), topic),
                );
                TopicResult::Fetched
            }
            TopicFetch::Failed(FetchError::Empty) => {
                report.done(&format!("{name}: no paper matches; {keeps}"));
                if let Some(p) = previous {
                    results.insert(results_key(id), p);
                }
                TopicResult::NoMatch
            }
            TopicFetch::Failed(error) => {
                let why = failure_text(&error, &endpoint, http.last_error.as_deref());
                report.done(&format!("{name}: FAILED: {why}; {keeps}"));
                if let Some(p) = previous {
                    results.insert(results_key(id), p);
                }
                TopicResult::Failed(why)
            }
            TopicFetch::Cancelled => {
                report.done(&format!("{name}: cancelled"));
                TopicResult::Failed("cancelled".to_owned())
            }
        };
        outcomes.push(result);
    }
    report.finish();
    let feed = plan.feed.take();
    finish(args, &plan, &results, &outcomes, feed)
}

/// Writes the files (or not) and says how the run ended.
fn finish(
    args: &UpdateArgs,
    plan: &Plan,
    results: &HashMap<String, KeywordResults>,
    outcomes: &[TopicResult],
    feed: Option<crate::feed::FeedPlan>,
) -> Exit {
    let fetched = outcomes
        .iter()
        .filter(|o| matches!(o, TopicResult::Fetched))
        .count();
    let failed = outcomes
        .iter()
        .filter(|o| matches!(o, TopicResult::Failed(_)))
        .count();
    let no_match = outcomes.len() - fetched - failed;
    let total = outcomes.len();
    let tally = format!(
        "{fetched} of {total} topics fetched, {failed} failed, {no_match} matched no paper"
    );
    if fetched == 0 {
        return if failed > 0 {
            eprintln!("Nothing could be fetched ({tally}); no file was changed.");
            Exit::NothingFetched
        } else {
            eprintln!("No topic has papers ({tally}); no file was changed.");
            Exit::Fetched
        };
    }
    if failed > 0 && args.strict {
        eprintln!("--strict: {tally}; no file was changed.");
        return Exit::KeptOld;
    }
    let list = plan.config.topic_list();
    let names = || list.entries().iter().map(|e| (e.id, e.topic.name()));
    let results_of = |id| results.get(&results_key(id));
    let style = plan.settings.link_style;
    let draft = match (&plan.existing, plan.config.readme_header) {
        (Some(existing), HeaderMode::Keep) => {
            draft_readme_with_header(&existing.header, names(), results_of, style)
        }
        _ => draft_readme(names(), results_of, style),
    };
    let Some(markdown) = draft.markdown else {
        eprintln!("Nothing to write ({tally}); no file was changed.");
        return Exit::NothingFetched;
    };
    let markdown = match &args.feed_url {
        Some(url) => daily_papers_core::digest::feed::readme_with_feed_link(&markdown, url),
        None => markdown,
    };
    if let Err(e) = write_atomically(&args.readme, &markdown) {
        eprintln!("error: {}: {e}", args.readme.display());
        return Exit::NothingFetched;
    }
    if let (Some(path), Some(repo)) = (&args.issue_template, &plan.digest_repo) {
        let sections: Vec<Section> = names()
            .filter_map(|(id, k)| {
                results_of(id).map(|r| Section {
                    keyword: k.as_str(),
                    papers: &r.papers,
                })
            })
            .collect();
        let digest = issue_digest(plan.date, repo, &sections, style);
        if let Err(e) = write_atomically(path, &digest) {
            eprintln!("error: {}: {e}", path.display());
            return Exit::KeptOld;
        }
    }
    // Delivery comes after the README is safe on disk: a failure here loses nothing.
    let found = crate::feed::found_today(
        names().filter_map(|(id, k)| {
            let previous = plan.existing.as_ref().and_then(|r| r.section(k));
            results_of(id).map(|r| (k.as_str(), previous.map(|s| &s.papers[..]), &r.papers[..]))
        }),
        plan.date,
    );
    let mut delivery_failed = false;
    if let Some(feed) = feed {
        match crate::feed::write(feed, found.clone(), plan.date) {
            Ok(entries) => eprintln!("Feed: {entries} entries."),
            Err(e) => {
                eprintln!("warning: the feed was not written: {e}");
                delivery_failed = true;
            }
        }
    }
    let pause = args.notify_pause_ms.map(std::time::Duration::from_millis);
    if !crate::notify::post_all(&plan.notify, &found, plan.date, pause) {
        delivery_failed = true;
    }
    let written = match &args.issue_template {
        Some(path) => format!("{} and {}", args.readme.display(), path.display()),
        None => args.readme.display().to_string(),
    };
    if failed > 0 {
        eprintln!("Wrote {written}: {tally}; the failed topics kept their previous section.");
        for (topic, outcome) in plan.config.topics.iter().zip(outcomes) {
            if let TopicResult::Failed(why) = outcome {
                eprintln!("  {}: {why}", topic.name());
            }
        }
        Exit::KeptOld
    } else {
        eprintln!("Wrote {written}: {tally}.");
        if delivery_failed {
            Exit::KeptOld
        } else {
            Exit::Fetched
        }
    }
}
