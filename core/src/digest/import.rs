//! Reads a Daily Papers README (or its issue digest) back: the header, the topics in order with
//! their papers, and the settings the README shows (link style, hence the sort, and the number of
//! papers per topic). The moving-in step of a user who already has such a README on GitHub, and
//! the layout every later write keeps ([`crate::digest::readme::readme_in_layout`]).
//!
//! The format is ours (FORMAT.md §3), so this is a line reader of exactly that table shape, not a
//! general markdown parser: a general one would split a row at every bare `|`, and real READMEs
//! written by the reference contain bare pipes in abstracts (LaTeX `$|x|$`). Rows are read by
//! their fixed markup instead (`| **[`, `](`, `)** | `, `<details><summary>Show</summary><p>`,
//! `</p></details> | `), so such a row still gives its paper back.
//!
//! The README is the user's: it is read as a header (everything above the first topic), our
//! sections (a `## <topic>` heading, any note of the user's under it, the table and the empty
//! line ending it) and everything else (the text after each section: text between sections,
//! sections without a table, a footer), each kept byte for byte with its place. A section is a
//! heading followed by a papers table with no other heading of level 1 or 2 between them.
//!
//! Round trip: a paper read from a row writes the same row again, byte for byte, with one
//! documented exception: a bare `|` in a cell (the reference's bug) comes back as `\|` (FORMAT.md
//! §3). CRLF line ends and a byte order mark are noted and written back as they were. Something
//! that is not such a README is a typed [`ImportError`] naming the line.

use crate::arxiv::{LinkStyle, MaxResults, Paper, SortBy};
use crate::date::Date;
use crate::digest::readme::{readme_in_layout, Section, LAST_UPDATE_PREFIX};
use crate::topics::keyword::{Keyword, KeywordError};
use std::fmt;

/// Which of the two tables a section holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// The README's four columns: title, date, abstract, comment.
    Readme,
    /// The issue digest's three columns: title, date, comment (no abstract).
    Digest,
}

/// One `## <topic>` section with its papers in the README's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSection {
    pub name: Keyword,
    /// The heading's line number (from 1).
    pub line: usize,
    pub table: TableKind,
    pub papers: Vec<Paper>,
    /// The user's text between the heading and the table, as it is (often empty).
    pub note: String,
    /// True when an empty line ends the table (as every table we write): it belongs to the
    /// section.
    pub blank_after: bool,
    /// The whole section as it stands in the README (heading to the empty line after the
    /// table): what is written back for a section outside the config.
    pub raw: String,
    /// Everything after the section up to the next one (or the end): the user's text between
    /// sections, sections we do not manage, the footer. Written back as it is.
    pub after: String,
}

/// A line that is neither header nor a topic's table (a note, a footer): not read as papers, and
/// kept where it stands by every write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredLine {
    pub line: usize,
    pub text: String,
}

/// What a Daily Papers README holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedReadme {
    /// Everything above the first topic section, as it is (line ends made `\n`).
    pub header: String,
    /// The date on the header's `Last update: ` line, if it has a valid one.
    pub last_update: Option<Date>,
    pub sections: Vec<ImportedSection>,
    /// From the links: `/pdf/` links mean [`LinkStyle::Pdf`] (when most links are PDFs).
    pub link_style: LinkStyle,
    /// Guessed from the link style: the PDF variant of the reference sorts by relevance.
    pub sort_by: SortBy,
    /// The largest section's number of papers (the reference's default when there is none).
    pub max_results: MaxResults,
    /// Non-empty lines outside the header and the tables (kept as they are, not read).
    pub ignored: Vec<IgnoredLine>,
    /// The text began with a byte order mark (written back with it).
    pub bom: bool,
    /// Most line ends were CRLF (written back as CRLF).
    pub crlf: bool,
}

