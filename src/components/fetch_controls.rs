//! Fetch all, Cancel, and the progress bar with its text ("2 of 5: Video Understanding").

use crate::fetch_loop::Fetcher;
use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn FetchControls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let fetcher = expect_context::<Fetcher>();
    let running = move || fetcher.progress.with(|p| p.running);
    let no_keywords = move || state.topics.with(|t| t.is_empty());
    view! {
        <section class="panel fetch-controls" aria-label="Fetching">
            <div class="button-row">
                <button
                    type="button"
                    class="primary"
                    data-testid="fetch-all"
                    disabled=move || running() || no_keywords()
                    on:click=move |_| fetcher.fetch_all()
                >
                    "Fetch all"
                </button>
                <button
                    type="button"
                    data-testid="fetch-cancel"
                    disabled=move || !running()
                    on:click=move |_| fetcher.cancel()
                >
                    "Cancel"
                </button>
            </div>
            <div
                class="progress"
                data-testid="progress"
                role="status"
                aria-live="polite"
                hidden=move || fetcher.progress.with(|p| p.total == 0)
            >
                <progress
                    max=move || fetcher.progress.with(|p| p.total.max(1))
                    value=move || fetcher.progress.with(|p| p.done)
                ></progress>
                <span class="progress-text">{move || fetcher.progress.with(|p| p.text())}</span>
            </div>
        </section>
    }
}
