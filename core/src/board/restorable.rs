//! What `restore_note` and `restore_group` may put back: notes the facilitator deleted and
//! groups the facilitator's actions dissolved, exactly as they were. Nothing else can be
//! "restored": not another board's note (with its author), not a note its author withdrew.
//!
//! Filled by [`Board::apply`] (which knows who acts), not by replay: like the undo history it
//! serves, it lasts as long as the board is held in memory.

use super::{Board, Change, Group, GroupId, Note, NoteId};
use indexmap::IndexMap;

/// Most notes (and most groups) remembered; undo reaches back 50 steps.
const REMEMBERED: usize = 256;

/// Not part of the board's value: never serialised, and equal for any two boards.
#[derive(Debug, Clone, Default)]
pub struct Restorable {
    notes: IndexMap<NoteId, Note>,
    groups: IndexMap<GroupId, Group>,
}

impl PartialEq for Restorable {
    fn eq(&self, _: &Restorable) -> bool {
        true
    }
}

impl Restorable {
    /// The note as the facilitator deleted it, if `note` is exactly that.
    pub fn note(&self, note: &Note) -> Option<&Note> {
        self.notes.get(&note.id).filter(|was| *was == note)
    }

    /// The group as it was dissolved, if `group` is exactly that.
    pub fn group(&self, group: &Group) -> Option<&Group> {
        self.groups.get(&group.id).filter(|was| *was == group)
    }

    fn remember<K: std::hash::Hash + Eq, V>(map: &mut IndexMap<K, V>, key: K, value: V) {
        map.shift_remove(&key);
        map.insert(key, value);
        if map.len() > REMEMBERED {
            map.shift_remove_index(0);
        }
    }
}

impl Board {
    /// Before the facilitator's `change` is replayed: what it may take away — the note it
    /// deletes, and the groups its notes leave (the only ones a change can dissolve). Only
    /// those are copied, not the whole board's groups: this runs on every drag.
    pub(super) fn about_to_remove(&self, change: &Change) -> Option<(Option<Note>, Vec<Group>)> {
        let group_of = |id: &NoteId| self.notes.get(id)?.group.as_ref().and_then(|g| self.groups.get(g)).cloned();
        match change {
            Change::NoteDeleted { note_id } => {
                Some((self.notes.get(note_id).cloned(), group_of(note_id).into_iter().collect()))
            }
            Change::NoteMoved { note_id, .. } => Some((None, group_of(note_id).into_iter().collect())),
            Change::GroupCreated { note_ids, .. } => Some((None, note_ids.iter().filter_map(group_of).collect())),
            Change::Ungrouped { group_id } => Some((None, self.groups.get(group_id).cloned().into_iter().collect())),
            _ => None,
        }
    }

    /// After the change: remembers what it took away; forgets what came back.
    pub(super) fn remember_removed(&mut self, removed: Option<(Option<Note>, Vec<Group>)>, change: &Change) {
        if let Some((note, groups_before)) = removed {
            if let Some(note) = note {
                Restorable::remember(&mut self.restorable.notes, note.id.clone(), note);
            }
            for group in groups_before {
                if !self.groups.contains_key(&group.id) {
                    Restorable::remember(&mut self.restorable.groups, group.id.clone(), group);
                }
            }
        }
        match change {
            Change::NoteRestored { note } => {
                self.restorable.notes.shift_remove(&note.id);
            }
            Change::GroupRestored { group } => {
                self.restorable.groups.shift_remove(&group.id);
            }
            _ => {}
        }
    }
}
