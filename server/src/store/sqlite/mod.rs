//! The default store: one SQLite file in the data directory.
//!
//! Durability: WAL journal with `synchronous=FULL`, so a transaction that has returned is on
//! disk (fsync'd) and survives both a process kill and a power cut. Appends are batched by the
//! hub (one transaction, one fsync per batch), which is what keeps this fast.
//! `secure_delete` overwrites deleted rows, so deleted citizens' data does not linger in the file.

mod catalogue;

use super::{BoardRecord, Store, StoreError, StoredBoard};
use async_trait::async_trait;
use idetavle_core::board::BoardId;
use idetavle_core::protocol::Event;
use rusqlite::{params, Connection, OptionalExtension};
use std::fs::File;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: boards and their event logs
    "CREATE TABLE boards (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        join_code TEXT NOT NULL UNIQUE,
        token_hash BLOB NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE events (
        board_id TEXT NOT NULL REFERENCES boards(id),
        seq INTEGER NOT NULL,
        op_id TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (board_id, seq)
    ) WITHOUT ROWID;",
    // 2: the idékatalog (whole entries as JSON, with the columns queries need) and settings
    "CREATE TABLE catalogue_entries (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        board_id TEXT,
        updated_at INTEGER NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX catalogue_entries_board ON catalogue_entries(board_id);
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );",
    // 3: boards can expire (and are then purged)
    "ALTER TABLE boards ADD COLUMN expires_at INTEGER;
    CREATE INDEX boards_expiry ON boards(expires_at) WHERE expires_at IS NOT NULL;",
];

pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

/// A server's claim on its data directory: two servers on one file would both sequence the
/// same boards and fight over every commit. An OS lock on `idetavle.lock`, held while the
/// server runs and released by the OS when the process ends, however it ends.
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Creates `data_dir` if needed and claims it; fails if another server holds it.
    pub fn acquire(data_dir: &Path) -> Result<DataDirLock, StoreError> {
        let dir_error = |source| StoreError::DataDir { path: data_dir.to_owned(), source };
        std::fs::create_dir_all(data_dir).map_err(dir_error)?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(data_dir.join("idetavle.lock"))
            .map_err(dir_error)?;
        match file.try_lock() {
            Ok(()) => Ok(DataDirLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::DataDirInUse(data_dir.to_owned())),
            Err(std::fs::TryLockError::Error(source)) => Err(dir_error(source)),
        }
    }
}

impl SqliteStore {
    /// Opens (or creates) `idetavle.db` in `data_dir` and brings its schema up to date. Refuses
    /// a database from a newer version. (A server claims the directory first: [`DataDirLock`].)
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDir { path: data_dir.to_owned(), source })?;
        let path = data_dir.join("idetavle.db");
        let opened = || -> Result<Connection, rusqlite::Error> {
            let conn = Connection::open(&path)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.pragma_update(None, "secure_delete", "ON")?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            Ok(conn)
        };
        let conn = opened().map_err(|e| StoreError::Database { path: path.clone(), source: Box::new(e) })?;
        migrate(&conn, &path)?;
        Ok(SqliteStore { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `f` with the connection on the blocking pool, so SQLite's fsyncs never stall
    /// the async workers.
    async fn with_conn<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || locked(&conn, f)).await.map_err(boxed)?
    }

    /// Runs `f` with the connection on this very thread, telling the runtime to hand this
    /// worker's other tasks to another thread meanwhile (`block_in_place`). For the hub's
    /// commits: the hub goes on to broadcast the moment the commit returns, instead of waiting
    /// to be woken and scheduled again after a trip to the blocking pool. On a busy machine
    /// that trip took 7.5 ms at the median for a 0.4 ms fsync (BENCHMARKS.md). A
    /// current-thread runtime (some tests) cannot hand its tasks over, so it takes the trip.
    async fn with_conn_in_place<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        use tokio::runtime::{Handle, RuntimeFlavor};
        if Handle::current().runtime_flavor() != RuntimeFlavor::MultiThread {
            return self.with_conn(f).await;
        }
        tokio::task::block_in_place(|| locked(&self.conn, f))
    }
}

/// Runs `f` with the connection, once it is free.
fn locked<T>(
    conn: &Mutex<Connection>,
    f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut guard = conn.lock().map_err(|_| boxed_msg("sqlite connection lock poisoned"))?;
    f(&mut guard)
}

fn migrate(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let failed = |e: rusqlite::Error| StoreError::Database { path: path.to_owned(), source: Box::new(e) };
    let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(failed)?;
    if done > MIGRATIONS.len() {
        // A newer Idétavle wrote this file: this one would misread it.
        return Err(StoreError::SchemaTooNew { path: path.to_owned(), found: done, known: MIGRATIONS.len() });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        conn.execute_batch(&format!("BEGIN; {sql}; PRAGMA user_version = {}; COMMIT;", i + 1)).map_err(failed)?;
    }
    Ok(())
}

