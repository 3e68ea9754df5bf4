//! Reads the text of the file a user picked with an `<input type="file">` (a README to import, a
//! config file to load): one adapter, so every file input reads and fails the same way.

use wasm_bindgen::JsCast;

/// What a user sees when the browser cannot read the chosen file.
pub const UNREADABLE: &str = "The file could not be read.";

/// The file chosen in the input that fired `ev`, if one was chosen.
pub fn chosen_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))
}

/// The file's text, or [`UNREADABLE`] when the browser cannot read it.
pub async fn file_text(file: web_sys::File) -> Result<String, String> {
    wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| UNREADABLE.to_owned())
}
