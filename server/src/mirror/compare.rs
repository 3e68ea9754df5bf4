//! `--mirror-compare`: how faithfully the mirror answers, measured against live arXiv.
//!
//! Now and then (at most one request per `--mirror-compare` seconds, default
//! [`DEFAULT_EVERY`]) the server asks arXiv's API one of the queries users sent to the mirror,
//! through the same upstream line and spacing as the harvest and proxied queries, and only when
//! no user's query waits in that line. It then compares arXiv's answer with the mirror's for the
//! same parameters ([`compare`]): recall and precision over the papers announced before the last
//! harvest, the agreement of order for the date sorts, the top-10 overlap for relevance. Each
//! paper on one side only is logged with the kind of difference ([`MismatchKind`]); the running
//! figures are part of `GET /api/mirror`.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use daily_papers_core::arxiv::{parse_feed, Paper};
use serde::Serialize;

use super::answer::{answer, Outcome};
use super::harvest::Mirror;
use super::index::SortBy;
use super::record::{format_date, parse_date, split_version};
use crate::proxy::Proxy;
use crate::query_params::{ArxivQuery, Param};

/// One compare request per this long when `--mirror-compare` is given without a value: 144 a
/// day, 0.5 % of the 28,800 requests a day arXiv's 3-second spacing allows.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(600);
/// Distinct user queries kept waiting to be compared (older ones make room for newer).
const SAMPLE: usize = 256;
/// Mismatches kept for `/api/mirror` (all of them are logged).
const RECENT: usize = 20;
/// A compare asks arXiv for at most this many results, whatever the user asked.
const MAX_RESULTS: usize = 100;
/// How often a compare that waits for the users' queries to leave the line looks again.
const YIELD_POLL: Duration = Duration::from_millis(200);

/// Why a paper is on one side only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MismatchKind {
    /// arXiv lists a paper announced or changed after the mirror's last harvest, or one the
    /// mirror does not hold at all.
    HarvestLag,
    /// The mirror holds the paper and the query's words match it on one side only: stemming,
    /// stop words, tokenising (README's differences 2–7).
    Analysis,
    /// As analysis, for a query whose operators group differently depending on the parser
    /// (`a AND b OR c`): arXiv's rewriting may read its form otherwise.
    Parsing,
    /// Both sides match the paper; only their relevance order put it on one page (difference 1).
    Ranking,
}

/// Which side lists the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// arXiv lists it, the mirror does not (a recall miss).
    OnlyArxiv,
    /// The mirror lists it, arXiv does not (a precision miss).
    OnlyMirror,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    pub id: String,
    pub kind: MismatchKind,
    pub side: Side,
}

/// A paper of an answer: its id and the dates the sorts use (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: String,
    pub published: i64,
    pub updated: i64,
}

impl Listed {
    /// From a feed's entry; `None` for an entry without a readable id or dates.
    pub fn from_paper(paper: &Paper) -> Option<Listed> {
        let (_, versioned) = paper.id.rsplit_once("/abs/")?;
        let updated = parse_date(&paper.updated).ok()?;
        Some(Listed {
            id: split_version(versioned).0.to_owned(),
            published: parse_date(&paper.published).unwrap_or(updated),
            updated,
        })
    }

    fn key(&self, sort: SortBy) -> i64 {
        match sort {
            SortBy::Submitted => self.published,
            SortBy::LastUpdated | SortBy::Relevance => self.updated,
        }
    }
}

/// What the mirror knows of a paper on arXiv's side only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    No,
    /// Held, and the mirror's reading of the query does not match it.
    NotMatching,
    /// Held and matching: it was only outside the mirror's page.
    Matching,
}

/// One query's answers side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Of arXiv's papers announced before the harvest, the share the mirror lists.
    pub recall: Option<f64>,
    /// Of the mirror's papers, the share arXiv lists.
    pub precision: Option<f64>,
    /// Date sorts: of the pairs of papers both list, the share in the same order.
    pub order_agreement: Option<f64>,
    /// Relevance: of arXiv's first 10 (announced before the harvest), the share in the mirror's.
    pub top10_overlap: Option<f64>,
    pub mismatches: Vec<Mismatch>,
}

