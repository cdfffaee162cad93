//! Keeps the load generator working: a small run of the real binary against all three targets
//! (the full runs are documented in BENCHMARKS.md). The binary installs the peer (y-websocket,
//! through npm, about 5 s) into `.tools/peer` itself when it is absent, as on a clean clone.

use std::process::Command;

#[test]
fn the_load_generator_runs_against_idetavle_the_limit_and_the_peer() {
    let out = Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args(["--clients", "20", "--burst-secs", "1", "--target", "all"])
        .output()
        .expect("run loadgen");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "loadgen failed:\n{stdout}\n{stderr}");
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
