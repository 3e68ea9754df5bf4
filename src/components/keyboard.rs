//! The feed reader's keys, all optional and listed in the "?" help panel: `j`/`k` next and
//! previous paper, `o` or Enter its abstract, `m` read/unread, `s` save, `n` the next new paper
//! not yet read, `/` the search box, `g t` the topic list. Never while typing in a field, nor
//! with Ctrl, Alt or Meta held (the browser's own shortcuts). The paper reached gets the focus
//! (its row, outlined) and is announced to screen readers; rows far from the screen are built as
//! the keys reach them ([`build_chunk`]), and a section whose table is not made yet is scrolled
//! to and waited for.

use crate::browser::timers::sleep;
use crate::components::announcer::announce;
use crate::components::paper_table::{build_chunk, toggle_mark};
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

/// Whether the help panel is open (context).
#[derive(Clone, Copy)]
pub struct HelpOpen(pub RwSignal<bool>);

/// The keys and what they do, as the help panel lists them.
const KEYS: [(&str, &str); 9] = [
    ("j", "Next paper"),
    ("k", "Previous paper"),
    ("o or Enter", "Open or close the paper\u{2019}s abstract"),
    ("m", "Mark the paper read or unread"),
    ("s", "Save the paper, or take it off the Saved list"),
    ("n", "Next new paper not yet read"),
    ("/", "Search the papers"),
    ("g then t", "Go to the topic list"),
    ("?", "Show or hide this help"),
];

/// What a paper row, a not-built chunk and a section's not-made table look like, in the
/// document's order.
const WALKED: &str = "tr[data-testid=\"paper-row\"], tr.rows-placeholder, div.table-placeholder";

/// How long `g` waits for its `t`, in milliseconds.
const G_WAIT_MS: f64 = 1_500.0;

thread_local! {
    /// When `g` was pressed (`performance`-free: the wall clock in ms), if it is waiting.
    static G_AT: Cell<Option<f64>> = const { Cell::new(None) };
    /// A walk is under way (waiting for a section's table): the keys pressed meanwhile wait
    /// their turn here, in order, so none is lost (`forward`, `only_new`).
    static WALKING: Cell<bool> = const { Cell::new(false) };
    static WAITING_KEYS: std::cell::RefCell<Vec<(bool, bool)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn document() -> Option<Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Listens for the keys for the page's lifetime.
pub fn listen_for_keys(state: AppState, help: HelpOpen) {
    let Some(document) = document() else {
        return;
    };
    let on_key = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        on_key(&ev, state, help);
    });
    let _ = document.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    on_key.forget();
}

