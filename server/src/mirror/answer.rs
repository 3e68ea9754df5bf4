//! Answers one `/api/query` request from the index, as arXiv would: the same parameters, limits,
//! defaults and error entries. What the mirror cannot answer faithfully is said so
//! ([`NotAnswered`]) and goes to arXiv instead.

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Order, Term};

use super::atom::{self, FeedInfo};
use super::index::{SortBy, Store};
use super::query::{self, Unsupported};
use super::record::{is_arxiv_id, split_version, Record};
use crate::query_params::{ArxivQuery, Param};

/// arXiv's default page size.
pub const DEFAULT_MAX_RESULTS: usize = 10;
/// arXiv pages through at most this many results (`start + max_results`).
pub const MAX_WINDOW: usize = 30_000;

/// A mirror answer: a feed (200) or arXiv's error entry (400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Feed(String),
    Error(String),
}

/// Why the mirror leaves a query to arXiv.
#[derive(Debug)]
pub enum NotAnswered {
    Query(Unsupported),
    /// An `id_list` entry names a version older than the one held.
    OldVersion(String),
    /// `sortBy=relevance&sortOrder=ascending`.
    AscendingRelevance,
    Index(tantivy::TantivyError),
}

impl std::fmt::Display for NotAnswered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotAnswered::Query(u) => u.fmt(f),
            NotAnswered::OldVersion(id) => write!(f, "asks for an older version ({id})"),
            NotAnswered::AscendingRelevance => f.write_str("relevance in ascending order"),
            NotAnswered::Index(e) => write!(f, "index error: {e}"),
        }
    }
}

/// Answers `query` from `store` at time `now` (unix seconds).
pub fn answer(store: &Store, query: &ArxivQuery, now: i64) -> Result<Outcome, NotAnswered> {
    let search = query.get(Param::SearchQuery).unwrap_or("").trim();
    let id_list = query.get(Param::IdList).unwrap_or("").trim();
    let start: usize = query
        .get(Param::Start)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let max_results: usize = query
        .get(Param::MaxResults)
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_MAX_RESULTS);
    let sort = match query.get(Param::SortBy) {
        Some("lastUpdatedDate") => SortBy::LastUpdated,
        Some("submittedDate") => SortBy::Submitted,
        _ => SortBy::Relevance,
    };
    let order = match query.get(Param::SortOrder) {
        Some("ascending") => Order::Asc,
        _ => Order::Desc,
    };
    let echo =
        format!("search_query={search}&id_list={id_list}&start={start}&max_results={max_results}");
    if start.saturating_add(max_results) > MAX_WINDOW {
        return Ok(Outcome::Error(atom::error(
            &format!("start + max_results may not exceed {MAX_WINDOW}; narrow the query"),
            now,
        )));
    }
    if sort == SortBy::Relevance && order == Order::Asc {
        return Err(NotAnswered::AscendingRelevance);
    }
    let mut ids: Vec<(String, Option<u32>)> = Vec::new();
    for raw in id_list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (id, version) = split_version(raw);
        if !is_arxiv_id(id) {
            return Ok(Outcome::Error(atom::error(
                &format!("incorrect id format for {raw}"),
                now,
            )));
        }
        ids.push((id.to_owned(), version));
    }
    let info = |total: usize| FeedInfo {
        echo: &echo,
        now,
        per_page: max_results,
        total,
        start,
    };
    if search.is_empty() {
        // id_list alone: the papers in the order asked for.
        let mut found: Vec<Record> = Vec::new();
        for (id, version) in &ids {
            if let Some(record) = store.get(id).map_err(NotAnswered::Index)? {
                if version.is_some_and(|v| v != record.latest_version()) {
                    return Err(NotAnswered::OldVersion(format!(
                        "{id}v{}",
                        version.unwrap_or(0)
                    )));
                }
                found.push(record);
            }
        }
        let total = found.len();
        let page: Vec<Record> = found.into_iter().skip(start).take(max_results).collect();
        return Ok(Outcome::Feed(atom::feed(&info(total), &page)));
    }
    let node = query::parse(search).map_err(NotAnswered::Query)?;
    let mut tantivy_query: Box<dyn Query> = store.query_for(&node);
    if !ids.is_empty() {
        if ids.iter().any(|(_, v)| v.is_some()) {
            return Err(NotAnswered::OldVersion(
                "a versioned id with a search".into(),
            ));
        }
        let any_id: Vec<(Occur, Box<dyn Query>)> = ids
            .iter()
            .map(|(id, _)| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(store.fields.id, &id.to_lowercase()),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                )
            })
            .collect();
        tantivy_query = Box::new(BooleanQuery::new(vec![
            (Occur::Must, tantivy_query),
            (Occur::Must, Box::new(BooleanQuery::new(any_id))),
        ]));
    }
    let hits = store
        .search(tantivy_query.as_ref(), sort, order, start, max_results)
        .map_err(NotAnswered::Index)?;
    Ok(Outcome::Feed(atom::feed(&info(hits.total), &hits.records)))
}
