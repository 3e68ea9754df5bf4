//! Command-line flags and environment variables ([`Config`]), checked into [`Settings`].
//!
//! Every knob has a flag and a `DAILY_PAPERS_*` variable, documented in `--help`. Checking
//! happens once at start-up, with a message saying what to change: in particular the spacing
//! between upstream requests cannot go below arXiv's 3 seconds while the upstream is arXiv.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;
use clap::{Parser, ValueEnum};
use reqwest::Url;

use crate::cors::{AllowedOrigins, OriginError};

/// arXiv's API endpoint, the default upstream.
pub use daily_papers_core::arxiv::terms::API_URL as DEFAULT_UPSTREAM;
/// arXiv's terms of use: no more than one request every three seconds.
pub use daily_papers_core::arxiv::terms::MIN_SPACING as ARXIV_MIN_SPACING;

/// Flags and environment variables of `daily-papers-server`.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "daily-papers-server",
    version,
    about = "Serves the Daily Papers app and /api/query, a CORS-friendly, rate-limited, caching arXiv endpoint.",
    long_about = "Serves the Daily Papers app (the built dist/ folder) and GET /api/query, which forwards \
                  arXiv's query parameters to the arXiv API. Upstream requests are made one at a time and \
                  spaced out for all users together (arXiv's terms of use), answers are cached, and only \
                  the configured origins may read answers from other web sites.\n\n\
                  Every flag can also be set by the environment variable shown next to it."
)]
pub struct Config {
    /// Address and port to listen on. Use 0.0.0.0:8080 to accept connections from other machines.
    #[arg(
        long,
        env = "DAILY_PAPERS_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR:PORT"
    )]
    pub listen: SocketAddr,

    /// Folder of the built app to serve at / (what `trunk build --release` writes to dist/).
    /// Without it only /api/query is served, for example when the page is hosted elsewhere.
    #[arg(long, env = "DAILY_PAPERS_DIST", value_name = "DIR")]
    pub dist: Option<PathBuf>,

    /// The arXiv API query endpoint that /api/query forwards to.
    #[arg(long, env = "DAILY_PAPERS_UPSTREAM", default_value = DEFAULT_UPSTREAM, value_name = "URL")]
    pub upstream: String,

    /// Least time between two upstream requests, in milliseconds, for all users together. At least
    /// 3000 (arXiv's terms of use) while the upstream is on arxiv.org; lower only for other
    /// upstreams, such as a local test double.
    #[arg(
        long,
        env = "DAILY_PAPERS_SPACING_MS",
        default_value_t = ARXIV_MIN_SPACING.as_millis() as u64,
        value_name = "MS",
        value_parser = clap::value_parser!(u64).range(0..=3_600_000)
    )]
    pub spacing_ms: u64,

    /// How many distinct queries may wait for their turn upstream; beyond that the answer is
    /// 503 with Retry-After.
    #[arg(
        long,
        env = "DAILY_PAPERS_QUEUE",
        default_value_t = 20,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(0..=10_000)
    )]
    pub queue: u32,

    /// How many places of that line (waiting or asking arXiv) one client address may hold, so a
    /// single client asking many different queries cannot fill the line; beyond it the answer is
    /// 503 with Retry-After. The app asks one query at a time, so it never comes near.
    #[arg(
        long,
        env = "DAILY_PAPERS_QUEUE_SHARE_PER_CLIENT",
        default_value_t = 10,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=10_001)
    )]
    pub queue_share_per_client: u32,

    /// The longest a query may wait for its turn upstream, in seconds. A query that would wait
    /// longer (counting each request in line as long as the last one took) is answered 503 with
    /// Retry-After at once, and one whose wait reaches it (upstream slowed down) then.
    #[arg(
        long,
        env = "DAILY_PAPERS_MAX_WAIT_SECS",
        default_value_t = 60,
        value_name = "SECS",
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub max_wait_secs: u64,

    /// Most connections open at once; further clients wait in the listen queue (1024 long) until
    /// one closes. Each takes a file descriptor: the server raises its own limit to fit.
    #[arg(
        long,
        env = "DAILY_PAPERS_MAX_CONNECTIONS",
        default_value_t = crate::http_server::DEFAULT_MAX_CONNECTIONS as u32,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=1_000_000)
    )]
    pub max_connections: u32,

    /// How long an upstream answer is served from the cache, in seconds. After that it is fetched
    /// again, and kept for another day as a stale fallback for when arXiv fails.
    #[arg(
        long,
        env = "DAILY_PAPERS_CACHE_TTL_SECS",
        default_value_t = 3600,
        value_name = "SECS",
        value_parser = clap::value_parser!(u64).range(0..=7 * 24 * 3600)
    )]
    pub cache_ttl_secs: u64,

    /// Most memory the cached answers may take, in MiB; the oldest answers are dropped first.
    #[arg(
        long,
        env = "DAILY_PAPERS_CACHE_MAX_MIB",
        default_value_t = 256,
        value_name = "MIB",
        value_parser = clap::value_parser!(u32).range(1..=65_536)
    )]
    pub cache_max_mib: u32,

    /// How long to wait for the upstream's whole answer before answering 504, in seconds.
    #[arg(
        long,
        env = "DAILY_PAPERS_UPSTREAM_TIMEOUT_SECS",
        default_value_t = 30,
        value_name = "SECS",
        value_parser = clap::value_parser!(u64).range(1..=600)
    )]
    pub upstream_timeout_secs: u64,

    /// Web origin allowed to read /api/query answers from another site (CORS), for example
    /// https://someone.github.io. Repeat the flag or separate origins by commas; `*` allows every
    /// site. Default: none, so only the page served by this server can read them.
    #[arg(
        long = "allow-origin",
        env = "DAILY_PAPERS_ALLOW_ORIGINS",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    pub allow_origins: Vec<String>,

    /// Contact (URL or e-mail) added to the User-Agent sent upstream, so arXiv can reach whoever
    /// runs this server.
    #[arg(long, env = "DAILY_PAPERS_CONTACT", value_name = "CONTACT")]
    pub contact: Option<String>,

    /// Keep a local mirror of arXiv's metadata in this folder and answer /api/query from it
    /// (X-Source: mirror) once its first harvest or import is complete; queries it cannot answer
    /// faithfully still go to arXiv. Harvesting shares the upstream spacing with queries.
    #[arg(long, env = "DAILY_PAPERS_MIRROR", value_name = "DIR")]
    pub mirror: Option<PathBuf>,

    /// arXiv's OAI-PMH endpoint the mirror harvests from.
    #[arg(long, env = "DAILY_PAPERS_OAI_UPSTREAM", default_value = crate::mirror::harvest::DEFAULT_OAI_UPSTREAM, value_name = "URL")]
    pub oai_upstream: String,

    /// Seconds between the mirror's incremental harvests (arXiv caches recent ranges for about
    /// an hour, so asking more often gains nothing).
    #[arg(
        long,
        env = "DAILY_PAPERS_MIRROR_INTERVAL",
        default_value_t = 3600,
        value_name = "SECS",
        value_parser = clap::value_parser!(u64).range(1..=7 * 24 * 3600)
    )]
    pub mirror_interval: u64,

    /// Harvest only these OAI sets (comma-separated, e.g. cs,stat or physics:hep-th). Default:
    /// all of arXiv. A narrower mirror answers differently: arXiv ranks across all archives.
    #[arg(
        long,
        env = "DAILY_PAPERS_MIRROR_SETS",
        value_delimiter = ',',
        value_name = "SET"
    )]
    pub mirror_sets: Vec<String>,

    /// Load arXiv's JSON-lines metadata snapshot into the mirror first (the fast start); the
    /// harvest then continues from the snapshot's newest date. Resumes if interrupted.
    #[arg(long, env = "DAILY_PAPERS_MIRROR_IMPORT", value_name = "FILE")]
    pub mirror_import: Option<PathBuf>,

    /// Serve the mirror another server harvests into DIR (a shared volume or a synced copy of
    /// its files), read-only: this server never harvests, so only one machine asks arXiv.
    #[arg(long, env = "DAILY_PAPERS_MIRROR_REPLICA")]
    pub mirror_replica: bool,

    /// Measure the mirror's fidelity against live arXiv: ask arXiv's API one query users sent
    /// to the mirror every SECS seconds (600 without a value: 144 requests a day), in the same
    /// spacing as everything else and only when no user's query waits; figures in /api/mirror.
    #[arg(
        long,
        env = "DAILY_PAPERS_MIRROR_COMPARE",
        value_name = "SECS",
        num_args = 0..=1,
        default_missing_value = "600",
        value_parser = clap::value_parser!(u64).range(1..=7 * 24 * 3600)
    )]
    pub mirror_compare: Option<u64>,

    /// Least important log events shown.
    #[arg(long, env = "DAILY_PAPERS_LOG_LEVEL", value_enum, default_value_t = LogLevel::Info)]
    pub log_level: LogLevel,

    /// Log as human-readable text or as one JSON object per line.
    #[arg(long, env = "DAILY_PAPERS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How verbose the logs are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// How log events are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The checked configuration the server runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub dist: Option<PathBuf>,
    pub upstream: Url,
    pub spacing: Duration,
    pub queue: usize,
    /// Places of the line one client address may hold.
    pub queue_share_per_client: usize,
    pub cache_ttl: Duration,
    pub cache_max_bytes: usize,
    pub upstream_timeout: Duration,
    pub max_wait: Duration,
    pub max_connections: usize,
    pub origins: AllowedOrigins,
    pub user_agent: HeaderValue,
    /// How often repeated refusals are summarised in the log (not a flag; tests shorten it).
    pub log_summary_interval: Duration,
    /// The mirror, when `--mirror` is given.
    pub mirror: Option<crate::mirror::harvest::MirrorSettings>,
}

