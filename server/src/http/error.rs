//! The HTTP API's errors: a status, a stable code and a readable message, sent as
//! `{"error": "<code>", "message": "<readable>"}`.

use crate::boards::BoardError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use idetavle_core::board::OpErrorCode;

/// Every code the HTTP API answers with (`as_str` is its wire name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorCode {
    NotFound,
    Unauthorized,
    Internal,
    Unavailable,
    Malformed,
    UnsupportedExport,
    InvalidDate,
    TooManyGuesses,
    ForbiddenOrigin,
    TooManyConnections,
    BoardFull,
    Catalogue,
    /// A title or imported board the model refused, by the model's code (`title_too_long`).
    Invalid(OpErrorCode),
}

impl ApiErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiErrorCode::NotFound => "not_found",
            ApiErrorCode::Unauthorized => "unauthorized",
            ApiErrorCode::Internal => "internal",
            ApiErrorCode::Unavailable => "unavailable",
            ApiErrorCode::Malformed => "malformed",
            ApiErrorCode::UnsupportedExport => "unsupported_export",
            ApiErrorCode::InvalidDate => "invalid_date",
            ApiErrorCode::TooManyGuesses => "too_many_guesses",
            ApiErrorCode::ForbiddenOrigin => "forbidden_origin",
            ApiErrorCode::TooManyConnections => "too_many_connections",
            ApiErrorCode::BoardFull => "board_full",
            ApiErrorCode::Catalogue => "catalogue",
            ApiErrorCode::Invalid(code) => code.as_str(),
        }
    }
}

/// An API error: status, stable code, readable message.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ApiErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ApiErrorCode, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into() }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, ApiErrorCode::NotFound, "no such board")
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ApiErrorCode::Unauthorized, "a valid facilitator token is required")
    }

    /// A failure the client cannot fix: logged here, answered without details.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ApiErrorCode::Internal,
            "the server could not complete the request",
        )
    }
}

impl From<BoardError> for ApiError {
    fn from(e: BoardError) -> Self {
        use crate::store::StoreError;
        let (status, code) = match &e {
            BoardError::NotFound => return ApiError::not_found(),
            BoardError::Unauthorized => return ApiError::unauthorized(),
            BoardError::Invalid(op) => (StatusCode::BAD_REQUEST, ApiErrorCode::Invalid(op.code())),
            BoardError::NotAnExport(_) => (StatusCode::BAD_REQUEST, ApiErrorCode::Malformed),
            BoardError::UnsupportedExport => (StatusCode::BAD_REQUEST, ApiErrorCode::UnsupportedExport),
            BoardError::InvalidDate => (StatusCode::BAD_REQUEST, ApiErrorCode::InvalidDate),
            BoardError::TooManyGuesses => (StatusCode::TOO_MANY_REQUESTS, ApiErrorCode::TooManyGuesses),
            // The board's storage failed a moment ago: clients retry with their back-off.
            BoardError::Restarting | BoardError::Store(StoreError::Failing { .. }) => {
                return ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ApiErrorCode::Unavailable,
                    "storage failed; retry later",
                )
            }
            BoardError::NoFreeJoinCode | BoardError::Store(_) => return ApiError::internal(e),
        };
        ApiError::new(status, code, e.to_string())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.code.as_str(), "message": self.message });
        (self.status, Json(body)).into_response()
    }
}
