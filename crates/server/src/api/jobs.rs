//! The job queue in the API: one job, the jobs in a state (the failed ones are the dead
//! letters) and a retry of a failed job.

// utoipa's `params(...)` expansion names the parameter types by path.
#![allow(unused_qualifications)]

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use lector_core::now;
use lector_store::{Job, JobState};

use crate::api::views::JobView;
use crate::http::auth::{Admin, Authorized};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

/// A job and its state.
#[utoipa::path(get, path = "/api/jobs/{id}", tag = "jobs",
    params(("id" = i64, Path, description = "Job id")),
    responses((status = 200, body = JobView), (status = 404, body = ErrorBody)))]
pub async fn job(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<JobView>, ApiError> {
    Ok(axum::Json(JobView::build(&find(&state, id).await?)))
}

/// Which jobs to list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct JobQuery {
    /// `queued`, `running`, `done` or `failed` (the dead letters: jobs that ran out of tries).
    pub state: String,
    /// At most this many, the most recently changed first (1 to 200; default 50).
    pub limit: Option<u32>,
}

/// A list of jobs.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobList {
    pub jobs: Vec<JobView>,
}

/// Jobs in one state, the most recently changed first: `?state=failed` lists the dead letters,
/// with the error that ended each.
#[utoipa::path(get, path = "/api/jobs", tag = "jobs", params(JobQuery),
    responses((status = 200, body = JobList), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<JobQuery>,
) -> Result<axum::Json<JobList>, ApiError> {
    let wanted = JobState::parse(&query.state).ok_or_else(|| {
        ApiError::bad_request("invalid_state", "state is one of queued, running, done and failed")
    })?;
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let jobs = state.store.jobs_in_state(wanted, limit).await?;
    Ok(axum::Json(JobList { jobs: jobs.iter().map(JobView::build).collect() }))
}

/// Queues a failed job again, its tries counted afresh (a token is needed).
#[utoipa::path(post, path = "/api/jobs/{id}/retry", tag = "jobs",
    params(("id" = i64, Path, description = "Job id")),
    security(("token" = [])),
    responses((status = 200, body = JobView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry(
    State(state): State<AppState>,
    _writer: Authorized<Admin>,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<JobView>, ApiError> {
    let job = find(&state, id).await?;
    if !state.store.retry_job(id, now()).await? {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "job_not_failed",
            format!("job {id} is {}: only a failed job is queued again", job.state.as_str()),
        ));
    }
    state.jobs_waiting.notify_waiters();
    Ok(axum::Json(JobView::build(&find(&state, id).await?)))
}

async fn find(state: &AppState, id: i64) -> Result<Job, ApiError> {
    state.store.job(id).await?.ok_or_else(|| ApiError::not_found("job_not_found", format!("no job {id}")))
}
