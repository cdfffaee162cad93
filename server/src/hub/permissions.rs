//! Who may send which op. Checked by the hub before the model sees the op, so a client
//! speaking the protocol directly cannot do more than the UI lets it.

use idetavle_core::board::{Actor, Board, Op};

/// Why an op was refused on permission grounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("only the facilitator may do this")]
    FacilitatorOnly,
    #[error("only participants post notes and vote")]
    ParticipantsOnly,
    #[error("participants may only change their own notes")]
    NotYourNote,
    #[error("the facilitator removed you from this board")]
    Removed,
    #[error("the presentation screen only shows the board")]
    Presenter,
}

/// Participants post notes, change their own and vote; the facilitator runs the room and
/// moderates any note.
pub fn authorize(board: &Board, actor: &Actor, op: &Op) -> Result<(), Denied> {
    match actor {
        Actor::Facilitator => match op {
            Op::AddNote { .. } | Op::Vote { .. } | Op::Unvote { .. } | Op::JoinWorkshop { .. } => {
                Err(Denied::ParticipantsOnly)
            }
            _ => Ok(()),
        },
        Actor::Presenter => Err(Denied::Presenter),
        Actor::Participant { id } => {
            if board.removed.contains(id) {
                return Err(Denied::Removed);
            }
            if op.is_facilitation() {
                return Err(Denied::FacilitatorOnly);
            }
            match op {
                Op::EditNote { note_id, .. } | Op::DeleteNote { note_id } => match board.notes.get(note_id) {
                    // An unknown note is the model's error to report, not a permission question.
                    Some(note) if note.author.as_ref() != Some(id) => Err(Denied::NotYourNote),
                    _ => Ok(()),
                },
                _ => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::board::{BoardId, LaneId, OpContext};

    #[test]
    fn participants_change_only_their_own_notes_and_never_facilitate() {
        let mut b = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
        let cx = OpContext { actor: Actor::participant("alice"), at: 0, seq: 1 };
        let add = Op::AddNote { note_id: "n".into(), lane: LaneId::from("need"), text: "x".into(), author_name: None };
        b.apply(&cx, &add).unwrap();
        let edit = Op::EditNote { note_id: "n".into(), text: "y".into() };
        let delete = Op::DeleteNote { note_id: "n".into() };
        let bob = Actor::participant("bob");
        assert_eq!(authorize(&b, &Actor::participant("alice"), &edit), Ok(()));
        assert_eq!(authorize(&b, &bob, &edit), Err(Denied::NotYourNote));
        assert_eq!(authorize(&b, &bob, &delete), Err(Denied::NotYourNote));
        assert_eq!(authorize(&b, &bob, &Op::SetLocked { locked: true }), Err(Denied::FacilitatorOnly));
        assert_eq!(authorize(&b, &Actor::Facilitator, &delete), Ok(()));
        assert_eq!(authorize(&b, &Actor::Facilitator, &add), Err(Denied::ParticipantsOnly));
    }
}
