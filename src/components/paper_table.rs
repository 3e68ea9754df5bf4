//! A topic's papers as a table with the README's columns: title (linking to arXiv), date,
//! abstract (behind "Show") and comment; under the title, what the README leaves out: a "New" or
//! "updated to v3" mark, the first three authors, links to the abstract page and the PDF, and
//! the other topics holding the paper. Web addresses in a comment are links (http and https
//! only). Everything from the feed is set as text or built as elements, never as HTML.

use daily_papers_core::arxiv::{LinkStyle, Paper};
use crate::browser::near_view::{holds_focus, is_on_screen, watch_while_owned, Margins};
use daily_papers_core::library::authors::{all_authors, short_authors};
use daily_papers_core::library::comment::{segments, Segment};
use daily_papers_core::library::history::Novelty;
use daily_papers_core::library::paper_id::PaperId;
use daily_papers_core::library::results::KeywordResults;
use daily_papers_core::library::marks::Marks;
use daily_papers_core::digest::bibtex::arxiv_id;
use daily_papers_core::topics::explain::{explain, pieces};
use daily_papers_core::topics::Topic;
use crate::state::AppState;
use crate::browser::timers::sleep;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

/// The attribute on each row's `<details>` holding the paper's index, to find its abstract when
/// it is first opened.
const PAPER_INDEX_ATTR: &str = "data-paper";

/// The attribute on each row holding its paper's arXiv id, to find the paper again in the rows
/// made anew (see [`ReaderPlace`]).
const PAPER_ID_ATTR: &str = "data-id";

/// What a table shows besides the papers: which rows (all, or those a filter keeps) and each
/// paper's mark. A change makes the table again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowView {
    /// The rows to show, by index into the papers; `None`: all of them.
    pub shown: Option<Vec<usize>>,
    /// Each paper's mark, in the papers' order (missing: seen).
    pub marks: Vec<Novelty>,
    /// The topic the papers came for: each row says why it matched.
    pub topic: Option<Topic>,
    /// Links to arXiv's HTML version and to alphaXiv beside abs and PDF.
    pub reader_links: bool,
}

/// `(paper, "also in: Topic B")` for the papers other topics hold too, ascending by the paper's
/// index. A change (another topic fetched) updates the notes in the rows built, in place: the
/// abstract a reader opened and the focus stay.
pub type AlsoIn = Vec<(usize, String)>;

/// What a table's rows are made from: the papers, the link style and the rows' view. The
/// section gives it as a memo; a change makes the rows again in the same table.
#[derive(Clone)]
pub struct TableSource {
    pub results: Arc<KeywordResults>,
    pub style: LinkStyle,
    pub view: Arc<RowView>,
}

impl TableSource {
    /// The same source, made once (compared by address: comparing 40,000 papers, or each row's
    /// view, at every change would cost time and download).
    pub fn same(&self, other: &TableSource) -> bool {
        Arc::ptr_eq(&self.results, &other.results)
            && self.style == other.style
            && Arc::ptr_eq(&self.view, &other.view)
    }
}

