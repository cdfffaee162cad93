//! In headless Chromium: on the projector the facilitator drags one note onto another with
//! pointer events to make a group and names it; a phone sees the group appear. Then a voting
//! round: the 360 px phone votes, and the projector shows the count. Then the facilitator shows
//! who wrote what (the phone says so) and removes a note's writer from the note.

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::{Client, Locator};
use std::time::Duration;
use tests::support::browser::{eventually, open_and_wait_online, texts, Driver};
use tests::support::http::create_board;
use tests::support::output_dir;
use tests::support::server::TestServer;
use tests::support::temp_data_dir;

const LIVE: Duration = Duration::from_secs(2);

async fn wait_for(client: &Client, css: &str, what: &str) {
    eventually(Duration::from_secs(15), what, || async { client.find(Locator::Css(css)).await.ok().map(|_| ()) }).await;
}

async fn wait_gone(client: &Client, css: &str) {
    eventually(LIVE, &format!("no {css}"), || async { client.find(Locator::Css(css)).await.is_err().then_some(()) })
        .await;
}

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

async fn post(phone: &Client, lane: &str, text: &str) {
    click(phone, &format!("input[name=lane][value={lane}] + span")).await;
    phone.find(Locator::Id("note-text")).await.unwrap().send_keys(text).await.unwrap();
    click(phone, "button.post").await;
}

/// Drags the note `from` onto the middle of the note `onto` with a mouse pointer.
async fn drag_note_onto(client: &Client, from: &str, onto: &str) {
    // Grab the note by its text, as a person would (its buttons are not handles).
    let from = client.find(Locator::Css(&format!("[data-note-id='{from}'] .note-text"))).await.unwrap();
    let onto = client.find(Locator::Css(&format!("[data-note-id='{onto}'] .note-text"))).await.unwrap();
    let step = Some(Duration::from_millis(150));
    let actions = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: from.clone(), duration: None, x: 0.0, y: 0.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveBy { duration: step, x: 15.0, y: 15.0 })
        .then(PointerAction::MoveToElement { element: onto.clone(), duration: step, x: 0.0, y: 0.0 })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    client.perform_actions(actions).await.expect("drag");
}

async fn note_id_of(client: &Client, text: &str) -> String {
    for note in client.find_all(Locator::Css("[data-note-id]")).await.unwrap() {
        if note.find(Locator::Css(".note-text")).await.unwrap().text().await.unwrap() == text {
            return note.attr("data-note-id").await.unwrap().unwrap();
        }
    }
    panic!("no note {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facilitator_groups_by_dragging_and_a_phone_votes() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Borgermøde om trafik").await;
    let mut driver = Driver::start();
    let projector = driver.desktop(1920, 1080).await;
    let phone = driver.phone(360, 640).await;
    let result = async {
        open_and_wait_online(&projector, &board.facilitator_url, &phone, &board.participant_url).await;
        wait_for(&projector, ".facilitator-bar", "the facilitator's tools").await;

        post(&phone, "ideas", "Flere cykelstier").await;
        post(&phone, "ideas", "Cykelparkering ved stationen").await;
        eventually(LIVE, "both notes on the projector", || async {
            (texts(&projector, ".lane[data-lane=ideas] .note-text").await.len() == 2).then_some(())
        })
        .await;
        let a = note_id_of(&projector, "Flere cykelstier").await;
        let b = note_id_of(&projector, "Cykelparkering ved stationen").await;

        // Drag b onto a: a group of both, on both screens.
        drag_note_onto(&projector, &b, &a).await;
        for (c, who) in [(&projector, "projector"), (&phone, "phone")] {
            eventually(LIVE, &format!("the group on the {who}"), || async {
                let in_group = texts(c, ".lane[data-lane=ideas] .group .note-text").await;
                (in_group.len() == 2).then_some(())
            })
            .await;
        }
        assert_eq!(texts(&phone, ".group .group-title").await, ["Ny gruppe"]);
        wait_gone(&projector, ".note.pending").await;

        // Name it inline.
        click(&projector, ".group button.rename").await;
        let input = projector.find(Locator::Css(".group input.group-rename")).await.unwrap();
        // Select all (Ctrl+A), release the modifier (NULL key), type, Enter.
        input.send_keys("\u{E009}a\u{E000}Cykling\u{E007}").await.unwrap();
        eventually(LIVE, "the group's name on the phone", || async {
            (texts(&phone, ".group .group-title").await == ["Cykling"]).then_some(())
        })
        .await;

        // A voting round: the phone votes, the projector counts.
        click(&projector, "button.open-voting").await;
        eventually(LIVE, "votes left on the phone", || async {
            (texts(&phone, ".votes-left").await == ["5 stemmer tilbage"]).then_some(())
        })
        .await;
        click(&phone, &format!("[data-note-id='{a}'] button.vote")).await;
        eventually(LIVE, "the vote on the projector", || async {
            let votes = texts(&projector, &format!("[data-note-id='{a}'] .note-votes")).await;
            (votes == ["1 stemme"]).then_some(())
        })
        .await;
        assert_eq!(texts(&phone, ".votes-left").await, ["4 stemmer tilbage"]);
        assert_eq!(texts(&projector, ".group .group-votes").await, ["1 stemme"]);
        let png = projector.screenshot().await.unwrap();
        std::fs::write(output_dir().join("projector-facilitation.png"), png).unwrap();
        let png = phone.screenshot().await.unwrap();
        std::fs::write(output_dir().join("participant-voting.png"), png).unwrap();

        // Who wrote what: off until the facilitator switches it on, and then the phone says so.
        assert!(texts(&phone, ".authors-notice").await.is_empty());
        click(&projector, "button.show-authors").await;
        eventually(LIVE, "the phone tells its user", || async {
            (texts(&phone, ".authors-notice").await == ["Facilitatoren kan se, hvem der skrev hvad."]).then_some(())
        })
        .await;
        assert!(texts(&projector, ".note-writer").await.is_empty(), "not on the cards the room sees");
        click(&projector, &format!("[data-note-id='{a}'] button.note-tools-toggle")).await;
        eventually(LIVE, "the writer in the note's tools", || async {
            let writer = texts(&projector, &format!("[data-note-id='{a}'] .note-writer")).await;
            (writer.len() == 1 && writer[0].starts_with("Skrevet af: #")).then_some(())
        })
        .await;

        // Removing the writer works from the note; the phone is told.
        click(&projector, &format!("[data-note-id='{a}'] button.remove-author")).await;
        click(&projector, &format!("[data-note-id='{a}'] button.confirm-remove")).await;
        eventually(LIVE, "the phone learns it was removed", || async {
            (texts(&phone, ".refusal").await.iter().any(|t| t.contains("Facilitatoren har fjernet dig"))).then_some(())
        })
        .await;
    }
    .await;
    let _ = phone.close().await;
    let _ = projector.close().await;
    result
}
