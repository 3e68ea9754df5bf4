//! Waiting in the browser without blocking it: a future that resolves after a number of
//! milliseconds (`setTimeout` behind a promise), and running a function later.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Resolves after `ms` milliseconds; `0` yields to the browser (it can paint and handle input)
/// and continues as soon as it can.
pub async fn sleep(ms: u32) {
    let ms = i32::try_from(ms).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        } else {
            // No window (cannot happen in a page): do not wait forever.
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Runs `f` once after `ms` milliseconds.
pub fn later(ms: u32, f: impl FnOnce() + 'static) {
    let ms = i32::try_from(ms).unwrap_or(i32::MAX);
    if let Some(window) = web_sys::window() {
        let callback = Closure::once_into_js(f);
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
    }
}
