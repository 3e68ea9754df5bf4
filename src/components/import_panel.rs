//! Moving in with a README: `import-open` opens a panel where a Daily Papers README is pasted
//! (`import-text`) or chosen (`import-file`). Nothing changes until `import-apply`: first
//! `import-summary` says what was found (or, for something that is not such a README, the
//! core's message saying what was expected and where). Applying adds the README's topics in its
//! order (a name already listed is merged, never duplicated), takes its link style, sort and
//! maximum, gives each topic the README's papers as its table and seen history, and keeps the README's own layout
//! (see [`ImportedHeader`]: header, notes, text around sections) so the preview writes the same
//! file back with only its date changed. The same panel moves in from cv-arxiv-daily and
//! daily-arXiv-ai-enhanced ([`OtherTools`]).

use crate::browser::file::{chosen_file, file_text};
use crate::components::announcer::announce;
use crate::components::config_file::ConfigFile;
use crate::components::other_tools::OtherTools;
use daily_papers_core::digest::{import_readme, ImportedReadme};
use daily_papers_core::library::results::KeywordResults;
use crate::state::AppState;
use crate::browser::local_storage::Store;
use daily_papers_core::topics::Topic;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where an earlier release kept the imported header (read only, when no layout is kept).
use daily_papers_core::app_state::keys::README_HEADER_KEY as HEADER_KEY;
/// Where the imported README's layout is kept between visits (see
/// [`ImportedReadme::layout_text`]: the README with its tables emptied).
use daily_papers_core::app_state::keys::README_LAYOUT_KEY as LAYOUT_KEY;

/// The layout of an imported README (its header, the notes under its headings, the text around
/// its sections): the README is written into it, so the user's text stays where it stood;
/// `None` until a README is imported.
#[derive(Clone, Copy)]
pub struct ImportedHeader(pub RwSignal<Option<ImportedReadme>>);

impl ImportedHeader {
    /// The layout saved by an earlier import (or the header an earlier release saved), if any.
    pub fn load() -> ImportedHeader {
        let store = Store::open();
        let saved = match store.raw(LAYOUT_KEY).ok().flatten() {
            Some(layout) => import_readme(&layout).ok(),
            None => store
                .raw(HEADER_KEY)
                .ok()
                .flatten()
                .map(|header| ImportedReadme::from_header(&header)),
        };
        ImportedHeader(RwSignal::new(saved))
    }

    fn set(&self, imported: &ImportedReadme) {
        let layout = imported.layout_text();
        let _ = Store::open().save(LAYOUT_KEY, "the README's layout", &layout);
        // Kept without its papers: the topics hold those.
        self.0.set(import_readme(&layout).ok());
    }
}

#[component]
pub fn ImportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let header = expect_context::<ImportedHeader>();
    let open = RwSignal::new(false);
    let parsed = RwSignal::new(None::<Result<ImportedReadme, String>>);
    let status = RwSignal::new(String::new());

    let read = move |text: String| {
        status.set(String::new());
        parsed.set(if text.trim().is_empty() {
            None
        } else {
            Some(import_readme(&text).map_err(|e| e.to_string()))
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = chosen_file(&ev) else {
            return;
        };
        spawn_local(async move {
            match file_text(file).await {
                Ok(text) => read(text),
                Err(message) => parsed.set(Some(Err(message))),
            }
        });
    };
    let apply = move |_| {
        let Some(Ok(imported)) = parsed.get_untracked() else {
            return;
        };
        apply_import(&state, &imported);
        header.set(&imported);
        parsed.set(None);
        let message = format!("Imported: {}", imported.summary());
        announce(&message);
        status.set(message);
    };
    let summary = move || {
        parsed.with(|p| match p {
            Some(Ok(imported)) => Some((false, imported.summary())),
            Some(Err(message)) => Some((true, message.clone())),
            None => None,
        })
    };
    let can_apply = move || parsed.with(|p| matches!(p, Some(Ok(_))));

    view! {
        <section class="panel import-panel" aria-labelledby="import-heading">
            <h2 id="import-heading">"Move in"</h2>
            <button
                type="button"
                data-testid="import-open"
                aria-expanded=move || open.get().to_string()
                aria-controls="import-body"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Import a README"
            </button>
            <div id="import-body" class="import-body" hidden=move || !open.get()>
                <label for="import-text">"Paste your Daily Papers README"</label>
                <textarea
                    id="import-text"
                    data-testid="import-text"
                    rows="6"
                    dir="auto"
                    on:input=move |ev| read(event_target_value(&ev))
                ></textarea>
                <label for="import-file">"or choose the file"</label>
                <input
                    id="import-file"
                    data-testid="import-file"
                    type="file"
                    accept=".md,.markdown,.txt,text/markdown,text/plain"
                    on:change=on_file
                />
                {move || {
                    summary()
                        .map(|(bad, text)| {
                            view! {
                                <p
                                    data-testid="import-summary"
                                    class=if bad { "field-error" } else { "hint" }
                                    dir="auto"
                                >
                                    {text}
                                </p>
                            }
                        })
                }}
                <button
                    type="button"
                    data-testid="import-apply"
                    disabled=move || !can_apply()
                    on:click=apply
                >
                    "Import"
                </button>
                <p class="hint" data-testid="import-status" aria-live="polite">
                    {move || status.get()}
                </p>
            </div>
            <OtherTools />
            <ConfigFile />
        </section>
    }
}

/// Adds the README's topics (merging names already listed), its settings and its tables.
/// Returns nothing: the summary already said what was found.
fn apply_import(state: &AppState, imported: &ImportedReadme) {
    let ids = state
        .edit_topics(|list| {
            let mut ids = Vec::with_capacity(imported.sections.len());
            for section in &imported.sections {
                let id = match list.id_of(section.name.as_str()) {
                    Some(id) => Some(id),
                    None => list.push(Topic::from_keyword(section.name.clone())).ok(),
                };
                ids.push(id);
            }
            Ok::<_, ()>(ids)
        })
        .unwrap_or_default();
    let _ = state.edit_settings(|s| {
        s.link_style = imported.link_style;
        s.sort_by = imported.sort_by;
        s.max_results = imported.max_results;
        Ok(())
    });
    // Dated as the README was: the README written from them says the same "Last update", and
    // any later fetch (a larger time) moves it on.
    let Some(date) = imported.last_update.or_else(today) else {
        return;
    };
    for (section, id) in imported.sections.iter().zip(ids) {
        let Some(id) = id else { continue };
        let Some(topic) = state.topics.with_untracked(|list| list.get(id).cloned()) else {
            continue;
        };
        state.record_import(
            id,
            KeywordResults::from_readme(section.papers.clone(), date, &topic),
            date,
        );
    }
}

fn today() -> Option<daily_papers_core::date::Date> {
    let now = js_sys::Date::new_0();
    daily_papers_core::date::Date::new(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
}
