//! The decoder against serde's own output: every variant, any key order, edge-case text,
//! and no panic on anything malformed.

use super::{decode, parse, DecodeError, FromJson, Json, Tagged};
use crate::board::*;
use crate::protocol::{ErrorCode, Event, Person, ServerMsg};
use serde::Serialize;
use std::collections::BTreeMap;

fn note(id: &str, masked: bool) -> Note {
    Note {
        id: NoteId::from(id),
        lane: LaneId::from("need"),
        group: (!masked).then(|| GroupId::from("g1")),
        rank: 0.1 + 0.2,
        text: if masked { String::new() } else { "Flere bænke ved \"søen\"\n😀 \\ </script>".into() },
        author: Some(ParticipantId::from("p-1")),
        mine: false,
        author_name: (!masked).then(|| "Åse".into()),
        created_at: 1_700_000_000_123,
        updated_at: -5,
        version: 3,
        votes: u32::MAX,
        masked,
    }
}

fn group() -> Group {
    Group { id: GroupId::from("g1"), lane: LaneId::from("idea"), title: "Grøn by".into(), rank: -1.5e-7, version: 2 }
}

fn timer() -> Timer {
    Timer { started_at: 1, ends_at: i64::MAX }
}

fn voting() -> Voting {
    let name = Some("Hvilke forsøg?".into());
    Voting { round: 2, name, votes_per_participant: 5, allow_stacking: true, open: false, counts_shown: true, cast: 7 }
}

fn result() -> RoundResult {
    let counts = vec![NoteVotes { note_id: NoteId::from("n1"), votes: 4 }];
    RoundResult { round: 1, name: None, votes_per_participant: 3, cast: 4, counts }
}

fn board() -> Board {
    let mut board = Board::new(BoardId::from("b1"), "Fremtidens bibliotek".into(), "K7PX2M".into(), 42);
    board.seq = u64::MAX;
    board.notes.insert(NoteId::from("n1"), note("n1", false));
    board.notes.insert(NoteId::from("n2"), note("n2", true));
    board.groups.insert(GroupId::from("g1"), group());
    board.locked = true;
    board.phase = Some(LaneId::from("trial"));
    board.timer = Some(timer());
    board.spotlight = Some(Spotlight::Group { id: GroupId::from("g1") });
    board.voting = Some(voting());
    board.rounds = vec![result()];
    board.ballots = BTreeMap::from([(ParticipantId::from("p-1"), BTreeMap::from([(NoteId::from("n1"), 2)]))]);
    board.removed = vec![ParticipantId::from("p-9")];
    board.lanes[0].hidden = true;
    board
}

fn changes() -> Vec<Change> {
    let n = || NoteId::from("n1");
    let g = || GroupId::from("g1");
    let l = || LaneId::from("idea");
    vec![
        Change::NoteAdded { note: note("n1", false) },
        Change::NoteAdded { note: note("n2", true) },
        Change::NoteEdited { note_id: n(), text: "ny tekst".into(), at: 7 },
        Change::NoteDeleted { note_id: n() },
        Change::NoteMoved { note_id: n(), lane: l(), group: None, rank: 1.0 / 3.0 },
        Change::NoteMoved { note_id: n(), lane: l(), group: Some(g()), rank: 1e300 },
        Change::GroupCreated { group: group(), note_ids: vec![n(), NoteId::from("n2")] },
        Change::GroupRenamed { group_id: g(), title: "Navn".into() },
        Change::GroupMoved { group_id: g(), lane: l(), rank: 0.0 },
        Change::Ungrouped { group_id: g() },
        Change::HiddenSet { lanes: vec![l(), LaneId::from("need")], hidden: true },
        Change::HiddenSet { lanes: vec![], hidden: false },
        Change::LockedSet { locked: true },
        Change::TimerSet { timer: Some(timer()) },
        Change::TimerSet { timer: None },
        Change::SpotlightSet { target: Some(Spotlight::Note { id: n() }) },
        Change::SpotlightSet { target: None },
        Change::PhaseSet { lane: Some(l()) },
        Change::PhaseSet { lane: None },
        Change::VotingOpened { voting: voting() },
        Change::VotingClosed { result: None },
        Change::VotingClosed { result: Some(result()) },
        Change::VoteCounted { retracted: true },
        Change::VoteCast { note_id: n(), voter: Some(ParticipantId::from("p-1")) },
        Change::VoteCast { note_id: n(), voter: None },
        Change::VoteRetracted { note_id: n(), voter: None },
        Change::ParticipantRemoved { participant: Some(ParticipantId::from("p-2")) },
        Change::AuthorsShown { shown: true, authors: Some([(NoteId::from("n-1"), ParticipantId::from("p-1"))].into()) },
        Change::AuthorsShown { shown: false, authors: None },
        Change::NoteRestored { note: note("n1", false) },
        Change::GroupRestored { group: group() },
        Change::LaneAdded {
            lane: Lane { id: l(), title: "Spor".into(), hidden: true, question: Some("Hvorfor?".into()) },
            index: 2,
        },
        Change::LaneAdded { lane: Lane { id: l(), title: "Spor".into(), hidden: false, question: None }, index: 0 },
        Change::LaneEdited { lane_id: l(), title: "Nyt".into(), question: Some("Hvad?".into()) },
        Change::LaneEdited { lane_id: l(), title: "Nyt".into(), question: None },
        Change::LaneMoved { lane_id: l(), index: 1 },
        Change::LaneRemoved { lane_id: l() },
        Change::Imported { board: Box::new(board()) },
    ]
}

