//! The GitHub Action (`action.yml`) and the workflow `init --workflow` writes, parsed as YAML and
//! checked for the structure GitHub needs and the two files' agreement; the action's own shell
//! steps are run with bash (the update against a fake arXiv, the push against a local remote).

mod common;

use common::{config, daily_papers, fixture, root, stderr, FakeArxiv, Reply};
use daily_papers_cli::workflow::{
    is_action_reference, workflow, workflow_for, DEFAULT_ACTION, SCHEDULE, WORKFLOW_PATH,
};
use serde_norway::Value;
use std::path::Path;
use std::process::Command;

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
    let cache_at = steps
        .iter()
        .position(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    let cache = &steps[cache_at];
    assert!(str_of(&cache["with"], "path").contains("target/"));
    // hashFiles() sees only the workspace, not the action's folder: the key comes from a step
    // that hashes the tool's source, before the cache.
    let key = str_of(&cache["with"], "key");
    assert!(!key.contains("hashFiles("), "{key}");
    let hash_at = steps
        .iter()
        .position(|s| {
            s["id"]
                .as_str()
                .is_some_and(|id| key.contains(&format!("steps.{id}.outputs.hash")))
        })
        .expect("the key names a step's hash");
    assert!(hash_at < cache_at);
    assert!(str_of(&steps[hash_at], "working-directory").contains("github.action_path"));
    let hashing = str_of(&steps[hash_at], "run");
    for source in ["Cargo.lock", "core/src", "cli/src"] {
        assert!(hashing.contains(source), "{hashing}");
    }
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
    assert!(str_of(&action["outputs"]["new-papers"], "value")
        .contains("steps.update.outputs.new-papers"));
    // A refused push is rebased and tried once more.
    let push = runs[commit];
    let first = push.find("git push").unwrap();
    let rebase = push.find("git pull --rebase").unwrap();
    assert!(first < rebase && push[rebase..].contains("git push"));
}

/// The action's shell step named `name`, its script.
fn action_script(name: &str) -> String {
    let action = action();
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let step = steps
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no step {name}"));
    str_of(step, "run").to_owned()
}

/// Runs `script` with bash in `dir`, with GitHub's files and the given variables; gives the exit
/// code and the outputs the step wrote.
fn run_step(dir: &Path, script: &str, env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let temp = tempfile::tempdir().unwrap();
    let outputs = temp.path().join("output");
    std::fs::write(&outputs, "").unwrap();
    let out = Command::new("bash")
        .args(["-e", "-c", script])
        .current_dir(dir)
        .env("GITHUB_OUTPUT", &outputs)
        .env("RUNNER_TEMP", temp.path())
        .env("DAILY_PAPERS_BIN", env!("CARGO_BIN_EXE_daily-papers"))
        .env_remove("GITHUB_REPOSITORY")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.code(),
        std::fs::read_to_string(&outputs).unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out),
    )
}

