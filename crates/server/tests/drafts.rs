//! Drafts and embargoes through the router: an unpublished article is narrated ahead of time
//! and seen by staff (a token that may write articles, or an editor's session), and no route
//! a reader can reach shows anything of it until it is published, by hand or at its time.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{TestApp, article, form};
use lector_core::accounts::Role;
use serde_json::json;

fn text(answer: &common::Answer) -> String {
    String::from_utf8_lossy(&answer.body).into_owned()
}

const HEADLINE: &str = "Embargoed budget figures";

/// The draft article JSON, with `extra` fields (a status, a time).
fn embargoed(extra: serde_json::Value) -> serde_json::Value {
    let mut value = article(HEADLINE, "https://news.example/budget", &["The budget grows by two percent."]);
    value["external_id"] = json!("cms-budget");
    for (key, field) in extra.as_object().expect("an object") {
        value[key] = field.clone();
    }
    value
}

/// Every address a reader could use to reach article `id`, with what each may show of it.
async fn reader_sees_nothing(app: &TestApp, id: i64) {
    let page = app.get(&format!("/articles/{id}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "the page");
    assert!(!text(&page).contains(HEADLINE));
    for path in [
        format!("/api/articles/{id}"),
        format!("/api/articles/{id}/audio"),
        format!("/api/articles/{id}/audio?format=opus"),
        format!("/api/articles/{id}/timings"),
        format!("/api/articles/{id}/transcript.vtt"),
        format!("/api/articles/{id}/chapters.json"),
        format!("/api/articles/{id}/comments"),
        format!("/articles/{id}/embargoed-budget-figures"),
        format!("/embed/{id}"),
        "/embed?article=cms-budget".to_string(),
        "/oembed?url=https%3A%2F%2Fnews.example%2Fbudget".to_string(),
        format!("/oembed?url=http%3A%2F%2F127.0.0.1%3A8080%2Farticles%2F{id}"),
    ] {
        let answer = app.get(&path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}: {}", text(&answer));
        assert!(!text(&answer).contains(HEADLINE), "{path}");
    }
    for path in [
        "/",
        "/topics/transport",
        "/authors/priya-raman",
        "/api/articles",
        "/api/articles?q=embargoed",
        "/feeds/podcast.xml",
        "/feeds/topics/transport/podcast.xml",
        "/sitemap.xml",
    ] {
        let answer = app.get(path).await;
        assert!(answer.status == StatusCode::OK || answer.status == StatusCode::NOT_FOUND, "{path}");
        let body = text(&answer);
        assert!(!body.contains(HEADLINE) && !body.contains(&format!("/articles/{id}")), "{path}: {body}");
    }
    // Nor can a reader comment on it.
    let comment = app.comment(id, "Ana", "First!").await;
    assert_eq!(comment.status, StatusCode::NOT_FOUND);
    let csrf = "0123456789abcdef0123456789abcdef";
    let posted = app
        .send(form(&format!("/articles/{id}/comments"), &format!("csrf={csrf}&name=Ana&body=Hi"), ""))
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
}

async fn reader_sees_it(app: &TestApp, id: i64) {
    for path in
        ["/".to_string(), format!("/articles/{id}"), "/sitemap.xml".into(), "/feeds/podcast.xml".into()]
    {
        let answer = app.get(&path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert!(
            text(&answer).contains(HEADLINE) || text(&answer).contains(&format!("/articles/{id}")),
            "{path}"
        );
    }
    assert_eq!(app.get(&format!("/api/articles/{id}/audio")).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/embed/{id}")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_draft_is_narrated_for_staff_and_hidden_from_readers_until_published() {
    let app = TestApp::new("drafts").await;
    // The home page and the sitemap are kept before the draft exists: they must not go stale.
    assert_eq!(app.get("/").await.status, StatusCode::OK);
    assert_eq!(app.get("/sitemap.xml").await.status, StatusCode::OK);

    let created = app.post_json("/api/articles", &embargoed(json!({"status": "draft"}))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", text(&created));
    let id = created.json()["id"].as_i64().expect("id");
    assert_eq!(created.json()["status"], "draft");
    app.run_jobs().await;
    reader_sees_nothing(&app, id).await;

    // Staff see it: with the token (never kept by a cache), and signed in as an editor.
    let token = format!("Bearer {}", app.token);
    let read = app.get_with(&format!("/api/articles/{id}"), &[("authorization", &token)]).await;
    assert_eq!((read.status, read.json()["status"].as_str()), (StatusCode::OK, Some("draft")));
    assert_eq!(read.json()["narration"]["status"], "ready", "narrated ahead of time");
    assert_eq!(read.header("cache-control"), "no-store");
    let audio = app.get_with(&format!("/api/articles/{id}/audio"), &[("authorization", &token)]).await;
    assert_eq!((audio.status, audio.header("cache-control")), (StatusCode::OK, "private, no-store"));
    let editor = app.staff("eddie", Role::Editor).await;
    let preview = app.get_with(&format!("/articles/{id}"), &[("cookie", &editor.cookies)]).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(text(&preview).contains("Draft: readers cannot see this article."), "{}", text(&preview));
    assert!(text(&preview).contains("noindex"));
    assert_eq!(preview.header("cache-control"), "no-store");
    // What staff were shown was not kept for readers.
    reader_sees_nothing(&app, id).await;
    // A moderator is staff too, but does not edit articles.
    let moderator = app.staff("mo", Role::Moderator).await;
    let refused = app.get_with(&format!("/articles/{id}"), &[("cookie", &moderator.cookies)]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    // A token that may only moderate is a reader here.
    let (moderating, hash) = lector_core::tokens::new_token().expect("token");
    app.state.store.create_token("mod", &hash, "comments:moderate", None, 1).await.expect("stored");
    let bearer = format!("Bearer {moderating}");
    assert_eq!(
        app.get_with(&format!("/api/articles/{id}"), &[("authorization", &bearer)]).await.status,
        StatusCode::NOT_FOUND
    );

    // A revision without a state stays a draft.
    let revised = app.post_json("/api/articles", &embargoed(json!({"body": [{"type": "paragraph", "content": [{"text": "The budget grows by three percent."}]}]}))).await;
    assert_eq!((revised.status, revised.json()["status"].as_str()), (StatusCode::OK, Some("draft")));
    app.run_jobs().await;
    reader_sees_nothing(&app, id).await;

    // Published: every reader's route shows it, the kept pages included.
    let request = Request::builder()
        .method(Method::PUT)
        .uri(format!("/api/articles/{id}/publication"))
        .header("authorization", &token)
        .header("content-type", "application/json")
        .body(Body::from(r#"{"status": "published"}"#))
        .expect("request");
    let published = app.send(request).await;
    assert_eq!((published.status, published.json()["status"].as_str()), (StatusCode::OK, Some("published")));
    reader_sees_it(&app, id).await;

    // Unpublished from the console: gone again for readers.
    let body = format!("csrf={}&status=draft", editor.csrf);
    let unpublished =
        app.send(form(&format!("/console/articles/{id}/publication"), &body, &editor.cookies)).await;
    assert_eq!(unpublished.status, StatusCode::SEE_OTHER);
    reader_sees_nothing(&app, id).await;
    let list = text(&app.get_with("/console", &[("cookie", &editor.cookies)]).await);
    assert!(list.contains(HEADLINE) && list.contains("status-draft"), "{list}");
}

#[tokio::test]
async fn an_embargo_lifts_at_its_time_and_not_before() {
    let app = TestApp::new("embargo").await;
    // Its time falls late within a second, which a store of whole seconds must not round down.
    let whole = chrono::Utc::now().timestamp() + 5;
    let at = chrono::DateTime::from_timestamp(whole, 900_000_000).expect("time");
    let created = app.post_json("/api/articles", &embargoed(json!({"publish_at": at.to_rfc3339()}))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", text(&created));
    let id = created.json()["id"].as_i64().expect("id");
    assert_eq!(created.json()["status"], "scheduled");
    assert!(created.json()["publish_at"].is_string());
    assert!(lector_core::articles::publish_due(&app.state).await.expect("due").is_empty(), "not yet");
    // The server's publisher lifts it: not before its time, and soon after.
    let _publisher = lector_core::articles::spawn_publisher(&app.state);
    reader_sees_nothing(&app, id).await;
    // Every answer that came back before its time says it is not there; the first that
    // finds it comes within seconds of its time. Slow answers only count after the time.
    let mut answered_before = 0;
    loop {
        // Another node's publisher may run at any moment too.
        lector_core::articles::publish_due(&app.state).await.expect("due");
        let status = app.get(&format!("/api/articles/{id}")).await.status;
        let now = chrono::Utc::now();
        if now < at {
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "still embargoed {} ms before its time",
                (at - now).num_milliseconds()
            );
            answered_before += 1;
        } else if status == StatusCode::OK {
            break;
        }
        assert!(now < at + chrono::Duration::seconds(5), "published within seconds of its time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(answered_before > 0, "asked before its time");
    app.run_jobs().await;
    reader_sees_it(&app, id).await;

    // Malformed states are refused with their reason.
    for (extra, reason) in [
        (json!({"status": "hidden"}), "not one of"),
        (json!({"status": "scheduled"}), "needs publish_at"),
        (json!({"publish_at": "tomorrow"}), "RFC 3339"),
        (json!({"status": "draft", "publish_at": "2030-01-01T00:00:00Z"}), "scheduled only"),
    ] {
        let refused = app.post_json("/api/articles", &embargoed(extra)).await;
        assert_eq!(
            (refused.status, refused.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_publication".to_string())
        );
        assert!(
            refused.json()["error"]["message"].as_str().unwrap_or("").contains(reason),
            "{}",
            text(&refused)
        );
    }
}
