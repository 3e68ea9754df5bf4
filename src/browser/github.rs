//! GitHub's REST API from the page: one request as the core built it ([`send`]), with the token
//! in the `Authorization` header, sent only to addresses under the API base the user connected
//! to; and where the token is kept ([`save_token`], [`saved_token`], [`forget_token`]):
//! `sessionStorage` (this tab only) unless the user asked to be remembered on this device
//! (`localStorage`). The token is never written anywhere else: not in the config file, a share
//! link or the console.

use daily_papers_core::publish::api::{Answer, Request, ACCEPT, API_VERSION};
use daily_papers_core::publish::error::PublishError;
use daily_papers_core::publish::names::{ApiBase, Token};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The token's key, in `sessionStorage` or `localStorage`.
use daily_papers_core::app_state::keys::GITHUB_TOKEN_KEY as TOKEN_KEY;

/// Sends `request` with the token. Refuses (without sending) a URL outside `base`, so no other
/// host can ever receive the token. A request the browser could not complete is
/// [`PublishError::Offline`].
pub async fn send(base: &ApiBase, token: &Token, request: &Request) -> Result<Answer, PublishError> {
    if !base.covers(&request.url) {
        return Err(PublishError::Unexpected {
            detail: "a request outside the GitHub API address was refused".to_owned(),
        });
    }
    let window = web_sys::window().ok_or(PublishError::Offline)?;
    let headers = web_sys::Headers::new().map_err(|_| PublishError::Offline)?;
    let _ = headers.set("Authorization", &token.authorization());
    let _ = headers.set("Accept", ACCEPT);
    let _ = headers.set("X-GitHub-Api-Version", API_VERSION);
    let init = web_sys::RequestInit::new();
    init.set_method(request.method.as_str());
    if let Some(body) = &request.body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    // GitHub lets browsers cache its answers for a minute: a file read just after a write must
    // be what the repository holds now.
    init.set_cache(web_sys::RequestCache::NoStore);
    // No cookies or other credentials but the token.
    init.set_credentials(web_sys::RequestCredentials::Omit);
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(&request.url, &init))
            .await
            .map_err(|_| PublishError::Offline)?
            .dyn_into()
            .map_err(|_| PublishError::Offline)?;
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let ratelimit_remaining = header("x-ratelimit-remaining");
    let ratelimit_reset = header("x-ratelimit-reset");
    let oauth_scopes = header("x-oauth-scopes");
    let text = JsFuture::from(response.text().map_err(|_| PublishError::Offline)?)
        .await
        .map_err(|_| PublishError::Offline)?;
    Ok(Answer {
        status: response.status(),
        body: text.as_string().unwrap_or_default(),
        ratelimit_remaining,
        ratelimit_reset,
        oauth_scopes,
    })
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Keeps the token for this tab, or on this device when `remember`; only in one of the two.
/// False when the browser refuses to store it (the page then keeps it in memory only).
pub fn save_token(token: &Token, remember: bool) -> bool {
    forget_token();
    let store = if remember { local() } else { session() };
    store.is_some_and(|s| s.set_item(TOKEN_KEY, token.secret()).is_ok())
}

/// The token kept earlier (this tab's first, then this device's), and whether it is remembered
/// on this device. A stored value that is no longer a valid token is dropped.
pub fn saved_token() -> Option<(Token, bool)> {
    for (store, remembered) in [(session(), false), (local(), true)] {
        let Some(store) = store else { continue };
        if let Ok(Some(text)) = store.get_item(TOKEN_KEY) {
            match Token::parse(&text) {
                Ok(token) => return Some((token, remembered)),
                Err(_) => {
                    let _ = store.remove_item(TOKEN_KEY);
                }
            }
        }
    }
    None
}

/// Removes the token from both storages.
pub fn forget_token() {
    for store in [session(), local()].into_iter().flatten() {
        let _ = store.remove_item(TOKEN_KEY);
    }
}
