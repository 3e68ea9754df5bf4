//! Above the sections, what the reader keeps of the day's papers: "Hide read" (read papers left
//! out of every section), the "Saved" list with Copy BibTeX for all of it, and the button that
//! opens the keyboard's help panel. The marks themselves are the core's
//! ([`daily_papers_core::library::marks`]), kept by the app state with the seen history.

use crate::browser::clipboard::copy_text;
use crate::components::announcer::announce;
use crate::components::keyboard::HelpOpen;
use crate::state::AppState;
use daily_papers_core::arxiv::LinkStyle;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ReadingBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let help_open = expect_context::<HelpOpen>();
    let count = move || state.marks.with(|m| m.saved().len());
    let has_saved = move || count() > 0;
    let status = RwSignal::new(String::new());
    // A button rather than a `<details>`: the page's disclosures are the abstracts' "Show".
    let open = RwSignal::new(false);
    let copy = move |_| {
        let text = state.marks.with_untracked(|m| m.saved_bibtex());
        spawn_local(async move {
            let said = match copy_text(&text).await {
                Ok(_) => "BibTeX of the saved papers copied".to_owned(),
                Err(e) => e.to_string(),
            };
            announce(&said);
            status.set(said);
        });
    };
    let items = move || {
        state.marks.with(|m| {
            m.saved()
                .iter()
                .map(|paper| {
                    let href = paper.web_link(LinkStyle::Abs).map(str::to_owned);
                    let title = paper.title.clone();
                    let label = format!("Remove {title} from Saved");
                    let removed = paper.clone();
                    let remove = move |_| {
                        state.set_saved(&removed, false);
                        announce("Removed from Saved");
                    };
                    view! {
                        <li data-testid="saved-item">
                            <a href=href rel="noopener noreferrer" dir="auto">{title}</a>
                            " "
                            <button
                                type="button"
                                class="link-button"
                                data-testid="saved-remove"
                                aria-label=label
                                on:click=remove
                            >
                                "Remove"
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="reading-bar">
            <label class="hide-read">
                <input
                    type="checkbox"
                    data-testid="hide-read"
                    prop:checked=move || state.hide_read.get()
                    on:change=move |ev| state.set_hide_read(event_target_checked(&ev))
                />
                " Hide read"
            </label>
            <button
                type="button"
                class="link-button"
                data-testid="keys-help-open"
                aria-keyshortcuts="?"
                on:click=move |_| help_open.0.set(true)
            >
                "Keyboard shortcuts"
            </button>
            <div class="saved-list" data-testid="saved-list">
                <button
                    type="button"
                    class="link-button"
                    data-testid="saved-toggle"
                    aria-controls="saved-papers"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    "Saved ("
                    <span data-testid="saved-count">{count}</span>
                    ")"
                </button>
                <div id="saved-papers" hidden=move || !open.get()>
                <p class="hint" hidden=has_saved>
                    "Save a paper with its Save button (or the key s) to find it here."
                </p>
                <ul>{items}</ul>
                <button
                    type="button"
                    data-testid="copy-saved-bibtex"
                    hidden=move || !has_saved()
                    on:click=copy
                >
                    "Copy BibTeX"
                </button>
                <span class="hint" data-testid="copy-saved-bibtex-status">
                    {move || status.get()}
                </span>
                </div>
            </div>
        </div>
    }
}
