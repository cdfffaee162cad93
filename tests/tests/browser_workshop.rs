//! In headless Chromium: a workshop of twelve at three tables. Three phones join in the browser
//! (saying who they are), nine more over websockets; the facilitator forms three tables on the
//! plenary's control view; each phone is told its table, goes there and posts, and that table
//! only has the note. axe-core finds nothing serious on the lobby and the tables panel.

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
    }
    .await;
    for phone in phones {
        let _ = phone.close().await;
    }
    let _ = laptop.close().await;
    server.stop().await;
    result
}
