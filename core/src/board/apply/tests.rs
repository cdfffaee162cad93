use crate::board::*;

fn board() -> Board {
    Board::new(BoardId::from("b1"), "Test".into(), "ABC234".into(), 0)
}

fn by(board: &Board, actor: Actor) -> OpContext {
    OpContext { actor, at: 1_000 + board.seq as i64, seq: board.seq + 1 }
}

fn p(board: &Board, who: &str) -> OpContext {
    by(board, Actor::participant(who))
}

fn fac(board: &Board) -> OpContext {
    by(board, Actor::Facilitator)
}

fn add(id: &str, lane: &str, text: &str) -> Op {
    Op::AddNote { note_id: id.into(), lane: lane.into(), text: text.into(), author_name: None }
}

fn with_notes(ids: &[(&str, &str)]) -> Board {
    let mut b = board();
    for (id, lane) in ids {
        b.apply(&p(&b, "alice"), &add(id, lane, id)).unwrap();
    }
    b
}

#[test]
fn adding_a_note_stores_trimmed_text_author_and_sequence() {
    let mut b = board();
    let c = p(&b, "p1");
    let change = b.apply(&c, &add("n1", "need", "  Flere bænke  ")).unwrap();
    let note = &b.notes[&NoteId::from("n1")];
    assert_eq!(note.text, "Flere bænke");
    assert_eq!(note.author, Some("p1".into()));
    assert_eq!(b.seq, 1);
    assert_eq!(change, Change::NoteAdded { note: note.clone() });
}

#[test]
fn edit_and_delete_change_the_note_and_bump_version() {
    let mut b = with_notes(&[("n1", "ideas")]);
    b.apply(&p(&b, "alice"), &Op::EditNote { note_id: "n1".into(), text: "b".into() }).unwrap();
    assert_eq!(b.notes[&NoteId::from("n1")].text, "b");
    assert_eq!(b.notes[&NoteId::from("n1")].version, 2);
    b.apply(&p(&b, "alice"), &Op::DeleteNote { note_id: "n1".into() }).unwrap();
    assert!(b.notes.is_empty());
    assert_eq!(b.seq, 3);
}

#[test]
fn invalid_ops_leave_the_board_unchanged() {
    let mut b = with_notes(&[("n1", "need")]);
    let before = b.clone();
    let long = "æ".repeat(MAX_NOTE_CHARS + 1);
    let cases: Vec<(Op, &str)> = vec![
        (add("n2", "need", "   "), "empty_text"),
        (add("n2", "need", &long), "text_too_long"),
        (add("n2", "nowhere", "x"), "unknown_lane"),
        (add("n1", "need", "x"), "duplicate_note"),
        (add("bad id", "need", "x"), "invalid_id"),
        (Op::EditNote { note_id: "nope".into(), text: "x".into() }, "unknown_note"),
        (Op::DeleteNote { note_id: "nope".into() }, "unknown_note"),
        (Op::Vote { note_id: "n1".into() }, "voting_closed"),
        (
            Op::MoveNote { note_id: "n1".into(), lane: "ideas".into(), group: None, rank: Some(f64::NAN) },
            "invalid_rank",
        ),
        (Op::CreateGroup { group_id: "g".into(), title: "G".into(), note_ids: vec![] }, "empty_group"),
        (Op::StartTimer { seconds: 0 }, "invalid_timer"),
        (Op::open_voting(21, false), "invalid_vote_count"),
    ];
    for (op, code) in cases {
        let err = b.apply(&p(&b, "alice"), &op).unwrap_err();
        assert_eq!(crate::decode::Tagged::wire_tag(&err.code()), code, "{op:?}");
        assert_eq!(b, before, "{op:?} changed the board");
    }
}

#[test]
fn exactly_280_characters_of_danish_letters_are_allowed() {
    let mut b = board();
    let text = "ø".repeat(MAX_NOTE_CHARS);
    b.apply(&p(&b, "p1"), &add("n1", "need", &text)).unwrap();
    assert_eq!(b.notes[&NoteId::from("n1")].text.chars().count(), MAX_NOTE_CHARS);
}

#[test]
fn only_participants_post_and_ops_must_arrive_in_sequence() {
    let mut b = board();
    assert_eq!(b.apply(&fac(&b), &add("n1", "need", "x")), Err(OpError::NotAParticipant));
    let c = OpContext { actor: Actor::participant("p"), at: 0, seq: 2 };
    assert_eq!(b.apply(&c, &add("n1", "need", "x")), Err(OpError::OutOfOrder { head: 0, got: 2 }));
}

