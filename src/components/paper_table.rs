//! A keyword's papers as a table with the README's columns: title (linking to arXiv), date,
//! abstract (behind "Show") and comment. Everything from the feed is set as text, never as HTML.

use crate::arxiv::{LinkStyle, Paper};
use crate::results::KeywordResults;
use crate::timer::sleep;
use leptos::prelude::*;
use leptos::task::spawn_local;
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
    let papers = Arc::clone(&results);
    let on_toggle = move |ev: web_sys::Event| show_abstract(&ev, &results.papers);
    // One listener for every row's "BibTeX" button.
    let on_click = move |ev: web_sys::MouseEvent| copy_bibtex(&ev, &papers.papers);
    view! {
        <p class="hint" hidden=!empty>"No paper in the allowed categories."</p>
        <div class="table-scroll" hidden=empty>
            <table class="papers" on:toggle:capture=on_toggle on:click=on_click>
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
    body.set_text_content(None);
    let first = ROWS_AT_ONCE.min(results.papers.len());
    append_rows(&body, &results.papers, 0..first, style);
    if first < results.papers.len() {
        // The rest a slice at a time, the browser free to paint and scroll in between: 2,000
        // rows at once would hold the main thread for longer than a frame.
        spawn_local(async move {
            let mut start = first;
            while start < results.papers.len() && body.is_connected() {
                sleep(0).await;
                let end = (start + ROWS_AT_ONCE).min(results.papers.len());
                append_rows(&body, &results.papers, start..end, style);
                start = end;
            }
        });
    }
}

/// Rows built in one go (one browser task): about 10 ms worth.
const ROWS_AT_ONCE: usize = 250;

/// Appends one row per paper of `range` to `body`, every feed text set as text.
fn append_rows(body: &Element, papers: &[Paper], range: std::ops::Range<usize>, style: LinkStyle) {
    let Some(document) = body.owner_document() else {
        return;
    };
    let Ok(prototype) = row_prototype(&document) else {
        return;
    };
    let rows = document.create_document_fragment();
    let start = range.start;
    for (index, paper) in papers.get(range).unwrap_or_default().iter().enumerate() {
        let index = start + index;
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
            if let Some(bibtex) = link.next_element_sibling() {
                let _ = bibtex.set_attribute(PAPER_INDEX_ATTR, &index.to_string());
                let _ =
                    bibtex.set_attribute("aria-label", &format!("Copy BibTeX of {}", paper.title));
            }
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
    let title_cell = cell("title")?;
    title_cell.append_child(&link)?;
    let bibtex = document.create_element("button")?;
    bibtex.set_attribute("type", "button")?;
    bibtex.set_class_name("bibtex");
    bibtex.set_attribute("data-testid", "paper-bibtex")?;
    bibtex.set_text_content(Some("BibTeX"));
    title_cell.append_child(&bibtex)?;
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

/// A row's "BibTeX" button: that paper's entry (the core's [`crate::digest::bibtex`]) on the
/// clipboard; the button says "Copied" for a moment.
fn copy_bibtex(ev: &web_sys::MouseEvent, papers: &[Paper]) {
    let Some(button) = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .filter(|el| el.class_name() == "bibtex")
    else {
        return;
    };
    let Some(paper) = button
        .get_attribute(PAPER_INDEX_ATTR)
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| papers.get(i))
    else {
        return;
    };
    let text = crate::digest::bibtex::bibtex(paper);
    spawn_local(async move {
        let said = match crate::clipboard::copy_text(&text).await {
            Ok(_) => "Copied",
            Err(_) => "Not copied",
        };
        button.set_text_content(Some(said));
        sleep(2_000).await;
        button.set_text_content(Some("BibTeX"));
    });
}