/// What a compare knows besides the two answers.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub sort: SortBy,
    pub descending: bool,
    /// The page size asked for: a page this long may have more behind it.
    pub max_results: usize,
    /// The end of the mirror's last harvest (unix seconds).
    pub harvested_at: i64,
    /// The query's operators group differently depending on the parser.
    pub grouping_matters: bool,
}

/// Compares arXiv's answer with the mirror's for the same query and page.
///
/// Papers arXiv lists that were announced or changed after the harvest are harvest lag and
/// count in no figure. For the date sorts, a full page on one side ends at a date; what the
/// other side lists past that date belongs to the next page and counts in no figure either
/// (papers arXiv added at the top push the same number off the bottom of its page).
pub fn compare(
    context: &Context,
    arxiv: &[Listed],
    mirror: &[Listed],
    mut held: impl FnMut(&str) -> Held,
) -> Comparison {
    let sort = context.sort;
    let mut mismatches = Vec::new();
    let mut current: Vec<&Listed> = Vec::new();
    for paper in arxiv {
        if paper.updated > context.harvested_at || paper.published > context.harvested_at {
            mismatches.push(Mismatch {
                id: paper.id.clone(),
                kind: MismatchKind::HarvestLag,
                side: Side::OnlyArxiv,
            });
        } else {
            current.push(paper);
        }
    }
    let dated = sort != SortBy::Relevance;
    // The last date a full page reaches; a paper past it is on that side's next page.
    let horizon = |page: &[Listed]| -> Option<i64> {
        (dated && page.len() >= context.max_results)
            .then(|| page.last().map(|p| p.key(sort)))
            .flatten()
    };
    let within = |paper: &Listed, horizon: Option<i64>| match horizon {
        None => true,
        Some(edge) if context.descending => paper.key(sort) >= edge,
        Some(edge) => paper.key(sort) <= edge,
    };
    let (arxiv_edge, mirror_edge) = (horizon(arxiv), horizon(mirror));
    let mirror_ids: HashSet<&str> = mirror.iter().map(|p| p.id.as_str()).collect();
    let arxiv_ids: HashSet<&str> = arxiv.iter().map(|p| p.id.as_str()).collect();
    let arxiv_page_full = arxiv.len() >= context.max_results;
    let mirror_page_full = mirror.len() >= context.max_results;
    let differs = if context.grouping_matters {
        MismatchKind::Parsing
    } else {
        MismatchKind::Analysis
    };

    let expected: Vec<&Listed> = current
        .iter()
        .copied()
        .filter(|p| within(p, mirror_edge))
        .collect();
    let mut found = 0usize;
    for paper in &expected {
        if mirror_ids.contains(paper.id.as_str()) {
            found += 1;
            continue;
        }
        let kind = match held(&paper.id) {
            Held::No => MismatchKind::HarvestLag,
            Held::NotMatching => differs,
            Held::Matching if mirror_page_full => MismatchKind::Ranking,
            // It matches, the mirror's page had room, yet it is not there: the mirror's
            // reading of the query still differs (a page past `start`, another order).
            Held::Matching => differs,
        };
        mismatches.push(Mismatch {
            id: paper.id.clone(),
            kind,
            side: Side::OnlyArxiv,
        });
    }
    let listed: Vec<&Listed> = mirror.iter().filter(|p| within(p, arxiv_edge)).collect();
    let mut confirmed = 0usize;
    for paper in &listed {
        if arxiv_ids.contains(paper.id.as_str()) {
            confirmed += 1;
            continue;
        }
        let kind = if !dated && arxiv_page_full {
            MismatchKind::Ranking
        } else {
            differs
        };
        mismatches.push(Mismatch {
            id: paper.id.clone(),
            kind,
            side: Side::OnlyMirror,
        });
    }
    let share = |part: usize, whole: usize| (whole > 0).then(|| part as f64 / whole as f64);
    let order_agreement = dated
        .then(|| order_agreement(&current, mirror, sort))
        .flatten();
    let top10_overlap = (!dated).then(|| top10_overlap(&current, mirror)).flatten();
    Comparison {
        recall: share(found, expected.len()),
        precision: share(confirmed, listed.len()),
        order_agreement,
        top10_overlap,
        mismatches,
    }
}

