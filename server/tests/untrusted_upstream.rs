//! The upstream is not trusted beyond its feeds: its redirects are not followed, whatever it calls
//! its answer is sent as Atom that cannot run in the app's origin, a 406 is a pause, and a stuck
//! upstream makes callers wait a bounded time, told how long honestly.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{header, query, settings, until, FakeArxiv, Reply, TestServer, FEED, SERVED_ATOM};

/// A server in front of `fake` with no spacing, plus extra flags.
async fn server_for(fake: &FakeArxiv, extra: &[&str]) -> TestServer {
    let url = fake.url();
    let mut args = vec!["--upstream", url.as_str(), "--spacing-ms", "0"];
    args.extend_from_slice(extra);
    TestServer::start(settings(&args)).await
}

/// A listener that only counts the connections made to it.
async fn counting_listener() -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (addr, count)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_redirect_is_a_502_and_is_not_followed() {
    let (elsewhere, connections) = counting_listener().await;
    for status in [301, 302, 307, 308] {
        let fake = FakeArxiv::start(Reply::Redirect {
            status,
            location: format!("http://{elsewhere}/api/query?search_query=all:x"),
        })
        .await;
        let server = server_for(&fake, &[]).await;
        let response = server.get(&query(1)).await;
        assert_eq!(response.status(), 502, "{status}");
        assert_eq!(header(&response, "x-cache"), None);
        let text = response.text().await.unwrap();
        assert!(
            text.contains("redirect") && text.contains(&status.to_string()),
            "{text}"
        );
        // Nothing was cached: asking again asks upstream again.
        assert_eq!(server.get(&query(1)).await.status(), 502);
        assert_eq!(fake.arrived(), 2);
    }
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "the redirect target saw no connection"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_loop_makes_one_upstream_request() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    fake.set_reply(Reply::Redirect {
        status: 302,
        location: fake.url() + "?search_query=all:loop",
    });
    let server = server_for(&fake, &[]).await;
    assert_eq!(server.get(&query(1)).await.status(), 502);
    assert_eq!(fake.arrived(), 1);
}

const SVG_WITH_SCRIPT: &[u8] = br#"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whatever_upstream_calls_its_answer_it_is_sent_as_atom_that_cannot_run() {
    for content_type in ["image/svg+xml", "application/xml", "text/xml"] {
        let fake = FakeArxiv::start(Reply::Answer {
            status: 200,
            content_type,
            body: SVG_WITH_SCRIPT.to_vec(),
            retry_after: None,
        })
        .await;
        let server = server_for(&fake, &[]).await;
        for x_cache in ["MISS", "HIT"] {
            let response = server.get(&query(1)).await;
            assert_eq!(response.status(), 200, "{content_type}");
            assert_eq!(header(&response, "x-cache"), Some(x_cache));
            assert_eq!(
                header(&response, "content-type"),
                Some(SERVED_ATOM),
                "{content_type}"
            );
            assert_eq!(
                header(&response, "content-security-policy"),
                Some("default-src 'none'; sandbox")
            );
            assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
            assert_eq!(response.bytes().await.unwrap(), SVG_WITH_SCRIPT);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_answers_of_the_endpoint_carry_the_same_policy() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_for(&fake, &[]).await;
    let refused = server.get("/api/query?callback=x").await;
    assert_eq!(refused.status(), 400);
    assert_eq!(
        header(&refused, "content-security-policy"),
        Some("default-src 'none'; sandbox")
    );
    assert_eq!(header(&refused, "x-content-type-options"), Some("nosniff"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_requests_accept_atom_and_get_the_feed() {
    let fake = FakeArxiv::start(Reply::FeedIfAcceptingAtom).await;
    let server = server_for(&fake, &[]).await;
    let response = server.get(&query(1)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap(), FEED);
    assert_eq!(fake.calls()[0].accept, "application/atom+xml");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_406_is_a_busy_upstream_503_and_the_next_call_waits() {
    let fake = FakeArxiv::start(Reply::Answer {
        status: 406,
        content_type: "text/html",
        body: b"<html>Not Acceptable</html>".to_vec(),
        retry_after: None,
    })
    .await;
    let server = server_for(&fake, &["--max-wait-secs", "10"]).await;
    let response = server.get(&query(1)).await;
    assert_eq!(response.status(), 503);
    assert_eq!(
        header(&response, "retry-after"),
        Some("30"),
        "no Retry-After from upstream: the default pause"
    );
    assert!(response.text().await.unwrap().contains("HTTP 406"));
    // The pause holds for everyone: another query would wait 30 s, longer than the 10 s allowed,
    // so it is refused at once, told about the pause, and makes no upstream call.
    let next = server.get(&query(2)).await;
    assert_eq!(fake.arrived(), 1, "no upstream call during the pause");
    assert_eq!(next.status(), 503);
    let retry_after: u64 = header(&next, "retry-after").unwrap().parse().unwrap();
    assert!((29..=30).contains(&retry_after), "{retry_after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_behind_a_stuck_upstream_is_refused_when_its_wait_reaches_the_limit() {
    let fake = FakeArxiv::start(Reply::Hang).await;
    let server = server_for(
        &fake,
        &["--upstream-timeout-secs", "20", "--max-wait-secs", "5"],
    )
    .await;
    let stuck = {
        let (client, url) = (server.client.clone(), server.url(&query(1)));
        tokio::spawn(async move { client.get(url).send().await.unwrap() })
    };
    until("the first query reaches upstream", || fake.arrived() == 1).await;
    // Nothing says the request in progress is stuck, so the next query is let in (counting the
    // request in progress at its whole 20 s timeout would refuse nearly every query behind it);
    // it is refused once its own wait reaches the 5 s limit, long before the 20 s timeout.
    let refused = server.get(&query(2)).await;
    assert_eq!(refused.status(), 503);
    assert!(
        !stuck.is_finished(),
        "refused while the stuck request is still waiting"
    );
    let retry_after: u64 = header(&refused, "retry-after").unwrap().parse().unwrap();
    assert!(retry_after >= 1, "{retry_after}");
    let text = refused.text().await.unwrap();
    assert!(text.contains("more than 5 s"), "{text}");
    assert_eq!(
        fake.arrived(),
        1,
        "the refused query never reached upstream"
    );
    stuck.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_query_joins_the_stuck_request_instead_of_being_refused() {
    let fake = FakeArxiv::start(Reply::Hang).await;
    let server = server_for(
        &fake,
        &["--upstream-timeout-secs", "20", "--max-wait-secs", "5"],
    )
    .await;
    let send = || {
        let (client, url) = (server.client.clone(), server.url(&query(1)));
        tokio::spawn(async move { client.get(url).send().await.unwrap() })
    };
    let first = send();
    until("the first query reaches upstream", || fake.arrived() == 1).await;
    let second = send();
    until("both wait for the one upstream call", || {
        server.proxy.requests_waiting() == 2
    })
    .await;
    assert!(!first.is_finished() && !second.is_finished());
    first.abort();
    second.abort();
}
