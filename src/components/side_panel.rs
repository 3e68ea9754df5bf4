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
const PANEL_KEY: &str = "daily-papers-panel";

#[component]
pub fn SidePanel(children: Children) -> impl IntoView {
    let state = expect_context::<AppState>();
    let store = Store::open();
    let remembered = store.raw(PANEL_KEY).ok().flatten();
    // Decided once, when the page opens: it never closes under the user's hands.
    let returning = move || {
        state.topics.with_untracked(|list| *list != TopicList::examples())
            || state.results.with_untracked(|results| !results.is_empty())
    };
    let open = RwSignal::new(match remembered.as_deref() {
        Some("open") => true,
        Some("closed") => false,
        _ => !returning(),
    });
    let toggle = move |_| {
        let now = !open.get_untracked();
        open.set(now);
        // Not kept if storage is unavailable: the panel then opens as on any visit.
        let _ = store.save(PANEL_KEY, "the panel's state", if now { "open" } else { "closed" });
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
            <span aria-hidden="true" class="panel-toggle-mark">{move || if open.get() { "\u{25be}" } else { "\u{25b8}" }}</span>
            "Topics and settings"
        </button>
        <div id="side-panel" class="side-panel" class:closed=move || !open.get()>
            {children()}
        </div>
    }
}
