//! How the app's data is written to browser storage and read back: plain JSON of the same shape
//! serde would give (`{"endpoint": "/api/query", "spacing": 3000, ...}`), written and read by
//! hand. Why not serde: its generic decoders (and the float formatting its error messages pull
//! in) were 18 KB of the gzipped download, for three record types. Reading is strict: anything
//! that is not exactly a valid record is a [`FormError`], and every value goes through the same
//! validation as typed input. Pure Rust, tested natively.

use crate::arxiv::filter::CategoryFilter;
use crate::arxiv::query::{LinkStyle, MaxResults, SortBy};
use crate::arxiv::Paper;
use crate::date::Date;
use crate::fetch_policy::FetchError;
use crate::keyword::Keyword;
use crate::keyword_list::KeywordList;
use crate::results::{FetchedAt, KeywordResults};
use crate::settings::{Endpoint, Settings, Spacing};
use std::fmt;

/// Why stored text is not a valid record; shown (briefly) to the user as the detail of a
/// "could not be read" message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// Not JSON at all, or JSON cut off.
    Syntax { at: usize },
    /// JSON, but not the record expected: `what` names the part that is wrong.
    Shape { what: &'static str },
    /// A value of the right type that the app refuses (e.g. an empty keyword).
    Invalid { what: &'static str, detail: String },
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::Syntax { at } => write!(f, "not valid JSON at character {at}"),
            FormError::Shape { what } => write!(f, "unexpected {what}"),
            FormError::Invalid { what, detail } => write!(f, "invalid {what}: {detail}"),
        }
    }
}

impl std::error::Error for FormError {}

// ---------------------------------------------------------------------------------------------
// A minimal JSON value: only what the records use (no floats: every stored number is a count).

#[derive(Debug, Clone, PartialEq, Eq)]
enum Json {
    Null,
    Bool(bool),
    Number(u64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// How deep arrays and objects may nest: the records need 4; hostile input must not exhaust the
/// stack.
const MAX_DEPTH: usize = 16;

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn error(&self) -> FormError {
        FormError::Syntax { at: self.pos }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, literal: &[u8]) -> Result<(), FormError> {
        if self.bytes.get(self.pos..self.pos + literal.len()) == Some(literal) {
            self.pos += literal.len();
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, FormError> {
        if depth > MAX_DEPTH {
            return Err(self.error());
        }
        self.skip_space();
        match self.bytes.get(self.pos) {
            Some(b'n') => self.eat(b"null").map(|()| Json::Null),
            Some(b't') => self.eat(b"true").map(|()| Json::Bool(true)),
            Some(b'f') => self.eat(b"false").map(|()| Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'0'..=b'9') => self.number(),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.bytes.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip_space();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Json::Array(items));
                        }
                        _ => return Err(self.error()),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut fields = Vec::new();
                self.skip_space();
                if self.bytes.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(Json::Object(fields));
                }
                loop {
                    self.skip_space();
                    if self.bytes.get(self.pos) != Some(&b'"') {
                        return Err(self.error());
                    }
                    let name = self.string()?;
                    self.skip_space();
                    self.eat(b":")?;
                    fields.push((name, self.value(depth + 1)?));
                    self.skip_space();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Json::Object(fields));
                        }
                        _ => return Err(self.error()),
                    }
                }
            }
            _ => Err(self.error()),
        }
    }

    /// A non-negative integer; fractions, exponents and signs are not stored by this app.
    fn number(&mut self) -> Result<Json, FormError> {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
        if let Some(b'.' | b'e' | b'E') = self.bytes.get(self.pos) {
            return Err(FormError::Shape {
                what: "fractional number",
            });
        }
        std::str::from_utf8(self.bytes.get(start..self.pos).unwrap_or_default())
            .ok()
            .and_then(|digits| digits.parse().ok())
            .map(Json::Number)
            .ok_or(FormError::Shape {
                what: "number too large",
            })
    }

    fn hex4(&mut self) -> Result<u32, FormError> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or(self.error())?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error())?;
        let value = u32::from_str_radix(text, 16).map_err(|_| self.error())?;
        self.pos += 4;
        Ok(value)
    }

    fn string(&mut self) -> Result<String, FormError> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote or backslash in one go.
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            let run = self.bytes.get(run_start..self.pos).unwrap_or_default();
            out.push_str(std::str::from_utf8(run).map_err(|_| self.error())?);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escape = *self.bytes.get(self.pos).ok_or(self.error())?;
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                // A surrogate pair: the second half must follow.
                                self.eat(b"\\u")?;
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return Err(self.error());
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            out.push(char::from_u32(code).ok_or(self.error())?);
                        }
                        _ => return Err(self.error()),
                    }
                }
                _ => return Err(self.error()),
            }
        }
    }
}

