//! The default store: one SQLite file in the data directory.
//!
//! Durability: WAL journal with `synchronous=FULL`, so a transaction that has returned is on
//! disk (fsync'd) and survives both a process kill and a power cut. Appends are batched by the
//! hub (one transaction, one fsync per batch), which is what keeps this fast.
//! `secure_delete` overwrites deleted rows, so deleted citizens' data does not linger in the file.

mod boards;
mod catalogue;
mod listing;

use super::StoreError;
use rusqlite::Connection;
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
    // 4: loading starts from a snapshot; retried ops are found in the log by their id
    "CREATE TABLE snapshots (
        board_id TEXT PRIMARY KEY REFERENCES boards(id),
        seq INTEGER NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX events_op_id ON events(board_id, op_id);",
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
            // 512 KiB of page cache (SQLite's default is 2 MiB): a hub reads a board once, from
            // its snapshot, and then only appends; a full default cache was most of what a
            // server that had let go of every board still held (BENCHMARKS.md, months of uptime).
            conn.pragma_update(None, "cache_size", -512)?;
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

/// Whether `e` is a foreign key that points nowhere (an event of a deleted board).
fn is_dangling(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

#[cfg(test)]
mod compat_tests;
#[cfg(test)]
mod tests;
