//! What every store promises, checked on each: the in-memory twin, SQLite and PostgreSQL (a
//! cluster of its own from Debian's packages). One board's record, log, snapshot, op ids,
//! deletion and expiry, and the catalogue's versions.

use idetavle_core::board::{Actor, BoardId, LaneId, Op, OpContext, OpId};
use idetavle_core::catalogue::{Entry, EntryFields, EntryId, Status};
use idetavle_core::protocol::Event;
use server::store::{BoardRecord, MemoryStore, PostgresStore, Snapshot, SqliteStore, Store, StoreError};
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
    s.append_events(&id, &[event(3)]).await.expect("append 3");

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

#[tokio::test]
async fn one_server_per_postgresql_database_and_the_schema_is_kept() {
    let pg = Postgres::start();
    let first = PostgresStore::connect(&pg.url).await.expect("the first server");
    first.create_board(&record("b1", "ABCDEF")).await.expect("create");
    let second = PostgresStore::connect(&pg.url).await;
    assert!(matches!(second, Err(StoreError::DatabaseInUse)), "a second server is refused");
    drop(first);
    // Once the first has gone, the next finds the schema and the board in place.
    let next = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            match PostgresStore::connect(&pg.url).await {
                Ok(store) => return store,
                Err(StoreError::DatabaseInUse) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                Err(e) => panic!("connect: {e}"),
            }
        }
    })
    .await
    .expect("the claim is released when the first server's connection closes");
    assert!(next.load_board(&BoardId::from("b1")).await.unwrap().is_some());
}
