//! The JSON API: articles, jobs, voices and feeds. Audio lives in `crate::audio`.

pub mod articles;
pub mod feeds;
pub mod views;

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiPath;
use crate::state::{AppState, VoiceInfo};
use views::JobView;

/// A narration job and its state.
#[utoipa::path(get, path = "/api/jobs/{id}", tag = "jobs",
    params(("id" = i64, Path, description = "Job id")),
    responses((status = 200, body = JobView), (status = 404, body = ErrorBody)))]
pub async fn job(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<JobView>, ApiError> {
    let job = state
        .store
        .job(id)
        .await?
        .ok_or_else(|| ApiError::not_found("job_not_found", format!("no job {id}")))?;
    Ok(axum::Json(JobView::build(&job)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VoiceList {
    /// The voice every article is narrated in first.
    pub default: String,
    pub voices: Vec<VoiceInfo>,
}

/// The voices this server narrates with, each with its measured words per minute.
#[utoipa::path(get, path = "/api/voices", tag = "voices", responses((status = 200, body = VoiceList)))]
pub async fn voices(State(state): State<AppState>) -> axum::Json<VoiceList> {
    let mut voices = state.voices.list.clone();
    for voice in &mut voices {
        if voice.wpm.is_none() {
            voice.wpm = lector_speech::voice::stored_wpm(&voice.id);
        }
    }
    axum::Json(VoiceList { default: state.voices.default.clone(), voices })
}
