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

/// The server on a fresh listener with these bounds, in front of a fake arXiv.
async fn bounded_server(fake: &FakeArxiv, max_connections: usize) -> std::net::SocketAddr {
    let url = fake.url();
    let app =
        daily_papers_server::app(&settings(&["--upstream", &url, "--spacing-ms", "0"])).unwrap();
    let listener = http_server::listen("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    let options = http_server::Options {
        max_connections,
        ..app.options
    };
    tokio::spawn(http_server::serve(
        listener,
        app.router,
        options,
        std::future::pending(),
    ));
    addr
}

async fn send_request(stream: &mut tokio::net::TcpStream, path: &str) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_connection_limit_clients_wait_until_a_connection_closes() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let addr = bounded_server(&fake, 2).await;
    let idle_one = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _idle_two = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut third = tokio::net::TcpStream::connect(addr).await.unwrap();
    send_request(&mut third, "/healthz").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut buffer = [0u8; 64];
    assert!(
        matches!(third.try_read(&mut buffer), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "not served while two connections are open"
    );
    drop(idle_one);
    let mut answer = String::new();
    within(
        "the answer after a slot frees",
        third.read_to_string(&mut answer),
    )
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_beyond_the_bound_are_refused() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let addr = bounded_server(&fake, 16).await;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let padding = "x".repeat(http_server::MAX_HEADER_BYTES + 1024);
    let request =
        format!("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: {padding}\r\n\r\n");
    // The server may close before reading all of it; what it answered is what counts.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = within("the refusal", stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    // A normal request on a new connection is still served.
    let mut normal = tokio::net::TcpStream::connect(addr).await.unwrap();
    send_request(&mut normal, "/healthz").await;
    let mut answer = String::new();
    within("the answer", normal.read_to_string(&mut answer))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listen_queue_holds_a_burst_of_1100_connections() {
    // Each connection is a file descriptor of this test process too.
    let _ = rlimit::increase_nofile_limit(4096);
    let listener = http_server::listen("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    // Nothing accepts: every connection must wait in the kernel's queue. With the standard
    // library's 128 the rest would not be able to connect.
    let connects = (0..1100).map(|_| tokio::net::TcpStream::connect(addr));
    let streams = within("1100 connects", futures_join_all(connects)).await;
    assert_eq!(streams.iter().filter(|s| s.is_ok()).count(), 1100);
    drop(listener);
}

/// Runs the futures concurrently and collects their outputs in order.
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::with_capacity(handles.len());
    for handle in handles {
        outputs.push(handle.await.unwrap());
    }
    outputs
}
