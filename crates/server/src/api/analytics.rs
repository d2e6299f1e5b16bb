//! Listening analytics: `POST /api/listens` takes the player's anonymous beacons (no token, no
//! cookie read, no address kept; a request saying `DNT: 1` or `Sec-GPC: 1` is not counted),
//! and `GET /api/analytics` and `/api/analytics.csv` give the sums to staff.

// utoipa's `params(...)` expansion names the parameter types by path.
#![allow(unused_qualifications)]

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use lector_core::analytics::{self, Beacon, Summary};
use lector_core::now;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::auth::{ArticlesWrite, Authorized};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

/// Whether the browser asks not to be counted: Do Not Track or Global Privacy Control.
pub fn opted_out(headers: &HeaderMap) -> bool {
    ["dnt", "sec-gpc"].iter().any(|name| headers.get(*name).is_some_and(|v| v.as_bytes() == b"1"))
}

/// Count a listening beacon from the player: `{"type": "play", "article", "voice", "speed"}`,
/// `{"type": "reach", "article", "percent"}` or `{"type": "leave", "article", "listened_ms",
/// "sentence"}`. Nothing identifies the listener; `DNT: 1` or `Sec-GPC: 1` is not counted.
#[utoipa::path(post, path = "/api/listens", tag = "analytics",
    request_body(content = Object, description = "A beacon"),
    responses((status = 204, description = "Counted, or not counted as the browser asked"),
        (status = 400, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub async fn listen(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(beacon): ApiJson<Beacon>,
) -> Result<StatusCode, ApiError> {
    if !opted_out(&headers) {
        analytics::receive(&state, &beacon)?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PeriodParams {
    /// One article; all when absent.
    pub article: Option<i64>,
    /// First day, `YYYY-MM-DD` (UTC); 29 days before `to` when absent.
    pub from: Option<String>,
    /// Last day; today when absent.
    pub to: Option<String>,
}

/// The sums of a period, every day of it included.
pub async fn period(state: &AppState, params: &PeriodParams) -> Result<Summary, ApiError> {
    let to = params.to.clone().unwrap_or_else(|| analytics::day_of(now()));
    let from = match &params.from {
        Some(from) => from.clone(),
        None => analytics::first_of(&to, 30)?,
    };
    Ok(analytics::period(state.store.as_ref(), params.article, &from, &to).await?)
}

/// Plays, listen-through (25/50/75/100 %), time listened, voices and speeds chosen and where
/// listens ended, per day, for one article or all (a token that may write articles).
#[utoipa::path(get, path = "/api/analytics", tag = "analytics", params(PeriodParams),
    responses((status = 200, description = "The period's sums", body = Object), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn summary(
    State(state): State<AppState>,
    _staff: Authorized<ArticlesWrite>,
    ApiQuery(params): ApiQuery<PeriodParams>,
) -> Result<Response, ApiError> {
    let summary = period(&state, &params).await?;
    Ok(([(CACHE_CONTROL, "no-store")], axum::Json(summary)).into_response())
}

/// The same per day, as CSV.
#[utoipa::path(get, path = "/api/analytics.csv", tag = "analytics", params(PeriodParams),
    responses((status = 200, description = "One row per day", content_type = "text/csv"), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn csv(
    State(state): State<AppState>,
    _staff: Authorized<ArticlesWrite>,
    ApiQuery(params): ApiQuery<PeriodParams>,
) -> Result<Response, ApiError> {
    let summary = period(&state, &params).await?;
    let mut text = String::from(
        "day,plays,reached_25,reached_50,reached_75,reached_100,listened_ms,leaves,average_listened_ms\r\n",
    );
    for day in &summary.days {
        let [q1, q2, q3, q4] = day.reached;
        text.push_str(&format!(
            "{},{},{q1},{q2},{q3},{q4},{},{},{}\r\n",
            day.day, day.plays, day.listened_ms, day.leaves, day.average_listened_ms
        ));
    }
    Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8"), (CACHE_CONTROL, "no-store")], text).into_response())
}
