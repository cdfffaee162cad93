//! Offline phone (issue 5, item 3), in headless Chromium: the server goes away, the phone
//! posts three notes that show as waiting, the server comes back, and all three arrive on the
//! projector exactly once, without anyone reloading a page.

use fantoccini::{Client, Locator};
use std::time::Duration;
use tests::support::browser::{eventually, open_and_wait_online, texts, wait_online, Driver};
use tests::support::http::{create_board, export};
use tests::support::server::{free_addr, ServerProcess};
use tests::support::temp_data_dir;

const BIN: &str = env!("CARGO_BIN_EXE_idetavle-under-test");
const NOTES: [&str; 3] = ["Skriv offline 1", "Skriv offline 2 – æøå", "Skriv offline 3"];

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_written_offline_arrive_once_when_the_connection_returns() {
    let dir = temp_data_dir();
    let addr = free_addr();
    let path = dir.path().to_owned();
    let start = move || {
        let path = path.clone();
        tokio::task::spawn_blocking(move || ServerProcess::start(BIN, &path, addr))
    };
    let mut server = start().await.expect("server starts");
    let board = create_board(&server.http_base(), "Dårligt wifi").await;
    let mut driver = Driver::start();
    let projector = driver.desktop(1280, 800).await;
    let phone = driver.phone(360, 640).await;
    let result = async {
        open_and_wait_online(&projector, &board.facilitator_url, &phone, &board.participant_url).await;

        // The venue's Wi-Fi (here: the server) goes away.
        server.kill();
        eventually(Duration::from_secs(10), "the phone notices", || async {
            phone.find(Locator::Css(".badge.offline, .badge.connecting")).await.ok()
        })
        .await;
        for text in NOTES {
            click(&phone, "input[name=lane][value=ideas] + span").await;
            phone.find(Locator::Id("note-text")).await.unwrap().send_keys(text).await.unwrap();
            click(&phone, "button.post").await;
        }
        eventually(Duration::from_secs(5), "three notes shown as waiting", || async {
            (phone.find_all(Locator::Css(".note.pending")).await.ok()?.len() == 3).then_some(())
        })
        .await;
        let badge = texts(&phone, ".badge").await.join(" ");
        assert!(badge.contains("3 noter venter"), "the phone says what is waiting: {badge}");

        // Back: both screens reconnect by themselves; the notes arrive once.
        server = start().await.expect("server restarts");
        wait_online(&phone, "phone again").await;
        wait_online(&projector, "projector again").await;
        eventually(Duration::from_secs(10), "all three on the projector", || async {
            let shown = texts(&projector, ".lane[data-lane=ideas] .note-text").await;
            (shown.len() == 3).then_some(())
        })
        .await;
        let mut shown = texts(&projector, ".lane[data-lane=ideas] .note-text").await;
        shown.sort();
        assert_eq!(shown, NOTES, "each note exactly once");
        eventually(Duration::from_secs(5), "nothing waiting on the phone", || async {
            phone.find_all(Locator::Css(".note.pending")).await.ok()?.is_empty().then_some(())
        })
        .await;
        let stored = export(&server.http_base(), &board).await;
        assert_eq!(stored["board"]["notes"].as_array().unwrap().len(), 3, "stored once each");
    }
    .await;
    let _ = phone.close().await;
    let _ = projector.close().await;
    result
}
