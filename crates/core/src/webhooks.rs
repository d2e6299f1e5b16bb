//! Webhooks: a newsroom's systems are told when a narration is ready or failed and when an
//! article goes out. Each delivery is a job (retried with backoff like every job, on whichever
//! node takes it), posted through the safe fetcher and signed as the Standard Webhooks
//! specification says: `webhook-id` (the same on every retry, for receivers to drop repeats),
//! `webhook-timestamp` (Unix seconds, for receivers to refuse old ones) and
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` under the hook's
//! `whsec_` secret. [`verify`] is the receiver's side, for tests and Rust receivers.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use lector_store::{ArticleRecord, Id, Job, JobKind, Webhook};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use sha2::Sha256;

use crate::context::{Core, now};
use crate::error::{Code, Error};

/// An article's narration in its voice is stored and can be played.
pub const NARRATION_READY: &str = "narration.ready";
/// An article's narration failed for good (every attempt).
pub const NARRATION_FAILED: &str = "narration.failed";
/// An article became public: stored published, published by hand, or at its scheduled time.
pub const ARTICLE_PUBLISHED: &str = "article.published";
/// Every event a hook may ask for.
pub const EVENTS: [&str; 3] = [NARRATION_READY, NARRATION_FAILED, ARTICLE_PUBLISHED];

/// How far a receiver's clock and a delivery's timestamp may differ before [`verify`] refuses
/// it as a replay.
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// A hook as it is stored, and the secret shown to its maker once.
pub async fn add(core: &Core, url: &str, events: &[String]) -> Result<Webhook, Error> {
    let url = core.fetcher.check(url.trim())?.to_string();
    let mut chosen: Vec<&str> = Vec::new();
    for event in events.iter().flat_map(|e| e.split([',', ' '])).map(str::trim).filter(|e| !e.is_empty()) {
        let known = EVENTS.iter().find(|known| **known == event).ok_or_else(|| {
            Error::refused(Code::InvalidEvent, format!("no event {event:?}: {}", EVENTS.join(", ")))
        })?;
        if !chosen.contains(known) {
            chosen.push(known);
        }
    }
    if chosen.is_empty() {
        return Err(Error::refused(
            Code::InvalidEvent,
            format!("name at least one event: {}", EVENTS.join(", ")),
        ));
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(Error::internal)?;
    let secret = format!("whsec_{}", STANDARD.encode(key));
    Ok(core.store.create_webhook(&url, &secret, &chosen.join(" "), now()).await?)
}

/// Queues a delivery of `event` about `article` to every hook that asked for it.
pub async fn notify(core: &Core, event: &str, article: Id) {
    let hooks = match core.store.webhooks().await {
        Ok(hooks) => hooks,
        Err(e) => return tracing::error!(article, event, "webhooks: {e}"),
    };
    let mut queued = false;
    for hook in hooks.iter().filter(|hook| hook.events.split_whitespace().any(|e| e == event)) {
        match core.store.enqueue_job(JobKind::Webhook, article, &target(hook.id, event), now()).await {
            Ok(_) => queued = true,
            Err(e) => tracing::error!(article, event, hook = hook.id, "queueing a webhook: {e}"),
        }
    }
    if queued {
        core.jobs_waiting.notify_waiters();
    }
}

/// What a delivery job names in its `voice`: the hook and the event.
fn target(hook: Id, event: &str) -> String {
    format!("{hook} {event}")
}

fn parse_target(text: &str) -> Option<(Id, &str)> {
    let (hook, event) = text.split_once(' ')?;
    Some((hook.parse().ok()?, EVENTS.iter().find(|e| **e == event)?))
}

/// What a receiver gets.
#[derive(Debug, Serialize)]
struct Payload<'a> {
    #[serde(rename = "type")]
    event: &'a str,
    /// RFC 3339.
    timestamp: String,
    data: Data,
}

#[derive(Debug, Serialize)]
struct Data {
    article_id: Id,
    external_id: Option<String>,
    canonical_url: Option<String>,
    url: String,
    headline: String,
    /// `draft`, `scheduled` or `published`.
    status: &'static str,
    revision: i64,
    voice: Option<String>,
    audio_url: String,
    duration_ms: Option<i64>,
}

async fn payload(core: &Core, event: &str, record: &ArticleRecord) -> Result<String, Error> {
    let progress = crate::narration::progress(core, record).await?;
    let base = core.config.public_url();
    let slug = if record.slug.is_empty() { String::new() } else { format!("/{}", record.slug) };
    let data = Data {
        article_id: record.id,
        external_id: record.external_id.clone(),
        canonical_url: record.article.canonical_url.clone(),
        url: format!("{base}/articles/{}{slug}", record.id),
        headline: record.article.headline.clone(),
        status: record.publication().status(),
        revision: record.revision,
        voice: progress.voice,
        audio_url: format!("{base}/api/articles/{}/audio", record.id),
        duration_ms: progress.duration_ms,
    };
    let timestamp = chrono::DateTime::from_timestamp(now(), 0).map(|d| d.to_rfc3339()).unwrap_or_default();
    serde_json::to_string(&Payload { event, timestamp, data }).map_err(Error::internal)
}

/// The key a `whsec_` secret stands for.
fn key(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix("whsec_").unwrap_or(secret)).ok()
}

/// The `v1,` signature of a delivery.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key(secret)?).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// Why a receiver refuses a delivery.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("a webhook header is missing or malformed")]
    Malformed,
    #[error("the timestamp is too far from now: a replay, or a wrong clock")]
    Stale,
    #[error("no signature matches")]
    Forged,
}

/// The receiver's check of a delivery: its signature (any of those the header lists, in
/// constant time) under `secret`, and its timestamp within [`TOLERANCE_SECS`] of `now`.
pub fn verify(
    secret: &str,
    id: &str,
    timestamp: &str,
    signatures: &str,
    body: &str,
    now: i64,
) -> Result<(), Refusal> {
    let at: i64 = timestamp.trim().parse().map_err(|_| Refusal::Malformed)?;
    if (now - at).abs() > TOLERANCE_SECS {
        return Err(Refusal::Stale);
    }
    let key = key(secret).ok_or(Refusal::Malformed)?;
    for signature in signatures.split_whitespace().filter_map(|s| s.strip_prefix("v1,")) {
        let Ok(given) = STANDARD.decode(signature) else { continue };
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| Refusal::Malformed)?;
        mac.update(format!("{id}.{at}.{body}").as_bytes());
        if mac.verify_slice(&given).is_ok() {
            return Ok(());
        }
    }
    Err(Refusal::Forged)
}

/// Delivers one queued event: done when the receiver answers 2xx or when the hook or the
/// article is gone; an error (retried with backoff) otherwise.
pub async fn deliver(core: &Core, job: &Job) -> Result<(), String> {
    let Some((hook, event)) = parse_target(&job.voice) else {
        return Err(format!("not a webhook delivery: {:?}", job.voice));
    };
    let Some(hook) = core.store.webhook(hook).await.map_err(|e| e.to_string())? else { return Ok(()) };
    let Some(record) = core.store.article(job.article_id).await.map_err(|e| e.to_string())? else {
        return Ok(());
    };
    let body = payload(core, event, &record).await.map_err(|e| e.to_string())?;
    // The same id on every attempt: the receiver keeps each event once.
    let id = format!("msg_{}_{}", job.id, job.created_at);
    let timestamp = now();
    let signature = sign(&hook.secret, &id, timestamp, &body).ok_or("the hook's secret is unreadable")?;
    let mut headers = HeaderMap::new();
    for (name, value) in
        [("webhook-id", id), ("webhook-timestamp", timestamp.to_string()), ("webhook-signature", signature)]
    {
        let value = HeaderValue::from_str(&value).map_err(|e| e.to_string())?;
        headers.insert(HeaderName::from_static(name), value);
    }
    match core.fetcher.post_json(&hook.url, body, headers).await {
        Ok(status) => {
            tracing::info!(hook = hook.id, event, article = record.id, status, "webhook delivered");
            Ok(())
        }
        Err(e) => Err(format!("webhook {} ({}): {e}", hook.id, hook.url)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_refuse_what_they_should() {
        let secret = format!("whsec_{}", STANDARD.encode([7u8; 32]));
        let signature = sign(&secret, "msg_1", 1_000, "{\"a\":1}").expect("signed");
        assert!(signature.starts_with("v1,"));
        assert_eq!(verify(&secret, "msg_1", "1000", &signature, "{\"a\":1}", 1_010), Ok(()));
        // Another signature listed first (a secret being rotated) does not hide the right one.
        let both = format!("v1,AAAA {signature}");
        assert_eq!(verify(&secret, "msg_1", "1000", &both, "{\"a\":1}", 1_010), Ok(()));
        assert_eq!(verify(&secret, "msg_1", "1000", &signature, "{\"a\":2}", 1_010), Err(Refusal::Forged));
        assert_eq!(verify(&secret, "msg_2", "1000", &signature, "{\"a\":1}", 1_010), Err(Refusal::Forged));
        let other = format!("whsec_{}", STANDARD.encode([8u8; 32]));
        assert_eq!(verify(&other, "msg_1", "1000", &signature, "{\"a\":1}", 1_010), Err(Refusal::Forged));
        assert_eq!(
            verify(&secret, "msg_1", "1000", &signature, "{\"a\":1}", 1_000 + 301),
            Err(Refusal::Stale)
        );
        assert_eq!(verify(&secret, "msg_1", "soon", &signature, "{\"a\":1}", 1_000), Err(Refusal::Malformed));
    }

    #[test]
    fn targets_name_a_hook_and_a_known_event() {
        assert_eq!(parse_target(&target(12, NARRATION_READY)), Some((12, NARRATION_READY)));
        assert_eq!(parse_target("12 narration.exploded"), None);
        assert_eq!(parse_target("x narration.ready"), None);
    }
}
