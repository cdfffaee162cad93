//! XSS corpus in headless Chromium (issue 5, item 9): notes, names, group titles and catalogue
//! fields carrying markup, `javascript:` links, RTL overrides and long runs of emoji are shown
//! as text on the projector, the phone and the catalogue pages: no script runs, no element is
//! injected, nothing overflows the page.

use fantoccini::{Client, Locator};
use idetavle_core::board::Op;
use serde_json::json;
use std::time::Duration;
use tests::support::browser::{eventually, texts, wait_hydrated, Driver};
use tests::support::catalogue::{ok, promote_group, update};
use tests::support::client::WsClient;
use tests::support::http::create_board;
use tests::support::server::{TestServer, EDITOR_TOKEN};
use tests::support::{new_secret, temp_data_dir};

const CORPUS: &[&str] = &[
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<a href=\"javascript:window.__xss=1\">klik her</a>",
    "javascript:window.__xss=1",
    "\u{202e}fdp.exe – højre-mod-venstre",
    "<svg onload=window.__xss=1></svg>",
    "\"><iframe src=\"javascript:window.__xss=1\"></iframe>",
    "{{7*7}} ${7*7} <b>fed</b> &amp; &lt;",
];

/// Runs in the page: did anything execute or get injected, and does the page overflow sideways?
const PROBE: &str = r#"
    const injected = document.querySelectorAll(
        '[data-note-id] :is(script,img,iframe,svg,b), .group-header :is(script,img,iframe,svg,b), ' +
        '.entry-card :is(script,img,iframe,svg,b), .entry :is(script,img,iframe,svg,b), a[href^="javascript"]');
    return {
        ran: window.__xss !== undefined,
        injected: injected.length,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
"#;

async fn assert_inert(client: &Client, page: &str) {
    assert!(client.get_alert_text().await.is_err(), "{page}: a dialog opened");
    let probe = client.execute(PROBE, vec![]).await.expect("probe");
    assert_eq!(probe["ran"], false, "{page}: injected script ran");
    assert_eq!(probe["injected"], 0, "{page}: elements were injected");
    if probe["overflow"].as_i64().unwrap_or(0) > 1 {
        let wide = client
            .execute(
                "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));",
                vec![],
            )
            .await
            .unwrap_or_default();
        panic!("{page}: the page overflows sideways: {probe}; widest: {wide}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_is_shown_as_text_everywhere() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = create_board(&base, "<script>window.__xss=1</script> Borgermøde").await;
    let secret = new_secret();
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &secret).await;
    let emoji_note = "😀".repeat(280);
    let mut notes: Vec<String> = CORPUS.iter().map(|s| s.to_string()).collect();
    notes.push(emoji_note.clone());
    for (i, text) in notes.iter().enumerate() {
        let op = Op::AddNote {
            note_id: format!("n{i}").as_str().into(),
            lane: ["need", "ideas", "trials"][i % 3].into(),
            text: text.clone(),
            author_name: Some("<img src=x onerror=alert(1)>".into()),
        };
        phone.submit(&format!("p{i}"), op).await;
    }
    phone.acked(&format!("p{}", notes.len() - 1)).await;
    let mut fac = WsClient::facilitator(&server.ws_base(), &board.id, &board.facilitator_token).await;
    let group = Op::CreateGroup { group_id: "g1".into(), title: CORPUS[1].into(), note_ids: vec!["n1".into()] };
    fac.submit("g", group).await;
    fac.acked("g").await;
    let entry = ok(promote_group(&base, &board, "g1").await);
    let hostile = json!({
        "description": "🎉".repeat(2000), "need": CORPUS[0], "owner": CORPUS[2],
        "success_criterion": CORPUS[4], "stop_criterion": CORPUS[6], "skills": ["<script>x</script>", "data"],
    });
    ok(update(&base, EDITOR_TOKEN, &entry, hostile).await);

    let mut driver = Driver::start();
    let browser = driver.desktop(1280, 900).await;
    let result = async {
        browser.goto(&board.facilitator_url).await.unwrap();
        wait_hydrated(&browser).await;
        eventually(Duration::from_secs(10), "every note on the projector", || async {
            (texts(&browser, ".note-text").await.len() == notes.len()).then_some(())
        })
        .await;
        let shown = texts(&browser, ".note-text").await;
        for text in CORPUS {
            assert!(shown.iter().any(|s| s == text.trim()), "{text:?} is shown literally; shown: {shown:?}");
        }
        assert_eq!(texts(&browser, ".group-title").await, [CORPUS[1]]);
        assert!(texts(&browser, ".board-title").await[0].starts_with("<script>"));
        assert_inert(&browser, "projector").await;

        let presentation = format!("{base}/f/{}/vis#{}", board.id, board.facilitator_token);
        browser.goto(&presentation).await.unwrap();
        wait_hydrated(&browser).await;
        eventually(Duration::from_secs(10), "every note on the presentation", || async {
            (texts(&browser, ".presentation .note-text").await.len() == notes.len()).then_some(())
        })
        .await;
        assert_inert(&browser, "presentation").await;

        browser.goto(&board.participant_url).await.unwrap();
        wait_hydrated(&browser).await;
        eventually(Duration::from_secs(10), "the notes on the phone page", || async {
            (texts(&browser, ".note-text").await.len() == notes.len()).then_some(())
        })
        .await;
        assert_inert(&browser, "participant").await;

        browser.goto(&format!("{base}/katalog")).await.unwrap();
        wait_hydrated(&browser).await;
        eventually(Duration::from_secs(10), "the entry in the catalogue", || async {
            browser.find(Locator::Css(".entry-card")).await.ok()
        })
        .await;
        assert_inert(&browser, "catalogue").await;

        browser.goto(&format!("{base}/katalog/{}", entry["id"].as_str().unwrap())).await.unwrap();
        wait_hydrated(&browser).await;
        eventually(Duration::from_secs(10), "the entry page", || async {
            (texts(&browser, ".fact-need dd").await == [CORPUS[0]]).then_some(())
        })
        .await;
        assert_eq!(texts(&browser, ".fact-owner dd").await, [CORPUS[2]]);
        assert_inert(&browser, "catalogue entry").await;
    }
    .await;
    let _ = browser.close().await;
    server.stop().await;
    result
}
