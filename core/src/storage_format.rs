//! How the app's data is written to browser storage and read back: JSON (`serde_json`) of the
//! shape version 1 of the app wrote (`{"endpoint": "/api/query", "spacing": 3000, ...}`), so
//! what an earlier release stored still loads. The topic list is new in version 2; version 1's
//! keyword list (a JSON array of strings) is still read, as one-phrase topics. The stored records are the private types below,
//! not the app's own: the stored shape changes only on purpose. Reading is strict: anything that
//! is not exactly a valid record is a [`FormError`], and every value goes through the same
//! validation as typed input. Pure Rust, tested natively.

use crate::arxiv::filter::CategoryFilter;
use crate::arxiv::query::{LinkStyle, MaxResults, SortBy};
use crate::arxiv::Paper;
use crate::date::Date;
use crate::fetch::policy::FetchError;
use crate::library::history::TopicHistory;
use crate::library::refresh::RefreshOnOpen;
use crate::library::undo::{PendingUndo, RemovedTopic};
use crate::library::results::{FetchedAt, KeywordResults};
use crate::settings::{Endpoint, Settings, Spacing};
use crate::topics::list::ListedTopic;
use crate::topics::TopicList;
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
// The topic list (version 2): the JSON form documented in [`crate::topics::list`],
// `{"next_id": 3, "topics": [{"id": 1, "topic": {"name": "...", "phrases": ["..."]}}, ...]}`.

pub fn write_topics(list: &TopicList) -> String {
    to_json(list)
}

pub fn read_topics(text: &str) -> Result<TopicList, FormError> {
    read_object(text)
}

// ---------------------------------------------------------------------------------------------
// Version 1's keyword list: `["Video Anomaly Detection", "Graph Neural Networks"]`, read as
// one-phrase topics with ids 1, 2, 3, … in its order (never written any more).

pub fn read_v1_keywords(text: &str) -> Result<TopicList, FormError> {
    let texts: Vec<String> = serde_json::from_str(text)?;
    TopicList::from_keyword_texts(&texts).map_err(|e| invalid("keyword")(&e))
}

// ---------------------------------------------------------------------------------------------
// A list of results keys (the topics whose papers could not be saved): `["topic/1", "topic/4"]`.

pub fn write_keys(keys: &[String]) -> String {
    to_json(&keys)
}

pub fn read_keys(text: &str) -> Result<Vec<String>, FormError> {
    Ok(serde_json::from_str(text)?)
}

// ---------------------------------------------------------------------------------------------
// A topic's seen history: the form documented in [`crate::library::history`],
// `{"seen":{"2410.01506":["2025-02-05",3]},"new":["2410.01506"]}`.

pub fn write_history(history: &TopicHistory) -> String {
    to_json(history)
}

pub fn read_history(text: &str) -> Result<TopicHistory, FormError> {
    read_object(text)
}

// ---------------------------------------------------------------------------------------------
// Refresh on open: `{"enabled":true,"afterHours":12}` (checked again when read back).

pub fn write_refresh(setting: &RefreshOnOpen) -> String {
    to_json(setting)
}

pub fn read_refresh(text: &str) -> Result<RefreshOnOpen, FormError> {
    read_object(text)
}

// ---------------------------------------------------------------------------------------------
// A pending undo: `{"removed":[{"position":0,"topic":{"id":1,"topic":{...}},"papers":[],
// "history":{"seen":{}}}],"shown_until_ms":...}`, written without papers and history (those stay
// in the papers database under the topic's id until the offer ends).

pub fn write_pending_undo(pending: &PendingUndo<ListedTopic>) -> String {
    let light = PendingUndo {
        removed: pending
            .removed
            .iter()
            .map(|r| RemovedTopic {
                position: r.position,
                topic: r.topic.clone(),
                papers: Vec::new(),
                history: TopicHistory::default(),
            })
            .collect(),
        shown_until_ms: pending.shown_until_ms,
    };
    to_json(&light)
}

pub fn read_pending_undo(text: &str) -> Result<PendingUndo<ListedTopic>, FormError> {
    read_object(text)
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
    settings_from(read_object(text)?)
}

/// Reads the settings, keeping the others when only the allowed categories are refused:
/// earlier releases accepted any prefix there (`zzz`), the current one only names arXiv has,
/// and a setting that became invalid must not take the endpoint, spacing and the rest with it.
/// The refusal is returned beside the settings (which hold the default categories) to be shown.
pub fn read_settings_keeping_others(
    text: &str,
) -> Result<(Settings, Option<FormError>), FormError> {
    let mut stored: StoredSettings = read_object(text)?;
    let categories = stored.categories.take();
    let mut settings = settings_from(stored)?;
    let refused = match categories.map(|v| CategoryFilter::parse(&v)) {
        None => None,
        Some(Ok(filter)) => {
            settings.categories = filter;
            None
        }
        Some(Err(e)) => Some(invalid("allowed categories")(&e)),
    };
    Ok((settings, refused))
}

