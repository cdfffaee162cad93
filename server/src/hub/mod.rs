//! One hub task per board: it owns the board, sequences ops, commits them, then acknowledges
//! and broadcasts. [`Hubs`] finds or starts the hub of a board.
//!
//! Invariant: a client never sees an event (or an ack) that is not durably stored, and every
//! client of a board sees the same events in the same order.

mod frames;
mod history;
mod permissions;
mod task;

pub use frames::encode;
pub use permissions::authorize;

use crate::store::{BoardRecord, Store, StoreError};
use app::board::{Actor, Board, BoardId, Op, OpId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Mutex};

/// A pre-serialised JSON text frame, shared by every connection it is sent to.
pub type Frame = axum::extract::ws::Utf8Bytes;

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
        frames: mpsc::Sender<Frame>,
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
    pub async fn get(&self, id: &BoardId) -> Result<Option<Hub>, StoreError> {
        let mut running = self.running.lock().await;
        if let Some(hub) = running.get(id) {
            if !hub.commands.is_closed() {
                return Ok(Some(hub.clone()));
            }
        }
        let Some(stored) = self.store.load_board(id).await? else {
            return Ok(None);
        };
        let hub = task::spawn(stored, Arc::clone(&self.store))?;
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
