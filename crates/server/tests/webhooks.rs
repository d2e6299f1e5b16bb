//! Webhooks through the router and the job queue, against a receiver on loopback: hooks made
//! and listed by an admin only, each event delivered to the hooks that asked for it, signed
//! (and the signature checked as a receiver would), retried with the same id after a failure,
//! and refused for addresses the safe fetcher refuses.

mod common;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode};
use common::{TestApp, article, serve_loopback};
use lector_core::webhooks::{Refusal, verify};
use serde_json::json;

/// What the receiver was sent: headers and body of each post, in order.
type Received = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A receiver that fails its first `failures` posts with a 500 and takes the rest.
async fn receiver(failures: usize) -> (String, Received) {
    let received: Received = Arc::default();
    let kept = Arc::clone(&received);
    let router = Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let kept = Arc::clone(&kept);
            async move {
                let mut all = kept.lock().expect("lock");
                all.push((headers, String::from_utf8_lossy(&body).into_owned()));
                if all.len() <= failures { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::NO_CONTENT }
            }
        }),
    );
    let address = serve_loopback(router).await;
    (format!("http://{address}/hook"), received)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

#[tokio::test]
async fn events_are_signed_delivered_and_retried() {
    let app = TestApp::with("webhooks", |config| {
        config.fetch.allow = vec!["127.0.0.1".into()];
        config.jobs.retry_after_secs = 0;
    })
    .await;
    let (url, received) = receiver(1).await;
    let (other_url, other) = receiver(0).await;

    // Only an admin token makes hooks; the secret is shown once.
    let (writer, hash) = lector_core::tokens::new_token().expect("token");
    app.state.store.create_token("cms", &hash, "articles:write", None, 1).await.expect("stored");
    let request = axum::http::Request::post("/api/webhooks")
        .header("authorization", format!("Bearer {writer}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(json!({"url": url, "events": ["narration.ready"]}).to_string()))
        .expect("request");
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    let made = app
        .post_json("/api/webhooks", &json!({"url": url, "events": ["narration.ready", "article.published"]}))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&made.body));
    let secret = made.json()["secret"].as_str().expect("the secret").to_string();
    assert!(secret.starts_with("whsec_"));
    let failed_only =
        app.post_json("/api/webhooks", &json!({"url": other_url, "events": ["narration.failed"]})).await;
    assert_eq!(failed_only.status, StatusCode::CREATED);
    let listed = app.write(Method::GET, "/api/webhooks", "application/json", "").await.json();
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    assert!(listed[0].get("secret").is_none(), "never listed: {listed}");

    // An article stored published: article.published, then narration.ready once narrated.
    let posted = app
        .post_json(
            "/api/articles",
            &article("Ferry fares", "https://n.example/fares", &["Fares stay the same."]),
        )
        .await;
    let id = posted.json()["id"].as_i64().expect("id");
    app.run_jobs().await;

    let all = received.lock().expect("lock").clone();
    let events: Vec<serde_json::Value> =
        all.iter().map(|(_, body)| serde_json::from_str(body).expect("JSON")).collect();
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    // The first post failed and was tried again: article.published twice, then narration.ready.
    assert_eq!(kinds, ["article.published", "article.published", "narration.ready"], "{events:?}");
    let (first, retry) = (&all[0].0, &all[1].0);
    assert_eq!(header(first, "webhook-id"), header(retry, "webhook-id"), "a retry keeps its id");
    assert_ne!(header(&all[2].0, "webhook-id"), header(first, "webhook-id"));
    for (headers, body) in &all {
        let (id_header, at) = (header(headers, "webhook-id"), header(headers, "webhook-timestamp"));
        let signature = header(headers, "webhook-signature");
        assert_eq!(header(headers, "content-type"), "application/json");
        assert_eq!(verify(&secret, id_header, at, signature, body, lector_core::now()), Ok(()), "{body}");
        // A receiver refuses a changed body, another secret and an old delivery.
        let changed = body.replace("Ferry", "Ferri");
        assert_eq!(
            verify(&secret, id_header, at, signature, &changed, lector_core::now()),
            Err(Refusal::Forged)
        );
        assert_eq!(
            verify("whsec_AAAA", id_header, at, signature, body, lector_core::now()),
            Err(Refusal::Forged)
        );
        assert_eq!(
            verify(&secret, id_header, at, signature, body, lector_core::now() + 600),
            Err(Refusal::Stale)
        );
    }
    let ready = &events[2]["data"];
    assert_eq!(ready["article_id"], id);
    assert_eq!(ready["headline"], "Ferry fares");
    assert!(ready["duration_ms"].as_i64().unwrap_or(0) > 0, "{ready}");
    assert!(ready["audio_url"].as_str().unwrap_or("").ends_with(&format!("/api/articles/{id}/audio")));
    assert!(other.lock().expect("lock").is_empty(), "a hook gets only the events it asked for");

    // A draft published later tells the hook then, not before.
    let draft = json!({"status": "draft"});
    let mut value = article("Bus lanes", "https://n.example/lanes", &["New lanes open."]);
    value["status"] = draft["status"].clone();
    let draft_id = app.post_json("/api/articles", &value).await.json()["id"].as_i64().expect("id");
    app.run_jobs().await;
    let before = received.lock().expect("lock").len();
    let kinds_now: Vec<String> = received.lock().expect("lock")[3..]
        .iter()
        .filter_map(|(_, b)| serde_json::from_str::<serde_json::Value>(b).ok())
        .filter_map(|e| e["type"].as_str().map(str::to_string))
        .collect();
    assert_eq!(kinds_now, ["narration.ready"], "a draft is narrated, not published");
    let publish = app
        .write(
            Method::PUT,
            &format!("/api/articles/{draft_id}/publication"),
            "application/json",
            r#"{"status": "published"}"#,
        )
        .await;
    assert_eq!(publish.status, StatusCode::OK);
    app.run_jobs().await;
    let after = received.lock().expect("lock")[before..].to_vec();
    assert_eq!(after.len(), 1);
    assert!(after[0].1.contains("\"type\":\"article.published\"") && after[0].1.contains("Bus lanes"));

    // Removed: nothing more is sent to it.
    let hook = made.json()["id"].as_i64().expect("id");
    assert_eq!(
        app.write(Method::DELETE, &format!("/api/webhooks/{hook}"), "application/json", "").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.write(Method::DELETE, &format!("/api/webhooks/{hook}"), "application/json", "").await.code(),
        "webhook_not_found"
    );
    app.post_json("/api/articles", &article("Night buses", "https://n.example/night", &["They run."])).await;
    app.run_jobs().await;
    assert_eq!(received.lock().expect("lock").len(), before + 1);
}

#[tokio::test]
async fn hooks_to_addresses_the_fetcher_refuses_are_refused() {
    let app = TestApp::new("webhooks-refused").await;
    for (url, code) in [
        ("http://127.0.0.1:9/hook", "url_refused"),
        ("http://10.0.0.7/hook", "url_refused"),
        ("http://[::1]/hook", "url_refused"),
        ("ftp://hooks.example/x", "invalid_url"),
        ("not a url", "invalid_url"),
    ] {
        let refused =
            app.post_json("/api/webhooks", &json!({"url": url, "events": ["narration.ready"]})).await;
        assert_eq!(refused.code(), code, "{url}");
    }
    let unknown = app
        .post_json("/api/webhooks", &json!({"url": "https://hooks.example/x", "events": ["article.deleted"]}))
        .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_event".to_string())
    );
    let none = app.post_json("/api/webhooks", &json!({"url": "https://hooks.example/x", "events": []})).await;
    assert_eq!(none.code(), "invalid_event");
}
