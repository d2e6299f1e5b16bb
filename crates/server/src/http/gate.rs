//! The gate of a site in library mode: every request but signing in, the page assets and the
//! operators' probes needs a signed-in user (a session, or a token with the `library` scope),
//! or another live token (an operator's, which sees no library);
//! the user goes into the request's extensions ([`SignedIn`]) for the handlers, which show
//! only that user's library. A browser asking for a page is sent to sign in; anything else is
//! answered 401. What a library has no use for (readers' comments, the sitemap, oEmbed, the
//! public podcasts, the publishers' embed loader) is not there, and no answer may be kept by a
//! shared cache.

use axum::extract::{Request, State};
use axum::http::header::{ACCEPT, CACHE_CONTROL, LOCATION, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lector_core::config::SiteMode;

use crate::http::auth::{bearer, signed_in};
use crate::http::error::ApiError;
use crate::state::AppState;

/// Paths anyone may reach on a library: signing in and out, the assets of the sign-in page,
/// the installable app's manifest and worker, health and metrics, the API's description.
fn open(path: &str) -> bool {
    matches!(
        path,
        "/login"
            | "/logout"
            | "/console"
            | "/console/login"
            | "/console/logout"
            | "/healthz"
            | "/metrics"
            | "/api/openapi.json"
            | "/manifest.webmanifest"
            | "/sw.js"
            | "/favicon.ico"
            | "/feeds/podcast.png"
    ) || path.starts_with("/assets/")
        || path.starts_with("/feeds/private/")
}

/// Routes a library does not have: readers' comments and their moderation, the sitemap, the
/// public podcasts, oEmbed and the publishers' embed loader.
fn closed(method: &Method, path: &str) -> bool {
    let comments = path.starts_with("/api/comments")
        || (path.starts_with("/api/articles/") && path.ends_with("/comments"))
        || (method == Method::POST && path.starts_with("/articles/") && path.ends_with("/comments"));
    // The public podcasts and the publishers' embed loader: a library has its readers' own feeds.
    let public = matches!(
        path,
        "/sitemap.xml" | "/oembed" | "/moderation" | "/embed" | "/embed.js" | "/feeds/podcast.xml"
    ) || path.starts_with("/feeds/topics/");
    comments || public || path.starts_with("/console/comments")
}

/// The gate; publications pass straight through.
pub async fn library_gate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if state.config.site.mode != SiteMode::Library {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    if closed(request.method(), &path) {
        return ApiError::not_found("route_not_found", "no such page or API route").into_response();
    }
    match signed_in(&state, request.headers()).await {
        Ok(Some(user)) => {
            request.extensions_mut().insert(user);
        }
        // Any other live token (an operator's, for the API's writes) passes, and is shown
        // nothing of any library.
        Ok(None) if open(&path) || live_token(&state, request.headers()).await => {}
        Ok(None) => return refuse(&request),
        Err(e) => return e.into_response(),
    }
    let mut response = next.run(request).await;
    keep_private(response.headers_mut());
    response
}

/// Whether the request carries a live bearer token, whatever it may do.
async fn live_token(state: &AppState, headers: &HeaderMap) -> bool {
    match bearer(headers) {
        Some(token) => matches!(lector_core::tokens::grant_of(state, token).await, Ok(Some(_))),
        None => false,
    }
}

/// A browser's page request is sent to sign in (and back after); the rest get a 401.
fn refuse(request: &Request) -> Response {
    let path = request.uri().path();
    let wants_page = request.method() == Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/feeds/")
        && request
            .headers()
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    if wants_page {
        let back = request.uri().path_and_query().map_or(path, |p| p.as_str());
        let location = format!(
            "/login?next={}",
            url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
        );
        let mut response = StatusCode::SEE_OTHER.into_response();
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(LOCATION, value);
        }
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    let mut response = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "this library is private: sign in, or send a bearer token with the library scope",
    )
    .into_response();
    response.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// Makes an answer's caching rules private: a shared cache (a proxy, a CDN) keeps nothing of
/// one reader's library, while the reader's own browser may keep what it could before.
fn keep_private(headers: &mut HeaderMap) {
    let rules = headers.get(CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let mut kept: Vec<&str> = rules
        .split(',')
        .map(str::trim)
        .filter(|rule| {
            let name = rule.split('=').next().unwrap_or("").trim().to_ascii_lowercase();
            !rule.is_empty()
                && !matches!(name.as_str(), "public" | "s-maxage" | "private" | "proxy-revalidate")
        })
        .collect();
    if !kept.iter().any(|rule| rule.eq_ignore_ascii_case("no-store")) {
        kept.insert(0, "private");
        if kept.len() == 1 {
            kept.push("no-cache");
        }
    }
    if let Ok(value) = HeaderValue::from_str(&kept.join(", ")) {
        headers.insert(CACHE_CONTROL, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn privately(rules: Option<&str>) -> String {
        let mut headers = HeaderMap::new();
        if let Some(rules) = rules {
            headers.insert(CACHE_CONTROL, HeaderValue::from_str(rules).expect("header"));
        }
        keep_private(&mut headers);
        headers.get(CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
    }

    #[test]
    fn no_answer_is_left_to_shared_caches() {
        assert_eq!(privately(None), "private, no-cache");
        assert_eq!(privately(Some("public, max-age=86400, immutable")), "private, max-age=86400, immutable");
        assert_eq!(
            privately(Some("public, s-maxage=10, stale-while-revalidate=30")),
            "private, stale-while-revalidate=30"
        );
        assert_eq!(privately(Some("no-store")), "no-store");
        assert_eq!(privately(Some("private, no-cache")), "private, no-cache");
    }

    #[test]
    fn only_signing_in_and_assets_are_open_and_comments_are_closed() {
        for path in ["/login", "/assets/site.css", "/healthz", "/feeds/private/abc/podcast.xml"] {
            assert!(open(path), "{path}");
        }
        for path in ["/", "/articles/1", "/api/articles", "/api/images/x", "/feeds/podcast.xml", "/library"] {
            assert!(!open(path), "{path}");
        }
        for path in ["/api/articles/3/comments", "/articles/3/comments", "/api/comments/4/hide"] {
            assert!(closed(&Method::POST, path), "{path}");
        }
        for path in [
            "/sitemap.xml",
            "/oembed",
            "/feeds/podcast.xml",
            "/feeds/topics/city/podcast.xml",
            "/embed",
            "/embed.js",
        ] {
            assert!(closed(&Method::GET, path), "{path}");
        }
        assert!(!closed(&Method::GET, "/embed/3"), "the player frame of a reader's own article");
        assert!(!closed(&Method::GET, "/articles/3/comments"), "an article whose slug is \"comments\"");
    }
}
