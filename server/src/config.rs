//! Command line and environment configuration.

use crate::hub::HubConfig;
use crate::limits::LimitsConfig;
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Idétavle: a live workshop board for co-creation.
#[derive(Debug, Clone, Parser)]
#[command(name = "idetavle", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "IDETAVLE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Directory for the SQLite database (created if missing).
    #[arg(long, env = "IDETAVLE_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// PostgreSQL instead of SQLite, e.g. postgres://idetavle@db/idetavle (the schema is made
    /// on first start). Any number of instances may share one database (docs/DEPLOY.md).
    #[arg(long, env = "IDETAVLE_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// The address people reach this server at (what links and QR codes hold), e.g.
    /// http://192.168.1.20:3000 in a workshop room. Defaults to http://<addr>.
    #[arg(long, env = "IDETAVLE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Another origin whose pages may open boards (e.g. https://intranet.kommune.dk), besides
    /// the public URL. May be given more than once (in the environment: comma-separated).
    #[arg(long = "allowed-origin", env = "IDETAVLE_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// The catalogue editor's token (who may edit the idékatalog). When unset, one is created
    /// on first run and its editor link printed to the log once; only its hash is stored.
    #[arg(long, env = "IDETAVLE_CATALOGUE_TOKEN", hide_env_values = true)]
    pub catalogue_token: Option<String>,

    /// Most open board connections from one IP address (0: no limit). A room behind one NAT
    /// router shares one address, so keep this well above the number of people in a room.
    #[arg(long, env = "IDETAVLE_MAX_CONNECTIONS_PER_IP", default_value_t = LimitsConfig::default().connections_per_ip)]
    pub max_connections_per_ip: usize,

    /// Most open connections to one board (0: no limit).
    #[arg(long, env = "IDETAVLE_MAX_CONNECTIONS_PER_BOARD", default_value_t = LimitsConfig::default().connections_per_board)]
    pub max_connections_per_board: usize,

    /// Sustained ops per minute from one participant's connection (bursts of half that pass
    /// at once; more is slowed down, not lost). The facilitator gets ten times this.
    #[arg(long, env = "IDETAVLE_MAX_WRITES_PER_MINUTE", default_value_t = LimitsConfig::default().writes_per_minute)]
    pub max_writes_per_minute: u32,

    /// Wrong join codes one IP address may try per minute before lookups are refused.
    #[arg(long, env = "IDETAVLE_MAX_FAILED_JOINS_PER_MINUTE", default_value_t = LimitsConfig::default().failed_joins_per_minute)]
    pub max_failed_joins_per_minute: u32,

    /// Purge boards this many days after they were created (0: keep them until deleted). A
    /// facilitator can also set or clear one board's expiry (`PUT /api/boards/{id}/expiry`).
    #[arg(long, env = "IDETAVLE_BOARD_RETENTION_DAYS", default_value_t = 0)]
    pub board_retention_days: u32,

    /// Seconds between looks for expired boards.
    #[arg(long, env = "IDETAVLE_PURGE_INTERVAL_SECS", default_value_t = 600, hide = true)]
    pub purge_interval_secs: u64,

    /// Seconds a board may go unused (no connection, no page, no export) before it is let go
    /// from memory; the next use loads it again from the database.
    #[arg(long, env = "IDETAVLE_IDLE_BOARD_SECS", default_value_t = 300.0)]
    pub idle_board_secs: f64,

    /// A snapshot of a board is stored every this many events, so loading replays at most this many.
    #[arg(long, env = "IDETAVLE_SNAPSHOT_EVERY", default_value_t = HubConfig::default().snapshot_every, hide = true)]
    pub snapshot_every: u64,

    /// The built site (WASM, JS, CSS, public files), as written by scripts/build.sh.
    #[arg(long, env = "IDETAVLE_SITE_DIR", default_value = "target/site")]
    pub site_dir: PathBuf,

    /// Instead of serving, a tool.
    #[command(subcommand)]
    pub tool: Option<Tool>,
}

/// What `idetavle <tool>` does instead of serving.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Tool {
    /// Copies every board (record, events, snapshot), catalogue entry and setting from an
    /// SQLite data directory into a PostgreSQL database, to move a deployment up. No server may
    /// be using the directory; boards already in the database are checked, not copied twice.
    Migrate {
        /// The SQLite data directory (holding idetavle.db).
        #[arg(long)]
        from_sqlite: PathBuf,
        /// The PostgreSQL database, e.g. postgres://idetavle@db/idetavle.
        #[arg(long)]
        to: String,
    },
}

impl Config {
    /// A config for tests and embedding: everything default except the given paths.
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.into(),
            database_url: None,
            public_url: None,
            allowed_origins: Vec::new(),
            catalogue_token: None,
            board_retention_days: 0,
            purge_interval_secs: 600,
            max_connections_per_ip: LimitsConfig::default().connections_per_ip,
            max_connections_per_board: LimitsConfig::default().connections_per_board,
            max_writes_per_minute: LimitsConfig::default().writes_per_minute,
            max_failed_joins_per_minute: LimitsConfig::default().failed_joins_per_minute,
            idle_board_secs: HubConfig::default().idle_after.as_secs_f64(),
            snapshot_every: HubConfig::default().snapshot_every,
            site_dir: PathBuf::from("target/site"),
            tool: None,
        }
    }

    pub fn hubs(&self) -> HubConfig {
        HubConfig {
            // A negative, NaN or absurd value falls back to the default rather than panicking.
            idle_after: Duration::try_from_secs_f64(self.idle_board_secs).unwrap_or(HubConfig::default().idle_after),
            snapshot_every: self.snapshot_every.max(1),
        }
    }

    pub fn limits(&self) -> LimitsConfig {
        LimitsConfig {
            connections_per_ip: self.max_connections_per_ip,
            connections_per_board: self.max_connections_per_board,
            writes_per_minute: self.max_writes_per_minute,
            failed_joins_per_minute: self.max_failed_joins_per_minute,
        }
    }

    /// The public base URL without a trailing slash; `bound` is the address actually bound
    /// (differs from `addr` when port 0 was asked for).
    pub fn public_base(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{bound}"),
        }
    }
}
