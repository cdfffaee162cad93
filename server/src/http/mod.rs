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