/// The table owns its element (`table`), what its rows were made from and the owner of their
/// effects: the rows are made as the element is created (synchronously, so the first section's
/// rows are in the page's first layout), and made again by one effect whenever `source`
/// changes (new papers, a filter or a link style), in the same element, the reader's place kept;
/// each making ends the effects and the watching of the one before. The notes of `also_in`
/// change in place.
#[component]
pub fn PaperTable(
    source: Memo<Option<TableSource>>,
    also_in: Memo<AlsoIn>,
    /// Every row at once, near the screen or not (the benchmark's render figure).
    #[prop(optional)]
    build_all: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let table = NodeRef::<leptos::html::Table>::new();
    let made = StoredValue::new_local(Made::default());
    let make = move |element: Element| {
        let Some(from) = source.get_untracked() else {
            return;
        };
        let before = made
            .try_update_value(|made| {
                if made.from.as_ref().is_some_and(|made| made.same(&from)) {
                    return Err(());
                }
                made.from = Some(from.clone());
                Ok(made.owner.take())
            })
            .unwrap_or(Err(()));
        let Ok(before) = before else {
            return;
        };
        if let Some(before) = before {
            before.cleanup();
        }
        let owner = Owner::new();
        owner.with(|| {
            rows(
                element,
                TableInput {
                    results: from.results,
                    style: from.style,
                    view: from.view,
                    also_in,
                    build_all,
                    state,
                },
            )
        });
        made.update_value(|made| made.owner = Some(owner));
    };
    // The one effect that makes the rows again when what they are made from changes.
    Effect::new(move |_| {
        source.track();
        if let Some(element) = table.get() {
            untrack(|| make(element.into()));
        }
    });
    let empty = move || source.with(|s| s.as_ref().is_none_or(|s| s.results.papers.is_empty()));
    let papers = move || source.with_untracked(|s| s.as_ref().map(|s| Arc::clone(&s.results)));
    // `toggle` does not bubble: one listener on the table, in the capture phase, for every row.
    let on_toggle = move |ev: web_sys::Event| {
        let Some(results) = papers() else {
            return;
        };
        let topic = source.with_untracked(|s| s.as_ref().and_then(|s| s.view.topic.clone()));
        show_abstract(&ev, &results.papers, topic.as_ref());
        if state.opening_marks_read.get_untracked() {
            mark_opened(&ev, &results.papers, state, "details[open]");
        }
    };
    // One listener for every row's buttons (BibTeX, read, save) and links.
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(results) = papers() else {
            return;
        };
        if state.opening_marks_read.get_untracked() {
            mark_opened(&ev, &results.papers, state, "td.title a[href]");
        }
        if !mark_from_button(&ev, &results.papers, state) {
            copy_bibtex(&ev, &results.papers);
        }
    };
    view! {
        <p class="hint" hidden=move || !empty()>"No paper in the allowed categories."</p>
        <div class="table-scroll" hidden=empty>
            // Header and rows are made by `rows`, in that order.
            <table class="papers" on:toggle:capture=on_toggle on:click=on_click node_ref=table use:first_rows=make></table>
        </div>
    }
}

/// What a table's rows were last made from, and the owner of their effects and watching.
#[derive(Default)]
struct Made {
    from: Option<TableSource>,
    owner: Option<Owner>,
}

/// Makes a table's rows as its element is created (see [`PaperTable`]).
fn first_rows(table: Element, make: impl Fn(Element)) {
    make(table);
}

/// Rows per `<tbody>`: the unit of rows built as it comes near the screen and emptied again
/// far from it (a few milliseconds of building).
const CHUNK_ROWS: usize = 10;

/// How far ahead of the screen rows are built (a screen above and below), and how far behind
/// they are kept (three screens).
const ROWS_AHEAD: Margins = Margins {
    make: 100,
    keep: 300,
};

/// A row's height before any has been measured, in CSS pixels (a title on one line, the
/// authors' line and the BibTeX button); afterwards, the last measured average.
const FIRST_ROW_ESTIMATE: f64 = 88.0;

thread_local! {
    /// The height of a row as last measured, for sizing the chunks never built yet.
    static ROW_ESTIMATE: Cell<f64> = const { Cell::new(FIRST_ROW_ESTIMATE) };
}

/// About how tall a table of `rows` rows is, in CSS pixels, from the rows measured so far: what
/// an empty block holds in its place while it is not made.
pub fn table_height_estimate(rows: usize) -> f64 {
    HEADER_ESTIMATE + rows as f64 * ROW_ESTIMATE.get()
}

/// `height` as a CSS length in whole pixels (formatted as an integer: formatting a float with a
/// precision would add its own code to every visitor's download).
pub fn css_pixels(height: f64) -> String {
    format!("{}px", height.max(0.0).round() as u64)
}

/// The header row's height, in CSS pixels.
const HEADER_ESTIMATE: f64 = 40.0;

