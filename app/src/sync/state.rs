use idetavle_core::board::{Actor, Board, NoteId, Op, OpContext, OpErrorCode, OpId};
use idetavle_core::protocol::{ClientMsg, Credential, ErrorCode, ServerMsg, PROTOCOL_VERSION};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// An op sent (or waiting to be sent) but not yet acknowledged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub op_id: OpId,
    pub op: Op,
}
#[cfg(not(feature = "participant-bundle"))]
idetavle_core::decode_struct!(Pending { op_id, op });

/// A phone's outbox holds only what a phone sends: its decoder leaves the facilitator's ops out.
#[cfg(feature = "participant-bundle")]
impl idetavle_core::decode::FromJson for Pending {
    fn from_json(value: idetavle_core::decode::Json<'_>) -> Result<Self, idetavle_core::decode::DecodeError> {
        use idetavle_core::decode::{DecodeError, Fields};
        let mut fields = Fields::of(value)?;
        let op = fields.remove("op").ok_or(DecodeError::Missing("op"))?;
        Ok(Pending { op_id: fields.take("op_id")?, op: idetavle_core::board::participant_op_from_json(op)? })
    }
}

/// What the driver should do after [`SyncState::receive`].
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    /// State updated; nothing to send.
    Applied,
    /// The handshake finished: send these (the whole outbox, step 4 of the handshake).
    Resend(Vec<ClientMsg>),
    /// The server refused something we sent; show it to the user.
    Refused { op_id: Option<OpId>, code: ErrorCode, reason: Option<OpErrorCode> },
    /// We missed an event (or could not apply one): reconnect to catch up from `last_seq`.
    Resync,
}

/// A client's view of one board: confirmed state plus its own unacknowledged ops.
#[derive(Debug, Clone, Default)]
pub struct SyncState {
    /// The board as the server has committed it, up to `board.seq`.
    pub board: Option<Board>,
    /// Who the server says we are (after `Welcome`).
    pub me: Option<Actor>,
    /// Ops not yet acknowledged, in the order they were made.
    pub outbox: Vec<Pending>,
    /// Connected participants and facilitators, from the last `Presence`.
    pub presence: (u32, u32),
    /// Who is connected (facilitators only get this list).
    pub people: Vec<idetavle_core::protocol::Person>,
    /// This participant's display name, sent in `Hello` for the facilitator's list.
    pub name: Option<String>,
    /// Whether `board` came from this client's own connection (and so may be resumed from
    /// `last_seq`). A server-rendered board is the public view, without this viewer's own
    /// hidden notes and votes, so the first handshake asks for a snapshot instead.
    pub resumable: bool,
    /// Whether the current connection has finished its handshake (`welcome` came). Until then
    /// a new op only joins the outbox, which goes out once after `welcome` (step 4): sent at
    /// once as well, it would reach the server twice on one connection.
    pub welcomed: bool,
}

impl SyncState {
    pub fn new(board: Option<Board>) -> Self {
        SyncState { board, ..Default::default() }
    }

    /// The last sequence number applied, sent in `Hello` to get only what was missed.
    pub fn last_seq(&self) -> Option<u64> {
        self.board.as_ref().filter(|_| self.resumable).map(|b| b.seq)
    }

    /// Step 2 of the handshake.
    pub fn hello(&self, credential: Credential) -> ClientMsg {
        ClientMsg::Hello { protocol: PROTOCOL_VERSION, credential, last_seq: self.last_seq(), name: self.name.clone() }
    }

    /// Queues an op; returns the message to send now, if the connection is past its
    /// handshake (otherwise the op goes out with the outbox after `welcome`).
    pub fn submit(&mut self, op_id: OpId, op: Op) -> Option<ClientMsg> {
        self.outbox.push(Pending { op_id: op_id.clone(), op: op.clone() });
        self.welcomed.then_some(ClientMsg::Op { op_id, op })
    }

    /// The connection closed (or a new one is opening): ops wait for the next `welcome`.
    pub fn disconnected(&mut self) {
        self.welcomed = false;
    }

    /// Handles one message from the server.
    pub fn receive(&mut self, msg: ServerMsg) -> Received {
        match msg {
            ServerMsg::Welcome { you, .. } => {
                self.me = Some(you);
                self.welcomed = true;
                let resend =
                    self.outbox.iter().map(|p| ClientMsg::Op { op_id: p.op_id.clone(), op: p.op.clone() }).collect();
                Received::Resend(resend)
            }
            ServerMsg::Snapshot { board } => {
                self.board = Some(board);
                self.resumable = true;
                Received::Applied
            }
            ServerMsg::Event(event) => {
                let Some(board) = self.board.as_mut() else {
                    return Received::Resync;
                };
                if event.seq <= board.seq {
                    return Received::Applied; // already have it
                }
                if event.seq != board.seq + 1 {
                    return Received::Resync;
                }
                board.replay(event.seq, &event.change);
                board.unmask(&event.revealed);
                self.outbox.retain(|p| p.op_id != event.op_id);
                Received::Applied
            }
            ServerMsg::Ack { op_id, .. } => {
                self.outbox.retain(|p| p.op_id != op_id);
                Received::Applied
            }
            ServerMsg::Error { op_id, code, reason, .. } => {
                if let Some(id) = &op_id {
                    // Refused ops were not stored; retrying them would fail the same way.
                    if code != ErrorCode::Unavailable {
                        self.outbox.retain(|p| &p.op_id != id);
                    }
                }
                Received::Refused { op_id, code, reason }
            }
            ServerMsg::Presence { participants, facilitators, people } => {
                self.presence = (participants, facilitators);
                self.people = people;
                Received::Applied
            }
        }
    }

