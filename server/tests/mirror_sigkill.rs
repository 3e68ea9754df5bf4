//! The real server binary, killed with SIGKILL in the middle of its first harvest, continues
//! from the last page it committed when started again, and loses nothing.

mod mirror_support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use daily_papers_server::mirror::harvest::{Mirror, MirrorSettings};
use mirror_support::{fixture_papers, raw_record, until_within, FakeUpstream};

/// Starts the server binary and returns it with the address it listens on.
fn start_server(fake: &FakeUpstream, dir: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_daily-papers-server"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            &fake.api_url(),
            "--oai-upstream",
            &fake.oai_url(),
            "--spacing-ms",
            "300",
            "--mirror",
            dir.to_str().unwrap(),
            "--mirror-interval",
            "3600",
            "--log-level",
            "warn",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .rsplit_once("http://")
        .map(|(_, a)| a.to_owned())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    (child, address)
}

fn committed(
    dir: &Path,
    fake: &FakeUpstream,
) -> (daily_papers_server::mirror::harvest::State, u64) {
    let mirror = Mirror::open(MirrorSettings {
        dir: dir.to_owned(),
        oai_upstream: fake.oai_url().parse().unwrap(),
        interval: Duration::from_secs(3600),
        sets: Vec::new(),
        import: None,
        replica: false,
        compare: None,
    })
    .unwrap();
    (mirror.state(), mirror.store.papers())
}

fn pages_in_state_file(dir: &Path) -> u64 {
    std::fs::read_to_string(dir.join("harvest-state.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|state| state["pages"].as_u64())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_harvest_killed_mid_way_resumes_from_its_last_committed_page() {
    let papers = fixture_papers();
    let per_page = 13;
    let pages: Vec<Vec<String>> = papers
        .chunks(per_page)
        .map(|chunk| chunk.iter().map(|p| raw_record(p, "2026-12-01")).collect())
        .collect();
    let page_count = pages.len();
    assert!(page_count >= 6);
    let fake = FakeUpstream::start().await;
    fake.set_delay(Duration::from_millis(150));
    fake.set_list("", pages);
    let dir = tempfile::tempdir().unwrap();

    let (mut child, _) = start_server(&fake, dir.path());
    until_within(
        Duration::from_secs(30),
        "three pages were committed",
        || pages_in_state_file(dir.path()) >= 3,
    )
    .await;
    // Somewhere in the middle of the next request, wait or commit.
    tokio::time::sleep(Duration::from_millis(200)).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let calls_before = fake.calls().len();

    let (state, held) = committed(dir.path(), &fake);
    let done = usize::try_from(state.pages).unwrap();
    assert!(done >= 3 && done < page_count, "{state:?}");
    assert!(!state.ready);
    assert_eq!(state.token.as_deref(), Some(format!("|{done}").as_str()));
    assert_eq!(
        held,
        (done * per_page) as u64,
        "exactly the committed pages are held"
    );

    let (mut child, address) = start_server(&fake, dir.path());
    let client = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        let status: serde_json::Value = serde_json::from_slice(
            &client
                .get(format!("http://{address}/api/mirror"))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap(),
        )
        .unwrap();
        if status["ready"] == true {
            break status;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never ready: {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status["papers"], papers.len());

    let after: Vec<String> = fake.calls()[calls_before..]
        .iter()
        .map(|c| c.query.clone())
        .collect();
    assert!(
        after[0].contains(&format!("resumptionToken=%7C{done}")),
        "the restart continued with the next page's token: {after:?}"
    );
    assert!(
        after.iter().all(|q| !q.contains("metadataPrefix")),
        "the list was not started again: {after:?}"
    );
    assert_eq!(after.len(), page_count - done);
}
