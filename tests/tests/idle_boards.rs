//! A server that runs for months: a board nobody uses leaves memory, and comes back from the
//! store (its latest snapshot and the events after it) with nothing lost.

use idetavle_core::board::{LaneId, Op, OpId};
use idetavle_core::protocol::{ClientMsg, Credential};
use std::time::Duration;
use tests::support::client::WsClient;
use tests::support::http::{create_board, export, get};
use tests::support::server::{free_addr, ServerProcess};
use tests::support::{new_secret, temp_data_dir};

const BIN: &str = env!("CARGO_BIN_EXE_idetavle-under-test");
/// How long a board may go unused here (the default is five minutes).
const IDLE_SECS: &str = "0.4";
const IDLE: Duration = Duration::from_millis(400);

/// A gauge from `/metrics`.
async fn metric(base: &str, name: &str) -> u64 {
    let body = get(&format!("{base}/metrics")).await.body;
    let line = body
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{name} in {body}"));
    line.trim().parse().unwrap_or_else(|_| panic!("{name} is a number: {line}"))
}

/// Waits (up to ten idle periods) until `/metrics` says `want` boards are loaded.
async fn until_loaded(base: &str, want: u64) {
    for _ in 0..40 {
        if metric(base, "idetavle_boards_loaded").await == want {
            return;
        }
        tokio::time::sleep(IDLE / 4).await;
    }
    panic!("boards loaded: {}, want {want}", metric(base, "idetavle_boards_loaded").await);
}

fn note(n: &str) -> Op {
    Op::AddNote { note_id: n.into(), lane: LaneId::from("ideas"), text: format!("Idé {n}"), author_name: None }
}

#[tokio::test]
async fn unused_boards_leave_memory_and_a_returning_phone_resumes_with_nothing_lost() {
    let dir = temp_data_dir();
    let addr = free_addr();
    let env = [("IDETAVLE_IDLE_BOARD_SECS", IDLE_SECS), ("IDETAVLE_SNAPSHOT_EVERY", "5")];
    let server = ServerProcess::start_with_env(BIN, dir.path(), addr, &env);
    let base = server.http_base();

    // Twelve boards, each page opened once; phones stay on three of them.
    let mut boards = Vec::new();
    for i in 0..12 {
        let board = create_board(&base, &format!("Workshop {i}")).await;
        assert_eq!(get(&board.participant_url).await.status, 200);
        boards.push(board);
    }
    let mut staying = Vec::new();
    for board in &boards[..3] {
        staying.push(WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await);
    }
    tokio::time::sleep(IDLE * 3).await;
    until_loaded(&base, 3).await; // the nine pages nobody stayed on are let go; the rest stay
    assert_eq!(metric(&base, "idetavle_connections").await, 3);
    for phone in staying {
        phone.close().await;
    }
    until_loaded(&base, 0).await;

    // Anna posts three notes and leaves; Bo posts seven (a snapshot is stored every five).
    let board = &boards[0];
    let anna_secret = new_secret();
    let mut anna = WsClient::participant(&server.ws_base(), &board.id, &anna_secret).await;
    for i in 0..3 {
        anna.submit(&format!("anna{i}"), note(&format!("a{i}"))).await;
        anna.acked(&format!("anna{i}")).await;
    }
    let anna_state = anna.sync.clone();
    anna.close().await;
    let mut bo = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    for i in 0..7 {
        bo.submit(&format!("bo{i}"), note(&format!("b{i}"))).await;
        bo.acked(&format!("bo{i}")).await;
    }
    bo.close().await;
    until_loaded(&base, 0).await;

    // Anna comes back from seq 3 to a board that had left memory: everything is there.
    assert_eq!(anna_state.last_seq(), Some(3));
    let credential = Credential::Participant { secret: anna_secret };
    let mut anna = WsClient::join(&server.ws_base(), &board.id, credential, anna_state).await;
    let seen = anna.sync.board.as_ref().expect("a board");
    assert_eq!((seen.seq, seen.notes.len()), (10, 10), "Anna's board after resuming");
    // Her phone retries a note it sent before the board left memory: acknowledged, not applied again.
    anna.send(&ClientMsg::Op { op_id: OpId::from("anna1"), op: note("a1") }).await;
    assert_eq!(anna.acked("anna1").await, 2);
    anna.submit("anna3", note("a3")).await;
    assert_eq!(anna.acked("anna3").await, 11);
    anna.close().await;
    let stored = export(&base, board).await;
    assert_eq!(stored["board"]["notes"].as_array().map(Vec::len), Some(11), "no note twice, none lost");
}
