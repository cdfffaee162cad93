//! In headless Chromium: a facilitator makes a board from lanes of their own, each with a
//! question; the phone shows the questions; the facilitator changes a question, adds a lane
//! and saves the lanes as a template, which the home page then offers.

use fantoccini::{Client, Locator};
use std::time::Duration;
use tests::support::browser::{eventually, texts, wait_hydrated, wait_online, Driver};
use tests::support::server::TestServer;
use tests::support::temp_data_dir;

const LIVE: Duration = Duration::from_secs(3);
const TAB: &str = "\u{e004}";

async fn type_into(client: &Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

async fn lane_ids(phone: &Client) -> Vec<String> {
    let mut ids = Vec::new();
    for lane in phone.find_all(Locator::Css(".lanes .lane")).await.unwrap_or_default() {
        ids.push(lane.attr("data-lane").await.ok().flatten().unwrap_or_default());
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_from_own_lanes_asks_its_questions_and_becomes_a_template() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let mut driver = Driver::start();
    let laptop = driver.desktop(1280, 900).await;
    let phone = driver.phone(360, 640).await;
    let result = async {
        // The facilitator picks "own lanes" and writes two, with a question for the first.
        laptop.goto(&server.http_base()).await.unwrap();
        wait_hydrated(&laptop).await;
        type_into(&laptop, "#board-title", "Før og efter").await;
        click(&laptop, "input.template-own").await;
        type_into(&laptop, ".template-lane:nth-child(1) .template-lane-title", "Før").await;
        type_into(&laptop, ".template-lane:nth-child(1) .template-lane-question", "Hvad sker der i dag?").await;
        click(&laptop, "button.add-template-lane").await;
        type_into(&laptop, ".template-lane:nth-child(2) .template-lane-title", "Efter").await;
        click(&laptop, ".create-form button[type=submit]").await;
        let participant_url = eventually(Duration::from_secs(5), "the new board's links", || async {
            laptop.find(Locator::Css(".created a.participant-link")).await.ok()?.attr("href").await.ok()?
        })
        .await;
        click(&laptop, ".created a.button").await;
        wait_hydrated(&laptop).await;
        wait_online(&laptop, "control view").await;

        // The phone shows the two lanes and the first lane's question above the form.
        phone.goto(&participant_url).await.unwrap();
        wait_hydrated(&phone).await;
        wait_online(&phone, "phone").await;
        assert_eq!(lane_ids(&phone).await, ["lane-1", "lane-2"]);
        assert_eq!(texts(&phone, "#lane-question").await, ["Hvad sker der i dag?"]);
        assert_eq!(texts(&phone, ".lane[data-lane=lane-1] .lane-question").await, ["Hvad sker der i dag?"]);

        // The facilitator asks a question in the second lane and adds a third; the phone follows.
        click(&laptop, ".lane-editor summary").await;
        type_into(
            &laptop,
            ".lane-row[data-lane=lane-2] .lane-question-input",
            &format!("Hvad skal være anderledes?{TAB}"),
        )
        .await;
        eventually(LIVE, "the new question on the phone", || async {
            let q = texts(&phone, ".lane[data-lane=lane-2] .lane-question").await;
            (q == ["Hvad skal være anderledes?"]).then_some(())
        })
        .await;
        click(&phone, "input[name=lane][value=lane-2] + span").await;
        assert_eq!(texts(&phone, "#lane-question").await, ["Hvad skal være anderledes?"]);
        click(&laptop, "button.add-lane").await;
        eventually(LIVE, "a third lane on the phone", || async { (lane_ids(&phone).await.len() == 3).then_some(()) })
            .await;

        // Saved as a template, the lanes are offered on the home page next time.
        type_into(&laptop, "#template-name", "Før og efter").await;
        click(&laptop, ".save-template button[type=submit]").await;
        eventually(LIVE, "saved", || async {
            (texts(&laptop, ".save-template .hint").await.iter().any(|t| !t.is_empty())).then_some(())
        })
        .await;
        laptop.goto(&server.http_base()).await.unwrap();
        wait_hydrated(&laptop).await;
        click(&laptop, "button.use-template").await;
        let mut titles = Vec::new();
        for field in laptop.find_all(Locator::Css(".template-lane-title")).await.unwrap() {
            titles.push(field.prop("value").await.unwrap().unwrap_or_default());
        }
        assert_eq!(titles, ["Før", "Efter", "Nyt spor"]);
    }
    .await;
    let _ = phone.close().await;
    let _ = laptop.close().await;
    server.stop().await;
    result
}
