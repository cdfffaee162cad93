//! In headless Chromium: the facilitator promotes a group from the projector into the
//! idékatalog, opens the catalogue with the editor link, finds the idea by searching, and
//! moves it to "forsøg" once the success criterion is filled in.

use fantoccini::{Client, Locator};
use idetavle_core::board::Op;
use std::time::Duration;
use tests::support::browser::{eventually, texts, wait_hydrated, Driver};
use tests::support::client::WsClient;
use tests::support::http::create_board;
use tests::support::server::{TestServer, EDITOR_TOKEN};
use tests::support::{new_secret, output_dir, temp_data_dir};

const SOON: Duration = Duration::from_secs(10);

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

async fn type_into(client: &Client, css: &str, text: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).send_keys(text).await.unwrap();
}

async fn shows(client: &Client, css: &str, expected: &str) {
    eventually(SOON, &format!("{css} shows {expected:?}"), || async {
        texts(client, css).await.iter().any(|t| t.contains(expected)).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facilitator_promotes_a_group_and_the_editor_starts_a_trial() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = create_board(&base, "Fremtidens bibliotek").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    phone.post("p1", "n1", "ideas", "Bogbus til landsbyerne").await;
    phone.post("p2", "n2", "ideas", "Udlån fra skolen").await;
    phone.acked("p2").await;
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    let group = Op::CreateGroup {
        group_id: "g1".into(),
        title: "Biblioteket kommer til dig".into(),
        note_ids: vec!["n1".into(), "n2".into()],
    };
    fac.submit("g", group).await;
    fac.acked("g").await;

    let mut driver = Driver::start();
    let browser = driver.desktop(1280, 1000).await;
    let result = async {
        // On the projector: promote the group.
        browser.goto(&board.facilitator_url).await.unwrap();
        wait_hydrated(&browser).await;
        shows(&browser, ".group .group-title", "Biblioteket kommer til dig").await;
        eventually(SOON, "the facilitator's tools", || async {
            browser.find(Locator::Css(".group button.promote")).await.ok()
        })
        .await;
        click(&browser, ".group button.promote").await;
        shows(&browser, ".promoted-banner .promoted-title", "Biblioteket kommer til dig").await;

        // In the catalogue, as its editor: the editor link pasted into a tab already on the
        // public catalogue (only the fragment changes, the page does not load again).
        browser.goto(&format!("{base}/katalog")).await.unwrap();
        wait_hydrated(&browser).await;
        assert!(texts(&browser, ".editor-badge").await.is_empty(), "the public view first");
        browser.goto(&format!("{base}/katalog#{EDITOR_TOKEN}")).await.unwrap();
        shows(&browser, ".editor-badge", "Redaktørvisning").await;
        let url = browser.current_url().await.unwrap();
        assert_eq!(url.fragment(), None, "the token leaves the address bar");
        type_into(&browser, ".catalogue-search", "landsbyerne").await;
        shows(&browser, ".found", "1 idé fundet").await;
        type_into(&browser, ".catalogue-search", " svømmehal").await;
        shows(&browser, ".found", "0 idéer fundet").await;
        let search = browser.find(Locator::Css(".catalogue-search")).await.unwrap();
        search.clear().await.unwrap();
        type_into(&browser, ".catalogue-search", "bogbus").await;
        shows(&browser, ".entry-card .entry-link", "Biblioteket kommer til dig").await;
        assert_eq!(texts(&browser, ".entry-card .status-badge").await, ["Idé"]);
        let png = browser.screenshot().await.unwrap();
        std::fs::write(output_dir().join("catalogue.png"), png).unwrap();

        // Open it; a trial needs a success criterion first.
        click(&browser, ".entry-card .entry-link").await;
        shows(&browser, ".entry-heading", "Biblioteket kommer til dig").await;
        shows(&browser, ".origin-notes", "Bogbus til landsbyerne").await;
        eventually(SOON, "the status control", || async { browser.find(Locator::Css(".status-to")).await.ok() }).await;
        click(&browser, ".status-to option[value=forsog]").await;
        click(&browser, "button.change-status").await;
        shows(&browser, ".status-control .notice.refusal", "succeskriterium").await;
        assert_eq!(texts(&browser, ".entry-head .status-badge").await, ["Idé"]);

        type_into(&browser, ".field-success", "50 udlån om måneden i tre landsbyer").await;
        click(&browser, "button.save-entry").await;
        shows(&browser, ".entry-form .notice.ok", "Gemt").await;
        click(&browser, ".status-to option[value=forsog]").await;
        click(&browser, "button.change-status").await;
        shows(&browser, ".entry-head .status-badge", "Forsøg").await;
        shows(&browser, ".history", "→ Forsøg").await;
        let png = browser.screenshot().await.unwrap();
        std::fs::write(output_dir().join("catalogue-entry.png"), png).unwrap();
    }
    .await;
    let _ = browser.close().await;
    drop(driver);

    // The server agrees, and says so after a restart.
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let listed = tests::support::http::get(&format!("{}/api/catalogue?status=forsog", server.http_base())).await.json();
    assert_eq!(listed["entries"][0]["title"], "Biblioteket kommer til dig");
    assert_eq!(listed["entries"][0]["success_criterion"], "50 udlån om måneden i tre landsbyer");
    server.stop().await;
    result
}
