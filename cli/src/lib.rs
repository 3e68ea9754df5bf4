//! Daily Papers from the command line: the same core as the browser app (query, Atom, README,
//! import, config, fetch policy), with a network, a clock and files around it.
//!
//! - `init` writes the config file `daily-papers.json`: a commented starting one, one read from an
//!   existing README (`--from-readme`), or the GitHub workflow (`--workflow`).
//! - `update` fetches every topic politely and writes the README (and the issue digest) that the
//!   app would write for the same answers.
//!
//! Exit codes, for a CI log: 0 every topic fetched; 1 some topics kept their previous section;
//! 2 bad config, arguments or README (the message names the field or line); 3 nothing could be
//! fetched (no file written); 4 a file could not be written (the README is as it was).
//! `docs/cli.md` documents the tool and the Action for users.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod feed;
mod files;
mod http;
mod init;
mod moving_in;
mod notify;
mod report;
mod update;
pub mod workflow;

use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

pub use update::ARXIV_API;

/// How a run ended, as the process's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Every topic was fetched (or matched no paper).
    Fetched = 0,
    /// Some topics failed and kept their previous section (or, with `--strict`, nothing was
    /// written).
    KeptOld = 1,
    /// A bad config file, argument or README: the message names the field or line.
    BadInput = 2,
    /// No topic could be fetched; no file was written.
    NothingFetched = 3,
    /// A file could not be written (read-only, a folder that takes no file, a full disk): the
    /// README is as it was. Checked before the first request where it can be.
    WriteFailed = 4,
}

/// The exit codes as `--help` shows them.
const EXIT_CODES: &str = "Exit codes:
  0  every topic was fetched (or matched no paper)
  1  some topics failed and kept their previous section (with --strict: no file was changed)
  2  bad config, arguments or README: the message names the field or line
  3  nothing could be fetched: no file was changed
  4  a file could not be written (read-only README, folder not writable): the README is as it was";

const UPDATE_HELP: &str = "Exit codes:
  0  every topic was fetched (or matched no paper)
  1  some topics failed and kept their previous section (with --strict: no file was changed)
  2  bad config, arguments or README: the message names the field or line
  3  nothing could be fetched: no file was changed
  4  a file could not be written (read-only README, folder not writable; checked before the
     first request): the README is as it was

What is kept: the README's header, text under a heading, text between sections, sections
without a table, sections of topics not in the config (unless --prune), the footer, the file's
permissions, symbolic link and line ends.

Examples:
  daily-papers update
  daily-papers update --dry-run --verbose
  daily-papers update --issue-template .github/ISSUE_TEMPLATE.md --summary-json summary.json
  daily-papers update --quiet || echo \"exit code $?\"";

const INIT_HELP: &str = "Exit codes:
  0  the file was written
  2  bad arguments or README, or the file exists (add --force)
  4  the file could not be written

Examples:
  daily-papers init
  daily-papers init --from-readme README.md
  daily-papers init --workflow --config daily-papers.json";

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "daily-papers",
    version,
    about = "Keep a Daily Papers README up to date from arXiv: the same core as the browser app.",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Write a config file (a commented starting one, or one read from an existing README), or
    /// the GitHub workflow that runs `update` every day.
    #[command(after_help = INIT_HELP)]
    Init(InitArgs),
    /// Fetch every topic of the config from arXiv and write the README (and the issue digest).
    #[command(after_help = UPDATE_HELP)]
    Update(UpdateArgs),
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// Read the topics and settings from an existing Daily Papers README (the migration of an
    /// existing repository).
    #[arg(long, value_name = "README.md", conflicts_with = "workflow")]
    pub from_readme: Option<PathBuf>,
    /// Read the topics from another tool's files (repeatable): cv-arxiv-daily's config.yaml
    /// (keyword groups become topics), daily-arXiv-ai-enhanced's config.yaml (its categories) or
    /// its copied keyword list (one topic per keyword).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["workflow", "from_readme"])]
    pub from: Vec<PathBuf>,
    /// daily-arXiv-ai-enhanced's copied author list: one topic per author (repeatable).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["workflow", "from_readme"])]
    pub from_authors: Vec<PathBuf>,
    /// Where to write the config (with --workflow: the config the workflow runs with).
    #[arg(long, value_name = "FILE", default_value = "daily-papers.json")]
    pub config: PathBuf,
    /// With --workflow: the README the workflow updates.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "README.md",
        requires = "workflow"
    )]
    pub readme: PathBuf,
    /// Write `.github/workflows/daily-papers.yml` (a daily run of the action) instead of a config.
    #[arg(long)]
    pub workflow: bool,
    /// The action the workflow runs, as `owner/repository@ref` (default: this version's release
    /// tag).
    #[arg(long, value_name = "OWNER/REPO@REF", default_value = workflow::DEFAULT_ACTION, requires = "workflow")]
    pub action: String,
    /// Replace a file that already exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug, Clone)]
