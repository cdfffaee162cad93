//! `GET /ws/{board_id}`: upgrades to a websocket served by [`crate::ws::serve`].

use super::{ApiError, ApiErrorCode};
use crate::limits::Refusal;
use crate::state::AppState;
use crate::ws::{self, HARD_FRAME_LIMIT};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;
use idetavle_core::board::BoardId;
use std::net::SocketAddr;
use std::sync::Arc;

/// Initial read and write buffer of one websocket connection.
const SOCKET_BUFFER: usize = 8 * 1024;

pub async fn upgrade(
    upgrade: WebSocketUpgrade,
    Path(board_id): Path<String>,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !state.origins.allow(&headers) {
        tracing::warn!("websocket upgrade refused: foreign origin");
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ApiErrorCode::ForbiddenOrigin,
            "this origin may not open a board",
        ));
    }
    let board_id = BoardId(board_id);
    // A board whose storage failed a moment ago answers 503: the browser retries with its back-off.
    let hub = state.boards.hub(&board_id).await?;
    let slot = state.limits.admit(peer.ip(), &board_id).map_err(|refusal| {
        tracing::warn!(?refusal, board = %board_id, "websocket refused: connection limit");
        match refusal {
            Refusal::TooManyFromAddress => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ApiErrorCode::TooManyConnections,
                "too many open connections from this address",
            ),
            Refusal::BoardFull => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ApiErrorCode::BoardFull,
                "this board has as many connections as it takes",
            ),
        }
    })?;
    let hubs = Arc::clone(&state.hubs);
    let shutdown = state.shutdown.clone();
    let writes_per_minute = state.limits.config.writes_per_minute;
    // Small buffers: a board holds hundreds of mostly idle connections, and the defaults
    // (128 KiB each way, allocated up front) would cost ~150 KiB per connection. Bigger
    // messages still work; the buffers grow for them.
    let upgrade = upgrade
        .read_buffer_size(SOCKET_BUFFER)
        .write_buffer_size(SOCKET_BUFFER)
        .max_message_size(HARD_FRAME_LIMIT)
        .max_frame_size(HARD_FRAME_LIMIT);
    // Counted from now, so shutdown waits for this socket too (upgraded sockets outlive the
    // HTTP server's own graceful shutdown).
    let open = state.sockets.token();
    Ok(upgrade.on_upgrade(move |socket| async move {
        let (sink, stream) = socket.split();
        ws::serve(sink, stream, ws::Connection { hub, hubs, shutdown, writes_per_minute }).await;
        drop(slot); // the place is held for exactly as long as the socket is open
        drop(open);
    }))
}
