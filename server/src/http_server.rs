//! Accepting connections, with bounds on what each client can hold: a time limit on reading
//! request headers, a size limit on them, a maximum of open connections, and a long listen queue;
//! and a graceful shutdown that lets open requests finish.
//!
//! `axum::serve` has none of these bounds: a client sending its headers a byte at a time could
//! hold a connection for ever, each unfinished header could grow to hyper's 400 KiB buffer, and
//! 1,500 slow clients took 569 MiB. Here a connection holds at most [`MAX_HEADER_BYTES`] of
//! headers for at most the header timeout, and past `max_connections` new clients wait in the
//! kernel's listen queue ([`LISTEN_BACKLOG`]) instead of costing memory.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use tower::ServiceExt as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::Semaphore;

use crate::refusals::Refusals;

/// How long a client may take to send a request's headers (also the first one after connecting,
/// and the next one on a kept-alive connection), by default.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a shutdown waits for open requests (a long upstream wait, say) before leaving anyway.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// The most bytes of request line and headers read per connection; more is a 431. A browser's
/// request for the app is well under 2 KiB.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Connections the kernel queues while the server is not accepting (at the connection limit, or
/// busy); the kernel caps it at `net.core.somaxconn` (4096 on current Linux).
pub const LISTEN_BACKLOG: u32 = 4096;
/// Open connections at most, by default.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;

/// The bounds of [`serve`].
#[derive(Debug, Clone)]
pub struct Options {
    pub header_timeout: Duration,
    pub max_connections: usize,
    /// How often refused connections are summarised in the log.
    pub log_summary_interval: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            header_timeout: HEADER_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            log_summary_interval: crate::refusals::SUMMARY_INTERVAL,
        }
    }
}

/// A listening socket on `addr` with a listen queue of [`LISTEN_BACKLOG`] (the standard
/// library's is 128: under a burst of connections the rest were dropped).
pub fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // As the standard library does: a restart can bind while old connections are in TIME_WAIT.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Serves `router` on `listener` until `shutdown` completes, then waits for open requests.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(options.header_timeout)
        .max_buf_size(MAX_HEADER_BYTES);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(options.max_connections));
    let refusals = Refusals::new("connections", options.log_summary_interval);
    tokio::pin!(shutdown);
    loop {
        // A slot first: at the limit, stop accepting, so new clients wait in the listen queue.
        let slot = match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                refusals.record(
                    "connection limit reached",
                    &format_args!(
                        "{} connections open; new ones wait until one closes",
                        options.max_connections
                    ),
                );
                tokio::select! {
                    slot = Arc::clone(&slots).acquire_owned() => match slot {
                        Ok(slot) => slot,
                        Err(_) => break, // never closed
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Usually out of file descriptors: wait for some to be freed instead of spinning.
                    refusals.record("cannot accept", &error);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small answers (cache hits) should leave at once, not wait for more data to batch.
        let _ = stream.set_nodelay(true);
        // Each request knows its client's address (the per-client share of the upstream line).
        let service = router
            .clone()
            .map_request(move |mut request: axum::extract::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "some requests were still open after {} s; leaving anyway",
            SHUTDOWN_GRACE.as_secs()
        );
    }
    Ok(())
}

/// Raises this process's open-file limit (the soft one, up to the hard one) to fit `connections`
/// plus some room for files and the upstream connection; warns if it cannot.
pub fn fit_file_limit(connections: usize) {
    let wanted = u64::try_from(connections)
        .unwrap_or(u64::MAX)
        .saturating_add(64);
    match rlimit::increase_nofile_limit(wanted) {
        Ok(limit) if limit >= wanted => {}
        Ok(limit) => tracing::warn!(
            limit,
            wanted,
            "the open-file limit is lower than --max-connections needs; beyond it connections \
             wait in the listen queue (raise it with `ulimit -n` or LimitNOFILE=)"
        ),
        Err(error) => tracing::warn!(%error, "cannot read or raise the open-file limit"),
    }
}
