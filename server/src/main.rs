//! `daily-papers-server`: reads the configuration, starts logging, and runs the app until
//! SIGINT or SIGTERM. Everything else lives in the library (`src/lib.rs`).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use daily_papers_server::config::{Config, LogFormat, LogLevel};
use tracing::level_filters::LevelFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    init_logging(config.log_level, config.log_format);
    let settings = match config.settings() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("daily-papers-server: {error}");
            return ExitCode::from(2);
        }
    };
    let app = match daily_papers_server::app(&settings) {
        Ok(app) => app,
        Err(error) => {
            eprintln!("daily-papers-server: {error}");
            return ExitCode::FAILURE;
        }
    };
    daily_papers_server::http_server::fit_file_limit(settings.max_connections);
    let listener = match daily_papers_server::http_server::listen(settings.listen) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "daily-papers-server: cannot listen on {}: {error}",
                settings.listen
            );
            return ExitCode::FAILURE;
        }
    };
    let address = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| settings.listen.to_string());
    tracing::info!(
        listen = %address,
        upstream = %settings.upstream,
        spacing_ms = settings.spacing.as_millis() as u64,
        queue = settings.queue,
        max_wait_s = settings.max_wait.as_secs(),
        max_connections = settings.max_connections,
        cache_ttl_s = settings.cache_ttl.as_secs(),
        origins = ?settings.origins,
        dist = ?settings.dist,
        mirror = ?settings.mirror.as_ref().map(|m| &m.dir),
        "listening"
    );
    // Also on stdout, whatever the log level: the line a person (or a script) looks for.
    println!("daily-papers-server: listening on http://{address}");
    match daily_papers_server::serve(listener, app, shutdown_signal()).await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("daily-papers-server: {error}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(level: LogLevel, format: LogFormat) {
    let level = match level {
        LogLevel::Error => LevelFilter::ERROR,
        LogLevel::Warn => LevelFilter::WARN,
        LogLevel::Info => LevelFilter::INFO,
        LogLevel::Debug => LevelFilter::DEBUG,
        LogLevel::Trace => LevelFilter::TRACE,
    };
    // Colours only for a person watching; log files and collectors get plain text.
    let builder = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM (what container runtimes and systemd send).
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
