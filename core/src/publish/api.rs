//! The GitHub REST API requests publishing uses, built as plain values for the browser adapter to
//! send ([`Request`]), and GitHub's answers read back with serde ([`Answer`] and the `read_*`
//! functions). Shapes as GitHub's REST reference documents them (API version 2022-11-28).

use super::error::{classify, PublishError};
use super::names::{ApiBase, RepoName};
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The API version the shapes below follow, sent as `X-GitHub-Api-Version`.
pub const API_VERSION: &str = "2022-11-28";
/// The media type GitHub recommends in `Accept`.
pub const ACCEPT: &str = "application/vnd.github+json";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
    Patch,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Patch => "PATCH",
        }
    }
}

/// One request: the adapter adds the `Authorization`, `Accept` and API version headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    /// JSON, for PUT, POST and PATCH.
    pub body: Option<String>,
}

/// What GitHub answered: the status, the body, and the headers publishing reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// `x-ratelimit-remaining`
    pub ratelimit_remaining: Option<String>,
    /// `x-ratelimit-reset`: a Unix time in seconds.
    pub ratelimit_reset: Option<String>,
    /// `x-oauth-scopes`: a classic token's scopes.
    pub oauth_scopes: Option<String>,
}

impl Answer {
    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The requests for one repository under one API base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    pub base: ApiBase,
    pub repo: RepoName,
}

/// Percent-encodes what a URL path may not hold as is (a branch named `a#b`), keeping `/` since
/// file paths and branch names use it as GitHub does.
fn path_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Serialize)]
struct PutFileBody<'a> {
    message: &'a str,
    content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<&'a str>,
}

#[derive(Serialize)]
struct BlobBody<'a> {
    content: &'a str,
    encoding: &'static str,
}

#[derive(Serialize)]
struct TreeEntry<'a> {
    path: &'a str,
    mode: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    sha: &'a str,
}

#[derive(Serialize)]
struct TreeBody<'a> {
    base_tree: &'a str,
    tree: Vec<TreeEntry<'a>>,
}

#[derive(Serialize)]
struct CommitBody<'a> {
    message: &'a str,
    tree: &'a str,
    parents: [&'a str; 1],
}

#[derive(Serialize)]
struct RefBody<'a> {
    sha: &'a str,
    force: bool,
}

fn json<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

impl Api {
    fn url(&self, rest: &str) -> String {
        format!(
            "{}/repos/{}/{}{rest}",
            self.base.as_str(),
            self.repo.owner(),
            self.repo.name()
        )
    }

    fn get(&self, rest: &str) -> Request {
        Request {
            method: Method::Get,
            url: self.url(rest),
            body: None,
        }
    }

    /// `GET /repos/{owner}/{repo}`: whether it exists, may be written, is archived, its branch.
    pub fn repository(&self) -> Request {
        self.get("")
    }

    /// `GET /repos/{owner}/{repo}/contents/{path}?ref={branch}`
    pub fn file(&self, path: &str, branch: &str) -> Request {
        self.get(&format!(
            "/contents/{}?ref={}",
            path_part(path),
            path_part(branch).replace('/', "%2F")
        ))
    }

    /// `PUT /repos/{owner}/{repo}/contents/{path}`: creates the file, or replaces the version
    /// `sha` (GitHub refuses with 409 when the file is no longer that version).
    pub fn put_file(
        &self,
        path: &str,
        text: &str,
        message: &str,
        sha: Option<&str>,
        branch: Option<&str>,
    ) -> Request {
        Request {
            method: Method::Put,
            url: self.url(&format!("/contents/{}", path_part(path))),
            body: json(&PutFileBody {
                message,
                content: base64::engine::general_purpose::STANDARD.encode(text),
                sha,
                branch,
            }),
        }
    }

    /// `GET /repos/{owner}/{repo}/git/ref/heads/{branch}`: the branch's commit.
    pub fn branch_head(&self, branch: &str) -> Request {
        self.get(&format!("/git/ref/heads/{}", path_part(branch)))
    }