/// Of the pairs of papers both sides list, the share both put in the same order (Kendall's
/// concordance); a pair with the same date counts as agreeing, as either order is right.
fn order_agreement(arxiv: &[&Listed], mirror: &[Listed], sort: SortBy) -> Option<f64> {
    let position: std::collections::HashMap<&str, usize> = mirror
        .iter()
        .enumerate()
        .map(|(n, p)| (p.id.as_str(), n))
        .collect();
    let common: Vec<(usize, i64)> = arxiv
        .iter()
        .filter_map(|p| position.get(p.id.as_str()).map(|&at| (at, p.key(sort))))
        .collect();
    let mut pairs = 0usize;
    let mut agreeing = 0usize;
    for (i, (at_a, key_a)) in common.iter().enumerate() {
        for (at_b, key_b) in &common[i + 1..] {
            pairs += 1;
            if at_a < at_b || key_a == key_b {
                agreeing += 1;
            }
        }
    }
    (pairs > 0).then(|| agreeing as f64 / pairs as f64)
}

/// Of arXiv's first 10, the share in the mirror's first 10.
fn top10_overlap(arxiv: &[&Listed], mirror: &[Listed]) -> Option<f64> {
    let first: HashSet<&str> = mirror.iter().take(10).map(|p| p.id.as_str()).collect();
    let theirs: Vec<&str> = arxiv.iter().take(10).map(|p| p.id.as_str()).collect();
    let shared = theirs.iter().filter(|id| first.contains(*id)).count();
    (!theirs.is_empty()).then(|| shared as f64 / theirs.len() as f64)
}

/// Running means of one sort order's figures.
#[derive(Debug, Clone, Default)]
struct Totals {
    compared: u64,
    recall: Mean,
    precision: Mean,
    order_agreement: Mean,
    top10_overlap: Mean,
}

#[derive(Debug, Clone, Copy, Default)]
struct Mean {
    sum: f64,
    count: u64,
}

impl Mean {
    fn add(&mut self, value: Option<f64>) {
        if let Some(value) = value {
            self.sum += value;
            self.count += 1;
        }
    }

    fn get(self) -> Option<f64> {
        (self.count > 0).then(|| (self.sum / self.count as f64 * 1000.0).round() / 1000.0)
    }
}

/// One sort order's figures in `/api/mirror`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SortFigures {
    /// Queries compared at this sort.
    pub compared: u64,
    /// Means over those queries (null until a query had something to count).
    pub recall: Option<f64>,
    pub precision: Option<f64>,
    /// Date sorts only.
    pub order_agreement: Option<f64>,
    /// Relevance only.
    pub top10_overlap: Option<f64>,
}

impl From<&Totals> for SortFigures {
    fn from(totals: &Totals) -> Self {
        SortFigures {
            compared: totals.compared,
            recall: totals.recall.get(),
            precision: totals.precision.get(),
            order_agreement: totals.order_agreement.get(),
            top10_overlap: totals.top10_overlap.get(),
        }
    }
}

/// Mismatches counted by kind.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Kinds {
    pub harvest_lag: u64,
    pub analysis: u64,
    pub parsing: u64,
    pub ranking: u64,
}

/// A mismatch as `/api/mirror` lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Logged {
    pub query: String,
    #[serde(flatten)]
    pub mismatch: Mismatch,
}

