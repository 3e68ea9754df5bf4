//! The config file `daily-papers.json` (see [`daily_papers_core::config`]), the same file the command-line
//! tool reads: `export-config` downloads the topics and settings; `import-config` loads one,
//! says what it holds (`config-summary`) and changes nothing until `config-apply`. Topics are
//! added in the file's order; a name already listed takes the file's definition (never a
//! duplicate). The endpoint changes only when the file names one. The read and saved marks go
//! into the file only when `export-marks` is ticked; a file that carries them gives them back
//! (added to the marks here, none undone).

use crate::browser::file::{chosen_file, file_text};
use crate::components::announcer::announce;
use daily_papers_core::config::{Config, HeaderMode, CONFIG_FILE};
use crate::browser::download::download_text;
use crate::state::AppState;
use daily_papers_core::workflow::{workflow, DEFAULT_ACTION, WORKFLOW_PATH};
use leptos::prelude::*;
use std::fmt::Write as _;
use leptos::task::spawn_local;

/// The config of what the page holds now (without the marks: the export adds them when asked).
pub fn current(state: &AppState) -> Config {
    Config {
        topics: state
            .topics
            .with_untracked(|l| l.topics().cloned().collect()),
        settings: state.settings.get_untracked(),
        endpoint_given: true,
        repo_url: crate::components::digest_preview::saved_repo_url(),
        readme_header: HeaderMode::Keep,
        marks: None,
    }
}

/// Adds the file's topics and takes its settings.
pub fn apply_config(state: &AppState, config: &Config) {
    let _ = state.edit_topics(|list| {
        for topic in &config.topics {
            match list.id_of(topic.name().as_str()) {
                Some(id) => {
                    let _ = list.replace(id, topic.clone());
                }
                None => {
                    let _ = list.push(topic.clone());
                }
            }
        }
        Ok::<_, ()>(())
    });
    let _ = state.edit_settings(|s| {
        let endpoint = s.endpoint.clone();
        *s = config.settings.clone();
        if !config.endpoint_given {
            s.endpoint = endpoint;
        }
        Ok(())
    });
    if let Some(marks) = &config.marks {
        state.merge_marks(marks);
    }
    if let Some(url) = &config.repo_url {
        // One the digest could not link is left out, as a typed one would be.
        let _ = crate::components::digest_preview::keep_repo_url(state, url);
    }
}

/// "3 topics: A, B, C; up to 25 per topic".
pub fn config_summary(config: &Config) -> String {
    let names: Vec<String> = config.topics.iter().map(|t| t.name().to_string()).collect();
    let n = names.len();
    let mut summary = format!(
        "{n} topic{}: {}; up to {} per topic",
        if n == 1 { "" } else { "s" },
        names.join(", "),
        config.settings.max_results
    );
    if let Some(marks) = &config.marks {
        let _ = write!(
            summary,
            "; {} read and {} saved paper{}",
            marks.read_len(),
            marks.saved().len(),
            if marks.saved().len() == 1 { "" } else { "s" }
        );
    }
    summary
}

#[component]
pub fn ConfigFile() -> impl IntoView {
    let state = expect_context::<AppState>();
    let parsed = RwSignal::new(None::<Result<Config, String>>);
    let status = RwSignal::new(String::new());

    let with_marks = RwSignal::new(false);
    let export = move |_| {
        let mut config = current(&state);
        if with_marks.get_untracked() {
            config.marks = Some(state.marks.get_untracked());
        }
        let text = config.to_json(false);
        match download_text(CONFIG_FILE, &text) {
            Ok(()) => status.set(format!("Saved {CONFIG_FILE}")),
            Err(e) => status.set(e.to_string()),
        }
    };
    // The workflow of the command-line tool's `init --workflow`: with the config file in a
    // repository, it updates the README every day.
    let export_workflow = move |_| {
        let text = workflow(DEFAULT_ACTION);
        match download_text("daily-papers.yml", &text) {
            Ok(()) => status.set(format!(
                "Saved daily-papers.yml: put it in {WORKFLOW_PATH}, next to {CONFIG_FILE}."
            )),
            Err(e) => status.set(e.to_string()),
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = chosen_file(&ev) else {
            return;
        };
        status.set(String::new());
        spawn_local(async move {
            let read = file_text(file).await;
            parsed.set(Some(read.and_then(|text| {
                Config::from_json(&text).map_err(|e| e.to_string())
            })));
        });
    };
    let apply = move |_| {
        let Some(Ok(config)) = parsed.get_untracked() else {
            return;
        };
        apply_config(&state, &config);
        parsed.set(None);
        let message = format!("Loaded {}", config_summary(&config));
        announce(&message);
        status.set(message);
    };
    let summary = move || {
        parsed.with(|p| match p {
            Some(Ok(config)) => Some((false, config_summary(config))),
            Some(Err(message)) => Some((true, message.clone())),
            None => None,
        })
    };
    view! {
        <div class="config-file">
            <button type="button" data-testid="export-config" on:click=export>
                "Save the config file"
            </button>
            <label class="checkbox">
                <input
                    type="checkbox"
                    data-testid="export-marks"
                    prop:checked=move || with_marks.get()
                    on:change=move |ev| with_marks.set(event_target_checked(&ev))
                />
                " with the papers read and saved"
            </label>
            <button type="button" data-testid="export-workflow" on:click=export_workflow>
                "Save the GitHub workflow"
            </button>
            <label for="import-config">"Load a config file"</label>
            <input
                id="import-config"
                data-testid="import-config"
                type="file"
                accept=".json,application/json"
                on:change=on_file
            />
            {move || {
                summary()
                    .map(|(bad, text)| {
                        view! {
                            <p
                                data-testid="config-summary"
                                class=if bad { "field-error" } else { "hint" }
                                dir="auto"
                            >
                                {text}
                            </p>
                            <button
                                type="button"
                                data-testid="config-apply"
                                hidden=bad
                                on:click=apply
                            >
                                "Add these topics and settings"
                            </button>
                        }
                    })
            }}
            <p class="hint" data-testid="config-status" aria-live="polite">
                {move || status.get()}
            </p>
        </div>
    }
}
