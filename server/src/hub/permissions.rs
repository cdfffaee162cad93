//! Who may send which op. Checked by the hub before the model sees the op, so a client
//! speaking the protocol directly cannot do more than the UI lets it.

use app::board::{Actor, Board, Op};

/// Why an op was refused on permission grounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("only participants post notes")]
    FacilitatorCannotPost,
    #[error("participants may only change their own notes")]
    NotYourNote,
}

/// Participants post notes and change their own; the facilitator moderates any note.
pub fn authorize(board: &Board, actor: &Actor, op: &Op) -> Result<(), Denied> {
    match (actor, op) {
        (Actor::Facilitator, Op::AddNote { .. }) => Err(Denied::FacilitatorCannotPost),
        (Actor::Facilitator, _) => Ok(()),
        (Actor::Participant { .. }, Op::AddNote { .. }) => Ok(()),
        (Actor::Participant { id }, Op::EditNote { note_id, .. } | Op::DeleteNote { note_id }) => {
            match board.notes.get(note_id) {
                // An unknown note is the model's error to report, not a permission question.
                None => Ok(()),
                Some(note) if &note.author == id => Ok(()),
                Some(_) => Err(Denied::NotYourNote),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::board::{BoardId, LaneId, OpContext};

    #[test]
    fn participants_change_only_their_own_notes() {
        let mut b = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
        let cx = OpContext {
            actor: Actor::participant("alice"),
            at: 0,
            seq: 1,
        };
        let add = Op::AddNote {
            note_id: "n".into(),
            lane: LaneId::from("need"),
            text: "x".into(),
            author_name: None,
        };
        b.apply(&cx, &add).unwrap();
        let edit = Op::EditNote {
            note_id: "n".into(),
            text: "y".into(),
        };
        let delete = Op::DeleteNote {
            note_id: "n".into(),
        };
        assert_eq!(authorize(&b, &Actor::participant("alice"), &edit), Ok(()));
        assert_eq!(
            authorize(&b, &Actor::participant("bob"), &edit),
            Err(Denied::NotYourNote)
        );
        assert_eq!(
            authorize(&b, &Actor::participant("bob"), &delete),
            Err(Denied::NotYourNote)
        );
        assert_eq!(authorize(&b, &Actor::Facilitator, &delete), Ok(()));
        assert_eq!(
            authorize(&b, &Actor::Facilitator, &add),
            Err(Denied::FacilitatorCannotPost)
        );
    }
}
