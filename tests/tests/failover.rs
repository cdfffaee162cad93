//! Failover (issue 17): three instances on one PostgreSQL database behind nginx; phones post
//! without pause; one instance is killed with SIGKILL in the middle of it, again and again
//! (`IDETAVLE_FAILOVER_CYCLES`, 20 by default; more for a longer run). Its phones reconnect
//! through nginx to another instance, resume, and send what was unanswered again. In the end
//! every acknowledged note is stored exactly once, in one gapless numbering; and after each
//! kill every phone has an op acknowledged again within 5 s (the figure is printed). And
//! PostgreSQL itself crashing and restarting under the storm (docs/SCALING.md, "Failures"):
//! nothing acknowledged is lost, the phones post again, and the instances hear each other again.

mod common;

use common::*;
use idetavle_core::board::{BoardId, LaneId, Op};
use idetavle_core::protocol::{Credential, ServerMsg};
use server::store::{PostgresStore, Store};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tests::support::client::WsClient;
use tests::support::http::create_board;
use tests::support::instances::Instances;
use tests::support::new_secret;
use tokio::sync::watch;

const PHONES: usize = 6;

/// What a phone posted and had acknowledged, and when its latest ack came.
#[derive(Default)]
struct PhoneLog {
    sent: HashSet<String>,
    acked: HashSet<String>,
    refused: usize,
    last_ack: Option<Instant>,
    reconnects: usize,
}

