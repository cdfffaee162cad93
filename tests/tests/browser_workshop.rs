//! In headless Chromium: a workshop of twelve at three tables. Three phones join in the browser
//! (saying who they are), nine more over websockets; the facilitator forms three tables on the
//! plenary's control view; each phone is told its table, goes there and posts, and that table
//! only has the note. Table 3's host sends its top notes to the plenary; the facilitator's
//! overview shows every table and brings every table's top notes; the room's screen shows the
//! tables side by side; a copy goes on to the catalogue, which names its table.

use fantoccini::{Client, Locator};
use idetavle_core::board::Op;
use idetavle_core::workshop::{Competences, Profile, Role};
use serde_json::json;
use std::time::Duration;
use tests::support::browser::{eventually, texts, wait_hydrated, wait_online, Driver};
use tests::support::client::WsClient;
use tests::support::http::post_json;
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

const LIVE: Duration = Duration::from_secs(5);

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twelve_people_join_three_broad_tables_and_post_at_their_own() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (base, ws) = (server.http_base(), server.ws_base());
    let res = post_json(&format!("{base}/api/workshops"), json!({ "title": "Fremtidens bibliotek" })).await;
    let workshop: app::api::CreatedBoard = serde_json::from_str(&res.body).expect("a workshop");
    let mut driver = Driver::start();
    let laptop = driver.desktop(1280, 900).await;
    let mut phones = Vec::new();
    for _ in 0..3 {
        phones.push(driver.phone(360, 740).await);
    }
    let result = async {
        laptop.goto(&workshop.facilitator_url).await.unwrap();
        wait_hydrated(&laptop).await;
        wait_online(&laptop, "control view").await;

        // Three phones join in the browser: a citizen, a politician, an employee.
        for (i, phone) in phones.iter().enumerate() {
            phone.goto(&workshop.participant_url).await.unwrap();
            wait_hydrated(phone).await;
            wait_online(phone, "phone").await;
            click(phone, &format!(".workshop-join fieldset:first-of-type label:nth-of-type({}) input", i + 1)).await;
            click(phone, ".workshop-join input[name=competence]").await;
            click(phone, "button.join-workshop").await;
            eventually(LIVE, "the phone has joined", || async {
                let status = texts(phone, ".workshop-status").await;
                status.first().is_some_and(|s| s.starts_with("Facilitatoren sætter bordene")).then_some(())
            })
            .await;
        }
        // Nine more over websockets: three of each group.
        let mut others = Vec::new();
        for i in 0..9 {
            let mut c = WsClient::participant(&ws, &workshop.id, &new_secret()).await;
            let role = [Role::Borger, Role::Politiker, Role::Medarbejder][i % 3];
            let op_id = format!("join-{i}");
            c.submit(
                &op_id,
                Op::JoinWorkshop {
                    profile: Profile { role: Some(role), competences: Competences(1 << (i % 5)) },
                    name: None,
                },
            )
            .await;
            c.acked(&op_id).await;
            others.push(c);
        }
        eventually(LIVE, "twelve joined on the control view", || async {
            let joined = texts(&laptop, ".workshop-joined").await;
            joined.first().is_some_and(|s| s.starts_with("12 ")).then_some(())
        })
        .await;

        // The facilitator forms three tables: four each, every group at every table.
        let count = laptop.find(Locator::Id("table-count")).await.unwrap();
        count.send_keys("3").await.unwrap();
        click(&laptop, ".form-tables button[type=submit]").await;
        eventually(LIVE, "three tables of four", || async {
            let mut sizes = Vec::new();
            for n in 1..=3 {
                sizes.push(
                    laptop
                        .find_all(Locator::Css(&format!(".seating-table[data-table='{n}'] .seated-member")))
                        .await
                        .ok()?
                        .len(),
                );
            }
            (sizes == [4, 4, 4]).then_some(())
        })
        .await;
        for n in 1..=3 {
            let labels = texts(&laptop, &format!(".seating-table[data-table='{n}'] .seated-member label")).await;
            for group in ["borger", "politiker", "medarbejder"] {
                assert!(labels.iter().any(|l| l.contains(group)), "table {n} has a {group}: {labels:?}");
            }
        }
        let hosts = texts(&laptop, ".host-link a").await;
        assert_eq!(hosts.len(), 3, "a host link per table");

        // Each phone is told its table, goes there, and posts; only its table has the note.
        for (i, phone) in phones.iter().enumerate() {
            let table = eventually(LIVE, "the phone's table", || async {
                texts(phone, ".your-table strong").await.into_iter().next()
            })
            .await;
            click(phone, "a.go-to-table").await;
            wait_hydrated(phone).await;
            wait_online(phone, &format!("phone {i} at {table}")).await;
            let text = format!("Idé fra telefon {i}");
            phone.find(Locator::Id("note-text")).await.unwrap().send_keys(&text).await.unwrap();
            click(phone, "button.post").await;
            eventually(LIVE, "sent", || async {
                texts(phone, ".sent-status").await.first().is_some_and(|s| s.starts_with("Sendt ✓")).then_some(())
            })
            .await;
        }
        // The host of each table sees exactly the notes of the phones seated there.
        for (n, host_url) in hosts.iter().enumerate() {
            laptop.goto(host_url).await.unwrap();
            wait_hydrated(&laptop).await;
            wait_online(&laptop, &format!("host of table {}", n + 1)).await;
            let notes = texts(&laptop, ".note-text").await;
            assert!(notes.iter().all(|t| t.starts_with("Idé fra telefon")), "table {}: {notes:?}", n + 1);
        }
        let _ = others;

        // Table 3's host (the laptop is there now) sends its top notes to the plenary.
        click(&laptop, "button.send-top").await;
        eventually(LIVE, "sent to the plenary", || async {
            let said = texts(&laptop, ".table-host .tables-said").await;
            said.first().is_some_and(|s| s.contains("hentet til plenum")).then_some(())
        })
        .await;

        // Back on the plenary: the overview shows every table with its note and who sits there.
        laptop.goto(&workshop.facilitator_url).await.unwrap();
        wait_hydrated(&laptop).await;
        wait_online(&laptop, "the plenary again").await;
        eventually(LIVE, "three tables in the overview, each with its note", || async {
            let latest = texts(&laptop, ".overview-table .table-latest li").await;
            (laptop.find_all(Locator::Css(".overview-table")).await.ok()?.len() == 3 && latest.len() == 3).then_some(())
        })
        .await;
        let png = laptop.screenshot().await.unwrap();
        std::fs::write(tests::support::output_dir().join("workshop-overview.png"), png).unwrap();
        click(&laptop, "button.gather-all").await;
        eventually(LIVE, "every phone's note in the plenary, once", || async {
            let notes = texts(&laptop, ".projector-lanes .note-text").await;
            let each_once = (0..3).all(|i| notes.iter().filter(|t| **t == format!("Idé fra telefon {i}")).count() == 1);
            (notes.len() == 3 && each_once).then_some(())
        })
        .await;

        // The room's screen shows the tables side by side, then the plenary again.
        let room = driver.desktop(1920, 1080).await;
        let screen = format!("{}/f/{}/vis#{}", base, workshop.id, workshop.facilitator_token);
        room.goto(&screen).await.unwrap();
        wait_hydrated(&room).await;
        click(&laptop, "#screen-shows option[value=tables]").await;
        eventually(LIVE, "three tables on the room's screen", || async {
            (room.find_all(Locator::Css(".tables-grid .table-tile")).await.ok()?.len() == 3).then_some(())
        })
        .await;
        let png = room.screenshot().await.unwrap();
        std::fs::write(tests::support::output_dir().join("workshop-tables.png"), png).unwrap();
        click(&laptop, "#screen-shows option[value=plenary]").await;
        eventually(LIVE, "the plenary on the room's screen", || async {
            let notes = texts(&room, ".presentation-lanes .note-text").await;
            (notes.len() == 3 && room.find_all(Locator::Css(".tables-grid")).await.ok()?.is_empty()).then_some(())
        })
        .await;
        let _ = room.close().await;

        // A copy goes on to the catalogue, which says which table it came from.
        click(&laptop, ".projector-lanes .note .note-tools-toggle").await;
        click(&laptop, ".projector-lanes .note button.promote").await;
        eventually(LIVE, "promoted", || async {
            texts(&laptop, ".promoted-banner .promoted-title").await.into_iter().next()
        })
        .await;
        laptop.goto(&format!("{base}/katalog")).await.unwrap();
        wait_hydrated(&laptop).await;
        click(&laptop, ".entry-card .entry-link").await;
        eventually(LIVE, "the entry names its table", || async {
            let from = texts(&laptop, ".origin-note-table").await;
            from.first().is_some_and(|s| s.starts_with("fra Bord ")).then_some(())
        })
        .await;
    }
    .await;
    for phone in phones {
        let _ = phone.close().await;
    }
    let _ = laptop.close().await;
    server.stop().await;
    result
}

