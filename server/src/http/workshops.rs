//! Workshops over HTTP (the work is `crate::boards`): create one, open its tables, overview,
//! act on every table, gather tables' notes into the plenary.

use super::{ApiError, ApiErrorCode};
use crate::auth::bearer_token;
use crate::boards::BoardError;
use crate::export::{markdown, WorkshopExport};
use crate::state::AppState;
use app::api::workshop::{GatherRequest, GatherResult, Overview, TableAction};
use app::api::TableLink;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use idetavle_core::board::{BoardId, LaneSpec};
use serde::Deserialize;

#[derive(Deserialize)]
struct NewWorkshop {
    title: String,
    #[serde(default)]
    lanes: Option<Vec<LaneSpec>>,
}

/// `POST /api/workshops` with `{"title": "…", "lanes": […]}` (lanes optional, as for a board)
/// → 201 and the plenary's links: its join code is the workshop's, its token the workshop's.
pub async fn create(State(state): State<AppState>, body: Bytes) -> Result<impl IntoResponse, ApiError> {
    let req: NewWorkshop =
        serde_json::from_slice(&body).map_err(|e| malformed(format!("expected {{\"title\": \"…\"}}: {e}")))?;
    let created = state.boards.create_workshop(&req.title, req.lanes.as_deref(), crate::clock::now_ms()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Deserialize)]
struct OpenTables {
    count: u32,
}

/// `POST /api/workshops/{id}/tables` with the workshop's token and `{"count": 15}` → 200 and
/// every table's links (`number`, `board_id`, `join_code`, `host_url`, `host_token`). Tables already open
/// stay as they are, so asking again is safe.
pub async fn open_tables(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Vec<TableLink>>, ApiError> {
    let req: OpenTables =
        serde_json::from_slice(&body).map_err(|e| malformed(format!("expected {{\"count\": 15}}: {e}")))?;
    let token = bearer_token(headers.get(header::AUTHORIZATION)).ok_or(BoardError::Unauthorized)?;
    Ok(Json(state.boards.open_tables(&BoardId::from(id.as_str()), token, req.count).await?))
}

fn malformed(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, ApiErrorCode::Malformed, message)
}

/// `GET /api/workshops/{id}/overview` with the workshop's token → every open table:
/// notes per lane, the newest visible notes, who sits there, whether it has gone quiet.
pub async fn overview(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Overview>, ApiError> {
    let token = bearer_token(headers.get(header::AUTHORIZATION)).ok_or(BoardError::Unauthorized)?;
    Ok(Json(state.boards.overview(&BoardId::from(id.as_str()), token, None).await?))
}

/// `POST /api/workshops/{id}/all` with the workshop's token and e.g.
/// `{"action": "start_timer", "seconds": 300}` → `{"tables": n}`, how many tables took it.
pub async fn for_all_tables(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let action: TableAction = serde_json::from_slice(&body)
        .map_err(|e| malformed(format!("expected {{\"action\": \"start_timer\", \"seconds\": 300}}: {e}")))?;
    let token = bearer_token(headers.get(header::AUTHORIZATION)).ok_or(BoardError::Unauthorized)?;
    let took = state.boards.for_all_tables(&BoardId::from(id.as_str()), token, action).await?;
    Ok(Json(serde_json::json!({ "tables": took })))
}

/// `POST /api/workshops/{id}/gather` with the workshop's token (or a table host's, for their
/// table) and `{"table": 2, "top": 3}` or `{"table": 2, "chosen": ["note-id"]}` (no `table`:
/// every table) → `{"copied": n}`.
pub async fn gather(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<GatherResult>, ApiError> {
    let request: GatherRequest =
        serde_json::from_slice(&body).map_err(|e| malformed(format!("expected {{\"table\": 2, \"top\": 3}}: {e}")))?;
    let token = bearer_token(headers.get(header::AUTHORIZATION)).ok_or(BoardError::Unauthorized)?;
    Ok(Json(state.boards.gather(&BoardId::from(id.as_str()), token, request).await?))
}

/// `GET /api/workshops/{id}/export.json` with the workshop's token: the plenary and every
/// table, each as `export.json` has it (`{"format": "idetavle.workshop", "plenary", "tables"}`).
pub async fn export_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<WorkshopExport>, ApiError> {
    let token = bearer_token(headers.get(header::AUTHORIZATION)).ok_or(BoardError::Unauthorized)?;
    let (plenary, tables) = state.boards.workshop_boards(&BoardId::from(id.as_str()), token).await?;
    Ok(Json(WorkshopExport::new(plenary, tables)))
}

/// `GET /api/workshops/{id}/export.md`: the plenary's document, then each table's.
pub async fn export_md(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let token = bearer_token(headers.get(header::AUTHORIZATION)).ok_or(BoardError::Unauthorized)?;
    let (plenary, tables) = state.boards.workshop_boards(&BoardId::from(id.as_str()), token).await?;
    let parts: Vec<String> = std::iter::once(&plenary).chain(&tables).map(markdown).collect();
    let disposition = format!("attachment; filename=\"idetavle-workshop-{}.md\"", plenary.id);
    Ok((
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        parts.join("\n---\n\n"),
    ))
}