fn boxed(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Box::new(e))
}

fn boxed_msg(msg: &str) -> StoreError {
    StoreError::Backend(msg.into())
}

fn is_unique_violation(e: &rusqlite::Error, column: &str) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(msg))
        if f.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains(column))
}

#[async_trait]
impl Store for SqliteStore {
    async fn create_board(&self, record: &BoardRecord) -> Result<(), StoreError> {
        let r = record.clone();
        self.with_conn(move |c| {
            c.execute(
                "INSERT INTO boards (id, title, join_code, token_hash, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![r.id.as_str(), r.title, r.join_code, &r.token_hash[..], r.created_at, r.expires_at],
            )
            .map_err(|e| {
                if is_unique_violation(&e, "boards.join_code") {
                    StoreError::JoinCodeTaken
                } else if is_unique_violation(&e, "boards.id") {
                    StoreError::BoardExists
                } else {
                    boxed(e)
                }
            })?;
            Ok(())
        })
        .await
    }

    async fn board_id_by_code(&self, code: &str) -> Result<Option<BoardId>, StoreError> {
        let code = code.to_owned();
        self.with_conn(move |c| {
            c.query_row("SELECT id FROM boards WHERE join_code = ?1", [code], |r| r.get::<_, String>(0))
                .optional()
                .map(|id| id.map(BoardId))
                .map_err(boxed)
        })
        .await
    }

