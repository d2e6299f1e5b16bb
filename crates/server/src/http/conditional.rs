//! Conditional requests by entity tag (RFC 9110 §13): `If-None-Match` answered with 304, and
//! `If-Range` deciding whether a `Range` applies, the headers read by the `headers` crate; and
//! the layer that gives pages and JSON a strong tag from their bytes, with their caching rules.

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use headers::{ETag, HeaderMapExt, IfModifiedSince, IfNoneMatch, IfRange, LastModified};

/// Public pages: browsers ask again every time (a 304 when nothing changed, so a moderation
/// shows at once); a shared cache in front may keep them 10 s and serve them 30 s more while
/// it asks again.
pub const PUBLIC_PAGE: &str = "public, max-age=0, s-maxage=10, stale-while-revalidate=30";
/// A page holding something of one reader's (a form token): never kept by a shared cache.
pub const PRIVATE_PAGE: &str = "private, no-cache";
/// JSON: asked again every time, answered 304 when nothing changed.
pub const JSON: &str = "no-cache";

/// The largest body given a tag from its bytes; larger ones pass untagged.
pub const MAX_TAGGED_BYTES: usize = 8 * 1024 * 1024;

/// An entity tag from its quoted form (`"abc"`); `None` when it is not one.
pub fn etag(quoted: &str) -> Option<ETag> {
    quoted.parse().ok()
}

/// The strong entity tag of a body: a digest of its bytes.
pub fn content_tag(bytes: &[u8]) -> Option<HeaderValue> {
    let digest = lector_store::blob_id(bytes);
    HeaderValue::from_str(&format!("\"{}\"", &digest[..32])).ok()
}

/// Whether the client has this version already (`If-None-Match` names it, compared weakly, or
/// is `*`): the answer is 304.
pub fn not_modified(headers: &HeaderMap, etag: &ETag) -> bool {
    headers.typed_get::<IfNoneMatch>().is_some_and(|tags| !tags.precondition_passes(etag))
}

/// Whether a `Range` applies: there is no `If-Range`, or it names this version (compared
/// strongly). An `If-Range` date never matches, as lector's blobs carry no `Last-Modified`.
pub fn range_applies(headers: &HeaderMap, etag: &ETag) -> bool {
    headers.typed_get::<IfRange>().is_none_or(|condition| !condition.is_modified(Some(etag), None))
}

/// Whether the client's copy is the answer's version: by tag when it names tags (RFC 9110
/// §13.1.3: then its date does not count), else by date.
fn client_has(asked: &HeaderMap, tag: &ETag, modified: Option<LastModified>) -> bool {
    if asked.contains_key(IF_NONE_MATCH) {
        return not_modified(asked, tag);
    }
    match (asked.typed_get::<IfModifiedSince>(), modified) {
        (Some(since), Some(modified)) => !since.is_modified(modified.into()),
        _ => false,
    }
}

/// The 304 for an answer the client has: its tag, date and caching rule, no body.
fn not_modified_answer(mut parts: axum::http::response::Parts) -> Response {
    parts.status = StatusCode::NOT_MODIFIED;
    parts.headers.remove(CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::empty())
}

