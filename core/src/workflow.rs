//! The GitHub workflow that `init --workflow` writes (and the app's `export-workflow` offers):
//! every day (and on demand) it runs the
//! action (`action.yml` at the root of this repository), which updates and commits the README and
//! the digest; then, as the reference's workflow does, it turns the digest into an issue, so
//! everyone who watches the repository gets it by e-mail.

/// Where the workflow takes the action from: this project's repository, at its main branch.
/// `--action` points it elsewhere (a fork, a tag).
pub const DEFAULT_ACTION: &str = "daily-papers/daily-papers@main";

/// Where `init --workflow` writes the workflow.
pub const WORKFLOW_PATH: &str = ".github/workflows/daily-papers.yml";

/// The workflow's text, running `action` (`owner/repository@ref`).
pub fn workflow(action: &str) -> String {
    format!(
        r#"# Written by `daily-papers init --workflow`. Updates README.md from arXiv every day with the
# topics of daily-papers.json, commits it, and opens an issue with the day's digest so that
# everyone who watches the repository gets it by e-mail.
name: Daily Papers

on:
  schedule:
    # Every day at 00:30 UTC (arXiv announces new papers at 00:00 UTC, Sunday to Thursday).
    - cron: "30 0 * * *"
  workflow_dispatch:

permissions:
  contents: write
  issues: write

# One run at a time: two runs would ask arXiv at once and race to push.
concurrency:
  group: daily-papers
  cancel-in-progress: false

jobs:
  update:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@v4
      - name: Update the papers
        id: papers
        uses: {action}
        with:
          config: daily-papers.json
          readme: README.md
          issue-template: .github/ISSUE_TEMPLATE.md
      # As the reference does: the digest becomes an issue. Only when the README changed, so a
      # day without news sends no e-mail.
      - name: Open the daily issue
        if: steps.papers.outputs.changed == 'true'
        uses: JasonEtco/create-an-issue@v2
        env:
          GITHUB_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}
        with:
          filename: .github/ISSUE_TEMPLATE.md
"#
    )
}

/// True for `owner/repository@ref` (what `uses:` accepts for a remote action).
pub fn is_action_reference(text: &str) -> bool {
    let Some((path, reference)) = text.split_once('@') else {
        return false;
    };
    let ok = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
    };
    path.split('/').count() >= 2
        && path.split('/').all(|p| !p.is_empty())
        && ok(path)
        && ok(reference)
}
