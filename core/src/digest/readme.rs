//! Writes the Daily Papers README and issue digest, byte for byte (FORMAT.md §3–4).
//!
//! The output must be pastable over a README made by the reference Python script with no diff
//! but the date and new papers, so every byte here is deliberate: `\n` line ends, ` | ` between
//! cells, an empty line after every table, and no HTML escaping (the reference writes `<`, `>`
//! and `&` as they are). The one change: a `|` inside a cell is written `\|`. The reference
//! writes it bare, which splits the cell in every renderer; real READMEs do contain such rows
//! (LaTeX like `$E[|x|]$` in abstracts), and those rows are the only bytes where our output
//! differs from the reference's (see `tests/readme_golden.rs`).

use crate::arxiv::{LinkStyle, Paper};
use crate::date::Date;
use crate::digest::import::{ImportedReadme, ImportedSection};

/// One keyword's table: the heading and the papers, in arXiv's order.
#[derive(Debug, Clone, Copy)]
pub struct Section<'a> {
    pub keyword: &'a str,
    pub papers: &'a [Paper],
}

/// How many papers per keyword the issue digest lists (the reference's "Latest 15 Papers").
pub const DIGEST_PAPERS: usize = 15;

/// A comment longer than this many characters (Unicode scalar values) is folded into a
/// `<details>` element showing its first [`COMMENT_PREVIEW_CHARS`] characters.
pub const COMMENT_FOLD_CHARS: usize = 20;
pub const COMMENT_PREVIEW_CHARS: usize = 5;

const README_HEADER: &str = "# Daily Papers\n\
The project automatically fetches the latest papers from arXiv based on keywords.\n\
\n\
The subheadings in the README file represent the search keywords.\n\
\n\
Only the most recent articles for each keyword are retained, up to a maximum of 100 papers.\n\
\n\
You can click the 'Watch' button to receive daily email notifications.\n\
\n\
Last update: ";

pub(crate) const README_TABLE_HEAD: &str =
    "| **Title** | **Date** | **Abstract** | **Comment** |\n| --- | --- | --- | --- |\n";
pub(crate) const DIGEST_TABLE_HEAD: &str =
    "| **Title** | **Date** | **Comment** |\n| --- | --- | --- |\n";

/// The whole README: the header with `last_update`, then one table per section in the given
/// order. A section without papers still gets its heading and an empty table (the app normally
/// keeps the previous README instead of writing one).
pub fn readme(last_update: Date, sections: &[Section], style: LinkStyle) -> String {
    let mut out = String::with_capacity(estimate(README_HEADER.len(), sections, usize::MAX, true));
    out.push_str(README_HEADER);
    out.push_str(&last_update.to_string());
    out.push_str("\n\n");
    push_readme_sections(&mut out, sections, style);
    out
}

/// The reference header with `last_update`: what [`readme`] writes above the first section.
pub fn reference_header(last_update: Date) -> String {
    format!("{README_HEADER}{last_update}\n\n")
}

/// The README under a header of the user's own (everything above the first section of an
/// imported README, see [`crate::digest::import`]): the header is written as it is, except that
/// the date on its first `Last update: ` line becomes `last_update`. Older versions of the
/// reference and many forks wrote other header lines; keeping them means pasting the output
/// over the old README changes nothing else. A header without such a line is kept whole.
pub fn readme_with_header(
    header: &str,
    last_update: Date,
    sections: &[Section],
    style: LinkStyle,
) -> String {
    let mut out = String::with_capacity(estimate(header.len(), sections, usize::MAX, true));
    push_header_with_date(&mut out, header, last_update);
    push_readme_sections(&mut out, sections, style);
    out
}

