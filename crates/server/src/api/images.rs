//! `GET /images/{blob}`: the images lector keeps (see `lector_core::images`), served from the
//! blob store with long cache lifetimes. On a library an image's address names its article
//! (`?article=`), and only a reader who has that article, which shows that image, gets it.

// utoipa's `params(...)` expansion names the parameter types by path.
#![allow(unused_qualifications)]

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use lector_core::config::SiteMode;
use lector_core::images::{image_urls, sniff};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::auth::Asking;
use crate::http::blob::serve_blob;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

/// Images are named by content: a year of caching is safe.
const IMAGE_CACHE: &str = "public, max-age=31536000, immutable";

/// Which article an image is shown in (a library's images are loaded by its readers only).
#[derive(Debug, Deserialize, IntoParams)]
pub struct ImageParams {
    article: Option<i64>,
}

/// An image kept by lector, by its digest (the original or a smaller copy).
#[utoipa::path(get, path = "/images/{blob}", tag = "images",
    params(("blob" = String, Path, description = "The image's SHA-256"), ImageParams),
    responses((status = 200, description = "The image", content_type = "image/*"), (status = 404, body = ErrorBody)))]
pub async fn image(
    State(state): State<AppState>,
    ApiPath(blob): ApiPath<String>,
    ApiQuery(params): ApiQuery<ImageParams>,
    Asking(viewer): Asking,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let missing = || ApiError::not_found("image_not_found", "no such image");
    let Some(image) = state.store.image_by_blob(&blob).await? else { return Err(missing()) };
    if state.config.site.mode == SiteMode::Library {
        let article = params.article.ok_or_else(missing)?;
        let record = lector_core::articles::find_for(&state, article, viewer).await.map_err(|_| missing())?;
        if !image_urls(&record.article).contains(&image.source_url) {
            return Err(missing());
        }
    }
    let head = state
        .blobs
        .read_range(&blob, 0, 16)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(missing)?;
    serve_blob(state.core(), &blob, None, sniff(&head), IMAGE_CACHE, &headers).await
}
