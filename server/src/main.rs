//! The `idetavle` binary: everything happens in [`server::main_from_cli`].

fn main() -> anyhow::Result<()> {
    server::main_from_cli()
}