/// A keyboard event's property (the `KeyboardEvent` type would add its bindings for four
/// fields).
fn property(ev: &web_sys::Event, name: &str) -> JsValue {
    js_sys::Reflect::get(ev, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// True when the keys must be left alone: typing in a field, or a control of its own.
fn typing(target: Option<Element>) -> bool {
    target.is_some_and(|t| {
        t.matches("input, textarea, select, [contenteditable=\"\"], [contenteditable=\"true\"]")
            .unwrap_or(false)
    })
}

fn on_key(ev: &web_sys::Event, state: AppState, help: HelpOpen) {
    let flag = |name| property(ev, name).as_bool().unwrap_or(false);
    if flag("ctrlKey") || flag("metaKey") || flag("altKey") || flag("isComposing") {
        return;
    }
    let Some(key) = property(ev, "key").as_string() else {
        return;
    };
    let target = ev.target().and_then(|t| t.dyn_into::<Element>().ok());
    if typing(target.clone()) {
        return;
    }
    if help.0.get_untracked() {
        if key == "Escape" || key == "?" {
            ev.prevent_default();
            help.0.set(false);
        }
        return;
    }
    let g_waiting = G_AT
        .take()
        .is_some_and(|at| js_sys::Date::now() - at < G_WAIT_MS);
    if g_waiting && key == "t" {
        ev.prevent_default();
        go_to_topics();
        return;
    }
    let on_row = target
        .as_ref()
        .is_some_and(|t| t.matches("tr[data-testid=\"paper-row\"]").unwrap_or(false));
    match key.as_str() {
        "j" => walk(true, false),
        "k" => walk(false, false),
        "n" => walk(true, true),
        "o" => open_abstract(),
        // Enter on a link or a button is theirs; on the row itself it opens the abstract.
        "Enter" if on_row => open_abstract(),
        "m" | "s" => {
            let Some(paper) = current_row().and_then(|row| paper_of(&row, state)) else {
                return;
            };
            toggle_mark(state, &paper, key == "m");
        }
        "/" => {
            let found = document()
                .and_then(|d| d.query_selector("[data-testid=\"search-papers\"]").ok()?)
                .and_then(|e| e.dyn_into::<HtmlElement>().ok());
            if let Some(search) = found {
                let _ = search.focus();
            }
        }
        "g" => {
            G_AT.set(Some(js_sys::Date::now()));
            return;
        }
        "?" => help.0.set(true),
        _ => return,
    }
    ev.prevent_default();
}

/// The row the keys act on: the one holding the focus (or holding the focused control).
fn current_row() -> Option<Element> {
    document()?
        .active_element()?
        .closest("tr[data-testid=\"paper-row\"]")
        .ok()?
}

/// The paper a row shows, found by its id among the topics' papers.
fn paper_of(row: &Element, state: AppState) -> Option<daily_papers_core::arxiv::Paper> {
    let id = row.get_attribute("data-id")?;
    state.results.with_untracked(|map| {
        map.values()
            .find_map(|r| r.papers.iter().find(|p| p.id == id).cloned())
    })
}

/// `o`: opens (or closes) the current paper's abstract.
fn open_abstract() {
    let Some(details) = current_row()
        .and_then(|row| row.query_selector("details").ok()?)
        .and_then(|d| d.dyn_into::<web_sys::HtmlDetailsElement>().ok())
    else {
        return;
    };
    details.set_open(!details.open());
}

/// `g t`: the focus to the topic list.
fn go_to_topics() {
    let Some(list) = document().and_then(|d| d.query_selector(".keyword-list").ok()?) else {
        return;
    };
    if !list.has_attribute("tabindex") {
        let _ = list.set_attribute("tabindex", "-1");
    }
    if let Some(list) = list.dyn_ref::<HtmlElement>() {
        let _ = list.focus();
    }
    announce("Topic list");
}

/// True when `element` is in a section the search or a filter hides.
fn hidden(element: &Element) -> bool {
    element.closest("[hidden]").ok().flatten().is_some()
}

/// `j`, `k` and `n`: moves the focus to the next (or previous) paper row, or with `only_new`
/// the next new paper not yet read, building rows and waiting for tables on the way.
fn walk(forward: bool, only_new: bool) {
    if WALKING.replace(true) {
        WAITING_KEYS.with_borrow_mut(|keys| keys.push((forward, only_new)));
        return;
    }
    spawn_local(async move {
        let mut next = Some((forward, only_new));
        while let Some((forward, only_new)) = next {
            walk_from(current_row(), forward, only_new).await;
            next = WAITING_KEYS.with_borrow_mut(|keys| (!keys.is_empty()).then(|| keys.remove(0)));
        }
        WALKING.set(false);
    });
}

async fn walk_from(mut from: Option<Element>, forward: bool, only_new: bool) {
    // Each pass looks at the page once; it is looked at again only when a chunk was built or a
    // table made (at most once per chunk and per section).
    for _ in 0..10_000 {
        let Some(document) = document() else {
            return;
        };
        let items = query_all(&document, WALKED);
        let start = match &from {
            Some(from) => match items.iter().position(|e| e == from) {
                Some(at) if forward => at + 1,
                Some(at) => at,
                None => return,
            },
            None if forward => 0,
            None => items.len(),
        };
        let ordered: Box<dyn Iterator<Item = &Element>> = if forward {
            Box::new(items.iter().skip(start))
        } else {
            Box::new(items.iter().take(start).rev())
        };
        let mut changed = false;
        for item in ordered {
            if hidden(item) {
                continue;
            }
            if item.tag_name() == "DIV" {
                // A section's table not made yet: brought near the screen, and waited for.
                item.scroll_into_view();
                for _ in 0..40 {
                    sleep(25).await;
                    if !item.is_connected() {
                        break;
                    }
                }
                if item.is_connected() {
                    return;
                }
                changed = true;
                break;
            }
            if item.class_name() == "rows-placeholder" {
                if let Some(body) = item.parent_element() {
                    build_chunk(&body);
                }
                changed = true;
                break;
            }
            let new_unread = item.has_attribute("data-new") && !item.has_attribute("data-read");
            if only_new && !new_unread {
                from = Some(item.clone());
                continue;
            }
            arrive(item);
            return;
        }
        if !changed {
            if only_new {
                announce("No more new papers");
            }
            return;
        }
    }
}

/// Every element matching `selector`, in the document's order (through the engine's own
/// `querySelectorAll`: its `NodeList` bindings would add to the download for this one use).
fn query_all(document: &Document, selector: &str) -> Vec<Element> {
    let list = js_sys::Reflect::get(document, &JsValue::from_str("querySelectorAll"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(document, &JsValue::from_str(selector)).ok());
    list.map(|list| {
        js_sys::Array::from(&list)
            .iter()
            .filter_map(|v| v.dyn_into::<Element>().ok())
            .collect()
    })
    .unwrap_or_default()
}

/// Focuses `row` (the screen follows) and says which paper it is.
fn arrive(row: &Element) {
    if let Some(row) = row.dyn_ref::<HtmlElement>() {
        let _ = row.focus();
    }
    let section = row.closest("section").ok().flatten();
    let topic = section
        .as_ref()
        .and_then(|s| s.get_attribute("data-keyword"))
        .unwrap_or_default();
    let count = section
        .as_ref()
        .and_then(|s| s.get_attribute("data-count"))
        .unwrap_or_default();
    // After the header row, counted from 1.
    let position = row
        .get_attribute("aria-rowindex")
        .and_then(|i| i.parse::<usize>().ok())
        .map_or(0, |i| i.saturating_sub(1));
    let title = row
        .query_selector("td.title > a")
        .ok()
        .flatten()
        .and_then(|a| a.text_content())
        .unwrap_or_default();
    let mut said = format!("{topic}, paper {position} of {count}: {title}");
    if row.has_attribute("data-new") {
        said.push_str(". New");
    }
    if row.has_attribute("data-read") {
        said.push_str(". Read");
    }
    announce(&said);
}

/// The help panel: every key and what it does. Escape, `?` or Close shut it, and the focus goes
/// back where it was.
#[component]
pub fn KeyboardHelp() -> impl IntoView {
    let help = expect_context::<HelpOpen>();
    let close_button = NodeRef::<leptos::html::Button>::new();
    let returns_to = StoredValue::new_local(None::<HtmlElement>);
    Effect::new(move |_| {
        if help.0.get() {
            returns_to.set_value(
                document()
                    .and_then(|d| d.active_element())
                    .and_then(|e| e.dyn_into::<HtmlElement>().ok()),
            );
            if let Some(button) = close_button.get() {
                let _ = button.focus();
            }
        } else if let Some(back) = returns_to.try_update_value(Option::take).flatten() {
            let _ = back.focus();
        }
    });
    let rows = KEYS
        .iter()
        .map(|(key, what)| {
            view! {
                <dt><kbd>{*key}</kbd></dt>
                <dd>{*what}</dd>
            }
        })
        .collect_view();
    view! {
        <div
            class="keys-help"
            role="dialog"
            aria-modal="true"
            aria-labelledby="keys-help-title"
            data-testid="keys-help"
            hidden=move || !help.0.get()
        >
            <h2 id="keys-help-title">"Keyboard shortcuts"</h2>
            <p>"None of them works while you type in a field."</p>
            <dl>{rows}</dl>
            <button
                type="button"
                data-testid="keys-help-close"
                node_ref=close_button
                on:click=move |_| help.0.set(false)
            >
                "Close"
            </button>
        </div>
    }
}
