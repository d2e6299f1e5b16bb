//! Articles in and out: `POST /api/articles` (article JSON), `POST /api/extract` (a URL, an
//! HTML body or plain text), reading, replacing, deleting and listing.

// utoipa's `params(...)` expansion names the parameter types by path.
#![allow(unused_qualifications)]

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use lector_article::Article;
use lector_core::articles::{self as core_articles, Source, Viewer};
use lector_store::{ListQuery, Publication, SaveOutcome, Saved};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::views::{ArticleSummary, ArticleView};
use crate::http::auth::{ArticlesWrite, Asking, Authorized};
use crate::http::error::{ApiError, ErrorBody, payload_error};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

/// Article JSON as `lector extract` prints it, with an optional publisher id.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ArticleInput {
    /// The publisher's own id: posting the same id again makes a new revision.
    #[serde(default)]
    pub external_id: Option<String>,
    /// `draft` (stored and narrated, never public), `scheduled` (public from `publish_at`) or
    /// `published`. Absent: a new article is published, a revision keeps its state.
    #[serde(default)]
    pub status: Option<String>,
    /// When a scheduled article becomes public (RFC 3339); alone, it schedules.
    #[serde(default)]
    pub publish_at: Option<String>,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub article: Article,
}

impl ArticleInput {
    fn publication(&self) -> Result<Option<Publication>, ApiError> {
        Ok(core_articles::publication(self.status.as_deref(), self.publish_at.as_deref())?)
    }
}

