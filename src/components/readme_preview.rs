//! The README as it will be pasted: a read-only preview holding exactly the markdown, Copy
//! (with a visible confirmation), Download README.md, a warning for keywords left out because
//! they were never fetched successfully, and a neutral note for those whose latest fetch found
//! no paper (left out too).

use crate::browser::clipboard::copy_text;
use crate::components::import_panel::ImportedHeader;
use crate::browser::download::download_text;
use crate::fetch_loop::Fetcher;
use daily_papers_core::digest::readme::preview;
use daily_papers_core::digest::ImportedReadme;
use daily_papers_core::library::results::{draft_readme_in_layout, results_key, ReadmeDraft};
use crate::state::AppState;
use crate::browser::timers::sleep;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The most of the README the preview holds: beyond it, its first lines and a note. Real Daily
/// Papers READMEs are 116 to 189 kB and are shown whole; more would make one update of the
/// preview a long task: `make bench` measured building and showing 200 kB in 21 ms with 2,000
/// papers and 35 ms with 40,000, 400 kB in 35 and 68 ms, and the whole README of 40,000 papers
/// (60 MB) would take seconds (docs/performance.md, "The README preview").
pub const PREVIEW_BYTES: usize = 200_000;

/// Papers enough to fill `max_bytes` of README: a README row takes well over 50 bytes.
pub const fn papers_to_fill(max_bytes: usize) -> usize {
    max_bytes / 50
}

/// What the preview shows of `draft`'s README at most `max_bytes`: its text and how many bytes
/// are left out.
pub fn preview_of(draft: &ReadmeDraft, max_bytes: usize) -> (String, usize) {
    let markdown = draft.markdown.as_deref().unwrap_or_default();
    let (shown, left) = preview(markdown, max_bytes);
    (shown.to_owned(), left)
}

/// The README, or its start (its first `max_papers` papers), from the topics, their papers, the
/// link style and an imported README's layout (its header, with only the date changed, and the
/// user's text around the sections). The topics listed here are the README's: a section whose
/// topic was removed goes too. What the preview shows, Copy and Download write, and Publish to
/// GitHub commits.
pub fn readme_draft(
    state: &AppState,
    layout: RwSignal<Option<ImportedReadme>>,
    max_papers: usize,
) -> ReadmeDraft {
    let style = state.settings.with(|s| s.link_style);
    state.topics.with(|topics| {
        state.results.with(|map| {
            let listed = topics.entries().iter().map(|e| (e.id, e.topic.name()));
            let results_of = |id| map.get(&results_key(id)).map(|r| r.as_ref());
            layout.with(|layout| {
                draft_readme_in_layout(layout.as_ref(), true, listed, results_of, style, max_papers)
            })
        })
    })
}

#[component]
pub fn ReadmePreview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let fetcher = expect_context::<Fetcher>();
    let header = expect_context::<ImportedHeader>().0;
    let build = move |max_papers: usize| readme_draft(&state, header, max_papers);
    // The preview's start of the README, built once per change of topics, results or link
    // style, but not while a fetch runs: until the run ends, the preview and the warning keep the
    // last README (reading only the progress, so new results do not even wake this up).
    let draft = Memo::new_owning(move |previous: Option<ReadmeDraft>| {
        // Also not while the saved papers are read in, topic by topic.
        let running = fetcher.progress.with(|p| p.running) || state.loading.get();
        match previous {
            Some(previous) if running => (previous, false),
            _ => (build(papers_to_fill(PREVIEW_BYTES)), true),
        }
    });
    // Copy and Download write the whole README, built when asked: with 40,000 papers it is
    // about 60 MB, too much to build at every change.
    let whole = move || untrack(|| build(usize::MAX).markdown.unwrap_or_default());
    let updating = move || fetcher.progress.with(|p| p.running);
    let nothing_yet = move || draft.with(|d| d.markdown.is_none());
    let status = RwSignal::new(String::new());
    // Counts copies so an older confirmation's timer does not clear a newer one.
    let copies = StoredValue::new(0u32);

    let copy = move |_| {
        let text = whole();
        copies.update_value(|n| *n += 1);
        let this_copy = copies.get_value();
        spawn_local(async move {
            match copy_text(&text).await {
                Ok(_) => status.set("Copied".to_owned()),
                Err(e) => status.set(e.to_string()),
            }
            sleep(4_000).await;
            if copies.get_value() == this_copy {
                status.set(String::new());
            }
        });
    };
    let download = move |_| {
        let saved = download_text("README.md", &whole());
        if let Err(e) = saved {
            status.set(e.to_string());
        }
    };
    // Only once something is in the README: before any fetch, the hint below says what to do.
    let left_out = move || {
        draft.with(|d| {
            (d.markdown.is_some() && !d.left_out.is_empty()).then(|| {
                let names: Vec<String> = d
                    .left_out
                    .iter()
                    // Isolated, so a right-to-left keyword does not reorder the sentence.
                    .map(|k| format!("\u{201c}\u{2068}{k}\u{2069}\u{201d}"))
                    .collect();
                format!(
                    "Not in the README until fetched successfully: {}.",
                    names.join(", ")
                )
            })
        })
    };

    let no_match = move || {
        draft.with(|d| {
            (!d.no_match.is_empty()).then(|| {
                let names: Vec<String> = d
                    .no_match
                    .iter()
                    .map(|k| format!("\u{201c}{k}\u{201d}"))
                    .collect();
                format!(
                    "No paper matches yet, so not in the README: {}.",
                    names.join(", ")
                )
            })
        })
    };

    let shown = Memo::new(move |_| draft.with(|d| preview_of(d, PREVIEW_BYTES)));
    let cut_note = move || {
        shown.with(|(shown, left)| {
            (*left > 0).then(|| {
                format!(
                    "The preview shows the first {} kB of the README; Copy and Download give all of it.",
                    (shown.len() + 500) / 1_000
                )
            })
        })
    };

    view! {
        <section class="panel readme" id="readme" tabindex="-1" aria-labelledby="readme-heading">
            <h2 id="readme-heading">"README.md"</h2>
            <div class="button-row">
                <button
                    type="button"
                    class="primary"
                    data-testid="copy-markdown"
                    disabled=nothing_yet
                    on:click=copy
                >
                    "Copy"
                </button>
                <button
                    type="button"
                    data-testid="download-markdown"
                    disabled=nothing_yet
                    on:click=download
                >
                    "Download README.md"
                </button>
                <span class="copy-status" data-testid="copy-status" role="status" aria-live="polite">
                    {move || status.get()}
                </span>
            </div>
            <p class="warning" data-testid="readme-warning" hidden=move || left_out().is_none()>
                {left_out}
            </p>
            <p class="hint" data-testid="readme-no-match" hidden=move || no_match().is_none()>
                {no_match}
            </p>
            <p class="hint" hidden=move || !updating()>
                "The README updates when fetching ends."
            </p>
            <p class="hint" hidden=move || !nothing_yet()>
                "Fetch your topics to build the README."
            </p>
            // A <pre> rather than a <textarea>: with 2,000 papers the README is megabytes, and
            // a textarea lays all of it out on every update, freezing the page while tables
            // arrive; a <pre> below the fold is skipped by the browser (content-visibility).
            <pre
                id="markdown-output"
                class="markdown-output"
                data-testid="markdown-output"
                tabindex="0"
                aria-label="README markdown"
                hidden=nothing_yet
            >
                {move || shown.with(|(shown, _)| shown.clone())}
            </pre>
            <p class="hint" data-testid="readme-preview-cut" hidden=move || cut_note().is_none()>
                {cut_note}
            </p>
        </section>
    }
}
