//! What dropping a dragged note or group means, as an op. Pure: the pointer handling lives in
//! `drag.rs`, the decision here, where it is unit-tested.

use idetavle_core::board::{Board, GroupId, LaneId, NoteId, Op};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dragged {
    Note(NoteId),
    Group(GroupId),
}

/// Where something was dropped, read off the element under the pointer.
#[derive(Debug, Clone, PartialEq)]
pub enum DropTarget {
    /// On a note; `before` when on the strip along its top edge (reorder), otherwise on it
    /// (cluster).
    Note { id: NoteId, before: bool },
    /// On a group's frame or title.
    Group(GroupId),
    /// On a lane's empty space.
    Lane(LaneId),
}

/// The op a drop makes, or `None` when it changes nothing. `new_group` supplies the id and
/// title of a group made by dropping a note on a loose note.
pub fn drop_op(board: &Board, dragged: &Dragged, target: &DropTarget, new_group: (GroupId, String)) -> Option<Op> {
    match (dragged, target) {
        (Dragged::Note(id), DropTarget::Note { id: onto, .. }) if id == onto => None,
        (Dragged::Note(id), DropTarget::Note { id: onto, before }) => {
            let target = board.notes.get(onto)?;
            if *before || target.group.is_some() {
                // Into the target's place: same lane, same group, just before it.
                let prev = board
                    .notes
                    .values()
                    .filter(|n| n.lane == target.lane && n.group == target.group && n.rank < target.rank && &n.id != id)
                    .map(|n| n.rank)
                    .fold(target.rank - 1.0, f64::max);
                let rank = (prev + target.rank) / 2.0;
                Some(Op::MoveNote {
                    note_id: id.clone(),
                    lane: target.lane.clone(),
                    group: target.group.clone(),
                    rank: Some(rank),
                })
            } else {
                let (group_id, title) = new_group;
                Some(Op::CreateGroup { group_id, title, note_ids: vec![onto.clone(), id.clone()] })
            }
        }
        (Dragged::Note(id), DropTarget::Group(group)) => {
            let g = board.groups.get(group)?;
            let note = board.notes.get(id)?;
            (note.group.as_ref() != Some(group)).then(|| Op::MoveNote {
                note_id: id.clone(),
                lane: g.lane.clone(),
                group: Some(group.clone()),
                rank: None,
            })
        }
        (Dragged::Note(id), DropTarget::Lane(lane)) => {
            let note = board.notes.get(id)?;
            (note.lane != *lane || note.group.is_some()).then(|| Op::MoveNote {
                note_id: id.clone(),
                lane: lane.clone(),
                group: None,
                rank: None,
            })
        }
        (Dragged::Group(group), DropTarget::Lane(lane)) => {
            let g = board.groups.get(group)?;
            (g.lane != *lane).then(|| Op::MoveGroup { group_id: group.clone(), lane: lane.clone(), rank: None })
        }
        (Dragged::Group(group), DropTarget::Group(onto)) if group != onto => {
            let target = board.groups.get(onto)?;
            Some(Op::MoveGroup { group_id: group.clone(), lane: target.lane.clone(), rank: Some(target.rank - 0.5) })
        }
        (Dragged::Group(group), DropTarget::Note { id, .. }) => {
            let lane = board.notes.get(id)?.lane.clone();
            let g = board.groups.get(group)?;
            (g.lane != lane).then(|| Op::MoveGroup { group_id: group.clone(), lane, rank: None })
        }
        (Dragged::Group(_), DropTarget::Group(_)) => None,
    }
}

/// Moves a note one place up or down among its neighbours (same lane, same group): the
/// keyboard's way to reorder.
pub fn step_op(board: &Board, id: &NoteId, up: bool) -> Option<Op> {
    let note = board.notes.get(id)?;
    let mut siblings: Vec<f64> =
        board.notes_in(&note.lane).filter(|n| n.group == note.group && n.id != *id).map(|n| n.rank).collect();
    siblings.sort_by(f64::total_cmp);
    let rank = if up {
        let before: Vec<f64> = siblings.iter().copied().filter(|r| *r < note.rank).collect();
        match before.as_slice() {
            [] => return None,
            [only] => only - 1.0,
            [.., a, b] => (a + b) / 2.0,
        }
    } else {
        let after: Vec<f64> = siblings.iter().copied().filter(|r| *r > note.rank).collect();
        match after.as_slice() {
            [] => return None,
            [only] => only + 1.0,
            [a, b, ..] => (a + b) / 2.0,
        }
    };
    Some(Op::MoveNote { note_id: id.clone(), lane: note.lane.clone(), group: note.group.clone(), rank: Some(rank) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::board::{Actor, BoardId, OpContext};

    fn board() -> Board {
        let mut b = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
        for id in ["a", "b", "c"] {
            let cx = OpContext { actor: Actor::participant("p"), at: 0, seq: b.seq + 1 };
            b.apply(&cx, &Op::AddNote { note_id: id.into(), lane: "need".into(), text: id.into(), author_name: None })
                .unwrap();
        }
        b
    }

    fn new_group() -> (GroupId, String) {
        (GroupId::from("g1"), "Ny gruppe".into())
    }

    #[test]
    fn a_note_dropped_on_a_loose_note_makes_a_group_of_both() {
        let b = board();
        let op =
            drop_op(&b, &Dragged::Note("c".into()), &DropTarget::Note { id: "a".into(), before: false }, new_group());
        assert_eq!(
            op,
            Some(Op::CreateGroup {
                group_id: "g1".into(),
                title: "Ny gruppe".into(),
                note_ids: vec!["a".into(), "c".into()]
            })
        );
    }

    #[test]
    fn a_note_dropped_on_the_top_of_another_goes_before_it() {
        let b = board();
        let op =
            drop_op(&b, &Dragged::Note("c".into()), &DropTarget::Note { id: "b".into(), before: true }, new_group());
        assert_eq!(op, Some(Op::MoveNote { note_id: "c".into(), lane: "need".into(), group: None, rank: Some(1.5) }));
    }

    #[test]
    fn the_keyboard_moves_a_note_one_place_up_or_down() {
        let b = board(); // a, b, c at ranks 1, 2, 3
        assert_eq!(
            step_op(&b, &"c".into(), true),
            Some(Op::MoveNote { note_id: "c".into(), lane: "need".into(), group: None, rank: Some(1.5) })
        );
        assert_eq!(
            step_op(&b, &"a".into(), false),
            Some(Op::MoveNote { note_id: "a".into(), lane: "need".into(), group: None, rank: Some(2.5) })
        );
        assert_eq!(
            step_op(&b, &"b".into(), true),
            Some(Op::MoveNote { note_id: "b".into(), lane: "need".into(), group: None, rank: Some(0.0) })
        );
        assert_eq!(step_op(&b, &"a".into(), true), None, "already first");
    }

    #[test]
    fn drops_that_change_nothing_make_no_op() {
        let b = board();
        assert_eq!(
            drop_op(&b, &Dragged::Note("a".into()), &DropTarget::Note { id: "a".into(), before: false }, new_group()),
            None
        );
        assert_eq!(drop_op(&b, &Dragged::Note("a".into()), &DropTarget::Lane("need".into()), new_group()), None);
        let op = drop_op(&b, &Dragged::Note("a".into()), &DropTarget::Lane("trials".into()), new_group());
        assert_eq!(op, Some(Op::MoveNote { note_id: "a".into(), lane: "trials".into(), group: None, rank: None }));
    }
}
