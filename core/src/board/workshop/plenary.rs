//! The plenary's own ops. `gather` copies a table's notes into the plenary, each naming its
//! table, so the room can cluster and vote on them as on any note (and the catalogue keeps
//! where an idea came from). `show` says what the room's screen shows: the plenary, every
//! table side by side, or one table.

use super::{Table, Workshop};
use crate::board::{
    is_valid_client_id, normalise_note_text, Board, Change, FromTable, LaneId, Note, NoteId, Op, OpContext, OpError,
};
use serde::{Deserialize, Serialize};

/// Most notes one `gather` copies (a table's top handful; a guard, not a workflow).
pub const MAX_GATHERED: usize = 50;

/// What the room's screen shows of a workshop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Showing {
    #[default]
    Plenary,
    /// Every table side by side.
    Tables,
    Table {
        number: u32,
    },
}

crate::decode_tagged!(Showing, "kind", {
    "plenary" => Plenary {},
    "tables" => Tables {},
    "table" => Table { number },
});

/// One note (or a group, as one note) of a table, as the server copies it into the plenary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatheredNote {
    /// The copy's id on the plenary.
    pub id: NoteId,
    /// The note's or group's id at the table.
    pub source: String,
    pub lane: LaneId,
    pub text: String,
}

crate::decode_struct!(GatheredNote { id, source, lane, text });

impl Board {
    /// `Some` for the plenary's ops (`gather`, `show`), `None` for every other op.
    pub(crate) fn check_plenary_op(&self, cx: &OpContext, op: &Op) -> Option<Result<Change, OpError>> {
        Some(match op {
            Op::Gather { table, notes } => self.workshop().and_then(|w| self.gathered(cx, w, *table, notes)),
            Op::Show { showing } => self.workshop().and_then(|w| {
                if let Showing::Table { number } = showing {
                    table_in(w, *number)?;
                }
                Ok(Change::ShowingSet { showing: *showing })
            }),
            _ => return None,
        })
    }

    /// The copies `gather` adds: every note not copied from that table before.
    fn gathered(&self, cx: &OpContext, w: &Workshop, table: u32, notes: &[GatheredNote]) -> Result<Change, OpError> {
        let table = table_in(w, table)?;
        if notes.len() > MAX_GATHERED {
            return Err(OpError::TooManyGathered { max: MAX_GATHERED });
        }
        let mut copies: Vec<Note> = Vec::new();
        for g in notes {
            if !is_valid_client_id(g.id.as_str()) || !is_valid_client_id(&g.source) {
                return Err(OpError::InvalidId);
            }
            self.lane(&g.lane).ok_or_else(|| OpError::UnknownLane(g.lane.clone()))?;
            // Copied before (asked twice, or by two screens at once): nothing to add.
            if self.copied_from(table.number, &g.source)
                || copies.iter().any(|c| is_copy_of(c, table.number, &g.source))
            {
                continue;
            }
            if self.notes.contains_key(&g.id) || copies.iter().any(|c| c.id == g.id) {
                return Err(OpError::DuplicateNote(g.id.clone()));
            }
            let earlier = copies.iter().filter(|c| c.lane == g.lane).count();
            copies.push(Note {
                id: g.id.clone(),
                lane: g.lane.clone(),
                group: None,
                rank: self.end_rank(&g.lane, None) + earlier as f64,
                text: normalise_note_text(&g.text)?,
                author: None,
                author_name: None,
                created_at: cx.at,
                updated_at: cx.at,
                version: 1,
                votes: 0,
                masked: false,
                mine: false,
                from_table: Some(FromTable { table: table.number, name: table.name.clone(), source: g.source.clone() }),
            });
        }
        Ok(Change::NotesGathered { notes: copies })
    }

    /// Whether the plenary holds a copy of `source` from table `table`.
    pub fn copied_from(&self, table: u32, source: &str) -> bool {
        self.notes.values().any(|n| is_copy_of(n, table, source))
    }

    /// What undoes a `gather`: deleting the copies it will add.
    pub(crate) fn gather_inverse(&self, table: u32, notes: &[GatheredNote]) -> Vec<Op> {
        let mut seen: Vec<&str> = Vec::new();
        let mut ops = Vec::new();
        for g in notes {
            if self.copied_from(table, &g.source) || seen.contains(&g.source.as_str()) {
                continue;
            }
            seen.push(&g.source);
            ops.push(Op::DeleteNote { note_id: g.id.clone() });
        }
        ops
    }

    /// Replays `notes_gathered` and `showing_set`.
    pub(crate) fn replay_plenary(&mut self, change: &Change) {
        match change {
            Change::NotesGathered { notes } => {
                for note in notes {
                    if !self.notes.contains_key(&note.id) {
                        self.notes.insert(note.id.clone(), note.clone());
                    }
                }
            }
            Change::ShowingSet { showing } => {
                if let Some(w) = self.workshop.as_mut() {
                    w.showing = *showing;
                }
            }
            _ => {}
        }
    }
}

fn table_in(w: &Workshop, number: u32) -> Result<&Table, OpError> {
    w.tables.iter().find(|t| t.number == number).ok_or(OpError::UnknownTable(number))
}

fn is_copy_of(note: &Note, table: u32, source: &str) -> bool {
    note.from_table.as_ref().is_some_and(|f| f.table == table && f.source == source)
}

#[cfg(test)]
#[path = "plenary_tests.rs"]
mod tests;
