//! The idékatalog through the real server: promotion from a board, the status rules, who may
//! edit, volunteers' contact data staying out of every public view, search, and durability.

use hyper::{Method, StatusCode};
use idetavle_core::board::Op;
use serde_json::{json, Value};
use tests::support::catalogue::{call, ok, promote_group, refusal, status, update};
use tests::support::client::WsClient;
use tests::support::http::{create_board, get, request};
use tests::support::server::{TestServer, EDITOR_TOKEN};
use tests::support::{new_secret, temp_data_dir};

/// A board with two notes grouped as "Biblioteket kommer til dig", one vote on the second.
async fn workshop(server: &TestServer) -> app::api::CreatedBoard {
    let board = create_board(&server.http_base(), "Fremtidens bibliotek").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    phone.post("p1", "n1", "ideas", "Bogbus til landsbyerne").await;
    phone.post("p2", "n2", "ideas", "Udlån fra skolen").await;
    phone.acked("p2").await;
    let group = Op::CreateGroup {
        group_id: "g1".into(),
        title: "Biblioteket kommer til dig".into(),
        note_ids: vec!["n1".into(), "n2".into()],
    };
    fac.submit("g", group).await;
    fac.submit("v", Op::open_voting(3, false)).await;
    fac.acked("v").await;
    phone.submit("vote", Op::Vote { note_id: "n2".into() }).await;
    phone.acked("vote").await;
    board
}

#[tokio::test]
async fn a_promoted_group_keeps_its_board_notes_and_votes_and_survives_a_restart() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = workshop(&server).await;

    let mut stranger = board.clone();
    stranger.facilitator_token = "0".repeat(64);
    assert_eq!(refusal(&promote_group(&base, &stranger, "g1").await), "unauthorized");
    assert_eq!(refusal(&promote_group(&base, &board, "nope").await), "unknown_source");

    let entry = ok(promote_group(&base, &board, "g1").await);
    assert_eq!(entry["title"], "Biblioteket kommer til dig");
    assert_eq!(entry["status"], "ide");
    assert_eq!(entry["origin"]["board_id"], json!(board.id));
    assert_eq!(
        entry["origin"]["notes"],
        json!([
            { "id": "n2", "text": "Udlån fra skolen", "votes": 1 },
            { "id": "n1", "text": "Bogbus til landsbyerne", "votes": 0 },
        ])
    );
    let again = ok(promote_group(&base, &board, "g1").await);
    assert_eq!(again["id"], entry["id"], "promoting the same group twice makes one entry");
    server.stop().await;

    let server = TestServer::start(dir.path()).await;
    let listed = get(&format!("{}/api/catalogue", server.http_base())).await.json();
    assert_eq!(listed["format"], "idetavle.catalogue");
    assert_eq!(listed["entries"][0]["id"], entry["id"], "the entry is still there after a restart");
    assert_eq!(listed["entries"].as_array().map(Vec::len), Some(1));
    server.stop().await;
}

#[tokio::test]
async fn status_rules_are_enforced_with_clear_errors() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = workshop(&server).await;
    let entry = ok(promote_group(&base, &board, "g1").await);

    assert_eq!(refusal(&status(&base, "not-the-editor", &entry, "forsog", "").await), "unauthorized");
    assert_eq!(refusal(&status(&base, &board.facilitator_token, &entry, "forsog", "").await), "unauthorized");
    assert_eq!(refusal(&status(&base, EDITOR_TOKEN, &entry, "forsog", "").await), "success_criterion_required");
    assert_eq!(refusal(&status(&base, EDITOR_TOKEN, &entry, "skaleret", "godt").await), "transition_not_allowed");

    let filled = ok(update(&base, EDITOR_TOKEN, &entry, json!({ "success_criterion": "50 udlån om måneden" })).await);
    assert_eq!(
        refusal(&update(&base, EDITOR_TOKEN, &entry, json!({ "owner": "x" })).await),
        "conflict",
        "stale version"
    );
    let trial = ok(status(&base, EDITOR_TOKEN, &filled, "forsog", "").await);
    assert_eq!(trial["status"], "forsog");
    let answer = status(&base, EDITOR_TOKEN, &trial, "stoppet", " ").await;
    assert_eq!(refusal(&answer), "reason_required");
    assert_eq!(answer["Err"]["to"], "stoppet");
    let emptied = update(&base, EDITOR_TOKEN, &trial, json!({ "success_criterion": "" })).await;
    assert_eq!(refusal(&emptied), "success_criterion_required", "a running trial keeps its criterion");
    let scaled = ok(status(&base, EDITOR_TOKEN, &trial, "skaleret", "Målet nået i tre byer").await);
    let history: Vec<(Value, Value)> =
        scaled["history"].as_array().unwrap().iter().map(|h| (h["to"].clone(), h["reason"].clone())).collect();
    assert_eq!(
        history,
        [(json!("ide"), json!("")), (json!("forsog"), json!("")), (json!("skaleret"), json!("Målet nået i tre byer")),]
    );
    assert!(scaled["history"][2]["at"].as_i64().unwrap() >= scaled["history"][1]["at"].as_i64().unwrap());
    server.stop().await;
}

