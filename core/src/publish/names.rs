//! What the user types to connect a repository, parsed at the edge: a [`RepoName`], a
//! [`Token`] and the API's [`ApiBase`]. Each is refused with a message that says what to fix.

use std::fmt;

/// GitHub's own API. The page's CSP `connect-src` names its host.
pub const DEFAULT_API_BASE: &str = "https://api.github.com";

/// `owner/repository`, as GitHub allows the names: an owner of letters, digits and single
/// hyphens (at most 39), a repository of letters, digits, `-`, `_` and `.` (at most 100, not
/// `.` or `..`). Checked so a typo is caught before any request, and so nothing but a name ever
/// reaches a URL path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoName {
    owner: String,
    name: String,
}

impl RepoName {
    /// Reads `owner/repository`, also from a pasted address `https://github.com/owner/repository`
    /// (with or without `.git` or a trailing slash).
    pub fn parse(text: &str) -> Result<RepoName, String> {
        let text = text.trim();
        let path = text
            .strip_prefix("https://github.com/")
            .or_else(|| text.strip_prefix("http://github.com/"))
            .or_else(|| text.strip_prefix("github.com/"))
            .unwrap_or(text);
        let path = path.trim_end_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        let Some((owner, name)) = path.split_once('/') else {
            return Err(
                "Give the repository as owner/repository (for example octocat/daily-papers)."
                    .to_owned(),
            );
        };
        let owner_ok = !owner.is_empty()
            && owner.len() <= 39
            && owner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !owner.starts_with('-')
            && !owner.ends_with('-')
            && !owner.contains("--");
        if !owner_ok {
            return Err(format!(
                "\u{201c}{owner}\u{201d} is not a GitHub account name: letters, digits and single hyphens, at most 39."
            ));
        }
        let name_ok = !name.is_empty()
            && name.len() <= 100
            && name != "."
            && name != ".."
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !name_ok {
            return Err(format!(
                "\u{201c}{name}\u{201d} is not a repository name: letters, digits, '-', '_' and '.', at most 100."
            ));
        }
        Ok(RepoName {
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for RepoName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// Which kind of token the user pasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `github_pat_…`: limited to chosen repositories and permissions, what the page asks for.
    FineGrained,
    /// `ghp_…`: its scopes apply to every repository the account can reach.
    Classic,
}

/// A personal access token. Its text is never shown, logged or written by [`fmt::Debug`]: only
/// [`Token::secret`] gives it, for the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    secret: String,
    kind: TokenKind,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({:?}, hidden)", self.kind)
    }
}

impl Token {
    /// Reads a pasted token. Only the characters GitHub's tokens are made of are accepted, so a
    /// token can never break the header it is sent in.
    pub fn parse(text: &str) -> Result<Token, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err(
                "Paste a fine-grained personal access token (it starts with github_pat_)."
                    .to_owned(),
            );
        }
        if !text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err("A GitHub token has only letters, digits and '_': check that it was pasted whole and alone.".to_owned());
        }
        let kind = if let Some(rest) = text.strip_prefix("github_pat_") {
            if rest.len() < 20 {
                return Err(
                    "This token is too short: paste it whole (it is shown once, when it is made)."
                        .to_owned(),
                );
            }
            TokenKind::FineGrained
        } else if let Some(rest) = text.strip_prefix("ghp_") {
            if rest.len() < 20 {
                return Err(
                    "This token is too short: paste it whole (it is shown once, when it is made)."
                        .to_owned(),
                );
            }
            TokenKind::Classic
        } else {
            return Err("This is not a personal access token: make a fine-grained one (it starts with github_pat_) on GitHub under Settings \u{2192} Developer settings.".to_owned());
        };
        Ok(Token {
            secret: text.to_owned(),
            kind,
        })
    }

    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// The token's text, for the `Authorization` header and the browser's storage only.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The header value: GitHub takes `Bearer` for both kinds of token.
    pub fn authorization(&self) -> String {
        format!("Bearer {}", self.secret)
    }

    /// A warning for a classic token, from the scopes GitHub says it has (`x-oauth-scopes`,
    /// sent only for classic tokens): `repo` lets it write every repository of the account.
    pub fn scope_warning(&self, oauth_scopes: Option<&str>) -> Option<String> {
        if self.kind != TokenKind::Classic {
            return None;
        }
        let scopes: Vec<&str> = oauth_scopes
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let wide = scopes
            .iter()
            .any(|s| matches!(*s, "repo" | "admin:org" | "delete_repo" | "admin:repo_hook"));
        Some(if wide {
            format!(
                "This is a classic token with the scopes {}: it can change every repository of your account, not just this one. A fine-grained token limited to this repository is safer (see the help below).",
                scopes.join(", ")
            )
        } else {
            "This is a classic token: its scopes apply to every repository of your account. A fine-grained token limited to this repository is safer (see the help below).".to_owned()
        })
    }
}

/// The API's base address: `https://` anything, or `http://` on this machine only (a fake for
/// tests), without a trailing slash. The token is sent to addresses under it and nowhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase(String);

impl Default for ApiBase {
    fn default() -> Self {
        ApiBase(DEFAULT_API_BASE.to_owned())
    }
}