    /// `GET /repos/{owner}/{repo}/git/commits/{sha}`: a commit's tree.
    pub fn commit(&self, sha: &str) -> Request {
        self.get(&format!("/git/commits/{}", path_part(sha)))
    }

    /// `POST /repos/{owner}/{repo}/git/blobs`
    pub fn create_blob(&self, text: &str) -> Request {
        Request {
            method: Method::Post,
            url: self.url("/git/blobs"),
            body: json(&BlobBody {
                content: text,
                encoding: "utf-8",
            }),
        }
    }

    /// `POST /repos/{owner}/{repo}/git/trees`: `base_tree` with the files `(path, blob sha)`
    /// added or replaced (mode `100644`, a plain file).
    pub fn create_tree(&self, base_tree: &str, files: &[(String, String)]) -> Request {
        Request {
            method: Method::Post,
            url: self.url("/git/trees"),
            body: json(&TreeBody {
                base_tree,
                tree: files
                    .iter()
                    .map(|(path, sha)| TreeEntry {
                        path,
                        mode: "100644",
                        kind: "blob",
                        sha,
                    })
                    .collect(),
            }),
        }
    }

    /// `POST /repos/{owner}/{repo}/git/commits`: one parent, the branch's head when read.
    pub fn create_commit(&self, message: &str, tree: &str, parent: &str) -> Request {
        Request {
            method: Method::Post,
            url: self.url("/git/commits"),
            body: json(&CommitBody {
                message,
                tree,
                parents: [parent],
            }),
        }
    }

    /// `PATCH /repos/{owner}/{repo}/git/refs/heads/{branch}` with `force: false`: GitHub refuses
    /// (422, not a fast forward) when the branch moved since it was read, and the page reads
    /// again rather than overwrite someone's commit.
    pub fn update_branch(&self, branch: &str, sha: &str) -> Request {
        Request {
            method: Method::Patch,
            url: self.url(&format!("/git/refs/heads/{}", path_part(branch))),
            body: json(&RefBody { sha, force: false }),
        }
    }
}

// ---- Answers ----

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Permissions {
    #[serde(default)]
    pub admin: bool,
    #[serde(default)]
    pub maintain: bool,
    #[serde(default)]
    pub push: bool,
}

/// What `GET /repos/{owner}/{repo}` tells (the fields used).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Repository {
    pub full_name: String,
    #[serde(default)]
    pub html_url: String,
    #[serde(default)]
    pub archived: bool,
    /// Absent for some empty repositories.
    #[serde(default)]
    pub default_branch: Option<String>,
    #[serde(default)]
    pub permissions: Option<Permissions>,
}

impl Repository {
    pub fn branch(&self) -> &str {
        self.default_branch.as_deref().unwrap_or("main")
    }
}

fn read<T: for<'de> Deserialize<'de>>(answer: &Answer, repo: &RepoName) -> Result<T, PublishError> {
    if !answer.ok() {
        return Err(classify(answer, &repo.to_string()));
    }
    serde_json::from_str(&answer.body).map_err(|e| PublishError::Unexpected {
        detail: e.to_string(),
    })
}

/// The repository, if the token may write it: archived or read-only is an error here, before
/// any write is tried.
pub fn read_repository(answer: &Answer, repo: &RepoName) -> Result<Repository, PublishError> {
    let repository: Repository = read(answer, repo)?;
    if repository.archived {
        return Err(PublishError::Archived {
            repo: repo.to_string(),
        });
    }
    // GitHub lists the account's permissions on the repository; a fine-grained token may still
    // lack Contents write, which only the first write can tell.
    if repository
        .permissions
        .as_ref()
        .is_some_and(|p| !(p.push || p.admin || p.maintain))
    {
        return Err(PublishError::CannotWrite {
            repo: repo.to_string(),
        });
    }
    Ok(repository)
}

/// A file as the repository holds it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    /// The blob's sha, given back when replacing it.
    pub sha: String,
    /// Its text; `None` when GitHub did not send it (over 1 MB) or it is not UTF-8.
    pub text: Option<String>,
}

