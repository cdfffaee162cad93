//! The room's screen, in headless Chromium: the facilitator opens the presentation on a
//! 1920×1080 and a 1280×720 projector. With a few notes the text is large; with 60 every card is
//! on the screen, no lane scrolls and nothing overflows; there are no controls. Two voting rounds
//! run from the control view: while a round is blind the room sees how many votes are in but no
//! counts; closing shows the results; the second round keeps the first's, which the
//! facilitator shows again; both are in export.json and on the print page. With one screen,
//! P turns the control view into the presentation and hides a hidden lane's texts.

use fantoccini::{Client, Locator};
use idetavle_core::board::Op;
use serde_json::Value;
use std::time::Duration;
use tests::support::browser::{eventually, texts, wait_hydrated, wait_online, Driver};
use tests::support::client::WsClient;
use tests::support::http::{create_board, export};
use tests::support::server::TestServer;
use tests::support::{new_secret, output_dir, temp_data_dir};

const LIVE: Duration = Duration::from_secs(5);
const LANES: [&str; 3] = ["need", "ideas", "trials"];
const FIRST: [&str; 9] = [
    "Unge mangler et sted at være om aftenen",
    "Bogbus til landsbyerne",
    "Prøv åbent til kl. 22 i en måned",
    "Svært at finde stille læsepladser til eksamen",
    "Lektiecafé med frivillige studerende",
    "Pop-up bibliotek på torvet om lørdagen",
    "Ældre kan ikke bruge de digitale automater",
    "Udlån fra skolernes biblioteker",
    "Hjælp til selvbetjening tirsdag formiddag",
];

/// Where the presentation's cards are, measured in the page.
const MEASURE: &str = r#"
const vw = innerWidth, vh = innerHeight;
const outside = [], groups = [];
for (const n of document.querySelectorAll('.presentation .note')) {
  const r = n.getBoundingClientRect();
  if (r.top < -0.5 || r.left < -0.5 || r.bottom > vh + 0.5 || r.right > vw + 0.5) outside.push(n.dataset.noteId);
}
for (const g of document.querySelectorAll('.presentation .group')) {
  const lane = g.closest('.lane').getBoundingClientRect(), r = g.getBoundingClientRect();
  if (r.left < lane.left - 0.5 || r.right > lane.right + 0.5) groups.push(g.dataset.groupId);
  const title = g.querySelector('.group-title');
  if (title.scrollWidth > title.clientWidth + 1) groups.push('title of ' + g.dataset.groupId);
}
const text = document.querySelector('.presentation .note-text');
return {
  notes: document.querySelectorAll('.presentation .note').length,
  outside, groups,
  scrolling_lanes: [...document.querySelectorAll('.presentation-lanes .lane')].filter(l => l.scrollHeight > l.clientHeight + 1).length,
  overflow_x: document.documentElement.scrollWidth > vw,
  font: text ? parseFloat(getComputedStyle(text).fontSize) : 0,
  controls: document.querySelectorAll('.presentation button, .presentation select, .presentation input').length,
};
"#;

async fn measure(client: &Client) -> Value {
    client.execute(MEASURE, vec![]).await.expect("measure the presentation")
}

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

async fn wait_for_text(client: &Client, css: &str, wanted: &str) {
    eventually(LIVE, &format!("{css} says {wanted}"), || async {
        texts(client, css).await.iter().any(|t| t.contains(wanted)).then_some(())
    })
    .await;
}

async fn wait_for_notes(client: &Client, n: u64) {
    eventually(LIVE, &format!("{n} notes on the presentation"), || async {
        (measure(client).await["notes"] == n).then_some(())
    })
    .await;
}

