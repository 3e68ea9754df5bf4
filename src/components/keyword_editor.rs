//! The keyword list: add (Enter or the button), remove, move up or down, edit in place. Refusals
//! (empty, too long, duplicate) appear next to the input that caused them. Each keyword is a
//! topic: typing one makes a one-phrase topic, and its `topic-edit` button opens the topic form
//! (phrases, exclusions, authors, categories; see [`TopicForm`]). A topic's row is its name and
//! one menu button: rename, the topic form, move up or down and remove are in its menu. Every
//! change is announced to screen readers, and focus stays on something sensible after each one.

use crate::components::announcer::announce;
use crate::components::focus::focus_first_later;
use crate::components::paste_offer::PasteOffer;
use crate::components::topic_form::TopicForm;
use daily_papers_core::topics::paste_list::pasted_list;
use crate::state::AppState;
use daily_papers_core::topics::{TopicId, TopicList};
use leptos::html;
use leptos::prelude::*;

const ADD_FIELD: &str = "#keyword-input";

/// A control in the `index`-th keyword item (`button.menu`).
fn in_item(index: usize, control: &str) -> String {
    format!(
        ".keyword-list > [data-testid=\"keyword-item\"]:nth-child({}) {control}",
        index + 1
    )
}

fn quoted(keyword: &impl std::fmt::Display) -> String {
    format!("\u{201c}{keyword}\u{201d}")
}

