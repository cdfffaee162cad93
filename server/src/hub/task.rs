//! The hub's task: the IO around a board's [`Session`]. Commands are taken in batches
//! (whatever is queued, up to `MAX_BATCH`); the session stages each op, the batch's events are
//! appended to the store in one transaction, and only then does the task deliver what the
//! session answers. If the append fails, the session answers every op `unavailable` and the
//! task stops; clients reconnect and the next hub reloads the board from the store, so memory
//! never runs ahead of disk.
//!
//! Timers run only while someone is connected (presence) or until the hub stops for lack of use
//! (one idle deadline): a board nobody uses costs no wake-ups.

mod commit;
mod sharing;

use super::session::{Output, Session};
use super::{Command, ConnId, Farewell, Hub, Life, Registry, ToClient};
use crate::store::{BoardRecord, PresenceShare, Snapshot, Store, StoredBoard};
use idetavle_core::board::{Actor, Op, OpId};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::sync::oneshot;
use tokio::time::{sleep_until, Instant};

/// Most ops committed in one transaction.
const MAX_BATCH: usize = 512;
/// How often presence changes are broadcast.
const PRESENCE_INTERVAL: Duration = Duration::from_millis(500);

pub(super) fn spawn(
    session: Session,
    stored: StoredBoard,
    store: Arc<dyn Store>,
    life: Arc<Life>,
    registry: Registry,
) -> Hub {
    let snapshot_seq = stored.snapshot.as_ref().map_or(0, |s| s.seq);
    let record = Arc::new(stored.record);
    let (commands, rx) = mpsc::channel(4096);
    let task = HubTask {
        session,
        record: Arc::clone(&record),
        store,
        queues: HashMap::new(),
        life: Arc::clone(&life),
        registry,
        snapshot_seq,
        presence_due: None,
        idle_since: Some(Instant::now()),
        publish_due: None,
        heartbeat_due: None,
        published: PresenceShare::default(),
        caught_up_in_batch: false,
    };
    tokio::spawn(task.run(rx));
    Hub { record, commands, life }
}

struct HubTask {
    session: Session,
    record: Arc<BoardRecord>,
    store: Arc<dyn Store>,
    /// Each connection's queue of frames.
    queues: HashMap<ConnId, mpsc::Sender<ToClient>>,
    life: Arc<Life>,
    registry: Registry,
    /// The sequence number of the latest stored snapshot.
    snapshot_seq: u64,
    /// When the coalesced presence frame goes out (armed only while someone is connected).
    presence_due: Option<Instant>,
    /// Since when no connection has been attached and no command came (`None` while connected).
    idle_since: Option<Instant>,
    /// When this instance's changed share of the presence is published (shared stores only).
    publish_due: Option<Instant>,
    /// When the presence is renewed and read, and commits checked for (shared stores only,
    /// while someone is connected).
    heartbeat_due: Option<Instant>,
    /// This instance's share of the presence as last published.
    published: PresenceShare,
    /// Whether this batch has read what other instances committed already (joins and page
    /// renders need it once per batch, not once each: a thousand phones join in few batches).
    caught_up_in_batch: bool,
}

/// An op waiting for its run's commit.
struct PendingOp {
    conn: ConnId,
    actor: Actor,
    op_id: OpId,
    op: Op,
}

/// Why the hub loop ends.
enum Stop {
    /// A commit, or a look-up the batch needed, failed.
    StoreFailed,
    Deleted,
    Unused,
    /// The server is stopping; the sender is dropped with the task.
    ServerStopping(tokio::sync::oneshot::Sender<()>),
}

