//! Reads one OAI-PMH `ListRecords` answer in arXiv's `arXivRaw` format: the records (or
//! deletions) it carries, its resumption token, and OAI errors. A page that is not well-formed
//! is refused whole, so a damaged answer is never half applied; a single record that makes no
//! sense (no id, an absurd field) is skipped with a reason for the log.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::record::{parse_date, split_authors, split_version, Record, RecordError, Version};

/// The largest OAI page accepted (arXiv's pages are a few MB).
pub const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// One change a page carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Upsert(Box<Record>),
    Delete { id: String },
}

/// A page of `ListRecords`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub changes: Vec<Change>,
    /// The next page's token; `None` (absent or empty) ends the list.
    pub resumption_token: Option<String>,
    /// The latest `<datestamp>` on the page (`YYYY-MM-DD`).
    pub last_datestamp: Option<String>,
    /// Records refused, with the reason (logged by the harvester).
    pub refused: Vec<String>,
}

/// Why a page cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OaiError {
    /// Not XML, cut off, or not an OAI-PMH answer.
    Malformed { detail: String },
    /// `<error code="...">` other than `noRecordsMatch`.
    Protocol { code: String, message: String },
}

impl std::fmt::Display for OaiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OaiError::Malformed { detail } => {
                write!(f, "the OAI-PMH answer is not usable XML ({detail})")
            }
            OaiError::Protocol { code, message } => {
                write!(f, "the OAI-PMH endpoint answered error `{code}`: {message}")
            }
        }
    }
}

impl std::error::Error for OaiError {}

/// The fields of the record being read.
#[derive(Default)]
struct Pending {
    deleted: bool,
    identifier: String,
    datestamp: String,
    id: String,
    versions: Vec<(String, String)>,
    title: String,
    authors: String,
    categories: String,
    comments: String,
    journal_ref: String,
    doi: String,
    report_no: String,
    abstract_text: String,
}

impl Pending {
    fn finish(self) -> Result<Change, RecordError> {
        if self.deleted {
            // A deleted record has only its header: `oai:arXiv.org:2202.12139`.
            let id = self
                .identifier
                .rsplit_once("oai:arXiv.org:")
                .map_or(self.identifier.as_str(), |(_, id)| id)
                .trim()
                .to_owned();
            if !super::record::is_arxiv_id(&id) {
                return Err(RecordError::BadId { id });
            }
            return Ok(Change::Delete { id });
        }
        let mut versions = Vec::new();
        for (label, date) in &self.versions {
            let number = label
                .trim()
                .trim_start_matches('v')
                .parse::<u32>()
                .unwrap_or(u32::try_from(versions.len()).unwrap_or(0) + 1);
            versions.push(Version {
                number,
                date: parse_date(date)?,
            });
        }
        let (id, _) = split_version(self.id.trim());
        Record {
            id: id.to_owned(),
            versions,
            title: self.title,
            abstract_text: self.abstract_text,
            authors: split_authors(&self.authors),
            categories: self
                .categories
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            comment: self.comments,
            journal_ref: self.journal_ref,
            doi: self.doi,
            report_no: self.report_no,
        }
        .checked()
        .map(|record| Change::Upsert(Box::new(record)))
    }
}

