//! One section per topic, in the user's order: the heading (the topic's name), how many papers
//! and when they were fetched, the last error with a Retry button, and the table (the previous
//! papers stay on screen when a fetch fails, and after an edit of the topic's search, marked as
//! from the previous search until the next fetch). A section's table is built only when the section comes near the
//! viewport: with tens of thousands of papers, building every table at start-up would freeze
//! the page. `data-count` says how many papers a section holds, built or not.

use crate::components::bibtex_copy::CopyBibtex;
use crate::components::paper_table::{PaperTable, RowView};
use crate::components::run_summary::section_element_id;
use crate::components::search_box::RowFilter;
use crate::fetch_loop::Fetcher;
use crate::library::history::Novelty;
use crate::library::overlap::Overlap;
use crate::library::run::{no_match_text, SectionCounts};
use crate::results::results_key;
use crate::state::AppState;
use crate::topics::TopicId;
use leptos::prelude::*;
use std::sync::Arc;

/// `(row, "also in: …")` per results key, for the papers several topics hold (a few topics: a
/// vector, not a map).
type AlsoIn = Arc<Vec<(String, Vec<(usize, String)>)>>;

/// Provided as context, every section builds its table at once, near the screen or not (the
/// benchmark's render figure times building all rows).
#[derive(Clone, Copy)]
pub struct BuildAllTables;

#[component]
pub fn KeywordSections() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Built once per change of topics or results, read only by the tables on screen; each
    // section keeps just its own part, so a table is rebuilt only when its own notes change.
    let also_in: Memo<AlsoIn> = Memo::new(move |_| {
        state.topics.with(|list| {
            state.results.with(|map| {
                let topics: Vec<(String, String, Arc<_>)> = list
                    .entries()
                    .iter()
                    .filter_map(|e| {
                        let key = results_key(e.id);
                        let r = map.get(&key).cloned()?;
                        Some((key, e.topic.name().to_string(), r))
                    })
                    .collect();
                let overlap = Overlap::new(
                    topics
                        .iter()
                        .map(|(_, name, r)| (name.as_str(), r.papers.as_slice())),
                );
                let mut notes = Vec::new();
                for (at, (key, _, r)) in topics.iter().enumerate() {
                    let rows: Vec<(usize, String)> = r
                        .papers
                        .iter()
                        .enumerate()
                        .filter_map(|(row, p)| Some((row, overlap.also_in_text(at, &p.id)?)))
                        .collect();
                    if !rows.is_empty() {
                        notes.push((key.clone(), rows));
                    }
                }
                Arc::new(notes)
            })
        })
    });
    provide_context(also_in);
    view! {
        <div class="sections" id="results" tabindex="-1">
            <For
                each=move || {
                    state.topics.with(|list| list.entries().iter().map(|e| e.id).collect::<Vec<_>>())
                }
                key=|id| *id
                children=move |id| view! { <KeywordSection id /> }
            />
        </div>
    }
}

