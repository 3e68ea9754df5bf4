//! The reading settings: the links to a paper's HTML version on arXiv and to its alphaXiv page
//! (a discussion and overview) beside abs and PDF, on unless turned off here; and whether
//! opening a paper marks it read (off unless turned on here: reading a title is not reading
//! the paper).

use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn ReadingSettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="panel reading-settings" aria-label="Reading">
            <label>
                <input
                    type="checkbox"
                    data-testid="settings-reader-links"
                    prop:checked=move || state.reader_links.get()
                    on:change=move |ev| state.set_reader_links(event_target_checked(&ev))
                />
                " Under each paper, links to its HTML version and to alphaXiv"
            </label>
            <label>
                <input
                    type="checkbox"
                    data-testid="settings-opening-marks-read"
                    prop:checked=move || state.opening_marks_read.get()
                    on:change=move |ev| state.set_opening_marks_read(event_target_checked(&ev))
                />
                " Opening a paper\u{2019}s abstract or links marks it read"
            </label>
        </section>
    }
}
