//! Reader comments: posting (with a per-client rate limit kept in the store, so that it holds
//! across nodes; a honeypot field; duplicate and link limits), replies one level deep, lists
//! newest or oldest first, and moderation (post- or pre-moderation; hide, restore, delete
//! with a token). Text is plain: links are
//! made clickable with `rel="nofollow ugc"`, everything else is escaped.

// utoipa's `params(...)` expansion names the parameter types by path.
#![allow(unused_qualifications)]

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lector_store::{Comment, CommentQuery, NewComment};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::views::rfc3339;
use crate::auth::Writer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pages::body::escape;
use crate::state::{AppState, now};

/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// Plain text as HTML: escaped, paragraphs at blank lines, line breaks kept, and web
/// addresses made into links that search engines do not follow.
pub fn text_html(text: &str) -> String {
    let mut html = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        html.push_str("<p>");
        for (n, line) in paragraph.lines().enumerate() {
            if n > 0 {
                html.push_str("<br>");
            }
            html.push_str(&autolink(line));
        }
        html.push_str("</p>");
    }
    html
}

fn autolink(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = find_link(rest) {
        out.push_str(&escape(&rest[..start]));
        let tail = &rest[start..];
        let mut end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ':', '!', '?', ')', '"', '\'']) {
            end -= 1;
        }
        let link = &tail[..end];
        let href = if link.starts_with("www.") { format!("https://{link}") } else { link.to_string() };
        out.push_str(&format!(
            "<a href=\"{}\" rel=\"nofollow ugc noopener\">{}</a>",
            escape(&href),
            escape(link)
        ));
        rest = &tail[end..];
    }
    out.push_str(&escape(rest));
    out
}

fn find_link(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    ["https://", "http://", "www."]
        .iter()
        .filter_map(|prefix| {
            lower
                .match_indices(prefix)
                .map(|(i, _)| i)
                .find(|&i| i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric())
        })
        .min()
}

/// How many web addresses a text holds.
pub fn link_count(text: &str) -> usize {
    let mut count = 0;
    let mut rest = text;
    while let Some(at) = find_link(rest) {
        count += 1;
        let tail = &rest[at..];
        rest = &tail[tail.find(char::is_whitespace).unwrap_or(tail.len())..];
    }
    count
}

/// A comment as readers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    /// The text as HTML (escaped, links with rel="nofollow ugc").
    pub body_html: String,
    /// `visible`, `pending` or `hidden`.
    pub state: String,
    pub created_at: String,
    /// Replies, one level deep: comments of this same shape without replies.
    #[schema(value_type = Vec<Object>)]
    pub replies: Vec<CommentView>,
}

impl CommentView {
    pub fn build(comment: &Comment) -> CommentView {
        CommentView {
            id: comment.id,
            parent_id: comment.parent_id,
            name: comment.name.clone(),
            body_html: crate::pages::sanitize(&text_html(&comment.body)),
            state: comment.state.clone(),
            created_at: rfc3339(comment.created_at),
            replies: comment.replies.iter().map(CommentView::build).collect(),
        }
    }
}

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

/// The address a request came from (absent when the app runs without a socket, in tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<SocketAddr>);

impl ClientAddress {
    /// The rate limit's key for this client.
    pub fn key(&self) -> String {
        self.0.map_or_else(|| "local".to_string(), |a| a.ip().to_string())
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)))
    }
}

