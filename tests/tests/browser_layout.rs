//! Layout, measured in headless Chromium: the control view at every common width from 1024 to
//! 3840 px, the presentation from 1024×768 to 3840×2160 and the phone at 360×740. Nothing scrolls
//! sideways, every group and card stays inside its lane, a group's title keeps its words whole,
//! note text reaches 7:1 contrast on every lane colour, and names and counts 4.5:1; every
//! control on the phone is at least 44×44 px.

use fantoccini::{Client, Locator};
use idetavle_core::board::Op;
use serde_json::Value;
use std::time::Duration;
use tests::support::browser::{eventually, wait_hydrated, Driver};
use tests::support::client::WsClient;
use tests::support::http::create_board;
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

/// Everything that can be wrong with a screen's layout, as a list of findings.
const MEASURE: &str = r#"
const problems = [];
const vw = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth > vw + 1) problems.push(`scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
const lum = c => {
  const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const background = el => {
  for (let e = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') return bg;
  }
  return 'rgb(255, 255, 255)';
};
const contrast = el => {
  const [a, b] = [lum(getComputedStyle(el).color), lum(background(el))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
};
let worstText = 99, worstMeta = 99;
for (const lane of document.querySelectorAll('.lane')) {
  const l = lane.getBoundingClientRect();
  for (const el of lane.querySelectorAll('.group, .note')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.left < l.left - 1 || r.right > l.right + 1))
      problems.push(`${el.className} ${el.dataset.groupId || el.dataset.noteId} leaves lane ${lane.dataset.lane} (${r.left}-${r.right} vs ${l.left}-${l.right})`);
  }
  for (const title of lane.querySelectorAll('.group-title')) {
    if (title.scrollWidth > title.clientWidth + 1) problems.push(`group title overflows: ${title.textContent}`);
    const longest = Math.max(...title.textContent.split(/\s+/).map(w => w.length));
    const px = parseFloat(getComputedStyle(title).fontSize);
    if (title.clientWidth < Math.min(longest, 12) * px * 0.45) problems.push(`group title squeezed to ${title.clientWidth}px: ${title.textContent}`);
  }
  for (const t of lane.querySelectorAll('.note-text')) worstText = Math.min(worstText, contrast(t));
  for (const m of lane.querySelectorAll('.note-author:not(.anonymous), .note-votes, .group-votes')) {
    if (m.offsetParent) worstMeta = Math.min(worstMeta, contrast(m));
  }
}
if (worstText < 7) problems.push(`note text contrast ${worstText.toFixed(2)} < 7`);
if (worstMeta < 4.5) problems.push(`names and counts contrast ${worstMeta.toFixed(2)} < 4.5`);
const title = document.querySelector('.board-title');
if (title && title.scrollWidth > title.clientWidth + 1) problems.push('board title overflows');
return { problems, worst_text: worstText, worst_meta: worstMeta };
"#;

async fn problems(client: &Client, what: &str) -> Value {
    let m = client.execute(MEASURE, vec![]).await.expect("measure");
    println!(
        "layout {what}: text contrast ≥ {:.2}, names ≥ {:.2}",
        m["worst_text"].as_f64().unwrap_or(0.0),
        m["worst_meta"].as_f64().unwrap_or(0.0)
    );
    m["problems"].clone()
}

async fn open(client: &Client, url: &str, ready: &str) {
    client.goto(url).await.unwrap();
    wait_hydrated(client).await;
    eventually(Duration::from_secs(10), &format!("{ready} on {url}"), || async {
        client.find(Locator::Css(ready)).await.ok().map(|_| ())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_keeps_its_cards_in_their_lanes_and_its_text_readable() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = create_board(&base, "Fremtidens biblioteksbetjening i lokalområderne").await;
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let notes = [
        ("need", "Unge mangler et sted at være om aftenen"),
        ("need", "Svært at finde stille læsepladser til eksamen"),
        ("ideas", "Bogbus til landsbyerne"),
        ("ideas", "Lektiecafé med frivillige studerende"),
        ("ideas", "Udlån fra skolernes biblioteker"),
        ("ideas", "Biblioteksfilialernesåbningstiderbørforlængesmarkant"),
        ("trials", "Prøv åbent til kl. 22 i en måned"),
        ("trials", "Pop-up bibliotek på torvet om lørdagen"),
    ];
    for (i, (lane, text)) in notes.iter().enumerate() {
        let op = Op::AddNote {
            note_id: format!("n{i}").as_str().into(),
            lane: (*lane).into(),
            text: (*text).into(),
            author_name: Some("Åse".into()),
        };
        phone.submit(&format!("p{i}"), op).await;
        phone.acked(&format!("p{i}")).await;
    }
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    let ops = [
        Op::CreateGroup { group_id: "g1".into(), title: "Ny gruppe".into(), note_ids: vec!["n2".into(), "n3".into()] },
        Op::CreateGroup {
            group_id: "g2".into(),
            title: "Børnefamiliernes biblioteksaftener og lektiehjælp".into(),
            note_ids: vec!["n4".into(), "n5".into()],
        },
        Op::CreateGroup { group_id: "g3".into(), title: "Forsøg".into(), note_ids: vec!["n6".into()] },
        Op::open_voting(3, true),
    ];
    for (i, op) in ops.into_iter().enumerate() {
        fac.submit(&format!("f{i}"), op).await;
        fac.acked(&format!("f{i}")).await;
    }
    for (i, note) in ["n0", "n3", "n6"].iter().enumerate() {
        phone.submit(&format!("v{i}"), Op::Vote { note_id: (*note).into() }).await;
        phone.acked(&format!("v{i}")).await;
    }
    fac.submit("close", Op::CloseVoting {}).await;
    fac.acked("close").await;
    fac.submit("board", Op::SetSpotlight { target: None }).await;
    fac.acked("board").await;

    let mut driver = Driver::start();
    let mut report = Vec::new();
    let presentation = format!("{base}/f/{}/vis#{}", board.id, board.facilitator_token);
    for (width, height) in [(1024, 768), (1280, 800), (1366, 768), (1920, 1080), (3840, 2160)] {
        let screen = driver.desktop(width, height).await;
        open(&screen, &board.facilitator_url, ".lane .group").await;
        let found = problems(&screen, &format!("control view {width}")).await;
        if found != Value::Array(vec![]) {
            report.push(format!("control view at {width}×{height}: {found}"));
        }
        open(&screen, &presentation, ".presentation .group").await;
        tokio::time::sleep(Duration::from_millis(300)).await; // the notes are fitted after drawing
        let found = problems(&screen, &format!("presentation {width}")).await;
        if found != Value::Array(vec![]) {
            report.push(format!("presentation at {width}×{height}: {found}"));
        }
        let _ = screen.close().await;
    }
    let phone_screen = driver.phone(360, 740).await;
    open(&phone_screen, &board.participant_url, ".post-form").await;
    // A note of its own (edit, delete) and an open round (votes): every control on screen.
    phone_screen.find(Locator::Id("note-text")).await.unwrap().send_keys("Min egen note").await.unwrap();
    phone_screen.find(Locator::Css("button.post")).await.unwrap().click().await.unwrap();
    fac.submit("round-2", Op::open_voting(3, true)).await;
    fac.acked("round-2").await;
    eventually(Duration::from_secs(5), "vote buttons and the own note's buttons", || async {
        let votes = phone_screen.find_all(Locator::Css(".note button.vote")).await.ok()?;
        let own = phone_screen.find(Locator::Css(".note.mine button.edit")).await.ok();
        (!votes.is_empty() && own.is_some()).then_some(())
    })
    .await;
    let found = problems(&phone_screen, "phone").await;
    if found != Value::Array(vec![]) {
        report.push(format!("phone at 360×740: {found}"));
    }
    // The phone's title has the header's width, not a sliver beside the buttons.
    let title_width = phone_screen
        .execute("return document.querySelector('.participant .board-title').getBoundingClientRect().width;", vec![])
        .await
        .unwrap();
    if title_width.as_f64().unwrap_or(0.0) < 280.0 {
        report.push(format!("phone title squeezed to {title_width} px"));
    }
    // Every control a thumb presses is at least 44×44 px (votes, edit, delete, language too).
    let small = phone_screen
        .execute(
            "return [...document.querySelectorAll('.participant button, .participant a.button, .participant .lane-choice span, \
             .participant select, .participant input:not([type=radio]), .participant textarea')] \
             .filter(e => e.offsetParent).map(e => [e.className || e.tagName, e.getBoundingClientRect()]) \
             .filter(([, r]) => r.width < 44 || r.height < 44).map(([n, r]) => `${n} ${r.width}x${r.height}`);",
            vec![],
        )
        .await
        .unwrap();
    if small != Value::Array(vec![]) {
        report.push(format!("phone controls under 44 px: {small}"));
    }
    let _ = phone_screen.close().await;
    drop(driver);
    server.stop().await;
    assert!(report.is_empty(), "layout problems:\n{}", report.join("\n"));
}
