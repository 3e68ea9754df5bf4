//! `--mirror-compare` against a fake arXiv serving both OAI-PMH and the API on loopback: the
//! server harvests, users query the mirror, and the compare asks the fake's API the same
//! queries in the shared spacing, then records the figures and mismatch kinds `/api/mirror`
//! shows: full agreement where the fake agrees, harvest lag and analysis where it does not.

mod common;
mod mirror_support;

use std::time::Duration;

use common::{settings, TestServer};
use daily_papers_core::arxiv::{parse_feed, Paper};
use mirror_support::{api_feed, id_and_version, raw_record, FakeUpstream, FIXTURES};

const SPACING: Duration = Duration::from_millis(300);

fn bare_id(paper: &Paper) -> String {
    id_and_version(&paper.id).0
}

async fn status(server: &TestServer) -> serde_json::Value {
    let response = server.get("/api/mirror").await;
    assert_eq!(response.status(), 200);
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

/// Asks the server as a user would and checks the mirror answered.
async fn ask(server: &TestServer, query: &str) -> Vec<String> {
    let response = server.get(&format!("/api/query?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    assert_eq!(
        common::header(&response, "x-source"),
        Some("mirror"),
        "{query}"
    );
    let body = response.bytes().await.unwrap();
    parse_feed(&body)
        .unwrap()
        .papers
        .iter()
        .map(bare_id)
        .collect()
}

fn sorted_by(papers: &[Paper], key: impl Fn(&Paper) -> String) -> Vec<Paper> {
    let mut sorted = papers.to_vec();
    sorted.sort_by_key(|p| std::cmp::Reverse(key(p)));
    sorted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_compare_measures_the_mirror_against_arxiv_in_the_shared_spacing() {
    // The world: arXiv's answer to all:testing (10 papers), plus a paper without the word that
    // the mirror also holds.
    let testing = parse_feed(FIXTURES[1]).unwrap().papers;
    let other = FIXTURES
        .iter()
        .flat_map(|fixture| parse_feed(fixture).unwrap().papers)
        .find(|p| {
            let text = format!(
                "{} {} {} {}",
                p.title,
                p.abstract_text,
                p.comment,
                p.authors.join(" ")
            )
            .to_lowercase();
            !text.contains("test") && testing.iter().all(|t| t.id != p.id)
        })
        .expect("a fixture paper without the word");
    let fake = FakeUpstream::start().await;
    let mut held = testing.clone();
    held.push(other.clone());
    let records: Vec<String> = held.iter().map(|p| raw_record(p, "2026-12-01")).collect();
    fake.set_list("", vec![records]);

    // arXiv agrees on submittedDate and relevance. For lastUpdatedDate it lists a paper
    // announced after the harvest first, and the held paper the mirror does not match last.
    let by_submitted = sorted_by(&testing, |p| p.published.clone());
    let by_relevance = testing.clone();
    let tomorrow = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    let tomorrow = tomorrow
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let mut new_paper = testing[0].clone();
    new_paper.id = "http://arxiv.org/abs/2612.99999v1".to_owned();
    new_paper.published = tomorrow.clone();
    new_paper.updated = tomorrow;
    let mut by_updated = vec![new_paper];
    by_updated.extend(sorted_by(&testing, |p| p.updated.clone()));
    by_updated.push(other.clone());
    fake.set_api_answer("sortBy=submittedDate", api_feed(&by_submitted));
    fake.set_api_answer("sortBy=relevance", api_feed(&by_relevance));
    fake.set_api_answer("sortBy=lastUpdatedDate", api_feed(&by_updated));

    let dir = tempfile::tempdir().unwrap();
    let (api, oai) = (fake.api_url(), fake.oai_url());
    let server = TestServer::start(settings(&[
        "--upstream",
        &api,
        "--oai-upstream",
        &oai,
        "--spacing-ms",
        "300",
        "--mirror",
        dir.path().to_str().unwrap(),
        "--mirror-compare",
        "1",
    ]))
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while status(&server).await["ready"] != true {
        assert!(tokio::time::Instant::now() < deadline, "never ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let before = status(&server).await;
    assert_eq!(before["fidelity"]["compare_every_seconds"], 1);
    assert_eq!(before["fidelity"]["compared"], 0);

    // The users' queries, answered by the mirror: all ten papers with the word, not the other.
    let submitted = ask(
        &server,
        "search_query=all:testing&sortBy=submittedDate&sortOrder=descending&max_results=10",
    )
    .await;
    assert_eq!(
        submitted,
        by_submitted.iter().map(bare_id).collect::<Vec<_>>()
    );
    ask(
        &server,
        "search_query=all:testing&sortBy=relevance&sortOrder=descending&max_results=10",
    )
    .await;
    let updated = ask(
        &server,
        "search_query=all:testing&sortBy=lastUpdatedDate&sortOrder=descending&max_results=20",
    )
    .await;
    assert!(!updated.contains(&bare_id(&other)));

    let mut figures = serde_json::Value::Null;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while figures["compared"] != 3 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the compare never ran thrice: {figures}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        figures = status(&server).await["fidelity"].clone();
    }

    // Where arXiv agrees: every figure is 1.
    let agreed = &figures["submittedDate"];
    assert_eq!(agreed["compared"], 1, "{figures}");
    assert_eq!(agreed["recall"], 1.0, "{figures}");
    assert_eq!(agreed["precision"], 1.0, "{figures}");
    assert_eq!(agreed["order_agreement"], 1.0, "{figures}");
    let relevance = &figures["relevance"];
    assert_eq!(relevance["recall"], 1.0, "{figures}");
    assert_eq!(relevance["top10_overlap"], 1.0, "{figures}");
    assert!(relevance["order_agreement"].is_null(), "{figures}");

    // Where it does not: the new paper is harvest lag and counts in no figure; the held paper
    // the mirror does not match is an analysis difference and costs recall (10 of 11).
    let differed = &figures["lastUpdatedDate"];
    assert_eq!(differed["compared"], 1, "{figures}");
    assert_eq!(differed["recall"], 0.909, "{figures}");
    assert_eq!(differed["precision"], 1.0, "{figures}");
    assert_eq!(differed["order_agreement"], 1.0, "{figures}");
    assert_eq!(
        figures["mismatches"],
        serde_json::json!({"harvest_lag": 1, "analysis": 1, "parsing": 0, "ranking": 0}),
        "{figures}"
    );
    let recent = figures["recent_mismatches"].as_array().unwrap();
    let told: Vec<(&str, &str, &str)> = recent
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap(),
                m["kind"].as_str().unwrap(),
                m["side"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        told.contains(&("2612.99999", "harvest_lag", "only_arxiv")),
        "{told:?}"
    );
    let other_id = bare_id(&other);
    assert!(
        told.contains(&(other_id.as_str(), "analysis", "only_arxiv")),
        "{told:?}"
    );
    assert!(recent
        .iter()
        .all(|m| m["query"].as_str().unwrap().contains("lastUpdatedDate")));

    // The compare asked arXiv exactly the users' three queries, once each, and every upstream
    // request (harvest and compare) kept the spacing.
    let calls = fake.calls();
    let api_calls: Vec<&str> = calls
        .iter()
        .filter(|c| c.path == "/api/query")
        .map(|c| c.query.as_str())
        .collect();
    assert_eq!(api_calls.len(), 3, "{api_calls:?}");
    for sort in ["submittedDate", "relevance", "lastUpdatedDate"] {
        assert_eq!(
            api_calls
                .iter()
                .filter(|q| q.contains(&format!("sortBy={sort}")))
                .count(),
            1,
            "{api_calls:?}"
        );
    }
    for pair in calls.windows(2) {
        assert!(
            pair[1].started >= pair[0].ended + SPACING - Duration::from_millis(5),
            "{pair:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_flag_nothing_is_compared_and_fidelity_is_null() {
    let testing = parse_feed(FIXTURES[1]).unwrap().papers;
    let fake = FakeUpstream::start().await;
    let records: Vec<String> = testing
        .iter()
        .map(|p| raw_record(p, "2026-12-01"))
        .collect();
    fake.set_list("", vec![records]);
    let dir = tempfile::tempdir().unwrap();
    let (api, oai) = (fake.api_url(), fake.oai_url());
    let server = TestServer::start(settings(&[
        "--upstream",
        &api,
        "--oai-upstream",
        &oai,
        "--spacing-ms",
        "300",
        "--mirror",
        dir.path().to_str().unwrap(),
    ]))
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while status(&server).await["ready"] != true {
        assert!(tokio::time::Instant::now() < deadline, "never ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    ask(&server, "search_query=all:testing&sortBy=submittedDate").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(status(&server).await["fidelity"].is_null());
    assert!(fake.calls().iter().all(|c| c.path == "/oai"));
}
