//! Connection handling: slow clients are cut off, and a shutdown lets open requests finish.

mod common;

use std::time::Duration;

use common::{query, settings, until, FakeArxiv, Reply, FEED};
use daily_papers_server::http_server;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Fails the test instead of hanging when something that must end does not.
async fn within<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not happen"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let url = fake.url();
    let app =
        daily_papers_server::app(&settings(&["--upstream", &url, "--spacing-ms", "0"])).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = http_server::Options {
        header_timeout: Duration::from_millis(200),
        ..app.options
    };
    tokio::spawn(http_server::serve(
        listener,
        app.router,
        options,
        std::future::pending(),
    ));
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    let mut rest = Vec::new();
    within("the disconnect", slow.read_to_end(&mut rest))
        .await
        .ok();
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
    assert_eq!(fake.arrived(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_an_open_request_finish() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let url = fake.url();
    let app =
        daily_papers_server::app(&settings(&["--upstream", &url, "--spacing-ms", "0"])).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(daily_papers_server::serve(listener, app, async move {
        let _ = stopped.await;
    }));
    fake.close_gate();
    let request = tokio::spawn(reqwest::get(format!("http://{addr}{}", query(1))));
    until("the query reaches upstream", || fake.arrived() == 1).await;
    stop.send(()).unwrap();
    // New connections are refused once the server stops listening...
    until("the listener closes", || {
        std::net::TcpStream::connect(addr).is_err()
    })
    .await;
    assert!(
        !server.is_finished(),
        "the server waits for the open request"
    );
    // ...while the open request still gets its answer.
    fake.open_gate();
    let response = within("the answer", request).await.unwrap().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap(), FEED);
    within("the server stop", server).await.unwrap().unwrap();
}
