//! Progress on stderr: a progress bar on a terminal, plain lines otherwise (a CI log keeps every
//! line; a bar would fill it with redraws).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

pub struct Report {
    bar: Option<ProgressBar>,
    total: usize,
}

impl Report {
    pub fn new(total: usize) -> Report {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total as u64);
            let style = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Report { bar, total }
    }

    /// Topic `index` (from 0) starts.
    pub fn start(&self, index: usize, name: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(name.to_owned()),
            None => eprintln!("[{}/{}] {name}", index + 1, self.total),
        }
    }

    /// A wait the user should know about.
    pub fn note(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(text.to_owned()),
            None => eprintln!("      {text}"),
        }
    }

    /// Topic finished, with its one-line result.
    pub fn done(&self, text: &str) {
        match &self.bar {
            Some(bar) => {
                bar.println(text);
                bar.inc(1);
            }
            None => eprintln!("      {text}"),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