/// The measurements once every card is on the screen (the page fits them after each change),
/// or the last ones after a few seconds.
async fn fitted(client: &Client) -> Value {
    let deadline = std::time::Instant::now() + LIVE;
    loop {
        let m = measure(client).await;
        let fits = m["outside"].as_array().is_some_and(Vec::is_empty) && m["scrolling_lanes"] == 0;
        if fits || std::time::Instant::now() > deadline {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(output_dir().join(name), png).expect("write screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_room_sees_every_note_and_the_results_of_every_round() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = create_board(&base, "Fremtidens bibliotek i Ørestad").await;
    let mut phones = Vec::new();
    for _ in 0..3 {
        phones.push(WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await);
    }
    // The first nine as citizens write them (the guide's screenshots); then long ones, to fill.
    let texts_of = |i: usize| match FIRST.get(i) {
        Some(text) => (*text).to_owned(),
        None => format!("Idé nummer {i}: flere stille pladser og længere åbent om aftenen"),
    };
    let post = async |phones: &mut Vec<WsClient>, range: std::ops::Range<usize>| {
        for i in range.clone() {
            phones[i % 3].post(&format!("p{i}"), &format!("n{i}"), LANES[i % 3], &texts_of(i)).await;
        }
        for i in range {
            phones[i % 3].acked(&format!("p{i}")).await;
        }
    };
    post(&mut phones, 0..9).await;

    let mut driver = Driver::start();
    let control = driver.desktop(1280, 800).await;
    let big = driver.desktop(1920, 1080).await;
    let small = driver.desktop(1280, 720).await;
    let result = async {
        control.goto(&board.facilitator_url).await.unwrap();
        wait_hydrated(&control).await;
        wait_online(&control, "control view").await;
        let presentation = format!("{base}/f/{}/vis#{}", board.id, board.facilitator_token);
        for screen in [&big, &small] {
            screen.goto(&presentation).await.unwrap();
            wait_hydrated(screen).await;
            wait_for_notes(screen, 9).await;
        }

        // A few notes: large text, and nothing to press.
        let m = measure(&big).await;
        assert!(m["font"].as_f64().unwrap() >= 28.0, "note text at 1080p with 9 notes: {m}");
        assert_eq!(m["controls"], 0, "the room's screen has no controls: {m}");
        assert_eq!(texts(&big, ".presentation .join-code").await, [board.join_code.clone()]);
        let group = Op::CreateGroup {
            group_id: "g1".into(),
            title: "Biblioteket kommer ud til borgerne".into(),
            note_ids: vec!["n1".into(), "n4".into(), "n7".into()],
        };
        let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
        fac.submit("g1", group).await;
        fac.acked("g1").await;
        for (screen, size) in [(&big, "1920"), (&small, "1280")] {
            wait_for_text(screen, ".presentation .group-title", "Biblioteket kommer").await;
            screenshot(screen, &format!("presentation-{size}.png")).await; // docs/WORKSHOP.md
        }

        // 60 notes, one group with a long name: all on screen at both sizes.
        post(&mut phones, 9..60).await;
        for (screen, size) in [(&big, "1920x1080"), (&small, "1280x720")] {
            wait_for_notes(screen, 60).await;
            let m = fitted(screen).await;
            assert_eq!(m["outside"], serde_json::json!([]), "{size}: cards off the screen: {m}");
            assert_eq!(m["scrolling_lanes"], 0, "{size}: lanes scroll: {m}");
            assert_eq!(m["groups"], serde_json::json!([]), "{size}: a group overflows its lane: {m}");
            assert_eq!(m["overflow_x"], false, "{size}: the page scrolls sideways: {m}");
            println!("presentation {size}: 60 notes, note text {} px", m["font"]);
            screenshot(screen, &format!("presentation-60-notes-{size}.png")).await;
        }

        // Round 1, named, blind: the room sees progress, not counts.
        let name = control.find(Locator::Css("input.round-name")).await.unwrap();
        name.send_keys("Hvad haster mest?").await.unwrap();
        click(&control, "button.open-voting").await;
        wait_for_text(&big, ".voting-progress", "Runde 1: Hvad haster mest?").await;
        let votes = [(0, "n0"), (1, "n0"), (2, "n3")];
        for (i, (who, note)) in votes.iter().enumerate() {
            phones[*who].submit(&format!("v{i}"), Op::Vote { note_id: (*note).into() }).await;
            phones[*who].acked(&format!("v{i}")).await;
        }
        wait_for_text(&big, ".voting-progress", "3 stemmer afgivet").await;
        assert!(texts(&big, ".presentation .note-votes").await.is_empty(), "counts shown in a blind round");
        wait_for_text(&control, "[data-note-id=n0] .note-votes", "2 stemmer").await;

        click(&control, "button.close-voting").await;
        wait_for_text(&big, ".results h2", "Runde 1: Hvad haster mest?").await;
        let first = texts(&big, ".results-overall .place").await;
        assert!(first[0].contains("2 stemmer") && first[0].contains(&texts_of(0)), "{first:?}");
        screenshot(&big, "presentation-results.png").await;
        assert!(big.find(Locator::Css(".results button")).await.is_err(), "controls on the room's results");
        // The winner goes to the idékatalog from the control view's results.
        click(&control, ".results-overall .place button.promote").await;
        wait_for_text(&control, ".promoted-banner", "Sendt til idékataloget").await;
        wait_for_text(&control, ".promoted-banner .promoted-title", FIRST[0]).await;
        click(&control, ".results .clear-spotlight").await;
        eventually(LIVE, "the board back on the presentation", || async {
            texts(&big, ".results").await.is_empty().then_some(())
        })
        .await;

        // Round 2 keeps round 1.
        click(&control, "button.open-voting").await;
        wait_for_text(&big, ".voting-progress", "Runde 2").await;
        phones[0].submit("w0", Op::Vote { note_id: "n5".into() }).await;
        phones[0].acked("w0").await;
        click(&control, "button.close-voting").await;
        wait_for_text(&big, ".results h2", "Runde 2").await;
        wait_for_text(&big, ".results-overall .place", &texts_of(5)).await;
        click(&control, "button.show-results").await; // the first: round 1
        wait_for_text(&big, ".results h2", "Runde 1: Hvad haster mest?").await;

        let rounds = export(&base, &board).await["board"]["rounds"].clone();
        assert_eq!(rounds.as_array().map(Vec::len), Some(2), "{rounds}");
        assert_eq!(rounds[0]["name"], "Hvad haster mest?");
        assert_eq!(rounds[0]["counts"][0], serde_json::json!({"note_id": "n0", "votes": 2}));
        let print = format!("{base}/f/{}/print", board.id);
        small.goto(&print).await.unwrap();
        let printed = texts(&small, ".print-round h2").await;
        assert_eq!(printed.len(), 2, "{printed:?}");
        assert!(printed[0].contains("Runde 1: Hvad haster mest?"), "{printed:?}");

        // One screen: P presents here, and a hidden lane shows only how many notes it holds.
        fac.submit("hide", Op::SetHidden { lane: Some("need".into()), hidden: true }).await;
        fac.acked("hide").await;
        click(&control, ".results .clear-spotlight").await;
        control.find(Locator::Css("body")).await.unwrap().send_keys("p").await.unwrap();
        eventually(LIVE, "presentation mode", || async {
            control.find(Locator::Css(".presentation")).await.ok().map(|_| ())
        })
        .await;
        let need = texts(&control, ".presentation .lane[data-lane=need] .note-text").await;
        assert!(need.is_empty(), "hidden texts on the room's screen: {need:?}");
        wait_for_text(&control, ".presentation .lane[data-lane=need] .hidden-info", "20 skjulte noter").await;
        assert_eq!(measure(&control).await["controls"], 0, "controls in presentation mode");
        control.find(Locator::Css("body")).await.unwrap().send_keys("p").await.unwrap();
        eventually(LIVE, "back to the controls", || async {
            control.find(Locator::Css(".presentation")).await.is_err().then_some(())
        })
        .await;
    }
    .await;
    let _ = (control.close().await, big.close().await, small.close().await);
    drop(driver);
    server.stop().await;
    result
}
