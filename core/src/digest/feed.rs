//! The Atom 1.0 feed of the papers each run found new or updated: one entry per paper and topic,
//! kept for the last N days across runs (the previous file is read back, merged and rewritten).
//!
//! Entries are written so that the project's own arXiv reader ([`parse_feed`]) reads them back:
//! the same elements arXiv uses (`<summary>`, `<author><name>`, the abstract and PDF links,
//! `<arxiv:comment>`), plus the topic as the entry's one `<category>`. A feed reader keys an entry
//! by its `<id>`, so the id names the paper *without its version* and the topic: a revised paper
//! is the same entry, updated, never a second one.

use crate::arxiv::{parse_feed, FeedError, Paper};
use crate::date::Date;
use crate::library::paper_id::PaperId;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::collections::HashSet;
use std::fmt;

/// How many days of entries the feed keeps unless told otherwise.
pub const DEFAULT_FEED_DAYS: u32 = 30;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const ARXIV_NS: &str = "http://arxiv.org/schemas/atom";

/// One entry: a paper as one topic found it on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// The topic's name, written as the entry's category.
    pub topic: String,
    /// The day a run found the paper new or updated (the entry's `<updated>`).
    pub found: Date,
    pub paper: Paper,
}

impl FeedEntry {
    /// The entry's stable id: see [`entry_id`].
    pub fn id(&self) -> String {
        entry_id(&self.paper, &self.topic)
    }
}

/// What the feed says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedMeta {
    /// The feed's `<id>`: must stay the same from run to run.
    pub id: String,
    pub title: String,
    /// Where the feed itself is published (`rel="self"`), when known.
    pub self_link: Option<String>,
    /// The page the feed belongs to (the README, the app), when known.
    pub page_link: Option<String>,
}

/// Why the previous feed file cannot be used. The file is then left as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedFileError {
    /// Not an Atom feed (another format, damaged XML, not UTF-8).
    NotAtom { detail: String },
    /// The XML writer failed (it writes into memory, so this is not expected).
    Write { detail: String },
}

impl fmt::Display for FeedFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeedFileError::NotAtom { detail } => write!(
                f,
                "is not an Atom feed ({detail}); it is left as it is. Move it away (or name another file) to start a new feed."
            ),
            FeedFileError::Write { detail } => write!(f, "could not write the feed: {detail}"),
        }
    }
}

impl std::error::Error for FeedFileError {}

/// `urn:daily-papers:<arXiv id without version>:<topic, percent-encoded>`. The same paper under
/// the same topic always gets the same id, whatever its version or link style.
pub fn entry_id(paper: &Paper, topic: &str) -> String {
    let source = if paper.id.is_empty() {
        &paper.abs_link
    } else {
        &paper.id
    };
    let key = PaperId::parse(source).key;
    let mut id = String::with_capacity(24 + key.len() + topic.len());
    id.push_str("urn:daily-papers:");
    push_percent_encoded(&mut id, key);
    id.push(':');
    push_percent_encoded(&mut id, topic);
    id
}

/// Keeps URN-safe ASCII as it is and percent-encodes every other byte, so that any topic (spaces,
/// quotes, non-ASCII, `:`) gives a valid, unambiguous id.
fn push_percent_encoded(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// The arXiv id inside an id [`entry_id`] wrote.
fn key_from_entry_id(id: &str) -> Option<String> {
    let encoded = id.strip_prefix("urn:daily-papers:")?.split(':').next()?;
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut rest = encoded.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        match (b, tail.get(..2)) {
            (b'%', Some(hex)) => {
                let hex = std::str::from_utf8(hex).ok()?;
                bytes.push(u8::from_str_radix(hex, 16).ok()?);
                rest = tail.get(2..)?;
            }
            _ => {
                bytes.push(b);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes).ok()
}

/// The papers of `current` that are new or updated compared with `previous` (the same topic's
/// papers on the previous run): an id not seen before, or a different version of one.
pub fn new_or_updated<'a>(previous: &[Paper], current: &'a [Paper]) -> Vec<&'a Paper> {
    let seen: HashSet<(&str, Option<u32>)> = previous
        .iter()
        .map(|p| paper_key(p))
        .map(|id| (id.key, id.version))
        .collect();
    let seen_keys: HashSet<&str> = seen.iter().map(|(key, _)| *key).collect();
    current
        .iter()
        .filter(|paper| {
            let id = paper_key(paper);
            match id.version {
                // A README link without version: the paper is known, nothing tells it changed.
                _ if !seen_keys.contains(id.key) => true,
                Some(v) => !seen.contains(&(id.key, Some(v))) && !seen.contains(&(id.key, None)),
                None => false,
            }
        })
        .collect()
}

