//! Hostile input through every way in, then every resulting page in Chromium: 115 XSS
//! payloads (tests/fixtures/xss.txt) are posted as article JSON (in every field a page shows),
//! as HTML pages to extract, and as comments; no page may run any of them (no dialog opens,
//! and `window.pwned`, which every payload tries to set, stays unset).

#[path = "common/browser.rs"]
mod browser;
mod common;

use axum::http::Method;
use browser::Browser;
use common::{TestApp, serve_loopback};
use serde_json::json;

fn payloads() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/xss.txt"))
        .expect("the corpus");
    text.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect()
}

fn text(t: &str) -> serde_json::Value {
    json!({"text": t})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_payload_runs_in_any_page() {
    let payloads = payloads();
    assert!(payloads.len() >= 100, "{} payloads", payloads.len());
    let app = TestApp::with("xss", |config| {
        config.comments.per_minute = 100_000;
        config.comments.max_links = 100;
    })
    .await;
    let mut pages = Vec::new();
    for (i, payload) in payloads.iter().enumerate() {
        let article = json!({
            "canonical_url": format!("https://xss.example/json/{i}"),
            "headline": format!("Headline {i} {payload}"),
            "description": payload,
            "summary": [payload],
            "topics": [{"name": payload, "slug": format!("topic-{i}")}],
            "authors": [{"name": payload, "url": payload}],
            "lead_image": {"url": payload, "alt": payload, "caption": payload, "credit": payload},
            "body": [
                {"type": "paragraph", "content": [text(payload), {"emphasis": [text(payload)]}]},
                {"type": "paragraph", "content": [{"link": {"href": payload, "content": [text(payload)]}}]},
                {"type": "heading", "level": 2, "content": [text(payload)]},
                {"type": "list", "ordered": false, "items": [[text(payload)]]},
                {"type": "quote", "paragraphs": [[text(payload)]], "attribution": payload},
                {"type": "preformatted", "text": payload},
                {"type": "table", "caption": payload, "header": [[text(payload)]], "rows": [[[text(payload)], [{"link": {"href": payload, "content": [text(payload)]}}]]]},
                {"type": "image", "url": payload, "alt": payload, "caption": payload},
                {"type": "video", "title": payload, "url": payload, "poster": payload, "duration_seconds": 61},
            ],
        });
        let stored = app.post_json("/api/articles", &article).await;
        assert!(stored.status.is_success(), "payload {i}: {}", String::from_utf8_lossy(&stored.body));
        pages.push(format!("/articles/{}", stored.json()["id"]));

        let page = format!(
            "<html><head><title>Page {i} {payload}</title><meta name=\"description\" content=\"{payload}\"></head><body><article>\
             <h1>Extracted {i} {payload}</h1><p>The first paragraph of article {i} has enough ordinary words to count as text. {payload}</p>\
             <p>The second paragraph keeps going with more words about the harbour. {payload}</p>\
             <figure><img src=\"{payload}\" alt=\"{payload}\"><figcaption>{payload}</figcaption></figure>\
             <p>A <a href=\"{payload}\">link</a> in the third paragraph of the story about the harbour.</p></article></body></html>"
        );
        let uri = format!("/api/extract?url=https://xss.example/html/{i}");
        let extracted = app.write(Method::POST, &uri, "text/html", page).await;
        if extracted.status.is_success() {
            pages.push(format!("/articles/{}", extracted.json()["id"]));
        } else {
            assert_eq!(extracted.code(), "no_article", "payload {i}");
        }
    }
    let host = app
        .post_json("/api/articles", &common::article("Comments", "https://xss.example/comments", &["Talk."]))
        .await;
    let host = host.json()["id"].as_i64().expect("id");
    let mut comments = 0;
    for (i, payload) in payloads.iter().enumerate() {
        let request = axum::http::Request::post(format!("/api/articles/{host}/comments"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(json!({"name": format!("R{i} {}", payload.chars().take(60).collect::<String>()), "body": payload}).to_string()))
            .expect("request");
        let answer = app.send(request).await;
        if answer.status.is_success() {
            comments += 1;
        }
    }
    assert!(comments >= 100, "{comments} hostile comments stored");
    pages.push(format!("/articles/{host}"));
    pages.extend((1..=12).map(|page| format!("/?page={page}")));
    pages.extend((0..payloads.len()).step_by(10).map(|i| format!("/topics/topic-{i}")));
    pages.push("/authors/script-window-pwned-1-script".to_string());

    let address = serve_loopback(app.router.clone()).await;
    let browser = Browser::start().await;
    // The check itself can fail: a page that runs a payload is caught both ways.
    let control = serve_loopback(
        axum::Router::new()
            .route(
                "/set",
                axum::routing::get(|| async { axum::response::Html("<script>window.pwned=1</script>") }),
            )
            .route(
                "/alert",
                axum::routing::get(|| async { axum::response::Html("<script>alert(1)</script>") }),
            ),
    )
    .await;
    browser.goto(&format!("http://{control}/set")).await.expect("control page");
    assert_eq!(
        browser.run("return typeof window.pwned === 'undefined'").await.expect("script"),
        json!(false)
    );
    let _ = browser.goto(&format!("http://{control}/alert")).await;
    assert_eq!(browser.dialog().await.expect("dialog"), Some("1".to_string()));
    browser.dismiss().await.expect("dismissed");

    let mut ran = Vec::new();
    for page in &pages {
        let outcome = async {
            browser.goto(&format!("http://{address}{page}")).await?;
            if let Some(text) = browser.dialog().await? {
                browser.dismiss().await?;
                return Err(format!("a dialog opened: {text:?}"));
            }
            let pwned = browser.run("return typeof window.pwned === 'undefined'").await?;
            if pwned != json!(true) {
                return Err("window.pwned was set".to_string());
            }
            Ok(())
        }
        .await;
        if let Err(e) = outcome {
            ran.push(format!("{page}: {e}"));
            let _ = browser.screenshot("xss").await;
        }
    }
    browser.quit().await;
    assert!(pages.len() > 230, "{} pages", pages.len());
    assert!(ran.is_empty(), "payloads ran: {ran:#?}");
}
