//! Whole answers to reads (pages and JSON documents) kept in memory as they were sent, under
//! their address and the version of what they show (`lector_core::changes`): a change to
//! what a page shows moves its version, so a kept answer is never shown after a change once
//! the node's lease has run out, on any node. While a page renders, readers asking for the
//! same version wait for it rather than render it again. Only answers every reader may
//! share are kept: a 200 that sets no cookie and is not private.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use headers::{HeaderMapExt, LastModified};
use lector_core::changes::ChangeFeed;
use lector_store::Id;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::http::conditional::{JSON, MAX_TAGGED_BYTES, PUBLIC_PAGE, content_tag};

/// What a kept answer is found by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    /// The path and query asked for.
    address: String,
    version: i64,
}

/// An answer as it was sent.
#[derive(Debug)]
pub struct Kept {
    headers: HeaderMap,
    body: Bytes,
    /// When what it shows last changed, in seconds since 1970.
    changed_secs: u64,
}

impl Kept {
    /// The answer, with its `Last-Modified` once the second of the change is over (a later
    /// change in the same second would carry the same date).
    fn response(&self) -> Response {
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.headers_mut() = self.headers.clone();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if now > self.changed_secs {
            let date = UNIX_EPOCH + Duration::from_secs(self.changed_secs);
            response.headers_mut().typed_insert(LastModified::from(date));
        }
        response
    }
}

#[derive(Debug, Clone)]
struct ByBytes;

impl Weighter<Key, Arc<Kept>> for ByBytes {
    fn weight(&self, key: &Key, value: &Arc<Kept>) -> u64 {
        (key.address.len() + value.body.len() + 512) as u64
    }
}

/// Kept answers by address and version, the least recently used going first past the limit.
#[derive(Debug)]
pub struct PageCache {
    cache: Option<Cache<Key, Arc<Kept>, ByBytes>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl PageCache {
    /// A cache of at most `bytes` (none at 0).
    pub fn new(bytes: u64) -> PageCache {
        let items = usize::try_from(bytes / 32_768).unwrap_or(usize::MAX).max(16);
        PageCache {
            cache: (bytes > 0).then(|| Cache::with_weighter(items, bytes, ByBytes)),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The answer to a read of `uri`, a page or document showing `article` (or no article in
    /// particular): the kept copy of its current version, or else `render`'s answer, kept when
    /// every reader may share it. When the node cannot trust what it keeps (its lease ran out and
    /// the change log cannot be read), `render` answers and nothing is kept.
    pub async fn answer<F, Fut>(
        &self,
        changes: &Arc<ChangeFeed>,
        uri: &Uri,
        article: Option<Id>,
        render: F,
    ) -> Response
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Response>,
    {
        let Some(cache) = &self.cache else { return render().await };
        if !changes.fresh().await {
            return render().await;
        }
        let address = uri.path_and_query().map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
        let key = Key { address, version: changes.version(article) };
        match cache.get_value_or_guard_async(&key).await {
            Ok(kept) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                kept.response()
            }
            Err(guard) => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                let changed_ms = changes.changed_at_ms(article);
                match keep(render().await, changed_ms).await {
                    Ok(kept) => {
                        let kept = Arc::new(kept);
                        let _ = guard.insert(Arc::clone(&kept));
                        kept.response()
                    }
                    Err(response) => response,
                }
            }
        }
    }

    /// Forgets every kept answer: for what pages show that no change of the store says (this
    /// node's measure of its voice's pace).
    pub fn clear(&self) {
        if let Some(cache) = &self.cache {
            cache.clear();
        }
    }

    /// Lookups that found a kept answer, and lookups that did not.
    pub fn counts(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }
}

/// The answer as kept, with its tag and caching rule; the answer itself back when it is not
/// one every reader may share.
async fn keep(response: Response, changed_ms: i64) -> Result<Kept, Response> {
    let shared = |headers: &HeaderMap| {
        !headers.contains_key(SET_COOKIE)
            && headers.get(CACHE_CONTROL).is_none_or(|v| {
                let rule = v.as_bytes();
                !rule.starts_with(b"no-store") && !rule.starts_with(b"private")
            })
    };
    let length = HttpBody::size_hint(response.body()).exact();
    if response.status() != StatusCode::OK
        || !shared(response.headers())
        || length.is_none_or(|length| length > MAX_TAGGED_BYTES as u64)
    {
        return Err(response);
    }
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_TAGGED_BYTES).await {
        Ok(body) => body,
        Err(e) => {
            tracing::error!("reading an answer to keep it: {e}");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    if !parts.headers.contains_key(CACHE_CONTROL) {
        let json =
            parts.headers.get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        parts.headers.insert(CACHE_CONTROL, HeaderValue::from_static(if json { JSON } else { PUBLIC_PAGE }));
    }
    if let Some(tag) = content_tag(&body) {
        parts.headers.insert(ETAG, tag);
    }
    let changed_secs = u64::try_from(changed_ms / 1000).unwrap_or(0);
    Ok(Kept { headers: parts.headers, body, changed_secs })
}
