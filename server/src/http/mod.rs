//! HTTP handlers besides pages: the JSON API, plain-form fallbacks and the websocket upgrade.
//! Every API error is JSON: `{"error": "<code>", "message": "<readable>"}`.

pub mod boards;
pub mod catalogue;
pub mod deletion;
mod error;
pub mod export;
pub mod socket;

pub use error::{ApiError, ApiErrorCode};

pub async fn health() -> &'static str {
    "ok"
}

/// Counts for an operator's monitoring, in Prometheus' text format: boards held in memory and
/// open board connections. Nothing about any board's content.
pub async fn metrics(axum::extract::State(state): axum::extract::State<crate::state::AppState>) -> String {
    let hubs = state.hubs.running().await;
    let connections = state.limits.open_connections();
    format!(
        "# HELP idetavle_boards_loaded Boards held in memory (each with its hub).\n\
         # TYPE idetavle_boards_loaded gauge\n\
         idetavle_boards_loaded {hubs}\n\
         # HELP idetavle_connections Open board connections.\n\
         # TYPE idetavle_connections gauge\n\
         idetavle_connections {connections}\n"
    )
}
