//! A keyword's papers as a table with the README's columns: title (linking to arXiv), date,
//! abstract (behind "Show") and comment. Everything from the feed is set as text, never as HTML.

use crate::arxiv::{LinkStyle, Paper};
use crate::results::KeywordResults;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

#[component]
pub fn PaperTable(results: Arc<KeywordResults>, style: LinkStyle) -> impl IntoView {
    let empty = results.papers.is_empty();
    // Rows are built once per fetch of this keyword (or change of link style) and never change
    // afterwards, so they are plain elements: no signal or effect per row, which keeps
    // thousands of rows cheap to render.
    let rows = results
        .papers
        .iter()
        .map(|paper| paper_row(paper, style))
        .collect_view();
    view! {
        <p class="hint" hidden=!empty>"No paper in the allowed categories."</p>
        <div class="table-scroll" hidden=empty>
            <table class="papers">
                <thead>
                    <tr>
                        <th scope="col">"Title"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Abstract"</th>
                        <th scope="col">"Comment"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn paper_row(paper: &Paper, style: LinkStyle) -> impl IntoView {
    let title = paper.title.clone();
    let link = web_link(paper.link(style)).map(str::to_owned);
    let abstract_text = paper.abstract_text.clone();
    view! {
        <tr data-testid="paper-row">
            <td class="title">
                // Without a web address the <a> has no href: plain text, not a link.
                <a href=link rel="noopener noreferrer">{title}</a>
            </td>
            <td class="date">{paper.date().to_owned()}</td>
            <td class="abstract">
                <details on:toggle=move |ev| show_abstract(&ev, &abstract_text)>
                    <summary>"Show"</summary>
                </details>
            </td>
            <td class="comment">{paper.comment.clone()}</td>
        </tr>
    }
}

/// Adds the abstract the first time its `<details>` opens: most are never read, and not
/// rendering 2,000 abstracts up front is most of what makes a big page fast. Set as text.
fn show_abstract(ev: &web_sys::Event, text: &str) {
    let Some(details) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
    else {
        return;
    };
    if !details.open() || details.child_element_count() > 1 {
        return;
    }
    let Some(document) = details.owner_document() else {
        return;
    };
    if let Ok(p) = document.create_element("p") {
        p.set_text_content(Some(text));
        let _ = details.append_child(&p);
    }
}

/// A link from the feed, only if it is a web address: a `javascript:` URL in a hostile feed
/// must not become a clickable script.
fn web_link(href: &str) -> Option<&str> {
    let lower = href
        .trim_start()
        .get(..8)
        .unwrap_or(href)
        .to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(href)
}
