//! The page's moving in from cv-arxiv-daily and daily-arXiv-ai-enhanced, a Web Worker of its own
//! (see [`daily_papers_core::digest::moving_in::YAML_READER_READY`] for how the page talks to
//! it): a YAML library and the readers of those tools' files are large, and only a user moving
//! in needs them, so they stay out of the module every visitor downloads. What each file gives
//! is the core's decision ([`daily_papers_core::digest::moving_in::move_in_from`]), as in the
//! command-line tool's `init --from`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use daily_papers_core::digest::moving_in::YAML_READER_READY;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
        move |event: web_sys::MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            let _ = replies.post_message(&JsValue::from_str(&answer(&text)));
        },
    );
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // It answers for as long as the worker lives.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(YAML_READER_READY));
}

/// The [`MoveInAnswer`](daily_papers_core::digest::moving_in::MoveInAnswer) to a request, as JSON.
#[cfg(target_arch = "wasm32")]
fn answer(message: &str) -> String {
    use daily_papers_core::digest::moving_in::{
        move_in_from, yaml_to_json, MoveInAnswer, MoveInRequest,
    };
    let answer = match MoveInRequest::from_message(message) {
        Some(request) => MoveInAnswer::of(move_in_from(
            &request.files,
            &request.authors,
            yaml_to_json,
        )),
        None => MoveInAnswer::Refused("The page sent the reader something it cannot read.".into()),
    };
    answer.to_message()
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("yaml-reader runs in the browser, as the page's Web Worker.");
}
