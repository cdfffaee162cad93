//! The keyboard's way to do what dragging does: the places a note or a group can move to, and
//! the op each one makes. Pure, so it is unit-tested; `move_menu.rs` shows them as buttons.

use super::drop::step_op;
use idetavle_core::board::{Board, GroupId, Lane, LaneId, NoteId, Op};

/// Where the keyboard can send a note or a group.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Up,
    Down,
    /// To another lane (for a note: loose there; a grouped note: out of its group too).
    Lane(Lane),
    /// Into this group (notes only).
    Group(GroupId, String),
    /// A new group holding just this note (notes only).
    NewGroup,
    /// Out of its group, staying in its lane (notes only).
    OutOfGroup,
}

/// Up and down, each where a step that way exists.
fn steps(up: bool, down: bool) -> Vec<Target> {
    [(up, Target::Up), (down, Target::Down)].into_iter().filter_map(|(can, step)| can.then_some(step)).collect()
}

/// Every place a note can go now, in menu order.
pub fn note_targets(board: &Board, id: &NoteId) -> Vec<Target> {
    let Some(note) = board.notes.get(id) else { return Vec::new() };
    let mut targets = steps(step_op(board, id, true).is_some(), step_op(board, id, false).is_some());
    targets.push(Target::NewGroup);
    if note.group.is_some() {
        targets.push(Target::OutOfGroup);
    }
    targets.extend(board.lanes.iter().filter(|l| l.id != note.lane).cloned().map(Target::Lane));
    for lane in &board.lanes {
        for g in board.groups_in(&lane.id) {
            if note.group.as_ref() != Some(&g.id) {
                targets.push(Target::Group(g.id.clone(), g.title.clone()));
            }
        }
    }
    targets
}

/// The op that sends note `id` to `target`; `new_group` names the group `NewGroup` makes.
pub fn note_op(board: &Board, id: &NoteId, target: &Target, new_group: (GroupId, String)) -> Option<Op> {
    let note = board.notes.get(id)?;
    let move_to = |lane: LaneId, group: Option<GroupId>| Op::MoveNote { note_id: id.clone(), lane, group, rank: None };
    match target {
        Target::Up => step_op(board, id, true),
        Target::Down => step_op(board, id, false),
        Target::Lane(lane) => Some(move_to(lane.id.clone(), None)),
        Target::OutOfGroup => Some(move_to(note.lane.clone(), None)),
        Target::Group(group, _) => Some(move_to(board.groups.get(group)?.lane.clone(), Some(group.clone()))),
        Target::NewGroup => {
            let (group_id, title) = new_group;
            Some(Op::CreateGroup { group_id, title, note_ids: vec![id.clone()] })
        }
    }
}

/// Every place a group can go now: a step up or down among its lane's groups, another lane.
pub fn group_targets(board: &Board, id: &GroupId) -> Vec<Target> {
    let Some(group) = board.groups.get(id) else { return Vec::new() };
    let mut targets = steps(group_step_op(board, id, true).is_some(), group_step_op(board, id, false).is_some());
    targets.extend(board.lanes.iter().filter(|l| l.id != group.lane).cloned().map(Target::Lane));
    targets
}

pub fn group_op(board: &Board, id: &GroupId, target: &Target) -> Option<Op> {
    match target {
        Target::Up => group_step_op(board, id, true),
        Target::Down => group_step_op(board, id, false),
        Target::Lane(lane) => Some(Op::MoveGroup { group_id: id.clone(), lane: lane.id.clone(), rank: None }),
        Target::Group(..) | Target::NewGroup | Target::OutOfGroup => None,
    }
}

/// Moves a group one place up or down among its lane's groups.
pub fn group_step_op(board: &Board, id: &GroupId, up: bool) -> Option<Op> {
    let group = board.groups.get(id)?;
    let ranks: Vec<f64> = board.groups_in(&group.lane).iter().filter(|g| g.id != *id).map(|g| g.rank).collect();
    let rank = if up {
        match ranks.iter().copied().filter(|r| *r < group.rank).collect::<Vec<_>>().as_slice() {
            [] => return None,
            [only] => only - 1.0,
            [.., a, b] => (a + b) / 2.0,
        }
    } else {
        match ranks.iter().copied().filter(|r| *r > group.rank).collect::<Vec<_>>().as_slice() {
            [] => return None,
            [only] => only + 1.0,
            [a, b, ..] => (a + b) / 2.0,
        }
    };
    Some(Op::MoveGroup { group_id: id.clone(), lane: group.lane.clone(), rank: Some(rank) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::board::{Actor, BoardId, OpContext};

    fn apply(b: &mut Board, actor: Actor, op: Op) {
        let cx = OpContext { actor, at: 0, seq: b.seq + 1 };
        b.apply(&cx, &op).unwrap_or_else(|e| panic!("{op:?}: {e}"));
    }

    /// Notes a, b, c in "need"; a and b in group g1, c alone in g2.
    fn board() -> Board {
        let mut b = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
        for id in ["a", "b", "c"] {
            let add = Op::AddNote { note_id: id.into(), lane: "need".into(), text: id.into(), author_name: None };
            apply(&mut b, Actor::participant("p"), add);
        }
        let g1 = Op::CreateGroup { group_id: "g1".into(), title: "G1".into(), note_ids: vec!["a".into(), "b".into()] };
        apply(&mut b, Actor::Facilitator, g1);
        let g2 = Op::CreateGroup { group_id: "g2".into(), title: "G2".into(), note_ids: vec!["c".into()] };
        apply(&mut b, Actor::Facilitator, g2);
        b
    }

    #[test]
    fn every_target_a_note_is_offered_makes_an_op_the_board_accepts() {
        let b = board();
        for id in ["a", "b", "c"] {
            let targets = note_targets(&b, &id.into());
            assert!(targets.contains(&Target::NewGroup) && targets.contains(&Target::OutOfGroup), "{id}");
            for target in targets {
                let op = note_op(&b, &id.into(), &target, (GroupId::from("new"), "Ny".into())).expect("an op");
                let mut after = b.clone();
                apply(&mut after, Actor::Facilitator, op);
            }
        }
        let a = note_targets(&b, &"a".into());
        assert_eq!(a.first(), Some(&Target::Down), "a is first in its group: down, not up");
        assert!(!a.iter().any(|t| matches!(t, Target::Group(g, _) if g.as_str() == "g1")), "not its own group");
    }

    #[test]
    fn groups_step_up_and_down_and_change_lanes() {
        let mut b = board();
        assert_eq!(group_targets(&b, &"g1".into())[0], Target::Down);
        let op = group_op(&b, &"g2".into(), &Target::Up).expect("g2 can go up");
        apply(&mut b, Actor::Facilitator, op);
        let need = LaneId::from("need");
        let order: Vec<&str> = b.groups_in(&need).iter().map(|g| g.id.as_str()).collect();
        assert_eq!(order, ["g2", "g1"]);
        assert_eq!(group_step_op(&b, &"g2".into(), true), None, "already first");
        let to_trials = Target::Lane(b.lanes[2].clone());
        assert!(group_targets(&b, &"g2".into()).contains(&to_trials));
    }
}
