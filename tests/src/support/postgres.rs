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
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let pg_ctl = self.bin.join("pg_ctl");
        let mut cmd = match self.as_user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(pg_ctl);
                c
            }
            None => Command::new(pg_ctl),
        };
        let _ = cmd.arg("-D").arg(&self.data).args(["-m", "immediate", "stop"]).output();
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
