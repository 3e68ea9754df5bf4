//! Every key the app keeps in `localStorage`, in one table with what another open tab does when
//! it changes ([`STORED_KEYS`]). The app's saving side writes under these keys and its `storage`
//! event side asks [`stored_key`] what a change means, so a key cannot be saved without its tab
//! behaviour being decided.

/// The topic list (version 2 on).
pub const TOPICS_KEY: &str = "daily-papers/v2/topics";
/// Version 1's keyword list: read when there is no topic list yet, removed once its papers are
/// kept under their topics' ids.
pub const KEYWORDS_KEY: &str = "daily-papers/v1/keywords";
pub const SETTINGS_KEY: &str = "daily-papers/v1/settings";
/// Version 1 kept each keyword's results here, followed by the keyword in lower case. Read once,
/// to move them to the papers database.
pub const RESULTS_PREFIX: &str = "daily-papers/v1/results/";
/// The results keys of the topics whose latest papers could not be saved (a JSON list), so a
/// reload can say which papers are missing.
pub const UNSAVED_KEY: &str = "daily-papers/v2/unsaved-results";
/// The setting "Refresh on open if the last fetch is older than N hours":
/// `{"enabled":true,"afterHours":12}`.
pub const REFRESH_KEY: &str = "daily-papers/v2/refresh-on-open";
/// A removal that can still be undone (the topics and their places; their papers and history
/// stay in the papers database until the offer ends), so a reload does not lose it.
pub const PENDING_UNDO_KEY: &str = "daily-papers/v2/pending-undo";
/// Written after each save of papers (the results key and a time), so other open tabs reread them.
pub const RESULTS_CHANGED_KEY: &str = "daily-papers/v2/results-changed";
/// Written after each save of the read and saved marks, so other open tabs reread them.
pub const MARKS_CHANGED_KEY: &str = "daily-papers/v2/marks-changed";
/// A copy of the first listed topic's first papers, followed by its results key (see
/// [`super::first_screen`]).
pub const FIRST_SCREEN_PREFIX: &str = "daily-papers/v2/first-screen/";
/// "Hide read", `"1"` when on.
pub const HIDE_READ_KEY: &str = "daily-papers/v2/hide-read";
/// The HTML and alphaXiv links, `"0"` when turned off.
pub const READER_LINKS_KEY: &str = "daily-papers/v2/reader-links";
/// "Opening a paper marks it read", `"1"` when on.
pub const OPENING_MARKS_READ_KEY: &str = "daily-papers/v2/opening-marks-read";
/// The side panel, `"open"` or `"closed"`.
pub const PANEL_KEY: &str = "daily-papers-panel";
/// The README's header, as imported.
pub const README_HEADER_KEY: &str = "daily-papers/v1/readme-header";
/// The README's layout, as imported.
pub const README_LAYOUT_KEY: &str = "daily-papers/v1/readme-layout";
/// The repository address the digest links to.
pub const REPO_URL_KEY: &str = "daily-papers/v1/repo-url";
/// Publish to GitHub: the repository, the API's address, the token, and per repository what
/// was last seen there (followed by the repository).
pub const GITHUB_REPO_KEY: &str = "daily-papers/v1/github-repo";
pub const GITHUB_API_KEY: &str = "daily-papers/v1/github-api";
pub const GITHUB_TOKEN_KEY: &str = "daily-papers/v1/github-token";
pub const GITHUB_SEEN_PREFIX: &str = "daily-papers/v1/github-seen/";

/// What an open tab does when another tab changes a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabSync {
    /// Rereads the topic list: papers of topics gone are dropped, those of new topics read.
    Topics,
    /// Rereads the settings.
    Settings,
    /// Rereads the refresh-on-open setting.
    RefreshOnOpen,
    /// Takes the other tab's Undo offer as its own (there is one offer for the app, as there is
    /// one topic list), or drops its offer when the other tab ended or used it.
    PendingUndo,
    /// Takes the other tab's value of an on/off setting.
    Flag(Flag),
    /// Rereads the marks from the papers database.
    MarksChanged,
    /// Rereads one topic's papers from the papers database.
    ResultsChanged,
    /// Nothing: read at start-up only (a version 1 form still to be moved, the list of papers
    /// not saved, the first screen's copy), or read again whenever it is used.
    None,
}

/// The on/off settings kept as one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    HideRead,
    ReaderLinks,
    OpeningMarksRead,
}

