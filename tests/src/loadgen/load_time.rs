//! How long a board with a long history takes to load (issue 22): what the first page, export
//! or phone after the board was let go waits for. Measured on a real SQLite file, through
//! `Hubs::get` (read the record, the snapshot and the events after it, replay, build the hub),
//! without a snapshot (the whole log replayed) and with one as the hub stores them (every 1,000
//! events, so at worst 999 events after it).

use idetavle_core::board::{Actor, Board, BoardId, LaneId, NoteId, Op, OpContext, OpId};
use idetavle_core::protocol::Event;
use server::hub::{HubConfig, Hubs};
use server::store::{BoardRecord, Snapshot, SqliteStore, Store};
use std::sync::Arc;
use std::time::{Duration, Instant};

const NOTES: usize = 2_000;
const LANES: [&str; 3] = ["need", "ideas", "trials"];
/// Loads measured per case; the median is reported.
const LOADS: usize = 5;

/// Writes a board of `events` events, then times loading it both ways and prints the figures.
pub async fn run(events: usize) -> anyhow::Result<()> {
    anyhow::ensure!(events > NOTES + 1_000, "--load-events must exceed {}", NOTES + 1_000);
    let dir = tempfile::Builder::new().prefix("idetavle-load-time-").tempdir()?;
    let store = Arc::new(SqliteStore::open(dir.path())?);
    let record = BoardRecord {
        id: BoardId::from("long"),
        title: "Et langt forløb".into(),
        join_code: "LNGHST".into(),
        token_hash: [0; 32],
        created_at: 0,
        expires_at: None,
    };
    store.create_board(&record).await?;
    let written = Instant::now();
    let (board, late_snapshot) = write_history(store.as_ref(), &record, events).await?;
    println!(
        "[load] a board of {events} events ({} notes) written in {:.1} s",
        board.notes.len(),
        written.elapsed().as_secs_f64()
    );

    let whole_log = median_load(&store, &record.id).await?;
    store.save_snapshot(&record.id, &late_snapshot).await?;
    let from_snapshot = median_load(&store, &record.id).await?;
    println!(
        "[load] median of {LOADS} loads: whole log {:.1} ms · from a snapshot {} events back {:.1} ms ({:.0}× faster)",
        ms(whole_log),
        board.seq - late_snapshot.seq,
        ms(from_snapshot),
        whole_log.as_secs_f64() / from_snapshot.as_secs_f64()
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

/// The median time to load the board into a new hub (each load a fresh `Hubs`).
async fn median_load(store: &Arc<SqliteStore>, id: &BoardId) -> anyhow::Result<Duration> {
    // Never idle within the run (a stopping hub would store a snapshot), never snapshotting.
    let config = HubConfig { idle_after: Duration::from_secs(3_600), snapshot_every: u64::MAX };
    let mut times = Vec::new();
    for _ in 0..LOADS {
        let hubs = Hubs::configured(Arc::clone(store) as Arc<dyn Store>, config);
        let began = Instant::now();
        let hub = hubs.get(id).await?.ok_or_else(|| anyhow::anyhow!("the board is gone"))?;
        times.push(began.elapsed());
        anyhow::ensure!(hub.snapshot().await.is_some_and(|b| b.seq > 0), "the hub holds the board");
    }
    times.sort();
    Ok(times[LOADS / 2])
}

/// 2,000 notes by 100 phones, then edits, moves and hiding until `events`; returns the board
/// and a snapshot 999 events before the end.
async fn write_history(store: &dyn Store, record: &BoardRecord, events: usize) -> anyhow::Result<(Board, Snapshot)> {
    let mut board = record.empty_board();
    let mut batch = Vec::with_capacity(1_000);
    let mut snapshot = None;
    for seq in 1..=events as u64 {
        let i = seq as usize;
        let note = NoteId(format!("n{}", i % NOTES));
        let lane = LaneId::from(LANES[i % 3]);
        let (actor, op) = match i {
            _ if i <= NOTES => {
                let text = format!("Idé nummer {i}: flere cykelstier og bedre belysning ved skolen");
                (
                    Actor::participant(&format!("p{}", i % 100)),
                    Op::AddNote { note_id: note, lane, text, author_name: None },
                )
            }
            _ if i % 10 < 6 => {
                let text = format!("Rettet {i}: flere cykelstier og bedre belysning ved skolen");
                (Actor::participant(&format!("p{}", i % 100)), Op::EditNote { note_id: note, text })
            }
            _ if i % 10 < 9 => (Actor::Facilitator, Op::MoveNote { note_id: note, lane, group: None, rank: None }),
            _ => (Actor::Facilitator, Op::SetHidden { lane: Some(lane), hidden: i % 20 < 10 }),
        };
        let cx = OpContext { actor, at: i as i64, seq };
        let change = board.apply(&cx, &op)?;
        let op_id = OpId(format!("op{seq}"));
        batch.push(Event { seq, op_id, actor: Some(cx.actor), at: cx.at, change, revealed: Vec::new() });
        if batch.len() == batch.capacity() {
            store.append_events(&record.id, &batch).await?;
            batch.clear();
        }
        if i + 999 == events {
            snapshot = Some(Snapshot::of(&board)?);
        }
    }
    store.append_events(&record.id, &batch).await?;
    Ok((board, snapshot.ok_or_else(|| anyhow::anyhow!("no snapshot was taken"))?))
}
