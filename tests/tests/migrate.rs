//! Moving up (issue 17): `idetavle migrate --from-sqlite <dir> --to <postgres url>` copies every
//! board, event, snapshot, catalogue entry and setting. The round trip: boards and the
//! catalogue exported from the SQLite server equal those exported from a server on the
//! PostgreSQL database afterwards; the facilitator's and the catalogue editor's tokens still
//! work; a second run copies nothing twice.

use idetavle_core::board::{GroupId, Op};
use serde_json::json;
use std::process::Command;
use tests::support::catalogue::{ok, promote_group, update};
use tests::support::client::WsClient;
use tests::support::http::{create_board, export, get};
use tests::support::postgres::Postgres;
use tests::support::server::{free_addr, ServerProcess};
use tests::support::{new_secret, temp_data_dir, workspace_root};

const BIN: &str = env!("CARGO_BIN_EXE_idetavle-under-test");

fn migrate(dir: &std::path::Path, url: &str) -> String {
    let out = Command::new(BIN)
        .args(["migrate", "--from-sqlite"])
        .arg(dir)
        .args(["--to", url])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run idetavle migrate");
    assert!(out.status.success(), "migrate failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_board_and_the_catalogue_move_to_postgresql_and_read_back_the_same() {
    let dir = temp_data_dir();
    // No configured editor token: the server makes one, stores its hash and logs its link once.
    let log = dir.path().join("server.log");
    let addr = free_addr();
    let mut cmd = Command::new(BIN);
    cmd.arg("--addr").arg(addr.to_string()).arg("--data-dir").arg(dir.path());
    cmd.arg("--site-dir").arg(workspace_root().join("target").join("site"));
    cmd.env("RUST_LOG", "info").env("IDETAVLE_SNAPSHOT_EVERY", "5");
    cmd.stderr(std::fs::File::create(&log).expect("log file"));
    let mut sqlite = tokio::task::block_in_place(|| ServerProcess::spawn(cmd, addr));
    // The port is bound before the store is opened: wait for the line.
    let mut editor_token = String::new();
    for _ in 0..200 {
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        if let Some(link) = logged.split("katalog#").nth(1) {
            editor_token = link.chars().take_while(char::is_ascii_hexdigit).collect();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(editor_token.len(), 64, "the editor link is in the log");
    let base = sqlite.http_base();
    let (mut boards, mut entries) = (Vec::new(), Vec::new());
    for title in ["Borgermøde om cykelstier", "Ældreråd – idéer"] {
        let board = create_board(&base, title).await;
        let mut phone = WsClient::participant(&sqlite.ws_base(), &board.id, &new_secret()).await;
        for i in 0..12 {
            phone
                .post(
                    &format!("p{i}"),
                    &format!("n{i}"),
                    ["need", "ideas", "trials"][i % 3],
                    &format!("Idé {i} – æøå \"citat\""),
                )
                .await;
        }
        phone.acked("p11").await;
        let mut host = WsClient::facilitator(&sqlite.ws_base(), &board.id, &board.facilitator_token).await;
        let group = Op::CreateGroup {
            group_id: GroupId::from("g1"),
            title: "Trafik".into(),
            note_ids: vec!["n1".into(), "n4".into()],
        };
        host.submit("g", group).await;
        host.acked("g").await;
        entries.push(ok(promote_group(&base, &board, "g1").await));
        boards.push(board);
    }
    let mut before = Vec::new();
    for board in &boards {
        before.push(export(&base, board).await);
    }
    let catalogue_before = get(&format!("{base}/api/catalogue/export.json")).await.body;
    tokio::task::block_in_place(|| sqlite.terminate());

    let pg = Postgres::start();
    let said = tokio::task::block_in_place(|| migrate(dir.path(), &pg.url));
    assert!(said.contains("copied 2 boards") && said.contains("2 catalogue entries"), "{said}");
    let again = tokio::task::block_in_place(|| migrate(dir.path(), &pg.url));
    assert!(again.contains("copied 0 boards (0 events)") && again.contains("2 boards were there already"), "{again}");

    let env = [("IDETAVLE_DATABASE_URL", pg.url.as_str())];
    let moved =
        tokio::task::block_in_place(|| ServerProcess::start_with_env(BIN, temp_data_dir().path(), free_addr(), &env));
    let base = moved.http_base();
    for (board, was) in boards.iter().zip(&before) {
        assert_eq!(&export(&base, board).await, was, "board {} reads back the same, with its token", board.id);
    }
    assert_eq!(get(&format!("{base}/api/catalogue/export.json")).await.body, catalogue_before, "the catalogue too");
    // Only the editor may change an entry: the token's hash moved with the settings.
    let edited = update(&base, &editor_token, &entries[0], json!({ "owner": "Teknik og Miljø" })).await;
    assert!(edited.get("Ok").is_some(), "the editor token works on PostgreSQL: {edited}");
}