#[component]
pub fn KeywordEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    let input: NodeRef<html::Input> = NodeRef::new();
    // A list pasted into the field: asked about below the field instead of typed into it.
    let pasted = RwSignal::new(None::<Vec<String>>);
    let on_paste = move |ev: web_sys::ClipboardEvent| {
        let text = ev
            .clipboard_data()
            .and_then(|data| data.get_data("text/plain").ok())
            .unwrap_or_default();
        if let Some(names) = pasted_list(&text) {
            ev.prevent_default();
            pasted.set(Some(names));
        }
    };

    let add = move || {
        let Some(field) = input.get() else { return };
        match state.edit_topics(|list| list.add(&field.value())) {
            Ok(id) => {
                field.set_value("");
                error.set(None);
                let (name, n) = state.topics.with_untracked(|list| {
                    (
                        list.get(id)
                            .map(|t| t.name().to_string())
                            .unwrap_or_default(),
                        list.len(),
                    )
                });
                announce(&format!("Added {}, keyword {n} of {n}.", quoted(&name)));
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let clear_all = move |_| {
        // One by one, so the list's next id (and a removed topic's papers) are never reused.
        let _ = state.edit_topics(|list| {
            let ids: Vec<TopicId> = list.entries().iter().map(|e| e.id).collect();
            ids.into_iter().for_each(|id| {
                list.remove(id);
            });
            Ok::<_, ()>(())
        });
        announce("Removed all topics.");
        focus_first_later(vec![ADD_FIELD.to_owned()]);
    };
    // A first visit lists examples: say so, rather than warn about keywords never fetched.
    // The topic whose menu is open: one at a time, so an open menu never covers another's.
    let open_menu = RwSignal::new(None::<TopicId>);
    let showing_examples = Memo::new(move |_| {
        state.topics.with(|list| *list == TopicList::examples())
            && state.results.with(|results| results.is_empty())
    });

    view! {
        <section class="panel" aria-labelledby="keywords-heading">
            <h2 id="keywords-heading">"Topics"</h2>
            <form
                class="keyword-add"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add();
                }
            >
                <label for="keyword-input">"Add a topic"</label>
                <div class="input-row">
                    <input
                        id="keyword-input"
                        data-testid="keyword-input"
                        type="text"
                        node_ref=input
                        placeholder="e.g. Video Anomaly Detection"
                        autocomplete="off"
                        dir="auto"
                        on:paste=on_paste
                        aria-describedby="keyword-input-error"
                        aria-invalid=move || error.with(Option::is_some).to_string()
                    />
                    <button type="submit" data-testid="keyword-add">
                        "Add"
                    </button>
                </div>
                <p id="keyword-input-error" class="field-error" aria-live="polite">
                    {move || error.get()}
                </p>
            </form>
            <PasteOffer pasted />
            <p class="hint examples-hint" data-testid="examples-hint" hidden=move || !showing_examples.get()>
                "These topics are examples: press Fetch all to try them, or remove them and add your own."
            </p>
            <ol class="keyword-list">
                <For
                    each=move || {
                        state.topics.with(|list| list.entries().iter().map(|e| e.id).collect::<Vec<_>>())
                    }
                    key=|id| *id
                    children=move |id| view! { <KeywordItem id open_menu /> }
                />
            </ol>
            <p class="hint" hidden=move || !state.topics.with(|list| list.is_empty())>
                "No topics yet: add one above."
            </p>
            <button
                type="button"
                class="link-button"
                hidden=move || state.topics.with(|list| list.is_empty())
                on:click=clear_all
            >
                "Remove all topics"
            </button>
        </section>
    }
}

/// One keyword with its menu: a disclosure button (an icon from CSS, its name from `aria-label`)
/// that shows the topic's actions below it; Escape closes the menu and focus goes back to the
/// button. The item's text is the keyword (plus the topic's summary when it is more than its
/// name, and a refusal while renaming) and the actions' buttons.
#[component]
fn KeywordItem(id: TopicId, open_menu: RwSignal<Option<TopicId>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let editing = RwSignal::new(false);
    let form_open = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let menu_open = move || open_menu.with(|open| *open == Some(id));
    let menu_button: NodeRef<html::Button> = NodeRef::new();
    let up: NodeRef<html::Button> = NodeRef::new();
    let down: NodeRef<html::Button> = NodeRef::new();
    let topic = Memo::new(move |_| state.topics.with(|list| list.get(id).cloned()));
    let name = move || topic.with(|t| t.as_ref().map(|t| t.name().to_string()).unwrap_or_default());
    // "3 phrases, 1 exclusion, cs.CV"; nothing for a topic that is only its name.
    let summary = move || topic.with(|t| t.as_ref().filter(|t| !t.is_plain()).map(|t| t.summary()));
    let position = move || state.topics.with(|list| list.position(id));
    let is_first = move || position() == Some(0);
    let is_last = move || state.topics.with(TopicList::len) == position().map_or(0, |i| i + 1);

    // Moving re-inserts the item in the DOM, which drops focus; put it back for keyboard users
    // (on the other arrow when this one is now disabled, at the top or bottom of the list).
    let refocus = move |button: NodeRef<html::Button>, other: NodeRef<html::Button>| {
        request_animation_frame(move || {
            let usable = |b: &NodeRef<html::Button>| b.get().filter(|b| !b.disabled());
            if let Some(b) = usable(&button).or_else(|| usable(&other)) {
                let _ = b.focus();
            }
        });
    };
    let announce_move = move || {
        let (at, of) = state
            .topics
            .with_untracked(|list| (list.position(id).unwrap_or(0) + 1, list.len()));
        announce(&format!("Moved {} to {at} of {of}.", quoted(&name())));
    };
    let move_up = move |_| {
        if state.edit_topics(|list| Ok::<_, ()>(list.move_up(id))) == Ok(true) {
            announce_move();
        }
        refocus(up, down);
    };
    let move_down = move |_| {
        if state.edit_topics(|list| Ok::<_, ()>(list.move_down(id))) == Ok(true) {
            announce_move();
        }
        refocus(down, up);
    };
    // Focus goes to the next keyword's menu button (the previous one's for the last keyword), or
    // to the add field once the list is empty.
    let remove = move |_| {
        let index = state
            .topics
            .with_untracked(|list| list.position(id))
            .unwrap_or(0);
        let removed = name();
        open_menu.set(None);
        if state.edit_topics(|list| Ok::<_, ()>(list.remove(id))) == Ok(true) {
            announce(&format!("Removed {}.", quoted(&removed)));
        }
        let mut targets = vec![in_item(index, "button.menu")];
        if index > 0 {
            targets.push(in_item(index - 1, "button.menu"));
        }
        targets.push(ADD_FIELD.to_owned());
        focus_first_later(targets);
    };
    // Saving keeps the item (a rename keeps the id): focus goes back to its menu button, found by
    // its place in the list. Returns whether the new text was accepted.
    let commit =
        move |text: String, refocus: bool| match state.edit_topics(|list| list.rename(id, &text)) {
            Ok(_) => {
                error.set(None);
                editing.set(false);
                announce(&format!("Renamed to {}.", quoted(&name())));
                if refocus {
                    let index = state
                        .topics
                        .with_untracked(|list| list.position(id))
                        .unwrap_or(0);
                    focus_first_later(vec![in_item(index, "button.menu")]);
                }
                true
            }
            Err(e) => {
                error.set(Some(e.to_string()));
                false
            }
        };
    let close_form = move |_saved: bool| {
        form_open.set(false);
        refocus(menu_button, menu_button);
    };
    let close_menu = move || {
        open_menu.set(None);
        refocus(menu_button, menu_button);
    };

    let edit_field_label = move || format!("New text for {}", name());
    let menu_label = move || format!("Actions for {}", name());
    let menu_id = format!("topic-menu-{id}");
    // The test id is on the whole item, so its Up, Down and Remove buttons are inside it (the
    // test-hook contract).
    view! {
        <li class="keyword-item" data-testid="keyword-item">
            // The text stays (hidden) while the field is open; the field exists only then.
            <span class="keyword-text" dir="auto" hidden=move || editing.get()>
                {name}
            </span>
            {move || {
                summary()
                    .map(|text| {
                        view! {
                            <span class="topic-summary" data-testid="topic-summary" dir="auto">
                                {text}
                            </span>
                        }
                    })
            }}
            {move || {
                editing
                    .get()
                    .then(|| {
                        view! {
                            <RenameField
                                initial=name()
                                label=edit_field_label()
                                error
                                on_commit=commit
                                on_cancel=move |by_keyboard: bool| {
                                    error.set(None);
                                    editing.set(false);
                                    if by_keyboard {
                                        refocus(menu_button, menu_button);
                                    }
                                }
                            />
                        }
                    })
            }}
            <span
                class="item-actions"
                on:keydown=move |ev| {
                    if ev.key() == "Escape" && open_menu.with_untracked(|open| *open == Some(id)) {
                        ev.prevent_default();
                        close_menu();
                    }
                }
            >
                <button
                    type="button"
                    class="icon menu"
                    data-testid="topic-menu"
                    aria-label=menu_label
                    aria-expanded=move || menu_open().to_string()
                    aria-controls=menu_id.clone()
                    title="Rename, edit, move or remove"
                    node_ref=menu_button
                    on:click=move |_| {
                        open_menu.update(|open| *open = (*open != Some(id)).then_some(id));
                    }
                ></button>
                <span class="item-menu" id=menu_id hidden=move || !menu_open()>
                    <button
                        type="button"
                        class="edit"
                        on:click=move |_| {
                            open_menu.set(None);
                            editing.set(true);
                        }
                    >
                        "Rename"
                    </button>
                    <button
                        type="button"
                        class="topic"
                        data-testid="topic-edit"
                        aria-expanded=move || form_open.get().to_string()
                        on:click=move |_| {
                            open_menu.set(None);
                            form_open.update(|open| *open = !*open);
                        }
                    >
                        "Phrases, exclusions, authors, categories"
                    </button>
                    <button
                        type="button"
                        class="up"
                        data-testid="keyword-up"
                        node_ref=up
                        disabled=is_first
                        on:click=move_up
                    >
                        "Move up"
                    </button>
                    <button
                        type="button"
                        class="down"
                        data-testid="keyword-down"
                        node_ref=down
                        disabled=is_last
                        on:click=move_down
                    >
                        "Move down"
                    </button>
                    <button type="button" class="remove" data-testid="keyword-remove" on:click=remove>
                        "Remove"
                    </button>
                </span>
            </span>
            <p class="field-error" aria-live="polite">
                {move || error.get()}
            </p>
            {move || form_open.get().then(|| view! { <TopicForm id on_close=close_form /> })}
        </li>
    }
}

/// The in-place editor: Enter or leaving the field saves (when the text changed), Escape cancels.
/// After Enter or Escape focus returns to the item (`refocus`); after a click elsewhere it stays
/// where the user put it. `on_commit` says whether the new text was accepted.
#[component]
fn RenameField(
    initial: String,
    label: String,
    error: RwSignal<Option<String>>,
    on_commit: impl Fn(String, bool) -> bool + Clone + Send + Sync + 'static,
    on_cancel: impl Fn(bool) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let field: NodeRef<html::Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(f) = field.get() {
            let _ = f.focus();
            f.select();
        }
    });
    let original = initial.clone();
    let cancel = on_cancel.clone();
    // Escape removes the field, which may fire a blur: that blur must not save.
    let escaped = StoredValue::new(false);
    // Set by Enter, so the blur it causes knows the keyboard asked.
    let entered = StoredValue::new(false);
    // Saving happens on blur only, so Enter (which blurs) and a click elsewhere commit once.
    let finish = move |text: String| {
        // After Escape the field is already gone and its stored flag disposed: the blur that
        // its removal fires finds nothing to read and must do nothing (reading it would panic).
        if escaped.try_get_value().unwrap_or(true) {
            return;
        }
        let by_keyboard = entered.try_get_value().unwrap_or(false);
        entered.set_value(false);
        if text.trim() == original {
            cancel(by_keyboard);
        } else if !on_commit(text, by_keyboard) && by_keyboard {
            // Refused: back to the field, to fix the text or press Escape.
            request_animation_frame(move || {
                if let Some(f) = field.get_untracked() {
                    let _ = f.focus();
                }
            });
        }
    };
    view! {
        <input
            type="text"
            class="rename"
            node_ref=field
            value=initial
            aria-label=label
            dir="auto"
            aria-invalid=move || error.with(Option::is_some).to_string()
            on:blur=move |ev| finish(event_target_value(&ev))
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    escaped.set_value(true);
                    on_cancel(true);
                } else if ev.key() == "Enter" {
                    ev.prevent_default();
                    entered.set_value(true);
                    if let Some(f) = field.get() {
                        let _ = f.blur();
                    }
                }
            }
        />
    }
}
