//! Where keyboard focus goes after an action that removes or disables the focused control, so
//! it never falls back to the page's body.

use leptos::prelude::request_animation_frame;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement};

fn document() -> Option<Document> {
    web_sys::window().and_then(|w| w.document())
}

/// True when nothing in particular has focus: the body, or a control just disabled or removed.
pub fn is_lost_or_on(selectors: &str) -> bool {
    let Some(active) = document().and_then(|d| d.active_element()) else {
        return true;
    };
    active.tag_name().eq_ignore_ascii_case("body") || active.matches(selectors).unwrap_or(false)
}

/// Focuses the first element matching each selector in turn (the first that exists and is
/// enabled wins) once the page has been updated.
pub fn focus_first_later(selectors: Vec<String>) {
    request_animation_frame(move || {
        let Some(document) = document() else { return };
        for selector in &selectors {
            let found = document
                .query_selector(selector)
                .ok()
                .flatten()
                .and_then(|el| el.dyn_into::<HtmlElement>().ok())
                .filter(|el| !el.has_attribute("disabled"));
            if let Some(el) = found {
                let _ = el.focus();
                return;
            }
        }
    });
}
