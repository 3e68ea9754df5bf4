//! One section per keyword, in the user's order: the heading, how many papers and when they
//! were fetched, the last error with a Retry button, and the table (the previous papers stay on
//! screen when a fetch fails).

use crate::components::paper_table::PaperTable;
use crate::fetch_loop::Fetcher;
use crate::keyword::Keyword;
use crate::results::results_key;
use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn KeywordSections() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="sections" id="results" tabindex="-1">
            <For
                each=move || state.keywords.with(|list| list.as_slice().to_vec())
                key=|keyword| keyword.as_str().to_owned()
                children=move |keyword| view! { <KeywordSection keyword /> }
            />
        </div>
    }
}

#[component]
fn KeywordSection(keyword: Keyword) -> impl IntoView {
    let state = expect_context::<AppState>();
    let fetcher = expect_context::<Fetcher>();
    let key = results_key(&keyword);
    let heading_id = format!(
        "section-{}",
        key.replace(|c: char| !c.is_alphanumeric(), "-")
    );
    // Only this keyword's entry: another keyword's new results leave this section untouched.
    let results = Memo::new(move |_| state.results.with(|map| map.get(&key).cloned()));
    let link_style = Memo::new(move |_| state.settings.with(|s| s.link_style));
    let is_current = {
        let keyword = keyword.clone();
        move || {
            fetcher
                .progress
                .with(|p| p.running && p.current.as_ref() == Some(&keyword))
        }
    };
    let summary = move || {
        results.with(|r| {
            match r
                .as_ref()
                .and_then(|r| r.fetched_at.as_ref().map(|at| (r, at)))
            {
                Some((r, at)) => {
                    let n = r.papers.len();
                    let papers = if n == 1 { "paper" } else { "papers" };
                    format!("{n} {papers}, fetched {} at {}", at.date, at.time)
                }
                None => "Not fetched yet".to_owned(),
            }
        })
    };
    let error = move || {
        results.with(|r| {
            r.as_ref()
                .and_then(|r| r.error.as_ref().map(|e| (e.to_string(), e.detail())))
        })
    };
    let retry = {
        let keyword = keyword.clone();
        move |_| fetcher.retry(keyword.clone())
    };
    let labelled_by = heading_id.clone();
    view! {
        <section
            class="keyword-section"
            data-testid="keyword-section"
            data-keyword=keyword.to_string()
            aria-labelledby=labelled_by
        >
            <header class="section-header">
                <h2 id=heading_id dir="auto">{keyword.to_string()}</h2>
                <p class="meta">
                    {summary}
                    {move || is_current().then_some(" \u{2014} fetching\u{2026}")}
                </p>
            </header>
            // Not an alert: the run's summary (fetch controls) names the keywords that failed.
            {move || {
                error()
                    .map(|(message, detail)| {
                        view! {
                            <div class="notice keyword-error">
                                <p class="error-text" data-testid="keyword-error">{message}</p>
                                <button type="button" data-testid="retry" on:click=retry.clone()>
                                    "Retry"
                                </button>
                                {detail.map(|detail| view! {
                                    <details data-testid="error-detail">
                                        <summary>"Details"</summary>
                                        <p>{detail}</p>
                                    </details>
                                })}
                            </div>
                        }
                    })
            }}
            {move || {
                let style = link_style.get();
                results
                    .get()
                    .filter(|r| r.ever_fetched())
                    .map(|r| view! { <PaperTable results=r style /> })
            }}
        </section>
    }
}