/// Parses one `ListRecords` answer. `noRecordsMatch` is an empty, final page.
pub fn parse_page(bytes: &[u8]) -> Result<Page, OaiError> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(OaiError::Malformed {
            detail: "larger than the largest page accepted".into(),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| OaiError::Malformed {
        detail: "not UTF-8".into(),
    })?;
    let mut reader = Reader::from_str(text);
    let mut page = Page::default();
    let mut path: Vec<String> = Vec::new();
    let mut pending: Option<Pending> = None;
    let mut version_label = String::new();
    let mut version_date = String::new();
    let mut error: Option<(String, String)> = None;
    let mut token: Option<String> = None;
    let mut saw_root = false;
    let mut text_buf = String::new();
    loop {
        let event = reader.read_event().map_err(|e| OaiError::Malformed {
            detail: format!("at byte {}: {e}", reader.buffer_position()),
        })?;
        match event {
            Event::Start(start) => {
                let name = local(start.name().as_ref());
                if path.is_empty() {
                    if name != "OAI-PMH" {
                        return Err(OaiError::Malformed {
                            detail: format!("root element is <{name}>, not <OAI-PMH>"),
                        });
                    }
                    saw_root = true;
                }
                if path.len() > 64 {
                    return Err(OaiError::Malformed {
                        detail: "elements nested too deeply".into(),
                    });
                }
                match name.as_str() {
                    "record" => pending = Some(Pending::default()),
                    "header" => {
                        if let Some(p) = pending.as_mut() {
                            p.deleted = attr(&start, "status").as_deref() == Some("deleted");
                        }
                    }
                    "version" => {
                        version_label = attr(&start, "version").unwrap_or_default();
                        version_date.clear();
                    }
                    "error" => {
                        error = Some((attr(&start, "code").unwrap_or_default(), String::new()));
                    }
                    "resumptionToken" => token = Some(String::new()),
                    _ => {}
                }
                text_buf.clear();
                path.push(name);
            }
            Event::Empty(start) => {
                let name = local(start.name().as_ref());
                if path.is_empty() {
                    return Err(OaiError::Malformed {
                        detail: "empty document".into(),
                    });
                }
                if name == "error" {
                    error = Some((attr(&start, "code").unwrap_or_default(), String::new()));
                }
                // `<resumptionToken/>` ends the list: leave the token absent.
            }
            Event::Text(t) => {
                let decoded = t.decode().map_err(|e| OaiError::Malformed {
                    detail: e.to_string(),
                })?;
                text_buf.push_str(&decoded);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| OaiError::Malformed {
                    detail: e.to_string(),
                })?;
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => None,
                };
                match resolved.or_else(|| named_entity(&name)) {
                    Some(c) => text_buf.push(c),
                    None => {
                        return Err(OaiError::Malformed {
                            detail: format!("unknown entity &{name};"),
                        })
                    }
                }
            }
            Event::CData(c) => {
                text_buf.push_str(&String::from_utf8_lossy(&c.into_inner()));
            }
            Event::End(_) => {
                let Some(name) = path.pop() else {
                    return Err(OaiError::Malformed {
                        detail: "unbalanced end tag".into(),
                    });
                };
                let value = std::mem::take(&mut text_buf);
                let parent = path.last().map(String::as_str).unwrap_or_default();
                if name == "error" {
                    if let Some((_, message)) = error.as_mut() {
                        *message = value.trim().to_owned();
                    }
                }
                if name == "resumptionToken" {
                    token = Some(value.trim().to_owned());
                }
                if let Some(p) = pending.as_mut() {
                    match (parent, name.as_str()) {
                        ("header", "identifier") => p.identifier = value,
                        ("header", "datestamp") => p.datestamp = value.trim().to_owned(),
                        ("version", "date") => version_date = value,
                        ("arXivRaw", "version") => p
                            .versions
                            .push((std::mem::take(&mut version_label), version_date.clone())),
                        ("arXivRaw", "id") => p.id = value,
                        ("arXivRaw", "title") => p.title = value,
                        ("arXivRaw", "authors") => p.authors = value,
                        ("arXivRaw", "categories") => p.categories = value,
                        ("arXivRaw", "comments") => p.comments = value,
                        ("arXivRaw", "journal-ref") => p.journal_ref = value,
                        ("arXivRaw", "doi") => p.doi = value,
                        ("arXivRaw", "report-no") => p.report_no = value,
                        ("arXivRaw", "abstract") => p.abstract_text = value,
                        _ => {}
                    }
                }
                if name == "record" {
                    if let Some(p) = pending.take() {
                        let datestamp = p.datestamp.clone();
                        let identifier = p.identifier.clone();
                        match p.finish() {
                            Ok(change) => page.changes.push(change),
                            Err(reason) => page.refused.push(format!(
                                "{}: {reason}",
                                identifier.chars().take(80).collect::<String>()
                            )),
                        }
                        if !datestamp.is_empty()
                            && page.last_datestamp.as_deref() < Some(datestamp.as_str())
                        {
                            page.last_datestamp = Some(datestamp);
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root || !path.is_empty() {
        return Err(OaiError::Malformed {
            detail: "the answer breaks off before </OAI-PMH>".into(),
        });
    }
    if let Some((code, message)) = error {
        if code == "noRecordsMatch" {
            return Ok(Page::default());
        }
        return Err(OaiError::Protocol {
            code: code.chars().take(40).collect(),
            message: message.chars().take(200).collect(),
        });
    }
    page.resumption_token = token.filter(|t| !t.is_empty());
    Ok(page)
}

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_owned(),
        None => name.into_owned(),
    }
}

fn attr(start: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    start.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == key)
            .then(|| a.unescape_value().ok().map(|v| v.into_owned()))
            .flatten()
    })
}

