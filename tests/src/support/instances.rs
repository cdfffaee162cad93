//! Several real server processes on one PostgreSQL cluster, behind nginx round robin without
//! sticky sessions: the deployment of docs/DEPLOY.md, started by the test itself. An instance
//! can be killed (SIGKILL) and started again on the same address.

use super::nginx::Nginx;
use super::postgres::Postgres;
use super::server::{free_addr, ServerProcess};
use std::net::SocketAddr;

/// Fields drop in order: the servers stop before nginx and PostgreSQL.
pub struct Instances {
    /// `None` while an instance is killed.
    servers: Vec<Option<ServerProcess>>,
    pub nginx: Nginx,
    pub pg: Postgres,
    binary: String,
    addrs: Vec<SocketAddr>,
    dirs: Vec<tempfile::TempDir>,
}

/// Limits meant for a room of phones behind one address (here every client is nginx), and one
/// catalogue editor token on every instance, as docs/DEPLOY.md says.
const ENV: [(&str, &str); 4] = [
    ("IDETAVLE_CATALOGUE_TOKEN", super::server::EDITOR_TOKEN),
    ("IDETAVLE_MAX_CONNECTIONS_PER_IP", "100000"),
    ("IDETAVLE_MAX_WRITES_PER_MINUTE", "1000000"),
    ("IDETAVLE_MAX_CONNECTIONS_PER_BOARD", "100000"),
];

impl Instances {
    /// `n` instances of `binary` (`env!("CARGO_BIN_EXE_idetavle-under-test")`) on a fresh
    /// cluster, and nginx in front of them.
    pub fn start(binary: &str, n: usize) -> Instances {
        let pg = Postgres::start();
        let addrs: Vec<SocketAddr> = (0..n).map(|_| free_addr()).collect();
        let dirs: Vec<_> = (0..n).map(|_| super::temp_data_dir()).collect();
        let nginx = Nginx::round_robin(Nginx::free_addr(), &addrs);
        let mut instances = Instances { servers: Vec::new(), nginx, pg, binary: binary.to_owned(), addrs, dirs };
        instances.servers = (0..n).map(|i| Some(instances.spawn(i))).collect();
        instances
    }

    fn spawn(&self, i: usize) -> ServerProcess {
        let mut env = ENV.to_vec();
        env.push(("IDETAVLE_DATABASE_URL", &self.pg.url));
        ServerProcess::start_with_env(&self.binary, self.dirs[i].path(), self.addrs[i], &env)
    }

    pub fn len(&self) -> usize {
        self.addrs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.addrs.is_empty()
    }

    /// Through nginx: `http://…` and `ws://…`.
    pub fn http_base(&self) -> String {
        self.nginx.base()
    }

    pub fn ws_base(&self) -> String {
        self.nginx.ws_base()
    }

    /// Straight to instance `i`, past nginx.
    pub fn instance_http(&self, i: usize) -> String {
        format!("http://{}", self.addrs[i])
    }

    pub fn instance_ws(&self, i: usize) -> String {
        format!("ws://{}", self.addrs[i])
    }

    /// `kill -9` instance `i`.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut server) = self.servers[i].take() {
            server.kill();
        }
    }

    /// Starts instance `i` again (after [`Instances::kill`]) and waits until it listens.
    pub fn restart(&mut self, i: usize) {
        self.kill(i);
        self.servers[i] = Some(self.spawn(i));
    }
}
