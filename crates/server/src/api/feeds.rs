//! `POST /api/feeds` and friends: feeds to poll.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::views::rfc3339;
use crate::auth::Writer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::feeds::{self, FeedError};
use crate::state::{AppState, now};

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
    _writer: Writer,
    ApiJson(request): ApiJson<FeedRequest>,
) -> Result<(StatusCode, axum::Json<FeedView>), ApiError> {
    let config = &state.config.feeds;
    let interval = request.interval.unwrap_or(config.default_interval_secs);
    if interval < config.min_interval_secs || interval > 7 * 24 * 3600 {
        return Err(ApiError::unprocessable(
            "invalid_interval",
            format!("interval is {} to 604800 seconds", config.min_interval_secs),
        ));
    }
    match feeds::fetch(&state, &request.url).await {
        Ok(_) => {}
        Err(FeedError::Fetch(e)) => return Err(crate::api::articles::fetch_error(e)),
        Err(e @ FeedError::Invalid(_)) => return Err(ApiError::unprocessable("invalid_feed", e.to_string())),
    }
    let feed = state.store.save_feed(&request.url, interval as i64, now()).await?;
    // The feed is due at once: its first poll starts now, in the background.
    let polled = state.clone();
    tokio::spawn(async move { feeds::poll_due(&polled).await });
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
    _writer: Writer,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    if state.store.delete_feed(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("feed_not_found", format!("no feed {id}")))
    }
}
