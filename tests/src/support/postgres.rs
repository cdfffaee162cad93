//! PostgreSQL from Debian's packages, a cluster of its own per test: `initdb` into a fresh
//! directory, `pg_ctl start` on a free loopback port, stopped (immediately) on drop. PostgreSQL
//! refuses to run as root, so under root it runs as the `postgres` user the package creates.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Postgres {
    /// `postgres://idetavle@127.0.0.1:<port>/postgres`
    pub url: String,
    bin: PathBuf,
    data: PathBuf,
    as_user: Option<&'static str>,
    _dir: tempfile::TempDir,
}

impl Postgres {
    pub fn start() -> Postgres {
        let bin = bin_dir();
        let dir = tempfile::Builder::new().prefix("idetavle-pg-").tempdir().expect("a directory for the cluster");
        let data = dir.path().join("data");
        let as_user = is_root().then_some("postgres");
        if let Some(user) = as_user {
            let owned = Command::new("chown").args(["-R", user]).arg(dir.path()).status();
            assert!(owned.is_ok_and(|s| s.success()), "chown the cluster's directory to {user}");
        }
        let port = super::server::free_addr().port();
        let run = |program: &str, args: &[&str]| {
            let mut cmd = match as_user {
                Some(user) => {
                    let mut c = Command::new("runuser");
                    c.args(["-u", user, "--"]).arg(bin.join(program));
                    c
                }
                None => Command::new(bin.join(program)),
            };
            let out = cmd.args(args).stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("run {program}: {e}"));
            assert!(out.status.success(), "{program} failed: {}", String::from_utf8_lossy(&out.stderr));
        };
        let data_arg = data.to_string_lossy().into_owned();
        let socket = dir.path().to_string_lossy().into_owned();
        run("initdb", &["-D", &data_arg, "-U", "idetavle", "-A", "trust", "--no-sync", "-E", "UTF8"]);
        let options = format!("-p {port} -k {socket} -c listen_addresses=127.0.0.1");
        let log = dir.path().join("postgres.log").to_string_lossy().into_owned();
        run("pg_ctl", &["-D", &data_arg, "-o", &options, "-l", &log, "-w", "start"]);
        let url = format!("postgres://idetavle@127.0.0.1:{port}/postgres");
        Postgres { url, bin, data, as_user, _dir: dir }
    }

    /// `pg_ctl`, as the user that owns the cluster.
    fn pg_ctl(&self) -> Command {
        let pg_ctl = self.bin.join("pg_ctl");
        match self.as_user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(pg_ctl);
                c
            }
            None => Command::new(pg_ctl),
        }
    }

    /// Stops PostgreSQL as a crash would (`-m immediate`: no checkpoint, every session cut) and
    /// starts it again on the same port; returns once it accepts connections.
    pub fn restart(&self) {
        let mut cmd = self.pg_ctl();
        // A log file, or the new server would hold our output pipe open for ever.
        let log = self._dir.path().join("postgres.log");
        cmd.arg("-D").arg(&self.data).arg("-l").arg(log).args(["-m", "immediate", "-w", "restart"]);
        let out = cmd.stdin(Stdio::null()).output();
        let out = out.expect("run pg_ctl restart");
        assert!(out.status.success(), "pg_ctl restart failed: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self.pg_ctl().arg("-D").arg(&self.data).args(["-m", "immediate", "stop"]).output();
    }
}

/// Debian installs PostgreSQL's programs under `/usr/lib/postgresql/<version>/bin`.
fn bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("PG_BIN") {
        return dir.into();
    }
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("PostgreSQL (apt-get install postgresql; scripts/test.sh does it)")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().expect("a PostgreSQL version with initdb")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The switch that runs the integration suite on PostgreSQL: `IDETAVLE_TEST_STORE=postgres`,
/// with `IDETAVLE_TEST_POSTGRES` naming a cluster (scripts/test.sh starts one for the run with
/// `cargo run -p tests --bin postgres-for-tests`). Every server the tests start then uses a
/// database of its own on that cluster, named after its data directory, so a test that
/// restarts a server on the same directory finds its boards again.
pub fn suite_on_postgres() -> bool {
    std::env::var("IDETAVLE_TEST_STORE").is_ok_and(|s| s == "postgres")
}

/// The database for a server with `data_dir`, when the suite runs on PostgreSQL.
pub fn database_for(data_dir: &Path) -> Option<String> {
    if !suite_on_postgres() {
        return None;
    }
    let cluster = std::env::var("IDETAVLE_TEST_POSTGRES").expect(
        "IDETAVLE_TEST_STORE=postgres needs IDETAVLE_TEST_POSTGRES, the URL of a cluster (scripts/test.sh starts one)",
    );
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    data_dir.hash(&mut hasher);
    let name = format!("t{:016x}", hasher.finish());
    create_database(&cluster, &name);
    let (base, _) = cluster.rsplit_once('/').expect("a URL ending in a database name");
    Some(format!("{base}/{name}"))
}

/// `CREATE DATABASE`, if it is not there yet.
fn create_database(cluster: &str, name: &str) {
    let name = name.to_owned();
    on_database(cluster, move |client| async move {
        if let Err(e) = client.batch_execute(&format!("CREATE DATABASE {name}")).await {
            let duplicate = e.code() == Some(&tokio_postgres::error::SqlState::DUPLICATE_DATABASE);
            assert!(duplicate, "create database {name}: {e}");
        }
    });
}

/// Runs `f` with a connection to `url`, on a thread and runtime of its own (callers may or
/// may not be inside a runtime), and returns what it returns.
fn on_database<T, F, Fut>(url: &str, f: F) -> T
where
    T: Send + 'static,
    F: FnOnce(tokio_postgres::Client) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T>,
{
    let url = url.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connect");
            tokio::spawn(connection);
            f(client).await
        })
    })
    .join()
    .expect("a call to the test database")
}

/// Tests of what only SQLite does (its file, its directory lock) say so and pass when the
/// suite runs on PostgreSQL.
pub fn sqlite_only(what: &str) -> bool {
    let skip = suite_on_postgres();
    if skip {
        println!("on PostgreSQL this checks nothing: {what} is SQLite's");
    }
    skip
}

/// Whether any row of the server's store (for `data_dir`, when the suite runs on PostgreSQL)
/// holds `needle`: boards, events, snapshots, presence, the catalogue and settings.
pub fn database_holds(data_dir: &Path, needle: &str) -> bool {
    let url = database_for(data_dir).expect("the suite runs on PostgreSQL");
    let needle = format!("%{needle}%");
    on_database(&url, move |client| async move {
        let sql = "SELECT (SELECT count(*) FROM boards b WHERE b::text LIKE $1)
                        + (SELECT count(*) FROM events e WHERE e::text LIKE $1)
                        + (SELECT count(*) FROM snapshots s WHERE s::text LIKE $1)
                        + (SELECT count(*) FROM presence p WHERE p::text LIKE $1)
                        + (SELECT count(*) FROM catalogue_entries c WHERE c::text LIKE $1)
                        + (SELECT count(*) FROM settings t WHERE t::text LIKE $1)";
        let found: i64 = client.query_one(sql, &[&needle]).await.expect("query").get(0);
        found > 0
    })
}

/// Runs `sql` (statements, no results) on the database of the server with `data_dir`.
pub fn execute_for(data_dir: &Path, sql: &str) {
    let url = database_for(data_dir).expect("the suite runs on PostgreSQL");
    let sql = sql.to_owned();
    on_database(&url, move |client| async move { client.batch_execute(&sql).await.expect("execute") });
}
