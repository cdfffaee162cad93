//! The load generator behind `cargo run -p tests --release --bin loadgen` (issue 6).
//!
//! One scenario, several targets in the same run on the same machine:
//! - [`Target::Idetavle`]: the real server (started as a child process: the loadgen binary
//!   re-executes itself with `serve-idetavle`), every op validated, committed to SQLite and only
//!   then acknowledged and broadcast;
//! - [`Target::Limit`]: a bare tokio-tungstenite broadcast server ([`limit`], child process
//!   `serve-limit`): no validation, no storage; what the machine and the clients can do at best;
//! - [`Target::Peer`]: y-websocket's server ([`peer`], Node.js child process), the most used
//!   open-source sync server, with clients speaking the Yjs sync protocol ([`peer_client`]).
//!
//! N clients join one board, then each posts one note at a random moment of the burst window.
//! Every note carries its send time, so each receiving client measures delivery latency; the
//! sender measures time to acknowledgement. See `BENCHMARKS.md`.

pub mod burst;
pub mod client;
pub mod limit;
pub mod load_time;
pub mod peer;
pub mod peer_client;
pub mod report;
pub mod soak;
pub mod workshop;

use crate::support::server::ServerProcess;
use std::net::SocketAddr;
use std::process::Command;
use std::time::Duration;

pub use report::{Percentiles, Report};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Idetavle,
    Limit,
    Peer,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Idetavle => "idetavle",
            Target::Limit => "limit",
            Target::Peer => "peer",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub clients: usize,
    /// Every client posts once, at a random moment within this window.
    pub burst: Duration,
    pub seed: u64,
}

/// A server under test, as a child process whose memory can be read from /proc.
pub struct ServerChild {
    pub addr: SocketAddr,
    process: ServerProcess,
    _data: Option<tempfile::TempDir>,
}

impl ServerChild {
    /// Starts `loadgen serve-<target>` (for the peer: y-websocket's server under Node.js,
    /// installed first if absent) on a free loopback port and waits until it listens.
    pub fn start(loadgen: &std::path::Path, target: Target) -> anyhow::Result<ServerChild> {
        Self::start_with(loadgen, target, &[])
    }

    /// [`ServerChild::start`] with more command-line arguments for the server.
    pub fn start_with(loadgen: &std::path::Path, target: Target, args: &[&str]) -> anyhow::Result<ServerChild> {
        let addr = crate::support::server::free_addr();
        // A profiler to run the server under, e.g. `LOADGEN_SERVER_UNDER=heaptrack`.
        let mut cmd = match std::env::var("LOADGEN_SERVER_UNDER") {
            Ok(profiler) => {
                let mut cmd = Command::new(profiler);
                cmd.arg(loadgen);
                cmd
            }
            Err(_) => Command::new(loadgen),
        };
        let data = match target {
            Target::Idetavle => {
                let dir = tempfile::Builder::new().prefix("idetavle-loadgen-").tempdir()?;
                cmd.arg("serve-idetavle")
                    .args(["--addr", &addr.to_string()])
                    .arg("--data-dir")
                    .arg(dir.path())
                    .args(["--max-writes-per-minute", "1000000"])
                    .args(["--max-connections-per-ip", "0", "--max-connections-per-board", "0"])
                    .args(args)
                    .env("RUST_LOG", "error");
                Some(dir)
            }
            Target::Limit => {
                cmd.args(["serve-limit", "--addr", &addr.to_string()]);
                None
            }
            Target::Peer => {
                cmd = peer::command(addr)?;
                None
            }
        };
        Ok(ServerChild { addr, process: ServerProcess::spawn(cmd, addr), _data: data })
    }

    /// Peak resident memory of the server process so far (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.process.peak_rss_kib()
    }

    /// Resident memory of the server process now (VmRSS), in KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        self.process.rss_kib()
    }

    /// Of its resident memory, how much is anonymous (heap, stacks), in KiB.
    pub fn anonymous_kib(&self) -> Option<u64> {
        self.process.anonymous_kib()
    }

    /// How many threads the server process runs now.
    pub fn threads(&self) -> Option<u64> {
        self.process.threads()
    }

    /// CPU time the server process has used (user + system), in seconds.
    pub fn cpu_secs(&self) -> Option<f64> {
        self.process.cpu_secs()
    }
}

