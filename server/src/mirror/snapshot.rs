//! Reads arXiv's metadata snapshot: one JSON object per line (`id`, `authors`,
//! `authors_parsed`, `title`, `comments`, `journal-ref`, `doi`, `report-no`, `categories`,
//! `abstract`, `versions` [{`version`, `created`}], `update_date`, ...). Unknown fields are
//! ignored; a line that is not such an object is skipped with a reason.

use serde::Deserialize;

use super::record::{parse_date, split_authors, Record, RecordError, Version};

/// The longest line accepted (the longest real lines are a few hundred KB, for huge
/// collaborations).
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Deserialize)]
struct Line {
    id: String,
    #[serde(default)]
    authors: Option<String>,
    #[serde(default)]
    authors_parsed: Option<Vec<Vec<String>>>,
    title: Option<String>,
    comments: Option<String>,
    #[serde(rename = "journal-ref")]
    journal_ref: Option<String>,
    doi: Option<String>,
    #[serde(rename = "report-no")]
    report_no: Option<String>,
    categories: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    #[serde(default)]
    versions: Vec<LineVersion>,
    update_date: Option<String>,
}

#[derive(Deserialize)]
struct LineVersion {
    version: String,
    created: String,
}

/// Why a line was skipped.
#[derive(Debug)]
pub enum LineError {
    Json(String),
    Record(RecordError),
    TooLong,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineError::Json(e) => write!(f, "not a snapshot record: {e}"),
            LineError::Record(e) => e.fmt(f),
            LineError::TooLong => write!(f, "line longer than {MAX_LINE_BYTES} bytes"),
        }
    }
}

/// One parsed line: the record and its `update_date` (`YYYY-MM-DD`, where the next harvest
/// continues from).
pub fn parse_line(line: &str) -> Result<(Record, Option<String>), LineError> {
    if line.len() > MAX_LINE_BYTES {
        return Err(LineError::TooLong);
    }
    let line: Line = serde_json::from_str(line).map_err(|e| LineError::Json(e.to_string()))?;
    let mut versions = Vec::new();
    for (at, v) in line.versions.iter().enumerate() {
        let number = v
            .version
            .trim_start_matches('v')
            .parse::<u32>()
            .unwrap_or(u32::try_from(at).unwrap_or(0) + 1);
        versions.push(Version {
            number,
            date: parse_date(&v.created).map_err(LineError::Record)?,
        });
    }
    // `authors_parsed` is [last, first, suffix]; it splits names that contain commas correctly.
    let authors = match line.authors_parsed {
        Some(parsed) if !parsed.is_empty() => parsed
            .iter()
            .map(|parts| {
                let last = parts.first().map_or("", String::as_str);
                let first = parts.get(1).map_or("", String::as_str);
                let suffix = parts.get(2).map_or("", String::as_str);
                [first, last, suffix]
                    .iter()
                    .filter(|p| !p.trim().is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect(),
        _ => split_authors(line.authors.as_deref().unwrap_or_default()),
    };
    let record = Record {
        id: line.id,
        versions,
        title: line.title.unwrap_or_default(),
        abstract_text: line.abstract_text.unwrap_or_default(),
        authors,
        categories: line
            .categories
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        comment: line.comments.unwrap_or_default(),
        journal_ref: line.journal_ref.unwrap_or_default(),
        doi: line.doi.unwrap_or_default(),
        report_no: line.report_no.unwrap_or_default(),
    }
    .checked()
    .map_err(LineError::Record)?;
    Ok((record, line.update_date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_snapshot_line() {
        let line = r#"{"id":"0704.0001","submitter":"Pavel Nadolsky","authors":"C. Bal\u00e1zs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan","title":"Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies","comments":"37 pages, 15 figures","journal-ref":"Phys.Rev.D76:013009,2007","doi":"10.1103/PhysRevD.76.013009","report-no":"ANL-HEP-PR-07-12","categories":"hep-ph","license":null,"abstract":"  A fully differential calculation\n","versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"},{"version":"v2","created":"Tue, 24 Jul 2007 20:10:27 GMT"}],"update_date":"2008-11-13","authors_parsed":[["Bal\u00e1zs","C.",""],["Berger","E. L.",""],["Nadolsky","P. M.",""],["Yuan","C. -P.",""]]}"#;
        let (record, update) = parse_line(line).unwrap();
        assert_eq!(record.id, "0704.0001");
        assert_eq!(record.authors[0], "C. Balázs");
        assert_eq!(record.versions.len(), 2);
        assert_eq!(record.abstract_text, "A fully differential calculation");
        assert_eq!(update.as_deref(), Some("2008-11-13"));
        assert!(parse_line("{\"id\": 5}").is_err());
        assert!(parse_line("not json").is_err());
    }
}
