//! The three export formats on a fixed board (golden files in `tests/golden/`), the import
//! round trip, and who may export.

use hyper::{Method, StatusCode};
use idetavle_core::board::{Actor, Board, BoardId, Op, OpContext};
use server::export::{csv, markdown, BoardExport};
use tests::support::client::WsClient;
use tests::support::http::{create_board, export, request};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir, workspace_root};

/// A board with everything an export must survive: Danish letters, quotes, commas, newlines,
/// a formula-injection attempt, markup, groups, two voting rounds, anonymous and named authors.
fn fixed_board() -> Board {
    let mut b = Board::new(
        BoardId::from("golden"),
        "Fremtidens bibliotek, \"Ørestad\"".into(),
        "K7PX2M".into(),
        1_795_786_200_000,
    );
    let mut at = 1_795_786_200_000;
    let mut apply = |actor: Actor, op: Op| {
        at += 60_000;
        let cx = OpContext { actor, at, seq: b.seq + 1 };
        b.apply(&cx, &op).unwrap_or_else(|e| panic!("{op:?}: {e}"));
    };
    let note = |id: &str, lane: &str, text: &str, name: Option<&str>| Op::AddNote {
        note_id: id.into(),
        lane: lane.into(),
        text: text.into(),
        author_name: name.map(str::to_owned),
    };
    apply(Actor::participant("aase"), note("n1", "need", "Flere stille læsepladser", Some("Åse Ørum")));
    apply(Actor::participant("bo"), note("n2", "need", "Æbler, pærer og \"citrus\" i caféen", None));
    apply(Actor::participant("cem"), note("n3", "ideas", "Linje et\nlinje to", Some("Cem")));
    apply(Actor::participant("bo"), note("n4", "ideas", "=HYPERLINK(\"http://evil.example\",\"klik\")", None));
    apply(
        Actor::participant("aase"),
        note("n5", "ideas", "<script>alert(1)</script> og [link](javascript:x)", Some("Åse Ørum")),
    );
    apply(Actor::participant("cem"), note("n6", "trials", "- ligner en liste, men er en note", None));
    apply(Actor::participant("bo"), note("n7", "trials", "@SUM(A1:A9)", Some("Bo")));
    apply(
        Actor::Facilitator,
        Op::CreateGroup {
            group_id: "g1".into(),
            title: "Læsning & ro".into(),
            note_ids: vec!["n1".into(), "n2".into()],
        },
    );
    let first = Some("Hvad haster mest? [1]".to_owned());
    apply(
        Actor::Facilitator,
        Op::OpenVoting { votes_per_participant: 2, allow_stacking: false, name: first, show_counts: false },
    );
    for (who, id) in [("aase", "n1"), ("bo", "n1"), ("cem", "n6")] {
        apply(Actor::participant(who), Op::Vote { note_id: id.into() });
    }
    apply(Actor::Facilitator, Op::CloseVoting {});
    apply(Actor::Facilitator, Op::open_voting(5, true));
    for (who, id) in [("aase", "n2"), ("bo", "n2"), ("cem", "n5"), ("cem", "n5"), ("bo", "n7"), ("aase", "n3")] {
        apply(Actor::participant(who), Op::Vote { note_id: id.into() });
    }
    apply(Actor::Facilitator, Op::CloseVoting {});
    b
}

/// Compares with `tests/golden/<name>`; `UPDATE_GOLDEN=1` rewrites the file instead.
fn golden(name: &str, actual: &str) {
    let path = workspace_root().join("tests").join("golden").join(name);
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing; run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(actual, expected, "{name} differs from its golden file");
}

#[test]
fn markdown_export_matches_the_golden_file() {
    let md = markdown(&fixed_board().exported());
    assert!(!md.contains("<script>"), "markup is escaped");
    golden("board.md", &md);
}

#[test]
fn csv_export_matches_the_golden_file() {
    let csv = csv(&fixed_board().exported());
    assert!(csv.starts_with('\u{feff}'), "BOM for Excel");
    assert!(csv.contains("\"'=HYPERLINK(") && csv.contains("'@SUM(A1:A9)"), "formulas are neutralised");
    golden("board.csv", &csv);
}

