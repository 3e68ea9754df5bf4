//! Who may read the answers (CORS), and the built app served from `/` with the right MIME types,
//! compression and cache lifetimes.

mod common;

use std::path::PathBuf;

use common::{all_values, header, query, settings, FakeArxiv, Reply, TestServer};

const ALLOWED: &str = "https://someone.github.io";

async fn server_allowing(fake: &FakeArxiv, origins: &[&str]) -> TestServer {
    let url = fake.url();
    let mut args = vec!["--upstream", url.as_str(), "--spacing-ms", "0"];
    for origin in origins {
        args.extend(["--allow-origin", origin]);
    }
    TestServer::start(settings(&args)).await
}

async fn get_from(server: &TestServer, origin: &str) -> reqwest::Response {
    server
        .client
        .get(server.url(&query(1)))
        .header("origin", origin)
        .send()
        .await
        .unwrap()
}

async fn preflight_from(server: &TestServer, origin: &str) -> reqwest::Response {
    server
        .client
        .request(reqwest::Method::OPTIONS, server.url(&query(1)))
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_origin_may_read_answers_and_the_cache_header() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_allowing(&fake, &[ALLOWED, "http://localhost:8080"]).await;
    let response = get_from(&server, ALLOWED).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "access-control-allow-origin"),
        Some(ALLOWED)
    );
    let exposed = header(&response, "access-control-expose-headers")
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("x-cache") && exposed.contains("retry-after"),
        "{exposed}"
    );
    assert!(all_values(&response, "vary").contains("origin"));

    let preflight = preflight_from(&server, ALLOWED).await;
    assert!(preflight.status().is_success());
    assert_eq!(
        header(&preflight, "access-control-allow-origin"),
        Some(ALLOWED)
    );
    assert!(header(&preflight, "access-control-allow-methods")
        .unwrap()
        .contains("GET"));
    assert_eq!(fake.arrived(), 1, "a preflight never reaches upstream");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_origins_get_no_cors_header() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_allowing(&fake, &[ALLOWED]).await;
    for origin in [
        "https://evil.example",
        "https://someone.github.io.evil.example",
        "null",
    ] {
        let response = get_from(&server, origin).await;
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            None,
            "{origin}"
        );
        let preflight = preflight_from(&server, origin).await;
        assert_eq!(
            header(&preflight, "access-control-allow-origin"),
            None,
            "{origin}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_default_only_the_same_origin_may_read() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_allowing(&fake, &[]).await;
    let response = get_from(&server, ALLOWED).await;
    assert_eq!(
        response.status(),
        200,
        "the request itself is answered; the browser hides it"
    );
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    assert_eq!(
        header(
            &preflight_from(&server, ALLOWED).await,
            "access-control-allow-origin"
        ),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn star_opens_the_endpoint_to_every_site_when_asked_for() {
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = server_allowing(&fake, &["*"]).await;
    assert_eq!(
        header(
            &get_from(&server, "https://anyone.example").await,
            "access-control-allow-origin"
        ),
        Some("*")
    );
}

/// A dist/ folder as Trunk writes it, next to a file it must not serve; removed when dropped.
struct Dist {
    root: PathBuf,
    dir: PathBuf,
}

const WASM_NAME: &str = "daily-papers-1f0c9a3b5d7e2468_bg.wasm";
const JS_NAME: &str = "daily-papers-1f0c9a3b5d7e2468.js";
const INDEX: &str = "<!DOCTYPE html><html><head><link rel=\"modulepreload\" href=\"/daily-papers-1f0c9a3b5d7e2468.js\"></head><body></body></html>";

impl Dist {
    fn new(name: &str) -> Dist {
        let root =
            std::env::temp_dir().join(format!("daily-papers-server-{}-{name}", std::process::id()));
        let dir = root.join("dist");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(root.join("secret.txt"), "not for the web").unwrap();
        std::fs::write(dir.join("index.html"), INDEX).unwrap();
        // A wasm module header followed by compressible bytes.
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend(std::iter::repeat_n(b"daily papers ".as_slice(), 2000).flatten());
        std::fs::write(dir.join(WASM_NAME), wasm).unwrap();
        std::fs::write(
            dir.join(JS_NAME),
            "export default function init() {}\n".repeat(100),
        )
        .unwrap();
        Dist { root, dir }
    }
}

impl Drop for Dist {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

async fn static_server(dist: &Dist, fake: &FakeArxiv) -> TestServer {
    let url = fake.url();
    let dir = dist.dir.to_str().unwrap();
    TestServer::start(settings(&[
        "--upstream",
        &url,
        "--spacing-ms",
        "0",
        "--dist",
        dir,
    ]))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_is_served_at_the_root_and_always_revalidated() {
    let dist = Dist::new("root");
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = static_server(&dist, &fake).await;
    for path in ["/", "/index.html"] {
        let response = server.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            header(&response, "content-type")
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        assert_eq!(
            header(&response, "cache-control"),
            Some("no-cache"),
            "{path}"
        );
        assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
        assert_eq!(response.text().await.unwrap(), INDEX);
    }
    // The API is still answered next to the files.
    assert_eq!(server.get(&query(1)).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashed_files_are_cached_for_a_year_with_the_right_mime_type() {
    let dist = Dist::new("hashed");
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = static_server(&dist, &fake).await;
    let wasm = server.get(&format!("/{WASM_NAME}")).await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(header(&wasm, "content-type"), Some("application/wasm"));
    assert_eq!(
        header(&wasm, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(
        header(&wasm, "content-encoding"),
        None,
        "no compression unless asked for"
    );
    assert!(wasm.bytes().await.unwrap().starts_with(b"\0asm"));
    let js = server.get(&format!("/{JS_NAME}")).await;
    assert!(header(&js, "content-type").unwrap().contains("javascript"));
    assert_eq!(
        header(&js, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_compressed_with_brotli_or_gzip_as_the_browser_accepts() {
    let dist = Dist::new("compressed");
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = static_server(&dist, &fake).await;
    let original = std::fs::metadata(dist.dir.join(WASM_NAME)).unwrap().len() as usize;
    for (accept, encoding) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        let response = server
            .client
            .get(server.url(&format!("/{WASM_NAME}")))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(
            header(&response, "content-encoding"),
            Some(encoding),
            "{accept}"
        );
        assert_eq!(header(&response, "content-type"), Some("application/wasm"));
        assert!(all_values(&response, "vary").contains("accept-encoding"));
        let body = response.bytes().await.unwrap();
        assert!(
            body.len() < original / 10,
            "{encoding}: {} of {original} bytes",
            body.len()
        );
        if encoding == "gzip" {
            assert!(body.starts_with(&[0x1f, 0x8b]), "gzip magic");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_files_are_404_and_paths_cannot_leave_dist() {
    let dist = Dist::new("missing");
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = static_server(&dist, &fake).await;
    let missing = server.get("/nothing-here.js").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(header(&missing, "cache-control"), Some("no-store"));
    // Sent as raw bytes: an HTTP client would resolve the dots before sending.
    for escape in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/dist/../../secret.txt",
    ] {
        let answer = raw_get(&server, escape).await;
        assert!(!answer.contains("not for the web"), "{escape}: {answer}");
        assert!(answer.starts_with("HTTP/1.1 4"), "{escape}: {answer}");
    }
}

async fn raw_get(server: &TestServer, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_regular_files_inside_dist_are_served() {
    let dist = Dist::new("regular-only");
    std::os::unix::fs::symlink(dist.root.join("secret.txt"), dist.dir.join("linked.txt")).unwrap();
    std::os::unix::fs::symlink(&dist.root, dist.dir.join("up")).unwrap();
    std::fs::write(dist.dir.join(".env"), "TOKEN=not for the web").unwrap();
    std::fs::create_dir(dist.dir.join(".git")).unwrap();
    std::fs::write(dist.dir.join(".git/config"), "not for the web").unwrap();
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = static_server(&dist, &fake).await;
    let long = format!("/{}", "a".repeat(300));
    for path in [
        "/linked.txt",
        "/up/secret.txt",
        "/.env",
        "/%2eenv",
        "/.git/config",
        long.as_str(),
        "/index.html/",
    ] {
        let response = server.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            !response.text().await.unwrap().contains("not for the web"),
            "{path}"
        );
    }
    assert_eq!(server.get("/index.html").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_read_and_compressed_once_at_start_up() {
    let dist = Dist::new("once");
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = static_server(&dist, &fake).await;
    let original = std::fs::read(dist.dir.join(WASM_NAME)).unwrap();
    // Changed on disk after start-up: the server keeps what it read (a deployment restarts it).
    std::fs::write(dist.dir.join(WASM_NAME), b"changed").unwrap();
    let plain = server.get(&format!("/{WASM_NAME}")).await;
    assert_eq!(plain.bytes().await.unwrap(), original);
    let brotli = server
        .client
        .get(server.url(&format!("/{WASM_NAME}")))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&brotli, "content-encoding"), Some("br"));
    let compressed = brotli.bytes().await.unwrap();
    let mut unpacked = Vec::new();
    std::io::Read::read_to_end(
        &mut brotli::Decompressor::new(&compressed[..], 4096),
        &mut unpacked,
    )
    .unwrap();
    assert_eq!(unpacked, original);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unchanged_page_is_a_304_per_encoding() {
    let dist = Dist::new("etag");
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = static_server(&dist, &fake).await;
    let get = |accept: &'static str, etag: Option<String>| {
        let mut request = server
            .client
            .get(server.url(&format!("/{JS_NAME}")))
            .header("accept-encoding", accept);
        if let Some(etag) = etag {
            request = request.header("if-none-match", etag);
        }
        request.send()
    };
    let first = get("gzip", None).await.unwrap();
    let etag = header(&first, "etag").unwrap().to_owned();
    let again = get("gzip", Some(etag.clone())).await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "etag"), Some(etag.as_str()));
    // Another encoding is another representation: sent in full.
    let plain = get("identity", Some(etag)).await.unwrap();
    assert_eq!(plain.status(), 200);
    assert_ne!(header(&plain, "etag"), header(&first, "etag"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_policy_that_runs_only_the_apps_own_scripts() {
    let dist = Dist::new("csp");
    let loader = "import init from '/daily-papers-1f0c9a3b5d7e2468.js'; await init();";
    std::fs::write(
        dist.dir.join("index.html"),
        format!(
            "<!DOCTYPE html><html><head><script type=\"module\">{loader}</script></head></html>"
        ),
    )
    .unwrap();
    let fake = FakeArxiv::start(Reply::Feed).await;
    let server = static_server(&dist, &fake).await;
    let page = server.get("/").await;
    let policy = header(&page, "content-security-policy").unwrap().to_owned();
    let hash = {
        use base64::Engine as _;
        use sha2::Digest as _;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(loader))
    };
    assert!(
        policy.starts_with(&format!(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';"
        )),
        "{policy}"
    );
    let wasm = server.get(&format!("/{WASM_NAME}")).await;
    assert_eq!(
        header(&wasm, "content-security-policy"),
        Some(policy.as_str())
    );
}
