//! Which fields each type reads: the tables the compiler holds to the types' definitions.

use super::{decode_names, decode_struct, decode_tagged, DecodeError, Fields, FromJson, Json};
use crate::api::BoardPage;
use crate::board::{
    Actor, Board, BoardId, Change, Group, GroupId, Lane, LaneId, Note, NoteId, Op, OpId, ParticipantId, Revealed,
    Spotlight, Timer, Voting,
};
use crate::protocol::{ErrorCode, Event, Person, ServerMsg};
use crate::sync::Pending;
use indexmap::IndexMap;
use leptos::prelude::ServerFnError;
use std::collections::BTreeMap;

// ---- the server's messages ----

decode_tagged!(ServerMsg, "type", {
    "welcome" => Welcome { protocol, board_id, you, head_seq, server_time },
    "snapshot" => Snapshot { board },
    "event" => Event(Event),
    "ack" => Ack { op_id, seq },
    "error" => Error { op_id = default, code, reason = default, message },
    "presence" => Presence { participants, facilitators, people = default },
});

decode_struct!(Event { seq, op_id, actor = default, at, change, revealed = default });
decode_struct!(Person { id, name = default });

decode_names!(ErrorCode {
    "too_large" => TooLarge,
    "malformed" => Malformed,
    "unsupported_protocol" => UnsupportedProtocol,
    "handshake_required" => HandshakeRequired,
    "unauthorized" => Unauthorized,
    "removed" => Removed,
    "forbidden" => Forbidden,
    "invalid_op" => InvalidOp,
    "unavailable" => Unavailable,
    "rate_limited" => RateLimited,
    "board_deleted" => BoardDeleted,
});

decode_tagged!(Change, "type", {
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
    "voting_closed" => VotingClosed {},
    "vote_cast" => VoteCast { note_id, voter },
    "vote_retracted" => VoteRetracted { note_id, voter },
    "participant_removed" => ParticipantRemoved { participant = default },
    "authors_shown" => AuthorsShown { shown, authors = default },
    "note_restored" => NoteRestored { note },
    "group_restored" => GroupRestored { group },
    "imported" => Imported { board },
});

decode_struct!(Revealed { note_id, text, author_name });

decode_tagged!(Actor, "role", {
    "facilitator" => Facilitator {},
    "participant" => Participant { id },
});

// ---- the board ----

decode_struct!(Board {
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
    ballots = default,
    removed = default,
    authors_shown = default,
    tails = skip,
    restorable = skip,
});

decode_struct!(Lane { id, title, hidden = default });
decode_struct!(Note {
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
});
decode_struct!(Group { id, lane, title, rank, version });
decode_struct!(Timer { started_at, ends_at });
decode_struct!(Voting { round, votes_per_participant, allow_stacking, open });

decode_tagged!(Spotlight, "kind", {
    "note" => Note { id },
    "group" => Group { id },
});

/// Notes and groups travel as lists and are kept by id (`board::as_list`).
impl<T: FromJson + crate::board::Keyed> FromJson for IndexMap<T::Key, T> {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        let Json::Arr(items) = value else {
            return Err(DecodeError::Expected("array"));
        };
        let mut map = IndexMap::with_capacity(items.len());
        for item in items {
            let item = T::from_json(item)?;
            map.insert(item.key(), item);
        }
        Ok(map)
    }
}

// ---- the outbox in localStorage ----

decode_struct!(Pending { op_id, op });

decode_tagged!(Op, "type", {
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
    "open_voting" => OpenVoting { votes_per_participant, allow_stacking },
    "close_voting" => CloseVoting {},
    "remove_participant" => RemoveParticipant { participant },
    "remove_author" => RemoveAuthor { note_id },
    "show_authors" => ShowAuthors { shown },
    "undo" => Undo {},
    "redo" => Redo {},
    "restore_note" => RestoreNote { note },
    "restore_group" => RestoreGroup { group },
    "set_timer" => SetTimer { timer = default },
});

// ---- the board that comes with the page ----

decode_struct!(BoardPage { board, join_url });

/// How a board page's resource travels inside the HTML: written with serde on the server, read
/// with this module in the browser (leptos' default codec would compile serde's decoder in).
pub struct BoardCodec;

type Loaded = Result<Option<BoardPage>, ServerFnError>;

impl codee::Encoder<Loaded> for BoardCodec {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(loaded: &Loaded) -> Result<String, serde_json::Error> {
        serde_json::to_string(loaded)
    }
}

impl codee::Decoder<Loaded> for BoardCodec {
    type Error = DecodeError;
    type Encoded = str;

    /// serde writes `{"Ok": page-or-null}` or `{"Err": …}`. Every error shows the same page
    /// (unknown board), so its details are not read.
    fn decode(text: &str) -> Result<Loaded, DecodeError> {
        let mut outcome = Fields::of(super::parse(text)?)?;
        match outcome.remove("Ok") {
            Some(page) => Ok(Ok(Option::<BoardPage>::from_json(page)?)),
            None if outcome.remove("Err").is_some() => Ok(Err(ServerFnError::new("the board could not be loaded"))),
            None => Err(DecodeError::Missing("Ok")),
        }
    }
}

// ---- building blocks ----

macro_rules! decode_ids {
    ($($id:ident),*) => {
        $(impl FromJson for $id {
            fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
                String::from_json(value).map($id)
            }
        })*
    };
}
decode_ids!(BoardId, NoteId, GroupId, OpId, LaneId, ParticipantId);

impl FromJson for String {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        match value {
            Json::Str(text) => Ok(text.into_owned()),
            _ => Err(DecodeError::Expected("string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        match value {
            Json::Bool(b) => Ok(b),
            _ => Err(DecodeError::Expected("boolean")),
        }
    }
}

/// Numbers parse from their text with the standard library's exact parsers (so an `f64` rank
/// comes back bit for bit), each into its own type, refusing fractions for integers.
macro_rules! decode_numbers {
    ($($number:ty),*) => {
        $(impl FromJson for $number {
            fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
                match value {
                    Json::Num(text) => text.parse().map_err(|_| DecodeError::Expected(stringify!($number))),
                    _ => Err(DecodeError::Expected(stringify!($number))),
                }
            }
        })*
    };
}
decode_numbers!(u32, u64, i64, f64);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        match value {
            Json::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }

    fn absent(_field: &'static str) -> Result<Self, DecodeError> {
        Ok(None)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        T::from_json(value).map(Box::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        let Json::Arr(items) = value else {
            return Err(DecodeError::Expected("array"));
        };
        // A plain loop: `collect` into a `Result` compiles a much bigger adapter per type.
        let mut list = Vec::with_capacity(items.len());
        for item in items {
            list.push(T::from_json(item)?);
        }
        Ok(list)
    }
}

/// Objects with string keys (`ballots`). Inserted one by one: `collect` would sort first and
/// bring a sort per map type.
impl<K: FromJson + Ord, V: FromJson> FromJson for BTreeMap<K, V> {
    fn from_json(value: Json<'_>) -> Result<Self, DecodeError> {
        let Json::Obj(fields) = value else {
            return Err(DecodeError::Expected("object"));
        };
        let mut map = BTreeMap::new();
        for (key, value) in fields {
            map.insert(K::from_json(Json::Str(key))?, V::from_json(value)?);
        }
        Ok(map)
    }
}