/// Websocket buffers for every socket the load generator opens or (as the limit) accepts:
/// 8 KiB, as Idétavle's server uses. tungstenite's default read buffer is 128 KiB, and it zeroes
/// the whole free part before every read: with that, a third of the clients' CPU went to
/// `memset` (a `perf` profile of the burst), time taken from the server under test on a shared
/// machine.
pub fn socket_config() -> tokio_tungstenite::tungstenite::protocol::WebSocketConfig {
    const BUFFER: usize = 8 * 1024;
    tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(BUFFER)
        .write_buffer_size(BUFFER)
}

/// Raises the open-file limit to its hard maximum (each client and server socket is a file).
pub fn raise_fd_limit() -> u64 {
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 0;
        }
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        limit.rlim_cur
    }
}

/// Runs the scenario against one target (server started and stopped here).
pub async fn run(loadgen: &std::path::Path, target: Target, scenario: &Scenario) -> anyhow::Result<Report> {
    let server = ServerChild::start(loadgen, target)?;
    let mut report = match target {
        Target::Peer => peer_client::drive(server.addr, scenario).await?,
        _ => client::drive(&[server.addr], target, scenario).await?,
    };
    report.peak_rss_kib = server.peak_rss_kib();
    Ok(report)
}

/// Idétavle as deployed for a scenario: one instance on SQLite, or `instances` on one
/// PostgreSQL database (a throwaway cluster started here, as the tests start theirs).
pub struct Deployment {
    pub servers: Vec<ServerChild>,
    pub store: &'static str,
    _postgres: Option<crate::support::postgres::Postgres>,
}

impl Deployment {
    pub fn start(loadgen: &std::path::Path, instances: usize, postgres: bool) -> anyhow::Result<Deployment> {
        anyhow::ensure!(instances == 1 || postgres, "several instances share a PostgreSQL database: add --postgres");
        let pg = postgres.then(crate::support::postgres::Postgres::start);
        let args: Vec<&str> = match &pg {
            Some(pg) => vec!["--database-url", &pg.url],
            None => Vec::new(),
        };
        let servers = (0..instances.max(1))
            .map(|_| ServerChild::start_with(loadgen, Target::Idetavle, &args))
            .collect::<Result<_, _>>()?;
        let store = if postgres { "PostgreSQL" } else { "SQLite" };
        Ok(Deployment { servers, store, _postgres: pg })
    }

    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.servers.iter().map(|s| s.addr).collect()
    }

    /// How it is deployed, for the report: "2 instances on PostgreSQL".
    pub fn describe(&self) -> String {
        match self.servers.len() {
            1 => format!("1 instance on {}", self.store),
            n => format!("{n} instances on {}", self.store),
        }
    }

    /// Commits made and seconds spent in them, over every instance (from `/metrics`).
    pub async fn commits(&self) -> (f64, f64) {
        let (mut count, mut seconds) = (0.0, 0.0);
        for server in &self.servers {
            let body = crate::support::http::get(&format!("http://{}/metrics", server.addr)).await.body;
            let value =
                |name: &str| body.lines().find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok()).unwrap_or(0.0);
            count += value("idetavle_commit_seconds_count ");
            seconds += value("idetavle_commit_seconds_sum ");
        }
        (count, seconds)
    }

    /// The largest peak resident memory of the instances, in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.servers.iter().filter_map(ServerChild::peak_rss_kib).max()
    }
}

/// The burst against Idétavle as deployed (`--instances`, `--postgres`).
pub async fn run_deployed(deployment: &Deployment, scenario: &Scenario) -> anyhow::Result<Report> {
    let mut report = client::drive(&deployment.addrs(), Target::Idetavle, scenario).await?;
    report.peak_rss_kib = deployment.peak_rss_kib();
    Ok(report)
}
