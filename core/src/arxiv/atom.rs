//! Parses arXiv's Atom answer into [`Feed`] (FORMAT.md §2), with the quick-xml event reader.
//!
//! One pass over the events, no DOM: text is read straight from the input and written, already
//! whitespace-normalised, into the paper's fields, so the only allocations are the fields
//! themselves. Elements are recognised by namespace URI and local name, never by prefix: older
//! feeds declare `xmlns:arxiv` on every element, current ones once on `<feed>`.
//!
//! Every way an answer can be unusable is a [`FeedError`] value; nothing here panics.

use super::Paper;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;
use std::fmt;

const ATOM: &[u8] = b"http://www.w3.org/2005/Atom";
const ARXIV: &[u8] = b"http://arxiv.org/schemas/atom";
const OPENSEARCH: &[u8] = b"http://a9.com/-/spec/opensearch/1.1/";

/// One arXiv answer: the papers in arXiv's order and the total number of matches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Feed {
    /// `<opensearch:totalResults>`, when the feed gives a number.
    pub total_results: Option<u64>,
    pub papers: Vec<Paper>,
}

/// Why an answer could not be read as papers. Each variant's message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedError {
    /// arXiv answered with its error entry (e.g. a malformed query); `message` is its summary.
    ArxivError { message: String },
    /// Not an Atom feed at all: the HTML page arXiv sends with 503 or 429, plain text, or nothing.
    NotAFeed,
    /// Broken or cut-off XML; `detail` says what and where.
    Malformed { detail: String },
    /// The bytes are not UTF-8 (arXiv always sends UTF-8, so the answer was damaged on the way).
    NotUtf8,
    /// An entry lacks a field the README cannot do without (`entry` counts from 0, in feed order).
    MissingField { entry: usize, field: &'static str },
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeedError::ArxivError { message } => write!(
                f,
                "arXiv refused the search: \u{201c}{message}\u{201d}. Check the keyword and the settings."
            ),
            FeedError::NotAFeed => write!(
                f,
                "arXiv answered with a web page instead of search results; it is probably busy. Try again in a few minutes."
            ),
            FeedError::Malformed { detail } => write!(
                f,
                "arXiv's answer was cut off or damaged ({detail}). Try again."
            ),
            FeedError::NotUtf8 => write!(
                f,
                "arXiv's answer is not UTF-8 text, so it was damaged on the way. Try again."
            ),
            FeedError::MissingField { entry, field } => write!(
                f,
                "Paper {} in arXiv's answer has no {field}, so the README cannot list it. Try again later.",
                entry + 1
            ),
        }
    }
}

impl std::error::Error for FeedError {}

/// Parses an arXiv API answer.
///
/// - the error entry arXiv sends for a bad query → [`FeedError::ArxivError`];
/// - a feed without entries → `Ok` with no papers (arXiv does this now and then for a good
///   query; the caller decides whether to retry);
/// - a root element other than Atom's `<feed>`, or no element at all → [`FeedError::NotAFeed`];
/// - XML that breaks off, mismatched tags, unknown entities → [`FeedError::Malformed`];
/// - an entry whose `<title>` or `<updated>` is absent or empty → [`FeedError::MissingField`]
///   (a README row without a title or date would be wrong, and arXiv never sends one, so such an
///   answer is treated as damaged rather than silently shortened).
///
/// Lenient on purpose: a missing link, abstract, category or author leaves that field empty
/// (the row is still meaningful), a non-numeric `totalResults` gives `None`, a repeated element
/// keeps its first occurrence, and unknown elements are skipped.
pub fn parse_feed(bytes: &[u8]) -> Result<Feed, FeedError> {
    // Checked once up front, so that a damaged byte anywhere is reported the same way, and every
    // text slice read below is already known to be valid.
    let text = std::str::from_utf8(bytes).map_err(|_| FeedError::NotUtf8)?;
    let mut reader = NsReader::from_str(text);
    let mut parser = Parser {
        feed: Feed::default(),
        depth: 0,
        entries_seen: 0,
        entry: None,
        capture: None,
        pending_space: false,
        declared: Vec::new(),
        in_scope: 0,
    };
    parser.run(&mut reader)?;
    Ok(parser.feed)
}

/// Depths of the elements we read: `<feed>` is 1, its children 2, an entry's children 3.
const FEED_CHILD: usize = 2;
const ENTRY_CHILD: usize = 3;
const AUTHOR_CHILD: usize = 4;

