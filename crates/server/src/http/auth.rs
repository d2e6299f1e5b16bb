//! The bearer token of write requests: a handler that writes takes an [`Authorized`] of the
//! scope it needs ([`ArticlesWrite`], [`Moderate`], [`Admin`]), which only a request with a
//! live token holding that scope (or `admin`) yields.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use lector_core::accounts::grant_allows;
use lector_core::tokens::{Scope, grant_of};

use lector_core::Code;

use crate::http::error::ApiError;
use crate::state::AppState;

/// A scope a handler needs.
pub trait Needs: Send + Sync {
    const SCOPE: Scope;
}

/// Writing articles: `articles:write`.
#[derive(Debug, Clone, Copy)]
pub struct ArticlesWrite;
impl Needs for ArticlesWrite {
    const SCOPE: Scope = Scope::ArticlesWrite;
}

/// Moderating comments: `comments:moderate`.
#[derive(Debug, Clone, Copy)]
pub struct Moderate;
impl Needs for Moderate {
    const SCOPE: Scope = Scope::CommentsModerate;
}

/// Feeds and the job queue: `admin`.
#[derive(Debug, Clone, Copy)]
pub struct Admin;
impl Needs for Admin {
    const SCOPE: Scope = Scope::Admin;
}

/// Proof that the request carries a live token that may do what `S` names.
#[derive(Debug, Clone, Copy)]
pub struct Authorized<S>(PhantomData<S>);

impl<S: Needs> FromRequestParts<AppState> for Authorized<S> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        let Some(token) = header.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty()) else {
            return Err(ApiError::unauthorized());
        };
        match grant_of(state, token).await? {
            None => Err(ApiError::unauthorized()),
            Some(grant) if grant_allows(&grant, S::SCOPE) => Ok(Authorized(PhantomData)),
            Some(_) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                Code::InsufficientScope.as_str(),
                format!("this token may not do this: it needs the scope {}", S::SCOPE.as_str()),
            )),
        }
    }
}