#[tokio::test]
async fn the_public_never_sees_volunteers_contact_data() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = workshop(&server).await;
    let entry = ok(promote_group(&base, &board, "g1").await);
    let id = entry["id"].clone();
    let needs = json!({ "skills": ["data", "ledelse", "Kørekort"] });
    ok(update(&base, EDITOR_TOKEN, &entry, needs).await);

    let offer = |consent: bool| json!({ "skills": ["data", "kørekort"], "consent": consent, "name": "Mia Ørsted", "contact": "mia@example.dk" });
    let refused = call(&base, "catalogue_volunteer", json!({ "id": id, "offer": offer(false) })).await;
    assert_eq!(refusal(&refused), "consent_required");
    let answer = ok(call(&base, "catalogue_volunteer", json!({ "id": id, "offer": offer(true) })).await);
    assert_eq!(answer["volunteers"][0]["contact"], Value::Null, "the volunteer's own answer is public too");
    let anonymous = json!({ "skills": ["ledelse"] });
    ok(call(&base, "catalogue_volunteer", json!({ "id": id, "offer": anonymous })).await);

    let public_views = [
        call(&base, "catalogue", json!({ "editor_token": null })).await.to_string(),
        call(&base, "catalogue_entry", json!({ "editor_token": "wrong", "id": id })).await.to_string(),
        get(&format!("{base}/api/catalogue")).await.body,
        get(&format!("{base}/api/catalogue/export.json")).await.body,
        get(&format!("{base}/api/catalogue/export.md")).await.body,
        get(&format!("{base}/api/catalogue/export.csv")).await.body,
        get(&format!("{base}/katalog")).await.body,
        get(&format!("{base}/katalog/{}", id.as_str().unwrap())).await.body,
    ];
    for (i, view) in public_views.iter().enumerate() {
        assert!(view.contains("Biblioteket kommer til dig"), "view {i} shows the entry: {view}");
        assert!(!view.contains("Mia") && !view.contains("mia@example.dk"), "view {i} leaks contact data: {view}");
    }

    let editor = call(&base, "catalogue_entry", json!({ "editor_token": EDITOR_TOKEN, "id": id })).await;
    let editor = ok(editor);
    assert_eq!(editor[0], "editor");
    assert_eq!(editor[1]["volunteers"][0]["contact"]["name"], "Mia Ørsted");
    let auth = format!("Bearer {EDITOR_TOKEN}");
    let md = request(Method::GET, &format!("{base}/api/catalogue/export.md"), &[("authorization", &auth)], None).await;
    assert!(md.body.contains("Mia Ørsted (mia@example.dk)"), "{}", md.body);
    assert!(md.body.contains("**Mangler på holdet:** ledelse") || md.body.contains("ledelse"), "{}", md.body);

    let volunteer_id = editor[1]["volunteers"][0]["id"].clone();
    let removal = json!({ "editor_token": EDITOR_TOKEN, "id": id, "volunteer": volunteer_id });
    let after = ok(call(&base, "catalogue_remove_volunteer", removal).await);
    assert!(!after.to_string().contains("Mia"), "deleting a volunteer deletes their data");
    server.stop().await;
}

#[tokio::test]
async fn search_and_filters_work_over_http() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = workshop(&server).await;
    let entry = ok(promote_group(&base, &board, "g1").await);
    let filled = ok(update(&base, EDITOR_TOKEN, &entry, json!({ "success_criterion": "x", "skills": ["data"] })).await);
    ok(status(&base, EDITOR_TOKEN, &filled, "forsog", "").await);
    let titles = |v: Value| -> Vec<String> {
        v["entries"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap().to_owned()).collect()
    };
    let found = |q: &str| {
        let url = format!("{base}/api/catalogue?{q}");
        async move { titles(get(&url).await.json()) }
    };
    assert_eq!(found("q=LANDSBYERNE").await, ["Biblioteket kommer til dig"], "origin notes are searched");
    assert_eq!(found("q=svømmehal").await, Vec::<String>::new());
    assert_eq!(found("status=forsog&skill=data").await, ["Biblioteket kommer til dig"]);
    assert_eq!(found("status=ide").await, Vec::<String>::new());
    assert_eq!(found(&format!("board={}", board.id)).await.len(), 1);
    let res = get(&format!("{base}/api/catalogue/export.csv")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains(",forsog,"), "{}", res.body);
    server.stop().await;
}

/// Found from outside (issue 14): a `null` token answered HTTP 500 with a decoding message,
/// and an unknown entry's page answered 200.
#[tokio::test]
async fn a_missing_token_is_unauthorized_like_a_wrong_one_and_an_unknown_entry_is_a_404() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = workshop(&server).await;
    let entry = ok(promote_group(&base, &board, "g1").await);
    let change = json!({ "id": entry["id"], "version": entry["version"], "to": "stoppet", "reason": "x" });
    let fields = json!({ "title": "Ny titel" });
    for token in [json!(null), json!("wrong-token")] {
        let calls = [
            ("catalogue_update", json!({ "editor_token": token, "id": entry["id"], "version": 1, "fields": fields })),
            ("catalogue_status", json!({ "editor_token": token, "change": change })),
            ("catalogue_remove_volunteer", json!({ "editor_token": token, "id": entry["id"], "volunteer": "v" })),
            (
                "catalogue_promote",
                json!({ "board": board.id, "facilitator_token": token, "source": { "kind": "note", "id": "n1" } }),
            ),
        ];
        for (name, args) in calls {
            assert_eq!(refusal(&call(&base, name, args).await), "unauthorized", "{name} with {token}");
        }
    }
    let missing = json!({ "id": entry["id"], "version": 1, "fields": fields });
    assert_eq!(refusal(&call(&base, "catalogue_update", missing).await), "unauthorized", "no token at all");

    assert_eq!(get(&format!("{base}/katalog/no-such-entry")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&format!("{base}/katalog/{}", entry["id"].as_str().unwrap())).await.status, StatusCode::OK);
    server.stop().await;
}