/// Why a text is not a Daily Papers README; every variant names what was expected and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Nothing but whitespace.
    Empty,
    /// No `## ` heading followed by a papers table anywhere.
    NoTopics,
    /// A table's `| --- |` line is missing or has the wrong number of columns.
    BadSeparator { line: usize, found: String },
    /// A line inside a table that is not a paper row.
    BadRow {
        line: usize,
        expected: &'static str,
        found: String,
    },
    /// A heading that cannot be a topic name (too long, nothing to search).
    BadTopicName { line: usize, reason: KeywordError },
    /// The same topic twice (names equal but for case).
    DuplicateTopic {
        line: usize,
        first_line: usize,
        name: String,
    },
}

/// At most this many characters of a line are quoted in a message.
const QUOTE_CHARS: usize = 80;

fn quote(text: &str) -> String {
    let mut out: String = text.chars().take(QUOTE_CHARS).collect();
    if text.chars().nth(QUOTE_CHARS).is_some() {
        out.push('\u{2026}');
    }
    out
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Empty => write!(
                f,
                "The text is empty: a Daily Papers README has `## <topic>` sections with their tables."
            ),
            ImportError::NoTopics => write!(
                f,
                "This is not a Daily Papers README: expected a `## <topic>` heading followed by a table \
                 starting `| **Title** | **Date** |`, and found none."
            ),
            ImportError::BadSeparator { line, found } => write!(
                f,
                "Line {line}: expected the table's `| --- | --- | ... |` line under its column titles, found \
                 \u{201c}{}\u{201d}.",
                quote(found)
            ),
            ImportError::BadRow {
                line,
                expected,
                found,
            } => write!(
                f,
                "Line {line}: expected {expected}, found \u{201c}{}\u{201d}.",
                quote(found)
            ),
            ImportError::BadTopicName { line, reason } => {
                write!(f, "Line {line}: this heading cannot be a topic: {reason}")
            }
            ImportError::DuplicateTopic {
                line,
                first_line,
                name,
            } => write!(
                f,
                "Line {line}: the topic \u{201c}{name}\u{201d} is already on line {first_line}; keep one of them."
            ),
        }
    }
}

impl std::error::Error for ImportError {}

impl ImportedReadme {
    /// Every paper of every section.
    pub fn paper_count(&self) -> usize {
        self.sections.iter().map(|s| s.papers.len()).sum()
    }

    /// One sentence saying what was found, before anything is applied:
    /// "5 topics, 125 papers; links to PDFs, so sort by relevance; up to 25 per topic".
    pub fn summary(&self) -> String {
        let topics = self.sections.len();
        let papers = self.paper_count();
        let links = match self.link_style {
            LinkStyle::Abs => "links to abstract pages, so newest first",
            LinkStyle::Pdf => "links to PDFs, so sort by relevance",
        };
        format!(
            "{topics} topic{}, {papers} paper{}; {links}; up to {} per topic",
            plural(topics),
            plural(papers),
            self.max_results
        )
    }

    /// The section named `name` (same search whatever the case).
    pub fn section(&self, name: &Keyword) -> Option<&ImportedSection> {
        self.sections.iter().find(|s| s.name.same_as(name.as_str()))
    }

