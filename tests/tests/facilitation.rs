//! The facilitator's rules, enforced by the server against clients speaking the protocol
//! directly (raw websocket clients, no UI).

use idetavle_core::board::{GroupId, NoteId, Op, OpErrorCode, Spotlight};
use idetavle_core::protocol::{ClientMsg, ErrorCode, ServerMsg};
use tests::support::client::WsClient;
use tests::support::http::{create_board, export};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

fn facilitation_ops() -> Vec<Op> {
    vec![
        Op::MoveNote { note_id: "n1".into(), lane: "ideas".into(), group: None, rank: None },
        Op::CreateGroup { group_id: "g1".into(), title: "G".into(), note_ids: vec!["n1".into()] },
        Op::RenameGroup { group_id: "g1".into(), title: "G".into() },
        Op::MoveGroup { group_id: "g1".into(), lane: "need".into(), rank: None },
        Op::Ungroup { group_id: "g1".into() },
        Op::SetHidden { lane: None, hidden: true },
        Op::SetLocked { locked: true },
        Op::StartTimer { seconds: 60 },
        Op::StopTimer {},
        Op::SetSpotlight { target: Some(Spotlight::Note { id: "n1".into() }) },
        Op::SetPhase { lane: Some("ideas".into()) },
        Op::open_voting(20, true),
        Op::CloseVoting {},
        Op::RemoveParticipant { participant: "0000000000000000".into() },
        Op::Undo {},
        Op::Redo {},
        Op::AddLane { lane_id: "x".into(), title: "X".into(), question: None, index: None, hidden: false },
        Op::EditLane { lane_id: "need".into(), title: "Behov".into(), question: Some("Hvad?".into()) },
        Op::MoveLane { lane_id: "need".into(), index: 2 },
        Op::RemoveLane { lane_id: "trials".into() },
    ]
}

#[tokio::test]
async fn every_facilitator_op_from_a_participant_is_refused() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    phone.post("p0", "n1", "need", "a note").await;
    let seq = phone.acked("p0").await;
    for (i, op) in facilitation_ops().into_iter().enumerate() {
        let id = format!("f{i}");
        phone.submit(&id, op.clone()).await;
        assert_eq!(phone.refusal(&id).await.0, ErrorCode::Forbidden, "{op:?}");
    }
    assert_eq!(export(&server.http_base(), &board).await["board"]["seq"], seq, "nothing changed");
    server.stop().await;
}

#[tokio::test]
async fn the_vote_limit_holds_against_floods_from_several_connections() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let mut author = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    for i in 0..3 {
        author.post(&format!("a{i}"), &format!("n{i}"), "ideas", "idé").await;
        author.acked(&format!("a{i}")).await;
    }
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    fac.submit("open", Op::open_voting(5, true)).await;
    fac.acked("open").await;

    // One voter on three connections (three tabs), each firing 30 votes without waiting.
    let secret = new_secret();
    let mut tabs = Vec::new();
    for _ in 0..3 {
        tabs.push(WsClient::participant(&server.ws_base(), &board.id, &secret).await);
    }
    for (t, tab) in tabs.iter_mut().enumerate() {
        for i in 0..30 {
            let msg = ClientMsg::Op {
                op_id: format!("v{t}-{i}").as_str().into(),
                op: Op::Vote { note_id: format!("n{}", i % 3).as_str().into() },
            };
            tab.send(&msg).await;
        }
    }
    let mut accepted = 0;
    let mut limited = 0;
    for (t, tab) in tabs.iter_mut().enumerate() {
        for i in 0..30 {
            let id = format!("v{t}-{i}");
            match tab.apply_until(|m| matches!(m, ServerMsg::Ack { op_id, .. } | ServerMsg::Error { op_id: Some(op_id), .. } if op_id.as_str() == id)).await {
                ServerMsg::Ack { .. } => accepted += 1,
                ServerMsg::Error { reason, .. } => {
                    assert_eq!(reason, Some(OpErrorCode::NoVotesLeft));
                    limited += 1;
                }
                _ => unreachable!(),
            }
        }
    }
    assert_eq!((accepted, limited), (5, 85));
    let exported = export(&server.http_base(), &board).await;
    let total: u64 = exported["board"]["notes"].as_array().unwrap().iter().map(|n| n["votes"].as_u64().unwrap()).sum();
    assert_eq!(total, 5);
    assert!(exported["board"].get("ballots").is_none(), "the export does not say who voted");
    server.stop().await;
}

