//! Stored blobs over HTTP: Range (one range), If-Range, If-None-Match, ETag from the blob's
//! digest, and Cache-Control; the bytes streamed from the blob store as they are read.

use axum::body::Body;
use axum::http::header::{ACCEPT_RANGES, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, RANGE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use headers::HeaderMapExt;
use lector_core::Core;
use lector_core::metrics::Metrics;

use crate::http::conditional;
use crate::http::error::ApiError;
use crate::http::range::{Ranged, parse_range};

/// A stored blob with Range, conditional requests, ETag and Cache-Control; `length` is the
/// blob's when it is known already.
pub async fn serve_blob(
    core: &Core,
    blob: &str,
    length: Option<u64>,
    content_type: &str,
    cache_control: &'static str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let quoted = format!("\"{}\"", &blob[..blob.len().min(32)]);
    let etag = conditional::etag(&quoted).ok_or_else(|| ApiError::internal(&format!("blob id {blob}")))?;
    let mut common = HeaderMap::new();
    common.typed_insert(etag.clone());
    common.insert(CACHE_CONTROL, HeaderValue::from_static(cache_control));
    common.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if conditional::not_modified(headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    let length = match length {
        Some(length) => length,
        None => core
            .blobs
            .len(blob)
            .await
            .map_err(|e| ApiError::internal(&e))?
            .ok_or_else(|| ApiError::internal(&format!("blob {blob} is missing")))?,
    };
    // A range applies only to the version the client has (If-Range).
    let range_header = conditional::range_applies(headers, &etag)
        .then(|| headers.get(RANGE).and_then(|v| v.to_str().ok()))
        .flatten();
    let ranged = parse_range(range_header, length);
    if ranged == Ranged::Unsatisfiable {
        let mut response = (StatusCode::RANGE_NOT_SATISFIABLE, common).into_response();
        if let Ok(value) = HeaderValue::from_str(&format!("bytes */{length}")) {
            response.headers_mut().insert(CONTENT_RANGE, value);
        }
        return Ok(response);
    }
    let (start, end, status) = match ranged {
        Ranged::Part { start, end } => (start, end, StatusCode::PARTIAL_CONTENT),
        _ => (0, length.saturating_sub(1), StatusCode::OK),
    };
    let count = if length == 0 { 0 } else { end - start + 1 };
    let chunks = core
        .blobs
        .stream_range(blob, start, count)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(|| ApiError::internal(&format!("blob {blob} is missing")))?;
    let metrics = core.metrics.clone();
    let counted =
        chunks.inspect_ok(move |chunk| Metrics::add(&metrics.audio_bytes_served, chunk.len() as u64));
    let mut response = (status, common, Body::from_stream(counted)).into_response();
    let out = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        out.insert(CONTENT_TYPE, value);
    }
    out.insert(CONTENT_LENGTH, HeaderValue::from(count));
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{length}"))
    {
        out.insert(CONTENT_RANGE, value);
    }
    Ok(response)
}
