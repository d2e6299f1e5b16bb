//! Articles in and out: `POST /api/articles` (article JSON), `POST /api/extract` (a URL, an
//! HTML body or plain text), reading, replacing, deleting and listing.

// utoipa's `params(...)` expansion names the parameter types by path.
#![allow(unused_qualifications)]

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lector_article::{Article, ArticleJson, DEFAULT_WORDS_PER_MINUTE};
use lector_extract::{Options, Warning, extract_html, extract_text};
use lector_store::{ArticleRecord, ListQuery, NewArticle, SaveOutcome, Saved};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::views::{ArticleSummary, ArticleView};
use crate::auth::Writer;
use crate::error::{ApiError, ErrorBody, payload_error};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::fetch::FetchError;
use crate::metrics::Metrics;
use crate::narration;
use crate::state::{AppState, now};

/// Most characters in a headline.
pub const MAX_HEADLINE_CHARS: usize = 1_000;
/// Most blocks in an article body.
pub const MAX_BLOCKS: usize = 5_000;

/// Article JSON as `lector extract` prints it, with an optional publisher id.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ArticleInput {
    /// The publisher's own id: posting the same id again makes a new revision.
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub article: Article,
}

/// Stores an article (shared by every way in): validates it, digests its spoken text,
/// saves it and queues its narration when the spoken text is new.
pub async fn ingest(
    state: &AppState,
    article: Article,
    external_id: Option<String>,
) -> Result<Saved, ApiError> {
    validate(&article)?;
    let config = state.config.clone();
    let (article, spoken_hash) = tokio::task::spawn_blocking(move || {
        let hash = narration::spoken_hash(&article, &config.site);
        (article, hash)
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    let external_id = external_id.map(|id| id.trim().to_string()).filter(|id| !id.is_empty());
    let saved = state.store.save_article(NewArticle { article, external_id, spoken_hash }, now()).await?;
    let needs_audio =
        matches!(saved.outcome, SaveOutcome::Created | SaveOutcome::Revised { spoken_changed: true });
    if saved.outcome != SaveOutcome::Unchanged {
        Metrics::add(&state.metrics.articles_saved, 1);
    }
    if needs_audio || !narration::is_ready(state.store.as_ref(), &saved.record, &state.voices.default).await?
    {
        queue_narration(state, saved.record.id).await;
    }
    crate::images::keep_images(state, &saved.record);
    Ok(saved)
}

/// Queues the article's narration in the default voice. The article is stored already, and
/// the answer says so: a queue that refuses the job (a full disk) leaves the article without
/// a narration (its `narration` says none), which storing it again queues.
async fn queue_narration(state: &AppState, id: i64) {
    match state.store.enqueue_narration(id, &state.voices.default, now()).await {
        Ok(_) => state.jobs_waiting.notify_waiters(),
        Err(e) => tracing::error!(article = id, "queueing the narration: {e}"),
    }
}

fn validate(article: &Article) -> Result<(), ApiError> {
    let headline = article.headline.trim();
    if headline.is_empty() {
        return Err(ApiError::unprocessable("missing_headline", "an article needs a headline"));
    }
    if headline.chars().count() > MAX_HEADLINE_CHARS {
        return Err(ApiError::unprocessable(
            "headline_too_long",
            format!("a headline has at most {MAX_HEADLINE_CHARS} characters"),
        ));
    }
    if article.body.is_empty() {
        return Err(ApiError::unprocessable("empty_body", "an article needs a body"));
    }
    if article.body.len() > MAX_BLOCKS {
        return Err(ApiError::unprocessable(
            "body_too_long",
            format!("an article has at most {MAX_BLOCKS} blocks"),
        ));
    }
    Ok(())
}

async fn saved_response(state: &AppState, saved: Saved, warnings: Vec<String>) -> Result<Response, ApiError> {
    let status = if saved.outcome == SaveOutcome::Created { StatusCode::CREATED } else { StatusCode::OK };
    let id = saved.record.id;
    let mut view = ArticleView::build(state, &saved.record).await?;
    view.warnings = warnings;
    let mut response = (status, axum::Json(view)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/articles/{id}")) {
        response.headers_mut().insert(LOCATION, location);
    }
    Ok(response)
}

/// Store an article.
#[utoipa::path(post, path = "/api/articles", tag = "articles",
    request_body = ArticleInput,
    responses(
        (status = 201, description = "Stored as a new article", body = ArticleView),
        (status = 200, description = "A new revision of the article with the same URL or external id", body = ArticleView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    _writer: Writer,
    ApiJson(input): ApiJson<ArticleInput>,
) -> Result<Response, ApiError> {
    let saved = ingest(&state, input.article, input.external_id).await?;
    saved_response(&state, saved, Vec::new()).await
}

/// What `POST /api/extract` takes as JSON.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtractRequest {
    /// A web page to fetch and extract.
    pub url: String,
    #[serde(default)]
    pub external_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExtractQuery {
    /// With an HTML body: the page's address, for its links and images.
    pub url: Option<String>,
    pub external_id: Option<String>,
}

/// Extract an article from a URL (JSON `{"url": …}`), an HTML body or plain text, and store it.
#[utoipa::path(post, path = "/api/extract", tag = "articles",
    params(ExtractQuery),
    request_body(description = "JSON with a URL, or the page as text/html, or text/plain",
        content((ExtractRequest = "application/json"), (String = "text/html"), (String = "text/plain"))),
    responses(
        (status = 201, body = ArticleView), (status = 200, body = ArticleView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody),
        (status = 504, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn extract(
    State(state): State<AppState>,
    _writer: Writer,
    ApiQuery(query): ApiQuery<ExtractQuery>,
    request: Request,
) -> Result<Response, ApiError> {
    let content_type =
        request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let essence = content_type.split(';').next().unwrap_or("").trim().to_string();
    let (bytes, page_type, base_url, external_id) = match essence.as_str() {
        "application/json" => {
            let ApiJson(body) = ApiJson::<ExtractRequest>::from_request(request, &state).await?;
            let fetched =
                state.fetcher.get(&body.url, &["text/html", "application/xhtml+xml"]).await.map_err(|e| {
                    if matches!(e, FetchError::Refused(_)) {
                        Metrics::add(&state.metrics.fetches_refused, 1);
                    }
                    fetch_error(e)
                })?;
            (fetched.bytes, fetched.content_type, Some(fetched.url), body.external_id)
        }
        "text/html" | "application/xhtml+xml" | "text/plain" => {
            let bytes = Bytes::from_request(request, &state)
                .await
                .map_err(|rejection| payload_error(rejection.status(), rejection.body_text()))?;
            let base_url = match &query.url {
                Some(url) => Some(
                    url::Url::parse(url)
                        .map_err(|e| ApiError::bad_request("invalid_url", format!("{url}: {e}")))?,
                ),
                None => None,
            };
            (bytes.to_vec(), content_type.clone(), base_url, query.external_id.clone())
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send application/json with a url, text/html or text/plain",
            ));
        }
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::unprocessable("empty_body", "there is nothing to extract"));
    }
    let plain = page_type.starts_with("text/plain");
    let extraction = tokio::task::spawn_blocking(move || {
        if plain {
            extract_text(&String::from_utf8_lossy(&bytes))
        } else {
            let options = Options { base_url, content_type: Some(page_type) };
            extract_html(&bytes, &options)
        }
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    if extraction.warnings.contains(&Warning::Binary) {
        return Err(ApiError::unprocessable(
            "binary_input",
            "the input looks like binary data, not a page or text",
        ));
    }
    if extraction.article.body.is_empty() || extraction.article.headline.trim().is_empty() {
        return Err(ApiError::unprocessable("no_article", "no article was found in the input"));
    }
    let warnings = extraction.warnings.iter().map(ToString::to_string).collect();
    let saved = ingest(&state, extraction.article, external_id).await?;
    saved_response(&state, saved, warnings).await
}

/// How a failed fetch looks to the client.
pub fn fetch_error(error: FetchError) -> ApiError {
    let message = error.to_string();
    match error {
        FetchError::InvalidUrl(_) => ApiError::bad_request("invalid_url", message),
        FetchError::Refused(_) => ApiError::unprocessable("url_refused", message),
        FetchError::Timeout => ApiError::new(StatusCode::GATEWAY_TIMEOUT, "fetch_timeout", message),
        FetchError::TooLarge(_) => ApiError::unprocessable("page_too_large", message),
        FetchError::ContentType(_) => ApiError::unprocessable("not_a_page", message),
        FetchError::Status(_) | FetchError::TooManyRedirects | FetchError::Network(_) => {
            ApiError::new(StatusCode::BAD_GATEWAY, "fetch_failed", message)
        }
    }
}

/// One article at its current revision.
#[utoipa::path(get, path = "/api/articles/{id}", tag = "articles",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, body = ArticleView), (status = 404, body = ErrorBody)))]
pub async fn read(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Response, ApiError> {
    let record = find(&state, id).await?;
    Ok(axum::Json(ArticleView::build(&state, &record).await?).into_response())
}

pub async fn find(state: &AppState, id: i64) -> Result<ArticleRecord, ApiError> {
    state
        .store
        .article(id)
        .await?
        .ok_or_else(|| ApiError::not_found("article_not_found", format!("no article {id}")))
}

/// Replace an article with a new revision.
#[utoipa::path(put, path = "/api/articles/{id}", tag = "articles",
    params(("id" = i64, Path, description = "Article id")),
    request_body = ArticleInput,
    responses((status = 200, body = ArticleView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn replace(
    State(state): State<AppState>,
    _writer: Writer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ArticleInput>,
) -> Result<Response, ApiError> {
    validate(&input.article)?;
    let article = input.article;
    let config = state.config.clone();
    let (article, spoken_hash) = tokio::task::spawn_blocking(move || {
        let hash = narration::spoken_hash(&article, &config.site);
        (article, hash)
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    let new = NewArticle { article, external_id: input.external_id, spoken_hash };
    let saved = state
        .store
        .replace_article(id, new, now())
        .await?
        .ok_or_else(|| ApiError::not_found("article_not_found", format!("no article {id}")))?;
    if saved.outcome == (SaveOutcome::Revised { spoken_changed: true }) {
        queue_narration(&state, id).await;
    }
    crate::images::keep_images(&state, &saved.record);
    Ok(axum::Json(ArticleView::build(&state, &saved.record).await?).into_response())
}

/// Delete an article with its revisions and audio records.
#[utoipa::path(delete, path = "/api/articles/{id}", tag = "articles",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    _writer: Writer,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    if state.store.delete_article(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("article_not_found", format!("no article {id}")))
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only articles with this topic slug.
    pub topic: Option<String>,
    /// Only articles by this author slug.
    pub author: Option<String>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Articles per page (at most `limits.max_page_size`).
    pub per_page: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleList {
    pub items: Vec<ArticleSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    /// The next page's address, when there is one.
    pub next: Option<String>,
}

/// Articles, newest first.
#[utoipa::path(get, path = "/api/articles", tag = "articles", params(ListParams),
    responses((status = 200, body = ArticleList), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<axum::Json<ArticleList>, ApiError> {
    let page = params.page.unwrap_or(1);
    let per_page = params.per_page.unwrap_or(20);
    let most = state.config.limits.max_page_size;
    if page == 0 || page > 1_000_000 || per_page == 0 || per_page > most {
        return Err(ApiError::bad_request("invalid_page", format!("page from 1, per_page from 1 to {most}")));
    }
    let query = ListQuery {
        topic: params.topic.clone(),
        author: params.author.clone(),
        limit: per_page,
        offset: (page - 1).saturating_mul(per_page),
        ..ListQuery::default()
    };
    let found = state.store.list_articles(&query).await?;
    let next = (i64::from(page) * i64::from(per_page) < found.total).then(|| {
        let mut next = format!("/api/articles?page={}&per_page={per_page}", page + 1);
        for (key, value) in [("topic", &params.topic), ("author", &params.author)] {
            if let Some(value) = value {
                next.push_str(&format!(
                    "&{key}={}",
                    url::form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>()
                ));
            }
        }
        next
    });
    let items = found.items.iter().map(|record| ArticleSummary::build(&state, record)).collect();
    Ok(axum::Json(ArticleList { items, page, per_page, total: found.total, next }))
}

/// The reading rate used for the reading time in article JSON.
pub fn words_per_minute() -> u32 {
    DEFAULT_WORDS_PER_MINUTE
}

/// The article's JSON form, as `lector extract` prints it.
pub fn article_json(article: &Article) -> serde_json::Value {
    serde_json::to_value(ArticleJson::new(article, words_per_minute())).unwrap_or_default()
}
