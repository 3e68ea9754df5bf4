//! The keyword list: add (Enter or the button), remove, move up or down, edit in place. Refusals
//! (empty, too long, duplicate) appear next to the input that caused them. Each keyword is a
//! topic: typing one makes a one-phrase topic, and its `topic-edit` button opens the topic form
//! (phrases, exclusions, authors, categories; see [`TopicForm`]).

use crate::components::topic_form::TopicForm;
use crate::state::AppState;
use crate::topics::TopicId;
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn KeywordEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    let input: NodeRef<html::Input> = NodeRef::new();

    let add = move || {
        let Some(field) = input.get() else { return };
        match state.edit_topics(|list| list.add(&field.value())) {
            Ok(_) => {
                field.set_value("");
                error.set(None);
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
    };

    view! {
        <section class="panel" aria-labelledby="keywords-heading">
            <h2 id="keywords-heading">"Keywords"</h2>
            <form
                class="keyword-add"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add();
                }
            >
                <label for="keyword-input">"Add a keyword"</label>
                <div class="input-row">
                    <input
                        id="keyword-input"
                        data-testid="keyword-input"
                        type="text"
                        node_ref=input
                        placeholder="e.g. Video Anomaly Detection"
                        autocomplete="off"
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
            <ol class="keyword-list">
                <For
                    each=move || {
                        state.topics.with(|list| list.entries().iter().map(|e| e.id).collect::<Vec<_>>())
                    }
                    key=|id| *id
                    children=move |id| view! { <KeywordItem id /> }
                />
            </ol>
            <p class="hint" hidden=move || !state.topics.with(|list| list.is_empty())>
                "No keywords yet: add one above."
            </p>
            <button
                type="button"
                class="link-button"
                hidden=move || state.topics.with(|list| list.is_empty())
                on:click=clear_all
            >
                "Remove all keywords"
            </button>
        </section>
    }
}

/// One keyword with its buttons. The buttons show icons from CSS, so the item's text is exactly
/// the keyword (plus the topic's summary when it is more than its name, and a refusal while
/// renaming); their accessible names come from `aria-label`.
#[component]
fn KeywordItem(id: TopicId) -> impl IntoView {
    let state = expect_context::<AppState>();
    let editing = RwSignal::new(false);
    let form_open = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let up: NodeRef<html::Button> = NodeRef::new();
    let down: NodeRef<html::Button> = NodeRef::new();
    let topic_button: NodeRef<html::Button> = NodeRef::new();
    let topic = Memo::new(move |_| state.topics.with(|list| list.get(id).cloned()));
    let name = move || topic.with(|t| t.as_ref().map(|t| t.name().to_string()).unwrap_or_default());
    // "3 phrases, 1 exclusion, cs.CV"; nothing for a topic that is only its name.
    let summary = move || topic.with(|t| t.as_ref().filter(|t| !t.is_plain()).map(|t| t.summary()));

    // Moving re-inserts the item in the DOM, which drops focus; put it back for keyboard users.
    let refocus = move |button: NodeRef<html::Button>| {
        request_animation_frame(move || {
            if let Some(b) = button.get() {
                let _ = b.focus();
            }
        });
    };
    let move_up = move |_| {
        let _ = state.edit_topics(|list| Ok::<_, ()>(list.move_up(id)));
        refocus(up);
    };
    let move_down = move |_| {
        let _ = state.edit_topics(|list| Ok::<_, ()>(list.move_down(id)));
        refocus(down);
    };
    let remove = move |_| {
        let _ = state.edit_topics(|list| Ok::<_, ()>(list.remove(id)));
    };
    let commit = move |text: String| match state.edit_topics(|list| list.rename(id, &text)) {
        Ok(_) => {
            error.set(None);
            editing.set(false);
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    let close_form = move |_saved: bool| {
        form_open.set(false);
        refocus(topic_button);
    };

    let edit_label = move || format!("Edit {}", name());
    let edit_field_label = move || format!("New text for {}", name());
    let topic_label = move || format!("Phrases, exclusions, authors and categories of {}", name());
    let up_label = move || format!("Move {} up", name());
    let down_label = move || format!("Move {} down", name());
    let remove_label = move || format!("Remove {}", name());
    // The test id is on the whole item, so its Up, Down and Remove buttons are inside it (the
    // test-hook contract); the buttons have no text, so the item's text is still the keyword.
    view! {
        <li class="keyword-item" data-testid="keyword-item">
            // The text stays (hidden) while the field is open; the field exists only then.
            <span class="keyword-text" hidden=move || editing.get()>
                {name}
            </span>
            {move || {
                summary()
                    .map(|text| {
                        view! {
                            <span class="topic-summary" data-testid="topic-summary">
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
                                on_cancel=move || {
                                    error.set(None);
                                    editing.set(false);
                                }
                            />
                        }
                    })
            }}
            <span class="item-buttons">
                <button
                    type="button"
                    class="icon edit"
                    aria-label=edit_label
                    title="Edit"
                    on:click=move |_| editing.set(true)
                ></button>
                <button
                    type="button"
                    class="icon topic"
                    data-testid="topic-edit"
                    aria-label=topic_label
                    aria-expanded=move || form_open.get().to_string()
                    title="Phrases, exclusions, authors, categories"
                    node_ref=topic_button
                    on:click=move |_| form_open.update(|open| *open = !*open)
                ></button>
                <button
                    type="button"
                    class="icon up"
                    data-testid="keyword-up"
                    aria-label=up_label
                    title="Move up"
                    node_ref=up
                    on:click=move_up
                ></button>
                <button
                    type="button"
                    class="icon down"
                    data-testid="keyword-down"
                    aria-label=down_label
                    title="Move down"
                    node_ref=down
                    on:click=move_down
                ></button>
                <button
                    type="button"
                    class="icon remove"
                    data-testid="keyword-remove"
                    aria-label=remove_label
                    title="Remove"
                    on:click=remove
                ></button>
            </span>
            <p class="field-error" aria-live="polite">
                {move || error.get()}
            </p>
            {move || form_open.get().then(|| view! { <TopicForm id on_close=close_form /> })}
        </li>
    }
}

/// The in-place editor: Enter or leaving the field saves (when the text changed), Escape cancels.
#[component]
fn RenameField(
    initial: String,
    label: String,
    error: RwSignal<Option<String>>,
    on_commit: impl Fn(String) + Clone + Send + Sync + 'static,
    on_cancel: impl Fn() + Clone + Send + Sync + 'static,
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
    // Saving happens on blur only, so Enter (which blurs) and a click elsewhere commit once.
    let finish = move |text: String| {
        // After Escape the field is already gone and its stored flag disposed: the blur that
        // its removal fires finds nothing to read and must do nothing (reading it would panic).
        if escaped.try_get_value().unwrap_or(true) {
            return;
        }
        if text.trim() == original {
            cancel();
        } else {
            on_commit(text);
        }
    };
    view! {
        <input
            type="text"
            class="rename"
            node_ref=field
            value=initial
            aria-label=label
            aria-invalid=move || error.with(Option::is_some).to_string()
            on:blur=move |ev| finish(event_target_value(&ev))
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    escaped.set_value(true);
                    on_cancel();
                } else if ev.key() == "Enter" {
                    ev.prevent_default();
                    if let Some(f) = field.get() {
                        let _ = f.blur();
                    }
                }
            }
        />
    }
}
