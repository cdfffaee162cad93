//! Limits (issue 5, item 6–7): a flooding connection is slowed down and told so while others
//! see no delay and nothing is lost; connection caps per address and per board; join-code
//! guessing is cut off per address.

use idetavle_core::protocol::{ErrorCode, ServerMsg};
use std::time::{Duration, Instant};
use tests::support::client::WsClient;
use tests::support::http::{create_board, export, get};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_connection_is_slowed_down_and_told_while_others_see_no_delay() {
    let dir = temp_data_dir();
    // 600 a minute: a burst of 300 passes at once, then 10 a second.
    let server = TestServer::start_configured(dir.path(), |c| c.max_writes_per_minute = 600).await;
    let board = create_board(&server.http_base(), "Borgermøde").await;
    let mut flooder = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut neighbour = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let flood = 330;
    for i in 0..flood {
        flooder.post(&format!("f{i}"), &format!("fn{i}"), "ideas", &format!("spam {i}")).await;
    }
    let told = flooder.apply_until(|m| matches!(m, ServerMsg::Error { code: ErrorCode::RateLimited, .. })).await;
    assert!(matches!(told, ServerMsg::Error { op_id: None, .. }), "the warning is about the connection: {told:?}");

    // While the flooder is held back, a neighbour's note goes straight through.
    let sent = Instant::now();
    neighbour.post("mine", "n-mine", "need", "Flere bænke").await;
    neighbour.acked("mine").await;
    let latency = sent.elapsed();
    assert!(latency < Duration::from_millis(500), "the neighbour waited {latency:?}");

    // Nothing the flooder sent is lost: all of it arrives, just later.
    flooder.acked(&format!("f{}", flood - 1)).await;
    let stored = export(&server.http_base(), &board).await;
    assert_eq!(stored["board"]["notes"].as_array().unwrap().len(), flood + 1);
    server.stop().await;
}

async fn upgrade_status(ws_base: &str, board: &idetavle_core::board::BoardId) -> Option<u16> {
    match tokio_tungstenite::connect_async(format!("{ws_base}/ws/{board}")).await {
        Ok(_) => None,
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => Some(res.status().as_u16()),
        Err(e) => panic!("unexpected: {e}"),
    }
}

#[tokio::test]
async fn connections_are_capped_per_address_and_per_board() {
    let dir = temp_data_dir();
    let server = TestServer::start_configured(dir.path(), |c| {
        c.max_connections_per_ip = 3;
        c.max_connections_per_board = 2;
    })
    .await;
    let (ws, http) = (server.ws_base(), server.http_base());
    let full = create_board(&http, "Fuld").await;
    let other = create_board(&http, "Anden").await;
    let a = WsClient::participant(&ws, &full.id, &new_secret()).await;
    let _b = WsClient::participant(&ws, &full.id, &new_secret()).await;
    assert_eq!(upgrade_status(&ws, &full.id).await, Some(503), "the board is full");
    let _c = WsClient::participant(&ws, &other.id, &new_secret()).await;
    assert_eq!(upgrade_status(&ws, &other.id).await, Some(429), "this address has three open");
    a.close().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(upgrade_status(&ws, &other.id).await, None, "a closed connection frees its place");
    server.stop().await;
}

#[tokio::test]
async fn guessing_join_codes_is_cut_off_per_address() {
    let dir = temp_data_dir();
    let server = TestServer::start_configured(dir.path(), |c| c.max_failed_joins_per_minute = 5).await;
    let base = server.http_base();
    let board = create_board(&base, "Hemmeligt møde").await;
    let real = format!("{base}/j/{}", board.join_code);
    assert!(get(&real).await.body.contains("Hemmeligt møde"), "right codes work and do not count");
    for guess in ["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE"] {
        assert!(!get(&format!("{base}/j/{guess}")).await.body.contains("Hemmeligt møde"));
    }
    let page = get(&real).await.body;
    assert!(!page.contains("Hemmeligt møde"), "after five wrong codes this address is refused for a minute");
    server.stop().await;
}
