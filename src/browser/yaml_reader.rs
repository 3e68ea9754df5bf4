//! The moving-in reader (`yaml-reader/`, built beside the app as `yaml-reader_loader.js`): started
//! as a module Web Worker only when another tool's files are imported, so its YAML library and
//! the core's readers of those files are not in the module every visitor downloads. It is sent
//! the files and answers what the core's moving-in made of them.

use daily_papers_core::digest::moving_in::{MoveInAnswer, MoveInRequest, YAML_READER_READY};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker's start script (Trunk's loader for `yaml-reader`), beside index.html.
const WORKER_URL: &str = "./yaml-reader_loader.js";

/// What a user sees when the reader cannot start (offline before the page kept it, say).
const NOT_LOADED: &str =
    "The reader of these files could not be loaded: check the connection and choose the files again.";

/// What the core's moving-in makes of the files (see [`MoveInAnswer`]), or why the reader could
/// not say.
pub async fn move_in(request: &MoveInRequest) -> Result<MoveInAnswer, String> {
    let text = request.to_message();
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(WORKER_URL, &options)
        .map_err(|_| NOT_LOADED.to_owned())?;
    // The closures live until the answer came; the worker is ended before they are dropped.
    let mut on_message = None;
    let mut on_error = None;
    let answered = js_sys::Promise::new(&mut |resolve, reject| {
        let talking_to = worker.clone();
        let text = text.clone();
        let message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let data = event.data().as_string().unwrap_or_default();
                if data == YAML_READER_READY {
                    let _ = talking_to.post_message(&JsValue::from_str(&text));
                } else {
                    let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&data));
                }
            },
        );
        let error = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
            let _ = reject.call0(&JsValue::NULL);
        });
        worker.set_onmessage(Some(message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(error.as_ref().unchecked_ref()));
        on_message = Some(message);
        on_error = Some(error);
    });
    let answer = wasm_bindgen_futures::JsFuture::from(answered).await;
    worker.terminate();
    drop((on_message, on_error));
    let answer = answer
        .ok()
        .and_then(|a| a.as_string())
        .ok_or_else(|| NOT_LOADED.to_owned())?;
    MoveInAnswer::from_message(&answer).ok_or_else(|| NOT_LOADED.to_owned())
}
