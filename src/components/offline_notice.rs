//! The line that says the page is offline: it shows what it keeps (topics, papers, marks, the
//! search works on them), and a fetch waits for the network rather than failing topic by topic
//! (the fetch loop waits on [`is_online`]).

use leptos::prelude::*;

/// Whether the browser says it has a network (`navigator.onLine`; true if it cannot say).
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

#[component]
pub fn OfflineNotice() -> impl IntoView {
    let online = RwSignal::new(is_online());
    // The browser's own word, as it changes; the handles live as long as the page.
    let _ = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    view! {
        <p class="notice offline-notice" role="status" data-testid="offline-notice" hidden=move || online.get()>
            "You are offline: the page shows the topics and papers it keeps. Fetch waits until the network is back."
        </p>
    }
}
