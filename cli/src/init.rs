//! `daily-papers init`: the config file (commented, or read from an existing README) or the
//! GitHub workflow.

use crate::files::{write_new, NewFileError};
use crate::workflow::{is_action_reference, workflow_for, WORKFLOW_PATH};
use crate::{Exit, InitArgs};
use daily_papers_core::config::Config;
use daily_papers_core::digest::import_readme;
use std::path::Path;

pub fn init(args: &InitArgs) -> Exit {
    if args.workflow {
        if !is_action_reference(&args.action) {
            eprintln!(
                "error: --action: \u{201c}{}\u{201d} is not an action reference; write it as owner/repository@ref.",
                args.action
            );
            return Exit::BadInput;
        }
        // The paths as the repository names them (the workflow runs at its root).
        let (Some(config), Some(readme)) = (args.config.to_str(), args.readme.to_str()) else {
            eprintln!("error: --config and --readme must be UTF-8 paths for a workflow file.");
            return Exit::BadInput;
        };
        return write(
            Path::new(WORKFLOW_PATH),
            &workflow_for(&args.action, config, readme),
            args.force,
        );
    }
    if !args.from.is_empty() || !args.from_authors.is_empty() {
        return crate::moving_in::init_from(args);
    }
    let Some(readme) = &args.from_readme else {
        let exit = write(&args.config, &Config::starter().to_json(true), args.force);
        if exit == Exit::Fetched {
            eprintln!(
                "Edit its topics, then run `daily-papers update`. Fields named _comment are ignored."
            );
        }
        return exit;
    };
    let text = match std::fs::read(readme).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            eprintln!("error: {}: not UTF-8 text.", readme.display());
            return Exit::BadInput;
        }
        Err(e) => {
            eprintln!("error: {}: {e}", readme.display());
            return Exit::BadInput;
        }
    };
    let imported = match import_readme(&text) {
        Ok(imported) => imported,
        Err(e) => {
            eprintln!("error: {}: {e}", readme.display());
            return Exit::BadInput;
        }
    };
    eprintln!("Read {}: {}.", readme.display(), imported.summary());
    if !imported.ignored.is_empty() {
        eprintln!(
            "  {} line{} outside the header and the tables (notes, other sections, a footer) will be kept as they are by `update`.",
            imported.ignored.len(),
            if imported.ignored.len() == 1 { "" } else { "s" }
        );
    }
    write(
        &args.config,
        &Config::from_import(&imported).to_json(false),
        args.force,
    )
}

/// Writes a new config or workflow file, saying what happened; `--force` replaces one.
pub(crate) fn write(path: &Path, text: &str, force: bool) -> Exit {
    match write_new(path, text, force) {
        Ok(()) => {
            eprintln!("Wrote {}.", path.display());
            Exit::Fetched
        }
        Err(NewFileError::Exists(message)) => {
            eprintln!("error: {message}");
            Exit::BadInput
        }
        Err(NewFileError::Write(e)) => {
            eprintln!("error: {e}");
            Exit::WriteFailed
        }
    }
}
