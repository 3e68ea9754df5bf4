//! `/api/query` against a fake arXiv that counts and times requests: one call for many identical
//! questions, spaced calls for different ones, no call for a refused one, and clear answers
//! when arXiv fails.

mod common;

use std::time::Duration;

use common::{
    header, query, settings, until, FakeArxiv, Reply, TestServer, ARXIV_ERROR, ATOM, FEED,
    SERVED_ATOM,
};

const SPACING: Duration = Duration::from_millis(200);

/// A server in front of `fake`, spacing upstream calls by 200 ms, plus extra flags.
async fn server_for(fake: &FakeArxiv, extra: &[&str]) -> TestServer {
    let url = fake.url();
    let mut args = vec!["--upstream", url.as_str(), "--spacing-ms", "200"];
    args.extend_from_slice(extra);
    TestServer::start(settings(&args)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_identical_requests_make_one_upstream_call() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &[]).await;
    fake.close_gate();
    let requests: Vec<_> = (0..50)
        .map(|_| {
            let (client, url) = (server.client.clone(), server.url(&query(1)));
            tokio::spawn(async move { client.get(url).send().await.unwrap() })
        })
        .collect();
    // All fifty are waiting on the one call the fake is holding back (which may still be on
    // its way to the fake when the fiftieth request is counted as waiting).
    until("all 50 requests wait on an upstream call", || {
        server.proxy.requests_waiting() == 50 && fake.arrived() > 0
    })
    .await;
    assert_eq!(fake.arrived(), 1);
    fake.open_gate();
    for request in requests {
        let response = request.await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "x-cache"), Some("MISS"));
        assert_eq!(response.bytes().await.unwrap(), FEED);
    }
    assert_eq!(fake.calls().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_distinct_queries_are_called_one_at_a_time_and_spaced() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &[]).await;
    let requests: Vec<_> = (0..10)
        .map(|n| {
            let (client, url) = (server.client.clone(), server.url(&query(n)));
            tokio::spawn(async move { client.get(url).send().await.unwrap() })
        })
        .collect();
    for request in requests {
        let response = request.await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "x-cache"), Some("MISS"));
    }
    let calls = fake.calls();
    assert_eq!(calls.len(), 10);
    assert_eq!(fake.max_active(), 1, "upstream requests overlapped");
    for pair in calls.windows(2) {
        let gap = pair[1].started.saturating_duration_since(pair[0].ended);
        assert!(pair[1].started >= pair[0].ended, "calls overlap");
        assert!(gap >= SPACING, "only {gap:?} between upstream calls");
    }
    let mut queries: Vec<&str> = calls.iter().map(|call| call.query.as_str()).collect();
    queries.sort();
    queries.dedup();
    assert_eq!(queries.len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_query_is_a_cache_hit_whatever_the_parameter_order() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &[]).await;
    let first = server
        .get("/api/query?search_query=all%3Aelectron&max_results=10&start=0")
        .await;
    assert_eq!(first.status(), 200);
    assert_eq!(header(&first, "x-cache"), Some("MISS"));
    assert_eq!(
        header(&first, "cache-control"),
        Some("public, max-age=3600")
    );
    assert_eq!(header(&first, "content-type"), Some(SERVED_ATOM));
    let second = server
        .get("/api/query?start=00&max_results=10&search_query=all:electron")
        .await;
    assert_eq!(second.status(), 200);
    assert_eq!(header(&second, "x-cache"), Some("HIT"));
    let max_age: u64 = header(&second, "cache-control")
        .unwrap()
        .trim_start_matches("public, max-age=")
        .parse()
        .unwrap();
    assert!((3590..=3600).contains(&max_age), "{max_age}");
    assert!(header(&second, "age").is_some());
    assert_eq!(second.bytes().await.unwrap(), FEED);
    let calls = fake.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].query,
        "max_results=10&search_query=all%3Aelectron&start=0"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_user_agent_says_who_is_asking() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &["--contact", "https://example.org/ops"]).await;
    assert_eq!(server.get(&query(1)).await.status(), 200);
    let agent = &fake.calls()[0].user_agent;
    assert!(agent.starts_with("daily-papers-server/"), "{agent}");
    assert!(agent.contains("https://example.org/ops"), "{agent}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parameters_outside_the_list_or_bounds_are_refused_without_an_upstream_call() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &[]).await;
    for (path, mentions) in [
        (
            "/api/query?search_query=a&url=http%3A%2F%2Fexample.org",
            "`url`",
        ),
        ("/api/query?search_query=a&max_results=5000", "max_results"),
        ("/api/query?search_query=a&max_results=0", "max_results"),
        ("/api/query?search_query=a&start=-1", "start"),
        ("/api/query?search_query=a&sortBy=random", "sortBy"),
        ("/api/query?search_query=a&sortOrder=up", "sortOrder"),
        ("/api/query?search_query=a&search_query=b", "search_query"),
        ("/api/query", "search_query"),
    ] {
        let response = server.get(path).await;
        assert_eq!(response.status(), 400, "{path}");
        assert_eq!(
            header(&response, "content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(header(&response, "x-cache"), None);
        let reason = response.text().await.unwrap();
        assert!(reason.contains(mentions), "{path}: {reason}");
    }
    let long = format!("/api/query?search_query={}", "a".repeat(1001));
    assert_eq!(server.get(&long).await.status(), 400);
    assert_eq!(fake.arrived(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_methods_are_not_allowed() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &[]).await;
    for method in [
        reqwest::Method::POST,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let response = server
            .client
            .request(method.clone(), server.url(&query(1)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method}");
    }
    assert_eq!(fake.arrived(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_upstream_is_a_502() {
    // A port that was just free: nothing listens there.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let upstream = format!("http://{closed}/api/query");
    let server = TestServer::start(settings(&["--upstream", &upstream, "--spacing-ms", "0"])).await;
    let response = server.get(&query(1)).await;
    assert_eq!(response.status(), 502);
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    let reason = response.text().await.unwrap();
    assert!(reason.contains("cannot be reached"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_upstream_goes_down_the_stale_answer_is_served_marked() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    // A lifetime of zero makes every cached answer stale at once.
    let server = server_for(&fake, &["--cache-ttl-secs", "0"]).await;
    let fresh = server.get(&query(1)).await;
    assert_eq!(header(&fresh, "x-cache"), Some("MISS"));
    fake.stop().await;
    let stale = server.get(&query(1)).await;
    assert_eq!(stale.status(), 200);
    assert_eq!(header(&stale, "x-cache"), Some("STALE"));
    assert_eq!(header(&stale, "cache-control"), Some("no-store"));
    assert!(header(&stale, "warning").unwrap().starts_with("110"));
    assert_eq!(stale.bytes().await.unwrap(), FEED);
    // A query never answered before has nothing stale to fall back on.
    assert_eq!(server.get(&query(2)).await.status(), 502);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_answer_also_covers_a_busy_upstream() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &["--cache-ttl-secs", "0"]).await;
    assert_eq!(
        header(&server.get(&query(1)).await, "x-cache"),
        Some("MISS")
    );
    fake.set_reply(Reply::Answer {
        status: 503,
        content_type: "text/html",
        body: b"<html>busy</html>".to_vec(),
        retry_after: Some("1"),
    });
    let stale = server.get(&query(1)).await;
    assert_eq!(stale.status(), 200);
    assert_eq!(header(&stale, "x-cache"), Some("STALE"));
    assert_eq!(fake.arrived(), 2);
}

/// One request against a fresh fake that answers `reply`; returns the response.
async fn answer_to(reply: Reply) -> reqwest::Response {
    let fake = FakeArxiv::start(reply).await;
    let server = server_for(&fake, &[]).await;
    let response = server.get(&query(1)).await;
    assert_eq!(fake.arrived(), 1);
    response
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limiting_upstream_becomes_503_with_its_retry_after() {
    let response = answer_to(Reply::Answer {
        status: 429,
        content_type: "text/plain",
        body: b"Rate exceeded.".to_vec(),
        retry_after: Some("7"),
    })
    .await;
    assert_eq!(response.status(), 503);
    assert_eq!(header(&response, "retry-after"), Some("7"));
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    assert!(response.text().await.unwrap().contains("busy"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overloaded_upstream_page_becomes_503_with_a_retry_after() {
    let response = answer_to(Reply::Answer {
        status: 503,
        content_type: "text/html",
        body: b"<!DOCTYPE html><html><body>Service Unavailable</body></html>".to_vec(),
        retry_after: None,
    })
    .await;
    assert_eq!(response.status(), 503);
    assert_eq!(header(&response, "retry-after"), Some("30"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_page_instead_of_a_feed_is_a_502() {
    let response = answer_to(Reply::Answer {
        status: 200,
        content_type: "text/html; charset=utf-8",
        body: b"<!DOCTYPE html><html><body>Maintenance</body></html>".to_vec(),
        retry_after: None,
    })
    .await;
    assert_eq!(response.status(), 502);
    assert!(response.text().await.unwrap().contains("not a feed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_server_error_is_a_502() {
    let response = answer_to(Reply::Answer {
        status: 500,
        content_type: "text/plain",
        body: b"Internal Server Error".to_vec(),
        retry_after: None,
    })
    .await;
    assert_eq!(response.status(), 502);
    assert!(response.text().await.unwrap().contains("HTTP 500"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arxivs_error_entry_passes_through_unchanged_and_is_cached_briefly() {
    let fake = FakeArxiv::start(Reply::Answer {
        status: 400,
        content_type: ATOM,
        body: ARXIV_ERROR.to_vec(),
        retry_after: None,
    })
    .await;
    let server = server_for(&fake, &[]).await;
    let path = "/api/query?search_query=&id_list=abc&sortBy=relevance&sortOrder=descending&start=0&max_results=100";
    let response = server.get(path).await;
    assert_eq!(response.status(), 400);
    assert_eq!(header(&response, "content-type"), Some(SERVED_ATOM));
    assert_eq!(header(&response, "x-cache"), Some("MISS"));
    assert_eq!(
        header(&response, "cache-control"),
        Some("public, max-age=600")
    );
    assert_eq!(response.bytes().await.unwrap(), ARXIV_ERROR);
    let again = server.get(path).await;
    assert_eq!(again.status(), 400);
    assert_eq!(header(&again, "x-cache"), Some("HIT"));
    assert_eq!(again.bytes().await.unwrap(), ARXIV_ERROR);
    assert_eq!(fake.arrived(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_never_answers_is_a_504() {
    let fake = FakeArxiv::start(Reply::Hang).await;
    let url = fake.url();
    let mut settings = settings(&["--upstream", &url, "--spacing-ms", "0"]);
    settings.upstream_timeout = Duration::from_millis(300);
    let server = TestServer::start(settings).await;
    let response = server.get(&query(1)).await;
    assert_eq!(response.status(), 504);
    assert!(response.text().await.unwrap().contains("did not answer"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_is_a_503_with_retry_after() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &["--queue", "1"]).await;
    fake.close_gate();
    let send = |n: usize| {
        let (client, url) = (server.client.clone(), server.url(&query(n)));
        tokio::spawn(async move { client.get(url).send().await.unwrap() })
    };
    let running = send(1);
    until("the first query reaches upstream", || fake.arrived() == 1).await;
    // One place in the line, two more distinct queries: one waits, the other is turned away.
    let (mut second, mut third) = (send(2), send(3));
    let (refused, waiting) = tokio::select! {
        done = &mut second => (done.unwrap(), third),
        done = &mut third => (done.unwrap(), second),
    };
    assert_eq!(refused.status(), 503);
    // No request has finished yet, so the running one is counted as ending now, then 200 ms of
    // spacing, then the waiting one (the last request's length, none yet, plus 200 ms): 1 s
    // rounded up.
    let retry_after: u64 = header(&refused, "retry-after").unwrap().parse().unwrap();
    assert_eq!(retry_after, 1);
    assert!(refused.text().await.unwrap().contains("too many"));
    fake.open_gate();
    assert_eq!(running.await.unwrap().status(), 200);
    assert_eq!(waiting.await.unwrap().status(), 200);
    assert_eq!(fake.calls().len(), 2);
}

/// A client whose requests leave from `ip` (127.0.0.2, 127.0.0.3 …: all loopback on Linux), so
/// the server sees different client addresses.
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(Some(ip.parse().unwrap()))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_holds_at_most_its_share_of_the_line_and_others_still_get_in() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &["--queue", "10", "--queue-share-per-client", "2"]).await;
    fake.close_gate();
    let send = |client: &reqwest::Client, n: usize| {
        let (client, url) = (client.clone(), server.url(&query(n)));
        tokio::spawn(async move { client.get(url).send().await.unwrap() })
    };
    let (greedy, other) = (client_from("127.0.0.2"), client_from("127.0.0.3"));
    // The greedy client's first two queries take its two places: one upstream, one waiting.
    let first = send(&greedy, 1);
    until("its first query reaches upstream", || fake.arrived() == 1).await;
    let second = send(&greedy, 2);
    until("its second query waits", || server.proxy.requests_waiting() == 2).await;
    // A third different query (as if varying `start`) is past its share: refused at once,
    // though eight places of the line are free.
    let refused = send(&greedy, 3).await.unwrap();
    assert_eq!(refused.status(), 503);
    let retry_after: u64 = header(&refused, "retry-after").unwrap().parse().unwrap();
    assert!(retry_after >= 1);
    let why = refused.text().await.unwrap();
    assert!(why.contains("your address already has 2 different queries"), "{why}");
    // Another address still gets in, behind them.
    let others = send(&other, 4);
    until("the other client's query waits", || server.proxy.requests_waiting() == 3).await;
    fake.open_gate();
    for request in [first, second, others] {
        assert_eq!(request.await.unwrap().status(), 200);
    }
    // Its places given back, the greedy client is served again.
    assert_eq!(send(&greedy, 3).await.unwrap().status(), 200);
    assert_eq!(fake.calls().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_health_check_answers_without_upstream() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &[]).await;
    let response = server.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(fake.arrived(), 0);
    // Without --dist there is no page, and the answer says why.
    let page = server.get("/").await;
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("--dist"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_query_the_app_builds_is_accepted_and_reaches_upstream_intact() {
    use daily_papers_core::arxiv::query::{query_url, search_query, MaxResults, QueryOptions, SortBy};
    use daily_papers_core::topics::keyword::{Keyword, MAX_KEYWORD_CHARS};

    let fake = FakeArxiv::start(Reply::Feed).await;
    let url = fake.url();
    let server = TestServer::start(settings(&["--upstream", &url, "--spacing-ms", "0"])).await;
    let longest_emoji = "🚀".repeat(MAX_KEYWORD_CHARS);
    let longest_words = "ab ".repeat(MAX_KEYWORD_CHARS / 3);
    let keywords = [
        "graph neural networks",
        "BERT",
        "C++ & C# #1",
        "100% recall: a/b (c) + d=e?",
        "été 東京 \"quoted\" back\\slash",
        longest_emoji.as_str(),
        longest_words.as_str(),
    ];
    let options = [
        QueryOptions::default(),
        QueryOptions {
            sort_by: SortBy::Relevance,
            max_results: MaxResults::new(2000).unwrap(),
        },
        QueryOptions {
            sort_by: SortBy::SubmittedDate,
            max_results: MaxResults::new(1).unwrap(),
        },
    ];
    for raw in keywords {
        let keyword = Keyword::parse(raw).unwrap();
        for options in &options {
            let path = query_url("/api/query", &keyword, options);
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
            assert_eq!(value("search_query"), Some(search_query(&keyword)), "{raw}");
            assert_eq!(value("sortBy").as_deref(), Some(options.sort_by.as_str()));
            assert_eq!(
                value("max_results"),
                Some(options.max_results.get().to_string())
            );
            assert_eq!(value("sortOrder").as_deref(), Some("descending"));
        }
    }
    assert_eq!(fake.calls().len(), keywords.len() * options.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_429_the_next_upstream_call_waits_as_long_as_arxiv_asked() {
    let fake = FakeArxiv::start(Reply::Answer {
        status: 429,
        content_type: "text/plain",
        body: b"Rate exceeded.".to_vec(),
        retry_after: Some("1"),
    })
    .await;
    let server = server_for(&fake, &[]).await;
    assert_eq!(server.get(&query(1)).await.status(), 503);
    fake.set_reply(Reply::Feed);
    assert_eq!(server.get(&query(2)).await.status(), 200);
    let calls = fake.calls();
    assert_eq!(calls.len(), 2);
    let gap = calls[1].started.saturating_duration_since(calls[0].ended);
    assert!(
        gap >= Duration::from_secs(1),
        "only {gap:?} after a 429 asking for 1 s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_are_sent_compressed_as_the_browser_accepts() {
    use std::io::Read;

    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &[]).await;
    let get = |accept: &'static str| {
        let (client, url) = (server.client.clone(), server.url(&query(1)));
        async move {
            client
                .get(url)
                .header("accept-encoding", accept)
                .send()
                .await
                .unwrap()
        }
    };
    let plain = get("identity").await;
    assert_eq!(header(&plain, "content-encoding"), None);
    assert!(common::all_values(&plain, "vary").contains("accept-encoding"));
    assert_eq!(plain.bytes().await.unwrap(), FEED);

    let brotli = get("gzip, deflate, br").await;
    assert_eq!(header(&brotli, "x-cache"), Some("HIT"));
    assert_eq!(header(&brotli, "content-encoding"), Some("br"));
    let body = brotli.bytes().await.unwrap();
    assert!(body.len() < FEED.len() / 3);
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, FEED);

    let gzip = get("gzip").await;
    assert_eq!(header(&gzip, "content-encoding"), Some("gzip"));
    let body = gzip.bytes().await.unwrap();
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, FEED);
    assert_eq!(fake.calls().len(), 1);
}
