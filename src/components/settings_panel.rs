//! The settings: endpoint, spacing, max results, sort, link style, categories. Each applies when
//! the field changes; a refused value shows why next to the field and the last valid one stays.

use daily_papers_core::arxiv::query::{LinkStyle, SortBy};
use daily_papers_core::settings::{Settings, SettingsError};
use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn SettingsPanel() -> impl IntoView {
    view! {
        <section class="panel settings" aria-labelledby="settings-heading">
            <h2 id="settings-heading">"Settings"</h2>
            <TextSetting
                id="settings-endpoint"
                label="Endpoint"
                hint="Where queries go. /api/query is this site's own endpoint; arXiv itself does not allow requests from other web pages."
                read=|s| s.endpoint.to_string()
                apply=Settings::set_endpoint
                inputmode="url"
                note=spacing_raised
            />
            <TextSetting
                id="settings-spacing"
                label="Seconds between requests"
                hint="arXiv asks for at least 3."
                read=|s| s.spacing.to_string()
                apply=Settings::set_spacing
                inputmode="decimal"
            />
            <TextSetting
                id="settings-max-results"
                label="Max results per topic"
                hint="1 to 2000."
                read=|s| s.max_results.get().to_string()
                apply=Settings::set_max_results
                inputmode="numeric"
            />
            <SelectSetting
                id="settings-sort"
                label="Sort by"
                options=SortBy::ALL.iter().map(|s| s.as_str()).collect()
                read=|s| s.sort_by.as_str().to_owned()
                apply=Settings::set_sort_by
            />
            <SelectSetting
                id="settings-link-style"
                label="Title links to"
                options=LinkStyle::ALL.iter().map(|s| s.as_str()).collect()
                read=|s| s.link_style.as_str().to_owned()
                apply=Settings::set_link_style
            />
            <TextSetting
                id="settings-categories"
                label="Allowed categories"
                hint="Comma-separated arXiv archives or categories, e.g. cs, stat or cs.CV."
                read=|s| s.categories.to_string()
                apply=Settings::set_categories
                inputmode="text"
            />
        </section>
    }
}

// Plain function pointers rather than closures: every field shares one compiled copy of its
// component, which keeps the download small.
type Apply = fn(&mut Settings, &str) -> Result<(), SettingsError>;
type Read = fn(&Settings) -> String;
/// What a change did besides setting its own field (before, after), worth telling the user.
type Note = fn(&Settings, &Settings) -> Option<String>;

/// Pointing the endpoint at arXiv itself raises a shorter spacing: say so, and why.
fn spacing_raised(before: &Settings, after: &Settings) -> Option<String> {
    (after.spacing != before.spacing).then(|| {
        format!(
            "Seconds between requests raised to {} s: arXiv asks for at most one request every \
             3 seconds to its own API, and this endpoint is arXiv itself.",
            after.spacing
        )
    })
}

/// A text field that applies on `change`. Its `id` is also its test id.
#[component]
fn TextSetting(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    read: Read,
    apply: Apply,
    inputmode: &'static str,
    #[prop(optional)] note: Option<Note>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let value = move || state.settings.with(read);
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let note_id = format!("{id}-note");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                data-testid=id
                type="text"
                inputmode=inputmode
                spellcheck="false"
                autocomplete="off"
                prop:value=value
                dir="auto"
                aria-describedby=format!("{hint_id} {error_id} {note_id}")
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:change=move |ev| {
                    let text = event_target_value(&ev);
                    let before = state.settings.get_untracked();
                    error.set(state.edit_settings(|s| apply(s, &text)).err().map(|e| e.to_string()));
                    said.set(note.and_then(|note| state.settings.with_untracked(|after| note(&before, after))));
                }
            />
            <p id=hint_id class="hint">{hint}</p>
            <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
            <p data-testid=note_id.clone() id=note_id class="field-note" aria-live="polite">{move || said.get()}</p>
        </div>
    }
}

/// A `<select>` whose option values are the settings' own names (`relevance`, `pdf`).
#[component]
fn SelectSetting(
    id: &'static str,
    label: &'static str,
    options: Vec<&'static str>,
    read: Read,
    apply: Apply,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            // The selection is set per option: a select's value set before its options exist
            // would be lost.
            <select
                id=id
                data-testid=id
                on:change=move |ev| {
                    let text = event_target_value(&ev);
                    error.set(state.edit_settings(|s| apply(s, &text)).err().map(|e| e.to_string()));
                }
            >
                {options
                    .into_iter()
                    .map(|option| {
                        view! {
                            <option value=option prop:selected=move || state.settings.with(|s| read(s) == option)>
                                {option}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
