//! What each viewer may see.
//!
//! - Participants never receive the text (or author name) of someone else's note in a hidden
//!   lane: such notes reach them *masked*. When the lane is revealed, or the note moved out of
//!   it, the event carries the texts ([`revealed_by`]).
//! - Nobody but the voter learns who voted for what: `voter` is withheld in vote changes and
//!   ballots are dropped from every view but the voter's own.
//! - While a round is blind ([`Voting::is_blind`]) only the facilitator sees the counts:
//!   participants see their own votes, the room none, and other people's votes reach them as
//!   [`Change::VoteCounted`] (progress only). Closing the round sends everyone the results.
//! - Nobody learns who wrote a note: participants' views carry no author ids at all (their own
//!   notes are marked `mine`), the facilitator's only while the board shows authors
//!   ([`Board::authors_shown`], which the phones announce). A removed participant's id reaches
//!   that participant only.
//!
//! Invariant (tested in `tests/`): replaying the redacted changes on a viewer's view of the
//! board gives that viewer's view of the server's board.

use super::{Board, Change, Note, NoteId, ParticipantId, Revealed, Voting};
use std::collections::BTreeMap;

/// Who is looking.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Audience {
    /// The facilitator: every note, no ballots.
    Facilitator,
    /// One participant: their own notes and ballot, other people's hidden notes masked.
    Participant(ParticipantId),
    /// Someone not yet identified (a server-rendered page): hidden notes masked, no ballots.
    Public,
}

impl Audience {
    fn is(&self, who: &ParticipantId) -> bool {
        matches!(self, Audience::Participant(p) if p == who)
    }

    /// Whether this viewer is that workshop member.
    pub(crate) fn is_member(&self, member: &super::workshop::Member) -> bool {
        member.participant.as_ref().is_some_and(|p| self.is(p))
    }

    /// Whether this viewer sees the counts of `voting` (`None`: no round, nothing to hide).
    fn sees_counts(&self, voting: Option<&Voting>) -> bool {
        *self == Audience::Facilitator || !voting.is_some_and(Voting::is_blind)
    }

    fn sees_hidden_text_of(&self, note: &Note) -> bool {
        match self {
            Audience::Facilitator => true,
            Audience::Participant(p) => note.author.as_ref() == Some(p),
            Audience::Public => false,
        }
    }
}

/// A note's masked form: structure and votes stay, text and name go.
fn masked(note: &Note) -> Note {
    Note { text: String::new(), author_name: None, masked: true, ..note.clone() }
}

/// What views say about authors: the facilitator's, while shown, every author.
fn authors_for(viewer: &Audience, board: &Board) -> Option<BTreeMap<NoteId, ParticipantId>> {
    match viewer {
        Audience::Facilitator if board.authors_shown => {
            Some(board.notes.values().filter_map(|n| Some((n.id.clone(), n.author.clone()?))).collect())
        }
        Audience::Facilitator => Some(BTreeMap::new()),
        Audience::Participant(_) | Audience::Public => None,
    }
}

impl Board {
    /// The board as `viewer` may see it.
    pub fn view_for(&self, viewer: &Audience) -> Board {
        let mut view = self.clone();
        let own_votes_only = !viewer.sees_counts(self.voting.as_ref());
        for note in view.notes.values_mut() {
            *note = viewer.note_in(self, note);
            if own_votes_only {
                note.votes = match viewer {
                    Audience::Participant(p) => self.ballots.get(p).and_then(|b| b.get(&note.id)).copied().unwrap_or(0),
                    Audience::Facilitator | Audience::Public => 0,
                };
            }
        }
        view.ballots.retain(|who, _| viewer.is(who));
        view.removed.retain(|who| viewer.is(who));
        view.restorable = Default::default();
        view.workshop = self.workshop.as_ref().map(|w| workshop_view::workshop_for(viewer, w));
        view
    }

