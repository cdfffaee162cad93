//! A phone back after 30 s away (issue 6), in headless Chromium: the phone's network goes away
//! (a proxy between it and the server closes its connection and refuses new ones, and the
//! browser is told it is offline); meanwhile the room goes on and another participant posts 60
//! notes. When the network is back, the time until the phone shows every missed note is
//! measured and printed (target ≤ 1 s; `AWAY_SECS` changes the 30 s).

use fantoccini::{Client, Locator};
use serde_json::json;
use std::time::{Duration, Instant};
use tests::support::browser::{cdp, eventually, wait_hydrated, wait_online, Driver};
use tests::support::client::WsClient;
use tests::support::http::create_board;
use tests::support::proxy::Proxy;
use tests::support::server::TestServer;
use tests::support::temp_data_dir;

const MISSED: usize = 60;

fn away() -> Duration {
    Duration::from_secs(std::env::var("AWAY_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30))
}

async fn set_offline(phone: &Client, offline: bool) {
    let conditions = json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 });
    cdp(phone, "Network.emulateNetworkConditions", conditions).await;
}

/// How many of the missed notes the phone shows.
async fn missed_notes_shown(phone: &Client) -> usize {
    let count = phone
        .execute(
            "return [...document.querySelectorAll('.note-text')].filter(n => n.textContent.startsWith('Mens du var væk')).length",
            vec![],
        )
        .await;
    count.ok().and_then(|v| v.as_u64()).unwrap_or(0) as usize
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_back_after_thirty_seconds_away_shows_what_it_missed_within_a_second() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Borgermøde på dårligt wifi").await;
    let proxy = Proxy::start(server.addr).await;
    let phone_url = board.participant_url.replace(&server.addr.to_string(), &proxy.addr.to_string());
    let mut driver = Driver::start();
    let phone = driver.phone(360, 640).await;
    let result = async {
        phone.goto(&phone_url).await.expect("open the board through the proxy");
        wait_hydrated(&phone).await;
        wait_online(&phone, "phone").await;
        cdp(&phone, "Network.enable", json!({})).await;

        // The phone goes away.
        proxy.cut();
        set_offline(&phone, true).await;
        eventually(Duration::from_secs(10), "the phone notices it is offline", || async {
            phone.find(Locator::Css(".badge.offline, .badge.connecting")).await.ok()
        })
        .await;

        // The room goes on: 60 notes over the time the phone is away.
        let mut other = WsClient::participant(&server.ws_base(), &board.id, "another-participant-0001").await;
        let gap = away() / MISSED as u32;
        for i in 0..MISSED {
            let text = format!("Mens du var væk {i}: flere bænke ved stien");
            other.post(&format!("away-{i}"), &format!("away{i}"), ["need", "ideas", "trials"][i % 3], &text).await;
            other.acked(&format!("away-{i}")).await;
            tokio::time::sleep(gap).await;
        }
        assert_eq!(missed_notes_shown(&phone).await, 0, "the phone was really away");

        // The network is back.
        proxy.restore();
        set_offline(&phone, false).await;
        let back = Instant::now();
        let mut shown = 0;
        while back.elapsed() < Duration::from_secs(20) {
            shown = missed_notes_shown(&phone).await;
            if shown == MISSED {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let took = back.elapsed();
        assert_eq!(shown, MISSED, "every missed note on the phone");
        wait_online(&phone, "phone").await;
        println!(
            "[reconnect] a phone back after {} s away: the {MISSED} notes it missed shown {:.0} ms after the network returned",
            away().as_secs(),
            took.as_secs_f64() * 1000.0
        );
        other.close().await;
    }
    .await;
    let _ = phone.close().await;
    result
}
