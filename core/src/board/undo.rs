//! Inverses for the facilitator's undo: the ops that put the board back exactly as it was.
//! Computed *before* an op is applied; the server keeps them in its history.

use super::{Board, GroupId, Note, NoteId, Op};

impl Board {
    /// Ops that undo `op` (about to be applied to this board), or `None` when `op` is not an
    /// undoable facilitator action (posting, voting, voting rounds and removals are not).
    pub fn inverse(&self, op: &Op) -> Option<Vec<Op>> {
        let place = |n: &Note| Op::MoveNote {
            note_id: n.id.clone(),
            lane: n.lane.clone(),
            group: n.group.clone(),
            rank: Some(n.rank),
        };
        let ops = match op {
            Op::EditNote { note_id, .. } => {
                vec![Op::EditNote { note_id: note_id.clone(), text: self.notes.get(note_id)?.text.clone() }]
            }
            Op::DeleteNote { note_id } => {
                let note = self.notes.get(note_id)?;
                let mut ops = self.groups_emptied_by(std::slice::from_ref(note_id));
                ops.push(Op::RestoreNote { note: note.clone() });
                ops
            }
            Op::MoveNote { note_id, group, .. } => {
                let note = self.notes.get(note_id)?;
                let mut ops =
                    if note.group != *group { self.groups_emptied_by(std::slice::from_ref(note_id)) } else { vec![] };
                ops.push(place(note));
                ops
            }
            Op::CreateGroup { note_ids, .. } => {
                let mut ops = self.groups_emptied_by(note_ids);
                let mut seen: Vec<&NoteId> = Vec::new();
                for id in note_ids {
                    if !seen.contains(&id) {
                        seen.push(id);
                        ops.push(place(self.notes.get(id)?));
                    }
                }
                ops
            }
            Op::RenameGroup { group_id, .. } => {
                vec![Op::RenameGroup { group_id: group_id.clone(), title: self.groups.get(group_id)?.title.clone() }]
            }
            Op::MoveGroup { group_id, .. } => {
                let g = self.groups.get(group_id)?;
                vec![Op::MoveGroup { group_id: group_id.clone(), lane: g.lane.clone(), rank: Some(g.rank) }]
            }
            Op::Ungroup { group_id } => {
                let mut ops = vec![Op::RestoreGroup { group: self.groups.get(group_id)?.clone() }];
                ops.extend(self.notes.values().filter(|n| n.group.as_ref() == Some(group_id)).map(place));
                ops
            }
            Op::SetHidden { lane, .. } => self
                .lanes
                .iter()
                .filter(|l| lane.as_ref().is_none_or(|only| *only == l.id))
                .map(|l| Op::SetHidden { lane: Some(l.id.clone()), hidden: l.hidden })
                .collect(),
            Op::SetLocked { .. } => vec![Op::SetLocked { locked: self.locked }],
            Op::StartTimer { .. } | Op::StopTimer {} | Op::SetTimer { .. } => vec![Op::SetTimer { timer: self.timer }],
            Op::SetSpotlight { .. } => vec![Op::SetSpotlight { target: self.spotlight.clone() }],
            Op::SetPhase { .. } => vec![Op::SetPhase { lane: self.phase.clone() }],
            Op::SeatMember { member, .. } => {
                let seated = self.workshop.as_ref()?.members.iter().find(|m| m.number == *member)?;
                vec![Op::SeatMember { member: *member, table: seated.table }]
            }
            Op::Gather { table, notes } => self.gather_inverse(*table, notes),
            Op::Show { .. } => vec![Op::Show { showing: self.workshop.as_ref()?.showing }],
            Op::AddLane { lane_id, .. } => vec![Op::RemoveLane { lane_id: lane_id.clone() }],
            Op::EditLane { lane_id, .. } => {
                let lane = self.lane(lane_id)?;
                vec![Op::EditLane {
                    lane_id: lane_id.clone(),
                    title: lane.title.clone(),
                    question: lane.question.clone(),
                }]
            }
            Op::MoveLane { lane_id, .. } => {
                vec![Op::MoveLane { lane_id: lane_id.clone(), index: self.lane_index(lane_id)? }]
            }
            Op::RemoveLane { lane_id } => {
                let lane = self.lane(lane_id)?;
                let mut ops = vec![Op::AddLane {
                    lane_id: lane_id.clone(),
                    title: lane.title.clone(),
                    question: lane.question.clone(),
                    index: self.lane_index(lane_id),
                    hidden: lane.hidden,
                }];
                if self.phase.as_ref() == Some(lane_id) {
                    ops.push(Op::SetPhase { lane: Some(lane_id.clone()) });
                }
                ops
            }
            _ => return None,
        };
        Some(ops)
    }

