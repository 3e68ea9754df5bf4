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
use web_sys::Element;

/// Mounts the app in two browser tasks, so that neither holds the main thread long: the first
/// mount of the whole page (about 30 ms, with V8 compiling each function of the module as it
/// first runs) made a warm start's longest task 50–85 ms in some starts. The page's frame and
/// sidebar come in the first task, the content column in the next (see [`App`]). The page is
/// built in an element outside the document and put in the `<body>` at the end of the second,
/// so no frame ever shows half of it: it takes the place of the page's outline (`#shell` in
/// `index.html`, painted before the module came), in one step, with the header where it was.
pub fn mount_in_two_tasks(state: AppState, fetcher: Fetcher) {
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

/// The page, in `page` (see [`mount_in_two_tasks`]): all of it but the content column, which
/// comes in the browser's next task, then `page` is put in the `<body>`.
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
    let column = NodeRef::<leptos::html::Div>::new();
    let owner = Owner::current();
    later(0, move || {
        // Under the page's owner: the column's components read the contexts given above. Built
        // and mounted by hand, not with `leptos::mount::mount_to` (the same steps under a child
        // owner): its handle's code cost 650 bytes gzipped more.
        if let (Some(owner), Some(column)) = (owner, column.get_untracked()) {
            owner.with(|| {
                let mut built = ContentColumn().into_view().build();
                built.mount(&column, None);
                // Lives as long as the page, like the rest of it.
                std::mem::forget(built);
            });
        }
        let Some(document) = page.owner_document() else {
            return;
        };
        match document.get_element_by_id("shell") {
            Some(shell) => {
                let _ = shell.replace_with_with_node_1(&page);
            }
            None => {
                if let Some(body) = document.body() {
                    let _ = body.append_child(&page);
                }
            }
        }
    });
    view! {
        <header class="site-header" id="top">
            <h1>"Daily Papers"</h1>
            <p class="tagline">"Your arXiv topics, fetched in the browser, as a Daily Papers README."</p>
        </header>
        <StorageNotice />
        <ShareOffer />
        <main class="layout">
            <aside class="sidebar" aria-label="Topics and settings">
                <PanelToggle open=panel />
                <div id="side-panel" class="side-panel" class:closed=move || !panel.get()>
                    <KeywordEditor />
                    <SettingsPanel />
                    <RefreshSetting />
                    <ReadingSettings />
                    <ImportPanel />
                    <ShareButton />
                </div>
            </aside>
            <div class="content" node_ref=column></div>
        </main>
    }
}

/// The content column: fetching, the results and the README (see [`App`]).
#[component]
fn ContentColumn() -> impl IntoView {
    view! {
        <FetchControls />
        <RunSummary />
        <UndoBar />
        <SearchBox />
        <ReadingBar />
        <KeyboardHelp />
        <KeywordSections />
        <ReadmePreview />
        <PublishPanel />
        <DigestPreview />
        <a class="back-to-top" href="#top" data-testid="back-to-top">"Back to top"</a>
    }
}
