//! Workshops with tables through a real server: one join code, members seated broad, each
//! table a board of its own that only its members may join, table hosts whose links work on
//! their table only, and a deletion that takes the tables with the plenary.

use hyper::{Method, StatusCode};
use idetavle_core::board::{Op, OpErrorCode};
use idetavle_core::protocol::{Credential, ErrorCode, ServerMsg};
use idetavle_core::workshop::{Competences, Profile, Role, Table};
use serde_json::json;
use tests::support::client::WsClient;
use tests::support::http::{delete_board, export, post_json, request};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

async fn create_workshop(base: &str) -> app::api::CreatedBoard {
    let res = post_json(&format!("{base}/api/workshops"), json!({ "title": "Fremtidens bibliotek" })).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    serde_json::from_str(&res.body).expect("CreatedBoard")
}

async fn open_tables(
    base: &str,
    workshop: &app::api::CreatedBoard,
    token: &str,
    count: u32,
) -> (StatusCode, serde_json::Value) {
    let url = format!("{base}/api/workshops/{}/tables", workshop.id);
    let auth = format!("Bearer {token}");
    let res = request(
        Method::POST,
        &url,
        &[("authorization", &auth), ("content-type", "application/json")],
        Some(json!({ "count": count }).to_string()),
    )
    .await;
    let body = serde_json::from_str(&res.body).unwrap_or(serde_json::Value::Null);
    (res.status, body)
}

/// The table a participant's own view of the plenary says they sit at.
fn my_table(c: &WsClient) -> Option<u32> {
    let workshop = c.sync.board.as_ref()?.workshop.as_ref()?;
    workshop.members.iter().find(|m| m.mine)?.table
}

/// Tries to join a board; the server's refusal (code) or `None` when let in.
async fn refusal(ws_base: &str, board: &str, credential: Credential) -> Option<ErrorCode> {
    let mut c = WsClient::open(ws_base, &board.into()).await;
    c.send(&c.sync.clone().hello(credential)).await;
    loop {
        match c.recv().await {
            Some(ServerMsg::Welcome { .. }) => return None,
            Some(ServerMsg::Error { code, .. }) => return Some(code),
            Some(_) => continue,
            None => panic!("closed without a word"),
        }
    }
}

