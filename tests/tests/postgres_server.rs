//! The real server binary on PostgreSQL (`--database-url`): two servers share one database
//! and one board; notes posted through one reach a facilitator on the other; the first is
//! killed with SIGKILL, and the second, and a server started afresh, have every acknowledged note.

use tests::support::client::WsClient;
use tests::support::http::{create_board, export};
use tests::support::postgres::Postgres;
use tests::support::server::{free_addr, ServerProcess};
use tests::support::{new_secret, temp_data_dir};

const BIN: &str = env!("CARGO_BIN_EXE_idetavle-under-test");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_a_board_and_acknowledged_notes_survive_a_kill() {
    let pg = Postgres::start();
    let (dir_a, dir_b) = (temp_data_dir(), temp_data_dir());
    let env = [("IDETAVLE_DATABASE_URL", pg.url.as_str())];
    let start = |dir: &std::path::Path| ServerProcess::start_with_env(BIN, dir, free_addr(), &env);
    let mut first = tokio::task::block_in_place(|| start(dir_a.path()));
    let second = tokio::task::block_in_place(|| start(dir_b.path()));
    let board = create_board(&first.http_base(), "Borgermøde på PostgreSQL").await;
    let mut host = WsClient::facilitator(&second.ws_base(), &board.id, &board.facilitator_token).await;
    let mut phone = WsClient::participant(&first.ws_base(), &board.id, &new_secret()).await;
    for i in 0..50 {
        phone.post(&format!("p{i}"), &format!("n{i}"), "ideas", &format!("Idé {i} – æøå")).await;
    }
    let last = phone.acked("p49").await;
    host.caught_up_to(last).await;
    let seen = host.sync.board.as_ref().map(|b| b.notes.len());
    assert_eq!(seen, Some(50), "the facilitator on the other server sees every note");

    drop(phone);
    first.kill();
    let stored = export(&second.http_base(), &board).await;
    assert_eq!(stored["board"]["notes"].as_array().map(Vec::len), Some(50), "the survivor has every note");
    let again = tokio::task::block_in_place(|| start(dir_a.path()));
    let stored = export(&again.http_base(), &board).await;
    assert_eq!(stored["board"]["notes"].as_array().map(Vec::len), Some(50), "every acknowledged note, once");
}