    /// The README's sections whose topic is not among `listed` (same search whatever the case),
    /// in the README's order: kept as they are by a write unless pruned.
    pub fn sections_not_in<'a>(&self, listed: impl IntoIterator<Item = &'a str>) -> Vec<&Keyword> {
        let listed: Vec<&str> = listed.into_iter().collect();
        self.sections
            .iter()
            .filter(|s| !listed.iter().any(|name| s.name.same_as(name)))
            .map(|s| &s.name)
            .collect()
    }

    /// The layout alone: the README with every table emptied, which reads back (with
    /// [`import_readme`]) to the same header, notes and text around the sections. What the page
    /// keeps of an imported README between visits: small, whatever the number of papers. (The
    /// header's date may read another day: every write replaces it.)
    pub fn layout_text(&self) -> String {
        let empty: Vec<Section> = self
            .sections
            .iter()
            .map(|s| Section {
                keyword: s.name.as_str(),
                papers: &[],
            })
            .collect();
        match self.last_update.or_else(|| Date::new(2000, 1, 1)) {
            Some(date) => readme_in_layout(self, date, &empty, self.link_style, false),
            None => self.header.clone(),
        }
    }

    /// A README holding only `header` (what an earlier release of the page saved of an
    /// imported README): the layout of a write with no section of its own.
    pub fn from_header(header: &str) -> ImportedReadme {
        ImportedReadme {
            header: header.to_owned(),
            last_update: header
                .lines()
                .find_map(|l| l.strip_prefix(LAST_UPDATE_PREFIX))
                .and_then(|date| date.trim().parse().ok()),
            sections: Vec::new(),
            link_style: LinkStyle::Abs,
            sort_by: SortBy::LastUpdatedDate,
            max_results: MaxResults::default(),
            ignored: Vec::new(),
            bom: false,
            crlf: false,
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

const README_COLUMNS: [&str; 4] = ["**Title**", "**Date**", "**Abstract**", "**Comment**"];
const DIGEST_COLUMNS: [&str; 3] = ["**Title**", "**Date**", "**Comment**"];
const ROW_START: &str = "| **[";
const TITLE_END: &str = ")** | ";
const ABSTRACT_START: &str = "<details><summary>Show</summary><p>";
const DETAILS_END: &str = "</p></details>";
const ABSTRACT_END: &str = "</p></details> | ";
const FOLD_START: &str = "<details><summary>";
const FOLD_MIDDLE: &str = "...</summary><p>";
const EXPECTED_README_ROW: &str = "a paper row `| **[<title>](<link>)** | <date> | <details><summary>Show</summary><p><abstract></p></details> | <comment> |`";
const EXPECTED_DIGEST_ROW: &str = "a paper row `| **[<title>](<link>)** | <date> | <comment> |`";

/// The cells of a table line, trimmed, if it is one (`| a | b |`).
fn cells(line: &str) -> Option<Vec<&str>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(str::trim).collect())
}

/// The kind of table whose column-title line this is.
fn table_kind(line: &str) -> Option<TableKind> {
    let cells = cells(line)?;
    if cells == README_COLUMNS {
        Some(TableKind::Readme)
    } else if cells == DIGEST_COLUMNS {
        Some(TableKind::Digest)
    } else {
        None
    }
}

fn is_separator_line(line: &str, columns: usize) -> bool {
    cells(line).is_some_and(|cells| {
        cells.len() == columns
            && cells
                .iter()
                .all(|c| c.contains('-') && c.bytes().all(|b| matches!(b, b'-' | b':' | b' ')))
    })
}

/// Cell text as the README writes it, back to the text: `\|` is a `|`.
fn unescape(cell: &str) -> String {
    cell.replace("\\|", "|")
}

/// The comment cell back to the comment: folded (`<details><summary>Accep...</summary><p>whole
/// comment</p></details>`) or as it is.
fn comment_of(cell: &str) -> String {
    let folded = cell
        .strip_prefix(FOLD_START)
        .and_then(|rest| rest.strip_suffix(DETAILS_END))
        .and_then(|rest| rest.split_once(FOLD_MIDDLE))
        .map(|(_preview, whole)| whole);
    unescape(folded.unwrap_or(cell))
}

/// The other link of a paper: the README shows one, the feed gives both, and an abstract link
/// `…/abs/<id>` has its PDF at `…/pdf/<id>`.
fn swap_link(link: &str, from: &str, to: &str) -> String {
    match link.rfind(from) {
        Some(i) => format!(
            "{}{to}{}",
            link.get(..i).unwrap_or_default(),
            link.get(i + from.len()..).unwrap_or_default()
        ),
        None => String::new(),
    }
}