fn parse(text: &str) -> Result<Json, FormError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let value = reader.value(0)?;
    reader.skip_space();
    if reader.pos != reader.bytes.len() {
        return Err(reader.error());
    }
    Ok(value)
}

// Typed access to parsed values.

fn object<'a>(value: &'a Json, what: &'static str) -> Result<&'a [(String, Json)], FormError> {
    match value {
        Json::Object(fields) => Ok(fields),
        _ => Err(FormError::Shape { what }),
    }
}

fn field<'a>(fields: &'a [(String, Json)], name: &str) -> Option<&'a Json> {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

fn string<'a>(value: Option<&'a Json>, what: &'static str) -> Result<&'a str, FormError> {
    match value {
        Some(Json::Str(s)) => Ok(s),
        _ => Err(FormError::Shape { what }),
    }
}

/// A string field that may be missing (older records) and then reads as empty.
fn string_or_empty(value: Option<&Json>, what: &'static str) -> Result<String, FormError> {
    match value {
        None | Some(Json::Null) => Ok(String::new()),
        other => string(other, what).map(str::to_owned),
    }
}

fn number(value: Option<&Json>, what: &'static str) -> Result<u64, FormError> {
    match value {
        Some(Json::Number(n)) => Ok(*n),
        _ => Err(FormError::Shape { what }),
    }
}

fn strings(value: Option<&Json>, what: &'static str) -> Result<Vec<String>, FormError> {
    match value {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Array(items)) => items
            .iter()
            .map(|item| string(Some(item), what).map(str::to_owned))
            .collect(),
        _ => Err(FormError::Shape { what }),
    }
}

fn invalid(what: &'static str) -> impl Fn(&dyn fmt::Display) -> FormError {
    move |e| FormError::Invalid {
        what,
        detail: e.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Writing.

fn push_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(hex_digit(c as u32 >> 4));
                out.push(hex_digit(c as u32 & 0xf));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn hex_digit(n: u32) -> char {
    char::from_digit(n, 16).unwrap_or('0')
}

fn push_field_name(out: &mut String, name: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    push_string(out, name);
    out.push(':');
}

fn push_string_field(out: &mut String, name: &str, value: &str) {
    push_field_name(out, name);
    push_string(out, value);
}

fn push_number_field(out: &mut String, name: &str, value: u64) {
    push_field_name(out, name);
    out.push_str(&value.to_string());
}

fn push_strings_field(out: &mut String, name: &str, values: &[String]) {
    push_field_name(out, name);
    out.push('[');
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(out, value);
    }
    out.push(']');
}

// ---------------------------------------------------------------------------------------------
// The records.

/// `["Video Anomaly Detection", "Graph Neural Networks"]`
pub fn write_keywords(list: &KeywordList) -> String {
    let mut out = String::from("[");
    for (i, keyword) in list.as_slice().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, keyword.as_str());
    }
    out.push(']');
    out
}

