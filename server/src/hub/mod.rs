//! One hub task per board: it owns the board, sequences ops, commits them, then acknowledges
//! and broadcasts. [`Hubs`] finds or starts the hub of a board; a hub that nothing has used for
//! [`HubConfig::idle_after`] stops, and the next use loads the board again.
//!
//! Invariants: a client never sees an event (or an ack) that is not durably stored, and every
//! client of a board sees the same events in the same order. At most one hub of a board runs:
//! a hub is started only under the lock of the running map, and leaves it, under that lock,
//! only when no handle to it exists but the map's own and no command is queued (so no one can
//! send it anything any more).

mod frames;
mod history;
#[cfg(test)]
mod lifecycle_tests;
mod notices;
mod permissions;
mod session;
#[cfg(test)]
mod sharing_tests;
mod task;

pub use frames::encode;
pub use permissions::authorize;
pub use session::CATCH_UP_MAX;

use session::Session;

use crate::store::{BoardRecord, Store, StoreError, StoredBoard};
use idetavle_core::board::{Actor, Board, BoardId, Op, OpId, ParticipantId};
use idetavle_core::protocol::ServerMsg;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, Mutex};
use tokio::time::Instant;

/// A pre-serialised JSON text frame, shared by every connection it is sent to.
pub type Frame = axum::extract::ws::Utf8Bytes;

/// What the hub hands one connection.
#[derive(Debug, Clone)]
pub enum ToClient {
    Frame(Frame),
    /// The last word: close the connection and do not come back. (When the hub merely lets
    /// go of a connection, its channel closes, which means "reconnect and resume".)
    Farewell(Farewell),
}

/// Why a connection is closed for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Farewell {
    Removed,
    BoardDeleted,
}

/// After a hub stops on a failed commit, the board is not loaded again for this long (doubling
/// with each failure in a row, up to `MAX_RESTART_BACKOFF`), so a full disk is not hammered by
/// every reconnecting phone.
const RESTART_BACKOFF: Duration = Duration::from_millis(500);
const MAX_RESTART_BACKOFF: Duration = Duration::from_secs(30);
/// A hub that ran this long before failing starts the back-off afresh.
const FAILURE_MEMORY: Duration = Duration::from_secs(300);

/// How hubs live: when an unused one stops, how often the board is snapshotted.
#[derive(Debug, Clone, Copy)]
pub struct HubConfig {
    /// A hub with no connection that has had no command for this long stops (its memory is
    /// freed; its undo history and presence with it).
    pub idle_after: Duration,
    /// A snapshot of the board is stored every this many events (and when the hub stops), so
    /// loading replays at most this many.
    pub snapshot_every: u64,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig { idle_after: Duration::from_secs(300), snapshot_every: 1000 }
    }
}

/// Frames a connection may have queued before the hub gives up on it as too slow.
pub const CONNECTION_QUEUE: usize = 1024;

/// Identifies one websocket connection within the server.
pub type ConnId = u64;

/// What a connection (or a page render) asks of a board's hub.
pub enum Command {
    /// Register a connection; the hub answers with the handshake frames on `frames`.
    Join {
        conn: ConnId,
        actor: Actor,
        /// Display name for the facilitator's presence list.
        name: Option<String>,
        last_seq: Option<u64>,
        frames: mpsc::Sender<ToClient>,
    },
    /// A participant changed their display name.
    Rename {
        conn: ConnId,
        name: Option<String>,
    },
    Leave {
        conn: ConnId,
    },
    Op {
        conn: ConnId,
        actor: Actor,
        op_id: OpId,
        op: Op,
    },
    /// An op the server itself sends on someone's behalf (a workshop's facilitator acting on
    /// every table, a table's copies gathered into the plenary). `conn` is a fresh id that
    /// never joins: its only frame is the op's answer (`ack` or `error`), on `answer`.
    Submit {
        conn: ConnId,
        actor: Actor,
        op_id: OpId,
        op: Op,
        answer: mpsc::Sender<ToClient>,
    },
    /// The current board, e.g. for server-side rendering or export.
    Snapshot {
        reply: oneshot::Sender<Board>,
    },
    /// The participants connected now (here and at other instances sharing the store).
    Present {
        reply: oneshot::Sender<Vec<ParticipantId>>,
    },
    /// The board was deleted: tell every connection, let go of them, stop.
    Close,
    /// The server is stopping: commit, store a snapshot, stop. `done` is dropped when the hub
    /// has stopped.
    Stop {
        done: oneshot::Sender<()>,
    },
    /// Another instance sharing the store committed up to `seq` (`None`: notices may have been
    /// missed): catch up.
    CatchUp {
        seq: Option<u64>,
    },
    /// Who another instance has connected to the board changed.
    PresenceChanged,
}

