//! `GET`/`POST /api/lexicon` and `DELETE /api/lexicon/{id}`: the site's pronunciation lexicon
//! (a token that may write articles). A change re-narrates the articles whose spoken text it
//! changes, only their changed sentences synthesized again.

use axum::extract::State;
use axum::http::StatusCode;
use lector_core::lexicon;
use lector_store::{LexiconEntry, NewLexiconEntry};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::auth::{ArticlesWrite, Authorized};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::AppState;

/// What a change of the lexicon did.
#[derive(Debug, Serialize, ToSchema)]
pub struct LexiconChange {
    /// The entry as stored (absent when one was removed).
    #[schema(value_type = Object)]
    pub entry: Option<LexiconEntry>,
    /// How many articles' narrations are made again.
    pub renarrated: usize,
}

/// The lexicon's entries, by written form.
#[utoipa::path(get, path = "/api/lexicon", tag = "lexicon",
    responses((status = 200, description = "The entries", body = Vec<Object>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    _staff: Authorized<ArticlesWrite>,
) -> Result<axum::Json<Vec<LexiconEntry>>, ApiError> {
    Ok(axum::Json(state.store.lexicon_entries().await?))
}

/// Add an entry (`{"text", "regex"?, "say" | "ipa", "case_sensitive"?, "example"?}`), or
/// replace the one with the same written form.
#[utoipa::path(post, path = "/api/lexicon", tag = "lexicon", request_body(content = Object),
    responses((status = 201, body = LexiconChange), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add(
    State(state): State<AppState>,
    _staff: Authorized<ArticlesWrite>,
    ApiJson(entry): ApiJson<NewLexiconEntry>,
) -> Result<(StatusCode, axum::Json<LexiconChange>), ApiError> {
    let changed = lexicon::save(&state, entry).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(LexiconChange { entry: changed.entry, renarrated: changed.renarrated }),
    ))
}

/// Remove an entry.
#[utoipa::path(delete, path = "/api/lexicon/{id}", tag = "lexicon",
    params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, body = LexiconChange), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove(
    State(state): State<AppState>,
    _staff: Authorized<ArticlesWrite>,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<LexiconChange>, ApiError> {
    let changed = lexicon::remove(&state, id).await?;
    Ok(axum::Json(LexiconChange { entry: None, renarrated: changed.renarrated }))
}
