//! A keyword's papers as a table with the README's columns: title (linking to arXiv), date,
//! abstract (behind "Show") and comment. Feed text only ever becomes text: the rows' markup is
//! built with every text escaped ([`crate::rows_markup`]), and the abstract is set as text.

use crate::arxiv::LinkStyle;
use crate::results::KeywordResults;
use crate::rows_markup::{rows_html, PAPER_INDEX_ATTR};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

#[component]
pub fn PaperTable(results: Arc<KeywordResults>, style: LinkStyle) -> impl IntoView {
    let empty = results.papers.is_empty();
    // Rows are built once per fetch of this keyword (or change of link style) and never change
    // afterwards: one string of markup the browser parses natively, rather than thousands of
    // elements created one call at a time from WASM (the render of 2,000 rows is several times
    // faster). No signal or effect per row.
    let rows = rows_html(&results.papers, style);
    // `toggle` does not bubble: one listener on the table, in the capture phase, for every row.
    let on_toggle = move |ev: web_sys::Event| show_abstract(&ev, &results);
    view! {
        <p class="hint" hidden=!empty>"No paper in the allowed categories."</p>
        <div class="table-scroll" hidden=empty>
            <table class="papers" on:toggle:capture=on_toggle>
                <thead>
                    <tr>
                        <th scope="col">"Title"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Abstract"</th>
                        <th scope="col">"Comment"</th>
                    </tr>
                </thead>
                <tbody inner_html=rows></tbody>
            </table>
        </div>
    }
}

/// Adds the abstract the first time its `<details>` opens: most are never read, and not
/// rendering 2,000 abstracts up front is most of what makes a big page fast. Set as text.
fn show_abstract(ev: &web_sys::Event, results: &KeywordResults) {
    let Some(details) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
    else {
        return;
    };
    if !details.open() || details.child_element_count() > 1 {
        return;
    }
    let Some(paper) = details
        .get_attribute(PAPER_INDEX_ATTR)
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| results.papers.get(i))
    else {
        return;
    };
    let Some(document) = details.owner_document() else {
        return;
    };
    if let Ok(p) = document.create_element("p") {
        p.set_text_content(Some(&paper.abstract_text));
        let _ = details.append_child(&p);
    }
}
