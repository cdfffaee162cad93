//! The loop of one board's hub.
//!
//! Ops are taken in batches (whatever is queued, up to `MAX_BATCH`): each is checked and
//! applied to the in-memory board, the batch is committed in one store transaction, and only
//! then are events broadcast and every op of the batch answered. If a commit fails, every op
//! of the batch is answered `unavailable` (even a refusal or the ack of a retry: either may
//! rest on what was not stored) and the hub stops; clients reconnect and the next hub reloads
//! the board from the store, so memory never runs ahead of disk.

mod connections;

use super::frames::{encode, EventFrames};
use super::history::{History, Step};
use super::permissions::Denied;
use super::{authorize, Command, ConnId, Farewell, Frame, Hub, Life, ToClient};
use crate::store::{BoardRecord, Store, StoreError, StoredBoard};
use idetavle_core::board::{Actor, Board, Change, Op, OpContext, OpError, OpErrorCode, OpId, ParticipantId};
use idetavle_core::protocol::{ErrorCode, Event, ServerMsg};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Most ops committed in one transaction.
const MAX_BATCH: usize = 512;
/// How often presence changes are broadcast (coalesced, so 1,000 joins are not 1,000² frames).
const PRESENCE_INTERVAL: Duration = Duration::from_millis(500);

pub(super) fn spawn(stored: StoredBoard, store: Arc<dyn Store>, life: Arc<Life>) -> Result<Hub, StoreError> {
    // Each event's frames are built from the board right after it, as when it was first sent.
    let mut log = Vec::with_capacity(stored.events.len());
    let board = stored.replay_with(|event, board| log.push(EventFrames::build(event, board)))?;
    let applied = stored.events.iter().map(|e| (sent_as(&e.op_id), Applied::from(e))).collect();
    let record = Arc::new(stored.record);
    let (commands, rx) = mpsc::channel(4096);
    let state = HubState {
        applied,
        log,
        board,
        record: Arc::clone(&record),
        store,
        conns: HashMap::new(),
        joined: HashSet::new(),
        presence_dirty: false,
        snapshot: None,
        history: History::default(),
        life: Arc::clone(&life),
    };
    tokio::spawn(state.run(rx));
    Ok(Hub { record, commands, life })
}

/// The op id a client sent for a stored event: an undo's parts are stored as `<op_id>.<n>`
/// (client op ids never contain a dot).
fn sent_as(stored: &OpId) -> OpId {
    match stored.as_str().split_once('.') {
        Some((sent, _)) => OpId::from(sent),
        None => stored.clone(),
    }
}

/// An op that is part of the board: who sent it, and the sequence number it was acknowledged with.
struct Applied {
    by: Actor,
    seq: u64,
}

impl From<&Event> for Applied {
    fn from(e: &Event) -> Applied {
        // Every stored event names its actor; an import is the facilitator's.
        Applied { by: e.actor.clone().unwrap_or(Actor::Facilitator), seq: e.seq }
    }
}

struct Conn {
    actor: Actor,
    name: Option<String>,
    frames: mpsc::Sender<ToClient>,
}

/// The outcome of one op in a batch, held until the batch is committed so that each client's
/// answers come in the order of its ops.
enum Staged {
    /// Applied in memory, waiting for its commit. Its frames are built right after it was
    /// applied, because what a viewer may see depends on the board at that moment. Undo's
    /// parts have `ack: false`: the undo op itself is answered after them.
    Applied { conn: ConnId, event: Box<Event>, frames: EventFrames, ack: bool },
    /// The answer to an op that adds no event of its own (a refusal; the ack of a retry or of
    /// an undo), sent once the batch is committed: an ack sent before then could acknowledge
    /// what never gets stored.
    Answer { conn: ConnId, op_id: OpId, frame: Frame },
}

struct HubState {
    board: Board,
    record: Arc<BoardRecord>,
    store: Arc<dyn Store>,
    /// Every committed event as ready-to-send frames; `log[i]` is event `i + 1`.
    log: Vec<EventFrames>,
    /// Op ids that are part of the board, so a retried op is acknowledged instead of applied
    /// twice (and someone else's op id is refused, never acknowledged).
    applied: HashMap<OpId, Applied>,
    conns: HashMap<ConnId, Conn>,
    /// Participants who joined since the hub started (who the facilitator may remove, besides
    /// the board's authors and voters).
    joined: HashSet<ParticipantId>,
    presence_dirty: bool,
    /// The shared snapshot frame at a given sequence number, built once per change.
    snapshot: Option<(u64, Frame)>,
    history: History,
    life: Arc<Life>,
}

/// Why the hub loop ends.
enum Stop {
    CommitFailed,
    Deleted,
}

