//! What a board holds besides itself: lanes, notes, groups, the timer, the spotlight and the
//! voting rounds. Each type's browser decoding table (`decode_struct!`) sits under it.

use super::{GroupId, LaneId, NoteId, ParticipantId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    pub id: LaneId,
    pub title: String,
    /// Hidden until the facilitator reveals it: participants see only their own notes.
    #[serde(default)]
    pub hidden: bool,
    /// The guiding question the phones show above the lane's form (templates; `None`: the
    /// UI's own hint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
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
    /// On a workshop's plenary: the table this note was copied from (`gather`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_table: Option<FromTable>,
}

/// Where a plenary's copy of a table's note (or group) came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FromTable {
    pub table: u32,
    /// The table's name when it was copied.
    pub name: String,
    /// The id of the note or group at the table: copying it again adds nothing.
    pub source: String,
}

crate::decode_struct!(FromTable { table, name, source });

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
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Spotlight {
    Note {
        id: NoteId,
    },
    Group {
        id: GroupId,
    },
    /// A closed round's results (closing a round shows them; clearing goes back to the board).
    Results {
        round: u32,
    },
}

/// A dot-voting round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voting {
    pub round: u32,
    /// What the round decides ("Hvilke forsøg skal vi lave?"); `None`: shown as "Runde 2".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub votes_per_participant: u32,
    /// Whether one participant may put several votes on the same note.
    pub allow_stacking: bool,
    /// Closed rounds keep their results on screen until the next round opens.
    pub open: bool,
    /// Whether participants and the presentation see the counts while the round is open.
    /// Off by default, so early votes do not steer later ones; the facilitator always sees them.
    #[serde(default, skip_serializing_if = "is_false")]
    pub counts_shown: bool,
    /// Votes cast in this round so far (everyone may see how voting progresses).
    #[serde(default)]
    pub cast: u32,
}

impl Voting {
    /// Whether the counts on the notes are withheld from participants and the room now.
    pub fn is_blind(&self) -> bool {
        self.open && !self.counts_shown
    }
}

/// A closed round, kept on the board for the results, the exports and the print page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundResult {
    pub round: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub votes_per_participant: u32,
    /// Votes cast in the round.
    pub cast: u32,
    /// Notes that got votes, most first (ties in board order). A note deleted later keeps its
    /// count here, without its text.
    pub counts: Vec<NoteVotes>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteVotes {
    pub note_id: NoteId,
    pub votes: u32,
}

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

crate::decode_struct!(Lane { id, title, hidden = default, question = default });
crate::decode_struct!(Note {
    id,
    lane,
    group = default,
    rank = default,
    text,
    author = default,
    author_name,
    created_at,
    updated_at,
    version,
    votes = default,
    masked = default,
    mine = default,
    from_table = default,
});
crate::decode_struct!(Group { id, lane, title, rank, version });
crate::decode_struct!(Timer { started_at, ends_at });
crate::decode_struct!(Voting {
    round,
    name = default,
    votes_per_participant,
    allow_stacking,
    open,
    counts_shown = default,
    cast = default,
});
crate::decode_struct!(RoundResult { round, name = default, votes_per_participant, cast, counts });
crate::decode_struct!(NoteVotes { note_id, votes });
crate::decode_tagged!(Spotlight, "kind", {
    "note" => Note { id },
    "group" => Group { id },
    "results" => Results { round },
});
