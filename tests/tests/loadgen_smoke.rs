//! Keeps the load generator working: a small run of the real binary against all three targets
//! (the full runs are documented in BENCHMARKS.md). The binary installs the peer (y-websocket,
//! through npm, about 5 s) into `.tools/peer` itself when it is absent, as on a clean clone.

use std::process::Command;

#[test]
fn the_load_generator_runs_against_idetavle_the_limit_and_the_peer() {
    let stdout = loadgen(&["--clients", "20", "--burst-secs", "1", "--target", "all"]);
    for expected in
        ["[idetavle] 20 clients", "[limit] 20 clients", "[peer] 20 clients", "idetavle / limit", "idetavle / peer"]
    {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
    // Every target: each of the 20 notes reached the 19 other clients, nothing went wrong.
    assert_eq!(stdout.matches("(n=380)").count(), 3, "delivery counts in:\n{stdout}");
    assert_eq!(stdout.matches("0 errors · 0 missing").count(), 3, "errors or missing in:\n{stdout}");
    println!("{stdout}");
}

/// Runs the load generator with `args`; its standard output, after checking it succeeded.
fn loadgen(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_loadgen")).args(args).output().expect("run loadgen");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "loadgen failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// The line of `stdout` that starts with `prefix`.
fn line_starting<'a>(stdout: &'a str, prefix: &str) -> &'a str {
    stdout.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix:?} in:\n{stdout}"))
}

#[test]
fn the_sustained_run_counts_committed_ops_and_loses_no_connection() {
    let stdout = loadgen(&["--sustained-secs", "2", "--clients", "5"]);
    let line = line_starting(&stdout, "[sustained] 1 instance on SQLite: 5 clients on 1 board(s)");
    let rate: f64 = line
        .split(": ")
        .nth(2)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no rate in {line:?}"));
    assert!(rate > 0.0, "ops were acknowledged: {line}");
    assert!(line.contains("0 errors · 0 connections lost"), "{line}");
    assert!(line.contains(" commits/s of "), "the commits are counted from /metrics: {line}");
    println!("{stdout}");
}

#[test]
fn the_idle_run_holds_its_connections_and_reports_the_servers_memory() {
    let stdout = loadgen(&["--idle", "200", "--boards", "4"]);
    let line = line_starting(&stdout, "[idle] 200 connections over 4 boards");
    assert!(line.contains("peak") && line.ends_with("MB with all connected"), "{line}");
    println!("{stdout}");
}

#[test]
fn the_soak_lets_every_board_go_and_reports_memory_and_idle_cpu() {
    let stdout = loadgen(&[
        "--soak-secs",
        "2",
        "--soak-workshops",
        "3",
        "--soak-phones",
        "2",
        "--soak-wave-secs",
        "1",
        "--soak-idle-secs",
        "0.5",
    ]);
    let waves = line_starting(&stdout, "[soak] 2 waves");
    assert!(waves.contains("6 workshops") && waves.contains("36 notes acknowledged, 0 errors"), "{waves}");
    let after = line_starting(&stdout, "[soak] after the waves, all boards let go: RSS");
    assert!(after.contains("idle CPU"), "{after}");
    println!("{stdout}");
}

#[test]
fn the_load_time_run_loads_a_long_board_from_the_log_and_from_a_snapshot() {
    let stdout = loadgen(&["--load-events", "4000"]);
    let line = line_starting(&stdout, "[load] median of 5 loads: whole log");
    assert!(line.contains("from a snapshot 999 events back"), "{line}");
    println!("{stdout}");
}

#[test]
fn the_workshop_run_reports_delivery_per_table_and_the_overviews_cost() {
    let stdout = loadgen(&["--workshop-people", "12", "--workshop-tables", "3", "--burst-secs", "1"]);
    let line = line_starting(&stdout, "[workshop] 12 people at 3 tables");
    // Each of the 12 notes reached the 3 others at its table of 4.
    assert!(line.contains("(n=36)") && line.ends_with("0 missing, 0 errors"), "{line}");
    assert!(line_starting(&stdout, "[workshop] the overview").contains("KB each"), "{stdout}");
    println!("{stdout}");
}
