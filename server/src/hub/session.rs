//! One board's session, without IO: what the hub knows (the board, its log, who is connected)
//! and what follows from each command. The hub task ([`super::task`]) does the IO around it:
//! it appends [`Session::to_commit`] to the store, then delivers what [`Session::committed`]
//! returns. The clock comes in as `now` (Unix ms).
//!
//! Durable before visible: an op only stages its event and its answer; nothing for any
//! connection comes out of the session until `committed` is told how the append went. A failed
//! append answers every staged op `unavailable` and sends no event.

mod members;
mod remote;
#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

use super::frames::{encode, EventFrames};
use super::history::{History, Step};
use super::permissions::Denied;
use super::{authorize, ConnId, Farewell, Frame};
use crate::store::{sent_as, PresenceShare, StoreError, StoredBoard, StoredOp};
use idetavle_core::board::{Actor, Board, Change, Op, OpContext, OpError, OpErrorCode, OpId, ParticipantId};
use idetavle_core::protocol::{ErrorCode, Event, ServerMsg};
use std::collections::{HashMap, HashSet, VecDeque};

/// How many of the latest events a reconnecting client may be sent one by one; one further
/// back gets a snapshot instead (it is smaller).
pub const CATCH_UP_MAX: usize = super::CONNECTION_QUEUE / 2;

/// What the session asks the hub task to do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Queue a frame for one connection.
    Send(ConnId, Frame),
    /// Close this connection for good (after the frames queued before), and forget it.
    Farewell(ConnId, Farewell),
}

/// An op that is part of the board: who sent it, and the sequence number it was acknowledged with.
struct Applied {
    by: Actor,
    seq: u64,
}

impl Applied {
    fn new(actor: Option<&Actor>, seq: u64) -> Applied {
        // Every stored event names its actor; an import is the facilitator's.
        Applied { by: actor.cloned().unwrap_or(Actor::Facilitator), seq }
    }
}

/// The outcome of one op, held until its batch is committed so that each client's answers
/// come in the order of its ops.
enum Staged {
    /// Applied in memory, waiting for its commit. Its frames are built right after it was
    /// applied, because what a viewer may see depends on the board at that moment. Undo's
    /// parts have `ack: false`: the undo op itself is answered after them.
    Applied { conn: ConnId, event: Box<Event>, frames: EventFrames, ack: bool },
    /// The answer to an op that adds no event of its own (a refusal; the ack of a retry or of
    /// an undo): an ack sent before the commit could acknowledge what never gets stored.
    Answer { conn: ConnId, op_id: OpId, frame: Frame, refused: Option<ErrorCode> },
}

/// A connected screen: who it is and the name it goes by.
struct Member {
    actor: Actor,
    name: Option<String>,
}

pub struct Session {
    board: Board,
    /// The latest committed events (at most [`CATCH_UP_MAX`]) as ready-to-send frames, the
    /// last one being event `board.seq` once nothing is staged.
    log: VecDeque<EventFrames>,
    /// Op ids that are part of the board, so a retried op is acknowledged instead of applied
    /// twice (and someone else's op id is refused, never acknowledged): those of every event
    /// after `horizon`. Older ones are in the store; see [`Session::to_look_up`].
    applied: HashMap<OpId, Applied>,
    /// The snapshot this session was loaded from (0: none, every op id is in `applied`).
    horizon: u64,
    members: HashMap<ConnId, Member>,
    /// Participants who joined since the hub started (who the facilitator may remove, besides
    /// the board's authors and voters).
    joined: HashSet<ParticipantId>,
    presence_dirty: bool,
    /// Whether this instance's share of the presence changed since [`Session::take_share`].
    share_dirty: bool,
    /// Who other instances sharing the store have connected to this board.
    others: Vec<PresenceShare>,
    /// The shared snapshot frame at a given sequence number, built once per change.
    snapshot: Option<(u64, Frame)>,
    history: History,
    staged: Vec<Staged>,
    /// The error codes answered since [`Session::take_refused`] (for `/metrics`).
    refused: Vec<ErrorCode>,
}

impl Session {
    /// The session of a stored board: its snapshot, then the events after it replayed, the
    /// latest events' frames built from the board right after each (as when first sent).
    pub fn load(stored: &StoredBoard) -> Result<Session, StoreError> {
        let mut log = VecDeque::with_capacity(stored.events.len().min(CATCH_UP_MAX));
        let first_kept = stored.events.len().checked_sub(CATCH_UP_MAX).map_or(0, |i| stored.events[i].seq);
        let board = stored.replay_with(|event, board| {
            if event.seq >= first_kept {
                log.push_back(EventFrames::build(event, board));
            }
        })?;
        let applied =
            stored.events.iter().map(|e| (sent_as(&e.op_id), Applied::new(e.actor.as_ref(), e.seq))).collect();
        Ok(Session {
            board,
            log,
            applied,
            horizon: stored.snapshot.as_ref().map_or(0, |s| s.seq),
            members: HashMap::new(),
            joined: HashSet::new(),
            presence_dirty: false,
            share_dirty: false,
            others: Vec::new(),
            snapshot: None,
            history: History::default(),
            staged: Vec::new(),
            refused: Vec::new(),
        })
    }

