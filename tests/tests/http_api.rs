//! The HTTP surface: health, board creation, export and its access rules, pages.

use hyper::{Method, StatusCode};
use tests::support::http::{create_board, get, post_json, request};
use tests::support::server::TestServer;
use tests::support::temp_data_dir;

#[tokio::test]
async fn health_and_board_creation() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    assert_eq!(get(&format!("{base}/healthz")).await.status, StatusCode::OK);

    let created = create_board(&base, "  Fremtidens bibliotek  ").await;
    assert_eq!(created.join_code.len(), 6);
    assert!(app::api::normalise_join_code(&created.join_code).is_some());
    assert_eq!(created.participant_url, format!("{base}/j/{}", created.join_code));
    assert_eq!(created.facilitator_url, format!("{base}/f/{}#{}", created.id, created.facilitator_token));
    assert!(created.facilitator_token.len() >= 32, "at least 128 bits");

    for bad in [
        serde_json::json!({"title": ""}),
        serde_json::json!({"title": "x".repeat(121)}),
        serde_json::json!({"nope": 1}),
    ] {
        let res = post_json(&format!("{base}/api/boards"), bad).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert!(res.json()["error"].is_string());
    }
    server.stop().await;
}

#[tokio::test]
async fn export_needs_the_facilitator_token() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let a = create_board(&base, "A").await;
    let b = create_board(&base, "B").await;
    let url = format!("{base}/api/boards/{}/export.json", a.id);

    let ok = request(Method::GET, &url, &[("authorization", &format!("Bearer {}", a.facilitator_token))], None).await;
    assert_eq!(ok.status, StatusCode::OK);
    let json = ok.json();
    assert_eq!(json["board"]["title"], "A");
    assert_eq!(json["board"]["lanes"].as_array().unwrap().len(), 3);
    assert_eq!(json["board"]["seq"], 0);
    assert_eq!(json["version"], 1);

    for auth in [None, Some("Bearer wrong".to_owned()), Some(format!("Bearer {}", b.facilitator_token))] {
        let headers: Vec<(&str, &str)> = auth.as_deref().map(|a| vec![("authorization", a)]).unwrap_or_default();
        let res = request(Method::GET, &url, &headers, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(res.json()["error"], "unauthorized");
    }
    let missing = request(
        Method::GET,
        &format!("{base}/api/boards/nosuchboard/export.json"),
        &[("authorization", "Bearer x")],
        None,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"], "not_found");
    server.stop().await;
}

#[tokio::test]
async fn pages_are_server_rendered_and_unknown_boards_get_a_friendly_page() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let base = server.http_base();
    let board = create_board(&base, "Fremtidens <bibliotek>").await;

    let page = get(&board.participant_url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Se et behov") && page.body.contains("Få idéer") && page.body.contains("Lav forsøg"));
    assert!(page.body.contains("Fremtidens &lt;bibliotek&gt;"), "titles are escaped");
    assert!(page.headers["x-content-type-options"] == "nosniff");
    assert!(page.headers["referrer-policy"] == "no-referrer");
    assert!(page.headers["x-frame-options"] == "DENY");
    let csp = page.headers["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce in the CSP");
    assert!(page.body.contains(&format!("nonce=\"{nonce}\"")), "the hydration scripts carry the CSP's nonce");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"));

    let projector = get(&format!("{base}/f/{}", board.id)).await;
    assert!(projector.body.contains(&board.join_code), "projector shows the join code");
    assert!(projector.body.contains("<svg"), "and a QR code");

    let handout = get(&format!("{base}/f/{}/print", board.id)).await;
    assert_eq!(handout.status, StatusCode::OK);
    assert!(
        handout.body.contains("Fremtidens &lt;bibliotek&gt;") && handout.body.contains("print-lane"),
        "printable handout"
    );

    let english = request(Method::GET, &board.participant_url, &[("cookie", "idetavle_lang=en")], None).await;
    assert!(english.body.contains("See a need"));

    for url in [format!("{base}/j/ZZZZZZ"), format!("{base}/f/nosuchboard"), format!("{base}/no/such/page")] {
        let res = get(&url).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{url}");
        assert!(res.body.contains("Tavlen findes ikke"), "{url}: friendly page");
    }

    // Typing a code on the front page: normalised, then redirected.
    let typed = get(&format!("{base}/join?code={}", board.join_code.to_lowercase())).await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER);
    assert_eq!(typed.headers["location"], format!("/j/{}", board.join_code));
    server.stop().await;
}
