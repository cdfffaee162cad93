//! The session without sockets or a store: what comes out, to whom, in which order, and only
//! after the commit.

use super::{Output, Session};
use crate::hub::{ConnId, Farewell};
use crate::store::{BoardRecord, StoredBoard};
use idetavle_core::board::{Actor, BoardId, LaneId, NoteId, Op, OpErrorCode, OpId};
use idetavle_core::protocol::{ErrorCode, ServerMsg};

pub(super) const FAC: ConnId = 1;
pub(super) const ALICE: ConnId = 2;
pub(super) const BOB: ConnId = 3;

pub(super) fn alice() -> Actor {
    Actor::participant("alice")
}

pub(super) fn bob() -> Actor {
    Actor::participant("bob")
}

pub(super) fn record() -> BoardRecord {
    BoardRecord {
        id: BoardId::from("b"),
        title: "Cykelstier".into(),
        join_code: "ABCDEF".into(),
        token_hash: [0; 32],
        created_at: 0,
        expires_at: None,
    }
}

fn session() -> Session {
    Session::load(&StoredBoard { record: record(), snapshot: None, events: Vec::new() }).unwrap()
}

/// A session with the facilitator, Alice and Bob joined (their handshake frames discarded).
fn room() -> Session {
    let mut s = session();
    s.join(FAC, Actor::Facilitator, None, None, 0);
    s.join(ALICE, alice(), Some("Alice".into()), None, 0);
    s.join(BOB, bob(), None, None, 0);
    s.presence_tick();
    s
}

pub(super) fn add(note: &str) -> Op {
    Op::AddNote {
        note_id: NoteId::from(note),
        lane: LaneId::from("need"),
        text: "Bedre cykelstier".into(),
        author_name: None,
    }
}

/// Each output as (connection, message), farewells as `None`.
fn read(out: &[Output]) -> Vec<(ConnId, Option<ServerMsg>)> {
    out.iter()
        .map(|o| match o {
            Output::Send(conn, frame) => (*conn, Some(serde_json::from_str(frame.as_str()).unwrap())),
            Output::Farewell(conn, _) => (*conn, None),
        })
        .collect()
}

pub(super) fn to(conn: ConnId, out: &[Output]) -> Vec<ServerMsg> {
    read(out).into_iter().filter(|(c, _)| *c == conn).filter_map(|(_, m)| m).collect()
}

#[test]
fn nothing_is_sent_before_the_commit_and_events_come_before_acks() {
    let mut s = room();
    s.op(ALICE, alice(), OpId::from("o1"), add("n1"), 10);
    assert_eq!(s.to_commit().len(), 1, "the event waits to be appended");
    assert_eq!(s.board().notes.len(), 1, "applied in memory");
    let out = s.committed(true);
    let alices = to(ALICE, &out);
    assert!(matches!(&alices[..], [ServerMsg::Event(e), ServerMsg::Ack { seq: 1, .. }] if e.seq == 1 && e.at == 10));
    assert!(matches!(&to(BOB, &out)[..], [ServerMsg::Event(_)]));
    assert!(matches!(&to(FAC, &out)[..], [ServerMsg::Event(_)]));
    assert!(s.to_commit().is_empty(), "staged ops are answered once");
}

#[test]
fn a_failed_commit_answers_unavailable_and_shows_nothing() {
    let mut s = room();
    s.op(ALICE, alice(), OpId::from("o1"), add("n1"), 10);
    s.op(BOB, bob(), OpId::from("o2"), Op::Vote { note_id: NoteId::from("n1") }, 10);
    let out = s.committed(false);
    let unavailable = |m: &ServerMsg| matches!(m, ServerMsg::Error { code: ErrorCode::Unavailable, .. });
    assert!(matches!(&to(ALICE, &out)[..], [m] if unavailable(m)));
    // Bob's refusal (no voting round) rested on a board that was never stored: unavailable too.
    assert!(matches!(&to(BOB, &out)[..], [m] if unavailable(m)));
    assert!(to(FAC, &out).is_empty());
}

#[test]
fn each_sender_hears_about_its_ops_in_its_order() {
    let mut s = room();
    s.op(ALICE, alice(), OpId::from("a1"), add("n1"), 1);
    s.op(ALICE, alice(), OpId::from("a2"), Op::EditNote { note_id: NoteId::from("zz"), text: "x".into() }, 1);
    s.op(ALICE, alice(), OpId::from("a3"), add("n3"), 1);
    let answers: Vec<String> = to(ALICE, &s.committed(true))
        .into_iter()
        .filter_map(|m| match m {
            ServerMsg::Ack { op_id, .. } => Some(format!("ack {op_id}")),
            ServerMsg::Error { op_id: Some(op_id), reason: Some(OpErrorCode::UnknownNote), .. } => {
                Some(format!("refused {op_id}"))
            }
            _ => None,
        })
        .collect();
    assert_eq!(answers, ["ack a1", "refused a2", "ack a3"]);
}

