//! At a glance, above the sections: how many new papers arrived in how many topics since the
//! previous fetch, and after a run with failures a button that moves focus to the first failed
//! section. The run's own count ("Done: 27 fetched, 3 failed, 17 new papers") is the progress
//! text of the fetch controls.

use crate::fetch_loop::Fetcher;
use daily_papers_core::library::run::Arrivals;
use daily_papers_core::library::results::results_key;
use crate::state::{now_ms, AppState};
use daily_papers_core::topics::TopicId;
use leptos::prelude::*;
use daily_papers_core::calendar::Calendar;
use daily_papers_core::library::run::TopicOutcome;
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
    // When the run found nothing new: what arXiv's calendar says (announced since the previous
    // fetch or not, and when next), against the fetch before this run.
    let previous_fetch = StoredValue::new(None::<u64>);
    let was_running = StoredValue::new(false);
    Effect::new(move |_| {
        let running = fetcher.progress.with(|p| p.running);
        if running && !was_running.get_value() {
            previous_fetch.set_value(state.last_fetch_ms());
        }
        was_running.set_value(running);
    });
    let calendar = move || {
        fetcher.progress.with(|p| {
            if p.running || p.cancelled {
                return None;
            }
            let mut answered = false;
            let mut news = 0;
            for (_, outcome) in &p.outcomes {
                match outcome {
                    TopicOutcome::Fetched { new, updated } => {
                        answered = true;
                        news += new + updated;
                    }
                    TopicOutcome::NoMatch => answered = true,
                    _ => {}
                }
            }
            (answered && news == 0).then(|| {
                let now = i64::try_from(now_ms()).unwrap_or(i64::MAX);
                let previous = previous_fetch
                    .get_value()
                    .and_then(|ms| i64::try_from(ms).ok());
                Calendar::default().nothing_new_text(now, previous, reader_offset_minutes)
            })
        })
    };
    // Said once for the run: the project's server answered from its copy of arXiv's metadata.
    let mirror = move || {
        fetcher.progress.with(|p| {
            let answered = p
                .outcomes
                .iter()
                .filter(|(_, o)| *o != TopicOutcome::NotFetched)
                .count();
            let now = i64::try_from(now_ms()).unwrap_or(i64::MAX);
            (!p.running)
                .then(|| p.mirror.text(answered, now))
                .flatten()
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
            <p class="calendar-note" data-testid="calendar-note" hidden=move || calendar().is_none()>
                {calendar}
            </p>
            <p class="mirror-note" data-testid="mirror-note" hidden=move || mirror().is_none()>
                {mirror}
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

/// The reader's offset east of UTC at an instant, in minutes, as the browser's time zone has it
/// then (it changes with the reader's own summer time).
fn reader_offset_minutes(at_ms: i64) -> i32 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64));
    -(date.get_timezone_offset() as i32)
}
