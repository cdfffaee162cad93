//! Promoting a note or a group from a workshop board into the catalogue.

use super::{CatalogueError, Entry, EntryFields, EntryId, Origin, OriginNote, MAX_TEXT_CHARS};
use crate::board::{clip, Board, GroupId, Note, NoteId, MAX_TITLE_CHARS};
use serde::{Deserialize, Serialize};

/// What the facilitator promotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum PromoteSource {
    Note(NoteId),
    Group(GroupId),
}

impl Entry {
    /// A new idea from a note or group of `board` (the facilitator's view: no masked texts).
    /// The title is the group's title or the note's first line; the notes and their votes are
    /// kept as the entry's origin, most voted first.
    pub fn promoted(id: EntryId, board: &Board, source: &PromoteSource, at: i64) -> Result<Entry, CatalogueError> {
        let (lane, group_title, mut notes): (_, Option<String>, Vec<&Note>) = match source {
            PromoteSource::Note(note_id) => {
                let note = board.notes.get(note_id).ok_or(CatalogueError::UnknownSource)?;
                (note.lane.clone(), None, vec![note])
            }
            PromoteSource::Group(group_id) => {
                let group = board.groups.get(group_id).ok_or(CatalogueError::UnknownSource)?;
                let notes = board.notes_in(&group.lane).filter(|n| n.group.as_ref() == Some(group_id)).collect();
                (group.lane.clone(), Some(group.title.clone()), notes)
            }
        };
        if notes.iter().any(|n| n.masked) {
            return Err(CatalogueError::UnknownSource);
        }
        notes.sort_by_key(|n| std::cmp::Reverse(n.votes));
        let title = match &group_title {
            Some(title) => title.clone(),
            None => first_line(notes.first().map_or("", |n| n.text.as_str())),
        };
        let description = match &group_title {
            Some(_) => notes.iter().map(|n| format!("- {}", n.text)).collect::<Vec<_>>().join("\n"),
            None => notes.first().map(|n| n.text.clone()).unwrap_or_default(),
        };
        let origin = Origin {
            board_id: board.id.clone(),
            board_title: board.title.clone(),
            board_created_at: board.created_at,
            lane,
            group_title,
            notes: notes
                .iter()
                .map(|n| OriginNote {
                    id: n.id.clone(),
                    text: n.text.clone(),
                    votes: n.votes,
                    from_table: n.from_table.clone(),
                })
                .collect(),
        };
        let description = clip(&description, MAX_TEXT_CHARS);
        let fields = EntryFields { title, description, ..EntryFields::default() }.normalised()?;
        Ok(Entry::new(id, fields, Some(origin), at))
    }
}

/// A note's first line, shortened to fit a title.
fn first_line(text: &str) -> String {
    clip(text.lines().next().unwrap_or("").trim(), MAX_TITLE_CHARS)
}