    /// The board with every staged op applied (what a commit would make durable).
    pub fn board(&self) -> &Board {
        &self.board
    }

    /// Of these op ids, the ones that may be part of the board's log before this session's
    /// horizon: the hub finds them in the store and tells the session ([`Session::remember`])
    /// before it takes those ops, so a retry from long ago is still applied only once.
    pub fn to_look_up<'a>(&self, op_ids: impl IntoIterator<Item = &'a OpId>) -> Vec<OpId> {
        match self.horizon {
            0 => Vec::new(),
            _ => op_ids.into_iter().filter(|id| !self.applied.contains_key(*id)).cloned().collect(),
        }
    }

    /// Ops the store found in the board's log.
    pub fn remember(&mut self, found: Vec<StoredOp>) {
        for op in found {
            self.applied.entry(op.op_id).or_insert_with(|| Applied::new(op.actor.as_ref(), op.seq));
        }
    }

    /// Answers an op `unavailable` without taking it (its look-up in the store failed).
    pub fn unavailable(&mut self, conn: ConnId, op_id: OpId) {
        let frame = unavailable(op_id.clone());
        self.staged.push(Staged::Answer { conn, op_id, frame, refused: Some(ErrorCode::Unavailable) });
    }

    /// Takes one op: refuses it, acknowledges a retry again, or applies it and stages its
    /// event. Nothing is sent before [`Session::committed`].
    pub fn op(&mut self, conn: ConnId, actor: Actor, op_id: OpId, op: Op, now: i64) {
        if let Some(done) = self.applied.get(&op_id) {
            // The same sender's retry is acknowledged again; anyone else's use of the id is refused.
            let answer = match done.by == actor {
                true => ack(conn, op_id, done.seq),
                false => invalid(conn, op_id, OpError::DuplicateOpId),
            };
            return self.staged.push(answer);
        }
        if let Err(denied) = authorize(&self.board, &actor, &op) {
            let code = if denied == Denied::Removed { ErrorCode::Removed } else { ErrorCode::Forbidden };
            return self.staged.push(refusal(conn, op_id, code, None, denied.to_string()));
        }
        if let Op::RemoveParticipant { participant } = &op {
            if !self.has_seen(participant) {
                return self.staged.push(invalid(conn, op_id, OpError::UnknownParticipant));
            }
        }
        if let Op::Undo {} | Op::Redo {} = op {
            return self.step_history(conn, op_id, matches!(op, Op::Undo {}), now);
        }
        // Undo needs the board as it was before the op.
        let inverse = if actor.is_facilitator() { self.board.inverse(&op) } else { None };
        match self.apply_one(conn, op_id.clone(), actor.clone(), &op, true, now) {
            Ok(()) => {
                self.applied.insert(op_id, Applied { by: actor, seq: self.board.seq });
                if let Some(backward) = inverse {
                    self.history.record(Step { forward: vec![op], backward });
                }
            }
            Err(e) => self.staged.push(invalid(conn, op_id, e)),
        }
    }

    /// The events staged since the last commit, to append in one transaction.
    pub fn to_commit(&self) -> Vec<Event> {
        let events = self.staged.iter().filter_map(|s| match s {
            Staged::Applied { event, .. } => Some(Event::clone(event)),
            Staged::Answer { .. } => None,
        });
        events.collect()
    }

    /// What follows from the append of [`Session::to_commit`]: on success, each event to every
    /// connection (in its viewer's form) and each answer to its sender, in op order; on
    /// failure, `unavailable` to every sender and nothing else (the hub then stops, and the
    /// next one reloads the board from the store).
    pub fn committed(&mut self, ok: bool) -> Vec<Output> {
        let mut out = Vec::new();
        for staged in std::mem::take(&mut self.staged) {
            match (staged, ok) {
                (Staged::Answer { conn, frame, refused, .. }, true) => {
                    self.refused.extend(refused);
                    out.push(Output::Send(conn, frame))
                }
                (Staged::Answer { conn, op_id, .. }, false) => {
                    self.refused.push(ErrorCode::Unavailable);
                    out.push(Output::Send(conn, unavailable(op_id)))
                }
                (Staged::Applied { conn, event, ack, .. }, false) => {
                    if ack {
                        self.refused.push(ErrorCode::Unavailable);
                        out.push(Output::Send(conn, unavailable(event.op_id)));
                    }
                }
                (Staged::Applied { conn, event, frames, ack }, true) => {
                    // Event first: the sender's outbox entry is cleared by the event itself, so
                    // its note never blinks out between ack and event.
                    self.publish(frames, &mut out);
                    if ack {
                        out.push(Output::Send(conn, encode(&ServerMsg::Ack { op_id: event.op_id, seq: event.seq })));
                    }
                    if let Change::ParticipantRemoved { participant: Some(participant) } = &event.change {
                        self.remove_participant(participant, &mut out);
                    }
                }
            }
        }
        out
    }

    /// The error codes answered since the last call (for `/metrics`).
    pub fn take_refused(&mut self) -> Vec<ErrorCode> {
        std::mem::take(&mut self.refused)
    }

    /// The board was deleted: every connection is told and let go; staged ops are dropped
    /// unanswered (they would only fail to commit).
    pub fn close(&mut self) -> Vec<Output> {
        self.staged.clear();
        let frame = deleted_frame();
        let mut out = Vec::new();
        for conn in std::mem::take(&mut self.members).into_keys() {
            out.push(Output::Send(conn, frame.clone()));
            out.push(Output::Farewell(conn, Farewell::BoardDeleted));
        }
        out
    }

    /// Whether `who` has been on this board: joined since the hub started (here or, still
    /// connected, through another instance), wrote a note, voted, or was removed before.
    fn has_seen(&self, who: &ParticipantId) -> bool {
        self.joined.contains(who)
            || self.others.iter().any(|share| share.people.iter().any(|p| &p.id == who))
            || self.board.removed.contains(who)
            || self.board.ballots.contains_key(who)
            || self.board.notes.values().any(|n| n.author.as_ref() == Some(who))
    }

    /// Applies one op to the board and stages its event.
    fn apply_one(
        &mut self,
        conn: ConnId,
        op_id: OpId,
        actor: Actor,
        op: &Op,
        ack: bool,
        now: i64,
    ) -> Result<(), OpError> {
        let cx = OpContext { actor, at: now, seq: self.board.seq + 1 };
        let change = self.board.apply(&cx, op)?;
        let event = Event { seq: cx.seq, op_id, actor: Some(cx.actor), at: cx.at, change, revealed: Vec::new() };
        let frames = EventFrames::build(&event, &self.board);
        self.staged.push(Staged::Applied { conn, event: Box::new(event), frames, ack });
        Ok(())
    }

    /// Undo (or redo) the facilitator's last step: its ops are applied as events of their own
    /// (ids `<op_id>.<n>`), then the undo op itself is acknowledged with the last sequence number.
    /// Parts that no longer fit (say, a participant deleted the note since) are skipped.
    fn step_history(&mut self, conn: ConnId, op_id: OpId, undo: bool, now: i64) {
        let step = if undo { self.history.take_undo() } else { self.history.take_redo() };
        let Some(step) = step else {
            let e = if undo { OpError::NothingToUndo } else { OpError::NothingToRedo };
            return self.staged.push(invalid(conn, op_id, e));
        };
        let ops = if undo { &step.backward } else { &step.forward };
        for (i, op) in ops.iter().enumerate() {
            let part = OpId(format!("{op_id}.{i}"));
            if let Err(e) = self.apply_one(conn, part, Actor::Facilitator, op, false, now) {
                tracing::debug!(board = %self.board.id, error = %e, "part of an undo no longer applies");
            }
        }
        self.applied.insert(op_id.clone(), Applied { by: Actor::Facilitator, seq: self.board.seq });
        self.staged.push(ack(conn, op_id, self.board.seq));
        if undo {
            self.history.undone(step);
        } else {
            self.history.redone(step);
        }
    }
}

