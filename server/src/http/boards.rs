//! Creating boards and finding them by join code.

use super::ApiError;
use crate::auth::{hash_token, new_board_id, new_facilitator_token, new_join_code};
use crate::state::AppState;
use crate::store::{BoardRecord, StoreError};
use app::api::{normalise_join_code, CreatedBoard};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::{Form, Json};
use idetavle_core::board::normalise_title;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NewBoard {
    title: String,
}

/// Creates a board; shared by the API, the no-JS form and the page's server function.
pub async fn create_board(state: &AppState, title: &str) -> Result<CreatedBoard, ApiError> {
    let created_at = crate::clock::now_ms();
    create_board_at(state, title, created_at).await.map(|(created, _)| created)
}

/// Creates a board record (fresh id, join code and token) with a given creation time.
pub async fn create_board_at(
    state: &AppState,
    title: &str,
    created_at: i64,
) -> Result<(CreatedBoard, BoardRecord), ApiError> {
    let title =
        normalise_title(title).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code().as_str(), e.to_string()))?;
    let token = new_facilitator_token();
    // 30 bits of join code: collisions are rare but possible, so retry a few times.
    for _ in 0..8 {
        let record = BoardRecord {
            id: new_board_id(),
            title: title.clone(),
            join_code: new_join_code(),
            token_hash: hash_token(&token),
            created_at,
            expires_at: state.board_retention_ms.map(|keep| created_at.saturating_add(keep)),
        };
        match state.hubs.store().create_board(&record).await {
            Ok(()) => {
                tracing::info!(board = %record.id, "board created");
                let base = &state.public_base;
                let created = CreatedBoard {
                    participant_url: format!("{base}/j/{}", record.join_code),
                    facilitator_url: format!("{base}/f/{}#{token}", record.id),
                    id: record.id.clone(),
                    join_code: record.join_code.clone(),
                    facilitator_token: token,
                };
                return Ok((created, record));
            }
            Err(StoreError::JoinCodeTaken | StoreError::BoardExists) => continue,
            Err(e) => return Err(ApiError::internal(e)),
        }
    }
    Err(ApiError::internal("no free join code after 8 tries"))
}

/// `POST /api/boards` with `{"title": "…"}` → 201 and the links.
pub async fn create_json(State(state): State<AppState>, body: Bytes) -> Result<impl IntoResponse, ApiError> {
    let req: NewBoard = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed", format!("expected {{\"title\": \"…\"}}: {e}"))
    })?;
    let created = create_board(&state, &req.title).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `POST /new` from the home page's form before its WASM has loaded: create, then open the
/// facilitator link.
pub async fn create_form(State(state): State<AppState>, Form(req): Form<NewBoard>) -> Result<Redirect, ApiError> {
    let created = create_board(&state, &req.title).await?;
    Ok(Redirect::to(&created.facilitator_url))
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
