//! Exports of one board, for the facilitator only.

use super::ApiError;
use crate::auth::{bearer_token, token_matches};
use crate::hub::Hub;
use crate::AppState;
use app::board::audience::Audience;
use app::board::{Board, BoardId};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Serialize;

/// Version of the export format; bumped on incompatible changes.
pub const EXPORT_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct BoardExport {
    pub format: &'static str,
    pub version: u32,
    pub board: Board,
}

/// The hub of a board whose facilitator token is presented; 404 before 401 would leak which
/// board ids exist, but ids are not secret, so the clearer answer wins.
pub async fn authorised_hub(state: &AppState, id: &str, headers: &HeaderMap) -> Result<Hub, ApiError> {
    let hub = state.hubs.get(&BoardId::from(id)).await.map_err(ApiError::internal)?.ok_or_else(ApiError::not_found)?;
    let token = bearer_token(headers.get(axum::http::header::AUTHORIZATION)).ok_or_else(ApiError::unauthorized)?;
    if !token_matches(token, &hub.record.token_hash) {
        return Err(ApiError::unauthorized());
    }
    Ok(hub)
}

/// `GET /api/boards/{id}/export.json`: the whole board (lanes, notes, sequence number).
pub async fn json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<BoardExport>, ApiError> {
    let hub = authorised_hub(&state, &id, &headers).await?;
    // Everything but the ballots: votes are anonymous, even to the facilitator.
    let board = hub.snapshot().await.ok_or_else(|| ApiError::internal("hub stopped"))?.view_for(&Audience::Facilitator);
    Ok(Json(BoardExport { format: "idetavle.board", version: EXPORT_VERSION, board }))
}
