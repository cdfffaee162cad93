//! Acknowledged means durable: a killed server comes back with every acknowledged note.

use tests::support::client::WsClient;
use tests::support::http::{create_board, export};
use tests::support::server::{free_addr, ServerProcess};
use tests::support::{new_secret, temp_data_dir};

const BIN: &str = env!("CARGO_BIN_EXE_idetavle-under-test");

#[tokio::test]
async fn after_a_kill_and_restart_every_acknowledged_note_is_still_there() {
    let dir = temp_data_dir();
    let addr = free_addr();
    let mut server = ServerProcess::start(BIN, dir.path(), addr);
    let board = create_board(&server.http_base(), "Borgermøde").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut acked = Vec::new();
    for i in 0..25 {
        phone.post(&format!("op{i}"), &format!("n{i}"), "ideas", &format!("Idé nummer {i} – æøå")).await;
    }
    for i in 0..25 {
        acked.push(phone.acked(&format!("op{i}")).await);
    }
    let before = export(&server.http_base(), &board).await;

    server.kill(); // SIGKILL: no graceful shutdown, no flushing
    let server = ServerProcess::start(BIN, dir.path(), addr);
    let after = export(&server.http_base(), &board).await;
    assert_eq!(after, before, "the board after the crash equals the board before it");
    assert_eq!(after["board"]["notes"].as_array().unwrap().len(), 25);
    assert_eq!(after["board"]["seq"], *acked.iter().max().unwrap());

    // Pages and the join code work again too.
    let page =
        tests::support::http::get(&board.participant_url.replace(&format!("http://{addr}"), &server.http_base())).await;
    assert!(page.body.contains("Idé nummer 24 – æøå"), "server-rendered page shows the notes");
}
