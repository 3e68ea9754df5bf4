//! `init --from FILE` / `--from-authors FILE`: a config from another tool's files. Which file is
//! what, and what each field becomes, is the core's decision
//! ([`daily_papers_core::digest::moving_in::move_in_from`], its YAML read with the core's `yaml`
//! feature), the same as the page's import. The run says what it took and what it did not.

use crate::{Exit, InitArgs};
use daily_papers_core::digest::moving_in::{
    move_in_from, yaml_to_json, MoveInError, TakeError,
};
use std::path::Path;

fn read(path: &Path) -> Result<String, String> {
    match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(_)) => Err(format!("{}: not UTF-8 text.", path.display())),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

pub fn init_from(args: &InitArgs) -> Exit {
    let read_all = |paths: &[std::path::PathBuf]| -> Result<Vec<(String, String)>, String> {
        paths
            .iter()
            .map(|path| Ok((path.display().to_string(), read(path)?)))
            .collect()
    };
    let (files, authors) = match (read_all(&args.from), read_all(&args.from_authors)) {
        (Ok(files), Ok(authors)) => (files, authors),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("error: {message}");
            return Exit::BadInput;
        }
    };
    let authors: Vec<String> = authors.into_iter().map(|(_, text)| text).collect();
    let moving = match move_in_from(&files, &authors, yaml_to_json) {
        Ok(moving) => moving,
        Err(e) => {
            let hint = matches!(e, MoveInError::Take { error: TakeError::Unknown, .. })
                .then_some(" For a Daily Papers README use --from-readme.")
                .unwrap_or_default();
            eprintln!("error: {e}{hint}");
            return Exit::BadInput;
        }
    };
    eprintln!("Taken:");
    for line in &moving.taken {
        eprintln!("  {line}");
    }
    if !moving.not_taken.is_empty() {
        eprintln!("Not taken:");
        for line in &moving.not_taken {
            eprintln!("  {line}");
        }
    }
    let Some(config) = moving.config() else {
        eprintln!("error: no topic to follow in these files; nothing was written.");
        return Exit::BadInput;
    };
    crate::init::write(&args.config, &config.to_json(false), args.force)
}