/// A change of an article's publication state.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationInput {
    /// `draft`, `scheduled` or `published`.
    pub status: Option<String>,
    /// When a scheduled article becomes public (RFC 3339).
    pub publish_at: Option<String>,
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
    _writer: Authorized<ArticlesWrite>,
    ApiJson(input): ApiJson<ArticleInput>,
) -> Result<Response, ApiError> {
    let publication = input.publication()?;
    let saved = core_articles::ingest(&state, input.article, input.external_id, publication).await?;
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

/// Extract an article from a URL (JSON `{"url": …}`), an HTML body, plain text or Markdown,
/// and store it.
#[utoipa::path(post, path = "/api/extract", tag = "articles",
    params(ExtractQuery),
    request_body(description = "JSON with a URL, or the page as text/html, or text/plain, or text/markdown",
        content((ExtractRequest = "application/json"), (String = "text/html"), (String = "text/plain"),
            (String = "text/markdown"))),
    responses(
        (status = 201, body = ArticleView), (status = 200, body = ArticleView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody),
        (status = 504, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn extract(
    State(state): State<AppState>,
    _writer: Authorized<ArticlesWrite>,
    ApiQuery(query): ApiQuery<ExtractQuery>,
    request: Request,
) -> Result<Response, ApiError> {
    let content_type =
        request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let essence = content_type.split(';').next().unwrap_or("").trim().to_string();
    let (source, external_id) = match essence.as_str() {
        "application/json" => {
            let ApiJson(body) = ApiJson::<ExtractRequest>::from_request(request, &state).await?;
            (core_articles::fetch_page(&state, &body.url).await?, body.external_id)
        }
        "text/html" | "application/xhtml+xml" | "text/plain" | "text/markdown" => {
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
            let source = Source { bytes: bytes.to_vec(), content_type: content_type.clone(), base_url };
            (source, query.external_id.clone())
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send application/json with a url, text/html, text/plain or text/markdown",
            ));
        }
    };
    let (saved, warnings) = core_articles::extract_and_ingest(&state, source, external_id).await?;
    saved_response(&state, saved, warnings).await
}

/// One article at its current revision. A draft or scheduled article is found only with a
/// token that may write articles (or a staff session); to anyone else it does not exist.
#[utoipa::path(get, path = "/api/articles/{id}", tag = "articles",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, body = ArticleView), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    Asking(viewer): Asking,
    uri: Uri,
) -> Response {
    if viewer != Viewer::Reader {
        // Never kept: what staff see may be unpublished, and a library is its reader's own.
        let view = match core_articles::find_for(&state, id, viewer).await {
            Ok(record) => ArticleView::build(&state, &record).await,
            Err(e) => Err(ApiError::from(e)),
        };
        let mut response = match view {
            Ok(view) => axum::Json(view).into_response(),
            Err(e) => e.into_response(),
        };
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    let render = || async {
        let record = match core_articles::find_for(&state, id, Viewer::Reader).await {
            Ok(record) => record,
            Err(e) => return ApiError::from(e).into_response(),
        };
        match ArticleView::build(&state, &record).await {
            Ok(view) => axum::Json(view).into_response(),
            Err(e) => e.into_response(),
        }
    };
    state.page_cache.answer(&state.changes, &uri, Some(id), render).await
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
    _writer: Authorized<ArticlesWrite>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ArticleInput>,
) -> Result<Response, ApiError> {
    let publication = input.publication()?;
    let saved = core_articles::replace(&state, id, input.article, input.external_id, publication).await?;
    Ok(axum::Json(ArticleView::build(&state, &saved.record).await?).into_response())
}

/// Make an article a draft, schedule it, or publish it.
#[utoipa::path(put, path = "/api/articles/{id}/publication", tag = "articles",
    params(("id" = i64, Path, description = "Article id")),
    request_body = PublicationInput,
    responses((status = 200, body = ArticleView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn publication(
    State(state): State<AppState>,
    _writer: Authorized<ArticlesWrite>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PublicationInput>,
) -> Result<Response, ApiError> {
    let publication = core_articles::publication(input.status.as_deref(), input.publish_at.as_deref())?
        .ok_or_else(|| {
            ApiError::unprocessable("invalid_publication", "give a status, a publish_at or both")
        })?;
    core_articles::set_publication(&state, id, publication).await?;
    let record = core_articles::find(&state, id).await?;
    Ok(axum::Json(ArticleView::build(&state, &record).await?).into_response())
}

/// Delete an article with its revisions and audio records.
#[utoipa::path(delete, path = "/api/articles/{id}", tag = "articles",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    _writer: Authorized<ArticlesWrite>,
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
    /// Only articles holding every word of this search (or words they begin) in the headline
    /// or body, best matches first; at most 1,000 characters, of which 16 words count.
    pub q: Option<String>,
    /// Only articles with this topic slug.
    pub topic: Option<String>,
    /// Only articles by this author slug.
    pub author: Option<String>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Articles per page (at most `limits.max_page_size`).
    pub per_page: Option<u32>,
}

/// The longest search `GET /api/articles?q=` takes.
const MAX_SEARCH_CHARS: usize = 1_000;

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleList {
    pub items: Vec<ArticleSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    /// The next page's address, when there is one.
    pub next: Option<String>,
}

/// Articles, newest first, or best first for a search.
#[utoipa::path(get, path = "/api/articles", tag = "articles", params(ListParams),
    responses((status = 200, body = ArticleList), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
    Asking(viewer): Asking,
) -> Result<axum::Json<ArticleList>, ApiError> {
    let page = params.page.unwrap_or(1);
    let per_page = params.per_page.unwrap_or(20);
    let most = state.config.limits.max_page_size;
    if page == 0 || page > 1_000_000 || per_page == 0 || per_page > most {
        return Err(ApiError::bad_request("invalid_page", format!("page from 1, per_page from 1 to {most}")));
    }
    if params.q.as_ref().is_some_and(|q| q.chars().count() > MAX_SEARCH_CHARS) {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("a search of at most {MAX_SEARCH_CHARS} characters"),
        ));
    }
    let query = ListQuery {
        text: params.q.clone(),
        topic: params.topic.clone(),
        author: params.author.clone(),
        limit: per_page,
        offset: (page - 1).saturating_mul(per_page),
        ..ListQuery::default()
    };
    // Staff see what readers see here; on a library, the asker's own articles.
    let viewer = if viewer == Viewer::Staff { Viewer::Reader } else { viewer };
    let found = core_articles::list_for(&state, &query, viewer).await?;
    let next = (i64::from(page) * i64::from(per_page) < found.total).then(|| {
        let mut next = format!("/api/articles?page={}&per_page={per_page}", page + 1);
        for (key, value) in [("q", &params.q), ("topic", &params.topic), ("author", &params.author)] {
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
