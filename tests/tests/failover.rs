//! Failover (issue 17): three instances on one PostgreSQL database behind nginx; phones post
//! without pause; one instance is killed with SIGKILL in the middle of it, again and again
//! (`IDETAVLE_FAILOVER_CYCLES`, 20 by default; more for a longer run). Its phones reconnect
//! through nginx to another instance, resume, and send what was unanswered again. In the end
//! every acknowledged note is stored exactly once, in one gapless numbering; and after each
//! kill every phone has an op acknowledged again within 5 s (the figure is printed).

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
    for log in &logs {
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
    failovers.sort();
    let (median, worst) = (failovers[failovers.len() / 2], failovers[failovers.len() - 1]);
    println!(
        "failover: {cycles} kills of 3 instances, {PHONES} phones, {} notes stored once ({acked} acknowledged, the rest confirmed by their event), {reconnects} reconnects; \
         every phone posting again after median {median:?}, worst {worst:?}",
        stored.len()
    );
    assert!(worst < Duration::from_secs(5), "the board takes ops again within 5 s (worst {worst:?})");
}
