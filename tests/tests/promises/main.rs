//! The protocol's promises (docs/PROTOCOL.md), checked over random runs on the real hub under
//! every failure it must survive: a store that fails on demand (writes, and half the time reads:
//! loading a board, looking up old op ids), an op sent twice on one
//! connection, retried on another, or sent with someone else's op id, dropped connections,
//! resumes from any earlier `last_seq`, hub restarts and server restarts, hubs that stop when
//! unused (everyone gone, or only for a moment) and load again from a snapshot; and all of it
//! again with two server instances sharing the store, each connection going to either. After
//! every run:
//!
//! 1. **Acknowledged means stored**: every `ack` names an event in the store, exactly once, at
//!    the acknowledged sequence number, made by the client that got the ack.
//! 2. **Visible means stored**: every event a client received is the stored event at its seq.
//! 3. **Hidden means hidden**: no frame bound for a participant, live or replayed, carries the
//!    text or author name of someone else's note while that note is in a hidden lane, and no
//!    vote names its voter to anyone else. The presentation screen is held to the same rule.
//! 4. **Only what fits goes in**: a restored note is one the facilitator deleted, a restored
//!    group one that was dissolved; a removed participant was on the board; a timer runs
//!    forwards for at most three hours.
//! 5. **Everyone converges** on their own view of the board, and every op gets its answer.
//! 6. **Anonymous means anonymous**: no frame bound for a participant carries another
//!    participant's id; the facilitator's carry authors only while the board shows them
//!    (presence, the facilitator's list of who is here, aside).
//! 7. **Blind means blind**: while a voting round hides its counts, nobody but the facilitator
//!    and the voter learns which note a vote went to; the presentation screen changes nothing.
//!
//! The generator makes every op of the protocol: `OpKind::of` has no wildcard arm, so a new op
//! does not compile until this test makes it. Texts and names are unique tokens (`⟦t17⟧`), so
//! finding one in a frame is finding that note's text. `PROMISE_SEED=<n>` reruns one seed,
//! `PROMISE_SEEDS=<n>` sets how many run.

mod check;
mod ops;
mod world;

use app::sync::{Received, SyncState};
use idetavle_core::board::audience::Audience;
use idetavle_core::board::{
    Actor, Board, BoardId, Change, Group, GroupId, LaneId, Note, NoteId, Op, OpId, ParticipantId, Spotlight, Timer,
    MAX_TIMER_SECONDS,
};
use idetavle_core::protocol::{ClientMsg, ErrorCode, Event, ServerMsg};
use idetavle_core::workshop::{Competences, GatheredNote, Profile, Role, Showing, Table, Workshop};
use server::hub::{Command, ConnId, Farewell, Frame, Hub, HubConfig, Hubs, ToClient, CONNECTION_QUEUE};
use server::store::{BoardRecord, MemoryStore, Store};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::sync::mpsc;

use check::check;
use ops::*;
use world::*;

