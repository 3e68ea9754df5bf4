//! The banner that says when the browser's storage is full, disabled or holds something
//! unreadable: the app keeps working in memory, and the user should know it will not last.

use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn StorageNotice() -> impl IntoView {
    let state = expect_context::<AppState>();
    let messages = move || {
        state.storage_problems.with(|problems| {
            problems
                .values()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div
            class="notice storage-notice"
            role="alert"
            data-testid="storage-error"
            hidden=move || state.storage_problems.with(|p| p.is_empty())
        >
            <ul>
                {move || messages().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
        </div>
    }
}
