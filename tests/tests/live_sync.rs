//! Two phones and a projector on one board, over real websockets and a real SQLite file.

use idetavle_core::board::{Actor, NoteId, Op};
use idetavle_core::protocol::{ClientMsg, Credential, ServerMsg};
use tests::support::client::WsClient;
use tests::support::http::{create_board, export};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

/// A phone's board without its marks on its own notes (`mine`), to compare with another's.
fn unmarked(c: &WsClient) -> Option<idetavle_core::board::Board> {
    let mut board = c.sync.board.clone()?;
    for note in board.notes.values_mut() {
        note.mine = false;
    }
    Some(board)
}

fn texts(c: &WsClient, lane: &str) -> Vec<String> {
    let board = c.sync.board.as_ref().expect("board");
    board.notes_in(&lane.into()).map(|n| n.text.clone()).collect()
}

#[tokio::test]
async fn two_participants_see_each_others_notes_in_the_same_order() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Fremtidens bibliotek").await;
    let mut anna = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut bo = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;

    anna.post("a1", "n-a1", "need", "Flere siddepladser").await;
    bo.post("b1", "n-b1", "need", "Længere åbningstid").await;
    anna.post("a2", "n-a2", "ideas", "Læsecafé med \"kaffe\"").await;
    let last = anna.acked("a2").await.max(bo.acked("b1").await);
    anna.caught_up_to(last).await;
    bo.caught_up_to(last).await;

    assert_eq!(texts(&anna, "need").len(), 2);
    assert_eq!(texts(&anna, "need"), texts(&bo, "need"), "same notes in the same order on both phones");
    assert_eq!(texts(&bo, "ideas"), ["Læsecafé med \"kaffe\""]);
    assert_eq!(unmarked(&anna), unmarked(&bo));
    let mine = |c: &WsClient| c.sync.board.as_ref().map_or(0, |b| b.notes.values().filter(|n| n.mine).count());
    assert_eq!((mine(&anna), mine(&bo)), (2, 1), "each phone knows its own notes");
    // And both equal the server's own board.
    let exported: idetavle_core::board::Board =
        serde_json::from_value(export(&server.http_base(), &board).await["board"].clone()).unwrap();
    assert_eq!(Some(exported), unmarked(&anna));
    server.stop().await;
}

#[tokio::test]
async fn a_note_reaches_the_projector_with_its_signed_name_and_lane_but_no_author_id() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let mut projector = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    assert_eq!(projector.sync.me, Some(Actor::Facilitator));
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let phone_id = phone.participant_id();

    let op = Op::AddNote {
        note_id: "n1".into(),
        lane: "trials".into(),
        text: "Prøv gratis busser".into(),
        author_name: Some("Åse".into()),
    };
    phone.submit("op1", op).await;
    let seq = phone.acked("op1").await;
    projector.caught_up_to(seq).await;
    let note = &projector.sync.board.as_ref().unwrap().notes[&NoteId::from("n1")];
    assert_eq!(note.text, "Prøv gratis busser");
    assert_eq!(note.author_name.as_deref(), Some("Åse"));
    assert_eq!(note.author, None, "who wrote it stays with the server");
    assert!(!projector.raw.iter().any(|f| f.contains(phone_id.as_str()) && !f.contains("\"presence\"")));
    assert_eq!(note.lane.as_str(), "trials");
    server.stop().await;
}

