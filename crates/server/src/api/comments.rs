//! Reader comments in the JSON API: posting (the rules are the core's: a per-client rate
//! limit that holds across nodes, a honeypot field, duplicate and link limits, replies one
//! level deep), lists newest or oldest first, and moderation with a token (hide, restore,
//! delete; pending comments under pre-moderation).

// utoipa's `params(...)` expansion names the parameter types by path.
#![allow(unused_qualifications)]

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lector_core::comments::{self, Draft};
use lector_store::CommentQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::auth::{Asking, Authorized, Moderate};
use crate::http::client::ClientAddress;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use crate::views::CommentView;

/// A new comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    pub name: String,
    pub body: String,
    /// The comment this one answers (replies are one level deep).
    pub parent_id: Option<i64>,
    /// Left empty by people; forms hide it. A filled one marks a robot.
    #[serde(default)]
    pub website: Option<String>,
}

/// Post a comment (no token needed; rate-limited per client).
#[utoipa::path(post, path = "/api/articles/{id}/comments", tag = "comments",
    params(("id" = i64, Path, description = "Article id")),
    request_body = CommentRequest,
    responses((status = 201, body = CommentView), (status = 202, description = "Received"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    client: ClientAddress,
    ApiJson(request): ApiJson<CommentRequest>,
) -> Result<Response, ApiError> {
    let draft = Draft {
        name: request.name,
        body: request.body,
        parent_id: request.parent_id,
        website: request.website,
    };
    match comments::post(&state, id, draft, &client.key()).await? {
        Some(comment) => Ok((StatusCode::CREATED, axum::Json(CommentView::build(&comment))).into_response()),
        None => {
            Ok((StatusCode::ACCEPTED, axum::Json(serde_json::json!({"state": "received"}))).into_response())
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// `newest` (default) or `oldest`.
    pub order: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<CommentView>,
    /// Visible top-level comments.
    pub total: i64,
    /// Visible comments and replies, as the badge counts them.
    pub count: i64,
    pub page: u32,
    pub per_page: u32,
    pub next: Option<String>,
}

/// An article's visible comments with their replies.
#[utoipa::path(get, path = "/api/articles/{id}/comments", tag = "comments",
    params(("id" = i64, Path, description = "Article id"), ListParams),
    responses((status = 200, body = CommentList), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<ListParams>,
    Asking(viewer): Asking,
) -> Result<axum::Json<CommentList>, ApiError> {
    lector_core::articles::find_for(&state, id, viewer).await?;
    let newest_first = match params.order.as_deref().unwrap_or("newest") {
        "newest" => true,
        "oldest" => false,
        other => {
            return Err(ApiError::bad_request(
                "invalid_order",
                format!("order is newest or oldest, not {other:?}"),
            ));
        }
    };
    let (page, per_page) = (params.page.unwrap_or(1), params.per_page.unwrap_or(50));
    if page == 0 || page > 100_000 || per_page == 0 || per_page > 100 {
        return Err(ApiError::bad_request("invalid_page", "page from 1, per_page from 1 to 100"));
    }
    let query = CommentQuery { newest_first, limit: per_page, offset: (page - 1) * per_page };
    let found = state.store.comments(id, &query).await?;
    let order = if newest_first { "newest" } else { "oldest" };
    let next = (i64::from(page) * i64::from(per_page) < found.total)
        .then(|| format!("/api/articles/{id}/comments?order={order}&page={}&per_page={per_page}", page + 1));
    Ok(axum::Json(CommentList {
        items: found.items.iter().map(CommentView::build).collect(),
        total: found.total,
        count: state.store.comment_count(id).await?,
        page,
        per_page,
        next,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ModerationParams {
    /// `pending` (default) or `hidden`.
    pub state: Option<String>,
}

/// Comments waiting for a moderator, or hidden ones.
#[utoipa::path(get, path = "/api/comments", tag = "comments", params(ModerationParams),
    responses((status = 200, body = Vec<CommentView>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn moderation(
    State(state): State<AppState>,
    _writer: Authorized<Moderate>,
    ApiQuery(params): ApiQuery<ModerationParams>,
) -> Result<axum::Json<Vec<CommentView>>, ApiError> {
    let wanted = params.state.unwrap_or_else(|| "pending".into());
    if !matches!(wanted.as_str(), "pending" | "hidden") {
        return Err(ApiError::bad_request("invalid_state", "state is pending or hidden"));
    }
    let comments = state.store.comments_in_state(&wanted, 200).await?;
    Ok(axum::Json(comments.iter().map(CommentView::build).collect()))
}

/// Hide a comment (it stays stored and can be restored).
#[utoipa::path(post, path = "/api/comments/{id}/hide", tag = "comments",
    params(("id" = i64, Path, description = "Comment id")),
    responses((status = 204, description = "Hidden"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn hide(
    State(state): State<AppState>,
    _writer: Authorized<Moderate>,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    comments::set_state(&state, id, "hidden").await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Show a hidden or pending comment.
#[utoipa::path(post, path = "/api/comments/{id}/restore", tag = "comments",
    params(("id" = i64, Path, description = "Comment id")),
    responses((status = 204, description = "Visible"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn restore(
    State(state): State<AppState>,
    _writer: Authorized<Moderate>,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    comments::set_state(&state, id, "visible").await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete a comment and its replies.
#[utoipa::path(delete, path = "/api/comments/{id}", tag = "comments",
    params(("id" = i64, Path, description = "Comment id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    _writer: Authorized<Moderate>,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    comments::delete(&state, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
