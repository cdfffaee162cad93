//! Keeps the load generator working: a small run of the real binary against both targets
//! (the full runs are documented in BENCHMARKS.md).

use std::process::Command;

#[test]
fn the_load_generator_runs_against_idetavle_and_the_limit() {
    let out = Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args(["--clients", "20", "--burst-secs", "1"])
        .output()
        .expect("run loadgen");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "loadgen failed:\n{stdout}\n{stderr}");
    for expected in ["[idetavle] 20 clients", "[limit] 20 clients", "0 errors · 0 missing", "idetavle / limit"] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
    println!("{stdout}");
}
