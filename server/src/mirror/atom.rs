//! Writes the feed arXiv's API would send for the mirror's answer (the layout of the real
//! answers in `core/tests/fixtures/arxiv/`), so every arXiv client reads it unchanged.

use std::fmt::Write;

use quick_xml::escape::escape;

use super::record::{format_date, Record};

/// The feed's opening, up to and including `<opensearch:startIndex>`.
fn head(
    out: &mut String,
    title: &str,
    link: &str,
    now: i64,
    per_page: usize,
    total: usize,
    start: usize,
) {
    out.push_str("<?xml version='1.0' encoding='UTF-8'?>\n");
    out.push_str("<feed xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\" xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str("  <id>https://arxiv.org/api/mirror</id>\n");
    out.push_str(&format!("  <title>{}</title>\n", escape(title)));
    out.push_str(&format!("  <updated>{}</updated>\n", format_date(now)));
    if !link.is_empty() {
        out.push_str(&format!(
            "  <link href=\"{}\" type=\"application/atom+xml\"/>\n",
            escape(link)
        ));
    }
    out.push_str(&format!(
        "  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>\n  <opensearch:totalResults>{total}</opensearch:totalResults>\n  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
    ));
}

/// A feed of results.
pub struct FeedInfo<'a> {
    /// `search_query=...&id_list=...&start=0&max_results=10`, as arXiv echoes it.
    pub echo: &'a str,
    pub now: i64,
    pub per_page: usize,
    pub total: usize,
    pub start: usize,
}

pub fn feed(info: &FeedInfo<'_>, records: &[Record]) -> String {
    let mut out = String::with_capacity(1024 + records.len() * 2048);
    head(
        &mut out,
        &format!("arXiv Query: {}", info.echo),
        &format!("https://arxiv.org/api/query?{}", info.echo),
        info.now,
        info.per_page,
        info.total,
        info.start,
    );
    for record in records {
        entry(&mut out, record);
    }
    out.push_str("</feed>\n");
    out
}

fn entry(out: &mut String, record: &Record) {
    // `write!` into `out` rather than `format!`: an answer writes 100 entries and every
    // intermediate string is an allocation on the query path.
    let id = escape(&record.id);
    let version = record.latest_version();
    let _ = write!(
        out,
        "  <entry>\n    <id>http://arxiv.org/abs/{id}v{version}</id>\n    <title>{}</title>\n    <updated>{}</updated>\n",
        escape(&record.title),
        format_date(record.updated())
    );
    let _ = write!(
        out,
        "    <link href=\"https://arxiv.org/abs/{id}v{version}\" rel=\"alternate\" type=\"text/html\"/>\n    <link href=\"https://arxiv.org/pdf/{id}v{version}\" rel=\"related\" type=\"application/pdf\" title=\"pdf\"/>\n    <summary>{}</summary>\n",
        escape(&record.abstract_text)
    );
    for category in &record.categories {
        let _ = writeln!(
            out,
            "    <category term=\"{}\" scheme=\"http://arxiv.org/schemas/atom\"/>",
            escape(category)
        );
    }
    let _ = writeln!(
        out,
        "    <published>{}</published>",
        format_date(record.submitted())
    );
    if !record.comment.is_empty() {
        let _ = writeln!(
            out,
            "    <arxiv:comment>{}</arxiv:comment>",
            escape(&record.comment)
        );
    }
    if !record.primary_category().is_empty() {
        let _ = writeln!(
            out,
            "    <arxiv:primary_category term=\"{}\"/>",
            escape(record.primary_category())
        );
    }
    if !record.journal_ref.is_empty() {
        let _ = writeln!(
            out,
            "    <arxiv:journal_ref>{}</arxiv:journal_ref>",
            escape(&record.journal_ref)
        );
    }
    for author in &record.authors {
        let _ = write!(
            out,
            "    <author>\n      <name>{}</name>\n    </author>\n",
            escape(author)
        );
    }
    if !record.doi.is_empty() {
        let _ = write!(
            out,
            "    <arxiv:doi>{0}</arxiv:doi>\n    <link rel=\"related\" href=\"https://doi.org/{0}\" title=\"doi\"/>\n",
            escape(&record.doi)
        );
    }
    out.push_str("  </entry>\n");
}

/// arXiv's error feed: one entry titled `Error` whose summary says what is wrong (sent with 400).
pub fn error(message: &str, now: i64) -> String {
    let mut out = String::new();
    let anchor: String = message
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    head(&mut out, "arXiv Search Results", "", now, 1, 1, 0);
    out.push_str("  <entry>\n");
    out.push_str(&format!(
        "    <id>https://arxiv.org/api/errors#{0}</id>\n    <title>Error</title>\n    <updated>{1}</updated>\n    <link href=\"https://arxiv.org/api/errors#{0}\" rel=\"alternate\" type=\"text/html\"/>\n",
        escape(&anchor),
        format_date(now)
    ));
    out.push_str(&format!("    <summary>{}</summary>\n", escape(message)));
    out.push_str(
        "    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n",
    );
    out
}
