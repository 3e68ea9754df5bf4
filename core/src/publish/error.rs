//! Every way publishing can fail, told apart from GitHub's answer ([`classify`]), each with a
//! message that says what to do. Nothing is lost on any of them: the page still holds the README
//! and the config, and nothing half-written is left behind (a commit lands whole or not at all).

use super::api::Answer;
use serde::Deserialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishError {
    /// The browser could not reach GitHub at all.
    Offline,
    /// 401: the token is wrong, expired or revoked.
    BadToken,
    /// 404 (and 403 without more): GitHub answers the same when the repository does not exist
    /// and when the token may not see it.
    NotFound { repo: String },
    /// The token may read the repository but not write its contents.
    CannotWrite { repo: String },
    /// Writing the workflow file needs the Workflows permission.
    NoWorkflowPermission,
    /// `x-ratelimit-remaining: 0`; the reset is a Unix time in seconds, when GitHub gave it.
    RateLimited { reset_unix: Option<u64> },
    /// The branch only takes changes through pull requests or named people.
    ProtectedBranch { detail: String },
    /// The file or the branch changed between reading and writing: read again, never force.
    Conflict,
    /// The repository is archived, so read-only.
    Archived { repo: String },
    /// The repository has no commit yet (handled by writing its first commit; shown only if
    /// that fails too).
    Empty,
    /// GitHub itself failed (5xx).
    Unavailable { status: u16 },
    /// An answer the page cannot read (a proxy's page, a changed API).
    Unexpected { detail: String },
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishError::Offline => write!(
                f,
                "Could not reach GitHub: check your connection and try again. Nothing was written; the README is still here."
            ),
            PublishError::BadToken => write!(
                f,
                "GitHub refused the token (401): it is wrong, expired or revoked. Make a new fine-grained token and connect again."
            ),
            PublishError::NotFound { repo } => write!(
                f,
                "GitHub finds no repository {repo} this token may see (403/404): check the name, and that the token was given access to this repository."
            ),
            PublishError::CannotWrite { repo } => write!(
                f,
                "This token may read {repo} but not write to it: give it the permission Contents \u{2192} Read and write (Settings \u{2192} Developer settings \u{2192} Fine-grained tokens)."
            ),
            PublishError::NoWorkflowPermission => write!(
                f,
                "GitHub refused to write the workflow file: give the token the permission Workflows \u{2192} Read and write, then try again. Nothing was written."
            ),
            PublishError::RateLimited { reset_unix } => match reset_unix {
                Some(reset) => write!(
                    f,
                    "GitHub's rate limit for this token is used up until {} UTC: try again then. Nothing was written.",
                    clock(*reset)
                ),
                None => write!(
                    f,
                    "GitHub's rate limit for this token is used up: try again in an hour. Nothing was written."
                ),
            },
            PublishError::ProtectedBranch { detail } => write!(
                f,
                "The branch is protected, so GitHub refused the commit ({detail}). Allow this token to push to it, or publish to an unprotected repository. Nothing was written."
            ),
            PublishError::Conflict => write!(
                f,
                "The repository changed while the page was writing to it (someone else's commit or the daily run). Nothing was replaced: try again, and the page will read it anew."
            ),
            PublishError::Archived { repo } => write!(
                f,
                "{repo} is archived, so read-only: unarchive it in its settings on GitHub, or choose another repository."
            ),
            PublishError::Empty => write!(
                f,
                "The repository is empty and its first commit could not be written: add a README on GitHub, then try again."
            ),
            PublishError::Unavailable { status } => write!(
                f,
                "GitHub could not answer just now (HTTP {status}): try again in a few minutes. Nothing was written."
            ),
            PublishError::Unexpected { detail } => write!(
                f,
                "GitHub's answer could not be read ({detail}). Check the GitHub API address in the settings and try again."
            ),
        }
    }
}

/// `HH:MM` of a Unix time, in UTC.
fn clock(unix: u64) -> String {
    let day_seconds = unix % 86_400;
    format!("{:02}:{:02}", day_seconds / 3_600, day_seconds % 3_600 / 60)
}

/// GitHub's error body: `{"message": "...", "documentation_url": "..."}`. Its `errors` details
/// are not read: the message alone tells the failures apart, and reading arbitrary JSON would
/// add to every visitor's download.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
}

/// GitHub's message of a failed answer; empty when the body is not GitHub's JSON.
pub fn message_of(answer: &Answer) -> String {
    serde_json::from_str::<ErrorBody>(&answer.body)
        .map(|b| b.message)
        .unwrap_or_default()
}