/// A configuration the server refuses to start with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    UpstreamNotAUrl { value: String },
    UpstreamScheme { value: String },
    UpstreamHasQuery { value: String },
    SpacingBelowArxivTerms { spacing_ms: u64 },
    Origin(OriginError),
    DistNotAFolder { path: PathBuf },
    ContactNotPrintable,
    OaiUpstream { value: String },
    MirrorFlagsWithoutMirror,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::UpstreamNotAUrl { value } => {
                write!(f, "upstream `{value}` is not a URL; use e.g. {DEFAULT_UPSTREAM}")
            }
            ConfigError::UpstreamScheme { value } => write!(f, "upstream `{value}` must be an http or https URL"),
            ConfigError::UpstreamHasQuery { value } => {
                write!(f, "upstream `{value}` must not have a query string; the parameters come from each request")
            }
            ConfigError::SpacingBelowArxivTerms { spacing_ms } => write!(
                f,
                "spacing of {spacing_ms} ms is below arXiv's terms of use (at least {} ms between requests); \
                 lower spacing is only allowed for an upstream that is not arXiv",
                ARXIV_MIN_SPACING.as_millis()
            ),
            ConfigError::Origin(error) => error.fmt(f),
            ConfigError::DistNotAFolder { path } => write!(
                f,
                "dist folder `{}` does not exist; build the app first (`trunk build --release`) or leave out --dist",
                path.display()
            ),
            ConfigError::ContactNotPrintable => {
                f.write_str("contact must be printable ASCII (a URL or an e-mail address)")
            }
            ConfigError::OaiUpstream { value } => write!(
                f,
                "OAI upstream `{value}` must be an http or https URL without a query string, e.g. {}",
                crate::mirror::harvest::DEFAULT_OAI_UPSTREAM
            ),
            ConfigError::MirrorFlagsWithoutMirror => f.write_str(
                "--mirror-import, --mirror-sets, --mirror-replica and --mirror-compare need --mirror DIR (the folder the mirror is kept in)"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

impl From<OriginError> for ConfigError {
    fn from(error: OriginError) -> Self {
        ConfigError::Origin(error)
    }
}

/// Whether `url` points at arXiv, whose terms of use the spacing must honour.
pub fn is_arxiv(url: &Url) -> bool {
    url.host_str()
        .is_some_and(daily_papers_core::arxiv::terms::is_arxiv_host)
}

impl Config {
    /// Checks the flags and turns them into [`Settings`].
    pub fn settings(&self) -> Result<Settings, ConfigError> {
        let upstream = Url::parse(&self.upstream).map_err(|_| ConfigError::UpstreamNotAUrl {
            value: self.upstream.clone(),
        })?;
        if !matches!(upstream.scheme(), "http" | "https") || upstream.host_str().is_none() {
            return Err(ConfigError::UpstreamScheme {
                value: self.upstream.clone(),
            });
        }
        if upstream.query().is_some() {
            return Err(ConfigError::UpstreamHasQuery {
                value: self.upstream.clone(),
            });
        }
        let spacing = Duration::from_millis(self.spacing_ms);
        if is_arxiv(&upstream) && spacing < ARXIV_MIN_SPACING {
            return Err(ConfigError::SpacingBelowArxivTerms {
                spacing_ms: self.spacing_ms,
            });
        }
        let oai_upstream = Url::parse(&self.oai_upstream)
            .ok()
            .filter(|u| {
                matches!(u.scheme(), "http" | "https")
                    && u.host_str().is_some()
                    && u.query().is_none()
            })
            .ok_or_else(|| ConfigError::OaiUpstream {
                value: self.oai_upstream.clone(),
            })?;
        if self.mirror.is_some() && is_arxiv(&oai_upstream) && spacing < ARXIV_MIN_SPACING {
            return Err(ConfigError::SpacingBelowArxivTerms {
                spacing_ms: self.spacing_ms,
            });
        }
        if self.mirror.is_none()
            && (self.mirror_import.is_some()
                || !self.mirror_sets.is_empty()
                || self.mirror_replica
                || self.mirror_compare.is_some())
        {
            return Err(ConfigError::MirrorFlagsWithoutMirror);
        }
        let mirror = self
            .mirror
            .as_ref()
            .map(|dir| crate::mirror::harvest::MirrorSettings {
                dir: dir.clone(),
                oai_upstream: oai_upstream.clone(),
                interval: Duration::from_secs(self.mirror_interval),
                sets: self
                    .mirror_sets
                    .iter()
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect(),
                import: self.mirror_import.clone(),
                replica: self.mirror_replica,
                compare: self.mirror_compare.map(Duration::from_secs),
            });
        if let Some(dist) = &self.dist {
            if !dist.is_dir() {
                return Err(ConfigError::DistNotAFolder { path: dist.clone() });
            }
        }
        let mut user_agent = format!(
            "daily-papers-server/{} (self-hosted Daily Papers arXiv digest",
            env!("CARGO_PKG_VERSION")
        );
        if let Some(contact) = self
            .contact
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            user_agent.push_str("; ");
            user_agent.push_str(contact);
        }
        user_agent.push(')');
        let user_agent =
            HeaderValue::from_str(&user_agent).map_err(|_| ConfigError::ContactNotPrintable)?;
        if !user_agent
            .as_bytes()
            .iter()
            .all(|b| (0x20..0x7f).contains(b))
        {
            return Err(ConfigError::ContactNotPrintable);
        }
        Ok(Settings {
            listen: self.listen,
            dist: self.dist.clone(),
            upstream,
            spacing,
            queue: self.queue as usize,
            queue_share_per_client: self.queue_share_per_client as usize,
            cache_ttl: Duration::from_secs(self.cache_ttl_secs),
            cache_max_bytes: (self.cache_max_mib as usize).saturating_mul(1024 * 1024),
            upstream_timeout: Duration::from_secs(self.upstream_timeout_secs),
            max_wait: Duration::from_secs(self.max_wait_secs),
            max_connections: self.max_connections as usize,
            origins: AllowedOrigins::parse(&self.allow_origins)?,
            user_agent,
            log_summary_interval: crate::refusals::SUMMARY_INTERVAL,
            mirror,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(args: &[&str]) -> Result<Settings, ConfigError> {
        let config = Config::try_parse_from(
            std::iter::once("daily-papers-server").chain(args.iter().copied()),
        )
        .expect("flags parse");
        config.settings()
    }

    #[test]
    fn defaults_follow_arxiv_terms() {
        let settings = settings(&[]).unwrap();
        assert_eq!(settings.upstream.as_str(), DEFAULT_UPSTREAM);
        assert_eq!(settings.spacing, Duration::from_secs(3));
        assert_eq!(settings.cache_ttl, Duration::from_secs(3600));
        assert_eq!(settings.origins, AllowedOrigins::SameOriginOnly);
        assert_eq!(settings.listen.to_string(), "127.0.0.1:8080");
        assert!(settings.dist.is_none());
        assert_eq!(settings.max_wait, Duration::from_secs(60));
        assert_eq!(settings.max_connections, 4096);
    }

    #[test]
    fn spacing_below_three_seconds_is_refused_for_arxiv() {
        for upstream in [
            DEFAULT_UPSTREAM,
            "http://export.arxiv.org/api/query",
            "https://arxiv.org/api/query",
            "https://EXPORT.ARXIV.ORG./api/query",
        ] {
            assert_eq!(
                settings(&["--upstream", upstream, "--spacing-ms", "2999"]).unwrap_err(),
                ConfigError::SpacingBelowArxivTerms { spacing_ms: 2999 },
                "{upstream}"
            );
            assert_eq!(
                settings(&["--upstream", upstream, "--spacing-ms", "3000"])
                    .unwrap()
                    .spacing,
                Duration::from_secs(3)
            );
            assert_eq!(
                settings(&["--upstream", upstream, "--spacing-ms", "5000"])
                    .unwrap()
                    .spacing,
                Duration::from_secs(5)
            );
        }
    }

    #[test]
    fn lower_spacing_is_allowed_for_other_upstreams() {
        let settings = settings(&[
            "--upstream",
            "http://127.0.0.1:9/api/query",
            "--spacing-ms",
            "0",
        ])
        .unwrap();
        assert_eq!(settings.spacing, Duration::ZERO);
        // A look-alike host is not arXiv.
        assert!(!is_arxiv(
            &Url::parse("https://notarxiv.org/api/query").unwrap()
        ));
        assert!(!is_arxiv(
            &Url::parse("https://arxiv.org.example.com/api/query").unwrap()
        ));
    }

    #[test]
    fn the_default_spacing_applies_to_other_upstreams_too() {
        assert_eq!(
            settings(&["--upstream", "http://127.0.0.1:9/api/query"])
                .unwrap()
                .spacing,
            ARXIV_MIN_SPACING
        );
    }

    #[test]
    fn bad_upstreams_are_refused() {
        assert!(matches!(
            settings(&["--upstream", "export.arxiv.org"]),
            Err(ConfigError::UpstreamNotAUrl { .. })
        ));
        assert!(matches!(
            settings(&["--upstream", "file:///etc/passwd"]),
            Err(ConfigError::UpstreamScheme { .. })
        ));
        assert!(matches!(
            settings(&["--upstream", "http://127.0.0.1:9/api/query?x=1"]),
            Err(ConfigError::UpstreamHasQuery { .. })
        ));
    }

    #[test]
    fn origins_come_comma_separated_or_repeated() {
        let settings = settings(&[
            "--allow-origin",
            "https://a.github.io,https://b.org",
            "--allow-origin",
            "http://localhost:8080",
        ])
        .unwrap();
        let AllowedOrigins::List(list) = settings.origins else {
            panic!("expected a list")
        };
        assert_eq!(list.len(), 3);
    }

    #[test]
    fn the_user_agent_names_the_program_and_the_contact() {
        let ua = settings(&["--contact", "ops@example.org"])
            .unwrap()
            .user_agent;
        let ua = ua.to_str().unwrap();
        assert!(
            ua.starts_with("daily-papers-server/") && ua.ends_with("; ops@example.org)"),
            "{ua}"
        );
        assert_eq!(
            settings(&["--contact", "a\u{e9}"]).unwrap_err(),
            ConfigError::ContactNotPrintable
        );
    }

    #[test]
    fn absurd_numbers_are_refused_by_the_flag_parser() {
        for args in [
            ["--spacing-ms", "3600001"],
            ["--cache-ttl-secs", "604801"],
            ["--upstream-timeout-secs", "0"],
            ["--queue", "10001"],
            ["--cache-max-mib", "0"],
            ["--max-wait-secs", "0"],
            ["--max-connections", "0"],
        ] {
            assert!(
                Config::try_parse_from(std::iter::once("x").chain(args)).is_err(),
                "{args:?}"
            );
        }
    }

    #[test]
    fn the_fidelity_compare_defaults_to_every_ten_minutes_and_needs_the_mirror() {
        let compare = |args: &[&str]| {
            let mut all = vec!["--mirror", "/tmp/m"];
            all.extend_from_slice(args);
            settings(&all).unwrap().mirror.unwrap().compare
        };
        assert_eq!(compare(&[]), None);
        assert_eq!(
            compare(&["--mirror-compare"]),
            Some(Duration::from_secs(600))
        );
        assert_eq!(
            compare(&["--mirror-compare", "60"]),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            compare(&["--mirror-compare=3600"]),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            settings(&["--mirror-compare"]).unwrap_err(),
            ConfigError::MirrorFlagsWithoutMirror
        );
    }

    #[test]
    fn the_mirror_keeps_arxivs_spacing_and_needs_its_folder() {
        assert_eq!(
            settings(&[
                "--upstream",
                "http://127.0.0.1:9/api/query",
                "--spacing-ms",
                "300",
                "--mirror",
                "/tmp/m"
            ])
            .unwrap_err(),
            ConfigError::SpacingBelowArxivTerms { spacing_ms: 300 },
            "the default OAI upstream is arXiv's"
        );
        let ok = settings(&[
            "--upstream",
            "http://127.0.0.1:9/api/query",
            "--oai-upstream",
            "http://127.0.0.1:9/oai",
            "--spacing-ms",
            "300",
            "--mirror",
            "/tmp/m",
            "--mirror-sets",
            "cs,stat",
        ])
        .unwrap();
        assert_eq!(ok.mirror.unwrap().sets, vec!["cs", "stat"]);
        assert_eq!(
            settings(&["--mirror-import", "x.json"]).unwrap_err(),
            ConfigError::MirrorFlagsWithoutMirror
        );
        assert!(settings(&[]).unwrap().mirror.is_none());
    }

    #[test]
    fn a_missing_dist_folder_is_reported() {
        assert!(matches!(
            settings(&["--dist", "/nonexistent/dist"]),
            Err(ConfigError::DistNotAFolder { .. })
        ));
    }

    #[test]
    fn help_documents_every_flag() {
        use clap::CommandFactory;
        let help = Config::command().render_long_help().to_string();
        for flag in [
            "--listen",
            "--dist",
            "--upstream",
            "--spacing-ms",
            "--queue",
            "--cache-ttl-secs",
            "--cache-max-mib",
            "--upstream-timeout-secs",
            "--max-wait-secs",
            "--max-connections",
            "--allow-origin",
            "--contact",
            "--log-level",
            "--log-format",
            "--mirror",
            "--oai-upstream",
            "--mirror-interval",
            "--mirror-sets",
            "--mirror-import",
            "--mirror-replica",
            "--mirror-compare",
            "DAILY_PAPERS_LISTEN",
            "DAILY_PAPERS_ALLOW_ORIGINS",
        ] {
            assert!(help.contains(flag), "{flag} missing from --help");
        }
    }
}
