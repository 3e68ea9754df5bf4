//! Puts text on the clipboard: the asynchronous Clipboard API where the page may use it, and
//! otherwise (plain-http pages, older browsers, a refused permission) the old way: a hidden
//! textarea, selected, and `document.execCommand("copy")`.

use std::fmt;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How the text reached the clipboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyMethod {
    ClipboardApi,
    HiddenTextarea,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClipboardError {
    /// Both ways were refused by the browser.
    Refused,
}

impl fmt::Display for ClipboardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClipboardError::Refused => write!(
                f,
                "The browser did not allow copying. Click in the README box, select all \
                 (Ctrl+A, or \u{2318}A on a Mac) and copy (Ctrl+C or \u{2318}C), or use Download."
            ),
        }
    }
}

impl std::error::Error for ClipboardError {}

/// Copies `text`, trying the Clipboard API first.
pub async fn copy_text(text: &str) -> Result<CopyMethod, ClipboardError> {
    if let Some(clipboard) = clipboard_api() {
        if JsFuture::from(clipboard.write_text(text)).await.is_ok() {
            return Ok(CopyMethod::ClipboardApi);
        }
    }
    copy_with_hidden_textarea(text).map(|()| CopyMethod::HiddenTextarea)
}

/// `navigator.clipboard`, which is `undefined` outside secure contexts (plain http on a LAN
/// address): calling a method on it there would throw.
fn clipboard_api() -> Option<web_sys::Clipboard> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &"clipboard".into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
        .and_then(|v| v.dyn_into::<web_sys::Clipboard>().ok())
}

/// The fallback: select the text in an off-screen textarea and ask the browser to copy the
/// selection. Focus goes back where it was.
pub fn copy_with_hidden_textarea(text: &str) -> Result<(), ClipboardError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(ClipboardError::Refused)?;
    let body = document.body().ok_or(ClipboardError::Refused)?;
    let previous_focus = document.active_element();
    let area: web_sys::HtmlTextAreaElement = document
        .create_element("textarea")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .ok_or(ClipboardError::Refused)?;
    area.set_value(text);
    // Off screen rather than hidden: a hidden element cannot be selected.
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("aria-hidden", "true");
    let _ = area.set_attribute("style", "position:fixed;top:0;left:-9999px;opacity:0");
    body.append_child(&area)
        .map_err(|_| ClipboardError::Refused)?;
    area.select();
    let copied = document
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    area.remove();
    if let Some(element) = previous_focus.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
    if copied {
        Ok(())
    } else {
        Err(ClipboardError::Refused)
    }
}
