//! `init --from FILE` / `--from-authors FILE`: a config from another tool's files. The YAML is
//! read here (serde_norway); what each field becomes is the core's decision
//! ([`daily_papers_core::digest::moving_in`]). The run says what it took and what it did not.

use crate::{Exit, InitArgs};
use daily_papers_core::digest::moving_in::{AiEnhancedConfig, CvArxivDaily, MoveIn};
use serde_norway::Value;
use std::path::Path;

fn read(path: &Path) -> Result<String, String> {
    match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(_)) => Err(format!("{}: not UTF-8 text.", path.display())),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Reads one `--from` file into `moving`: cv-arxiv-daily's or daily-arXiv-ai-enhanced's
/// `config.yaml`, or a keyword list (entries joined by commas, or a YAML list).
fn take(moving: &mut MoveIn, path: &Path) -> Result<(), String> {
    let text = read(path)?;
    let named_yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let value = match serde_norway::from_str::<Value>(&text) {
        Ok(value) => value,
        Err(e) if named_yaml => return Err(format!("{}: not YAML: {e}", path.display())),
        // A copied list is plain text, not always valid YAML ("a: b, c").
        Err(_) => Value::String(text.clone()),
    };
    let has = |key: &str| value.as_mapping().is_some_and(|m| m.contains_key(key));
    if has("keywords") {
        let config: CvArxivDaily = serde_norway::from_value(value)
            .map_err(|e| format!("{}: cv-arxiv-daily config: {e}", path.display()))?;
        moving.cv_arxiv_daily(config);
    } else if has("arxiv") {
        let config: AiEnhancedConfig = serde_norway::from_value(value)
            .map_err(|e| format!("{}: daily-arXiv-ai-enhanced config: {e}", path.display()))?;
        moving.ai_enhanced_config(config);
    } else if let Some(list) = value.as_sequence() {
        let entries: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
        moving.keyword_list(&entries.join("\n"));
    } else if value.is_mapping() {
        return Err(format!(
            "{}: neither a cv-arxiv-daily config (it has `keywords:`) nor a daily-arXiv-ai-enhanced one (it has `arxiv: categories:`), nor a keyword list. For a Daily Papers README use --from-readme.",
            path.display()
        ));
    } else {
        moving.keyword_list(&text);
    }
    Ok(())
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
