//! The websocket protocol between a browser and the server (see `docs/PROTOCOL.md`).
//!
//! Every frame is one JSON text message with a `"type"` field.
//!
//! The handshake, in order:
//! 1. The client opens `GET /ws/{board_id}`.
//! 2. The client sends [`ClientMsg::Hello`] with the protocol version, its credential and the
//!    last sequence number it has applied (`None` on a first visit).
//! 3. The server answers [`ServerMsg::Welcome`] (who you are, the board's head sequence), then
//!    either a [`ServerMsg::Snapshot`] (no `last_seq`, or one the server cannot continue from)
//!    or every [`ServerMsg::Event`] after `last_seq`, in order. Then a [`ServerMsg::Presence`].
//! 4. The client resends every op in its outbox ([`ClientMsg::Op`]); ops the server already
//!    applied are acknowledged again, not applied twice.
//! 5. From then on: the client sends ops; the server commits each durably, then sends
//!    [`ServerMsg::Ack`] to the sender and [`ServerMsg::Event`] to every client of the board.

use crate::board::{Actor, Board, BoardId, Change, Op, OpErrorCode, OpId, ParticipantId, Revealed};
use serde::{Deserialize, Serialize};

/// Bumped on any incompatible change to the messages below.
pub const PROTOCOL_VERSION: u32 = 8;

/// Largest frame the server accepts; larger frames are rejected with [`ErrorCode::TooLarge`].
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// Messages from a client to the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMsg {
    /// Step 2: must be the first message on a connection.
    Hello {
        protocol: u32,
        credential: Credential,
        /// The last sequence number this client has applied; `None` asks for a snapshot.
        #[serde(default)]
        last_seq: Option<u64>,
        /// A participant's display name for the facilitator's list of who is here.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// Steps 4 and 5: one intent, with an id the client keeps until it sees the `Ack`.
    Op { op_id: OpId, op: Op },
    /// A participant changed their display name (presence only; not sequenced, not stored).
    SetName {
        #[serde(default)]
        name: Option<String>,
    },
}

/// How a client proves who it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case", deny_unknown_fields)]
pub enum Credential {
    /// A random secret the browser generated and keeps (16+ characters). The server derives
    /// the participant's public id from it, so only its holder can edit that participant's notes.
    Participant { secret: String },
    /// The facilitator token from the facilitator link.
    Facilitator { token: String },
    /// The presentation screen, with the facilitator's token: it is shown only what the room
    /// may see and cannot send ops.
    Presenter { token: String },
}

/// Messages from the server to a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// Step 3: the handshake succeeded.
    Welcome {
        protocol: u32,
        board_id: BoardId,
        you: Actor,
        head_seq: u64,
        /// The server's clock (Unix ms), so timers count down alike on every screen.
        server_time: i64,
    },
    /// Step 3, when the client has no usable `last_seq`: the whole board as of `board.seq`.
    Snapshot { board: Board },
    /// One committed change; clients apply events in `seq` order.
    Event(Event),
    /// Sent to the op's sender only, after the op is durably committed as event `seq`.
    Ack { op_id: OpId, seq: u64 },
    /// Something this client sent was refused; nothing was stored. Sent to that client only.
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        op_id: Option<OpId>,
        code: ErrorCode,
        /// For `invalid_op`: the model's reason, e.g. `text_too_long` (see `OpError::code`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<OpErrorCode>,
        /// A readable English explanation, for logs and developers.
        message: String,
    },
    /// How many people are connected to the board right now.
    Presence {
        participants: u32,
        facilitators: u32,
        /// Who is here (facilitators' copies only): named participants, and anonymous ones
        /// without a name, so the facilitator can remove anyone.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        people: Vec<Person>,
    },
}

/// A connected participant, as the facilitator's presence list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: ParticipantId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A committed change, as stored and (redacted per viewer) as broadcast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    pub op_id: OpId,
    /// Who did it. Kept in the store; never broadcast (it would tell who voted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    pub at: i64,
    pub change: Change,
    /// Texts of hidden notes this change makes readable (participants' copies only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revealed: Vec<Revealed>,
}