    /// The board as it leaves the server in an export or for the catalogue: the facilitator's
    /// view without any participant id.
    pub fn exported(&self) -> Board {
        let mut board = self.view_for(&Audience::Facilitator);
        for note in board.notes.values_mut() {
            note.author = None;
        }
        board.removed.clear();
        board.authors_shown = false;
        // Who said what about themselves stays in the room: an export counts members, no more.
        if let Some(workshop) = &mut board.workshop {
            workshop.members.clear();
        }
        board
    }
}

impl Change {
    /// The participant this change is about, if any: the author of a note, the voter, the
    /// removed participant. Their copy is [`Change::redacted_for`] them; every other
    /// participant's is the public one.
    /// `after` is the board with the change applied.
    ///
    /// No wildcard arm, here or in `redacted_for`: a new kind of change does not compile until
    /// someone has decided what each viewer sees of it.
    pub fn subject<'a>(&'a self, after: &'a Board) -> Option<&'a ParticipantId> {
        match self {
            Change::NoteAdded { note } | Change::NoteRestored { note } => note.author.as_ref(),
            Change::NoteEdited { note_id, .. } => {
                after.notes.get(note_id).filter(|n| after.is_hidden(&n.lane)).and_then(|n| n.author.as_ref())
            }
            Change::VoteCast { voter, .. } | Change::VoteRetracted { voter, .. } => voter.as_ref(),
            Change::ParticipantRemoved { participant } => participant.as_ref(),
            Change::VoteCounted { .. } => None,
            Change::NoteDeleted { .. }
            | Change::NoteMoved { .. }
            | Change::GroupCreated { .. }
            | Change::GroupRenamed { .. }
            | Change::GroupMoved { .. }
            | Change::Ungrouped { .. }
            | Change::HiddenSet { .. }
            | Change::LockedSet { .. }
            | Change::TimerSet { .. }
            | Change::SpotlightSet { .. }
            | Change::PhaseSet { .. }
            | Change::VotingOpened { .. }
            | Change::VotingClosed { .. }
            | Change::AuthorsShown { .. }
            | Change::GroupRestored { .. }
            | Change::LaneAdded { .. }
            | Change::LaneEdited { .. }
            | Change::LaneMoved { .. }
            | Change::LaneRemoved { .. }
            | Change::TablesSet { .. }
            | Change::TablesFormed { .. }
            | Change::NotesGathered { .. }
            | Change::ShowingSet { .. }
            | Change::Imported { .. } => None,
            Change::MemberSeated { member, .. } => after
                .workshop
                .as_ref()
                .and_then(|w| w.members.iter().find(|m| Some(m.number) == *member))
                .and_then(|m| m.participant.as_ref()),
            Change::MemberJoined { member, .. } => member.as_ref().and_then(|m| m.participant.as_ref()),
        }
    }

