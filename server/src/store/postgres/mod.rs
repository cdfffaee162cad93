//! The PostgreSQL store (`--database-url postgres://…`), for deployments that outgrow one
//! process (docs/SCALING.md). Same tables and meaning as the SQLite store; a pool of
//! connections (`deadpool-postgres`) over `tokio-postgres`. Durability is PostgreSQL's: a
//! committed transaction is on disk (`synchronous_commit` as the server is configured; keep
//! the default `on`).
//!
//! Migrations run at start in one transaction, under an advisory lock, so two instances that
//! start together do not both migrate. Any number of instances may share the database: a
//! board's commits are serialised by a lock on its row, and each instance hears the others'
//! commits through `LISTEN` ([`sharing`]).

mod boards;
mod catalogue;
mod sharing;

use super::{Notice, StoreError};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio::sync::broadcast;
use tokio_postgres::NoTls;

/// Schema migrations, applied in order; `schema_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: everything the SQLite store has after its four migrations.
    "CREATE TABLE boards (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        join_code TEXT NOT NULL UNIQUE,
        token_hash BYTEA NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT
    );
    CREATE INDEX boards_expiry ON boards(expires_at) WHERE expires_at IS NOT NULL;
    CREATE TABLE events (
        board_id TEXT NOT NULL REFERENCES boards(id),
        seq BIGINT NOT NULL,
        op_id TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (board_id, seq)
    );
    CREATE INDEX events_op_id ON events(board_id, op_id text_pattern_ops);
    CREATE TABLE snapshots (
        board_id TEXT PRIMARY KEY REFERENCES boards(id),
        seq BIGINT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE TABLE catalogue_entries (
        id TEXT PRIMARY KEY,
        version BIGINT NOT NULL,
        status TEXT NOT NULL,
        board_id TEXT,
        updated_at BIGINT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX catalogue_entries_board ON catalogue_entries(board_id);
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );",
    // 2: who each instance has connected to each board (docs/SCALING.md, presence)
    "CREATE TABLE presence (
        board_id TEXT NOT NULL,
        instance TEXT NOT NULL,
        body TEXT NOT NULL,
        seen_at BIGINT NOT NULL,
        PRIMARY KEY (board_id, instance)
    );",
];

/// The advisory lock key migrations run under ("idetavle" in ASCII, as a number).
const MIGRATION_LOCK: i64 = 0x6964_6574_6176_6c65;
/// The channel instances notify each other on.
const CHANNEL: &str = "idetavle";

pub struct PostgresStore {
    pool: Pool,
    /// What the listener hears from every instance (this one too).
    notices: broadcast::Sender<Notice>,
    listener: tokio::task::JoinHandle<()>,
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

impl PostgresStore {
    /// Connects to `url`, brings the schema up to date and starts listening for the notices
    /// of every instance that shares the database.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(boxed)?;
        // An instance that stops answering in the middle of a transaction (a network pause, a
        // frozen VM) holds its board's row lock: PostgreSQL ends that session after 10 s, and
        // keepalives notice a vanished peer, so no board waits on a dead instance for long.
        let options = config.get_options().unwrap_or_default().to_owned();
        config.options(format!("{options} -c idle_in_transaction_session_timeout=10000 -c statement_timeout=30000"));
        config.keepalives_idle(std::time::Duration::from_secs(10));
        let manager =
            Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(16).build().map_err(boxed)?;
        let (notices, _) = broadcast::channel(4096);
        let listener = tokio::spawn(sharing::listen(config, notices.clone()));
        let store = PostgresStore { pool, notices, listener };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(boxed)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(boxed)?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)").await.map_err(boxed)?;
        let done: i64 =
            tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[]).await.map_err(boxed)?.get(0);
        if done as usize > MIGRATIONS.len() {
            return Err(StoreError::SchemaTooNew {
                path: "the PostgreSQL database".into(),
                found: done as usize,
                known: MIGRATIONS.len(),
            });
        }
        for (n, sql) in MIGRATIONS.iter().enumerate().skip(done as usize) {
            tx.batch_execute(sql).await.map_err(boxed)?;
            tx.execute("INSERT INTO schema_version (version) VALUES ($1)", &[&(n as i64 + 1)]).await.map_err(boxed)?;
        }
        tx.commit().await.map_err(boxed)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(boxed)
    }
}

fn boxed(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Box::new(e))
}

/// Whether `e` broke the unique constraint `constraint` (PostgreSQL's default names:
/// `boards_pkey`, `boards_join_code_key`, `events_pkey`).
fn violates(e: &tokio_postgres::Error, constraint: &str) -> bool {
    e.as_db_error().is_some_and(|d| {
        *d.code() == tokio_postgres::error::SqlState::UNIQUE_VIOLATION && d.constraint() == Some(constraint)
    })
}
