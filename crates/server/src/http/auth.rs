//! The bearer token of write requests: handlers that write take a [`Writer`], which only a
//! request with a live token yields.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::http::error::ApiError;
use crate::state::AppState;

/// Proof that the request carries a live token.
#[derive(Debug, Clone, Copy)]
pub struct Writer;

impl FromRequestParts<AppState> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Writer, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        let Some(token) = header.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty()) else {
            return Err(ApiError::unauthorized());
        };
        if lector_core::tokens::is_live(state, token).await? {
            Ok(Writer)
        } else {
            Err(ApiError::unauthorized())
        }
    }
}