    /// The board as this client should show it: confirmed state with its own pending ops
    /// applied on top (ops that no longer fit, e.g. an edit of a deleted note, are skipped).
    pub fn view(&self) -> Option<Board> {
        let mut board = self.board.clone()?;
        let Some(me) = self.me.clone() else {
            return Some(board);
        };
        for pending in &self.outbox {
            let cx = OpContext { actor: me.clone(), at: 0, seq: board.seq + 1 };
            // A phone sends only notes and votes; its bundle leaves the facilitator's rules out.
            #[cfg(feature = "participant-bundle")]
            let _ = board.apply_participant_op(&cx, &pending.op);
            #[cfg(not(feature = "participant-bundle"))]
            let _ = board.apply(&cx, &pending.op);
        }
        Some(board)
    }

    /// Ids of notes that have changes still waiting for the server.
    pub fn pending_notes(&self) -> HashSet<NoteId> {
        self.outbox.iter().filter_map(|p| p.op.note_id().cloned()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::board::{BoardId, LaneId};
    use idetavle_core::protocol::Event;

    fn welcome() -> ServerMsg {
        ServerMsg::Welcome {
            protocol: PROTOCOL_VERSION,
            board_id: BoardId::from("b"),
            you: Actor::participant("me"),
            head_seq: 0,
            server_time: 0,
        }
    }

    fn add(id: &str) -> Op {
        Op::AddNote { note_id: id.into(), lane: LaneId::from("need"), text: "x".into(), author_name: None }
    }

    fn fresh() -> SyncState {
        SyncState::new(Some(Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0)))
    }

    #[test]
    fn the_outbox_reads_back_as_serde_wrote_it() {
        let outbox = vec![Pending { op_id: "a".into(), op: add("n1") }, Pending { op_id: "b".into(), op: Op::Undo {} }];
        let text = serde_json::to_string(&outbox).unwrap();
        assert_eq!(idetavle_core::decode::decode::<Vec<Pending>>(&text).unwrap(), outbox);
    }

    #[test]
    fn pending_ops_show_in_the_view_until_acknowledged() {
        let mut s = fresh();
        s.receive(welcome());
        s.submit("op1".into(), add("n1"));
        assert_eq!(s.view().unwrap().notes.len(), 1);
        assert_eq!(s.board.as_ref().unwrap().notes.len(), 0);
        assert!(s.pending_notes().contains(&NoteId::from("n1")));

        let mut server = fresh().board.unwrap();
        let cx = OpContext { actor: Actor::participant("me"), at: 3, seq: 1 };
        let change = server.apply(&cx, &add("n1")).unwrap();
        let event = Event { seq: 1, op_id: "op1".into(), actor: None, at: 3, change, revealed: vec![] };
        assert_eq!(s.receive(ServerMsg::Event(event)), Received::Applied);
        assert!(s.outbox.is_empty());
        assert_eq!(s.board.as_ref().unwrap().notes.len(), 1);
    }

    #[test]
    fn welcome_asks_to_resend_the_outbox_in_order() {
        let mut s = fresh();
        s.submit("a".into(), add("n1"));
        s.submit("b".into(), add("n2"));
        let Received::Resend(msgs) = s.receive(welcome()) else { panic!("expected resend") };
        let ids: Vec<_> = msgs
            .iter()
            .map(|m| match m {
                ClientMsg::Op { op_id, .. } => op_id.as_str().to_owned(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn an_op_written_before_welcome_goes_out_once_with_the_outbox() {
        // The socket is open, the hello sent, the welcome not yet here: the note waits.
        let mut s = fresh();
        assert_eq!(s.submit("early".into(), add("n1")), None, "not sent before the handshake");
        let Received::Resend(msgs) = s.receive(welcome()) else { panic!("expected resend") };
        assert_eq!(msgs.len(), 1, "sent once, with the outbox");
        // After welcome, ops go out at once (and only then).
        assert!(s.submit("late".into(), add("n2")).is_some());
        // A new connection: again nothing goes out before its welcome.
        s.disconnected();
        assert_eq!(s.submit("offline".into(), add("n3")), None);
        let Received::Resend(msgs) = s.receive(welcome()) else { panic!("expected resend") };
        assert_eq!(msgs.len(), 3, "every unacknowledged op, once each");
    }

    #[test]
    fn a_gap_in_sequence_numbers_asks_for_a_resync() {
        let mut s = fresh();
        let change = idetavle_core::board::Change::NoteDeleted { note_id: "n1".into() };
        let event = Event { seq: 2, op_id: "x".into(), actor: None, at: 0, change, revealed: vec![] };
        assert_eq!(s.receive(ServerMsg::Event(event)), Received::Resync);
    }

    #[test]
    fn a_refused_op_leaves_the_outbox_but_an_unavailable_one_stays() {
        let mut s = fresh();
        s.submit("a".into(), add("n1"));
        s.submit("b".into(), add("n2"));
        s.receive(ServerMsg::Error {
            op_id: Some("a".into()),
            code: ErrorCode::InvalidOp,
            reason: None,
            message: String::new(),
        });
        s.receive(ServerMsg::Error {
            op_id: Some("b".into()),
            code: ErrorCode::Unavailable,
            reason: None,
            message: String::new(),
        });
        assert_eq!(s.outbox.len(), 1);
        assert_eq!(s.outbox[0].op_id.as_str(), "b");
    }
}
