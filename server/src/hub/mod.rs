//! One hub task per board: it owns the board, sequences ops, commits them, then acknowledges
//! and broadcasts. [`Hubs`] finds or starts the hub of a board.
//!
//! Invariant: a client never sees an event (or an ack) that is not durably stored, and every
//! client of a board sees the same events in the same order.

mod frames;
mod history;
mod permissions;
mod session;
mod task;

pub use frames::encode;
pub use permissions::authorize;

use crate::store::{BoardRecord, Store, StoreError};
use idetavle_core::board::{Actor, Board, BoardId, Op, OpId};
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
    /// The current board, e.g. for server-side rendering or export.
    Snapshot {
        reply: oneshot::Sender<Board>,
    },
    /// The board was deleted: tell every connection, let go of them, stop.
    Close,
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

    pub async fn snapshot(&self) -> Option<Board> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::Snapshot { reply }).await.then_some(())?;
        rx.await.ok()
    }
}

/// All running hubs; loads a board from the store on first use.
pub struct Hubs {
    store: Arc<dyn Store>,
    running: Mutex<HashMap<BoardId, Hub>>,
    next_conn: AtomicU64,
}

impl Hubs {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Hubs { store, running: Mutex::new(HashMap::new()), next_conn: AtomicU64::new(1) }
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
        let life = Arc::new(Life { started: Instant::now(), failures_before, failed_at: OnceLock::new() });
        let hub = task::spawn(stored, Arc::clone(&self.store), life)?;
        running.insert(id.clone(), hub.clone());
        Ok(Some(hub))
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
