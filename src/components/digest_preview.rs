//! The issue digest, `.github/ISSUE_TEMPLATE.md` (FORMAT.md §4; the core's
//! [`daily_papers_core::digest::readme::issue_digest`]): the daily e-mail of everyone who watches the repository. It
//! links the repository, so it waits for `settings-repo-url` (a hint says so until then); then a
//! preview with `copy-digest` and `download-digest`. Dated like the README: the latest fetch.

use crate::browser::clipboard::copy_text;
use crate::browser::download::download_text;

use crate::browser::local_storage::Store;
use crate::state::AppState;
use daily_papers_core::library::results::{draft_digest, results_key};
use leptos::prelude::*;
use leptos::task::spawn_local;

use daily_papers_core::app_state::keys::REPO_URL_KEY;

/// The repository's address as the user gave it, if any.
pub fn saved_repo_url() -> Option<String> {
    Store::open().raw(REPO_URL_KEY).ok().flatten()
}

/// Keeps the repository's address, as typed in `settings-repo-url` or named by a config file or
/// another tool's config (the digest links it, Publish to GitHub offers it); an address the digest
/// could not link is refused with the reason.
pub fn keep_repo_url(state: &AppState, raw: &str) -> Result<(), String> {
    let url = check_repo_url(raw)?;
    let _ = Store::open().save(REPO_URL_KEY, "the repository's address", &url);
    state.repo_url.set(Some(url));
    Ok(())
}

/// A repository address the digest can link: `https://` and a host, no spaces or brackets that
/// would break the markdown link.
fn check_repo_url(raw: &str) -> Result<String, String> {
    let url = raw.trim();
    let rest = url.strip_prefix("https://").unwrap_or_default();
    if rest.is_empty() || rest.starts_with('/') {
        return Err("Give the repository's address, starting with https:// (e.g. https://github.com/you/daily-papers).".to_owned());
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || "()[]<>\"".contains(c))
    {
        return Err("A repository address has no spaces, brackets or quotes.".to_owned());
    }
    Ok(url.to_owned())
}

#[component]
pub fn DigestPreview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let repo = state.repo_url;
    let field_error = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let digest = Memo::new(move |_| {
        let repo = repo.get()?;
        let style = state.settings.with(|s| s.link_style);
        state.topics.with(|topics| {
            state.results.with(|map| {
                let listed = topics.entries().iter().map(|e| (e.id, e.topic.name()));
                draft_digest(
                    listed,
                    |id| map.get(&results_key(id)).map(|r| r.as_ref()),
                    &repo,
                    style,
                )
            })
        })
    });
    let set_repo = move |ev: leptos::ev::Event| {
        let raw = event_target_value(&ev);
        if raw.trim().is_empty() {
            let _ = Store::open().remove(REPO_URL_KEY);
            field_error.set(None);
            repo.set(None);
            return;
        }
        field_error.set(keep_repo_url(&state, &raw).err());
    };
    let copy = move |_| {
        let text = digest.get_untracked().unwrap_or_default();
        spawn_local(async move {
            status.set(match copy_text(&text).await {
                Ok(_) => "Copied".to_owned(),
                Err(e) => e.to_string(),
            });
        });
    };
    let download = move |_| {
        let text = digest.get_untracked().unwrap_or_default();
        if let Err(e) = download_text("ISSUE_TEMPLATE.md", &text) {
            status.set(e.to_string());
        }
    };
    let nothing = move || digest.with(Option::is_none);
    view! {
        <section class="panel digest" aria-labelledby="digest-heading">
            <h2 id="digest-heading">".github/ISSUE_TEMPLATE.md"</h2>
            <label for="settings-repo-url">"Your repository's address"</label>
            <input
                id="settings-repo-url"
                data-testid="settings-repo-url"
                type="url"
                placeholder="https://github.com/you/daily-papers"
                prop:value=move || repo.get().unwrap_or_default()
                aria-describedby="settings-repo-url-error"
                aria-invalid=move || field_error.with(Option::is_some).to_string()
                on:change=set_repo
            />
            <p id="settings-repo-url-error" class="field-error" aria-live="polite">
                {move || field_error.get()}
            </p>
            <p class="hint" data-testid="digest-hint" hidden=move || repo.with(Option::is_some)>
                "The issue digest links your repository: give its address above to see it."
            </p>
            <div class="button-row">
                <button type="button" data-testid="copy-digest" disabled=nothing on:click=copy>
                    "Copy the digest"
                </button>
                <button type="button" data-testid="download-digest" disabled=nothing on:click=download>
                    "Download ISSUE_TEMPLATE.md"
                </button>
                <span class="copy-status" data-testid="digest-status" aria-live="polite">
                    {move || status.get()}
                </span>
            </div>
            <pre
                class="markdown-output"
                data-testid="digest-output"
                tabindex="0"
                aria-label="Issue digest markdown"
                hidden=nothing
            >
                {move || digest.get().unwrap_or_default()}
            </pre>
        </section>
    }
}
