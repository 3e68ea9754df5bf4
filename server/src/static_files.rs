//! The built app (`dist/`) at `/`, with cache lifetimes that fit Trunk's file names.
//!
//! Trunk names the wasm, JS and CSS files after a hash of their content
//! (`daily-papers-1f0c9a3b5d7e2468_bg.wasm`), so those never change and are cached for a year.
//! `index.html` names the current hashes, so browsers must revalidate it on every visit; the same
//! goes for any other file without a hash. MIME types (`application/wasm` included) and
//! conditional requests come from tower-http's `ServeDir`; compression is applied for the whole app.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

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

/// The router serving `dir`, for use as the app's fallback.
pub fn router(dir: &Path) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dir))
        .layer(middleware::from_fn(cache_headers))
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let policy = CachePolicy::for_path(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, policy.header());
    } else {
        // A missing file may appear with the next deployment; do not let a CDN remember the 404.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
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