/// The README written into the layout of an existing one (see [`crate::digest::import`]): the
/// user's text is kept byte for byte where it stood, only our tables and the header's date
/// change.
///
/// - The header is written as [`readme_with_header`] writes it.
/// - `sections` come in their order (the config's); each one the README had keeps the note under
///   its heading and the text that followed it. A topic new to the README gets a section of its
///   own.
/// - A README section whose topic is not in `sections` is written back as it stands, right after
///   the section it followed, unless `prune`; its following text stays either way.
/// - The text after the README's last section (a footer) stays at the end.
/// - CRLF line ends and a byte order mark are written as the README had them.
pub fn readme_in_layout(
    layout: &ImportedReadme,
    last_update: Date,
    sections: &[Section],
    style: LinkStyle,
    prune: bool,
) -> String {
    let mut out = String::with_capacity(
        estimate(layout.header.len(), sections, usize::MAX, true)
            + layout
                .sections
                .iter()
                .map(|s| s.note.len() + s.after.len() + s.raw.len())
                .sum::<usize>(),
    );
    push_header_with_date(&mut out, &layout.header, last_update);
    let header_end = out.len();
    // Which README section each of `sections` takes over, and the README sections kept after
    // each one (`None`: right after the header).
    let mut own: Vec<Option<&ImportedSection>> = vec![None; sections.len()];
    let mut kept_after: Vec<(Option<usize>, &ImportedSection)> = Vec::new();
    let mut anchor: Option<usize> = None;
    for old in &layout.sections {
        let taken = sections
            .iter()
            .position(|s| old.name.same_as(s.keyword))
            .filter(|&p| own.get(p).is_some_and(Option::is_none));
        match taken {
            Some(p) => {
                if let Some(slot) = own.get_mut(p) {
                    *slot = Some(old);
                }
                anchor = Some(p);
            }
            None => kept_after.push((anchor, old)),
        }
    }
    let last = layout.sections.last();
    let is_last = |s: &ImportedSection| last.is_some_and(|l| std::ptr::eq(l, s));
    let push_kept = |out: &mut String, at: Option<usize>| {
        for (_, old) in kept_after.iter().filter(|(a, _)| *a == at) {
            if !prune {
                out.push_str(&old.raw);
            }
            if !is_last(old) {
                out.push_str(&old.after);
            }
        }
    };
    push_kept(&mut out, None);
    for (p, section) in sections.iter().enumerate() {
        match own.get(p).copied().flatten() {
            Some(old) => {
                push_heading(&mut out, section.keyword);
                out.push_str(&old.note);
                push_table(&mut out, section.papers, style);
                if old.blank_after {
                    out.push('\n');
                }
                if !is_last(old) {
                    out.push_str(&old.after);
                }
            }
            None => {
                // A new section starts a block of its own, whatever the text before it ended
                // with (the header ends where a section started: it is written as it is).
                if out.len() > header_end && !out.ends_with("\n\n") {
                    out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
                }
                push_heading(&mut out, section.keyword);
                push_table(&mut out, section.papers, style);
                out.push('\n');
            }
        }
        push_kept(&mut out, Some(p));
    }
    if let Some(last) = last {
        out.push_str(&last.after);
    }
    if layout.crlf {
        out = out.replace('\n', "\r\n");
    }
    if layout.bom {
        out.insert(0, '\u{feff}');
    }
    out
}

/// The part of a README a preview shows: all of it up to `max_bytes`, else its lines up to
/// there (at least the first line), and how many bytes are left out. Copy and Download still
/// give the whole text; a page showing tens of megabytes at once would freeze for seconds.
pub fn preview(markdown: &str, max_bytes: usize) -> (&str, usize) {
    if markdown.len() <= max_bytes {
        return (markdown, 0);
    }
    // A newline is one byte of its own in UTF-8: cutting after it never splits a character.
    let bytes = markdown.as_bytes();
    let end = bytes
        .get(..max_bytes)
        .and_then(|head| head.iter().rposition(|&b| b == b'\n'))
        .or_else(|| bytes.iter().position(|&b| b == b'\n'))
        .map_or(markdown.len(), |at| at + 1);
    let shown = markdown.get(..end).unwrap_or(markdown);
    (shown, markdown.len() - shown.len())
}

/// The prefix of the line that carries the README's date.
pub const LAST_UPDATE_PREFIX: &str = "Last update: ";