/// A text field of [`Paper`] (or of the feed) that element content is being written into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Id,
    Title,
    Summary,
    Updated,
    Published,
    Comment,
    JournalRef,
    Doi,
    AuthorName,
    TotalResults,
}

impl Target {
    /// Bit for "already read once" (first occurrence wins).
    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// The entry being read.
#[derive(Default)]
struct EntryState {
    paper: Paper,
    seen: u16,
    in_author: bool,
    author_name: String,
}

/// What has been read so far (the reader itself is kept apart: the namespace of each event
/// borrows it while the state is updated).
struct Parser {
    feed: Feed,
    /// Number of open elements.
    depth: usize,
    /// Entries started so far (for [`FeedError::MissingField`]).
    entries_seen: usize,
    entry: Option<EntryState>,
    /// The field receiving text, and the depth of the element that holds it.
    capture: Option<(Target, usize)>,
    /// Whitespace was read since the last word of the captured text (written before the next).
    pending_space: bool,
    /// Namespace declarations made by each open element, and their sum (see [`MAX_DEPTH`]).
    declared: Vec<usize>,
    in_scope: usize,
}

/// Bounds that no arXiv answer comes near (it nests 4 deep and declares 3 namespaces) but that
/// keep a hostile one linear: quick-xml looks a prefix up among all declarations in scope, so
/// thousands of them, or thousands of nested elements each declaring one, would make every
/// element cost thousands of comparisons.
const MAX_DEPTH: usize = 64;
/// See [`MAX_DEPTH`].
const MAX_NAMESPACES_IN_SCOPE: usize = 256;

/// How many namespace declarations (`xmlns` or `xmlns:p`) an element makes, counted on its raw
/// attribute text (a value containing "xmlns" counts too, which only makes the bound stricter).
fn namespace_declarations(start: &BytesStart) -> usize {
    start
        .attributes_raw()
        .windows(5)
        .filter(|w| *w == b"xmlns")
        .count()
}

fn local_is(start: &BytesStart, ns: &ResolveResult, uri: &[u8], local: &[u8]) -> bool {
    matches!(ns, ResolveResult::Bound(Namespace(n)) if *n == uri)
        && start.local_name().as_ref() == local
}

/// Why the answer is unusable, from a quick-xml error, with the byte position for the curious.
/// The message quotes tag names from the input, so it is cut to a length a page can show.
fn malformed(error: &quick_xml::Error, position: u64) -> FeedError {
    const MAX_CHARS: usize = 160;
    let mut message = error.to_string();
    if let Some((cut, _)) = message.char_indices().nth(MAX_CHARS) {
        message.truncate(cut);
        message.push('…');
    }
    FeedError::Malformed {
        detail: format!("{message} near byte {position}"),
    }
}

impl Parser {
    fn run(&mut self, reader: &mut NsReader<&[u8]>) -> Result<(), FeedError> {
        let mut root_seen = false;
        loop {
            let (ns, event) = match reader.read_resolved_event() {
                Ok(pair) => pair,
                Err(error) => return Err(malformed(&error, reader.error_position())),
            };
            match event {
                Event::Start(start) => {
                    let declared = self.check_limits(&start)?;
                    self.declared.push(declared);
                    self.in_scope += declared;
                    self.depth += 1;
                    if self.depth == 1 {
                        if !local_is(&start, &ns, ATOM, b"feed") {
                            return Err(FeedError::NotAFeed);
                        }
                        root_seen = true;
                    } else {
                        self.start(&start, &ns, false)?;
                    }
                }
                Event::Empty(start) => {
                    if self.depth == 0 {
                        // `<feed/>`: a feed without entries.
                        if !local_is(&start, &ns, ATOM, b"feed") {
                            return Err(FeedError::NotAFeed);
                        }
                        return Ok(());
                    }
                    self.check_limits(&start)?;
                    self.depth += 1;
                    self.start(&start, &ns, true)?;
                    self.end()?;
                }
                Event::End(_) => {
                    let declared = self.declared.pop().unwrap_or(0);
                    self.in_scope = self.in_scope.saturating_sub(declared);
                    self.end()?;
                    if self.depth == 0 {
                        // The feed is complete; whatever follows is not ours to judge.
                        return Ok(());
                    }
                }
                Event::Text(text) => {
                    if self.capture.is_some() {
                        let decoded = text.decode().map_err(|_| FeedError::NotUtf8)?;
                        self.push_text(&decoded);
                    }
                }
                Event::CData(cdata) => {
                    if self.capture.is_some() {
                        let decoded = cdata.decode().map_err(|_| FeedError::NotUtf8)?;
                        self.push_text(&decoded);
                    }
                }
                Event::GeneralRef(reference) => {
                    let c = resolve_reference(&reference)?;
                    if self.capture.is_some() {
                        self.push_text(c.encode_utf8(&mut [0u8; 4]));
                    }
                }
                Event::Eof => {
                    return if !root_seen {
                        Err(FeedError::NotAFeed)
                    } else {
                        Err(FeedError::Malformed {
                            detail: "the answer ends before the feed does".to_owned(),
                        })
                    };
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
    }

    /// Refuses an element beyond [`MAX_DEPTH`] or [`MAX_NAMESPACES_IN_SCOPE`]; otherwise returns its namespace declarations.
    fn check_limits(&self, start: &BytesStart) -> Result<usize, FeedError> {
        if self.depth >= MAX_DEPTH {
            return Err(FeedError::Malformed {
                detail: format!("elements nested more than {} deep", MAX_DEPTH),
            });
        }
        let declared = namespace_declarations(start);
        if self.in_scope + declared > MAX_NAMESPACES_IN_SCOPE {
            return Err(FeedError::Malformed {
                detail: format!(
                    "more than {} namespace declarations at once",
                    MAX_NAMESPACES_IN_SCOPE
                ),
            });
        }
        Ok(declared)
    }

    /// An element opened (its depth is already counted). `empty` is for `<x/>`.
    fn start(
        &mut self,
        start: &BytesStart,
        ns: &ResolveResult,
        empty: bool,
    ) -> Result<(), FeedError> {
        if self.capture.is_some() {
            // Markup inside a text field (not sent by arXiv): its text still belongs to the field.
            return Ok(());
        }
        let depth = self.depth;
        if depth == FEED_CHILD {
            if local_is(start, ns, ATOM, b"entry") {
                self.entries_seen += 1;
                self.entry = Some(EntryState::default());
            } else if local_is(start, ns, OPENSEARCH, b"totalResults") && !empty {
                self.begin_capture(Target::TotalResults);
            }
            return Ok(());
        }
        let Some(entry) = self.entry.as_mut() else {
            return Ok(());
        };
        if depth == AUTHOR_CHILD && entry.in_author {
            if local_is(start, ns, ATOM, b"name") && !empty {
                entry.author_name.clear();
                self.begin_capture(Target::AuthorName);
            }
            return Ok(());
        }
        if depth != ENTRY_CHILD {
            return Ok(());
        }
        let target = match ns {
            ResolveResult::Bound(Namespace(n)) if *n == ATOM => match start.local_name().as_ref() {
                b"id" => Some(Target::Id),
                b"title" => Some(Target::Title),
                b"summary" => Some(Target::Summary),
                b"updated" => Some(Target::Updated),
                b"published" => Some(Target::Published),
                b"link" => {
                    read_link(start, &mut entry.paper)?;
                    None
                }
                b"category" => {
                    if let Some(term) = attribute(start, b"term")? {
                        entry.paper.categories.push(term);
                    }
                    None
                }
                b"author" => {
                    entry.in_author = !empty;
                    None
                }
                _ => None,
            },
            ResolveResult::Bound(Namespace(n)) if *n == ARXIV => {
                match start.local_name().as_ref() {
                    b"comment" => Some(Target::Comment),
                    b"journal_ref" => Some(Target::JournalRef),
                    b"doi" => Some(Target::Doi),
                    b"primary_category" => {
                        if entry.paper.primary_category.is_empty() {
                            if let Some(term) = attribute(start, b"term")? {
                                entry.paper.primary_category = term;
                            }
                        }
                        None
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(target) = target {
            // An empty element (`<arxiv:comment/>`) is seen too: it counts as present but empty.
            let first = entry.seen & target.bit() == 0;
            entry.seen |= target.bit();
            if first && !empty {
                self.begin_capture(target);
            }
        }
        Ok(())
    }

    fn begin_capture(&mut self, target: Target) {
        self.capture = Some((target, self.depth));
        self.pending_space = false;
    }

    /// An element closed: finish the field, author or entry it ends.
    fn end(&mut self) -> Result<(), FeedError> {
        let depth = self.depth;
        if let Some((target, at)) = self.capture {
            if at == depth {
                self.capture = None;
                self.finish_capture(target);
            }
        }
        if depth == ENTRY_CHILD {
            if let Some(entry) = self.entry.as_mut() {
                entry.in_author = false;
            }
        }
        if depth == FEED_CHILD {
            if let Some(entry) = self.entry.take() {
                let paper = finish_entry(entry, self.entries_seen.saturating_sub(1))?;
                self.feed.papers.push(paper);
            }
        }
        self.depth = depth.saturating_sub(1);
        Ok(())
    }

    fn finish_capture(&mut self, target: Target) {
        match target {
            Target::TotalResults => {}
            Target::AuthorName => {
                if let Some(entry) = self.entry.as_mut() {
                    if !entry.author_name.is_empty() {
                        let name = std::mem::take(&mut entry.author_name);
                        entry.paper.authors.push(name);
                    }
                }
            }
            _ => {}
        }
    }

    /// Appends text to the captured field, whitespace-normalised as FORMAT.md §2 says: every run
    /// of whitespace becomes one space, leading and trailing whitespace is dropped. Text may come
    /// in several pieces (text, entity, CDATA), so a space is only written before the next word.
    fn push_text(&mut self, chunk: &str) {
        let Some((target, _)) = self.capture else {
            return;
        };
        if target == Target::TotalResults {
            let n = chunk.trim();
            if !n.is_empty() {
                self.feed.total_results = n.parse().ok();
            }
            return;
        }
        let Some(entry) = self.entry.as_mut() else {
            return;
        };
        let paper = &mut entry.paper;
        let field = match target {
            Target::Id => &mut paper.id,
            Target::Title => &mut paper.title,
            Target::Summary => &mut paper.abstract_text,
            Target::Updated => &mut paper.updated,
            Target::Published => &mut paper.published,
            Target::Comment => &mut paper.comment,
            Target::JournalRef => &mut paper.journal_ref,
            Target::Doi => &mut paper.doi,
            Target::AuthorName => &mut entry.author_name,
            Target::TotalResults => return,
        };
        push_normalised(field, &mut self.pending_space, chunk);
    }
}

/// Writes `chunk` into `out`, collapsing whitespace (see [`Parser::push_text`]).
///
/// Whitespace is what `char::is_whitespace` says, the same set as Python's `str.split()` that
/// the reference uses (so a no-break space separates words too). Text between irregular
/// whitespace (a run, a tab or newline, a space at either end of the chunk) is copied in one
/// piece: a one-line abstract, as current feeds send, is a single copy.
fn push_normalised(out: &mut String, pending_space: &mut bool, chunk: &str) {
    if is_regular(chunk) {
        push_words(out, pending_space, chunk);
        return;
    }
    let bytes = chunk.as_bytes();
    let mut copy_from = 0;
    let mut i = 0;
    // Jump to the next byte that can start whitespace (ASCII space or control, or the lead byte
    // of a multi-byte character), then look closer.
    while let Some(offset) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b <= b' ' || b >= 0xc2))
    {
        i += offset;
        let ws_len = whitespace_len(chunk, i);
        if ws_len == 0 {
            i += 1;
            continue;
        }
        // A whitespace run starts at `i`; find its end.
        let mut end = i + ws_len;
        loop {
            let more = whitespace_len(chunk, end);
            if more == 0 {
                break;
            }
            end += more;
        }
        let single_inner_space =
            end == i + 1 && bytes.get(i) == Some(&b' ') && i > 0 && end < bytes.len();
        if !single_inner_space {
            push_words(
                out,
                pending_space,
                chunk.get(copy_from..i).unwrap_or_default(),
            );
            *pending_space = true;
            copy_from = end;
        }
        i = end;
    }
    push_words(
        out,
        pending_space,
        chunk.get(copy_from..).unwrap_or_default(),
    );
}

/// True when `chunk` needs no normalising: pure ASCII without control bytes (tab, newline…),
/// no space at either end and no two spaces in a row. This is the case for most of a current
/// feed's text, which is then copied in one piece.
///
/// It reads 8 bytes at a time as one `u64` (the "SWAR" bit tricks), because the release build
/// is optimised for size (the WASM app), where a byte-by-byte loop is not vectorised.
fn is_regular(chunk: &str) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // Adding 0x72 to a byte below 0x80 sets its high bit exactly when the byte is >= 0x0e.
    const BELOW_0E: u64 = 0x7272_7272_7272_7272;
    let bytes = chunk.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    let mut words = bytes.chunks_exact(8);
    let mut previous_ends_in_space = false;
    for word in words.by_ref() {
        let mut le = [0u8; 8];
        le.copy_from_slice(word);
        let w = u64::from_le_bytes(le);
        // No byte changes its neighbour: each per-byte sum stays below 0x100.
        let control = !((w & LOW7) + BELOW_0E) & HIGH;
        if (w & HIGH) | control != 0 {
            return false;
        }
        let spaces = bytes_equal_to_space(w);
        // Two spaces in a row: inside the word, or across the boundary with the previous one.
        if spaces & (spaces >> 8) != 0 || (previous_ends_in_space && spaces & 0x80 != 0) {
            return false;
        }
        previous_ends_in_space = spaces >> 63 != 0;
    }
    let mut previous_is_space = previous_ends_in_space;
    for &b in words.remainder() {
        if !(0x0e..0x80).contains(&b) || (b == b' ' && previous_is_space) {
            return false;
        }
        previous_is_space = b == b' ';
    }
    true
}

/// The high bit of each byte of `w` that is a space, and no other bit. Exact (no false
/// positives), since no per-byte sum carries into the next byte.
fn bytes_equal_to_space(w: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = w ^ 0x2020_2020_2020_2020;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Appends text that has no irregular whitespace, after the space owed from before.
fn push_words(out: &mut String, pending_space: &mut bool, words: &str) {
    if words.is_empty() {
        return;
    }
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    out.push_str(words);
    *pending_space = false;
}

/// The byte length of the whitespace character at byte `i` of `text`, or 0 if there is none.
/// ASCII is decided from the byte; only the lead bytes of Unicode's other whitespace
/// (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000) are decoded.
#[inline]
fn whitespace_len(text: &str, i: usize) -> usize {
    match text.as_bytes().get(i) {
        Some(b' ' | b'\t'..=b'\r') => 1,
        Some(0xC2 | 0xE1 | 0xE2 | 0xE3) => match text.get(i..).and_then(|rest| rest.chars().next())
        {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
        _ => 0,
    }
}

/// The character of `&name;` or `&#n;`. XML's five predefined entities and character references
/// are decoded; any other entity would need a DTD, which arXiv never sends, so it means the answer
/// is not what we expect.
fn resolve_reference(reference: &BytesRef) -> Result<char, FeedError> {
    let name = reference.decode().map_err(|_| FeedError::NotUtf8)?;
    Ok(match name.as_ref() {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        other => match reference.resolve_char_ref() {
            Ok(Some(c)) => c,
            _ => {
                return Err(FeedError::Malformed {
                    detail: format!("unknown entity &{other};"),
                })
            }
        },
    })
}

/// The element's attributes, without quick-xml's duplicate check: that check compares every
/// attribute with every other, so a hostile answer with many attributes on one element would
/// take minutes. A repeated attribute is harmless here (one of its values is used).
fn attributes_of<'a>(start: &'a BytesStart) -> quick_xml::events::attributes::Attributes<'a> {
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    attributes
}

/// The unescaped value of an unprefixed attribute, if present.
fn attribute(start: &BytesStart, name: &[u8]) -> Result<Option<String>, FeedError> {
    for attr in attributes_of(start) {
        let attr = attr.map_err(|e| FeedError::Malformed {
            detail: format!("bad attribute: {e}"),
        })?;
        if attr.key.as_ref() == name {
            let value = attr.unescape_value().map_err(|e| FeedError::Malformed {
                detail: format!("bad attribute value: {e}"),
            })?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// `<link rel="alternate" href>` is the abstract page, `<link title="pdf" href>` the PDF; both are
/// kept exactly as the feed gives them (http in old feeds, https in new ones) because users'
/// READMEs contain them that way. Atom's default `rel` is `alternate`.
fn read_link(start: &BytesStart, paper: &mut Paper) -> Result<(), FeedError> {
    let mut href = None;
    let mut rel = None;
    let mut title = None;
    for attr in attributes_of(start) {
        let attr = attr.map_err(|e| FeedError::Malformed {
            detail: format!("bad attribute: {e}"),
        })?;
        let slot = match attr.key.as_ref() {
            b"href" => &mut href,
            b"rel" => &mut rel,
            b"title" => &mut title,
            _ => continue,
        };
        let value = attr.unescape_value().map_err(|e| FeedError::Malformed {
            detail: format!("bad attribute value: {e}"),
        })?;
        *slot = Some(value);
    }
    let Some(href) = href else {
        return Ok(());
    };
    if title.as_deref() == Some("pdf") {
        if paper.pdf_link.is_empty() {
            paper.pdf_link = href.trim().to_owned();
        }
    } else if rel.as_deref().unwrap_or("alternate") == "alternate" && paper.abs_link.is_empty() {
        paper.abs_link = href.trim().to_owned();
    }
    Ok(())
}

/// Checks a finished entry: arXiv's error entry becomes an error, a paper without title or date
/// is refused.
fn finish_entry(entry: EntryState, index: usize) -> Result<Paper, FeedError> {
    let paper = entry.paper;
    if paper.title == "Error" && paper.id.contains("/api/errors") {
        let message = if paper.abstract_text.is_empty() {
            "no reason given".to_owned()
        } else {
            paper.abstract_text
        };
        return Err(FeedError::ArxivError { message });
    }
    if paper.title.is_empty() {
        return Err(FeedError::MissingField {
            entry: index,
            field: "title",
        });
    }
    if paper.updated.is_empty() {
        return Err(FeedError::MissingField {
            entry: index,
            field: "date",
        });
    }
    Ok(paper)
}

// proptest is a native-only dev-dependency; the browser test run (wasm32) skips these.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{is_regular, push_normalised};
    use proptest::prelude::*;

    fn normalise_chunks(chunks: &[&str]) -> String {
        let mut out = String::new();
        let mut pending = false;
        for chunk in chunks {
            push_normalised(&mut out, &mut pending, chunk);
        }
        out
    }

    /// What FORMAT.md §2 (and the reference's `" ".join(text.split())`) asks for.
    fn expected(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn collapses_runs_trims_and_joins_chunks() {
        assert_eq!(normalise_chunks(&["  a  b\n\tc  "]), "a b c");
        assert_eq!(normalise_chunks(&["Q ", "&", " A"]), "Q & A");
        assert_eq!(normalise_chunks(&["A", "&", "B"]), "A&B");
        assert_eq!(normalise_chunks(&["a\u{a0}b\u{3000}c\u{2028}d"]), "a b c d");
        assert_eq!(normalise_chunks(&["é ü", " ", "\u{e9}"]), "é ü é");
        assert_eq!(normalise_chunks(&["   ", "\n"]), "");
        // Lead bytes of whitespace characters that start other characters are not whitespace.
        assert_eq!(
            normalise_chunks(&["\u{2019}s \u{20ac}5 \u{3042}"]),
            "\u{2019}s \u{20ac}5 \u{3042}"
        );
    }

    /// The plain definition that `is_regular` computes 8 bytes at a time.
    fn is_regular_slowly(chunk: &str) -> bool {
        chunk.is_ascii()
            && !chunk.bytes().any(|b| b < 0x0e)
            && !chunk.starts_with(' ')
            && !chunk.ends_with(' ')
            && !chunk.contains("  ")
    }

    #[test]
    fn regular_text_is_recognised_across_word_boundaries() {
        assert!(is_regular("one line of plain text, as current feeds send"));
        assert!(is_regular(""));
        assert!(
            !is_regular("1234567  9abcdef"),
            "double space across the 8-byte boundary"
        );
        assert!(!is_regular("123456  "));
        assert!(!is_regular("12345678\t"));
        assert!(!is_regular("abcdefghijklmno\u{e9}"));
        assert!(!is_regular("\u{7f}\u{80}"));
        assert!(is_regular("~}|{zyx\u{7f}"));
    }

    proptest! {
        #[test]
        fn is_regular_matches_its_definition(text in "[ a~\\t\\n\\r\u{b}\u{c}\u{d}\u{e}\u{7f}é]{0,40}") {
            prop_assert_eq!(is_regular(&text), is_regular_slowly(&text));
        }

        #[test]
        fn chunks_normalise_like_their_concatenation(
            chunks in prop::collection::vec("[ a\\t\\n\\u{a0}\\u{85}\\u{2000}\\u{2009}\\u{3000}é€\\u{2019}|&]{0,12}", 0..6)
        ) {
            let refs: Vec<&str> = chunks.iter().map(String::as_str).collect();
            prop_assert_eq!(normalise_chunks(&refs), expected(&chunks.concat()));
        }

        #[test]
        fn any_text_normalises_like_split_whitespace(text in "\\PC{0,80}", cut in 0usize..80) {
            let cut = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let (a, b) = text.split_at(cut);
            prop_assert_eq!(normalise_chunks(&[a, b]), expected(&text));
        }
    }
}