#[test]
fn replaying_the_changes_gives_the_same_board() {
    let ops = [add("a", "need", "1"), add("b", "ideas", "2"), Op::DeleteNote { note_id: "a".into() }];
    let mut server = board();
    let mut client = board();
    for op in &ops {
        let c = p(&server, "p");
        let change = server.apply(&c, op).unwrap();
        client.replay(c.seq, &change);
    }
    assert_eq!(server, client);
}

#[test]
fn a_locked_board_refuses_participants_but_not_the_facilitator() {
    let mut b = with_notes(&[("n1", "need")]);
    b.apply(&fac(&b), &Op::SetLocked { locked: true }).unwrap();
    assert_eq!(b.apply(&p(&b, "alice"), &add("n2", "need", "x")), Err(OpError::Locked));
    assert_eq!(
        b.apply(&p(&b, "alice"), &Op::EditNote { note_id: "n1".into(), text: "y".into() }),
        Err(OpError::Locked)
    );
    b.apply(&fac(&b), &Op::EditNote { note_id: "n1".into(), text: "moderated".into() }).unwrap();
    b.apply(&fac(&b), &Op::SetLocked { locked: false }).unwrap();
    b.apply(&p(&b, "alice"), &add("n2", "need", "x")).unwrap();
}

#[test]
fn dropping_a_note_on_another_makes_a_group_that_moves_as_one() {
    let mut b = with_notes(&[("a", "need"), ("b", "need"), ("c", "ideas")]);
    let group =
        Op::CreateGroup { group_id: "g1".into(), title: "Bænke".into(), note_ids: vec!["b".into(), "a".into()] };
    b.apply(&fac(&b), &group).unwrap();
    let order: Vec<_> = b.notes_in(&"need".into()).map(|n| n.id.as_str().to_owned()).collect();
    assert_eq!(order, ["b", "a"], "group members in the order given");
    // A note from another lane joins the group and changes lane with it.
    let join = Op::MoveNote { note_id: "c".into(), lane: "need".into(), group: Some("g1".into()), rank: Some(0.5) };
    b.apply(&fac(&b), &join).unwrap();
    let order: Vec<_> = b.notes_in(&"need".into()).map(|n| n.id.as_str().to_owned()).collect();
    assert_eq!(order, ["c", "b", "a"]);
    b.apply(&fac(&b), &Op::MoveGroup { group_id: "g1".into(), lane: "trials".into(), rank: None }).unwrap();
    assert!(b.notes.values().all(|n| n.lane.as_str() == "trials"));
    b.apply(&fac(&b), &Op::RenameGroup { group_id: "g1".into(), title: "Siddepladser".into() }).unwrap();
    assert_eq!(b.groups[&GroupId::from("g1")].title, "Siddepladser");
    // Dragging every note out dissolves the group; no note is lost.
    for id in ["a", "b", "c"] {
        let out = Op::MoveNote { note_id: id.into(), lane: "trials".into(), group: None, rank: None };
        b.apply(&fac(&b), &out).unwrap();
    }
    assert!(b.groups.is_empty());
    assert_eq!(b.notes.len(), 3);
}

#[test]
fn a_group_cannot_take_a_note_into_another_lane_by_move() {
    let mut b = with_notes(&[("a", "need"), ("b", "ideas")]);
    b.apply(&fac(&b), &Op::CreateGroup { group_id: "g".into(), title: "G".into(), note_ids: vec!["a".into()] })
        .unwrap();
    let wrong = Op::MoveNote { note_id: "b".into(), lane: "ideas".into(), group: Some("g".into()), rank: None };
    assert_eq!(b.apply(&fac(&b), &wrong), Err(OpError::GroupInOtherLane));
}

