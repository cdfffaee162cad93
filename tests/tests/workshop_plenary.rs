//! A workshop's facilitator over all its tables, through a real server: the overview of every
//! table (hidden notes left out), one action that reaches every table, and tables' top or
//! chosen notes copied into the plenary once, naming their table, on to the catalogue.

use hyper::{Method, StatusCode};
use idetavle_core::board::{Note, Op};
use idetavle_core::workshop::{Competences, Profile, Role, Table};
use serde_json::{json, Value};
use tests::support::catalogue::{call, ok};
use tests::support::client::WsClient;
use tests::support::http::{post_json, request};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

/// A workshop of `people` members (named `Person i`) seated at `tables` tables.
struct Seated {
    id: String,
    token: String,
    host_tokens: Vec<String>,
    /// Each member's secret and table.
    people: Vec<(String, u32)>,
    facilitator: WsClient,
}

async fn seated_workshop(base: &str, ws: &str, people: usize, tables: u32) -> Seated {
    let res = post_json(&format!("{base}/api/workshops"), json!({ "title": "Fremtidens skole" })).await;
    let created: app::api::CreatedBoard = serde_json::from_str(&res.body).expect("CreatedBoard");
    let mut phones = Vec::new();
    for i in 0..people {
        let secret = new_secret();
        let mut phone = WsClient::participant(ws, &created.id, &secret).await;
        let role = [Role::Borger, Role::Politiker, Role::Medarbejder][i % 3];
        let profile = Profile { role: Some(role), competences: Competences::default() };
        phone.submit(&format!("join-{i}"), Op::JoinWorkshop { profile, name: Some(format!("Person {i}")) }).await;
        phone.acked(&format!("join-{i}")).await;
        phones.push((secret, phone));
    }
    let links = call_json(base, &created.id, &created.facilitator_token, "tables", json!({ "count": tables })).await;
    let host_tokens = (0..tables as usize).map(|i| links[i]["host_token"].as_str().unwrap().to_owned()).collect();
    let mut facilitator = WsClient::facilitator(ws, &created.id, &created.facilitator_token).await;
    let named = (1..=tables).map(|number| Table { number, name: format!("Bord {number}"), code: None }).collect();
    facilitator.submit("tables", Op::SetTables { tables: named }).await;
    facilitator.acked("tables").await;
    facilitator.submit("form", Op::FormTables { seed: 1 }).await;
    let seq = facilitator.acked("form").await;
    let mut people = Vec::new();
    for (secret, mut phone) in phones {
        phone.caught_up_to(seq).await;
        let workshop = phone.sync.board.as_ref().and_then(|b| b.workshop.clone()).expect("a workshop");
        let table = workshop.members.iter().find(|m| m.mine).and_then(|m| m.table).expect("seated");
        people.push((secret, table));
    }
    Seated { id: created.id.to_string(), token: created.facilitator_token, host_tokens, people, facilitator }
}

/// `POST /api/workshops/{id}/{path}` with `token`; the JSON answer (panics unless 200).
async fn call_json(base: &str, id: &impl std::fmt::Display, token: &str, path: &str, body: Value) -> Value {
    let (status, answer) = call_status(base, id, token, path, body).await;
    assert_eq!(status, StatusCode::OK, "{path}: {answer}");
    answer
}

async fn call_status(
    base: &str,
    id: &impl std::fmt::Display,
    token: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let url = format!("{base}/api/workshops/{id}/{path}");
    let auth = format!("Bearer {token}");
    let headers = [("authorization", auth.as_str()), ("content-type", "application/json")];
    let res = request(Method::POST, &url, &headers, Some(body.to_string())).await;
    (res.status, serde_json::from_str(&res.body).unwrap_or(Value::Null))
}

async fn overview(base: &str, id: &str, token: &str) -> (StatusCode, Value) {
    let url = format!("{base}/api/workshops/{id}/overview");
    let res = request(Method::GET, &url, &[("authorization", &format!("Bearer {token}"))], None).await;
    (res.status, serde_json::from_str(&res.body).unwrap_or(Value::Null))
}

/// A phone at its table's board.
async fn at_table(ws: &str, w: &Seated, person: usize) -> WsClient {
    let (secret, table) = &w.people[person];
    WsClient::participant(ws, &format!("{}-t{table}", w.id).as_str().into(), secret).await
}

fn first_at(w: &Seated, table: u32) -> usize {
    w.people.iter().position(|(_, t)| *t == table).expect("someone at the table")
}

