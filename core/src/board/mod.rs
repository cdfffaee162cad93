//! The pure board model: no IO, no clocks, no randomness, no cfg.
//!
//! - [`Board::apply`] validates an [`Op`] (a client's intent) and turns it into a [`Change`]
//!   (what actually happens, with everything resolved: ranks, times, authors).
//! - [`Board::replay`] applies a `Change`; it is the only code that mutates a board.
//! - [`audience`] decides what each viewer may see: participants never receive the text of
//!   other people's hidden notes, nor who voted for what.
//!
//! The server applies ops in sequence order and sends the changes; clients replay them and
//! so hold the server's board (or their permitted view of it).

mod apply;
mod as_list;
pub mod audience;
mod change;
mod ids;
mod lanes;
mod op;
mod op_error;
pub mod order;
mod pieces;
mod restorable;
mod revealed;
#[cfg(test)]
mod rounds_tests;
mod tails;
mod tally;
mod template;
mod text;
mod undo;
pub mod workshop;

pub use change::Change;
pub use ids::*;
pub use op::{participant_op_from_json, Op, OpContext};
pub use op_error::{OpError, OpErrorCode};
pub use pieces::{FromTable, Group, Lane, Note, NoteVotes, RoundResult, Spotlight, Timer, Voting};
pub use restorable::Restorable;
pub use revealed::Revealed;
pub use tails::Tails;
pub use template::{default_lanes, LaneSpec, MAX_LANES};
pub use text::{clip, normalise_name, normalise_note_text, normalise_question, normalise_title, note_length};

use order::Place;
use pieces::is_false;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest note text in characters (Unicode scalar values, after trimming).
pub const MAX_NOTE_CHARS: usize = 280;
/// Longest display name in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// Longest board or group title in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// Longest guiding question of a lane in characters.
pub const MAX_QUESTION_CHARS: usize = 200;
/// Votes per participant in a round: allowed range and default.
pub const MAX_VOTES: u32 = 20;
pub const DEFAULT_VOTES: u32 = 5;
/// Longest timer: three hours.
pub const MAX_TIMER_SECONDS: u32 = 3 * 60 * 60;

/// One workshop board: its lanes, notes and groups, and the facilitator's session state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub id: BoardId,
    pub title: String,
    pub join_code: String,
    /// Unix time in milliseconds, set by the server.
    pub created_at: i64,
    /// Sequence number of the last applied event; 0 for a new board.
    pub seq: u64,
    pub lanes: Vec<Lane>,
    #[serde(with = "as_list")]
    pub notes: IndexMap<NoteId, Note>,
    #[serde(default, with = "as_list")]
    pub groups: IndexMap<GroupId, Group>,
    /// A locked board takes no new notes, edits or votes from participants.
    #[serde(default)]
    pub locked: bool,
    /// The lane participants are asked to work in now (`None`: all lanes).
    #[serde(default)]
    pub phase: Option<LaneId>,
    #[serde(default)]
    pub timer: Option<Timer>,
    #[serde(default)]
    pub spotlight: Option<Spotlight>,
    #[serde(default)]
    pub voting: Option<Voting>,
    /// Every closed round's results, oldest first. Opening a round never erases them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<RoundResult>,
    /// Who voted for what, in the current round. Only the server holds everyone's; a
    /// participant's view holds only their own, the facilitator's none (votes are anonymous).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ballots: BTreeMap<ParticipantId, BTreeMap<NoteId, u32>>,
    /// Participants the facilitator removed; the server refuses their connections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<ParticipantId>,
    /// Whether the facilitator's screen shows who wrote which note (off by default; the
    /// phones say so while it is on). Participants never see authors.
    #[serde(default, skip_serializing_if = "is_false")]
    pub authors_shown: bool,
    /// On a workshop's plenary board: its tables and members (`crate::workshop`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workshop: Option<workshop::Workshop>,
    /// On a table board: which workshop, which table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_of: Option<workshop::TableOf>,
    /// Where each lane and group ends (a cache; see [`Tails`]).
    #[serde(skip)]
    pub tails: Tails,
    /// What undo may put back (see [`Restorable`]).
    #[serde(skip)]
    pub restorable: Restorable,
}

crate::decode_struct!(Board {
    id,
    title,
    join_code,
    created_at,
    seq,
    lanes,
    notes,
    groups = default,
    locked = default,
    phase = default,
    timer = default,
    spotlight = default,
    voting = default,
    rounds = default,
    ballots = default,
    removed = default,
    authors_shown = default,
    workshop = default,
    table_of = default,
    tails = skip,
    restorable = skip,
});

impl Board {
    /// A new, empty board with the default Sparringsrummet lanes.
    pub fn new(id: BoardId, title: String, join_code: String, created_at: i64) -> Self {
        Board {
            id,
            title,
            join_code,
            created_at,
            seq: 0,
            lanes: default_lanes(),
            notes: IndexMap::new(),
            groups: IndexMap::new(),
            locked: false,
            phase: None,
            timer: None,
            spotlight: None,
            voting: None,
            rounds: Vec::new(),
            ballots: BTreeMap::new(),
            removed: Vec::new(),
            authors_shown: false,
            workshop: None,
            table_of: None,
            tails: Tails::default(),
            restorable: Restorable::default(),
        }
    }

