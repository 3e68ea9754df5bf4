//! Test doubles for the mirror: a fake arXiv on 127.0.0.1 that serves OAI-PMH `ListRecords`
//! pages in `arXivRaw` (with resumption tokens and `from=` increments) and the API, recording
//! every request it gets on either with its start and end; and `arXivRaw` records made from the
//! real API answers in `core/tests/fixtures/arxiv/`.

#![allow(dead_code)] // each test file uses a different part of this module

use std::collections::HashMap;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use daily_papers_core::arxiv::{parse_feed, Paper};
use tokio::net::TcpListener;
use tokio::time::Instant;

pub const FIXTURES: [&[u8]; 4] = [
    include_bytes!("../../../core/tests/fixtures/arxiv/search-100-entries.xml"),
    include_bytes!("../../../core/tests/fixtures/arxiv/search-10-entries.xml"),
    include_bytes!("../../../core/tests/fixtures/arxiv/single-entry.xml"),
    include_bytes!("../../../core/tests/fixtures/arxiv/old-style-id.xml"),
];

pub const API_FEED: &[u8] =
    include_bytes!("../../../core/tests/fixtures/arxiv/search-10-entries.xml");

/// Every distinct paper of the real answers, in fixture order.
pub fn fixture_papers() -> Vec<Paper> {
    let mut seen = std::collections::HashSet::new();
    let mut papers = Vec::new();
    for bytes in FIXTURES {
        for paper in parse_feed(bytes).unwrap().papers {
            if seen.insert(paper.id.clone()) {
                papers.push(paper);
            }
        }
    }
    papers
}

/// `http://arxiv.org/abs/2202.12139v3` → (`2202.12139`, 3).
pub fn id_and_version(entry_id: &str) -> (String, u32) {
    let id = entry_id.rsplit_once("/abs/").unwrap().1;
    let at = id.rfind('v').unwrap();
    (id[..at].to_owned(), id[at + 1..].parse().unwrap())
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// RFC 2822, as arXivRaw writes version dates: `Thu, 24 Feb 2022 15:05:19 GMT`.
pub fn rfc2822(iso: &str) -> String {
    let date =
        time::OffsetDateTime::parse(iso, &time::format_description::well_known::Rfc3339).unwrap();
    let weekday = &date.weekday().to_string()[..3];
    let month = &date.month().to_string()[..3];
    format!(
        "{weekday}, {} {month} {} {:02}:{:02}:{:02} GMT",
        date.day(),
        date.year(),
        date.hour(),
        date.minute(),
        date.second()
    )
}

/// The `arXivRaw` record of a paper as the API showed it: v1 at `published`, the latest version
/// at `updated`, versions between at `published` too.
pub fn raw_record(paper: &Paper, datestamp: &str) -> String {
    let (id, latest) = id_and_version(&paper.id);
    let mut versions = String::new();
    for n in 1..=latest {
        let date = if n == latest && n > 1 {
            &paper.updated
        } else {
            &paper.published
        };
        versions.push_str(&format!(
            "<version version=\"v{n}\"><date>{}</date><size>100kb</size><source_type>D</source_type></version>\n",
            rfc2822(date)
        ));
    }
    let optional = |name: &str, value: &str| {
        if value.is_empty() {
            String::new()
        } else {
            format!("<{name}>{}</{name}>\n", xml(value))
        }
    };
    format!(
        "<record><header><identifier>oai:arXiv.org:{id}</identifier><datestamp>{datestamp}</datestamp><setSpec>cs</setSpec></header>\n<metadata><arXivRaw xmlns=\"http://arxiv.org/OAI/arXivRaw/\">\n<id>{id}</id><submitter>Someone</submitter>\n{versions}<title>{}</title>\n<authors>{}</authors>\n<categories>{}</categories>\n{}{}{}<license/>\n<abstract>{}</abstract>\n</arXivRaw></metadata></record>\n",
        xml(&paper.title),
        xml(&paper.authors.join(", ")),
        xml(&paper.categories.join(" ")),
        optional("comments", &paper.comment),
        optional("journal-ref", &paper.journal_ref),
        optional("doi", &paper.doi),
        xml(&paper.abstract_text),
    )
}

/// A deleted record's header.
pub fn deleted_record(id: &str, datestamp: &str) -> String {
    format!("<record><header status=\"deleted\"><identifier>oai:arXiv.org:{id}</identifier><datestamp>{datestamp}</datestamp></header></record>\n")
}

/// One `ListRecords` page around `records`, with `token` to continue (none: the last page).
pub fn page(records: &[String], token: Option<&str>) -> String {
    let token = match token {
        Some(t) => format!("<resumptionToken cursor=\"0\">{t}</resumptionToken>"),
        None => "<resumptionToken cursor=\"0\"/>".to_owned(),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>2026-12-07T00:00:00Z</responseDate><request verb=\"ListRecords\">http://fake/oai</request>\n<ListRecords>\n{}{token}\n</ListRecords></OAI-PMH>\n",
        records.concat()
    )
}

/// One request the fake received (OAI or API).
#[derive(Debug, Clone)]
pub struct Call {
    pub path: &'static str,
    pub query: String,
    pub started: Instant,
    pub ended: Instant,
}

#[derive(Default)]
pub struct FakeState {
    /// Record pages per `from=` value (`""`: no `from`, the first harvest).
    pub lists: Mutex<HashMap<String, Vec<Vec<String>>>>,
    pub calls: Mutex<Vec<Call>>,
    /// How long each answer takes.
    pub delay: Mutex<Duration>,
    pub active: Mutex<usize>,
    pub max_active: Mutex<usize>,
    /// API answers: the first whose key the request's query contains (default: `API_FEED`).
    pub api_answers: Mutex<Vec<(String, String)>>,
}

/// The fake arXiv: `/oai` and `/api/query`.
pub struct FakeUpstream {
    pub addr: SocketAddr,
    pub state: Arc<FakeState>,
}

impl FakeUpstream {
    pub async fn start() -> FakeUpstream {
        let state = Arc::new(FakeState::default());
        let router = Router::new()
            .route("/oai", axum::routing::get(oai))
            .route("/api/query", axum::routing::get(api))
            .with_state(Arc::clone(&state));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).into_future().await;
        });
        FakeUpstream { addr, state }
    }

    /// Serves `pages` of records for a list asked `from` (`""`: the first harvest).
    pub fn set_list(&self, from: &str, pages: Vec<Vec<String>>) {
        self.state
            .lists
            .lock()
            .unwrap()
            .insert(from.to_owned(), pages);
    }

    /// Answers API requests whose query contains `key` with `feed`.
    pub fn set_api_answer(&self, key: &str, feed: String) {
        self.state
            .api_answers
            .lock()
            .unwrap()
            .push((key.to_owned(), feed));
    }

    pub fn set_delay(&self, delay: Duration) {
        *self.state.delay.lock().unwrap() = delay;
    }

    pub fn oai_url(&self) -> String {
        format!("http://{}/oai", self.addr)
    }

    pub fn api_url(&self) -> String {
        format!("http://{}/api/query", self.addr)
    }

    /// Every request so far, in the order they started.
    pub fn calls(&self) -> Vec<Call> {
        let mut calls = self.state.calls.lock().unwrap().clone();
        calls.sort_by_key(|c| c.started);
        calls
    }

    pub fn max_active(&self) -> usize {
        *self.state.max_active.lock().unwrap()
    }
}

