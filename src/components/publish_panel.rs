//! "Publish to GitHub": connect a repository with a fine-grained token, commit the README (and
//! the issue digest, when the page has one), and set up the daily update (the config file and
//! the workflow in one commit). Every decision is the core's
//! ([`daily_papers_core::publish`]); this component reads and writes through the adapter
//! ([`crate::browser::github`]) and shows what happened. Before replacing a file someone else
//! changed, it shows what is there and asks (`publish-ask`).

use crate::browser::github::{forget_token, save_token, saved_token, send};
use crate::browser::local_storage::Store;
use crate::components::config_file::current;
use crate::components::digest_preview::saved_repo_url;
use crate::components::import_panel::ImportedHeader;
use crate::state::AppState;

use crate::components::readme_preview::readme_draft;
use daily_papers_core::library::results::{draft_digest, results_key};
use daily_papers_core::publish::api::{self, Api, CommitMade, Repository};
use daily_papers_core::publish::error::PublishError;
use daily_papers_core::publish::names::{ApiBase, RepoName, Token};
use daily_papers_core::publish::plan::{
    readme_files, setup_files, setup_summary, FileToWrite, LastSeen, Plan, README_MESSAGE,
    SETUP_MESSAGE,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The repository last connected (`owner/repository`): not secret, kept so a reload knows it.
use daily_papers_core::app_state::keys::GITHUB_REPO_KEY as REPO_KEY;
/// The GitHub API address, when the user set one (tests point it at a fake).
use daily_papers_core::app_state::keys::GITHUB_API_KEY as API_BASE_KEY;
/// The version of each file the page last read or wrote, per repository ([`LastSeen`]).
use daily_papers_core::app_state::keys::GITHUB_SEEN_PREFIX as SEEN_PREFIX;

/// A connected repository: where, with which token.
#[derive(Clone)]
struct Connection {
    api: Api,
    token: Token,
}

impl Connection {
    async fn send(&self, request: &api::Request) -> Result<api::Answer, PublishError> {
        send(&self.api.base, &self.token, request).await
    }

    fn seen_key(&self) -> String {
        format!("{SEEN_PREFIX}{}", self.api.repo)
    }

    fn seen(&self) -> LastSeen {
        let text = Store::open().raw(&self.seen_key()).ok().flatten();
        LastSeen::from_json(&text.unwrap_or_default())
    }

    fn keep_seen(&self, seen: &LastSeen) {
        let _ = Store::open().save(
            &self.seen_key(),
            "the published files' versions",
            &seen.to_json(),
        );
    }

    /// The repository, if the token may write it.
    async fn repository(&self) -> Result<(Repository, Option<String>), PublishError> {
        let answer = self.send(&self.api.repository()).await?;
        let repository = api::read_repository(&answer, &self.api.repo)?;
        Ok((
            repository,
            self.token.scope_warning(answer.oauth_scopes.as_deref()),
        ))
    }

    /// Reads each file as the repository holds it now and decides what to do with it.
    async fn plan(&self, branch: &str, files: Vec<FileToWrite>) -> Result<Plan, PublishError> {
        let mut remote = Vec::with_capacity(files.len());
        for file in &files {
            let answer = self.send(&self.api.file(&file.path, branch)).await?;
            remote.push(api::read_file(&answer, &self.api.repo)?);
        }
        let mut seen = self.seen();
        // A file already holding what the page would write is, from now on, a version it saw.
        for (file, there) in files.iter().zip(&remote) {
            if let Some(there) = there {
                if there.text.as_deref() == Some(file.text.as_str()) {
                    seen.saw(&file.path, &there.sha);
                }
            }
        }
        self.keep_seen(&seen);
        Ok(Plan::new(files, &remote, &seen))
    }

    /// Writes the plan's files one by one through the contents API (one commit each).
    async fn write_each(
        &self,
        branch: &str,
        plan: &Plan,
        message: &str,
    ) -> Result<Option<CommitMade>, PublishError> {
        let mut last = None;
        let mut seen = self.seen();
        for (file, sha) in plan.writes() {
            let request = self
                .api
                .put_file(&file.path, &file.text, message, sha, Some(branch));
            let written = api::read_put_file(&self.send(&request).await?, &self.api.repo)?;
            seen.saw(&file.path, &written.file_sha);
            self.keep_seen(&seen);
            last = Some(written.commit);
        }
        Ok(last)
    }

    /// Writes the plan's files in one commit through the git data API: blobs, a tree on the
    /// branch's, a commit, and the branch moved to it without force. An empty repository gets
    /// its first commit from the contents API (the git data API needs a branch to build on).
    async fn write_one_commit(
        &self,
        branch: &str,
        plan: &Plan,
        message: &str,
    ) -> Result<Option<CommitMade>, PublishError> {
        let mut writes = plan.writes();
        if writes.is_empty() {
            return Ok(None);
        }
        let repo = &self.api.repo;
        let mut seen = self.seen();
        let head =
            match api::read_branch_head(&self.send(&self.api.branch_head(branch)).await?, repo) {
                Ok(head) => head,
                Err(PublishError::Empty) => {
                    let (first, _) = writes.remove(0);
                    let request = self
                        .api
                        .put_file(&first.path, &first.text, message, None, None);
                    let written = api::read_put_file(&self.send(&request).await?, repo)?;
                    seen.saw(&first.path, &written.file_sha);
                    self.keep_seen(&seen);
                    if writes.is_empty() {
                        return Ok(Some(written.commit));
                    }
                    written.commit.sha
                }
                Err(e) => return Err(e),
            };
        let base_tree = api::read_commit_tree(&self.send(&self.api.commit(&head)).await?, repo)?;
        let mut entries = Vec::with_capacity(writes.len());
        for (file, _) in &writes {
            let blob =
                api::read_created_sha(&self.send(&self.api.create_blob(&file.text)).await?, repo)?;
            entries.push((file.path.clone(), blob));
        }
        let tree = api::read_created_sha(
            &self
                .send(&self.api.create_tree(&base_tree, &entries))
                .await?,
            repo,
        )?;
        let commit = api::read_created_commit(
            &self
                .send(&self.api.create_commit(message, &tree, &head))
                .await?,
            repo,
        )?;
        // Refused when the branch moved since it was read: the commit made is left unreferenced
        // (GitHub drops it), nothing on the branch changes, and the user tries again.
        api::read_branch_updated(
            &self
                .send(&self.api.update_branch(branch, &commit.sha))
                .await?,
            repo,
        )?;
        for (path, blob) in &entries {
            seen.saw(path, blob);
        }
        self.keep_seen(&seen);
        Ok(Some(commit))
    }
}

/// Which button started the pending work.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Job {
    Readme,
    Setup,
}