#[tokio::test]
async fn members_are_seated_broad_and_each_table_takes_only_its_own() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (base, ws) = (server.http_base(), server.ws_base());
    let workshop = create_workshop(&base).await;

    // Six people join with the one code: two of each group.
    let roles = [Role::Borger, Role::Borger, Role::Politiker, Role::Politiker, Role::Medarbejder, Role::Medarbejder];
    let mut people = Vec::new();
    for (i, role) in roles.into_iter().enumerate() {
        let secret = new_secret();
        let mut phone = WsClient::participant(&ws, &workshop.id, &secret).await;
        let profile = Profile { role: Some(role), competences: Competences::default().with(i % 5) };
        let op_id = format!("join-{i}"); // op ids are the sender's own: unique on the board
        phone.submit(&op_id, Op::JoinWorkshop { profile, name: None }).await;
        phone.acked(&op_id).await;
        people.push((secret, phone));
    }

    // Only the workshop's facilitator opens tables.
    let (status, _) = open_tables(&base, &workshop, "not-the-token", 2).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, links) = open_tables(&base, &workshop, &workshop.facilitator_token, 2).await;
    assert_eq!(status, StatusCode::OK, "{links}");
    assert_eq!(links.as_array().map(Vec::len), Some(2));

    let mut fac = WsClient::facilitator(&ws, &workshop.id, &workshop.facilitator_token).await;
    let tables = (1..=2).map(|number| Table { number, name: format!("Bord {number}"), code: None }).collect();
    fac.submit("tables", Op::SetTables { tables }).await;
    fac.acked("tables").await;
    fac.submit("form", Op::FormTables { seed: 7 }).await;
    let seq = fac.acked("form").await;

    // Each table mixes the groups: one of each, and every phone knows its own table only.
    let fac_members = &fac.sync.board.as_ref().unwrap().workshop.as_ref().unwrap().members;
    for table in [1, 2] {
        let mut at: Vec<_> = fac_members.iter().filter(|m| m.table == Some(table)).map(|m| m.profile.role).collect();
        at.sort();
        assert_eq!(at, [Some(Role::Borger), Some(Role::Politiker), Some(Role::Medarbejder)], "table {table}");
    }
    assert!(fac_members.iter().all(|m| m.participant.is_none()), "the facilitator sees members by number only");
    for (_, phone) in &mut people {
        phone.caught_up_to(seq).await;
        assert!(my_table(phone).is_some());
        assert_eq!(phone.sync.board.as_ref().unwrap().workshop.as_ref().unwrap().members.len(), 1, "only themselves");
    }

    // A participant joins their own table and posts there; the other table refuses them.
    for (secret, phone) in &people {
        let table = my_table(phone).unwrap();
        let other = 3 - table;
        let own_board = format!("{}-t{table}", workshop.id);
        let other_board = format!("{}-t{other}", workshop.id);
        let participant = |s: &String| Credential::Participant { secret: s.clone() };
        assert_eq!(refusal(&ws, &own_board, participant(secret)).await, None, "their own table");
        assert_eq!(refusal(&ws, &other_board, participant(secret)).await, Some(ErrorCode::Forbidden), "another table");
    }
    let (secret, phone) = &people[0];
    let table = my_table(phone).unwrap();
    let mut at_table = WsClient::participant(&ws, &format!("{}-t{table}", workshop.id).as_str().into(), secret).await;
    at_table.post("p1", "n1", "need", "Stille læsepladser").await;
    at_table.acked("p1").await;
    let stranger = new_secret();
    assert_eq!(
        refusal(&ws, &format!("{}-t1", workshop.id), Credential::Participant { secret: stranger }).await,
        Some(ErrorCode::Forbidden),
        "someone who never joined the workshop"
    );

    // A late arrival is seated on joining, at a table that has room for them.
    let mut late = WsClient::participant(&ws, &workshop.id, &new_secret()).await;
    late.submit(
        "join",
        Op::JoinWorkshop { profile: Profile { role: Some(Role::Borger), ..Profile::default() }, name: None },
    )
    .await;
    late.acked("join").await;
    assert!(my_table(&late).is_some(), "seated on arrival");
    server.stop().await;
}