/// Gives every successful page and JSON answer to a GET a strong entity tag from a digest of
/// its bytes, answers 304 when the client's copy has that tag (or, asking by date only, is as
/// new as its `Last-Modified`), and sets how caches may keep it unless the handler said (an
/// answer setting a cookie is private). Exact by construction: any change to what a page or
/// document shows changes its tag. Kept answers come tagged already; streams (audio, blobs,
/// with tags of their own) and answers marked `no-store` pass untouched.
pub async fn tag_by_content(request: Request, next: Next) -> Response {
    let get = request.method() == Method::GET;
    let reading = get || request.method() == Method::HEAD;
    // Of the request, only the versions the client has are needed afterwards.
    let mut asked = HeaderMap::new();
    for tag in request.headers().get_all(IF_NONE_MATCH) {
        asked.append(IF_NONE_MATCH, tag.clone());
    }
    if let Some(since) = request.headers().get(IF_MODIFIED_SINCE) {
        asked.insert(IF_MODIFIED_SINCE, since.clone());
    }
    let response = next.run(request).await;
    let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let html = content_type.starts_with("text/html");
    let json = content_type.starts_with("application/json");
    let no_store =
        response.headers().get(CACHE_CONTROL).is_some_and(|v| v.as_bytes().starts_with(b"no-store"));
    if !reading || response.status() != StatusCode::OK || !(html || json) || no_store {
        return response;
    }
    if let Some(tag) = response.headers().typed_get::<ETag>() {
        let modified = response.headers().typed_get::<LastModified>();
        if client_has(&asked, &tag, modified) {
            return not_modified_answer(response.into_parts().0);
        }
        return response;
    }
    // A HEAD answer's body may be gone already, and its digest would mislead.
    if !get {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    if !parts.headers.contains_key(CACHE_CONTROL) {
        let rule = if parts.headers.contains_key(SET_COOKIE) {
            PRIVATE_PAGE
        } else if json {
            JSON
        } else {
            PUBLIC_PAGE
        };
        parts.headers.insert(CACHE_CONTROL, HeaderValue::from_static(rule));
    }
    // Only a body whose whole length is known and within the limit is read to be tagged.
    let length = HttpBody::size_hint(&body).exact();
    if length.is_none_or(|length| length > MAX_TAGGED_BYTES as u64) {
        return Response::from_parts(parts, body);
    }
    let bytes = match axum::body::to_bytes(body, MAX_TAGGED_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!("reading an answer to tag it: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if let Some(value) = content_tag(&bytes) {
        parts.headers.insert(ETAG, value.clone());
        if value.to_str().ok().and_then(etag).is_some_and(|tag| not_modified(&asked, &tag)) {
            return not_modified_answer(parts);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().expect("a header value"));
        }
        map
    }

    #[test]
    fn if_none_match_names_the_version_in_a_list_weakly_or_as_any() {
        let tag = etag("\"v2\"").expect("a tag");
        let check = |pairs| not_modified(&headers(pairs), &tag);
        assert!(check(&[("if-none-match", "\"v2\"")]));
        assert!(check(&[("if-none-match", "\"v1\", \"v2\"")]));
        assert!(check(&[("if-none-match", "W/\"v2\"")]));
        assert!(check(&[("if-none-match", "*")]));
        assert!(!check(&[("if-none-match", "\"v1\"")]));
        assert!(!check(&[("if-none-match", "v2")]), "an unquoted tag is no tag");
        assert!(!check(&[]));
    }

    #[test]
    fn if_range_lets_a_range_apply_only_to_the_same_version() {
        let tag = etag("\"v2\"").expect("a tag");
        let check = |pairs| range_applies(&headers(pairs), &tag);
        assert!(check(&[]));
        assert!(check(&[("if-range", "\"v2\"")]));
        assert!(!check(&[("if-range", "\"v1\"")]));
        assert!(!check(&[("if-range", "W/\"v2\"")]), "a weak tag never matches for a range");
        assert!(!check(&[("if-range", "Wed, 21 Oct 2015 07:28:00 GMT")]));
    }

    /// The layer over one route answering `body` as JSON.
    async fn tagged(body: Vec<u8>, if_none_match: Option<&str>) -> Response {
        use tower::ServiceExt;
        let app = axum::Router::new()
            .route(
                "/",
                axum::routing::get(move || {
                    let body = body.clone();
                    async move { ([(CONTENT_TYPE, "application/json")], body) }
                }),
            )
            .layer(axum::middleware::from_fn(tag_by_content));
        let mut request = Request::get("/");
        if let Some(tag) = if_none_match {
            request = request.header("if-none-match", tag);
        }
        app.oneshot(request.body(Body::empty()).expect("a request")).await.expect("an answer")
    }

    #[tokio::test]
    async fn bodies_are_tagged_by_their_bytes_and_huge_ones_pass_whole() {
        let first = tagged(b"[1]".to_vec(), None).await;
        let tag = first.headers().get(ETAG).and_then(|v| v.to_str().ok()).expect("a tag").to_string();
        assert_eq!(first.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some(JSON));
        assert_eq!(tagged(b"[1]".to_vec(), Some(&tag)).await.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(tagged(b"[2]".to_vec(), Some(&tag)).await.status(), StatusCode::OK);
        let huge = vec![b' '; MAX_TAGGED_BYTES + 1];
        let answer = tagged(huge, None).await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert!(answer.headers().get(ETAG).is_none());
        let bytes = axum::body::to_bytes(answer.into_body(), usize::MAX).await.expect("the body");
        assert_eq!(bytes.len(), MAX_TAGGED_BYTES + 1);
    }

    #[test]
    fn only_quoted_tags_are_tags() {
        assert!(etag("\"abc\"").is_some());
        assert!(etag("abc").is_none());
    }
}
