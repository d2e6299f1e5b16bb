//! `GET /images/{blob}`: the images lector keeps (see `lector_core::images`), served from the
//! blob store with long cache lifetimes.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use lector_core::images::sniff;

use crate::http::blob::serve_blob;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::state::AppState;

/// Images are named by content: a year of caching is safe.
const IMAGE_CACHE: &str = "public, max-age=31536000, immutable";

/// An image kept by lector, by its digest (the original or a smaller copy).
#[utoipa::path(get, path = "/images/{blob}", tag = "images",
    params(("blob" = String, Path, description = "The image's SHA-256")),
    responses((status = 200, description = "The image", content_type = "image/*"), (status = 404, body = ErrorBody)))]
pub async fn image(
    State(state): State<AppState>,
    ApiPath(blob): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let missing = || ApiError::not_found("image_not_found", "no such image");
    if state.store.image_by_blob(&blob).await?.is_none() {
        return Err(missing());
    }
    let head = state
        .blobs
        .read_range(&blob, 0, 16)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(missing)?;
    serve_blob(state.core(), &blob, None, sniff(&head), IMAGE_CACHE, &headers).await
}