impl HubTask {
    async fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        loop {
            let idle_due = self.idle_since.map(|since| since + self.registry.config.idle_after);
            let wake = [self.presence_due, idle_due, self.publish_due, self.heartbeat_due].into_iter().flatten().min();
            let stop = tokio::select! {
                cmd = rx.recv() => {
                    let Some(cmd) = cmd else { break };
                    let mut batch = vec![cmd];
                    while batch.len() < MAX_BATCH {
                        match rx.try_recv() {
                            Ok(cmd) => batch.push(cmd),
                            Err(_) => break,
                        }
                    }
                    // Wake-ups from other instances are not a use of this board here.
                    let used = batch.iter().any(|cmd| !matches!(cmd, Command::CatchUp { .. } | Command::PresenceChanged));
                    // After a failed commit the board in memory is ahead of the store: it must
                    // not be snapshotted, only dropped.
                    let handled = self.handle_batch(batch).await;
                    if handled.is_ok() {
                        self.after_batch(used).await;
                    }
                    handled.err()
                }
                _ = sleep_until(wake.unwrap_or_else(Instant::now)), if wake.is_some() => {
                    let now = Instant::now();
                    if self.presence_due.is_some_and(|due| due <= now) {
                        self.presence_due = None;
                        let out = self.session.presence_tick();
                        self.deliver(out);
                    }
                    match self.on_sharing_timers(now).await {
                        Some(stop) => Some(stop),
                        None if idle_due.is_some_and(|due| due <= now) => self.stop_if_unused(&rx).await,
                        None => None,
                    }
                }
            };
            let Some(stop) = stop else { continue };
            self.withdraw().await;
            match stop {
                Stop::StoreFailed => {
                    let _ = self.life.failed_at.set(Instant::now());
                    tracing::warn!(board = %self.record.id, "hub stopped after the store failed; clients will reconnect");
                    break;
                }
                Stop::Deleted => {
                    tracing::info!(board = %self.record.id, "board deleted");
                    break;
                }
                Stop::Unused => {
                    tracing::debug!(board = %self.record.id, "hub stopped: unused");
                    break;
                }
                Stop::ServerStopping(_done) => {
                    self.save_snapshot().await;
                    break;
                }
            }
        }
        self.withdraw().await;
    }

    /// Arms the timers that follow from a batch: presence while someone is connected, the idle
    /// deadline while no one is (from the last `used` batch). Stores a snapshot if enough
    /// events came since the last.
    async fn after_batch(&mut self, used: bool) {
        if self.session.presence_pending() && self.presence_due.is_none() {
            self.presence_due = Some(Instant::now() + PRESENCE_INTERVAL);
        }
        if used || !self.queues.is_empty() {
            self.idle_since = self.queues.is_empty().then(Instant::now);
        }
        self.arm_sharing();
        if self.session.board().seq >= self.snapshot_seq + self.registry.config.snapshot_every {
            self.save_snapshot().await;
        }
    }

    /// Stores a snapshot of the (committed) board. A failure costs only a longer load later.
    async fn save_snapshot(&mut self) {
        let board = self.session.board();
        if board.seq == self.snapshot_seq {
            return;
        }
        let saved = match Snapshot::of(board) {
            Ok(snapshot) => self.store.save_snapshot(&self.record.id, &snapshot).await,
            Err(e) => Err(e),
        };
        match saved {
            Ok(()) => self.snapshot_seq = board.seq,
            Err(e) => tracing::warn!(board = %self.record.id, error = %e, "could not store a snapshot"),
        }
    }

    /// The idle deadline passed: leave the running map and stop, unless someone still holds a
    /// handle to this hub (a connection about to join, a page about to render) or a command
    /// is queued; then wait another idle period. Under the map's lock no new handle can be
    /// made, so once out of the map nothing can reach this hub.
    async fn stop_if_unused(&mut self, rx: &mpsc::Receiver<Command>) -> Option<Stop> {
        self.save_snapshot().await;
        // Never wait for the map here: whoever holds it may be waiting to send to this hub.
        let Ok(mut running) = self.registry.running.try_lock() else {
            self.idle_since = Some(Instant::now());
            return None;
        };
        let ours = running.get(&self.record.id).filter(|hub| Arc::ptr_eq(&hub.life, &self.life));
        match ours {
            Some(hub) if hub.commands.strong_count() > 1 || !rx.is_empty() || !self.queues.is_empty() => {
                self.idle_since = self.queues.is_empty().then(Instant::now);
                None
            }
            Some(_) => {
                running.remove(&self.record.id);
                Some(Stop::Unused)
            }
            // Replaced or removed already (a deletion is on its way): nothing can reach us.
            None => Some(Stop::Unused),
        }
    }

    async fn handle_batch(&mut self, batch: Vec<Command>) -> Result<(), Stop> {
        let unanswerable = self.look_up_ops(&batch).await;
        self.caught_up_in_batch = false;
        let mut ops = Vec::new();
        let mut stopping = None;
        let mut submitted = Vec::new();
        for cmd in batch {
            match cmd {
                Command::Op { conn, actor, op_id, op } => ops.push(PendingOp { conn, actor, op_id, op }),
                Command::Submit { conn, actor, op_id, op, answer } => {
                    self.queues.insert(conn, answer);
                    submitted.push(conn);
                    ops.push(PendingOp { conn, actor, op_id, op })
                }
                // Anything else sees only committed state.
                other => {
                    self.commit(std::mem::take(&mut ops), &unanswerable).await?;
                    self.handle(other, &mut stopping).await?;
                }
            }
        }
        self.commit(ops, &unanswerable).await?;
        // A submitter's one answer is queued by now; it never joined, so nothing else is owed.
        for conn in submitted {
            self.queues.remove(&conn);
        }
        if let Some(done) = stopping {
            return Err(Stop::ServerStopping(done));
        }
        // Ops answered `unavailable` wait in their clients' outboxes until they reconnect:
        // stop, as after a failed commit, so they do (after the back-off) and send them again.
        match unanswerable.is_empty() {
            true => Ok(()),
            false => Err(Stop::StoreFailed),
        }
    }

    /// Every command but an op (ops are committed in runs, [`HubTask::commit`]).
    async fn handle(&mut self, cmd: Command, stopping: &mut Option<oneshot::Sender<()>>) -> Result<(), Stop> {
        let now = crate::clock::now_ms();
        match cmd {
            Command::Op { conn, actor, op_id, op } => {
                self.commit(vec![PendingOp { conn, actor, op_id, op }], &HashSet::new()).await?
            }
            Command::Submit { conn, actor, op_id, op, answer } => {
                self.queues.insert(conn, answer);
                self.commit(vec![PendingOp { conn, actor, op_id, op }], &HashSet::new()).await?;
                self.queues.remove(&conn);
            }
            Command::Close => {
                let out = self.session.close();
                self.deliver(out);
                self.queues.clear();
                return Err(Stop::Deleted);
            }
            Command::Join { conn, actor, name, last_seq, frames } => {
                // A client coming from another instance may have seen more than this hub.
                self.catch_up_for_batch().await?;
                self.queues.insert(conn, frames);
                let out = self.session.join(conn, actor, name, last_seq, now);
                self.deliver(out);
            }
            Command::Rename { conn, name } => self.session.rename(conn, name),
            Command::Leave { conn } => {
                self.queues.remove(&conn);
                self.session.leave(conn);
            }
            Command::Snapshot { reply } => {
                self.catch_up_for_batch().await?;
                let _ = reply.send(self.session.board().clone());
            }
            Command::Present { reply } => {
                let _ = reply.send(self.session.present());
            }
            Command::Stop { done } => *stopping = Some(done),
            Command::CatchUp { seq } => self.catch_up(seq).await?,
            Command::PresenceChanged => self.read_presence().await,
        }
        Ok(())
    }

    /// Queues frames without ever waiting: a connection whose queue is full is let go (it
    /// reconnects and resumes from its last sequence number) rather than slowing the board.
    fn deliver(&mut self, outputs: Vec<Output>) {
        for output in outputs {
            match output {
                Output::Send(conn, frame) => {
                    let Some(queue) = self.queues.get(&conn) else { continue };
                    if let Err(e) = queue.try_send(ToClient::Frame(frame)) {
                        self.let_go(conn, &e);
                    }
                }
                Output::Farewell(conn, why) => self.farewell(conn, why),
            }
        }
    }

    fn farewell(&mut self, conn: ConnId, why: Farewell) {
        if let Some(queue) = self.queues.remove(&conn) {
            let _ = queue.try_send(ToClient::Farewell(why));
        }
    }

    fn let_go(&mut self, conn: ConnId, why: &TrySendError<ToClient>) {
        self.queues.remove(&conn);
        self.session.leave(conn);
        match why {
            TrySendError::Full(_) => {
                tracing::info!(board = %self.record.id, conn, "dropped a connection that could not keep up")
            }
            TrySendError::Closed(_) => tracing::debug!(board = %self.record.id, conn, "connection closed"),
        }
    }
}
