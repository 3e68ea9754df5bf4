//! What the cache may call fresh: an empty feed (arXiv sends one by mistake now and then) is
//! never served from the cache, so the app's retry and its "Check again" reach arXiv.

mod common;

use common::{header, query, settings, FakeArxiv, Reply, TestServer, ATOM, FEED};

const EMPTY: &[u8] = include_bytes!("../../core/tests/fixtures/arxiv/empty-result.xml");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_answer_is_asked_again_and_not_kept_by_the_browser() {
    let fake = FakeArxiv::start(Reply::Answer {
        status: 200,
        content_type: ATOM,
        body: EMPTY.to_vec(),
        retry_after: None,
    })
    .await;
    let url = fake.url();
    let server = TestServer::start(settings(&[
        "--upstream",
        url.as_str(),
        "--spacing-ms",
        "200",
    ]))
    .await;

    let first = server.get(&query(1)).await;
    assert_eq!(first.status(), 200);
    let cache_control = header(&first, "cache-control")
        .unwrap_or_default()
        .to_owned();
    assert!(
        !cache_control.contains("max-age"),
        "an empty answer told the browser to keep it: {cache_control}"
    );
    assert_eq!(first.bytes().await.unwrap(), EMPTY);

    // arXiv has the papers now: the same query asked again gets them.
    fake.set_reply(Reply::Feed);
    let second = server.get(&query(1)).await;
    assert_eq!(header(&second, "x-cache"), Some("MISS"));
    assert_eq!(second.bytes().await.unwrap(), FEED);
    assert_eq!(fake.calls().len(), 2);

    // A feed with papers is kept as before.
    let third = server.get(&query(1)).await;
    assert_eq!(header(&third, "x-cache"), Some("HIT"));
    assert_eq!(fake.calls().len(), 2);
}
