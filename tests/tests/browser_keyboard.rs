//! The facilitator clusters a board with the keyboard alone, in headless Chromium: Tab to a
//! note's tools, "Flyt til…", make a new group from the note, move another note into it, make a
//! second group, swap the two groups, rename one. Focus stays on the moved card after
//! every step, and an arrow key on the closed menu does nothing.

use fantoccini::{Client, Locator};
use serde_json::Value;
use std::time::Duration;
use tests::support::browser::{eventually, texts, wait_hydrated, wait_online, Driver};
use tests::support::client::WsClient;
use tests::support::http::create_board;
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

const LIVE: Duration = Duration::from_secs(3);
const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
const ENTER: &str = "\u{E007}";
const ARROW_DOWN: &str = "\u{E015}";

/// Where the focus is: the note and group around it, and its classes.
async fn focus(client: &Client) -> Value {
    let script = "const a = document.activeElement; const note = a.closest('[data-note-id]'); \
                  const group = a.closest('[data-group-id]'); \
                  return { note: note && note.dataset.noteId, group: group && group.dataset.groupId, \
                  class: a.className, tag: a.tagName };";
    client.execute(script, vec![]).await.expect("read the focus")
}

async fn press(client: &Client, keys: &str) {
    client.active_element().await.expect("a focused element").send_keys(keys).await.expect("press");
}

/// Tabs (or shift-tabs) until the focused element matches `css`.
async fn tab_to(client: &Client, css: &str, backwards: bool) {
    for _ in 0..80 {
        let here = client.execute("return document.activeElement.matches(arguments[0]);", vec![css.into()]).await;
        if here.ok() == Some(Value::Bool(true)) {
            return;
        }
        press(client, if backwards { SHIFT_TAB } else { TAB }).await;
    }
    panic!("Tab never reached {css}; focus is on {}", focus(client).await);
}

async fn focus_stays_on_note(client: &Client, note: &str, step: &str) {
    eventually(LIVE, &format!("{step}: focus on note {note}"), || async {
        let f = focus(client).await;
        (f["note"] == note && f["class"].as_str().is_some_and(|c| c.contains("note-tools-toggle"))).then_some(())
    })
    .await;
}

async fn group_of(client: &Client, note: &str) -> Option<String> {
    let script = "const n = document.querySelector(`[data-note-id='${arguments[0]}']`); \
                  const g = n && n.closest('[data-group-id]'); return g ? g.dataset.groupId : null;";
    client.execute(script, vec![note.into()]).await.ok()?.as_str().map(str::to_owned)
}

