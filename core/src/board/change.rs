//! Changes: what an applied op did, with everything resolved. [`Board::replay`] is the only
//! code that mutates a board, on the server and in every browser alike.

use super::workshop::{Member, Seat, Showing, Table};
use super::{Board, Group, GroupId, Lane, LaneId, Note, NoteId, ParticipantId, RoundResult, Spotlight, Timer, Voting};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    NoteAdded {
        note: Note,
    },
    NoteEdited {
        note_id: NoteId,
        text: String,
        at: i64,
    },
    NoteDeleted {
        note_id: NoteId,
    },
    NoteMoved {
        note_id: NoteId,
        lane: LaneId,
        group: Option<GroupId>,
        rank: f64,
    },
    /// The notes join the new group in this order.
    GroupCreated {
        group: Group,
        note_ids: Vec<NoteId>,
    },
    GroupRenamed {
        group_id: GroupId,
        title: String,
    },
    GroupMoved {
        group_id: GroupId,
        lane: LaneId,
        rank: f64,
    },
    Ungrouped {
        group_id: GroupId,
    },
    HiddenSet {
        lanes: Vec<LaneId>,
        hidden: bool,
    },
    LockedSet {
        locked: bool,
    },
    TimerSet {
        timer: Option<Timer>,
    },
    SpotlightSet {
        target: Option<Spotlight>,
    },
    PhaseSet {
        lane: Option<LaneId>,
    },
    /// A new round: every tally starts at zero.
    VotingOpened {
        voting: Voting,
    },
    /// The round's results go to every screen with the close (while the round was blind, only
    /// the facilitator had the counts). `None` only in events stored before results were kept.
    VotingClosed {
        #[serde(default)]
        result: Option<RoundResult>,
    },
    /// `voter` is withheld from everyone but the voter.
    VoteCast {
        note_id: NoteId,
        voter: Option<ParticipantId>,
    },
    VoteRetracted {
        note_id: NoteId,
        voter: Option<ParticipantId>,
    },
    /// A vote cast (or taken back) on a note this viewer may not know while the round is blind:
    /// only the round's progress moves.
    VoteCounted {
        retracted: bool,
    },
    /// `participant` is withheld from everyone but the removed participant.
    ParticipantRemoved {
        participant: Option<ParticipantId>,
    },
    /// The facilitator's screen starts or stops showing who wrote which note. The stored change
    /// has no `authors`; the facilitator's copy lists every note's author while `shown`, and
    /// none when it stops, so its view gains or drops them.
    AuthorsShown {
        shown: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authors: Option<BTreeMap<NoteId, ParticipantId>>,
    },
    /// A deleted note put back as it was (undo).
    NoteRestored {
        note: Note,
    },
    /// A dissolved group put back, still empty; the notes that return to it follow (undo).
    GroupRestored {
        group: Group,
    },
    /// A lane joins the board at `index` (0 is the first).
    LaneAdded {
        lane: Lane,
        index: u32,
    },
    LaneEdited {
        lane_id: LaneId,
        title: String,
        question: Option<String>,
    },
    LaneMoved {
        lane_id: LaneId,
        index: u32,
    },
    LaneRemoved {
        lane_id: LaneId,
    },
    /// Someone joined the workshop (`new`) or changed what they said about themselves.
    /// `member` is withheld from everyone but them and the facilitator (who gets no id).
    MemberJoined {
        member: Option<Member>,
        new: bool,
    },
    TablesSet {
        tables: Vec<Table>,
    },
    /// Where everyone sits, by member number (the same for every viewer).
    TablesFormed {
        seats: Vec<Seat>,
    },
    /// One member moved; `member: None` for everyone but them and the facilitator.
    MemberSeated {
        member: Option<u32>,
        table: Option<u32>,
    },
    /// Copies of a table's notes arrived on the plenary.
    NotesGathered {
        notes: Vec<Note>,
    },
    ShowingSet {
        showing: Showing,
    },
    /// A whole board's content from an import (the first event of an imported board).
    Imported {
        board: Box<Board>,
    },
}

