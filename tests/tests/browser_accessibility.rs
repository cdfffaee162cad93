//! axe-core (the pinned npm package `scripts/test.sh` installs, `AXE_CORE_JS`) on every page, in
//! Danish and English, at the sizes they are used at: the phone at 360×740, the control view on a
//! laptop, the presentation at 1920×1080 and 1280×720 (with the board and with a round's
//! results), the print page, the catalogue and an entry, and the not-found page (the pages
//! citizens open also on a phone). No page may have a serious or critical violation.

use fantoccini::{Client, Locator};
use hyper::Method;
use idetavle_core::board::{Op, Spotlight};
use idetavle_core::workshop::{Profile, Role, Showing, Table};
use serde_json::{json, Value};
use std::time::Duration;
use tests::support::browser::{eventually, wait_hydrated, Driver};
use tests::support::catalogue::{ok, promote_group};
use tests::support::client::WsClient;
use tests::support::http::{create_board, post_json, request};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

/// Runs axe in the page; answers its serious and critical violations, briefly.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary) }))));
"#;

fn axe_source() -> String {
    let path = std::env::var("AXE_CORE_JS")
        .expect("AXE_CORE_JS names axe.min.js: run the tests through scripts/test.sh, which installs it");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// Opens `url`, waits until `ready` is on the page, and returns axe's serious violations.
async fn violations(client: &Client, axe: &str, url: &str, ready: &str) -> Vec<Value> {
    client.goto(url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    if !url.contains("/print") && !url.ends_with("/nope") {
        wait_hydrated(client).await;
    }
    eventually(Duration::from_secs(10), &format!("{ready} on {url}"), || async {
        client.find(Locator::Css(ready)).await.ok().map(|_| ())
    })
    .await;
    // WebDriver runs scripts outside the page's CSP; axe defines `window.axe`.
    client.execute(&format!("{axe}\nreturn true;"), vec![]).await.expect("load axe");
    let found = client.execute_async(RUN_AXE, vec![]).await.expect("run axe");
    found.as_array().cloned().unwrap_or_default()
}

async fn set_language(client: &Client, base: &str, lang: &str) {
    client.goto(&format!("{base}/nope")).await.unwrap();
    let set = format!("document.cookie = 'idetavle_lang={lang}; path=/; SameSite=Lax'; return document.cookie;");
    let cookies = client.execute(&set, vec![]).await.expect("set the language cookie");
    assert!(cookies.as_str().is_some_and(|c| c.contains(lang)), "{cookies}");
}

/// A workshop with three members seated at two tables.
async fn seated_workshop(server: &TestServer) -> app::api::CreatedBoard {
    let (base, ws) = (server.http_base(), server.ws_base());
    let res = post_json(&format!("{base}/api/workshops"), json!({ "title": "Fremtidens bibliotek" })).await;
    let workshop: app::api::CreatedBoard = serde_json::from_str(&res.body).expect("a workshop");
    for (i, role) in [Role::Borger, Role::Politiker, Role::Medarbejder].into_iter().enumerate() {
        let mut member = WsClient::participant(&ws, &workshop.id, &new_secret()).await;
        let op_id = format!("join-{i}");
        member
            .submit(
                &op_id,
                Op::JoinWorkshop { profile: Profile { role: Some(role), ..Profile::default() }, name: None },
            )
            .await;
        member.acked(&op_id).await;
    }
    let url = format!("{base}/api/workshops/{}/tables", workshop.id);
    let auth = format!("Bearer {}", workshop.facilitator_token);
    let res = request(Method::POST, &url, &[("authorization", &auth)], Some(r#"{"count": 2}"#.into())).await;
    let links: Vec<app::api::TableLink> = serde_json::from_str(&res.body).expect("links");
    let mut fac = WsClient::facilitator(&ws, &workshop.id, &workshop.facilitator_token).await;
    let tables = links.iter().map(|l| Table {
        number: l.number,
        name: format!("Bord {}", l.number),
        code: Some(l.join_code.clone()),
    });
    fac.submit("tables", Op::SetTables { tables: tables.collect() }).await;
    fac.acked("tables").await;
    fac.submit("form", Op::FormTables { seed: 3 }).await;
    fac.acked("form").await;
    // The room's screen shows the tables side by side.
    fac.submit("show", Op::Show { showing: Showing::Tables }).await;
    fac.acked("show").await;
    workshop
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_no_serious_accessibility_violation_in_either_language() {
    let axe = axe_source();
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = create_board(&base, "Fremtidens bibliotek").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    for (i, (lane, text)) in [
        ("need", "Stille læsepladser"),
        ("ideas", "Bogbus til landsbyerne"),
        ("ideas", "Udlån fra skolen"),
        ("trials", "Åbent til kl. 22 i en måned"),
    ]
    .into_iter()
    .enumerate()
    {
        phone.post(&format!("p{i}"), &format!("n{i}"), lane, text).await;
        phone.acked(&format!("p{i}")).await;
    }
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    let ops = [
        Op::CreateGroup {
            group_id: "g1".into(),
            title: "Biblioteket kommer til dig".into(),
            note_ids: vec!["n1".into(), "n2".into()],
        },
        Op::open_voting(3, false),
    ];
    for (i, op) in ops.into_iter().enumerate() {
        fac.submit(&format!("f{i}"), op).await;
        fac.acked(&format!("f{i}")).await;
    }
    phone.submit("v", Op::Vote { note_id: "n1".into() }).await;
    phone.acked("v").await;
    fac.submit("close", Op::CloseVoting {}).await;
    fac.acked("close").await;
    fac.submit("board", Op::SetSpotlight { target: None }).await;
    fac.acked("board").await;
    let entry = ok(promote_group(&base, &board, "g1").await);
    let entry_url = format!("{base}/katalog/{}", entry["id"].as_str().unwrap());
    let presentation = format!("{base}/f/{}/vis#{}", board.id, board.facilitator_token);
    let workshop = seated_workshop(&server).await;
    let workshop_screen = format!("{base}/f/{}/vis#{}", workshop.id, workshop.facilitator_token);

    let mut driver = Driver::start();
    let phone_screen = driver.phone(360, 740).await;
    let laptop = driver.desktop(1280, 800).await;
    let projector = driver.desktop(1920, 1080).await;
    let small_projector = driver.desktop(1280, 720).await;
    let mut report = Vec::new();
    for lang in ["da", "en"] {
        for client in [&phone_screen, &laptop, &projector, &small_projector] {
            set_language(client, &base, lang).await;
        }
        let pages: Vec<(&str, &Client, String, &str)> = vec![
            ("home", &laptop, format!("{base}/"), "main"),
            ("phone", &phone_screen, board.participant_url.clone(), ".post-form"),
            ("control view", &laptop, board.facilitator_url.clone(), ".facilitator-bar"),
            ("presentation 1920×1080", &projector, presentation.clone(), ".presentation .note"),
            ("presentation 1280×720", &small_projector, presentation.clone(), ".presentation .note"),
            ("print", &laptop, format!("{base}/f/{}/print", board.id), ".print-round"),
            ("catalogue", &laptop, format!("{base}/katalog"), ".entries"),
            ("catalogue entry", &laptop, entry_url.clone(), ".entry-heading"),
            ("not found", &laptop, format!("{base}/nope"), "main"),
            ("workshop: joining on a phone", &phone_screen, workshop.participant_url.clone(), ".workshop-join"),
            ("workshop: the tables", &laptop, workshop.facilitator_url.clone(), ".seating-table"),
            ("workshop: the overview", &laptop, workshop.facilitator_url.clone(), ".overview-table"),
            ("workshop: the overview 1920×1080", &projector, workshop.facilitator_url.clone(), ".overview-table"),
            ("workshop: the overview 1280×720", &small_projector, workshop.facilitator_url.clone(), ".overview-table"),
            (
                "workshop: tables on the screen 1920×1080",
                &projector,
                workshop_screen.clone(),
                ".tables-grid .table-tile",
            ),
            (
                "workshop: tables on the screen 1280×720",
                &small_projector,
                workshop_screen.clone(),
                ".tables-grid .table-tile",
            ),
            // Citizens open these on their phones too.
            ("home on a phone", &phone_screen, format!("{base}/"), "main"),
            ("catalogue on a phone", &phone_screen, format!("{base}/katalog"), ".entries"),
            ("catalogue entry on a phone", &phone_screen, entry_url.clone(), ".entry-heading"),
            ("not found on a phone", &phone_screen, format!("{base}/nope"), "main"),
        ];
        for (name, client, url, ready) in pages {
            let found = violations(client, &axe, &url, ready).await;
            println!("axe {lang} {name}: {} serious or critical", found.len());
            if !found.is_empty() {
                report.push(json!({ "page": name, "lang": lang, "violations": found }));
            }
        }
        // The results of a round, on the room's screen.
        fac.submit(&format!("results-{lang}"), Op::SetSpotlight { target: Some(Spotlight::Results { round: 1 }) })
            .await;
        fac.acked(&format!("results-{lang}")).await;
        let found = violations(&projector, &axe, &presentation, ".presentation .results").await;
        println!("axe {lang} presentation with results: {} serious or critical", found.len());
        if !found.is_empty() {
            report.push(json!({ "page": "presentation with results", "lang": lang, "violations": found }));
        }
        fac.submit(&format!("board-{lang}"), Op::SetSpotlight { target: None }).await;
        fac.acked(&format!("board-{lang}")).await;
    }
    for client in [phone_screen, laptop, projector, small_projector] {
        let _ = client.close().await;
    }
    drop(driver);
    server.stop().await;
    assert!(report.is_empty(), "serious accessibility violations:\n{}", serde_json::to_string_pretty(&report).unwrap());
}
