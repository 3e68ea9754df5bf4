//! The page's YAML reader, a Web Worker of its own (see
//! [`daily_papers_core::digest::moving_in::YAML_READER_READY`] for how the page talks to it): a
//! YAML library is large, and only a user moving in from cv-arxiv-daily or
//! daily-arXiv-ai-enhanced needs one, so it stays out of the module every visitor downloads.
//! It only turns YAML into JSON; what each field becomes is the core's decision, as in the
//! command-line tool.

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

/// The [`YamlAnswer`](daily_papers_core::digest::moving_in::YamlAnswer) for `text`, as JSON.
#[cfg(target_arch = "wasm32")]
fn answer(text: &str) -> String {
    use daily_papers_core::digest::moving_in::YamlAnswer;
    let answer = match serde_norway::from_str::<serde_norway::Value>(text) {
        // Written in the file's order: the keyword groups become topics in it.
        Ok(value) => match serde_json::to_string(&value) {
            Ok(json) => YamlAnswer::Json(json),
            Err(e) => YamlAnswer::NotYaml(format!("not YAML Daily Papers can read: {e}")),
        },
        Err(e) => YamlAnswer::NotYaml(format!("not YAML: {e}")),
    };
    answer.to_message()
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("yaml-reader runs in the browser, as the page's Web Worker.");
}