#[tokio::test]
async fn the_overview_shows_every_table_as_the_room_may_see_it_and_one_action_reaches_them_all() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (base, ws) = (server.http_base(), server.ws_base());
    let w = seated_workshop(&base, &ws, 6, 2).await;

    // Table 1 writes in the open; table 2's host hides the ideas lane, where someone writes.
    let mut one = at_table(&ws, &w, first_at(&w, 1)).await;
    one.post("a", "n-a", "need", "Mere grønt i skolegården").await;
    one.acked("a").await;
    let mut host2 = WsClient::facilitator(&ws, &format!("{}-t2", w.id).as_str().into(), &w.host_tokens[1]).await;
    host2.submit("hide", Op::SetHidden { lane: Some("ideas".into()), hidden: true }).await;
    host2.acked("hide").await;
    let mut two = at_table(&ws, &w, first_at(&w, 2)).await;
    two.post("b", "n-b", "ideas", "Hemmelig idé").await;
    two.acked("b").await;

    // Only the workshop's token reads it, not a host's.
    assert_eq!(overview(&base, &w.id, &w.host_tokens[0]).await.0, StatusCode::UNAUTHORIZED);
    let (status, view) = overview(&base, &w.id, &w.token).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let tables = view["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 2);
    let seated: usize = tables.iter().map(|t| t["seated"].as_array().map_or(0, Vec::len)).sum();
    assert_eq!(seated, 6, "everyone sits somewhere: {view}");
    assert!(tables[0]["seated"].as_array().unwrap().iter().all(|n| n.as_str().unwrap().starts_with("Person ")));
    assert_eq!(tables[0]["latest"], json!([{ "lane": "need", "text": "Mere grønt i skolegården" }]));
    assert_eq!(tables[0]["present"], 1, "one phone at table 1: {view}");
    let counts =
        |t: &Value| t["lanes"].as_array().unwrap().iter().map(|l| l["notes"].as_u64().unwrap()).collect::<Vec<_>>();
    assert_eq!(counts(&tables[1]), [0, 1, 0], "a hidden note counts …");
    assert_eq!(tables[1]["latest"], json!([]), "… but its text stays at the table");
    assert!(!view.to_string().contains("Hemmelig"), "{view}");
    assert_eq!(tables[0]["quiet"], false);

    // One action, every table: the timer starts at both, and each table's screens see it.
    let answer = call_json(&base, &w.id, &w.token, "all", json!({ "action": "start_timer", "seconds": 300 })).await;
    assert_eq!(answer, json!({ "tables": 2 }));
    let timer_set = |m: &idetavle_core::protocol::ServerMsg| format!("{m:?}").contains("TimerSet");
    one.apply_until(timer_set).await;
    host2.apply_until(timer_set).await;
    let answer = call_json(&base, &w.id, &w.token, "all", json!({ "action": "set_phase", "lane": "ideas" })).await;
    assert_eq!(answer, json!({ "tables": 2 }));
    let (_, view) = overview(&base, &w.id, &w.token).await;
    for t in view["tables"].as_array().unwrap() {
        assert!(t["timer"].is_object() && t["phase"] == "ideas", "{t}");
    }
    // A host may act on their own table only, never on all of them.
    let (status, _) = call_status(&base, &w.id, &w.host_tokens[0], "all", json!({ "action": "stop_timer" })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = call_status(&base, &w.id, &w.token, "all", json!({ "action": "explode" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    server.stop().await;
}

#[tokio::test]
async fn tables_top_notes_are_copied_into_the_plenary_once_naming_their_table_and_reach_the_catalogue() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (base, ws) = (server.http_base(), server.ws_base());
    let mut w = seated_workshop(&base, &ws, 6, 2).await;

    // Table 1: three notes; a vote round makes "Cykelparkering" the favourite.
    let mut phones = Vec::new();
    for person in (0..w.people.len()).filter(|&i| w.people[i].1 == 1) {
        phones.push(at_table(&ws, &w, person).await);
    }
    let texts = ["Lektiecafé", "Cykelparkering", "Morgenmad"];
    for (i, text) in texts.iter().enumerate() {
        phones[0].post(&format!("p{i}"), &format!("t1-n{i}"), "ideas", text).await;
        phones[0].acked(&format!("p{i}")).await;
    }
    let mut host1 = WsClient::facilitator(&ws, &format!("{}-t1", w.id).as_str().into(), &w.host_tokens[0]).await;
    host1.submit("vote", Op::open_voting(3, false)).await;
    host1.acked("vote").await;
    for (i, phone) in phones.iter_mut().enumerate() {
        phone.submit(&format!("v{i}"), Op::Vote { note_id: "t1-n1".into() }).await;
        phone.acked(&format!("v{i}")).await;
    }
    host1.submit("close", Op::CloseVoting {}).await;
    host1.acked("close").await;
    // Table 2: one note, which its host will choose.
    let mut two = at_table(&ws, &w, first_at(&w, 2)).await;
    two.post("q", "t2-n0", "need", "Tryg skolevej").await;
    two.acked("q").await;

    // Table 1's top two, copied by the workshop's facilitator: the favourite first.
    let answer = call_json(&base, &w.id, &w.token, "gather", json!({ "table": 1, "top": 2 })).await;
    assert_eq!(answer, json!({ "copied": 2 }));
    let copies = |c: &WsClient| -> Vec<Note> {
        let board = c.sync.board.as_ref().unwrap();
        let mut notes: Vec<Note> = board.notes.values().filter(|n| n.from_table.is_some()).cloned().collect();
        notes.sort_by(|a, b| a.rank.total_cmp(&b.rank));
        notes
    };
    w.facilitator.apply_until(|m| format!("{m:?}").contains("NotesGathered")).await;
    let got = copies(&w.facilitator);
    assert_eq!(got.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(), ["Cykelparkering", "Lektiecafé"]);
    let from = got[0].from_table.as_ref().unwrap();
    assert_eq!((from.table, from.name.as_str(), from.source.as_str()), (1, "Bord 1", "t1-n1"));
    assert!(got.iter().all(|n| n.author.is_none() && n.author_name.is_none()), "copies name the table, not the person");

    // Asked again (a double click, a second screen): nothing is copied twice.
    let answer = call_json(&base, &w.id, &w.token, "gather", json!({ "table": 1, "top": 2 })).await;
    assert_eq!(answer, json!({ "copied": 0 }));

    // Table 2's host copies the note they chose, from their table only.
    let (status, _) = call_status(&base, &w.id, &w.host_tokens[1], "gather", json!({ "table": 1, "top": 3 })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "another table's notes");
    let (status, _) = call_status(&base, &w.id, &w.host_tokens[1], "gather", json!({ "top": 3 })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "every table's notes");
    let chosen = json!({ "table": 2, "chosen": ["t2-n0"] });
    assert_eq!(call_json(&base, &w.id, &w.host_tokens[1], "gather", chosen).await, json!({ "copied": 1 }));
    w.facilitator.apply_until(|m| format!("{m:?}").contains("Tryg skolevej")).await;
    assert_eq!(copies(&w.facilitator).len(), 3);

    // The plenary's copy goes on to the catalogue, which keeps the table it came from.
    let copy = copies(&w.facilitator).into_iter().find(|n| n.text == "Cykelparkering").unwrap();
    let args = json!({
        "board": w.id, "facilitator_token": w.token, "source": { "kind": "note", "id": copy.id },
    });
    let entry = ok(call(&base, "catalogue_promote", args).await);
    assert_eq!(entry["origin"]["notes"][0]["from_table"]["name"], "Bord 1", "{entry}");
    // And the Markdown export of the plenary names the table.
    let url = format!("{base}/api/boards/{}/export.md", w.id);
    let res = request(Method::GET, &url, &[("authorization", &format!("Bearer {}", w.token))], None).await;
    assert!(res.body.contains("Cykelparkering") && res.body.contains("Bord 1"), "{}", res.body);

    // The whole workshop's export holds the plenary and every table, without who joined.
    let url = format!("{base}/api/workshops/{}/export.json", w.id);
    let auth = [("authorization", format!("Bearer {}", w.token))];
    let auth: Vec<(&str, &str)> = auth.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = request(Method::GET, &url, &auth, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let export: Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(export["format"], "idetavle.workshop");
    assert_eq!(export["tables"].as_array().map(Vec::len), Some(2));
    assert!(res.body.contains("Lektiecafé") && res.body.contains("Tryg skolevej"));
    assert!(!res.body.contains("Person 0"), "members stay in the room");
    let md = request(Method::GET, &url.replace("export.json", "export.md"), &auth, None).await;
    assert!(md.body.contains("Morgenmad") && md.body.contains("Tryg skolevej"), "{}", md.body);
    let host = [("authorization", format!("Bearer {}", w.host_tokens[0]))];
    let host: Vec<(&str, &str)> = host.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(request(Method::GET, &url, &host, None).await.status, StatusCode::UNAUTHORIZED);
    server.stop().await;
}
