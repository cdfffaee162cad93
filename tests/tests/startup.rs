//! Start-up refusals (issue 14, part 5): a second server on the same data directory, a
//! database written by a newer version, a data directory that is a file, an address in use.
//! Each is refused at once with one line that names what and where — not a backtrace, not a
//! server that starts and then fights the first one over every commit.

use std::ffi::OsStr;
use std::path::Path;
use tests::support::postgres::{database_for, execute_for, sqlite_only};
use tests::support::server::{free_addr, refused_start, ServerProcess};
use tests::support::temp_data_dir;

const BIN: &str = env!("CARGO_BIN_EXE_idetavle-under-test");

fn args<'a>(data_dir: &'a Path, addr: &'a str) -> Vec<&'a OsStr> {
    vec![OsStr::new("--data-dir"), data_dir.as_os_str(), OsStr::new("--addr"), OsStr::new(addr)]
}

/// One line, naming `what`; no panic, no backtrace.
fn assert_one_clear_line(stderr: &str, what: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line, not {stderr:?}");
    assert!(lines[0].starts_with("idetavle: ") && lines[0].contains(what), "{:?} names {what}", lines[0]);
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
}

#[test]
fn a_second_server_on_the_same_data_directory_refuses_to_start() {
    if sqlite_only("one server per data directory") {
        return; // several servers on one PostgreSQL database is the point: instances.rs
    }
    let dir = temp_data_dir();
    let first = ServerProcess::start(BIN, dir.path(), free_addr());
    let addr = free_addr().to_string();
    let (status, stderr) = refused_start(BIN, &args(dir.path(), &addr));
    assert!(!status.success());
    assert_one_clear_line(&stderr, &dir.path().display().to_string());
    assert!(stderr.contains("another Idétavle server is using"), "{stderr}");
    drop(first);
    // Once the first has gone (even by kill -9), the directory is free again.
    let _second = ServerProcess::start(BIN, dir.path(), free_addr());
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = temp_data_dir();
    let mut first = ServerProcess::start(BIN, dir.path(), free_addr());
    first.wait_ready(); // its schema is in place
    first.kill();
    if let Some(url) = database_for(dir.path()) {
        execute_for(dir.path(), "INSERT INTO schema_version (version) SELECT MAX(version) + 1 FROM schema_version");
        let addr = free_addr().to_string();
        let mut args = args(dir.path(), &addr);
        args.extend([OsStr::new("--database-url"), OsStr::new(&url)]);
        let (status, stderr) = refused_start(BIN, &args);
        assert!(!status.success());
        assert_one_clear_line(&stderr, "PostgreSQL database");
        assert!(stderr.contains("schema version 3"), "{stderr}");
        return;
    }
    let db = dir.path().join("idetavle.db");
    let conn = rusqlite::Connection::open(&db).expect("open the database");
    let known: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("version");
    conn.pragma_update(None, "user_version", known + 1).expect("pretend a newer version wrote it");
    drop(conn);
    let addr = free_addr().to_string();
    let (status, stderr) = refused_start(BIN, &args(dir.path(), &addr));
    assert!(!status.success());
    assert_one_clear_line(&stderr, &db.display().to_string());
    assert!(stderr.contains(&format!("schema version {}", known + 1)), "{stderr}");
}

#[test]
fn a_data_directory_that_is_a_file_or_an_address_in_use_is_named_in_one_line() {
    let dir = temp_data_dir();
    let file = dir.path().join("not-a-directory");
    std::fs::write(&file, "x").expect("write a file");
    let addr = free_addr().to_string();
    let (status, stderr) = refused_start(BIN, &args(&file, &addr));
    assert!(!status.success());
    assert_one_clear_line(&stderr, &file.display().to_string());

    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let other = temp_data_dir();
    let (status, stderr) = refused_start(BIN, &args(other.path(), &addr));
    assert!(!status.success());
    assert_one_clear_line(&stderr, &addr);
}
