//! Anonymous means anonymous (issue 21), through the real server: a citizen who signs one note
//! and leaves another unsigned cannot be linked to the unsigned one by anyone in the room,
//! not from the frames, not from the page, not from an export.

use hyper::{Method, StatusCode};
use idetavle_core::board::{Change, Op};
use idetavle_core::protocol::{ErrorCode, ServerMsg};
use tests::support::client::WsClient;
use tests::support::http::{create_board, get, request};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

#[tokio::test]
async fn nobody_can_link_a_signed_and_an_anonymous_note_to_one_writer() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = create_board(&base, "Medarbejdermøde").await;
    let mut ase = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut bob = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut projector = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    let ase_id = ase.participant_id();

    let signed = Op::AddNote {
        note_id: "n1".into(),
        lane: "need".into(),
        text: "Vi mangler bænke".into(),
        author_name: Some("Åse".into()),
    };
    let anonymous = Op::AddNote {
        note_id: "n2".into(),
        lane: "need".into(),
        text: "Min leder lytter ikke".into(),
        author_name: None,
    };
    ase.submit("o1", signed).await;
    ase.acked("o1").await;
    ase.submit("o2", anonymous).await;
    let seq = ase.acked("o2").await;
    bob.caught_up_to(seq).await;
    projector.caught_up_to(seq).await;

    // In the room: the other phones and the projector receive no id of Åse's.
    for (who, client) in [("bob", &bob), ("the projector", &projector)] {
        let leak = client.raw.iter().find(|f| f.contains(ase_id.as_str()) && !f.contains("\"presence\""));
        assert!(leak.is_none(), "{who} received Åse's id: {leak:?}");
    }
    // Her own phone marks both as hers, without an id.
    let mine = |c: &WsClient| c.sync.board.as_ref().unwrap().notes.values().filter(|n| n.mine).count();
    assert_eq!(mine(&ase), 2);
    assert_eq!(mine(&bob), 0);

    // The page a phone loads, and every export.
    let page = get(&board.participant_url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Min leder lytter ikke") && !page.body.contains(ase_id.as_str()));
    let auth = format!("Bearer {}", board.facilitator_token);
    for format in ["json", "md", "csv"] {
        let url = format!("{base}/api/boards/{}/export.{format}", board.id);
        let export = request(Method::GET, &url, &[("authorization", &auth)], None).await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(!export.body.contains(ase_id.as_str()), "the {format} export names Åse's id");
    }
    server.stop().await;
}

#[tokio::test]
async fn the_facilitator_sees_writers_only_when_switched_on_and_the_phones_are_told() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Borgermøde").await;
    let mut ase = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut bob = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    let ase_id = ase.participant_id();
    ase.post("o1", "n1", "ideas", "Gratis busser").await;
    ase.acked("o1").await;

    fac.submit("show", Op::ShowAuthors { shown: true }).await;
    let seq = fac.acked("show").await;
    fac.caught_up_to(seq).await;
    bob.caught_up_to(seq).await;
    let facilitators = fac.sync.board.as_ref().unwrap();
    assert!(facilitators.authors_shown);
    assert_eq!(facilitators.notes.values().next().and_then(|n| n.author.clone()), Some(ase_id.clone()));
    let phones = bob.sync.board.as_ref().unwrap();
    assert!(phones.authors_shown, "the phones know, so they can say so");
    assert!(!bob.raw.iter().any(|f| f.contains(ase_id.as_str())), "and still learn no one's id");

    // Removing the writer works from the note; Åse is told, Bob learns nothing about whom.
    fac.submit("off", Op::ShowAuthors { shown: false }).await;
    fac.acked("off").await;
    fac.submit("rm", Op::RemoveAuthor { note_id: "n1".into() }).await;
    let seq = fac.acked("rm").await;
    let told = ase.apply_until(|m| matches!(m, ServerMsg::Error { code: ErrorCode::Removed, .. })).await;
    assert!(matches!(told, ServerMsg::Error { .. }));
    bob.caught_up_to(seq).await;
    fac.caught_up_to(seq).await;
    let after_off: Vec<&String> =
        fac.raw.iter().skip_while(|f| !f.contains("\"authors_shown\"") || !f.contains("false")).collect();
    assert!(!after_off.iter().any(|f| f.contains(ase_id.as_str()) && !f.contains("\"presence\"")));
    assert!(!bob.raw.iter().any(|f| f.contains(ase_id.as_str())));
    assert!(bob.raw.iter().any(|f| f.contains("participant_removed")), "the removal itself is an event");
    let removed_for_bob = bob.raw.iter().filter_map(|f| serde_json::from_str::<ServerMsg>(f).ok()).any(
        |m| matches!(m, ServerMsg::Event(e) if matches!(e.change, Change::ParticipantRemoved { participant: None })),
    );
    assert!(removed_for_bob);
    server.stop().await;
}
