//! `GET /ws/{board_id}`: upgrades to a websocket served by [`crate::ws::serve`].

use super::ApiError;
use crate::limits::Refusal;
use crate::ws::{self, HARD_FRAME_LIMIT};
use crate::AppState;
use app::board::BoardId;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;
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
    if !origin_allowed(&headers, &state.public_base) {
        tracing::warn!("websocket upgrade refused: foreign origin");
        return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden_origin", "this origin may not open a board"));
    }
    let board_id = BoardId(board_id);
    let hub = state.hubs.get(&board_id).await.map_err(ApiError::internal)?.ok_or_else(ApiError::not_found)?;
    let slot = state.limits.admit(peer.ip(), &board_id).map_err(|refusal| {
        tracing::warn!(?refusal, board = %board_id, "websocket refused: connection limit");
        match refusal {
            Refusal::TooManyFromAddress => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_connections",
                "too many open connections from this address",
            ),
            Refusal::BoardFull => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "board_full",
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
    Ok(upgrade.on_upgrade(move |socket| async move {
        let (sink, stream) = socket.split();
        ws::serve(sink, stream, ws::Connection { hub, hubs, shutdown, writes_per_minute }).await;
        drop(slot); // the place is held for exactly as long as the socket is open
    }))
}

/// Cross-site websocket hijacking guard: browsers always send `Origin` on a websocket upgrade,
/// and a page of another site must not open a board with the visitor's browser. Allowed: the
/// configured public URL, or the same origin the request came to (`Host`). Clients that are not
/// browsers send no `Origin` and are allowed; they carry no one else's credentials anyway.
pub fn origin_allowed(headers: &HeaderMap, public_base: &str) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    if origin.eq_ignore_ascii_case(public_base) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::origin_allowed;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("host", HeaderValue::from_str(host).unwrap());
        if let Some(o) = origin {
            h.insert("origin", HeaderValue::from_str(o).unwrap());
        }
        h
    }

    #[test]
    fn only_our_own_pages_may_open_a_websocket() {
        let base = "http://192.168.1.20:3000";
        assert!(origin_allowed(&headers(Some(base), "192.168.1.20:3000"), base));
        assert!(origin_allowed(&headers(Some("http://localhost:3000"), "localhost:3000"), base), "same origin");
        assert!(origin_allowed(&headers(None, "x"), base), "not a browser");
        assert!(!origin_allowed(&headers(Some("https://evil.example"), "192.168.1.20:3000"), base));
        assert!(!origin_allowed(&headers(Some("http://192.168.1.20:3000.evil.example"), "192.168.1.20:3000"), base));
    }
}
