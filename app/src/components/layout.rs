//! What a lane shows, in which order: pure, so it is unit-tested and the same on every screen.

use idetavle_core::board::order::{in_order, Place};
use idetavle_core::board::{Actor, Board, Group, GroupId, LaneId, Note, NoteId, ParticipantId};
use std::collections::HashSet;

/// A note card's identity for keyed lists: id, version, votes, my votes, pending, mine.
pub type NoteKey = (NoteId, u32, u32, u32, bool, bool);

/// One note as a screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteRow {
    pub note: Note,
    pub pending: bool,
    pub mine: bool,
    /// This viewer's own votes on the note (participants only).
    pub my_votes: u32,
}

impl NoteRow {
    /// Changes whenever the card must re-render.
    pub fn key(&self) -> NoteKey {
        (self.note.id.clone(), self.note.version, self.note.votes, self.my_votes, self.pending, self.mine)
    }

    /// The card's CSS classes: `note`, plus `pending`, `mine` and `voted` when they hold.
    pub fn class(&self) -> String {
        let mut class = String::from("note");
        for (on, name) in [(self.pending, " pending"), (self.mine, " mine"), (self.my_votes > 0, " voted")] {
            if on {
                class.push_str(name);
            }
        }
        class
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupBlock {
    pub group: Group,
    pub votes: u32,
    pub notes: Vec<NoteRow>,
}

impl GroupBlock {
    /// Changes whenever the group's card must re-render: its name, its votes, or any note in it.
    pub fn key(&self) -> (GroupId, u32, u32, Vec<NoteKey>) {
        (self.group.id.clone(), self.group.version, self.votes, self.notes.iter().map(NoteRow::key).collect())
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LaneLayout {
    pub groups: Vec<GroupBlock>,
    pub loose: Vec<NoteRow>,
    /// Notes not shown because the lane is hidden from this viewer.
    pub hidden: usize,
}

impl LaneLayout {
    /// How many notes the lane shows, in groups or loose.
    pub fn shown(&self) -> usize {
        self.loose.len() + self.groups.iter().map(|g| g.notes.len()).sum::<usize>()
    }
}

/// Who is looking at the lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer<'a> {
    /// A participant's phone: own notes always, others' only once revealed.
    Phone(Option<&'a ParticipantId>),
    /// The projector: while a lane is hidden it shows only how many notes it holds.
    Projector,
}

/// The lane as `viewer` sees it. After a closed voting round, groups and notes are sorted by
/// votes (most first); otherwise by the facilitator's order.
pub fn lane_layout(board: &Board, lane: &LaneId, pending: &HashSet<NoteId>, viewer: Viewer<'_>) -> LaneLayout {
    let me = match viewer {
        Viewer::Phone(me) => me,
        Viewer::Projector => None,
    };
    let hidden_lane = board.is_hidden(lane);
    let mut layout = LaneLayout::default();
    let by_votes = board.voting.as_ref().is_some_and(|v| !v.open);
    for note in board.notes_in(lane) {
        let mine = note.mine || me.is_some_and(|me| note.is_by(me));
        if hidden_lane && !mine {
            layout.hidden += 1;
            continue;
        }
        let row = NoteRow {
            note: note.clone(),
            pending: pending.contains(&note.id),
            mine,
            my_votes: me.and_then(|me| board.ballots.get(me)).and_then(|b| b.get(&note.id)).copied().unwrap_or(0),
        };
        match note.group.as_ref().and_then(|g| board.groups.get(g)) {
            Some(group) => match layout.groups.iter_mut().find(|b| b.group.id == group.id) {
                Some(block) => block.notes.push(row),
                None => layout.groups.push(GroupBlock { group: group.clone(), votes: 0, notes: vec![row] }),
            },
            None => layout.loose.push(row),
        }
    }
    for block in &mut layout.groups {
        block.votes = block.notes.iter().map(|r| r.note.votes).sum();
    }
    if by_votes {
        // Stable sorts keep the facilitator's order among equals.
        layout.groups = in_order(std::mem::take(&mut layout.groups), |g| Place::most_votes_first(g.votes));
        for block in &mut layout.groups {
            block.notes = in_order(std::mem::take(&mut block.notes), |r| Place::most_votes_first(r.note.votes));
        }
        layout.loose = in_order(std::mem::take(&mut layout.loose), |r| Place::most_votes_first(r.note.votes));
    }
    layout
}

/// The participant id of a viewer, if it is a participant.
pub fn participant(me: Option<&Actor>) -> Option<&ParticipantId> {
    match me {
        Some(Actor::Participant { id }) => Some(id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::board::{BoardId, Op, OpContext};

    fn board() -> Board {
        let mut b = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
        let mut apply = |actor: Actor, op: Op| {
            let cx = OpContext { actor, at: 0, seq: b.seq + 1 };
            b.apply(&cx, &op).unwrap();
        };
        for (id, who) in [("a", "anna"), ("b", "bo"), ("c", "anna")] {
            apply(
                Actor::participant(who),
                Op::AddNote { note_id: id.into(), lane: "ideas".into(), text: id.into(), author_name: None },
            );
        }
        apply(
            Actor::Facilitator,
            Op::CreateGroup { group_id: "g".into(), title: "G".into(), note_ids: vec!["b".into()] },
        );
        apply(Actor::Facilitator, Op::open_voting(3, true));
        apply(Actor::participant("bo"), Op::Vote { note_id: "c".into() });
        apply(Actor::participant("bo"), Op::Vote { note_id: "c".into() });
        b
    }

    fn ids(rows: &[NoteRow]) -> Vec<&str> {
        rows.iter().map(|r| r.note.id.as_str()).collect()
    }

    #[test]
    fn groups_come_first_and_closed_rounds_sort_by_votes() {
        let mut b = board();
        let l = lane_layout(&b, &"ideas".into(), &HashSet::new(), Viewer::Projector);
        assert_eq!(l.groups.len(), 1);
        assert_eq!(ids(&l.groups[0].notes), ["b"]);
        assert_eq!(ids(&l.loose), ["a", "c"], "open round: the facilitator's order");
        let cx = OpContext { actor: Actor::Facilitator, at: 0, seq: b.seq + 1 };
        b.apply(&cx, &Op::CloseVoting {}).unwrap();
        let l = lane_layout(&b, &"ideas".into(), &HashSet::new(), Viewer::Projector);
        assert_eq!(ids(&l.loose), ["c", "a"], "closed round: most votes first");
    }

    #[test]
    fn hidden_lanes_show_phones_their_own_notes_and_the_projector_a_count() {
        let mut b = board();
        let cx = OpContext { actor: Actor::Facilitator, at: 0, seq: b.seq + 1 };
        b.apply(&cx, &Op::SetHidden { lane: None, hidden: true }).unwrap();
        let anna = ParticipantId::from("anna");
        let phone = lane_layout(&b, &"ideas".into(), &HashSet::new(), Viewer::Phone(Some(&anna)));
        assert_eq!(ids(&phone.loose), ["a", "c"]);
        assert_eq!(phone.hidden, 1);
        let projector = lane_layout(&b, &"ideas".into(), &HashSet::new(), Viewer::Projector);
        assert_eq!((projector.hidden, projector.loose.len(), projector.groups.len()), (3, 0, 0));
    }
}
