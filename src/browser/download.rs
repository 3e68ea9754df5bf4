//! Saves text as a file the browser downloads (the README as `README.md`), through a Blob and
//! a temporary object URL.

use std::fmt;
use wasm_bindgen::{JsCast, JsValue};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadError(pub String);

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The browser did not start the download ({}). Use Copy instead.",
            self.0
        )
    }
}

impl std::error::Error for DownloadError {}

fn failed(e: JsValue) -> DownloadError {
    DownloadError(crate::browser::js_error::js_message(&e))
}

/// Offers `text` for download as `filename`, UTF-8 markdown.
pub fn download_text(filename: &str, text: &str) -> Result<(), DownloadError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| DownloadError("no document".into()))?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/markdown;charset=utf-8");
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| DownloadError("no link element".into()))?;
    link.set_href(&url);
    link.set_download(filename);
    link.click();
    // Some browsers read the blob only after the click returns; free it a little later.
    crate::browser::timers::later(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Ok(())
}
