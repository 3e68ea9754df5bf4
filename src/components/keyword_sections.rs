//! One section per topic, in the user's order: the heading (the topic's name), how many papers
//! and when they were fetched, the last error with a Retry button, and the table (the previous
//! papers stay on screen when a fetch fails, and after an edit of the topic's search, marked as
//! from the previous search until the next fetch). A section's table is made only while the
//! section is near the screen, and within it only the rows near the screen are built (see
//! [`PaperTable`]): with tens of thousands of papers, building every row would freeze the page,
//! and remaking twenty tables at each keystroke of a search would too. `data-count` says how
//! many papers a section holds, whichever rows are built.

use crate::browser::near_view::{holds_focus, watch_while_owned, Margins};
use crate::components::bibtex_copy::CopyBibtex;
use crate::components::paper_table::{
    css_pixels, table_height_estimate, PaperTable, RowView, TableSource,
};
use crate::components::run_summary::section_element_id;
use crate::components::search_box::RowFilter;
use crate::fetch_loop::Fetcher;
use daily_papers_core::library::history::{novelty_in, Novelty};
use daily_papers_core::library::overlap::Overlap;
use daily_papers_core::library::run::{no_match_text, SectionCounts};
use daily_papers_core::library::results::results_key;
use crate::state::AppState;
use crate::browser::timers::later;
use daily_papers_core::topics::TopicId;
use leptos::prelude::*;
use std::sync::Arc;

/// `(row, "also in: …")` per results key, for the papers several topics hold (a few topics: a
/// vector, not a map).
type AlsoIn = Arc<Vec<(String, Vec<(usize, String)>)>>;

/// Provided as context, every section builds all its rows at once, near the screen or not (the
/// benchmark's render figure times building all rows).
#[derive(Clone, Copy)]
pub struct BuildAllTables;

