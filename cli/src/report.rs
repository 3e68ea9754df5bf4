//! Progress on stderr: a progress bar on a terminal, plain lines otherwise (a CI log keeps every
//! line; a bar would fill it with redraws). `--quiet` keeps only warnings and errors, `--verbose`
//! adds the details (every retry's reason, every new paper's title).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// How much a run says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

pub struct Report {
    bar: Option<ProgressBar>,
    total: usize,
    pub verbosity: Verbosity,
}

impl Report {
    pub fn new(total: usize, verbosity: Verbosity) -> Report {
        let bar = (verbosity == Verbosity::Normal && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total as u64);
            let style = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Report {
            bar,
            total,
            verbosity,
        }
    }

    /// Topic `index` (from 0) starts.
    pub fn start(&self, index: usize, name: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(name.to_owned()),
            None if self.verbosity > Verbosity::Quiet => {
                eprintln!("[{}/{}] {name}", index + 1, self.total)
            }
            None => {}
        }
    }

    /// A wait the user should know about.
    pub fn note(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(text.to_owned()),
            None if self.verbosity > Verbosity::Quiet => eprintln!("      {text}"),
            None => {}
        }
    }

    /// A detail for `--verbose` only.
    pub fn detail(&self, text: &str) {
        if self.verbosity == Verbosity::Verbose {
            eprintln!("        {text}");
        }
    }

    /// Topic finished, with its one-line result.
    pub fn done(&self, text: &str) {
        match &self.bar {
            Some(bar) => {
                bar.println(text);
                bar.inc(1);
            }
            None if self.verbosity > Verbosity::Quiet => eprintln!("      {text}"),
            None => {}
        }
    }

    /// A topic's failure: said even with `--quiet`.
    pub fn warn(&self, text: &str) {
        match &self.bar {
            Some(bar) => {
                bar.println(text);
                bar.inc(1);
            }
            None if self.verbosity > Verbosity::Quiet => eprintln!("      {text}"),
            None => eprintln!("warning: {text}"),
        }
    }

    /// A line of the end of the run (not with `--quiet`).
    pub fn say(&self, text: &str) {
        if self.verbosity > Verbosity::Quiet {
            eprintln!("{text}");
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
