//! Citizens' data: a facilitator deletes a whole board (notes, votes, names, presence), or
//! gives it an expiry after which the server purges it by itself.

use super::export::authorised_hub;
use super::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use idetavle_core::dates::{day_start_ms, iso_date};
use serde::{Deserialize, Serialize};

/// `DELETE /api/boards/{id}` with the facilitator token → 204. Connected screens are told
/// `board_deleted`; the store keeps nothing (SQLite `secure_delete` overwrites the rows).
/// Catalogue entries promoted from the board stay: they are the municipality's record.
pub async fn delete_board(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let hub = authorised_hub(&state, &id, &headers).await?;
    state.hubs.delete(&hub.record.id).await.map_err(ApiError::internal)?;
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
    let expires_at = match expiry.expires_on.as_deref() {
        None => None,
        Some(date) => Some(day_start_ms(date).ok_or_else(|| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_date", "expires_on must be a date like 2027-01-31")
        })?),
    };
    state.hubs.store().set_board_expiry(&hub.record.id, expires_at).await.map_err(ApiError::internal)?;
    Ok(Json(Expiry { expires_on: expires_at.map(iso_date) }))
}

/// Purges expired boards now and then, for as long as the server runs.
pub async fn purge_expired_boards(state: AppState, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let now = crate::clock::now_ms();
        match state.hubs.store().expired_boards(now).await {
            Ok(expired) => {
                for id in expired {
                    match state.hubs.delete(&id).await {
                        Ok(_) => tracing::info!(board = %id, "expired board purged"),
                        Err(e) => tracing::error!(board = %id, error = %e, "purging an expired board failed"),
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "looking for expired boards failed"),
        }
    }
}
