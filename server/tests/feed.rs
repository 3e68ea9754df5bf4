//! `GET /feed?list=…`: a shared list's Atom feed from the server's cache. A topic not cached yet
//! is queued as the page would queue it and named in one entry with `Retry-After`, without the
//! feed waiting for arXiv; a cached feed answers `304` to `If-None-Match`; hostile lists get a
//! clear 400 and cost arXiv nothing.

mod common;

use std::time::Duration;

use common::{header, settings, FakeArxiv, Reply, TestServer};
use daily_papers_core::arxiv::parse_feed;
use daily_papers_core::config::Config;
use daily_papers_core::share_link::share_fragment;
use tokio::time::Instant;

/// The `list` of a share link for these topics (one phrase each).
fn list(topics: &[&str]) -> String {
    let topics: Vec<String> = topics
        .iter()
        .map(|t| format!(r#"{{"name": "{t}", "phrases": ["{t}"]}}"#))
        .collect();
    let config = Config::from_json(&format!(
        r#"{{"version": 1, "topics": [{}]}}"#,
        topics.join(",")
    ))
    .unwrap();
    share_fragment(&config)
        .strip_prefix("share=")
        .unwrap()
        .to_owned()
}

async fn server(fake: &FakeArxiv) -> TestServer {
    TestServer::start(settings(&["--upstream", &fake.url(), "--spacing-ms", "0"])).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_comes_from_the_cache_and_a_poll_of_an_unchanged_feed_costs_a_304() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server(&fake).await;
    let path = format!("/feed?list={}", list(&["Testing"]));

    // Not cached yet: answered at once, the topic named in one entry, with Retry-After.
    let first = server.get(&path).await;
    assert_eq!(first.status(), 200);
    assert_eq!(
        header(&first, "content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let retry: u64 = header(&first, "retry-after").unwrap().parse().unwrap();
    assert!((30..=600).contains(&retry));
    assert_eq!(
        header(&first, "cache-control"),
        Some(format!("public, max-age={retry}").as_str())
    );
    let body = first.text().await.unwrap();
    let pending = parse_feed(body.as_bytes()).unwrap().papers;
    assert_eq!(pending.len(), 1, "{body}");
    assert_eq!(pending[0].title, "Not in this feed yet: Testing");

    // The query was queued as the page would queue it; once cached, the feed has the papers.
    let deadline = Instant::now() + Duration::from_secs(10);
    let complete = loop {
        let answer = server.get(&path).await;
        if header(&answer, "retry-after").is_none() {
            break answer;
        }
        assert!(
            Instant::now() < deadline,
            "the topic never reached the cache"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(
        header(&complete, "cache-control"),
        Some("public, max-age=900")
    );
    let etag = header(&complete, "etag").unwrap().to_owned();
    let body = complete.text().await.unwrap();
    let papers = parse_feed(body.as_bytes()).unwrap().papers;
    assert!(papers.len() >= 5, "{body}");
    for paper in &papers {
        assert!(paper.id.starts_with("urn:daily-papers:"), "{}", paper.id);
        assert!(paper.id.ends_with(":Testing"), "{}", paper.id);
        assert_eq!(paper.categories, ["Testing"]);
        assert!(
            paper.abs_link.contains("arxiv.org/abs/"),
            "{}",
            paper.abs_link
        );
    }
    // Newest first.
    let dates: Vec<&str> = papers.iter().map(|p| p.date()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);

    // A reader polling again with its ETag gets 304 and no body; arXiv was asked once in all.
    let again = server
        .client
        .get(server.url(&path))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "etag"), Some(etag.as_str()));
    assert_eq!(header(&again, "cache-control"), Some("public, max-age=900"));
    assert!(again.bytes().await.unwrap().is_empty());
    let other = server
        .client
        .get(server.url(&path))
        .header("If-None-Match", "\"something-else\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    assert_eq!(fake.arrived(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_topic_arxiv_does_not_answer_is_named_in_one_entry_and_the_feed_does_not_wait() {
    let fake = FakeArxiv::start(Reply::Hang).await;
    let server = server(&fake).await;
    let path = format!("/feed?list={}", list(&["Testing", "Fuzzing"]));
    let started = Instant::now();
    for _ in 0..3 {
        let answer = server.get(&path).await;
        assert_eq!(answer.status(), 200);
        assert!(header(&answer, "retry-after").is_some());
        let body = answer.text().await.unwrap();
        let entries = parse_feed(body.as_bytes()).unwrap().papers;
        assert_eq!(entries.len(), 1, "{body}");
        assert_eq!(entries[0].title, "Not in this feed yet: Testing, Fuzzing");
        assert!(entries[0]
            .abstract_text
            .contains("does not make a feed wait for arXiv"));
    }
    // Answered while arXiv hangs, and three polls asked arXiv once per topic at most (one
    // request at a time: the second waits its turn behind the hanging first).
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(fake.arrived() <= 2, "{}", fake.arrived());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_list_gets_a_clear_400_and_costs_arxiv_nothing() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server(&fake).await;
    let many: Vec<String> = (0..101).map(|n| format!("Topic {n}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let not_json = base64_url("<script>alert(1)</script>");
    let cases = [
        ("/feed".to_owned(), "Add the list to follow"),
        ("/feed?list=%%%".to_owned(), "damaged or cut short"),
        (
            format!("/feed?list={not_json}"),
            "does not hold a valid list",
        ),
        (
            format!(
                "/feed?list={}",
                base64_url(r#"{"version": 1, "topics": [{"name": "x", "phrases": []}]}"#)
            ),
            "does not hold a valid list",
        ),
        (
            format!("/feed?list={}", list(&many)),
            "a feed follows at most 100",
        ),
    ];
    for (path, expected) in cases {
        let answer = server.get(&path).await;
        let shown: String = path.chars().take(80).collect();
        assert_eq!(answer.status(), 400, "{shown}");
        let text = answer.text().await.unwrap();
        assert!(text.contains(expected), "{shown}: {text}");
        assert!(!text.contains("<script>"), "{text}");
    }
    // A list longer than any share link: refused by the share link's own bound, or before that
    // by the server's bound on a request's head.
    for length in [16_100, 40_000] {
        let answer = server
            .get(&format!("/feed?list={}", "A".repeat(length)))
            .await;
        let status = answer.status().as_u16();
        assert!(status == 400 || status == 431, "{status}");
        if status == 400 {
            assert!(answer.text().await.unwrap().contains("too long"));
        }
    }
    assert_eq!(fake.arrived(), 0);
}

fn base64_url(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_reader_queues_no_more_than_its_addresss_share_of_the_line() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = TestServer::start(settings(&[
        "--upstream",
        &fake.url(),
        "--spacing-ms",
        "0",
        "--queue-share-per-client",
        "2",
    ]))
    .await;
    fake.close_gate();
    let path = format!("/feed?list={}", list(&["One", "Two", "Three", "Four"]));
    let first = server.get(&path).await;
    assert_eq!(first.status(), 200);
    // Every topic is pending, but only two took a place in the line: one upstream, one waiting.
    let body = first.text().await.unwrap();
    assert!(body.contains("One") && body.contains("Four"), "{body}");
    common::until("one call reaches upstream", || fake.arrived() == 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    fake.open_gate();
    common::until("the two admitted calls end", || fake.calls().len() == 2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(fake.calls().len(), 2, "the others were refused, not queued");
}
