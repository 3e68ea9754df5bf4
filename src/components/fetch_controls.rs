//! Fetch all, Cancel, and the progress bar with its text ("2 of 5: Video Understanding"). The
//! page's live region lives here: it says when a run starts and how it ended, once.

use crate::components::announcer::{announce, ANNOUNCER_ID};
use crate::components::focus::{focus_first_later, is_lost_or_on};
use crate::fetch_loop::Fetcher;
use daily_papers_core::topics::keyword::Keyword;
use daily_papers_core::library::results::{results_key, KeywordResults};
use crate::state::AppState;
use leptos::prelude::*;
use std::sync::Arc;

const FETCH_ALL: &str = "[data-testid=\"fetch-all\"]";
const CANCEL: &str = "[data-testid=\"fetch-cancel\"]";

/// Each keyword of a run with the results it had when the run started, to tell at the end
/// which ones this run updated and which failed.
type Snapshot = Vec<(String, Keyword, Option<Arc<KeywordResults>>)>;

#[component]
pub fn FetchControls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let fetcher = expect_context::<Fetcher>();
    let running = move || fetcher.progress.with(|p| p.running);
    let no_keywords = move || state.topics.with(|t| t.is_empty());
    let before_run = StoredValue::new(Snapshot::new());

    // A run starting or ending: say so once, and keep focus on the button that makes sense
    // (Cancel while it runs, Fetch all after), unless the user has moved on to something else.
    Effect::new(move |was_running: Option<bool>| {
        let now_running = running();
        match (was_running.unwrap_or(false), now_running) {
            (false, true) => {
                before_run.set_value(snapshot(&state));
                let total = fetcher.progress.with_untracked(|p| p.total);
                announce(&format!(
                    "Fetching {}, one at a time.",
                    count(total, "keyword")
                ));
                if is_lost_or_on(FETCH_ALL) {
                    focus_first_later(vec![CANCEL.to_owned()]);
                }
            }
            (true, false) => {
                announce(&before_run.with_value(|before| summary(&state, &fetcher, before)));
                if is_lost_or_on(&format!("{FETCH_ALL}, {CANCEL}")) {
                    focus_first_later(vec![FETCH_ALL.to_owned()]);
                }
            }
            _ => {}
        }
        now_running
    });

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
                hidden=move || fetcher.progress.with(|p| p.total == 0)
            >
                <progress
                    aria-label="Fetching progress"
                    max=move || fetcher.progress.with(|p| p.total.max(1))
                    value=move || fetcher.progress.with(|p| p.done)
                ></progress>
                <span class="progress-text" dir="auto">{move || fetcher.progress.with(|p| p.text())}</span>
            </div>
            <p
                id=ANNOUNCER_ID
                class="visually-hidden"
                data-testid="announcer"
                role="status"
                aria-live="polite"
                aria-atomic="true"
            ></p>
        </section>
    }
}

fn snapshot(state: &AppState) -> Snapshot {
    let topics = state.topics.get_untracked();
    state.results.with_untracked(|map| {
        topics
            .entries()
            .iter()
            .map(|e| {
                let key = results_key(e.id);
                let old = map.get(&key).cloned();
                (key, e.topic.name().clone(), old)
            })
            .collect()
    })
}

/// How a run ended, in one sentence: how many keywords it updated, which ones failed.
fn summary(state: &AppState, fetcher: &Fetcher, before: &Snapshot) -> String {
    let (done, total, cancelled) = fetcher
        .progress
        .with_untracked(|p| (p.done, p.total, p.cancelled));
    if cancelled {
        return format!("Fetching cancelled after {done} of {total}.");
    }
    let mut updated = 0;
    let mut failed = Vec::new();
    state.results.with_untracked(|map| {
        for (key, keyword, old) in before {
            let Some(new) = map.get(key) else {
                continue;
            };
            if old.as_ref().is_some_and(|old| Arc::ptr_eq(old, new)) {
                continue;
            }
            if new.error.is_some() {
                failed.push(format!("\u{201c}{keyword}\u{201d}"));
            } else {
                updated += 1;
            }
        }
    });
    let mut text = format!(
        "Fetching done: {updated} of {} updated.",
        count(total, "keyword")
    );
    if !failed.is_empty() {
        text.push_str(&format!(" {} failed: {}.", failed.len(), failed.join(", ")));
    }
    text
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("{n} {what}")
    } else {
        format!("{n} {what}s")
    }
}
