//! Ops: the intents clients send, and the one function that applies them.
//!
//! `apply` validates the op against the board (does the lane exist, is the text
//! within limits) and changes the board. Who may send which op is *not* decided
//! here: that is the server's permission check, done before `apply`.

use super::{normalise_name, normalise_note_text, Actor, Board, LaneId, Note, NoteId};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An intent to change a board. The wire form is `{"type": "add_note", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    AddNote {
        note_id: NoteId,
        lane: LaneId,
        text: String,
        #[serde(default)]
        author_name: Option<String>,
    },
    EditNote {
        note_id: NoteId,
        text: String,
    },
    DeleteNote {
        note_id: NoteId,
    },
}

impl Op {
    /// The note this op is about.
    pub fn note_id(&self) -> &NoteId {
        match self {
            Op::AddNote { note_id, .. }
            | Op::EditNote { note_id, .. }
            | Op::DeleteNote { note_id } => note_id,
        }
    }
}

/// What the server decided about an op besides the op itself: who, when, which sequence number.
/// Events carry it, so every client applies the op exactly as the server did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpContext {
    pub actor: Actor,
    /// Unix time in milliseconds, from the server's clock.
    pub at: i64,
    pub seq: u64,
}

/// Why an op cannot be applied. Each variant has a stable `code()` for the wire.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OpError {
    #[error("note text is empty")]
    EmptyText,
    #[error("note text has {got} characters; at most {max} are allowed")]
    TextTooLong { max: usize, got: usize },
    #[error("display name has {got} characters; at most {max} are allowed")]
    NameTooLong { max: usize, got: usize },
    #[error("title is empty")]
    EmptyTitle,
    #[error("title has {got} characters; at most {max} are allowed")]
    TitleTooLong { max: usize, got: usize },
    #[error("ids must be 1-64 characters of A-Z, a-z, 0-9, '-' or '_'")]
    InvalidId,
    #[error("there is no lane '{0}' on this board")]
    UnknownLane(LaneId),
    #[error("there is no note '{0}' on this board")]
    UnknownNote(NoteId),
    #[error("a note with id '{0}' already exists")]
    DuplicateNote(NoteId),
    #[error("the sequence number {got} does not follow {head}")]
    OutOfOrder { head: u64, got: u64 },
    #[error("only a participant can post a note")]
    NotAParticipant,
}

impl OpError {
    /// Stable machine-readable code, used on the wire and for translations.
    pub fn code(&self) -> &'static str {
        match self {
            OpError::EmptyText => "empty_text",
            OpError::TextTooLong { .. } => "text_too_long",
            OpError::NameTooLong { .. } => "name_too_long",
            OpError::EmptyTitle => "empty_title",
            OpError::TitleTooLong { .. } => "title_too_long",
            OpError::InvalidId => "invalid_id",
            OpError::UnknownLane(_) => "unknown_lane",
            OpError::UnknownNote(_) => "unknown_note",
            OpError::DuplicateNote(_) => "duplicate_note",
            OpError::OutOfOrder { .. } => "out_of_order",
            OpError::NotAParticipant => "not_a_participant",
        }
    }
}

impl Board {
    /// Validates `op` and applies it as event number `cx.seq`. On error the board is unchanged.
    pub fn apply(&mut self, cx: &OpContext, op: &Op) -> Result<(), OpError> {
        if cx.seq != self.seq + 1 {
            return Err(OpError::OutOfOrder {
                head: self.seq,
                got: cx.seq,
            });
        }
        if !super::is_valid_client_id(op.note_id().as_str()) {
            return Err(OpError::InvalidId);
        }
        match op {
            Op::AddNote {
                note_id,
                lane,
                text,
                author_name,
            } => {
                let Actor::Participant { id: author } = &cx.actor else {
                    return Err(OpError::NotAParticipant);
                };
                if self.lane(lane).is_none() {
                    return Err(OpError::UnknownLane(lane.clone()));
                }
                if self.notes.contains_key(note_id) {
                    return Err(OpError::DuplicateNote(note_id.clone()));
                }
                let note = Note {
                    id: note_id.clone(),
                    lane: lane.clone(),
                    text: normalise_note_text(text)?,
                    author: author.clone(),
                    author_name: normalise_name(author_name.as_deref())?,
                    created_at: cx.at,
                    updated_at: cx.at,
                    version: 1,
                };
                self.notes.insert(note_id.clone(), note);
            }
            Op::EditNote { note_id, text } => {
                let text = normalise_note_text(text)?;
                let note = self
                    .notes
                    .get_mut(note_id)
                    .ok_or_else(|| OpError::UnknownNote(note_id.clone()))?;
                note.text = text;
                note.updated_at = cx.at;
                note.version += 1;
            }
            Op::DeleteNote { note_id } => {
                // shift_remove keeps the display order of the remaining notes.
                self.notes
                    .shift_remove(note_id)
                    .ok_or_else(|| OpError::UnknownNote(note_id.clone()))?;
            }
        }
        self.seq = cx.seq;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::{BoardId, MAX_NOTE_CHARS};

    fn board() -> Board {
        Board::new(BoardId::from("b1"), "Test".into(), "ABC234".into(), 0)
    }

    fn cx(board: &Board, who: &str) -> OpContext {
        OpContext {
            actor: Actor::participant(who),
            at: 1_000 + board.seq as i64,
            seq: board.seq + 1,
        }
    }

    fn add(id: &str, lane: &str, text: &str) -> Op {
        Op::AddNote {
            note_id: id.into(),
            lane: lane.into(),
            text: text.into(),
            author_name: None,
        }
    }

    #[test]
    fn adding_a_note_stores_trimmed_text_author_and_sequence() {
        let mut b = board();
        let c = cx(&b, "p1");
        b.apply(&c, &add("n1", "need", "  Flere bænke  ")).unwrap();
        let note = &b.notes[&NoteId::from("n1")];
        assert_eq!(note.text, "Flere bænke");
        assert_eq!(note.author.as_str(), "p1");
        assert_eq!(note.lane.as_str(), "need");
        assert_eq!(b.seq, 1);
    }

    #[test]
    fn edit_and_delete_change_the_note_and_bump_version() {
        let mut b = board();
        b.apply(&cx(&b, "p1"), &add("n1", "ideas", "a")).unwrap();
        b.apply(
            &cx(&b, "p1"),
            &Op::EditNote {
                note_id: "n1".into(),
                text: "b".into(),
            },
        )
        .unwrap();
        assert_eq!(b.notes[&NoteId::from("n1")].text, "b");
        assert_eq!(b.notes[&NoteId::from("n1")].version, 2);
        b.apply(
            &cx(&b, "p1"),
            &Op::DeleteNote {
                note_id: "n1".into(),
            },
        )
        .unwrap();
        assert!(b.notes.is_empty());
        assert_eq!(b.seq, 3);
    }

    #[test]
    fn invalid_ops_leave_the_board_unchanged() {
        let mut b = board();
        b.apply(&cx(&b, "p1"), &add("n1", "need", "ok")).unwrap();
        let before = b.clone();
        let long = "æ".repeat(MAX_NOTE_CHARS + 1);
        let cases: Vec<(Op, &str)> = vec![
            (add("n2", "need", "   "), "empty_text"),
            (add("n2", "need", &long), "text_too_long"),
            (add("n2", "nowhere", "x"), "unknown_lane"),
            (add("n1", "need", "x"), "duplicate_note"),
            (add("bad id", "need", "x"), "invalid_id"),
            (
                Op::EditNote {
                    note_id: "nope".into(),
                    text: "x".into(),
                },
                "unknown_note",
            ),
            (
                Op::DeleteNote {
                    note_id: "nope".into(),
                },
                "unknown_note",
            ),
        ];
        for (op, code) in cases {
            let err = b.apply(&cx(&b, "p1"), &op).unwrap_err();
            assert_eq!(err.code(), code, "{op:?}");
            assert_eq!(b, before, "{op:?} changed the board");
        }
    }

    #[test]
    fn exactly_280_characters_of_danish_letters_are_allowed() {
        let mut b = board();
        let text = "ø".repeat(MAX_NOTE_CHARS);
        b.apply(&cx(&b, "p1"), &add("n1", "need", &text)).unwrap();
        assert_eq!(
            b.notes[&NoteId::from("n1")].text.chars().count(),
            MAX_NOTE_CHARS
        );
    }

    #[test]
    fn the_facilitator_cannot_post_as_a_participant() {
        let mut b = board();
        let c = OpContext {
            actor: Actor::Facilitator,
            at: 0,
            seq: 1,
        };
        assert_eq!(
            b.apply(&c, &add("n1", "need", "x")),
            Err(OpError::NotAParticipant)
        );
    }

    #[test]
    fn ops_must_arrive_in_sequence() {
        let mut b = board();
        let c = OpContext {
            actor: Actor::participant("p"),
            at: 0,
            seq: 2,
        };
        assert_eq!(
            b.apply(&c, &add("n1", "need", "x")),
            Err(OpError::OutOfOrder { head: 0, got: 2 })
        );
    }

    #[test]
    fn replaying_the_same_events_gives_the_same_board() {
        let ops = [
            add("a", "need", "1"),
            add("b", "ideas", "2"),
            Op::DeleteNote {
                note_id: "a".into(),
            },
        ];
        let mut one = board();
        let mut two = board();
        for op in &ops {
            let c = cx(&one, "p");
            one.apply(&c, op).unwrap();
            two.apply(&c, op).unwrap();
        }
        assert_eq!(one, two);
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(&two).unwrap()
        );
    }

    #[test]
    fn unknown_fields_and_ops_are_rejected_when_decoding() {
        assert!(serde_json::from_str::<Op>(r#"{"type":"explode"}"#).is_err());
        assert!(
            serde_json::from_str::<Op>(r#"{"type":"delete_note","note_id":"a","x":1}"#).is_err()
        );
        let op: Op = serde_json::from_str(r#"{"type":"delete_note","note_id":"a"}"#).unwrap();
        assert_eq!(
            op,
            Op::DeleteNote {
                note_id: "a".into()
            }
        );
    }
}
