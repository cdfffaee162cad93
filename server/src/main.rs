//! The `idetavle` binary: everything happens in [`server::cli`].

fn main() -> std::process::ExitCode {
    server::cli()
}
