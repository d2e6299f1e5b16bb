//! Server-side fetching against a real HTTP server on loopback: the address policy (private
//! addresses, names that resolve to them, redirects to them), limits, pages by URL, images
//! kept and served, and feeds polled with conditional GET.

mod common;

use std::collections::HashMap;
use std::future::Future;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use common::TestApp;
use lector_core::config::FetchConfig;
use lector_core::fetch::{FetchError, Fetcher, Lookup};
use serde_json::json;

/// Resolves fixed names, as a hostile DNS server might.
#[derive(Debug)]
struct FixedLookup(HashMap<String, IpAddr>);

impl Lookup for FixedLookup {
    fn lookup(&self, host: String) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>> {
        let found = self.0.get(&host).copied();
        Box::pin(async move { found.map(|ip| vec![ip]).ok_or_else(|| std::io::Error::other("unknown name")) })
    }
}

fn loopback_names(names: &[&str]) -> Arc<dyn Lookup> {
    let localhost: IpAddr = "127.0.0.1".parse().expect("ip");
    Arc::new(FixedLookup(names.iter().map(|n| (n.to_string(), localhost)).collect()))
}

/// A wide PNG, so that smaller copies are made.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image =
        image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).expect("png");
    out.into_inner()
}

fn long_text() -> String {
    "The harbour ferry will run every twenty minutes from June, the port authority said on Monday. "
        .repeat(12)
}

/// The pages, images and feeds the tests fetch; counts requests by path.
async fn origin() -> (SocketAddr, Arc<HashMap<&'static str, AtomicUsize>>) {
    let counts: Arc<HashMap<&'static str, AtomicUsize>> = Arc::new(
        ["/feed.xml", "/feed-304", "/full-item", "/short-item", "/busy.png"]
            .into_iter()
            .map(|p| (p, AtomicUsize::new(0)))
            .collect(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let port = address.port();
    let demo = String::from_utf8_lossy(&original_page(address)).into_owned();
    let counted = Arc::clone(&counts);
    let count = move |path: &'static str| {
        if let Some(counter) = counted.get(path) {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    };
    let feed = format!(
        r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Harbour Times</title>
<link>http://127.0.0.1:{port}/</link><description>News</description>
<item><title>Ferry timetable changes</title><link>http://127.0.0.1:{port}/full-item</link><guid>ferry-1</guid>
<pubDate>Mon, 06 Apr 2026 08:00:00 +0000</pubDate><category>Transport</category>
<content:encoded><![CDATA[<p>{text}</p><p>{text}</p>]]></content:encoded></item>
<item><title>Night buses return</title><link>http://127.0.0.1:{port}/short-item</link><guid>buses-1</guid>
<pubDate>Tue, 07 Apr 2026 08:00:00 +0000</pubDate><description>Night buses are back.</description></item>
</channel></rss>"#,
        text = long_text()
    );
    let router = Router::new()
        .route(
            "/page",
            get({
                let demo = demo.clone();
                move || async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], demo) }
            }),
        )
        .route(
            "/short-item",
            get({
                let demo = demo.clone();
                let count = count.clone();
                move || async move {
                    count("/short-item");
                    ([(header::CONTENT_TYPE, "text/html")], demo)
                }
            }),
        )
        .route(
            "/full-item",
            get({
                let count = count.clone();
                move || async move {
                    count("/full-item");
                    StatusCode::NOT_FOUND
                }
            }),
        )
        .route("/image.png", get(|| async { ([(header::CONTENT_TYPE, "image/png")], png(1000, 600)) }))
        .route(
            "/busy.png",
            get({
                let count = count.clone();
                move || async move {
                    count("/busy.png");
                    StatusCode::SERVICE_UNAVAILABLE
                }
            }),
        )
        .route("/gone.png", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/feed.xml",
            get({
                let count = count.clone();
                move |headers: HeaderMap| async move {
                    count("/feed.xml");
                    if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v == "\"feed-v1\"") {
                        count("/feed-304");
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                    ([(header::CONTENT_TYPE, "application/rss+xml"), (header::ETAG, "\"feed-v1\"")], feed)
                        .into_response()
                }
            }),
        )
        .route(
            "/not-a-feed.xml",
            get(|| async {
                ([(header::CONTENT_TYPE, "application/xml")], "<html><body>Hello</body></html>")
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                "late"
            }),
        )
        .route("/huge", get(|| async { ([(header::CONTENT_TYPE, "text/html")], "a".repeat(2 << 20)) }))
        .route(
            "/bomb",
            get(|| async {
                let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
                encoder.write_all(&vec![b'a'; 8 << 20]).expect("gzip");
                let body = encoder.finish().expect("gzip");
                let response: Response =
                    ([(header::CONTENT_TYPE, "text/html"), (header::CONTENT_ENCODING, "gzip")], body)
                        .into_response();
                response
            }),
        )
        .route(
            "/redirect-to-ip",
            get(move || async move {
                (StatusCode::FOUND, [(header::LOCATION, format!("http://127.0.0.1:{port}/page"))])
            }),
        )
        .route(
            "/redirect-to-name",
            get(move || async move {
                (StatusCode::FOUND, [(header::LOCATION, format!("http://evil.example:{port}/page"))])
            }),
        )
        .route(
            "/redirect-home",
            get(move || async move {
                (StatusCode::FOUND, [(header::LOCATION, format!("http://trusted.example:{port}/page"))])
            }),
        );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (address, counts)
}

