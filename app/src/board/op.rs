//! Ops: the intents clients send. Who may send which op is decided by the server
//! (`server/src/hub/permissions.rs`), what fits the board by [`Board::apply`](super::Board::apply).

use super::{Actor, Group, GroupId, LaneId, Note, NoteId, ParticipantId, Spotlight, Timer};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An intent to change a board. The wire form is `{"type": "add_note", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    // Participants (and, for edit/delete, the facilitator)
    AddNote {
        note_id: NoteId,
        lane: LaneId,
        text: String,
        #[serde(default)]
        author_name: Option<String>,
    },
    EditNote {
        note_id: NoteId,
        text: String,
    },
    DeleteNote {
        note_id: NoteId,
    },
    Vote {
        note_id: NoteId,
    },
    Unvote {
        note_id: NoteId,
    },

    // Facilitator: clustering. `rank: None` means "at the end".
    MoveNote {
        note_id: NoteId,
        lane: LaneId,
        #[serde(default)]
        group: Option<GroupId>,
        #[serde(default)]
        rank: Option<f64>,
    },
    /// Makes a group of notes (e.g. one note dropped on another), in the first note's lane.
    CreateGroup {
        group_id: GroupId,
        title: String,
        note_ids: Vec<NoteId>,
    },
    RenameGroup {
        group_id: GroupId,
        title: String,
    },
    /// Moves a group and all its notes as one.
    MoveGroup {
        group_id: GroupId,
        lane: LaneId,
        #[serde(default)]
        rank: Option<f64>,
    },
    /// Dissolves a group; its notes stay, ungrouped.
    Ungroup {
        group_id: GroupId,
    },

    // Facilitator: running the room
    /// Hides (or reveals) one lane, or every lane when `lane` is absent.
    SetHidden {
        #[serde(default)]
        lane: Option<LaneId>,
        hidden: bool,
    },
    SetLocked {
        locked: bool,
    },
    StartTimer {
        seconds: u32,
    },
    StopTimer {},
    SetSpotlight {
        #[serde(default)]
        target: Option<Spotlight>,
    },
    SetPhase {
        #[serde(default)]
        lane: Option<LaneId>,
    },
    OpenVoting {
        votes_per_participant: u32,
        allow_stacking: bool,
    },
    CloseVoting {},
    /// Removes a participant the facilitator sees in the presence list.
    RemoveParticipant {
        participant: ParticipantId,
    },
    /// Removes whoever wrote this note; the server resolves the author, so the facilitator
    /// needs no list of who wrote what.
    RemoveAuthor {
        note_id: NoteId,
    },
    /// Shows or hides, on the facilitator's screen only, who wrote which note.
    ShowAuthors {
        shown: bool,
    },
    /// Undoes the facilitator's last undoable action (moves, groups, renames, deletes, hiding,
    /// lock, timer, spotlight, phase); the server keeps the last 50.
    Undo {},
    Redo {},

    // Facilitator: what undo sends to put things back exactly as they were.
    RestoreNote {
        note: Note,
    },
    RestoreGroup {
        group: Group,
    },
    SetTimer {
        #[serde(default)]
        timer: Option<Timer>,
    },
}
crate::tagged::tagged!(Op, "type");

impl Op {
    /// Ops only the facilitator may send.
    pub fn is_facilitation(&self) -> bool {
        !matches!(
            self,
            Op::AddNote { .. } | Op::EditNote { .. } | Op::DeleteNote { .. } | Op::Vote { .. } | Op::Unvote { .. }
        )
    }

    /// The note this op is about, if any.
    pub fn note_id(&self) -> Option<&NoteId> {
        match self {
            Op::AddNote { note_id, .. }
            | Op::EditNote { note_id, .. }
            | Op::DeleteNote { note_id }
            | Op::Vote { note_id }
            | Op::Unvote { note_id }
            | Op::MoveNote { note_id, .. } => Some(note_id),
            _ => None,
        }
    }
}

/// What the server decided about an op besides the op itself: who, when, which sequence number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpContext {
    pub actor: Actor,
    /// Unix time in milliseconds, from the server's clock.
    pub at: i64,
    pub seq: u64,
}

/// Why an op cannot be applied. Each variant has a stable `code()` for the wire.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OpError {
    #[error("note text is empty")]
    EmptyText,
    #[error("note text has {got} characters; at most {max} are allowed")]
    TextTooLong { max: usize, got: usize },
    #[error("display name has {got} characters; at most {max} are allowed")]
    NameTooLong { max: usize, got: usize },
    #[error("title is empty")]
    EmptyTitle,
    #[error("title has {got} characters; at most {max} are allowed")]
    TitleTooLong { max: usize, got: usize },
    #[error("ids must be 1-64 characters of A-Z, a-z, 0-9, '-' or '_'")]
    InvalidId,
    #[error("there is no lane '{0}' on this board")]
    UnknownLane(LaneId),
    #[error("there is no note '{0}' on this board")]
    UnknownNote(NoteId),
    #[error("there is no group '{0}' on this board")]
    UnknownGroup(GroupId),
    #[error("a note with id '{0}' already exists")]
    DuplicateNote(NoteId),
    #[error("a group with id '{0}' already exists")]
    DuplicateGroup(GroupId),
    #[error("the group is in another lane")]
    GroupInOtherLane,
    #[error("a group needs at least one note")]
    EmptyGroup,
    #[error("rank must be a finite number")]
    InvalidRank,
    #[error("the sequence number {got} does not follow {head}")]
    OutOfOrder { head: u64, got: u64 },
    #[error("only a participant can do this")]
    NotAParticipant,
    #[error("the board is locked")]
    Locked,
    #[error("no voting round is open")]
    VotingClosed,
    #[error("all {0} votes are used")]
    NoVotesLeft(u32),
    #[error("only one vote per note in this round")]
    AlreadyVoted,
    #[error("there is no vote of yours on this note")]
    NoVoteToTakeBack,
    #[error("votes per participant must be 1-{max}")]
    InvalidVoteCount { max: u32 },
    #[error("the timer must run 1 second to {max} seconds")]
    InvalidTimer { max: u32 },
    #[error("undo and redo are handled by the server's history, not by the board")]
    NotABoardOp,
    #[error("there is nothing to undo")]
    NothingToUndo,
    #[error("there is nothing to redo")]
    NothingToRedo,
    #[error("text may not contain control characters (line breaks and tabs are fine in a note)")]
    ControlCharacter,
    #[error("only a note the facilitator deleted, or a group that was dissolved, can be restored, as it was")]
    NotRestorable,
    #[error("no participant with this id has been on this board")]
    UnknownParticipant,
    #[error("this op id belongs to another sender's op")]
    DuplicateOpId,
    #[error("nobody on this board wrote this note (it was imported)")]
    NoAuthor,
}

impl OpError {
    /// Stable machine-readable code, used on the wire and for translations.
    pub fn code(&self) -> &'static str {
        match self {
            OpError::EmptyText => "empty_text",
            OpError::TextTooLong { .. } => "text_too_long",
            OpError::NameTooLong { .. } => "name_too_long",
            OpError::EmptyTitle => "empty_title",
            OpError::TitleTooLong { .. } => "title_too_long",
            OpError::InvalidId => "invalid_id",
            OpError::UnknownLane(_) => "unknown_lane",
            OpError::UnknownNote(_) => "unknown_note",
            OpError::UnknownGroup(_) => "unknown_group",
            OpError::DuplicateNote(_) => "duplicate_note",
            OpError::DuplicateGroup(_) => "duplicate_group",
            OpError::GroupInOtherLane => "group_in_other_lane",
            OpError::EmptyGroup => "empty_group",
            OpError::InvalidRank => "invalid_rank",
            OpError::OutOfOrder { .. } => "out_of_order",
            OpError::NotAParticipant => "not_a_participant",
            OpError::Locked => "locked",
            OpError::VotingClosed => "voting_closed",
            OpError::NoVotesLeft(_) => "no_votes_left",
            OpError::AlreadyVoted => "already_voted",
            OpError::NoVoteToTakeBack => "no_vote_to_take_back",
            OpError::InvalidVoteCount { .. } => "invalid_vote_count",
            OpError::InvalidTimer { .. } => "invalid_timer",
            OpError::NotABoardOp => "not_a_board_op",
            OpError::NothingToUndo => "nothing_to_undo",
            OpError::NothingToRedo => "nothing_to_redo",
            OpError::ControlCharacter => "control_character",
            OpError::NotRestorable => "not_restorable",
            OpError::UnknownParticipant => "unknown_participant",
            OpError::DuplicateOpId => "duplicate_op_id",
            OpError::NoAuthor => "no_author",
        }
    }
}
