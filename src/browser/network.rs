//! One HTTP GET, as the fetch loop needs it: the status, the `X-Cache` (or `X-Source`) and `Retry-After` headers
//! (when the endpoint sends them and lets the page read them), the mirror's harvest time
//! (`X-Mirror-Harvested-At`) for the page's note, and the body bytes, or the fact
//! that the browser could not complete the request at all. Straight on the browser's `fetch`: a
//! wrapper crate would add to every visitor's download for four calls.

use daily_papers_core::fetch::policy::{cache_header, retry_after_seconds};
use daily_papers_core::fetch::run::Answer;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The browser's reason, for the developer console; the user sees
/// [`daily_papers_core::fetch::policy::FetchError::Network`], since browsers hide whether CORS was the cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkError(pub String);

fn network_error(e: wasm_bindgen::JsValue) -> NetworkError {
    NetworkError(crate::browser::js_error::js_message(&e))
}

/// An answer, and the `X-Mirror-Harvested-At` header the project's server sends with an answer
/// from its mirror (said once after the run, see [`daily_papers_core::fetch::source`]).
pub struct Reply {
    pub answer: Answer,
    pub mirror_harvested_at: Option<String>,
}

pub async fn get(url: &str) -> Result<Reply, NetworkError> {
    let window = web_sys::window().ok_or_else(|| NetworkError("no window".into()))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(network_error)?
        .dyn_into()
        .map_err(network_error)?;
    let status = response.status();
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let cache = cache_header(header("x-cache"), header("x-source").as_deref());
    let retry_after = header("retry-after").and_then(|v| retry_after_seconds(&v));
    let mirror_harvested_at = header("x-mirror-harvested-at");
    // A connection cut while reading the body is a network failure too.
    let buffer = JsFuture::from(response.array_buffer().map_err(network_error)?)
        .await
        .map_err(network_error)?;
    let body = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(Reply {
        answer: Answer {
            status,
            body,
            cache,
            retry_after,
        },
        mirror_harvested_at,
    })
}
