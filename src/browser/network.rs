//! One HTTP GET, as the fetch loop needs it: the status, the `X-Cache` (or `X-Source`), `Age` and `Retry-After` headers
//! (when the endpoint sends them and lets the page read them), the mirror's harvest time
//! (`X-Mirror-Harvested-At`) for the page's note, and the body bytes, or the fact
//! that the browser could not complete the request at all. Straight on the browser's `fetch`: a
//! wrapper crate would add to every visitor's download for four calls.

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
    let now = std::time::UNIX_EPOCH + std::time::Duration::from_millis(js_sys::Date::now() as u64);
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let mut answer = Answer::head(response.status(), header, now);
    let mirror_harvested_at = header("x-mirror-harvested-at");
    // A connection cut while reading the body is a network failure too.
    let buffer = JsFuture::from(response.array_buffer().map_err(network_error)?)
        .await
        .map_err(network_error)?;
    answer.body = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(Reply {
        answer,
        mirror_harvested_at,
    })
}