/// Fills the table (see [`PaperTable`]), and again whenever its papers, link style or view
/// change (not its notes: [`TableRows::note_also_in`]), with a
/// header and one `<tbody>` per [`CHUNK_ROWS`] rows, each an empty placeholder of about its
/// height until it comes near the screen, and emptied again (its measured height kept) when it
/// goes far from it: with 40,000 papers the page holds a few hundred rows, whatever the
/// scrolling. Rows are built once per fetch of this keyword (or change of link style or
/// filter), so they need no signal or effect each; one prototype row is cloned natively per
/// paper and its cells filled with text.
fn rows(
    table: Element,
    TableInput {
        results,
        style,
        view,
        also_in,
        build_all,
        state,
    }: TableInput,
) {
    // New papers, a filter or a link style: out with the old rows, keeping the reader's place.
    let place = ReaderPlace::of(&table);
    while let Ok(Some(old)) = table.query_selector(":scope > thead, :scope > tbody") {
        old.remove();
    }
    let order: Vec<usize> = view
        .shown
        .clone()
        .unwrap_or_else(|| (0..results.papers.len()).collect());
    // The header row counts: screen readers say "row 40 of 2,001" although few are built.
    let _ = table.set_attribute("aria-rowcount", &(order.len() + 1).to_string());
    let Some(document) = table.owner_document() else {
        return;
    };
    let (Ok(head), Ok(prototype)) = (header(&document), row_prototype(&document)) else {
        return;
    };
    let _ = table.append_child(&head);
    let chunks: Vec<Element> = order
        .chunks(CHUNK_ROWS)
        .filter_map(|part| {
            let body = document.create_element("tbody").ok()?;
            set_placeholder(&document, &body, part.len() as f64 * ROW_ESTIMATE.get());
            table.append_child(&body).ok()?;
            Some(body)
        })
        .collect();
    let built = chunks.iter().map(|_| Cell::new(false)).collect();
    let table_rows = Rc::new(TableRows {
        results,
        style,
        view,
        also_in: RefCell::new(also_in.get_untracked()),
        order,
        prototype,
        chunks,
        built,
        marks: state.marks,
    });
    let noted = Rc::clone(&table_rows);
    Effect::new(move || also_in.with(|notes| noted.note_also_in(notes)));
    // A paper marked read or saved (here, in another section or another tab): its rows say so
    // in place, the reader's place untouched.
    let marked = Rc::clone(&table_rows);
    Effect::new(move || state.marks.with(|marks| marked.show_marks(marks)));
    register(&table_rows);
    place.restore(&table_rows);
    if build_all {
        (0..table_rows.chunks.len()).for_each(|i| table_rows.build(i));
        return;
    }
    // The page's first table builds its first rows at once, before the page is first laid
    // out: it is the first section's, at the top of the results, and the first look would
    // show the page for a frame without them.
    if NO_TABLE_YET.replace(false) {
        table_rows.build(0);
    }
    first_look(Rc::clone(&table_rows));
    let chunks = table_rows.chunks.clone();
    let watched = Rc::clone(&table_rows);
    // Stops watching when the table goes (a new fetch, filter or link style makes a new one).
    let watching = watch_while_owned(&chunks, ROWS_AHEAD, move |changes| {
        for change in changes {
            if change.near {
                watched.build(change.index);
            } else {
                watched.empty(change.index, change.height);
            }
        }
    });
    if !watching {
        // No IntersectionObserver: every row, as before there was one.
        (0..table_rows.chunks.len()).for_each(|i| table_rows.build(i));
    }
}

thread_local! {
    /// No table has been made on the page yet (see [`rows`]).
    static NO_TABLE_YET: Cell<bool> = const { Cell::new(true) };
    /// Tables waiting for their first look (see [`first_look`]).
    static FIRST_LOOKS: RefCell<Vec<Rc<TableRows>>> = const { RefCell::new(Vec::new()) };
}

