//! The topic form, opened from a keyword item's `topic-edit` button: the topic's name, its
//! phrases, exclusions and authors (one per line) and its arXiv categories (comma-separated).
//! Save checks everything through the core ([`Topic::new`], then the list for a name taken) and
//! shows the refusal next to the field it belongs to; Escape or Cancel closes the form unchanged.
//! A search the endpoint would refuse (too long) is refused here, so it is never sent.

use crate::state::AppState;
use daily_papers_core::topics::{Topic, TopicField, TopicId, TopicParts};
use leptos::html;
use leptos::prelude::*;

/// The form for the topic `id`. `on_close(saved)` is called after a save or a cancel; the item
/// puts the focus back on itself.
#[component]
pub fn TopicForm(
    id: TopicId,
    on_close: impl Fn(bool) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let [name, phrases, exclude, authors, categories] = state
        .topics
        .with_untracked(|l| l.get(id).map(Topic::to_fields))
        .unwrap_or_default();
    let error = RwSignal::new(None::<(TopicField, String)>);
    let name_input: NodeRef<html::Input> = NodeRef::new();
    let phrases_input: NodeRef<html::Textarea> = NodeRef::new();
    let exclude_input: NodeRef<html::Textarea> = NodeRef::new();
    let authors_input: NodeRef<html::Textarea> = NodeRef::new();
    let categories_input: NodeRef<html::Input> = NodeRef::new();

    Effect::new(move |_| {
        if let Some(field) = name_input.get() {
            let _ = field.focus();
        }
    });

    // Moves the focus to the field a refusal belongs to, so a keyboard user lands on it.
    let focus_field = move |field: TopicField| {
        let _ = match field {
            TopicField::Name => name_input.get().map(|f| f.focus()),
            TopicField::Phrases => phrases_input.get().map(|f| f.focus()),
            TopicField::Exclude => exclude_input.get().map(|f| f.focus()),
            TopicField::Authors => authors_input.get().map(|f| f.focus()),
            TopicField::Categories => categories_input.get().map(|f| f.focus()),
        };
    };
    let save = {
        let on_close = on_close.clone();
        move || {
            let text = |value: Option<String>| value.unwrap_or_default();
            let parts = TopicParts::from_fields(
                &text(name_input.get().map(|f| f.value())),
                &text(phrases_input.get().map(|f| f.value())),
                &text(exclude_input.get().map(|f| f.value())),
                &text(authors_input.get().map(|f| f.value())),
                &text(categories_input.get().map(|f| f.value())),
            );
            let saved =
                Topic::new(parts).and_then(|topic| state.edit_topics(|l| l.replace(id, topic)));
            match saved {
                Ok(_) => {
                    error.set(None);
                    on_close(true);
                }
                Err(e) => {
                    let field = e.field();
                    error.set(Some((field, e.to_string())));
                    focus_field(field);
                }
            }
        }
    };
    let cancel = on_close.clone();

    let field_id = move |field: TopicField| format!("topic-{id}-{}", field.test_id());
    let error_id = move |field: TopicField| format!("{}-error", field_id(field));
    let invalid = move |field: TopicField| {
        move || {
            error
                .with(|e| e.as_ref().is_some_and(|(f, _)| *f == field))
                .to_string()
        }
    };
    let message = move |field: TopicField| {
        view! {
            <p
                id=error_id(field)
                class="field-error"
                data-testid=format!("{}-error", field.test_id())
                aria-live="polite"
            >
                {move || {
                    error
                        .with(|e| {
                            e.as_ref().filter(|(f, _)| *f == field).map(|(_, m)| m.clone())
                        })
                }}
            </p>
        }
    };
    use TopicField::{Authors, Categories, Exclude, Name, Phrases};
    view! {
        <form
            class="topic-form"
            data-testid="topic-form"
            on:submit={
                let save = save.clone();
                move |ev| {
                    ev.prevent_default();
                    save();
                }
            }
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    cancel(false);
                }
            }
        >
            <div class="field">
                <label for=field_id(Name)>"Name (the README heading)"</label>
                <input
                    type="text"
                    id=field_id(Name)
                    data-testid=Name.test_id()
                    node_ref=name_input
                    value=name
                    autocomplete="off"
                    aria-describedby=error_id(Name)
                    aria-invalid=invalid(Name)
                />
                {message(Name)}
            </div>
            <div class="field">
                <label for=field_id(Phrases)>"Phrases, one per line"</label>
                <textarea
                    id=field_id(Phrases)
                    data-testid=Phrases.test_id()
                    node_ref=phrases_input
                    rows="3"
                    aria-describedby=error_id(Phrases)
                    aria-invalid=invalid(Phrases)
                    prop:value=phrases
                ></textarea>
                {message(Phrases)}
            </div>
            <div class="field">
                <label for=field_id(Exclude)>"Leave out papers mentioning, one per line"</label>
                <textarea
                    id=field_id(Exclude)
                    data-testid=Exclude.test_id()
                    node_ref=exclude_input
                    rows="2"
                    aria-describedby=error_id(Exclude)
                    aria-invalid=invalid(Exclude)
                    prop:value=exclude
                ></textarea>
                {message(Exclude)}
            </div>
            <div class="field">
                <label for=field_id(Authors)>"Also papers by, one per line"</label>
                <textarea
                    id=field_id(Authors)
                    data-testid=Authors.test_id()
                    node_ref=authors_input
                    rows="2"
                    aria-describedby=error_id(Authors)
                    aria-invalid=invalid(Authors)
                    prop:value=authors
                ></textarea>
                {message(Authors)}
            </div>
            <div class="field">
                <label for=field_id(Categories)>"Only in arXiv categories, comma-separated"</label>
                <input
                    type="text"
                    id=field_id(Categories)
                    data-testid=Categories.test_id()
                    node_ref=categories_input
                    value=categories
                    autocomplete="off"
                    placeholder="e.g. cs.CV, stat.ML"
                    aria-describedby=error_id(Categories)
                    aria-invalid=invalid(Categories)
                />
                {message(Categories)}
            </div>
            <div class="button-row">
                <button type="submit" class="primary" data-testid="topic-save">
                    "Save"
                </button>
                <button
                    type="button"
                    data-testid="topic-cancel"
                    on:click=move |_| on_close(false)
                >
                    "Cancel"
                </button>
            </div>
        </form>
    }
}
