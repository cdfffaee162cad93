//! Real servers on loopback ports.

use super::{init_tracing, workspace_root};
use server::store::{MemoryStore, Store};
use server::Config;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The catalogue editor token every in-process test server is started with.
pub const EDITOR_TOKEN: &str = "test-catalogue-editor-token-0123456789abcdef";

/// A server running inside the test process (SQLite in `data_dir`, or a given store).
pub struct TestServer {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestServer {
    /// Starts a server with an SQLite file in `data_dir`, serving the built site.
    pub async fn start(data_dir: &Path) -> TestServer {
        Self::start_on(data_dir, None).await
    }

    /// Starts a server on a given store (e.g. a `MemoryStore` that can be made to fail).
    pub async fn start_with_store(store: Arc<dyn Store>) -> TestServer {
        Self::start_on(Path::new("unused"), Some(store)).await
    }

    /// Starts a server with SQLite in `data_dir` and settings changed by `configure`.
    pub async fn start_configured(data_dir: &Path, configure: impl FnOnce(&mut Config)) -> TestServer {
        Self::start_full(data_dir, None, configure).await
    }

    async fn start_on(data_dir: &Path, store: Option<Arc<dyn Store>>) -> TestServer {
        Self::start_full(data_dir, store, |_| {}).await
    }

    async fn start_full(
        data_dir: &Path,
        store: Option<Arc<dyn Store>>,
        configure: impl FnOnce(&mut Config),
    ) -> TestServer {
        init_tracing();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let mut config = Config::for_data_dir(data_dir);
        config.site_dir = workspace_root().join("target").join("site");
        config.catalogue_token = Some(EDITOR_TOKEN.to_owned());
        if store.is_none() {
            config.database_url = super::postgres::database_for(data_dir);
        }
        configure(&mut config);
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async {
            let _ = stopped.await;
        };
        let task = match store {
            Some(store) => tokio::spawn(server::run_with_store(listener, config, store, shutdown)),
            None => tokio::spawn(server::run(listener, config, shutdown)),
        };
        TestServer { addr, stop: Some(stop), task: Some(task) }
    }

    pub fn memory_store() -> Arc<MemoryStore> {
        Arc::new(MemoryStore::new())
    }