    /// Restores for the groups that lose their last note when `leaving` notes leave them.
    fn groups_emptied_by(&self, leaving: &[NoteId]) -> Vec<Op> {
        let mut groups: Vec<&GroupId> = leaving.iter().filter_map(|id| self.notes.get(id)?.group.as_ref()).collect();
        groups.dedup();
        groups
            .into_iter()
            .filter(|g| self.notes.values().filter(|n| n.group.as_ref() == Some(*g)).all(|n| leaving.contains(&n.id)))
            .filter_map(|g| self.groups.get(g))
            .map(|g| Op::RestoreGroup { group: g.clone() })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::board::{Actor, Board, BoardId, Op, OpContext};

    /// Applies `op` as the facilitator, then its inverse; the board must be as before
    /// (apart from sequence numbers and versions).
    fn round_trip(mut b: Board, op: Op) {
        let shape = |b: &Board| {
            let notes: Vec<_> = b
                .notes
                .values()
                .map(|n| (n.id.clone(), n.lane.clone(), n.group.clone(), n.rank, n.text.clone()))
                .collect();
            let mut groups: Vec<_> =
                b.groups.values().map(|g| (g.id.clone(), g.lane.clone(), g.title.clone(), g.rank)).collect();
            groups.sort_by(|a, b| a.0.cmp(&b.0));
            let mut notes = notes;
            notes.sort_by(|a, b| a.0.cmp(&b.0));
            (notes, groups, b.lanes.clone(), b.locked, b.timer, b.spotlight.clone(), b.phase.clone())
        };
        let before = shape(&b);
        let inverse = b.inverse(&op).expect("undoable");
        let fac = |b: &Board| OpContext { actor: Actor::Facilitator, at: 9, seq: b.seq + 1 };
        b.apply(&fac(&b), &op).unwrap();
        for inv in inverse {
            b.apply(&fac(&b), &inv).unwrap_or_else(|e| panic!("{inv:?}: {e}"));
        }
        assert_eq!(shape(&b), before, "undo of {op:?}");
    }

    fn board() -> Board {
        let mut b = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
        let mut apply = |actor: Actor, op: Op| {
            let cx = OpContext { actor, at: 0, seq: b.seq + 1 };
            b.apply(&cx, &op).unwrap();
        };
        for (id, lane) in [("a", "need"), ("b", "need"), ("c", "ideas")] {
            apply(
                Actor::participant("p"),
                Op::AddNote { note_id: id.into(), lane: lane.into(), text: id.into(), author_name: None },
            );
        }
        apply(
            Actor::Facilitator,
            Op::CreateGroup { group_id: "g".into(), title: "G".into(), note_ids: vec!["a".into()] },
        );
        b
    }

    #[test]
    fn every_undoable_action_round_trips() {
        let ops = [
            Op::MoveNote { note_id: "a".into(), lane: "trials".into(), group: None, rank: None },
            Op::MoveNote { note_id: "c".into(), lane: "need".into(), group: Some("g".into()), rank: Some(0.5) },
            Op::DeleteNote { note_id: "a".into() },
            Op::EditNote { note_id: "b".into(), text: "changed".into() },
            Op::CreateGroup { group_id: "h".into(), title: "H".into(), note_ids: vec!["a".into(), "c".into()] },
            Op::RenameGroup { group_id: "g".into(), title: "New".into() },
            Op::MoveGroup { group_id: "g".into(), lane: "ideas".into(), rank: None },
            Op::Ungroup { group_id: "g".into() },
            Op::SetHidden { lane: None, hidden: true },
            Op::SetLocked { locked: true },
            Op::StartTimer { seconds: 60 },
            Op::SetPhase { lane: Some("ideas".into()) },
            Op::AddLane { lane_id: "x".into(), title: "X".into(), question: None, index: Some(1), hidden: false },
            Op::EditLane { lane_id: "ideas".into(), title: "Idéer".into(), question: Some("Hvad nu hvis?".into()) },
            Op::MoveLane { lane_id: "need".into(), index: 2 },
            Op::RemoveLane { lane_id: "trials".into() },
        ];
        for op in ops {
            round_trip(board(), op);
        }
    }

    #[test]
    fn undoing_a_lanes_removal_puts_it_back_hidden_in_its_place_and_phase() {
        let mut b = board();
        for op in
            [Op::SetHidden { lane: Some("trials".into()), hidden: true }, Op::SetPhase { lane: Some("trials".into()) }]
        {
            b.apply(&OpContext { actor: Actor::Facilitator, at: 0, seq: b.seq + 1 }, &op).unwrap();
        }
        b.apply(
            &OpContext { actor: Actor::Facilitator, at: 0, seq: b.seq + 1 },
            &Op::MoveLane { lane_id: "trials".into(), index: 0 },
        )
        .unwrap();
        round_trip(b, Op::RemoveLane { lane_id: "trials".into() });
    }

    #[test]
    fn posting_and_voting_are_not_the_facilitators_to_undo() {
        let b = board();
        assert!(b.inverse(&Op::open_voting(3, false)).is_none());
        assert!(b.inverse(&Op::Vote { note_id: "a".into() }).is_none());
    }
}
