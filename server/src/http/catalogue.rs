//! The idékatalog over plain HTTP, for integrations and downloads:
//! `GET /api/catalogue` (JSON, with the page's search parameters) and
//! `GET /api/catalogue/export.{json,md,csv}`. Public without a token; with the editor token
//! (`Authorization: Bearer …`) the JSON and Markdown include volunteers' contact data.
//! Edits go through the catalogue's server functions (see docs/PROTOCOL.md).

use super::{ApiError, ApiErrorCode};
use crate::auth::bearer_token;
use crate::export::catalogue::{csv, markdown, CatalogueExport};
use crate::state::AppState;
use axum::extract::{Query as UrlQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use idetavle_core::catalogue::search::Query;
use idetavle_core::catalogue::{CatalogueError, Entry, Viewer};
use std::collections::HashMap;

async fn visible_entries(state: &AppState, headers: &HeaderMap) -> Result<(Viewer, Vec<Entry>), ApiError> {
    let viewer = state.catalogue.viewer(bearer_token(headers.get(header::AUTHORIZATION)));
    let entries = state.catalogue.entries(viewer).await.map_err(catalogue_error)?;
    Ok((viewer, entries))
}

pub fn catalogue_error(e: CatalogueError) -> ApiError {
    let status = match e {
        CatalogueError::NotFound | CatalogueError::UnknownSource => StatusCode::NOT_FOUND,
        CatalogueError::Unauthorized => StatusCode::UNAUTHORIZED,
        CatalogueError::Conflict => StatusCode::CONFLICT,
        CatalogueError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::new(status, ApiErrorCode::Catalogue, e.to_string())
}

/// `GET /api/catalogue?q=…&status=…&skill=…&board=…&from=…&to=…&sort=…`
pub async fn search(
    State(state): State<AppState>,
    UrlQuery(params): UrlQuery<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<CatalogueExport>, ApiError> {
    let (viewer, entries) = visible_entries(&state, &headers).await?;
    let query = Query::from_params(|k| params.get(k).cloned());
    let found = query.run(&entries).into_iter().cloned().collect();
    Ok(Json(CatalogueExport::new(viewer, found)))
}

/// `GET /api/catalogue/export.json`: every entry, versioned.
pub async fn json(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (viewer, entries) = visible_entries(&state, &headers).await?;
    let body = serde_json::to_string_pretty(&CatalogueExport::new(viewer, entries)).map_err(ApiError::internal)?;
    Ok(download(body, "application/json", "json"))
}

/// `GET /api/catalogue/export.md`
pub async fn md(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (_, entries) = visible_entries(&state, &headers).await?;
    Ok(download(markdown(&entries), "text/markdown; charset=utf-8", "md"))
}

/// `GET /api/catalogue/export.csv` (never contact data, whoever asks).
pub async fn csv_file(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (_, entries) = visible_entries(&state, &headers).await?;
    Ok(download(csv(&entries), "text/csv; charset=utf-8", "csv"))
}

fn download(body: String, content_type: &'static str, ext: &str) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"idekatalog.{ext}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
