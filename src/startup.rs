//! Start-up, as one sequence ([`start`]): each step gets what the steps before it made, and
//! the state the page runs on is one value ([`AppState`]) made in the middle of it.
//!
//! 1. The core lower-cases text with the engine's own `toLowerCase`.
//! 2. Storage: `localStorage` at once, and the papers database asked to open (it opens while
//!    the page lays itself out).
//! 3. What the last visit saved: topics, settings, an Undo offer, the first screen's copy.
//! 4. The first topic's saved papers, so the page shows with them rather than without them for
//!    a few frames: waited for at most [`FIRST_PAPERS_WAIT_MS`] (a first visit has none).
//! 5. The state, and the page mounted on it (in five browser tasks, see
//!    [`crate::app::mount_in_tasks`]).
//! 6. Another tab's saves followed from now on.
//! 7. Version 1's stored forms moved forward, then every topic's papers read, in order.
//! 8. Refresh on open: a last fetch older than the setting starts Fetch all (never on a first
//!    visit: the first fetch is the user's own click).

use crate::app::mount_in_tasks;
use crate::browser::local_storage::Store;
use crate::browser::timers::sleep;
use crate::fetch_loop::Fetcher;
use crate::state::{now_ms, AppState, FirstPapers, Papers};
use daily_papers_core::app_state::saved::SavedState;
use daily_papers_core::app_state::saving::read_before_first_view;
use daily_papers_core::app_state::{results_what, PapersStore};
use daily_papers_core::library::refresh::on_open;
use daily_papers_core::topics::keyword::use_case_fold;
use leptos::prelude::*;
use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

/// How long the page waits at most for the first topic's saved papers before it first lays
/// itself out without them (they then fill in as they are read, like the other topics').
const FIRST_PAPERS_WAIT_MS: u32 = 50;

/// Starts the app (see the module's steps).
pub fn start() {
    // Panic messages in the console while developing (`trunk serve`); the release build leaves
    // the hook out to keep the download small (a panic still shows as an error there).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // Not Leptos's `spawn_local`: its executor starts with the mount.
    wasm_bindgen_futures::spawn_local(run());
}

async fn run() {
    use_case_fold(engine_lowercase);
    let store = Store::open();
    let papers = Papers::open();
    let saved = SavedState::read(&store, now_ms());
    let first_papers = Rc::new(RefCell::new(None));
    if let Some((key, name)) = read_before_first_view(&store) {
        first_of(read_first_papers(&papers, key, name, &first_papers), sleep(FIRST_PAPERS_WAIT_MS)).await;
    }
    // The module's start and the reading above make a task of their own: the page's first part
    // is built in the next (see `mount_in_tasks`).
    sleep(0).await;
    let state = AppState::new(saved, papers, first_papers);
    let fetcher = Fetcher::new(state);
    mount_in_tasks(state, fetcher);
    state.follow_other_tabs();
    state.load_papers().await;
    if on_open(now_ms(), state.last_fetch_ms(), state.refresh.get_untracked()).should_refresh() {
        fetcher.fetch_all();
    }
}

/// Reads the first topic's papers into `slot`, in a task of its own that ends even when the
/// page stops waiting for it (a read dropped half-way would leave the browser calling into a
/// closure that is gone); the returned future ends with the read.
fn read_first_papers(
    papers: &Papers,
    key: String,
    name: String,
    slot: &Rc<RefCell<FirstPapers>>,
) -> impl Future<Output = ()> {
    let done = Rc::new(RefCell::new((false, None::<Waker>)));
    let (opening, slot, finished) = (papers.db(), Rc::clone(slot), Rc::clone(&done));
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(db) = opening.await {
            let texts = db.topic(&key, &results_what(&name)).await;
            *slot.borrow_mut() = Some((key, texts));
        }
        let waiting = {
            let mut finished = finished.borrow_mut();
            finished.0 = true;
            finished.1.take()
        };
        if let Some(waker) = waiting {
            waker.wake();
        }
    });
    poll_fn(move |cx| {
        let mut done = done.borrow_mut();
        if done.0 {
            Poll::Ready(())
        } else {
            done.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    })
}

/// Waits for `a` or `b`, whichever ends first; the other is dropped.
async fn first_of(a: impl Future<Output = ()>, b: impl Future<Output = ()>) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    poll_fn(|cx| {
        if a.as_mut().poll(cx).is_ready() || b.as_mut().poll(cx).is_ready() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
}

/// The engine's `toLowerCase`: Unicode's default mapping, as `str::to_lowercase`, without Rust's
/// case tables in the download (see `use_case_fold`).
fn engine_lowercase(text: &str) -> String {
    String::from(js_sys::JsString::from(text).to_lower_case())
}

#[cfg(test)]
mod tests {
    use super::engine_lowercase;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// The mapping the browser build gives the core is the one its native tests use.
    #[wasm_bindgen_test]
    fn the_engines_lowercase_is_rusts() {
        for text in [
            "Video Anomaly DETECTION",
            "ÄÖÜ ÀÉÎ Ç Ñ",
            "ΣΟΦΟΣ ΟΔΟΣ Σ",
            "İstanbul ΑΣ. ǅ Ǆ ǈ",
            "ẞ ＡＢＣ Ꭰ ДЖЩ",
            "ŉ Å K Ω",
        ] {
            assert_eq!(engine_lowercase(text), text.to_lowercase(), "{text}");
        }
    }
}