fn error_frame(op_id: OpId, code: ErrorCode, reason: Option<OpErrorCode>, message: String) -> Frame {
    encode(&ServerMsg::Error { op_id: Some(op_id), code, reason, message })
}

fn refusal(conn: ConnId, op_id: OpId, code: ErrorCode, reason: Option<OpErrorCode>, message: String) -> Staged {
    let frame = error_frame(op_id.clone(), code, reason, message);
    Staged::Answer { conn, op_id, frame, refused: Some(code) }
}

fn invalid(conn: ConnId, op_id: OpId, e: OpError) -> Staged {
    refusal(conn, op_id, ErrorCode::InvalidOp, Some(e.code()), e.to_string())
}

fn ack(conn: ConnId, op_id: OpId, seq: u64) -> Staged {
    let frame = encode(&ServerMsg::Ack { op_id: op_id.clone(), seq });
    Staged::Answer { conn, op_id, frame, refused: None }
}

fn unavailable(op_id: OpId) -> Frame {
    error_frame(op_id, ErrorCode::Unavailable, None, "storage failed; retry".into())
}

fn removed_frame() -> Frame {
    let message = "the facilitator removed you from this board".into();
    encode(&ServerMsg::Error { op_id: None, code: ErrorCode::Removed, reason: None, message })
}

fn deleted_frame() -> Frame {
    let message = "this board was deleted".into();
    encode(&ServerMsg::Error { op_id: None, code: ErrorCode::BoardDeleted, reason: None, message })
}
