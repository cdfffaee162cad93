//! User text in a page's `<head>` stays text (issue 14, finding 3). A board titled
//! `</title><meta http-equiv=refresh …>` once ended the title early on every page that shows
//! it and sent each visitor elsewhere; a title with `<script>` stopped the phone page from
//! hydrating. Each page with user text in its head is fetched and parsed as a browser parses
//! it (html5ever): its head must hold exactly the elements it holds for a harmless title, and
//! the title must read as the text that was typed. The phone's page also carries its board in
//! an attribute of the head, which must read back as typed.

use scraper::{Html, Selector};
use serde_json::json;
use tests::support::catalogue::{call, ok};
use tests::support::client::WsClient;
use tests::support::http::{create_board, get};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

const REDIRECT: &str = r#"</title><meta http-equiv=refresh content="0;url=http://evil.example/">"#;
const SCRIPT: &str = r#"</title><script>document.title='owned'</script><title>"#;

/// A page's head as a browser sees it: the element names in order, and the title's text.
struct Head {
    elements: Vec<String>,
    titles: Vec<String>,
    refreshes: usize,
}

fn parse_head(html: &str) -> Head {
    let doc = Html::parse_document(html);
    let all = Selector::parse("head *").expect("selector");
    let title = Selector::parse("title").expect("selector");
    let refresh = Selector::parse("meta[http-equiv]").expect("selector");
    Head {
        elements: doc.select(&all).map(|e| e.value().name().to_owned()).collect(),
        titles: doc.select(&title).map(|t| t.text().collect::<String>()).collect(),
        refreshes: doc.select(&refresh).count(),
    }
}

/// The board a phone's page carries in its head for the browser (`app/src/pages/joined.rs`),
/// as the browser reads the attribute.
fn board_in_the_head(html: &str) -> Option<serde_json::Value> {
    let doc = Html::parse_document(html);
    let meta = Selector::parse("head meta[name=idetavle-board]").expect("selector");
    let content = doc.select(&meta).next()?.value().attr("content")?.to_owned();
    serde_json::from_str(&content).ok()
}

/// The pages of one board (and a catalogue entry promoted from one of its notes) whose heads
/// carry user text.
async fn pages_for(base: &str, ws: &str, title: &str) -> Vec<(String, String)> {
    let board = create_board(base, title).await;
    let mut phone = WsClient::participant(ws, &board.id, &new_secret()).await;
    phone.post("o1", "n1", "ideas", title).await;
    phone.acked("o1").await;
    let args = json!({
        "board": board.id, "facilitator_token": board.facilitator_token,
        "source": { "kind": "note", "id": "n1" },
    });
    let entry = ok(call(base, "catalogue_promote", args).await);
    let entry_id = entry["id"].as_str().expect("entry id").to_owned();
    let participant_path =
        board.participant_url.split_once("/j/").map(|(_, code)| format!("/j/{code}")).expect("join link");
    vec![
        ("phone".into(), participant_path),
        ("projector".into(), format!("/f/{}", board.id)),
        ("print".into(), format!("/f/{}/print", board.id)),
        ("presentation".into(), format!("/f/{}/vis", board.id)),
        ("catalogue entry".into(), format!("/katalog/{entry_id}")),
    ]
}

