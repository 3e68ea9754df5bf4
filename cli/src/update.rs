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
//!   what each topic keeps is the core's rule, the page's too
//!   ([`results_after`](daily_papers_core::fetch::outcome::results_after));
//! - each answer keeps its real time: a stale one from the project's server (arXiv failing, its
//!   cache up to a day old) never moves the README's `Last update`, which is otherwise `--date`;
//! - the README is replaced only by one at least as complete: never when nothing was fetched
//!   (exit 3), never when the existing README cannot be read (exit 2);
//! - the README stays the user's: it is written into its own layout (the core's
//!   [`readme_in_layout`](daily_papers_core::digest::readme::readme_in_layout)), so the header,
//!   notes, text between sections, other sections and the footer stay byte for byte, and a
//!   section of a topic not in the config stays unless `--prune`;
//! - the files can be written is checked before the first request (exit 4 otherwise, as for a
//!   write that fails later); they are written atomically, README first, then the digest, each
//!   keeping its permissions and symbolic link;
//! - the end says how many papers are new or updated and whether the README changed;
//!   `--summary-json` says it for scripts, per topic.

use crate::files::{check_writable, write_atomically};
use crate::http::Http;
use crate::report::{Report, Verbosity};
use crate::{Exit, UpdateArgs};
use daily_papers_core::arxiv::topic_query::topic_query_url;
use daily_papers_core::arxiv::Paper;
use daily_papers_core::config::{Config, HeaderMode};
use daily_papers_core::date::Date;
use daily_papers_core::digest::readme::reference_header;
use daily_papers_core::digest::readme::{issue_digest, Section};
use daily_papers_core::digest::ImportedSection;
use daily_papers_core::digest::{import_readme, ImportedReadme};
use daily_papers_core::fetch::policy::{FetchError, Pacer, Shell};
use daily_papers_core::fetch::outcome::{for_topic, results_after, Clock};
use daily_papers_core::fetch::run::{fetch_topic, TopicFetch};
use daily_papers_core::library::history::TopicHistory;
use daily_papers_core::library::paper_id::PaperId;
use daily_papers_core::library::results::{
    draft_readme, draft_readme_in_layout, results_key, KeywordResults,
};
use daily_papers_core::settings::Settings;
use daily_papers_core::workflow::quiet_day;
use std::collections::BTreeSet;
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

/// arXiv's API, where queries go unless the config or `--endpoint` says otherwise.
pub use daily_papers_core::arxiv::terms::API_URL as ARXIV_API;

