//! The GitHub workflow that `init --workflow` writes (and the app's `export-workflow` offers):
//! every day (and on demand) it runs the action (`action.yml` at the root of this repository),
//! which updates and commits the README and the digest; then, on a day with new or updated
//! papers only, it turns the digest into an issue, so everyone who watches the repository gets
//! it by e-mail. `docs/cli.md` documents it for users.

use crate::calendar::{weekday_name, Calendar};
use crate::date::Date;

/// The repository the action comes from.
pub const ACTION_REPOSITORY: &str = "daily-papers/daily-papers";

/// Where the workflow takes the action from: this project's repository, pinned to the release
/// of this version (a tag never moves the way a branch does, so a workflow runs the code it was
/// written for). `--action` points it elsewhere (a fork, a commit).
pub const DEFAULT_ACTION: &str = concat!("daily-papers/daily-papers@v", env!("CARGO_PKG_VERSION"));

/// Where `init --workflow` writes the workflow.
pub const WORKFLOW_PATH: &str = ".github/workflows/daily-papers.yml";

/// When the workflow runs, as cron (UTC): see the comment the workflow carries.
pub const SCHEDULE: &str = "0 2 * * *";

/// The workflow's text for the usual files, running `action` (`owner/repository@ref`).
pub fn workflow(action: &str) -> String {
    workflow_for(action, crate::config::CONFIG_FILE, "README.md")
}

/// The workflow's text, running `action` with the config `config` on the README `readme`
/// (paths in the repository; written into YAML as quoted strings).
pub fn workflow_for(action: &str, config: &str, readme: &str) -> String {
    let config_yaml = yaml_string(config);
    let readme_yaml = yaml_string(readme);
    let comment_config = config.replace(['\n', '\r'], " ");
    let comment_readme = readme.replace(['\n', '\r'], " ");
    format!(
        r#"# Written by `daily-papers init --workflow` from the config {comment_config}. Updates
# {comment_readme} from arXiv every day with that config's topics, commits it, and on a day
# with new or updated papers opens an issue with the day's digest, so that everyone who watches
# the repository gets it by e-mail.
name: Daily Papers

on:
  schedule:
    # 02:00 UTC every day. arXiv announces new papers at 20:00 US Eastern time, Sunday to
    # Thursday: 00:00 UTC in summer (EDT) but 01:00 UTC in winter (EST). An hour after the later
    # of the two, the day's papers are out all year. Runs on Saturday and Sunday (UTC) find
    # nothing: arXiv announces nothing on Friday and Saturday evenings, nor on its holidays;
    # the log says so, naming the holiday.
    - cron: "{SCHEDULE}"
  workflow_dispatch:

permissions:
  contents: write
  issues: write
  # To keep the schedule alive (the last step).
  actions: write

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
        # Pinned to a release (a tag; a commit SHA pins harder). To update, replace what follows
        # `@` by a newer tag from https://github.com/{ACTION_REPOSITORY}/releases, or run
        # `daily-papers init --workflow --force` with a newer daily-papers.
        uses: {action}
        with:
          config: {config_yaml}
          readme: {readme_yaml}
          issue-template: .github/ISSUE_TEMPLATE.md
      # As the reference does: the digest becomes an issue, but only on a day with new or
      # updated papers. The README changes every day (its "Last update" line), so "changed"
      # would send an e-mail on days without news.
      - name: Open the daily issue
        if: steps.papers.outputs.new-papers != '' && steps.papers.outputs.new-papers != '0'
        uses: JasonEtco/create-an-issue@v2
        env:
          GITHUB_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}
        with:
          filename: .github/ISSUE_TEMPLATE.md
      # GitHub disables a scheduled workflow after 60 days without activity in the repository,
      # and a day without news makes no commit. Enabling the workflow again through the API
      # (it is enabled: nothing changes) counts as activity, without a commit.
      - name: Keep the schedule alive
        if: always() && github.event_name == 'schedule'
        env:
          GH_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}
        run: gh api --method PUT "repos/$GITHUB_REPOSITORY/actions/workflows/daily-papers.yml/enable" || echo "::warning::Could not keep the schedule alive; GitHub may disable it after 60 days without a commit."
"#
    )
}

/// `text` as a YAML double-quoted string (a path with `:` or `#` would otherwise change the
/// document).
fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

/// Why a run on `date` (UTC) found no new paper, when arXiv's calendar explains it. arXiv
/// announces at 20:00 US Eastern, Sunday to Thursday, that is Monday to Friday by UTC: a run
/// reads the announcement of the evening before (US Eastern). A run on a Saturday or Sunday (UTC)
/// comes after no announcement; a run after one of arXiv's holidays names it
/// ([`Calendar::holiday`]). `None` on other days (nothing new matched the topics).
pub fn quiet_day(date: Date) -> Option<String> {
    if matches!(date.weekday(), 5 | 6) {
        return Some(
            "arXiv announces nothing on Friday and Saturday evenings (US Eastern), so a run on a Saturday or Sunday (UTC) finds no new paper".to_owned(),
        );
    }
    let evening = Date::from_unix_days(date.unix_days() - 1)?;
    let holiday = Calendar::default().holiday(evening)?;
    Some(format!(
        "arXiv announced nothing on {} {evening} (US Eastern): {holiday}, one of arXiv's published holidays",
        weekday_name(evening.unix_days())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekends_by_utc_are_quiet_days() {
        let day = |s: &str| s.parse::<Date>().unwrap();
        // 2026-12-05 is a Saturday, 2026-12-07 a Monday.
        assert_eq!(day("2026-12-07").weekday(), 0);
        assert_eq!(day("1970-01-01").weekday(), 3);
        assert_eq!(day("2024-02-29").weekday(), 3);
        assert!(quiet_day(day("2026-12-05")).is_some());
        assert!(quiet_day(day("2026-12-06")).is_some());
        for weekday in ["2026-12-07", "2026-12-08", "2026-12-11"] {
            assert_eq!(quiet_day(day(weekday)), None, "{weekday}");
        }
    }

    #[test]
    fn a_run_after_one_of_arxivs_holidays_names_it() {
        let day = |s: &str| s.parse::<Date>().unwrap();
        // Thanksgiving, Thursday 2026-11-26: the run of Friday the 27th (UTC) read that evening.
        let friday = quiet_day(day("2026-11-27")).unwrap();
        assert!(friday.contains("Thanksgiving"), "{friday}");
        assert!(friday.contains("Thursday"), "{friday}");
        // Labor Day, Monday 2026-09-07: Tuesday's run; Monday's run read Sunday's announcement.
        assert!(quiet_day(day("2026-09-08")).unwrap().contains("Labor Day"));
        assert_eq!(quiet_day(day("2026-09-07")), None);
        // Christmas 2026 is a Friday: Saturday's run is a weekend one, not a holiday's.
        let saturday = quiet_day(day("2026-12-26")).unwrap();
        assert!(saturday.contains("Friday and Saturday evenings"), "{saturday}");
        assert!(!saturday.contains("Christmas"), "{saturday}");
    }

    #[test]
    fn paths_are_quoted_for_yaml() {
        assert_eq!(yaml_string("a: b # c"), "\"a: b # c\"");
        assert_eq!(yaml_string("x\"y\\z\n"), "\"x\\\"y\\\\z\\n\"");
    }
}
