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
/// selection. Browsers allow this during a click. Focus goes back where it was.
pub fn copy_with_hidden_textarea(text: &str) -> Result<(), ClipboardError> {
    with_text_selected(text, |document, _| {
        document.exec_command("copy").unwrap_or(false)
    })
}

/// Puts `text` in an off-screen textarea, selects all of it, runs `copy`, and removes the
/// textarea again whatever happened.
fn with_text_selected(
    text: &str,
    copy: impl FnOnce(&web_sys::HtmlDocument, &web_sys::HtmlTextAreaElement) -> bool,
) -> Result<(), ClipboardError> {
    let document: web_sys::HtmlDocument = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into().ok())
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
    let copied = copy(&document, &area);
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

#[cfg(test)]
mod tests {
    //! Run with the clipboard permission that `webdriver.json` grants to the test page.
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    const README: &str =
        "# Daily Papers\n| **[A <b>&</b> B \u{00e9}](https://arxiv.org/abs/1)** | 2025-02-05 |  |\n\n";

    fn document() -> web_sys::Document {
        web_sys::window().unwrap().document().unwrap()
    }

    fn focused_button() -> web_sys::HtmlElement {
        let doc = document();
        let button: web_sys::HtmlElement =
            doc.create_element("button").unwrap().dyn_into().unwrap();
        doc.body().unwrap().append_child(&button).unwrap();
        button.focus().unwrap();
        button
    }

    fn textareas() -> u32 {
        document().get_elements_by_tag_name("textarea").length()
    }

    #[wasm_bindgen_test]
    async fn with_permission_the_clipboard_api_holds_exactly_the_text() {
        assert_eq!(copy_text(README).await, Ok(CopyMethod::ClipboardApi));
        let clipboard = clipboard_api().unwrap();
        let back = JsFuture::from(clipboard.read_text()).await.unwrap();
        assert_eq!(back.as_string().as_deref(), Some(README));
    }

    #[wasm_bindgen_test]
    fn fallback_selects_exactly_the_text_then_cleans_up_and_restores_focus() {
        let button = focused_button();
        let before = textareas();
        let mut selected = None;
        let result = with_text_selected(README, |_, area| {
            let value: Vec<u16> = area.value().encode_utf16().collect();
            let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
            let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
            selected = Some(String::from_utf16_lossy(&value[start..end]));
            true
        });
        assert_eq!(result, Ok(()));
        assert_eq!(selected.as_deref(), Some(README));
        assert_eq!(textareas(), before, "the textarea is gone");
        assert!(document()
            .active_element()
            .unwrap()
            .is_same_node(Some(&button)));
        button.remove();
    }

    #[wasm_bindgen_test]
    fn fallback_outside_a_click_is_refused_and_leaves_nothing_behind() {
        // execCommand("copy") needs a user's click; a test has none, so the browser refuses.
        let button = focused_button();
        let before = textareas();
        assert_eq!(
            copy_with_hidden_textarea(README),
            Err(ClipboardError::Refused)
        );
        assert_eq!(textareas(), before);
        assert!(document()
            .active_element()
            .unwrap()
            .is_same_node(Some(&button)));
        button.remove();
    }

    #[wasm_bindgen_test]
    fn refusal_tells_the_user_what_to_do_instead() {
        let text = ClipboardError::Refused.to_string();
        assert!(text.contains("Ctrl+C") && text.contains("Download"));
    }
}
