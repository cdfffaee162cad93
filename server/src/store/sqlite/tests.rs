//! The SQLite store against a real file.

use super::*;
use crate::store::{BoardRecord, Snapshot, Store, StoreError, StoredBoard, StoredOp};
use idetavle_core::board::BoardId;
use idetavle_core::board::{Actor, LaneId, Op, OpContext};
use idetavle_core::protocol::Event;

fn record(id: &str, code: &str) -> BoardRecord {
    BoardRecord {
        id: BoardId::from(id),
        title: "T".into(),
        join_code: code.into(),
        token_hash: [7; 32],
        created_at: 1,
        expires_at: None,
    }
}

/// Event `seq`: a participant adds note `n{seq}`.
fn event(seq: u64) -> Event {
    let mut board = record("b1", "ABCDEF").empty_board();
    board.seq = seq - 1;
    let cx = OpContext { actor: Actor::participant("p"), at: 2, seq };
    let op = Op::AddNote {
        note_id: format!("n{seq}").as_str().into(),
        lane: LaneId::from("need"),
        text: "Æbler, \"pærer\"".into(),
        author_name: None,
    };
    let change = board.apply(&cx, &op).unwrap();
    Event { seq, op_id: format!("op{seq}").as_str().into(), actor: Some(cx.actor), at: 2, change, revealed: vec![] }
}

#[tokio::test]
async fn boards_and_events_survive_reopening_the_file() {
    let dir = tempdir();
    {
        let s = SqliteStore::open(&dir).unwrap();
        s.create_board(&record("b1", "ABCDEF")).await.unwrap();
        s.append_events(&BoardId::from("b1"), &[event(1), event(2)]).await.unwrap();
    }
    let s = SqliteStore::open(&dir).unwrap();
    assert_eq!(s.board_id_by_code("ABCDEF").await.unwrap(), Some(BoardId::from("b1")));
    let stored = s.load_board(&BoardId::from("b1")).await.unwrap().unwrap();
    assert_eq!(stored.events, vec![event(1), event(2)]);
    assert_eq!(stored.replay().unwrap().notes.len(), 2);
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn duplicate_join_codes_and_sequence_numbers_are_refused() {
    let dir = tempdir();
    let s = SqliteStore::open(&dir).unwrap();
    s.create_board(&record("b1", "ABCDEF")).await.unwrap();
    assert!(matches!(s.create_board(&record("b2", "ABCDEF")).await, Err(StoreError::JoinCodeTaken)));
    let id = BoardId::from("b1");
    s.append_events(&id, &[event(1)]).await.unwrap();
    let err = s.append_events(&id, &[event(2), event(1)]).await.unwrap_err();
    assert!(matches!(err, StoreError::SeqTaken { seq: 1, .. }), "{err}");
    // The failed batch stored nothing, not even event 2.
    assert_eq!(s.load_board(&id).await.unwrap().unwrap().events.len(), 1);
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_deleted_board_leaves_nothing_behind_and_expired_boards_are_found() {
    let dir = tempdir();
    let s = SqliteStore::open(&dir).unwrap();
    s.create_board(&record("b1", "ABCDEF")).await.unwrap();
    s.create_board(&record("b2", "GHJKMN")).await.unwrap();
    s.append_events(&BoardId::from("b1"), &[event(1), event(2)]).await.unwrap();
    let board = s.load_board(&BoardId::from("b1")).await.unwrap().unwrap().replay().unwrap();
    s.save_snapshot(&BoardId::from("b1"), &Snapshot::of(&board).unwrap()).await.unwrap();
    assert!(s.set_board_expiry(&BoardId::from("b2"), Some(1_000)).await.unwrap());
    assert_eq!(s.expired_boards(999).await.unwrap(), Vec::<BoardId>::new());
    assert_eq!(s.expired_boards(1_000).await.unwrap(), vec![BoardId::from("b2")]);
    assert!(s.delete_board(&BoardId::from("b1")).await.unwrap());
    assert!(!s.delete_board(&BoardId::from("b1")).await.unwrap());
    assert!(s.load_board(&BoardId::from("b1")).await.unwrap().is_none());
    assert_eq!(s.board_id_by_code("ABCDEF").await.unwrap(), None);
    drop(s);
    let bytes = std::fs::read(dir.join("idetavle.db")).unwrap();
    let wal = std::fs::read(dir.join("idetavle.db-wal")).unwrap_or_default();
    let needle = "pærer".as_bytes();
    let found = |b: &[u8]| b.windows(needle.len()).any(|w| w == needle);
    assert!(!found(&bytes) && !found(&wal), "secure_delete leaves no note text in the file");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_snapshot_shortens_the_load_the_whole_log_stays_and_old_op_ids_are_found() {
    let dir = tempdir();
    let s = SqliteStore::open(&dir).unwrap();
    let id = BoardId::from("b1");
    s.create_board(&record("b1", "ABCDEF")).await.unwrap();
    let mut events: Vec<Event> = (1..=12).map(event).collect();
    // An undo's two parts, stored as `<op_id>.<n>`.
    for (i, seq) in [13, 14].into_iter().enumerate() {
        let mut part = event(seq);
        part.op_id = format!("u1.{i}").as_str().into();
        part.actor = Some(Actor::Facilitator);
        events.push(part);
    }
    s.append_events(&id, &events).await.unwrap();
    let snapshot_at = |seq: usize| {
        let upto = StoredBoard { record: record("b1", "ABCDEF"), snapshot: None, events: events[..seq].to_vec() };
        Snapshot::of(&upto.replay().unwrap()).unwrap()
    };
    s.save_snapshot(&id, &snapshot_at(10)).await.unwrap();
    s.save_snapshot(&id, &snapshot_at(4)).await.unwrap(); // late, older: kept out
    let loaded = s.load_board(&id).await.unwrap().unwrap();
    assert_eq!(loaded.snapshot.as_ref().map(|s| s.seq), Some(10));
    assert_eq!(loaded.events, events[10..], "only the events after the snapshot are read");
    let whole = StoredBoard { snapshot: None, events: events.clone(), ..loaded.clone() };
    assert_eq!(loaded.replay().unwrap(), whole.replay().unwrap());
    assert_eq!(s.events_after(&id, 0).await.unwrap(), events, "the log is kept whole");

    let sent = ["op1", "u1", "op99", "u"].map(idetavle_core::board::OpId::from);
    let found = s.find_ops(&id, &sent).await.unwrap();
    let participant = Some(Actor::participant("p"));
    assert_eq!(
        found,
        [
            StoredOp { op_id: "op1".into(), seq: 1, actor: participant },
            StoredOp { op_id: "u1".into(), seq: 14, actor: Some(Actor::Facilitator) },
        ],
        "op1 is not op10, u is not u1, and an undo is answered with its last part"
    );

    assert!(s.delete_board(&id).await.unwrap());
    assert!(s.load_board(&id).await.unwrap().is_none());
    std::fs::remove_dir_all(dir).ok();
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("idetavle-store-{}", crate::auth::new_board_id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
