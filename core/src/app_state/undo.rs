//! The Undo offer as the app keeps it: topics removed by one edit become one offer (replacing
//! an earlier one, whose topics are then gone for good), kept in the small store so a reload or
//! another tab offers it too; Undo puts the topics back in their places, unless a topic of the
//! same name was added since.

use super::keys::PENDING_UNDO_KEY;
use super::KeyValueStore;
use crate::arxiv::Paper;
use crate::library::history::TopicHistory;
use crate::library::undo::{PendingUndo, RemovedTopic, UNDO_WINDOW_MS};
use crate::storage_format::write_pending_undo;
use crate::topics::list::{ListedTopic, StoredTopicList};
use crate::topics::TopicList;

/// The entries of `before` that an edit took out of `after`, with their places in `before`.
pub fn removed_by(before: &TopicList, after: &TopicList) -> Vec<(usize, ListedTopic)> {
    before
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, e)| after.get(e.id).is_none())
        .map(|(at, e)| (at, e.clone()))
        .collect()
}

/// The offer for topics removed at `now_ms` (each with its place, papers and history), given in
/// list order (as [`removed_by`] gives them): built as is, where `PendingUndo::new` would sort
/// them, which costs the download a sort of its own.
pub fn offer(
    removed: Vec<(usize, ListedTopic, Vec<Paper>, TopicHistory)>,
    now_ms: u64,
) -> PendingUndo<ListedTopic> {
    PendingUndo {
        removed: removed
            .into_iter()
            .map(|(position, topic, papers, history)| RemovedTopic { position, topic, papers, history })
            .collect(),
        shown_until_ms: now_ms.saturating_add(UNDO_WINDOW_MS),
    }
}

/// Keeps the offer, for a reload and for the other tabs.
pub fn save_offer(store: &impl KeyValueStore, pending: &PendingUndo<ListedTopic>) {
    let _ = store.save(PENDING_UNDO_KEY, "", &write_pending_undo(pending));
}

/// The offer ended (used, or its time is up): no tab offers it any more.
pub fn forget_offer(store: &impl KeyValueStore) {
    let _ = store.remove(PENDING_UNDO_KEY);
}

/// A restored topic's papers and history.
pub type Restored = (Vec<Paper>, TopicHistory);

/// Undo: `current` with the offer's topics back in their places, and each topic's papers and
/// history (in the offer's order). Refused, with the message to show, when a topic of the same
/// name was added since.
pub fn restore(
    pending: PendingUndo<ListedTopic>,
    current: TopicList,
) -> Result<(TopicList, Vec<Restored>), String> {
    let mut stored = StoredTopicList::from(current);
    let rest = pending.restore_into(&mut stored.topics);
    let list = TopicList::try_from(stored)
        .map_err(|e| format!("Could not undo: {e}. Remove or rename it, then Undo."))?;
    Ok((list, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app_state::store::MemoryStore;
    use crate::storage_format::read_pending_undo;

    fn names(list: &TopicList) -> Vec<String> {
        list.entries().iter().map(|e| e.topic.name().to_string()).collect()
    }

    #[test]
    fn a_removal_is_offered_saved_and_undone_in_place() {
        let before = TopicList::examples();
        let mut after = before.clone();
        let second = before.entries()[1].id;
        after.remove(second);
        let removed = removed_by(&before, &after);
        assert_eq!(removed.iter().map(|(at, _)| *at).collect::<Vec<_>>(), [1]);
        let pending = offer(
            removed.into_iter().map(|(at, e)| (at, e, Vec::new(), TopicHistory::default())).collect(),
            5_000,
        );
        assert_eq!(pending.shown_until_ms, 5_000 + UNDO_WINDOW_MS);
        let store = MemoryStore::default();
        save_offer(&store, &pending);
        assert_eq!(store.load(PENDING_UNDO_KEY, "", read_pending_undo), Ok(Some(pending.clone())));
        let (list, rest) = restore(pending, after).unwrap();
        assert_eq!(names(&list), names(&before));
        assert_eq!(list.entries()[1].id, second, "the topic keeps its id, so its papers follow it");
        assert_eq!(rest.len(), 1);
        forget_offer(&store);
        assert_eq!(store.raw(PENDING_UNDO_KEY), Ok(None));
    }

    #[test]
    fn undo_is_refused_when_a_topic_of_the_same_name_was_added_since() {
        let before = TopicList::examples();
        let first = before.entries()[0].clone();
        let mut after = before.clone();
        after.remove(first.id);
        let pending = offer(vec![(0, first.clone(), Vec::new(), TopicHistory::default())], 0);
        after.add(&first.topic.name().to_string()).unwrap();
        let refused = restore(pending, after).unwrap_err();
        assert!(refused.starts_with("Could not undo"), "{refused}");
    }
}
