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
pub mod audience;
mod change;
mod ids;
mod op;
mod restorable;
mod tails;
mod template;
mod undo;

pub(crate) use as_list::Keyed;
pub use change::{Change, Revealed};
pub use ids::*;
pub use op::{Op, OpContext, OpError};
pub use restorable::Restorable;
pub use tails::Tails;
pub use template::default_lanes;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest note text in characters (Unicode scalar values, after trimming).
pub const MAX_NOTE_CHARS: usize = 280;
/// Longest display name in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// Longest board or group title in characters.
pub const MAX_TITLE_CHARS: usize = 120;
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
    /// Where each lane and group ends (a cache; see [`Tails`]).
    #[serde(skip)]
    pub tails: Tails,
    /// What undo may put back (see [`Restorable`]).
    #[serde(skip)]
    pub restorable: Restorable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    pub id: LaneId,
    pub title: String,
    /// Hidden until the facilitator reveals it: participants see only their own notes.
    #[serde(default)]
    pub hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: NoteId,
    pub lane: LaneId,
    /// The group the note is clustered in, if any (always a group in the same lane).
    #[serde(default)]
    pub group: Option<GroupId>,
    /// Order within its lane (or group): ascending.
    #[serde(default)]
    pub rank: f64,
    pub text: String,
    /// Who wrote it. Only the server's board holds every author; views carry none, except the
    /// facilitator's while the board shows authors ([`Board::authors_shown`]). `None` on the
    /// server only for imported notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<ParticipantId>,
    /// Display name at posting time; `None` means anonymous.
    pub author_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Bumped on every change, so keyed views re-render only what changed.
    pub version: u32,
    /// Votes in the current round.
    #[serde(default)]
    pub votes: u32,
    /// True in a participant's view when the text is withheld (someone else's hidden note).
    #[serde(default, skip_serializing_if = "is_false")]
    pub masked: bool,
    /// True in a participant's view on the notes they wrote themselves.
    #[serde(default, skip_serializing_if = "is_false")]
    pub mine: bool,
}

impl Note {
    /// Whether `who` wrote this note: marked as theirs in their view, or (on the server, or
    /// in their own not yet confirmed notes) by its author.
    pub fn is_by(&self, who: &ParticipantId) -> bool {
        self.mine || self.author.as_ref() == Some(who)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: GroupId,
    pub lane: LaneId,
    pub title: String,
    pub rank: f64,
    pub version: u32,
}

/// A countdown; the end time is the server's, so every screen shows the same time left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    pub started_at: i64,
    pub ends_at: i64,
}

/// What the facilitator highlights on every screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Spotlight {
    Note { id: NoteId },
    Group { id: GroupId },
}
crate::tagged::tagged!(Spotlight, "kind");

/// A dot-voting round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voting {
    pub round: u32,
    pub votes_per_participant: u32,
    /// Whether one participant may put several votes on the same note.
    pub allow_stacking: bool,
    /// Closed rounds keep their results on screen until the next round opens.
    pub open: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

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
            ballots: BTreeMap::new(),
            removed: Vec::new(),
            authors_shown: false,
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
        // The sort key is looked up once per note (a big lane is sorted on every change).
        let mut keyed: Vec<(bool, f64, Option<&GroupId>, f64, &Note)> = self
            .notes
            .values()
            .filter(|n| &n.lane == lane)
            .map(|n| {
                let group_rank = n.group.as_ref().and_then(|g| self.groups.get(g)).map(|g| g.rank);
                (group_rank.is_none(), group_rank.unwrap_or(0.0), n.group.as_ref(), n.rank, n)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)).then(a.3.total_cmp(&b.3)));
        let notes: Vec<&Note> = keyed.into_iter().map(|k| k.4).collect();
        notes.into_iter()
    }

    /// Groups of one lane, by rank.
    pub fn groups_in<'a>(&'a self, lane: &'a LaneId) -> Vec<&'a Group> {
        let mut groups: Vec<&Group> = self.groups.values().filter(|g| &g.lane == lane).collect();
        groups.sort_by(|a, b| a.rank.total_cmp(&b.rank).then(a.id.cmp(&b.id)));
        groups
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
        for lane in &mut self.lanes {
            if !is_valid_client_id(lane.id.as_str()) || !lane_ids.insert(lane.id.clone()) {
                return Err(OpError::InvalidId);
            }
            lane.title = normalise_title(&lane.title)?;
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
        self.ballots.clear();
        self.removed.clear();
        self.authors_shown = false;
        self.tails = Tails::default();
        Ok(self)
    }
}

/// Trims and checks a note text; the returned string is what gets stored. Line breaks and tabs
/// stay (a `\r\n` becomes `\n`); other control characters are refused. Its length is counted
/// in characters (Unicode scalar values) after trimming: [`note_length`].
pub fn normalise_note_text(text: &str) -> Result<String, OpError> {
    let text = text.trim();
    let text = if text.contains('\r') { text.replace("\r\n", "\n") } else { text.to_owned() };
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(OpError::ControlCharacter);
    }
    let chars = note_length(&text);
    if chars == 0 {
        return Err(OpError::EmptyText);
    }
    if chars > MAX_NOTE_CHARS {
        return Err(OpError::TextTooLong { max: MAX_NOTE_CHARS, got: chars });
    }
    Ok(text)
}

/// A note's length as the limit counts it, on the phone and on the server alike: characters
/// (Unicode scalar values: "æ" is one, an emoji one or more) after trimming.
pub fn note_length(text: &str) -> usize {
    text.trim().chars().count()
}

/// Names and titles are one line of text: no control characters at all.
fn one_line(text: &str) -> Result<(), OpError> {
    match text.chars().any(char::is_control) {
        true => Err(OpError::ControlCharacter),
        false => Ok(()),
    }
}

/// Trims a display name; blank means anonymous.
pub fn normalise_name(name: Option<&str>) -> Result<Option<String>, OpError> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    one_line(name)?;
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(OpError::NameTooLong { max: MAX_NAME_CHARS, got: chars });
    }
    Ok(Some(name.to_owned()))
}

/// Trims and checks a board or group title.
pub fn normalise_title(title: &str) -> Result<String, OpError> {
    let title = title.trim();
    one_line(title)?;
    let chars = title.chars().count();
    if chars == 0 {
        return Err(OpError::EmptyTitle);
    }
    if chars > MAX_TITLE_CHARS {
        return Err(OpError::TitleTooLong { max: MAX_TITLE_CHARS, got: chars });
    }
    Ok(title.to_owned())
}

/// Keyed collections travel as JSON lists (readable exports); in memory they are maps by id.
mod as_list {
    use indexmap::IndexMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::hash::Hash;

    pub trait Keyed {
        type Key: Hash + Eq;
        fn key(&self) -> Self::Key;
    }

    impl Keyed for super::Note {
        type Key = super::NoteId;
        fn key(&self) -> super::NoteId {
            self.id.clone()
        }
    }

    impl Keyed for super::Group {
        type Key = super::GroupId;
        fn key(&self) -> super::GroupId {
            self.id.clone()
        }
    }

    pub fn serialize<S: Serializer, T: Serialize, K>(items: &IndexMap<K, T>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(items.values())
    }

    pub fn deserialize<'de, D, T>(d: D) -> Result<IndexMap<T::Key, T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Keyed,
    {
        let list = Vec::<T>::deserialize(d)?;
        Ok(list.into_iter().map(|t| (t.key(), t)).collect())
    }
}