pub fn read_keywords(text: &str) -> Result<KeywordList, FormError> {
    let value = parse(text)?;
    if !matches!(value, Json::Array(_)) {
        return Err(FormError::Shape {
            what: "keyword list",
        });
    }
    let texts = strings(Some(&value), "keyword")?;
    let keywords = texts
        .iter()
        .map(|t| Keyword::parse(t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid("keyword")(&e))?;
    KeywordList::try_from(keywords).map_err(|e| invalid("keyword list")(&e))
}

/// `{"endpoint":"/api/query","spacing":3000,"max_results":100,"sort_by":"lastUpdatedDate",
/// "link_style":"abs","categories":"cs, stat"}`
pub fn write_settings(settings: &Settings) -> String {
    let mut out = String::from("{");
    push_string_field(&mut out, "endpoint", settings.endpoint.as_str());
    push_number_field(&mut out, "spacing", u64::from(settings.spacing.millis()));
    push_number_field(
        &mut out,
        "max_results",
        u64::from(settings.max_results.get()),
    );
    push_string_field(&mut out, "sort_by", settings.sort_by.as_str());
    push_string_field(&mut out, "link_style", settings.link_style.as_str());
    push_string_field(&mut out, "categories", &settings.categories.to_string());
    out.push('}');
    out
}

/// Reads settings; a field that is missing (saved by an older version) takes its default.
pub fn read_settings(text: &str) -> Result<Settings, FormError> {
    let value = parse(text)?;
    let fields = object(&value, "settings")?;
    let mut settings = Settings::default();
    if let Some(v) = field(fields, "endpoint") {
        settings.endpoint =
            Endpoint::parse(string(Some(v), "endpoint")?).map_err(|e| invalid("endpoint")(&e))?;
    }
    if let Some(v) = field(fields, "spacing") {
        let ms = u32::try_from(number(Some(v), "spacing")?)
            .map_err(|_| FormError::Shape { what: "spacing" })?;
        settings.spacing = Spacing::try_from(ms).map_err(|e| invalid("spacing")(&e))?;
    }
    if let Some(v) = field(fields, "max_results") {
        let n = u32::try_from(number(Some(v), "max results")?).map_err(|_| FormError::Shape {
            what: "max results",
        })?;
        settings.max_results = MaxResults::new(n).map_err(|e| invalid("max results")(&e))?;
    }
    if let Some(v) = field(fields, "sort_by") {
        settings.sort_by = string(Some(v), "sort")?
            .parse::<SortBy>()
            .map_err(|e| invalid("sort")(&e))?;
    }
    if let Some(v) = field(fields, "link_style") {
        settings.link_style = string(Some(v), "link style")?
            .parse::<LinkStyle>()
            .map_err(|e| invalid("link style")(&e))?;
    }
    if let Some(v) = field(fields, "categories") {
        settings.categories = CategoryFilter::parse(string(Some(v), "categories")?)
            .map_err(|e| invalid("categories")(&e))?;
    }
    Ok(settings)
}

fn push_paper(out: &mut String, paper: &Paper) {
    out.push('{');
    push_string_field(out, "id", &paper.id);
    push_string_field(out, "title", &paper.title);
    push_string_field(out, "abstract_text", &paper.abstract_text);
    push_strings_field(out, "authors", &paper.authors);
    push_string_field(out, "updated", &paper.updated);
    push_string_field(out, "published", &paper.published);
    push_string_field(out, "abs_link", &paper.abs_link);
    push_string_field(out, "pdf_link", &paper.pdf_link);
    push_strings_field(out, "categories", &paper.categories);
    push_string_field(out, "primary_category", &paper.primary_category);
    push_string_field(out, "comment", &paper.comment);
    push_string_field(out, "journal_ref", &paper.journal_ref);
    push_string_field(out, "doi", &paper.doi);
    out.push('}');
}

fn read_paper(value: &Json) -> Result<Paper, FormError> {
    let f = object(value, "paper")?;
    Ok(Paper {
        id: string(field(f, "id"), "paper id")?.to_owned(),
        title: string(field(f, "title"), "paper title")?.to_owned(),
        abstract_text: string_or_empty(field(f, "abstract_text"), "abstract")?,
        authors: strings(field(f, "authors"), "authors")?,
        updated: string(field(f, "updated"), "paper date")?.to_owned(),
        published: string_or_empty(field(f, "published"), "published date")?,
        abs_link: string_or_empty(field(f, "abs_link"), "abs link")?,
        pdf_link: string_or_empty(field(f, "pdf_link"), "pdf link")?,
        categories: strings(field(f, "categories"), "categories")?,
        primary_category: string_or_empty(field(f, "primary_category"), "primary category")?,
        comment: string_or_empty(field(f, "comment"), "comment")?,
        journal_ref: string_or_empty(field(f, "journal_ref"), "journal ref")?,
        doi: string_or_empty(field(f, "doi"), "doi")?,
    })
}

fn push_error(out: &mut String, error: &FetchError) {
    // serde's shape: a unit variant is its name, the others `{"Name":{"field":value}}`.
    let (name, field_name, text, status) = match error {
        FetchError::Network { endpoint } => ("Network", "endpoint", Some(endpoint), 0),
        FetchError::Busy { status } => ("Busy", "status", None, *status),
        FetchError::Arxiv { message } => ("Arxiv", "message", Some(message), 0),
        FetchError::NotAFeed { status } => ("NotAFeed", "status", None, *status),
        FetchError::Malformed { detail } => ("Malformed", "detail", Some(detail), 0),
        FetchError::Http { status } => ("Http", "status", None, *status),
        FetchError::Empty => {
            push_string(out, "Empty");
            return;
        }
    };
    out.push('{');
    push_field_name(out, name);
    out.push('{');
    match text {
        Some(text) => push_string_field(out, field_name, text),
        None => push_number_field(out, field_name, u64::from(status)),
    }
    out.push_str("}}");
}

fn read_error(value: &Json) -> Result<FetchError, FormError> {
    let shape = || FormError::Shape { what: "error" };
    if let Json::Str(name) = value {
        return if name == "Empty" {
            Ok(FetchError::Empty)
        } else {
            Err(shape())
        };
    }
    let outer = object(value, "error")?;
    let [(name, inner)] = outer else {
        return Err(shape());
    };
    let f = object(inner, "error")?;
    let text = |n: &str| string(field(f, n), "error").map(str::to_owned);
    let status = || {
        number(field(f, "status"), "error status")
            .and_then(|n| u16::try_from(n).map_err(|_| shape()))
    };
    Ok(match name.as_str() {
        "Network" => FetchError::Network {
            endpoint: text("endpoint")?,
        },
        "Busy" => FetchError::Busy { status: status()? },
        "Arxiv" => FetchError::Arxiv {
            message: text("message")?,
        },
        "NotAFeed" => FetchError::NotAFeed { status: status()? },
        "Malformed" => FetchError::Malformed {
            detail: text("detail")?,
        },
        "Http" => FetchError::Http { status: status()? },
        _ => return Err(shape()),
    })
}

/// `{"papers":[...],"fetched_at":{"unix_ms":...,"date":"2026-11-20","time":"22:31"},"error":null}`
pub fn write_results(results: &KeywordResults) -> String {
    // Abstracts dominate: reserve roughly what the papers take.
    let estimate: usize = results
        .papers
        .iter()
        .map(|p| p.abstract_text.len() + p.title.len() + 400)
        .sum();
    let mut out = String::with_capacity(estimate + 200);
    out.push_str("{\"papers\":[");
    for (i, paper) in results.papers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_paper(&mut out, paper);
    }
    out.push(']');
    push_field_name(&mut out, "fetched_at");
    match &results.fetched_at {
        Some(at) => {
            out.push('{');
            push_number_field(&mut out, "unix_ms", at.unix_ms);
            push_string_field(&mut out, "date", &at.date.to_string());
            push_string_field(&mut out, "time", &at.time);
            out.push('}');
        }
        None => out.push_str("null"),
    }
    push_field_name(&mut out, "error");
    match &results.error {
        Some(error) => push_error(&mut out, error),
        None => out.push_str("null"),
    }
    out.push('}');
    out
}