#[derive(Deserialize)]
struct Contents {
    #[serde(rename = "type")]
    kind: String,
    sha: String,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

/// `GET …/contents/{path}`: the file, or `None` when there is none (404, also in an empty
/// repository). A directory at the path is an error: writing would fail.
pub fn read_file(answer: &Answer, repo: &RepoName) -> Result<Option<RemoteFile>, PublishError> {
    if answer.status == 404 {
        // A 404 for the file, not the repository: the repository was read just before.
        return Ok(None);
    }
    let contents: Contents = read(answer, repo)?;
    if contents.kind != "file" {
        return Err(PublishError::Unexpected {
            detail: format!("the repository has a {} where the file goes", contents.kind),
        });
    }
    let text = match (contents.encoding.as_deref(), contents.content) {
        (Some("base64"), Some(encoded)) => {
            // GitHub wraps the base64 in lines of 60 characters.
            let packed: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(packed)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
        }
        _ => None,
    };
    Ok(Some(RemoteFile {
        sha: contents.sha,
        text,
    }))
}

#[derive(Deserialize)]
struct Sha {
    sha: String,
}

/// Every answer of the git data API and of a file's update, read by one type: the fields each
/// answer has are filled, the others left out (one reader costs less download than five).
#[derive(Deserialize)]
struct Made {
    /// A blob's, tree's or commit's own sha.
    #[serde(default)]
    sha: String,
    #[serde(default)]
    html_url: Option<String>,
    /// A commit's tree.
    #[serde(default)]
    tree: Option<Sha>,
    /// A ref's commit.
    #[serde(default)]
    object: Option<Sha>,
    /// `PUT …/contents/{path}`: the file written and the commit.
    #[serde(default)]
    content: Option<Sha>,
    #[serde(default)]
    commit: Option<CommitMade>,
}

fn missing(what: &str) -> PublishError {
    PublishError::Unexpected {
        detail: format!("no {what} in GitHub's answer"),
    }
}

/// A commit GitHub made: its sha and its page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CommitMade {
    pub sha: String,
    #[serde(default)]
    pub html_url: String,
}

/// What `PUT …/contents/{path}` wrote: the file's new sha (the version the page has now seen)
/// and the commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWritten {
    pub file_sha: String,
    pub commit: CommitMade,
}

pub fn read_put_file(answer: &Answer, repo: &RepoName) -> Result<FileWritten, PublishError> {
    let put: Made = read(answer, repo)?;
    Ok(FileWritten {
        file_sha: put.content.ok_or_else(|| missing("file"))?.sha,
        commit: put.commit.ok_or_else(|| missing("commit"))?,
    })
}

/// `GET …/git/ref/heads/{branch}`: the branch's commit; [`PublishError::Empty`] when the
/// repository has none yet (GitHub's 409 "Git Repository is empty.").
pub fn read_branch_head(answer: &Answer, repo: &RepoName) -> Result<String, PublishError> {
    let made: Made = read(answer, repo)?;
    Ok(made.object.ok_or_else(|| missing("commit"))?.sha)
}

/// `GET …/git/commits/{sha}`: the commit's tree.
pub fn read_commit_tree(answer: &Answer, repo: &RepoName) -> Result<String, PublishError> {
    let made: Made = read(answer, repo)?;
    Ok(made.tree.ok_or_else(|| missing("tree"))?.sha)
}

/// `POST …/git/blobs` and `POST …/git/trees`: the new object's sha. Read as [`Sha`] alone: a
/// tree's answer lists its entries under `tree`, which [`Made`] reads as a commit's tree.
pub fn read_created_sha(answer: &Answer, repo: &RepoName) -> Result<String, PublishError> {
    read::<Sha>(answer, repo).map(|s| s.sha)
}

/// `POST …/git/commits`: the new commit.
pub fn read_created_commit(answer: &Answer, repo: &RepoName) -> Result<CommitMade, PublishError> {
    let made: Made = read(answer, repo)?;
    if made.sha.is_empty() {
        return Err(missing("commit"));
    }
    Ok(CommitMade {
        sha: made.sha,
        html_url: made.html_url.unwrap_or_default(),
    })
}

