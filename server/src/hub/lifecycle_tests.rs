//! A hub that stops for lack of use races phones that come back at that very moment: on a
//! multi-threaded runtime, with hubs that stop after 1 ms unused and phones 0–12 ms apart, no op is lost or applied
//! twice, and no two hubs of a board ever run at once (they would both number events, and the
//! second append would fail as `SeqTaken`, answering `unavailable`).

use super::{Command, HubConfig, Hubs, ToClient};
use crate::store::{BoardRecord, MemoryStore, Store};
use idetavle_core::board::{Actor, BoardId, LaneId, Op, OpId};
use idetavle_core::protocol::ServerMsg;
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

const PHONES: usize = 4;
const VISITS: usize = 40;

/// One phone's visit: join, post a note, wait for its ack, leave.
async fn visit(hubs: &Hubs, board: &BoardId, phone: usize, visit: usize) {
    let hub = hubs.get(board).await.expect("load").expect("board");
    let conn = hubs.next_conn_id();
    let (frames, mut rx) = mpsc::channel(1024);
    let actor = Actor::participant(&format!("p{phone}"));
    let join = Command::Join { conn, actor: actor.clone(), name: None, last_seq: None, frames };
    assert!(hub.send(join).await, "a hub someone holds does not stop");
    let op_id = OpId(format!("o{phone}x{visit}"));
    let op = Op::AddNote {
        note_id: format!("n{phone}x{visit}").as_str().into(),
        lane: LaneId::from("ideas"),
        text: "Idé".into(),
        author_name: None,
    };
    assert!(hub.send(Command::Op { conn, actor, op_id: op_id.clone(), op }).await);
    loop {
        let Some(ToClient::Frame(frame)) = rx.recv().await else { panic!("let go before the ack") };
        match serde_json::from_str::<ServerMsg>(frame.as_str()).expect("frame") {
            ServerMsg::Ack { op_id: acked, .. } if acked == op_id => break,
            ServerMsg::Error { message, .. } => panic!("{op_id} refused: {message}"),
            _ => {}
        }
    }
    hub.send(Command::Leave { conn }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_coming_back_while_the_hub_stops_lose_nothing_and_never_meet_two_hubs() {
    let store = Arc::new(MemoryStore::new());
    let board = BoardId::from("race");
    let record = BoardRecord {
        id: board.clone(),
        title: "Kapløb".into(),
        join_code: "RACEXY".into(),
        token_hash: [0; 32],
        created_at: 0,
        expires_at: None,
    };
    store.create_board(&record).await.expect("create");
    let config = HubConfig { idle_after: Duration::from_millis(1), snapshot_every: 3 };
    let hubs = Arc::new(Hubs::configured(Arc::clone(&store) as Arc<dyn Store>, config));
    let phones: Vec<_> = (0..PHONES)
        .map(|phone| {
            let (hubs, board) = (Arc::clone(&hubs), board.clone());
            tokio::spawn(async move {
                for v in 0..VISITS {
                    visit(&hubs, &board, phone, v).await;
                    tokio::time::sleep(Duration::from_micros(((phone * 7 + v * 13) % 5) as u64 * 3_000)).await;
                }
            })
        })
        .collect();
    for phone in phones {
        phone.await.expect("a phone's visits");
    }
    let events = store.events_after(&board, 0).await.expect("log");
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=(PHONES * VISITS) as u64).collect::<Vec<_>>(), "every note once, in one numbering");
    let ids: HashSet<&str> = events.iter().map(|e| e.op_id.as_str()).collect();
    assert_eq!(ids.len(), PHONES * VISITS);
    let loads = store.loads.load(Ordering::SeqCst);
    println!("{} visits, the board loaded {loads} times", PHONES * VISITS);
    assert!(loads > 3, "the hub stopped and was loaded again between visits ({loads} loads)");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(hubs.running().await, 0, "unused, it is let go");
}