/// What a failed answer (any status but 2xx) means. `repo` names the repository in messages.
pub fn classify(answer: &Answer, repo: &str) -> PublishError {
    let message = message_of(answer);
    // ASCII only: GitHub's messages are English, and Unicode's case tables would add to the download.
    let lower = message.to_ascii_lowercase();
    let repo = repo.to_owned();
    let rate_limited = answer.ratelimit_remaining.as_deref().map(str::trim) == Some("0");
    match answer.status {
        401 => PublishError::BadToken,
        403 | 429 if rate_limited || lower.contains("rate limit") => PublishError::RateLimited {
            reset_unix: answer
                .ratelimit_reset
                .as_deref()
                .and_then(|r| r.trim().parse().ok()),
        },
        _ if lower.contains("archived") => PublishError::Archived { repo },
        _ if lower.contains("workflow") => PublishError::NoWorkflowPermission,
        409 | 422 if lower.contains("repository is empty") => PublishError::Empty,
        403 | 409 | 422
            if lower.contains("protected branch")
                || lower.contains("rule violation")
                || lower.contains("pull request") =>
        {
            PublishError::ProtectedBranch {
                detail: first_line(&message),
            }
        }
        403 if lower.contains("not accessible") => PublishError::CannotWrite { repo },
        403 | 404 => PublishError::NotFound { repo },
        // 409: the sha given is not the file's any more; 422: the ref update is not a fast
        // forward, or a file appeared that the page thought absent ("sha" wasn't supplied).
        409 | 422 => PublishError::Conflict,
        500..=599 => PublishError::Unavailable {
            status: answer.status,
        },
        status => PublishError::Unexpected {
            detail: if message.is_empty() {
                format!("HTTP {status}")
            } else {
                format!("HTTP {status}: {}", first_line(&message))
            },
        },
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    line.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, message: &str) -> Answer {
        Answer {
            status,
            body: serde_json::json!({
                "message": message,
                "documentation_url": "https://docs.github.com/rest"
            })
            .to_string(),
            ..Answer::default()
        }
    }

    #[test]
    fn a_bad_or_expired_token_is_401() {
        let e = classify(&answer(401, "Bad credentials"), "me/p");
        assert_eq!(e, PublishError::BadToken);
        assert!(e.to_string().contains("expired"), "{e}");
    }

    #[test]
    fn not_found_and_forbidden_say_check_the_name_and_the_access() {
        let e = classify(&answer(404, "Not Found"), "me/p");
        assert_eq!(
            e,
            PublishError::NotFound {
                repo: "me/p".into()
            }
        );
        assert!(e.to_string().contains("me/p") && e.to_string().contains("check the name"));
        assert_eq!(
            classify(&answer(403, "Forbidden"), "me/p"),
            PublishError::NotFound {
                repo: "me/p".into()
            }
        );
        let e = classify(
            &answer(403, "Resource not accessible by personal access token"),
            "me/p",
        );
        assert_eq!(
            e,
            PublishError::CannotWrite {
                repo: "me/p".into()
            }
        );
        assert!(e.to_string().contains("Contents"), "{e}");
    }

    #[test]
    fn the_rate_limit_says_when_it_resets() {
        let mut a = answer(403, "API rate limit exceeded for user ID 1.");
        a.ratelimit_remaining = Some("0".into());
        // 2026-12-07 18:05:00 UTC
        a.ratelimit_reset = Some("1797271500".into());
        let e = classify(&a, "me/p");
        assert_eq!(
            e,
            PublishError::RateLimited {
                reset_unix: Some(1_797_271_500)
            }
        );
        assert!(e.to_string().contains("until 18:05 UTC"), "{e}");
        let mut b = answer(429, "");
        b.ratelimit_remaining = Some("0".into());
        assert_eq!(
            classify(&b, "me/p"),
            PublishError::RateLimited { reset_unix: None }
        );
        // A 403 with requests left is not the rate limit.
        let mut c = answer(403, "Forbidden");
        c.ratelimit_remaining = Some("4999".into());
        assert_eq!(
            classify(&c, "me/p"),
            PublishError::NotFound {
                repo: "me/p".into()
            }
        );
    }

    #[test]
    fn a_protected_branch_is_told_from_a_conflict() {
        let e = classify(
            &answer(422, "Protected branch update failed for refs/heads/main."),
            "me/p",
        );
        assert!(matches!(e, PublishError::ProtectedBranch { .. }), "{e:?}");
        assert!(
            e.to_string().contains("Protected branch update failed"),
            "{e}"
        );
        let rules = Answer {
            status: 409,
            body: r#"{"message":"Repository rule violations found","errors":["Changes must be made through a pull request."]}"#.into(),
            ..Answer::default()
        };
        assert!(matches!(
            classify(&rules, "me/p"),
            PublishError::ProtectedBranch { .. }
        ));
        assert_eq!(
            classify(
                &answer(
                    409,
                    "README.md does not match 3d21ec53a331a6f037a91c368710b99387d012c1"
                ),
                "me/p"
            ),
            PublishError::Conflict
        );
        assert_eq!(
            classify(&answer(422, "Update is not a fast forward"), "me/p"),
            PublishError::Conflict
        );
        assert_eq!(
            classify(
                &answer(422, "Invalid request.\n\n\"sha\" wasn't supplied."),
                "me/p"
            ),
            PublishError::Conflict
        );
        assert!(PublishError::Conflict
            .to_string()
            .contains("Nothing was replaced"));
    }

    #[test]
    fn archived_empty_workflow_and_server_failures() {
        let e = classify(
            &answer(403, "Repository was archived so is read-only."),
            "me/p",
        );
        assert_eq!(
            e,
            PublishError::Archived {
                repo: "me/p".into()
            }
        );
        assert!(e.to_string().contains("unarchive"));
        assert_eq!(
            classify(&answer(409, "Git Repository is empty."), "me/p"),
            PublishError::Empty
        );
        let e = classify(
            &answer(422, "refusing to allow a Personal Access Token to create or update workflow `.github/workflows/daily-papers.yml` without `workflow` scope"),
            "me/p",
        );
        assert_eq!(e, PublishError::NoWorkflowPermission);
        assert!(e.to_string().contains("Workflows"));
        assert_eq!(
            classify(&answer(502, "Server Error"), "me/p"),
            PublishError::Unavailable { status: 502 }
        );
    }

    #[test]
    fn an_answer_that_is_not_githubs_is_unexpected_not_a_panic() {
        let a = Answer {
            status: 418,
            body: "<html>teapot</html>".into(),
            ..Answer::default()
        };
        let e = classify(&a, "me/p");
        assert_eq!(
            e,
            PublishError::Unexpected {
                detail: "HTTP 418".into()
            }
        );
        assert!(PublishError::Offline.to_string().contains("connection"));
    }
}