    pub fn lane(&self, id: &LaneId) -> Option<&Lane> {
        self.lanes.iter().find(|l| &l.id == id)
    }

    pub fn is_hidden(&self, lane: &LaneId) -> bool {
        self.lane(lane).is_some_and(|l| l.hidden)
    }

    /// Notes of one lane in display order: groups by rank (their notes by rank), then loose notes.
    pub fn notes_in<'a>(&'a self, lane: &'a LaneId) -> impl Iterator<Item = &'a Note> + 'a {
        // Each group's place among the board's groups (by rank, then id), by its index in
        // `groups`: a short sort, so the lane's notes are sorted once, with a key looked up once
        // per note (a big lane is sorted on every change).
        let groups = order::in_order((0..self.groups.len()).collect(), |&at: &usize| {
            let group = &self.groups[at];
            Place { major: 0, minor: group.rank, name: group.id.as_str() }
        });
        let mut group_place = vec![0; groups.len()];
        for (place, at) in groups.into_iter().enumerate() {
            group_place[at] = place as u32;
        }
        let notes: Vec<&Note> = self.notes.values().filter(|n| &n.lane == lane).collect();
        order::in_order(notes, |n| {
            let place = match &n.group {
                Some(group) => self.groups.get_index_of(group).map_or(u32::MAX, |at| group_place[at]),
                None => u32::MAX - 1, // loose notes last, those of an unknown group after them
            };
            Place { major: place, minor: n.rank, name: "" }
        })
        .into_iter()
    }

    /// Groups of one lane, by rank.
    pub fn groups_in<'a>(&'a self, lane: &'a LaneId) -> Vec<&'a Group> {
        let groups: Vec<&Group> = self.groups.values().filter(|g| &g.lane == lane).collect();
        order::in_order(groups, |g| Place { major: 0, minor: g.rank, name: g.id.as_str() })
    }

    /// Votes a participant has cast in the current round.
    pub fn votes_used(&self, who: &ParticipantId) -> u32 {
        self.ballots.get(who).map_or(0, |b| b.values().sum())
    }
}

impl Board {
    /// Checks a board read from an import file as strictly as if it had been built op by op,
    /// and drops what an import must not carry (ballots, masks, authors, removals). The caller gives it a new
    /// identity.
    pub fn checked_import(mut self) -> Result<Board, OpError> {
        self.title = normalise_title(&self.title)?;
        let mut lane_ids = std::collections::HashSet::new();
        if self.lanes.len() > MAX_LANES {
            return Err(OpError::TooManyLanes { max: MAX_LANES });
        }
        if self.lanes.is_empty() {
            return Err(OpError::LastLane);
        }
        for lane in &mut self.lanes {
            if !is_valid_client_id(lane.id.as_str()) || !lane_ids.insert(lane.id.clone()) {
                return Err(OpError::InvalidId);
            }
            lane.title = normalise_title(&lane.title)?;
            lane.question = normalise_question(lane.question.as_deref())?;
        }
        if self.phase.as_ref().is_some_and(|p| !lane_ids.contains(p)) {
            self.phase = None;
        }
        for (id, group) in &mut self.groups {
            if !is_valid_client_id(id.as_str()) || *id != group.id || !lane_ids.contains(&group.lane) {
                return Err(OpError::UnknownLane(group.lane.clone()));
            }
            if !group.rank.is_finite() {
                return Err(OpError::InvalidRank);
            }
            group.title = normalise_title(&group.title)?;
        }
        let groups = self.groups.clone();
        for (id, note) in &mut self.notes {
            if !is_valid_client_id(id.as_str()) || *id != note.id {
                return Err(OpError::InvalidId);
            }
            if !lane_ids.contains(&note.lane) {
                return Err(OpError::UnknownLane(note.lane.clone()));
            }
            if let Some(g) = &note.group {
                if groups.get(g).is_none_or(|g| g.lane != note.lane) {
                    return Err(OpError::UnknownGroup(g.clone()));
                }
            }
            if !note.rank.is_finite() {
                return Err(OpError::InvalidRank);
            }
            note.text = normalise_note_text(&note.text)?;
            note.author_name = normalise_name(note.author_name.as_deref())?;
            note.masked = false;
            note.mine = false;
            // Nobody on the new board wrote these notes (exports carry no authors anyway).
            note.author = None;
        }
        for round in &mut self.rounds {
            round.name = round.name.as_deref().map(normalise_title).transpose()?;
            let notes = &self.notes;
            round.counts.retain(|c| notes.contains_key(&c.note_id));
        }
        self.ballots.clear();
        self.removed.clear();
        self.authors_shown = false;
        // An imported board is a board of its own, not a workshop's plenary or table.
        self.workshop = None;
        self.table_of = None;
        self.tails = Tails::default();
        Ok(self)
    }
}