async fn run(seed: u64, instances: usize, tally: &mut Tally) -> Result<(), String> {
    let store = Arc::new(if instances > 1 { MemoryStore::shared() } else { MemoryStore::new() });
    let board_id = BoardId(format!("promise{seed}"));
    let record = BoardRecord {
        id: board_id.clone(),
        title: "Promises".into(),
        join_code: "ABCDEF".into(),
        token_hash: [0; 32],
        created_at: 0,
        expires_at: None,
    };
    store.create_board(&record).await.map_err(|e| e.to_string())?;
    // Half the boards are a workshop's plenary, where its ops apply (elsewhere they are refused).
    if seed % 2 == 1 {
        let mut plenary = Board::new(board_id.clone(), record.title.clone(), record.join_code.clone(), 0);
        plenary.workshop = Some(Workshop::default());
        let first = Event {
            seq: 1,
            op_id: "workshop".into(),
            actor: Some(Actor::Facilitator),
            at: 0,
            change: Change::Imported { board: Box::new(plenary) },
            revealed: Vec::new(),
        };
        store.append_events(&board_id, &[first]).await.map_err(|e| e.to_string())?;
    }
    let mut clients = vec![Client::new(Actor::Facilitator)];
    clients.extend((1..=4).map(|i| Client::new(Actor::participant(&participant_id(i)))));
    // The room's screen: it tries the facilitator's ops too, and must be refused every one.
    clients.push(Client::new(Actor::Presenter));
    let mut w = World {
        rng: Rng(seed),
        instances: Instance::start(&store, instances),
        store,
        board_id,
        clients,
        joined: HashSet::new(),
        next_token: 0,
        generated: HashMap::new(),
        offline_ops: 0,
    };
    // Lanes start hidden half the time: that is when leaks show.
    for who in 0..w.clients.len() {
        w.connect(who).await;
    }
    if w.rng.chance(50) {
        w.submit(0, Op::SetHidden { lane: None, hidden: true }, false).await;
    }
    w.settle().await;
    w.pump_all().await;

    for step in 0..150 {
        let who = w.rng.below(w.clients.len());
        match w.rng.below(100) {
            0..=2 => {
                if w.rng.chance(50) {
                    if let Some(op) = random_op(&mut w, who) {
                        w.submit(who, op, false).await;
                    }
                }
                w.clients[who].disconnect().await;
            }
            3..=7 => w.connect(who).await,
            8 | 9 if who > 0 => w.resume_from_earlier(who).await,
            10 | 11 if who > 0 => w.hijack(who).await,
            12..=15 => {
                // The disk is full for the next batch.
                if let Some(op) = random_op(&mut w, who) {
                    let twice = w.rng.chance(50);
                    w.submit(who, op, twice).await;
                }
                // Half the time reads fail too: loading the board, looking up old op ids.
                let reads = step % 2 == 1;
                w.store.fail_appends.store(true, Ordering::SeqCst);
                w.store.fail_reads.store(reads, Ordering::SeqCst);
                w.settle().await;
                w.store.fail_appends.store(false, Ordering::SeqCst);
                w.store.fail_reads.store(false, Ordering::SeqCst);
            }
            16 => w.restart_server().await,
            17 => w.everyone_leaves().await?,
            _ => {
                if let Some(op) = random_op(&mut w, who) {
                    let twice = w.rng.chance(10);
                    w.submit(who, op, twice).await;
                }
            }
        }
        if w.rng.chance(40) {
            w.settle().await;
        }
        // Time passes (the clock is paused: this takes none), so a board's restart back-off ends.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        // Phones come back by themselves after a while (the browser's back-off).
        for who in 0..w.clients.len() {
            if w.clients[who].link.is_none() && w.rng.chance(15) {
                w.connect(who).await;
            }
        }
        w.pump_all().await;
    }

    // The end: the store works, everyone who may comes back and is answered.
    w.store.fail_appends.store(false, Ordering::SeqCst);
    w.store.fail_reads.store(false, Ordering::SeqCst);
    for _ in 0..20 {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await; // past any restart back-off
        for who in 0..w.clients.len() {
            w.connect(who).await;
        }
        w.settle().await;
        w.pump_all().await;
        if w.clients.iter().all(|c| c.removed || (c.link.is_some() && c.sync.outbox.is_empty())) {
            break;
        }
    }
    for (kind, n) in w.generated.drain() {
        *tally.generated.entry(kind).or_default() += n;
    }
    tally.offline_ops += w.offline_ops;
    check(&w, &mut tally.acked).await
}

/// Hubs that stop when unused for a few steps (in the middle of a run, with phones coming
/// back at that moment) and snapshot every few events, so resumes and retries cross snapshots.
pub(crate) fn hub_config() -> HubConfig {
    HubConfig { idle_after: std::time::Duration::from_secs(2), snapshot_every: 7 }
}

/// What all runs together reached.
#[derive(Default)]
struct Tally {
    generated: HashMap<OpKind, usize>,
    acked: HashMap<OpKind, usize>,
    offline_ops: usize,
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn acks_frames_and_views_keep_every_promise_under_random_failures() {
    keeps_every_promise(1, 500).await;
}

/// The same, with two server instances sharing the store (as PostgreSQL is shared,
/// docs/SCALING.md) and every connection going to either: one numbering, every promise.
#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn acks_frames_and_views_keep_every_promise_across_two_instances() {
    keeps_every_promise(2, 300).await;
}

async fn keeps_every_promise(instances: usize, default_seeds: u64) {
    let seeds: Vec<u64> = match std::env::var("PROMISE_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(seed) => vec![seed],
        None => {
            (1..=std::env::var("PROMISE_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(default_seeds)).collect()
        }
    };
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for &seed in &seeds {
        if let Err(why) = run(seed, instances, &mut tally).await {
            failures.push(format!("seed {seed}: {why}"));
        }
    }
    let Tally { generated, acked, offline_ops } = tally;
    println!(
        "promises on {instances} instance(s): {} runs, {} failed, {offline_ops} ops written offline; acked by kind: {acked:?}",
        seeds.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} runs broke a promise:\n{}",
        failures.len(),
        seeds.len(),
        failures.join("\n")
    );
    if seeds.len() > 1 {
        assert_eq!(generated.len(), OpKind::ALL, "every op is generated: {generated:?}");
        // `restore_note` fits only a note exactly as this instance's hub remembers deleting
        // it (as undo does, docs/SCALING.md): about 1 run in 250 on one instance, fewer when
        // the facilitator's next connection may go to the other.
        let rare = usize::from(instances > 1 && !acked.contains_key(&OpKind::RestoreNote));
        assert_eq!(acked.len() + rare, OpKind::ALL, "every op is accepted somewhere: {acked:?}");
        assert!(offline_ops > seeds.len(), "the runs write offline too");
    }
}
