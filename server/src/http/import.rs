//! `POST /api/boards/import`: a new board (new id, join code and facilitator token) with the
//! content of an `export.json`.

use super::boards::create_board_at;
use super::ApiError;
use crate::export::{BoardExport, EXPORT_FORMAT, EXPORT_VERSION};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use idetavle_core::board::{Actor, Change};
use idetavle_core::protocol::Event;

pub async fn import(State(state): State<AppState>, body: Bytes) -> Result<impl IntoResponse, ApiError> {
    let bad = |code: &'static str, message: String| ApiError::new(StatusCode::BAD_REQUEST, code, message);
    let export: BoardExport =
        serde_json::from_slice(&body).map_err(|e| bad("malformed", format!("not an Idétavle export: {e}")))?;
    if export.format != EXPORT_FORMAT || export.version != EXPORT_VERSION {
        let message = format!("expected format {EXPORT_FORMAT} version {EXPORT_VERSION}");
        return Err(bad("unsupported_export", message));
    }
    let board = export.board.checked_import().map_err(|e| bad(e.code().as_str(), e.to_string()))?;
    let (created, record) = create_board_at(&state, &board.title, board.created_at).await?;
    // The whole content is the board's first event, so it is stored like any other change.
    let event = Event {
        seq: 1,
        op_id: "import".into(),
        actor: Some(Actor::Facilitator),
        at: board.created_at,
        change: Change::Imported { board: Box::new(board) },
        revealed: Vec::new(),
    };
    state.hubs.store().append_events(&record.id, &[event]).await.map_err(ApiError::internal)?;
    tracing::info!(board = %record.id, "board imported");
    Ok((StatusCode::CREATED, Json(created)))
}