#[test]
fn voting_respects_the_limit_and_stacking_rule() {
    let mut b = with_notes(&[("a", "need"), ("b", "need")]);
    b.apply(&fac(&b), &Op::open_voting(2, false)).unwrap();
    b.apply(&p(&b, "bob"), &Op::Vote { note_id: "a".into() }).unwrap();
    assert_eq!(b.apply(&p(&b, "bob"), &Op::Vote { note_id: "a".into() }), Err(OpError::AlreadyVoted));
    b.apply(&p(&b, "bob"), &Op::Vote { note_id: "b".into() }).unwrap();
    assert_eq!(b.apply(&p(&b, "bob"), &Op::Vote { note_id: "b".into() }), Err(OpError::NoVotesLeft(2)));
    b.apply(&p(&b, "bob"), &Op::Unvote { note_id: "b".into() }).unwrap();
    assert_eq!(b.apply(&p(&b, "bob"), &Op::Unvote { note_id: "b".into() }), Err(OpError::NoVoteToTakeBack));
    b.apply(&p(&b, "eve"), &Op::Vote { note_id: "a".into() }).unwrap();
    assert_eq!(b.notes[&NoteId::from("a")].votes, 2);
    assert_eq!(b.votes_used(&ParticipantId::from("bob")), 1);

    // Stacking round with 3 votes: all on one note, then the limit.
    b.apply(&fac(&b), &Op::open_voting(3, true)).unwrap();
    assert_eq!(b.notes[&NoteId::from("a")].votes, 0, "a new round starts from zero");
    for _ in 0..3 {
        b.apply(&p(&b, "bob"), &Op::Vote { note_id: "a".into() }).unwrap();
    }
    assert_eq!(b.apply(&p(&b, "bob"), &Op::Vote { note_id: "b".into() }), Err(OpError::NoVotesLeft(3)));
    b.apply(&fac(&b), &Op::CloseVoting {}).unwrap();
    assert_eq!(b.apply(&p(&b, "bob"), &Op::Unvote { note_id: "a".into() }), Err(OpError::VotingClosed));
    assert_eq!(b.notes[&NoteId::from("a")].votes, 3, "results stay after closing");
}

#[test]
fn timer_spotlight_phase_and_hiding_are_board_state() {
    let mut b = with_notes(&[("a", "need")]);
    b.apply(&fac(&b), &Op::StartTimer { seconds: 300 }).unwrap();
    let timer = b.timer.unwrap();
    assert_eq!(timer.ends_at - timer.started_at, 300_000);
    b.apply(&fac(&b), &Op::SetSpotlight { target: Some(Spotlight::Note { id: "a".into() }) }).unwrap();
    b.apply(&fac(&b), &Op::SetPhase { lane: Some("ideas".into()) }).unwrap();
    b.apply(&fac(&b), &Op::SetHidden { lane: None, hidden: true }).unwrap();
    assert!(b.lanes.iter().all(|l| l.hidden));
    b.apply(&fac(&b), &Op::SetHidden { lane: Some("need".into()), hidden: false }).unwrap();
    assert!(!b.is_hidden(&"need".into()) && b.is_hidden(&"ideas".into()));
    // Deleting the spotlit note clears the spotlight.
    b.apply(&fac(&b), &Op::DeleteNote { note_id: "a".into() }).unwrap();
    assert_eq!(b.spotlight, None);
    assert_eq!(b.phase, Some("ideas".into()));
}