#[test]
fn the_action_counts_new_papers_so_the_issue_is_opened_only_on_a_day_with_news() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeArxiv::start();
    fake.on(
        "A",
        vec![Reply::feed(fixture(
            "tests/fixtures/arxiv/single-entry.xml",
        ))],
    );
    std::fs::write(
        dir.path().join("daily-papers.json"),
        config(&["A"], &fake.endpoint, "0", ""),
    )
    .unwrap();
    let script = action_script("Update the README and the digest");
    let env = [
        ("INPUT_CONFIG", "daily-papers.json"),
        ("INPUT_README", "README.md"),
        ("INPUT_ISSUE_TEMPLATE", ""),
        ("INPUT_STRICT", "false"),
        ("INPUT_PRUNE", "false"),
    ];
    // The first day: one paper, new.
    let (code, outputs, log) = run_step(dir.path(), &script, &env);
    assert_eq!(code, Some(0), "{log}");
    assert!(outputs.contains("exit-code=0\n"), "{outputs}");
    assert!(outputs.contains("new-papers=1\n"), "{outputs}");
    // The next day the same paper: the README changes (its date), but nothing is new.
    let (code, outputs, log) = run_step(dir.path(), &script, &env);
    assert_eq!(code, Some(0), "{log}");
    assert!(outputs.contains("new-papers=0\n"), "{outputs}");
    assert!(log.contains("::notice::No new paper today"), "{log}");
    // A file that cannot be written: its own exit code, reported as such.
    let readme = dir.path().join("README.md");
    let mut permissions = std::fs::metadata(&readme).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&readme, permissions).unwrap();
    let (code, outputs, log) = run_step(dir.path(), &script, &env);
    assert_eq!(code, Some(4), "{log}");
    assert!(outputs.contains("exit-code=4\n"), "{outputs}");
    assert!(
        log.contains("::error::A file could not be written"),
        "{log}"
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_action_rebases_and_pushes_again_when_something_was_pushed_meanwhile() {
    let root_dir = tempfile::tempdir().unwrap();
    let remote = root_dir.path().join("remote.git");
    let (ours, theirs) = (root_dir.path().join("ours"), root_dir.path().join("theirs"));
    git(
        root_dir.path(),
        &["init", "-q", "--bare", "-b", "main", "remote.git"],
    );
    for clone in [&ours, &theirs] {
        git(
            root_dir.path(),
            &[
                "clone",
                "-q",
                remote.to_str().unwrap(),
                clone.to_str().unwrap(),
            ],
        );
    }
    std::fs::write(ours.join("README.md"), "old\n").unwrap();
    git(&ours, &["checkout", "-q", "-b", "main"]);
    git(&ours, &["add", "README.md"]);
    git(&ours, &["commit", "-q", "-m", "first"]);
    git(&ours, &["push", "-q", "origin", "main"]);
    git(&theirs, &["pull", "-q", "origin", "main"]);
    // Someone pushes another file while the update runs.
    std::fs::write(theirs.join("NOTES.md"), "notes\n").unwrap();
    git(&theirs, &["add", "NOTES.md"]);
    git(&theirs, &["commit", "-q", "-m", "notes"]);
    git(&theirs, &["push", "-q", "origin", "HEAD:main"]);
    std::fs::write(ours.join("README.md"), "new\n").unwrap();
    let script = action_script("Commit what changed");
    let (code, outputs, log) = run_step(
        &ours,
        &script,
        &[
            ("INPUT_README", "README.md"),
            ("INPUT_ISSUE_TEMPLATE", ""),
            ("INPUT_COMMIT_MESSAGE", "Update papers"),
            ("GITHUB_REF_NAME", "main"),
        ],
    );
    assert_eq!(code, Some(0), "{log}");
    assert!(outputs.contains("changed=true"), "{outputs}");
    assert!(log.contains("rebasing"), "{log}");
    let history = git(&remote, &["log", "--format=%s", "main"]);
    assert_eq!(history, "Update papers\nnotes\nfirst\n");
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
    // The issue (an e-mail to every watcher) only on a day with news: the README changes every
    // day (its date), so "changed" would not do.
    let condition = str_of(issue, "if");
    let id = str_of(papers, "id");
    assert!(
        condition.contains(&format!("steps.{id}.outputs.new-papers")),
        "{condition}"
    );
    assert!(!condition.contains("outputs.changed"), "{condition}");
    assert!(action["outputs"].get("new-papers").is_some());
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
fn the_workflow_names_its_config_and_a_pinned_action_with_how_to_update_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = daily_papers(
        dir.path(),
        &[
            "init",
            "--workflow",
            "--config",
            "papers/my topics.json",
            "--readme",
            "docs/PAPERS.md",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join(WORKFLOW_PATH)).unwrap();
    assert_eq!(
        text,
        workflow_for(DEFAULT_ACTION, "papers/my topics.json", "docs/PAPERS.md")
    );
    assert!(text.starts_with(
        "# Written by `daily-papers init --workflow` from the config papers/my topics.json."
    ));
    let wf = parse(&text);
    let papers = &wf["jobs"]["update"]["steps"][1];
    assert_eq!(str_of(&papers["with"], "config"), "papers/my topics.json");
    assert_eq!(str_of(&papers["with"], "readme"), "docs/PAPERS.md");
    // Pinned: a release tag of this version, never a branch; a comment says how to update it.
    let action = str_of(papers, "uses");
    assert_eq!(
        action,
        format!("daily-papers/daily-papers@v{}", env!("CARGO_PKG_VERSION"))
    );
    assert!(is_action_reference(action));
    let before = &text[..text.find(&format!("uses: {action}")).unwrap()];
    let comment = &before[before.rfind("id: papers").unwrap()..];
    assert!(comment.contains("Pinned"), "{comment}");
    assert!(comment.contains("To update"), "{comment}");
    // A path that would break the YAML is quoted.
    let odd = workflow_for(DEFAULT_ACTION, "a: b # c.json", "README.md");
    assert_eq!(
        str_of(&parse(&odd)["jobs"]["update"]["steps"][1]["with"], "config"),
        "a: b # c.json"
    );
}

#[test]
fn the_schedule_comes_after_arxivs_announcement_all_year_and_stays_alive() {
    let text = workflow(DEFAULT_ACTION);
    let wf = parse(&text);
    let cron = str_of(&wf["on"]["schedule"][0], "cron");
    assert_eq!(cron, SCHEDULE);
    let fields: Vec<&str> = cron.split_whitespace().collect();
    let (minute, hour): (u32, u32) = (fields[0].parse().unwrap(), fields[1].parse().unwrap());
    // arXiv announces at 20:00 US Eastern: 01:00 UTC in winter (EST), 00:00 in summer (EDT).
    assert!(hour * 60 + minute > 60, "{cron}");
    assert_eq!(&fields[2..], ["*", "*", "*"]);
    assert!(
        text.contains("01:00 UTC in winter"),
        "the why is in the file"
    );
    // GitHub disables a scheduled workflow after 60 days without activity: the last step keeps
    // it enabled through the API, which needs `actions: write`.
    assert_eq!(str_of(&wf["permissions"], "actions"), "write");
    let steps = wf["jobs"]["update"]["steps"].as_sequence().unwrap();
    let keep = steps.last().unwrap();
    assert!(str_of(keep, "name").contains("alive"));
    let file = Path::new(WORKFLOW_PATH)
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    assert!(str_of(keep, "run").contains(&format!("actions/workflows/{file}/enable")));
    assert!(str_of(keep, "if").contains("always()"));
    assert!(str_of(&keep["env"], "GH_TOKEN").contains("secrets.GITHUB_TOKEN"));
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
