//! A session loaded from a snapshot and the events after it: the same board, the same answers
//! to a reconnecting client, and retries from before the snapshot found in the store.

use super::tests::{add, alice, bob, record, to, ALICE, BOB};
use super::{Session, CATCH_UP_MAX};
use crate::store::{Snapshot, StoredBoard, StoredOp};
use idetavle_core::board::{Actor, NoteId, Op, OpErrorCode, OpId};
use idetavle_core::protocol::{Event, ServerMsg};

/// `n` committed events by Alice, as the store holds them.
fn history(n: usize) -> Vec<Event> {
    let mut s = Session::load(&StoredBoard { record: record(), snapshot: None, events: Vec::new() }).unwrap();
    let mut events = Vec::new();
    for i in 0..n {
        let op = match i % 3 {
            2 => Op::EditNote { note_id: NoteId(format!("n{}", i - 1)), text: format!("ændret {i}") },
            _ => add(&format!("n{i}")),
        };
        s.op(ALICE, alice(), OpId(format!("o{i}")), op, i as i64);
        events.extend(s.to_commit());
        s.committed(true);
    }
    events
}

/// The session of `events` stored with a snapshot after the first `at` of them.
fn loaded(events: &[Event], at: usize) -> Session {
    let whole = StoredBoard { record: record(), snapshot: None, events: events[..at].to_vec() };
    let snapshot = Some(Snapshot::of(&whole.replay().unwrap()).unwrap());
    Session::load(&StoredBoard { record: record(), snapshot, events: events[at..].to_vec() }).unwrap()
}

#[test]
fn a_snapshot_and_the_events_after_it_make_the_board_the_whole_log_makes() {
    let events = history(40);
    let from_log = loaded(&events, 0);
    for at in [1, 17, 39, 40] {
        let from_snapshot = loaded(&events, at);
        assert_eq!(from_snapshot.board(), from_log.board(), "snapshot after event {at}");
        let join = |mut s: Session| to(9, &s.join(9, bob(), None, None, 5));
        assert_eq!(join(from_snapshot), join(loaded(&events, 0)), "a new phone gets the same snapshot");
    }
}

#[test]
fn a_resume_from_before_the_snapshot_gets_a_snapshot_and_one_after_it_the_events() {
    let events = history(30);
    let mut s = loaded(&events, 20);
    let seqs = |msgs: &[ServerMsg]| -> Vec<u64> {
        msgs.iter().filter_map(|m| if let ServerMsg::Event(e) = m { Some(e.seq) } else { None }).collect()
    };
    let after = to(9, &s.join(9, bob(), None, Some(25), 5));
    assert_eq!(seqs(&after), [26, 27, 28, 29, 30]);
    let before = to(10, &s.join(10, bob(), None, Some(12), 5));
    assert!(seqs(&before).is_empty(), "events 13 to 20 are not in memory");
    assert!(matches!(&before[1], ServerMsg::Snapshot { board } if board.seq == 30));
}

#[test]
fn the_catch_up_log_keeps_only_the_latest_events() {
    let events = history(CATCH_UP_MAX + 40);
    let mut s = loaded(&events, 0);
    let head = events.len() as u64;
    let msgs = to(9, &s.join(9, bob(), None, Some(head - CATCH_UP_MAX as u64), 5));
    assert_eq!(msgs.iter().filter(|m| matches!(m, ServerMsg::Event(_))).count(), CATCH_UP_MAX);
    let msgs = to(10, &s.join(10, bob(), None, Some(head - CATCH_UP_MAX as u64 - 1), 5));
    assert!(matches!(&msgs[1], ServerMsg::Snapshot { .. }), "one more than the log holds: a snapshot");
}

#[test]
fn op_ids_from_before_the_snapshot_are_looked_up_and_then_answered_as_retries() {
    let events = history(10);
    let fresh = loaded(&events, 0);
    let ids = [OpId::from("o3"), OpId::from("new")];
    assert!(fresh.to_look_up(&ids).is_empty(), "without a snapshot every op id is in memory");

    let mut s = loaded(&events, 6);
    let ids = [OpId::from("o3"), OpId::from("o8"), OpId::from("new")];
    assert_eq!(s.to_look_up(&ids), [OpId::from("o3"), OpId::from("new")], "o8 came after the snapshot");
    s.remember(vec![StoredOp { op_id: OpId::from("o3"), seq: 4, actor: Some(alice()) }]);
    s.op(ALICE, alice(), OpId::from("o3"), add("n3"), 50);
    s.op(BOB, bob(), OpId::from("o3"), add("n99"), 50);
    assert!(s.to_commit().is_empty(), "neither is applied again");
    let out = s.committed(true);
    assert!(matches!(&to(ALICE, &out)[..], [ServerMsg::Ack { seq: 4, .. }]));
    assert!(matches!(&to(BOB, &out)[..], [ServerMsg::Error { reason: Some(OpErrorCode::DuplicateOpId), .. }]));
    // An import's events name no actor: they count as the facilitator's.
    s.remember(vec![StoredOp { op_id: OpId::from("imp"), seq: 1, actor: None }]);
    s.op(1, Actor::Facilitator, OpId::from("imp"), add("n1000"), 51);
    assert!(matches!(&to(1, &s.committed(true))[..], [ServerMsg::Ack { seq: 1, .. }]));
}
