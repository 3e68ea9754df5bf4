//! Every query the app compiles from a topic (issue 9, point 9) passes `/api/query`'s parameter
//! checks and reaches arXiv with the same `search_query` the core compiled: phrases, exclusions,
//! authors, categories, quotes and non-ASCII, and the longest searches the core lets through.

mod common;

use common::{settings, FakeArxiv, Reply, TestServer};
use daily_papers_core::arxiv::query::{MaxResults, QueryOptions, SortBy};
use daily_papers_core::arxiv::topic_query::{
    check_length, search_query, topic_query_url, MAX_QUERY_STRING_BYTES, MAX_SEARCH_QUERY_CHARS,
};
use daily_papers_core::topics::{Topic, TopicParts};
use daily_papers_server::query_params::{MAX_RAW_QUERY_BYTES, MAX_SEARCH_QUERY_CHARS as SERVER};

fn topic(
    phrases: &[&str],
    exclude: &[&str],
    authors: &[&str],
    categories: &[&str],
) -> Result<Topic, daily_papers_core::topics::TopicError> {
    let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
    Topic::new(TopicParts {
        name: "Topic".to_owned(),
        phrases: strings(phrases),
        exclude: strings(exclude),
        authors: strings(authors),
        categories: strings(categories),
    })
}

/// The longest topic of a shape the core accepts: `make(n)` for the largest `n` that is not
/// refused (the core refuses what the endpoint would refuse).
fn longest_accepted(
    make: impl Fn(usize) -> Result<Topic, daily_papers_core::topics::TopicError>,
) -> Topic {
    (1..=200)
        .rev()
        .find_map(|n| make(n).ok())
        .expect("some size fits")
}

/// The options that make the longest URL.
fn options_max() -> QueryOptions {
    QueryOptions {
        sort_by: SortBy::LastUpdatedDate,
        max_results: MaxResults::new(2000).unwrap(),
    }
}

#[test]
fn the_core_refuses_exactly_what_the_endpoint_refuses() {
    assert_eq!(MAX_SEARCH_QUERY_CHARS, SERVER);
    assert_eq!(MAX_QUERY_STRING_BYTES, MAX_RAW_QUERY_BYTES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_compiled_topic_is_accepted_and_reaches_upstream_intact() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let url = fake.url();
    let server = TestServer::start(settings(&["--upstream", &url, "--spacing-ms", "0"])).await;

    let vad = ["Video Anomaly Detection", "VAD", "abnormal event detection"];
    let hundred: Vec<String> = (0..4).map(|i| format!("{}{i}", "a".repeat(99))).collect();
    let hundred: Vec<&str> = hundred.iter().map(String::as_str).collect();
    let mut topics = vec![
        Topic::from_phrase("Video Anomaly Detection").unwrap(),
        Topic::from_phrase("BERT").unwrap(),
        topic(&vad, &[], &[], &[]).unwrap(),
        topic(&vad[..1], &["medical", "X-ray imaging"], &[], &[]).unwrap(),
        topic(&[], &[], &["Kaiming He"], &[]).unwrap(),
        topic(&[], &[], &["Kaiming He", "Fei-Fei Li"], &[]).unwrap(),
        topic(&vad[..2], &[], &["Kaiming He"], &[]).unwrap(),
        topic(&vad[..2], &[], &[], &["cs.CV", "eess.IV"]).unwrap(),
        topic(&["graph neural network"], &[], &[], &["cs"]).unwrap(),
        topic(
            &["error correction"],
            &[],
            &[],
            &["quant-ph", "cond-mat.str-el"],
        )
        .unwrap(),
        topic(
            &vad[..2],
            &["medical"],
            &["Kaiming He"],
            &["cs.CV", "cs.LG"],
        )
        .unwrap(),
        topic(
            &[
                "\"BERT\"",
                "été 東京 a\"b back\\slash",
                "C++ & C# #1",
                "100% recall: a/b (c) + d=e?",
            ],
            &["\"naïve\""],
            &["O'Brien, Zoë"],
            &["physics.optics"],
        )
        .unwrap(),
        topic(&hundred, &[], &[], &[]).unwrap(),
    ];
    // The longest searches the core lets through, in characters and in encoded bytes.
    topics.push(longest_accepted(|n| {
        topic(&hundred, &[], &[&"b".repeat(n)], &[])
    }));
    topics.push(longest_accepted(|n| {
        topic(&[&"🚀".repeat(n), &"🚗".repeat(n)], &[], &[], &[])
    }));
    let longest_chars = search_query(&topics[topics.len() - 2]).chars().count();
    assert!((990..=1000).contains(&longest_chars), "{longest_chars}");
    let longest_url = topic_query_url("/api/query", &topics[topics.len() - 1], &options_max());
    let longest_bytes = longest_url.unwrap().len() - "/api/query?".len();
    assert!(
        (7900..=MAX_RAW_QUERY_BYTES).contains(&longest_bytes),
        "{longest_bytes}"
    );

    let options = [QueryOptions::default(), options_max()];
    for topic in &topics {
        for options in &options {
            let path = topic_query_url("/api/query", topic, options).unwrap();
            let response = server.get(&path).await;
            assert_eq!(
                response.status(),
                200,
                "{path}: {}",
                response.text().await.unwrap()
            );
            let calls = fake.calls();
            let sent = &calls.last().unwrap().query;
            let forwarded: Vec<(String, String)> = form_urlencoded::parse(sent.as_bytes())
                .into_owned()
                .collect();
            let value = |name: &str| {
                forwarded
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            };
            assert_eq!(value("search_query"), Some(search_query(topic)), "{path}");
            assert_eq!(value("sortBy").as_deref(), Some(options.sort_by.as_str()));
            assert_eq!(
                value("max_results"),
                Some(options.max_results.get().to_string())
            );
        }
    }
    assert_eq!(fake.calls().len(), topics.len() * options.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_character_more_than_the_core_allows_is_what_the_endpoint_refuses() {
    // The core's bound is the endpoint's: a search one character past it is refused there too,
    // without an upstream call.
    let fake = FakeArxiv::start(Reply::Feed).await;
    let url = fake.url();
    let server = TestServer::start(settings(&["--upstream", &url, "--spacing-ms", "0"])).await;
    let name = "b".repeat(MAX_SEARCH_QUERY_CHARS - 4);
    let decoded = format!("au:\"{name}\"");
    assert_eq!(decoded.chars().count(), MAX_SEARCH_QUERY_CHARS + 1);
    assert!(check_length(&decoded).is_err());
    assert!(check_length(&decoded[1..]).is_ok());
    let response = server
        .get(&format!("/api/query?search_query=au%3A%22{name}%22"))
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(fake.calls().len(), 0);
}