/// `fidelity` in `/api/mirror`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figures {
    /// Seconds between compare requests: the most this costs arXiv.
    pub compare_every_seconds: u64,
    /// Queries compared so far (since the server started).
    pub compared: u64,
    /// When the last compare ran, RFC 3339.
    pub last_compared_at: Option<String>,
    /// User queries waiting to be compared.
    pub queries_sampled: usize,
    pub relevance: SortFigures,
    #[serde(rename = "lastUpdatedDate")]
    pub last_updated_date: SortFigures,
    #[serde(rename = "submittedDate")]
    pub submitted_date: SortFigures,
    pub mismatches: Kinds,
    /// The latest mismatches, newest last.
    pub recent_mismatches: Vec<Logged>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Distinct user queries not compared yet, oldest first.
    pending: VecDeque<ArxivQuery>,
    /// Queries already sampled (compared or waiting), so each is asked once.
    seen: HashSet<String>,
    compared: u64,
    last_at: Option<i64>,
    /// Relevance, lastUpdatedDate, submittedDate.
    totals: [Totals; 3],
    kinds: Kinds,
    recent: VecDeque<Logged>,
}

/// The compare's sample of user queries and its running figures, shared by the query handler
/// (which samples), the compare task and `/api/mirror`.
#[derive(Debug)]
pub struct Fidelity {
    /// `None`: `--mirror-compare` is off; nothing is sampled or asked.
    every: Option<Duration>,
    inner: Mutex<Inner>,
}

fn slot(sort: SortBy) -> usize {
    match sort {
        SortBy::Relevance => 0,
        SortBy::LastUpdated => 1,
        SortBy::Submitted => 2,
    }
}

