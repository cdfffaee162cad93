//! Hostile and broken input: each gets an error for that client only, nothing is stored,
//! the connection stays open, and nobody else notices.

use idetavle_core::board::OpErrorCode;
use idetavle_core::protocol::{ErrorCode, ServerMsg, MAX_FRAME_BYTES, PROTOCOL_VERSION};
use std::time::Duration;
use tests::support::client::WsClient;
use tests::support::http::{create_board, export};
use tests::support::server::TestServer;
use tests::support::{new_secret, temp_data_dir};

fn error_code(msg: &ServerMsg) -> Option<(ErrorCode, Option<OpErrorCode>)> {
    match msg {
        ServerMsg::Error { code, reason, .. } => Some((*code, *reason)),
        _ => None,
    }
}

#[tokio::test]
async fn each_bad_input_is_refused_to_its_sender_only_and_nothing_is_stored() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let mut bad = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    let mut good = WsClient::participant(&server.ws_base(), &board.id, &new_secret()).await;
    good.post("g1", "g1", "need", "before").await;
    let before = good.acked("g1").await;
    bad.caught_up_to(before).await;

    let huge_note = format!(
        r#"{{"type":"op","op_id":"x1","op":{{"type":"add_note","note_id":"n","lane":"need","text":"{}"}}}}"#,
        "a".repeat(MAX_FRAME_BYTES)
    );
    let cases: Vec<(&str, String, ErrorCode, Option<&str>)> = vec![
        ("frame over 64 KB", huge_note, ErrorCode::TooLarge, None),
        ("malformed JSON", "{not json".into(), ErrorCode::Malformed, None),
        ("unknown message", r#"{"type":"launch_rockets"}"#.into(), ErrorCode::Malformed, None),
        ("unknown op", r#"{"type":"op","op_id":"x2","op":{"type":"drop_table"}}"#.into(), ErrorCode::Malformed, None),
        (
            "empty note",
            r#"{"type":"op","op_id":"x3","op":{"type":"add_note","note_id":"n3","lane":"need","text":"   "}}"#.into(),
            ErrorCode::InvalidOp,
            Some("empty_text"),
        ),
        (
            "over-long note",
            format!(
                r#"{{"type":"op","op_id":"x4","op":{{"type":"add_note","note_id":"n4","lane":"need","text":"{}"}}}}"#,
                "ø".repeat(281)
            ),
            ErrorCode::InvalidOp,
            Some("text_too_long"),
        ),
        (
            "unknown lane",
            r#"{"type":"op","op_id":"x5","op":{"type":"add_note","note_id":"n5","lane":"void","text":"x"}}"#.into(),
            ErrorCode::InvalidOp,
            Some("unknown_lane"),
        ),
        (
            "bad op id",
            r#"{"type":"op","op_id":"<script>","op":{"type":"delete_note","note_id":"n"}}"#.into(),
            ErrorCode::InvalidOp,
            Some("invalid_id"),
        ),
        (
            "second hello",
            format!(
                r#"{{"type":"hello","protocol":{PROTOCOL_VERSION},"credential":{{"role":"participant","secret":"0123456789abcdef"}}}}"#
            ),
            ErrorCode::HandshakeRequired,
            None,
        ),
    ];
    for (what, frame, code, reason) in cases {
        bad.send_text(frame).await;
        let reply = bad.recv().await.unwrap_or_else(|| panic!("{what}: connection closed"));
        let (got_code, got_reason) =
            error_code(&reply).unwrap_or_else(|| panic!("{what}: expected an error, got {reply:?}"));
        assert_eq!(got_code, code, "{what}");
        assert_eq!(got_reason.map(OpErrorCode::as_str), reason, "{what}");
    }
    bad.send_binary(vec![0xff, 0x00, 0x13]).await;
    assert_eq!(error_code(&bad.recv().await.unwrap()).map(|e| e.0), Some(ErrorCode::Malformed));

    // The other participant heard nothing, and the board is as it was.
    good.expect_silence(Duration::from_millis(300)).await;
    let exported = export(&server.http_base(), &board).await;
    assert_eq!(exported["board"]["seq"], before);
    assert_eq!(exported["board"]["notes"].as_array().unwrap().len(), 1);

    // The offender's connection still works.
    bad.post("ok", "ok", "ideas", "still here").await;
    let seq = bad.acked("ok").await;
    assert_eq!(seq, before + 1);
    good.caught_up_to(seq).await;
    server.stop().await;
}

#[tokio::test]
async fn ops_before_hello_and_wrong_credentials_are_refused() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;

    let mut early = WsClient::open(&server.ws_base(), &board.id).await;
    early.send_text(r#"{"type":"op","op_id":"x","op":{"type":"delete_note","note_id":"n"}}"#.into()).await;
    assert_eq!(error_code(&early.recv().await.unwrap()).map(|e| e.0), Some(ErrorCode::HandshakeRequired));

    let mut forger = WsClient::open(&server.ws_base(), &board.id).await;
    forger
        .send_text(format!(
            r#"{{"type":"hello","protocol":{PROTOCOL_VERSION},"credential":{{"role":"facilitator","token":"guess"}}}}"#
        ))
        .await;
    assert_eq!(error_code(&forger.recv().await.unwrap()).map(|e| e.0), Some(ErrorCode::Unauthorized));
    assert!(forger.recv().await.is_none(), "closed after a wrong token");

    let mut future = WsClient::open(&server.ws_base(), &board.id).await;
    future
        .send_text(format!(
            r#"{{"type":"hello","protocol":99,"credential":{{"role":"participant","secret":"{}"}}}}"#,
            new_secret()
        ))
        .await;
    assert_eq!(error_code(&future.recv().await.unwrap()).map(|e| e.0), Some(ErrorCode::UnsupportedProtocol));
    server.stop().await;
}

#[tokio::test]
async fn a_failed_commit_acknowledges_nothing_and_the_op_can_be_retried() {
    use std::sync::atomic::Ordering;
    let store = TestServer::memory_store();
    let server = TestServer::start_with_store(store.clone()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let secret = new_secret();
    let mut phone = WsClient::participant(&server.ws_base(), &board.id, &secret).await;

    store.fail_appends.store(true, Ordering::SeqCst);
    phone.post("op1", "n1", "need", "important").await;
    let reply = phone.apply_until(|m| matches!(m, ServerMsg::Error { .. })).await;
    assert_eq!(error_code(&reply).map(|e| e.0), Some(ErrorCode::Unavailable), "{reply:?}");
    assert_eq!(phone.sync.outbox.len(), 1, "kept for retry");
    while let Some(msg) = phone.recv().await {
        assert!(matches!(msg, ServerMsg::Presence { .. }), "nothing but presence before the close: {msg:?}");
    }
    assert_eq!(phone.close_code, Some(4000), "closed with 4000: reconnect and resume");

    // Right after the failure the board is not loaded again (a back-off, not a tight loop of
    // reloads against a full disk): the upgrade is answered 503, and the browser backs off.
    let url = format!("{}/ws/{}", server.ws_base(), board.id);
    let refused = tokio_tungstenite::connect_async(url.as_str()).await;
    assert!(
        matches!(&refused, Err(tokio_tungstenite::tungstenite::Error::Http(res)) if res.status() == 503),
        "backing off: {refused:?}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;

    store.fail_appends.store(false, Ordering::SeqCst);
    let sync = phone.sync.clone();
    let mut phone = WsClient::open(&server.ws_base(), &board.id).await;
    phone.sync = sync;
    phone.send(&phone.sync.hello(idetavle_core::protocol::Credential::Participant { secret })).await;
    let ServerMsg::Welcome { head_seq, .. } = phone.recv().await.unwrap() else { panic!("welcome") };
    assert_eq!(head_seq, 0, "the failed op left no trace");
    for m in phone.sync.outbox.clone() {
        phone.send(&idetavle_core::protocol::ClientMsg::Op { op_id: m.op_id, op: m.op }).await;
    }
    assert_eq!(phone.acked("op1").await, 1);
    server.stop().await;
}

#[tokio::test]
async fn a_page_of_another_site_cannot_open_a_board_socket() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let board = create_board(&server.http_base(), "Test").await;
    let url = format!("{}/ws/{}", server.ws_base(), board.id);
    let with_origin = |origin: &str| {
        let mut req = url.as_str().into_client_request().unwrap();
        req.headers_mut().insert("origin", origin.parse().unwrap());
        req
    };
    let refused = tokio_tungstenite::connect_async(with_origin("https://evil.example")).await;
    assert!(
        matches!(&refused, Err(tokio_tungstenite::tungstenite::Error::Http(res)) if res.status() == 403),
        "cross-site upgrade refused: {refused:?}"
    );
    let own = tokio_tungstenite::connect_async(with_origin(&server.http_base())).await;
    assert!(own.is_ok(), "our own pages may connect");
    server.stop().await;
}