    pub fn http_base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn ws_base(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// Graceful stop: open websockets are told to reconnect, then the server returns.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let result = tokio::time::timeout(Duration::from_secs(10), task).await;
            assert!(result.is_ok(), "server did not stop within 10 s");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The server as a separate process (the real binary), so a test can `kill -9` it.
pub struct ServerProcess {
    pub addr: SocketAddr,
    child: Child,
}

impl ServerProcess {
    /// Starts the server binary on `addr` with `data_dir` and waits until it listens.
    /// Integration tests pass `env!("CARGO_BIN_EXE_idetavle-under-test")` as `binary`.
    pub fn start(binary: &str, data_dir: &Path, addr: SocketAddr) -> ServerProcess {
        Self::start_with_env(binary, data_dir, addr, &[])
    }

    /// [`ServerProcess::start`] with extra environment, e.g. `IDETAVLE_MAX_WRITES_PER_MINUTE`.
    pub fn start_with_env(binary: &str, data_dir: &Path, addr: SocketAddr, env: &[(&str, &str)]) -> ServerProcess {
        let mut cmd = Command::new(binary);
        cmd.envs(env.iter().copied())
            .arg("--addr")
            .arg(addr.to_string())
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--site-dir")
            .arg(workspace_root().join("target").join("site"))
            .env("RUST_LOG", std::env::var("IDETAVLE_TEST_SERVER_LOG").unwrap_or_else(|_| "warn".into()));
        Self::spawn(cmd, addr)
    }

    /// [`ServerProcess::start`] with its log (stderr, at `info`) written to `log`.
    pub fn start_logging(binary: &str, data_dir: &Path, addr: SocketAddr, log: &Path) -> ServerProcess {
        let mut cmd = Command::new(binary);
        cmd.arg("--addr")
            .arg(addr.to_string())
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--site-dir")
            .arg(workspace_root().join("target").join("site"))
            .env("RUST_LOG", "info")
            .env("IDETAVLE_MAX_WRITES_PER_MINUTE", "100000")
            .stderr(std::fs::File::create(log).expect("create the log file"));
        Self::spawn(cmd, addr)
    }

    /// Runs `cmd` (a server that will listen on `addr`) and waits until it listens. When the
    /// suite runs on PostgreSQL, a server given a data directory gets its database instead
    /// (unless the test chose one).
    pub fn spawn(mut cmd: Command, addr: SocketAddr) -> ServerProcess {
        let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
        let chosen =
            cmd.get_envs().any(|(k, _)| k == "IDETAVLE_DATABASE_URL") || args.iter().any(|a| a == "--database-url");
        let data_dir = args.iter().position(|a| a == "--data-dir").and_then(|i| args.get(i + 1));
        if let (false, Some(dir)) = (chosen, data_dir) {
            if let Some(url) = super::postgres::database_for(Path::new(dir)) {
                cmd.env("IDETAVLE_DATABASE_URL", url);
            }
        }
        let child = cmd.stdout(Stdio::null()).spawn().expect("start the server under test");
        let mut server = ServerProcess { addr, child };
        server.wait_healthy();
        server
    }

    /// Waits (up to 20 s) until `/healthz` answers 200: the port is bound before the store is
    /// opened (and its schema migrated), so listening alone does not mean ready.
    pub fn wait_ready(&mut self) {
        use std::io::{Read, Write};
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(mut tcp) = std::net::TcpStream::connect(self.addr) {
                let _ = tcp.set_read_timeout(Some(Duration::from_secs(2)));
                let _ = tcp.write_all(b"GET /healthz HTTP/1.0\r\n\r\n");
                let mut answer = String::new();
                let _ = tcp.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200") {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("server on {} was not ready within 20 s", self.addr);
    }

    fn wait_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("server exited early: {status}");
            }
            if std::net::TcpStream::connect(self.addr).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("server did not start listening on {} within 20 s", self.addr);
    }

    pub fn http_base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn ws_base(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// The server's resident memory in KiB (from /proc), if it can be read.
    pub fn rss_kib(&self) -> Option<u64> {
        self.proc_status_kib("VmRSS:")
    }

    /// The server's peak resident memory so far in KiB (VmHWM).
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.proc_status_kib("VmHWM:")
    }

    /// Of the resident memory, how much is anonymous (heap, stacks) rather than mapped files
    /// (the binary's code), in KiB.
    pub fn anonymous_kib(&self) -> Option<u64> {
        let rollup = std::fs::read_to_string(format!("/proc/{}/smaps_rollup", self.child.id())).ok()?;
        let line = rollup.lines().find(|l| l.starts_with("Anonymous:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// How many threads the server runs now.
    pub fn threads(&self) -> Option<u64> {
        self.proc_status_kib("Threads:")
    }

    /// CPU time the server has used so far (user + system), in seconds, from /proc.
    pub fn cpu_secs(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        // SAFETY: sysconf only reads a system constant.
        let per_sec = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        (per_sec > 0).then(|| ticks as f64 / per_sec as f64)
    }

    fn proc_status_kib(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// SIGKILL: no shutdown code runs, exactly like a crash.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, as a service manager stops a server; waits (up to 20 s) for it to exit.
    pub fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        // SAFETY: kill(2) on our own child's pid; no memory is involved.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

/// Runs the server binary with `args` and expects it to refuse to start: its exit status and
/// what it printed on stderr (waits up to 20 s).
pub fn refused_start(binary: &str, args: &[&std::ffi::OsStr]) -> (std::process::ExitStatus, String) {
    let mut child = Command::new(binary)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server under test");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server started instead of refusing: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    (status, stderr)
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A loopback address with a port that was free a moment ago.
pub fn free_addr() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr")
}
