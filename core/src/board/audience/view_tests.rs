//! Views and redacted changes: hidden notes, votes, the room.

use super::*;
use crate::board::{Actor, BoardId, NoteId, Op, OpContext};

fn apply(b: &mut Board, actor: Actor, op: Op) -> Change {
    let cx = OpContext { actor, at: 5, seq: b.seq + 1 };
    b.apply(&cx, &op).unwrap()
}

fn add(id: &str, lane: &str, text: &str) -> Op {
    Op::AddNote { note_id: id.into(), lane: lane.into(), text: text.into(), author_name: Some("Navn".into()) }
}

#[test]
fn hidden_notes_of_others_reach_participants_masked_and_are_revealed_later() {
    let mut server = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
    let bob = Audience::Participant("bob".into());
    let mut bobs_view = server.view_for(&bob);

    let send = |server: &mut Board, view: &mut Board, actor: Actor, op: Op| {
        let change = apply(server, actor, op);
        let redacted = change.redacted_for(server, &bob);
        view.replay(server.seq, &redacted);
        view.unmask(&revealed_by(&change, server));
        redacted
    };
    send(&mut server, &mut bobs_view, Actor::Facilitator, Op::SetHidden { lane: None, hidden: true });
    let seen = send(&mut server, &mut bobs_view, Actor::participant("alice"), add("a1", "need", "Alices hemmelighed"));
    assert!(!serde_json::to_string(&seen).unwrap().contains("hemmelighed"), "text withheld");
    send(&mut server, &mut bobs_view, Actor::participant("bob"), add("b1", "need", "Bobs egen"));
    assert_eq!(bobs_view, server.view_for(&bob));
    assert!(bobs_view.notes[&NoteId::from("a1")].masked);
    assert_eq!(bobs_view.notes[&NoteId::from("b1")].text, "Bobs egen");

    send(&mut server, &mut bobs_view, Actor::Facilitator, Op::SetHidden { lane: Some("need".into()), hidden: false });
    assert_eq!(bobs_view.notes[&NoteId::from("a1")].text, "Alices hemmelighed");
    assert_eq!(bobs_view.notes[&NoteId::from("a1")].author_name.as_deref(), Some("Navn"));
    // Versions differ (unmasking bumps them), texts and structure agree.
    let strip = |b: &Board| b.notes.values().map(|n| (n.id.clone(), n.text.clone(), n.masked)).collect::<Vec<_>>();
    assert_eq!(strip(&bobs_view), strip(&server.view_for(&bob)));
}

#[test]
fn nobody_but_the_voter_learns_who_voted() {
    let mut server = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
    apply(&mut server, Actor::participant("alice"), add("a1", "need", "x"));
    apply(&mut server, Actor::Facilitator, Op::open_voting(3, false));
    let change = apply(&mut server, Actor::participant("alice"), Op::Vote { note_id: "a1".into() });
    assert_eq!(change.subject(&server), Some(&ParticipantId::from("alice")));
    for viewer in [Audience::Facilitator, Audience::Participant("bob".into()), Audience::Public] {
        let json = serde_json::to_string(&change.redacted_for(&server, &viewer)).unwrap();
        assert!(!json.contains("alice"), "{viewer:?} sees {json}");
        assert!(server.view_for(&viewer).ballots.is_empty());
    }
    assert_eq!(server.view_for(&Audience::Participant("alice".into())).ballots.len(), 1);
}