/// True for a date cell: `YYYY-MM-DD` as the feed's `<updated>` gives it, or any text without
/// spaces (kept as it is, so the row is written back unchanged).
fn looks_like_date(cell: &str) -> bool {
    !cell.is_empty() && !cell.contains([' ', '|'])
}

/// One paper row. The row's fixed markup is found from both ends, never by splitting at `|`.
fn parse_row(line: &str, kind: TableKind) -> Option<(Paper, LinkStyle)> {
    let body = line.strip_prefix(ROW_START)?.strip_suffix(" |")?;
    // The first `)** | <date> | ` ends the title cell.
    let (title_link, after_date) = body.match_indices(TITLE_END).find_map(|(i, _)| {
        let rest = body.get(i + TITLE_END.len()..)?;
        let (date, after) = rest.split_once(" | ")?;
        looks_like_date(date).then(|| (body.get(..i).unwrap_or_default(), (date, after)))
    })?;
    let (date, rest) = after_date;
    let (title, link) = title_link.rsplit_once("](")?;
    let (abstract_text, comment_cell) = match kind {
        TableKind::Readme => {
            let rest = rest.strip_prefix(ABSTRACT_START)?;
            // The abstract ends at the last `</p></details> | `: the comment after it is plain
            // text or one `<details>` element that ends the row.
            let end = rest.rfind(ABSTRACT_END)?;
            (
                unescape(rest.get(..end)?),
                rest.get(end + ABSTRACT_END.len()..)?,
            )
        }
        TableKind::Digest => (String::new(), rest),
    };
    let link = unescape(link);
    let is_pdf = link.contains("/pdf/");
    let (abs_link, pdf_link) = if is_pdf {
        (swap_link(&link, "/pdf/", "/abs/"), link)
    } else {
        let pdf = swap_link(&link, "/abs/", "/pdf/");
        (link, pdf)
    };
    let style = if is_pdf {
        LinkStyle::Pdf
    } else {
        LinkStyle::Abs
    };
    let paper = Paper {
        id: abs_link.clone(),
        title: unescape(title),
        abstract_text,
        updated: unescape(date),
        abs_link,
        pdf_link,
        comment: comment_of(comment_cell.trim_end_matches(' ')),
        ..Paper::default()
    };
    Some((paper, style))
}

/// True for a heading of level 1 or 2 (`# …`, `## …`): it ends the text under a topic's heading
/// before its table, so a section without a table is never mistaken for part of the next one.
fn is_top_heading(line: &str) -> bool {
    line.starts_with("# ") || line.starts_with("## ") || line == "#" || line == "##"
}

