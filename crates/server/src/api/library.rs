//! `/api/library`: a reader's own library on a site in library mode (a session, or a token
//! with the `library` scope): save a page by its address, with its HTML, or as text (answered
//! at once; the save is read in the background and followed by its id), list the library by
//! shelf, tag, search and order, change an item's state and tags, take it out. On a
//! publication these routes are not there.

// utoipa's `params(...)` expansion names the parameter types by path.
#![allow(unused_qualifications)]

use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use lector_core::config::SiteMode;
use lector_core::library::{self, SaveOptions, Saving};
use lector_store::{ItemChange, LibraryQuery, LibrarySort, Shelf};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::http::auth::SignedIn;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use crate::views::{LibraryItemView, SaveView};

/// Most items in one page of the list.
const MAX_LIMIT: u32 = 200;
/// The most saves in progress one answer lists (newest first).
const OPEN_SAVES: i64 = 500;

/// The signed-in reader of a library-mode site.
#[derive(Debug, Clone, Copy)]
pub struct Reader(pub i64);

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state.config.site.mode != SiteMode::Library {
            return Err(ApiError::not_found("not_a_library", "this site is not a library (site.mode)"));
        }
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        Ok(Reader(user))
    }
}

/// A save: `url`, or `html` (with the page's `url`), or `text`; with tags and state when
/// wanted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveInput {
    pub url: Option<String>,
    pub html: Option<String>,
    pub text: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub favourite: bool,
}

/// Save to the library; answered at once, 202, with the save to follow.
#[utoipa::path(post, path = "/api/library", tag = "library", request_body = SaveInput,
    responses((status = 202, body = SaveView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn save(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiJson(input): ApiJson<SaveInput>,
) -> Result<(StatusCode, axum::Json<SaveView>), ApiError> {
    let saving = match (input.html, input.text, input.url) {
        (Some(html), None, url) => Saving::Page { url, html },
        (None, Some(text), None) => Saving::Text(text),
        (None, None, Some(url)) => Saving::Url(url),
        _ => {
            return Err(ApiError::unprocessable(
                "invalid_save",
                "a save is a url, or html with its url, or text",
            ));
        }
    };
    let options = SaveOptions {
        tags: input.tags,
        archived: input.archived,
        favourite: input.favourite,
        ..SaveOptions::default()
    };
    let queued = library::save(&state, user, saving, options).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(SaveView::build(&queued))))
}

/// What a list of the library asks for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LibraryParams {
    /// `unread` (the default), `archive`, `favourites` or `all`.
    shelf: Option<String>,
    tag: Option<String>,
    /// Words every item holds (best matches first).
    q: Option<String>,
    /// `saved` (newest first, the default), `oldest`, `longest`, `shortest` or `listen`.
    sort: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
}

/// A page of the library.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct LibraryPage {
    pub total: i64,
    pub items: Vec<LibraryItemView>,
}

/// The query a list asks for, checked.
pub fn library_query(user: i64, params: LibraryParams) -> Result<LibraryQuery, ApiError> {
    let shelf = match params.shelf.as_deref().filter(|s| !s.is_empty()) {
        Some(name) => Shelf::parse(name).ok_or_else(|| {
            ApiError::bad_request("invalid_shelf", "shelf is one of unread, archive, favourites and all")
        })?,
        None => Shelf::Unread,
    };
    let sort = match params.sort.as_deref().filter(|s| !s.is_empty()) {
        Some(name) => LibrarySort::parse(name).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_sort",
                "sort is one of saved, oldest, longest, shortest and listen",
            )
        })?,
        None => LibrarySort::Saved,
    };
    Ok(LibraryQuery {
        user,
        shelf,
        tag: params.tag.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
        text: params.q.map(|q| q.trim().chars().take(200).collect::<String>()).filter(|q| !q.is_empty()),
        sort,
        limit: params.limit.unwrap_or(50).clamp(1, MAX_LIMIT),
        offset: params.offset.unwrap_or(0).min(1_000_000),
    })
}

