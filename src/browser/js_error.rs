//! The message of a value thrown by the browser (storage, network, download), for the user.

use wasm_bindgen::{JsCast, JsValue};

/// The message of a thrown JS value, for the user.
pub fn js_message(error: &JsValue) -> String {
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    if let Some(e) = error.dyn_ref::<web_sys::DomException>() {
        return e.message();
    }
    error
        .as_string()
        .unwrap_or_else(|| "unknown error".to_owned())
}
