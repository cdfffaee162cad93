//! `gather` and `show` on a plenary: copies name their table, come once, undo cleanly, and
//! a participant sees a copy in a hidden lane masked like any note.

use super::{GatheredNote, Showing};
use crate::board::audience::Audience;
use crate::board::workshop::{Table, Workshop};
use crate::board::{Actor, Board, BoardId, Change, Op, OpContext, OpError};

fn plenary() -> Board {
    let mut b = Board::new(BoardId::from("plenum"), "Workshop".into(), "ABCDEF".into(), 0);
    let tables = (1..=2).map(|number| Table { number, name: format!("Bord {number}"), code: None }).collect();
    b.workshop = Some(Workshop { tables, ..Workshop::default() });
    b
}

fn apply(b: &mut Board, actor: Actor, op: &Op) -> Result<Change, OpError> {
    let cx = OpContext { actor, at: 5, seq: b.seq + 1 };
    b.apply(&cx, op)
}

fn copy(id: &str, source: &str, lane: &str, text: &str) -> GatheredNote {
    GatheredNote { id: id.into(), source: source.into(), lane: lane.into(), text: text.into() }
}

#[test]
fn a_tables_notes_arrive_once_naming_their_table_and_undo_takes_them_back() {
    let mut b = plenary();
    let op = Op::Gather {
        table: 2,
        notes: vec![copy("c1", "n1", "ideas", "Lektiecafé"), copy("c2", "g1", "need", "Tryghed")],
    };
    let inverse = b.inverse(&op).expect("undoable");
    apply(&mut b, Actor::Facilitator, &op).unwrap();
    let note = &b.notes[&crate::board::NoteId::from("c1")];
    let from = note.from_table.as_ref().unwrap();
    assert_eq!((from.table, from.name.as_str(), from.source.as_str()), (2, "Bord 2", "n1"));
    assert!(note.author.is_none() && note.author_name.is_none());

    // Again, even under new ids: nothing new (a double click, two screens at once).
    let again = Op::Gather { table: 2, notes: vec![copy("c9", "n1", "ideas", "Lektiecafé")] };
    assert_eq!(apply(&mut b, Actor::Facilitator, &again), Ok(Change::NotesGathered { notes: vec![] }));
    assert_eq!(b.notes.len(), 2);
    // The same note of another table is another note.
    let other = Op::Gather { table: 1, notes: vec![copy("c3", "n1", "ideas", "Lektiecafé")] };
    apply(&mut b, Actor::Facilitator, &other).unwrap();
    assert_eq!(b.notes.len(), 3);

    for inv in inverse {
        apply(&mut b, Actor::Facilitator, &inv).unwrap();
    }
    assert_eq!(b.notes.len(), 1, "undo takes back what that gather added, nothing else");
}

#[test]
fn gather_is_checked_and_only_on_a_plenary() {
    let mut b = plenary();
    let unknown = Op::Gather { table: 7, notes: vec![copy("c1", "n1", "ideas", "x")] };
    assert_eq!(apply(&mut b, Actor::Facilitator, &unknown), Err(OpError::UnknownTable(7)));
    let empty_text = Op::Gather { table: 1, notes: vec![copy("c1", "n1", "ideas", "  ")] };
    assert_eq!(apply(&mut b, Actor::Facilitator, &empty_text), Err(OpError::EmptyText));
    let bad_lane = Op::Gather { table: 1, notes: vec![copy("c1", "n1", "nowhere", "x")] };
    assert!(matches!(apply(&mut b, Actor::Facilitator, &bad_lane), Err(OpError::UnknownLane(_))));
    let many = (0..51).map(|i| copy(&format!("c{i}"), &format!("n{i}"), "ideas", "x")).collect();
    assert_eq!(
        apply(&mut b, Actor::Facilitator, &Op::Gather { table: 1, notes: many }),
        Err(OpError::TooManyGathered { max: 50 })
    );
    let mut plain = Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0);
    let op = Op::Gather { table: 1, notes: vec![copy("c1", "n1", "ideas", "x")] };
    assert_eq!(apply(&mut plain, Actor::Facilitator, &op), Err(OpError::NotAWorkshop));
}

#[test]
fn a_copy_in_a_hidden_lane_is_masked_for_participants() {
    let mut b = plenary();
    apply(&mut b, Actor::Facilitator, &Op::SetHidden { lane: Some("ideas".into()), hidden: true }).unwrap();
    let op = Op::Gather { table: 1, notes: vec![copy("c1", "n1", "ideas", "Hemmelig")] };
    let change = apply(&mut b, Actor::Facilitator, &op).unwrap();
    let seen = change.redacted_for(&b, &Audience::Participant("p".into()));
    assert!(!format!("{seen:?}").contains("Hemmelig"), "{seen:?}");
    let view = b.view_for(&Audience::Public);
    assert!(view.notes.values().all(|n| n.masked));
}

#[test]
fn show_says_what_the_room_sees_and_undoes() {
    let mut b = plenary();
    let op = Op::Show { showing: Showing::Table { number: 2 } };
    let inverse = b.inverse(&op).unwrap();
    apply(&mut b, Actor::Facilitator, &op).unwrap();
    assert_eq!(b.workshop.as_ref().unwrap().showing, Showing::Table { number: 2 });
    apply(&mut b, Actor::Facilitator, &inverse[0]).unwrap();
    assert_eq!(b.workshop.as_ref().unwrap().showing, Showing::Plenary);
    let missing = Op::Show { showing: Showing::Table { number: 9 } };
    assert_eq!(apply(&mut b, Actor::Facilitator, &missing), Err(OpError::UnknownTable(9)));
}
