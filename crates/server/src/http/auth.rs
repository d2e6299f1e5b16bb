//! The bearer token of write requests: a handler that writes takes an [`Authorized`] of the
//! scope it needs ([`ArticlesWrite`], [`Moderate`], [`Admin`]), which only a request with a
//! live token holding that scope (or `admin`) yields. A read that may show unpublished
//! articles takes an [`Asking`]: staff (a token that may write articles, or the session of a
//! user who edits them) or a reader.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use lector_core::accounts::{self, Role, grant_allows};
use lector_core::articles::Viewer;
use lector_core::config::SiteMode;
use lector_core::tokens::{Scope, grant_of};

use lector_core::Code;

use crate::http::cookies::{SESSION_COOKIE, cookie};
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

/// The bearer token a request carries, if any.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    let header = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok())?;
    header.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty())
}

/// Proof that the request carries a live token that may do what `S` names.
#[derive(Debug, Clone, Copy)]
pub struct Authorized<S>(PhantomData<S>);

impl<S: Needs> FromRequestParts<AppState> for Authorized<S> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = bearer(&parts.headers) else {
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

/// The user a request comes from on a site in library mode: the live session's user, or the
/// user of a live token that may use their library. The library gate puts it in the
/// request's extensions before any handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedIn(pub i64);

/// The user behind the request's session cookie or bearer token, when it is live (a token
/// must hold the `library` scope, or `admin`, and belong to a user).
pub async fn signed_in(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Option<SignedIn>, ApiError> {
    if let Some(token) = bearer(headers) {
        return Ok(grant_of(state, token)
            .await?
            .filter(|grant| grant_allows(grant, Scope::Library))
            .and_then(|grant| grant.user)
            .map(SignedIn));
    }
    if let Some(secret) = cookie(headers, SESSION_COOKIE) {
        return Ok(accounts::session_user(state.store.as_ref(), &secret)
            .await?
            .map(|user| SignedIn(user.id)));
    }
    Ok(None)
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(user) = parts.extensions.get::<SignedIn>() {
            return Ok(*user);
        }
        signed_in(state, &parts.headers).await?.ok_or_else(ApiError::unauthorized)
    }
}

/// Who asks: on a site in library mode, [`Viewer::Member`] for a signed-in user (their own
/// library) and a reader who sees nothing otherwise; on a publication, [`Viewer::Staff`] for
/// a live token that may write articles or the live session of a user whose role edits them,
/// and [`Viewer::Reader`] otherwise (a wrong token on a read is only a reader, never an error).
#[derive(Debug, Clone, Copy)]
pub struct Asking(pub Viewer);

impl FromRequestParts<AppState> for Asking {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state.config.site.mode == SiteMode::Library {
            let user = match parts.extensions.get::<SignedIn>() {
                Some(user) => Some(*user),
                None => signed_in(state, &parts.headers).await?,
            };
            return Ok(Asking(user.map_or(Viewer::Reader, |SignedIn(id)| Viewer::Member(id))));
        }
        if let Some(token) = bearer(&parts.headers)
            && grant_of(state, token).await?.is_some_and(|grant| grant_allows(&grant, Scope::ArticlesWrite))
        {
            return Ok(Asking(Viewer::Staff));
        }
        if let Some(secret) = cookie(&parts.headers, SESSION_COOKIE)
            && accounts::session_user(state.store.as_ref(), &secret)
                .await?
                .and_then(|user| Role::parse(&user.role))
                .is_some_and(|role| role.may(Scope::ArticlesWrite))
        {
            return Ok(Asking(Viewer::Staff));
        }
        Ok(Asking(Viewer::Reader))
    }
}
