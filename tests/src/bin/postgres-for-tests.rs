//! A PostgreSQL cluster for a test run (scripts/test.sh): starts one (as `Postgres` in the
//! test support does), prints its URL, and stops it when its standard input closes.

use std::io::{Read, Write};

fn main() {
    let pg = tests::support::postgres::Postgres::start();
    println!("{}", pg.url);
    let _ = std::io::stdout().flush();
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(pg);
}
