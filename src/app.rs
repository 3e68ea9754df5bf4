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
use crate::state::{now_ms, AppState};
use leptos::prelude::*;

/// Starts the app in the page's `<body>`.
pub fn mount() {
    // Panic messages in the console while developing (`trunk serve`); the release build leaves
    // the hook out to keep the download small (a panic still shows as an error there).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
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
