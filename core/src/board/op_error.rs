//! Why an op is refused: [`OpError`] with its details for logs and messages, and
//! [`OpErrorCode`], its stable name on the wire.

use super::{GroupId, LaneId, NoteId};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why an op cannot be applied. Each variant has a stable [`OpErrorCode`] for the wire.
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
    #[error("no closed voting round {0} on this board")]
    UnknownRound(u32),
    #[error("nobody on this board wrote this note (it was imported)")]
    NoAuthor,
    #[error("a board has at most {max} lanes")]
    TooManyLanes { max: usize },
    #[error("a board keeps at least one lane")]
    LastLane,
    #[error("only an empty lane can be removed: move or delete its notes first")]
    LaneNotEmpty,
    #[error("a lane with id '{0}' already exists")]
    DuplicateLane(LaneId),
    #[error("the question has {got} characters; at most {max} are allowed")]
    QuestionTooLong { max: usize, got: usize },
    #[error("this board is not a workshop's plenary")]
    NotAWorkshop,
    #[error("the workshop has no tables yet")]
    NoTables,
    #[error("no member {0} in this workshop")]
    UnknownMember(u32),
    #[error("no table {0} in this workshop")]
    UnknownTable(u32),
    #[error("a workshop has 1-{max} tables, numbered 1-{max}, each once, each named")]
    InvalidTables { max: usize },
    #[error("the workshop is full ({max} members)")]
    WorkshopFull { max: usize },
    #[error("at most {max} notes are copied at once")]
    TooManyGathered { max: usize },
}

impl OpError {
    /// The stable code sent on the wire (`error.reason`) and translated by the UI.
    pub fn code(&self) -> OpErrorCode {
        match self {
            OpError::EmptyText => OpErrorCode::EmptyText,
            OpError::TextTooLong { .. } => OpErrorCode::TextTooLong,
            OpError::NameTooLong { .. } => OpErrorCode::NameTooLong,
            OpError::EmptyTitle => OpErrorCode::EmptyTitle,
            OpError::TitleTooLong { .. } => OpErrorCode::TitleTooLong,
            OpError::InvalidId => OpErrorCode::InvalidId,
            OpError::UnknownLane(_) => OpErrorCode::UnknownLane,
            OpError::UnknownNote(_) => OpErrorCode::UnknownNote,
            OpError::UnknownGroup(_) => OpErrorCode::UnknownGroup,
            OpError::DuplicateNote(_) => OpErrorCode::DuplicateNote,
            OpError::DuplicateGroup(_) => OpErrorCode::DuplicateGroup,
            OpError::GroupInOtherLane => OpErrorCode::GroupInOtherLane,
            OpError::EmptyGroup => OpErrorCode::EmptyGroup,
            OpError::InvalidRank => OpErrorCode::InvalidRank,
            OpError::OutOfOrder { .. } => OpErrorCode::OutOfOrder,
            OpError::NotAParticipant => OpErrorCode::NotAParticipant,
            OpError::Locked => OpErrorCode::Locked,
            OpError::VotingClosed => OpErrorCode::VotingClosed,
            OpError::NoVotesLeft(_) => OpErrorCode::NoVotesLeft,
            OpError::AlreadyVoted => OpErrorCode::AlreadyVoted,
            OpError::NoVoteToTakeBack => OpErrorCode::NoVoteToTakeBack,
            OpError::InvalidVoteCount { .. } => OpErrorCode::InvalidVoteCount,
            OpError::InvalidTimer { .. } => OpErrorCode::InvalidTimer,
            OpError::NotABoardOp => OpErrorCode::NotABoardOp,
            OpError::NothingToUndo => OpErrorCode::NothingToUndo,
            OpError::NothingToRedo => OpErrorCode::NothingToRedo,
            OpError::ControlCharacter => OpErrorCode::ControlCharacter,
            OpError::NotRestorable => OpErrorCode::NotRestorable,
            OpError::UnknownRound(_) => OpErrorCode::UnknownRound,
            OpError::UnknownParticipant => OpErrorCode::UnknownParticipant,
            OpError::DuplicateOpId => OpErrorCode::DuplicateOpId,
            OpError::NoAuthor => OpErrorCode::NoAuthor,
            OpError::TooManyLanes { .. } => OpErrorCode::TooManyLanes,
            OpError::LastLane => OpErrorCode::LastLane,
            OpError::LaneNotEmpty => OpErrorCode::LaneNotEmpty,
            OpError::DuplicateLane(_) => OpErrorCode::DuplicateLane,
            OpError::QuestionTooLong { .. } => OpErrorCode::QuestionTooLong,
            OpError::NotAWorkshop => OpErrorCode::NotAWorkshop,
            OpError::NoTables => OpErrorCode::NoTables,
            OpError::UnknownMember(_) => OpErrorCode::UnknownMember,
            OpError::UnknownTable(_) => OpErrorCode::UnknownTable,
            OpError::InvalidTables { .. } => OpErrorCode::InvalidTables,
            OpError::WorkshopFull { .. } => OpErrorCode::WorkshopFull,
            OpError::TooManyGathered { .. } => OpErrorCode::TooManyGathered,
        }
    }
}

