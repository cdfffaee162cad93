//! Offline phone (issue 5, item 3): the server goes away, the phone posts three notes that
//! show as waiting, the server comes back, and all three arrive on the projector exactly once,
//! without anyone reloading a page (Chromium). And the page reloaded while the network is gone,
//! in Chromium, WebKit and Firefox: the service worker opens it with the board as last seen and
//! the waiting note, which is delivered once when the network is back.

use fantoccini::{Client, Locator};
use std::time::Duration;
use tests::support::browser::{eventually, open_and_wait_online, texts, wait_hydrated, wait_online, Driver, Engine};
use tests::support::client::WsClient;
use tests::support::http::{create_board, export};
use tests::support::new_secret;
use tests::support::server::{free_addr, ServerProcess};
use tests::support::temp_data_dir;

const BIN: &str = env!("CARGO_BIN_EXE_idetavle-under-test");
const NOTES: [&str; 3] = ["Skriv offline 1", "Skriv offline 2 – æøå", "Skriv offline 3"];

/// Starts the real server on one address with one data directory, as often as called: the
/// venue's network (here, the server) goes and comes back.
fn restartable(path: std::path::PathBuf) -> impl Fn() -> tokio::task::JoinHandle<ServerProcess> {
    let addr = free_addr();
    move || {
        let path = path.clone();
        tokio::task::spawn_blocking(move || ServerProcess::start(BIN, &path, addr))
    }
}

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_written_offline_arrive_once_when_the_connection_returns() {
    let dir = temp_data_dir();
    let start = restartable(dir.path().to_owned());
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_reloaded_without_network_shows_the_board_and_its_waiting_note_in_chromium() {
    reloaded_without_network(Engine::Chromium).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_reloaded_without_network_shows_the_board_and_its_waiting_note_in_webkit() {
    reloaded_without_network(Engine::WebKit).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_reloaded_without_network_shows_the_board_and_its_waiting_note_in_firefox() {
    reloaded_without_network(Engine::Firefox).await;
}

/// The service worker's part, in `engine`.
async fn reloaded_without_network(engine: Engine) {
    let dir = temp_data_dir();
    let start = restartable(dir.path().to_owned());
    let mut server = start().await.expect("server starts");
    let board = create_board(&server.http_base(), "Ingen dækning i kælderen").await;
    let mut neighbour = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    neighbour.post("p", "n-before", "need", "Skrevet før nettet forsvandt").await;
    neighbour.acked("p").await;
    let mut driver = Driver::start_engine(engine);
    let phone = driver.phone(360, 740).await;
    let result = async {
        phone.goto(&board.participant_url).await.unwrap();
        wait_hydrated(&phone).await;
        wait_online(&phone, "phone").await;
        // The service worker is installed, controls the page and has it cached.
        let ready = "const done = arguments[arguments.length - 1]; \
                     if (!navigator.serviceWorker.controller) return done(false); \
                     caches.match(location.pathname).then(r => done(!!r), () => done(false));";
        eventually(Duration::from_secs(15), "the service worker ready", || async {
            (phone.execute_async(ready, vec![]).await.ok()? == serde_json::Value::Bool(true)).then_some(())
        })
        .await;
        // The page asked for its WASM once (by the head's fetch, never again), and the service worker took
        // its copies from the browser's cache, not the network again.
        let wasm = "return performance.getEntriesByType('resource').filter(e => e.name.endsWith('.wasm')).length;";
        assert_eq!(phone.execute(wasm, vec![]).await.unwrap(), 1, "{}: the WASM requested once", engine.name());
        // A note that comes while the phone watches: not in any page the cache holds.
        neighbour.post("q", "n-seen", "trials", "Kom mens telefonen så med").await;
        neighbour.acked("q").await;
        eventually(Duration::from_secs(5), "the phone sees it", || async {
            texts(&phone, ".note-text").await.iter().any(|t| t == "Kom mens telefonen så med").then_some(())
        })
        .await;
        drop(neighbour);

        server.kill();
        eventually(Duration::from_secs(10), "the phone notices", || async {
            phone.find(Locator::Css(".badge.offline, .badge.connecting")).await.ok()
        })
        .await;
        click(&phone, "input[name=lane][value=ideas] + span").await;
        phone.find(Locator::Id("note-text")).await.unwrap().send_keys("Skrevet uden net").await.unwrap();
        click(&phone, "button.post").await;
        eventually(Duration::from_secs(5), "the note waits", || async {
            (phone.find_all(Locator::Css(".note.pending")).await.ok()?.len() == 1).then_some(())
        })
        .await;

        // A reload with no server: the browser's error page, were it not for the service worker.
        // As the user's reload button does (WebDriver's refresh in Firefox passes the worker by).
        // The old document is marked, so the new one is known by its lacking the mark.
        let reload = "document.documentElement.dataset.old = '1'; setTimeout(() => location.reload(), 0);";
        let _ = phone.execute(reload, vec![]).await;
        eventually(Duration::from_secs(10), "the page reloads", || async {
            phone.find(Locator::Css("html[data-old]")).await.is_err().then_some(())
        })
        .await;
        wait_hydrated(&phone).await;
        let shown = texts(&phone, ".note-text").await;
        for seen in ["Skrevet før nettet forsvandt", "Kom mens telefonen så med"] {
            assert!(shown.iter().any(|t| t == seen), "the board as last seen has {seen:?}: {shown:?}");
        }
        eventually(Duration::from_secs(5), "the waiting note after the reload", || async {
            let waiting = texts(&phone, ".note.pending .note-text").await;
            (waiting == ["Skrevet uden net"]).then_some(())
        })
        .await;

        server = start().await.expect("server restarts");
        wait_online(&phone, "phone again").await;
        eventually(Duration::from_secs(10), "nothing waiting on the phone", || async {
            phone.find_all(Locator::Css(".note.pending")).await.ok()?.is_empty().then_some(())
        })
        .await;
        let stored = export(&server.http_base(), &board).await;
        let texts: Vec<&str> =
            stored["board"]["notes"].as_array().unwrap().iter().filter_map(|n| n["text"].as_str()).collect();
        assert_eq!(texts.iter().filter(|t| **t == "Skrevet uden net").count(), 1, "delivered once: {texts:?}");
    }
    .await;
    let _ = phone.close().await;
    result
}
