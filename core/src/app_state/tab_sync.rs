//! What another tab's change of a stored key means here: the `storage` event gives the key and
//! its new text, [`other_tab_changed`] reads it by the key's entry in [`super::keys::STORED_KEYS`],
//! and the app applies the [`TabChange`] to its signals.

use super::keys::{stored_key, TabSync, Flag};
use crate::library::refresh::RefreshOnOpen;
use crate::library::results::results_key;
use crate::library::undo::PendingUndo;
use crate::settings::Settings;
use crate::storage_format::{read_pending_undo, read_refresh, read_settings, read_topics};
use crate::topics::list::ListedTopic;
use crate::topics::{TopicId, TopicList};

/// A change another tab made, read.
#[derive(Debug, Clone, PartialEq)]
pub enum TabChange {
    Topics(TopicList),
    Settings(Settings),
    Refresh(RefreshOnOpen),
    /// The other tab's Undo offer, or `None` once it ended or was used there.
    Undo(Option<PendingUndo<ListedTopic>>),
    Flag(Flag, bool),
    /// The marks were saved: read them again.
    Marks,
    /// The papers under this results key were saved: read them again.
    Results(String),
}

/// What the other tab's change of `key` to `new_text` (`None`: removed) means here; `None` when
/// nothing changes: a key that does not sync, another page's key, or a text that does not read
/// (this tab keeps what it has).
pub fn other_tab_changed(key: &str, new_text: Option<&str>) -> Option<TabChange> {
    let sync = stored_key(key)?.sync;
    match sync {
        TabSync::Topics => read_topics(new_text?).ok().map(TabChange::Topics),
        TabSync::Settings => read_settings(new_text?).ok().map(TabChange::Settings),
        TabSync::RefreshOnOpen => read_refresh(new_text?).ok().map(TabChange::Refresh),
        TabSync::PendingUndo => match new_text {
            None => Some(TabChange::Undo(None)),
            Some(text) => read_pending_undo(text).ok().map(|p| TabChange::Undo(Some(p))),
        },
        TabSync::Flag(flag) => Some(TabChange::Flag(flag, flag.read(new_text))),
        TabSync::MarksChanged => Some(TabChange::Marks),
        // `results key \n time`: the time makes each save a change.
        TabSync::ResultsChanged => Some(TabChange::Results(new_text?.split('\n').next()?.to_owned())),
        TabSync::None => None,
    }
}

/// How another tab's topic list differs from this tab's: the results keys of topics gone (their
/// papers and history leave memory) and the ids of topics new here (their papers are read).
pub fn topics_changed(before: &TopicList, after: &TopicList) -> (Vec<String>, Vec<TopicId>) {
    let gone = before
        .entries()
        .iter()
        .filter(|e| after.get(e.id).is_none())
        .map(|e| results_key(e.id))
        .collect();
    let new = after
        .entries()
        .iter()
        .filter(|e| before.get(e.id).is_none())
        .map(|e| e.id)
        .collect();
    (gone, new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app_state::keys::*;
    use crate::app_state::store::MemoryStore;
    use crate::app_state::undo::{offer, removed_by, save_offer};
    use crate::app_state::KeyValueStore;
    use crate::library::history::TopicHistory;
    use crate::storage_format::{write_refresh, write_settings, write_topics};

    /// Two tabs share one store; a save in one is an event in the other with the new text.
    fn event(store: &MemoryStore, key: &str) -> Option<TabChange> {
        other_tab_changed(key, store.raw(key).unwrap().as_deref())
    }

    #[test]
    fn the_refresh_setting_saved_in_one_tab_shows_in_the_other() {
        let store = MemoryStore::default();
        let setting = RefreshOnOpen::default().with_enabled(false);
        store.save(REFRESH_KEY, "", &write_refresh(&setting)).unwrap();
        assert_eq!(event(&store, REFRESH_KEY), Some(TabChange::Refresh(setting)));
    }

    #[test]
    fn one_tabs_undo_offer_becomes_the_others_and_its_end_ends_it_there() {
        let store = MemoryStore::default();
        let before = TopicList::examples();
        let mut after = before.clone();
        after.remove(before.entries()[0].id);
        let removed = removed_by(&before, &after)
            .into_iter()
            .map(|(at, e)| (at, e, Vec::new(), TopicHistory::default()))
            .collect();
        let pending = offer(removed, 1_000);
        save_offer(&store, &pending);
        assert_eq!(event(&store, PENDING_UNDO_KEY), Some(TabChange::Undo(Some(pending))));
        store.remove(PENDING_UNDO_KEY).unwrap();
        assert_eq!(event(&store, PENDING_UNDO_KEY), Some(TabChange::Undo(None)));
    }

    #[test]
    fn topics_settings_flags_and_saves_of_papers_and_marks_sync() {
        let store = MemoryStore::default();
        let topics = TopicList::examples();
        store.save(TOPICS_KEY, "", &write_topics(&topics)).unwrap();
        assert_eq!(event(&store, TOPICS_KEY), Some(TabChange::Topics(topics)));
        let mut settings = Settings::default();
        settings.set_spacing("5").unwrap();
        store.save(SETTINGS_KEY, "", &write_settings(&settings)).unwrap();
        assert_eq!(event(&store, SETTINGS_KEY), Some(TabChange::Settings(settings)));
        store.save(OPENING_MARKS_READ_KEY, "", Flag::write(true)).unwrap();
        assert_eq!(event(&store, OPENING_MARKS_READ_KEY), Some(TabChange::Flag(Flag::OpeningMarksRead, true)));
        assert_eq!(other_tab_changed(READER_LINKS_KEY, None), Some(TabChange::Flag(Flag::ReaderLinks, true)));
        assert_eq!(
            other_tab_changed(RESULTS_CHANGED_KEY, Some("topic/4\n1700000000000")),
            Some(TabChange::Results("topic/4".to_owned()))
        );
        assert_eq!(other_tab_changed(MARKS_CHANGED_KEY, Some("1")), Some(TabChange::Marks));
    }

    #[test]
    fn what_does_not_read_or_does_not_sync_changes_nothing() {
        assert_eq!(other_tab_changed(TOPICS_KEY, Some("{not json")), None);
        assert_eq!(other_tab_changed(TOPICS_KEY, None), None, "a list removed elsewhere is kept here");
        assert_eq!(other_tab_changed(UNSAVED_KEY, Some("[]")), None);
        assert_eq!(other_tab_changed("another-page/key", Some("1")), None);
    }

    #[test]
    fn a_topic_list_from_another_tab_says_which_topics_went_and_came() {
        let before = TopicList::examples();
        let mut after = before.clone();
        let gone = before.entries()[0].id;
        after.remove(gone);
        let new = after.add("Diffusion Models").unwrap();
        assert_eq!(topics_changed(&before, &after), (vec![results_key(gone)], vec![new]));
    }
}
