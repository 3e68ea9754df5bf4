//! How the app's data is written to browser storage and read back: JSON (`serde_json`) of the
//! shape version 1 of the app wrote (`{"endpoint": "/api/query", "spacing": 3000, ...}`), so
//! what an earlier release stored still loads. The stored records are the private types below,
//! not the app's own: the stored shape changes only on purpose. Reading is strict: anything that
//! is not exactly a valid record is a [`FormError`], and every value goes through the same
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
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why stored text is not a valid record; shown (briefly) to the user as the detail of a
/// "could not be read" message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// Not JSON, JSON cut off, or JSON of another shape (the JSON reader's own words).
    Json { detail: String },
    /// A value of the right type that the app refuses (e.g. an empty keyword).
    Invalid { what: &'static str, detail: String },
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::Json { detail } => write!(f, "{detail}"),
            FormError::Invalid { what, detail } => write!(f, "invalid {what}: {detail}"),
        }
    }
}

impl std::error::Error for FormError {}

impl From<serde_json::Error> for FormError {
    fn from(e: serde_json::Error) -> Self {
        FormError::Json {
            detail: e.to_string(),
        }
    }
}

fn invalid(what: &'static str) -> impl Fn(&dyn fmt::Display) -> FormError {
    move |e| FormError::Invalid {
        what,
        detail: e.to_string(),
    }
}

/// Reads a record only from a JSON object: serde's derived readers also take an array of the
/// fields in order (`[]` would be valid settings), which no version of the app ever wrote.
fn read_object<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, FormError> {
    struct ObjectOnly<T>(T);
    impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOnly<T> {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Fields<T>(std::marker::PhantomData<T>);
            impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Fields<T> {
                type Value = T;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                    T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                }
            }
            d.deserialize_map(Fields(std::marker::PhantomData))
                .map(ObjectOnly)
        }
    }
    let ObjectOnly(value) = serde_json::from_str(text)?;
    Ok(value)
}

/// Serialising records of strings and integers cannot fail; should it ever, an empty text is
/// written, which reads back as corrupt and is reported, rather than a panic.
fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The keyword list: `["Video Anomaly Detection", "Graph Neural Networks"]`

pub fn write_keywords(list: &KeywordList) -> String {
    to_json(&list.as_slice())
}

pub fn read_keywords(text: &str) -> Result<KeywordList, FormError> {
    let texts: Vec<String> = serde_json::from_str(text)?;
    let keywords = texts
        .iter()
        .map(|t| Keyword::parse(t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid("keyword")(&e))?;
    KeywordList::try_from(keywords).map_err(|e| invalid("keyword list")(&e))
}

// ---------------------------------------------------------------------------------------------
// Settings: `{"endpoint":"/api/query","spacing":3000,"max_results":100,
// "sort_by":"lastUpdatedDate","link_style":"abs","categories":"cs, stat"}`. A field missing
// (saved by an older version) takes its default.

#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct StoredSettings {
    endpoint: Option<String>,
    spacing: Option<u32>,
    max_results: Option<u32>,
    sort_by: Option<String>,
    link_style: Option<String>,
    categories: Option<String>,
}

pub fn write_settings(settings: &Settings) -> String {
    to_json(&StoredSettings {
        endpoint: Some(settings.endpoint.as_str().to_owned()),
        spacing: Some(settings.spacing.millis()),
        max_results: Some(settings.max_results.get()),
        sort_by: Some(settings.sort_by.as_str().to_owned()),
        link_style: Some(settings.link_style.as_str().to_owned()),
        categories: Some(settings.categories.to_string()),
    })
}

pub fn read_settings(text: &str) -> Result<Settings, FormError> {
    let stored: StoredSettings = read_object(text)?;
    let mut settings = Settings::default();
    if let Some(v) = stored.endpoint {
        settings.endpoint = Endpoint::parse(&v).map_err(|e| invalid("endpoint")(&e))?;
    }
    if let Some(ms) = stored.spacing {
        settings.spacing = Spacing::try_from(ms).map_err(|e| invalid("spacing")(&e))?;
    }
    if let Some(n) = stored.max_results {
        settings.max_results = MaxResults::new(n).map_err(|e| invalid("max results")(&e))?;
    }
    if let Some(v) = stored.sort_by {
        settings.sort_by = v.parse::<SortBy>().map_err(|e| invalid("sort")(&e))?;
    }
    if let Some(v) = stored.link_style {
        settings.link_style = v
            .parse::<LinkStyle>()
            .map_err(|e| invalid("link style")(&e))?;
    }
    if let Some(v) = stored.categories {
        settings.categories = CategoryFilter::parse(&v).map_err(|e| invalid("categories")(&e))?;
    }
    Ok(settings)
}