    /// This change as `viewer` may see it: every note it carries as [`Board::view_for`] would
    /// show it, voters only to themselves. `after` is the board with the change applied.
    pub fn redacted_for(&self, after: &Board, viewer: &Audience) -> Change {
        match self {
            Change::NoteAdded { note } => Change::NoteAdded { note: viewer.note_in(after, note) },
            Change::NoteRestored { note } => Change::NoteRestored { note: viewer.note_in(after, note) },
            Change::NotesGathered { notes } => {
                Change::NotesGathered { notes: notes.iter().map(|n| viewer.note_in(after, n)).collect() }
            }
            Change::NoteEdited { note_id, at, .. } => {
                let hidden = after
                    .notes
                    .get(note_id)
                    .is_some_and(|n| after.is_hidden(&n.lane) && !viewer.sees_hidden_text_of(n));
                if hidden {
                    Change::NoteEdited { note_id: note_id.clone(), text: String::new(), at: *at }
                } else {
                    self.clone()
                }
            }
            Change::VoteCast { note_id, voter } => match viewer.vote_seen(after, voter) {
                true => Change::VoteCast { note_id: note_id.clone(), voter: viewer.own(voter) },
                false => Change::VoteCounted { retracted: false },
            },
            Change::VoteRetracted { note_id, voter } => match viewer.vote_seen(after, voter) {
                true => Change::VoteRetracted { note_id: note_id.clone(), voter: viewer.own(voter) },
                false => Change::VoteCounted { retracted: true },
            },
            Change::Imported { board } => Change::Imported { board: Box::new(board.view_for(viewer)) },
            Change::ParticipantRemoved { participant } => {
                Change::ParticipantRemoved { participant: participant.clone().filter(|p| viewer.is(p)) }
            }
            Change::AuthorsShown { shown, .. } => {
                Change::AuthorsShown { shown: *shown, authors: authors_for(viewer, after) }
            }
            // Structure, session state and group titles: the same for everyone.
            Change::NoteDeleted { .. }
            | Change::NoteMoved { .. }
            | Change::GroupCreated { .. }
            | Change::GroupRenamed { .. }
            | Change::GroupMoved { .. }
            | Change::Ungrouped { .. }
            | Change::HiddenSet { .. }
            | Change::LockedSet { .. }
            | Change::TimerSet { .. }
            | Change::SpotlightSet { .. }
            | Change::PhaseSet { .. }
            | Change::VotingOpened { .. }
            | Change::VotingClosed { .. }
            | Change::VoteCounted { .. }
            | Change::LaneAdded { .. }
            | Change::LaneEdited { .. }
            | Change::LaneMoved { .. }
            | Change::LaneRemoved { .. }
            | Change::ShowingSet { .. }
            | Change::GroupRestored { .. } => self.clone(),
            Change::MemberJoined { .. }
            | Change::TablesSet { .. }
            | Change::TablesFormed { .. }
            | Change::MemberSeated { .. } => self.workshop_change_for(viewer, after),
        }
    }
}

impl Audience {
    /// A note as this viewer may see it on `board`: masked if it is someone else's in a hidden
    /// lane; with its author only for the facilitator while authors are shown; `mine` for the
    /// participant who wrote it.
    fn note_in(&self, board: &Board, note: &Note) -> Note {
        let mut seen =
            if board.is_hidden(&note.lane) && !self.sees_hidden_text_of(note) { masked(note) } else { note.clone() };
        seen.mine = matches!(self, Audience::Participant(p) if note.is_by(p));
        if !(*self == Audience::Facilitator && board.authors_shown) {
            seen.author = None;
        }
        seen
    }

    /// Whether this viewer learns which note a vote went to: always in an open count, in a
    /// blind round only the facilitator and the voter.
    fn vote_seen(&self, after: &Board, voter: &Option<ParticipantId>) -> bool {
        self.sees_counts(after.voting.as_ref()) || voter.as_ref().is_some_and(|v| self.is(v))
    }

    /// A voter, to the voter alone.
    fn own(&self, voter: &Option<ParticipantId>) -> Option<ParticipantId> {
        voter.as_ref().filter(|v| self.is(v)).cloned()
    }
}