#[tokio::test]
async fn a_client_that_reconnects_gets_exactly_the_events_it_missed() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let secret = new_secret();
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &secret).await;
    let mut other = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    other.post("o1", "n1", "need", "one").await;
    let seq1 = other.acked("o1").await;
    phone.caught_up_to(seq1).await;

    // The phone drops off; three events happen while it is away.
    let state = phone.sync.clone();
    phone.close().await;
    other.post("o2", "n2", "need", "two").await;
    other.post("o3", "n3", "ideas", "three").await;
    other.submit("o4", Op::DeleteNote { note_id: "n1".into() }).await;
    let head = other.acked("o4").await;

    // It comes back with its last sequence number and gets events 2..=4, no snapshot.
    let mut phone = WsClient::open(&server.ws_base(), &board.id).await;
    phone.sync = state;
    phone.send(&phone.sync.hello(Credential::Participant { secret })).await;
    let mut missed = Vec::new();
    loop {
        match phone.recv().await.expect("open") {
            ServerMsg::Welcome { head_seq, .. } => assert_eq!(head_seq, head),
            ServerMsg::Event(e) => {
                missed.push(e.seq);
                phone.sync.receive(ServerMsg::Event(e));
            }
            ServerMsg::Presence { .. } => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(missed, (seq1 + 1..=head).collect::<Vec<_>>());
    other.caught_up_to(head).await;
    assert_eq!(unmarked(&phone), unmarked(&other));
    assert_eq!(texts(&phone, "need"), ["two"]);
    server.stop().await;
}

#[tokio::test]
async fn a_resent_op_is_applied_once_and_acknowledged_again() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let secret = new_secret();
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &secret).await;
    let op = Op::AddNote { note_id: "n1".into(), lane: "need".into(), text: "once".into(), author_name: None };
    let msg = ClientMsg::Op { op_id: "op-1".into(), op: op.clone() };
    phone.send(&msg).await;
    phone.send(&msg).await; // same connection, e.g. a double tap
    let first = phone.acked("op-1").await;
    let second = phone.acked("op-1").await;
    assert_eq!(first, second);

    // And after a reconnect (the ack was lost): still once.
    phone.close().await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &secret).await;
    phone.send(&msg).await;
    assert_eq!(phone.acked("op-1").await, first);
    let exported = export(&server.http_base(), &board).await;
    assert_eq!(exported["board"]["notes"].as_array().unwrap().len(), 1);
    assert_eq!(exported["board"]["seq"], first);
    server.stop().await;
}

#[tokio::test]
async fn participants_cannot_change_other_peoples_notes() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let mut anna = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut bo = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    anna.post("a1", "n1", "need", "Annas note").await;
    let seq = anna.acked("a1").await;
    bo.caught_up_to(seq).await;

    bo.submit("b1", Op::EditNote { note_id: "n1".into(), text: "hijacked".into() }).await;
    let refusal = bo.apply_until(|m| matches!(m, ServerMsg::Error { .. })).await;
    assert!(
        matches!(refusal, ServerMsg::Error { code: idetavle_core::protocol::ErrorCode::Forbidden, .. }),
        "{refusal:?}"
    );
    bo.submit("b2", Op::DeleteNote { note_id: "n1".into() }).await;
    bo.apply_until(|m| matches!(m, ServerMsg::Error { .. })).await;

    // The facilitator may moderate.
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    fac.submit("f1", Op::EditNote { note_id: "n1".into(), text: "moderated".into() }).await;
    let seq = fac.acked("f1").await;
    anna.caught_up_to(seq).await;
    assert_eq!(texts(&anna, "need"), ["moderated"]);
    server.stop().await;
}

#[tokio::test]
async fn presence_counts_participants_and_names_them_to_the_facilitator_only() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let mut projector = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    let named = app::sync::SyncState { name: Some("Åse Ørum".into()), ..Default::default() };
    let secret = new_secret();
    let credential = Credential::Participant { secret: secret.clone() };
    let mut ase = WsClient::join(&server.ws_base(), &board.id, credential, named).await;
    let _anonymous = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    projector
        .apply_until(|m| matches!(m, ServerMsg::Presence { participants: 2, people, .. } if people.len() == 2))
        .await;
    assert_eq!(projector.sync.presence, (2, 1));
    let names: Vec<_> = projector.sync.people.iter().map(|p| p.name.clone()).collect();
    assert!(names.contains(&Some("Åse Ørum".into())) && names.contains(&None), "{names:?}");

    // A new name reaches the facilitator's list; participants never get the list.
    ase.send(&ClientMsg::SetName { name: Some("Åse".into()) }).await;
    projector
        .apply_until(|m| matches!(m, ServerMsg::Presence { people, .. } if people.iter().any(|p| p.name.as_deref() == Some("Åse"))))
        .await;
    ase.expect_silence(std::time::Duration::from_millis(700)).await;
    assert!(ase.raw.iter().filter(|f| f.contains("\"presence\"")).all(|f| !f.contains("people")));
    server.stop().await;
}
