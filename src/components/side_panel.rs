//! On a narrow screen the papers come first: the topic editor, the settings and moving in sit
//! in a panel one tap away, above the papers. It opens on a first visit (there is nothing else
//! to do yet) and is closed once the user has topics or papers of their own; a tap changes that
//! and the choice is remembered. On a wide screen the panel is the sidebar, always open, and its
//! button is not shown (style/main.css).

use crate::browser::local_storage::Store;
use crate::state::AppState;
use daily_papers_core::topics::TopicList;
use leptos::prelude::*;

/// Where the user's choice is kept: "open" or "closed".
use daily_papers_core::app_state::keys::PANEL_KEY;

/// Whether the panel is open, decided when the page opens (see the module's comment); given to
/// [`PanelToggle`] and to the panel's element (`#side-panel` in `src/app.rs`, which holds the
/// sidebar's components itself: taking them as `Children` would box their views, which costs
/// the download far more than this split).
pub fn panel_open() -> RwSignal<bool> {
    let state = expect_context::<AppState>();
    let remembered = Store::open().raw(PANEL_KEY).ok().flatten();
    // Decided once, when the page opens: it never closes under the user's hands.
    let returning = || {
        state.topics.with_untracked(|list| *list != TopicList::examples())
            || state.results.with_untracked(|results| !results.is_empty())
    };
    RwSignal::new(match remembered.as_deref() {
        Some("open") => true,
        Some("closed") => false,
        _ => !returning(),
    })
}

/// The button that opens and closes the panel (shown on narrow screens only).
#[component]
pub fn PanelToggle(open: RwSignal<bool>) -> impl IntoView {
    let toggle = move |_| {
        let now = !open.get_untracked();
        open.set(now);
        // Not kept if storage is unavailable: the panel then opens as on any visit.
        let _ = Store::open().save(PANEL_KEY, "the panel's state", if now { "open" } else { "closed" });
    };
    view! {
        <button
            type="button"
            class="panel-toggle"
            data-testid="panel-toggle"
            aria-controls="side-panel"
            aria-expanded=move || open.get().to_string()
            on:click=toggle
        >
            "Topics and settings"
        </button>
    }
}
