//! Templates and lane ops through a real server: a board made from a template, lanes the
//! facilitator changes (sequenced, permission-checked, undoable), and what survives a restart,
//! the exports and the import.

use hyper::{Method, StatusCode};
use idetavle_core::board::{LaneId, Op, OpErrorCode};
use idetavle_core::protocol::ErrorCode;
use serde_json::json;
use tests::support::client::WsClient;
use tests::support::http::{export, import, post_json, request};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

async fn create_from_template(base: &str, lanes: serde_json::Value) -> app::api::CreatedBoard {
    let res = post_json(&format!("{base}/api/boards"), json!({ "title": "Før og efter", "lanes": lanes })).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    serde_json::from_str(&res.body).expect("CreatedBoard")
}

fn lanes_of(c: &WsClient) -> Vec<(String, String, Option<String>)> {
    let board = c.sync.board.as_ref().expect("a board");
    board.lanes.iter().map(|l| (l.id.to_string(), l.title.clone(), l.question.clone())).collect()
}

#[tokio::test]
async fn a_board_from_a_template_has_its_lanes_and_questions_on_every_screen_and_after_a_restart() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let lanes = json!([{ "title": " Før ", "question": "Hvad sker der i dag?" }, { "title": "Efter" }]);
    let board = create_from_template(&base, lanes).await;
    let expected = vec![
        ("lane-1".to_owned(), "Før".to_owned(), Some("Hvad sker der i dag?".to_owned())),
        ("lane-2".to_owned(), "Efter".to_owned(), None),
    ];
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    assert_eq!(lanes_of(&phone), expected);
    phone.post("p1", "n1", "lane-1", "Lang kø ved skranken").await;
    phone.acked("p1").await;
    phone.post("p2", "n2", "need", "Et spor, tavlen ikke har").await;
    assert_eq!(phone.refusal("p2").await, (ErrorCode::InvalidOp, Some(OpErrorCode::UnknownLane)));

    let page = request(Method::GET, &format!("{base}/j/{}", board.join_code), &[], None).await;
    assert!(page.body.contains("Hvad sker der i dag?"), "the phone's page shows the question");
    server.stop().await;

    let server = TestServer::start(dir.path()).await;
    let phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    assert_eq!(lanes_of(&phone), expected, "the template's lanes are stored, not remembered");
    server.stop().await;
}

#[tokio::test]
async fn a_bad_template_is_refused_with_its_reason() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let seven: Vec<_> = (0..7).map(|i| json!({ "title": format!("Spor {i}") })).collect();
    for (lanes, code) in [
        (json!(seven), "too_many_lanes"),
        (json!([]), "last_lane"),
        (json!([{ "title": "  " }]), "empty_title"),
        (json!([{ "title": "Ok", "question": "x".repeat(201) }]), "question_too_long"),
        (json!([{ "title": "Ok", "question": "to\nlinjer" }]), "control_character"),
    ] {
        let res = post_json(&format!("{base}/api/boards"), json!({ "title": "T", "lanes": lanes })).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
        assert_eq!(res.json()["error"], code, "{}", res.body);
    }
    server.stop().await;
}

#[tokio::test]
async fn lane_changes_are_the_facilitators_sequenced_undoable_and_kept_by_export_and_import() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = tests::support::http::create_board(&base, "Biblioteket").await;
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;

    // A participant cannot change lanes.
    let add =
        Op::AddLane {
            lane_id: "dreams".into(), title: "Drømme".into(), question: None, index: Some(0), hidden: false
        };
    phone.submit("sneaky", add.clone()).await;
    assert_eq!(phone.refusal("sneaky").await.0, ErrorCode::Forbidden);

    // The facilitator adds a lane first and asks a question in it; the phone follows.
    fac.submit("add", add).await;
    fac.acked("add").await;
    let ask =
        Op::EditLane {
            lane_id: "dreams".into(), title: "Drømme".into(), question: Some("Hvad drømmer du om?".into())
        };
    fac.submit("ask", ask).await;
    let seq = fac.acked("ask").await;
    phone.caught_up_to(seq).await;
    assert_eq!(lanes_of(&phone)[0], ("dreams".into(), "Drømme".into(), Some("Hvad drømmer du om?".into())));
    assert_eq!(lanes_of(&phone).len(), 4);

    phone.post("p1", "n1", "dreams", "Et værksted med 3D-printer").await;
    phone.acked("p1").await;
    fac.submit("rm", Op::RemoveLane { lane_id: "dreams".into() }).await;
    assert_eq!(fac.refusal("rm").await, (ErrorCode::InvalidOp, Some(OpErrorCode::LaneNotEmpty)));
    fac.submit("rm-trials", Op::RemoveLane { lane_id: "trials".into() }).await;
    fac.acked("rm-trials").await;
    fac.submit("undo", Op::Undo {}).await;
    let seq = fac.acked("undo").await;
    phone.caught_up_to(seq).await;
    let ids: Vec<String> = lanes_of(&phone).into_iter().map(|l| l.0).collect();
    assert_eq!(ids, ["dreams", "need", "ideas", "trials"], "undo puts the lane back in its place");

    let first = export(&base, &board).await;
    assert_eq!(first["board"]["lanes"][0]["question"], "Hvad drømmer du om?");
    let md = request(
        Method::GET,
        &format!("{base}/api/boards/{}/export.md", board.id),
        &[("authorization", &format!("Bearer {}", board.facilitator_token))],
        None,
    )
    .await;
    assert!(md.body.contains("## Drømme\n\n_Hvad drømmer du om?_"), "{}", md.body);
    let imported = import(&base, &first).await;
    assert_eq!(export(&base, &imported).await["board"]["lanes"], first["board"]["lanes"], "the import keeps the lanes");
    let newcomer = WsClient::participant(&server.ws_base(), &imported.id, &new_secret()).await;
    assert_eq!(newcomer.sync.board.as_ref().unwrap().lane(&LaneId::from("dreams")).unwrap().title, "Drømme");
    server.stop().await;
}