    async fn load_board(&self, id: &BoardId) -> Result<Option<StoredBoard>, StoreError> {
        let id = id.clone();
        self.with_conn(move |c| {
            let record = c
                .query_row(
                    "SELECT title, join_code, token_hash, created_at, expires_at FROM boards WHERE id = ?1",
                    [id.as_str()],
                    |r| {
                        let hash: Vec<u8> = r.get(2)?;
                        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, hash, r.get::<_, i64>(3)?, r.get(4)?))
                    },
                )
                .optional()
                .map_err(boxed)?;
            let Some((title, join_code, hash, created_at, expires_at)) = record else {
                return Ok(None);
            };
            let token_hash: [u8; 32] = hash
                .try_into()
                .map_err(|_| StoreError::Corrupt { board: id.clone(), detail: "token hash is not 32 bytes".into() })?;
            let mut stmt =
                c.prepare_cached("SELECT seq, body FROM events WHERE board_id = ?1 ORDER BY seq").map_err(boxed)?;
            let rows =
                stmt.query_map([id.as_str()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))).map_err(boxed)?;
            let mut events = Vec::new();
            for row in rows {
                let (seq, body) = row.map_err(boxed)?;
                let event: Event = serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt { board: id.clone(), detail: format!("event {seq}: {e}") })?;
                events.push(event);
            }
            let record = BoardRecord { id, title, join_code, token_hash, created_at, expires_at };
            Ok(Some(StoredBoard { record, events }))
        })
        .await
    }

    async fn delete_board(&self, id: &BoardId) -> Result<bool, StoreError> {
        let id = id.clone();
        self.with_conn(move |c| {
            let tx = c.transaction().map_err(boxed)?;
            tx.execute("DELETE FROM events WHERE board_id = ?1", [id.as_str()]).map_err(boxed)?;
            let deleted = tx.execute("DELETE FROM boards WHERE id = ?1", [id.as_str()]).map_err(boxed)?;
            tx.commit().map_err(boxed)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn set_board_expiry(&self, id: &BoardId, expires_at: Option<i64>) -> Result<bool, StoreError> {
        let id = id.clone();
        self.with_conn(move |c| {
            let n = c
                .execute("UPDATE boards SET expires_at = ?2 WHERE id = ?1", params![id.as_str(), expires_at])
                .map_err(boxed)?;
            Ok(n > 0)
        })
        .await
    }

    async fn expired_boards(&self, now: i64) -> Result<Vec<BoardId>, StoreError> {
        self.with_conn(move |c| {
            let mut stmt = c.prepare_cached("SELECT id FROM boards WHERE expires_at <= ?1").map_err(boxed)?;
            let rows = stmt.query_map([now], |r| r.get::<_, String>(0)).map_err(boxed)?;
            rows.map(|r| r.map(BoardId).map_err(boxed)).collect()
        })
        .await
    }

    async fn append_events(&self, id: &BoardId, events: &[Event]) -> Result<(), StoreError> {
        let id = id.clone();
        let rows: Vec<(u64, String, String)> = events
            .iter()
            .map(|e| serde_json::to_string(e).map(|body| (e.seq, e.op_id.to_string(), body)))
            .collect::<Result<_, _>>()
            .map_err(boxed)?;
        self.with_conn_in_place(move |c| {
            let tx = c.transaction().map_err(boxed)?;
            {
                let mut stmt = tx
                    .prepare_cached("INSERT INTO events (board_id, seq, op_id, body) VALUES (?1, ?2, ?3, ?4)")
                    .map_err(boxed)?;
                for (seq, op_id, body) in &rows {
                    stmt.execute(params![id.as_str(), *seq as i64, op_id, body]).map_err(|e| {
                        if is_unique_violation(&e, "events.") {
                            StoreError::SeqTaken { board: id.clone(), seq: *seq }
                        } else {
                            boxed(e)
                        }
                    })?;
                }
            }
            tx.commit().map_err(boxed)
        })
        .await
    }
}

#[cfg(test)]
mod compat_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use idetavle_core::board::{Actor, LaneId, Op, OpContext};

    fn record(id: &str, code: &str) -> BoardRecord {
        BoardRecord {
            id: BoardId::from(id),
            title: "T".into(),
            join_code: code.into(),
            token_hash: [7; 32],
            created_at: 1,
            expires_at: None,
        }
    }

    /// Event `seq`: a participant adds note `n{seq}`.
    fn event(seq: u64) -> Event {
        let mut board = record("b1", "ABCDEF").empty_board();
        board.seq = seq - 1;
        let cx = OpContext { actor: Actor::participant("p"), at: 2, seq };
        let op = Op::AddNote {
            note_id: format!("n{seq}").as_str().into(),
            lane: LaneId::from("need"),
            text: "Æbler, \"pærer\"".into(),
            author_name: None,
        };
        let change = board.apply(&cx, &op).unwrap();
        Event { seq, op_id: format!("op{seq}").as_str().into(), actor: Some(cx.actor), at: 2, change, revealed: vec![] }
    }

    #[tokio::test]
    async fn boards_and_events_survive_reopening_the_file() {
        let dir = tempdir();
        {
            let s = SqliteStore::open(&dir).unwrap();
            s.create_board(&record("b1", "ABCDEF")).await.unwrap();
            s.append_events(&BoardId::from("b1"), &[event(1), event(2)]).await.unwrap();
        }
        let s = SqliteStore::open(&dir).unwrap();
        assert_eq!(s.board_id_by_code("ABCDEF").await.unwrap(), Some(BoardId::from("b1")));
        let stored = s.load_board(&BoardId::from("b1")).await.unwrap().unwrap();
        assert_eq!(stored.events, vec![event(1), event(2)]);
        assert_eq!(stored.replay().unwrap().notes.len(), 2);
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn duplicate_join_codes_and_sequence_numbers_are_refused() {
        let dir = tempdir();
        let s = SqliteStore::open(&dir).unwrap();
        s.create_board(&record("b1", "ABCDEF")).await.unwrap();
        assert!(matches!(s.create_board(&record("b2", "ABCDEF")).await, Err(StoreError::JoinCodeTaken)));
        let id = BoardId::from("b1");
        s.append_events(&id, &[event(1)]).await.unwrap();
        let err = s.append_events(&id, &[event(2), event(1)]).await.unwrap_err();
        assert!(matches!(err, StoreError::SeqTaken { seq: 1, .. }), "{err}");
        // The failed batch stored nothing, not even event 2.
        assert_eq!(s.load_board(&id).await.unwrap().unwrap().events.len(), 1);
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn a_deleted_board_leaves_nothing_behind_and_expired_boards_are_found() {
        let dir = tempdir();
        let s = SqliteStore::open(&dir).unwrap();
        s.create_board(&record("b1", "ABCDEF")).await.unwrap();
        s.create_board(&record("b2", "GHJKMN")).await.unwrap();
        s.append_events(&BoardId::from("b1"), &[event(1), event(2)]).await.unwrap();
        assert!(s.set_board_expiry(&BoardId::from("b2"), Some(1_000)).await.unwrap());
        assert_eq!(s.expired_boards(999).await.unwrap(), Vec::<BoardId>::new());
        assert_eq!(s.expired_boards(1_000).await.unwrap(), vec![BoardId::from("b2")]);
        assert!(s.delete_board(&BoardId::from("b1")).await.unwrap());
        assert!(!s.delete_board(&BoardId::from("b1")).await.unwrap());
        assert!(s.load_board(&BoardId::from("b1")).await.unwrap().is_none());
        assert_eq!(s.board_id_by_code("ABCDEF").await.unwrap(), None);
        drop(s);
        let bytes = std::fs::read(dir.join("idetavle.db")).unwrap();
        let wal = std::fs::read(dir.join("idetavle.db-wal")).unwrap_or_default();
        let needle = "pærer".as_bytes();
        let found = |b: &[u8]| b.windows(needle.len()).any(|w| w == needle);
        assert!(!found(&bytes) && !found(&wal), "secure_delete leaves no note text in the file");
        std::fs::remove_dir_all(dir).ok();
    }

    fn tempdir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("idetavle-store-{}", crate::auth::new_board_id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
