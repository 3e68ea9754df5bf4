//! `init --from FILE` / `--from-authors FILE`: a config from another tool's files. The YAML is
//! read here (serde_norway); what each field becomes is the core's decision
//! ([`daily_papers_core::digest::moving_in`]). The run says what it took and what it did not.

use crate::{Exit, InitArgs};
use daily_papers_core::digest::moving_in::{is_yaml_name, MoveIn, TakeError};
use std::path::Path;

fn read(path: &Path) -> Result<String, String> {
    match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(_)) => Err(format!("{}: not UTF-8 text.", path.display())),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Reads one `--from` file into `moving`: cv-arxiv-daily's or daily-arXiv-ai-enhanced's
/// `config.yaml` (or a YAML keyword list), or a keyword list as text (entries joined by commas).
fn take(moving: &mut MoveIn, path: &Path) -> Result<(), String> {
    let text = read(path)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if !is_yaml_name(name) {
        moving.keyword_list(&text);
        return Ok(());
    }
    let value = serde_norway::from_str::<serde_norway::Value>(&text)
        .map_err(|e| format!("{}: not YAML: {e}", path.display()))?;
    // The core reads JSON's data model; a key JSON cannot carry (a list as a key) is named.
    let json = serde_json::to_string(&value)
        .map_err(|e| format!("{}: not YAML Daily Papers can read: {e}", path.display()))?;
    moving.take_yaml(&json).map_err(|e| match e {
        TakeError::Unknown => format!(
            "{}: {e} For a Daily Papers README use --from-readme.",
            path.display()
        ),
        e => format!("{}: {e}", path.display()),
    })
}

pub fn init_from(args: &InitArgs) -> Exit {
    let mut moving = MoveIn::default();
    for path in &args.from {
        if let Err(message) = take(&mut moving, path) {
            eprintln!("error: {message}");
            return Exit::BadInput;
        }
    }
    for path in &args.from_authors {
        match read(path) {
            Ok(text) => moving.author_list(&text),
            Err(message) => {
                eprintln!("error: {message}");
                return Exit::BadInput;
            }
        }
    }
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
