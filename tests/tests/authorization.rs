//! The authorisation matrix (issue 5, item 8): every HTTP endpoint and server function × role
//! (anonymous, participant, the board's facilitator, another board's facilitator, catalogue
//! editor), allowed or refused as designed; the same roles on the websocket; and cross-board
//! isolation. Participants' own-note and facilitation ops are covered op by op in
//! `facilitation.rs`; here each role's handshake and its side of that split.

use hyper::{Method, StatusCode};
use idetavle_core::board::{Actor, Op};
use idetavle_core::protocol::{ClientMsg, Credential, ErrorCode, ServerMsg, PROTOCOL_VERSION};
use serde_json::{json, Value};
use std::time::Duration;
use tests::support::catalogue::{call, ok, promote_group};
use tests::support::client::WsClient;
use tests::support::http::{create_board, request};
use tests::support::server::{TestServer, EDITOR_TOKEN};
use tests::support::{new_secret, temp_data_dir};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Anonymous,
    Participant,
    Facilitator,
    OtherFacilitator,
    Editor,
}
use Role::*;

const ROLES: [Role; 5] = [Anonymous, Participant, Facilitator, OtherFacilitator, Editor];

struct World {
    base: String,
    board: app::api::CreatedBoard,
    other: app::api::CreatedBoard,
    secret: String,
}

impl World {
    /// What each role presents as its credential (a participant has only their secret).
    fn token(&self, role: Role) -> String {
        match role {
            Anonymous => String::new(),
            Participant => self.secret.clone(),
            Facilitator => self.board.facilitator_token.clone(),
            OtherFacilitator => self.other.facilitator_token.clone(),
            Editor => EDITOR_TOKEN.to_owned(),
        }
    }

    async fn http(&self, role: Role, method: Method, path: &str, body: Option<Value>) -> StatusCode {
        let auth = format!("Bearer {}", self.token(role));
        let mut headers = vec![("content-type", "application/json")];
        if role != Anonymous {
            headers.push(("authorization", auth.as_str()));
        }
        let url = format!("{}{path}", self.base);
        request(method, &url, &headers, body.map(|b| b.to_string())).await.status
    }
}

/// A server function's verdict: "ok" or the refusal code.
fn verdict(answer: &Value) -> String {
    match answer.get("Err") {
        Some(e) => e["code"].as_str().unwrap_or("?").to_owned(),
        None => "ok".to_owned(),
    }
}

