//! A small HTTP client for the JSON API (hyper, no TLS: everything is on loopback).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

pub struct Response {
    pub status: StatusCode,
    pub headers: hyper::HeaderMap,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn request(method: Method, url: &str, headers: &[(&str, &str)], body: Option<String>) -> Response {
    let (status, headers, body) = send(method, url, headers, body).await;
    Response { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
}

/// One request; the body as received (not decompressed).
async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> (StatusCode, hyper::HeaderMap, Bytes) {
    // One request at a time per test process: two in-process servers rendering pages at once
    // (tests of one binary run in parallel) sometimes left a catalogue page unanswered for good,
    // about once in 50 runs of `tests/catalogue.rs` (never with one server per process, as in
    // production: 800 parallel requests to one server all answered).
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_AT_A_TIME.lock().await;
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut req = Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Full::new(Bytes::from(body.unwrap_or_default()))).expect("request");
    // Bounded, so a request the server never answers fails the test with its URL instead of
    // hanging the whole run.
    let answered = async {
        let res = client.request(req).await.unwrap_or_else(|e| panic!("request to {url} failed: {e}"));
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, res.into_body().collect().await.expect("body").to_bytes())
    };
    match tokio::time::timeout(REQUEST_TIMEOUT, answered).await {
        Ok(answer) => answer,
        Err(_) => panic!("no complete answer to {url} within {REQUEST_TIMEOUT:?}"),
    }
}

/// Far above any answer's time in these tests (under a second even on a loaded machine).
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub async fn get(url: &str) -> Response {
    request(Method::GET, url, &[], None).await
}

pub async fn post_json(url: &str, json: serde_json::Value) -> Response {
    request(Method::POST, url, &[("content-type", "application/json")], Some(json.to_string())).await
}

/// Creates a board through the API and returns its `CreatedBoard` answer.
pub async fn create_board(base: &str, title: &str) -> app::api::CreatedBoard {
    let res = post_json(&format!("{base}/api/boards"), serde_json::json!({ "title": title })).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    serde_json::from_str(&res.body).expect("CreatedBoard")
}

/// The facilitator's JSON export of a board.
pub async fn export(base: &str, board: &app::api::CreatedBoard) -> serde_json::Value {
    let auth = format!("Bearer {}", board.facilitator_token);
    let url = format!("{base}/api/boards/{}/export.json", board.id);
    let res = request(Method::GET, &url, &[("authorization", &auth)], None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// Imports an `export.json` as a new board (`POST /api/boards/import`).
pub async fn import(base: &str, export: &serde_json::Value) -> app::api::CreatedBoard {
    let url = format!("{base}/api/boards/import");
    let res = request(Method::POST, &url, &[("content-type", "application/json")], Some(export.to_string())).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    serde_json::from_str(&res.body).expect("CreatedBoard")
}

/// Deletes a board as its facilitator does.
pub async fn delete_board(base: &str, board: &app::api::CreatedBoard) {
    let auth = format!("Bearer {}", board.facilitator_token);
    let url = format!("{base}/api/boards/{}", board.id);
    let res = request(Method::DELETE, &url, &[("authorization", &auth)], None).await;
    assert!(res.status.is_success(), "delete the board: {} {}", res.status, res.body);
}

/// What a browser that accepts `accept_encoding` would download from `url`: the status, the
/// `content-encoding` the server chose, and the body's size as sent (not decompressed).
pub async fn download(url: &str, accept_encoding: &str) -> (StatusCode, Option<String>, usize) {
    let (status, headers, body) = send(Method::GET, url, &[("accept-encoding", accept_encoding)], None).await;
    let encoding = headers.get("content-encoding").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, encoding, body.len())
}
