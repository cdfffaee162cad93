//! Durable storage behind a small trait, so SQLite (default) and other databases (e.g.
//! PostgreSQL for larger deployments) are interchangeable, and tests can use [`MemoryStore`].
//!
//! A board is stored as its record plus its event log, and now and then a [`Snapshot`] of the
//! whole board; catalogue entries as whole documents with a version for optimistic locking
//! ([`CatalogueStore`]). Loading starts from the latest snapshot and replays the events after
//! it through the same `Board::replay` every client uses, so load time does not grow with the
//! board's history. The log itself is kept whole (exports of history, audits, and the fallback
//! when a snapshot cannot be read). Events are stored in the protocol's JSON form: a change to
//! that form must still read what earlier versions wrote (`sqlite/compat_tests.rs` loads
//! protocol 3's rows).

mod memory;
mod postgres;
mod sharing;
mod sqlite;

pub use memory::MemoryStore;
pub use postgres::PostgresStore;
pub use sharing::{LockedWork, Notice, PresenceShare, PRESENCE_FRESH_MS};
pub use sqlite::{DataDirLock, SqliteStore};

use async_trait::async_trait;
use idetavle_core::board::{Actor, Board, BoardId, OpId};
use idetavle_core::catalogue::{Entry, EntryId};
use idetavle_core::protocol::Event;
use thiserror::Error;

/// What is stored about a board besides its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRecord {
    pub id: BoardId,
    pub title: String,
    pub join_code: String,
    /// SHA-256 of the facilitator token; the token itself is never stored.
    pub token_hash: [u8; 32],
    pub created_at: i64,
    /// When the board is purged (Unix ms), if ever.
    pub expires_at: Option<i64>,
}

impl BoardRecord {
    /// The empty board this record starts from, before any event.
    pub fn empty_board(&self) -> Board {
        Board::new(self.id.clone(), self.title.clone(), self.join_code.clone(), self.created_at)
    }
}

/// The whole board as it was right after event `seq`, in the server's JSON form (every
/// author and ballot: it never leaves the server).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub seq: u64,
    pub board: String,
}

impl Snapshot {
    pub fn of(board: &Board) -> Result<Snapshot, StoreError> {
        let json = serde_json::to_string(board).map_err(|e| StoreError::Backend(Box::new(e)))?;
        Ok(Snapshot { seq: board.seq, board: json })
    }
}

/// A board as loaded: its record, its latest snapshot (if any) and every committed event after
/// it, in sequence order.
#[derive(Debug, Clone)]
pub struct StoredBoard {
    pub record: BoardRecord,
    pub snapshot: Option<Snapshot>,
    pub events: Vec<Event>,
}

impl StoredBoard {
    /// Replays the events into a board.
    pub fn replay(&self) -> Result<Board, StoreError> {
        self.replay_with(|_, _| {})
    }

    /// Replays the events, calling `after_each` with every event and the board right after it.
    pub fn replay_with(&self, mut after_each: impl FnMut(&Event, &Board)) -> Result<Board, StoreError> {
        let mut board = self.start()?;
        for event in &self.events {
            if event.seq != board.seq + 1 {
                let detail = format!("event {} follows event {}", event.seq, board.seq);
                return Err(StoreError::Corrupt { board: self.record.id.clone(), detail });
            }
            board.replay(event.seq, &event.change);
            after_each(event, &board);
        }
        Ok(board)
    }

    /// Where the events start from: the snapshot's board, or the empty board.
    fn start(&self) -> Result<Board, StoreError> {
        let Some(snapshot) = &self.snapshot else { return Ok(self.record.empty_board()) };
        let corrupt = |detail: String| StoreError::Corrupt { board: self.record.id.clone(), detail };
        let board: Board =
            serde_json::from_str(&snapshot.board).map_err(|e| corrupt(format!("snapshot {}: {e}", snapshot.seq)))?;
        if board.seq != snapshot.seq || board.id != self.record.id {
            return Err(corrupt(format!("snapshot {} holds board {} at {}", snapshot.seq, board.id, board.seq)));
        }
        Ok(board)
    }
}

/// An op that is part of a board's log, as its sender named it: an undo's parts are stored as
/// `<op_id>.<n>`, and are found as the undo's `op_id` with the last part's sequence number.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredOp {
    pub op_id: OpId,
    pub seq: u64,
    pub actor: Option<Actor>,
}

/// The op id a client sent for a stored event (client op ids never contain a dot).
pub fn sent_as(stored: &OpId) -> OpId {
    match stored.as_str().split_once('.') {
        Some((sent, _)) => OpId::from(sent),
        None => stored.clone(),
    }
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("the join code is already in use")]
    JoinCodeTaken,
    #[error("a board with this id already exists")]
    BoardExists,
    #[error("event {seq} of board {board} is already stored")]
    SeqTaken { board: BoardId, seq: u64 },
    #[error("stored data of board {board} is corrupt: {detail}")]
    Corrupt { board: BoardId, detail: String },
    #[error("catalogue entry {0} already exists")]
    EntryExists(EntryId),
    #[error("catalogue entry {0} was changed by someone else")]
    VersionConflict(EntryId),
    #[error("stored catalogue entry {entry} is corrupt: {detail}")]
    CorruptEntry { entry: EntryId, detail: String },
    #[error("could not use the data directory {path}: {source}")]
    DataDir { path: std::path::PathBuf, source: std::io::Error },
    #[error("another Idétavle server is using the data directory {0} (it holds idetavle.lock there); stop it first")]
    DataDirInUse(std::path::PathBuf),
    #[error("board {0} does not exist (any more)")]
    NoBoard(BoardId),
    #[error("could not open the database {path}: {source}")]
    Database { path: std::path::PathBuf, source: Box<dyn std::error::Error + Send + Sync> },
    #[error("the database {path} has schema version {found}, but this Idétavle knows only up to {known}: it was written by a newer version, so run that one")]
    SchemaTooNew { path: std::path::PathBuf, found: usize, known: usize },
    #[error("storage failed a moment ago; try again in {retry_in:?}")]
    Failing { retry_in: std::time::Duration },
    #[error("storage failed: {0}")]
    Backend(#[from] Box<dyn std::error::Error + Send + Sync>),
}

