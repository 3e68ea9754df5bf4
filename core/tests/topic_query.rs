//! A topic's arXiv query (issue 9, point 3): phrases OR-ed (each with the one-word rule),
//! authors as `au:"…"`, categories as `cat:…`, exclusions as `ANDNOT` of a group, parenthesised
//! so the meaning is (phrases OR authors) AND categories AND NOT exclusions. A topic with one
//! phrase and nothing else sends exactly the keyword query of earlier releases. Expected queries
//! and URLs are written out by hand.

// Native only (`cargo test`): the browser test run (`--target wasm32-unknown-unknown`) skips it.
#![cfg(not(target_arch = "wasm32"))]

use daily_papers_core::arxiv::query::{query_url, MaxResults, QueryOptions, SortBy};
use daily_papers_core::arxiv::topic_query::{
    check_length, search_query, topic_query_url, QueryTooLong, MAX_QUERY_STRING_BYTES,
    MAX_SEARCH_QUERY_CHARS,
};
use daily_papers_core::topics::keyword::Keyword;
use daily_papers_core::topics::{Topic, TopicError, TopicField, TopicParts};

const TAIL: &str = "&max_results=100&sortBy=lastUpdatedDate&sortOrder=descending";

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn parts(
    name: &str,
    phrases: &[&str],
    exclude: &[&str],
    authors: &[&str],
    categories: &[&str],
) -> TopicParts {
    TopicParts {
        name: name.to_owned(),
        phrases: strings(phrases),
        exclude: strings(exclude),
        authors: strings(authors),
        categories: strings(categories),
    }
}

fn topic(phrases: &[&str], exclude: &[&str], authors: &[&str], categories: &[&str]) -> Topic {
    Topic::new(parts("Topic", phrases, exclude, authors, categories)).unwrap()
}

fn url(topic: &Topic) -> String {
    topic_query_url("/api/query", topic, &QueryOptions::default()).unwrap()
}

#[test]
fn one_phrase_of_several_words_is_todays_query_byte_for_byte() {
    let typed = Topic::from_phrase("Video Anomaly Detection").unwrap();
    let expected = format!("/api/query?search_query=ti%3A%22Video%20Anomaly%20Detection%22%20OR%20abs%3A%22Video%20Anomaly%20Detection%22{TAIL}");
    assert_eq!(url(&typed), expected);
    let keyword = Keyword::parse("Video Anomaly Detection").unwrap();
    assert_eq!(
        url(&typed),
        query_url("/api/query", &keyword, &QueryOptions::default())
    );
    // The name is not part of the search: a renamed one-phrase topic still sends the same.
    let named = topic(&["Video Anomaly Detection"], &[], &[], &[]);
    assert_eq!(url(&named), expected);
}

#[test]
fn one_phrase_of_one_word_is_todays_and_query() {
    let typed = Topic::from_phrase("Transformer").unwrap();
    assert_eq!(
        search_query(&typed),
        r#"ti:"Transformer" AND abs:"Transformer""#
    );
    assert_eq!(
        url(&typed),
        format!(
            "/api/query?search_query=ti%3A%22Transformer%22%20AND%20abs%3A%22Transformer%22{TAIL}"
        )
    );
}

#[test]
fn three_phrases_are_or_ed_each_with_the_one_word_rule() {
    let t = topic(
        &["Video Anomaly Detection", "VAD", "abnormal event detection"],
        &[],
        &[],
        &[],
    );
    assert_eq!(
        search_query(&t),
        r#"(ti:"Video Anomaly Detection" OR abs:"Video Anomaly Detection") OR (ti:"VAD" AND abs:"VAD") OR (ti:"abnormal event detection" OR abs:"abnormal event detection")"#
    );
    assert_eq!(
        url(&t),
        format!("/api/query?search_query=%28ti%3A%22Video%20Anomaly%20Detection%22%20OR%20abs%3A%22Video%20Anomaly%20Detection%22%29%20OR%20%28ti%3A%22VAD%22%20AND%20abs%3A%22VAD%22%29%20OR%20%28ti%3A%22abnormal%20event%20detection%22%20OR%20abs%3A%22abnormal%20event%20detection%22%29{TAIL}")
    );
}

#[test]
fn exclusions_are_one_andnot_group_searched_in_title_or_abstract() {
    let t = topic(
        &["Video Anomaly Detection"],
        &["medical", "X-ray imaging"],
        &[],
        &[],
    );
    assert_eq!(
        search_query(&t),
        r#"(ti:"Video Anomaly Detection" OR abs:"Video Anomaly Detection") ANDNOT (ti:"medical" OR abs:"medical" OR ti:"X-ray imaging" OR abs:"X-ray imaging")"#
    );
    assert_eq!(
        url(&t),
        format!("/api/query?search_query=%28ti%3A%22Video%20Anomaly%20Detection%22%20OR%20abs%3A%22Video%20Anomaly%20Detection%22%29%20ANDNOT%20%28ti%3A%22medical%22%20OR%20abs%3A%22medical%22%20OR%20ti%3A%22X-ray%20imaging%22%20OR%20abs%3A%22X-ray%20imaging%22%29{TAIL}")
    );
}