impl Board {
    /// Applies a change as event `seq`. Changes come from [`Board::apply`] (here or on the
    /// server), so they fit the board; anything that no longer fits is skipped, not panicked on.
    pub fn replay(&mut self, seq: u64, change: &Change) {
        self.follow_tails(change);
        match change {
            Change::NoteAdded { note } => {
                self.notes.insert(note.id.clone(), note.clone());
            }
            Change::NoteEdited { note_id, text, at } => {
                if let Some(n) = self.notes.get_mut(note_id) {
                    // Real texts are never empty: an empty one is an edit withheld from this
                    // viewer, so the old text is stale too.
                    if text.is_empty() {
                        n.masked = true;
                        n.author_name = None;
                    }
                    n.text = text.clone();
                    n.updated_at = *at;
                    n.version += 1;
                }
            }
            Change::NoteDeleted { note_id } => {
                if let Some(note) = self.notes.shift_remove(note_id) {
                    for ballot in self.ballots.values_mut() {
                        ballot.remove(note_id);
                    }
                    if self.spotlight == Some(Spotlight::Note { id: note_id.clone() }) {
                        self.spotlight = None;
                    }
                    self.drop_group_if_empty(note.group.as_ref());
                }
            }
            Change::NoteMoved { note_id, lane, group, rank } => {
                if let Some(n) = self.notes.get_mut(note_id) {
                    let old_group = std::mem::replace(&mut n.group, group.clone());
                    n.lane = lane.clone();
                    n.rank = *rank;
                    n.version += 1;
                    if old_group.as_ref() != group.as_ref() {
                        self.drop_group_if_empty(old_group.as_ref());
                    }
                }
            }
            Change::GroupCreated { group, note_ids } => {
                self.groups.insert(group.id.clone(), group.clone());
                let mut emptied = Vec::new();
                for (i, id) in note_ids.iter().enumerate() {
                    if let Some(n) = self.notes.get_mut(id) {
                        if let Some(old) = n.group.replace(group.id.clone()) {
                            emptied.push(old);
                        }
                        n.lane = group.lane.clone();
                        n.rank = (i + 1) as f64;
                        n.version += 1;
                    }
                }
                for old in emptied {
                    self.drop_group_if_empty(Some(&old));
                }
            }
            Change::GroupRenamed { group_id, title } => {
                if let Some(g) = self.groups.get_mut(group_id) {
                    g.title = title.clone();
                    g.version += 1;
                }
            }
            Change::GroupMoved { group_id, lane, rank } => {
                if let Some(g) = self.groups.get_mut(group_id) {
                    g.lane = lane.clone();
                    g.rank = *rank;
                    g.version += 1;
                }
                for n in self.notes.values_mut().filter(|n| n.group.as_ref() == Some(group_id)) {
                    n.lane = lane.clone();
                    n.version += 1;
                }
            }
            Change::Ungrouped { group_id } => {
                if let Some(g) = self.groups.shift_remove(group_id) {
                    let start = self.end_rank(&g.lane, None);
                    let members: Vec<NoteId> = self
                        .notes_in(&g.lane)
                        .filter(|n| n.group.as_ref() == Some(group_id))
                        .map(|n| n.id.clone())
                        .collect();
                    for (i, id) in members.iter().enumerate() {
                        if let Some(n) = self.notes.get_mut(id) {
                            n.group = None;
                            n.rank = start + i as f64;
                            n.version += 1;
                        }
                    }
                    if self.spotlight == Some(Spotlight::Group { id: group_id.clone() }) {
                        self.spotlight = None;
                    }
                }
            }
            Change::HiddenSet { lanes, hidden } => {
                for lane in self.lanes.iter_mut().filter(|l| lanes.contains(&l.id)) {
                    lane.hidden = *hidden;
                }
            }
            Change::LockedSet { locked } => self.locked = *locked,
            Change::TimerSet { timer } => self.timer = *timer,
            Change::SpotlightSet { target } => self.spotlight = target.clone(),
            Change::PhaseSet { lane } => self.phase = lane.clone(),
            Change::VotingOpened { voting } => {
                self.voting = Some(voting.clone());
                self.ballots.clear();
                for n in self.notes.values_mut() {
                    n.votes = 0;
                }
            }
            Change::VotingClosed { result } => {
                let result = result.clone().or_else(|| self.tally());
                if let Some(v) = self.voting.as_mut() {
                    v.open = false;
                }
                if let Some(result) = result {
                    for n in self.notes.values_mut() {
                        n.votes = result.counts.iter().find(|c| c.note_id == n.id).map_or(0, |c| c.votes);
                    }
                    self.rounds.retain(|r| r.round != result.round);
                    self.spotlight = Some(Spotlight::Results { round: result.round });
                    self.rounds.push(result);
                }
            }
            Change::VoteCounted { retracted } => self.count_vote(*retracted),
            Change::VoteCast { note_id, voter } => {
                self.count_vote(false);
                if let Some(n) = self.notes.get_mut(note_id) {
                    n.votes += 1;
                }
                if let Some(voter) = voter {
                    *self.ballots.entry(voter.clone()).or_default().entry(note_id.clone()).or_default() += 1;
                }
            }
            Change::VoteRetracted { note_id, voter } => {
                self.count_vote(true);
                if let Some(n) = self.notes.get_mut(note_id) {
                    n.votes = n.votes.saturating_sub(1);
                }
                if let Some(ballot) = voter.as_ref().and_then(|v| self.ballots.get_mut(v)) {
                    if let Some(count) = ballot.get_mut(note_id) {
                        *count = count.saturating_sub(1);
                        if *count == 0 {
                            ballot.remove(note_id);
                        }
                    }
                }
            }
            Change::NoteRestored { note } => {
                self.notes.insert(note.id.clone(), note.clone());
            }
            Change::GroupRestored { group } => {
                self.groups.insert(group.id.clone(), group.clone());
            }
            Change::LaneAdded { .. }
            | Change::LaneEdited { .. }
            | Change::LaneMoved { .. }
            | Change::LaneRemoved { .. } => self.replay_lane(change),
            Change::MemberJoined { .. }
            | Change::TablesSet { .. }
            | Change::TablesFormed { .. }
            | Change::MemberSeated { .. } => self.replay_workshop(change),
            Change::NotesGathered { .. } | Change::ShowingSet { .. } => self.replay_plenary(change),
            Change::Imported { board } => {
                // Everything but the identity of this board.
                let (id, join_code) = (self.id.clone(), self.join_code.clone());
                *self = (**board).clone();
                self.id = id;
                self.join_code = join_code;
            }
            Change::ParticipantRemoved { participant } => {
                if let Some(p) = participant.as_ref().filter(|p| !self.removed.contains(p)) {
                    self.removed.push(p.clone());
                }
            }
            Change::AuthorsShown { shown, authors } => {
                self.authors_shown = *shown;
                if let Some(authors) = authors {
                    for note in self.notes.values_mut() {
                        let author = authors.get(&note.id).cloned();
                        if note.author != author {
                            note.author = author;
                            note.version += 1;
                        }
                    }
                }
            }
        }
        self.seq = seq;
    }