fn settings_from(stored: StoredSettings) -> Result<Settings, FormError> {
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
    /// Left out when unknown, so results of version 1 are written exactly as it wrote them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    /// Left out when none (see [`KeywordResults::no_match_at`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    no_match_at: Option<StoredFetchedAt>,
}

#[derive(Serialize, Deserialize)]
struct StoredFetchedAt {
    unix_ms: u64,
    date: String,
    time: String,
    /// Left out when false, so fresh results are written as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    stale: bool,
}

impl From<&FetchedAt> for StoredFetchedAt {
    fn from(at: &FetchedAt) -> Self {
        StoredFetchedAt {
            unix_ms: at.unix_ms,
            date: at.date.to_string(),
            time: at.time.clone(),
            stale: at.stale,
        }
    }
}

impl TryFrom<StoredFetchedAt> for FetchedAt {
    type Error = FormError;

    fn try_from(at: StoredFetchedAt) -> Result<Self, FormError> {
        Ok(FetchedAt {
            unix_ms: at.unix_ms,
            date: at
                .date
                .parse::<Date>()
                .map_err(|e| invalid("fetch date")(&e))?,
            time: at.time,
            stale: at.stale,
        })
    }
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
        fetched_at: results.fetched_at.as_ref().map(StoredFetchedAt::from),
        error: results.error.as_ref().map(StoredError::from),
        search: results.search.clone(),
        no_match_at: results.no_match_at.as_ref().map(StoredFetchedAt::from),
    })
}

