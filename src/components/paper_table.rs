//! A topic's papers as a table with the README's columns: title (linking to arXiv), date,
//! abstract (behind "Show") and comment; under the title, what the README leaves out: a "New" or
//! "updated to v3" mark, the first three authors, links to the abstract page and the PDF, and
//! the other topics holding the paper. Web addresses in a comment are links (http and https
//! only). Everything from the feed is set as text or built as elements, never as HTML.

use crate::arxiv::{LinkStyle, Paper};
use crate::library::authors::{all_authors, short_authors};
use crate::library::comment::{segments, Segment};
use crate::library::history::Novelty;
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

/// What a table shows besides the papers: which rows (all, or those a filter keeps), each
/// paper's mark, and the other topics holding some of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowView {
    /// The rows to show, by index into the papers; `None`: all of them.
    pub shown: Option<Vec<usize>>,
    /// Each paper's mark, in the papers' order (missing: seen).
    pub marks: Vec<Novelty>,
    /// `(row, "also in: Topic B")` for the papers other topics hold too, ascending by row.
    pub also_in: Vec<(usize, String)>,
}

#[component]
pub fn PaperTable(
    results: Arc<KeywordResults>,
    style: LinkStyle,
    view: Arc<RowView>,
) -> impl IntoView {
    let empty = results.papers.is_empty();
    let table_rows = (Arc::clone(&results), style, view);
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
fn rows(body: Element, (results, style, view): (Arc<KeywordResults>, LinkStyle, Arc<RowView>)) {
    body.set_text_content(None);
    let order: Vec<usize> = view
        .shown
        .clone()
        .unwrap_or_else(|| (0..results.papers.len()).collect());
    let first = ROWS_AT_ONCE.min(order.len());
    append_rows(
        &body,
        &results.papers,
        order.get(..first).unwrap_or_default(),
        style,
        &view,
    );
    if first < order.len() {
        // The rest a slice at a time, the browser free to paint and scroll in between: 2,000
        // rows at once would hold the main thread for longer than a frame.
        spawn_local(async move {
            let mut start = first;
            while start < order.len() && body.is_connected() {
                sleep(0).await;
                let end = (start + ROWS_AT_ONCE).min(order.len());
                let slice = order.get(start..end).unwrap_or_default();
                append_rows(&body, &results.papers, slice, style, &view);
                start = end;
            }
        });
    }
}

/// Rows built in one go (one browser task): about 10 ms worth.
const ROWS_AT_ONCE: usize = 250;

/// Appends one row per paper of `indices` to `body`, every feed text set as text.
fn append_rows(
    body: &Element,
    papers: &[Paper],
    indices: &[usize],
    style: LinkStyle,
    view: &RowView,
) {
    let Some(document) = body.owner_document() else {
        return;
    };
    let Ok(prototype) = row_prototype(&document) else {
        return;
    };
    let rows = document.create_document_fragment();
    for &index in indices {
        let Some(paper) = papers.get(index) else {
            continue;
        };
        let Some(row) = prototype
            .clone_node_with_deep(true)
            .ok()
            .and_then(|node| node.dyn_into::<Element>().ok())
        else {
            return;
        };
        let cells = row.children();
        if let Some(cell) = cells.item(0) {
            fill_title(&document, &row, &cell, paper, index, style, view);
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
            fill_comment(&document, &cell, &paper.comment);
        }
        let _ = rows.append_child(&row);
    }
    let _ = body.append_child(&rows);
}

/// The title cell: the title link, the paper's mark, its first authors, its abstract and PDF
/// links, and the other topics holding it.
fn fill_title(
    document: &Document,
    row: &Element,
    cell: &Element,
    paper: &Paper,
    index: usize,
    style: LinkStyle,
    view: &RowView,
) {
    let mut parts = cell.children();
    if let Some(link) = parts.item(0) {
        // Without a web address the <a> has no href: plain text, not a link.
        if let Some(href) = paper.web_link(style) {
            let _ = link.set_attribute("href", href);
        }
        link.set_text_content(Some(&paper.title));
    }
    let mark = match view.marks.get(index) {
        Some(Novelty::New) => Some(("new-badge", "New".to_owned())),
        Some(Novelty::Updated { to, .. }) => Some(("updated-label", format!("updated to v{to}"))),
        _ => None,
    };
    if let Some((test_id, text)) = mark {
        let _ = row.set_attribute("data-new", "true");
        if let Ok(badge) = document.create_element("span") {
            badge.set_class_name("badge");
            let _ = badge.set_attribute("data-testid", test_id);
            badge.set_text_content(Some(&text));
            let _ = parts.item(0).map(|link| link.after_with_node_1(&badge));
        }
        parts = cell.children();
    }
    let meta_at = parts.length().saturating_sub(1);
    if let Some(meta) = parts.item(meta_at) {
        let meta_parts = meta.children();
        if let Some(authors) = meta_parts.item(0) {
            authors.set_text_content(Some(&short_authors(&paper.authors)));
        }
        if let Ok(Some(bibtex)) = meta.query_selector("button.bibtex") {
            let _ = bibtex.set_attribute(PAPER_INDEX_ATTR, &index.to_string());
            let _ = bibtex.set_attribute("aria-label", &format!("Copy BibTeX of {}", paper.title));
        }
        for (at, link_style) in [(1, LinkStyle::Abs), (2, LinkStyle::Pdf)] {
            if let Some(link) = meta_parts.item(at) {
                match paper.web_link(link_style) {
                    Some(href) => {
                        let _ = link.set_attribute("href", href);
                    }
                    None => link.remove(),
                }
            }
        }
    }
    if let Ok(found) = view.also_in.binary_search_by_key(&index, |(row, _)| *row) {
        if let (Some((_, text)), Ok(note)) = (view.also_in.get(found), document.create_element("p"))
        {
            note.set_class_name("also-in");
            let _ = note.set_attribute("data-testid", "also-in");
            note.set_text_content(Some(text));
            let _ = cell.append_child(&note);
        }
    }
}

/// The comment cell: text, with its http and https addresses as links built as elements.
fn fill_comment(document: &Document, cell: &Element, comment: &str) {
    let parts = segments(comment);
    if !parts.iter().any(|part| matches!(part, Segment::Link(_))) {
        cell.set_text_content(Some(comment));
        return;
    }
    for part in parts {
        let node: Option<web_sys::Node> = match part {
            Segment::Text(text) => Some(document.create_text_node(text).into()),
            Segment::Link(href) => document.create_element("a").ok().map(|link| {
                let _ = link.set_attribute("href", href);
                let _ = link.set_attribute("rel", "noopener noreferrer nofollow");
                link.set_text_content(Some(href));
                link.into()
            }),
        };
        if let Some(node) = node {
            let _ = cell.append_child(&node);
        }
    }
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
    let title = cell("title")?;
    title.append_child(&link)?;
    // Authors, then the abstract page and the PDF (removed when the feed has no web address).
    let meta = document.create_element("p")?;
    meta.set_class_name("paper-meta");
    let authors = document.create_element("span")?;
    authors.set_class_name("authors");
    authors.set_attribute("data-testid", "authors")?;
    meta.append_child(&authors)?;
    for (test_id, text) in [("abs-link", "abs"), ("pdf-link", "pdf")] {
        let link = document.create_element("a")?;
        link.set_attribute("data-testid", test_id)?;
        link.set_attribute("rel", "noopener noreferrer")?;
        link.set_text_content(Some(text));
        meta.append_child(&link)?;
    }
    let bibtex = document.create_element("button")?;
    bibtex.set_attribute("type", "button")?;
    bibtex.set_class_name("bibtex");
    bibtex.set_attribute("data-testid", "paper-bibtex")?;
    bibtex.set_text_content(Some("BibTeX"));
    meta.append_child(&bibtex)?;
    title.append_child(&meta)?;
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
    if !paper.authors.is_empty() {
        if let Ok(p) = document.create_element("p") {
            p.set_class_name("all-authors");
            let _ = p.set_attribute("data-testid", "all-authors");
            p.set_text_content(Some(&all_authors(&paper.authors)));
            let _ = details.append_child(&p);
        }
    }
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