fn error_frame(op_id: OpId, code: ErrorCode, reason: Option<OpErrorCode>, message: String) -> Frame {
    encode(&ServerMsg::Error { op_id: Some(op_id), code, reason, message })
}

fn refusal(conn: ConnId, op_id: OpId, code: ErrorCode, reason: Option<OpErrorCode>, message: String) -> Staged {
    let frame = error_frame(op_id.clone(), code, reason, message);
    Staged::Answer { conn, op_id, frame }
}

fn invalid(conn: ConnId, op_id: OpId, e: OpError) -> Staged {
    refusal(conn, op_id, ErrorCode::InvalidOp, Some(e.code()), e.to_string())
}

fn ack(conn: ConnId, op_id: OpId, seq: u64) -> Staged {
    let frame = encode(&ServerMsg::Ack { op_id: op_id.clone(), seq });
    Staged::Answer { conn, op_id, frame }
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

impl HubState {
    async fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        let mut presence = tokio::time::interval(PRESENCE_INTERVAL);
        presence.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                cmd = rx.recv() => {
                    let Some(cmd) = cmd else { break };
                    let mut batch = vec![cmd];
                    while batch.len() < MAX_BATCH {
                        match rx.try_recv() {
                            Ok(cmd) => batch.push(cmd),
                            Err(_) => break,
                        }
                    }
                    match self.handle_batch(batch).await {
                        Ok(()) => {}
                        Err(Stop::CommitFailed) => {
                            let _ = self.life.failed_at.set(tokio::time::Instant::now());
                            tracing::warn!(board = %self.record.id, "hub stopped after a failed commit; clients will reconnect");
                            break;
                        }
                        Err(Stop::Deleted) => {
                            tracing::info!(board = %self.record.id, "board deleted");
                            break;
                        }
                    }
                }
                _ = presence.tick() => self.broadcast_presence_if_changed(),
            }
        }
    }

    async fn handle_batch(&mut self, batch: Vec<Command>) -> Result<(), Stop> {
        let mut staged = Vec::new();
        for cmd in batch {
            match cmd {
                Command::Op { conn, actor, op_id, op } => self.stage(&mut staged, conn, actor, op_id, op).await?,
                Command::Close => {
                    // Ops staged before the deletion would only fail to commit; nothing is acked.
                    staged.clear();
                    let frame = deleted_frame();
                    for conn in self.conns.values() {
                        let _ = conn.frames.try_send(ToClient::Frame(frame.clone()));
                        let _ = conn.frames.try_send(ToClient::Farewell(Farewell::BoardDeleted));
                    }
                    self.conns.clear();
                    return Err(Stop::Deleted);
                }
                // Anything that reads the board sees only committed state.
                other => {
                    self.commit(&mut staged).await?;
                    self.handle_other(other);
                }
            }
        }
        self.commit(&mut staged).await
    }

    async fn stage(
        &mut self,
        staged: &mut Vec<Staged>,
        conn: ConnId,
        actor: Actor,
        op_id: OpId,
        op: Op,
    ) -> Result<(), Stop> {
        if let Some(done) = self.applied.get(&op_id) {
            // The same sender's retry is acknowledged again; anyone else's use of the id is refused.
            staged.push(match done.by == actor {
                true => ack(conn, op_id, done.seq),
                false => invalid(conn, op_id, OpError::DuplicateOpId),
            });
            return Ok(());
        }
        if let Err(denied) = authorize(&self.board, &actor, &op) {
            let code = if denied == Denied::Removed { ErrorCode::Removed } else { ErrorCode::Forbidden };
            staged.push(refusal(conn, op_id, code, None, denied.to_string()));
            return Ok(());
        }
        if let Op::RemoveParticipant { participant } = &op {
            if !self.has_seen(participant) {
                staged.push(invalid(conn, op_id, OpError::UnknownParticipant));
                return Ok(());
            }
        }
        if let Op::Undo {} | Op::Redo {} = op {
            self.step_history(staged, conn, op_id, matches!(op, Op::Undo {}));
            return Ok(());
        }
        // Undo needs the board as it was before the op.
        let inverse = if actor.is_facilitator() { self.board.inverse(&op) } else { None };
        match self.apply_one(staged, conn, op_id.clone(), actor.clone(), &op, true) {
            Ok(()) => {
                self.applied.insert(op_id, Applied { by: actor, seq: self.board.seq });
                if let Some(backward) = inverse {
                    self.history.record(Step { forward: vec![op], backward });
                }
            }
            Err(e) => staged.push(invalid(conn, op_id, e)),
        }
        Ok(())
    }

    /// Whether `who` has been on this board: joined since the hub started, wrote a note,
    /// voted, or was removed before.
    fn has_seen(&self, who: &ParticipantId) -> bool {
        self.joined.contains(who)
            || self.board.removed.contains(who)
            || self.board.ballots.contains_key(who)
            || self.board.notes.values().any(|n| n.author.as_ref() == Some(who))
    }

    /// Applies one op to the board and stages its event.
    fn apply_one(
        &mut self,
        staged: &mut Vec<Staged>,
        conn: ConnId,
        op_id: OpId,
        actor: Actor,
        op: &Op,
        ack: bool,
    ) -> Result<(), OpError> {
        let cx = OpContext { actor, at: crate::clock::now_ms(), seq: self.board.seq + 1 };
        let change = self.board.apply(&cx, op)?;
        let event = Event { seq: cx.seq, op_id, actor: Some(cx.actor), at: cx.at, change, revealed: Vec::new() };
        let frames = EventFrames::build(&event, &self.board);
        staged.push(Staged::Applied { conn, event: Box::new(event), frames, ack });
        Ok(())
    }

    /// Undo (or redo) the facilitator's last step: its ops are applied as events of their own
    /// (ids `<op_id>.<n>`), then the undo op itself is acknowledged with the last sequence number.
    /// Parts that no longer fit (say, a participant deleted the note since) are skipped.
    fn step_history(&mut self, staged: &mut Vec<Staged>, conn: ConnId, op_id: OpId, undo: bool) {
        let step = if undo { self.history.take_undo() } else { self.history.take_redo() };
        let Some(step) = step else {
            staged.push(invalid(conn, op_id, if undo { OpError::NothingToUndo } else { OpError::NothingToRedo }));
            return;
        };
        let ops = if undo { &step.backward } else { &step.forward };
        for (i, op) in ops.iter().enumerate() {
            let part = OpId(format!("{op_id}.{i}"));
            if let Err(e) = self.apply_one(staged, conn, part, Actor::Facilitator, op, false) {
                tracing::debug!(board = %self.record.id, error = %e, "part of an undo no longer applies");
            }
        }
        self.applied.insert(op_id.clone(), Applied { by: Actor::Facilitator, seq: self.board.seq });
        staged.push(ack(conn, op_id, self.board.seq));
        if undo {
            self.history.undone(step);
        } else {
            self.history.redone(step);
        }
    }

    /// Commits the batch's events in one transaction, then sends everything in op order.
    async fn commit(&mut self, staged: &mut Vec<Staged>) -> Result<(), Stop> {
        let events: Vec<Event> = staged
            .iter()
            .filter_map(|s| match s {
                Staged::Applied { event, .. } => Some(Event::clone(event)),
                Staged::Answer { .. } => None,
            })
            .collect();
        let committed = match events.is_empty() {
            true => Ok(()),
            false => self.store.append_events(&self.record.id, &events).await,
        };
        if let Err(e) = &committed {
            tracing::error!(board = %self.record.id, error = %e, ops = events.len(), "commit failed");
        }
        for s in staged.drain(..) {
            match (s, committed.is_ok()) {
                (Staged::Answer { conn, frame, .. }, true) => self.send_to(conn, frame),
                (Staged::Answer { conn, op_id, .. }, false) => self.send_to(conn, unavailable(op_id)),
                (Staged::Applied { conn, event, ack, .. }, false) => {
                    if ack {
                        self.send_to(conn, unavailable(event.op_id));
                    }
                }
                (Staged::Applied { conn, event, frames, ack }, true) => {
                    // Event first: the sender's outbox entry is cleared by the event itself, so
                    // its note never blinks out between ack and event.
                    self.broadcast(&frames);
                    self.log.push(frames);
                    if ack {
                        self.send_to(conn, encode(&ServerMsg::Ack { op_id: event.op_id, seq: event.seq }));
                    }
                    if let Change::ParticipantRemoved { participant: Some(participant) } = &event.change {
                        self.remove_participant(participant);
                    }
                }
            }
        }
        committed.map_err(|_| Stop::CommitFailed)
    }

    fn handle_other(&mut self, cmd: Command) {
        match cmd {
            Command::Join { conn, actor, name, last_seq, frames } => self.join(conn, actor, name, last_seq, frames),
            Command::Rename { conn, name } => {
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.name = name;
                    self.presence_dirty = true;
                }
            }
            Command::Leave { conn } => {
                if self.conns.remove(&conn).is_some() {
                    self.presence_dirty = true;
                }
            }
            Command::Snapshot { reply } => {
                let _ = reply.send(self.board.clone());
            }
            Command::Op { .. } | Command::Close => {} // handled in handle_batch
        }
    }
}
