//! The HTTP API through `app(state)` with no port: what needs no socket is tested this way
//! (the real-server tests in `tests/` keep what needs one).

use super::app;
use crate::config::Config;
use crate::state::AppState;
use crate::store::{MemoryStore, Store};
use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use std::sync::Arc;
use tower::ServiceExt;

async fn state() -> AppState {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let config = Config::for_data_dir(std::env::temp_dir());
    let (_tx, shutdown) = tokio::sync::watch::channel(false);
    AppState::new(store, &config, "127.0.0.1:3000".parse().unwrap(), shutdown).await.unwrap()
}

async fn send(state: &AppState, request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null))
}

fn post(uri: &str, json: serde_json::Value) -> Request<Body> {
    Request::post(uri).header("content-type", "application/json").body(Body::from(json.to_string())).unwrap()
}

#[tokio::test]
async fn a_board_is_created_and_exported_only_with_its_token() {
    let state = state().await;
    let health = Request::get("/healthz").body(Body::empty()).unwrap();
    assert_eq!(send(&state, health).await.0, StatusCode::OK);

    let (status, refused) = send(&state, post("/api/boards", serde_json::json!({"title": ""}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused["error"].is_string());

    let (status, created) = send(&state, post("/api/boards", serde_json::json!({"title": "Borgermøde"}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let export = format!("/api/boards/{}/export.json", created["id"].as_str().unwrap());
    let token = format!("Bearer {}", created["facilitator_token"].as_str().unwrap());
    for auth in ["Bearer wrong", token.as_str()] {
        let request = Request::get(&export).header("authorization", auth).body(Body::empty()).unwrap();
        let (status, body) = send(&state, request).await;
        if auth == token {
            assert_eq!((status, &body["board"]["title"]), (StatusCode::OK, &serde_json::json!("Borgermøde")));
        } else {
            assert_eq!((status, &body["error"]), (StatusCode::UNAUTHORIZED, &serde_json::json!("unauthorized")));
        }
    }
}

#[tokio::test]
async fn healthz_is_ready_only_while_the_store_answers() {
    let store = Arc::new(MemoryStore::new());
    let config = Config::for_data_dir(std::env::temp_dir());
    let (_tx, shutdown) = tokio::sync::watch::channel(false);
    let shared: Arc<dyn Store> = store.clone();
    let state = AppState::new(shared, &config, "127.0.0.1:3000".parse().unwrap(), shutdown).await.unwrap();
    let health = || Request::get("/healthz").body(Body::empty()).unwrap();
    assert_eq!(send(&state, health()).await.0, StatusCode::OK);
    store.fail_reads.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(send(&state, health()).await.0, StatusCode::SERVICE_UNAVAILABLE, "not ready: the store fails");
    store.fail_reads.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(send(&state, health()).await.0, StatusCode::OK, "ready again");
}