#[tokio::test]
async fn hidden_note_text_never_reaches_other_participants_before_reveal() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    fac.submit("hide", Op::SetHidden { lane: None, hidden: true }).await;
    fac.acked("hide").await;

    let mut alice = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut bob = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let secret_text = "HEMMELIG-IDE-42";
    let op = Op::AddNote {
        note_id: "a1".into(),
        lane: "need".into(),
        text: secret_text.into(),
        author_name: Some("Alice Navnesen".into()),
    };
    alice.submit("a1", op).await;
    let seq = alice.acked("a1").await;
    alice.submit("a2", Op::EditNote { note_id: "a1".into(), text: format!("{secret_text} redigeret") }).await;
    let seq2 = alice.acked("a2").await;
    bob.caught_up_to(seq2).await;
    fac.caught_up_to(seq2).await;
    // A latecomer gets a snapshot, also without the text.
    let mut carl = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;

    for (who, c) in [("bob", &bob), ("carl", &carl)] {
        let raw = c.raw.join("\n");
        assert!(!raw.contains("HEMMELIG") && !raw.contains("Navnesen"), "{who} saw hidden text: {raw}");
        assert!(c.sync.board.as_ref().unwrap().notes[&NoteId::from("a1")].masked);
    }
    assert!(
        alice.sync.board.as_ref().unwrap().notes[&NoteId::from("a1")].text.contains(secret_text),
        "the author sees it"
    );
    assert!(fac.raw.join("\n").contains(secret_text), "the facilitator gets it (the projector shows counts)");
    // Server-rendered pages do not leak it either.
    let page = tests::support::http::get(&board.participant_url).await;
    assert!(!page.body.contains("HEMMELIG"));

    fac.submit("reveal", Op::SetHidden { lane: None, hidden: false }).await;
    let head = fac.acked("reveal").await;
    bob.caught_up_to(head).await;
    carl.caught_up_to(head).await;
    for c in [&bob, &carl] {
        let note = &c.sync.board.as_ref().unwrap().notes[&NoteId::from("a1")];
        assert_eq!(note.text, format!("{secret_text} redigeret"));
        assert_eq!(note.author_name.as_deref(), Some("Alice Navnesen"));
        assert!(!note.masked);
    }
    assert!(seq < seq2 && seq2 < head);
    server.stop().await;
}

#[tokio::test]
async fn a_locked_board_refuses_participant_writes_with_a_clear_reason() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    phone.post("p1", "n1", "need", "before the lock").await;
    phone.acked("p1").await;
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    fac.submit("open", Op::open_voting(3, false)).await;
    fac.submit("lock", Op::SetLocked { locked: true }).await;
    let locked_at = fac.acked("lock").await;
    phone.caught_up_to(locked_at).await;
    assert!(phone.sync.board.as_ref().unwrap().locked);

    let writes = [
        Op::AddNote { note_id: "n2".into(), lane: "need".into(), text: "after".into(), author_name: None },
        Op::EditNote { note_id: "n1".into(), text: "changed".into() },
        Op::DeleteNote { note_id: "n1".into() },
        Op::Vote { note_id: "n1".into() },
    ];
    for (i, op) in writes.into_iter().enumerate() {
        let id = format!("w{i}");
        phone.submit(&id, op.clone()).await;
        assert_eq!(phone.refusal(&id).await, (ErrorCode::InvalidOp, Some(OpErrorCode::Locked)), "{op:?}");
    }
    assert_eq!(export(&server.http_base(), &board).await["board"]["seq"], locked_at);
    fac.submit("unlock", Op::SetLocked { locked: false }).await;
    fac.acked("unlock").await;
    phone.post("p2", "n2", "need", "after the unlock").await;
    phone.acked("p2").await;
    server.stop().await;
}

#[tokio::test]
async fn groups_votes_timer_and_spotlight_reach_every_screen() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    for i in 0..3 {
        phone.post(&format!("p{i}"), &format!("n{i}"), "ideas", &format!("idé {i}")).await;
        phone.acked(&format!("p{i}")).await;
    }
    let steps = [
        Op::CreateGroup { group_id: "g1".into(), title: "Mobilitet".into(), note_ids: vec!["n0".into(), "n1".into()] },
        Op::RenameGroup { group_id: "g1".into(), title: "Grøn mobilitet".into() },
        Op::MoveGroup { group_id: "g1".into(), lane: "trials".into(), rank: None },
        Op::StartTimer { seconds: 300 },
        Op::SetSpotlight { target: Some(Spotlight::Group { id: "g1".into() }) },
        Op::SetPhase { lane: Some("trials".into()) },
        Op::open_voting(5, false),
    ];
    for (i, op) in steps.into_iter().enumerate() {
        fac.submit(&format!("s{i}"), op).await;
    }
    let head = fac.acked("s6").await;
    phone.submit("v", Op::Vote { note_id: "n0".into() }).await;
    let head = phone.acked("v").await.max(head);
    phone.caught_up_to(head).await;
    fac.caught_up_to(head).await;

    let b = phone.sync.board.as_ref().unwrap();
    assert_eq!(b.groups[&GroupId::from("g1")].title, "Grøn mobilitet");
    assert!(b.notes_in(&"trials".into()).map(|n| n.id.as_str()).eq(["n0", "n1"]));
    assert_eq!(b.timer.map(|t| t.ends_at - t.started_at), Some(300_000));
    assert_eq!(b.spotlight, Some(Spotlight::Group { id: "g1".into() }));
    assert_eq!(b.phase, Some("trials".into()));
    assert_eq!(b.notes[&NoteId::from("n0")].votes, 1);
    assert_eq!(b.votes_used(&phone.participant_id()), 1);
    // The facilitator sees the same board, but not who voted.
    let f = fac.sync.board.as_ref().unwrap();
    assert!(f.ballots.is_empty());
    // (The phone's own notes are marked `mine`; nobody's carry an author id.)
    let unmarked = |b: &idetavle_core::board::Board| {
        b.notes.values().map(|n| idetavle_core::board::Note { mine: false, ..n.clone() }).collect::<Vec<_>>()
    };
    assert_eq!(unmarked(f), unmarked(b));
    assert!(!fac.raw.iter().any(|frame| frame.contains("\"voter\":\"")), "voter ids never reach the facilitator");
    server.stop().await;
}

