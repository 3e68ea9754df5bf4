//! Which files publishing writes, and for each what the page may do without asking. The rule:
//! nothing anyone wrote is replaced unseen. A file the page wrote or read before, still at the
//! version it saw then, is replaced; one that changed since (someone's commit, the daily run) or
//! that the page never saw is shown to the user first, and replaced only when they say so.

use super::api::RemoteFile;
use crate::config::CONFIG_FILE;
use crate::workflow::{workflow, DEFAULT_ACTION, WORKFLOW_PATH};
use std::collections::BTreeMap;

/// Where the README goes.
pub const README_PATH: &str = "README.md";
/// Where the issue digest goes: the file the workflow opens the daily issue from.
pub const DIGEST_PATH: &str = ".github/ISSUE_TEMPLATE.md";

/// The commit messages the page offers (the user may edit the README's).
pub const README_MESSAGE: &str = "Update the Daily Papers README";
pub const SETUP_MESSAGE: &str = "Set up the Daily Papers daily update";

/// A file to write and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileToWrite {
    pub path: String,
    pub text: String,
}

/// "Publish README": the README, and the issue digest when the page has one.
pub fn readme_files(readme: String, digest: Option<String>) -> Vec<FileToWrite> {
    let mut files = vec![FileToWrite {
        path: README_PATH.to_owned(),
        text: readme,
    }];
    if let Some(digest) = digest {
        files.push(FileToWrite {
            path: DIGEST_PATH.to_owned(),
            text: digest,
        });
    }
    files
}

/// "Set up the daily update": the config file and the workflow, the same two files
/// `daily-papers init --workflow` writes.
pub fn setup_files(config_json: String) -> Vec<FileToWrite> {
    vec![
        FileToWrite {
            path: CONFIG_FILE.to_owned(),
            text: config_json,
        },
        FileToWrite {
            path: WORKFLOW_PATH.to_owned(),
            text: workflow(DEFAULT_ACTION),
        },
    ]
}

/// What to do with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Not in the repository: create it.
    Create,
    /// In the repository at the version the page last saw: replace that version.
    Replace { sha: String },
    /// Already holds exactly this text: nothing to write.
    Same,
    /// Someone else's version (changed since the page last read it, or never seen): show
    /// `current` and replace it only if the user says so.
    AskFirst {
        sha: String,
        current: Option<String>,
    },
}

/// The version of each file the page last read or wrote, per repository: `path → sha`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LastSeen(pub BTreeMap<String, String>);

impl LastSeen {
    pub fn sha(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(String::as_str)
    }

