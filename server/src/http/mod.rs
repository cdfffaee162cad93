//! HTTP handlers besides pages: the JSON API, plain-form fallbacks and the websocket upgrade.
//! Every API error is JSON: `{"error": "<code>", "message": "<readable>"}`.

pub mod boards;
pub mod catalogue;
pub mod deletion;
mod error;
pub mod export;
pub mod socket;
pub mod workshops;

pub use error::{ApiError, ApiErrorCode};

/// `/healthz`: ready (200) only while the store answers within 2 s, so a load balancer or an
/// orchestrator sends no one to an instance that could not commit their notes.
pub async fn health(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
) -> (axum::http::StatusCode, &'static str) {
    let ready = tokio::time::timeout(std::time::Duration::from_secs(2), state.hubs.store().ready()).await;
    match ready {
        Ok(Ok(())) => (axum::http::StatusCode::OK, "ok"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: the store does not answer");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, "the store does not answer")
        }
        Err(_) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, "the store does not answer in time"),
    }
}

/// `/metrics`: counts for an operator's monitoring ([`crate::metrics`]).
pub async fn metrics(axum::extract::State(state): axum::extract::State<crate::state::AppState>) -> String {
    let hubs = state.hubs.running().await;
    state.hubs.metrics().encode(hubs, state.limits.open_connections())
}
