//! A keyword's papers as a table with the README's columns: title (linking to arXiv), date,
//! abstract (behind "Show") and comment. Everything from the feed is set as text, never as HTML.

use crate::arxiv::{LinkStyle, Paper};
use crate::results::KeywordResults;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element};

/// The attribute on each row's `<details>` holding the paper's index, to find its abstract when
/// it is first opened.
const PAPER_INDEX_ATTR: &str = "data-paper";

#[component]
pub fn PaperTable(results: Arc<KeywordResults>, style: LinkStyle) -> impl IntoView {
    let empty = results.papers.is_empty();
    let table_rows = (Arc::clone(&results), style);
    // `toggle` does not bubble: one listener on the table, in the capture phase, for every row.
    let on_toggle = move |ev: web_sys::Event| show_abstract(&ev, &results.papers);
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
                <tbody use:rows=table_rows></tbody>
            </table>
        </div>
    }
}

/// Fills the table body as it is created (a directive runs synchronously, so the rows are there
/// when the table is): rows are built once per fetch of this keyword (or change of link style)
/// and never change afterwards, so they need no signal or effect each. One prototype row is
/// cloned natively per paper and its cells filled with text, which for 2,000 rows is several
/// times faster than creating every element from WASM one call at a time.
fn rows(body: Element, (results, style): (Arc<KeywordResults>, LinkStyle)) {
    fill_rows(&body, &results.papers, style);
}

/// Replaces the rows of `body` with one row per paper, every feed text set as text.
fn fill_rows(body: &Element, papers: &[Paper], style: LinkStyle) {
    let Some(document) = body.owner_document() else {
        return;
    };
    let Ok(prototype) = row_prototype(&document) else {
        return;
    };
    let rows = document.create_document_fragment();
    for (index, paper) in papers.iter().enumerate() {
        let Some(row) = prototype
            .clone_node_with_deep(true)
            .ok()
            .and_then(|node| node.dyn_into::<Element>().ok())
        else {
            return;
        };
        let cells = row.children();
        if let Some(link) = cells.item(0).and_then(|cell| cell.first_element_child()) {
            // Without a web address the <a> has no href: plain text, not a link.
            if let Some(href) = paper.web_link(style) {
                let _ = link.set_attribute("href", href);
            }
            link.set_text_content(Some(&paper.title));
        }
        if let Some(cell) = cells.item(1) {
            cell.set_text_content(Some(paper.date()));
        }
        if let Some(details) = cells.item(2).and_then(|cell| cell.first_element_child()) {
            let _ = details.set_attribute(PAPER_INDEX_ATTR, &index.to_string());
            // "Show" names its paper for screen readers: summary > hidden text > title.
            if let Some(title) = details
                .first_element_child()
                .and_then(|summary| summary.last_element_child())
                .and_then(|hidden| hidden.last_element_child())
            {
                title.set_text_content(Some(&paper.title));
            }
        }
        if let Some(cell) = cells.item(3) {
            cell.set_text_content(Some(&paper.comment));
        }
        let _ = rows.append_child(&row);
    }
    body.set_text_content(None);
    let _ = body.append_child(&rows);
}

/// An empty row: title link, date, a closed "Show" for the abstract, comment. Feed text takes
/// its direction from its own first letters (`dir="auto"`), so right-to-left titles read right.
fn row_prototype(document: &Document) -> Result<Element, JsValue> {
    let row = document.create_element("tr")?;
    row.set_attribute("data-testid", "paper-row")?;
    let cell = |class: &str| -> Result<Element, JsValue> {
        let cell = document.create_element("td")?;
        cell.set_class_name(class);
        row.append_child(&cell)?;
        Ok(cell)
    };
    let link = document.create_element("a")?;
    link.set_attribute("rel", "noopener noreferrer")?;
    link.set_attribute("dir", "auto")?;
    cell("title")?.append_child(&link)?;
    cell("date")?;
    let details = document.create_element("details")?;
    let summary = document.create_element("summary")?;
    let show = document.create_element("span")?;
    show.set_text_content(Some("Show"));
    summary.append_child(&show)?;
    let hidden = document.create_element("span")?;
    hidden.set_class_name("visually-hidden");
    hidden.set_text_content(Some(" abstract of "));
    let title = document.create_element("span")?;
    title.set_attribute("dir", "auto")?;
    hidden.append_child(&title)?;
    summary.append_child(&hidden)?;
    details.append_child(&summary)?;
    cell("abstract")?.append_child(&details)?;
    cell("comment")?.set_attribute("dir", "auto")?;
    Ok(row)
}

/// Adds the abstract the first time its `<details>` opens: most are never read, and not
/// rendering 2,000 abstracts up front is most of what makes a big page fast. Set as text.
fn show_abstract(ev: &web_sys::Event, papers: &[Paper]) {
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
        .and_then(|i| papers.get(i))
    else {
        return;
    };
    let Some(document) = details.owner_document() else {
        return;
    };
    if let Ok(p) = document.create_element("p") {
        let _ = p.set_attribute("dir", "auto");
        p.set_text_content(Some(&paper.abstract_text));
        let _ = details.append_child(&p);
    }
}
