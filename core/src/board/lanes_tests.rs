//! The lane ops against the board: limits, emptiness, clamped positions, the phase.

use crate::board::{Actor, Board, BoardId, Change, LaneId, LaneSpec, Op, OpContext, OpError, MAX_LANES};

fn board() -> Board {
    Board::new(BoardId::from("b"), "t".into(), "ABCDEF".into(), 0)
}

fn fac(b: &mut Board, op: Op) -> Result<Change, OpError> {
    let cx = OpContext { actor: Actor::Facilitator, at: 1, seq: b.seq + 1 };
    b.apply(&cx, &op)
}

fn add(id: &str, index: Option<u32>) -> Op {
    Op::AddLane { lane_id: id.into(), title: format!("Spor {id}"), question: None, index, hidden: false }
}

fn ids(b: &Board) -> Vec<&str> {
    b.lanes.iter().map(|l| l.id.as_str()).collect()
}

#[test]
fn lanes_are_added_where_asked_and_at_most_six() {
    let mut b = board();
    fac(&mut b, add("first", Some(0))).unwrap();
    fac(&mut b, add("far", Some(99))).unwrap();
    assert_eq!(ids(&b), ["first", "need", "ideas", "trials", "far"]);
    fac(&mut b, add("sixth", None)).unwrap();
    assert_eq!(b.lanes.len(), MAX_LANES);
    assert_eq!(fac(&mut b, add("seventh", None)), Err(OpError::TooManyLanes { max: MAX_LANES }));
    fac(&mut b, Op::RemoveLane { lane_id: "sixth".into() }).unwrap();
    assert_eq!(fac(&mut b, add("need", None)), Err(OpError::DuplicateLane("need".into())));
    assert_eq!(fac(&mut b, add("bad id!", None)), Err(OpError::InvalidId));
}

#[test]
fn a_lane_is_edited_with_its_question_normalised() {
    let mut b = board();
    let op = Op::EditLane {
        lane_id: "ideas".into(),
        title: "  Drømme ".into(),
        question: Some("  Hvad drømmer du om?".into()),
    };
    fac(&mut b, op).unwrap();
    let lane = b.lane(&"ideas".into()).unwrap();
    assert_eq!((lane.title.as_str(), lane.question.as_deref()), ("Drømme", Some("Hvad drømmer du om?")));
    let blank = Op::EditLane { lane_id: "ideas".into(), title: "Drømme".into(), question: Some("   ".into()) };
    fac(&mut b, blank).unwrap();
    assert_eq!(b.lane(&"ideas".into()).unwrap().question, None, "a blank question is none");
    let long = Op::EditLane { lane_id: "ideas".into(), title: "x".into(), question: Some("?".repeat(201)) };
    assert_eq!(fac(&mut b, long), Err(OpError::QuestionTooLong { max: 200, got: 201 }));
    let two_lines = Op::EditLane { lane_id: "ideas".into(), title: "x".into(), question: Some("a\nb".into()) };
    assert_eq!(fac(&mut b, two_lines), Err(OpError::ControlCharacter));
    let unknown = Op::EditLane { lane_id: "nope".into(), title: "x".into(), question: None };
    assert_eq!(fac(&mut b, unknown), Err(OpError::UnknownLane("nope".into())));
}

#[test]
fn moves_clamp_to_the_last_place() {
    let mut b = board();
    fac(&mut b, Op::MoveLane { lane_id: "need".into(), index: 40 }).unwrap();
    assert_eq!(ids(&b), ["ideas", "trials", "need"]);
    fac(&mut b, Op::MoveLane { lane_id: "need".into(), index: 0 }).unwrap();
    assert_eq!(ids(&b), ["need", "ideas", "trials"]);
}

#[test]
fn only_an_empty_lane_is_removed_and_never_the_last() {
    let mut b = board();
    let cx = OpContext { actor: Actor::participant("p"), at: 1, seq: 1 };
    let note = Op::AddNote { note_id: "n".into(), lane: "need".into(), text: "x".into(), author_name: None };
    b.apply(&cx, &note).unwrap();
    assert_eq!(fac(&mut b, Op::RemoveLane { lane_id: "need".into() }), Err(OpError::LaneNotEmpty));
    fac(&mut b, Op::SetPhase { lane: Some("trials".into()) }).unwrap();
    fac(&mut b, Op::RemoveLane { lane_id: "trials".into() }).unwrap();
    assert_eq!(b.phase, None, "the phase of a removed lane ends");
    fac(&mut b, Op::RemoveLane { lane_id: "ideas".into() }).unwrap();
    fac(&mut b, Op::DeleteNote { note_id: "n".into() }).unwrap();
    assert_eq!(fac(&mut b, Op::RemoveLane { lane_id: "need".into() }), Err(OpError::LastLane));
    let lost = Op::AddNote { note_id: "m".into(), lane: "ideas".into(), text: "x".into(), author_name: None };
    let cx = OpContext { actor: Actor::participant("p"), at: 1, seq: b.seq + 1 };
    assert_eq!(b.apply(&cx, &lost), Err(OpError::UnknownLane("ideas".into())));
}

#[test]
fn templates_make_one_to_six_checked_lanes() {
    let spec = |t: &str, q: Option<&str>| LaneSpec { title: t.into(), question: q.map(str::to_owned) };
    let lanes = LaneSpec::lanes(&[spec(" Før ", Some("Hvad sker der i dag?")), spec("Efter", None)]).unwrap();
    assert_eq!(
        lanes.iter().map(|l| l.id.clone()).collect::<Vec<_>>(),
        [LaneId::from("lane-1"), LaneId::from("lane-2")]
    );
    assert_eq!((lanes[0].title.as_str(), lanes[0].question.as_deref()), ("Før", Some("Hvad sker der i dag?")));
    assert_eq!(LaneSpec::lanes(&[]), Err(OpError::LastLane));
    assert_eq!(LaneSpec::lanes(&vec![spec("x", None); 7]), Err(OpError::TooManyLanes { max: MAX_LANES }));
    assert_eq!(LaneSpec::lanes(&[spec("", None)]), Err(OpError::EmptyTitle));
}

#[test]
fn an_import_keeps_one_to_six_lanes_and_a_phase_only_on_one_of_them() {
    let mut b = board();
    b.phase = Some("gone".into());
    assert_eq!(b.clone().checked_import().unwrap().phase, None);
    let mut none = board();
    none.lanes.clear();
    assert_eq!(none.checked_import(), Err(OpError::LastLane));
    let mut seven = board();
    for i in 0..4 {
        let mut lane = seven.lanes[0].clone();
        lane.id = format!("extra{i}").as_str().into();
        seven.lanes.push(lane);
    }
    assert_eq!(seven.checked_import(), Err(OpError::TooManyLanes { max: MAX_LANES }));
}
