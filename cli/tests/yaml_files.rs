//! The GitHub Action (`action.yml`) and the workflow `init --workflow` writes, parsed as YAML and
//! checked for the structure GitHub needs and the two files' agreement.

mod common;

use common::{daily_papers, root, stderr};
use daily_papers_cli::workflow::{is_action_reference, workflow, DEFAULT_ACTION, WORKFLOW_PATH};
use serde_norway::Value;

fn parse(text: &str) -> Value {
    serde_norway::from_str(text).unwrap()
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

fn action() -> Value {
    parse(&std::fs::read_to_string(root().join("action.yml")).unwrap())
}

#[test]
fn the_action_is_a_composite_that_builds_with_a_cache_runs_update_and_commits() {
    let action = action();
    assert_eq!(str_of(&action, "name"), "Daily Papers");
    assert!(!str_of(&action, "description").is_empty());
    for (input, default) in [
        ("config", "daily-papers.json"),
        ("readme", "README.md"),
        ("issue-template", ".github/ISSUE_TEMPLATE.md"),
        ("strict", "false"),
    ] {
        let spec = &action["inputs"][input];
        assert_eq!(str_of(spec, "default"), default, "{input}");
        assert!(!str_of(spec, "description").is_empty(), "{input}");
    }
    assert_eq!(str_of(&action["runs"], "using"), "composite");
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    // A composite's `run` steps must each name their shell.
    for step in steps {
        if step.get("run").is_some() {
            assert_eq!(str_of(step, "shell"), "bash");
        }
    }
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    assert!(str_of(&cache["with"], "key").contains("hashFiles("));
    assert!(str_of(&cache["with"], "path").contains("target/"));
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let position = |needle: &str| {
        runs.iter()
            .position(|r| r.contains(needle))
            .unwrap_or_else(|| panic!("no step runs {needle}"))
    };
    let build = position("cargo +stable build --locked --profile cli -p daily-papers-cli");
    let update = position("\"$DAILY_PAPERS_BIN\" \"${args[@]}\"");
    let commit = position("git commit");
    assert!(build < update && update < commit);
    assert!(runs[update].contains("args=(update "));
    assert!(runs[commit].contains("git push"));
    // Inputs reach the shell through env, never pasted into the script.
    assert!(runs.iter().all(|r| !r.contains("${{ inputs.")));
    // The profile the action builds exists.
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[profile.cli]"));
    assert!(action["outputs"]["changed"]["value"]
        .as_str()
        .unwrap()
        .contains("steps.commit.outputs.changed"));
}

#[test]
fn the_workflow_runs_daily_on_demand_with_write_permissions_and_opens_the_issue() {
    let dir = tempfile::tempdir().unwrap();
    let out = daily_papers(dir.path(), &["init", "--workflow"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join(WORKFLOW_PATH)).unwrap();
    assert_eq!(text, workflow(DEFAULT_ACTION));
    let wf = parse(&text);
    let on = &wf["on"];
    let cron = str_of(&on["schedule"][0], "cron");
    assert_eq!(cron.split_whitespace().count(), 5, "{cron}");
    assert!(on.get("workflow_dispatch").is_some());
    assert_eq!(str_of(&wf["permissions"], "contents"), "write");
    assert_eq!(str_of(&wf["permissions"], "issues"), "write");
    let steps = wf["jobs"]["update"]["steps"].as_sequence().unwrap();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses[0].starts_with("actions/checkout@"));
    assert_eq!(uses[1], DEFAULT_ACTION);
    assert!(uses[2].starts_with("JasonEtco/create-an-issue@"));
    // Every input the workflow passes exists in action.yml, and the digest it writes is the
    // file the issue is made from.
    let action = action();
    let papers = &steps[1];
    for (key, _) in papers["with"].as_mapping().unwrap() {
        let key = key.as_str().unwrap();
        assert!(
            action["inputs"].get(key).is_some(),
            "action.yml has no input {key}"
        );
    }
    let issue = &steps[2];
    assert_eq!(
        str_of(&issue["with"], "filename"),
        str_of(&papers["with"], "issue-template")
    );
    assert!(
        str_of(issue, "if").contains(&format!("steps.{}.outputs.changed", str_of(papers, "id")))
    );
    assert!(str_of(&issue["env"], "GITHUB_TOKEN").contains("secrets.GITHUB_TOKEN"));

    // Not overwritten without --force; another action reference is used as given.
    let again = daily_papers(dir.path(), &["init", "--workflow"]);
    assert_eq!(again.status.code(), Some(2));
    let fork = daily_papers(
        dir.path(),
        &["init", "--workflow", "--force", "--action", "me/fork@v2"],
    );
    assert!(fork.status.success());
    let text = std::fs::read_to_string(dir.path().join(WORKFLOW_PATH)).unwrap();
    assert_eq!(
        parse(&text)["jobs"]["update"]["steps"][1]["uses"].as_str(),
        Some("me/fork@v2")
    );
    let bad = daily_papers(
        dir.path(),
        &["init", "--workflow", "--force", "--action", "x; rm -rf /"],
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn action_references_are_checked() {
    assert!(is_action_reference("owner/repo@main"));
    assert!(is_action_reference("owner/repo/sub@v1.2"));
    for bad in [
        "owner/repo",
        "repo@v1",
        "@v1",
        "owner/@v1",
        "o/r@",
        "o/r@v1 x",
        "o/r@$(x)",
    ] {
        assert!(!is_action_reference(bad), "{bad}");
    }
}
