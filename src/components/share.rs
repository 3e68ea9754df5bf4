//! Sharing the list: `share-link` copies the page's address with the topics and settings in its
//! fragment ([`daily_papers_core::share_link`]); opening such an address asks "Add these N topics?"
//! (`share-accept`, `share-dismiss`) and changes nothing before the answer. A fragment that
//! cannot be read says why. Either way the fragment is then taken off the address, so a reload
//! does not ask again.

use crate::browser::clipboard::copy_text;
use crate::components::announcer::announce;
use crate::components::config_file::{apply_config, config_summary, current};
use daily_papers_core::config::Config;
use daily_papers_core::share_link::{feed_address, read_share_fragment, share_fragment};
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// Takes the fragment off the address without reloading or adding a history entry.
fn clear_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(path) = window.location().pathname() else {
        return;
    };
    let search = window.location().search().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
}

/// The `share-link` button and its confirmation.
#[component]
pub fn ShareButton() -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = RwSignal::new(String::new());
    let share = move |_| {
        let Some(location) = location() else { return };
        let base = format!(
            "{}{}{}",
            location.origin().unwrap_or_default(),
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        let link = format!("{base}#{}", share_fragment(&current(&state)));
        spawn_local(async move {
            status.set(match copy_text(&link).await {
                Ok(_) => {
                    "Link copied: it holds your topics and settings, not your papers.".to_owned()
                }
                Err(e) => e.to_string(),
            });
        });
    };
    // The list's Atom feed on the server that answers this page: a feed reader then follows the
    // same topics, with no repository.
    let subscribe = move |_| {
        let Some(location) = location() else { return };
        let endpoint = state.settings.with_untracked(|s| s.endpoint.as_str().to_owned());
        let origin = location.origin().unwrap_or_default();
        let Some(address) = feed_address(&endpoint, &origin, &current(&state)) else {
            status.set(
                "This page's endpoint is not a Daily Papers server, so it has no feed to follow."
                    .to_owned(),
            );
            return;
        };
        spawn_local(async move {
            status.set(match copy_text(&address).await {
                Ok(_) => "Feed address copied: add it to your feed reader to follow these topics."
                    .to_owned(),
                Err(e) => e.to_string(),
            });
        });
    };
    view! {
        <div class="share">
            <button type="button" data-testid="share-link" on:click=share>
                "Copy a link to this list"
            </button>
            <button type="button" data-testid="share-feed" on:click=subscribe>
                "Subscribe in a feed reader"
            </button>
            <p class="hint" data-testid="share-status" aria-live="polite">
                {move || status.get()}
            </p>
        </div>
    }
}

/// The question a share link asks when the page opens with one.
#[component]
pub fn ShareOffer() -> impl IntoView {
    let state = expect_context::<AppState>();
    let hash = location().and_then(|l| l.hash().ok()).unwrap_or_default();
    let offer = RwSignal::new(read_share_fragment(&hash).map(|r| r.map_err(|e| e.to_string())));
    // A share link pasted into the address bar of an open page only changes the fragment.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = location().and_then(|l| l.hash().ok()).unwrap_or_default();
        if let Some(read) = read_share_fragment(&hash) {
            offer.set(Some(read.map_err(|e| e.to_string())));
        }
    });
    let answered = move |message: String| {
        offer.set(None);
        clear_fragment();
        announce(&message);
    };
    let accept = move |config: &Config| {
        apply_config(&state, config);
        answered(format!("Added {}", config_summary(config)));
    };
    view! {
        {move || {
            offer
                .get()
                .map(|offer| match offer {
                    Ok(config) => {
                        let n = config.topics.len();
                        let question = format!(
                            "Add these {n} topic{} from a shared link?",
                            if n == 1 { "" } else { "s" },
                        );
                        let summary = config_summary(&config);
                        view! {
                            <section class="notice share-offer" data-testid="share-offer" role="region" aria-label="Shared list">
                                <p>{question}</p>
                                <p class="hint" dir="auto">{summary}</p>
                                <div class="button-row">
                                    <button type="button" data-testid="share-accept" on:click=move |_| accept(&config)>
                                        "Add them"
                                    </button>
                                    <button type="button" data-testid="share-dismiss" on:click=move |_| answered("Nothing was added.".to_owned())>
                                        "No, thanks"
                                    </button>
                                </div>
                            </section>
                        }
                            .into_any()
                    }
                    Err(message) => {
                        view! {
                            <section class="notice share-offer" data-testid="share-offer" role="region" aria-label="Shared list">
                                <p class="error-text" data-testid="share-error">{message}</p>
                                <button type="button" data-testid="share-dismiss" on:click=move |_| answered(String::new())>
                                    "Close"
                                </button>
                            </section>
                        }
                            .into_any()
                    }
                })
        }}
    }
}