/// [`OpError`] without its details: what travels in `error.reason` and what the UI translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpErrorCode {
    EmptyText,
    TextTooLong,
    NameTooLong,
    EmptyTitle,
    TitleTooLong,
    InvalidId,
    UnknownLane,
    UnknownNote,
    UnknownGroup,
    DuplicateNote,
    DuplicateGroup,
    GroupInOtherLane,
    EmptyGroup,
    InvalidRank,
    OutOfOrder,
    NotAParticipant,
    Locked,
    VotingClosed,
    NoVotesLeft,
    AlreadyVoted,
    NoVoteToTakeBack,
    InvalidVoteCount,
    InvalidTimer,
    NotABoardOp,
    NothingToUndo,
    NothingToRedo,
    ControlCharacter,
    NotRestorable,
    UnknownParticipant,
    DuplicateOpId,
    NoAuthor,
    UnknownRound,
    TooManyLanes,
    LastLane,
    LaneNotEmpty,
    DuplicateLane,
    QuestionTooLong,
    NotAWorkshop,
    NoTables,
    UnknownMember,
    UnknownTable,
    InvalidTables,
    WorkshopFull,
    TooManyGathered,
}

impl OpErrorCode {
    /// The wire name, e.g. `"text_too_long"` (also the HTTP API's error `code`).
    pub fn as_str(self) -> &'static str {
        crate::decode::Tagged::wire_tag(&self)
    }
}

crate::decode_names!(OpErrorCode {
    "empty_text" => EmptyText,
    "text_too_long" => TextTooLong,
    "name_too_long" => NameTooLong,
    "empty_title" => EmptyTitle,
    "title_too_long" => TitleTooLong,
    "invalid_id" => InvalidId,
    "unknown_lane" => UnknownLane,
    "unknown_note" => UnknownNote,
    "unknown_group" => UnknownGroup,
    "duplicate_note" => DuplicateNote,
    "duplicate_group" => DuplicateGroup,
    "group_in_other_lane" => GroupInOtherLane,
    "empty_group" => EmptyGroup,
    "invalid_rank" => InvalidRank,
    "out_of_order" => OutOfOrder,
    "not_a_participant" => NotAParticipant,
    "locked" => Locked,
    "voting_closed" => VotingClosed,
    "no_votes_left" => NoVotesLeft,
    "already_voted" => AlreadyVoted,
    "no_vote_to_take_back" => NoVoteToTakeBack,
    "invalid_vote_count" => InvalidVoteCount,
    "invalid_timer" => InvalidTimer,
    "not_a_board_op" => NotABoardOp,
    "nothing_to_undo" => NothingToUndo,
    "nothing_to_redo" => NothingToRedo,
    "control_character" => ControlCharacter,
    "not_restorable" => NotRestorable,
    "unknown_participant" => UnknownParticipant,
    "duplicate_op_id" => DuplicateOpId,
    "no_author" => NoAuthor,
    "unknown_round" => UnknownRound,
    "too_many_lanes" => TooManyLanes,
    "last_lane" => LastLane,
    "lane_not_empty" => LaneNotEmpty,
    "duplicate_lane" => DuplicateLane,
    "question_too_long" => QuestionTooLong,
    "not_a_workshop" => NotAWorkshop,
    "no_tables" => NoTables,
    "unknown_member" => UnknownMember,
    "unknown_table" => UnknownTable,
    "invalid_tables" => InvalidTables,
    "workshop_full" => WorkshopFull,
    "too_many_gathered" => TooManyGathered,
});
