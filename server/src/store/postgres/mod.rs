//! The PostgreSQL store (`--database-url postgres://…`), for deployments that outgrow one
//! process (docs/SCALING.md). Same tables and meaning as the SQLite store; a pool of
//! connections (`deadpool-postgres`) over `tokio-postgres`. Durability is PostgreSQL's: a
//! committed transaction is on disk (`synchronous_commit` as the server is configured; keep
//! the default `on`).
//!
//! Migrations run at start in one transaction, under an advisory lock, so two instances that
//! start together do not both migrate.

mod boards;
mod catalogue;

use super::StoreError;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
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
];

/// The advisory lock key migrations run under ("idetavle" in ASCII, as a number).
const MIGRATION_LOCK: i64 = 0x6964_6574_6176_6c65;
/// The advisory lock a server holds on its database while it runs.
const SERVER_LOCK: i64 = MIGRATION_LOCK + 1;

pub struct PostgresStore {
    pool: Pool,
    /// The connection holding this server's claim on the database (an advisory lock for the
    /// connection's life): two servers sequencing the same boards would fight over every
    /// commit, until the locked commit of docs/SCALING.md lands.
    _claim: tokio_postgres::Client,
}

impl PostgresStore {
    /// Connects to `url`, claims the database for this server (`DatabaseInUse` if another
    /// holds it) and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let config: tokio_postgres::Config = url.parse().map_err(boxed)?;
        let (claim, connection) = config.connect(NoTls).await.map_err(boxed)?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::error!(error = %e, "the database connection holding this server's claim ended");
            }
        });
        let claimed: bool =
            claim.query_one("SELECT pg_try_advisory_lock($1)", &[&SERVER_LOCK]).await.map_err(boxed)?.get(0);
        if !claimed {
            return Err(StoreError::DatabaseInUse);
        }
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(16).build().map_err(boxed)?;
        let store = PostgresStore { pool, _claim: claim };
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