/// Why the server refused a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame was larger than [`MAX_FRAME_BYTES`].
    TooLarge,
    /// The frame was not JSON, or not a known message.
    Malformed,
    /// The client speaks another protocol version.
    UnsupportedProtocol,
    /// An op arrived before `Hello`, or a second `Hello` arrived.
    HandshakeRequired,
    /// The credential is not valid for this board.
    Unauthorized,
    /// The facilitator removed this participant from the board.
    Removed,
    /// The sender may not do this (e.g. edit someone else's note).
    Forbidden,
    /// The op was well-formed but does not fit the board (see `message`).
    InvalidOp,
    /// The server could not store the op; the client should retry later.
    Unavailable,
    /// The connection sends ops faster than allowed; they are now taken more slowly (none is lost).
    RateLimited,
    /// The facilitator deleted the board (or it expired); it is gone for good.
    BoardDeleted,
}

impl ServerMsg {
    /// Encodes for the wire. Encoding our own types cannot fail, so no `Result` leaks out.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| String::from(r#"{"type":"error","code":"unavailable","message":"encoding failed"}"#))
    }
}

impl ClientMsg {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

crate::decode_tagged!(ServerMsg, "type", {
    "welcome" => Welcome { protocol, board_id, you, head_seq, server_time },
    "snapshot" => Snapshot { board },
    "event" => Event(Event),
    "ack" => Ack { op_id, seq },
    "error" => Error { op_id = default, code, reason = lenient, message },
    "presence" => Presence { participants, facilitators, people = default },
});

crate::decode_struct!(Event { seq, op_id, actor = default, at, change, revealed = default });
crate::decode_struct!(Person { id, name = default });

crate::decode_names!(ErrorCode {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::LaneId;

    #[test]
    fn hello_has_the_documented_shape() {
        let hello = ClientMsg::Hello {
            protocol: PROTOCOL_VERSION,
            credential: Credential::Participant { secret: "s3cr3t-s3cr3t-s3cr3t".into() },
            last_seq: Some(41),
            name: None,
        };
        let json = serde_json::to_value(&hello).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "type": "hello", "protocol": 8,
                "credential": {"role": "participant", "secret": "s3cr3t-s3cr3t-s3cr3t"},
                "last_seq": 41
            })
        );
        assert_eq!(serde_json::from_value::<ClientMsg>(json).unwrap(), hello);
    }

    #[test]
    fn an_op_message_round_trips() {
        let msg = ClientMsg::Op {
            op_id: "op-1".into(),
            op: Op::AddNote {
                note_id: "n-1".into(),
                lane: LaneId::from("need"),
                text: "Bedre cykelstier".into(),
                author_name: Some("Åse".into()),
            },
        };
        let text = msg.to_json();
        assert!(text.contains(r#""type":"op""#) && text.contains(r#""type":"add_note""#));
        assert_eq!(serde_json::from_str::<ClientMsg>(&text).unwrap(), msg);
    }

    #[test]
    fn events_and_errors_encode_with_a_type_tag() {
        let ev = ServerMsg::Event(Event {
            seq: 7,
            op_id: "op-1".into(),
            actor: None,
            at: 5,
            change: Change::NoteDeleted { note_id: "n-1".into() },
            revealed: vec![],
        });
        let v: serde_json::Value = serde_json::from_str(&ev.to_json()).unwrap();
        assert_eq!(v["type"], "event");
        assert_eq!(v["seq"], 7);
        assert_eq!(v["change"]["type"], "note_deleted");
        assert!(v.get("actor").is_none() && v.get("revealed").is_none());
        assert_eq!(serde_json::from_value::<ServerMsg>(v).unwrap(), ev);

        let err = ServerMsg::Error { op_id: None, code: ErrorCode::TooLarge, reason: None, message: "x".into() };
        let v: serde_json::Value = serde_json::from_str(&err.to_json()).unwrap();
        assert_eq!(v, serde_json::json!({"type": "error", "code": "too_large", "message": "x"}));
    }

    #[test]
    fn unknown_messages_do_not_decode() {
        for bad in [r#"{"type":"nuke"}"#, r#"{"type":"op"}"#, "not json", r#"{"type":"hello","protocol":1}"#] {
            assert!(serde_json::from_str::<ClientMsg>(bad).is_err(), "{bad}");
        }
    }
}
