//! `POST /api/feeds` and friends: feeds to poll.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use lector_core::feeds;

use crate::http::auth::{Admin, Authorized};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::views::rfc3339;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedRequest {
    /// RSS or Atom feed address.
    pub url: String,
    /// Seconds between polls (default 900; at least `feeds.min_interval_secs`).
    pub interval: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedView {
    pub id: i64,
    pub url: String,
    pub interval: i64,
    pub next_poll_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
}

impl FeedView {
    fn build(feed: &lector_store::Feed) -> FeedView {
        FeedView {
            id: feed.id,
            url: feed.url.clone(),
            interval: feed.interval_secs,
            next_poll_at: rfc3339(feed.next_poll_at),
            last_error: feed.last_error.clone(),
            created_at: rfc3339(feed.created_at),
        }
    }
}

/// Add a feed (checked first: it must fetch and parse), or change a known feed's interval.
#[utoipa::path(post, path = "/api/feeds", tag = "feeds", request_body = FeedRequest,
    responses((status = 201, body = FeedView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add(
    State(state): State<AppState>,
    _writer: Authorized<Admin>,
    ApiJson(request): ApiJson<FeedRequest>,
) -> Result<(StatusCode, axum::Json<FeedView>), ApiError> {
    let feed = feeds::add(&state, &request.url, request.interval).await?;
    Ok((StatusCode::CREATED, axum::Json(FeedView::build(&feed))))
}

/// The feeds being polled.
#[utoipa::path(get, path = "/api/feeds", tag = "feeds", responses((status = 200, body = Vec<FeedView>)))]
pub async fn list(State(state): State<AppState>) -> Result<axum::Json<Vec<FeedView>>, ApiError> {
    Ok(axum::Json(state.store.feeds().await?.iter().map(FeedView::build).collect()))
}

/// Stop polling a feed (its articles stay).
#[utoipa::path(delete, path = "/api/feeds/{id}", tag = "feeds",
    params(("id" = i64, Path, description = "Feed id")),
    responses((status = 204, description = "Removed"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    _writer: Authorized<Admin>,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    feeds::remove(&state, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