#[test]
fn a_retry_is_acknowledged_again_and_someone_elses_reuse_refused() {
    let mut s = room();
    s.op(ALICE, alice(), OpId::from("o1"), add("n1"), 1);
    s.committed(true);
    s.op(ALICE, alice(), OpId::from("o1"), add("n1"), 2);
    s.op(BOB, bob(), OpId::from("o1"), add("n9"), 2);
    assert!(s.to_commit().is_empty(), "neither is applied");
    let out = s.committed(true);
    assert!(matches!(&to(ALICE, &out)[..], [ServerMsg::Ack { seq: 1, .. }]));
    assert!(matches!(&to(BOB, &out)[..], [ServerMsg::Error { reason: Some(OpErrorCode::DuplicateOpId), .. }]));
}

#[test]
fn a_late_joiner_gets_welcome_what_it_missed_and_presence() {
    let mut s = room();
    for i in 0..3 {
        s.op(ALICE, alice(), OpId(format!("o{i}")), add(&format!("n{i}")), 5);
    }
    s.committed(true);
    let out = s.join(9, bob(), None, Some(1), 77);
    let msgs = to(9, &out);
    assert!(matches!(&msgs[0], ServerMsg::Welcome { head_seq: 3, server_time: 77, .. }));
    let seqs: Vec<u64> =
        msgs.iter().filter_map(|m| if let ServerMsg::Event(e) = m { Some(e.seq) } else { None }).collect();
    assert_eq!(seqs, [2, 3]);
    assert!(matches!(msgs.last(), Some(ServerMsg::Presence { .. })));
    // Without a sequence number: a snapshot instead.
    let msgs = to(10, &s.join(10, bob(), None, None, 77));
    assert!(matches!(&msgs[1], ServerMsg::Snapshot { board } if board.notes.len() == 3));
}

#[test]
fn presence_is_coalesced_and_names_only_reach_the_facilitator() {
    let mut s = room();
    assert!(s.presence_tick().is_empty(), "nothing changed since the last tick");
    s.rename(BOB, Some("Bo".into()));
    s.leave(ALICE);
    let out = s.presence_tick();
    assert!(to(ALICE, &out).is_empty(), "Alice left");
    match &to(FAC, &out)[..] {
        [ServerMsg::Presence { participants: 1, facilitators: 1, people }] => {
            assert_eq!(people[0].name.as_deref(), Some("Bo"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&to(BOB, &out)[..], [ServerMsg::Presence { participants: 1, people, .. }] if people.is_empty()));
}

#[test]
fn undo_applies_its_parts_then_acknowledges_the_undo() {
    let mut s = room();
    s.op(ALICE, alice(), OpId::from("o1"), add("n1"), 1);
    s.op(FAC, Actor::Facilitator, OpId::from("f1"), Op::DeleteNote { note_id: NoteId::from("n1") }, 2);
    s.committed(true);
    s.op(FAC, Actor::Facilitator, OpId::from("u1"), Op::Undo {}, 3);
    let parts = s.to_commit();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].op_id, OpId::from("u1.0"));
    let msgs = to(FAC, &s.committed(true));
    assert!(
        matches!(&msgs[..], [ServerMsg::Event(e), ServerMsg::Ack { op_id, seq: 3 }] if e.seq == 3 && op_id.as_str() == "u1")
    );
    assert_eq!(s.board().notes.len(), 1, "the note is back");
}

#[test]
fn a_removed_participant_is_told_and_let_go_and_cannot_come_back() {
    let mut s = room();
    let bob_id = match bob() {
        Actor::Participant { id } => id,
        Actor::Facilitator | Actor::Presenter => unreachable!(),
    };
    s.op(FAC, Actor::Facilitator, OpId::from("r1"), Op::RemoveParticipant { participant: bob_id }, 1);
    let out = s.committed(true);
    let bobs = read(&out).into_iter().filter(|(c, _)| *c == BOB).collect::<Vec<_>>();
    assert!(matches!(bobs.last(), Some((BOB, None))), "the farewell comes last: {bobs:?}");
    assert!(out.contains(&Output::Farewell(BOB, Farewell::Removed)));
    let again = s.join(11, bob(), None, None, 2);
    assert_eq!(again.len(), 2);
    assert_eq!(again[1], Output::Farewell(11, Farewell::Removed));
}

#[test]
fn closing_tells_everyone_and_drops_what_was_staged() {
    let mut s = room();
    s.op(ALICE, alice(), OpId::from("o1"), add("n1"), 1);
    let out = s.close();
    for conn in [FAC, ALICE, BOB] {
        assert!(out.contains(&Output::Farewell(conn, Farewell::BoardDeleted)));
        assert!(matches!(&to(conn, &out)[..], [ServerMsg::Error { code: ErrorCode::BoardDeleted, .. }]));
    }
    assert!(s.to_commit().is_empty());
}