/// Twelve tables side by side fit the room's screen at 1920×1080 and at 1280×720: every
/// tile wholly inside the window, none scrolled away.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twelve_tables_fit_the_rooms_screen() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (base, ws) = (server.http_base(), server.ws_base());
    let res = post_json(&format!("{base}/api/workshops"), json!({ "title": "Borgersamling om klimaet" })).await;
    let workshop: app::api::CreatedBoard = serde_json::from_str(&res.body).expect("a workshop");
    let url = format!("{base}/api/workshops/{}/tables", workshop.id);
    let auth = format!("Bearer {}", workshop.facilitator_token);
    let headers = [("authorization", auth.as_str()), ("content-type", "application/json")];
    let res = tests::support::http::request(hyper::Method::POST, &url, &headers, Some(r#"{"count": 12}"#.into())).await;
    assert!(res.status.is_success(), "{}", res.body);
    let mut fac = WsClient::facilitator(&ws, &workshop.id, &workshop.facilitator_token).await;
    let tables =
        (1..=12).map(|number| idetavle_core::workshop::Table { number, name: format!("Bord {number}"), code: None });
    fac.submit("tables", Op::SetTables { tables: tables.collect() }).await;
    fac.acked("tables").await;
    fac.submit("show", Op::Show { showing: idetavle_core::workshop::Showing::Tables }).await;
    fac.acked("show").await;
    let screen = format!("{base}/f/{}/vis#{}", workshop.id, workshop.facilitator_token);
    let mut driver = Driver::start();
    let mut outcome = Ok(());
    for (width, height) in [(1920, 1080), (1280, 720)] {
        let room = driver.desktop(width, height).await;
        room.goto(&screen).await.unwrap();
        wait_hydrated(&room).await;
        eventually(LIVE, "twelve tables on the screen", || async {
            (room.find_all(Locator::Css(".tables-grid .table-tile")).await.ok()?.len() == 12).then_some(())
        })
        .await;
        let outside = room
            .execute(
                "return [...document.querySelectorAll('.table-tile')].filter(t => { const r = t.getBoundingClientRect(); \
                 return r.top < 0 || r.left < 0 || r.bottom > innerHeight + 1 || r.right > innerWidth + 1 || r.height < 60; }).length",
                vec![],
            )
            .await
            .unwrap();
        if outside != json!(0) {
            outcome = Err(format!("{width}×{height}: {outside} tiles do not fit"));
        }
        let _ = room.close().await;
    }
    server.stop().await;
    outcome.unwrap();
}