#[component]
pub fn KeywordSections() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Built once per change of topics or results, read only by the tables on screen; each
    // section keeps just its own part, so a table is rebuilt only when its own notes change.
    let also_in: Memo<AlsoIn> = Memo::new(move |_| {
        // Once the saved papers are all read, not again as each topic's arrive: with twenty
        // topics of 2,000 papers that would be twenty passes over a growing 40,000.
        if state.loading.get() {
            return AlsoIn::default();
        }
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
    // A long list's first section comes with the page, the others in the browser's next task:
    // a page of twenty topics then never holds the main thread long as it opens. The first
    // section is the one whose saved papers the page waits for (see `crate::startup`), and the
    // others come below it, so nothing on the screen moves when they come.
    let long_list = state
        .topics
        .with_untracked(|list| list.len() > SECTIONS_AT_ONCE);
    let all_sections = RwSignal::new(!long_list || use_context::<BuildAllTables>().is_some());
    if !all_sections.get_untracked() {
        later(0, move || all_sections.set(true));
    }
    view! {
        <div class="sections" id="results" tabindex="-1">
            <For
                each=move || {
                    let shown = if all_sections.get() { usize::MAX } else { 1 };
                    state.topics.with(|list| {
                        list.entries().iter().take(shown).map(|e| e.id).collect::<Vec<_>>()
                    })
                }
                key=|id| *id
                children=move |id| view! { <KeywordSection id /> }
            />
        </div>
    }
}

/// Up to this many topics, every section is made with the page; for a longer list, only the
/// first (see [`KeywordSections`]).
const SECTIONS_AT_ONCE: usize = 8;

/// How far ahead of the screen a section's table is made (half a screen above and below; its
/// rows are built further ahead only once it is made, see [`PaperTable`]) and how far behind it
/// is kept (three screens). Each table kept is made again at each keystroke of a search.
const TABLES_AHEAD: Margins = Margins {
    make: 50,
    keep: 300,
};

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
    // This topic's history: another topic's papers arriving (twenty of them as the page opens)
    // leave this section's marks alone.
    let history = {
        let key = key.clone();
        Memo::new_with_compare(
            move |_| state.history.with(|h| h.topic_shared(&key)),
            |old, new| match (old, new) {
                (Some(Some(old)), Some(Some(new))) => !Arc::ptr_eq(old, new),
                (Some(None), Some(None)) => false,
                _ => true,
            },
        )
    };
    // Each paper's mark as of the topic's latest fetch.
    let marks = Memo::new(move |_| {
        results.with(|r| {
            history.with(|h| {
                r.as_ref().map_or_else(Vec::new, |r| {
                    r.papers
                        .iter()
                        .map(|p| novelty_in(h.as_deref(), &p.id))
                        .collect()
                })
            })
        })
    });
    // How many of this topic's papers are read (the reader's marks, shared by every topic).
    let read = Memo::new(move |_| {
        results.with(|r| {
            r.as_ref().map_or(0, |r| {
                state.marks.with(|marks| marks.read_count(&r.papers))
            })
        })
    });
    let counts = move || {
        marks.with(|m| SectionCounts {
            papers: m.len(),
            new: m.iter().filter(|n| **n == Novelty::New).count(),
            updated: m
                .iter()
                .filter(|n| matches!(n, Novelty::Updated { .. }))
                .count(),
            read: read.get(),
        })
    };
    // The rows a filter keeps (`None`: no filter, every row).
    let shown = {
        let key = key.clone();
        Memo::new(move |_| {
            let only_new = filter.only_new.get();
            let hide_read = state.hide_read.get();
            let search = filter.search.get().filter(|s| s.is_filtered());
            if !only_new && !hide_read && search.is_none() {
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
            if hide_read {
                results.with(|r| {
                    state.marks.with(|read| {
                        let papers = r.as_ref().map_or(&[][..], |r| r.papers.as_slice());
                        rows.retain(|&i| papers.get(i).is_some_and(|p| !read.is_read(&p.id)));
                    })
                });
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
    // What the table is made from. Until the papers are read, the first topic's first screen kept
    // from the last visit, if any (gone once loading ends, even if the papers were not there).
    // A change makes the table's rows again; only the notes change in place.
    let table_source = {
        let key = key.clone();
        Memo::new_with_compare(
            move |_| {
                let results = results
                    .get()
                    .or_else(|| state.loading.get().then(|| state.first_screen_of(&key))?)
                    .filter(|r| r.ever_fetched() && !r.no_match())?;
                let view = Arc::new(RowView {
                    shown: shown.get(),
                    marks: marks.get(),
                    topic: topic.get(),
                    reader_links: state.reader_links.get(),
                });
                Some(TableSource {
                    results,
                    style: link_style.get(),
                    view,
                })
            },
            // Made anew at each change of what it is made from.
            |old, new| match (old, new) {
                (Some(Some(old)), Some(Some(new))) => !old.same(new),
                (Some(None), Some(None)) => false,
                _ => true,
            },
        )
    };
    let has_table = Memo::new(move |_| table_source.with(Option::is_some));
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
                // A cache's old answer, given because arXiv failed: its real time, said so.
                Some((_, at)) if at.stale => {
                    let today = crate::fetch_loop::clock_now().map_or(at.date, |c| c.today);
                    format!(", {}", at.stale_text(today))
                }
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
                .and_then(|r| r.checked_empty_at())
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
    let build_all = use_context::<BuildAllTables>().is_some();
    // Whether the section is near the screen: only then is its table made (and remade by a
    // search, a filter or new papers); far from it, an empty block of about its height. The
    // first section counts as near from the start, so that its papers, read before the page
    // first lays itself out, are in its first paint: the observer's first answer comes only
    // after that paint (and says so if it is far after all).
    let first = state
        .topics
        .with_untracked(|list| list.entries().first().map(|e| e.id) == Some(id));
    let near = RwSignal::new(build_all || first);
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if build_all {
            return;
        }
        let Some(element) = section.get() else {
            return;
        };
        let element: web_sys::Element = element.into();
        let watched = element.clone();
        let watching = watch_while_owned(&[element], TABLES_AHEAD, move |changes| {
            if let Some(change) = changes.last() {
                // The table holding the focus stays, or the reader's place would be lost.
                let now = change.near || holds_focus(&watched);
                // Only a change: setting the same value would make the table again.
                if near.get_untracked() != now {
                    near.set(now);
                }
            }
        });
        if !watching {
            // No IntersectionObserver: every table, as before there was one.
            near.set(true);
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
                        {move || {
                            let read = counts().read;
                            (read > 0)
                                .then(|| view! {
                                    " \u{b7} "
                                    <span data-testid="read-count">{read}</span>
                                    " read"
                                })
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
                // Made once while the section is near and has papers: their changes go to the
                // table through `table_source`, and it makes its rows again itself.
                if !has_table.get() {
                    return None;
                }
                if !near.get() {
                    let rows = table_source.with(|source| {
                        source.as_ref().map_or(0, |source| {
                            source.view.shown.as_ref().map_or(source.results.papers.len(), Vec::len)
                        })
                    });
                    let height = css_pixels(table_height_estimate(rows));
                    return Some(view! { <div class="table-placeholder" style:height=height></div> }.into_any());
                }
                Some(view! { <PaperTable source=table_source also_in build_all /> }.into_any())
            }}
        </section>
    }
}