impl Flag {
    /// The setting's value for its stored text: `None` (nothing stored) is its default.
    pub fn read(self, stored: Option<&str>) -> bool {
        match self {
            Flag::HideRead | Flag::OpeningMarksRead => stored == Some("1"),
            Flag::ReaderLinks => stored != Some("0"),
        }
    }

    /// The stored text of the setting's value.
    pub fn write(on: bool) -> &'static str {
        if on {
            "1"
        } else {
            "0"
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Flag::HideRead => HIDE_READ_KEY,
            Flag::ReaderLinks => READER_LINKS_KEY,
            Flag::OpeningMarksRead => OPENING_MARKS_READ_KEY,
        }
    }
}

/// A key the app keeps, or a family of keys (`prefix`: the key is followed by a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredKey {
    pub key: &'static str,
    pub prefix: bool,
    pub sync: TabSync,
}

const fn key(key: &'static str, sync: TabSync) -> StoredKey {
    StoredKey {
        key,
        prefix: false,
        sync,
    }
}

const fn prefix(key: &'static str, sync: TabSync) -> StoredKey {
    StoredKey {
        key,
        prefix: true,
        sync,
    }
}

/// Every key the app keeps in `localStorage`, and what another open tab does when it changes.
pub const STORED_KEYS: &[StoredKey] = &[
    key(TOPICS_KEY, TabSync::Topics),
    key(SETTINGS_KEY, TabSync::Settings),
    key(REFRESH_KEY, TabSync::RefreshOnOpen),
    key(PENDING_UNDO_KEY, TabSync::PendingUndo),
    key(HIDE_READ_KEY, TabSync::Flag(Flag::HideRead)),
    key(READER_LINKS_KEY, TabSync::Flag(Flag::ReaderLinks)),
    key(OPENING_MARKS_READ_KEY, TabSync::Flag(Flag::OpeningMarksRead)),
    key(MARKS_CHANGED_KEY, TabSync::MarksChanged),
    key(RESULTS_CHANGED_KEY, TabSync::ResultsChanged),
    key(KEYWORDS_KEY, TabSync::None),
    prefix(RESULTS_PREFIX, TabSync::None),
    key(UNSAVED_KEY, TabSync::None),
    prefix(FIRST_SCREEN_PREFIX, TabSync::None),
    key(PANEL_KEY, TabSync::None),
    key(README_HEADER_KEY, TabSync::None),
    key(README_LAYOUT_KEY, TabSync::None),
    key(REPO_URL_KEY, TabSync::None),
    key(GITHUB_REPO_KEY, TabSync::None),
    key(GITHUB_API_KEY, TabSync::None),
    key(GITHUB_TOKEN_KEY, TabSync::None),
    prefix(GITHUB_SEEN_PREFIX, TabSync::None),
];

/// The table's entry for a key the app keeps; `None` for any other key (another page's).
pub fn stored_key(key: &str) -> Option<&'static StoredKey> {
    STORED_KEYS.iter().find(|k| {
        if k.prefix {
            key.starts_with(k.key)
        } else {
            key == k.key
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_listed_once_and_none_shadows_another() {
        for (at, entry) in STORED_KEYS.iter().enumerate() {
            assert_eq!(stored_key(entry.key), Some(entry), "{} finds its own entry", entry.key);
            for other in &STORED_KEYS[at + 1..] {
                assert_ne!(entry.key, other.key);
            }
        }
    }

    #[test]
    fn the_settings_that_show_on_every_tab_are_synced() {
        for synced in [TOPICS_KEY, SETTINGS_KEY, REFRESH_KEY, PENDING_UNDO_KEY, HIDE_READ_KEY, READER_LINKS_KEY, OPENING_MARKS_READ_KEY] {
            assert_ne!(stored_key(synced).map(|k| k.sync), Some(TabSync::None), "{synced}");
        }
        assert_eq!(stored_key("daily-papers/v2/first-screen/topic/3").map(|k| k.sync), Some(TabSync::None));
        assert_eq!(stored_key("someone-else/key"), None);
    }

    #[test]
    fn flags_read_their_defaults_when_nothing_is_stored() {
        assert!(!Flag::HideRead.read(None));
        assert!(Flag::ReaderLinks.read(None));
        assert!(!Flag::ReaderLinks.read(Some(Flag::write(false))));
        assert!(Flag::OpeningMarksRead.read(Some(Flag::write(true))));
    }
}
