//! Voting rounds: results are kept, and a blind round's counts reach only the facilitator.

use super::audience::Audience;
use super::{Actor, Board, BoardId, Change, NoteId, Op, OpContext, Spotlight};

fn apply(b: &mut Board, actor: Actor, op: Op) -> Change {
    let cx = OpContext { actor, at: 5, seq: b.seq + 1 };
    b.apply(&cx, &op).unwrap()
}

fn add(id: &str) -> Op {
    Op::AddNote { note_id: id.into(), lane: "need".into(), text: format!("note {id}"), author_name: None }
}

fn vote(b: &mut Board, who: &str, note: &str) -> Change {
    apply(b, Actor::participant(who), Op::Vote { note_id: note.into() })
}

fn votes(b: &Board, note: &str) -> u32 {
    b.notes[&NoteId::from(note)].votes
}

#[test]
fn a_new_round_keeps_the_results_of_the_last() {
    let mut b = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
    for id in ["n1", "n2", "n3"] {
        apply(&mut b, Actor::participant("ann"), add(id));
    }
    let named = Op::OpenVoting {
        votes_per_participant: 3,
        allow_stacking: true,
        name: Some(" Behov ".into()),
        show_counts: false,
    };
    apply(&mut b, Actor::Facilitator, named);
    vote(&mut b, "ann", "n2");
    vote(&mut b, "ann", "n2");
    vote(&mut b, "bo", "n3");
    apply(&mut b, Actor::Facilitator, Op::CloseVoting {});
    apply(&mut b, Actor::Facilitator, Op::open_voting(1, false));
    vote(&mut b, "ann", "n1");
    apply(&mut b, Actor::Facilitator, Op::CloseVoting {});

    assert_eq!(b.rounds.len(), 2, "opening round 2 erased round 1");
    assert_eq!(b.spotlight, Some(Spotlight::Results { round: 2 }), "closing shows the results");
    let show = |round| Op::SetSpotlight { target: Some(Spotlight::Results { round }) };
    let cx = OpContext { actor: Actor::Facilitator, at: 5, seq: b.seq + 1 };
    assert_eq!(b.apply(&cx, &show(3)), Err(super::OpError::UnknownRound(3)));
    apply(&mut b, Actor::Facilitator, show(1));
    let first = &b.rounds[0];
    assert_eq!((first.round, first.name.as_deref(), first.cast), (1, Some("Behov"), 3));
    let ranking: Vec<_> = first.counts.iter().map(|c| (c.note_id.as_str(), c.votes)).collect();
    assert_eq!(ranking, [("n2", 2), ("n3", 1)]);
    assert_eq!(b.rounds[1].counts.iter().map(|c| c.note_id.as_str()).collect::<Vec<_>>(), ["n1"]);
    assert_eq!((votes(&b, "n1"), votes(&b, "n2")), (1, 0), "the notes show the last round");
}

#[test]
fn a_blind_round_shows_counts_to_the_facilitator_and_the_voter_alone_until_it_closes() {
    let mut server = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
    apply(&mut server, Actor::participant("ann"), add("n1"));
    apply(&mut server, Actor::Facilitator, Op::open_voting(3, true));
    let viewers = [
        Audience::Facilitator,
        Audience::Participant("ann".into()),
        Audience::Participant("bo".into()),
        Audience::Public,
    ];
    let mut views: Vec<Board> = viewers.iter().map(|v| server.view_for(v)).collect();
    let mut send = |server: &mut Board, change: Change| {
        for (viewer, view) in viewers.iter().zip(views.iter_mut()) {
            view.replay(server.seq, &change.redacted_for(server, viewer));
            assert!(view.shows_the_same(&server.view_for(viewer), viewer), "{viewer:?} drifted");
        }
        views.iter().map(|v| (votes(v, "n1"), v.voting.as_ref().map_or(0, |v| v.cast))).collect::<Vec<_>>()
    };
    let change = vote(&mut server, "ann", "n1");
    assert_eq!(change.redacted_for(&server, &Audience::Public), Change::VoteCounted { retracted: false });
    assert_eq!(send(&mut server, change), [(1, 1), (1, 1), (0, 1), (0, 1)]);
    let change = vote(&mut server, "bo", "n1");
    assert_eq!(send(&mut server, change), [(2, 2), (1, 2), (1, 2), (0, 2)]);
    let change = apply(&mut server, Actor::participant("bo"), Op::Unvote { note_id: "n1".into() });
    assert_eq!(send(&mut server, change), [(1, 1), (1, 1), (0, 1), (0, 1)]);
    let change = apply(&mut server, Actor::Facilitator, Op::CloseVoting {});
    assert_eq!(send(&mut server, change), [(1, 1); 4], "closing tells everyone the results");
}

#[test]
fn an_open_count_round_shows_counts_to_everyone() {
    let mut server = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
    apply(&mut server, Actor::participant("ann"), add("n1"));
    let open = Op::OpenVoting { votes_per_participant: 3, allow_stacking: true, name: None, show_counts: true };
    apply(&mut server, Actor::Facilitator, open);
    let change = vote(&mut server, "ann", "n1");
    assert!(matches!(change.redacted_for(&server, &Audience::Public), Change::VoteCast { voter: None, .. }));
    assert_eq!(votes(&server.view_for(&Audience::Public), "n1"), 1);
}