/// A phone that posts one note after another, and reconnects (through nginx) whenever its
/// connection goes, resuming from what it has and resending its outbox.
async fn phone(ws: String, board: BoardId, n: usize, stop: watch::Receiver<bool>, log: Arc<Mutex<PhoneLog>>) {
    let credential = Credential::Participant { secret: new_secret() };
    let mut sync = app::sync::SyncState::default();
    let mut next = 0;
    loop {
        let Some(mut c) = WsClient::try_join(&ws, &board, credential.clone(), sync.clone()).await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        loop {
            if c.sync.outbox.is_empty() {
                if *stop.borrow() {
                    return;
                }
                let id = format!("f{n}x{next}");
                next += 1;
                let op = Op::AddNote {
                    note_id: id.as_str().into(),
                    lane: LaneId::from("ideas"),
                    text: "Idé".into(),
                    author_name: None,
                };
                log.lock().expect("log").sent.insert(id.clone());
                if !c.try_submit(&id, op).await {
                    break;
                }
            }
            let Some(msg) = c.recv().await else { break };
            match &msg {
                ServerMsg::Ack { op_id, .. } => {
                    let mut log = log.lock().expect("log");
                    log.acked.insert(op_id.to_string());
                    log.last_ack = Some(Instant::now());
                }
                ServerMsg::Error { code, .. } if *code != idetavle_core::protocol::ErrorCode::Unavailable => {
                    log.lock().expect("log").refused += 1;
                }
                _ => {}
            }
            c.sync.receive(msg);
        }
        sync = c.sync.clone();
        log.lock().expect("log").reconnects += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_an_instance_in_a_posting_storm_loses_and_doubles_no_acknowledged_note() {
    let cycles: usize = std::env::var("IDETAVLE_FAILOVER_CYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let mut room = tokio::task::block_in_place(|| Instances::start(BIN, 3));
    let board = create_board(&room.http_base(), "Failover").await;
    let (stop, stopping) = watch::channel(false);
    let logs: Vec<Arc<Mutex<PhoneLog>>> = (0..PHONES).map(|_| Arc::default()).collect();
    let phones: Vec<_> = (0..PHONES)
        .map(|n| tokio::spawn(phone(room.ws_base(), board.id.clone(), n, stopping.clone(), Arc::clone(&logs[n]))))
        .collect();

    let mut failovers = Vec::new();
    for cycle in 0..cycles {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let victim = cycle % room.len();
        let killed = Instant::now();
        tokio::task::block_in_place(|| room.kill(victim));
        // Every phone has an op acknowledged after the kill: the board takes ops again for all.
        let mut back = vec![None; PHONES];
        while back.iter().any(Option::is_none) {
            assert!(killed.elapsed() < Duration::from_secs(15), "cycle {cycle}: phones not back after 15 s: {back:?}");
            for (n, log) in logs.iter().enumerate() {
                if back[n].is_none() && log.lock().expect("log").last_ack.is_some_and(|at| at > killed) {
                    back[n] = Some(killed.elapsed());
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        failovers.push(back.into_iter().flatten().max().unwrap_or_default());
        tokio::task::block_in_place(|| room.restart(victim));
    }
    stop.send(true).expect("phones listen");
    for phone in phones {
        tokio::time::timeout(Duration::from_secs(30), phone).await.expect("phones finish").expect("phone");
    }

    let (stored, acked, reconnects) = every_note_stored_once(&room, &board, &logs).await;
    failovers.sort();
    let (median, worst) = (failovers[failovers.len() / 2], failovers[failovers.len() - 1]);
    println!(
        "failover: {cycles} kills of 3 instances, {PHONES} phones, {} notes stored once ({acked} acknowledged, the rest confirmed by their event), {reconnects} reconnects; \
         every phone posting again after median {median:?}, worst {worst:?}",
        stored
    );
    assert!(worst < Duration::from_secs(5), "the board takes ops again within 5 s (worst {worst:?})");
}

/// Once every phone has stopped: the board's log is one gapless numbering, no op is in it twice,
/// every acknowledged op is in it, and every op a phone wrote is (its outbox emptied). Returns
/// how many notes are stored, how many were acknowledged and how often phones reconnected.
async fn every_note_stored_once(
    room: &Instances,
    board: &app::api::CreatedBoard,
    logs: &[Arc<Mutex<PhoneLog>>],
) -> (usize, usize, usize) {
    let store = PostgresStore::connect(&room.pg.url).await.expect("connect");
    let events = store.events_after(&board.id, 0).await.expect("log");
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>(), "one gapless numbering");
    let stored: Vec<&str> = events.iter().map(|e| e.op_id.as_str()).collect();
    let unique: HashSet<&str> = stored.iter().copied().collect();
    assert_eq!(unique.len(), stored.len(), "no op stored twice");
    // Every phone's outbox emptied: each op it wrote was confirmed (by its ack, or by its own
    // event arriving first, which also clears it), and every one is stored.
    let (mut sent, mut acked, mut refused, mut reconnects) = (HashSet::new(), 0, 0, 0);
    for log in logs {
        let log = log.lock().expect("log");
        reconnects += log.reconnects;
        refused += log.refused;
        for op_id in &log.acked {
            assert!(unique.contains(op_id.as_str()), "acknowledged {op_id} is stored");
        }
        acked += log.acked.len();
        sent.extend(log.sent.iter().cloned());
    }
    assert_eq!(refused, 0, "no note refused");
    let stored_set: HashSet<String> = unique.iter().map(|s| s.to_string()).collect();
    assert_eq!(sent, stored_set, "every note a phone wrote is stored, and nothing else");
    (stored.len(), acked, reconnects)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_restarting_under_a_posting_storm_loses_nothing_and_the_instances_hear_each_other_again() {
    let room = tokio::task::block_in_place(|| Instances::start(BIN, 2));
    let board = create_board(&room.http_base(), "Databasen genstarter").await;
    let (stop, stopping) = watch::channel(false);
    let logs: Vec<Arc<Mutex<PhoneLog>>> = (0..4).map(|_| Arc::default()).collect();
    let phones: Vec<_> = (0..4)
        .map(|n| tokio::spawn(phone(room.ws_base(), board.id.clone(), n, stopping.clone(), Arc::clone(&logs[n]))))
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    // A crash of the database (`pg_ctl -m immediate`): every commit in flight fails, the
    // listening connections drop.
    let restarted = Instant::now();
    tokio::task::block_in_place(|| room.pg.restart());
    let mut back = vec![false; logs.len()];
    while back.iter().any(|b| !b) {
        assert!(restarted.elapsed() < Duration::from_secs(30), "phones not posting again 30 s after the restart");
        for (n, log) in logs.iter().enumerate() {
            back[n] |= log.lock().expect("log").last_ack.is_some_and(|at| at > restarted);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    println!("failover: PostgreSQL restarted; every phone posting again after {:?}", restarted.elapsed());
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.send(true).expect("phones listen");
    for phone in phones {
        tokio::time::timeout(Duration::from_secs(30), phone).await.expect("phones finish").expect("phone");
    }
    every_note_stored_once(&room, &board, &logs).await;

    // Each instance listens again: a note through one reaches a facilitator on the other, live.
    let mut host = WsClient::facilitator(&room.instance_ws(1), &board.id, &board.facilitator_token).await;
    let mut writer = WsClient::participant(&room.instance_ws(0), &board.id, &new_secret()).await;
    writer.post("after", "after", "ideas", "Efter genstarten").await;
    let seq = writer.acked("after").await;
    host.caught_up_to(seq).await;
}