pub fn read_results(text: &str) -> Result<KeywordResults, FormError> {
    let stored: StoredResults<Vec<Paper>> = read_object(text)?;
    Ok(KeywordResults {
        papers: stored.papers,
        fetched_at: stored.fetched_at.map(FetchedAt::try_from).transpose()?,
        error: stored.error.map(FetchError::from),
        search: stored.search,
        no_match_at: stored.no_match_at.map(FetchedAt::try_from).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_undo_is_stored_without_papers_and_reads_back() {
        let mut list = TopicList::default();
        let id = list.add("Alpha").unwrap();
        let entry = list.entries()[0].clone();
        assert_eq!(entry.id, id);
        let mut history = TopicHistory::default();
        history.import(["2410.00001v1"], "2026-11-20".parse().unwrap());
        let pending = PendingUndo::new(
            vec![RemovedTopic {
                position: 0,
                topic: entry.clone(),
                papers: vec![Paper::default(); 3],
                history,
            }],
            1_000,
        );
        let text = write_pending_undo(&pending);
        let back = read_pending_undo(&text).unwrap();
        assert_eq!(back.shown_until_ms, pending.shown_until_ms);
        assert_eq!(back.removed.len(), 1);
        assert_eq!(back.removed[0].topic, entry);
        assert!(back.removed[0].papers.is_empty());
        assert!(back.removed[0].history.is_empty());
        assert!(read_pending_undo("[]").is_err());
    }

    #[test]
    fn refresh_and_history_forms_round_trip_and_refuse_nonsense() {
        let setting = RefreshOnOpen::new(false, 24).unwrap();
        assert_eq!(read_refresh(&write_refresh(&setting)).unwrap(), setting);
        assert!(read_refresh(r#"{"enabled":true,"afterHours":0}"#).is_err());
        let mut history = TopicHistory::default();
        history.import(["2410.00001v2"], "2026-11-20".parse().unwrap());
        assert_eq!(read_history(&write_history(&history)).unwrap(), history);
        assert!(read_history("[]").is_err());
    }
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
                stale: false,
            }),
            error,
            search: None,
            no_match_at: None,
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
    fn topics_round_trip_and_bad_lists_are_refused() {
        let mut list = TopicList::examples();
        list.add("Zürich \"quoted\"").unwrap();
        let edited = crate::topics::Topic::new(crate::topics::TopicParts {
            name: "VAD".into(),
            phrases: vec!["Video Anomaly Detection".into(), "abnormal event".into()],
            exclude: vec!["medical".into()],
            authors: vec!["Kaiming He".into()],
            categories: vec!["cs.CV".into()],
        })
        .unwrap();
        let id = list.push(edited).unwrap();
        list.remove(id);
        list.push(crate::topics::Topic::from_phrase("After").unwrap())
            .unwrap();
        assert_eq!(read_topics(&write_topics(&list)), Ok(list.clone()));
        // The next id survives, so a removed topic's id (and papers) are never reused.
        let mut back = read_topics(&write_topics(&list)).unwrap();
        let next = back.add("Another").unwrap();
        assert!(list.entries().iter().all(|e| e.id < next) && next.get() > id.get());
        for bad in [
            "",
            "[]",
            "null",
            r#"["Video Anomaly Detection"]"#,
            r#"{"next_id": 2, "topics": [{"id": 1, "topic": {"name": "x", "categories": ["zzz"]}}]}"#,
            r#"{"next_id": 1, "topics": [{"id": 1, "topic": {"name": "x", "phrases": ["x"]}}]}"#,
            r#"{"next_id": 9, "topics": [{"id": 1, "topic": {"name": "x", "phrases": ["x"]}}, {"id": 2, "topic": {"name": "X", "phrases": ["y"]}}]}"#,
        ] {
            assert!(read_topics(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn version_1_keyword_lists_read_as_one_phrase_topics_and_bad_lists_are_refused() {
        let list =
            read_v1_keywords(r#"["Video Anomaly Detection","Graph Neural Networks"]"#).unwrap();
        let names: Vec<&str> = list.topics().map(|t| t.name().as_str()).collect();
        assert_eq!(names, ["Video Anomaly Detection", "Graph Neural Networks"]);
        assert!(list.topics().all(crate::topics::Topic::is_plain));
        assert_eq!(read_v1_keywords("[]").map(|l| l.len()), Ok(0));
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
            assert!(read_v1_keywords(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn results_keys_round_trip() {
        let keys = vec!["topic/1".to_owned(), "topic/12".to_owned()];
        assert_eq!(read_keys(&write_keys(&keys)), Ok(keys));
        assert!(read_keys("{").is_err());
    }

    #[test]
    fn the_search_of_results_round_trips_and_is_left_out_when_unknown() {
        let topic = crate::topics::Topic::from_phrase("Video").unwrap();
        let at = fetched(vec![], None).fetched_at.unwrap();
        let r = KeywordResults::succeeded(papers("single-entry.xml"), at, &topic);
        assert_eq!(r.search.as_deref(), Some("ti:\"Video\" AND abs:\"Video\""));
        assert!(write_results(&r).contains(r#""search":"ti:\"Video\" AND abs:\"Video\"""#));
        assert_eq!(read_results(&write_results(&r)), Ok(r));
        assert!(!write_results(&fetched(vec![], None)).contains("search"));
    }

    #[test]
    fn a_stale_time_and_a_later_empty_check_round_trip_and_are_left_out_when_not_there() {
        let mut r = fetched(papers("single-entry.xml"), None);
        let plain = write_results(&r);
        assert!(!plain.contains("stale") && !plain.contains("no_match_at"), "{plain}");
        r.fetched_at.as_mut().unwrap().stale = true;
        r.no_match_at = r.fetched_at.clone();
        assert!(write_results(&r).contains(r#""stale":true"#));
        assert_eq!(read_results(&write_results(&r)), Ok(r));
    }

    #[test]
    fn settings_with_a_category_arxiv_does_not_have_keep_the_others() {
        // Earlier releases accepted any prefix; the current one only arXiv's names.
        let text = r#"{"endpoint":"http://127.0.0.1:9/api/query","spacing":1500,"max_results":25,"sort_by":"relevance","link_style":"pdf","categories":"cs, zzz"}"#;
        assert!(read_settings(text).is_err());
        let (settings, refused) = read_settings_keeping_others(text).unwrap();
        assert_eq!(settings.endpoint.as_str(), "http://127.0.0.1:9/api/query");
        assert_eq!(settings.spacing.millis(), 1_500);
        assert_eq!(settings.max_results.get(), 25);
        assert_eq!(settings.link_style, LinkStyle::Pdf);
        assert_eq!(settings.categories, CategoryFilter::default());
        let refused = refused.unwrap().to_string();
        assert!(
            refused.contains("allowed categories") && refused.contains("zzz"),
            "{refused}"
        );
        // Valid categories are read; another invalid field still refuses the whole.
        let (ok, none) = read_settings_keeping_others(r#"{"categories":"cs.CV, math"}"#).unwrap();
        assert_eq!(
            (ok.categories.to_string(), none),
            ("cs.CV, math".to_owned(), None)
        );
        assert!(read_settings_keeping_others(r#"{"spacing":"fast","categories":"zzz"}"#).is_err());
        assert!(read_settings_keeping_others("[]").is_err());
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
        assert!(read_v1_keywords(r#"["\ud800"]"#).is_err());
        assert!(read_v1_keywords(r#"["\ud800\u0041"]"#).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert!(matches!(
            read_v1_keywords(&deep),
            Err(FormError::Json { .. })
        ));
        let deep_object = "{\"topics\":".repeat(50_000);
        assert!(read_topics(&deep_object).is_err());
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
        let list = read_v1_keywords(r#"["a\u00e9\ud83c\udf89\n\/b"]"#).unwrap();
        assert_eq!(
            list.topics().next().map(|t| t.name().as_str()),
            Some("aé🎉\n/b")
        );
    }
}
