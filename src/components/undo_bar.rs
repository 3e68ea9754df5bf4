//! "Removed “LLM” — Undo": shown for at least ten seconds after topics are removed (again for a
//! whole window after a reload); Undo brings back the topics, their papers and their history.
//! When the time is up the removal is final.

use crate::state::{now_ms, AppState};
use crate::browser::timers::sleep;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn UndoBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let refused = RwSignal::new(None::<String>);
    // One timer per offer: it ends the offer it was started for, not a newer one.
    Effect::new(move |_| {
        let Some(until) = state.undo.with(|u| u.as_ref().map(|u| u.shown_until_ms)) else {
            return;
        };
        refused.set(None);
        spawn_local(async move {
            loop {
                let left = until.saturating_sub(now_ms());
                if left == 0 {
                    break;
                }
                sleep(left.min(1_000) as u32).await;
            }
            if state
                .undo
                .with_untracked(|u| u.as_ref().map(|u| u.shown_until_ms))
                == Some(until)
            {
                state.end_undo();
            }
        });
    });
    let message = move || {
        state.undo.with(|u| {
            u.as_ref()
                .map(|u| u.message(|t| t.topic.name().to_string()))
        })
    };
    let undo = move |_| {
        if let Err(e) = state.undo_removal() {
            refused.set(Some(e));
        }
    };
    view! {
        <div class="undo-bar" data-testid="undo-bar" role="status" hidden=move || message().is_none()>
            <span>{message} " \u{2014} "</span>
            <button type="button" data-testid="undo" on:click=undo>
                "Undo"
            </button>
            <span class="field-error" role="alert">{move || refused.get()}</span>
        </div>
    }
}
