//! The mirror against a fake arXiv serving OAI-PMH and the API on loopback: the first harvest,
//! answers in arXiv's own Atom read back field by field by the app's feed parser, increments
//! with updates and deletions, damaged pages, the shared spacing, and what goes to arXiv.

mod common;
mod mirror_support;

use std::time::Duration;

use common::{header, settings, TestServer};
use daily_papers_core::arxiv::{parse_feed, FeedError, Paper};
use mirror_support::{
    deleted_record, fixture_papers, id_and_version, raw_record, until_within, FakeUpstream,
};

const SPACING: Duration = Duration::from_millis(300);

async fn mirror_server(fake: &FakeUpstream, dir: &std::path::Path, interval: &str) -> TestServer {
    let (api, oai) = (fake.api_url(), fake.oai_url());
    let dir = dir.to_str().unwrap();
    TestServer::start(settings(&[
        "--upstream",
        &api,
        "--oai-upstream",
        &oai,
        "--spacing-ms",
        "300",
        "--mirror",
        dir,
        "--mirror-interval",
        interval,
    ]))
    .await
}

async fn status(server: &TestServer) -> serde_json::Value {
    let response = server.get("/api/mirror").await;
    assert_eq!(response.status(), 200);
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

async fn wait_ready(server: &TestServer) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if status(server).await["ready"] == true {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the mirror never became ready"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn bare_id(paper: &Paper) -> String {
    id_and_version(&paper.id).0
}

/// The papers of an `id_list` answer, and the answer's headers.
async fn ids_answer(
    server: &TestServer,
    ids: &[String],
) -> (reqwest::header::HeaderMap, Vec<Paper>) {
    let url = format!(
        "/api/query?id_list={}&max_results=2000",
        ids.join(",").replace('/', "%2F")
    );
    let response = server.get(&url).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    (headers, parse_feed(&bytes).unwrap().papers)
}

fn value<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_harvest_answers_every_fixture_paper_as_arxiv_did() {
    let papers = fixture_papers();
    assert!(papers.len() > 100, "{}", papers.len());
    let fake = FakeUpstream::start().await;
    let records: Vec<String> = papers.iter().map(|p| raw_record(p, "2026-12-01")).collect();
    let pages: Vec<Vec<String>> = records.chunks(40).map(<[String]>::to_vec).collect();
    assert_eq!(pages.len(), 3);
    fake.set_list("", pages);
    let dir = tempfile::tempdir().unwrap();
    let server = mirror_server(&fake, dir.path(), "3600").await;
    wait_ready(&server).await;

    let ids: Vec<String> = papers.iter().map(bare_id).collect();
    let (headers, answered) = ids_answer(&server, &ids).await;
    assert_eq!(value(&headers, "x-source"), Some("mirror"));
    assert!(value(&headers, "x-mirror-harvested-at").is_some_and(|h| h.ends_with('Z')));
    assert_eq!(answered.len(), papers.len());
    for (got, want) in answered.iter().zip(&papers) {
        assert_eq!(got, want, "paper {}", want.id);
    }
    // Nothing went to the API: everything came from the harvest (3 pages).
    let calls = fake.calls();
    assert!(calls.iter().all(|c| c.path == "/oai"), "{calls:?}");
    assert_eq!(calls.len(), 3);
    assert!(
        calls[0].query.contains("metadataPrefix=arXivRaw"),
        "{}",
        calls[0].query
    );
    assert!(
        calls[1].query.contains("resumptionToken="),
        "{}",
        calls[1].query
    );

    let status = status(&server).await;
    assert_eq!(status["papers"], papers.len());
    assert_eq!(status["ready"], true);
    assert!(status["harvested_at"].as_str().is_some());
    assert!(status["lag_seconds"].as_i64().is_some_and(|lag| lag >= 0));
    assert_eq!(status["pages_harvested"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn increments_apply_updates_and_deletions_idempotently() {
    let papers = fixture_papers();
    let (a, b, c) = (&papers[0], &papers[1], &papers[2]);
    let fake = FakeUpstream::start().await;
    fake.set_list(
        "",
        vec![vec![
            raw_record(a, "2026-12-01"),
            raw_record(b, "2026-12-02"),
            raw_record(c, "2026-12-02"),
        ]],
    );
    let mut revised = a.clone();
    let (id, version) = id_and_version(&a.id);
    revised.id = format!("http://arxiv.org/abs/{id}v{}", version + 1);
    revised.title = "A revised title about graphs".into();
    revised.updated = "2026-12-05T10:00:00Z".into();
    revised.abs_link = format!("https://arxiv.org/abs/{id}v{}", version + 1);
    revised.pdf_link = format!("https://arxiv.org/pdf/{id}v{}", version + 1);
    let increment = vec![vec![
        raw_record(&revised, "2026-12-05"),
        deleted_record(&bare_id(b), "2026-12-05"),
    ]];
    fake.set_list("2026-12-02", increment.clone());
    // The next increment repeats the same changes: applying them twice changes nothing.
    fake.set_list("2026-12-05", increment);
    let dir = tempfile::tempdir().unwrap();
    let server = mirror_server(&fake, dir.path(), "1").await;
    wait_ready(&server).await;
    until_within(
        Duration::from_secs(20),
        "the second increment was asked for",
        || {
            fake.calls()
                .iter()
                .any(|c| c.query.contains("from=2026-12-05"))
        },
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let ids = vec![bare_id(a), bare_id(b), bare_id(c)];
    let (headers, answered) = ids_answer(&server, &ids).await;
    assert_eq!(value(&headers, "x-source"), Some("mirror"));
    assert_eq!(answered, vec![revised.clone(), c.clone()]);
    assert_eq!(answered[0].published, a.published, "v1's date stays");
    assert_eq!(status(&server).await["papers"], 2);
    let froms: Vec<String> = fake
        .calls()
        .iter()
        .filter_map(|c| {
            c.query
                .split('&')
                .find(|p| p.starts_with("from="))
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(&froms[..2], ["from=2026-12-02", "from=2026-12-05"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_page_is_never_half_applied() {
    let papers = fixture_papers();
    let fake = FakeUpstream::start().await;
    let good: Vec<String> = papers[..5]
        .iter()
        .map(|p| raw_record(p, "2026-12-01"))
        .collect();
    let second: Vec<String> = papers[5..10]
        .iter()
        .map(|p| raw_record(p, "2026-12-01"))
        .collect();
    let mut damaged = second.clone();
    damaged.push("<record><header><identifier>".into()); // cut off mid-record
    fake.set_list("", vec![good, damaged]);
    let dir = tempfile::tempdir().unwrap();
    let server = mirror_server(&fake, dir.path(), "1").await;
    until_within(
        Duration::from_secs(20),
        "the damaged page was asked for twice",
        || {
            fake.calls()
                .iter()
                .filter(|c| c.query.contains("resumptionToken"))
                .count()
                >= 2
        },
    )
    .await;
    let status_now = status(&server).await;
    assert_eq!(status_now["papers"], 5, "only the first page is applied");
    assert_eq!(status_now["ready"], false);
    // Not ready: queries go to arXiv.
    let response = server.get("/api/query?search_query=all:testing").await;
    assert_eq!(header(&response, "x-source"), Some("arxiv"));
    // Once the page is whole again the harvest goes on from where it stopped.
    let good: Vec<String> = papers[..5]
        .iter()
        .map(|p| raw_record(p, "2026-12-01"))
        .collect();
    fake.set_list("", vec![good, second]);
    wait_ready(&server).await;
    assert_eq!(status(&server).await["papers"], 10);
    let from_scratch = fake
        .calls()
        .iter()
        .filter(|c| c.query.contains("metadataPrefix") && !c.query.contains("from="))
        .count();
    assert_eq!(from_scratch, 1, "the list was not started again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harvest_and_proxied_queries_share_one_spaced_line() {
    let papers = fixture_papers();
    let fake = FakeUpstream::start().await;
    fake.set_delay(Duration::from_millis(50));
    let pages: Vec<Vec<String>> = papers
        .chunks(15)
        .map(|chunk| chunk.iter().map(|p| raw_record(p, "2026-12-01")).collect())
        .collect();
    let page_count = pages.len();
    fake.set_list("", pages);
    let dir = tempfile::tempdir().unwrap();
    let server = mirror_server(&fake, dir.path(), "3600").await;
    // Distinct queries while the first harvest runs: they go to arXiv, in the same line.
    let requests: Vec<_> = (0..4)
        .map(|n| {
            let (client, url) = (server.client.clone(), server.url(&common::query(n)));
            tokio::spawn(async move { client.get(url).send().await.unwrap() })
        })
        .collect();
    for request in requests {
        let response = request.await.unwrap();
        assert_eq!(response.status(), 200);
    }
    wait_ready(&server).await;
    let calls = fake.calls();
    assert!(calls.iter().filter(|c| c.path == "/oai").count() >= page_count);
    assert!(calls.iter().any(|c| c.path == "/api/query"));
    assert_eq!(fake.max_active(), 1, "upstream requests overlapped");
    for pair in calls.windows(2) {
        let gap = pair[1].started.saturating_duration_since(pair[0].ended);
        assert!(pair[1].started >= pair[0].ended, "calls overlap");
        assert!(
            gap >= SPACING,
            "only {gap:?} between {} and {}",
            pair[0].path,
            pair[1].path
        );
    }
    // Ready now: the same kind of query is answered at once, without a call.
    let before = fake.calls().len();
    let response = server.get(&common::query(99)).await;
    assert_eq!(header(&response, "x-source"), Some("mirror"));
    assert_eq!(fake.calls().len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_mirror_cannot_answer_goes_to_arxiv_and_bad_ids_get_arxivs_error_entry() {
    let papers = fixture_papers();
    let fake = FakeUpstream::start().await;
    fake.set_list(
        "",
        vec![papers.iter().map(|p| raw_record(p, "2026-12-01")).collect()],
    );
    let dir = tempfile::tempdir().unwrap();
    let server = mirror_server(&fake, dir.path(), "3600").await;
    wait_ready(&server).await;
    for unsupported in [
        "search_query=ti:*graph",
        "search_query=ti:gr%3Fph",
        "search_query=all:testing&sortBy=relevance&sortOrder=ascending",
    ] {
        let response = server.get(&format!("/api/query?{unsupported}")).await;
        assert_eq!(
            header(&response, "x-source"),
            Some("arxiv"),
            "{unsupported}"
        );
        assert_eq!(response.status(), 200);
    }
    let response = server.get("/api/query?id_list=abc").await;
    assert_eq!(response.status(), 400);
    assert_eq!(header(&response, "x-source"), Some("mirror"));
    let ours = parse_feed(&response.bytes().await.unwrap()).unwrap_err();
    let arxivs = parse_feed(common::ARXIV_ERROR).unwrap_err();
    assert_eq!(ours, arxivs);
    assert!(matches!(ours, FeedError::ArxivError { .. }));
    let response = server
        .get("/api/query?search_query=all:testing&start=29999&max_results=2")
        .await;
    assert_eq!(response.status(), 400);
    assert!(matches!(
        parse_feed(&response.bytes().await.unwrap()),
        Err(FeedError::ArxivError { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_mirror_nothing_changes() {
    let fake = FakeUpstream::start().await;
    let api = fake.api_url();
    let server = TestServer::start(settings(&["--upstream", &api, "--spacing-ms", "0"])).await;
    let response = server.get("/api/query?search_query=all:testing").await;
    assert_eq!(response.status(), 200);
    // Still this server's answer, through its limiter and cache.
    assert_eq!(header(&response, "x-source"), Some("arxiv"));
    assert_eq!(server.get("/api/mirror").await.status(), 404);
    assert!(fake.calls().iter().all(|c| c.path == "/api/query"));
}

/// A line of arXiv's JSON-lines snapshot for a paper as the API showed it.
fn snapshot_line(paper: &Paper, update_date: &str) -> String {
    let (id, latest) = id_and_version(&paper.id);
    let versions: Vec<serde_json::Value> = (1..=latest)
        .map(|n| {
            let date = if n == latest && n > 1 { &paper.updated } else { &paper.published };
            serde_json::json!({"version": format!("v{n}"), "created": mirror_support::rfc2822(date)})
        })
        .collect();
    let optional = |v: &str| if v.is_empty() { serde_json::Value::Null } else { v.into() };
    serde_json::json!({
        "id": id,
        "submitter": "Someone",
        "authors": paper.authors.join(", "),
        "title": paper.title,
        "comments": optional(&paper.comment),
        "journal-ref": optional(&paper.journal_ref),
        "doi": optional(&paper.doi),
        "report-no": null,
        "categories": paper.categories.join(" "),
        "license": null,
        "abstract": paper.abstract_text,
        "versions": versions,
        "update_date": update_date,
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_snapshot_answers_as_arxiv_did_and_the_harvest_continues_from_its_newest_date() {
    let papers = fixture_papers();
    let fake = FakeUpstream::start().await;
    // The first increment is still under way while the imported mirror is checked.
    fake.set_delay(Duration::from_secs(4));
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("snapshot.json");
    let mut lines: Vec<String> = papers
        .iter()
        .enumerate()
        .map(|(n, p)| snapshot_line(p, if n == 3 { "2026-11-30" } else { "2026-11-02" }))
        .collect();
    lines.insert(5, "{\"id\": \"not an id\"}".into()); // skipped with a log line
    std::fs::write(&snapshot, lines.join("\n") + "\n").unwrap();
    let mirror_dir = dir.path().join("mirror");
    let (api, oai) = (fake.api_url(), fake.oai_url());
    let server = TestServer::start(settings(&[
        "--upstream",
        &api,
        "--oai-upstream",
        &oai,
        "--spacing-ms",
        "300",
        "--mirror",
        mirror_dir.to_str().unwrap(),
        "--mirror-import",
        snapshot.to_str().unwrap(),
    ]))
    .await;
    wait_ready(&server).await;
    let ids: Vec<String> = papers.iter().map(bare_id).collect();
    let (headers, answered) = ids_answer(&server, &ids).await;
    assert_eq!(value(&headers, "x-source"), Some("mirror"));
    assert_eq!(answered, papers);
    assert_eq!(status(&server).await["harvested_at"], "2026-11-30T00:00:00Z");
    until_within(Duration::from_secs(15), "the harvest asked for what changed since", || {
        !fake.calls().is_empty()
    })
    .await;
    let first = &fake.calls()[0];
    assert!(first.query.contains("from=2026-11-30"), "{}", first.query);
    // Nothing changed since (noRecordsMatch): the mirror is now current to the increment's end.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let now = loop {
        let now = status(&server).await;
        if now["harvested_at"] != "2026-11-30T00:00:00Z" {
            break now;
        }
        assert!(tokio::time::Instant::now() < deadline, "the increment never completed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(now["papers"], papers.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_origins_may_read_where_an_answer_came_from() {
    let fake = FakeUpstream::start().await;
    fake.set_list("", vec![fixture_papers().iter().map(|p| raw_record(p, "2026-12-01")).collect()]);
    let dir = tempfile::tempdir().unwrap();
    let (api, oai) = (fake.api_url(), fake.oai_url());
    let server = TestServer::start(settings(&[
        "--upstream", &api, "--oai-upstream", &oai, "--spacing-ms", "300",
        "--mirror", dir.path().to_str().unwrap(), "--allow-origin", "https://someone.github.io",
    ]))
    .await;
    wait_ready(&server).await;
    let response = server
        .client
        .get(server.url("/api/query?search_query=all:testing"))
        .header("origin", "https://someone.github.io")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "x-source"), Some("mirror"));
    let exposed = header(&response, "access-control-expose-headers").unwrap().to_ascii_lowercase();
    assert!(exposed.contains("x-source") && exposed.contains("x-mirror-harvested-at"), "{exposed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_replica_serves_what_the_harvester_commits_and_never_asks_arxiv() {
    let papers = fixture_papers();
    let harvested = FakeUpstream::start().await;
    harvested.set_list(
        "",
        papers
            .chunks(40)
            .map(|chunk| chunk.iter().map(|p| raw_record(p, "2026-12-01")).collect())
            .collect(),
    );
    let dir = tempfile::tempdir().unwrap();
    let replica_upstream = FakeUpstream::start().await;
    let (api, oai) = (replica_upstream.api_url(), replica_upstream.oai_url());
    let replica = TestServer::start(settings(&[
        "--upstream", &api, "--oai-upstream", &oai, "--spacing-ms", "300",
        "--mirror", dir.path().to_str().unwrap(), "--mirror-replica",
    ]))
    .await;
    assert_eq!(status(&replica).await["ready"], false);
    let primary = mirror_server(&harvested, dir.path(), "3600").await;
    wait_ready(&primary).await;
    wait_ready(&replica).await;
    assert_eq!(status(&replica).await["papers"], papers.len());
    let ids: Vec<String> = papers.iter().map(bare_id).collect();
    let (headers, answered) = ids_answer(&replica, &ids).await;
    assert_eq!(value(&headers, "x-source"), Some("mirror"));
    assert_eq!(answered, papers);
    assert!(replica_upstream.calls().is_empty(), "the replica asked upstream");
}