    /// Groups exist only while they hold notes, so no screen shows an empty husk.
    fn drop_group_if_empty(&mut self, group: Option<&GroupId>) {
        let Some(group) = group else { return };
        if !self.notes.values().any(|n| n.group.as_ref() == Some(group)) {
            self.groups.shift_remove(group);
            if self.spotlight == Some(Spotlight::Group { id: group.clone() }) {
                self.spotlight = None;
            }
        }
    }
}

crate::decode_tagged!(Change, "type", {
    "note_added" => NoteAdded { note },
    "note_edited" => NoteEdited { note_id, text, at },
    "note_deleted" => NoteDeleted { note_id },
    "note_moved" => NoteMoved { note_id, lane, group, rank },
    "group_created" => GroupCreated { group, note_ids },
    "group_renamed" => GroupRenamed { group_id, title },
    "group_moved" => GroupMoved { group_id, lane, rank },
    "ungrouped" => Ungrouped { group_id },
    "hidden_set" => HiddenSet { lanes, hidden },
    "locked_set" => LockedSet { locked },
    "timer_set" => TimerSet { timer },
    "spotlight_set" => SpotlightSet { target },
    "phase_set" => PhaseSet { lane },
    "voting_opened" => VotingOpened { voting },
    "voting_closed" => VotingClosed { result = default },
    "vote_cast" => VoteCast { note_id, voter },
    "vote_retracted" => VoteRetracted { note_id, voter },
    "vote_counted" => VoteCounted { retracted },
    "participant_removed" => ParticipantRemoved { participant = default },
    "authors_shown" => AuthorsShown { shown, authors = default },
    "note_restored" => NoteRestored { note },
    "group_restored" => GroupRestored { group },
    "lane_added" => LaneAdded { lane, index },
    "lane_edited" => LaneEdited { lane_id, title, question },
    "lane_moved" => LaneMoved { lane_id, index },
    "lane_removed" => LaneRemoved { lane_id },
    "member_joined" => MemberJoined { member, new },
    "tables_set" => TablesSet { tables },
    "tables_formed" => TablesFormed { seats },
    "member_seated" => MemberSeated { member, table },
    "notes_gathered" => NotesGathered { notes },
    "showing_set" => ShowingSet { showing },
    "imported" => Imported { board },
});
