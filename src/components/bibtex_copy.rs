//! `copy-bibtex`: a topic's papers as BibTeX on the clipboard, in the form arXiv itself gives
//! (the core's [`daily_papers_core::digest::bibtex`]), with a short confirmation beside the button.

use crate::browser::clipboard::copy_text;
use crate::components::announcer::announce;
use daily_papers_core::digest::bibtex::bibtex_list;
use daily_papers_core::library::results::results_key;
use crate::state::AppState;
use daily_papers_core::topics::TopicId;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn CopyBibtex(id: TopicId) -> impl IntoView {
    let state = expect_context::<AppState>();
    let key = results_key(id);
    let has_papers = {
        let key = key.clone();
        move || {
            state
                .results
                .with(|map| map.get(&key).is_some_and(|r| !r.papers.is_empty()))
        }
    };
    let status = RwSignal::new(String::new());
    let copy = move |_| {
        let text = state
            .results
            .with_untracked(|map| map.get(&key).map(|r| bibtex_list(&r.papers)))
            .unwrap_or_default();
        spawn_local(async move {
            let said = match copy_text(&text).await {
                Ok(_) => "BibTeX copied".to_owned(),
                Err(e) => e.to_string(),
            };
            // Said through the page's one live region: a section holds none of its own.
            announce(&said);
            status.set(said);
        });
    };
    view! {
        <span class="copy-bibtex" hidden=move || !has_papers()>
            <button type="button" data-testid="copy-bibtex" on:click=copy>
                "Copy BibTeX"
            </button>
            <span class="hint" data-testid="copy-bibtex-status">
                {move || status.get()}
            </span>
        </span>
    }
}
