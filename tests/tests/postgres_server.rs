//! The real server binary on PostgreSQL (`--database-url`), one server per database: it serves
//! a board, is killed with SIGKILL, and the next server on the same database has every
//! acknowledged note; while one runs, a second is refused with one clear line.

use std::ffi::OsStr;
use tests::support::client::WsClient;
use tests::support::http::{create_board, export};
use tests::support::postgres::Postgres;
use tests::support::server::{free_addr, refused_start, ServerProcess};
use tests::support::{new_secret, temp_data_dir};

const BIN: &str = env!("CARGO_BIN_EXE_idetavle-under-test");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_notes_survive_a_kill_and_a_second_server_is_refused() {
    let pg = Postgres::start();
    let dir = temp_data_dir();
    let env = [("IDETAVLE_DATABASE_URL", pg.url.as_str())];
    let start = || ServerProcess::start_with_env(BIN, dir.path(), free_addr(), &env);
    let mut server = tokio::task::block_in_place(start);
    let board = create_board(&server.http_base(), "Borgermøde på PostgreSQL").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    for i in 0..50 {
        phone.post(&format!("p{i}"), &format!("n{i}"), "ideas", &format!("Idé {i} – æøå")).await;
    }
    phone.acked("p49").await;

    let addr = free_addr().to_string();
    let args = [OsStr::new("--addr"), OsStr::new(&addr), OsStr::new("--database-url"), OsStr::new(&pg.url)];
    let (status, stderr) = tokio::task::block_in_place(|| refused_start(BIN, &args));
    assert!(!status.success(), "a second server on the same database is refused");
    assert!(stderr.contains("another Idétavle server is using this PostgreSQL database"), "{stderr}");

    drop(phone);
    server.kill();
    let server = tokio::task::block_in_place(start);
    let stored = export(&server.http_base(), &board).await;
    let notes = stored["board"]["notes"].as_array().map(Vec::len);
    assert_eq!(notes, Some(50), "every acknowledged note, once, after kill -9");
}