/// Texts that become readable to participants through `change` (a lane revealed; notes moved,
/// grouped or carried by their group into a visible lane). Sent with the event so masked notes can be filled in.
pub fn revealed_by(change: &Change, after: &Board) -> Vec<Revealed> {
    let reveal =
        |n: &Note| Revealed { note_id: n.id.clone(), text: n.text.clone(), author_name: n.author_name.clone() };
    match change {
        Change::HiddenSet { lanes, hidden: false } => {
            after.notes.values().filter(|n| lanes.contains(&n.lane)).map(reveal).collect()
        }
        Change::NoteMoved { note_id, lane, .. } if !after.is_hidden(lane) => {
            after.notes.get(note_id).map(reveal).into_iter().collect()
        }
        Change::GroupCreated { group, note_ids } if !after.is_hidden(&group.lane) => {
            note_ids.iter().filter_map(|id| after.notes.get(id)).map(reveal).collect()
        }
        Change::GroupMoved { group_id, lane, .. } if !after.is_hidden(lane) => {
            after.notes.values().filter(|n| n.group.as_ref() == Some(group_id)).map(reveal).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
#[path = "audience/view_tests.rs"]
mod tests;

impl Board {
    /// Whether `self` and `reference` look the same on `viewer`'s screen: the same notes where
    /// they are (someone else's hidden note only as "a note is here"), the same groups, lanes,
    /// session state and own ballot. Boards that replayed the same events for one viewer may
    /// still differ in what no screen shows (e.g. a masked note's stand-in text).
    pub fn shows_the_same(&self, reference: &Board, viewer: &Audience) -> bool {
        shown(self, viewer) == shown(reference, viewer)
            && self.groups == reference.groups
            && self.lanes == reference.lanes
            && (self.locked, &self.phase, self.timer, &self.spotlight, &self.voting)
                == (reference.locked, &reference.phase, reference.timer, &reference.spotlight, &reference.voting)
            && self.rounds == reference.rounds
            && self.ballots == reference.ballots
            && self.authors_shown == reference.authors_shown
            && (&self.workshop, &self.table_of) == (&reference.workshop, &reference.table_of)
            && self.seq == reference.seq
    }
}

/// id, lane, group, rank, votes, text, marked as mine, author shown.
type ShownNote = (String, String, Option<String>, i64, u32, Option<String>, bool, Option<String>);

/// What a viewer's screen can show of each note.
fn shown(board: &Board, viewer: &Audience) -> Vec<ShownNote> {
    let mut out: Vec<ShownNote> = board
        .notes
        .values()
        .map(|n| {
            let private = board.is_hidden(&n.lane) && !matches!(viewer, Audience::Participant(p) if n.is_by(p));
            let text = if private || n.masked { None } else { Some(n.text.clone()) };
            (
                n.id.to_string(),
                n.lane.to_string(),
                n.group.as_ref().map(|g| g.to_string()),
                (n.rank * 1000.0) as i64,
                n.votes,
                text,
                n.mine,
                n.author.as_ref().map(|a| a.to_string()),
            )
        })
        .collect();
    out.sort();
    out
}

mod workshop_view;

#[cfg(test)]
mod anonymity_tests;

#[cfg(test)]
mod restore_tests {
    use super::*;
    use crate::board::{Actor, BoardId, Op, OpContext};

    /// Found from outside (issue 14): a hidden note deleted and put back by undo reached every
    /// participant in clear. Every change that carries a note is redacted as a snapshot is.
    #[test]
    fn a_hidden_note_put_back_by_undo_stays_masked_for_everyone_but_its_author() {
        let mut server = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
        let apply = |b: &mut Board, actor: Actor, op: Op| {
            let cx = OpContext { actor, at: 5, seq: b.seq + 1 };
            b.apply(&cx, &op).unwrap()
        };
        apply(&mut server, Actor::Facilitator, Op::SetHidden { lane: None, hidden: true });
        let add = Op::AddNote {
            note_id: "a1".into(),
            lane: "need".into(),
            text: "Min leder lytter ikke".into(),
            author_name: Some("Åse".into()),
        };
        apply(&mut server, Actor::participant("alice"), add);
        let note = server.notes[&crate::board::NoteId::from("a1")].clone();
        apply(&mut server, Actor::Facilitator, Op::DeleteNote { note_id: "a1".into() });
        let restored = apply(&mut server, Actor::Facilitator, Op::RestoreNote { note });

        assert_eq!(restored.subject(&server), Some(&ParticipantId::from("alice")));
        for viewer in [Audience::Participant("bob".into()), Audience::Public] {
            let json = serde_json::to_string(&restored.redacted_for(&server, &viewer)).unwrap();
            assert!(!json.contains("lytter") && !json.contains("Åse"), "{viewer:?} got {json}");
        }
        let json = serde_json::to_string(&restored.redacted_for(&server, &Audience::Facilitator)).unwrap();
        assert!(json.contains("lytter"), "the facilitator sees every text");
    }
}
