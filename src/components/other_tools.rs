//! Moving in from the tools people leave, on the page as with `daily-papers init --from`:
//! cv-arxiv-daily's `config.yaml` (and its forks'), daily-arXiv-ai-enhanced's `config.yaml` and
//! the keyword list (`movein-files`, several at once) and author list (`movein-authors`) its
//! settings page copies. The core decides what each field becomes
//! ([`daily_papers_core::digest::moving_in`]); this panel lists what it took (`movein-taken`) and
//! what it did not, with why (`movein-not-taken`), and changes nothing until `movein-apply`.
//! The files are read by the moving-in reader, a worker module loaded only now
//! ([`crate::browser::yaml_reader`]): neither YAML nor these readers are in the page's module.

use crate::browser::file::file_text;
use crate::browser::yaml_reader::move_in;
use crate::components::announcer::announce;
use crate::components::config_file::{apply_config, config_summary};
use crate::state::AppState;
use daily_papers_core::config::Config;
use daily_papers_core::digest::moving_in::{MoveInAnswer, MoveInRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// One chosen file: its name and its text.
type Chosen = (String, String);

/// The files chosen in the input that fired `ev`, read; an unreadable one is an error naming it.
async fn chosen_files(ev: &web_sys::Event) -> Result<Vec<Chosen>, String> {
    let files = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files());
    let mut chosen = Vec::new();
    let Some(files) = files else {
        return Ok(chosen);
    };
    for file in (0..files.length()).filter_map(|i| files.get(i)) {
        let name = file.name();
        let text = file_text(file)
            .await
            .map_err(|message| format!("{name}: {message}"))?;
        chosen.push((name, text));
    }
    Ok(chosen)
}

/// What the moving-in reader reported: the config to add (`None` when no topic came of the files)
/// and the report's lines.
#[derive(Clone)]
struct Report {
    config: Option<Config>,
    taken: Vec<String>,
    not_taken: Vec<String>,
}

/// The files as the core's moving-in reads them: the config files and keyword lists first, then
/// the author lists, as `init --from … --from-authors …` takes them.
async fn move_in_report(files: Vec<Chosen>, authors: Vec<Chosen>) -> Result<Report, String> {
    let request = MoveInRequest {
        files,
        authors: authors.into_iter().map(|(_, text)| text).collect(),
    };
    match move_in(&request).await? {
        MoveInAnswer::Refused(why) => Err(why),
        MoveInAnswer::Done {
            config,
            taken,
            not_taken,
        } => Ok(Report {
            // Written by the core's moving-in: it reads back.
            config: config.and_then(|text| Config::from_json(&text).ok()),
            taken,
            not_taken,
        }),
    }
}

#[component]
pub fn OtherTools() -> impl IntoView {
    let state = expect_context::<AppState>();
    let files = RwSignal::new(Vec::<Chosen>::new());
    let authors = RwSignal::new(Vec::<Chosen>::new());
    let read = RwSignal::new(None::<Result<Report, String>>);
    let status = RwSignal::new(String::new());

    let reread = move || {
        status.set(String::new());
        let (files, authors) = (files.get_untracked(), authors.get_untracked());
        if files.is_empty() && authors.is_empty() {
            read.set(None);
            return;
        }
        spawn_local(async move { read.set(Some(move_in_report(files, authors).await)) });
    };
    let choose = move |into: RwSignal<Vec<Chosen>>, ev: leptos::ev::Event| {
        // The report of the files chosen before is gone at once: it is not these files'.
        read.set(None);
        spawn_local(async move {
            match chosen_files(&ev).await {
                Ok(chosen) => {
                    into.set(chosen);
                    reread();
                }
                Err(message) => read.set(Some(Err(message))),
            }
        });
    };
    let apply = move |_| {
        let config = read.with_untracked(|r| match r {
            Some(Ok(report)) => report.config.clone(),
            _ => None,
        });
        let Some(config) = config else { return };
        apply_config(&state, &config);
        let message = format!("Added {}", config_summary(&config));
        announce(&message);
        status.set(message);
        read.set(None);
    };
    let report = move || {
        read.with(|r| match r {
            None => None,
            Some(Err(message)) => Some(
                view! { <p class="field-error" data-testid="movein-error" dir="auto">{message.clone()}</p> }
                    .into_any(),
            ),
            Some(Ok(report)) => {
                let lines = |lines: &[String]| {
                    lines
                        .iter()
                        .map(|line| view! { <li dir="auto">{line.clone()}</li> })
                        .collect_view()
                };
                let nothing = report.config.is_none().then(|| {
                    view! {
                        <p class="field-error" data-testid="movein-error">
                            "No topic to follow in these files: nothing would be added."
                        </p>
                    }
                });
                let not_taken = (!report.not_taken.is_empty()).then(|| {
                    view! {
                        <p class="hint">"Not taken:"</p>
                        <ul data-testid="movein-not-taken">{lines(&report.not_taken)}</ul>
                    }
                });
                Some(
                    view! {
                        <p class="hint">"Taken:"</p>
                        <ul data-testid="movein-taken">{lines(&report.taken)}</ul>
                        {not_taken}
                        {nothing}
                    }
                    .into_any(),
                )
            }
        })
    };
    let can_apply = move || read.with(|r| matches!(r, Some(Ok(report)) if report.config.is_some()));

    view! {
        <div class="other-tools">
            <h3>"From cv-arxiv-daily or daily-arXiv-ai-enhanced"</h3>
            <label for="movein-files">"Its config.yaml, or the keyword list it copies"</label>
            <input
                id="movein-files"
                data-testid="movein-files"
                type="file"
                multiple
                accept=".yaml,.yml,.txt,text/plain"
                on:change=move |ev| choose(files, ev)
            />
            <label for="movein-authors">"The author list it copies"</label>
            <input
                id="movein-authors"
                data-testid="movein-authors"
                type="file"
                accept=".txt,text/plain"
                on:change=move |ev| choose(authors, ev)
            />
            {report}
            <button
                type="button"
                data-testid="movein-apply"
                disabled=move || !can_apply()
                on:click=apply
            >
                "Add these topics and settings"
            </button>
            <p class="hint" data-testid="movein-status" aria-live="polite">
                {move || status.get()}
            </p>
        </div>
    }
}
