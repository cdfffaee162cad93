//! One value of every wire type, for the decoder's tests: every change, op and server message,
//! and a board with every field set.

use crate::board::workshop::{
    Competences, GatheredNote, Member, Profile, Role, Seat, Showing, Table, TableOf, Workshop,
};
use crate::board::*;
use crate::protocol::{ErrorCode, Event, Person, ServerMsg};
use std::collections::BTreeMap;

pub(super) fn note(id: &str, masked: bool) -> Note {
    Note {
        id: NoteId::from(id),
        lane: LaneId::from("need"),
        group: (!masked).then(|| GroupId::from("g1")),
        rank: 0.1 + 0.2,
        text: if masked { String::new() } else { "Flere bænke ved \"søen\"\n😀 \\ </script>".into() },
        author: Some(ParticipantId::from("p-1")),
        mine: false,
        from_table: (!masked).then(|| FromTable { table: 3, name: "Bord \"3\"".into(), source: "n7".into() }),
        author_name: (!masked).then(|| "Åse".into()),
        created_at: 1_700_000_000_123,
        updated_at: -5,
        version: 3,
        votes: u32::MAX,
        masked,
    }
}

pub(super) fn group() -> Group {
    Group { id: GroupId::from("g1"), lane: LaneId::from("idea"), title: "Grøn by".into(), rank: -1.5e-7, version: 2 }
}

pub(super) fn timer() -> Timer {
    Timer { started_at: 1, ends_at: i64::MAX }
}

pub(super) fn voting() -> Voting {
    let name = Some("Hvilke forsøg?".into());
    Voting { round: 2, name, votes_per_participant: 5, allow_stacking: true, open: false, counts_shown: true, cast: 7 }
}

pub(super) fn result() -> RoundResult {
    let counts = vec![NoteVotes { note_id: NoteId::from("n1"), votes: 4 }];
    RoundResult { round: 1, name: None, votes_per_participant: 3, cast: 4, counts }
}

pub(super) fn board() -> Board {
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
    board.lanes[1].question = Some("Hvad nu hvis?".into());
    board.workshop = Some(Workshop {
        tables: vec![Table { number: 1, name: "Bord 1".into(), code: Some("K7PX2N".into()) }],
        members: vec![member()],
        joined: 12,
        formed: true,
        showing: Showing::Table { number: 1 },
    });
    board.table_of = Some(TableOf { plenary: BoardId::from("p1"), number: 4 });
    board
}

pub(super) fn changes() -> Vec<Change> {
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
        Change::MemberJoined { member: Some(member()), new: true },
        Change::MemberJoined { member: None, new: false },
        Change::TablesSet { tables: vec![Table { number: 3, name: "Bord 3".into(), code: None }] },
        Change::TablesFormed { seats: vec![Seat { member: 1, table: 3 }] },
        Change::MemberSeated { member: Some(1), table: None },
        Change::MemberSeated { member: None, table: None },
        Change::NotesGathered { notes: vec![note("n5", false), note("n6", true)] },
        Change::ShowingSet { showing: Showing::Tables },
        Change::ShowingSet { showing: Showing::Plenary },
        Change::Imported { board: Box::new(board()) },
    ]
}

pub(super) fn server_msgs() -> Vec<ServerMsg> {
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

pub(super) fn ops() -> Vec<Op> {
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
        Op::JoinWorkshop { profile: member().profile, name: Some("Anna".into()) },
        Op::JoinWorkshop { profile: Profile::default(), name: None },
        Op::SetTables { tables: vec![Table { number: 1, name: "Bord 1".into(), code: None }] },
        Op::FormTables { seed: u64::MAX },
        Op::SeatMember { member: 2, table: Some(1) },
        Op::SeatMember { member: 2, table: None },
        Op::Gather {
            table: 2,
            notes: vec![GatheredNote {
                id: "c1".into(),
                source: "g1".into(),
                lane: "idea".into(),
                text: "Grøn\nby".into(),
            }],
        },
        Op::Show { showing: Showing::Table { number: 3 } },
    ]
}

pub(super) fn member() -> Member {
    Member {
        number: 1,
        participant: None,
        mine: true,
        name: Some("Anna".into()),
        profile: Profile { role: Some(Role::Politiker), competences: Competences::default().with(0).with(4) },
        table: Some(3),
    }
}