#[tokio::test]
async fn every_endpoint_allows_exactly_the_roles_it_should() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = create_board(&base, "Tavle A").await;
    let other = create_board(&base, "Tavle B").await;
    let world = World { base: base.clone(), board, other, secret: new_secret() };
    let mut phone = WsClient::participant(&server.ws_base(), &world.board.id, &world.secret).await;
    phone.post("p", "n1", "ideas", "En idé").await;
    let mut fac = WsClient::facilitator(&server.ws_base(), &world.board.id, &world.board.facilitator_token).await;
    fac.submit("g", Op::CreateGroup { group_id: "g1".into(), title: "Gruppe".into(), note_ids: vec!["n1".into()] })
        .await;
    fac.acked("g").await;
    let id = world.board.id.to_string();

    // Board endpoints that need the board's facilitator.
    let facilitator_only = [
        (Method::GET, format!("/api/boards/{id}/export.json"), None),
        (Method::GET, format!("/api/boards/{id}/export.md"), None),
        (Method::GET, format!("/api/boards/{id}/export.csv"), None),
        (Method::PUT, format!("/api/boards/{id}/expiry"), Some(json!({ "expires_on": null }))),
    ];
    for (method, path, body) in &facilitator_only {
        for role in ROLES {
            let status = world.http(role, method.clone(), path, body.clone()).await;
            let expected = if role == Facilitator { StatusCode::OK } else { StatusCode::UNAUTHORIZED };
            assert_eq!(status, expected, "{role:?} {method} {path}");
        }
    }
    // Open to everyone by design: creating a board, importing one (which creates a new board),
    // reading the public catalogue.
    let export_file = tests::support::http::export(&base, &world.board).await;
    for role in ROLES {
        let created = world.http(role, Method::POST, "/api/boards", Some(json!({ "title": "Ny" }))).await;
        assert_eq!(created, StatusCode::CREATED, "{role:?} creates a board");
        let imported = world.http(role, Method::POST, "/api/boards/import", Some(export_file.clone())).await;
        assert_eq!(imported, StatusCode::CREATED, "{role:?} imports a board (as a new board of their own)");
        assert_eq!(world.http(role, Method::GET, "/healthz", None).await, StatusCode::OK);
        for path in
            ["/api/catalogue", "/api/catalogue/export.json", "/api/catalogue/export.md", "/api/catalogue/export.csv"]
        {
            assert_eq!(world.http(role, Method::GET, path, None).await, StatusCode::OK, "{role:?} GET {path}");
        }
    }

    // Catalogue server functions.
    for role in ROLES {
        let args =
            json!({ "board": id, "facilitator_token": world.token(role), "source": { "kind": "group", "id": "g1" } });
        let v = verdict(&call(&base, "catalogue_promote", args).await);
        assert_eq!(v, if role == Facilitator { "ok" } else { "unauthorized" }, "{role:?} promotes");
    }
    // Suggested groups: the board's facilitator only (they read hidden notes).
    for role in ROLES {
        let request = json!({ "lane": null, "include_grouped": false });
        let args = json!({ "board": id, "facilitator_token": world.token(role), "request": request });
        let v = verdict(&call(&base, "suggest_groups", args).await);
        assert_eq!(v, if role == Facilitator { "ok" } else { "unauthorized" }, "{role:?} asks for suggestions");
    }
    let entry = ok(promote_group(&base, &world.board, "g1").await);
    for role in ROLES {
        let token = world.token(role);
        let editor = role == Editor;
        let page = ok(call(&base, "catalogue", json!({ "editor_token": token })).await);
        assert_eq!(page["viewer"], if editor { "editor" } else { "public" }, "{role:?} reads the catalogue");
        let offer = json!({ "id": entry["id"], "offer": { "skills": ["data"] } });
        assert_eq!(verdict(&call(&base, "catalogue_volunteer", offer).await), "ok", "{role:?} volunteers");
        let fields = json!({ "title": "Ny titel" });
        let current =
            ok(call(&base, "catalogue_entry", json!({ "editor_token": EDITOR_TOKEN, "id": entry["id"] })).await);
        let update =
            json!({ "editor_token": token, "id": entry["id"], "version": current[1]["version"], "fields": fields });
        let v = verdict(&call(&base, "catalogue_update", update).await);
        assert_eq!(v, if editor { "ok" } else { "unauthorized" }, "{role:?} edits an entry");
        let current =
            ok(call(&base, "catalogue_entry", json!({ "editor_token": EDITOR_TOKEN, "id": entry["id"] })).await);
        let change = json!({ "id": entry["id"], "version": current[1]["version"], "to": "stoppet", "reason": "test" });
        let v = verdict(&call(&base, "catalogue_status", json!({ "editor_token": token, "change": change })).await);
        assert_eq!(v, if editor { "ok" } else { "unauthorized" }, "{role:?} changes status");
        let volunteer = current[1]["volunteers"][0]["id"].clone();
        let removal = json!({ "editor_token": token, "id": entry["id"], "volunteer": volunteer });
        let v = verdict(&call(&base, "catalogue_remove_volunteer", removal).await);
        assert_eq!(v, if editor { "ok" } else { "unauthorized" }, "{role:?} deletes a volunteer");
    }

    // Deleting the board: refused to all but its facilitator (who goes last).
    for role in [Anonymous, Participant, OtherFacilitator, Editor, Facilitator] {
        let status = world.http(role, Method::DELETE, &format!("/api/boards/{id}"), None).await;
        let expected = if role == Facilitator { StatusCode::NO_CONTENT } else { StatusCode::UNAUTHORIZED };
        assert_eq!(status, expected, "{role:?} deletes the board");
    }
    server.stop().await;
}

/// What the server answers a hello with this credential: the role it grants, or the refusal.
async fn hello_as(ws_base: &str, board: &idetavle_core::board::BoardId, credential: Option<Credential>) -> String {
    let mut c = WsClient::open(ws_base, board).await;
    match credential {
        Some(credential) => {
            c.send(&ClientMsg::Hello { protocol: PROTOCOL_VERSION, credential, last_seq: None, name: None }).await
        }
        None => c.send(&ClientMsg::Op { op_id: "x".into(), op: Op::SetLocked { locked: true } }).await,
    }
    match c.recv().await {
        Some(ServerMsg::Welcome { you, .. }) => match you {
            Actor::Facilitator => "facilitator".into(),
            Actor::Participant { .. } => "participant".into(),
            Actor::Presenter => "presenter".into(),
        },
        Some(ServerMsg::Error { code, .. }) => format!("{code:?}"),
        other => panic!("unexpected answer: {other:?}"),
    }
}

