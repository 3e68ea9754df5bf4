//! One paper as the mirror keeps it: every version with its date and the current metadata, in
//! the shape both sources (OAI-PMH `arXivRaw` and the JSON-lines snapshot) can fill.

use serde::{Deserialize, Serialize};
use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::OffsetDateTime;

/// The longest text field accepted from upstream; arXiv's longest abstracts are under 10 KB, so
/// anything past this is damage or hostility and the record is refused.
pub const MAX_FIELD_CHARS: usize = 64 * 1024;
/// The most authors kept per paper (large collaborations list a few thousand).
pub const MAX_AUTHORS: usize = 10_000;
/// The most versions per paper (real papers have a few dozen at most).
pub const MAX_VERSIONS: usize = 1_000;

/// One version of a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// 1 for `v1`.
    pub number: u32,
    /// Unix seconds, UTC.
    pub date: i64,
}

/// One paper at its latest version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Record {
    /// Without version: `2202.12139`, `hep-th/9901001`.
    pub id: String,
    /// Oldest first.
    pub versions: Vec<Version>,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    pub authors: Vec<String>,
    /// Primary first.
    pub categories: Vec<String>,
    pub comment: String,
    pub journal_ref: String,
    pub doi: String,
    pub report_no: String,
}

/// Why a record from upstream is refused (logged, never applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    NoId,
    BadId { id: String },
    NoVersions,
    BadDate { value: String },
    TooLarge { field: &'static str },
    NoTitle,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::NoId => f.write_str("record without an id"),
            RecordError::BadId { id } => write!(
                f,
                "record id `{}` is not an arXiv id",
                id.chars().take(80).collect::<String>()
            ),
            RecordError::NoVersions => f.write_str("record without any dated version"),
            RecordError::BadDate { value } => write!(
                f,
                "version date `{}` is not an RFC 2822 or ISO date",
                value.chars().take(80).collect::<String>()
            ),
            RecordError::TooLarge { field } => write!(f, "record field `{field}` is too large"),
            RecordError::NoTitle => f.write_str("record without a title"),
        }
    }
}

impl Record {
    /// The date of v1 (what `submittedDate` and `<published>` mean).
    pub fn submitted(&self) -> i64 {
        self.versions.first().map_or(0, |v| v.date)
    }

    /// The date of the latest version (`lastUpdatedDate`, `<updated>`).
    pub fn updated(&self) -> i64 {
        self.versions.last().map_or(0, |v| v.date)
    }

    /// The latest version's number.
    pub fn latest_version(&self) -> u32 {
        self.versions.last().map_or(1, |v| v.number)
    }

    /// The primary category (the first listed).
    pub fn primary_category(&self) -> &str {
        self.categories.first().map_or("", String::as_str)
    }

    /// Normalises whitespace and versions, and refuses what no real paper looks like.
    pub fn checked(mut self) -> Result<Record, RecordError> {
        self.id = self.id.trim().to_owned();
        if self.id.is_empty() {
            return Err(RecordError::NoId);
        }
        if !is_arxiv_id(&self.id) {
            return Err(RecordError::BadId { id: self.id });
        }
        for (field, value) in [
            ("title", &mut self.title),
            ("abstract", &mut self.abstract_text),
            ("comments", &mut self.comment),
            ("journal-ref", &mut self.journal_ref),
            ("doi", &mut self.doi),
            ("report-no", &mut self.report_no),
        ] {
            if value.len() > MAX_FIELD_CHARS {
                return Err(RecordError::TooLarge { field });
            }
            *value = collapse_whitespace(value);
        }
        if self.title.is_empty() {
            return Err(RecordError::NoTitle);
        }
        if self.authors.len() > MAX_AUTHORS {
            return Err(RecordError::TooLarge { field: "authors" });
        }
        if self.versions.len() > MAX_VERSIONS {
            return Err(RecordError::TooLarge { field: "versions" });
        }
        if self.categories.len() > 100 {
            return Err(RecordError::TooLarge {
                field: "categories",
            });
        }
        self.authors = self
            .authors
            .iter()
            .map(|a| collapse_whitespace(a))
            .filter(|a| !a.is_empty())
            .collect();
        self.versions.sort_by_key(|v| v.number);
        self.versions.dedup_by_key(|v| v.number);
        if self.versions.is_empty() {
            return Err(RecordError::NoVersions);
        }
        Ok(self)
    }
}