/// What a hub needs to leave the running map when it stops for lack of use, and to share the
/// board with other instances.
struct Registry {
    running: Running,
    config: HubConfig,
    /// Whether other instances write to the store too (docs/SCALING.md).
    shared: bool,
    /// This server's name in the store's presence table.
    instance: Arc<str>,
    metrics: Arc<crate::metrics::Metrics>,
}

/// A handle to a running hub.
#[derive(Clone)]
pub struct Hub {
    pub record: Arc<BoardRecord>,
    commands: mpsc::Sender<Command>,
    life: Arc<Life>,
}

/// When a hub started, how many hubs of its board failed in a row before it, and when it
/// failed (set by the hub as it stops on a failed commit).
struct Life {
    started: Instant,
    failures_before: u32,
    failed_at: OnceLock<Instant>,
}

impl Life {
    /// Until when a failed hub's board must wait before it is loaded again, and how many
    /// failures in a row that makes.
    fn backoff(&self) -> Option<(Instant, u32)> {
        let failed_at = *self.failed_at.get()?;
        let in_a_row = if failed_at - self.started > FAILURE_MEMORY { 1 } else { self.failures_before + 1 };
        let wait = RESTART_BACKOFF.saturating_mul(1 << (in_a_row - 1).min(16)).min(MAX_RESTART_BACKOFF);
        Some((failed_at + wait, in_a_row))
    }
}

impl Hub {
    /// Sends a command; `false` if the hub has stopped.
    pub async fn send(&self, cmd: Command) -> bool {
        self.commands.send(cmd).await.is_ok()
    }

    /// Sends `op` as `actor` and waits for its answer: `None` if the hub stopped first (the
    /// op may or may not be stored: send it again with the same `op_id`).
    pub async fn submit(&self, conn: ConnId, actor: Actor, op_id: OpId, op: Op) -> Option<ServerMsg> {
        let (answer, mut answers) = mpsc::channel(2);
        self.send(Command::Submit { conn, actor, op_id, op, answer }).await.then_some(())?;
        match answers.recv().await? {
            ToClient::Frame(frame) => serde_json::from_str(frame.as_str()).ok(),
            ToClient::Farewell(_) => None,
        }
    }

    pub async fn present(&self) -> Option<Vec<ParticipantId>> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::Present { reply }).await.then_some(())?;
        rx.await.ok()
    }

    pub async fn snapshot(&self) -> Option<Board> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::Snapshot { reply }).await.then_some(())?;
        rx.await.ok()
    }
}

/// The running hubs by board (and stopped ones that failed, for their back-off).
type Running = Arc<Mutex<HashMap<BoardId, Hub>>>;

/// All running hubs; loads a board from the store on first use.
pub struct Hubs {
    store: Arc<dyn Store>,
    running: Running,
    next_conn: AtomicU64,
    config: HubConfig,
    shared: bool,
    instance: Arc<str>,
    metrics: Arc<crate::metrics::Metrics>,
}