    pub fn saw(&mut self, path: &str, sha: &str) {
        self.0.insert(path.to_owned(), sha.to_owned());
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// An unreadable record is an empty one: the page then asks before replacing anything.
    pub fn from_json(text: &str) -> LastSeen {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// The step for one file, from what the repository holds and the version the page last saw.
pub fn step(new_text: &str, remote: Option<&RemoteFile>, last_seen_sha: Option<&str>) -> Step {
    let Some(remote) = remote else {
        return Step::Create;
    };
    if remote.text.as_deref() == Some(new_text) {
        return Step::Same;
    }
    if last_seen_sha == Some(remote.sha.as_str()) {
        return Step::Replace {
            sha: remote.sha.clone(),
        };
    }
    Step::AskFirst {
        sha: remote.sha.clone(),
        current: remote.text.clone(),
    }
}

/// Every file with its step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub files: Vec<(FileToWrite, Step)>,
}

impl Plan {
    /// The plan from the files to write, what the repository holds of each (in the same order)
    /// and the versions the page last saw.
    pub fn new(files: Vec<FileToWrite>, remote: &[Option<RemoteFile>], seen: &LastSeen) -> Plan {
        let files = files
            .into_iter()
            .enumerate()
            .map(|(i, file)| {
                let there = remote.get(i).and_then(Option::as_ref);
                let step = step(&file.text, there, seen.sha(&file.path));
                (file, step)
            })
            .collect();
        Plan { files }
    }

    /// The files shown to the user before anything is written, with what they hold now.
    pub fn to_ask(&self) -> Vec<(&str, Option<&str>)> {
        self.files
            .iter()
            .filter_map(|(file, step)| match step {
                Step::AskFirst { current, .. } => Some((file.path.as_str(), current.as_deref())),
                _ => None,
            })
            .collect()
    }

    /// The user saw what is there and said replace it: each asked file is replaced at the
    /// version shown (if it changed again meanwhile, GitHub refuses and the page reads again).
    pub fn confirmed(self) -> Plan {
        Plan {
            files: self
                .files
                .into_iter()
                .map(|(file, step)| match step {
                    Step::AskFirst { sha, .. } => (file, Step::Replace { sha }),
                    other => (file, other),
                })
                .collect(),
        }
    }

    /// The files to write now with the sha each replaces (`None`: a new file); none while
    /// something is still to be asked.
    pub fn writes(&self) -> Vec<(&FileToWrite, Option<&str>)> {
        if !self.to_ask().is_empty() {
            return Vec::new();
        }
        self.files
            .iter()
            .filter_map(|(file, step)| match step {
                Step::Create => Some((file, None)),
                Step::Replace { sha } => Some((file, Some(sha.as_str()))),
                _ => None,
            })
            .collect()
    }

    /// One line per file for the user: what will happen to it.
    pub fn describe(&self) -> Vec<String> {
        self.files
            .iter()
            .map(|(file, step)| {
                let what = match step {
                    Step::Create => "new file",
                    Step::Replace { .. } => "replaces the version this page wrote or read",
                    Step::Same => "already up to date, not written",
                    Step::AskFirst { .. } => {
                        "different in the repository: shown below, replaced only if you say so"
                    }
                };
                format!("{} \u{2014} {what}", file.path)
            })
            .collect()
    }
}

/// The lines of a setup before anything is read: which files it will write.
pub fn setup_summary() -> String {
    format!(
        "Writes {CONFIG_FILE} (your topics and settings) and {WORKFLOW_PATH} (runs the update every day at 00:30 UTC) in one commit."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(sha: &str, text: &str) -> RemoteFile {
        RemoteFile {
            sha: sha.into(),
            text: Some(text.into()),
        }
    }

    #[test]
    fn a_missing_file_is_created_and_an_identical_one_left_alone() {
        assert_eq!(step("new", None, None), Step::Create);
        assert_eq!(step("same", Some(&remote("s1", "same")), None), Step::Same);
    }

    #[test]
    fn the_version_the_page_last_saw_is_replaced_without_asking() {
        assert_eq!(
            step("new", Some(&remote("s1", "old")), Some("s1")),
            Step::Replace { sha: "s1".into() }
        );
    }

    #[test]
    fn a_file_changed_since_the_page_last_read_it_is_shown_first() {
        let step = step("mine", Some(&remote("s2", "someone's")), Some("s1"));
        assert_eq!(
            step,
            Step::AskFirst {
                sha: "s2".into(),
                current: Some("someone's".into())
            }
        );
    }

    #[test]
    fn a_file_the_page_never_saw_is_shown_first_too() {
        assert!(matches!(
            step("mine", Some(&remote("s1", "theirs")), None),
            Step::AskFirst { .. }
        ));
        // Too large for GitHub to send: still asked, with nothing to show.
        let big = RemoteFile {
            sha: "s".into(),
            text: None,
        };
        assert_eq!(
            step("mine", Some(&big), None),
            Step::AskFirst {
                sha: "s".into(),
                current: None
            }
        );
    }

    #[test]
    fn nothing_is_written_until_the_user_confirms_and_then_at_the_version_shown() {
        let files = setup_files("{}".into());
        assert_eq!(files[0].path, "daily-papers.json");
        assert_eq!(files[1].path, ".github/workflows/daily-papers.yml");
        // The same workflow `init --workflow` writes: the pinned action.
        assert!(files[1]
            .text
            .contains(&format!("uses: {}", crate::workflow::DEFAULT_ACTION)));
        let plan = Plan::new(
            files,
            &[Some(remote("c1", "{\"other\":1}")), None],
            &LastSeen::default(),
        );
        assert_eq!(
            plan.to_ask(),
            vec![("daily-papers.json", Some("{\"other\":1}"))]
        );
        assert!(
            plan.writes().is_empty(),
            "nothing is written while a file is to be asked"
        );
        assert!(plan.describe()[0].contains("replaced only if you say so"));
        assert!(plan.describe()[1].contains("new file"));
        let plan = plan.confirmed();
        let writes = plan.writes();
        assert_eq!(writes.len(), 2);
        assert_eq!(writes[0].1, Some("c1"));
        assert_eq!(writes[1].1, None);
    }

    #[test]
    fn readme_files_take_the_digest_when_there_is_one() {
        assert_eq!(readme_files("r".into(), None).len(), 1);
        let both = readme_files("r".into(), Some("d".into()));
        assert_eq!(both[1].path, ".github/ISSUE_TEMPLATE.md");
        let plan = Plan::new(both, &[Some(remote("a", "r")), None], &LastSeen::default());
        assert_eq!(
            plan.writes().len(),
            1,
            "the README is the same, only the digest is new"
        );
    }

    #[test]
    fn last_seen_versions_survive_storage_and_a_corrupt_record_asks_again() {
        let mut seen = LastSeen::default();
        seen.saw("README.md", "s1");
        let back = LastSeen::from_json(&seen.to_json());
        assert_eq!(back.sha("README.md"), Some("s1"));
        assert_eq!(LastSeen::from_json("{not json").sha("README.md"), None);
        assert!(setup_summary().contains("daily-papers.json"));
    }
}
