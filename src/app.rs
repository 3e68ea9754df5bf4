//! The app shell: loads the saved state, starts the fetch loop, lays out the page.

use crate::components::digest_preview::DigestPreview;
use crate::components::fetch_controls::FetchControls;
use crate::components::import_panel::{ImportPanel, ImportedHeader};
use crate::components::keyword_editor::KeywordEditor;
use crate::components::keyword_sections::KeywordSections;
use crate::components::readme_preview::ReadmePreview;
use crate::components::refresh_setting::RefreshSetting;
use crate::components::run_summary::RunSummary;
use crate::components::search_box::{RowFilter, SearchBox};
use crate::components::settings_panel::SettingsPanel;
use crate::components::share::{ShareButton, ShareOffer};
use crate::components::storage_notice::StorageNotice;
use crate::components::undo_bar::UndoBar;
use crate::fetch_loop::Fetcher;
use crate::library::refresh::on_open;
use crate::state::{now_ms, read_first_papers, AppState};
use crate::timer::later;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;

/// How long the page waits at most for the first topic's saved papers before it first lays
/// itself out without them (they then fill in as they are read, like the other topics').
const FIRST_PAPERS_WAIT_MS: u32 = 50;

/// Starts the app in the page's `<body>`: once the first topic's saved papers are read, so the
/// page shows with them rather than without them for a few frames, or after
/// [`FIRST_PAPERS_WAIT_MS`], whichever comes first (a first visit has none and starts at once).
pub fn mount() {
    // Panic messages in the console while developing (`trunk serve`); the release build leaves
    // the hook out to keep the download small (a panic still shows as an error there).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let waiting = Rc::new(Cell::new(true));
    let start = move || {
        if waiting.replace(false) {
            leptos::mount::mount_to_body(App);
        }
    };
    later(FIRST_PAPERS_WAIT_MS, start.clone());
    // Not Leptos's `spawn_local`: its executor starts with the mount.
    wasm_bindgen_futures::spawn_local(async move {
        read_first_papers().await;
        start();
    });
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::load();
    provide_context(state);
    provide_context(ImportedHeader::load());
    let fetcher = Fetcher::new(state);
    provide_context(fetcher);
    provide_context(RowFilter::new());
    // Refresh on open: once the saved papers are read, a last fetch older than the setting
    // starts Fetch all (never on a first visit: the first fetch is the user's own click).
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || state.loading.get() {
            return done.unwrap_or(false);
        }
        let setting = state.refresh.get_untracked();
        if on_open(now_ms(), state.last_fetch_ms(), setting).should_refresh() {
            fetcher.fetch_all();
        }
        true
    });
    view! {
        <header class="site-header">
            <h1>"Daily Papers"</h1>
            <p class="tagline">"Your arXiv keywords, fetched in the browser, as a Daily Papers README."</p>
        </header>
        <StorageNotice />
        <ShareOffer />
        <main class="layout">
            <aside class="sidebar">
                <KeywordEditor />
                <SettingsPanel />
                <RefreshSetting />
                <ImportPanel />
                <ShareButton />
            </aside>
            <div class="content">
                <FetchControls />
                <RunSummary />
                <UndoBar />
                <SearchBox />
                <KeywordSections />
                <ReadmePreview />
                <DigestPreview />
            </div>
        </main>
    }
}