/// Durable storage of the idékatalog and of small server settings.
#[async_trait]
pub trait CatalogueStore: Send + Sync + 'static {
    /// Every entry (the catalogue is small enough to search in memory).
    async fn entries(&self) -> Result<Vec<Entry>, StoreError>;

    async fn entry(&self, id: &EntryId) -> Result<Option<Entry>, StoreError>;

    /// Stores a new entry (`replaces: None`; fails with `EntryExists`) or replaces the stored
    /// version `replaces` (fails with `VersionConflict` if it is no longer that version).
    async fn save_entry(&self, entry: &Entry, replaces: Option<u32>) -> Result<(), StoreError>;

    /// Deletes an entry; `false` if there was none.
    async fn delete_entry(&self, id: &EntryId) -> Result<bool, StoreError>;

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;

    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;
}

/// Durable storage of boards and their event logs (and, through the supertrait, the catalogue).
#[async_trait]
pub trait Store: CatalogueStore {
    /// Whether the store answers now (for `/healthz`: an instance is ready only if it can commit).
    async fn ready(&self) -> Result<(), StoreError>;

    /// Stores a new board. Fails with `JoinCodeTaken` if the code is in use.
    async fn create_board(&self, record: &BoardRecord) -> Result<(), StoreError>;

    /// Which board a join code opens.
    async fn board_id_by_code(&self, code: &str) -> Result<Option<BoardId>, StoreError>;

    /// A board's record, its latest snapshot and the events after that snapshot.
    async fn load_board(&self, id: &BoardId) -> Result<Option<StoredBoard>, StoreError>;

    /// A board's events after sequence number `after` (0: the whole log), in order.
    async fn events_after(&self, id: &BoardId, after: u64) -> Result<Vec<Event>, StoreError>;

    /// Keeps `snapshot` as the board's latest, unless a later one is already stored. A
    /// snapshot only shortens loading: losing one loses nothing.
    async fn save_snapshot(&self, id: &BoardId, snapshot: &Snapshot) -> Result<(), StoreError>;

    /// Which of `sent` (op ids as clients sent them) are part of the board's log.
    async fn find_ops(&self, id: &BoardId, sent: &[OpId]) -> Result<Vec<StoredOp>, StoreError>;

    /// Deletes a board, its events, its snapshot and its join code, for good; `false` if there was none.
    async fn delete_board(&self, id: &BoardId) -> Result<bool, StoreError>;

    /// Sets (or clears) when a board is purged, Unix ms; `false` if there is no such board.
    async fn set_board_expiry(&self, id: &BoardId, expires_at: Option<i64>) -> Result<bool, StoreError>;

    /// Boards whose expiry is at or before `now` (Unix ms).
    async fn expired_boards(&self, now: i64) -> Result<Vec<BoardId>, StoreError>;

    /// Appends events atomically and durably: when this returns `Ok`, all of them survive a
    /// crash; when it returns `Err`, none of them were stored.
    async fn append_events(&self, id: &BoardId, events: &[Event]) -> Result<(), StoreError>;

    /// A hub's commit (docs/SCALING.md): locks the board against every other commit of it,
    /// wherever it runs; hands `work` the events committed after `after` (by other instances;
    /// none if `after` is the head); appends, durably and atomically, the events `work`
    /// returns; and lets go. `NoBoard`, with nothing stored, if the board is gone.
    ///
    /// A store that one process alone writes to (SQLite) has nothing to catch up with: its
    /// hub is the board's only writer, so `work` gets no events.
    async fn commit_locked(&self, id: &BoardId, after: u64, work: &mut LockedWork<'_>) -> Result<(), StoreError>;

    /// Notices of what other instances sharing this store commit, delete and who they have
    /// connected; `None` when no one else writes to it.
    fn notices(&self) -> Option<tokio::sync::broadcast::Receiver<Notice>> {
        None
    }

    /// Publishes who `instance` has connected to a board (an empty share withdraws it), and
    /// tells the other instances if `changed`. Nothing to do for a store one process uses.
    async fn share_presence(
        &self,
        _id: &BoardId,
        _instance: &str,
        _share: &PresenceShare,
        _changed: bool,
    ) -> Result<(), StoreError> {
        Ok(())
    }

    /// Deletes presence shares not renewed for an hour: those of instances that died.
    async fn forget_stale_presence(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Who the other instances have connected to a board (shares renewed within
    /// [`PRESENCE_FRESH_MS`]).
    async fn shared_presence(&self, _id: &BoardId, _except: &str) -> Result<Vec<PresenceShare>, StoreError> {
        Ok(Vec::new())
    }
}