/// Everything a run needs, read and checked before the first request.
struct Plan {
    config: Config,
    settings: Settings,
    date: Date,
    existing: Option<ImportedReadme>,
    /// The README's bytes as read, to tell whether a write changes them.
    existing_bytes: Option<Vec<u8>>,
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

/// One topic's line of the summary.
struct TopicSummary {
    name: String,
    result: TopicResult,
    /// Papers in the answer (after the topic's own filters).
    fetched: usize,
    /// Of those, papers the README's section did not have (or had in an older version).
    new: Vec<String>,
    /// Papers of the previous section kept because the fetch failed or matched nothing.
    kept: usize,
}

impl TopicSummary {
    fn json(&self) -> serde_json::Value {
        let (status, error) = match &self.result {
            TopicResult::Fetched => ("fetched", None),
            TopicResult::NoMatch => ("no_match", None),
            TopicResult::Failed(why) => ("failed", Some(why.as_str())),
        };
        serde_json::json!({
            "name": self.name,
            "status": status,
            "fetched": self.fetched,
            "new": self.new.len(),
            "kept": self.kept,
            "failed": error.is_some(),
            "error": error,
        })
    }
}

/// The papers of `papers` that `previous` (a README section) did not have, or had in an older
/// version: the core's seen history decides, as it marks the page's "New" rows.
fn news<'a>(previous: Option<&ImportedSection>, papers: &'a [Paper], date: Date) -> Vec<&'a Paper> {
    let mut history = TopicHistory::default();
    if let Some(previous) = previous {
        history.import(previous.papers.iter().map(|p| p.id.as_str()), date);
    }
    papers
        .iter()
        .filter(|p| history.classify(&p.id).is_news())
        .collect()
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
    let (existing, existing_bytes) = match std::fs::read(&args.readme) {
        Ok(bytes) => {
            let text = std::str::from_utf8(&bytes).map_err(|_| {
                bad(format!(
                    "{}: not UTF-8 text; it is left as it is.",
                    args.readme.display()
                ))
            })?;
            let imported = import_readme(text).map_err(|e| {
                bad(format!(
                    "{}: {e} The README is left as it is: fix it, or move it away to start a new one.",
                    args.readme.display()
                ))
            })?;
            (Some(imported), Some(bytes))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, None),
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
    // Before the first request: a run that cannot write its files would spend every request
    // for nothing.
    if !args.dry_run {
        let outputs = [Some(&args.readme), args.issue_template.as_ref()];
        for path in outputs.into_iter().flatten() {
            check_writable(path).map_err(|e| {
                eprintln!("error: {e}");
                Exit::WriteFailed
            })?;
        }
    }
    if let Some(path) = &args.summary_json {
        check_writable(path).map_err(|e| {
            eprintln!("error: --summary-json: {e}");
            Exit::WriteFailed
        })?;
    }
    let feed = crate::feed::plan(args, repo_url(&config).as_deref()).map_err(bad)?;
    let notify = crate::notify::targets(args).map_err(bad)?;
    Ok(Plan {
        config,
        settings,
        date,
        existing,
        existing_bytes,
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

/// Words for a failure in a terminal, not a page: the core's terminal wording, with the network
/// error's reason instead of the browser's cross-origin advice.
fn failure_text(error: &FetchError, network_reason: Option<&str>) -> String {
    match error {
        FetchError::Network { .. } => format!(
            "{}: {}",
            error.message(Shell::Terminal),
            network_reason.unwrap_or("no answer")
        ),
        other => other.message(Shell::Terminal),
    }
}

fn verbosity(args: &UpdateArgs) -> Verbosity {
    if args.quiet {
        Verbosity::Quiet
    } else if args.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
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
    let report = Report::new(topics.len(), verbosity(args));
    // The real time of each answer; the README's date is `--date` (or today in UTC).
    let clock = Clock {
        unix_ms: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        utc_offset_minutes: 0,
        today: plan.date,
    };
    let readme_date = plan
        .existing
        .as_ref()
        .and_then(|r| r.last_update)
        .unwrap_or(plan.date);
    let mut results: HashMap<String, KeywordResults> = HashMap::new();
    let mut summaries: Vec<TopicSummary> = Vec::with_capacity(topics.len());
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
                |because, wait| report.note(&because.retry_note_in(wait, Shell::Terminal)),
            )),
        };
        let previous_section = plan.existing.as_ref().and_then(|r| r.section(name));
        let previous = previous_section
            .map(|s| KeywordResults::from_readme(s.papers.clone(), readme_date, topic));
        let keeps = match &previous {
            Some(p) => format!("kept its previous section ({} papers)", p.papers.len()),
            None => "not in the README (no previous section)".to_owned(),
        };
        let kept = previous.as_ref().map_or(0, |p| p.papers.len());
        let mut summary = TopicSummary {
            name: name.as_str().to_owned(),
            result: TopicResult::Fetched,
            fetched: 0,
            new: Vec::new(),
            kept: 0,
        };
        // The core's rule, as the page keeps it: what the topic holds now.
        let outcome = for_topic(outcome, topic, &settings.categories);
        let stale = match &outcome {
            TopicFetch::Papers { freshness, .. } if freshness.stale() => Some(
                clock.fetched_at(freshness).stale_text(clock.today),
            ),
            _ => None,
        };
        match &outcome {
            TopicFetch::Papers { papers, .. } => {
                let new = news(previous_section, papers, plan.date);
                let from = stale.map(|s| format!(" ({s})")).unwrap_or_default();
                report.done(&format!(
                    "{name}: {} papers, {} new or updated{from}",
                    papers.len(),
                    new.len()
                ));
                for paper in &new {
                    report.detail(&format!("new: {} ({})", paper.title, paper.abs_link));
                }
                summary.fetched = papers.len();
                summary.new = new.iter().map(|p| p.id.clone()).collect();
            }
            TopicFetch::NoMatch { .. } => {
                report.done(&format!("{name}: no paper matches; {keeps}"));
                summary.result = TopicResult::NoMatch;
                summary.kept = kept;
            }
            TopicFetch::Failed(error) => {
                let why = failure_text(error, http.last_error.as_deref());
                report.warn(&format!("{name}: FAILED: {why}; {keeps}"));
                summary.result = TopicResult::Failed(why);
                summary.kept = kept;
            }
            TopicFetch::Cancelled => {
                report.warn(&format!("{name}: cancelled"));
                summary.result = TopicResult::Failed("cancelled".to_owned());
                summary.kept = kept;
            }
        }
        let after = results_after(previous.as_ref(), outcome, topic, &clock).or(previous);
        if let Some(after) = after {
            results.insert(results_key(id), after);
        }
        summaries.push(summary);
    }
    report.finish();
    let feed = plan.feed.take();
    let end = finish(args, &plan, &results, &summaries, &report, feed);
    if let Some(path) = &args.summary_json {
        let json = end.json(args, &plan, &summaries);
        let text = serde_json::to_string_pretty(&json).unwrap_or_default() + "\n";
        if let Err(e) = write_atomically(path, &text) {
            eprintln!("error: --summary-json: {e}");
            return Exit::WriteFailed;
        }
    }
    end.exit
}