#[tokio::test]
async fn markup_in_a_title_or_note_stays_inside_the_title_on_every_page() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (base, ws) = (server.http_base(), server.ws_base());
    let harmless = pages_for(&base, &ws, "Fremtidens bibliotek").await;
    for hostile in [REDIRECT, SCRIPT] {
        let pages = pages_for(&base, &ws, hostile).await;
        for ((name, path), (_, harmless_path)) in pages.iter().zip(&harmless) {
            let page = get(&format!("{base}{path}")).await;
            assert!(page.status.is_success(), "{name}: {}", page.status);
            let head = parse_head(&page.body);
            let expected = parse_head(&get(&format!("{base}{harmless_path}")).await.body);
            assert_eq!(head.elements, expected.elements, "{name}: the head holds what it holds for any title");
            assert_eq!(head.refreshes, 0, "{name}: no refresh");
            assert_eq!(head.titles.len(), 1, "{name}: one title");
            assert!(head.titles[0].contains(hostile), "{name}: the title reads as typed: {:?}", head.titles[0]);
            if name == "phone" {
                let board = board_in_the_head(&page.body).expect("the phone's page carries its board");
                assert_eq!(board["board"]["title"], hostile, "the board in the head reads as typed");
            }
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn every_page_links_an_icon_and_a_manifest_that_are_there() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (base, ws) = (server.http_base(), server.ws_base());
    let mut pages = pages_for(&base, &ws, "Fremtidens bibliotek").await;
    pages.push(("home".into(), "/".into()));
    pages.push(("not found".into(), "/nope".into()));
    for (name, path) in pages {
        let body = get(&format!("{base}{path}")).await.body;
        // The icon is inline (one request fewer); the manifest names the file.
        for link in [
            r#"<link rel="icon" href="data:image/svg+xml,%3Csvg"#,
            r#"<link rel="manifest" href="/manifest.webmanifest""#,
        ] {
            assert!(body.contains(link), "{name} lacks {link}");
        }
    }
    let icon = get(&format!("{base}/favicon.svg")).await;
    assert!(icon.status.is_success() && icon.body.contains("<svg"), "the icon: {}", icon.status);
    let manifest = get(&format!("{base}/manifest.webmanifest")).await;
    assert!(manifest.status.is_success(), "the manifest: {}", manifest.status);
    let manifest = manifest.json();
    assert_eq!((manifest["name"].as_str(), manifest["start_url"].as_str()), (Some("Idétavle"), Some("/")));
    server.stop().await;
}

/// The bundle's JS preload asks as the module import does (CORS, anonymous); the WASM is
/// fetched once, by the head's first script, and no `<link rel=preload>` asks for it again
/// (WebKit never gives such a preload to `fetch()`: it downloaded the WASM twice). The CSP
/// nonce is on the scripts alone. (leptos' `HydrationScripts` also put it in `crossorigin`.)
#[tokio::test]
async fn the_bundle_is_requested_once_and_the_nonce_stays_on_the_scripts() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let (base, ws) = (server.http_base(), server.ws_base());
    let mut pages = pages_for(&base, &ws, "Fremtidens bibliotek").await;
    pages.push(("home".into(), "/".into()));
    for (name, path) in pages {
        let body = get(&format!("{base}{path}")).await.body;
        let html = Html::parse_document(&body);
        let select = |css: &str| html.select(&Selector::parse(css).unwrap()).collect::<Vec<_>>();
        let preloads = select("link[rel=preload], link[rel=modulepreload]");
        assert_eq!(preloads.len(), 1, "{name}: one preload, for the JS module");
        let module = preloads[0].value();
        assert_eq!(module.attr("rel"), Some("modulepreload"), "{name}");
        assert_eq!(module.attr("crossorigin"), Some("anonymous"), "{name}: {}", preloads[0].html());
        assert_eq!(module.attr("nonce"), None, "{name}");
        let js = module.attr("href").unwrap_or_default().replace(".js", "");
        let fetches = select("head script[nonce]:not([type])");
        assert_eq!(fetches.len(), 1, "{name}: a classic script in the head fetches the WASM");
        let fetch = fetches[0].inner_html();
        assert!(fetch.contains(&format!("fetch('{js}.wasm')")), "{name}: {fetch}");
        let start = select("script[type=module][nonce]");
        assert_eq!(start.len(), 1, "{name}: the starting script carries the nonce");
        assert!(start[0].inner_html().contains(&format!("import('{js}.js')")), "{name}: imports what was preloaded");
    }
    server.stop().await;
}
