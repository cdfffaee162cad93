//! The workshop ops on a plenary board: joining, tables, forming, moving, and who sees what.

use crate::board::audience::Audience;
use crate::board::workshop::{Competences, Member, Profile, Role, Table, Workshop};
use crate::board::{Actor, Board, BoardId, Change, Op, OpContext, OpError, ParticipantId};

fn plenary() -> Board {
    let mut b = Board::new(BoardId::from("plenum"), "Workshop".into(), "ABCDEF".into(), 0);
    b.workshop = Some(Workshop::default());
    b
}

fn apply(b: &mut Board, actor: Actor, op: Op) -> Result<Change, OpError> {
    let cx = OpContext { actor, at: 1, seq: b.seq + 1 };
    b.apply(&cx, &op)
}

fn join(b: &mut Board, who: &str, role: Role) -> Result<Change, OpError> {
    let profile = Profile { role: Some(role), competences: Competences::default().with(0) };
    apply(b, Actor::participant(who), Op::JoinWorkshop { profile, name: None })
}

fn tables(n: u32) -> Op {
    Op::SetTables {
        tables: (1..=n).map(|number| Table { number, name: format!("Bord {number}"), code: None }).collect(),
    }
}

fn members(b: &Board) -> &[Member] {
    &b.workshop.as_ref().unwrap().members
}

#[test]
fn participants_join_once_and_may_say_more_later() {
    let mut b = plenary();
    join(&mut b, "anna", Role::Borger).unwrap();
    join(&mut b, "bo", Role::Politiker).unwrap();
    join(&mut b, "anna", Role::Medarbejder).unwrap();
    let w = b.workshop.as_ref().unwrap();
    assert_eq!((w.members.len(), w.joined), (2, 2));
    assert_eq!((w.members[0].number, w.members[0].profile.role), (1, Some(Role::Medarbejder)));
    assert_eq!(
        apply(&mut b, Actor::Facilitator, Op::JoinWorkshop { profile: Profile::default(), name: None }),
        Err(OpError::NotAParticipant)
    );
    apply(&mut b, Actor::Facilitator, Op::SetLocked { locked: true }).unwrap();
    join(&mut b, "cem", Role::Andet).expect("a locked plenary still takes people in");
    let mut board = Board::new(BoardId::from("b"), "t".into(), "GHJKMN".into(), 0);
    assert_eq!(join(&mut board, "anna", Role::Borger), Err(OpError::NotAWorkshop));
}

#[test]
fn tables_are_formed_for_everyone_and_late_arrivals_even_them_out() {
    let mut b = plenary();
    assert_eq!(apply(&mut b, Actor::Facilitator, Op::FormTables { seed: 1 }), Err(OpError::NoTables));
    for (i, role) in
        [Role::Borger, Role::Borger, Role::Politiker, Role::Politiker, Role::Medarbejder, Role::Medarbejder]
            .into_iter()
            .enumerate()
    {
        join(&mut b, &format!("p{i}"), role).unwrap();
    }
    apply(&mut b, Actor::Facilitator, tables(2)).unwrap();
    apply(&mut b, Actor::Facilitator, Op::FormTables { seed: 7 }).unwrap();
    for table in [1, 2] {
        let mut roles: Vec<_> = members(&b).iter().filter(|m| m.table == Some(table)).map(|m| m.profile.role).collect();
        roles.sort();
        assert_eq!(roles, [Some(Role::Borger), Some(Role::Politiker), Some(Role::Medarbejder)], "table {table}");
    }
    join(&mut b, "late", Role::Borger).unwrap();
    join(&mut b, "later", Role::Borger).unwrap();
    let late: Vec<_> = members(&b)[6..].iter().map(|m| m.table).collect();
    assert!(late == [Some(1), Some(2)] || late == [Some(2), Some(1)], "one at each table: {late:?}");
}

#[test]
fn the_facilitator_moves_people_between_tables_that_exist_and_undo_moves_them_back() {
    let mut b = plenary();
    join(&mut b, "anna", Role::Borger).unwrap();
    apply(&mut b, Actor::Facilitator, tables(3)).unwrap();
    apply(&mut b, Actor::Facilitator, Op::FormTables { seed: 1 }).unwrap();
    let before = members(&b)[0].table;
    let inverse = b.inverse(&Op::SeatMember { member: 1, table: Some(3) }).unwrap();
    apply(&mut b, Actor::Facilitator, Op::SeatMember { member: 1, table: Some(3) }).unwrap();
    assert_eq!(members(&b)[0].table, Some(3));
    for op in inverse {
        apply(&mut b, Actor::Facilitator, op).unwrap();
    }
    assert_eq!(members(&b)[0].table, before);
    assert_eq!(
        apply(&mut b, Actor::Facilitator, Op::SeatMember { member: 9, table: None }),
        Err(OpError::UnknownMember(9))
    );
    assert_eq!(
        apply(&mut b, Actor::Facilitator, Op::SeatMember { member: 1, table: Some(4) }),
        Err(OpError::UnknownTable(4))
    );
    apply(&mut b, Actor::Facilitator, Op::SeatMember { member: 1, table: Some(3) }).unwrap();
    apply(&mut b, Actor::Facilitator, tables(2)).unwrap();
    assert_eq!(members(&b)[0].table, None, "a table that goes takes nobody with it");
}

#[test]
fn tables_are_numbered_once_each_and_named() {
    let mut b = plenary();
    let twice = Op::SetTables {
        tables: vec![
            Table { number: 1, name: "A".into(), code: None },
            Table { number: 1, name: "B".into(), code: None },
        ],
    };
    for bad in [
        Op::SetTables { tables: vec![] },
        twice,
        Op::SetTables { tables: vec![Table { number: 0, name: "A".into(), code: None }] },
    ] {
        assert_eq!(apply(&mut b, Actor::Facilitator, bad), Err(OpError::InvalidTables { max: 100 }));
    }
    let unnamed = Op::SetTables { tables: vec![Table { number: 1, name: " ".into(), code: None }] };
    assert_eq!(apply(&mut b, Actor::Facilitator, unnamed), Err(OpError::EmptyTitle));
}

#[test]
fn members_are_seen_by_themselves_and_by_the_facilitator_without_ids_and_by_nobody_else() {
    let mut b = plenary();
    join(&mut b, "anna", Role::Borger).unwrap();
    join(&mut b, "bo", Role::Politiker).unwrap();
    let anna = ParticipantId::from("anna");
    let fac = b.view_for(&Audience::Facilitator);
    assert!(members(&fac).iter().all(|m| m.participant.is_none() && !m.mine) && members(&fac).len() == 2);
    let own = b.view_for(&Audience::Participant(anna));
    assert_eq!(members(&own).len(), 1);
    assert!(members(&own)[0].mine && members(&own)[0].participant.is_none());
    assert_eq!(members(&own)[0].profile.role, Some(Role::Borger));
    let room = b.view_for(&Audience::Public);
    assert!(members(&room).is_empty());
    assert_eq!(room.workshop.as_ref().unwrap().joined, 2, "the room sees how many joined");
    assert!(members(&b.exported()).is_empty(), "an export names no member");
}