/// The page `/page` serves.
fn original_page(origin: SocketAddr) -> Vec<u8> {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/night-buses.html"))
        .expect("the demo page")
        .replace(
            "https://harbourtimes.example/images/night-bus-1600.jpg",
            &format!("http://{origin}/image.png"),
        )
        .replace("/images/night-bus-800.jpg", "/image.png")
        .into_bytes()
}

fn config(allow: &[&str]) -> FetchConfig {
    FetchConfig {
        allow: allow.iter().map(|a| a.to_string()).collect(),
        max_bytes: 1 << 20,
        timeout_secs: 1,
        ..FetchConfig::default()
    }
}

#[tokio::test]
async fn private_addresses_are_refused_however_they_are_reached() {
    let (origin, _) = origin().await;
    let port = origin.port();
    let strict =
        Fetcher::with_lookup(&config(&[]), loopback_names(&["news.example", "localhost"])).expect("fetcher");
    for url in [
        format!("http://127.0.0.1:{port}/page"),
        format!("http://[::1]:{port}/page"),
        format!("http://localhost:{port}/page"),
        // A public-looking name that resolves to loopback.
        format!("http://news.example:{port}/page"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://10.0.0.1/".to_string(),
    ] {
        let refused = strict.get(&url, &[]).await;
        assert!(matches!(refused, Err(FetchError::Refused(_))), "{url}: {refused:?}");
    }
    assert!(matches!(strict.get("file:///etc/passwd", &[]).await, Err(FetchError::InvalidUrl(_))));
    assert!(matches!(strict.get("gopher://x.example/", &[]).await, Err(FetchError::InvalidUrl(_))));

    // An allowlisted name may be fetched, but a redirect from it to a private address may not.
    let trusted = Fetcher::with_lookup(
        &config(&["trusted.example"]),
        loopback_names(&["trusted.example", "evil.example"]),
    )
    .expect("fetcher");
    let page =
        trusted.get(&format!("http://trusted.example:{port}/page"), &["text/html"]).await.expect("allowed");
    assert!(String::from_utf8_lossy(&page.bytes).contains("Night buses"));
    for path in ["redirect-to-ip", "redirect-to-name"] {
        let refused = trusted.get(&format!("http://trusted.example:{port}/{path}"), &[]).await;
        assert!(matches!(refused, Err(FetchError::Refused(_))), "{path}: {refused:?}");
    }
    // Redirects to allowed places are followed, and the final address is reported.
    let followed =
        trusted.get(&format!("http://trusted.example:{port}/redirect-home"), &[]).await.expect("followed");
    assert_eq!(followed.url.path(), "/page");
}

#[tokio::test]
async fn fetches_have_a_timeout_a_size_limit_and_a_content_type_check() {
    let (origin, _) = origin().await;
    let fetcher = Fetcher::new(&config(&["127.0.0.1"])).expect("fetcher");
    let url = |path: &str| format!("http://{origin}{path}");
    assert_eq!(fetcher.get(&url("/slow"), &[]).await.err(), Some(FetchError::Timeout));
    assert_eq!(fetcher.get(&url("/huge"), &[]).await.err(), Some(FetchError::TooLarge(1 << 20)));
    // 8 MB of text in a small gzip body: the limit counts what it decompresses to.
    assert_eq!(fetcher.get(&url("/bomb"), &[]).await.err(), Some(FetchError::TooLarge(1 << 20)));
    assert_eq!(
        fetcher.get(&url("/image.png"), &["text/html"]).await.err(),
        Some(FetchError::ContentType("image/png".into()))
    );
    assert_eq!(fetcher.get(&url("/missing"), &[]).await.err(), Some(FetchError::Status(404)));
}

#[tokio::test]
async fn pages_by_url_are_refused_on_loopback_unless_allowed_and_keep_their_images() {
    let (origin, _) = origin().await;
    let page = json!({"url": format!("http://{origin}/page")});

    let strict = TestApp::new("fetch-strict").await;
    let refused = strict.post_json("/api/extract", &page).await;
    assert_eq!((refused.status, refused.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "url_refused"));
    assert_eq!(strict.get("/api/articles").await.json()["total"], 0);
    let metrics = String::from_utf8_lossy(&strict.get("/metrics").await.body).into_owned();
    assert!(metrics.contains("lector_fetches_refused_total 1"), "{metrics}");

    let app = TestApp::with("fetch-allowed", |config| config.fetch.allow = vec!["127.0.0.1".into()]).await;
    let created = app.post_json("/api/extract", &page).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&created.body));
    let article = created.json();
    assert_eq!(article["headline"], "Night buses return to the harbour district after six-year gap");
    assert_eq!(article["source_url"], format!("http://{origin}/page"));

    // The images are kept by a job on the queue: fetched, checked, resized and served from here.
    let image_url = format!("http://{origin}/image.png");
    assert!(app.state.store.image(&image_url).await.expect("store").is_none(), "not before the job runs");
    app.run_jobs().await;
    let done = app.get("/api/jobs?state=done").await.json();
    let kinds: Vec<&str> =
        done["jobs"].as_array().expect("jobs").iter().filter_map(|j| j["kind"].as_str()).collect();
    assert!(kinds.contains(&"images") && kinds.contains(&"narrate"), "{done}");
    let kept = app.state.store.image(&image_url).await.expect("store").expect("the image was kept");
    assert_eq!((kept.width, kept.height, kept.content_type.as_str()), (1000, 600, "image/png"));
    let widths: Vec<u32> = kept.variants.iter().map(|(w, _)| *w).collect();
    assert_eq!(widths, [480, 960]);
    let original = app.get(&format!("/images/{}", kept.blob)).await;
    assert_eq!((original.status, original.header("content-type")), (StatusCode::OK, "image/png"));
    assert!(original.header("cache-control").contains("immutable"));
    let small = app.get(&format!("/images/{}", kept.variants[0].1)).await;
    let decoded = image::load_from_memory(&small.body).expect("an image");
    assert_eq!((decoded.width(), decoded.height()), (480, 288));
    assert_eq!(lector_core::images::local_url(&kept, 900), format!("/images/{}", kept.variants[1].1));

    // An HTML body is extracted too: the same page (same canonical URL) is a new revision.
    let html =
        String::from_utf8_lossy(&original_page(origin)).replace("Three routes will", "Four routes will");
    let from_body = app
        .write(axum::http::Method::POST, &format!("/api/extract?url=http://{origin}/page"), "text/html", html)
        .await;
    assert_eq!((from_body.status, from_body.json()["revision"].as_i64()), (StatusCode::OK, Some(2)));
    assert_eq!(from_body.json()["id"], article["id"]);
    let text = "Ferry fares rise\n\nFerry fares will rise by five percent in June, the operator said.\n";
    let from_text = app.write(axum::http::Method::POST, "/api/extract", "text/plain", text).await;
    assert_eq!(
        (from_text.status, from_text.json()["headline"].as_str()),
        (StatusCode::CREATED, Some("Ferry fares rise"))
    );
    // Markdown says which line is the headline and which are the body's headings.
    let markdown = "Published by the operator.\n\n# Bus fares freeze\n\n## Why\n\nBus fares stay the same until May, the operator said.\n";
    let from_markdown = app.write(axum::http::Method::POST, "/api/extract", "text/markdown", markdown).await;
    assert_eq!(from_markdown.status, StatusCode::CREATED, "{:?}", from_markdown.json());
    assert_eq!(from_markdown.json()["headline"], "Bus fares freeze");
    let body = &from_markdown.json()["body"];
    assert_eq!(body[0]["type"], "paragraph");
    assert_eq!(body[1]["type"], "heading");
    assert_eq!(body[1]["content"][0]["text"], "Why");
}

