//! The moderation page: what waits (pre-moderation) and what was hidden, with show, hide and
//! delete. A moderator signs in with an API token that may moderate comments, kept in an `HttpOnly`, `SameSite=Strict`
//! cookie scoped to `/moderation`; every form carries the anti-forgery token.

use axum::extract::{Form, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{PageError, SiteView, cookie, csrf_cookie, ensure_csrf, render, site};
use crate::http::cookies::{removed_cookie, strict_cookie};
use lector_core::now;
use lector_core::tokens::{Scope, allows, token_hash};

use crate::http::extract::ApiPath;
use crate::state::AppState;
use crate::views::CommentView;

const MODERATOR_COOKIE: &str = "lector_moderator";

fn moderator_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, MODERATOR_COOKIE)
}

/// Whether `token` is live and may moderate comments.
async fn moderates(state: &AppState, token: &str) -> Result<bool, PageError> {
    let scopes = state.store.check_token(&token_hash(token), now()).await?;
    Ok(scopes.is_some_and(|scopes| allows(&scopes, Scope::CommentsModerate)))
}

async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<bool, PageError> {
    match moderator_token(headers) {
        Some(token) => moderates(state, &token).await,
        None => Ok(false),
    }
}

#[derive(Debug, Serialize)]
struct Group {
    state: &'static str,
    title: &'static str,
    comments: Vec<ModeratedComment>,
}

#[derive(Debug, Serialize)]
struct ModeratedComment {
    id: i64,
    article_id: i64,
    name: String,
    body_html: String,
    created_at: String,
}

#[derive(Debug, Serialize)]
struct ModerationPage {
    site: SiteView,
    signed_in: bool,
    csrf: String,
    groups: Vec<Group>,
}

/// The moderation page, or its sign-in form.
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, PageError> {
    let (csrf, cookie) = ensure_csrf(&headers)?;
    let signed_in = signed_in(&state, &headers).await?;
    let mut groups = Vec::new();
    if signed_in {
        for (status, title) in [("pending", "Waiting"), ("hidden", "Hidden")] {
            let comments = state
                .store
                .comments_in_state(status, 200)
                .await?
                .iter()
                .map(|c| {
                    let view = CommentView::build(c);
                    ModeratedComment {
                        id: c.id,
                        article_id: c.article_id,
                        name: view.name,
                        body_html: view.body_html,
                        created_at: view.created_at,
                    }
                })
                .collect();
            groups.push(Group { state: status, title, comments });
        }
    }
    let mut response =
        render("moderation.html", ModerationPage { site: site(&state).await?, signed_in, csrf, groups })?;
    if let Some(cookie) = cookie {
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    csrf: String,
    token: String,
}

fn check_csrf(headers: &HeaderMap, field: &str) -> Result<(), PageError> {
    if csrf_cookie(headers).is_none_or(|token| token != field) {
        return Err(PageError::new(StatusCode::FORBIDDEN, "The form has expired. Please reload the page."));
    }
    Ok(())
}

fn back() -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, "/moderation")]).into_response()
}

/// Signs a moderator in with an API token.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    check_csrf(&headers, &form.csrf)?;
    let token = form.token.trim();
    if token.is_empty() || !moderates(&state, token).await? {
        return Err(PageError::new(StatusCode::FORBIDDEN, "That token is not a live moderator token."));
    }
    let mut response = back();
    if let Some(value) = strict_cookie(MODERATOR_COOKIE, token, "/moderation") {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Signs the moderator out.
pub async fn logout(headers: HeaderMap, Form(form): Form<CsrfForm>) -> Result<Response, PageError> {
    check_csrf(&headers, &form.csrf)?;
    let mut response = back();
    if let Some(value) = removed_cookie(MODERATOR_COOKIE, "/moderation") {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    csrf: String,
    action: String,
}

/// Shows, hides or deletes a comment.
pub async fn act(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    check_csrf(&headers, &form.csrf)?;
    if !signed_in(&state, &headers).await? {
        return Err(PageError::new(StatusCode::FORBIDDEN, "Please sign in as a moderator."));
    }
    let done = match form.action.as_str() {
        "restore" => state.store.set_comment_state(id, "visible").await?,
        "hide" => state.store.set_comment_state(id, "hidden").await?,
        "delete" => state.store.delete_comment(id).await?,
        _ => return Err(PageError::new(StatusCode::BAD_REQUEST, "Unknown action.")),
    };
    if !done {
        return Err(PageError::not_found());
    }
    Ok(back())
}