/// Copies `header`, replacing what follows `Last update: ` on its first such line by `date`.
fn push_header_with_date(out: &mut String, header: &str, date: Date) {
    let mut replaced = false;
    for line in header.split_inclusive('\n') {
        match line.strip_prefix(LAST_UPDATE_PREFIX) {
            Some(_) if !replaced => {
                replaced = true;
                out.push_str(LAST_UPDATE_PREFIX);
                out.push_str(&date.to_string());
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => out.push_str(line),
        }
    }
}

fn push_readme_sections(out: &mut String, sections: &[Section], style: LinkStyle) {
    for section in sections {
        push_heading(out, section.keyword);
        push_table(out, section.papers, style);
        out.push('\n');
    }
}

/// A README table: column titles, separator, one row per paper.
fn push_table(out: &mut String, papers: &[Paper], style: LinkStyle) {
    out.push_str(README_TABLE_HEAD);
    for paper in papers {
        push_readme_row(out, paper, style);
    }
}

/// The reference's `.github/ISSUE_TEMPLATE.md`: a front matter titled with `date` in long form, a
/// pointer to `repo_url`, then the first [`DIGEST_PAPERS`] papers of each section without the
/// abstract column.
///
/// GitHub refuses an issue body over [`ISSUE_BODY_MAX_CHARS`] characters (and the daily issue
/// with it): past that, the digest keeps each topic's first papers that fit, taking one paper of
/// every topic in turn so that no topic is crowded out, and ends by saying how many were left
/// out, with the link to the README (see [`fit_issue_digest`]).
pub fn issue_digest(date: Date, repo_url: &str, sections: &[Section], style: LinkStyle) -> String {
    let mut out = String::with_capacity(estimate(
        300 + repo_url.len(),
        sections,
        DIGEST_PAPERS,
        false,
    ));
    push_digest_header(&mut out, date, repo_url);
    for section in sections {
        push_heading(&mut out, section.keyword);
        out.push_str(DIGEST_TABLE_HEAD);
        for paper in section.papers.iter().take(DIGEST_PAPERS) {
            push_digest_row(&mut out, paper, style);
        }
        out.push('\n');
    }
    // Bytes are never fewer than characters: only a long digest needs counting.
    if out.len() <= ISSUE_BODY_MAX_CHARS || out.chars().count() <= ISSUE_BODY_MAX_CHARS {
        return out;
    }
    fit_issue_digest(date, repo_url, sections, style)
}

fn push_digest_header(out: &mut String, date: Date, repo_url: &str) {
    out.push_str("---\ntitle: Latest 15 Papers - ");
    out.push_str(&date.long());
    out.push_str("\nlabels: documentation\n---\n**Please check the [Github](");
    out.push_str(repo_url);
    out.push_str(") page for a better reading experience and more papers.**\n\n");
}

/// GitHub's limit on an issue's body, in characters.
pub const ISSUE_BODY_MAX_CHARS: usize = 65_536;

/// The last line of a digest cut to fit: how many papers are left out, and where they are.
fn digest_footer(left_out: usize, repo_url: &str) -> String {
    let papers = if left_out == 1 { "paper" } else { "papers" };
    format!(
        "**{left_out} more {papers} did not fit in this issue (GitHub takes at most 65,536 characters): see them in the README on the [Github]({repo_url}) page.**\n"
    )
}

/// The issue digest within [`ISSUE_BODY_MAX_CHARS`]: rounds over the topics, each adding its
/// next paper while it fits; a topic whose next paper does not fit stops there (its papers stay
/// the first ones, as arXiv ordered them). A topic whose heading and first paper do not fit is
/// left out whole. Every paper not written is counted in the footer.
pub fn fit_issue_digest(
    date: Date,
    repo_url: &str,
    sections: &[Section],
    style: LinkStyle,
) -> String {
    let mut header = String::new();
    push_digest_header(&mut header, date, repo_url);
    let rows: Vec<Vec<String>> = sections
        .iter()
        .map(|section| {
            section
                .papers
                .iter()
                .take(DIGEST_PAPERS)
                .map(|paper| {
                    let mut row = String::new();
                    push_digest_row(&mut row, paper, style);
                    row
                })
                .collect()
        })
        .collect();
    let frames: Vec<String> = sections
        .iter()
        .map(|section| {
            let mut frame = String::new();
            push_heading(&mut frame, section.keyword);
            frame.push_str(DIGEST_TABLE_HEAD);
            frame
        })
        .collect();
    let total: usize = rows.iter().map(Vec::len).sum();
    // The footer's number has at most as many digits as the total.
    let footer_chars = digest_footer(total, repo_url).chars().count();
    let budget = ISSUE_BODY_MAX_CHARS.saturating_sub(footer_chars);
    let mut used = header.chars().count();
    let mut kept = vec![0usize; sections.len()];
    for round in 0..DIGEST_PAPERS {
        for ((section_rows, frame), kept) in rows.iter().zip(&frames).zip(kept.iter_mut()) {
            if *kept != round {
                continue;
            }
            let Some(row) = section_rows.get(round) else {
                continue;
            };
            let mut extra = row.chars().count();
            if round == 0 {
                // The heading, the table head and the empty line after the table.
                extra += frame.chars().count() + 1;
            }
            if used + extra <= budget {
                used += extra;
                *kept += 1;
            }
        }
    }
    let mut out = String::with_capacity(used + footer_chars);
    out.push_str(&header);
    for ((section_rows, frame), &kept) in rows.iter().zip(&frames).zip(&kept) {
        if kept == 0 {
            continue;
        }
        out.push_str(frame);
        for row in section_rows.iter().take(kept) {
            out.push_str(row);
        }
        out.push('\n');
    }
    let left_out = total - kept.iter().sum::<usize>();
    out.push_str(&digest_footer(left_out, repo_url));
    out
}

/// One README row with its line end: `| **[title](link)** | date | <details>…abstract… | comment |`.
pub fn push_readme_row(out: &mut String, paper: &Paper, style: LinkStyle) {
    push_title_and_date(out, paper, style);
    out.push_str("<details><summary>Show</summary><p>");
    push_cell_text(out, &paper.abstract_text);
    out.push_str("</p></details> | ");
    push_comment(out, &paper.comment);
    out.push_str(" |\n");
}

/// One issue-digest row with its line end: `| **[title](link)** | date | comment |`.
pub fn push_digest_row(out: &mut String, paper: &Paper, style: LinkStyle) {
    push_title_and_date(out, paper, style);
    push_comment(out, &paper.comment);
    out.push_str(" |\n");
}

/// An upper estimate of the output length, so the string is allocated once.
fn estimate(header: usize, sections: &[Section], per_section: usize, with_abstract: bool) -> usize {
    let mut total = header + 16;
    for section in sections {
        total += section.keyword.len() + README_TABLE_HEAD.len() + 8;
        for paper in section.papers.iter().take(per_section) {
            // Fixed markup per row is about 110 bytes; the comment may appear twice.
            total += 128 + paper.title.len() + paper.abs_link.len().max(paper.pdf_link.len());
            total += paper.date().len() + 2 * paper.comment.len();
            if with_abstract {
                total += paper.abstract_text.len();
            }
        }
    }
    total
}

/// `## <keyword>`; a line break inside the keyword would end the heading, so it becomes a space.
fn push_heading(out: &mut String, keyword: &str) {
    out.push_str("## ");
    if keyword.contains(['\n', '\r']) {
        out.extend(
            keyword
                .chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
        );
    } else {
        out.push_str(keyword);
    }
    out.push('\n');
}

/// `| **[<title>](<link>)** | <date> | `
fn push_title_and_date(out: &mut String, paper: &Paper, style: LinkStyle) {
    out.push_str("| **[");
    push_cell_text(out, &paper.title);
    out.push_str("](");
    push_cell_text(out, paper.link(style));
    out.push_str(")** | ");
    push_cell_text(out, paper.date());
    out.push_str(" | ");
}

/// The comment cell (FORMAT.md §3): empty, the comment itself up to 20 characters, or folded.
pub(crate) fn push_comment(out: &mut String, comment: &str) {
    // Counting stops at 21: no need to walk a long comment twice.
    if comment.chars().nth(COMMENT_FOLD_CHARS).is_none() {
        push_cell_text(out, comment);
        return;
    }
    let preview_end = comment
        .char_indices()
        .nth(COMMENT_PREVIEW_CHARS)
        .map_or(comment.len(), |(i, _)| i);
    out.push_str("<details><summary>");
    push_cell_text(out, comment.get(..preview_end).unwrap_or(comment));
    out.push_str("...</summary><p>");
    push_cell_text(out, comment);
    out.push_str("</p></details>");
}

/// Text inside a table cell: `|` becomes `\|` and a line break (which would end the row) a space.
/// Everything else, `<`, `>` and `&` included, is written as it is.
pub(crate) fn push_cell_text(out: &mut String, text: &str) {
    // Almost every text has none of the three: check 16 bytes at a time (vectorised) and copy
    // it whole.
    let special = text.as_bytes().chunks(16).any(|block| {
        block.iter().fold(false, |acc, &b| {
            acc | (b == b'|') | (b == b'\n') | (b == b'\r')
        })
    });
    if !special {
        out.push_str(text);
        return;
    }
    let mut rest = text;
    while let Some(i) = rest.find(['|', '\n', '\r']) {
        let (plain, tail) = rest.split_at(i);
        out.push_str(plain);
        let mut chars = tail.chars();
        match chars.next() {
            Some('|') => out.push_str("\\|"),
            Some(_) => out.push(' '),
            None => {}
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(n: usize) -> Paper {
        Paper {
            title: format!("Title {n} with | a pipe"),
            abstract_text: "An abstract. ".repeat(n),
            comment: "c".repeat(n * 3),
            updated: "2025-02-05T18:30:00Z".to_owned(),
            abs_link: format!("http://arxiv.org/abs/2410.{n:05}v1"),
            pdf_link: format!("http://arxiv.org/pdf/2410.{n:05}v1"),
            ..Paper::default()
        }
    }

    /// The estimate is an upper bound, so the output is written into one allocation.
    #[test]
    fn output_fits_the_estimate() {
        let papers: Vec<Paper> = (0..40).map(paper).collect();
        let sections = [
            Section {
                keyword: "a",
                papers: &papers,
            },
            Section {
                keyword: "a much longer keyword",
                papers: &papers[..3],
            },
        ];
        let date = Date::new(2026, 11, 20).unwrap();
        for style in LinkStyle::ALL {
            let out = readme(date, &sections, style);
            assert!(out.len() <= estimate(README_HEADER.len(), &sections, usize::MAX, true));
            let digest = issue_digest(date, "https://github.com/o/r", &sections, style);
            assert!(digest.len() <= estimate(300 + 21, &sections, DIGEST_PAPERS, false));
        }
    }

    #[test]
    fn a_short_readme_is_previewed_whole() {
        assert_eq!(preview("# A\n| x |\n", 100), ("# A\n| x |\n", 0));
    }

    #[test]
    fn a_long_readme_is_previewed_up_to_a_whole_line() {
        let text = "line one\nline two\nline three\n";
        assert_eq!(preview(text, 12), ("line one\n", text.len() - 9));
        assert_eq!(preview(text, 18), ("line one\nline two\n", text.len() - 18));
    }

    #[test]
    fn a_preview_never_cuts_a_character_and_keeps_a_first_line_longer_than_the_limit() {
        let text = "ééééé\n© ©\n";
        let (shown, left) = preview(text, 4);
        assert_eq!(shown, "ééééé\n");
        assert_eq!(shown.len() + left, text.len());
        assert_eq!(preview("ééé", 2), ("ééé", 0));
    }
}