/// Builds the table's chunks that are on the screen before the next paint: the observer's
/// first answer (which builds those near it) comes only after it, and a table would show blank
/// for a frame. One pass for all the tables made in the same frame (a search remakes those near
/// the screen): every chunk is measured first, in one layout, and then the ones on screen are
/// built; measuring between builds would lay the page out again for each table.
fn first_look(table: Rc<TableRows>) {
    let first_of_frame = FIRST_LOOKS.with_borrow_mut(|waiting| {
        waiting.push(table);
        waiting.len() == 1
    });
    if !first_of_frame {
        return;
    }
    request_animation_frame(|| {
        let tables = FIRST_LOOKS.take();
        let near: Vec<(&TableRows, usize)> = tables
            .iter()
            .flat_map(|table| {
                table
                    .chunks
                    .iter()
                    .enumerate()
                    .filter(|(_, chunk)| chunk.is_connected() && is_on_screen(chunk))
                    .map(move |(i, _)| (table.as_ref(), i))
            })
            .collect();
        for (table, i) in near {
            table.build(i);
        }
    });
}

/// What [`rows`] is given.
struct TableInput {
    results: Arc<KeywordResults>,
    style: LinkStyle,
    view: Arc<RowView>,
    also_in: Memo<AlsoIn>,
    /// Every row at once (the benchmark's render figure).
    build_all: bool,
    state: AppState,
}

/// A table's chunks and what their rows are made from.
struct TableRows {
    results: Arc<KeywordResults>,
    style: LinkStyle,
    view: Arc<RowView>,
    /// The notes of papers other topics hold too, as of now.
    also_in: RefCell<AlsoIn>,
    /// The papers' indices in the order shown.
    order: Vec<usize>,
    prototype: Element,
    /// One `<tbody>` per [`CHUNK_ROWS`] of `order`.
    chunks: Vec<Element>,
    /// Which chunks hold their rows.
    built: Vec<Cell<bool>>,
    /// The reader's read and saved marks.
    marks: RwSignal<Marks>,
}

thread_local! {
    /// The tables on the page, for the keyboard to build the rows it moves to.
    static TABLES: RefCell<Vec<std::rc::Weak<TableRows>>> = const { RefCell::new(Vec::new()) };
}

/// Lists a table for [`build_chunk`] (and forgets the tables gone).
fn register(table: &Rc<TableRows>) {
    TABLES.with_borrow_mut(|tables| {
        tables.retain(|t| t.upgrade().is_some_and(|t| t.chunks.iter().any(|c| c.is_connected())));
        tables.push(Rc::downgrade(table));
    });
}

/// Builds the rows of `body`, a table's chunk still empty far from the screen (the keyboard
/// moves into it); nothing if it is not one.
pub fn build_chunk(body: &Element) {
    let table = TABLES.with_borrow(|tables| {
        tables.iter().filter_map(std::rc::Weak::upgrade).find_map(|t| {
            let at = t.chunks.iter().position(|c| c == body)?;
            Some((t, at))
        })
    });
    if let Some((table, at)) = table {
        table.build(at);
    }
}

impl TableRows {
    /// Builds chunk `i`'s rows in place of its placeholder (nothing if they are there).
    fn build(&self, i: usize) {
        let (Some(body), Some(built)) = (self.chunks.get(i), self.built.get(i)) else {
            return;
        };
        if built.replace(true) {
            return;
        }
        let start = i * CHUNK_ROWS;
        let end = (start + CHUNK_ROWS).min(self.order.len());
        body.set_text_content(None);
        self.append_rows(body, start..end);
    }

    /// The row of the paper `key` (its id without version), its chunk built; `None` when the
    /// table does not show it.
    fn row_of(&self, key: &str) -> Option<Element> {
        let papers = &self.results.papers;
        let position = self.order.iter().position(|&i| {
            papers
                .get(i)
                .is_some_and(|p| PaperId::parse(&p.id).key == key)
        })?;
        let chunk = position / CHUNK_ROWS;
        self.build(chunk);
        self.chunks
            .get(chunk)?
            .children()
            .item((position % CHUNK_ROWS) as u32)
    }