fn paper_key(paper: &Paper) -> PaperId<'_> {
    if paper.id.is_empty() {
        PaperId::parse(&paper.abs_link)
    } else {
        PaperId::parse(&paper.id)
    }
}

/// Reads a feed this module wrote (any Atom feed is accepted: an entry's topic is its first
/// category, its day the date part of `<updated>`).
pub fn read_feed(bytes: &[u8]) -> Result<Vec<FeedEntry>, FeedFileError> {
    let feed = parse_feed(bytes).map_err(|e| FeedFileError::NotAtom {
        detail: match e {
            FeedError::NotAFeed => "no Atom <feed> element".to_owned(),
            FeedError::Malformed { detail } => detail,
            FeedError::NotUtf8 => "not UTF-8 text".to_owned(),
            FeedError::MissingField { entry, field } => {
                format!("entry {} has no {field}", entry + 1)
            }
            FeedError::ArxivError { message } => format!("an error entry: {message}"),
        },
    })?;
    feed.papers
        .into_iter()
        .enumerate()
        .map(|(index, mut paper)| {
            let found = paper
                .date()
                .parse::<Date>()
                .map_err(|e| FeedFileError::NotAtom {
                    detail: format!("entry {}: <updated>: {e}", index + 1),
                })?;
            let topic = paper.categories.first().cloned().unwrap_or_default();
            // The entry's id is ours, not arXiv's: the paper is known by its abstract link, or
            // (when it had none) by the arXiv id inside ours.
            paper.id = if paper.abs_link.is_empty() {
                key_from_entry_id(&paper.id).unwrap_or_default()
            } else {
                paper.abs_link.clone()
            };
            paper.categories.clear();
            paper.updated.clear();
            Ok(FeedEntry {
                topic,
                found,
                paper,
            })
        })
        .collect()
}

/// The feed's entries after a run: the ones `found` today replace earlier entries with the same
/// id, entries found more than `keep_days` days before `today` are dropped, newest first (a
/// day's entries in the order they were found).
pub fn merge(
    previous: Vec<FeedEntry>,
    found: Vec<FeedEntry>,
    today: Date,
    keep_days: u32,
) -> Vec<FeedEntry> {
    let oldest_kept = today.unix_days() - i64::from(keep_days.max(1)) + 1;
    let fresh: HashSet<String> = found.iter().map(FeedEntry::id).collect();
    let mut seen = HashSet::new();
    let mut entries: Vec<FeedEntry> = found
        .into_iter()
        .chain(previous.into_iter().filter(|e| !fresh.contains(&e.id())))
        // An entry dated after `today` (a run with an earlier --date) is kept: dropping it would
        // lose it for good.
        .filter(|e| e.found.unix_days() >= oldest_kept)
        // A damaged previous file may list an id twice: the first one stays.
        .filter(|e| seen.insert(e.id()))
        .collect();
    // Stable: within a day the order found is kept.
    entries.sort_by_key(|e| std::cmp::Reverse(e.found));
    entries
}

/// The line a README gets when it links to its feed.
pub fn readme_feed_line(feed_url: &str) -> String {
    format!("Subscribe in a feed reader: [Atom feed]({feed_url})\n")
}

