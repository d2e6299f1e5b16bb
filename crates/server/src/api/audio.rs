//! Audio delivery: stored renditions with Range, ETag and Cache-Control; audio that is not
//! ready yet is streamed while it is synthesized (and stored for next time); timings as JSON
//! and WebVTT.

// utoipa's `params(...)` expansion names the parameter types by path.
#![allow(unused_qualifications)]

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{ACCEPT_RANGES, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lector_speech::Part;
use lector_store::{ArticleRecord, Rendition, RenditionKey};
use serde::{Deserialize, Serialize};
use tokio_stream::StreamExt as _;
use utoipa::{IntoParams, ToSchema};

use lector_core::articles::{Viewer, find_for};
use lector_core::{narration, now};

use crate::api::views::no_voice_message;
use crate::http::auth::Asking;
use crate::http::blob::serve_blob;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

/// Stored audio may be cached briefly; the ETag (the audio's digest) makes revalidation cheap.
const AUDIO_CACHE: &str = "public, max-age=300";
/// An unpublished article's audio is for the staff member who asked, never for a shared cache.
const UNPUBLISHED_CACHE: &str = "private, no-store";

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AudioParams {
    /// Voice id (see `/api/voices`); the voice for the article's language when absent.
    pub voice: Option<String>,
    /// `mp3` (default) or `opus`.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct VoiceParams {
    /// Voice id; the voice for the article's language when absent.
    pub voice: Option<String>,
}

/// The voice a request asks for, if it names one: an installed voice (or the site's default).
fn asked_voice(state: &AppState, requested: Option<String>) -> Result<Option<String>, ApiError> {
    match requested {
        Some(voice) if state.voices.get(&voice).is_none() && voice != state.voices.default => {
            Err(ApiError::bad_request("unknown_voice", format!("no voice {voice:?} (see /api/voices)")))
        }
        asked => Ok(asked),
    }
}

/// The voice `record` is read in: the one asked for, else the one for its language;
/// `no_voice` when no installed voice speaks it.
fn voice_of(state: &AppState, asked: Option<String>, record: &ArticleRecord) -> Result<String, ApiError> {
    asked
        .or_else(|| state.voice_of(record))
        .ok_or_else(|| ApiError::not_found("no_voice", no_voice_message(state, &record.article)))
}

fn key(record: &ArticleRecord, voice: &str, format: &str) -> RenditionKey {
    RenditionKey {
        article: record.id,
        spoken_hash: record.spoken_hash.clone(),
        voice: voice.into(),
        format: format.into(),
    }
}

fn content_type(format: &str) -> &'static str {
    if format == "opus" { "audio/ogg; codecs=opus" } else { "audio/mpeg" }
}

/// The article's narration as MP3 or Ogg Opus.
#[utoipa::path(get, path = "/api/articles/{id}/audio", tag = "audio",
    params(("id" = i64, Path, description = "Article id"), AudioParams),
    responses(
        (status = 200, description = "The whole audio (streamed while it is synthesized when it was not ready)", content_type = "audio/mpeg"),
        (status = 206, description = "The requested byte range"),
        (status = 304, description = "Not modified"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 416, description = "Range outside the audio"),
        (status = 503, description = "Not ready and too many live narrations: queued", body = ErrorBody)))]
