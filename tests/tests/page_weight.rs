//! Page weight (issue 6): everything a participant's phone downloads to open a board, as the
//! server sends it to a browser that accepts brotli. Prints each file and the sum; the target
//! (≤ 200 KB) is for the release bundle:
//! `scripts/build.sh --release --site-only && cargo test -p tests --test page_weight -- --nocapture`.
//! In CI (debug bundle) it checks that every file is found and sent compressed.

use tests::support::http::{create_board, download, get};
use tests::support::server::TestServer;
use tests::support::temp_data_dir;

/// Every `/pkg/…` file the page refers to (stylesheet, JS module, WASM), in order.
fn bundle_files(html: &str) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for (at, _) in html.match_indices("/pkg/") {
        let rest = &html[at..];
        let end = rest.find(['"', '\'', ' ', ')']).unwrap_or(rest.len());
        let file = rest[..end].to_owned();
        if !files.contains(&file) {
            files.push(file);
        }
    }
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_participant_page_downloads_compressed() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Borgermøde").await;
    let page = get(&board.participant_url).await;
    assert!(page.status.is_success(), "participant page: {}", page.status);
    let files = bundle_files(&page.body);
    assert!(files.iter().any(|f| f.ends_with(".wasm")), "the page loads its WASM: {files:?}");
    assert!(files.iter().any(|f| f.ends_with(".js")), "the page loads its JS: {files:?}");

    let mut total = 0;
    let mut lines = Vec::new();
    for url in std::iter::once(board.participant_url.clone()).chain(files.iter().map(|f| server.http_base() + f)) {
        let (status, encoding, bytes) = download(&url, "br, gzip").await;
        assert!(status.is_success(), "{url}: {status}");
        let encoding = encoding.unwrap_or_else(|| panic!("{url} was sent uncompressed"));
        lines.push(format!("  {:>9.1} KB  {encoding:<4} {url}", bytes as f64 / 1000.0));
        total += bytes;
    }
    println!("[page weight] the participant page downloads {:.1} KB (target ≤ 200 KB):", total as f64 / 1000.0);
    for line in lines {
        println!("{line}");
    }
}

/// The phone's bundle leaves out the strings of pages a phone never shows (`ControlTexts`, the
/// catalogue's and the suggestions'): 1.7 KB of the budget. Only a release bundle drops them
/// (a debug build keeps unused statics), so this checks the release bundle when there is one
/// and otherwise that the debug bundle still has the phone's own strings.
#[test]
fn the_phone_bundle_carries_only_the_phones_strings() {
    let pkg = tests::support::workspace_root().join("target/site/pkg");
    let wasm = std::fs::read(pkg.join("idetavle-participant.wasm")).expect("the participant bundle (scripts/build.sh)");
    let has = |text: &str| wasm.windows(text.len()).any(|w| w == text.as_bytes());
    assert!(has("Send note") && has("Sendt ✓"), "the phone's own strings are there");
    if pkg.join("idetavle-participant.wasm.br").exists() {
        for other in ["Opret tavle", "Åbn præsentation", "Foreslå grupper", "Idékatalog"] {
            assert!(!has(other), "the phone's bundle carries {other:?}");
        }
    }
}
