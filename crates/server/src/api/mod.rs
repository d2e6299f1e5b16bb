//! The JSON API under `/api/`: articles, their audio and comments, jobs, voices, feeds,
//! webhooks, listening analytics, the pronunciation lexicon and kept images; the voices are here. Nothing here imports `crate::site`.

pub mod analytics;
pub mod articles;
pub mod audio;
pub mod comments;
pub mod feeds;
pub mod images;
pub mod jobs;
pub mod lexicon;
pub mod library;
pub mod views;
pub mod webhooks;

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use lector_core::VoiceInfo;

use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct VoiceList {
    /// The voice every article is narrated in first.
    pub default: String,
    pub voices: Vec<VoiceView>,
}

/// A voice as the API lists it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VoiceView {
    pub id: String,
    pub name: String,
    pub language: String,
    pub gender: String,
    pub engine: String,
    pub quality: String,
    pub sample_rate: u32,
    /// Words per minute at 1×, measured once per voice; null until measured.
    pub wpm: Option<f64>,
}

impl VoiceView {
    fn build(voice: &VoiceInfo) -> VoiceView {
        VoiceView {
            id: voice.id.clone(),
            name: voice.name.clone(),
            language: voice.language.clone(),
            gender: voice.gender.clone(),
            engine: voice.engine.clone(),
            quality: voice.quality.clone(),
            sample_rate: voice.sample_rate,
            wpm: voice.wpm.or_else(|| lector_speech::voice::stored_wpm(&voice.id)),
        }
    }
}

/// The voices this server narrates with, each with its measured words per minute.
#[utoipa::path(get, path = "/api/voices", tag = "voices", responses((status = 200, body = VoiceList)))]
pub async fn voices(State(state): State<AppState>) -> axum::Json<VoiceList> {
    let voices = state.voices.list.iter().map(VoiceView::build).collect();
    axum::Json(VoiceList { default: state.voices.default.clone(), voices })
}
