//! Suggested groups (issue 19), as a facilitator uses them: on a board where citizens wrote
//! about four things in their own words, "Foreslå grupper" proposes groups; the facilitator
//! renames and accepts one, accepts another, rejects a third; the groups are on the control
//! view, the room's screen and the participant's phone, and undo takes the last one back
//! everywhere.

use fantoccini::{Client, Locator};
use std::time::Duration;
use tests::support::browser::{eventually, texts, wait_hydrated, wait_online, Driver};
use tests::support::client::WsClient;
use tests::support::http::{create_board, export};
use tests::support::server::TestServer;
use tests::support::{new_secret, output_dir, temp_data_dir};

const LIVE: Duration = Duration::from_secs(15);
const NOTES: [&str; 12] = [
    "Flere cykelstier til skolen",
    "cykelstien ved skolen er farlig om morgenen",
    "sikker cykel sti hele vejen til skolen",
    "Biblioteket skal have åbent om aftenen",
    "bibloteket lukker for tidligt",
    "længere åbningstid på biblioteket i weekenden",
    "hundeskov tæt på byen",
    "flere skraldespande til hundeposer",
    "hunde uden snor i parken",
    "bussen til landsbyen kører for sjældent",
    "flextur om aftenen fra landsbyerne",
    "flere busser i weekenden",
];

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

async fn groups_shown(client: &Client, css: &str, n: usize) -> Vec<String> {
    eventually(LIVE, &format!("{n} groups in {css}"), || async {
        let titles = texts(client, css).await;
        (titles.len() == n).then_some(titles)
    })
    .await
}

/// Waits until the participant's phone (a websocket client) holds `n` groups.
async fn phone_sees_groups(phone: &mut WsClient, n: usize) {
    let caught_up = async {
        while phone.sync.board.as_ref().map_or(0, |b| b.groups.len()) != n {
            let msg = phone.recv().await.expect("the phone stays connected");
            phone.sync.receive(msg);
        }
    };
    tokio::time::timeout(LIVE, caught_up).await.unwrap_or_else(|_| panic!("the phone sees {n} groups"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facilitator_accepts_two_suggestions_rejects_one_and_undoes() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = create_board(&base, "Borgermøde om byen").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    for (i, text) in NOTES.iter().enumerate() {
        phone.post(&format!("p{i}"), &format!("n{i}"), "ideas", text).await;
    }
    phone.acked("p11").await;
    let mut driver = Driver::start();
    let control = driver.desktop(1366, 900).await;
    let room = driver.desktop(1280, 720).await;
    let result = async {
        control.goto(&board.facilitator_url).await.unwrap();
        wait_hydrated(&control).await;
        wait_online(&control, "control view").await;
        room.goto(&format!("{base}/f/{}/vis#{}", board.id, board.facilitator_token)).await.unwrap();
        wait_hydrated(&room).await;

        click(&control, "button.suggest-groups").await;
        let suggestions = eventually(LIVE, "suggestions", || async {
            let cards = control.find_all(Locator::Css(".suggestion:not(.duplicate)")).await.ok()?;
            (cards.len() >= 3).then_some(cards.len())
        })
        .await;
        assert!(suggestions <= 5, "four topics, not {suggestions} groups");
        let top = "document.querySelector('.suggestions').scrollIntoView();";
        control.execute(top, vec![]).await.expect("scroll to the suggestions");
        let png = control.screenshot().await.expect("screenshot");
        std::fs::write(output_dir().join("suggestions.png"), png).expect("write the screenshot");
        let first_members = control.find_all(Locator::Css(".suggestion:first-child .suggestion-member")).await.unwrap();
        assert!(first_members.len() >= 2, "a group has its notes listed");

        // The first, renamed; the second as proposed; the third rejected.
        let name = control.find(Locator::Css(".suggestion:first-child input.suggestion-title")).await.unwrap();
        name.clear().await.unwrap();
        name.send_keys("Vores første gruppe").await.unwrap();
        click(&control, ".suggestion:first-child button.accept-suggestion").await;
        let second_title = control
            .find(Locator::Css(".suggestion:not(.duplicate) input.suggestion-title"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        click(&control, ".suggestion:not(.duplicate) button.accept-suggestion").await;
        let before = control.find_all(Locator::Css(".suggestion")).await.unwrap().len();
        click(&control, ".suggestion:not(.duplicate) button.reject-suggestion").await;
        let after = control.find_all(Locator::Css(".suggestion")).await.unwrap().len();
        assert_eq!(after + 1, before, "the rejected one is gone");

        let mut on_control = groups_shown(&control, ".projector-lanes .group-title", 2).await;
        let mut on_room = groups_shown(&room, ".presentation .group-title", 2).await;
        on_control.sort();
        on_room.sort();
        let mut expected = vec!["Vores første gruppe".to_owned(), second_title.clone()];
        expected.sort();
        assert_eq!(on_control, expected, "the control view shows both, as named");
        assert_eq!(on_room, expected, "the room's screen too");
        phone_sees_groups(&mut phone, 2).await;
        let stored = export(&base, &board).await;
        assert_eq!(stored["board"]["groups"].as_array().map(Vec::len), Some(2), "two groups stored");

        // Undo takes the last back, everywhere.
        click(&control, "button.undo").await;
        assert_eq!(groups_shown(&control, ".projector-lanes .group-title", 1).await, ["Vores første gruppe"]);
        assert_eq!(groups_shown(&room, ".presentation .group-title", 1).await, ["Vores første gruppe"]);
        phone_sees_groups(&mut phone, 1).await;
    }
    .await;
    let _ = control.close().await;
    let _ = room.close().await;
    server.stop().await;
    result
}