impl ApiBase {
    pub fn parse(text: &str) -> Result<ApiBase, String> {
        let text = text.trim().trim_end_matches('/');
        if text.is_empty() {
            return Ok(ApiBase::default());
        }
        // Plain http only to this machine, where a test's fake runs: anywhere else the token
        // would cross the network readable.
        let host_part = if let Some(rest) = text.strip_prefix("https://") {
            rest
        } else if let Some(rest) = text.strip_prefix("http://") {
            let host = if rest.starts_with("[::1]") {
                "[::1]"
            } else {
                rest.split([':', '/']).next().unwrap_or_default()
            };
            if matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
                rest
            } else {
                ""
            }
        } else {
            ""
        };
        if host_part.is_empty()
            || host_part.starts_with('/')
            || host_part
                .chars()
                .any(|c| c.is_whitespace() || "?#@\"<>\\".contains(c))
        {
            return Err(format!(
                "The GitHub API address must start with https:// (it is {DEFAULT_API_BASE} for github.com)."
            ));
        }
        Ok(ApiBase(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `url` is under this base (the adapter's last check before it adds the token).
    pub fn covers(&self, url: &str) -> bool {
        url.strip_prefix(self.0.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_names_are_read_from_a_name_or_an_address() {
        for text in [
            "octocat/daily-papers",
            " octocat/daily-papers ",
            "https://github.com/octocat/daily-papers",
            "https://github.com/octocat/daily-papers.git",
            "github.com/octocat/daily-papers/",
        ] {
            let repo = RepoName::parse(text).unwrap();
            assert_eq!(repo.to_string(), "octocat/daily-papers", "{text}");
        }
        assert_eq!(RepoName::parse("a-b/x.y_z").unwrap().name(), "x.y_z");
    }

    #[test]
    fn a_bad_repository_name_says_what_is_wrong() {
        assert!(RepoName::parse("daily-papers")
            .unwrap_err()
            .contains("owner/repository"));
        assert!(RepoName::parse("")
            .unwrap_err()
            .contains("owner/repository"));
        assert!(RepoName::parse("-bad/x")
            .unwrap_err()
            .contains("account name"));
        assert!(RepoName::parse("a--b/x")
            .unwrap_err()
            .contains("account name"));
        assert!(RepoName::parse("me/../x")
            .unwrap_err()
            .contains("repository name"));
        assert!(RepoName::parse("me/..")
            .unwrap_err()
            .contains("repository name"));
        assert!(RepoName::parse("me/a b")
            .unwrap_err()
            .contains("repository name"));
        assert!(RepoName::parse("me/a?x=1")
            .unwrap_err()
            .contains("repository name"));
        assert!(RepoName::parse(&format!("me/{}", "x".repeat(101))).is_err());
    }

    #[test]
    fn tokens_are_told_apart_and_never_printed() {
        let fine = Token::parse(&format!("github_pat_{}", "A1_b".repeat(20))).unwrap();
        assert_eq!(fine.kind(), TokenKind::FineGrained);
        assert!(!format!("{fine:?}").contains("A1_b"));
        assert!(fine.authorization().starts_with("Bearer github_pat_"));
        assert_eq!(fine.scope_warning(Some("repo")), None);
        let classic = Token::parse(&format!(" ghp_{} ", "x".repeat(36))).unwrap();
        assert_eq!(classic.kind(), TokenKind::Classic);
        assert_eq!(classic.secret().len(), 40);
    }

    #[test]
    fn a_bad_token_says_what_to_do() {
        assert!(Token::parse("").unwrap_err().contains("github_pat_"));
        assert!(Token::parse("hunter2")
            .unwrap_err()
            .contains("fine-grained"));
        assert!(Token::parse("github_pat_short")
            .unwrap_err()
            .contains("whole"));
        // A newline or a second word would otherwise end up in the header.
        assert!(
            Token::parse(&format!("github_pat_{}\nX: y", "a".repeat(30)))
                .unwrap_err()
                .contains("pasted whole")
        );
        assert!(Token::parse(&format!("Bearer github_pat_{}", "a".repeat(30))).is_err());
    }

    #[test]
    fn a_classic_token_is_warned_about_its_scope() {
        let classic = Token::parse(&format!("ghp_{}", "x".repeat(36))).unwrap();
        let wide = classic.scope_warning(Some("repo, workflow")).unwrap();
        assert!(
            wide.contains("repo, workflow") && wide.contains("every repository"),
            "{wide}"
        );
        let narrow = classic.scope_warning(Some("public_repo")).unwrap();
        assert!(narrow.contains("classic token"), "{narrow}");
        assert!(classic.scope_warning(None).is_some());
    }

    #[test]
    fn the_api_base_is_github_unless_set_and_only_https_or_this_machine() {
        assert_eq!(ApiBase::parse("").unwrap().as_str(), DEFAULT_API_BASE);
        assert_eq!(ApiBase::default().as_str(), "https://api.github.com");
        assert_eq!(
            ApiBase::parse("http://127.0.0.1:4000/").unwrap().as_str(),
            "http://127.0.0.1:4000"
        );
        assert_eq!(
            ApiBase::parse("https://ghe.example.com/api/v3")
                .unwrap()
                .as_str(),
            "https://ghe.example.com/api/v3"
        );
        assert!(ApiBase::parse("http://evil.example.com").is_err());
        assert!(ApiBase::parse("http://127.0.0.1.evil.example.com").is_err());
        assert!(ApiBase::parse("https://user@api.github.com").is_err());
        assert!(ApiBase::parse("ftp://x").is_err());
        let base = ApiBase::default();
        assert!(base.covers("https://api.github.com/repos/a/b"));
        assert!(!base.covers("https://api.github.com.evil.example/repos"));
        assert!(!base.covers("https://export.arxiv.org/api/query"));
    }
}
