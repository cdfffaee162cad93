//! `GET /ws/{board_id}`: upgrades to a websocket served by [`crate::ws::serve`].

use super::ApiError;
use crate::ws::{self, HARD_FRAME_LIMIT};
use crate::AppState;
use app::board::BoardId;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, State};
use axum::response::Response;
use futures_util::StreamExt;
use std::sync::Arc;

pub async fn upgrade(
    upgrade: WebSocketUpgrade,
    Path(board_id): Path<String>,
    State(state): State<AppState>,
) -> Result<Response, ApiError> {
    let hub = state.hubs.get(&BoardId(board_id)).await.map_err(ApiError::internal)?.ok_or_else(ApiError::not_found)?;
    let hubs = Arc::clone(&state.hubs);
    let shutdown = state.shutdown.clone();
    Ok(upgrade.max_message_size(HARD_FRAME_LIMIT).max_frame_size(HARD_FRAME_LIMIT).on_upgrade(move |socket| {
        let (sink, stream) = socket.split();
        ws::serve(sink, stream, hub, hubs, shutdown)
    }))
}
