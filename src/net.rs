//! One HTTP GET, as the fetch loop needs it: the status, the `X-Cache` header and the body bytes,
//! or the fact that the browser could not complete the request at all.

use gloo_net::http::Request;

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    /// The `X-Cache` header of the project's own server (`HIT`, `MISS`, `STALE`), if sent and
    /// exposed to the page.
    pub x_cache: Option<String>,
    pub body: Vec<u8>,
}

/// The browser's reason, for the developer console; the user sees
/// [`crate::fetch_policy::FetchError::Network`], since browsers hide whether CORS was the cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkError(pub String);

pub async fn get(url: &str) -> Result<HttpAnswer, NetworkError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| NetworkError(e.to_string()))?;
    let status = response.status();
    let x_cache = response.headers().get("x-cache");
    // A connection cut while reading the body is a network failure too.
    let body = response
        .binary()
        .await
        .map_err(|e| NetworkError(e.to_string()))?;
    Ok(HttpAnswer {
        status,
        x_cache,
        body,
    })
}