/// How a run ended, for the exit code and the summary.
struct End {
    exit: Exit,
    /// The README's bytes differ from before (with `--dry-run`: would differ).
    changed: bool,
    /// The files were written.
    written: bool,
    new_papers: usize,
    kept_sections: Vec<String>,
    pruned_sections: Vec<String>,
}

impl End {
    fn nothing(exit: Exit, new_papers: usize) -> End {
        End {
            exit,
            changed: false,
            written: false,
            new_papers,
            kept_sections: Vec::new(),
            pruned_sections: Vec::new(),
        }
    }

    fn json(&self, args: &UpdateArgs, plan: &Plan, topics: &[TopicSummary]) -> serde_json::Value {
        serde_json::json!({
            "version": 1,
            "date": plan.date.to_string(),
            "readme": args.readme.display().to_string(),
            "dry_run": args.dry_run,
            "exit_code": self.exit as u8,
            "new_papers": self.new_papers,
            "changed": self.changed,
            "written": self.written,
            "kept_sections": self.kept_sections,
            "pruned_sections": self.pruned_sections,
            "quiet_day": (self.new_papers == 0).then(|| quiet_day(plan.date)).flatten(),
            "topics": topics.iter().map(TopicSummary::json).collect::<Vec<_>>(),
        })
    }
}