#[tokio::test]
async fn a_removed_participant_is_disconnected_and_cannot_return() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let secret = new_secret();
    let mut troll = WsClient::participant(&server.ws_base(), &board.id, &secret).await;
    let id = troll.participant_id();
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    fac.submit("rm", Op::RemoveParticipant { participant: id }).await;
    fac.acked("rm").await;
    let mut told = false;
    while let Some(msg) = troll.recv().await {
        told |= matches!(msg, ServerMsg::Error { code: ErrorCode::Removed, .. });
    }
    assert!(told, "told why before being disconnected");
    let mut again = WsClient::open(&server.ws_base(), &board.id).await;
    again.send(&again.sync.hello(idetavle_core::protocol::Credential::Participant { secret })).await;
    let mut refused_again = false;
    while let Some(msg) = again.recv().await {
        refused_again |= matches!(msg, ServerMsg::Error { code: ErrorCode::Removed, .. });
    }
    assert!(refused_again);
    server.stop().await;
}

/// What undo must restore: every note's place and text, every group, every lane's visibility.
fn shape(export: &serde_json::Value) -> serde_json::Value {
    let b = &export["board"];
    let mut notes: Vec<_> = b["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| serde_json::json!([n["id"], n["lane"], n["group"], n["rank"], n["text"]]))
        .collect();
    notes.sort_by_key(|n| n[0].to_string());
    let mut groups: Vec<_> = b["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| serde_json::json!([g["id"], g["lane"], g["title"], g["rank"]]))
        .collect();
    groups.sort_by_key(|g| g[0].to_string());
    let lanes: Vec<_> =
        b["lanes"].as_array().unwrap().iter().map(|l| serde_json::json!([l["id"], l["hidden"]])).collect();
    serde_json::json!({ "notes": notes, "groups": groups, "lanes": lanes })
}

#[tokio::test]
async fn undo_restores_the_exact_state_and_redo_brings_it_back() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    for (id, lane) in [("a", "need"), ("b", "need"), ("c", "ideas")] {
        phone.post(&format!("p{id}"), id, lane, &format!("note {id}")).await;
        phone.acked(&format!("p{id}")).await;
    }
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    let before = shape(&export(&server.http_base(), &board).await);
    let actions = [
        Op::CreateGroup { group_id: "g".into(), title: "Bænke".into(), note_ids: vec!["a".into(), "b".into()] },
        Op::RenameGroup { group_id: "g".into(), title: "Siddepladser".into() },
        Op::MoveNote { note_id: "c".into(), lane: "trials".into(), group: None, rank: None },
        Op::SetHidden { lane: None, hidden: true },
        Op::DeleteNote { note_id: "a".into() },
        Op::MoveGroup { group_id: "g".into(), lane: "ideas".into(), rank: None },
        Op::EditNote { note_id: "b".into(), text: "modereret".into() },
    ];
    for (i, op) in actions.iter().enumerate() {
        fac.submit(&format!("act{i}"), op.clone()).await;
        fac.acked(&format!("act{i}")).await;
    }
    let after = shape(&export(&server.http_base(), &board).await);
    assert_ne!(before, after);

    for i in 0..actions.len() {
        fac.submit(&format!("undo{i}"), Op::Undo {}).await;
        fac.acked(&format!("undo{i}")).await;
    }
    assert_eq!(shape(&export(&server.http_base(), &board).await), before, "undo restores the exact state");
    fac.submit("undo-more", Op::Undo {}).await;
    assert_eq!(fac.refusal("undo-more").await, (ErrorCode::InvalidOp, Some(OpErrorCode::NothingToUndo)));

    for i in 0..actions.len() {
        fac.submit(&format!("redo{i}"), Op::Redo {}).await;
        fac.acked(&format!("redo{i}")).await;
    }
    let redone = export(&server.http_base(), &board).await;
    assert_eq!(shape(&redone), after, "redo brings every action back");
    // Everyone saw the same thing happen.
    phone.caught_up_to(redone["board"]["seq"].as_u64().unwrap()).await;
    fac.caught_up_to(redone["board"]["seq"].as_u64().unwrap()).await;
    let exported: idetavle_core::board::Board = serde_json::from_value(redone["board"].clone()).unwrap();
    assert_eq!(fac.sync.board.as_ref().unwrap(), &exported);

    phone.submit("sneaky", Op::Undo {}).await;
    assert_eq!(phone.refusal("sneaky").await.0, ErrorCode::Forbidden);
    server.stop().await;
}
