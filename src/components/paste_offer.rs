//! The strip under the keyword field after a list was pasted into it: "Add these 3 topics?"
//! with `paste-add-all` and `paste-dismiss`. Names already listed (or refused) are skipped and
//! named in the outcome.

use crate::components::announcer::announce;
use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn PasteOffer(pasted: RwSignal<Option<Vec<String>>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let outcome = RwSignal::new(String::new());
    let add_all = move |_| {
        let Some(names) = pasted.get_untracked() else {
            return;
        };
        let (added, skipped) = state
            .edit_topics(|list| {
                let mut added = 0usize;
                let mut skipped = Vec::new();
                for name in &names {
                    match list.add(name) {
                        Ok(_) => added += 1,
                        Err(e) => skipped.push(format!("\u{201c}{name}\u{201d} ({e})")),
                    }
                }
                Ok::<_, ()>((added, skipped))
            })
            .unwrap_or_default();
        let mut text = format!("Added {added} topic{}.", if added == 1 { "" } else { "s" });
        if !skipped.is_empty() {
            text.push_str(&format!(" Not added: {}.", skipped.join(", ")));
        }
        announce(&text);
        outcome.set(text);
        pasted.set(None);
    };
    view! {
        {move || {
            pasted
                .get()
                .map(|names| {
                    let question = format!("Add these {} topics?", names.len());
                    let listed = names
                        .iter()
                        .map(|n| format!("\u{201c}\u{2068}{n}\u{2069}\u{201d}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <div class="notice paste-offer" data-testid="paste-offer">
                            <p>{question} " " <span dir="auto">{listed}</span></p>
                            <div class="button-row">
                                <button type="button" data-testid="paste-add-all" on:click=add_all>
                                    "Add all"
                                </button>
                                <button
                                    type="button"
                                    data-testid="paste-dismiss"
                                    on:click=move |_| pasted.set(None)
                                >
                                    "Cancel"
                                </button>
                            </div>
                        </div>
                    }
                })
        }}
        <p class="hint" data-testid="paste-outcome" hidden=move || outcome.with(String::is_empty)>
            {move || outcome.get()}
        </p>
    }
}