/// Reads a Daily Papers README or issue digest. See the module documentation for what is
/// accepted.
pub fn import_readme(text: &str) -> Result<ImportedReadme, ImportError> {
    let bom = text.starts_with('\u{feff}');
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    // Written back with the line ends most of its lines had (a README edited on Windows keeps
    // CRLF); read with `\n` only.
    let crlf = {
        let crlf_ends = text.matches("\r\n").count();
        crlf_ends > 0 && crlf_ends * 2 > text.matches('\n').count()
    };
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n");
        normalised.as_str()
    } else {
        text
    };
    // (line number from 1, byte offset of the line's start, line)
    let lines: Vec<(usize, usize, &str)> = {
        let mut offset = 0;
        text.split('\n')
            .enumerate()
            .map(|(i, line)| {
                let start = offset;
                offset += line.len() + 1;
                (i + 1, start, line)
            })
            .collect()
    };
    // Where line `i` starts (the text's end past the last line).
    let start_of = |i: usize| {
        lines
            .get(i)
            .map_or(text.len(), |&(_, start, _)| start.min(text.len()))
    };

    let mut header_end: Option<usize> = None;
    let mut sections: Vec<ImportedSection> = Vec::new();
    // Each section's span: (start of its heading, end of its table and the empty line after it).
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut ignored = Vec::new();
    let (mut pdf_links, mut abs_links) = (0usize, 0usize);
    let mut i = 0;
    while let Some(&(number, start, line)) = lines.get(i) {
        i += 1;
        let outside = |ignored: &mut Vec<IgnoredLine>| {
            if header_end.is_some() && !line.trim().is_empty() {
                ignored.push(IgnoredLine {
                    line: number,
                    text: line.to_owned(),
                });
            }
        };
        let Some(name) = line.strip_prefix("## ") else {
            outside(&mut ignored);
            continue;
        };
        // A topic is a heading followed by a papers table, with any text between the two (a
        // note of the user's, kept with the section) but no other heading of level 1 or 2.
        let mut j = i;
        while lines
            .get(j)
            .is_some_and(|(_, _, l)| table_kind(l).is_none() && !is_top_heading(l))
        {
            j += 1;
        }
        let Some(kind) = lines.get(j).and_then(|(_, _, l)| table_kind(l)) else {
            outside(&mut ignored);
            continue;
        };
        header_end.get_or_insert(start);
        let name = Keyword::parse(name).map_err(|reason| ImportError::BadTopicName {
            line: number,
            reason,
        })?;
        if let Some(first) = sections.iter().find(|s| s.name.same_as(name.as_str())) {
            return Err(ImportError::DuplicateTopic {
                line: number,
                first_line: first.line,
                name: name.as_str().to_owned(),
            });
        }
        for &(note_number, _, note_line) in lines.get(i..j).unwrap_or_default() {
            if !note_line.trim().is_empty() {
                ignored.push(IgnoredLine {
                    line: note_number,
                    text: note_line.to_owned(),
                });
            }
        }
        let note = text
            .get(start_of(i)..start_of(j))
            .unwrap_or_default()
            .to_owned();
        let columns = match kind {
            TableKind::Readme => README_COLUMNS.len(),
            TableKind::Digest => DIGEST_COLUMNS.len(),
        };
        let (separator_number, _, separator) =
            lines
                .get(j + 1)
                .copied()
                .unwrap_or((lines.len() + 1, text.len(), ""));
        if !is_separator_line(separator, columns) {
            return Err(ImportError::BadSeparator {
                line: separator_number,
                found: separator.to_owned(),
            });
        }
        i = j + 2;
        let mut papers = Vec::new();
        while let Some(&(row_number, _, row)) = lines.get(i) {
            if !row.trim_start().starts_with('|') {
                break;
            }
            i += 1;
            let paper = parse_row(row.trim_end_matches([' ', '\t']), kind)
                .or_else(|| parse_row(row.trim_end_matches([' ', '\t']).trim_start(), kind));
            match paper {
                Some((paper, LinkStyle::Pdf)) => {
                    pdf_links += 1;
                    papers.push(paper);
                }
                Some((paper, LinkStyle::Abs)) => {
                    abs_links += 1;
                    papers.push(paper);
                }
                None => {
                    return Err(ImportError::BadRow {
                        line: row_number,
                        expected: match kind {
                            TableKind::Readme => EXPECTED_README_ROW,
                            TableKind::Digest => EXPECTED_DIGEST_ROW,
                        },
                        found: row.to_owned(),
                    })
                }
            }
        }
        // The empty line that ends a table we write is ours; the last "line" of a text ending
        // in `\n` is no line at all.
        let blank_after = i + 1 < lines.len() && lines.get(i).is_some_and(|(_, _, l)| l.is_empty());
        if blank_after {
            i += 1;
        }
        spans.push((start, start_of(i)));
        sections.push(ImportedSection {
            name,
            line: number,
            table: kind,
            papers,
            note,
            blank_after,
            raw: String::new(),
            after: String::new(),
        });
    }

    let Some(header_end) = header_end else {
        return Err(ImportError::NoTopics);
    };
    // Everything between one section's table and the next heading, byte for byte.
    let next_starts: Vec<usize> = spans
        .iter()
        .skip(1)
        .map(|&(start, _)| start)
        .chain(std::iter::once(text.len()))
        .collect();
    for ((section, &(start, end)), next) in sections.iter_mut().zip(&spans).zip(next_starts) {
        section.raw = text.get(start..end).unwrap_or_default().to_owned();
        section.after = text.get(end..next).unwrap_or_default().to_owned();
    }
    let header = text.get(..header_end).unwrap_or_default().to_owned();
    let last_update = header
        .lines()
        .find_map(|l| l.strip_prefix(LAST_UPDATE_PREFIX))
        .and_then(|date| date.trim().parse().ok());
    let link_style = if pdf_links > abs_links {
        LinkStyle::Pdf
    } else {
        LinkStyle::Abs
    };
    let sort_by = match link_style {
        LinkStyle::Abs => SortBy::LastUpdatedDate,
        LinkStyle::Pdf => SortBy::Relevance,
    };
    let largest = sections.iter().map(|s| s.papers.len()).max().unwrap_or(0);
    let max_results = match u32::try_from(largest) {
        Ok(n) if n > 0 => MaxResults::new(n.min(MaxResults::MAX)).unwrap_or_default(),
        _ => MaxResults::default(),
    };
    Ok(ImportedReadme {
        header,
        last_update,
        sections,
        link_style,
        sort_by,
        max_results,
        ignored,
        bom,
        crlf,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::readme::{push_digest_row, push_readme_row};

    fn row(paper: &Paper, style: LinkStyle) -> String {
        let mut out = String::new();
        push_readme_row(&mut out, paper, style);
        out
    }

    #[test]
    fn a_row_with_a_folded_comment_reads_back_to_the_same_row() {
        let line = "| **[A \\| B](http://arxiv.org/abs/2410.01506v3)** | 2025-02-05 | <details><summary>Show</summary><p>Abs with $|x|$ and \\|y\\|</p></details> | <details><summary>Accep...</summary><p>Accepted at the Thirteenth (ICLR 2025)</p></details> |";
        let (paper, _) = parse_row(line, TableKind::Readme).unwrap();
        assert_eq!(paper.title, "A | B");
        assert_eq!(paper.abs_link, "http://arxiv.org/abs/2410.01506v3");
        assert_eq!(paper.pdf_link, "http://arxiv.org/pdf/2410.01506v3");
        assert_eq!(paper.date(), "2025-02-05");
        assert_eq!(paper.comment, "Accepted at the Thirteenth (ICLR 2025)");
        assert_eq!(paper.abstract_text, "Abs with $|x|$ and |y|");
        // The bare pipes come back escaped: the one documented difference.
        assert_eq!(
            row(&paper, LinkStyle::Abs),
            format!("{}\n", line.replace("$|x|$", "$\\|x\\|$"))
        );
    }

    #[test]
    fn an_empty_comment_and_a_digest_row() {
        let line = "| **[T](https://arxiv.org/pdf/2004.00222v3)** | 2020-04-01 | <details><summary>Show</summary><p>a</p></details> |  |";
        let (paper, _) = parse_row(line, TableKind::Readme).unwrap();
        assert_eq!(paper.comment, "");
        assert_eq!(paper.abs_link, "https://arxiv.org/abs/2004.00222v3");
        assert_eq!(row(&paper, LinkStyle::Pdf), format!("{line}\n"));
        let digest = "| **[T](https://arxiv.org/abs/1)** | 2020-04-01 | Accepted by ICLR2025 |";
        let (paper, _) = parse_row(digest, TableKind::Digest).unwrap();
        assert_eq!(paper.comment, "Accepted by ICLR2025");
        let mut out = String::new();
        push_digest_row(&mut out, &paper, LinkStyle::Abs);
        assert_eq!(out, format!("{digest}\n"));
    }
}