/// `PATCH …/git/refs/heads/{branch}`: the branch's new commit.
pub fn read_branch_updated(answer: &Answer, repo: &RepoName) -> Result<String, PublishError> {
    read_branch_head(answer, repo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn api() -> Api {
        Api {
            base: ApiBase::default(),
            repo: RepoName::parse("octocat/daily-papers").unwrap(),
        }
    }

    fn ok(body: Value) -> Answer {
        Answer {
            status: 200,
            body: body.to_string(),
            ..Answer::default()
        }
    }

    fn body(request: &Request) -> Value {
        serde_json::from_str(request.body.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn requests_have_githubs_paths_and_bodies() {
        let api = api();
        assert_eq!(
            api.repository().url,
            "https://api.github.com/repos/octocat/daily-papers"
        );
        let get = api.file("README.md", "main");
        assert_eq!(get.method, Method::Get);
        assert_eq!(
            get.url,
            "https://api.github.com/repos/octocat/daily-papers/contents/README.md?ref=main"
        );
        assert_eq!(
            api.file(".github/workflows/daily-papers.yml", "feat/x#1").url,
            "https://api.github.com/repos/octocat/daily-papers/contents/.github/workflows/daily-papers.yml?ref=feat%2Fx%231"
        );
        let put = api.put_file(
            "README.md",
            "# Hi\n",
            "Update README",
            Some("abc"),
            Some("main"),
        );
        assert_eq!(put.method, Method::Put);
        assert_eq!(
            body(&put),
            json!({"message": "Update README", "content": "IyBIaQo=", "sha": "abc", "branch": "main"})
        );
        let create = api.put_file("README.md", "x", "m", None, None);
        assert_eq!(body(&create), json!({"message": "m", "content": "eA=="}));
        assert_eq!(
            api.branch_head("main").url,
            "https://api.github.com/repos/octocat/daily-papers/git/ref/heads/main"
        );
        assert_eq!(
            api.commit("c0ffee").url,
            "https://api.github.com/repos/octocat/daily-papers/git/commits/c0ffee"
        );
        assert_eq!(
            body(&api.create_blob("a\n")),
            json!({"content": "a\n", "encoding": "utf-8"})
        );
        assert_eq!(
            body(&api.create_tree("t1", &[("daily-papers.json".into(), "b1".into())])),
            json!({"base_tree": "t1", "tree": [{"path": "daily-papers.json", "mode": "100644", "type": "blob", "sha": "b1"}]})
        );
        assert_eq!(
            body(&api.create_commit("m", "t2", "p1")),
            json!({"message": "m", "tree": "t2", "parents": ["p1"]})
        );
        let patch = api.update_branch("main", "c2");
        assert_eq!(patch.method, Method::Patch);
        assert_eq!(
            patch.url,
            "https://api.github.com/repos/octocat/daily-papers/git/refs/heads/main"
        );
        assert_eq!(body(&patch), json!({"sha": "c2", "force": false}));
    }

    #[test]
    fn the_repository_is_read_and_a_read_only_or_archived_one_refused() {
        let repo = api().repo;
        let answer = ok(json!({
            "id": 1, "full_name": "octocat/daily-papers", "html_url": "https://github.com/octocat/daily-papers",
            "archived": false, "default_branch": "trunk", "private": true,
            "permissions": {"admin": false, "maintain": false, "push": true, "triage": true, "pull": true}
        }));
        let r = read_repository(&answer, &repo).unwrap();
        assert_eq!(r.branch(), "trunk");
        let archived = ok(
            json!({"full_name": "octocat/daily-papers", "archived": true, "default_branch": "main"}),
        );
        assert_eq!(
            read_repository(&archived, &repo).unwrap_err(),
            PublishError::Archived {
                repo: "octocat/daily-papers".into()
            }
        );
        let read_only = ok(
            json!({"full_name": "octocat/daily-papers", "default_branch": "main", "permissions": {"push": false, "pull": true}}),
        );
        assert!(matches!(
            read_repository(&read_only, &repo),
            Err(PublishError::CannotWrite { .. })
        ));
        let garbage = Answer {
            status: 200,
            body: "<html>".into(),
            ..Answer::default()
        };
        assert!(matches!(
            read_repository(&garbage, &repo),
            Err(PublishError::Unexpected { .. })
        ));
    }

    #[test]
    fn a_file_is_decoded_from_githubs_wrapped_base64() {
        let repo = api().repo;
        let text = "# Daily Papers\n\n".repeat(10);
        let encoded = base64::engine::general_purpose::STANDARD.encode(&text);
        let wrapped: Vec<String> = encoded
            .as_bytes()
            .chunks(60)
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        let answer = ok(
            json!({"type": "file", "encoding": "base64", "size": text.len(), "name": "README.md",
            "path": "README.md", "content": wrapped.join("\n") + "\n", "sha": "3d21ec53"}),
        );
        let file = read_file(&answer, &repo).unwrap().unwrap();
        assert_eq!(file.sha, "3d21ec53");
        assert_eq!(file.text.as_deref(), Some(text.as_str()));
        // Over 1 MB GitHub sends no content: the sha is still known.
        let big = ok(json!({"type": "file", "encoding": "none", "content": "", "sha": "s"}));
        assert_eq!(read_file(&big, &repo).unwrap().unwrap().text, None);
        let missing = Answer {
            status: 404,
            body: r#"{"message":"Not Found"}"#.into(),
            ..Answer::default()
        };
        assert_eq!(read_file(&missing, &repo).unwrap(), None);
        let dir = ok(json!([{"type": "file", "sha": "x"}]));
        assert!(read_file(&dir, &repo).is_err());
        let dir = ok(json!({"type": "dir", "sha": "x"}));
        assert!(read_file(&dir, &repo)
            .unwrap_err()
            .to_string()
            .contains("dir"));
    }

    #[test]
    fn written_files_commits_and_refs_are_read() {
        let repo = api().repo;
        let put = Answer { status: 201, body: json!({
            "content": {"name": "README.md", "path": "README.md", "sha": "f2"},
            "commit": {"sha": "c2", "html_url": "https://github.com/octocat/daily-papers/commit/c2", "message": "m"}
        }).to_string(), ..Answer::default() };
        let written = read_put_file(&put, &repo).unwrap();
        assert_eq!(written.file_sha, "f2");
        assert_eq!(
            written.commit.html_url,
            "https://github.com/octocat/daily-papers/commit/c2"
        );
        let head = ok(json!({"ref": "refs/heads/main", "object": {"sha": "p1", "type": "commit"}}));
        assert_eq!(read_branch_head(&head, &repo).unwrap(), "p1");
        let empty = Answer {
            status: 409,
            body: r#"{"message":"Git Repository is empty."}"#.into(),
            ..Answer::default()
        };
        assert_eq!(
            read_branch_head(&empty, &repo).unwrap_err(),
            PublishError::Empty
        );
        let commit = ok(json!({"sha": "p1", "tree": {"sha": "t1"}, "parents": []}));
        assert_eq!(read_commit_tree(&commit, &repo).unwrap(), "t1");
        let made = Answer { status: 201, body: json!({"sha": "c3", "html_url": "https://github.com/o/r/commit/c3", "tree": {"sha": "t2"}}).to_string(), ..Answer::default() };
        assert_eq!(read_created_commit(&made, &repo).unwrap().sha, "c3");
        let blob = Answer {
            status: 201,
            body: json!({"sha": "b1", "url": "u"}).to_string(),
            ..Answer::default()
        };
        assert_eq!(read_created_sha(&blob, &repo).unwrap(), "b1");
        let moved = Answer {
            status: 422,
            body: r#"{"message":"Update is not a fast forward"}"#.into(),
            ..Answer::default()
        };
        assert_eq!(
            read_branch_updated(&moved, &repo).unwrap_err(),
            PublishError::Conflict
        );
    }
}