async fn begin(state: &FakeState) -> Instant {
    let started = Instant::now();
    {
        let mut active = state.active.lock().unwrap();
        *active += 1;
        let mut max = state.max_active.lock().unwrap();
        *max = (*max).max(*active);
    }
    let delay = *state.delay.lock().unwrap();
    tokio::time::sleep(delay).await;
    started
}

fn end(state: &FakeState, path: &'static str, query: String, started: Instant) {
    *state.active.lock().unwrap() -= 1;
    state.calls.lock().unwrap().push(Call {
        path,
        query,
        started,
        ended: Instant::now(),
    });
}

async fn oai(State(state): State<Arc<FakeState>>, RawQuery(query): RawQuery) -> Response {
    let started = begin(&state).await;
    let query = query.unwrap_or_default();
    let params: HashMap<String, String> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    // Tokens are `<from>|<page>`.
    let (from, index) = match params.get("resumptionToken") {
        Some(token) => {
            let (from, n) = token.rsplit_once('|').unwrap();
            (from.to_owned(), n.parse::<usize>().unwrap())
        }
        None => (params.get("from").cloned().unwrap_or_default(), 0),
    };
    let body = {
        let lists = state.lists.lock().unwrap();
        match lists.get(&from) {
            Some(pages) if index < pages.len() => {
                let token = (index + 1 < pages.len()).then(|| format!("{from}|{}", index + 1));
                page(&pages[index], token.as_deref())
            }
            _ => "<?xml version=\"1.0\"?><OAI-PMH><error code=\"noRecordsMatch\">none</error></OAI-PMH>".to_owned(),
        }
    };
    end(&state, "/oai", query, started);
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

async fn api(State(state): State<Arc<FakeState>>, RawQuery(query): RawQuery) -> Response {
    let started = begin(&state).await;
    let query = query.unwrap_or_default();
    let body = state
        .api_answers
        .lock()
        .unwrap()
        .iter()
        .find(|(key, _)| query.contains(key.as_str()))
        .map_or_else(|| API_FEED.to_vec(), |(_, feed)| feed.clone().into_bytes());
    end(&state, "/api/query", query, started);
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/atom+xml; charset=UTF-8")],
        body,
    )
        .into_response()
}

/// An API answer listing `papers` in this order, in arXiv's layout.
pub fn api_feed(papers: &[Paper]) -> String {
    let mut entries = String::new();
    for paper in papers {
        let authors: String = paper
            .authors
            .iter()
            .map(|a| format!("<author><name>{}</name></author>", xml(a)))
            .collect();
        let categories: String = paper
            .categories
            .iter()
            .map(|c| {
                format!(
                    "<category term=\"{}\" scheme=\"http://arxiv.org/schemas/atom\"/>",
                    xml(c)
                )
            })
            .collect();
        entries.push_str(&format!(
            "<entry><id>{id}</id><title>{title}</title><updated>{updated}</updated><link href=\"{id}\" rel=\"alternate\" type=\"text/html\"/><summary>{summary}</summary>{categories}<published>{published}</published>{authors}</entry>\n",
            id = paper.id,
            title = xml(&paper.title),
            updated = paper.updated,
            summary = xml(&paper.abstract_text),
            published = paper.published,
        ));
    }
    format!(
        "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\" xmlns=\"http://www.w3.org/2005/Atom\"><id>https://arxiv.org/api/fake</id><title>arXiv Query</title><updated>2026-12-07T00:00:00Z</updated><opensearch:itemsPerPage>{n}</opensearch:itemsPerPage><opensearch:totalResults>{n}</opensearch:totalResults><opensearch:startIndex>0</opensearch:startIndex>\n{entries}</feed>\n",
        n = papers.len()
    )
}

/// Waits until `condition` holds, failing the test after `limit`.
pub async fn until_within(limit: Duration, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !condition() {
        assert!(Instant::now() < deadline, "gave up waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