impl Fidelity {
    pub fn new(every: Option<Duration>) -> Fidelity {
        Fidelity {
            every,
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn every(&self) -> Option<Duration> {
        self.every
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Notes a query the mirror answered, as a candidate for comparing (searches only: an
    /// `id_list` alone has nothing to measure).
    pub fn sample(&self, query: &ArxivQuery) {
        if self.every.is_none()
            || query
                .get(Param::SearchQuery)
                .is_none_or(|q| q.trim().is_empty())
        {
            return;
        }
        let mut inner = self.lock();
        if inner.seen.len() >= 64 * SAMPLE {
            // Forget what was compared long ago rather than grow without bound.
            let waiting: HashSet<String> = inner
                .pending
                .iter()
                .map(|q| q.encoded().to_owned())
                .collect();
            inner.seen = waiting;
        }
        if !inner.seen.insert(query.encoded().to_owned()) {
            return;
        }
        if inner.pending.len() >= SAMPLE {
            inner.pending.pop_front();
        }
        inner.pending.push_back(query.clone());
    }

    fn next_query(&self) -> Option<ArxivQuery> {
        self.lock().pending.pop_front()
    }

    fn record(&self, query: &str, sort: SortBy, comparison: &Comparison, now: i64) {
        let mut inner = self.lock();
        inner.compared += 1;
        inner.last_at = Some(now);
        let totals = &mut inner.totals[slot(sort)];
        totals.compared += 1;
        totals.recall.add(comparison.recall);
        totals.precision.add(comparison.precision);
        totals.order_agreement.add(comparison.order_agreement);
        totals.top10_overlap.add(comparison.top10_overlap);
        for mismatch in &comparison.mismatches {
            let count = match mismatch.kind {
                MismatchKind::HarvestLag => &mut inner.kinds.harvest_lag,
                MismatchKind::Analysis => &mut inner.kinds.analysis,
                MismatchKind::Parsing => &mut inner.kinds.parsing,
                MismatchKind::Ranking => &mut inner.kinds.ranking,
            };
            *count += 1;
            if inner.recent.len() >= RECENT {
                inner.recent.pop_front();
            }
            inner.recent.push_back(Logged {
                query: query.to_owned(),
                mismatch: mismatch.clone(),
            });
        }
    }

    /// The figures for `/api/mirror`; `None` when `--mirror-compare` is off.
    pub fn figures(&self) -> Option<Figures> {
        let every = self.every?;
        let inner = self.lock();
        Some(Figures {
            compare_every_seconds: every.as_secs(),
            compared: inner.compared,
            last_compared_at: inner.last_at.map(format_date),
            queries_sampled: inner.pending.len(),
            relevance: (&inner.totals[0]).into(),
            last_updated_date: (&inner.totals[1]).into(),
            submitted_date: (&inner.totals[2]).into(),
            mismatches: inner.kinds.clone(),
            recent_mismatches: inner.recent.iter().cloned().collect(),
        })
    }
}

/// The query a compare sends: the user's search, sort and page start, at most
/// [`MAX_RESULTS`] results.
fn compare_query(query: &ArxivQuery) -> Option<ArxivQuery> {
    let max_results = query
        .get(Param::MaxResults)
        .and_then(|m| m.parse::<usize>().ok())
        .unwrap_or(super::answer::DEFAULT_MAX_RESULTS)
        .min(MAX_RESULTS)
        .to_string();
    let mut raw = form_urlencoded::Serializer::new(String::new());
    for param in [
        Param::SearchQuery,
        Param::IdList,
        Param::SortBy,
        Param::SortOrder,
        Param::Start,
    ] {
        if let Some(value) = query.get(param) {
            raw.append_pair(param.name(), value);
        }
    }
    raw.append_pair(Param::MaxResults.name(), &max_results);
    ArxivQuery::parse(Some(&raw.finish())).ok()
}

fn sort_of(query: &ArxivQuery) -> (SortBy, bool) {
    let sort = match query.get(Param::SortBy) {
        Some("lastUpdatedDate") => SortBy::LastUpdated,
        Some("submittedDate") => SortBy::Submitted,
        _ => SortBy::Relevance,
    };
    (sort, query.get(Param::SortOrder) != Some("ascending"))
}

fn sort_name(sort: SortBy) -> &'static str {
    match sort {
        SortBy::Relevance => "relevance",
        SortBy::LastUpdated => "lastUpdatedDate",
        SortBy::Submitted => "submittedDate",
    }
}

fn listed(papers: &[Paper]) -> Vec<Listed> {
    papers.iter().filter_map(Listed::from_paper).collect()
}

/// Compares arXiv's `body` for `query` with the mirror's own answer, now.
fn against_mirror(mirror: &Mirror, query: &ArxivQuery, body: &[u8]) -> Result<Comparison, String> {
    let arxiv = parse_feed(body).map_err(|e| format!("arXiv's answer not read: {e}"))?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let harvested_at = mirror
        .state()
        .harvested_at
        .ok_or("the mirror has no complete harvest")?;
    let ours = match answer(&mirror.store, query, now) {
        Ok(Outcome::Feed(feed)) => {
            parse_feed(feed.as_bytes()).map_err(|e| format!("the mirror's answer not read: {e}"))?
        }
        Ok(Outcome::Error(_)) => return Err("the mirror answers an error entry".into()),
        Err(reason) => return Err(format!("the mirror does not answer it: {reason}")),
    };
    let search = query.get(Param::SearchQuery).unwrap_or("");
    let node = super::query::parse(search).map_err(|e| e.to_string())?;
    let tantivy_query = mirror.store.query_for(&node);
    let (sort, descending) = sort_of(query);
    let context = Context {
        sort,
        descending,
        max_results: query
            .get(Param::MaxResults)
            .and_then(|m| m.parse().ok())
            .unwrap_or(super::answer::DEFAULT_MAX_RESULTS),
        harvested_at,
        grouping_matters: super::query::grouping_matters(search),
    };
    let held = |id: &str| match mirror.store.matches(tantivy_query.as_ref(), id) {
        Ok(Some(true)) => Held::Matching,
        Ok(Some(false)) => Held::NotMatching,
        Ok(None) | Err(_) => Held::No,
    };
    Ok(compare(
        &context,
        &listed(&arxiv.papers),
        &listed(&ours.papers),
        held,
    ))
}

/// Runs the compares for ever: one per `every`, each after the users' queries in the line.
pub async fn run(mirror: Arc<Mirror>, proxy: Arc<Proxy>) {
    let Some(every) = mirror.fidelity.every() else {
        return;
    };
    loop {
        tokio::time::sleep(every).await;
        if !mirror.ready() {
            continue;
        }
        let Some(query) = mirror
            .fidelity
            .next_query()
            .as_ref()
            .and_then(compare_query)
        else {
            continue;
        };
        // Users first: a compare only joins an empty line (and gives up for this round).
        let deadline = tokio::time::Instant::now() + every;
        while !proxy.line_is_empty() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(YIELD_POLL).await;
        }
        if !proxy.line_is_empty() {
            tracing::info!(
                query = query.encoded(),
                "fidelity compare skipped: users' queries wait"
            );
            continue;
        }
        let answer = match proxy
            .fetch_url(proxy.upstream_url(&query), crate::upstream::ACCEPT)
            .await
        {
            Ok(answer) if answer.status.is_success() => answer,
            Ok(answer) => {
                tracing::warn!(
                    status = answer.status.as_u16(),
                    "fidelity compare: arXiv answered an error status"
                );
                continue;
            }
            Err(error) => {
                tracing::warn!(%error, "fidelity compare: arXiv did not answer");
                continue;
            }
        };
        let (compared, asked) = (Arc::clone(&mirror), query.clone());
        let result =
            tokio::task::spawn_blocking(move || against_mirror(&compared, &asked, &answer.body))
                .await;
        let comparison = match result {
            Ok(Ok(comparison)) => comparison,
            Ok(Err(reason)) => {
                tracing::info!(query = query.encoded(), %reason, "fidelity compare not counted");
                continue;
            }
            Err(error) => {
                tracing::warn!(%error, "fidelity compare failed");
                continue;
            }
        };
        let (sort, _) = sort_of(&query);
        for mismatch in &comparison.mismatches {
            tracing::info!(
                query = query.encoded(),
                sort = sort_name(sort),
                id = %mismatch.id,
                kind = ?mismatch.kind,
                side = ?mismatch.side,
                "fidelity mismatch"
            );
        }
        tracing::info!(
            query = query.encoded(),
            sort = sort_name(sort),
            recall = ?comparison.recall,
            precision = ?comparison.precision,
            order_agreement = ?comparison.order_agreement,
            top10_overlap = ?comparison.top10_overlap,
            "fidelity compared"
        );
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        mirror
            .fidelity
            .record(query.encoded(), sort, &comparison, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(id: &str, published: i64, updated: i64) -> Listed {
        Listed {
            id: id.to_owned(),
            published,
            updated,
        }
    }

    fn context(sort: SortBy, max_results: usize) -> Context {
        Context {
            sort,
            descending: true,
            max_results,
            harvested_at: 1_000,
            grouping_matters: false,
        }
    }

    #[test]
    fn the_same_answer_agrees_in_every_figure() {
        let page = vec![
            paper("a", 900, 950),
            paper("b", 800, 800),
            paper("c", 700, 900),
        ];
        let got = compare(&context(SortBy::Submitted, 10), &page, &page, |_| {
            Held::Matching
        });
        assert_eq!(got.recall, Some(1.0));
        assert_eq!(got.precision, Some(1.0));
        assert_eq!(got.order_agreement, Some(1.0));
        assert_eq!(got.top10_overlap, None);
        assert!(got.mismatches.is_empty());
    }

    #[test]
    fn a_paper_newer_than_the_harvest_is_lag_and_counts_in_no_figure() {
        // arXiv's full page starts with a paper announced after the harvest and so ends one
        // paper earlier than the mirror's.
        let arxiv = vec![
            paper("new", 1_200, 1_200),
            paper("a", 900, 900),
            paper("b", 800, 800),
        ];
        let mirror = vec![
            paper("a", 900, 900),
            paper("b", 800, 800),
            paper("c", 700, 700),
        ];
        let got = compare(&context(SortBy::Submitted, 3), &arxiv, &mirror, |_| {
            Held::No
        });
        assert_eq!(got.recall, Some(1.0));
        assert_eq!(got.precision, Some(1.0), "c is on arXiv's next page");
        assert_eq!(
            got.mismatches,
            vec![Mismatch {
                id: "new".into(),
                kind: MismatchKind::HarvestLag,
                side: Side::OnlyArxiv
            }]
        );
    }

    #[test]
    fn mismatches_are_told_apart_by_what_the_mirror_holds() {
        let arxiv = vec![
            paper("a", 900, 900),
            paper("gone", 850, 850),
            paper("stem", 800, 800),
        ];
        let mirror = vec![paper("a", 900, 900), paper("extra", 820, 820)];
        let held = |id: &str| {
            if id == "gone" {
                Held::No
            } else {
                Held::NotMatching
            }
        };
        let got = compare(&context(SortBy::LastUpdated, 10), &arxiv, &mirror, held);
        assert_eq!(got.recall, Some(1.0 / 3.0));
        assert_eq!(got.precision, Some(0.5));
        let kinds: Vec<(&str, MismatchKind, Side)> = got
            .mismatches
            .iter()
            .map(|m| (m.id.as_str(), m.kind, m.side))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("gone", MismatchKind::HarvestLag, Side::OnlyArxiv),
                ("stem", MismatchKind::Analysis, Side::OnlyArxiv),
                ("extra", MismatchKind::Analysis, Side::OnlyMirror),
            ]
        );
        let mut mixed = context(SortBy::LastUpdated, 10);
        mixed.grouping_matters = true;
        let got = compare(&mixed, &arxiv, &mirror, held);
        assert_eq!(got.mismatches[1].kind, MismatchKind::Parsing);
    }

    #[test]
    fn order_agreement_counts_pairs_in_the_same_order() {
        let arxiv = vec![
            paper("a", 4, 4),
            paper("b", 3, 3),
            paper("c", 2, 2),
            paper("d", 1, 1),
        ];
        let mirror = vec![
            paper("b", 3, 3),
            paper("a", 4, 4),
            paper("c", 2, 2),
            paper("d", 1, 1),
        ];
        let got = compare(&context(SortBy::Submitted, 10), &arxiv, &mirror, |_| {
            Held::Matching
        });
        assert_eq!(got.order_agreement, Some(5.0 / 6.0));
        // The same date: either order is right.
        let arxiv = vec![paper("a", 4, 4), paper("b", 4, 4)];
        let mirror = vec![paper("b", 4, 4), paper("a", 4, 4)];
        let got = compare(&context(SortBy::Submitted, 10), &arxiv, &mirror, |_| {
            Held::Matching
        });
        assert_eq!(got.order_agreement, Some(1.0));
    }

    #[test]
    fn relevance_counts_the_top_10_and_calls_page_cuts_ranking() {
        let arxiv: Vec<Listed> = (0..20).map(|n| paper(&format!("p{n}"), 10, 10)).collect();
        let mirror: Vec<Listed> = (5..25).map(|n| paper(&format!("p{n}"), 10, 10)).collect();
        let got = compare(&context(SortBy::Relevance, 20), &arxiv, &mirror, |_| {
            Held::Matching
        });
        assert_eq!(got.top10_overlap, Some(0.5), "p5..p9 of arXiv's first 10");
        assert_eq!(got.recall, Some(0.75));
        assert_eq!(got.order_agreement, None);
        assert!(got
            .mismatches
            .iter()
            .all(|m| m.kind == MismatchKind::Ranking));
    }

    #[test]
    fn the_compare_asks_at_most_100_results_of_the_same_search() {
        let user = ArxivQuery::parse(Some(
            "search_query=ti:graph&sortBy=submittedDate&sortOrder=descending&max_results=2000",
        ))
        .unwrap();
        let asked = compare_query(&user).unwrap();
        assert_eq!(asked.get(Param::MaxResults), Some("100"));
        assert_eq!(asked.get(Param::SearchQuery), Some("ti:graph"));
        assert_eq!(asked.get(Param::SortBy), Some("submittedDate"));
    }

    #[test]
    fn only_searches_are_sampled_each_once_and_only_when_comparing() {
        let query = |raw: &str| ArxivQuery::parse(Some(raw)).unwrap();
        let off = Fidelity::new(None);
        off.sample(&query("search_query=ti:a"));
        assert!(off.next_query().is_none());
        assert!(off.figures().is_none());
        let on = Fidelity::new(Some(DEFAULT_EVERY));
        on.sample(&query("search_query=ti:a"));
        on.sample(&query("search_query=ti:a"));
        on.sample(&query("id_list=2202.12139"));
        assert_eq!(on.figures().unwrap().queries_sampled, 1);
        assert!(on.next_query().is_some());
        assert!(on.next_query().is_none());
    }
}