pub fn read_results(text: &str) -> Result<KeywordResults, FormError> {
    let value = parse(text)?;
    let f = object(&value, "results")?;
    let papers = match field(f, "papers") {
        Some(Json::Array(items)) => items.iter().map(read_paper).collect::<Result<_, _>>()?,
        None | Some(Json::Null) => Vec::new(),
        _ => return Err(FormError::Shape { what: "papers" }),
    };
    let fetched_at = match field(f, "fetched_at") {
        None | Some(Json::Null) => None,
        Some(at) => {
            let a = object(at, "fetch time")?;
            Some(FetchedAt {
                unix_ms: number(field(a, "unix_ms"), "fetch time")?,
                date: string(field(a, "date"), "fetch date")?
                    .parse::<Date>()
                    .map_err(|e| invalid("fetch date")(&e))?,
                time: string(field(a, "time"), "fetch time")?.to_owned(),
            })
        }
    };
    let error = match field(f, "error") {
        None | Some(Json::Null) => None,
        Some(e) => Some(read_error(e)?),
    };
    Ok(KeywordResults {
        papers,
        fetched_at,
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arxiv::parse_feed;

    fn papers(name: &str) -> Vec<Paper> {
        let path = format!("{}/tests/fixtures/arxiv/{name}", env!("CARGO_MANIFEST_DIR"));
        parse_feed(&std::fs::read(path).unwrap()).unwrap().papers
    }

    fn fetched(papers: Vec<Paper>, error: Option<FetchError>) -> KeywordResults {
        KeywordResults {
            papers,
            fetched_at: Some(FetchedAt {
                unix_ms: 1_795_000_000_123,
                date: "2026-11-20".parse().unwrap(),
                time: "22:31".into(),
            }),
            error,
        }
    }

    #[test]
    fn results_round_trip_with_every_error() {
        let errors = [
            None,
            Some(FetchError::Network {
                endpoint: "http://127.0.0.1:9/api/query".into(),
            }),
            Some(FetchError::Busy { status: 429 }),
            Some(FetchError::Arxiv {
                message: "incorrect id format for \"abc\"".into(),
            }),
            Some(FetchError::NotAFeed { status: 200 }),
            Some(FetchError::Malformed {
                detail: "ends early\n<".into(),
            }),
            Some(FetchError::Http { status: 502 }),
            Some(FetchError::Empty),
        ];
        for error in errors {
            let r = fetched(papers("search-10-entries.xml"), error);
            assert_eq!(read_results(&write_results(&r)), Ok(r));
        }
        let never = KeywordResults::default();
        assert_eq!(read_results(&write_results(&never)), Ok(never));
    }

    #[test]
    fn results_of_a_hundred_real_papers_round_trip() {
        let r = fetched(papers("search-100-entries.xml"), None);
        assert_eq!(read_results(&write_results(&r)).unwrap(), r);
    }

    #[test]
    fn any_text_round_trips_in_strings() {
        let mut paper = papers("single-entry.xml").remove(0);
        paper.title = "Quotes \" back\\slash \u{0}\u{1f} tab\t é 日本 🎉 </script> & <img src=x onerror=alert(1)>".into();
        paper.comment = "line\nbreak\r\u{2028}".into();
        let r = fetched(vec![paper], None);
        assert_eq!(read_results(&write_results(&r)), Ok(r));
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))] // serde_json is a native dev-dependency
    fn written_results_are_json_a_browser_can_read() {
        // Same shape as serde_json would write, so tools (and serde) can read it too.
        let r = fetched(
            papers("single-entry.xml"),
            Some(FetchError::Busy { status: 503 }),
        );
        let value: serde_json::Value = serde_json::from_str(&write_results(&r)).unwrap();
        assert_eq!(value["fetched_at"]["date"], "2026-11-20");
        assert_eq!(value["error"]["Busy"]["status"], 503);
        assert_eq!(value["papers"][0]["title"], r.papers[0].title.as_str());
    }

    #[test]
    fn keywords_round_trip_and_bad_lists_are_refused() {
        let mut list = KeywordList::examples();
        list.add("Zürich \"quoted\"").unwrap();
        assert_eq!(write_keywords(&KeywordList::default()), "[]");
        assert_eq!(read_keywords(&write_keywords(&list)), Ok(list));
        for bad in [
            "",
            "{\"corrupt",
            "42",
            "null",
            "[{\"unexpected\": true}]",
            "[\"ok\", \"\"]",
            "[\"a\", \"A\"]",
            "\u{0}\u{ffff}",
            "[\"a\"] x",
        ] {
            assert!(read_keywords(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn settings_round_trip_and_missing_fields_take_defaults() {
        let mut s = Settings::default();
        s.set_endpoint("http://127.0.0.1:9000/api/query?x=\"1\"")
            .unwrap();
        s.set_spacing("0.25").unwrap();
        s.set_max_results("25").unwrap();
        s.set_sort_by("relevance").unwrap();
        s.set_link_style("pdf").unwrap();
        s.set_categories("cs, math").unwrap();
        assert_eq!(read_settings(&write_settings(&s)), Ok(s));
        assert_eq!(read_settings("{}"), Ok(Settings::default()));
        let older = read_settings(r#"{"spacing": 5000}"#).unwrap();
        assert_eq!(older.spacing.millis(), 5_000);
        assert_eq!(older.endpoint, Settings::default().endpoint);
    }

    #[test]
    fn invalid_settings_are_refused_not_clamped() {
        for bad in [
            r#"{"spacing": "fast"}"#,
            r#"{"spacing": 1.5}"#,
            r#"{"spacing": -1}"#,
            r#"{"spacing": 99999999999}"#,
            r#"{"max_results": 0}"#,
            r#"{"endpoint": "ftp://x"}"#,
            r#"{"sort_by": "newest"}"#,
            r#"{"link_style": "html"}"#,
            r#"{"categories": ""}"#,
            "[]",
            "null",
        ] {
            assert!(read_settings(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn broken_results_are_refused() {
        let good = write_results(&fetched(papers("single-entry.xml"), None));
        for cut in [1, good.len() / 3, good.len() - 1] {
            assert!(read_results(&good[..cut]).is_err(), "cut at {cut}");
        }
        for bad in [
            r#"{"papers": [{"title": "no id"}]}"#,
            r#"{"papers": {}}"#,
            r#"{"fetched_at": {"unix_ms": 1, "date": "2026-02-30", "time": "x"}}"#,
            r#"{"error": "Sometimes"}"#,
            r#"{"error": {"Busy": {"status": 70000}}}"#,
            r#"{"error": {"Busy": {}, "Http": {}}}"#,
        ] {
            assert!(read_results(bad).is_err(), "{bad}");
        }
        // A lone surrogate is not text.
        assert!(read_keywords(r#"["\ud800"]"#).is_err());
        assert!(read_keywords(r#"["\ud800\u0041"]"#).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert!(matches!(
            read_keywords(&deep),
            Err(FormError::Syntax { .. })
        ));
    }

    #[test]
    fn json_escapes_are_read() {
        assert_eq!(
            read_keywords(r#"["a\u00e9\ud83c\udf89\n\/b"]"#)
                .unwrap()
                .as_slice()[0]
                .as_str(),
            "aé🎉\n/b".trim()
        );
    }
}