#[component]
fn KeywordSection(id: TopicId) -> impl IntoView {
    let state = expect_context::<AppState>();
    let fetcher = expect_context::<Fetcher>();
    let filter = expect_context::<RowFilter>();
    let all_also_in = expect_context::<Memo<AlsoIn>>();
    let key = results_key(id);
    let heading_id = format!("section-{id}");
    // Only this topic and its entry: another topic's edit or new results leave it untouched.
    let topic = Memo::new(move |_| state.topics.with(|list| list.get(id).cloned()));
    let name = move || topic.with(|t| t.as_ref().map(|t| t.name().to_string()).unwrap_or_default());
    let results = {
        let key = key.clone();
        Memo::new(move |_| state.results.with(|map| map.get(&key).cloned()))
    };
    // Each paper's mark as of the topic's latest fetch.
    let marks = {
        let key = key.clone();
        Memo::new(move |_| {
            results.with(|r| {
                state.history.with(|h| {
                    r.as_ref().map_or_else(Vec::new, |r| {
                        r.papers
                            .iter()
                            .map(|p| h.novelty(&key, &p.id))
                            .collect::<Vec<_>>()
                    })
                })
            })
        })
    };
    let counts = move || {
        marks.with(|m| SectionCounts {
            papers: m.len(),
            new: m.iter().filter(|n| **n == Novelty::New).count(),
            updated: m
                .iter()
                .filter(|n| matches!(n, Novelty::Updated { .. }))
                .count(),
        })
    };
    // The rows a filter keeps (`None`: no filter, every row).
    let shown = {
        let key = key.clone();
        Memo::new(move |_| {
            let only_new = filter.only_new.get();
            let search = filter.search.get().filter(|s| s.is_filtered());
            if !only_new && search.is_none() {
                return None;
            }
            let len = results.with(|r| r.as_ref().map_or(0, |r| r.papers.len()));
            let mut rows: Vec<usize> = match &search {
                Some(s) => s.rows(&key).iter().copied().filter(|&i| i < len).collect(),
                None => (0..len).collect(),
            };
            if only_new {
                marks.with(|m| rows.retain(|&i| m.get(i).is_some_and(|n| n.is_news())));
            }
            Some(rows)
        })
    };
    let also_in = {
        let key = key.clone();
        Memo::new(move |_| {
            all_also_in.with(|all| {
                all.iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, rows)| rows.clone())
                    .unwrap_or_default()
            })
        })
    };
    let filtered_out =
        move || filter.is_active() && shown.with(|s| s.as_ref().is_some_and(Vec::is_empty));
    let link_style = Memo::new(move |_| state.settings.with(|s| s.link_style));
    let is_current = move || {
        fetcher
            .progress
            .with(|p| p.running && p.current.as_ref().is_some_and(|(c, _)| *c == id))
    };
    let previous_search = move || {
        topic.with(|t| {
            results.with(|r| {
                t.as_ref()
                    .zip(r.as_ref())
                    .is_some_and(|(t, r)| r.from_previous_search(t))
            })
        })
    };
    let summary = move || {
        results.with(|r| {
            match r
                .as_ref()
                .and_then(|r| r.fetched_at.as_ref().map(|at| (r, at)))
            {
                Some((r, _)) if r.no_match() => String::new(),
                // Papers imported from a README have a date but no time.
                Some((_, at)) if at.time.is_empty() => format!(", from {}", at.date),
                Some((_, at)) => format!(", fetched {} at {}", at.date, at.time),
                None if state.loading.get() => "Loading saved papers\u{2026}".to_owned(),
                None => "Not fetched yet".to_owned(),
            }
        })
    };
    let retry = move |_| fetcher.retry(id);
    let no_match = move || {
        results.with(|r| {
            r.as_ref()
                .filter(|r| r.no_match())
                .and_then(|r| r.fetched_at.as_ref())
                .map(|at| no_match_text(&at.time))
        })
    };
    let fetched = move || {
        results.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.ever_fetched() && !r.no_match())
        })
    };
    let failed = move || results.with(|r| r.as_ref().is_some_and(|r| r.error.is_some()));
    let error = move || {
        results.with(|r| {
            r.as_ref()
                .and_then(|r| r.error.as_ref().map(|e| (e.to_string(), e.detail())))
        })
    };
    let labelled_by = heading_id.clone();
    let count = move || results.with(|r| r.as_ref().map_or(0, |r| r.papers.len()));
    let section = NodeRef::<leptos::html::Section>::new();
    let build_all = use_context::<BuildAllTables>().is_some();
    let near = RwSignal::new(build_all);
    Effect::new(move |_| {
        if build_all {
            return;
        }
        if let Some(element) = section.get() {
            when_near(&element, move || near.set(true));
        }
    });
    view! {
        <section
            class="keyword-section"
            id=section_element_id(id)
            tabindex="-1"
            data-testid="keyword-section"
            data-keyword=name
            data-count=count
            data-failed=move || failed().then_some("true")
            aria-labelledby=labelled_by
            node_ref=section
            hidden=filtered_out
        >
            <header class="section-header">
                <h2 id=heading_id dir="auto">{name}</h2>
                <p class="meta">
                    <span class="counts" hidden=move || !fetched()>
                        {move || counts().papers_text()}
                        " \u{b7} "
                        <span data-testid="new-count">{move || counts().new}</span>
                        " new"
                        {move || {
                            let updated = counts().updated;
                            (updated > 0).then(|| format!(" \u{b7} {updated} updated"))
                        }}
                    </span>
                    {summary}
                    {move || is_current().then_some(" \u{2014} fetching\u{2026}")}
                </p>
                <CopyBibtex id />
                {move || {
                    no_match()
                        .map(|text| {
                            view! {
                                <div class="no-match">
                                    <p data-testid="no-match">{text}</p>
                                    <button type="button" data-testid="retry" on:click=retry>
                                        "Check again"
                                    </button>
                                </div>
                            }
                        })
                }}
                <p class="meta previous-query" data-testid="previous-query" hidden=move || !previous_search()>
                    "From the previous search \u{2014} fetch to update."
                </p>
            </header>
            // Not an alert: the run's summary (fetch controls) names the keywords that failed.
            {move || {
                error()
                    .map(|(message, detail)| {
                        view! {
                            <div class="notice keyword-error">
                                <p class="error-text" data-testid="keyword-error">{message}</p>
                                <button type="button" data-testid="retry" on:click=retry>
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
                let results = results.get().filter(|r| r.ever_fetched() && !r.no_match())?;
                Some(if near.get() {
                    let view = Arc::new(RowView {
                        shown: shown.get(),
                        marks: marks.get(),
                        also_in: also_in.get(),
                    });
                    view! { <PaperTable results style view /> }.into_any()
                } else {
                    // Holds the table's place, so the page scrolls as if it were there.
                    let height = format!("height: {}px", 40 + 34 * results.papers.len());
                    view! { <div class="table-placeholder" style=height></div> }.into_any()
                })
            }}
        </section>
    }
}

/// Calls `f` once, when `element` comes within two screens of the viewport.
fn when_near(element: &web_sys::Element, f: impl FnOnce() + 'static) {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    type Once = Rc<Cell<Option<Box<dyn FnOnce()>>>>;
    let once: Once = Rc::new(Cell::new(Some(Box::new(f))));
    let call = {
        let once = Rc::clone(&once);
        move || {
            if let Some(f) = once.take() {
                f();
            }
        }
    };
    let in_callback = call.clone();
    let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let near = entries.iter().any(|e| {
                e.dyn_into::<web_sys::IntersectionObserverEntry>()
                    .is_ok_and(|e| e.is_intersecting())
            });
            if near {
                observer.disconnect();
                in_callback();
            }
        },
    );
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin("200% 0px");
    match web_sys::IntersectionObserver::new_with_options(
        callback.as_ref().unchecked_ref(),
        &options,
    ) {
        Ok(observer) => {
            observer.observe(element);
            // Lives until the section is near (then disconnected) or the page closes.
            callback.forget();
        }
        // No IntersectionObserver: build at once, as before.
        Err(_) => call(),
    }
}