#[tokio::test]
async fn images_that_may_come_later_are_tried_again_and_then_listed_as_dead_letters() {
    let (origin, counts) = origin().await;
    let app = TestApp::with("dead-letters", |config| {
        config.fetch.allow = vec!["127.0.0.1".into()];
        config.jobs.max_attempts = 2;
        config.jobs.retry_after_secs = 0;
    })
    .await;
    // One image the server is too busy to give (worth another try), one that is gone (not).
    let mut story =
        common::article("Harbour lights", "https://news.example/lights", &["The lights came on."]);
    story["lead_image"] = json!({"url": format!("http://{origin}/busy.png"), "alt": "Lights"});
    story["body"]
        .as_array_mut()
        .expect("body")
        .push(json!({"type": "image", "url": format!("http://{origin}/gone.png"), "alt": "Gone"}));
    let created = app.post_json("/api/articles", &story).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&created.body));
    app.run_jobs().await;
    let busy = || counts["/busy.png"].load(Ordering::SeqCst);
    assert_eq!(busy(), 2, "tried as often as jobs.max_attempts says");

    let dead = app.get("/api/jobs?state=failed").await.json();
    let jobs = dead["jobs"].as_array().expect("jobs");
    assert_eq!(jobs.len(), 1, "{dead}");
    assert_eq!((jobs[0]["kind"].as_str(), jobs[0]["attempts"].as_i64()), (Some("images"), Some(2)));
    assert!(jobs[0]["last_error"].as_str().is_some_and(|e| e.contains("503")), "{dead}");
    let id = jobs[0]["id"].as_i64().expect("id");

    // A dead letter is queued again on request, with a token, and tried afresh.
    let anonymous = app
        .send(
            axum::http::Request::post(format!("/api/jobs/{id}/retry"))
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let retried =
        app.write(axum::http::Method::POST, &format!("/api/jobs/{id}/retry"), "application/json", "").await;
    assert_eq!(retried.status, StatusCode::OK, "{}", String::from_utf8_lossy(&retried.body));
    assert_eq!(
        (retried.json()["state"].as_str(), retried.json()["attempts"].as_i64()),
        (Some("queued"), Some(0))
    );
    let again =
        app.write(axum::http::Method::POST, &format!("/api/jobs/{id}/retry"), "application/json", "").await;
    assert_eq!((again.status, again.code().as_str()), (StatusCode::CONFLICT, "job_not_failed"));
    let missing = app.write(axum::http::Method::POST, "/api/jobs/999999/retry", "application/json", "").await;
    assert_eq!((missing.status, missing.code().as_str()), (StatusCode::NOT_FOUND, "job_not_found"));
    app.run_jobs().await;
    assert_eq!(busy(), 4);
    assert_eq!(app.get("/api/jobs?state=failed").await.json()["jobs"].as_array().map(Vec::len), Some(1));
    let wrong = app.get("/api/jobs?state=lost").await;
    assert_eq!((wrong.status, wrong.code().as_str()), (StatusCode::BAD_REQUEST, "invalid_state"));
}