fn server_msgs() -> Vec<ServerMsg> {
    let mut msgs = vec![
        ServerMsg::Welcome {
            protocol: crate::protocol::PROTOCOL_VERSION,
            board_id: BoardId::from("b1"),
            you: Actor::participant("p-1"),
            head_seq: 0,
            server_time: 1_764_000_000_000,
        },
        ServerMsg::Welcome {
            protocol: 4,
            board_id: BoardId::from("b1"),
            you: Actor::Facilitator,
            head_seq: 9,
            server_time: 0,
        },
        ServerMsg::Snapshot { board: board() },
        ServerMsg::Ack { op_id: OpId::from("op-1"), seq: 12 },
        ServerMsg::Presence { participants: 1000, facilitators: 1, people: vec![] },
        ServerMsg::Presence {
            participants: 2,
            facilitators: 0,
            people: vec![
                Person { id: ParticipantId::from("p-1"), name: Some("Åse".into()) },
                Person { id: ParticipantId::from("p-2"), name: None },
            ],
        },
    ];
    for &code in ErrorCode::ALL {
        msgs.push(ServerMsg::Error { op_id: None, code, reason: None, message: "x".into() });
    }
    msgs.push(ServerMsg::Error {
        op_id: Some(OpId::from("op-2")),
        code: ErrorCode::InvalidOp,
        reason: Some(OpErrorCode::TextTooLong),
        message: "The note is too long".into(),
    });
    for (seq, change) in changes().into_iter().enumerate() {
        let revealed = match seq % 3 {
            0 => vec![],
            _ => vec![Revealed { note_id: NoteId::from("n2"), text: "nu synlig".into(), author_name: None }],
        };
        let actor = (seq % 2 == 0).then(|| Actor::participant("p-3"));
        msgs.push(ServerMsg::Event(Event {
            seq: seq as u64 + 1,
            op_id: OpId::from("o"),
            actor,
            at: 99,
            change,
            revealed,
        }));
    }
    msgs
}

fn ops() -> Vec<Op> {
    let n = || NoteId::from("n1");
    let g = || GroupId::from("g1");
    let l = || LaneId::from("idea");
    vec![
        Op::AddNote { note_id: n(), lane: l(), text: "Hej".into(), author_name: Some("Bo".into()) },
        Op::AddNote { note_id: n(), lane: l(), text: "Hej".into(), author_name: None },
        Op::EditNote { note_id: n(), text: "ny".into() },
        Op::DeleteNote { note_id: n() },
        Op::Vote { note_id: n() },
        Op::Unvote { note_id: n() },
        Op::MoveNote { note_id: n(), lane: l(), group: Some(g()), rank: Some(2.5) },
        Op::MoveNote { note_id: n(), lane: l(), group: None, rank: None },
        Op::CreateGroup { group_id: g(), title: "T".into(), note_ids: vec![n()] },
        Op::RenameGroup { group_id: g(), title: "U".into() },
        Op::MoveGroup { group_id: g(), lane: l(), rank: Some(-0.5) },
        Op::Ungroup { group_id: g() },
        Op::SetHidden { lane: Some(l()), hidden: true },
        Op::SetHidden { lane: None, hidden: false },
        Op::SetLocked { locked: true },
        Op::StartTimer { seconds: 300 },
        Op::StopTimer {},
        Op::SetSpotlight { target: Some(Spotlight::Note { id: n() }) },
        Op::SetSpotlight { target: None },
        Op::SetPhase { lane: Some(l()) },
        Op::open_voting(5, false),
        Op::OpenVoting {
            votes_per_participant: 2,
            allow_stacking: true,
            name: Some("Runde".into()),
            show_counts: true,
        },
        Op::CloseVoting {},
        Op::RemoveParticipant { participant: ParticipantId::from("p-2") },
        Op::RemoveAuthor { note_id: NoteId::from("n-1") },
        Op::ShowAuthors { shown: true },
        Op::Undo {},
        Op::Redo {},
        Op::RestoreNote { note: note("n1", false) },
        Op::RestoreGroup { group: group() },
        Op::SetTimer { timer: Some(timer()) },
        Op::SetTimer { timer: None },
        Op::AddLane {
            lane_id: l(),
            title: "Spor".into(),
            question: Some("Hvad?".into()),
            index: Some(1),
            hidden: true,
        },
        Op::AddLane { lane_id: l(), title: "Spor".into(), question: None, index: None, hidden: false },
        Op::EditLane { lane_id: l(), title: "Spor".into(), question: Some("Hvad?".into()) },
        Op::MoveLane { lane_id: l(), index: 0 },
        Op::RemoveLane { lane_id: l() },
    ]
}

