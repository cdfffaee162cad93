//! Ops: the intents clients send. Who may send which op is decided by the server
//! (`server/src/hub/permissions.rs`), what fits the board by [`Board::apply`](super::Board::apply).

use super::workshop::{GatheredNote, Profile, Showing, Table};
use super::{Actor, Group, GroupId, LaneId, Note, NoteId, ParticipantId, Spotlight, Timer};
use serde::{Deserialize, Serialize};

/// An intent to change a board. The wire form is `{"type": "add_note", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
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
    /// Opens a new round; earlier rounds' results stay on the board.
    OpenVoting {
        votes_per_participant: u32,
        allow_stacking: bool,
        #[serde(default)]
        name: Option<String>,
        /// Let participants and the room see the counts while the round is open.
        #[serde(default)]
        show_counts: bool,
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

    // Facilitator: the board's lanes (templates). `index: None` means "at the end".
    AddLane {
        lane_id: LaneId,
        title: String,
        #[serde(default)]
        question: Option<String>,
        #[serde(default)]
        index: Option<u32>,
        /// Undo puts a removed hidden lane back hidden.
        #[serde(default)]
        hidden: bool,
    },
    EditLane {
        lane_id: LaneId,
        title: String,
        #[serde(default)]
        question: Option<String>,
    },
    MoveLane {
        lane_id: LaneId,
        index: u32,
    },
    /// Removes an empty lane (a board keeps at least one).
    RemoveLane {
        lane_id: LaneId,
    },

    // Workshops, on the plenary board (`crate::workshop`).
    /// A participant joins the workshop, saying (optionally) who they are; again: updates it.
    JoinWorkshop {
        #[serde(default)]
        profile: Profile,
        #[serde(default)]
        name: Option<String>,
    },
    /// The workshop's tables (1–100, numbered, named); their boards follow from the numbers.
    SetTables {
        tables: Vec<Table>,
    },
    /// Seats everyone who joined at the tables, broad (`workshop::forming`).
    FormTables {
        seed: u64,
    },
    /// Moves one member (by number) to a table, or to none.
    SeatMember {
        member: u32,
        #[serde(default)]
        table: Option<u32>,
    },

    /// Copies a table's notes into the plenary, naming the table (the server sends this for
    /// `POST /api/workshops/{id}/gather`); notes copied from that table before are passed over.
    Gather {
        table: u32,
        notes: Vec<GatheredNote>,
    },
    /// What the room's screen shows of the workshop.
    Show {
        showing: Showing,
    },

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

impl Op {
    /// Ops only the facilitator may send.
    pub fn is_facilitation(&self) -> bool {
        !matches!(
            self,
            Op::AddNote { .. }
                | Op::EditNote { .. }
                | Op::DeleteNote { .. }
                | Op::Vote { .. }
                | Op::Unvote { .. }
                | Op::JoinWorkshop { .. }
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

impl Op {
    /// A round without a name whose counts stay hidden until it closes.
    pub fn open_voting(votes_per_participant: u32, allow_stacking: bool) -> Op {
        Op::OpenVoting { votes_per_participant, allow_stacking, name: None, show_counts: false }
    }
}

// What a participant's phone sends (see `app::sync::wire`), with the same field tables as
// below: the phone's bundle reads its saved outbox with this and leaves the other thirty
// variants' decoding out. `tests` check that both agree.
crate::decode_tagged!(@some pub fn participant_op_from_json -> Op, "type", {
    "add_note" => AddNote { note_id, lane, text, author_name = default },
    "edit_note" => EditNote { note_id, text },
    "delete_note" => DeleteNote { note_id },
    "vote" => Vote { note_id },
    "unvote" => Unvote { note_id },
    "join_workshop" => JoinWorkshop { profile = default, name = default },
});

crate::decode_tagged!(Op, "type", {
    "add_note" => AddNote { note_id, lane, text, author_name = default },
    "edit_note" => EditNote { note_id, text },
    "delete_note" => DeleteNote { note_id },
    "vote" => Vote { note_id },
    "unvote" => Unvote { note_id },
    "move_note" => MoveNote { note_id, lane, group = default, rank = default },
    "create_group" => CreateGroup { group_id, title, note_ids },
    "rename_group" => RenameGroup { group_id, title },
    "move_group" => MoveGroup { group_id, lane, rank = default },
    "ungroup" => Ungroup { group_id },
    "set_hidden" => SetHidden { lane = default, hidden },
    "set_locked" => SetLocked { locked },
    "start_timer" => StartTimer { seconds },
    "stop_timer" => StopTimer {},
    "set_spotlight" => SetSpotlight { target = default },
    "set_phase" => SetPhase { lane = default },
    "open_voting" => OpenVoting { votes_per_participant, allow_stacking, name = default, show_counts = default },
    "close_voting" => CloseVoting {},
    "remove_participant" => RemoveParticipant { participant },
    "remove_author" => RemoveAuthor { note_id },
    "show_authors" => ShowAuthors { shown },
    "undo" => Undo {},
    "redo" => Redo {},
    "restore_note" => RestoreNote { note },
    "restore_group" => RestoreGroup { group },
    "set_timer" => SetTimer { timer = default },
    "add_lane" => AddLane { lane_id, title, question = default, index = default, hidden = default },
    "edit_lane" => EditLane { lane_id, title, question = default },
    "move_lane" => MoveLane { lane_id, index },
    "remove_lane" => RemoveLane { lane_id },
    "join_workshop" => JoinWorkshop { profile = default, name = default },
    "set_tables" => SetTables { tables },
    "form_tables" => FormTables { seed },
    "seat_member" => SeatMember { member, table = default },
    "gather" => Gather { table, notes },
    "show" => Show { showing },
});