/// Writes the files (or not) and says how the run ended.
fn finish(
    args: &UpdateArgs,
    plan: &Plan,
    results: &HashMap<String, KeywordResults>,
    summaries: &[TopicSummary],
    report: &Report,
    feed: Option<crate::feed::FeedPlan>,
) -> End {
    let count = |f: fn(&TopicResult) -> bool| summaries.iter().filter(|s| f(&s.result)).count();
    let fetched = count(|r| matches!(r, TopicResult::Fetched));
    let failed = count(|r| matches!(r, TopicResult::Failed(_)));
    let no_match = summaries.len() - fetched - failed;
    let total = summaries.len();
    // A paper new to two topics is one new paper.
    let new_papers = summaries
        .iter()
        .flat_map(|s| &s.new)
        .map(|id| PaperId::parse(id).key)
        .collect::<BTreeSet<_>>()
        .len();
    let tally = format!(
        "{fetched} of {total} topics fetched, {failed} failed, {no_match} matched no paper; {new_papers} new or updated paper{}",
        if new_papers == 1 { "" } else { "s" }
    );
    if new_papers == 0 && fetched > 0 {
        report.say(&match quiet_day(plan.date) {
            Some(why) => format!("No new paper: {why}."),
            None => "No new paper today: nothing new matched the topics (or arXiv deferred its announcement; see status.arxiv.org).".to_owned(),
        });
    }
    if fetched == 0 {
        return if failed > 0 {
            eprintln!("Nothing could be fetched ({tally}); no file was changed.");
            End::nothing(Exit::NothingFetched, new_papers)
        } else {
            report.say(&format!(
                "No topic has papers ({tally}); no file was changed."
            ));
            End::nothing(Exit::Fetched, new_papers)
        };
    }
    if failed > 0 && args.strict {
        eprintln!("--strict: {tally}; no file was changed.");
        return End::nothing(Exit::KeptOld, new_papers);
    }
    let list = plan.config.topic_list();
    let names = || list.entries().iter().map(|e| (e.id, e.topic.name()));
    let results_of = |id| results.get(&results_key(id));
    let style = plan.settings.link_style;
    let listed: Vec<&str> = plan
        .config
        .topics
        .iter()
        .map(|t| t.name().as_str())
        .collect();
    let (draft, outside) = match &plan.existing {
        Some(existing) => {
            let outside: Vec<String> = existing
                .sections_not_in(listed.iter().copied())
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect();
            let draft = match plan.config.readme_header {
                HeaderMode::Keep => draft_readme_in_layout(
                    Some(existing),
                    args.prune,
                    names(),
                    results_of,
                    style,
                    usize::MAX,
                ),
                HeaderMode::Reference => {
                    let mut layout = existing.clone();
                    layout.header = reference_header(plan.date);
                    draft_readme_in_layout(
                        Some(&layout),
                        args.prune,
                        names(),
                        results_of,
                        style,
                        usize::MAX,
                    )
                }
            };
            (draft, outside)
        }
        None => (draft_readme(names(), results_of, style), Vec::new()),
    };
    let Some(markdown) = draft.markdown else {
        eprintln!("Nothing to write ({tally}); no file was changed.");
        return End::nothing(Exit::NothingFetched, new_papers);
    };
    let markdown = match &args.feed_url {
        Some(url) => daily_papers_core::digest::feed::readme_with_feed_link(&markdown, url),
        None => markdown,
    };
    let changed = plan.existing_bytes.as_deref() != Some(markdown.as_bytes());
    let (kept_sections, pruned_sections) = if args.prune {
        (Vec::new(), outside)
    } else {
        (outside, Vec::new())
    };
    let config_name = args.config.display();
    let sections_note = match (kept_sections.len(), pruned_sections.len()) {
        (0, 0) => String::new(),
        (n, 0) => format!(
            "; kept {n} section{} not in {config_name} ({}); --prune removes them",
            if n == 1 { "" } else { "s" },
            kept_sections.join(", ")
        ),
        (_, n) => format!(
            "; removed {n} section{} not in {config_name} ({})",
            if n == 1 { "" } else { "s" },
            pruned_sections.join(", ")
        ),
    };
    let mut end = End {
        exit: if failed > 0 {
            Exit::KeptOld
        } else {
            Exit::Fetched
        },
        changed,
        written: false,
        new_papers,
        kept_sections,
        pruned_sections,
    };
    let digest = match (&args.issue_template, &plan.digest_repo) {
        (Some(path), Some(repo)) => {
            let sections: Vec<Section> = names()
                .filter_map(|(id, k)| {
                    results_of(id).map(|r| Section {
                        keyword: k.as_str(),
                        papers: &r.papers,
                    })
                })
                .collect();
            Some((path, issue_digest(plan.date, repo, &sections, style)))
        }
        _ => None,
    };
    let readme = args.readme.display();
    if args.dry_run {
        for summary in summaries {
            if !summary.new.is_empty() {
                report.say(&format!(
                    "  {}: {} new or updated",
                    summary.name,
                    summary.new.len()
                ));
            }
        }
        let what = if changed {
            "would change"
        } else {
            "would not change"
        };
        report.say(&format!(
            "--dry-run: {readme} {what} ({tally}{sections_note}); no file was written."
        ));
        return end;
    }
    if let Err(e) = write_atomically(&args.readme, &markdown) {
        eprintln!("error: {e}; it is as it was.");
        end.exit = Exit::WriteFailed;
        return end;
    }
    end.written = true;
    if let Some((path, digest)) = digest {
        if let Err(e) = write_atomically(path, &digest) {
            eprintln!("error: {e}; {readme} was written.");
            end.exit = Exit::WriteFailed;
            return end;
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
        Some(path) => format!("{readme} and {}", path.display()),
        None => readme.to_string(),
    };
    let change = if changed { "" } else { " (unchanged)" };
    if failed > 0 {
        eprintln!(
            "Wrote {written}{change}: {tally}{sections_note}; the failed topics kept their previous section."
        );
        for summary in summaries {
            if let TopicResult::Failed(why) = &summary.result {
                eprintln!("  {}: {why}", summary.name);
            }
        }
    } else {
        report.say(&format!("Wrote {written}{change}: {tally}{sections_note}."));
        if delivery_failed {
            // The README is written; a feed or chat post that failed is reported as a warning.
            end.exit = Exit::KeptOld;
        }
    }
    end
}
