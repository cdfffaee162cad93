//! The test PostgreSQL starts from Debian's packages as an unprivileged user and answers.

use tests::support::postgres::Postgres;

#[test]
fn a_fresh_cluster_starts_and_answers() {
    let pg = Postgres::start();
    let psql = std::process::Command::new("psql")
        .args([pg.url.as_str(), "-tAc", "select current_user, version()"])
        .output()
        .expect("run psql");
    let answer = String::from_utf8_lossy(&psql.stdout);
    assert!(psql.status.success(), "psql: {}", String::from_utf8_lossy(&psql.stderr));
    assert!(answer.starts_with("idetavle|PostgreSQL"), "{answer}");
}