#[test]
fn unknown_fields_and_ops_are_rejected_when_decoding() {
    assert!(serde_json::from_str::<Op>(r#"{"type":"explode"}"#).is_err());
    assert!(serde_json::from_str::<Op>(r#"{"type":"delete_note","note_id":"a","x":1}"#).is_err());
    let op: Op = serde_json::from_str(r#"{"type":"delete_note","note_id":"a"}"#).unwrap();
    assert_eq!(op, Op::DeleteNote { note_id: "a".into() });
    let op: Op = serde_json::from_str(r#"{"type":"stop_timer"}"#).unwrap();
    assert_eq!(op, Op::StopTimer {});
}

#[test]
fn control_characters_are_refused_but_line_breaks_and_tabs_stay() {
    let mut b = board();
    for bad in ["nul\0byte", "bell\u{7}", "escape\u{1b}[31m", "lone\rreturn", "next\u{85}line"] {
        assert_eq!(b.apply(&p(&b, "p"), &add("n", "need", bad)), Err(OpError::ControlCharacter), "{bad:?}");
    }
    b.apply(&p(&b, "p"), &add("n", "need", "første linje\r\nanden\tlinje")).unwrap();
    assert_eq!(b.notes[&NoteId::from("n")].text, "første linje\nanden\tlinje", "CRLF becomes LF");
    let named =
        Op::AddNote { note_id: "m".into(), lane: "need".into(), text: "x".into(), author_name: Some("Å\nse".into()) };
    assert_eq!(b.apply(&p(&b, "p"), &named), Err(OpError::ControlCharacter), "a name is one line");
    let group = Op::CreateGroup { group_id: "g".into(), title: "a\u{0}b".into(), note_ids: vec!["n".into()] };
    assert_eq!(b.apply(&fac(&b), &group), Err(OpError::ControlCharacter), "a title is one line");
}

#[test]
fn the_limit_counts_characters_as_the_phone_counts_them() {
    // 280 emoji are 280 characters (560 UTF-16 units, which the browser's maxlength counts).
    let mut b = board();
    let emoji = "🚲".repeat(MAX_NOTE_CHARS);
    assert_eq!(note_length(&format!("  {emoji}\n")), MAX_NOTE_CHARS);
    b.apply(&p(&b, "p"), &add("n", "need", &emoji)).unwrap();
    let over = format!("{emoji}x");
    assert_eq!(
        b.apply(&p(&b, "p"), &add("m", "need", &over)),
        Err(OpError::TextTooLong { max: MAX_NOTE_CHARS, got: MAX_NOTE_CHARS + 1 })
    );
}

#[test]
fn only_what_the_facilitator_deleted_can_be_restored_and_only_as_it_was() {
    let mut b = with_notes(&[("mine", "need"), ("theirs", "need")]);
    b.apply(&fac(&b), &Op::CreateGroup { group_id: "g".into(), title: "G".into(), note_ids: vec!["theirs".into()] })
        .unwrap();
    let theirs = b.notes[&NoteId::from("theirs")].clone();
    let group = b.groups[&GroupId::from("g")].clone();
    let mine = b.notes[&NoteId::from("mine")].clone();

    // A note from nowhere (another board's, with its author) is not "restored".
    let forged = Note { id: "forged".into(), author: Some("someone".into()), ..theirs.clone() };
    assert_eq!(b.apply(&fac(&b), &Op::RestoreNote { note: forged }), Err(OpError::NotRestorable));
    // Nor is a note its author withdrew.
    b.apply(&p(&b, "alice"), &Op::DeleteNote { note_id: "mine".into() }).unwrap();
    assert_eq!(b.apply(&fac(&b), &Op::RestoreNote { note: mine }), Err(OpError::NotRestorable));

    // The facilitator deletes a note (its group goes with it): both come back exactly as they were.
    b.apply(&fac(&b), &Op::DeleteNote { note_id: "theirs".into() }).unwrap();
    assert!(b.groups.is_empty());
    let altered = Note { text: "something else".into(), ..theirs.clone() };
    assert_eq!(b.apply(&fac(&b), &Op::RestoreNote { note: altered }), Err(OpError::NotRestorable));
    let renamed = Group { title: "Other".into(), ..group.clone() };
    assert_eq!(b.apply(&fac(&b), &Op::RestoreGroup { group: renamed }), Err(OpError::NotRestorable));
    b.apply(&fac(&b), &Op::RestoreGroup { group: group.clone() }).unwrap();
    b.apply(&fac(&b), &Op::RestoreNote { note: theirs.clone() }).unwrap();
    assert_eq!(b.notes[&NoteId::from("theirs")].group, Some(GroupId::from("g")));
    // Once back, it is not restorable a second time.
    b.apply(&fac(&b), &Op::DeleteNote { note_id: "theirs".into() }).unwrap();
    b.apply(&fac(&b), &Op::RestoreNote { note: Note { group: None, ..theirs.clone() } }).unwrap_err();
}

#[test]
fn a_timer_set_by_undo_runs_forwards_for_at_most_three_hours_from_the_past() {
    let mut b = board();
    let now = 1_000 + b.seq as i64;
    let longest = i64::from(MAX_TIMER_SECONDS) * 1_000;
    for (started_at, ends_at) in [
        (now, now - 5_000),
        (now, now),
        (now, now + longest + 1),
        (now + 60_000, now + 120_000),
        (-1, 60_000),
        (i64::MIN, i64::MAX),
    ] {
        let op = Op::SetTimer { timer: Some(Timer { started_at, ends_at }) };
        assert_eq!(
            b.apply(&fac(&b), &op),
            Err(OpError::InvalidTimer { max: MAX_TIMER_SECONDS }),
            "{started_at}..{ends_at}"
        );
    }
    b.apply(&fac(&b), &Op::SetTimer { timer: Some(Timer { started_at: 0, ends_at: 60_000 }) }).unwrap();
    b.apply(&fac(&b), &Op::SetTimer { timer: None }).unwrap();
}

#[test]
fn a_phone_applies_its_own_notes_and_votes_as_the_server_does_and_nothing_else() {
    let mut server = board();
    let mut phone = board();
    for op in [add("n1", "need", "Bænke"), Op::EditNote { note_id: "n1".into(), text: "Flere bænke".into() }] {
        let on_server = server.apply(&p(&server, "p1"), &op);
        assert_eq!(phone.apply_participant_op(&p(&phone, "p1"), &op), on_server);
    }
    assert_eq!(phone, server);
    let lock = Op::SetLocked { locked: true };
    assert_eq!(phone.apply_participant_op(&fac(&phone), &lock), Err(OpError::NotAParticipant));
    server.apply(&fac(&server), &lock).unwrap();
    let refused = server.apply(&p(&server, "p1"), &add("n2", "need", "x"));
    assert_eq!(refused, Err(OpError::Locked));
}