    /// Puts `notes` in place of the rows' "also in" notes: in the rows built now, and in those
    /// built later.
    fn note_also_in(&self, notes: &AlsoIn) {
        if *self.also_in.borrow() == *notes {
            return;
        }
        *self.also_in.borrow_mut() = notes.clone();
        let Some(document) = self.chunks.first().and_then(|c| c.owner_document()) else {
            return;
        };
        for (i, body) in self.chunks.iter().enumerate() {
            if !self.built.get(i).is_some_and(Cell::get) {
                continue;
            }
            let rows = body.children();
            for (at, &index) in self
                .order
                .iter()
                .skip(i * CHUNK_ROWS)
                .take(CHUNK_ROWS)
                .enumerate()
            {
                let Some(cell) = rows
                    .item(at as u32)
                    .and_then(|row| row.first_element_child())
                else {
                    continue;
                };
                if let Ok(Some(old)) = cell.query_selector(":scope > .also-in") {
                    old.remove();
                }
                add_also_in(&document, &cell, notes, index);
            }
        }
    }

    /// Shows each built row's read and saved state as `marks` says.
    fn show_marks(&self, marks: &Marks) {
        for (i, body) in self.chunks.iter().enumerate() {
            if !self.built.get(i).is_some_and(Cell::get) {
                continue;
            }
            let rows = body.children();
            for at in 0..rows.length() {
                let Some(row) = rows.item(at) else {
                    continue;
                };
                if let Some(id) = row.get_attribute(PAPER_ID_ATTR) {
                    show_paper_marks(&row, &id, marks);
                }
            }
        }
    }

    /// Empties chunk `i`, far from the screen, into a placeholder of its `height`; unless it
    /// holds the focus or an open abstract, which the reader would lose.
    fn empty(&self, i: usize, height: f64) {
        let (Some(body), Some(built)) = (self.chunks.get(i), self.built.get(i)) else {
            return;
        };
        if !built.get()
            || height <= 0.0
            || body
                .query_selector("details[open]")
                .ok()
                .flatten()
                .is_some()
        {
            return;
        }
        let Some(document) = body.owner_document() else {
            return;
        };
        if holds_focus(body) {
            return;
        }
        let rows = body.child_element_count();
        if rows > 0 {
            ROW_ESTIMATE.set(height / f64::from(rows));
        }
        built.set(false);
        set_placeholder(&document, body, height);
    }

