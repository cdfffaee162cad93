//! What every store promises, checked on each: the in-memory twin, SQLite and PostgreSQL (a
//! cluster of its own from Debian's packages). One board's record, log, snapshot, op ids,
//! deletion and expiry, and the catalogue's versions; and, for stores several instances
//! share, the locked commit, notices and presence.

use idetavle_core::board::{Actor, BoardId, LaneId, Op, OpContext, OpId};
use idetavle_core::catalogue::{Entry, EntryFields, EntryId, Status};
use idetavle_core::protocol::Event;
use server::store::{BoardRecord, MemoryStore, PostgresStore, PresenceShare, Snapshot, SqliteStore, Store, StoreError};
use std::sync::Arc;
use tests::support::postgres::Postgres;
use tests::support::temp_data_dir;

fn record(id: &str, code: &str) -> BoardRecord {
    BoardRecord {
        id: id.into(),
        title: "T".into(),
        join_code: code.into(),
        token_hash: [7; 32],
        created_at: 1,
        expires_at: None,
    }
}

/// Event `seq` of board b1: a participant adds note `n{seq}` (op id `op{seq}`).
fn event(seq: u64) -> Event {
    let mut board = record("b1", "ABCDEF").empty_board();
    board.seq = seq - 1;
    let cx = OpContext { actor: Actor::participant("p"), at: 2, seq };
    let note_id = format!("n{seq}").as_str().into();
    let op = Op::AddNote { note_id, lane: LaneId::from("need"), text: "Æbler, \"pærer\"".into(), author_name: None };
    let change = board.apply(&cx, &op).expect("add");
    Event { seq, op_id: format!("op{seq}").as_str().into(), actor: Some(cx.actor), at: 2, change, revealed: vec![] }
}

async fn keeps_its_promises(name: &str, s: Arc<dyn Store>) {
    let id = BoardId::from("b1");
    s.create_board(&record("b1", "ABCDEF")).await.expect("create");
    assert!(matches!(s.create_board(&record("b2", "ABCDEF")).await, Err(StoreError::JoinCodeTaken)), "{name}");
    assert!(matches!(s.create_board(&record("b1", "GHJKMN")).await, Err(StoreError::BoardExists)), "{name}");
    assert_eq!(s.board_id_by_code("ABCDEF").await.unwrap(), Some(id.clone()), "{name}");

    // The log: appended atomically, a taken sequence number refused with nothing stored.
    s.append_events(&id, &[event(1), event(2)]).await.expect("append");
    let err = s.append_events(&id, &[event(3), event(2)]).await.unwrap_err();
    assert!(matches!(err, StoreError::SeqTaken { seq: 2, .. }), "{name}: {err}");
    assert_eq!(s.events_after(&id, 0).await.unwrap(), vec![event(1), event(2)], "{name}: 3 was not stored");
    // A hub's commit: nothing to catch up with when it is at the head.
    let mut handed = None;
    s.commit_locked(&id, 2, &mut |missed| {
        handed = Some(missed);
        vec![event(3)]
    })
    .await
    .expect("commit 3");
    assert_eq!(handed, Some(vec![]), "{name}: at the head, nothing missed");

    // A snapshot shortens the load; an older one never replaces a newer.
    let board = s.load_board(&id).await.unwrap().expect("stored").replay().unwrap();
    assert_eq!(board.notes.len(), 3, "{name}");
    s.save_snapshot(&id, &Snapshot::of(&board).unwrap()).await.unwrap();
    let mut older = board.clone();
    older.seq = 1;
    s.save_snapshot(&id, &Snapshot::of(&older).unwrap()).await.unwrap();
    let stored = s.load_board(&id).await.unwrap().unwrap();
    assert_eq!((stored.snapshot.as_ref().map(|s| s.seq), stored.events.len()), (Some(3), 0), "{name}");
    assert_eq!(stored.replay().unwrap().notes.len(), 3, "{name}");

    // Op ids in the log are found with their sequence number and sender.
    let found = s.find_ops(&id, &[OpId::from("op2"), OpId::from("nope")]).await.unwrap();
    assert_eq!(found.len(), 1, "{name}");
    assert_eq!((found[0].op_id.as_str(), found[0].seq), ("op2", 2), "{name}");

    // Expiry and deletion.
    assert!(s.set_board_expiry(&id, Some(10)).await.unwrap(), "{name}");
    assert_eq!(s.expired_boards(10).await.unwrap(), vec![id.clone()], "{name}");
    assert!(s.expired_boards(9).await.unwrap().is_empty(), "{name}");
    assert!(s.delete_board(&id).await.unwrap(), "{name}");
    assert!(!s.delete_board(&id).await.unwrap(), "{name}: gone already");
    assert!(s.load_board(&id).await.unwrap().is_none(), "{name}");
    let gone = s.commit_locked(&id, 3, &mut |_| vec![event(4)]).await;
    assert!(matches!(gone, Err(StoreError::NoBoard(_))), "{name}: no commit to a deleted board");
    assert_eq!(s.board_id_by_code("ABCDEF").await.unwrap(), None, "{name}: the code is free again");

    // The catalogue: a stale version is refused.
    let mut entry =
        Entry::new(EntryId("e1".into()), EntryFields { title: "Bogbus".into(), ..Default::default() }, None, 1);
    s.save_entry(&entry, None).await.expect("new entry");
    assert!(matches!(s.save_entry(&entry, None).await, Err(StoreError::EntryExists(_))), "{name}");
    entry.fields.success_criterion = "x".into();
    entry.change_status(Status::Trial, "", 2).expect("to trial");
    s.save_entry(&entry, Some(1)).await.expect("replace version 1");
    assert!(matches!(s.save_entry(&entry, Some(1)).await, Err(StoreError::VersionConflict(_))), "{name}");
    assert_eq!(s.entry(&entry.id).await.unwrap(), Some(entry.clone()), "{name}");
    assert_eq!(s.entries().await.unwrap().len(), 1, "{name}");
    s.set_setting("k", "v1").await.unwrap();
    s.set_setting("k", "v2").await.unwrap();
    assert_eq!(s.setting("k").await.unwrap().as_deref(), Some("v2"), "{name}");
    assert!(s.delete_entry(&entry.id).await.unwrap(), "{name}");
}

