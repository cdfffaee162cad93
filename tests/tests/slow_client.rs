//! Slow client (issue 5, item 4): a connection that stops reading neither slows the others nor
//! makes the server's memory grow without bound. Once its queue (1,024 frames) is full the hub
//! lets go of it (and it is told to reconnect and resync, close code 4000); a frame that cannot
//! be written for 10 s ends the connection too.

use futures_util::{SinkExt, StreamExt};
use idetavle_core::protocol::{ClientMsg, Credential, PROTOCOL_VERSION};
use std::time::{Duration, Instant};
use tests::support::client::WsClient;
use tests::support::http::create_board;
use tests::support::server::{free_addr, ServerProcess};
use tests::support::{new_secret, temp_data_dir};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

const BIN: &str = env!("CARGO_BIN_EXE_idetavle-under-test");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_let_go_without_slowing_anyone() {
    let dir = temp_data_dir();
    let addr = free_addr();
    let path = dir.path().to_owned();
    let env = [("IDETAVLE_MAX_WRITES_PER_MINUTE", "1000000")];
    let server = tokio::task::spawn_blocking(move || ServerProcess::start_with_env(BIN, &path, addr, &env))
        .await
        .expect("server starts");
    let board = create_board(&server.http_base(), "Travl workshop").await;

    // The slow one: says hello, then never reads again. A small receive buffer stands for a
    // phone that has stalled (on loopback the kernel would otherwise buffer megabytes).
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(addr).await.unwrap();
    let url = format!("{}/ws/{}", server.ws_base(), board.id);
    let (slow, _) = tokio_tungstenite::client_async(url, stream).await.unwrap();
    let (mut slow_tx, slow_rx) = slow.split();
    let hello = ClientMsg::Hello {
        protocol: PROTOCOL_VERSION,
        credential: Credential::Participant { secret: new_secret() },
        last_seq: None,
        name: None,
    };
    slow_tx.send(Message::text(serde_json::to_string(&hello).unwrap())).await.unwrap();
    let rss_before = server.rss_kib();

    // A busy board: a writer sends 6,000 long notes as fast as it can, while a neighbour posts
    // one note every 50 ms and times its acknowledgement.
    let mut writer = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut neighbour = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let text = "Lang note – æøå ".repeat(17);
    let mut latencies = Vec::new();
    for i in 0..6_000 {
        writer.post(&format!("w{i}"), &format!("n{i}"), "ideas", &text).await;
        if i % 100 == 0 {
            let sent = Instant::now();
            neighbour.post(&format!("b{i}"), &format!("b{i}"), "need", "Naboens note").await;
            neighbour.acked(&format!("b{i}")).await;
            latencies.push(sent.elapsed());
        }
    }
    writer.acked("w5999").await;
    let rss_after = server.rss_kib();
    latencies.sort();
    let p99 = latencies[latencies.len() * 99 / 100];
    println!(
        "slow client: neighbour's ack p50 {:?}, max {p99:?} over {} probes during the flood; server RSS {rss_before:?} → {rss_after:?} KiB",
        latencies[latencies.len() / 2],
        latencies.len()
    );
    assert!(p99 < Duration::from_secs(1), "the neighbour was held up: {p99:?}");
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        assert!(after < before + 100 * 1024, "server memory grew by {} KiB", after - before);
    }

    // The slow one reads at last: what was buffered, then the request to reconnect.
    let mut frames = 0;
    let mut slow_rx = slow_rx;
    // (tungstenite may report the closed socket while answering the server's old pings before
    // it hands over the close frame; either way the server has let go.)
    let close = loop {
        match tokio::time::timeout(Duration::from_secs(10), slow_rx.next()).await.expect("the slow client is closed") {
            Some(Ok(Message::Close(frame))) => break frame.map(|f| f.code),
            Some(Ok(_)) => frames += 1,
            Some(Err(_)) | None => break None,
        }
    };
    assert!(close.is_none() || close == Some(CloseCode::Library(4000)), "closed with {close:?}");
    assert!(frames < 6_000 + 60, "it was let go before receiving everything ({frames} frames)");
    println!("slow client: it received {frames} frames, then was closed ({close:?})");
}
