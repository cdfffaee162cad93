//! Where each lane and group ends, remembered so that adding a note does not compare it with
//! every note on the board. With a scan per added note the hub's work grew
//! with the square of the board: the sustained benchmark (one board, thousands of notes a
//! second) spent nearly all of the hub's time there.

use super::{Board, Change, GroupId, LaneId, Op};

/// The highest rank in each lane (outside groups) and in each group.
///
/// Counted in one pass when a note is about to be added and nothing is known; kept up to date
/// by further additions; forgotten by any other change (moves, deletions, regrouping), which
/// are rarer and would each need their own bookkeeping. A short list, not a map: a board has
/// three lanes and some dozens of groups, and the phone's bundle has no room for another map
/// type. Not part of the board's value: never serialised, and equal for any two boards.
#[derive(Debug, Clone, Default)]
pub struct Tails {
    known: Option<Vec<Tail>>,
}

#[derive(Debug, Clone)]
struct Tail {
    lane: LaneId,
    group: Option<GroupId>,
    rank: f64,
}

impl PartialEq for Tails {
    fn eq(&self, _: &Tails) -> bool {
        true
    }
}

impl Tails {
    /// Raises the end of `lane`/`group` to `rank`.
    fn extend(known: &mut Vec<Tail>, lane: &LaneId, group: Option<&GroupId>, rank: f64) {
        match known.iter_mut().find(|t| &t.lane == lane && t.group.as_ref() == group) {
            Some(tail) => tail.rank = tail.rank.max(rank),
            None => known.push(Tail { lane: lane.clone(), group: group.cloned(), rank: rank.max(0.0) }),
        }
    }
}

impl Board {
    /// The next rank at the end of a lane (or group).
    pub(super) fn end_rank(&self, lane: &LaneId, group: Option<&GroupId>) -> f64 {
        let last = match &self.tails.known {
            Some(known) => known.iter().find(|t| &t.lane == lane && t.group.as_ref() == group).map_or(0.0, |t| t.rank),
            None => self
                .notes
                .values()
                .filter(|n| &n.lane == lane && n.group.as_ref() == group)
                .map(|n| n.rank)
                .fold(0.0, f64::max),
        };
        last + 1.0
    }

    /// Before `op` is checked: an added note needs the end of its lane, so count the ends now
    /// if they are not known.
    pub(super) fn prepare_tails(&mut self, op: &Op) {
        if matches!(op, Op::AddNote { .. }) && self.tails.known.is_none() {
            let mut known = Vec::new();
            for n in self.notes.values() {
                Tails::extend(&mut known, &n.lane, n.group.as_ref(), n.rank);
            }
            self.tails.known = Some(known);
        }
    }

    /// Before `change` is replayed: an addition of a new note moves its lane's (or group's)
    /// end; anything else forgets the ends.
    pub(super) fn follow_tails(&mut self, change: &Change) {
        let Some(known) = &mut self.tails.known else { return };
        match change {
            Change::NoteAdded { note } if !self.notes.contains_key(&note.id) => {
                Tails::extend(known, &note.lane, note.group.as_ref(), note.rank);
            }
            _ => self.tails.known = None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::{Actor, BoardId, NoteId, OpContext};

    /// The end as a scan over every note finds it: what the remembered ends must agree with.
    fn scanned_end(board: &Board, lane: &LaneId, group: Option<&GroupId>) -> f64 {
        board
            .notes
            .values()
            .filter(|n| &n.lane == lane && n.group.as_ref() == group)
            .map(|n| n.rank)
            .fold(0.0, f64::max)
            + 1.0
    }

    #[test]
    fn remembered_ends_agree_with_a_scan_through_adds_moves_deletions_and_regrouping() {
        let mut board = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
        let lanes: Vec<LaneId> = board.lanes.iter().map(|l| l.id.clone()).collect();
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        for step in 0..2_000u64 {
            let notes: Vec<NoteId> = board.notes.keys().cloned().collect();
            let groups: Vec<GroupId> = board.groups.keys().cloned().collect();
            let some_note = |r: u64| notes.get(r as usize % notes.len().max(1)).cloned();
            let lane = lanes[next() as usize % lanes.len()].clone();
            let (actor, op) = match next() % 10 {
                0..=5 => {
                    let op = Op::AddNote {
                        note_id: format!("n{step}").as_str().into(),
                        lane,
                        text: "x".into(),
                        author_name: None,
                    };
                    (Actor::participant("p"), op)
                }
                6 => match some_note(next()) {
                    Some(note_id) => {
                        let rank = (next() % 2 == 0).then(|| (next() % 100) as f64 - 20.0);
                        let group = groups.get(next() as usize % (groups.len() + 1)).cloned();
                        (Actor::Facilitator, Op::MoveNote { note_id, lane, group, rank })
                    }
                    None => continue,
                },
                7 => match some_note(next()) {
                    Some(note_id) => (Actor::participant("p"), Op::DeleteNote { note_id }),
                    None => continue,
                },
                8 => match (some_note(next()), some_note(next())) {
                    (Some(a), Some(b)) if a != b => {
                        let group_id = format!("g{step}").as_str().into();
                        (Actor::Facilitator, Op::CreateGroup { group_id, title: "G".into(), note_ids: vec![a, b] })
                    }
                    _ => continue,
                },
                _ => match groups.first() {
                    Some(group_id) => (Actor::Facilitator, Op::Ungroup { group_id: group_id.clone() }),
                    None => continue,
                },
            };
            let cx = OpContext { actor, at: step as i64, seq: board.seq + 1 };
            let added = matches!(op, Op::AddNote { .. });
            if board.apply(&cx, &op).is_ok() && added {
                assert!(board.tails.known.is_some(), "ends remembered after an addition");
            }
            for lane in &lanes {
                assert_eq!(board.end_rank(lane, None), scanned_end(&board, lane, None), "step {step}: {op:?}");
            }
            for group in board.groups.values() {
                let end = board.end_rank(&group.lane, Some(&group.id));
                assert_eq!(end, scanned_end(&board, &group.lane, Some(&group.id)), "step {step}: {op:?}");
            }
        }
        assert!(board.notes.len() > 100 && !board.groups.is_empty(), "the walk built a real board");
    }
}
