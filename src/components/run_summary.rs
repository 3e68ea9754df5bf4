//! At a glance, above the sections: how many new papers arrived in how many topics since the
//! previous fetch, and after a run with failures a button that moves focus to the first failed
//! section. The run's own count ("Done: 27 fetched, 3 failed, 17 new papers") is the progress
//! text of the fetch controls.

use crate::fetch_loop::Fetcher;
use daily_papers_core::library::run::Arrivals;
use daily_papers_core::library::results::results_key;
use crate::state::AppState;
use daily_papers_core::topics::TopicId;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The element id of a topic's section (focusable, so a failure can be jumped to).
pub fn section_element_id(id: TopicId) -> String {
    format!("topic-{id}")
}

#[component]
pub fn RunSummary() -> impl IntoView {
    let state = expect_context::<AppState>();
    let fetcher = expect_context::<Fetcher>();
    let arrivals = move || {
        state.topics.with(|list| {
            state.history.with(|history| {
                let fetched: Vec<(usize, usize)> = list
                    .entries()
                    .iter()
                    .filter_map(|e| history.topic(&results_key(e.id)))
                    .map(|h| h.latest_counts())
                    .collect();
                (!fetched.is_empty()).then(|| Arrivals::new(fetched).text())
            })
        })
    };
    let first_failure = move || {
        fetcher
            .progress
            .with(|p| (!p.running).then(|| p.first_failure()).flatten())
    };
    let jump = move |_| {
        let Some(id) = first_failure() else {
            return;
        };
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&section_element_id(id)))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(section) = element {
            section.scroll_into_view();
            let _ = section.focus();
        }
    };
    view! {
        <div class="run-summary">
            <p class="arrivals" data-testid="arrivals" hidden=move || arrivals().is_none()>
                {arrivals}
            </p>
            <button
                type="button"
                data-testid="jump-to-failure"
                hidden=move || first_failure().is_none()
                on:click=jump
            >
                "Go to the first failure"
            </button>
        </div>
    }
}
