//! Command line and environment configuration.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

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

    /// The address people reach this server at (what links and QR codes hold), e.g.
    /// http://192.168.1.20:3000 in a workshop room. Defaults to http://<addr>.
    #[arg(long, env = "IDETAVLE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// The catalogue editor's token (who may edit the idékatalog). When unset, one is created
    /// on first run and its editor link printed to the log once; only its hash is stored.
    #[arg(long, env = "IDETAVLE_CATALOGUE_TOKEN", hide_env_values = true)]
    pub catalogue_token: Option<String>,

    /// The built site (WASM, JS, CSS, public files), as written by scripts/build.sh.
    #[arg(long, env = "IDETAVLE_SITE_DIR", default_value = "target/site")]
    pub site_dir: PathBuf,
}

impl Config {
    /// A config for tests and embedding: everything default except the given paths.
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.into(),
            public_url: None,
            catalogue_token: None,
            site_dir: PathBuf::from("target/site"),
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