/// serde's text, the same with keys sorted (`serde_json::Value` sorts them, so tags are no
/// longer first), and pretty-printed: the decoder must read all three back to the value.
fn read_back<T: Serialize + FromJson + PartialEq + std::fmt::Debug>(value: &T) {
    let text = serde_json::to_string(value).unwrap();
    let sorted = serde_json::to_value(value).unwrap().to_string();
    let pretty = serde_json::to_string_pretty(value).unwrap();
    for form in [&text, &sorted, &pretty] {
        assert_eq!(&decode::<T>(form).unwrap(), value, "{form}");
    }
}

/// Every tag our tables name is the one serde writes.
fn same_tag<T: Serialize + Tagged>(value: &T, field: &str) {
    let json = serde_json::to_value(value).unwrap();
    let tag = if field.is_empty() { &json } else { &json[field] };
    assert_eq!(tag.as_str(), Some(value.wire_tag()), "{json}");
}

#[test]
fn reads_every_server_message_as_serde_wrote_it() {
    for msg in server_msgs() {
        same_tag(&msg, "type");
        read_back(&msg);
    }
    for change in changes() {
        same_tag(&change, "type");
    }
    for &code in ErrorCode::ALL {
        same_tag(&code, "");
    }
    for &reason in OpErrorCode::ALL {
        same_tag(&reason, "");
        read_back(&ServerMsg::Error {
            op_id: None,
            code: ErrorCode::InvalidOp,
            reason: Some(reason),
            message: "x".into(),
        });
    }
    same_tag(&Actor::Facilitator, "role");
    same_tag(&Actor::participant("p"), "role");
    same_tag(&Spotlight::Note { id: NoteId::from("n") }, "kind");
    same_tag(&Spotlight::Group { id: GroupId::from("g") }, "kind");
}

#[test]
fn reads_every_op_as_serde_wrote_it() {
    // The browser reads its own outbox back from localStorage.
    for op in ops() {
        same_tag(&op, "type");
        read_back(&op);
    }
}

#[test]
fn reads_the_board_as_serde_wrote_it() {
    read_back(&board());
}