/// Checks and stores a comment; shared by the API and the page's form.
pub async fn post(
    state: &AppState,
    article: i64,
    request: CommentRequest,
    client: &str,
) -> Result<Option<Comment>, ApiError> {
    crate::api::articles::find(state, article).await?;
    // A robot filled the hidden field: it is told nothing, and nothing is kept.
    if request.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        return Ok(None);
    }
    let config = &state.config.comments;
    let name = request.name.trim().to_string();
    let body = request.body.trim().replace("\r\n", "\n");
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::unprocessable(
            "invalid_name",
            format!("a name of 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    if body.is_empty() || body.chars().count() > config.max_chars {
        return Err(ApiError::unprocessable(
            "invalid_body",
            format!("a comment of 1 to {} characters", config.max_chars),
        ));
    }
    if link_count(&body) > config.max_links {
        return Err(ApiError::unprocessable(
            "too_many_links",
            format!("at most {} links in a comment", config.max_links),
        ));
    }
    if let Some(parent) = request.parent_id {
        let parent = state
            .store
            .comment(parent)
            .await?
            .filter(|p| p.article_id == article && p.state == "visible")
            .ok_or_else(|| ApiError::not_found("comment_not_found", format!("no comment {parent} here")))?;
        if parent.parent_id.is_some() {
            return Err(ApiError::unprocessable(
                "reply_too_deep",
                "replies are one level deep: answer the first comment",
            ));
        }
    }
    // The limit holds across nodes: the store counts the client's comments of the last minute.
    let now = now();
    let key = format!("comment:{client}");
    if let Some(oldest) = state.store.record_hit(&key, config.per_minute, now - 60, now).await? {
        let mut error =
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many comments: wait a little");
        error.retry_after = Some(u64::try_from(oldest + 60 - now).unwrap_or(1).clamp(1, 60));
        return Err(error);
    }
    if state.store.comment_exists_since(article, &name, &body, now - config.duplicate_window_secs).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "duplicate_comment",
            "this comment was posted already",
        ));
    }
    let status = if config.moderation == "pre" { "pending" } else { "visible" };
    let new =
        NewComment { article_id: article, parent_id: request.parent_id, name, body, state: status.into() };
    let id = state.store.add_comment(&new, now).await?;
    Ok(state.store.comment(id).await?)
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
    match post(&state, id, request, &client.key()).await? {
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
) -> Result<axum::Json<CommentList>, ApiError> {
    crate::api::articles::find(&state, id).await?;
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
    _writer: Writer,
    ApiQuery(params): ApiQuery<ModerationParams>,
) -> Result<axum::Json<Vec<CommentView>>, ApiError> {
    let wanted = params.state.unwrap_or_else(|| "pending".into());
    if !matches!(wanted.as_str(), "pending" | "hidden") {
        return Err(ApiError::bad_request("invalid_state", "state is pending or hidden"));
    }
    let comments = state.store.comments_in_state(&wanted, 200).await?;
    Ok(axum::Json(comments.iter().map(CommentView::build).collect()))
}

async fn set_state(state: &AppState, id: i64, to: &str) -> Result<StatusCode, ApiError> {
    if state.store.set_comment_state(id, to).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("comment_not_found", format!("no comment {id}")))
    }
}

/// Hide a comment (it stays stored and can be restored).
#[utoipa::path(post, path = "/api/comments/{id}/hide", tag = "comments",
    params(("id" = i64, Path, description = "Comment id")),
    responses((status = 204, description = "Hidden"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn hide(
    State(state): State<AppState>,
    _writer: Writer,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    set_state(&state, id, "hidden").await
}

/// Show a hidden or pending comment.
#[utoipa::path(post, path = "/api/comments/{id}/restore", tag = "comments",
    params(("id" = i64, Path, description = "Comment id")),
    responses((status = 204, description = "Visible"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn restore(
    State(state): State<AppState>,
    _writer: Writer,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    set_state(&state, id, "visible").await
}

/// Delete a comment and its replies.
#[utoipa::path(delete, path = "/api/comments/{id}", tag = "comments",
    params(("id" = i64, Path, description = "Comment id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    _writer: Writer,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    if state.store.delete_comment(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("comment_not_found", format!("no comment {id}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_links_are_nofollow() {
        assert_eq!(
            text_html("See https://example.com/a?b=1&c=2. <b>Bold</b>\nNext line\n\nwww.example.org!"),
            "<p>See <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">https://example.com/a?b=1&amp;c=2</a>. \
             &lt;b&gt;Bold&lt;/b&gt;<br>Next line</p><p><a href=\"https://www.example.org\" rel=\"nofollow ugc noopener\">www.example.org</a>!</p>"
        );
        assert_eq!(text_html("javascript:alert(1)"), "<p>javascript:alert(1)</p>");
        assert_eq!(link_count("a http://x.example b https://y.example www.z.example nothttp://q"), 3);
    }
}