/// The README with a link to the feed at `feed_url` under its `Last update:` line (or at its
/// top, when it has none). A README that already links to `feed_url` is returned as it is, so
/// a kept header never gets the line twice.
pub fn readme_with_feed_link(markdown: &str, feed_url: &str) -> String {
    let line = readme_feed_line(feed_url);
    if markdown.contains(line.trim_end()) {
        return markdown.to_owned();
    }
    let mut out = String::with_capacity(markdown.len() + line.len() + 1);
    let mut added = false;
    for row in markdown.split_inclusive('\n') {
        out.push_str(row);
        if !added && row.starts_with(crate::digest::readme::LAST_UPDATE_PREFIX) {
            if !row.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
            out.push_str(&line);
            added = true;
        }
    }
    if !added {
        return format!("{line}\n{markdown}");
    }
    out
}

/// The Atom document. `updated` is the run's day (the feed's `<updated>`).
pub fn write_feed(
    meta: &FeedMeta,
    updated: Date,
    entries: &[FeedEntry],
) -> Result<String, FeedFileError> {
    write(meta, updated, entries).map_err(|e| FeedFileError::Write {
        detail: e.to_string(),
    })
}

fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

fn write(meta: &FeedMeta, updated: Date, entries: &[FeedEntry]) -> std::io::Result<String> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NS))
        .with_attribute(("xmlns:arxiv", ARXIV_NS))
        .write_inner_content(|w| {
            text_element(w, "id", &meta.id)?;
            text_element(w, "title", &meta.title)?;
            text_element(w, "updated", &timestamp(updated))?;
            if let Some(href) = &meta.self_link {
                link(w, "self", "application/atom+xml", href, None)?;
            }
            if let Some(href) = &meta.page_link {
                link(w, "alternate", "text/html", href, None)?;
            }
            w.create_element("generator")
                .write_text_content(BytesText::new("Daily Papers"))?;
            // Atom requires an author for every entry, or for the feed.
            w.create_element("author").write_inner_content(|w| {
                text_element(w, "name", "Daily Papers")?;
                Ok(())
            })?;
            for entry in entries {
                write_entry(w, entry)?;
            }
            Ok(())
        })?;
    String::from_utf8(w.into_inner())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