/// Whether `id` is a new-style (`2202.12139`) or old-style (`hep-th/9901001`, `math.GT/0309136`)
/// arXiv identifier without version.
pub fn is_arxiv_id(id: &str) -> bool {
    let new_style = |s: &str| {
        let mut parts = s.split('.');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(a), Some(b), None) => {
                a.len() == 4
                    && (4..=5).contains(&b.len())
                    && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
            }
            _ => false,
        }
    };
    let old_style = |s: &str| match s.split_once('/') {
        Some((archive, number)) => {
            !archive.is_empty()
                && archive.len() <= 20
                && archive
                    .bytes()
                    .all(|c| c.is_ascii_alphabetic() || c == b'-' || c == b'.')
                && number.len() == 7
                && number.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    };
    new_style(id) || old_style(id)
}

/// Splits `2202.12139v3` into the id and version 3 (no version: `None`).
pub fn split_version(id: &str) -> (&str, Option<u32>) {
    if let Some(at) = id.rfind('v') {
        let (base, rest) = id.split_at(at);
        let digits = rest.get(1..).unwrap_or_default();
        if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) && is_arxiv_id(base) {
            return (base, digits.parse().ok());
        }
    }
    (id, None)
}

/// Runs of whitespace become one space; ends trimmed (what arXiv's API does to titles).
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads arXiv's version date: RFC 2822 (`Mon, 2 Apr 2007 19:18:42 GMT`, OAI-PMH and the
/// snapshot) or RFC 3339.
pub fn parse_date(value: &str) -> Result<i64, RecordError> {
    let trimmed = value.trim();
    // `time` wants a numeric zone or one of the obsolete names; GMT is one of those.
    OffsetDateTime::parse(trimmed, &Rfc2822)
        .or_else(|_| OffsetDateTime::parse(trimmed, &Rfc3339))
        .map(OffsetDateTime::unix_timestamp)
        .map_err(|_| RecordError::BadDate {
            value: value.to_owned(),
        })
}

/// Formats unix seconds as arXiv's feeds do: `2022-02-24T15:05:19Z`.
pub fn format_date(unix: i64) -> String {
    let date = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year(),
        u8::from(date.month()),
        date.day(),
        date.hour(),
        date.minute(),
        date.second()
    )
}

/// Splits arXiv's one-string author list (`A. One, B. Two and C. Three`) into names.
pub fn split_authors(text: &str) -> Vec<String> {
    let text = collapse_whitespace(text);
    let mut names = Vec::new();
    for part in text.split(',') {
        for name in part.split(" and ") {
            let name = name.trim();
            if !name.is_empty() {
                names.push(name.to_owned());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_write_as_arxiv_does() {
        let unix = parse_date("Mon, 2 Apr 2007 19:18:42 GMT").unwrap();
        assert_eq!(format_date(unix), "2007-04-02T19:18:42Z");
        assert_eq!(
            parse_date("2022-02-24T15:05:19Z").map(format_date),
            Ok("2022-02-24T15:05:19Z".to_owned())
        );
        assert!(parse_date("yesterday").is_err());
    }

    #[test]
    fn ids_and_versions() {
        assert!(is_arxiv_id("2202.12139"));
        assert!(is_arxiv_id("0704.0001"));
        assert!(is_arxiv_id("hep-th/9901001"));
        assert!(is_arxiv_id("math.GT/0309136"));
        assert!(!is_arxiv_id("abc"));
        assert!(!is_arxiv_id("2202.12139v2"));
        assert_eq!(split_version("2202.12139v2"), ("2202.12139", Some(2)));
        assert_eq!(
            split_version("hep-th/9901001v10"),
            ("hep-th/9901001", Some(10))
        );
        assert_eq!(split_version("2202.12139"), ("2202.12139", None));
    }

    #[test]
    fn authors_split_on_commas_and_and() {
        assert_eq!(
            split_authors("A. One, B. Two and\n  C. Three"),
            vec!["A. One", "B. Two", "C. Three"]
        );
    }

    #[test]
    fn hostile_records_are_refused() {
        let record = Record {
            id: "2202.12139".into(),
            versions: vec![Version { number: 1, date: 0 }],
            title: "x".repeat(MAX_FIELD_CHARS + 1),
            ..Record::default()
        };
        assert_eq!(
            record.checked(),
            Err(RecordError::TooLarge { field: "title" })
        );
        let record = Record {
            id: "../etc/passwd".into(),
            ..Record::default()
        };
        assert!(matches!(record.checked(), Err(RecordError::BadId { .. })));
    }
}