#[tokio::test]
async fn the_memory_store_keeps_its_promises() {
    keeps_its_promises("memory", Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn the_sqlite_store_keeps_its_promises() {
    let dir = temp_data_dir();
    keeps_its_promises("SQLite", Arc::new(SqliteStore::open(dir.path()).expect("open"))).await;
}

#[tokio::test]
async fn the_postgresql_store_keeps_its_promises() {
    let pg = Postgres::start();
    let store = PostgresStore::connect(&pg.url).await.expect("connect and migrate");
    keeps_its_promises("PostgreSQL", Arc::new(store)).await;
}

/// Two instances on one store: a commit catches up with the other's, concurrent commits
/// make one gapless log, notices and presence reach the other, a deletion too.
async fn shares_boards(name: &str, a: Arc<dyn Store>, b: Arc<dyn Store>) {
    let id = BoardId::from("b1");
    let mut heard = a.notices().expect("a shared store sends notices");
    a.create_board(&record("b1", "ABCDEF")).await.expect("create");
    a.commit_locked(&id, 0, &mut |_| vec![event(1), event(2)]).await.expect("commit through a");
    let mut handed = None;
    b.commit_locked(&id, 0, &mut |missed| {
        handed = Some(missed.iter().map(|e| e.seq).collect::<Vec<_>>());
        vec![event(3)]
    })
    .await
    .expect("commit through b");
    assert_eq!(handed, Some(vec![1, 2]), "{name}: b was handed what a committed first");

    // Racing: each commit numbers its event after what it was handed.
    let racer = |s: Arc<dyn Store>, known: u64| async move {
        let mut at = known;
        for _ in 0..25 {
            s.commit_locked(&BoardId::from("b1"), at, &mut |missed| {
                at += missed.len() as u64 + 1;
                vec![event(at)]
            })
            .await
            .expect("commit");
        }
    };
    let (ra, rb) = tokio::join!(tokio::spawn(racer(Arc::clone(&a), 2)), tokio::spawn(racer(Arc::clone(&b), 3)));
    ra.expect("a raced");
    rb.expect("b raced");
    let seqs: Vec<u64> = a.events_after(&id, 0).await.unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=53).collect::<Vec<_>>(), "{name}: one gapless log");

    let heard_seqs = async {
        let mut last = 0;
        while last < 53 {
            if let server::store::Notice::Appended { seq, .. } = heard.recv().await.expect("notices") {
                last = last.max(seq);
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), heard_seqs).await.expect("a hears every commit");

    let share = PresenceShare { facilitators: 1, people: vec![] };
    b.share_presence(&id, "b", &share, true).await.unwrap();
    assert_eq!(a.shared_presence(&id, "a").await.unwrap(), vec![share], "{name}");
    assert!(b.shared_presence(&id, "b").await.unwrap().is_empty(), "{name}: its own share is not another's");
    a.forget_stale_presence().await.unwrap();
    assert_eq!(a.shared_presence(&id, "a").await.unwrap().len(), 1, "{name}: a fresh share is not stale");

    assert!(b.delete_board(&id).await.unwrap());
    let deleted = async {
        loop {
            if let server::store::Notice::Deleted { board } = heard.recv().await.expect("notices") {
                return board;
            }
        }
    };
    let deleted = tokio::time::timeout(std::time::Duration::from_secs(5), deleted).await.expect("deletion heard");
    assert_eq!(deleted, id, "{name}");
    assert!(a.shared_presence(&id, "a").await.unwrap().is_empty(), "{name}: presence goes with the board");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_share_boards_through_the_memory_store() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::shared());
    shares_boards("memory", Arc::clone(&store), store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_share_boards_through_postgresql() {
    let pg = Postgres::start();
    // Two instances starting together: the schema is migrated once, both come up.
    let (a, b) = tokio::join!(PostgresStore::connect(&pg.url), PostgresStore::connect(&pg.url));
    let a: Arc<dyn Store> = Arc::new(a.expect("a"));
    shares_boards("PostgreSQL", Arc::clone(&a), Arc::new(b.expect("b"))).await;

    // A share an instance left when it died, two hours ago, is cleared by the purge.
    let (client, connection) = tokio_postgres::connect(&pg.url, tokio_postgres::NoTls).await.expect("connect");
    tokio::spawn(connection);
    let left = "INSERT INTO presence (board_id, instance, body, seen_at) VALUES ('gone', 'dead', '{}', 0)";
    client.batch_execute(left).await.expect("a stale share");
    a.forget_stale_presence().await.unwrap();
    let rows: i64 = client.query_one("SELECT count(*) FROM presence", &[]).await.expect("count").get(0);
    assert_eq!(rows, 0, "the dead instance's share is gone");
}