fn write_entry(w: &mut Writer<Vec<u8>>, entry: &FeedEntry) -> std::io::Result<()> {
    let paper = &entry.paper;
    w.create_element("entry").write_inner_content(|w| {
        text_element(w, "id", &entry.id())?;
        text_element(w, "title", &paper.title)?;
        text_element(w, "updated", &timestamp(entry.found))?;
        if let Some(published) = valid_timestamp(&paper.published) {
            text_element(w, "published", published)?;
        }
        for author in &paper.authors {
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", author))?;
        }
        w.create_element("summary")
            .with_attribute(("type", "text"))
            .write_text_content(BytesText::new(&xml_text(&paper.abstract_text)))?;
        if let Some(href) = web_address(&paper.abs_link) {
            link(w, "alternate", "text/html", href, None)?;
        }
        if let Some(href) = web_address(&paper.pdf_link) {
            link(w, "related", "application/pdf", href, Some("pdf"))?;
        }
        let topic = xml_text(&entry.topic);
        w.create_element("category")
            .with_attribute(("term", &*topic))
            .with_attribute(("label", &*topic))
            .write_empty()?;
        if !paper.primary_category.is_empty() {
            w.create_element("arxiv:primary_category")
                .with_attribute(("term", &*xml_text(&paper.primary_category)))
                .write_empty()?;
        }
        if !paper.comment.is_empty() {
            text_element(w, "arxiv:comment", &paper.comment)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn text_element(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_text(text)))?;
    Ok(())
}

fn link(
    w: &mut Writer<Vec<u8>>,
    rel: &str,
    kind: &str,
    href: &str,
    title: Option<&str>,
) -> std::io::Result<()> {
    let href = xml_text(href);
    let mut element = w
        .create_element("link")
        .with_attribute(("rel", rel))
        .with_attribute(("type", kind))
        .with_attribute(("href", &*href));
    if let Some(title) = title {
        element = element.with_attribute(("title", title));
    }
    element.write_empty()?;
    Ok(())
}

/// An RFC 3339 time as arXiv gives it, or nothing: Atom readers refuse a malformed date.
fn valid_timestamp(text: &str) -> Option<&str> {
    let text = text.trim();
    let date = text.get(..10)?;
    (date.parse::<Date>().is_ok() && text.get(10..11) == Some("T")).then_some(text)
}

/// Only web addresses become links: a `javascript:` URL in a hostile answer must not become one.
fn web_address(href: &str) -> Option<&str> {
    let href = href.trim();
    let scheme = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    (scheme.starts_with("https://") || scheme.starts_with("http://")).then_some(href)
}

/// The text without the characters XML 1.0 forbids (control characters but tab and line ends,
/// and the two non-characters): escaping cannot express them, and one makes the whole feed
/// unreadable.
fn xml_text(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || (c >= ' '
                && !matches!(c, '\u{fffe}' | '\u{ffff}')
                && !('\u{7f}'..='\u{84}').contains(&c)
                && !('\u{86}'..='\u{9f}').contains(&c))
    };
    if text.chars().all(allowed) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> Date {
        Date::new(2026, 12, d).unwrap()
    }

    fn paper(id: &str, version: u32) -> Paper {
        Paper {
            id: format!("http://arxiv.org/abs/{id}v{version}"),
            title: format!("Paper {id} <&>\u{1}"),
            abstract_text: "An abstract with $E[|x|]$ & <tags>.".to_owned(),
            authors: vec!["Ada Lovelace".to_owned(), "Alan Turing".to_owned()],
            updated: "2026-12-01T10:00:00Z".to_owned(),
            published: "2026-11-30T10:00:00Z".to_owned(),
            abs_link: format!("http://arxiv.org/abs/{id}v{version}"),
            pdf_link: format!("http://arxiv.org/pdf/{id}v{version}"),
            primary_category: "cs.CL".to_owned(),
            comment: "10 pages".to_owned(),
            ..Paper::default()
        }
    }

    fn entry(id: &str, topic: &str, found: Date) -> FeedEntry {
        FeedEntry {
            topic: topic.to_owned(),
            found,
            paper: paper(id, 1),
        }
    }

    fn meta() -> FeedMeta {
        FeedMeta {
            id: "https://github.com/o/r".to_owned(),
            title: "Daily Papers".to_owned(),
            self_link: Some("https://example.org/feed.xml".to_owned()),
            page_link: None,
        }
    }

    #[test]
    fn ids_ignore_the_version_and_name_the_topic() {
        let a = entry_id(&paper("2410.01506", 1), "Large Language Models");
        assert_eq!(a, "urn:daily-papers:2410.01506:Large%20Language%20Models");
        assert_eq!(
            a,
            entry_id(&paper("2410.01506", 3), "Large Language Models")
        );
        assert_ne!(a, entry_id(&paper("2410.01506", 1), "RAG"));
        // A topic containing the separator cannot collide with another paper's id.
        assert_ne!(
            entry_id(&paper("1", 1), "a:b"),
            entry_id(&paper("1:a", 1), "b")
        );
    }

    #[test]
    fn a_written_feed_reads_back_entry_for_entry() {
        let entries = vec![
            entry("2410.00001", "RAG", day(3)),
            entry("2410.00002", "a \"topic\" & <b>", day(2)),
        ];
        let xml = write_feed(&meta(), day(3), &entries).unwrap();
        let back = read_feed(xml.as_bytes()).unwrap();
        assert_eq!(back.len(), 2);
        for (written, read) in entries.iter().zip(&back) {
            assert_eq!(read.id(), written.id());
            assert_eq!(read.topic, written.topic);
            assert_eq!(read.found, written.found);
            let key = PaperId::parse(&written.paper.id).key;
            assert_eq!(read.paper.title, format!("Paper {key} <&>"));
            assert_eq!(read.paper.authors, written.paper.authors);
            assert_eq!(read.paper.abstract_text, written.paper.abstract_text);
            assert_eq!(read.paper.pdf_link, written.paper.pdf_link);
            assert_eq!(read.paper.comment, "10 pages");
            assert_eq!(read.paper.primary_category, "cs.CL");
        }
        // Writing what was read gives the same document: nothing drifts from run to run.
        assert_eq!(write_feed(&meta(), day(3), &back).unwrap(), xml);
    }

    #[test]
    fn a_script_link_is_not_written_and_the_id_survives_without_a_link() {
        let mut e = entry("2410.00001", "RAG", day(3));
        e.paper.abs_link = "javascript:alert(1)".to_owned();
        let xml = write_feed(&meta(), day(3), std::slice::from_ref(&e)).unwrap();
        assert!(!xml.contains("javascript"), "{xml}");
        let back = read_feed(xml.as_bytes()).unwrap();
        assert_eq!(back[0].id(), e.id());
    }

    #[test]
    fn merging_replaces_updated_entries_and_drops_old_ones() {
        let previous = vec![
            entry("1", "A", day(2)),
            entry("2", "A", day(1)),
            entry("3", "A", day(1)),
            entry("9", "A", day(6)),
        ];
        let mut revised = entry("2", "A", day(5));
        revised.paper = paper("2", 2);
        let merged = merge(previous, vec![revised, entry("4", "A", day(5))], day(5), 4);
        let ids: Vec<_> = merged
            .iter()
            .map(|e| (e.paper.id.clone(), e.found))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("http://arxiv.org/abs/9v1".to_owned(), day(6)),
                ("http://arxiv.org/abs/2v2".to_owned(), day(5)),
                ("http://arxiv.org/abs/4v1".to_owned(), day(5)),
                ("http://arxiv.org/abs/1v1".to_owned(), day(2)),
            ]
        );
    }

    #[test]
    fn day_counting_crosses_months_and_years() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().unix_days(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().unix_days(), 11_017);
        assert_eq!(
            Date::new(2027, 1, 1).unwrap().unix_days() - Date::new(2026, 12, 31).unwrap().unix_days(),
            1
        );
        for days in [-1000_i64, 0, 59, 60, 20_000, 30_000] {
            assert_eq!(Date::from_unix_days(days).unwrap().unix_days(), days);
        }
    }

    #[test]
    fn new_or_updated_compares_versions() {
        let mut readme_only = paper("2410.00003", 1);
        readme_only.id = "https://arxiv.org/abs/2410.00003".to_owned();
        let previous = vec![paper("2410.00001", 1), paper("2410.00002", 1), readme_only];
        let current = vec![
            paper("2410.00001", 1),
            paper("2410.00002", 2),
            paper("2410.00003", 4),
            paper("2410.00005", 1),
        ];
        let found: Vec<_> = new_or_updated(&previous, &current)
            .into_iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(
            found,
            [
                "http://arxiv.org/abs/2410.00002v2",
                "http://arxiv.org/abs/2410.00005v1"
            ]
        );
    }

    #[test]
    fn the_readme_links_to_its_feed_once() {
        let readme = "# Daily Papers\nLast update: 2026-12-03\n\n## RAG\n| x |\n";
        let linked = readme_with_feed_link(readme, "https://o.github.io/r/feed.xml");
        assert_eq!(
            linked,
            "# Daily Papers\nLast update: 2026-12-03\n\nSubscribe in a feed reader: [Atom feed](https://o.github.io/r/feed.xml)\n\n## RAG\n| x |\n"
        );
        assert_eq!(
            readme_with_feed_link(&linked, "https://o.github.io/r/feed.xml"),
            linked
        );
        assert!(readme_with_feed_link("## RAG\n", "u")
            .starts_with("Subscribe in a feed reader: [Atom feed](u)\n\n## RAG"));
    }

    #[test]
    fn a_file_that_is_not_atom_is_refused() {
        for bad in [
            &b"<rss version=\"2.0\"><channel/></rss>"[..],
            b"# README",
            b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>",
            b"\xff\xfe",
        ] {
            let err = read_feed(bad).unwrap_err();
            assert!(matches!(err, FeedFileError::NotAtom { .. }), "{err:?}");
            assert!(err.to_string().contains("left as it is"));
        }
    }
}
