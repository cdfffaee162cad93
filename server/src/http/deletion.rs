//! Citizens' data: a facilitator deletes a whole board (notes, votes, names, presence), or
//! gives it an expiry after which the server purges it by itself (`crate::boards`).

use super::export::authorised_hub;
use super::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use idetavle_core::dates::iso_date;
use serde::{Deserialize, Serialize};

/// `DELETE /api/boards/{id}` with the facilitator token → 204. Connected screens are told
/// `board_deleted`; the store keeps nothing (SQLite `secure_delete` overwrites the rows).
pub async fn delete_board(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let hub = authorised_hub(&state, &id, &headers).await?;
    state.boards.delete(&hub.record.id).await?;
    tracing::info!(board = %hub.record.id, "board deleted by its facilitator");
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Expiry {
    /// `YYYY-MM-DD` (purged at the start of that day, UTC), or `null` to keep the board.
    pub expires_on: Option<String>,
}

/// `PUT /api/boards/{id}/expiry` with the facilitator token and `{"expires_on": "2027-01-31"}`.
pub async fn set_expiry(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(expiry): Json<Expiry>,
) -> Result<Json<Expiry>, ApiError> {
    let hub = authorised_hub(&state, &id, &headers).await?;
    let expires_at = state.boards.set_expiry(&hub.record.id, expiry.expires_on.as_deref()).await?;
    Ok(Json(Expiry { expires_on: expires_at.map(iso_date) }))
}