fn named_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-12-07T10:00:00Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXivRaw">https://oaipmh.arxiv.org/oai</request>
<ListRecords>
<record><header><identifier>oai:arXiv.org:0704.0001</identifier><datestamp>2008-11-13</datestamp><setSpec>physics:hep-ph</setSpec></header>
<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">
<id>0704.0001</id><submitter>Pavel Nadolsky</submitter>
<version version="v1"><date>Mon, 2 Apr 2007 19:18:42 GMT</date><size>817kb</size><source_type>D</source_type></version>
<version version="v2"><date>Tue, 24 Jul 2007 20:10:27 GMT</date><size>818kb</size><source_type>D</source_type></version>
<title>Calculation of prompt diphoton production cross sections at Tevatron and
  LHC energies</title>
<authors>C. Bal&#xe1;zs, E. L. Berger, P. M. Nadolsky and C.-P. Yuan</authors>
<categories>hep-ph cs.LG</categories><comments>37 pages &amp; 15 figures</comments>
<report-no>ANL-HEP-PR-07-12</report-no><journal-ref>Phys.Rev.D76:013009,2007</journal-ref>
<doi>10.1103/PhysRevD.76.013009</doi><license/>
<abstract>  A fully differential calculation.
</abstract></arXivRaw></metadata></record>
<record><header status="deleted"><identifier>oai:arXiv.org:0704.0002</identifier><datestamp>2008-11-14</datestamp></header></record>
<resumptionToken cursor="0">abc|1001</resumptionToken>
</ListRecords></OAI-PMH>"#;

    #[test]
    fn reads_records_deletions_and_the_token() {
        let page = parse_page(PAGE.as_bytes()).unwrap();
        assert_eq!(page.resumption_token.as_deref(), Some("abc|1001"));
        assert_eq!(page.last_datestamp.as_deref(), Some("2008-11-14"));
        assert_eq!(page.changes.len(), 2);
        let Change::Upsert(record) = &page.changes[0] else {
            panic!("expected a record")
        };
        assert_eq!(record.id, "0704.0001");
        assert_eq!(record.versions.len(), 2);
        assert_eq!(record.latest_version(), 2);
        assert_eq!(
            record.title,
            "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
        );
        assert_eq!(
            record.authors,
            vec!["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
        );
        assert_eq!(record.categories, vec!["hep-ph", "cs.LG"]);
        assert_eq!(record.comment, "37 pages & 15 figures");
        assert_eq!(record.abstract_text, "A fully differential calculation.");
        assert_eq!(
            page.changes[1],
            Change::Delete {
                id: "0704.0002".into()
            }
        );
    }

    #[test]
    fn an_empty_token_ends_the_list_and_no_records_is_an_empty_page() {
        let last = PAGE.replace(
            "<resumptionToken cursor=\"0\">abc|1001</resumptionToken>",
            "<resumptionToken cursor=\"1000\"/>",
        );
        assert_eq!(parse_page(last.as_bytes()).unwrap().resumption_token, None);
        let none = r#"<OAI-PMH><error code="noRecordsMatch">nothing</error></OAI-PMH>"#;
        assert_eq!(parse_page(none.as_bytes()).unwrap(), Page::default());
    }

    #[test]
    fn damaged_pages_and_errors_are_refused_whole() {
        let cut = &PAGE[..PAGE.len() / 2];
        assert!(matches!(
            parse_page(cut.as_bytes()),
            Err(OaiError::Malformed { .. })
        ));
        assert!(matches!(
            parse_page(b"<html><body>busy</body></html>"),
            Err(OaiError::Malformed { .. })
        ));
        let bad = r#"<OAI-PMH><error code="badResumptionToken">expired</error></OAI-PMH>"#;
        assert_eq!(
            parse_page(bad.as_bytes()),
            Err(OaiError::Protocol {
                code: "badResumptionToken".into(),
                message: "expired".into()
            })
        );
    }

    #[test]
    fn a_nonsense_record_is_skipped_with_a_reason() {
        let page = PAGE.replace("<id>0704.0001</id>", "<id>not an id</id>");
        let page = parse_page(page.as_bytes()).unwrap();
        assert_eq!(page.changes.len(), 1);
        assert_eq!(page.refused.len(), 1);
        assert!(
            page.refused[0].contains("not an arXiv id"),
            "{:?}",
            page.refused
        );
    }
}