pub async fn audio(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<AudioParams>,
    Asking(viewer): Asking,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let asked = asked_voice(&state, params.voice)?;
    let format: &'static str = match params.format.as_deref().unwrap_or("mp3") {
        "mp3" => "mp3",
        "opus" => "opus",
        other => {
            return Err(ApiError::bad_request(
                "unknown_format",
                format!("no audio format {other:?}: mp3 or opus"),
            ));
        }
    };
    // A library's audio is its reader's: membership first, before the ready audio is looked up.
    if state.config.site.mode == lector_core::config::SiteMode::Library {
        find_for(&state, id, viewer).await?;
    }
    let (store, blobs) = (state.store.as_ref(), state.blobs.as_ref());
    let for_article = |record: &ArticleRecord| state.voice_of(record);
    let ready =
        state.audio.ready(&state.changes, store, blobs, id, asked.as_deref(), &for_article, format).await?;
    if let Some(ready) = ready {
        if !ready.public && viewer == Viewer::Reader {
            return Err(ApiError::from(lector_core::Error::no_article(id)));
        }
        let blob = &ready.rendition.blob;
        let cache = if ready.public { AUDIO_CACHE } else { UNPUBLISHED_CACHE };
        let mut response =
            serve_blob(state.core(), blob, Some(ready.length), content_type(format), cache, &headers).await?;
        response.headers_mut().insert(CONTENT_DISPOSITION, file_name(&ready.slug, id, format));
        return Ok(response);
    }
    let record = find_for(&state, id, viewer).await?;
    let voice = voice_of(&state, asked, &record)?;
    // Not ready: speak it now, sending each piece as it is encoded, unless enough live
    // narrations run already; then it waits in the queue like any other.
    let Ok(permit) = std::sync::Arc::clone(&state.live_streams).try_acquire_owned() else {
        let job = state.store.enqueue_narration(record.id, &voice, now()).await?;
        state.jobs_waiting.notify_waiters();
        let mut busy = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "audio_not_ready",
            format!("the narration is queued (job {}: /api/jobs/{}); try again shortly", job.id, job.id),
        );
        busy.retry_after = Some(10);
        return Err(busy);
    };
    let disposition = file_name(&record.slug, record.id, format);
    let (send, receive) = tokio::sync::mpsc::channel::<Vec<u8>>(64);
    let task = narration::stream_and_store(state.core().clone(), record, voice, format, send);
    tokio::spawn(async move {
        let _permit = permit;
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!("streamed narration: {e}"),
            Err(e) => tracing::error!("streamed narration task: {e}"),
        }
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(receive)
        .map(|bytes| Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(bytes)));
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(format)));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(ACCEPT_RANGES, HeaderValue::from_static("none"));
    headers.insert(CONTENT_DISPOSITION, disposition);
    Ok(response)
}