/// A plan waiting for the user's answer: files someone else changed, shown first.
#[derive(Clone)]
struct Pending {
    job: Job,
    branch: String,
    plan: Plan,
    message: String,
}

/// The issue digest as its panel shows it, when the repository's address is given there.
fn digest_text(state: &AppState) -> Option<String> {
    let repo = saved_repo_url()?;
    let style = state.settings.with_untracked(|s| s.link_style);
    state.topics.with_untracked(|topics| {
        state.results.with_untracked(|map| {
            let listed = topics.entries().iter().map(|e| (e.id, e.topic.name()));
            draft_digest(
                listed,
                |id| map.get(&results_key(id)).map(|r| r.as_ref()),
                &repo,
                style,
            )
        })
    })
}

fn saved(key: &str) -> Option<String> {
    Store::open().raw(key).ok().flatten()
}

#[component]
pub fn PublishPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let header = expect_context::<ImportedHeader>().0;

    let stored = saved_token();
    let repo_input = RwSignal::new(saved(REPO_KEY).unwrap_or_default());
    let base_input = RwSignal::new(saved(API_BASE_KEY).unwrap_or_default());
    let token_input = RwSignal::new(String::new());
    let remember = RwSignal::new(stored.as_ref().is_some_and(|(_, r)| *r));
    // Connected again on load when this tab or device kept the token (checked at the next
    // publish, which reads the repository first).
    let connection = RwSignal::new(stored.and_then(|(token, _)| {
        let repo = RepoName::parse(&saved(REPO_KEY)?).ok()?;
        let base = ApiBase::parse(&saved(API_BASE_KEY).unwrap_or_default()).ok()?;
        Some(Connection {
            api: Api { base, repo },
            token,
        })
    }));
    let connect_error = RwSignal::new(None::<String>);
    let warning = RwSignal::new(None::<String>);
    let branch = RwSignal::new(None::<String>);
    let message = RwSignal::new(README_MESSAGE.to_owned());
    let busy = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let commit_url = RwSignal::new(None::<String>);
    let pending = RwSignal::new(None::<Pending>);

    let connect = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = (|| {
            let repo = RepoName::parse(&repo_input.get_untracked())?;
            let token = Token::parse(&token_input.get_untracked())?;
            let base = ApiBase::parse(&base_input.get_untracked())?;
            Ok::<_, String>(Connection {
                api: Api { base, repo },
                token,
            })
        })();
        let candidate = match parsed {
            Ok(c) => c,
            Err(message) => {
                connect_error.set(Some(message));
                return;
            }
        };
        connect_error.set(None);
        busy.set(true);
        status.set("Checking the repository and the token\u{2026}".to_owned());
        spawn_local(async move {
            match candidate.repository().await {
                Ok((repository, scope_warning)) => {
                    let kept = save_token(&candidate.token, remember.get_untracked());
                    let store = Store::open();
                    let _ = store.save(
                        REPO_KEY,
                        "the repository's name",
                        &candidate.api.repo.to_string(),
                    );
                    if candidate.api.base == ApiBase::default() {
                        let _ = store.remove(API_BASE_KEY);
                    } else {
                        let _ = store.save(
                            API_BASE_KEY,
                            "the GitHub API address",
                            candidate.api.base.as_str(),
                        );
                    }
                    repo_input.set(candidate.api.repo.to_string());
                    status.set(match kept {
                        true => format!("Connected to {}.", repository.full_name),
                        false => format!(
                            "Connected to {} (this browser does not let the page keep the token: it is lost when the page closes).",
                            repository.full_name
                        ),
                    });
                    branch.set(Some(repository.branch().to_owned()));
                    warning.set(scope_warning);
                    token_input.set(String::new());
                    connection.set(Some(candidate));
                }
                Err(e) => {
                    status.set(String::new());
                    connect_error.set(Some(e.to_string()));
                }
            }
            busy.set(false);
        });
    };

    let forget = move |_| {
        forget_token();
        connection.set(None);
        pending.set(None);
        warning.set(None);
        commit_url.set(None);
        error.set(None);
        token_input.set(String::new());
        status.set("The token is forgotten: this page no longer holds it.".to_owned());
    };

    // Reads, plans, and writes at once when nothing needs asking.
    let start = move |job: Job| {
        let Some(conn) = connection.get_untracked() else {
            return;
        };
        let files = match job {
            Job::Readme => {
                let Some(readme) = untrack(|| readme_draft(&state, header, usize::MAX).markdown) else {
                    error.set(Some(
                        "Fetch your keywords first: there is no README yet.".to_owned(),
                    ));
                    return;
                };
                readme_files(readme, digest_text(&state))
            }
            Job::Setup => setup_files(current(&state).to_json(true)),
        };
        let commit_message = match job {
            Job::Readme => {
                let m = message.get_untracked();
                if m.trim().is_empty() {
                    README_MESSAGE.to_owned()
                } else {
                    m.trim().to_owned()
                }
            }
            Job::Setup => SETUP_MESSAGE.to_owned(),
        };
        busy.set(true);
        error.set(None);
        commit_url.set(None);
        pending.set(None);
        status.set("Reading the repository\u{2026}".to_owned());
        spawn_local(async move {
            let result = async {
                let (repository, _) = conn.repository().await?;
                let on = repository.branch().to_owned();
                branch.set(Some(on.clone()));
                let plan = conn.plan(&on, files).await?;
                Ok::<_, PublishError>((on, plan))
            }
            .await;
            match result {
                Ok((on, plan)) if !plan.to_ask().is_empty() => {
                    status.set("Some files changed in the repository since this page last read them: see below.".to_owned());
                    pending.set(Some(Pending {
                        job,
                        branch: on,
                        plan,
                        message: commit_message,
                    }));
                }
                Ok((on, plan)) => {
                    write(
                        conn,
                        Pending {
                            job,
                            branch: on,
                            plan,
                            message: commit_message,
                        },
                        status,
                        error,
                        commit_url,
                    )
                    .await
                }
                Err(e) => {
                    status.set(String::new());
                    error.set(Some(e.to_string()));
                }
            }
            busy.set(false);
        });
    };

    let replace = move |_| {
        let (Some(conn), Some(waiting)) = (connection.get_untracked(), pending.get_untracked())
        else {
            return;
        };
        pending.set(None);
        busy.set(true);
        spawn_local(async move {
            let confirmed = Pending {
                plan: waiting.plan.confirmed(),
                ..waiting
            };
            write(conn, confirmed, status, error, commit_url).await;
            busy.set(false);
        });
    };
    let keep = move |_| {
        pending.set(None);
        status.set("Nothing was written: the repository keeps its files.".to_owned());
    };

    let connected = move || connection.with(Option::is_some);
    let connected_line = move || {
        connection.with(|c| {
            c.as_ref().map(|c| match branch.get() {
                Some(b) => format!("Connected to {} (branch {b}).", c.api.repo),
                None => format!("Connected to {}.", c.api.repo),
            })
        })
    };
    let no_readme = move || state.results.with(|m| m.is_empty());

    view! {
        <section class="panel publish" id="publish" aria-labelledby="publish-heading" data-testid="publish-panel">
            <h2 id="publish-heading">"Publish to GitHub"</h2>
            <p class="hint">
                "Commit the README to your repository, and set up the daily update there, with a fine-grained access token limited to that repository (Contents: read and write; Workflows: read and write for the daily update)."
            </p>
            <form class="publish-connect" hidden=connected on:submit=connect>
                <label for="publish-repo">"Repository (owner/repository)"</label>
                <input
                    id="publish-repo"
                    data-testid="publish-repo"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="you/daily-papers"
                    prop:value=move || repo_input.get()
                    on:input=move |ev| repo_input.set(event_target_value(&ev))
                />
                <label for="publish-token">"Fine-grained access token"</label>
                <input
                    id="publish-token"
                    data-testid="publish-token"
                    type="password"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="github_pat_\u{2026}"
                    prop:value=move || token_input.get()
                    on:input=move |ev| token_input.set(event_target_value(&ev))
                />
                <label class="checkbox">
                    <input
                        type="checkbox"
                        data-testid="publish-remember"
                        prop:checked=move || remember.get()
                        on:change=move |ev| remember.set(event_target_checked(&ev))
                    />
                    "Remember on this device"
                </label>
                <p class="hint" data-testid="publish-remember-note">
                    {move || if remember.get() {
                        "The token stays in this browser until you press Forget, also after it is closed: anyone using this browser profile can publish with it."
                    } else {
                        "The token is kept for this tab only and gone when it closes."
                    }}
                </p>
                // A plain field, not a <details>: the page's disclosure triangles are the
                // papers' "Show abstract" alone.
                <label for="publish-api-base">"GitHub API address (empty for github.com; set it for GitHub Enterprise)"</label>
                <input
                    id="publish-api-base"
                    data-testid="publish-api-base"
                    type="url"
                    placeholder="https://api.github.com"
                    prop:value=move || base_input.get()
                    on:input=move |ev| base_input.set(event_target_value(&ev))
                />
                <button type="submit" class="primary" data-testid="publish-connect" disabled=move || busy.get()>
                    "Connect"
                </button>
                <p class="field-error" role="alert" data-testid="publish-connect-error">
                    {move || connect_error.get()}
                </p>
            </form>
            <div class="publish-connected" hidden=move || !connected()>
                <p data-testid="publish-connected">{connected_line}</p>
                <p class="warning" data-testid="publish-token-warning" hidden=move || warning.with(Option::is_none)>
                    {move || warning.get()}
                </p>
                <button type="button" data-testid="publish-forget" on:click=forget>"Forget the token"</button>
                <label for="publish-message">"Commit message"</label>
                <input
                    id="publish-message"
                    data-testid="publish-message"
                    type="text"
                    prop:value=move || message.get()
                    on:input=move |ev| message.set(event_target_value(&ev))
                />
                <div class="button-row">
                    <button
                        type="button"
                        class="primary"
                        data-testid="publish-readme"
                        disabled=move || busy.get() || no_readme()
                        on:click=move |_| start(Job::Readme)
                    >
                        "Publish README"
                    </button>
                    <button
                        type="button"
                        data-testid="publish-setup"
                        disabled=move || busy.get()
                        on:click=move |_| start(Job::Setup)
                    >
                        "Set up the daily update"
                    </button>
                </div>
                <p class="hint" data-testid="publish-setup-files">{setup_summary()}</p>
            </div>
            <div class="publish-ask" data-testid="publish-ask" hidden=move || pending.with(Option::is_none)>
                <p>
                    {move || pending.with(|p| match p.as_ref().map(|p| p.job) {
                        Some(Job::Setup) => "The repository already has different versions of these files. Replace them with the page's?",
                        _ => "These files changed in the repository since this page last read them (someone's commit, or the daily run). Replace them with the page's?",
                    })}
                </p>
                <ul>
                    {move || pending.with(|p| p.as_ref().map(|p| p.plan.describe()).unwrap_or_default())
                        .into_iter()
                        .map(|line| view! { <li>{line}</li> })
                        .collect_view()}
                </ul>
                {move || pending.with(|p| p.as_ref().map(|p| {
                    p.plan.to_ask().into_iter().map(|(path, current)| {
                        let label = format!("{path} as the repository holds it now");
                        let text = current.map(str::to_owned).unwrap_or_else(|| "(too large to show here: open it on GitHub)".to_owned());
                        view! {
                            <h3>{path.to_owned()}</h3>
                            <pre class="markdown-output" data-testid="publish-ask-current" tabindex="0" aria-label=label>{text}</pre>
                        }
                    }).collect_view()
                }))}
                <div class="button-row">
                    <button type="button" data-testid="publish-ask-replace" on:click=replace>"Replace them"</button>
                    <button type="button" class="primary" data-testid="publish-ask-keep" on:click=keep>"Keep theirs, write nothing"</button>
                </div>
            </div>
            <p class="copy-status" role="status" aria-live="polite" data-testid="publish-status">
                {move || status.get()}
                " "
                {move || commit_url.get().map(|url| view! {
                    <a href=url target="_blank" rel="noopener noreferrer" data-testid="publish-commit-link">"See the commit on GitHub"</a>
                })}
            </p>
            <p class="warning" role="alert" data-testid="publish-error" hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
        </section>
    }
}

/// Writes a plan with nothing left to ask, and says what happened.
async fn write(
    conn: Connection,
    job: Pending,
    status: RwSignal<String>,
    error: RwSignal<Option<String>>,
    commit_url: RwSignal<Option<String>>,
) {
    status.set("Writing\u{2026}".to_owned());
    let result = match job.job {
        Job::Readme => conn.write_each(&job.branch, &job.plan, &job.message).await,
        Job::Setup => {
            conn.write_one_commit(&job.branch, &job.plan, &job.message)
                .await
        }
    };
    match result {
        Ok(Some(commit)) => {
            let written: Vec<&str> = job
                .plan
                .writes()
                .iter()
                .map(|(f, _)| f.path.as_str())
                .collect();
            status.set(format!(
                "Committed {} to {}.",
                written.join(" and "),
                conn.api.repo
            ));
            commit_url.set(
                Some(commit.html_url)
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
            );
        }
        Ok(None) => {
            status.set("The repository is already up to date: nothing to commit.".to_owned())
        }
        Err(e) => {
            status.set(String::new());
            error.set(Some(e.to_string()));
        }
    }
}