#[tokio::test]
async fn each_role_gets_what_it_should_on_the_websocket_and_boards_are_isolated() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (ws, base) = (server.ws_base(), server.http_base());
    let a = create_board(&base, "Tavle A").await;
    let b = create_board(&base, "Tavle B").await;
    let fac = |token: &str| Some(Credential::Facilitator { token: token.to_owned() });
    assert_eq!(hello_as(&ws, &a.id, None).await, "HandshakeRequired", "anonymous");
    let participant = Some(Credential::Participant { secret: new_secret() });
    assert_eq!(hello_as(&ws, &a.id, participant).await, "participant");
    assert_eq!(hello_as(&ws, &a.id, fac(&a.facilitator_token)).await, "facilitator");
    assert_eq!(hello_as(&ws, &a.id, fac(&b.facilitator_token)).await, "Unauthorized", "another board's facilitator");
    assert_eq!(hello_as(&ws, &a.id, fac(EDITOR_TOKEN)).await, "Unauthorized", "the catalogue editor");
    let presenter = |token: &str| Some(Credential::Presenter { token: token.to_owned() });
    assert_eq!(hello_as(&ws, &a.id, presenter(&a.facilitator_token)).await, "presenter");
    assert_eq!(hello_as(&ws, &a.id, presenter(&b.facilitator_token)).await, "Unauthorized", "another board's screen");

    // Who may send which op (the facilitation ops from a participant: `facilitation.rs`).
    let mut a_fac = WsClient::facilitator(&ws, &a.id, &a.facilitator_token).await;
    let mut author = WsClient::participant(&ws, &a.id, &new_secret()).await;
    let mut neighbour = WsClient::participant(&ws, &a.id, &new_secret()).await;
    author.post("own", "own", "ideas", "Min note").await;
    author.acked("own").await;
    a_fac.submit("vote-round", Op::open_voting(3, false)).await;
    a_fac.acked("vote-round").await;
    let credential = Credential::Presenter { token: a.facilitator_token.clone() };
    let mut screen = WsClient::join(&ws, &a.id, credential, Default::default()).await;
    #[derive(Clone, Copy)]
    enum Who {
        Fac,
        Author,
        Neighbour,
        Screen,
    }
    let add = Op::AddNote { note_id: "f1".into(), lane: "ideas".into(), text: "x".into(), author_name: None };
    let matrix: Vec<(&str, Who, Op, Option<ErrorCode>)> = vec![
        ("facilitator posts", Who::Fac, add, Some(ErrorCode::Forbidden)),
        ("facilitator votes", Who::Fac, Op::Vote { note_id: "own".into() }, Some(ErrorCode::Forbidden)),
        (
            "neighbour edits another's note",
            Who::Neighbour,
            Op::EditNote { note_id: "own".into(), text: "hacked".into() },
            Some(ErrorCode::Forbidden),
        ),
        (
            "neighbour deletes another's note",
            Who::Neighbour,
            Op::DeleteNote { note_id: "own".into() },
            Some(ErrorCode::Forbidden),
        ),
        ("neighbour votes", Who::Neighbour, Op::Vote { note_id: "own".into() }, None),
        ("the presentation locks", Who::Screen, Op::SetLocked { locked: true }, Some(ErrorCode::Forbidden)),
        ("the presentation votes", Who::Screen, Op::Vote { note_id: "own".into() }, Some(ErrorCode::Forbidden)),
        (
            "the presentation edits a note",
            Who::Screen,
            Op::EditNote { note_id: "own".into(), text: "x".into() },
            Some(ErrorCode::Forbidden),
        ),
        (
            "author edits own note",
            Who::Author,
            Op::EditNote { note_id: "own".into(), text: "Min rettede note".into() },
            None,
        ),
        (
            "facilitator edits any note",
            Who::Fac,
            Op::EditNote { note_id: "own".into(), text: "Redigeret".into() },
            None,
        ),
    ];
    for (i, (what, who, op, expected)) in matrix.into_iter().enumerate() {
        let client = match who {
            Who::Fac => &mut a_fac,
            Who::Author => &mut author,
            Who::Neighbour => &mut neighbour,
            Who::Screen => &mut screen,
        };
        let id = format!("m{i}");
        client.submit(&id, op).await;
        let answer = client
            .apply_until(|m| matches!(m, ServerMsg::Error { op_id: Some(o), .. } | ServerMsg::Ack { op_id: o, .. } if o.as_str() == id))
            .await;
        let got = match answer {
            ServerMsg::Error { code, .. } => Some(code),
            _ => None,
        };
        assert_eq!(got, expected, "{what}");
    }

    // Cross-board isolation: B's clients hear nothing of A.
    let mut b_phone = WsClient::participant(&ws, &b.id, &new_secret()).await;
    let mut b_fac = WsClient::facilitator(&ws, &b.id, &b.facilitator_token).await;
    let mut a_phone = WsClient::participant(&ws, &a.id, &new_secret()).await;
    for i in 0..5 {
        a_phone.post(&format!("a{i}"), &format!("n{i}"), "ideas", "kun til tavle A").await;
    }
    a_phone.acked("a4").await;
    a_fac.submit("lock", Op::SetLocked { locked: true }).await;
    a_fac.acked("lock").await;
    b_phone.expect_silence(Duration::from_millis(300)).await;
    b_fac.expect_silence(Duration::from_millis(10)).await;
    assert!(b_phone.raw.iter().chain(&b_fac.raw).all(|f| !f.contains("kun til tavle A")));
    server.stop().await;
}