/// `Content-Disposition` for an article's audio: played where it is, and saved as
/// `<slug>.mp3` (slugs are ASCII letters, digits and hyphens; an empty one gives the id).
fn file_name(slug: &str, id: i64, format: &str) -> HeaderValue {
    let extension = if format == "opus" { "ogg" } else { "mp3" };
    let stem: String = slug.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(80).collect();
    let stem = if stem.is_empty() { format!("article-{id}") } else { stem };
    HeaderValue::from_str(&format!("inline; filename=\"{stem}.{extension}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("inline"))
}

/// Where each utterance is in the audio.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimingsView {
    pub article_id: i64,
    pub voice: String,
    pub duration_ms: i64,
    pub utterances: Vec<UtteranceTiming>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UtteranceTiming {
    pub index: usize,
    pub start_ms: u32,
    pub end_ms: u32,
    /// `headline`, `byline`, `summary` or `body`.
    pub part: String,
    /// The summary bullet or body block, for `summary` and `body`.
    pub block: Option<usize>,
    /// Byte range in that part's text: `[start, end)`.
    pub range: [usize; 2],
    pub text: String,
    /// Each written word with when it is spoken (voices that time words; empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<WordTimingView>,
}

/// One word of an utterance: when it is spoken and its byte range in the part's text.
#[derive(Debug, Serialize, ToSchema)]
pub struct WordTimingView {
    pub start_ms: u32,
    pub end_ms: u32,
    pub range: [usize; 2],
}

async fn stored_rendition(
    state: &AppState,
    record: &ArticleRecord,
    voice: &str,
) -> Result<Rendition, ApiError> {
    for format in narration::FORMATS {
        if let Some(rendition) = state.store.rendition(&key(record, voice, format)).await? {
            return Ok(rendition);
        }
    }
    // The first request for a voice starts its narration.
    let job = state.store.enqueue_narration(record.id, voice, now()).await?;
    state.jobs_waiting.notify_waiters();
    Err(ApiError::not_found(
        "audio_not_ready",
        format!("the narration is not ready yet (job {}: /api/jobs/{})", job.id, job.id),
    ))
}

async fn stored_timings(
    state: &AppState,
    rendition: &Rendition,
) -> Result<Vec<lector_speech::voice::Timing>, ApiError> {
    let bytes = state
        .blobs
        .get(&rendition.timings_blob)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(|| ApiError::internal(&"timings blob is missing"))?;
    narration::parse_timings(&bytes).map_err(|e| ApiError::internal(&e))
}

/// The article, its stored narration in the voice asked for (or the default) and its timings.
async fn narrated(
    state: &AppState,
    id: i64,
    voice: Option<String>,
    viewer: Viewer,
) -> Result<(ArticleRecord, String, Rendition, Vec<lector_speech::voice::Timing>), ApiError> {
    let asked = asked_voice(state, voice)?;
    let record = find_for(state, id, viewer).await?;
    let voice = voice_of(state, asked, &record)?;
    let rendition = stored_rendition(state, &record, &voice).await?;
    let timings = stored_timings(state, &rendition).await?;
    Ok((record, voice, rendition, timings))
}

/// Utterance timings of the narration: start and end in milliseconds, block and range.
#[utoipa::path(get, path = "/api/articles/{id}/timings", tag = "audio",
    params(("id" = i64, Path, description = "Article id"), VoiceParams),
    responses((status = 200, body = TimingsView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn timings(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<VoiceParams>,
    Asking(viewer): Asking,
) -> Result<axum::Json<TimingsView>, ApiError> {
    let (_, voice, rendition, timings) = narrated(&state, id, params.voice, viewer).await?;
    let utterances = timings
        .into_iter()
        .enumerate()
        .map(|(index, timing)| {
            let (part, block) = match timing.location.part {
                Part::Headline => ("headline", None),
                Part::Byline => ("byline", None),
                Part::Summary(i) => ("summary", Some(i)),
                Part::Body(i) => ("body", Some(i)),
            };
            UtteranceTiming {
                index,
                start_ms: timing.start_ms,
                end_ms: timing.end_ms,
                part: part.into(),
                block,
                range: [timing.location.range.start, timing.location.range.end],
                text: timing.text,
                words: timing
                    .words
                    .iter()
                    .map(|w| WordTimingView {
                        start_ms: w.start_ms,
                        end_ms: w.end_ms,
                        range: [w.start, w.end],
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(axum::Json(TimingsView { article_id: id, voice, duration_ms: rendition.duration_ms, utterances }))
}

/// The narration's transcript as WebVTT, one cue per utterance.
#[utoipa::path(get, path = "/api/articles/{id}/transcript.vtt", tag = "audio",
    params(("id" = i64, Path, description = "Article id"), VoiceParams),
    responses((status = 200, description = "WebVTT", content_type = "text/vtt"), (status = 404, body = ErrorBody)))]
pub async fn transcript(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<VoiceParams>,
    Asking(viewer): Asking,
) -> Result<Response, ApiError> {
    let (record, _, _, timings) = narrated(&state, id, params.voice, viewer).await?;
    let vtt = lector_speech::voice::vtt(&timings);
    let cache = if record.is_public() { AUDIO_CACHE } else { UNPUBLISHED_CACHE };
    Ok(([(CONTENT_TYPE, "text/vtt; charset=utf-8"), (CACHE_CONTROL, cache)], vtt).into_response())
}

/// The narration's chapters in the Podcasting 2.0 JSON chapters format: the headline at the
/// start, then one chapter at each subheading, for podcast apps (`podcast:chapters`).
#[utoipa::path(get, path = "/api/articles/{id}/chapters.json", tag = "audio",
    params(("id" = i64, Path, description = "Article id"), VoiceParams),
    responses((status = 200, description = "JSON chapters 1.2.0", content_type = "application/json+chapters"),
        (status = 404, body = ErrorBody)))]
pub async fn chapters(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<VoiceParams>,
    Asking(viewer): Asking,
) -> Result<Response, ApiError> {
    let (record, _, _, timings) = narrated(&state, id, params.voice, viewer).await?;
    let body = &record.article.body;
    let mut chapters = vec![serde_json::json!({ "startTime": 0, "title": record.article.headline })];
    for timing in &timings {
        if let Part::Body(index) = timing.location.part
            && timing.location.range.start == 0
            && let Some(lector_article::Block::Heading { .. }) = body.get(index)
        {
            let title = body[index].text();
            chapters.push(
                serde_json::json!({ "startTime": f64::from(timing.start_ms) / 1000.0, "title": title }),
            );
        }
    }
    let json = serde_json::json!({ "version": "1.2.0", "chapters": chapters });
    let cache = if record.is_public() { AUDIO_CACHE } else { UNPUBLISHED_CACHE };
    Ok(([(CONTENT_TYPE, "application/json+chapters"), (CACHE_CONTROL, cache)], json.to_string())
        .into_response())
}
