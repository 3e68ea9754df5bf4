//! Find a paper: a search box that filters the rows of every section by words in title,
//! authors, abstract or comment (saying how many match), and the "Only new and updated" toggle.
//! The filter works on the data, not on the rows on screen: sections build their tables only
//! near the viewport, so each section asks [`RowFilter`] which of its papers to show, and a
//! section with none is hidden. The search index is built on the first keystroke, one topic at a
//! time as their papers change, so opening the page never pays for it.

use daily_papers_core::library::search::{SearchResult, Searcher};
use daily_papers_core::library::results::{results_key, KeywordResults};
use crate::state::AppState;
use crate::browser::timers::sleep;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// The index and the results each topic was indexed with (to index again only what changed).
#[derive(Default)]
struct Index {
    searcher: Searcher,
    indexed: Vec<(String, Arc<KeywordResults>)>,
}

/// What the rows are filtered by, provided as context.
#[derive(Clone, Copy)]
pub struct RowFilter {
    query: RwSignal<String>,
    /// The answer to the query; `None` when nothing is typed.
    pub search: RwSignal<Option<Arc<SearchResult>>>,
    /// Only new and updated rows.
    pub only_new: RwSignal<bool>,
    index: StoredValue<Option<Index>, LocalStorage>,
    /// True while the index holds every topic's current papers.
    ready: RwSignal<bool>,
}

impl RowFilter {
    pub fn new() -> RowFilter {
        RowFilter {
            query: RwSignal::new(String::new()),
            search: RwSignal::new(None),
            only_new: RwSignal::new(false),
            index: StoredValue::new_local(None),
            ready: RwSignal::new(false),
        }
    }

    /// True when some rows may be hidden.
    pub fn is_active(&self) -> bool {
        self.only_new.get()
            || self
                .search
                .with(|s| s.as_ref().is_some_and(|s| s.is_filtered()))
    }

    /// Searches for the query typed, indexing first the topics whose papers changed.
    fn run(&self, state: AppState) {
        let query = self.query.get_untracked();
        if query.trim().is_empty() {
            self.search.set(None);
            return;
        }
        while self.index_one(state) {}
        let answer = self.index.try_update_value(|index| {
            index
                .get_or_insert_with(Index::default)
                .searcher
                .search(&query)
        });
        self.search.set(answer);
    }

    /// Indexes in the background, a topic per task, so typing finds the index ready: started
    /// when the search box gets focus.
    fn prepare(&self, state: AppState) {
        let this = *self;
        spawn_local(async move {
            while this.index_one(state) {
                sleep(0).await;
            }
        });
    }

    /// Brings the index up to date by one topic (dropping those no longer listed); false when
    /// it was already up to date.
    fn index_one(&self, state: AppState) -> bool {
        let current: Vec<(String, Arc<KeywordResults>)> = state.topics.with_untracked(|list| {
            state.results.with_untracked(|map| {
                list.entries()
                    .iter()
                    .filter_map(|e| {
                        let key = results_key(e.id);
                        let results = map.get(&key).cloned()?;
                        Some((key, results))
                    })
                    .collect()
            })
        });
        let more = self.index.try_update_value(|index| {
            let index = index.get_or_insert_with(Index::default);
            index.indexed.retain(|(key, _)| {
                let listed = current.iter().any(|(k, _)| k == key);
                if !listed {
                    index.searcher.remove_topic(key);
                }
                listed
            });
            let stale = current.iter().find(|(key, results)| {
                !index
                    .indexed
                    .iter()
                    .any(|(k, r)| k == key && Arc::ptr_eq(r, results))
            });
            match stale {
                Some((key, results)) => {
                    index.searcher.set_topic(key, &results.papers);
                    index.indexed.retain(|(k, _)| k != key);
                    index.indexed.push((key.clone(), Arc::clone(results)));
                    true
                }
                None => false,
            }
        });
        let more = more.unwrap_or(false);
        if self.ready.get_untracked() == more {
            self.ready.set(!more);
        }
        more
    }
}

impl Default for RowFilter {
    fn default() -> RowFilter {
        RowFilter::new()
    }
}

#[component]
pub fn SearchBox() -> impl IntoView {
    let state = expect_context::<AppState>();
    let filter = expect_context::<RowFilter>();
    // New papers arrived (or a topic went) while searching: the answer follows them.
    Effect::new(move |_| {
        state.results.track();
        state.topics.track();
        filter.ready.set(false);
        if !filter.query.get_untracked().trim().is_empty() {
            filter.run(state);
        }
    });
    let count = move || {
        filter.search.with(|s| {
            s.as_ref()
                .filter(|s| s.is_filtered())
                .map(|s| match s.total() {
                    0 => "No paper matches".to_owned(),
                    1 => "1 paper matches".to_owned(),
                    n => format!("{n} papers match"),
                })
        })
    };
    view! {
        <section class="panel find" aria-label="Find a paper">
            <input
                type="search"
                class="search-papers"
                data-testid="search-papers"
                placeholder="Find a paper: words in title, authors, abstract or comment"
                aria-label="Find a paper"
                data-ready=move || filter.ready.get().then_some("true")
                on:focus=move |_| filter.prepare(state)
                on:input=move |ev| {
                    filter.query.set(event_target_value(&ev));
                    filter.run(state);
                }
            />
            <label class="filter-new">
                <input
                    type="checkbox"
                    data-testid="filter-new"
                    on:change=move |ev| filter.only_new.set(event_target_checked(&ev))
                />
                " Only new and updated"
            </label>
            <span class="search-count" data-testid="search-count" role="status">
                {count}
            </span>
        </section>
    }
}
