//! Benchmark entry points for tests/bench/bench.mjs: the app's own parse + filter and README
//! writer, callable from JavaScript so the browser can time them next to its native
//! machinery (DOMParser) in the same page; and the app's own keyword sections mounted from
//! results already in memory, for the render figure. Nothing here is shipped with the app.

use daily_papers_core::arxiv::{parse_feed, CategoryFilter, LinkStyle, Paper};
use daily_papers_app::components::keyword_sections::{BuildAllTables, KeywordSections};
use daily_papers_app::components::readme_preview::{papers_to_fill, preview_of, readme_draft, PREVIEW_BYTES};
use daily_papers_app::components::search_box::RowFilter;
use daily_papers_app::fetch_loop::Fetcher;
use daily_papers_app::browser::local_storage::Store;
use daily_papers_app::state::{now_ms, AppState, Papers};
use daily_papers_core::app_state::saved::SavedState;
use leptos::prelude::*;
use daily_papers_core::date::Date;
use daily_papers_core::digest::readme::{readme, Section};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Papers kept by [`load_papers`] for [`readme_length`], so that timing the README does not
    /// time the parse as well.
    static PAPERS: RefCell<Vec<Paper>> = const { RefCell::new(Vec::new()) };
    /// The app's state read by [`load_state`], for [`render_sections`], so that timing the
    /// render does not time reading the storage as well.
    static STATE: RefCell<Option<AppState>> = const { RefCell::new(None) };
}

/// Reads the saved keywords, settings and results (from IndexedDB) into the app's state, as the
/// app does at start-up; resolves to how many keywords have results in memory.
#[wasm_bindgen]
pub async fn load_state() -> u32 {
    let saved = SavedState::read(&Store::open(), now_ms());
    let state = AppState::new(saved, Papers::open(), Default::default());
    state.load_papers().await;
    let with_results = state.results.with_untracked(|r| r.values().count());
    STATE.with(|s| *s.borrow_mut() = Some(state));
    u32::try_from(with_results).unwrap_or(u32::MAX)
}

/// Renders every keyword section (heading, summary, table of papers) of the state read by
/// [`load_state`] into `parent`, with the app's own components, synchronously. Returns false
/// when no state was loaded.
#[wasm_bindgen]
pub fn render_sections(parent: web_sys::HtmlElement) -> bool {
    let Some(state) = STATE.with(|s| *s.borrow()) else {
        return false;
    };
    let handle = leptos::mount::mount_to(parent, move || {
        provide_context(state);
        provide_context(Fetcher::new(state));
        provide_context(BuildAllTables);
        provide_context(RowFilter::new());
        view! { <KeywordSections /> }
    });
    // The rows stay until the page closes (the benchmark removes `parent` itself).
    std::mem::forget(handle);
    true
}

/// Parses an Atom feed and applies the category filter, as the app does with each answer.
/// Returns how many papers were kept, or -1 when the feed is refused.
#[wasm_bindgen]
pub fn parse_and_filter(feed: &[u8], categories: &str) -> i32 {
    let Ok(filter) = CategoryFilter::parse(categories) else {
        return -1;
    };
    match parse_feed(feed) {
        Ok(feed) => i32::try_from(filter.apply(feed.papers).len()).unwrap_or(i32::MAX),
        Err(_) => -1,
    }
}

/// Keeps the papers of a feed (unfiltered) for [`readme_length`]; returns how many.
#[wasm_bindgen]
pub fn load_papers(feed: &[u8]) -> i32 {
    let papers = parse_feed(feed).map(|f| f.papers).unwrap_or_default();
    let n = i32::try_from(papers.len()).unwrap_or(i32::MAX);
    PAPERS.with(|p| *p.borrow_mut() = papers);
    n
}

/// Writes the README for `keywords` keywords, each with the loaded papers; returns its length
/// in bytes (so the work cannot be skipped).
#[wasm_bindgen]
pub fn readme_length(keywords: u32) -> u32 {
    let names: Vec<String> = (1..=keywords).map(|i| format!("Benchmark Topic {i:02}")).collect();
    let Some(day) = Date::new(2026, 11, 20) else {
        return 0;
    };
    PAPERS.with(|papers| {
        let papers = papers.borrow();
        let sections: Vec<Section> = names
            .iter()
            .map(|name| Section { keyword: name, papers: &papers })
            .collect();
        u32::try_from(readme(day, &sections, LinkStyle::Abs).len()).unwrap_or(u32::MAX)
    })
}

/// The README preview of the state read by [`load_state`], as the app builds it, holding at most
/// `max_bytes` (0: the whole README): the text the preview would show, or "" when no state was
/// loaded. The benchmark times this and putting the text in the page.
#[wasm_bindgen]
pub fn readme_preview(max_bytes: u32) -> String {
    let Some(state) = STATE.with(|s| *s.borrow()) else {
        return String::new();
    };
    let max_bytes = match usize::try_from(max_bytes) {
        Ok(0) | Err(_) => usize::MAX,
        Ok(n) => n,
    };
    let layout = RwSignal::new(None);
    let draft = readme_draft(&state, layout, papers_to_fill(max_bytes));
    preview_of(&draft, max_bytes).0
}

/// What the app's preview holds at most, in bytes.
#[wasm_bindgen]
pub fn preview_limit() -> u32 {
    u32::try_from(PREVIEW_BYTES).unwrap_or(u32::MAX)
}

/// The codec comparison. Reads one keyword's stored results with the app's reader (JSON text,
/// serde_json), as at start-up; returns how many papers, or -1 when refused.
#[wasm_bindgen]
pub fn read_stored_results(text: &str) -> i32 {
    match daily_papers_core::storage_format::read_results(text) {
        Ok(results) => i32::try_from(results.papers.len()).unwrap_or(i32::MAX),
        Err(_) => -1,
    }
}

/// The same record as a JavaScript object (what IndexedDB's structured clone hands back when
/// objects are stored instead of text), read with serde-wasm-bindgen.
#[derive(serde::Deserialize)]
struct ClonedResults {
    papers: Vec<Paper>,
}

#[wasm_bindgen]
pub fn read_cloned_results(value: JsValue) -> i32 {
    match serde_wasm_bindgen::from_value::<ClonedResults>(value) {
        Ok(results) => i32::try_from(results.papers.len()).unwrap_or(i32::MAX),
        Err(_) => -1,
    }
}