pub struct UpdateArgs {
    /// The config file.
    #[arg(long, value_name = "FILE", default_value = "daily-papers.json")]
    pub config: PathBuf,
    /// The README to update (everything but our tables and its date is kept; see below).
    #[arg(long, value_name = "FILE", default_value = "README.md")]
    pub readme: PathBuf,
    /// Also write the issue digest there (e.g. .github/ISSUE_TEMPLATE.md).
    #[arg(long, value_name = "FILE")]
    pub issue_template: Option<PathBuf>,
    /// Ask this endpoint instead of the config's (default: arXiv's API).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The README's "Last update" date, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Leave every file untouched if any topic fails.
    #[arg(long)]
    pub strict: bool,
    /// Remove the README's sections whose topic is not in the config (they are kept otherwise).
    #[arg(long)]
    pub prune: bool,
    /// Fetch and show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Only failures (a topic that failed) and errors.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also the title and link of every new or updated paper.
    #[arg(long, short)]
    pub verbose: bool,
    /// Also write what happened as JSON there (per topic: fetched, new, kept, failed and why;
    /// the number of new papers, whether the README changed, the exit code).
    #[arg(long, value_name = "FILE")]
    pub summary_json: Option<PathBuf>,
    /// Also write an Atom feed of the papers each run finds new or updated (read back and kept
    /// across runs; a file there that is not Atom stops the run with nothing written).
    #[arg(long, value_name = "FILE")]
    pub feed: Option<PathBuf>,
    /// How many days of entries the feed keeps.
    #[arg(long, value_name = "N", requires = "feed", default_value_t = daily_papers_core::digest::feed::DEFAULT_FEED_DAYS, value_parser = clap::value_parser!(u32).range(1..=3660))]
    pub feed_days: u32,
    /// Where the feed is published (its id and self link); the README then links to it.
    #[arg(long, value_name = "URL", requires = "feed")]
    pub feed_url: Option<String>,
    /// Post the day's new papers to this chat webhook (Slack, Discord, a Microsoft Teams
    /// workflow, a Feishu bot); repeatable. Nothing is posted on a day without new papers; a
    /// failed post is a warning and exit code 1.
    #[arg(long, value_name = "URL", env = "DAILY_PAPERS_NOTIFY", value_delimiter = ' ')]
    pub notify: Vec<String>,
    /// slack, discord, teams or feishu (default: told from each webhook's address).
    #[arg(long, value_name = "FORMAT")]
    pub notify_format: Option<String>,
    /// The pause between two messages to the same webhook, in milliseconds (default: within
    /// each service's rate limit). For tests against a local receiver.
    #[arg(long, value_name = "MS", hide = true)]
    pub notify_pause_ms: Option<u64>,
}

/// Runs the tool with these arguments (the first is the program's name).
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::BadInput.into()
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let exit = match cli.command {
        Command::Init(args) => init::init(&args),
        Command::Update(args) => update::update(&args),
    };
    exit.into()
}