/// Opens note `note`'s "Flyt til…" from wherever the focus is, and picks `target`.
async fn move_note(client: &Client, note: &str, target: &str, backwards: bool) {
    tab_to(client, &format!("[data-note-id='{note}'] .note-tools-toggle"), backwards).await;
    press(client, ENTER).await;
    tab_to(client, &format!("[data-note-id='{note}'] .move-menu-toggle"), false).await;
    press(client, ENTER).await;
    tab_to(client, &format!("[data-note-id='{note}'] .move-target{target}"), false).await;
    press(client, ENTER).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facilitator_clusters_with_the_keyboard_alone() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Trafik i byen").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    for (i, text) in ["Flere cykelstier", "Billigere bus", "Cykelparkering", "Sikker skolevej"].iter().enumerate() {
        phone.post(&format!("p{i}"), &format!("n{i}"), "ideas", text).await;
        phone.acked(&format!("p{i}")).await;
    }
    let mut driver = Driver::start();
    let laptop = driver.desktop(1280, 900).await;
    let result = async {
        laptop.goto(&board.facilitator_url).await.unwrap();
        wait_hydrated(&laptop).await;
        wait_online(&laptop, "control view").await;
        laptop.execute("document.activeElement.blur(); window.focus();", vec![]).await.unwrap();
        laptop.find(Locator::Css("body")).await.unwrap().send_keys(TAB).await.unwrap();

        // An arrow on the closed menu does nothing.
        tab_to(&laptop, "[data-note-id='n0'] .note-tools-toggle", false).await;
        press(&laptop, ENTER).await;
        tab_to(&laptop, "[data-note-id='n0'] .move-menu-toggle", false).await;
        press(&laptop, ARROW_DOWN).await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        let menu = laptop.find(Locator::Css("[data-note-id='n0'] .move-menu-toggle")).await.unwrap();
        assert_eq!(menu.attr("aria-expanded").await.unwrap().as_deref(), Some("false"), "the arrow opened the menu");
        assert_eq!(texts(&laptop, ".lane[data-lane=ideas] .note-text").await[0], "Flere cykelstier", "the arrow moved");

        // A new group from n0.
        press(&laptop, ENTER).await;
        tab_to(&laptop, "[data-note-id='n0'] .move-target[data-target=new-group]", false).await;
        press(&laptop, ENTER).await;
        eventually(LIVE, "n0 in a new group", || async { group_of(&laptop, "n0").await }).await;
        focus_stays_on_note(&laptop, "n0", "new group").await;
        let first = group_of(&laptop, "n0").await.unwrap();

        // n2 into it.
        move_note(&laptop, "n2", &format!("[data-target='group:{first}']"), false).await;
        eventually(LIVE, "n2 in the group", || async {
            (group_of(&laptop, "n2").await.as_deref() == Some(first.as_str())).then_some(())
        })
        .await;
        focus_stays_on_note(&laptop, "n2", "into the group").await;

        // A second group from n3, then above the first.
        move_note(&laptop, "n3", "[data-target=new-group]", false).await;
        let second = eventually(LIVE, "n3 in a new group", || async {
            group_of(&laptop, "n3").await.filter(|g| *g != first)
        })
        .await;
        focus_stays_on_note(&laptop, "n3", "second group").await;
        let order = || async {
            let script = "return [...document.querySelectorAll('.lane[data-lane=ideas] [data-group-id]')].map(g => g.dataset.groupId);";
            laptop.execute(script, vec![]).await.unwrap()
        };
        // Swap the two groups: the second goes up if it is below the first, down if above.
        let before = order().await;
        let (step, after) = if before == serde_json::json!([first, second]) {
            ("up", serde_json::json!([second, first]))
        } else {
            assert_eq!(before, serde_json::json!([second, first]), "two groups");
            ("down", serde_json::json!([first, second]))
        };
        let toggle = format!("[data-group-id='{second}'] .group-move .move-menu-toggle");
        tab_to(&laptop, &toggle, true).await;
        press(&laptop, ENTER).await;
        tab_to(&laptop, &format!("[data-group-id='{second}'] .move-target[data-target={step}]"), false).await;
        press(&laptop, ENTER).await;
        eventually(LIVE, "the groups swapped", || async { (order().await == after).then_some(()) }).await;
        eventually(LIVE, "focus on the moved group", || async {
            let f = focus(&laptop).await;
            (f["group"] == second.as_str() && f["class"].as_str().is_some_and(|c| c.contains("move-menu-toggle")))
                .then_some(())
        })
        .await;

        // Rename it.
        tab_to(&laptop, &format!("[data-group-id='{second}'] button.rename"), true).await;
        press(&laptop, ENTER).await;
        tab_to(&laptop, &format!("[data-group-id='{second}'] input.group-rename"), false).await;
        press(&laptop, "\u{E009}a\u{E000}Skolevejen\u{E007}").await;
        eventually(LIVE, "the new name", || async {
            texts(&laptop, &format!("[data-group-id='{second}'] .group-title")).await.first().is_some_and(|t| t == "Skolevejen").then_some(())
        })
        .await;
        eventually(LIVE, "focus back on the rename button", || async {
            let f = focus(&laptop).await;
            (f["group"] == second.as_str() && f["class"].as_str().is_some_and(|c| c.contains("rename"))).then_some(())
        })
        .await;
    }
    .await;
    let _ = laptop.close().await;
    drop(driver);
    server.stop().await;
    result
}
