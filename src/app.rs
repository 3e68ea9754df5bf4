//! The app shell: lays out the page on the state start-up made (`crate::startup`).

use crate::components::digest_preview::DigestPreview;
use crate::components::fetch_controls::FetchControls;
use crate::components::import_panel::{ImportPanel, ImportedHeader};
use crate::components::keyword_editor::KeywordEditor;
use crate::components::keyword_sections::KeywordSections;
use crate::components::keyboard::{listen_for_keys, HelpOpen, KeyboardHelp};
use crate::components::reading_bar::ReadingBar;
use crate::components::reading_settings::ReadingSettings;
use crate::components::publish_panel::PublishPanel;
use crate::components::readme_preview::ReadmePreview;
use crate::components::refresh_setting::RefreshSetting;
use crate::components::run_summary::RunSummary;
use crate::components::search_box::{RowFilter, SearchBox};
use crate::components::settings_panel::SettingsPanel;
use crate::components::share::{ShareButton, ShareOffer};
use crate::components::side_panel::{panel_open, PanelToggle};
use crate::components::storage_notice::StorageNotice;
use crate::components::undo_bar::UndoBar;
use crate::fetch_loop::Fetcher;
use crate::state::AppState;
use crate::browser::timers::later;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use leptos::html::Div;
use web_sys::Element;

/// Mounts the app in five browser tasks, so that none holds the main thread long: the first
/// mount of the whole page (about 30 ms, with V8 compiling each function of the module as it
/// first runs; four times that on the slow phone of Lighthouse's mobile run, where the topic
/// editor alone took 55–78 ms) made a start's longest task 50–120 ms. The page's frame comes in
/// the first task, then the topic editor, the rest of the panel, the column's end (the README,
/// publishing, the digest) and its top (fetching, the papers), each in a task of its own (see
/// [`App`]). The page is built in an element outside the document and put in the `<body>` at
/// the end of the last, so no frame ever shows part of it: it takes the place of the page's
/// outline (`#shell` in `index.html`, painted before the module came), in one step, keeping the
/// outline's header.
pub fn mount_in_tasks(state: AppState, fetcher: Fetcher) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(page) = document.create_element("div") else {
        return;
    };
    // Laid out as if its children were the body's own (style/main.css).
    page.set_class_name("app");
    let root = page.clone();
    leptos::mount::mount_to(root.unchecked_into(), move || view! { <App page state fetcher /> }).forget();
}

/// The page, in `page` (see [`mount_in_tasks`]): its frame; its parts come in the browser's
/// next tasks, then `page` is put in the `<body>`.
#[component]
pub fn App(page: Element, state: AppState, fetcher: Fetcher) -> impl IntoView {
    provide_context(state);
    provide_context(ImportedHeader::load());
    provide_context(fetcher);
    provide_context(RowFilter::new());
    let help = HelpOpen(RwSignal::new(false));
    provide_context(help);
    listen_for_keys(state, help);
    let panel = panel_open();
    let (editor, panel_rest, column_rest, column_top) =
        (NodeRef::new(), NodeRef::new(), NodeRef::new(), NodeRef::new());
    // The parts, each in a browser task of its own; the papers last, in the task that puts the
    // page in the document (their tables look where they are on the screen as they are built).
    let parts: Vec<Part> = vec![
        (editor, || KeywordEditor().into_any()),
        (panel_rest, || SidePanelRest().into_any()),
        (column_rest, || ColumnRest().into_any()),
        (column_top, || ColumnTop().into_any()),
    ];
    build_in_tasks(Owner::current(), parts.into_iter(), page);
    view! {
        <StorageNotice />
        <ShareOffer />
        <main class="layout">
            <aside class="sidebar" aria-label="Topics and settings">
                <PanelToggle open=panel />
                <div id="side-panel" class="side-panel" class:closed=move || !panel.get()>
                    <div class="part" node_ref=editor></div>
                    <div class="part" node_ref=panel_rest></div>
                </div>
            </aside>
            <div class="content">
                <div class="part" node_ref=column_top></div>
                <div class="part" node_ref=column_rest></div>
            </div>
        </main>
    }
}

/// A part of the page: where it goes, and what builds it.
type Part = (NodeRef<Div>, fn() -> AnyView);

/// Builds the first of `parts` in the browser's next task, the next in the task after, and so
/// on; with the last, puts `page` in the document ([`show_page`]). Each under the page's owner
/// (the parts' components read the contexts [`App`] gave), built and mounted by hand, not with
/// `leptos::mount::mount_to` (the same steps under a child owner): its handle's code cost 650
/// bytes gzipped more.
fn build_in_tasks(owner: Option<Owner>, mut parts: std::vec::IntoIter<Part>, page: Element) {
    later(0, move || {
        let Some((at, view)) = parts.next() else {
            return;
        };
        if let (Some(owner), Some(at)) = (owner.as_ref(), at.get_untracked()) {
            owner.with(|| {
                let mut built = view().build();
                built.mount(&at, None);
                // Lives as long as the page, like the rest of it.
                std::mem::forget(built);
            });
        }
        if parts.as_slice().is_empty() {
            show_page(&page);
        } else {
            build_in_tasks(owner, parts, page);
        }
    });
}

/// Puts the built page in the document, in the outline's place (see [`mount_in_tasks`]).
fn show_page(page: &Element) {
    let Some(document) = page.owner_document() else {
        return;
    };
    match document.get_element_by_id("shell") {
        Some(shell) => {
            // The outline's header stays, the very element (index.html has the only copy of
            // it): not painted again, so the page's largest paint is the outline's, made before
            // the module came.
            if let Some(header) = document.get_element_by_id("top") {
                let _ = page.prepend_with_node_1(&header);
            }
            let _ = shell.replace_with_with_node_1(page);
        }
        None => {
            if let Some(body) = document.body() {
                let _ = body.append_child(page);
            }
        }
    }
}

/// The panel below the topic editor: the settings, moving in, sharing (see [`App`]).
#[component]
fn SidePanelRest() -> impl IntoView {
    view! {
        <SettingsPanel />
        <RefreshSetting />
        <ReadingSettings />
        <ImportPanel />
        <ShareButton />
    }
}

/// The content column's top: fetching and the papers (see [`App`]).
#[component]
fn ColumnTop() -> impl IntoView {
    view! {
        <FetchControls />
        <RunSummary />
        <UndoBar />
        <SearchBox />
        <ReadingBar />
        <KeyboardHelp />
        <KeywordSections />
    }
}

/// The content column's rest: the README, publishing, the digest (see [`App`]).
#[component]
fn ColumnRest() -> impl IntoView {
    view! {
        <ReadmePreview />
        <PublishPanel />
        <DigestPreview />
        <a class="back-to-top" href="#top" data-testid="back-to-top">"Back to top"</a>
    }
}
