//! The server binary, built inside the tests crate so integration tests can start it as a
//! real process (and kill it) via `CARGO_BIN_EXE_idetavle-under-test`.

fn main() -> std::process::ExitCode {
    server::cli()
}