#[tokio::test]
async fn a_table_host_runs_their_table_and_nothing_else_and_deletion_takes_every_table() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (base, ws) = (server.http_base(), server.ws_base());
    let workshop = create_workshop(&base).await;
    let (_, links) = open_tables(&base, &workshop, &workshop.facilitator_token, 3).await;
    let host_token = |i: usize| links[i]["host_token"].as_str().unwrap().to_owned();
    let board = |i: usize| links[i]["board_id"].as_str().unwrap().to_owned();
    assert!(links[0]["host_url"].as_str().unwrap().ends_with(&format!("/f/{}#{}", board(0), host_token(0))));

    // Table 1's host facilitates table 1 …
    let mut host = WsClient::facilitator(&ws, &board(0).as_str().into(), &host_token(0)).await;
    host.submit("timer", Op::StartTimer { seconds: 300 }).await;
    host.acked("timer").await;
    // … and nothing else: not table 2, not the plenary.
    let as_host = || Credential::Facilitator { token: host_token(0) };
    assert_eq!(refusal(&ws, &board(1), as_host()).await, Some(ErrorCode::Unauthorized));
    assert_eq!(refusal(&ws, workshop.id.as_str(), as_host()).await, Some(ErrorCode::Unauthorized));
    let tables_url = format!("{base}/api/workshops/{}/tables", workshop.id);
    let auth = format!("Bearer {}", host_token(0));
    let res = request(Method::POST, &tables_url, &[("authorization", &auth)], Some(r#"{"count": 4}"#.into())).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "a host opens no tables");
    // A participant's op on the plenary cannot set tables: facilitator only.
    let mut phone = WsClient::participant(&ws, &workshop.id, &new_secret()).await;
    phone.submit("t", Op::SetTables { tables: vec![Table { number: 1, name: "Mit bord".into(), code: None }] }).await;
    let refused =
        phone.apply_until(|m| matches!(m, ServerMsg::Error { op_id: Some(id), .. } if id.as_str() == "t")).await;
    assert!(matches!(refused, ServerMsg::Error { code: ErrorCode::Forbidden, .. }), "{refused:?}");
    // On a board that is no workshop, the workshop's ops are refused with their reason.
    let plain = tests::support::http::create_board(&base, "Almindelig").await;
    let mut other = WsClient::participant(&ws, &plain.id, &new_secret()).await;
    other.submit("j", Op::JoinWorkshop { profile: Profile::default(), name: None }).await;
    let refused =
        other.apply_until(|m| matches!(m, ServerMsg::Error { op_id: Some(id), .. } if id.as_str() == "j")).await;
    assert!(matches!(refused, ServerMsg::Error { reason: Some(OpErrorCode::NotAWorkshop), .. }), "{refused:?}");

    // Opening tables again leaves the open ones as they are (the timer runs on).
    let (status, again) = open_tables(&base, &workshop, &workshop.facilitator_token, 3).await;
    assert_eq!((status, &again), (StatusCode::OK, &links));
    let table_one = app::api::CreatedBoard {
        id: board(0).as_str().into(),
        join_code: String::new(),
        participant_url: String::new(),
        facilitator_url: String::new(),
        facilitator_token: host_token(0),
    };
    assert!(export(&base, &table_one).await["board"]["timer"].is_object());

    // Deleting the workshop deletes every table with it.
    delete_board(&base, &workshop).await;
    for i in 0..3 {
        let url = format!("{base}/api/boards/{}/export.json", board(i));
        let res = request(Method::GET, &url, &[("authorization", &format!("Bearer {}", host_token(i)))], None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "table {}", i + 1);
    }
    server.stop().await;
}

#[tokio::test]
async fn a_participant_moved_to_another_table_is_let_go_at_the_old_one() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (base, ws) = (server.http_base(), server.ws_base());
    let workshop = create_workshop(&base).await;
    let secret = new_secret();
    let mut phone = WsClient::participant(&ws, &workshop.id, &secret).await;
    phone.submit("join", Op::JoinWorkshop { profile: Profile::default(), name: None }).await;
    phone.acked("join").await;
    open_tables(&base, &workshop, &workshop.facilitator_token, 2).await;
    let mut fac = WsClient::facilitator(&ws, &workshop.id, &workshop.facilitator_token).await;
    let tables = (1..=2).map(|number| Table { number, name: format!("Bord {number}"), code: None }).collect();
    fac.submit("tables", Op::SetTables { tables }).await;
    fac.acked("tables").await;
    fac.submit("seat", Op::SeatMember { member: 1, table: Some(1) }).await;
    fac.acked("seat").await;
    let mut at_one = WsClient::participant(&ws, &format!("{}-t1", workshop.id).as_str().into(), &secret).await;

    // Moved to table 2: table 1 lets them go within a few seconds, with the reason.
    fac.submit("move", Op::SeatMember { member: 1, table: Some(2) }).await;
    fac.acked("move").await;
    let told = tokio::time::timeout(std::time::Duration::from_secs(12), async {
        loop {
            match at_one.recv().await {
                Some(ServerMsg::Error { code, .. }) => return Some(code),
                Some(_) => continue,
                None => return None,
            }
        }
    })
    .await
    .expect("let go within 12 s");
    assert_eq!(told, Some(ErrorCode::Forbidden));
    assert!(at_one.recv().await.is_none(), "and the connection closes");
    let table_two = format!("{}-t2", workshop.id);
    assert_eq!(refusal(&ws, &table_two, Credential::Participant { secret }).await, None, "welcome at the new table");
    server.stop().await;
}