#[test]
fn omitted_defaults_and_unknown_fields() {
    // What serde's derive allows: absent `Option`s and `#[serde(default)]` fields.
    let minimal = r#"{"id":"n","lane":"need","text":"t","author":"p","created_at":1,"updated_at":2,"version":0}"#;
    let read: Note = decode(minimal).unwrap();
    assert_eq!(read, serde_json::from_str::<Note>(minimal).unwrap());
    // A newer server may add fields; the browser ignores them (serde would too here).
    let newer = r#"{"type":"ack","op_id":"o","seq":1,"later":{"x":[1,2]}}"#;
    assert_eq!(decode::<ServerMsg>(newer).unwrap(), ServerMsg::Ack { op_id: OpId::from("o"), seq: 1 });
    // A reason this build does not know still delivers the error, without a reason.
    let later_reason = r#"{"type":"error","op_id":"o","code":"invalid_op","reason":"too_sunny","message":"m"}"#;
    assert_eq!(
        decode::<ServerMsg>(later_reason).unwrap(),
        ServerMsg::Error {
            op_id: Some(OpId::from("o")),
            code: ErrorCode::InvalidOp,
            reason: None,
            message: "m".into()
        }
    );
    // Required fields are required, types are checked, unknown tags refused.
    assert_eq!(decode::<ServerMsg>(r#"{"type":"ack","seq":1}"#), Err(DecodeError::Missing("op_id")));
    assert_eq!(decode::<ServerMsg>(r#"{"type":"ack","op_id":"o","seq":-1}"#), Err(DecodeError::Expected("u64")));
    assert_eq!(decode::<ServerMsg>(r#"{"type":"ack","op_id":"o","seq":1.5}"#), Err(DecodeError::Expected("u64")));
    assert_eq!(decode::<ServerMsg>(r#"{"type":"ack","op_id":7,"seq":1}"#), Err(DecodeError::Expected("string")));
    assert_eq!(decode::<ServerMsg>(r#"{"type":"teleport"}"#), Err(DecodeError::UnknownVariant));
    assert_eq!(decode::<ServerMsg>(r#"{"op_id":"o","seq":1}"#), Err(DecodeError::Missing("type")));
    assert_eq!(decode::<ServerMsg>(r#"[]"#), Err(DecodeError::Expected("object")));
    assert_eq!(decode::<u32>("4294967296"), Err(DecodeError::Expected("u32")));
}

#[test]
fn reads_text_and_numbers_exactly_as_serde_does() {
    let texts = [
        "",
        "plain",
        "æøå ÆØÅ",
        "quote \" backslash \\ slash / tab \t newline \n cr \r",
        "\u{0}\u{1}\u{1f}\u{7f}",
        "😀 astral 𝄞",
        "<script>alert(1)</script>",
        "\u{2028}\u{2029}",
    ];
    for text in texts {
        read_back(&text.to_owned());
    }
    // Escapes serde never writes but JSON allows.
    assert_eq!(decode::<String>(r#""\u00e6\/\b\f\ud83d\ude00""#).unwrap(), "æ/\u{8}\u{c}😀");
    let mut x: f64 = 0.0;
    for i in 0..2000 {
        // Midpoints like the ranks the board computes, plus extremes.
        x = (x + (i as f64).sqrt()) / 3.0 - 0.25;
        read_back(&x);
        read_back(&(x * 1e-300));
        read_back(&(x * 1e300));
    }
    for n in [0, 1, u64::MAX] {
        read_back(&n);
    }
    for n in [i64::MIN, -1, 0, i64::MAX] {
        read_back(&n);
    }
}

#[test]
fn refuses_what_is_not_json_as_serde_does() {
    let bad = [
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "[,1]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a:1}",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "+1",
        "tru",
        "nul",
        "\"unterminated",
        "\"bad \\x escape\"",
        "\"\\u12\"",
        "\"\\ud83d\"",
        "\"\\ude00\"",
        "\"raw \n newline\"",
        "[1] 2",
        "NaN",
        "Infinity",
        "'single'",
    ];
    for text in bad {
        assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "serde accepts {text:?}");
        assert!(parse(text).is_err(), "we accept {text:?}");
    }
    let good = [" 1 ", "-0", "0.5e-3", "1E+2", "[]", "{}", "[[[]]]", "\"\"", "{\"a\":{\"b\":[null,true,false]}}"];
    for text in good {
        assert!(serde_json::from_str::<serde_json::Value>(text).is_ok(), "serde refuses {text:?}");
        assert!(parse(text).is_ok(), "we refuse {text:?}");
    }
    // Nesting deeper than a board ever needs is refused, not a stack overflow.
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    assert!(matches!(parse(&deep), Err(DecodeError::Syntax(_))));
}

#[test]
fn never_panics_on_a_cut_or_corrupted_message() {
    let text = serde_json::to_string(&ServerMsg::Snapshot { board: board() }).unwrap();
    let mut cut_points: Vec<usize> = (0..text.len()).filter(|&i| text.is_char_boundary(i)).collect();
    cut_points.retain(|&i| i < text.len());
    for at in cut_points {
        assert!(decode::<ServerMsg>(&text[..at]).is_err(), "a prefix of {at} bytes was accepted");
    }
    // Every ASCII byte in place of each position: an error or some value, never a panic.
    let bytes = text.as_bytes();
    for at in (0..bytes.len()).step_by(7) {
        for replacement in [b'"', b'\\', b'{', b'}', b'[', b',', b':', b'0', b'-', b'e', b'n', 0x01] {
            let mut changed = bytes.to_vec();
            changed[at] = replacement;
            if let Ok(changed) = String::from_utf8(changed) {
                let _ = decode::<ServerMsg>(&changed);
            }
        }
    }
    assert_eq!(parse("null"), Ok(Json::Null));
}