/// The reader's library, a page of it.
#[utoipa::path(get, path = "/api/library", tag = "library", params(LibraryParams),
    responses((status = 200, body = LibraryPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiQuery(params): ApiQuery<LibraryParams>,
) -> Result<axum::Json<LibraryPage>, ApiError> {
    let query = library_query(user, params)?;
    let page = state.store.library(&query).await?;
    let items = page.items.iter().map(|e| LibraryItemView::build(&state, e, query.text.as_deref())).collect();
    Ok(axum::Json(LibraryPage { total: page.total, items }))
}

/// The reader's saves that are not done yet (queued, being read, or failed), the newest 500.
#[utoipa::path(get, path = "/api/library/saves", tag = "library",
    responses((status = 200, body = Vec<SaveView>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn saves(
    State(state): State<AppState>,
    Reader(user): Reader,
) -> Result<axum::Json<Vec<SaveView>>, ApiError> {
    Ok(axum::Json(state.store.open_saves(user, OPEN_SAVES).await?.iter().map(SaveView::build).collect()))
}

/// One of the reader's saves: how far it is.
#[utoipa::path(get, path = "/api/library/saves/{id}", tag = "library",
    params(("id" = i64, Path, description = "Save id")),
    responses((status = 200, body = SaveView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn save_status(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<SaveView>, ApiError> {
    match state.store.save_of(id).await? {
        Some(save) if save.user_id == user => Ok(axum::Json(SaveView::build(&save))),
        _ => Err(ApiError::not_found("save_not_found", format!("there is no save {id}"))),
    }
}

/// A change to an item: any of its state and its tags.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub archived: Option<bool>,
    pub favourite: Option<bool>,
    pub read: Option<bool>,
    /// The item's tags, all of them.
    pub tags: Option<Vec<String>>,
}

/// Change an item: archive, star, mark read (or undo), tag.
#[utoipa::path(patch, path = "/api/library/{id}", tag = "library",
    params(("id" = i64, Path, description = "Article id")), request_body = ItemInput,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn change(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ItemInput>,
) -> Result<StatusCode, ApiError> {
    if let Some(tags) = &input.tags {
        library::set_tags(&state, user, id, tags).await?;
    }
    let change = ItemChange { archived: input.archived, favourite: input.favourite, read: input.read };
    if change != ItemChange::default() || input.tags.is_none() {
        library::change(&state, user, id, change).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Where the reader is in an item's narration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionInput {
    /// The sentence being read (the utterance's index in the timings).
    pub sentence: u32,
    /// The time in the audio, in milliseconds.
    pub ms: u64,
}

/// Keep where the reader is in the narration, so that another device resumes there.
#[utoipa::path(put, path = "/api/library/{id}/position", tag = "library",
    params(("id" = i64, Path, description = "Article id")), request_body = PositionInput,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn position(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PositionInput>,
) -> Result<StatusCode, ApiError> {
    library::set_position(&state, user, id, input.sentence, input.ms).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Take an item out of the library.
#[utoipa::path(delete, path = "/api/library/{id}", tag = "library",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    library::remove(&state, user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What an export asks for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportParams {
    /// `json` (the default: one document with every article and the reader's state and tags),
    /// `markdown` (a zip of Markdown files, one per article), `epub` (a book, a chapter per
    /// article, with their pictures) or `audio` (a zip of the narrations as MP3 files, with a
    /// playlist).
    format: Option<String>,
}

/// The whole library, to leave freely: every article with its state and tags, or its
/// narrations.
#[utoipa::path(get, path = "/api/library/export", tag = "library", params(ExportParams),
    responses((status = 200, description = "JSON, a zip of Markdown files, an EPUB book or a zip of MP3 files"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<axum::response::Response, ApiError> {
    use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
    use axum::response::IntoResponse;
    let format = params.format.unwrap_or_else(|| "json".into());
    let (kind, name) = match format.as_str() {
        "json" => ("application/json", "lector-library.json"),
        "markdown" => ("application/zip", "lector-library.zip"),
        "epub" => ("application/epub+zip", "lector-library.epub"),
        "audio" => ("application/zip", "lector-library-audio.zip"),
        _ => {
            return Err(ApiError::bad_request(
                "unknown_format",
                "an export is json, markdown, epub or audio",
            ));
        }
    };
    let headers = [
        (CONTENT_TYPE, kind.to_string()),
        (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        (CACHE_CONTROL, "no-store".to_string()),
    ];
    let entries = lector_core::export::entries(state.store.as_ref(), user).await?;
    if format == "audio" {
        return Ok((headers, audio_zip(state, entries)).into_response());
    }
    let pictures =
        if format == "epub" { lector_core::export::pictures(&state, &entries).await? } else { Vec::new() };
    let title = format!("{}: your library", state.config.site.name);
    let now = lector_core::now();
    let bytes = tokio::task::spawn_blocking(move || match format.as_str() {
        "markdown" => lector_core::export::to_markdown_zip(&entries),
        "epub" => lector_core::export::to_epub(&entries, &pictures, &title, now),
        _ => Ok(lector_core::export::to_json(&entries)),
    })
    .await
    .map_err(|e| ApiError::internal(&e))??;
    Ok((headers, bytes).into_response())
}

/// The narrations of `entries` as a zip, sent as it is written (see
/// [`lector_core::export::write_audio_zip`]). An export that fails part way ends the body with
/// an error, so that the download is seen to fail rather than look whole; a client that goes
/// away stops the writing.
fn audio_zip(state: AppState, entries: Vec<lector_store::LibraryEntry>) -> axum::body::Body {
    use tokio::io::AsyncReadExt;
    const CHUNK: usize = 64 * 1024;
    let (reader, writer) = tokio::io::duplex(CHUNK);
    let (told, outcome) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let written =
            lector_core::export::write_audio_zip(&state, &entries, writer, lector_core::now()).await;
        let _ = told.send(written);
    });
    let chunks = futures_util::stream::unfold(Some((reader, outcome)), |open| async move {
        let (mut reader, outcome) = open?;
        let mut chunk = vec![0; CHUNK];
        match reader.read(&mut chunk).await {
            Ok(0) => match outcome.await {
                Ok(Ok(())) => None,
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "an audio export failed part way");
                    Some((Err(std::io::Error::other("the export failed part way")), None))
                }
                Err(_) => Some((Err(std::io::Error::other("the export stopped part way")), None)),
            },
            Ok(read) => {
                chunk.truncate(read);
                Some((Ok(axum::body::Bytes::from(chunk)), Some((reader, outcome))))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    axum::body::Body::from_stream(chunks)
}

/// A highlight to keep: the words quoted, a little text on each side, a note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HighlightInput {
    pub quote: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
    #[serde(default)]
    pub note: String,
}

/// The reader's highlights and notes on an article.
#[utoipa::path(get, path = "/api/library/{id}/highlights", tag = "library",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, body = Vec<Object>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn highlights(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::Json<Vec<lector_store::Highlight>>, ApiError> {
    if state.store.library_item(user, id).await?.is_none() {
        return Err(lector_core::Error::no_article(id).into());
    }
    Ok(axum::Json(state.store.highlights(user, id).await?))
}

/// Highlight words of an article (with a note).
#[utoipa::path(post, path = "/api/library/{id}/highlights", tag = "library",
    params(("id" = i64, Path, description = "Article id")), request_body = HighlightInput,
    responses((status = 201, body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add_highlight(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<HighlightInput>,
) -> Result<(StatusCode, axum::Json<lector_store::Highlight>), ApiError> {
    let kept =
        library::highlight(&state, user, id, &input.quote, &input.prefix, &input.suffix, &input.note).await?;
    Ok((StatusCode::CREATED, axum::Json(kept)))
}

/// Forget a highlight.
#[utoipa::path(delete, path = "/api/library/{id}/highlights/{highlight}", tag = "library",
    params(("id" = i64, Path, description = "Article id"), ("highlight" = i64, Path, description = "Highlight id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove_highlight(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiPath(ids): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    library::forget_highlight(&state, user, ids.1).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The reader's listen queue.
#[utoipa::path(get, path = "/api/library/queue", tag = "library",
    responses((status = 200, body = Vec<crate::views::QueuedView>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn queue(
    State(state): State<AppState>,
    Reader(user): Reader,
) -> Result<axum::Json<Vec<crate::views::QueuedView>>, ApiError> {
    Ok(axum::Json(crate::views::queued(&state, user).await?))
}

/// An article to queue, or the queue's new order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueInput {
    pub article: Option<i64>,
    pub articles: Option<Vec<i64>>,
}

/// Add an article at the end of the queue (`{"article"}`).
#[utoipa::path(post, path = "/api/library/queue", tag = "library", request_body = QueueInput,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn enqueue(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiJson(input): ApiJson<QueueInput>,
) -> Result<StatusCode, ApiError> {
    let article =
        input.article.ok_or_else(|| ApiError::unprocessable("invalid_json", "the article to queue"))?;
    library::enqueue(&state, user, article).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Put the queue in a new order (`{"articles": [...]}`).
#[utoipa::path(put, path = "/api/library/queue", tag = "library", request_body = QueueInput,
    responses((status = 204), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reorder(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiJson(input): ApiJson<QueueInput>,
) -> Result<StatusCode, ApiError> {
    let order = input
        .articles
        .ok_or_else(|| ApiError::unprocessable("invalid_json", "the queue's articles in order"))?;
    state.store.reorder_queue(user, &order).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Take an article out of the queue.
#[utoipa::path(delete, path = "/api/library/queue/{id}", tag = "library",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn dequeue(
    State(state): State<AppState>,
    Reader(user): Reader,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    if state.store.dequeue(user, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(lector_core::Error::no_article(id).into())
    }
}