// ---------------------------------------------------------------------------------------------
// A keyword's results: `{"papers":[...],"fetched_at":{"unix_ms":...,"date":"2026-11-20",
// "time":"22:31"},"error":null}`. Papers are the core's `Paper` in its serde form (checked by
// tests/serde_forms.rs); the error is serde's form of an enum: a unit variant is its name, the
// others `{"Busy":{"status":503}}`.

#[derive(Serialize, Deserialize)]
struct StoredResults<P> {
    #[serde(default)]
    papers: P,
    #[serde(default)]
    fetched_at: Option<StoredFetchedAt>,
    #[serde(default)]
    error: Option<StoredError>,
}

#[derive(Serialize, Deserialize)]
struct StoredFetchedAt {
    unix_ms: u64,
    date: String,
    time: String,
}

#[derive(Serialize, Deserialize)]
enum StoredError {
    Network { endpoint: String },
    Busy { status: u16 },
    Arxiv { message: String },
    NotAFeed { status: u16 },
    Malformed { detail: String },
    Http { status: u16 },
    Empty,
}

impl From<&FetchError> for StoredError {
    fn from(e: &FetchError) -> Self {
        match e.clone() {
            FetchError::Network { endpoint } => StoredError::Network { endpoint },
            FetchError::Busy { status } => StoredError::Busy { status },
            FetchError::Arxiv { message } => StoredError::Arxiv { message },
            FetchError::NotAFeed { status } => StoredError::NotAFeed { status },
            FetchError::Malformed { detail } => StoredError::Malformed { detail },
            FetchError::Http { status } => StoredError::Http { status },
            FetchError::Empty => StoredError::Empty,
        }
    }
}

impl From<StoredError> for FetchError {
    fn from(e: StoredError) -> Self {
        match e {
            StoredError::Network { endpoint } => FetchError::Network { endpoint },
            StoredError::Busy { status } => FetchError::Busy { status },
            StoredError::Arxiv { message } => FetchError::Arxiv { message },
            StoredError::NotAFeed { status } => FetchError::NotAFeed { status },
            StoredError::Malformed { detail } => FetchError::Malformed { detail },
            StoredError::Http { status } => FetchError::Http { status },
            StoredError::Empty => FetchError::Empty,
        }
    }
}

pub fn write_results(results: &KeywordResults) -> String {
    to_json(&StoredResults {
        papers: &results.papers,
        fetched_at: results.fetched_at.as_ref().map(|at| StoredFetchedAt {
            unix_ms: at.unix_ms,
            date: at.date.to_string(),
            time: at.time.clone(),
        }),
        error: results.error.as_ref().map(StoredError::from),
    })
}

pub fn read_results(text: &str) -> Result<KeywordResults, FormError> {
    let stored: StoredResults<Vec<Paper>> = read_object(text)?;
    let fetched_at = match stored.fetched_at {
        None => None,
        Some(at) => Some(FetchedAt {
            unix_ms: at.unix_ms,
            date: at
                .date
                .parse::<Date>()
                .map_err(|e| invalid("fetch date")(&e))?,
            time: at.time,
        }),
    };
    Ok(KeywordResults {
        papers: stored.papers,
        fetched_at,
        error: stored.error.map(FetchError::from),
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
            r#"[[], null, null]"#,
            r#"{"papers": [["id", "title"]]}"#,
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
        assert!(matches!(read_keywords(&deep), Err(FormError::Json { .. })));
    }

    /// Texts written by version 1 of the app (its own JSON writer, before serde_json), kept in
    /// tests/fixtures/stored-v1/: they must read back unchanged, field for field.
    fn v1(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/stored-v1/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn what_version_1_stored_still_reads_and_is_written_the_same() {
        let ok = read_results(&v1("results-100.json")).unwrap();
        assert_eq!(ok, fetched(papers("search-100-entries.xml"), None));
        assert_eq!(write_results(&ok), v1("results-100.json"));
        let busy = read_results(&v1("results-10-busy.json")).unwrap();
        assert_eq!(
            busy,
            fetched(
                papers("search-10-entries.xml"),
                Some(FetchError::Busy { status: 503 })
            )
        );
        assert_eq!(write_results(&busy), v1("results-10-busy.json"));
        let never = read_results(&v1("results-never.json")).unwrap();
        assert!(never.papers.is_empty() && never.fetched_at.is_none());
        assert_eq!(write_results(&never), v1("results-never.json"));
        let settings = read_settings(&v1("settings.json")).unwrap();
        assert_eq!(settings.spacing.millis(), 250);
        assert_eq!(write_settings(&settings), v1("settings.json"));
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