    /// Appends to `body` one row per paper at `positions` of the order shown, every feed text
    /// set as text.
    fn append_rows(&self, body: &Element, positions: Range<usize>) {
        let papers = &self.results.papers;
        let also_in = self.also_in.borrow();
        let marks = self.marks.get_untracked();
        let Some(document) = body.owner_document() else {
            return;
        };
        let rows = document.create_document_fragment();
        for position in positions {
            let Some((index, paper)) = self
                .order
                .get(position)
                .and_then(|&index| Some((index, papers.get(index)?)))
            else {
                continue;
            };
            let Some(row) = self
                .prototype
                .clone_node_with_deep(true)
                .ok()
                .and_then(|node| node.dyn_into::<Element>().ok())
            else {
                return;
            };
            // After the header row, counted from 1.
            let _ = row.set_attribute("aria-rowindex", &(position + 2).to_string());
            let _ = row.set_attribute(PAPER_ID_ATTR, &paper.id);
            // Focusable by the keyboard's `j` and `k` (not by Tab: its links and buttons are).
            let _ = row.set_attribute("tabindex", "-1");
            show_paper_marks(&row, &paper.id, &marks);
            let cells = row.children();
            if let Some(cell) = cells.item(0) {
                fill_title(&document, &row, &cell, paper, index, self.style, &self.view);
                add_also_in(&document, &cell, &also_in, index);
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
}

/// Replaces `body`'s rows by one empty row `height` pixels tall, hidden from screen readers.
fn set_placeholder(document: &Document, body: &Element, height: f64) {
    body.set_text_content(None);
    let (Ok(row), Ok(cell)) = (document.create_element("tr"), document.create_element("td")) else {
        return;
    };
    let _ = row.set_attribute("aria-hidden", "true");
    row.set_class_name("rows-placeholder");
    let _ = cell.set_attribute("colspan", "4");
    if let Some(cell) = cell.dyn_ref::<HtmlElement>() {
        let _ = cell.style().set_property("height", &css_pixels(height));
    }
    let _ = row.append_child(&cell);
    let _ = body.append_child(&row);
}

/// Where the reader was in a table's rows when they are made anew (new papers fetched, a filter,
/// a link style): the papers whose abstract was open and the control holding the focus, each
/// known by its paper's arXiv id without version (a revised paper is the same paper), to give
/// back in the new rows wherever the paper now is.
struct ReaderPlace {
    open: Vec<String>,
    /// The paper, and its control's selector within the row.
    focus: Option<(String, &'static str)>,
}

/// The controls of a row the focus is given back to; any other (a link in a comment) gives it
/// to the title link.
const ROW_CONTROLS: [&str; 8] = [
    "summary",
    "[data-testid=\"abs-link\"]",
    "[data-testid=\"pdf-link\"]",
    "[data-testid=\"html-link\"]",
    "[data-testid=\"alphaxiv-link\"]",
    "button.bibtex",
    "button.mark-read",
    "button.save-paper",
];

/// The row itself holds the focus (the keyboard's `j` and `k` move it from row to row).
const ROW_ITSELF: &str = "tr";

impl ReaderPlace {
    /// The reader's place in `table`'s rows, before they go.
    fn of(table: &Element) -> ReaderPlace {
        let paper_of = |element: &Element| {
            let row = element.closest("tr").ok()??;
            let id = row.get_attribute(PAPER_ID_ATTR)?;
            Some(PaperId::parse(&id).key.to_owned())
        };
        let details = table.get_elements_by_tag_name("details");
        let open = (0..details.length())
            .filter_map(|i| details.item(i))
            .filter(|d| d.has_attribute("open"))
            .filter_map(|d| paper_of(&d))
            .collect();
        let focus = table
            .owner_document()
            .and_then(|d| d.active_element())
            .filter(|active| table.contains(Some(active)))
            .and_then(|active| {
                let control = ROW_CONTROLS
                    .into_iter()
                    .chain([ROW_ITSELF])
                    .find(|c| active.matches(c).unwrap_or(false))
                    .unwrap_or("td.title > a");
                Some((paper_of(&active)?, control))
            });
        ReaderPlace { open, focus }
    }

    /// Opens the same abstracts and focuses the same control in `table`'s new rows (building
    /// the chunks holding them); a paper the table no longer shows is passed over (the focus
    /// then goes to the section).
    fn restore(&self, table: &TableRows) {
        for key in &self.open {
            if let Some(details) = table
                .row_of(key)
                .and_then(|row| row.query_selector("details").ok()?)
            {
                let _ = details.set_attribute("open", "");
            }
        }
        if let Some((key, control)) = &self.focus {
            // A paper gone: its section, so the keyboard goes on from there, not the page's top.
            if let Some(element) = table
                .row_of(key)
                .and_then(|row| {
                    if *control == ROW_ITSELF {
                        Some(row)
                    } else {
                        row.query_selector(control).ok()?
                    }
                })
                .or_else(|| table.chunks.first()?.closest("section").ok()?)
                .and_then(|element| element.dyn_into::<HtmlElement>().ok())
            {
                let _ = element.focus();
            }
        }
    }
}

/// The title cell: the title link, the paper's mark, its first authors, its abstract and PDF
/// links (the other topics holding it: [`add_also_in`]).
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
    let explanation = view.topic.as_ref().map(|topic| explain(topic, paper));
    if let Some(link) = parts.item(0) {
        // Without a web address the <a> has no href: plain text, not a link.
        if let Some(href) = paper.web_link(style) {
            let _ = link.set_attribute("href", href);
        }
        match &explanation {
            Some(e) if !e.title_marks.is_empty() => {
                append_marked(document, &link, &paper.title, &e.title_marks)
            }
            _ => link.set_text_content(Some(&paper.title)),
        }
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
        // Read on from the end, so removing a link does not move the ones still to fill.
        let id = arxiv_id(paper);
        let arxiv = paper.web_link(LinkStyle::Abs).is_some() && !id.is_empty();
        let reader = |base: &str| (view.reader_links && arxiv).then(|| format!("{base}{id}"));
        let links = [
            (4, reader("https://www.alphaxiv.org/abs/")),
            (3, reader("https://arxiv.org/html/")),
            (2, paper.web_link(LinkStyle::Pdf).map(str::to_owned)),
            (1, paper.web_link(LinkStyle::Abs).map(str::to_owned)),
        ];
        for (at, href) in links {
            if let Some(link) = meta_parts.item(at) {
                match href {
                    Some(href) => {
                        let _ = link.set_attribute("href", &href);
                    }
                    None => link.remove(),
                }
            }
        }
        for class in ["mark-read", "save-paper"] {
            if let Ok(Some(button)) = meta.query_selector(&format!("button.{class}")) {
                let _ = button.set_attribute(PAPER_INDEX_ATTR, &index.to_string());
            }
        }
    }
    if let (Some(e), Ok(why)) = (&explanation, document.create_element("p")) {
        why.set_class_name("why");
        let _ = why.set_attribute("data-testid", "why");
        why.set_text_content(Some(&e.text()));
        let _ = cell.append_child(&why);
    }
}

/// `text` into `parent` as text nodes, with the `marks` ranges in `<mark>` elements: built as
/// nodes, never as HTML, so a title holding markup stays text.
fn append_marked(
    document: &Document,
    parent: &Element,
    text: &str,
    marks: &[std::ops::Range<usize>],
) {
    parent.set_text_content(None);
    for (piece, marked) in pieces(text, marks) {
        let node: Option<web_sys::Node> = if marked {
            document.create_element("mark").ok().map(|mark| {
                mark.set_text_content(Some(piece));
                mark.into()
            })
        } else {
            Some(document.create_text_node(piece).into())
        };
        if let Some(node) = node {
            let _ = parent.append_child(&node);
        }
    }
}

/// A row's read and saved state: `data-read` on the row (for the style and the keyboard's
/// `n`), and its two buttons' words and pressed state.
fn show_paper_marks(row: &Element, paper_id: &str, marks: &Marks) {
    let read = marks.is_read(paper_id);
    let saved = marks.is_saved(paper_id);
    if read {
        let _ = row.set_attribute("data-read", "true");
    } else {
        let _ = row.remove_attribute("data-read");
    }
    let buttons = [
        ("button.mark-read", read, "Mark unread", "Mark read"),
        ("button.save-paper", saved, "Saved", "Save"),
    ];
    for (selector, on, yes, no) in buttons {
        if let Ok(Some(button)) = row.query_selector(selector) {
            let text = if on { yes } else { no };
            if button.text_content().as_deref() != Some(text) {
                button.set_text_content(Some(text));
            }
            let _ = button.set_attribute("aria-pressed", if on { "true" } else { "false" });
        }
    }
}

/// A row's "Mark read" or "Save" button: the paper's mark changes (and is saved). True when the
/// click was on one of them.
fn mark_from_button(ev: &web_sys::MouseEvent, papers: &[Paper], state: AppState) -> bool {
    let Some(button) = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .filter(|el| el.tag_name() == "BUTTON")
    else {
        return false;
    };
    let class = button.class_name();
    if class != "mark-read" && class != "save-paper" {
        return false;
    }
    let Some(paper) = button
        .get_attribute(PAPER_INDEX_ATTR)
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| papers.get(i))
    else {
        return true;
    };
    toggle_mark(state, paper, class == "mark-read");
    true
}

/// With "opening a paper marks it read": the paper whose abstract was opened, or whose title,
/// abs, PDF, HTML or alphaXiv link was followed (the event's target matching `opened`), is
/// marked read.
fn mark_opened(ev: &web_sys::Event, papers: &[Paper], state: AppState, opened: &str) {
    let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let Some(opened) = target.closest(opened).ok().flatten() else {
        return;
    };
    let id = opened
        .closest("tr")
        .ok()
        .flatten()
        .and_then(|row| row.get_attribute(PAPER_ID_ATTR));
    if let Some(paper) = id.and_then(|id| papers.iter().find(|p| p.id == id)) {
        state.set_read(&paper.id, true);
    }
}

/// Turns a paper's read mark (`read`) or its saved mark over, and says so to screen readers.
pub fn toggle_mark(state: AppState, paper: &Paper, read: bool) {
    let said = if read {
        let now = !state.marks.with_untracked(|m| m.is_read(&paper.id));
        state.set_read(&paper.id, now);
        if now {
            "Marked read"
        } else {
            "Marked unread"
        }
    } else {
        let now = !state.marks.with_untracked(|m| m.is_saved(&paper.id));
        state.set_saved(paper, now);
        if now {
            "Saved"
        } else {
            "Removed from Saved"
        }
    };
    crate::components::announcer::announce(&format!("{said}: {}", paper.title));
}

/// The note naming the other topics holding paper `index`, at the end of its title cell (none
/// when no other topic holds it).
fn add_also_in(document: &Document, cell: &Element, also_in: &[(usize, String)], index: usize) {
    let Ok(found) = also_in.binary_search_by_key(&index, |(paper, _)| *paper) else {
        return;
    };
    if let (Some((_, text)), Ok(note)) = (also_in.get(found), document.create_element("p")) {
        note.set_class_name("also-in");
        let _ = note.set_attribute("data-testid", "also-in");
        note.set_text_content(Some(text));
        let _ = cell.append_child(&note);
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

/// The columns' names, the README's.
fn header(document: &Document) -> Result<Element, JsValue> {
    let head = document.create_element("thead")?;
    let row = document.create_element("tr")?;
    for name in ["Title", "Date", "Abstract", "Comment"] {
        let cell = document.create_element("th")?;
        cell.set_attribute("scope", "col")?;
        cell.set_text_content(Some(name));
        row.append_child(&cell)?;
    }
    head.append_child(&row)?;
    Ok(head)
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
    for (test_id, text) in [
        ("abs-link", "abs"),
        ("pdf-link", "pdf"),
        ("html-link", "html"),
        ("alphaxiv-link", "discuss"),
    ] {
        let link = document.create_element("a")?;
        link.set_attribute("data-testid", test_id)?;
        link.set_attribute("rel", "noopener noreferrer")?;
        link.set_text_content(Some(text));
        meta.append_child(&link)?;
    }
    for (class, text) in [("mark-read", "Mark read"), ("save-paper", "Save")] {
        let button = document.create_element("button")?;
        button.set_attribute("type", "button")?;
        button.set_class_name(class);
        button.set_attribute("data-testid", class)?;
        button.set_attribute("aria-pressed", "false")?;
        button.set_text_content(Some(text));
        meta.append_child(&button)?;
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
fn show_abstract(ev: &web_sys::Event, papers: &[Paper], topic: Option<&Topic>) {
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
        let marks = topic
            .map(|t| explain(t, paper).abstract_marks)
            .unwrap_or_default();
        append_marked(&document, &p, &paper.abstract_text, &marks);
        let _ = details.append_child(&p);
    }
}

/// A row's "BibTeX" button: that paper's entry (the core's [`daily_papers_core::digest::bibtex`]) on the
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
    let text = daily_papers_core::digest::bibtex::bibtex(paper);
    spawn_local(async move {
        let said = match crate::browser::clipboard::copy_text(&text).await {
            Ok(_) => "Copied",
            Err(_) => "Not copied",
        };
        button.set_text_content(Some(said));
        sleep(2_000).await;
        button.set_text_content(Some("BibTeX"));
    });
}
