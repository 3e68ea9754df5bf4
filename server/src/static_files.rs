//! The built app (`dist/`) at `/`: read and compressed once at start-up, served from memory.
//!
//! Every regular file under `--dist` is read when the server starts, with brotli and gzip copies
//! made then (at brotli's best quality: it is done once), so a request costs a map lookup and a
//! copy of bytes already in memory. Only regular files are served: symlinks, dotfiles and dot
//! folders are left out, and nothing is read from disk at request time, so no path (a `..`, an
//! over-long name, a link out of the folder) can reach any other file or turn into a 500. A new
//! deployment of `dist/` needs a restart.
//!
//! Trunk names the wasm, JS and CSS files after a hash of their content
//! (`daily-papers-1f0c9a3b5d7e2468_bg.wasm`), so those never change and are cached for a year.
//! `index.html` names the current hashes, so browsers must revalidate it on every visit (an
//! `ETag` makes that a 304); the same goes for any other file without a hash.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::csp;
use crate::encoding::{Accepted, Compressed, Encoding};

/// Files larger than this are not served (the app's wasm is well under a megabyte).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Folders deeper than this are not read (Trunk writes one or two levels).
const MAX_DEPTH: usize = 16;

/// How long browsers and CDNs may keep a static file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachePolicy {
    /// A content-hashed file: it never changes under its name.
    Immutable,
    /// Anything else, `index.html` first: check with the server before reusing it.
    Revalidate,
}

impl CachePolicy {
    /// The policy for a request path.
    pub fn for_path(path: &str) -> CachePolicy {
        let name = path.rsplit('/').next().unwrap_or_default();
        if has_content_hash(name) {
            CachePolicy::Immutable
        } else {
            CachePolicy::Revalidate
        }
    }

    pub fn header(self) -> HeaderValue {
        match self {
            CachePolicy::Immutable => {
                HeaderValue::from_static("public, max-age=31536000, immutable")
            }
            CachePolicy::Revalidate => HeaderValue::from_static("no-cache"),
        }
    }
}

/// Whether a file name carries a Trunk content hash: a run of 12 to 16 lowercase hex digits
/// (a 64-bit hash written without leading zeros) joined to the name by `-`.
fn has_content_hash(name: &str) -> bool {
    let is_hash = |part: &str| {
        (12..=16).contains(&part.len())
            && part
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    // Trunk writes `name-HASH.js`, `name-HASH_bg.wasm` for the app and `HASH-name` for initializers:
    // the hash is a whole `-`-separated segment, up to the extension or the `_bg` suffix.
    let segments: Vec<&str> = name.split('-').collect();
    segments.len() > 1
        && segments
            .iter()
            .any(|segment| is_hash(segment.split(['.', '_']).next().unwrap_or_default()))
}

/// One file, ready to send.
#[derive(Debug)]
struct File {
    content_type: HeaderValue,
    cache: CachePolicy,
    /// A strong validator per representation: the content hash, with the coding appended.
    etag: String,
    identity: Bytes,
    compressed: Compressed,
}

impl File {
    fn new(path: &str, bytes: Vec<u8>) -> File {
        let identity = Bytes::from(bytes);
        let digest = Sha256::digest(&identity);
        let etag: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
        let content_type = mime_guess::from_path(path)
            .first_raw()
            .map(HeaderValue::from_static)
            .unwrap_or(HeaderValue::from_static("application/octet-stream"));
        File {
            content_type,
            cache: CachePolicy::for_path(path),
            etag,
            compressed: Compressed::of_static(&identity),
            identity,
        }
    }
}

/// The app's files in memory, keyed on their URL path (`/index.html`), with the pages' CSP.
#[derive(Debug)]
pub struct StaticFiles {
    files: HashMap<String, File>,
    csp: HeaderValue,
}

/// The dist folder cannot be read.
#[derive(Debug)]
pub struct LoadError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read `{}`: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for LoadError {}

impl StaticFiles {
    /// Reads and compresses every regular file under `dir` (CPU-bound: once, at start-up).
    pub fn load(dir: &Path) -> Result<StaticFiles, LoadError> {
        let mut found = Vec::new();
        collect(dir, "", 0, &mut found)?;
        let files: HashMap<String, File> = found
            .into_iter()
            .map(|(path, bytes)| {
                let file = File::new(&path, bytes);
                (path, file)
            })
            .collect();
        let index = files.get("/index.html").map(|f| &f.identity[..]);
        let csp = csp::for_page(index.unwrap_or_default());
        tracing::info!(
            files = files.len(),
            bytes = files.values().map(|f| f.identity.len()).sum::<usize>(),
            "static files loaded and compressed"
        );
        Ok(StaticFiles { files, csp })
    }

    /// The URL paths served, sorted (for logs and tests).
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.files.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }

    /// The Content-Security-Policy sent with every file.
    pub fn csp(&self) -> &HeaderValue {
        &self.csp
    }

    /// The file for a request path: percent-decoded, `/` and `dir/` meaning their `index.html`.
    fn find(&self, path: &str) -> Option<&File> {
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        if decoded.ends_with('/') {
            self.files.get(&format!("{decoded}index.html"))
        } else {
            self.files.get(decoded.as_ref())
        }
    }
}