#[tokio::test]
async fn feeds_become_articles_and_are_polled_with_conditional_get() {
    let (origin, counts) = origin().await;
    let app = TestApp::with("feeds", |config| config.fetch.allow = vec!["127.0.0.1".into()]).await;
    let invalid =
        app.post_json("/api/feeds", &json!({"url": format!("http://{origin}/not-a-feed.xml")})).await;
    assert_eq!((invalid.status, invalid.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_feed"));
    let missing = app.post_json("/api/feeds", &json!({"url": format!("http://{origin}/missing.xml")})).await;
    assert_eq!(missing.code(), "fetch_failed");
    assert!(
        app.get("/api/feeds").await.json().as_array().is_some_and(Vec::is_empty),
        "nothing stored half-way"
    );

    let added = app
        .post_json("/api/feeds", &json!({"url": format!("http://{origin}/feed.xml"), "interval": 600}))
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&added.body));
    let feed_id = added.json()["id"].as_i64().expect("id");
    let mut articles = json!(null);
    for _ in 0..100 {
        articles = app.get("/api/articles").await.json();
        if articles["total"] == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(articles["total"], 2, "{articles}");
    // Newest first: the full-text item (6 April), then the short one, extracted from its page
    // (which says it was published on 2 April).
    assert_eq!(articles["items"][0]["headline"], "Ferry timetable changes");
    assert_eq!(articles["items"][0]["topics"][0]["slug"], "transport");
    assert_eq!(
        articles["items"][1]["headline"],
        "Night buses return to the harbour district after six-year gap"
    );
    let ferry = app.get(&format!("/api/articles/{}", articles["items"][0]["id"])).await.json();
    assert!(ferry["word_count"].as_u64().is_some_and(|w| w > 150), "{ferry}");
    assert_eq!(ferry["canonical_url"], format!("http://{origin}/full-item"));
    let requests = |path: &str| counts[path].load(Ordering::SeqCst);
    assert_eq!((requests("/full-item"), requests("/short-item")), (0, 1), "full text is taken from the feed");

    // The next poll sends the feed's ETag and gets 304: nothing new.
    let feed = app.state.store.feed(feed_id).await.expect("store").expect("feed");
    assert_eq!(feed.etag.as_deref(), Some("\"feed-v1\""));
    lector_core::feeds::poll(&app.state, &feed).await;
    assert_eq!(requests("/feed-304"), 1);
    assert_eq!(app.get("/api/articles").await.json()["total"], 2);
    let listed = app.get("/api/feeds").await.json();
    assert_eq!((listed[0]["interval"].as_i64(), listed[0]["last_error"].is_null()), (Some(600), true));
}