#[test]
fn json_export_matches_the_golden_file() {
    let board = fixed_board().exported();
    assert!(board.ballots.is_empty(), "no ballots in an export");
    assert!(board.notes.values().all(|n| n.author.is_none()), "no participant ids in an export");
    let json = serde_json::to_string_pretty(&BoardExport::new(board)).unwrap() + "\n";
    golden("board.json", &json);
}

#[tokio::test]
async fn export_then_import_then_export_gives_the_same_content() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let original = create_board(&base, "Borgermøde").await;
    let mut phone = WsClient::participant(&server.ws_base(), &original.id, &new_secret()).await;
    let mut fac = WsClient::facilitator(&server.ws_base(), &original.id, &original.facilitator_token).await;
    for (i, text) in ["Æbler, \"pærer\"", "Linje\nto", "=1+1", "Stille rum"].iter().enumerate() {
        phone.post(&format!("p{i}"), &format!("n{i}"), ["need", "ideas"][i % 2], text).await;
        phone.acked(&format!("p{i}")).await;
    }
    fac.submit(
        "g",
        Op::CreateGroup {
            group_id: "g".into(),
            title: "Gruppe, \"ét\"".into(),
            note_ids: vec!["n0".into(), "n2".into()],
        },
    )
    .await;
    fac.submit("v", Op::open_voting(3, false)).await;
    fac.acked("v").await;
    phone.submit("vote", Op::Vote { note_id: "n1".into() }).await;
    phone.acked("vote").await;
    fac.submit("h", Op::SetHidden { lane: Some("trials".into()), hidden: true }).await;
    fac.acked("h").await;

    let first = export(&base, &original).await;
    let imported = tests::support::http::import(&base, &first).await;
    assert_ne!(imported.id, original.id);
    assert_ne!(imported.facilitator_token, original.facilitator_token);
    let second = export(&base, &imported).await;

    let content = |e: &serde_json::Value| {
        let mut b = e["board"].clone();
        for identity in ["id", "join_code", "seq"] {
            b.as_object_mut().unwrap().remove(identity);
        }
        b
    };
    assert_eq!(content(&second), content(&first));
    // The imported board is live: a new participant can post on it.
    let mut newcomer = WsClient::participant(&server.ws_base(), &imported.id, &new_secret()).await;
    newcomer.post("x", "x", "need", "Efter importen").await;
    newcomer.acked("x").await;

    for (body, code) in [("{not json", "malformed"), (r#"{"format":"other","version":1,"board":{}}"#, "malformed")] {
        let res = request(Method::POST, &format!("{base}/api/boards/import"), &[], Some(body.into())).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert_eq!(res.json()["error"], code);
    }
    let mut hostile = first.clone();
    hostile["board"]["notes"][0]["text"] = serde_json::Value::String("x".repeat(300));
    let res = request(Method::POST, &format!("{base}/api/boards/import"), &[], Some(hostile.to_string())).await;
    assert_eq!((res.status, res.json()["error"].as_str()), (StatusCode::BAD_REQUEST, Some("text_too_long")));
    server.stop().await;
}

#[tokio::test]
async fn every_export_needs_the_boards_facilitator_token() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let a = create_board(&base, "A").await;
    let b = create_board(&base, "B").await;
    for ext in ["json", "md", "csv"] {
        let url = format!("{base}/api/boards/{}/export.{ext}", a.id);
        let ok =
            request(Method::GET, &url, &[("authorization", &format!("Bearer {}", a.facilitator_token))], None).await;
        assert_eq!(ok.status, StatusCode::OK, "{ext}");
        for auth in [None, Some(format!("Bearer {}", b.facilitator_token))] {
            let headers: Vec<(&str, &str)> = auth.as_deref().map(|a| vec![("authorization", a)]).unwrap_or_default();
            assert_eq!(
                request(Method::GET, &url, &headers, None).await.status,
                StatusCode::UNAUTHORIZED,
                "{ext} {auth:?}"
            );
        }
    }
    let md = request(
        Method::GET,
        &format!("{base}/api/boards/{}/export.md", a.id),
        &[("authorization", &format!("Bearer {}", a.facilitator_token))],
        None,
    )
    .await;
    assert!(md.headers["content-type"].to_str().unwrap().starts_with("text/markdown"));
    assert!(md.body.starts_with("# A\n"));
    server.stop().await;
}
