//! `update --feed FILE`: the Atom feed of the papers each run found new or updated, kept for the
//! last `--feed-days` days. The previous file is read before the first request, so a file that is
//! not Atom stops the run with nothing written (exit 2) rather than being replaced.

use crate::files::write_atomically;
use crate::UpdateArgs;
use daily_papers_core::arxiv::Paper;
use daily_papers_core::date::Date;
use daily_papers_core::digest::feed::{
    merge, new_or_updated, read_feed, write_feed, FeedEntry, FeedMeta,
};
use std::path::PathBuf;

/// The feed this run writes: where, what it held, how long entries stay.
pub struct FeedPlan {
    path: PathBuf,
    previous: Vec<FeedEntry>,
    days: u32,
    meta: FeedMeta,
}

/// Reads the previous feed, if `--feed` is given. `repo` is the repository's address, when known
/// (the feed's id and page link).
pub fn plan(args: &UpdateArgs, repo: Option<&str>) -> Result<Option<FeedPlan>, String> {
    let Some(path) = &args.feed else {
        return Ok(None);
    };
    let previous = match std::fs::read(path) {
        Ok(bytes) => read_feed(&bytes).map_err(|e| format!("--feed {}: {e}", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(format!("--feed {}: {e}", path.display())),
    };
    let file_name = path.file_name().map_or_else(
        || "feed.xml".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    // The id must not change between runs: the feed's own address if given, else the
    // repository's, else the file's name.
    let id = match (&args.feed_url, repo) {
        (Some(url), _) => url.clone(),
        (None, Some(repo)) => format!("{repo}#{file_name}"),
        (None, None) => format!("urn:daily-papers:feed:{file_name}"),
    };
    Ok(Some(FeedPlan {
        path: path.clone(),
        previous,
        days: args.feed_days,
        meta: FeedMeta {
            id,
            title: "Daily Papers".to_owned(),
            self_link: args.feed_url.clone(),
            page_link: repo.map(str::to_owned),
        },
    }))
}

/// The papers each topic found new or updated today, compared with its previous section.
pub fn found_today<'a>(
    topics: impl Iterator<Item = (&'a str, Option<&'a [Paper]>, &'a [Paper])>,
    date: Date,
) -> Vec<FeedEntry> {
    let mut found = Vec::new();
    for (topic, previous, current) in topics {
        for paper in new_or_updated(previous.unwrap_or_default(), current) {
            found.push(FeedEntry {
                topic: topic.to_owned(),
                found: date,
                paper: paper.clone(),
            });
        }
    }
    found
}

/// Merges today's entries into the feed and writes it. Returns how many entries it holds.
pub fn write(plan: FeedPlan, found: Vec<FeedEntry>, date: Date) -> Result<usize, String> {
    let entries = merge(plan.previous, found, date, plan.days);
    let xml = write_feed(&plan.meta, date, &entries)
        .map_err(|e| format!("{}: {e}", plan.path.display()))?;
    write_atomically(&plan.path, &xml).map_err(|e| format!("{}: {e}", plan.path.display()))?;
    Ok(entries.len())
}
