//! Creating boards and finding them by join code (the work is `crate::boards`).

use super::{ApiError, ApiErrorCode};
use crate::state::AppState;
use app::api::normalise_join_code;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::{Form, Json};
use idetavle_core::board::LaneSpec;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NewBoard {
    title: String,
    /// A template's lanes (1–6, each a title and an optional question); absent: the default
    /// three.
    #[serde(default)]
    lanes: Option<Vec<LaneSpec>>,
}

/// `POST /api/boards` with `{"title": "…", "lanes": [{"title": "…", "question": "…"}]}` (lanes
/// optional) → 201 and the links.
pub async fn create_json(State(state): State<AppState>, body: Bytes) -> Result<impl IntoResponse, ApiError> {
    let req: NewBoard = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, ApiErrorCode::Malformed, format!("expected {{\"title\": \"…\"}}: {e}"))
    })?;
    let created = state.boards.create(&req.title, req.lanes.as_deref(), crate::clock::now_ms()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `POST /new` from the home page's form before its WASM has loaded: create, then open the
/// facilitator link.
pub async fn create_form(State(state): State<AppState>, Form(req): Form<NewBoard>) -> Result<Redirect, ApiError> {
    let created = state.boards.create(&req.title, None, crate::clock::now_ms()).await?;
    Ok(Redirect::to(&created.facilitator_url))
}

/// `POST /api/boards/import`: a new board (new id, join code and facilitator token) with the
/// content of an `export.json`.
pub async fn import(State(state): State<AppState>, body: Bytes) -> Result<impl IntoResponse, ApiError> {
    let created = state.boards.import(&body).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Deserialize)]
pub struct JoinQuery {
    #[serde(default)]
    code: String,
}

/// `GET /join?code=k7p-x2m` → `/j/K7PX2M`. Unknown or malformed codes land on the friendly
/// not-found page of `/j/…`.
pub async fn join_by_code(Query(q): Query<JoinQuery>) -> Redirect {
    let code = normalise_join_code(&q.code).unwrap_or_else(|| "UKENDT".to_owned());
    Redirect::to(&format!("/j/{code}"))
}