impl Hubs {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self::configured(store, HubConfig::default())
    }

    pub fn configured(store: Arc<dyn Store>, config: HubConfig) -> Self {
        let shared = store.notices().is_some();
        let instance = crate::auth::hex(&rand::random::<[u8; 8]>()).into();
        let metrics = Arc::default();
        Hubs { store, running: Arc::default(), next_conn: AtomicU64::new(1), config, shared, instance, metrics }
    }

    /// What `/metrics` counts; hubs and connections add to it.
    pub fn metrics(&self) -> &Arc<crate::metrics::Metrics> {
        &self.metrics
    }

    /// How many hubs are running (boards held in memory).
    pub async fn running(&self) -> usize {
        self.running.lock().await.values().filter(|hub| !hub.commands.is_closed()).count()
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn next_conn_id(&self) -> ConnId {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    /// The hub of `id`, started from the store if needed; `None` for an unknown board.
    /// Shortly after a hub of this board stopped on a failed commit: `StoreError::Failing`.
    pub async fn get(&self, id: &BoardId) -> Result<Option<Hub>, StoreError> {
        let mut running = self.running.lock().await;
        let mut failures_before = 0;
        if let Some(hub) = running.get(id) {
            if !hub.commands.is_closed() {
                return Ok(Some(hub.clone()));
            }
            if let Some((until, in_a_row)) = hub.life.backoff() {
                let now = Instant::now();
                if now < until {
                    return Err(StoreError::Failing { retry_in: until - now });
                }
                failures_before = in_a_row;
            }
        }
        let Some(stored) = self.store.load_board(id).await? else {
            return Ok(None);
        };
        let (session, stored) = self.session_of(stored).await?;
        let life = Arc::new(Life { started: Instant::now(), failures_before, failed_at: OnceLock::new() });
        let registry = Registry {
            running: Arc::clone(&self.running),
            config: self.config,
            shared: self.shared,
            instance: Arc::clone(&self.instance),
            metrics: Arc::clone(&self.metrics),
        };
        let hub = task::spawn(session, stored, Arc::clone(&self.store), life, registry);
        running.insert(id.clone(), hub.clone());
        Ok(Some(hub))
    }

    /// The session of a loaded board. A snapshot that cannot be read (say, written by a
    /// version whose board had other fields) is passed over: the whole log is replayed instead.
    async fn session_of(&self, stored: StoredBoard) -> Result<(Session, StoredBoard), StoreError> {
        match (Session::load(&stored), &stored.snapshot) {
            (Ok(session), _) => Ok((session, stored)),
            (Err(e), Some(_)) => {
                tracing::warn!(board = %stored.record.id, error = %e, "snapshot passed over; replaying the whole log");
                let events = self.store.events_after(&stored.record.id, 0).await?;
                let stored = StoredBoard { snapshot: None, events, ..stored };
                Ok((Session::load(&stored)?, stored))
            }
            (Err(e), None) => Err(e),
        }
    }

    /// Stops every running hub and waits until each has (at most `within`), so none is left
    /// running, with its timers, when the runtime stops. Called once the sockets have closed.
    pub async fn stop_all(&self, within: Duration) {
        let hubs: Vec<Hub> = self.running.lock().await.drain().map(|(_, hub)| hub).collect();
        let mut stopped = Vec::with_capacity(hubs.len());
        for hub in hubs {
            let (done, gone) = oneshot::channel();
            if hub.send(Command::Stop { done }).await {
                stopped.push(gone);
            }
        }
        let all = async {
            for gone in stopped {
                let _ = gone.await;
            }
        };
        if tokio::time::timeout(within, all).await.is_err() {
            tracing::warn!("some boards did not stop in time");
        }
    }

    /// Deletes a board for good: its record and every event leave the store first (so no one
    /// can load it again), then its hub tells every connection `board_deleted` and stops.
    /// `false` if there was no such board.
    pub async fn delete(&self, id: &BoardId) -> Result<bool, StoreError> {
        let mut running = self.running.lock().await;
        let existed = self.store.delete_board(id).await?;
        if let Some(hub) = running.remove(id) {
            hub.send(Command::Close).await;
        }
        Ok(existed)
    }
}
