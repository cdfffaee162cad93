//! Citizens' data (issue 5, item 10): a board can be deleted completely, boards expire and are
//! purged, and a participant can delete every note they wrote.

use hyper::{Method, StatusCode};
use idetavle_core::board::Op;
use idetavle_core::protocol::{ErrorCode, ServerMsg};
use std::time::Duration;
use tests::support::client::WsClient;
use tests::support::http::{create_board, export, get, request};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

async fn told_deleted(client: &mut WsClient) {
    let msg = client.apply_until(|m| matches!(m, ServerMsg::Error { code: ErrorCode::BoardDeleted, .. })).await;
    assert!(matches!(msg, ServerMsg::Error { op_id: None, .. }));
    assert!(client.recv().await.is_none(), "then the connection closes");
}

#[tokio::test]
async fn a_deleted_board_tells_every_screen_and_leaves_nothing_behind() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = create_board(&base, "Borgermøde").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut projector = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    phone.post("p1", "n1", "need", "Mit cpr-agtige hemmelige forslag").await;
    phone.acked("p1").await;

    let url = format!("{base}/api/boards/{}", board.id);
    let wrong = request(Method::DELETE, &url, &[("authorization", "Bearer nope")], None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let auth = format!("Bearer {}", board.facilitator_token);
    let deleted = request(Method::DELETE, &url, &[("authorization", &auth)], None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    told_deleted(&mut phone).await;
    told_deleted(&mut projector).await;

    let export = request(Method::GET, &format!("{url}/export.json"), &[("authorization", &auth)], None).await;
    assert_eq!(export.status, StatusCode::NOT_FOUND);
    assert!(!get(&board.participant_url).await.body.contains("Borgermøde"));
    let again = tokio_tungstenite::connect_async(format!("{}/ws/{}", server.ws_base(), board.id)).await;
    assert!(again.is_err(), "no one can open it again");
    server.stop().await;
    if tests::support::postgres::suite_on_postgres() {
        // Logically gone; PostgreSQL's files keep dead rows until VACUUM (docs/DEPLOY.md).
        let held = tests::support::postgres::database_holds(dir.path(), "hemmelige");
        assert!(!held, "the note's text is in no row of the database");
        return;
    }
    let db = std::fs::read(dir.path().join("idetavle.db")).unwrap();
    let needle = "hemmelige".as_bytes();
    assert!(!db.windows(needle.len()).any(|w| w == needle), "the note's text is gone from the file");
}

#[tokio::test]
async fn an_expired_board_is_purged_by_the_server() {
    let dir = temp_data_dir();
    let server = TestServer::start_configured(dir.path(), |c| c.purge_interval_secs = 1).await;
    let base = server.http_base();
    let keep = create_board(&base, "Beholdes").await;
    let expire = create_board(&base, "Udløber").await;
    let auth = format!("Bearer {}", expire.facilitator_token);
    let url = format!("{base}/api/boards/{}/expiry", expire.id);
    let body = Some(r#"{"expires_on": "2026-01-01"}"#.to_owned());
    let headers = [("authorization", auth.as_str()), ("content-type", "application/json")];
    let set = request(Method::PUT, &url, &headers, body).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.json()["expires_on"], "2026-01-01");
    let bad = request(Method::PUT, &url, &headers, Some(r#"{"expires_on": "snart"}"#.into())).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let mut gone = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let res = request(
            Method::GET,
            &format!("{base}/api/boards/{}/export.json", expire.id),
            &[("authorization", &auth)],
            None,
        )
        .await;
        if res.status == StatusCode::NOT_FOUND {
            gone = true;
            break;
        }
    }
    assert!(gone, "the expired board was purged within 5 s");
    assert_eq!(export(&base, &keep).await["board"]["title"], "Beholdes", "other boards stay");
    server.stop().await;
}

#[tokio::test]
async fn a_participant_deletes_every_note_they_wrote_and_only_those() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Borgermøde").await;
    let mut me = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut other = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    for i in 0..3 {
        let op = Op::AddNote {
            note_id: format!("m{i}").as_str().into(),
            lane: "ideas".into(),
            text: format!("min {i}"),
            author_name: Some("Åse".into()),
        };
        me.submit(&format!("a{i}"), op).await;
    }
    other.post("o", "o1", "ideas", "en andens").await;
    other.acked("o").await;
    me.acked("a2").await;
    // What the "delete all my notes" button sends: one delete per own note.
    for i in 0..3 {
        me.submit(&format!("d{i}"), Op::DeleteNote { note_id: format!("m{i}").as_str().into() }).await;
    }
    me.acked("d2").await;
    let stored = export(&server.http_base(), &board).await;
    let texts: Vec<&str> =
        stored["board"]["notes"].as_array().unwrap().iter().map(|n| n["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["en andens"]);
    assert!(!stored.to_string().contains("Åse"), "the name went with the notes");
    server.stop().await;
}
