//! Exports of one board, for its facilitator only: `export.json`, `export.md`, `export.csv`.

use super::ApiError;
use crate::auth::bearer_token;
use crate::export::{csv, markdown, BoardExport};
use crate::hub::Hub;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use idetavle_core::board::{Board, BoardId};

/// The hub of a board whose facilitator token (`Authorization: Bearer …`) is presented.
pub async fn authorised_hub(state: &AppState, id: &str, headers: &HeaderMap) -> Result<Hub, ApiError> {
    let token = bearer_token(headers.get(header::AUTHORIZATION));
    Ok(state.boards.authorised(&BoardId::from(id), token).await?)
}

/// The board as its facilitator sees it: everything but the ballots (votes are anonymous).
async fn facilitator_board(state: &AppState, id: &str, headers: &HeaderMap) -> Result<Board, ApiError> {
    let hub = authorised_hub(state, id, headers).await?;
    let board = hub.snapshot().await.ok_or_else(|| ApiError::internal("hub stopped"))?;
    Ok(board.exported())
}

/// `GET /api/boards/{id}/export.json`: complete and versioned; `POST /api/boards/import` reads it.
pub async fn json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<BoardExport>, ApiError> {
    Ok(Json(BoardExport::new(facilitator_board(&state, &id, &headers).await?)))
}

/// `GET /api/boards/{id}/export.md`: a catalogue-ready Markdown document.
pub async fn md(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let board = facilitator_board(&state, &id, &headers).await?;
    Ok(download(markdown(&board), "text/markdown; charset=utf-8", &board, "md"))
}

/// `GET /api/boards/{id}/export.csv`: one row per note, for spreadsheets.
pub async fn csv_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let board = facilitator_board(&state, &id, &headers).await?;
    Ok(download(csv(&board), "text/csv; charset=utf-8", &board, "csv"))
}

fn download(body: String, content_type: &'static str, board: &Board, ext: &str) -> Response {
    // The file name is ASCII-only (the board id), so no header escaping is needed.
    let disposition = format!("attachment; filename=\"idetavle-{}.{ext}\"", board.id);
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