#[test]
fn authors_alone_are_au_terms() {
    let one = topic(&[], &[], &["Kaiming He"], &[]);
    assert_eq!(search_query(&one), r#"au:"Kaiming He""#);
    assert_eq!(
        url(&one),
        format!("/api/query?search_query=au%3A%22Kaiming%20He%22{TAIL}")
    );
    let two = topic(&[], &[], &["Kaiming He", "Fei-Fei Li"], &[]);
    assert_eq!(
        url(&two),
        format!(
            "/api/query?search_query=au%3A%22Kaiming%20He%22%20OR%20au%3A%22Fei-Fei%20Li%22{TAIL}"
        )
    );
}

#[test]
fn phrases_and_authors_are_or_ed() {
    let t = topic(
        &["Video Anomaly Detection", "VAD"],
        &[],
        &["Kaiming He"],
        &[],
    );
    assert_eq!(
        search_query(&t),
        r#"(ti:"Video Anomaly Detection" OR abs:"Video Anomaly Detection") OR (ti:"VAD" AND abs:"VAD") OR au:"Kaiming He""#
    );
    assert_eq!(
        url(&t),
        format!("/api/query?search_query=%28ti%3A%22Video%20Anomaly%20Detection%22%20OR%20abs%3A%22Video%20Anomaly%20Detection%22%29%20OR%20%28ti%3A%22VAD%22%20AND%20abs%3A%22VAD%22%29%20OR%20au%3A%22Kaiming%20He%22{TAIL}")
    );
}

#[test]
fn categories_are_or_ed_and_and_ed_with_the_phrases() {
    let t = topic(
        &["Video Anomaly Detection", "VAD"],
        &[],
        &[],
        &["cs.CV", "eess.IV"],
    );
    assert_eq!(
        search_query(&t),
        r#"((ti:"Video Anomaly Detection" OR abs:"Video Anomaly Detection") OR (ti:"VAD" AND abs:"VAD")) AND (cat:cs.CV OR cat:eess.IV)"#
    );
    assert_eq!(
        url(&t),
        format!("/api/query?search_query=%28%28ti%3A%22Video%20Anomaly%20Detection%22%20OR%20abs%3A%22Video%20Anomaly%20Detection%22%29%20OR%20%28ti%3A%22VAD%22%20AND%20abs%3A%22VAD%22%29%29%20AND%20%28cat%3Acs.CV%20OR%20cat%3Aeess.IV%29{TAIL}")
    );
}

#[test]
fn an_archive_is_every_category_in_it_and_an_archive_without_any_is_itself() {
    let cs = topic(&["graph neural network"], &[], &[], &["cs"]);
    assert_eq!(
        search_query(&cs),
        r#"(ti:"graph neural network" OR abs:"graph neural network") AND cat:cs.*"#
    );
    assert_eq!(
        url(&cs),
        format!("/api/query?search_query=%28ti%3A%22graph%20neural%20network%22%20OR%20abs%3A%22graph%20neural%20network%22%29%20AND%20cat%3Acs.%2A{TAIL}")
    );
    let quantum = topic(&["error correction"], &[], &[], &["quant-ph"]);
    assert_eq!(
        search_query(&quantum),
        r#"(ti:"error correction" OR abs:"error correction") AND cat:quant-ph"#
    );
}

#[test]
fn all_fields_together() {
    let t = topic(
        &["Video Anomaly Detection", "VAD"],
        &["medical"],
        &["Kaiming He"],
        &["cs.CV", "cs.LG"],
    );
    assert_eq!(
        search_query(&t),
        r#"(((ti:"Video Anomaly Detection" OR abs:"Video Anomaly Detection") OR (ti:"VAD" AND abs:"VAD") OR au:"Kaiming He") AND (cat:cs.CV OR cat:cs.LG)) ANDNOT (ti:"medical" OR abs:"medical")"#
    );
    let options = QueryOptions {
        sort_by: SortBy::Relevance,
        max_results: MaxResults::new(50).unwrap(),
    };
    assert_eq!(
        topic_query_url("https://example.org/api/query", &t, &options).unwrap(),
        "https://example.org/api/query?search_query=%28%28%28ti%3A%22Video%20Anomaly%20Detection%22%20OR%20abs%3A%22Video%20Anomaly%20Detection%22%29%20OR%20%28ti%3A%22VAD%22%20AND%20abs%3A%22VAD%22%29%20OR%20au%3A%22Kaiming%20He%22%29%20AND%20%28cat%3Acs.CV%20OR%20cat%3Acs.LG%29%29%20ANDNOT%20%28ti%3A%22medical%22%20OR%20abs%3A%22medical%22%29&max_results=50&sortBy=relevance&sortOrder=descending"
    );
}

#[test]
fn quotes_backslashes_and_non_ascii_are_handled_as_for_a_keyword() {
    // Quotes and backslashes separate words (they cannot be escaped through arXiv's API);
    // everything else reaches arXiv as UTF-8, percent-encoded.
    let t = topic(
        &["\"BERT\"", "été 東京 a\"b back\\slash"],
        &["\"naïve\""],
        &[],
        &[],
    );
    assert_eq!(
        search_query(&t),
        r#"((ti:"BERT" AND abs:"BERT") OR (ti:"été 東京 a b back slash" OR abs:"été 東京 a b back slash")) ANDNOT (ti:"naïve" OR abs:"naïve")"#
    );
    assert_eq!(
        url(&t),
        format!("/api/query?search_query=%28%28ti%3A%22BERT%22%20AND%20abs%3A%22BERT%22%29%20OR%20%28ti%3A%22%C3%A9t%C3%A9%20%E6%9D%B1%E4%BA%AC%20a%20b%20back%20slash%22%20OR%20abs%3A%22%C3%A9t%C3%A9%20%E6%9D%B1%E4%BA%AC%20a%20b%20back%20slash%22%29%29%20ANDNOT%20%28ti%3A%22na%C3%AFve%22%20OR%20abs%3A%22na%C3%AFve%22%29{TAIL}")
    );
    // An author's name goes through the same rule.
    let author = topic(&[], &[], &["O\"Brien \\ Zoë"], &[]);
    assert_eq!(search_query(&author), r#"au:"O Brien Zoë""#);
}

#[test]
fn a_search_longer_than_the_endpoint_accepts_is_refused_with_a_message() {
    // Five one-word phrases of 100 letters: each `(ti:"…" AND abs:"…")` is 218 characters, and
    // with four ` OR ` the search is 1106 characters (1235 bytes once encoded, with
    // `search_query=`).
    let long: Vec<String> = (0..5).map(|i| format!("{}{i}", "a".repeat(99))).collect();
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    let error = Topic::new(parts("Long", &long, &[], &[], &[])).unwrap_err();
    assert_eq!(
        error,
        TopicError::QueryTooLong(QueryTooLong {
            chars: 1106,
            encoded_bytes: 1235
        })
    );
    assert_eq!(error.field(), TopicField::Phrases);
    assert_eq!(
        error.to_string(),
        "This topic's search is 1106 characters long; at most 1000 can be sent. Remove some phrases, exclusions or authors."
    );
    // Four of them fit: 4 × 218 + 3 × 4 = 884 characters.
    let fits = Topic::new(parts("Long", &long[..4], &[], &[], &[])).unwrap();
    assert_eq!(search_query(&fits).chars().count(), 884);

    // The endpoint counts characters of the decoded value: 1000 pass, 1001 do not.
    assert_eq!(MAX_SEARCH_QUERY_CHARS, 1000);
    assert!(check_length(&"a".repeat(1000)).is_ok());
    assert!(check_length(&"é".repeat(1000)).is_ok());
    assert!(check_length(&"a".repeat(1001)).is_err());
}

#[test]
fn a_search_too_long_once_encoded_is_refused_too() {
    // Two one-word phrases of 200 emoji: 840 characters, but each emoji is 12 bytes encoded, so
    // the query string would be 9697 bytes, above the endpoint's 8192.
    let rockets = "🚀".repeat(200);
    let cars = "🚗".repeat(200);
    let error = Topic::new(parts("Emoji", &[&rockets, &cars], &[], &[], &[])).unwrap_err();
    assert_eq!(
        error,
        TopicError::QueryTooLong(QueryTooLong {
            chars: 840,
            encoded_bytes: 9697
        })
    );
    assert!(error.to_string().contains("9697 bytes"), "{error}");
    assert_eq!(MAX_QUERY_STRING_BYTES, 8192);
    // One of them is today's keyword query, which always fits.
    let one = Topic::from_phrase(&rockets).unwrap();
    assert!(url(&one).len() < MAX_QUERY_STRING_BYTES);
}

#[test]
fn the_url_is_refused_when_the_endpoints_own_parameters_leave_no_room() {
    let t = topic(&["Video Anomaly Detection", "VAD"], &[], &[], &[]);
    let endpoint = format!("/api/query?key={}", "k".repeat(8000));
    let error = topic_query_url(&endpoint, &t, &QueryOptions::default()).unwrap_err();
    assert!(error.encoded_bytes > MAX_QUERY_STRING_BYTES, "{error:?}");
    assert!(topic_query_url("/api/query?key=k", &t, &QueryOptions::default()).is_ok());
}