/// Adds the regular files under `dir` to `found`, as (`/relative/path`, content).
fn collect(
    dir: &Path,
    prefix: &str,
    depth: usize,
    found: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), LoadError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| LoadError { path, error }
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(io(dir))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            tracing::warn!(path = %path.display(), "not served: the name is not UTF-8");
            continue;
        };
        if name.starts_with('.') {
            tracing::debug!(path = %path.display(), "not served: hidden");
            continue;
        }
        // The entry itself, not what a link points to: a link is never followed.
        let kind = entry.file_type().map_err(io(&path))?;
        let url_path = format!("{prefix}/{name}");
        if kind.is_dir() && depth < MAX_DEPTH {
            collect(&path, &url_path, depth + 1, found)?;
        } else if kind.is_file() {
            let size = entry.metadata().map_err(io(&path))?.len();
            if size > MAX_FILE_BYTES {
                tracing::warn!(path = %path.display(), size, "not served: larger than 64 MiB");
                continue;
            }
            found.push((url_path, std::fs::read(&path).map_err(io(&path))?));
        } else {
            tracing::info!(path = %path.display(), "not served: not a regular file (a link?)");
        }
    }
    Ok(())
}

/// The router serving `files`, for use as the app's fallback.
pub fn router(files: Arc<StaticFiles>) -> Router {
    Router::new().fallback(serve).with_state(files)
}

async fn serve(State(files): State<Arc<StaticFiles>>, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "only GET and HEAD\n",
        )
            .into_response();
    }
    let Some(file) = files.find(request.uri().path()) else {
        // A missing file may appear with the next deployment; do not let a CDN remember the 404.
        return (
            StatusCode::NOT_FOUND,
            [
                (header::CACHE_CONTROL, "no-store"),
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            ],
            "not found\n",
        )
            .into_response();
    };
    respond(file, files.csp(), request.headers())
}

fn respond(file: &File, csp: &HeaderValue, request: &HeaderMap) -> Response {
    let accepted = Accepted::from_header(
        request
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok()),
    );
    let (body, encoding) = file.compressed.pick(accepted, &file.identity);
    let etag = match encoding {
        Encoding::Brotli => format!("\"{}-br\"", file.etag),
        Encoding::Gzip => format!("\"{}-gz\"", file.etag),
        Encoding::Identity => format!("\"{}\"", file.etag),
    };
    let etag = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    let unchanged = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| matches_etag(tags, &etag));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, file.content_type.clone());
        if let Some(coding) = encoding.header() {
            headers.insert(header::CONTENT_ENCODING, coding);
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag);
    headers.insert(header::CACHE_CONTROL, file.cache.header());
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    response
}

/// Whether an `If-None-Match` list names `etag` (weak comparison, as RFC 9110 asks for here).
fn matches_etag(tags: &str, etag: &HeaderValue) -> bool {
    let ours = etag.as_bytes();
    tags.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag).as_bytes() == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_immutable() {
        for path in [
            "/daily-papers-1f0c9a3b5d7e2468_bg.wasm",
            "/daily-papers-1f0c9a3b5d7e2468.js",
            "/style-9a8b7c6d5e4f3a2b.css",
            "/daily-papers-f0c9a3b5d7e2468_bg.wasm", // 15 digits: the hash had a leading zero
            "/assets/1f0c9a3b5d7e2468-init.js",
        ] {
            assert_eq!(
                CachePolicy::for_path(path),
                CachePolicy::Immutable,
                "{path}"
            );
        }
    }

    #[test]
    fn the_service_worker_and_manifest_are_checked_on_every_visit() {
        // A worker kept a day by the HTTP cache would hide a new deployment for that long.
        assert_eq!(CachePolicy::for_path("/sw.js"), CachePolicy::Revalidate);
        assert_eq!(CachePolicy::for_path("/sw.js").header(), "no-cache");
        assert_eq!(
            CachePolicy::for_path("/manifest.webmanifest"),
            CachePolicy::Revalidate
        );
        let manifest = File::new("/manifest.webmanifest", b"{}".to_vec());
        assert_eq!(manifest.content_type, "application/manifest+json");
        let worker = File::new("/sw.js", b"self".to_vec());
        assert!(worker.content_type.to_str().unwrap().contains("javascript"));
    }

    #[test]
    fn everything_else_is_revalidated() {
        for path in [
            "/",
            "/index.html",
            "/favicon.ico",
            "/daily-papers_bg.wasm",
            "/1f0c9a3b5d7e2468.js",
            "/notes-2026-11-20.txt",
        ] {
            assert_eq!(
                CachePolicy::for_path(path),
                CachePolicy::Revalidate,
                "{path}"
            );
        }
    }
}
