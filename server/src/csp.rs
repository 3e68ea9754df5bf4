//! The Content-Security-Policy of the app's pages: only the app's own files run.
//!
//! Trunk's `index.html` starts the app with one inline module script (`import init from
//! '/daily-papers-<hash>.js'; await init(...)`). Rather than allowing every inline script, the
//! policy names that script by its SHA-256, computed when the server starts from the very
//! `index.html` it serves, so it stays right after every rebuild. WebAssembly compilation needs
//! `'wasm-unsafe-eval'` (it allows wasm only, not JavaScript `eval`).

use axum::http::HeaderValue;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Everything but scripts: the app's own styles, its data-URL icon, and calls to its endpoint,
/// which the user may set to another server (hence any https origin), and to GitHub's API
/// (Publish to GitHub; named so it stays allowed if `https:` is ever narrowed).
/// `style-src-attr 'unsafe-inline'`: the clipboard fallback hides its text area with a `style`
/// attribute (`src/browser/clipboard.rs`).
const REST: &str = "style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
                    connect-src 'self' https: https://api.github.com; manifest-src 'self'; base-uri 'none'; \
                    form-action 'none'; frame-ancestors 'none'";

/// The policy for the app's pages, allowing the inline scripts of `index_html` by their hashes.
pub fn for_page(index_html: &[u8]) -> HeaderValue {
    let mut policy = String::from("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'");
    for script in inline_scripts(index_html) {
        let digest = Sha256::digest(script);
        policy.push_str(" 'sha256-");
        policy.push_str(&base64::engine::general_purpose::STANDARD.encode(digest));
        policy.push('\'');
    }
    policy.push_str("; ");
    policy.push_str(REST);
    // Only ASCII went in (base64, fixed text).
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static("default-src 'none'"))
}

/// The text of each `<script>` element without a `src` attribute, exactly as the browser hashes
/// it. A narrow reader for Trunk's output, not an HTML parser: a script's text runs to the first
/// `</script` whatever it contains (as in HTML), and tags are read up to the next `>`. A policy
/// that missed a script would show in the end-to-end test (`tests/e2e/csp.test.mjs`) as a
/// violation report.
fn inline_scripts(html: &[u8]) -> Vec<&[u8]> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(open) = find_ci(rest, b"<script") {
        let after_name = rest.get(open + b"<script".len()..).unwrap_or_default();
        // `<scripts>` or `<script-x>` is another element.
        if !after_name
            .first()
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        {
            rest = after_name;
            continue;
        }
        let Some(tag_end) = after_name.iter().position(|&b| b == b'>') else {
            break;
        };
        let attributes = after_name.get(..tag_end).unwrap_or_default();
        let content = after_name.get(tag_end + 1..).unwrap_or_default();
        let close = find_ci(content, b"</script").unwrap_or(content.len());
        if !has_src(attributes) {
            scripts.push(content.get(..close).unwrap_or_default());
        }
        rest = content.get(close..).unwrap_or_default();
    }
    scripts
}

/// Whether a tag's attributes include `src` (as a whole attribute name).
fn has_src(attributes: &[u8]) -> bool {
    let lower = attributes.to_ascii_lowercase();
    lower.windows(3).enumerate().any(|(i, w)| {
        w == b"src"
            && (i == 0 || lower.get(i - 1).is_some_and(u8::is_ascii_whitespace))
            && lower
                .get(i + 3..)
                .unwrap_or_default()
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_none_or(|&b| b == b'=' || b == b'/')
    })
}

/// The position of `needle` in `haystack`, ignoring ASCII case.
fn find_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_INDEX: &str = "<!DOCTYPE html><html><head>\
        <link rel=\"modulepreload\" href=\"/daily-papers-1f0c9a3b5d7e2468.js\" crossorigin=\"anonymous\">\
        <script type=\"module\">\nimport init, * as bindings from '/daily-papers-1f0c9a3b5d7e2468.js';\n\
        const wasm = await init({ module_or_path: '/daily-papers-1f0c9a3b5d7e2468_bg.wasm' });\n</script>\
        <SCRIPT src=\"/other.js\"></SCRIPT></head><body></body></html>";

    #[test]
    fn inline_scripts_are_found_exactly_and_external_ones_skipped() {
        let scripts = inline_scripts(TRUNK_INDEX.as_bytes());
        assert_eq!(scripts.len(), 1);
        let script = std::str::from_utf8(scripts[0]).unwrap();
        assert!(script.starts_with("\nimport init"), "{script}");
        assert!(script.ends_with("_bg.wasm' });\n"), "{script}");
    }

    #[test]
    fn the_policy_names_each_inline_script_by_its_hash() {
        let policy = for_page(TRUNK_INDEX.as_bytes());
        let policy = policy.to_str().unwrap();
        let script = inline_scripts(TRUNK_INDEX.as_bytes())[0];
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
        assert!(
            policy.starts_with(&format!(
                "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';"
            )),
            "{policy}"
        );
        let script_src = policy.split(';').nth(1).unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{policy}");
        assert!(!policy.contains("'unsafe-eval'"), "{policy}");
    }

    #[test]
    fn the_page_may_reach_githubs_api() {
        let policy = for_page(TRUNK_INDEX.as_bytes());
        let connect = policy
            .to_str()
            .unwrap()
            .split(';')
            .find(|d| d.trim_start().starts_with("connect-src"))
            .unwrap()
            .to_owned();
        assert!(connect.split_whitespace().any(|s| s == "https://api.github.com"), "{connect}");
    }

    #[test]
    fn a_page_without_inline_scripts_allows_only_its_own_files() {
        let policy = for_page(b"<html><script src=/app.js></script><scripts>x</scripts></html>");
        assert!(policy
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval';"));
        assert!(inline_scripts(b"<script>unterminated").len() == 1);
        assert!(has_src(b" type=module src='x'"));
        assert!(!has_src(b" data-src=x"));
        assert!(!has_src(b" type=module"));
    }
}
