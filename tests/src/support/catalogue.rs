//! Calls to the catalogue's server functions, as the pages make them (JSON bodies).

use super::http::post_json;
use serde_json::{json, Value};

/// Calls `/api/fn/{name}` and returns its answer: `{"Ok": …}` or `{"Err": {"code": …}}`.
pub async fn call(base: &str, name: &str, args: Value) -> Value {
    let res = post_json(&format!("{base}/api/fn/{name}"), args).await;
    assert!(res.status.is_success(), "{name}: {} {}", res.status, res.body);
    res.json()
}

/// The answer's value; panics with the refusal if there was one.
pub fn ok(answer: Value) -> Value {
    match answer.get("Ok") {
        Some(v) => v.clone(),
        None => panic!("refused: {answer}"),
    }
}

/// The refusal's code; panics if the call was accepted.
pub fn refusal(answer: &Value) -> String {
    match answer.get("Err").and_then(|e| e["code"].as_str()) {
        Some(code) => code.to_owned(),
        None => panic!("accepted: {answer}"),
    }
}

pub async fn promote_group(base: &str, board: &app::api::CreatedBoard, group: &str) -> Value {
    let args = json!({
        "board": board.id, "facilitator_token": board.facilitator_token,
        "source": { "kind": "group", "id": group },
    });
    call(base, "catalogue_promote", args).await
}

pub async fn status(base: &str, token: &str, entry: &Value, to: &str, reason: &str) -> Value {
    let change = json!({ "id": entry["id"], "version": entry["version"], "to": to, "reason": reason });
    call(base, "catalogue_status", json!({ "editor_token": token, "change": change })).await
}

pub async fn update(base: &str, token: &str, entry: &Value, changes: Value) -> Value {
    let mut fields = json!({
        "title": entry["title"], "description": entry["description"], "need": entry["need"],
        "owner": entry["owner"], "success_criterion": entry["success_criterion"],
        "stop_criterion": entry["stop_criterion"], "skills": entry["skills"],
    });
    for (k, v) in changes.as_object().expect("changes are an object") {
        fields[k] = v.clone();
    }
    let args = json!({ "editor_token": token, "id": entry["id"], "version": entry["version"], "fields": fields });
    call(base, "catalogue_update", args).await
}
