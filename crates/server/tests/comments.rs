//! Comments through the router: posting, replies one level deep, order and paging, abuse
//! limits (rate, honeypot, duplicates, links), moderation, and the form without JavaScript
//! with its anti-forgery token.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{TestApp, article, form};
use lector_core::accounts::Role;
use serde_json::json;

async fn article_id(app: &TestApp) -> i64 {
    let posted = app
        .post_json(
            "/api/articles",
            &article("Trams return", "https://news.example/trams", &["The line opens."]),
        )
        .await;
    posted.json()["id"].as_i64().expect("id")
}

/// A comment posted by a reader (no token).
async fn comment(app: &TestApp, id: i64, body: serde_json::Value) -> common::Answer {
    let request = Request::post(format!("/api/articles/{id}/comments"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    app.send(request).await
}

#[tokio::test]
async fn readers_comment_and_reply_one_level_deep() {
    let app = TestApp::with("comments", |config| config.comments.per_minute = 100).await;
    let id = article_id(&app).await;
    let first = comment(
        &app,
        id,
        json!({"name": "Ana", "body": "Good news <b>finally</b>. See https://example.com/plan."}),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&first.body));
    let first = first.json();
    assert_eq!(first["state"], "visible");
    assert_eq!(
        first["body_html"],
        "<p>Good news &lt;b&gt;finally&lt;/b&gt;. See <a href=\"https://example.com/plan\" rel=\"nofollow ugc noopener\">https://example.com/plan</a>.</p>"
    );
    let parent = first["id"].as_i64().expect("id");
    let reply = comment(&app, id, json!({"name": "Ben", "body": "Agreed.", "parent_id": parent})).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let reply_id = reply.json()["id"].as_i64().expect("id");
    let deeper = comment(&app, id, json!({"name": "Cy", "body": "Me too.", "parent_id": reply_id})).await;
    assert_eq!((deeper.status, deeper.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "reply_too_deep"));
    comment(&app, id, json!({"name": "Di", "body": "Later comment."})).await;

    let newest = app.get(&format!("/api/articles/{id}/comments")).await.json();
    assert_eq!((newest["total"].as_i64(), newest["count"].as_i64()), (Some(2), Some(3)));
    assert_eq!(newest["items"][0]["name"], "Di");
    assert_eq!(newest["items"][1]["replies"][0]["name"], "Ben");
    let oldest = app.get(&format!("/api/articles/{id}/comments?order=oldest&per_page=1")).await.json();
    assert_eq!((oldest["items"][0]["name"].as_str(), oldest["next"].is_string()), (Some("Ana"), true));
    assert_eq!(app.get(&format!("/api/articles/{id}/comments?order=random")).await.code(), "invalid_order");
    let page = String::from_utf8_lossy(&app.get(&format!("/articles/{id}")).await.body).into_owned();
    assert!(page.contains("<h2 id=\"comments-heading\">Comments (3)</h2>") && page.contains("</svg> 3</a>"));
    assert!(page.contains("id=\"comment-") && page.contains("Good news &lt;b&gt;finally&lt;/b&gt;"));
}

#[tokio::test]
async fn abuse_is_limited() {
    let app = TestApp::with("abuse", |config| config.comments.per_minute = 3).await;
    let id = article_id(&app).await;
    for (body, status, code) in [
        (json!({"name": "", "body": "Hello"}), StatusCode::UNPROCESSABLE_ENTITY, "invalid_name"),
        (json!({"name": "Ana", "body": "   "}), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (json!({"name": "Ana", "body": "x".repeat(5_001)}), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (
            json!({"name": "Ana", "body": "http://a.example http://b.example http://c.example"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_links",
        ),
        (json!({"name": "Ana", "body": "Hi", "parent_id": 999}), StatusCode::NOT_FOUND, "comment_not_found"),
        (
            json!({"name": "Ana", "body": "Hi", "colour": "red"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
        ),
    ] {
        let answer = comment(&app, id, body.clone()).await;
        assert_eq!((answer.status, answer.code().as_str()), (status, code), "{body}");
    }
    assert_eq!(comment(&app, 999, json!({"name": "Ana", "body": "Hi"})).await.code(), "article_not_found");
    // The honeypot: accepted on the face of it, kept nowhere.
    let robot =
        comment(&app, id, json!({"name": "Bot", "body": "Buy now", "website": "https://spam.example"})).await;
    assert_eq!(robot.status, StatusCode::ACCEPTED);
    // A duplicate is refused; the rate limit stops the fourth post in a minute.
    assert_eq!(comment(&app, id, json!({"name": "Ana", "body": "Hello."})).await.status, StatusCode::CREATED);
    let duplicate = comment(&app, id, json!({"name": "Ana", "body": "Hello."})).await;
    assert_eq!((duplicate.status, duplicate.code().as_str()), (StatusCode::CONFLICT, "duplicate_comment"));
    assert_eq!(comment(&app, id, json!({"name": "Ana", "body": "Again."})).await.status, StatusCode::CREATED);
    let limited = comment(&app, id, json!({"name": "Ana", "body": "Once more."})).await;
    assert_eq!((limited.status, limited.code().as_str()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    assert!(limited.header("retry-after").parse::<u64>().is_ok_and(|s| (1..=60).contains(&s)));
    assert_eq!(app.get(&format!("/api/articles/{id}/comments")).await.json()["count"], 2);
}

#[tokio::test]
async fn moderators_hide_restore_and_delete_and_pre_moderation_holds_comments() {
    let app = TestApp::with("moderation", |config| config.comments.moderation = "pre".into()).await;
    let id = article_id(&app).await;
    let held = comment(&app, id, json!({"name": "Ana", "body": "Waiting for a moderator."})).await.json();
    assert_eq!(held["state"], "pending");
    assert_eq!(app.get(&format!("/api/articles/{id}/comments")).await.json()["count"], 0);
    assert_eq!(app.get("/api/comments").await.status, StatusCode::UNAUTHORIZED);
    let waiting = app.write(Method::GET, "/api/comments?state=pending", "application/json", "").await.json();
    assert_eq!(waiting[0]["id"], held["id"]);
    let cid = held["id"].as_i64().expect("id");
    let restore =
        app.write(Method::POST, &format!("/api/comments/{cid}/restore"), "application/json", "").await;
    assert_eq!(restore.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/articles/{id}/comments")).await.json()["count"], 1);
    app.write(Method::POST, &format!("/api/comments/{cid}/hide"), "application/json", "").await;
    assert_eq!(app.get(&format!("/api/articles/{id}/comments")).await.json()["count"], 0);
    let hidden = app.write(Method::GET, "/api/comments?state=hidden", "application/json", "").await.json();
    assert_eq!(hidden[0]["id"].as_i64(), Some(cid));
    let deleted = app.write(Method::DELETE, &format!("/api/comments/{cid}"), "application/json", "").await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let again = app.write(Method::DELETE, &format!("/api/comments/{cid}"), "application/json", "").await;
    assert_eq!(again.code(), "comment_not_found");
}

#[tokio::test]
async fn the_form_works_without_javascript_and_refuses_posts_from_other_sites() {
    let app = TestApp::new("form").await;
    let id = article_id(&app).await;
    let page = app.get(&format!("/articles/{id}")).await;
    // The page holds nothing of one reader's: every reader and every cache may share it.
    assert_eq!(page.header("set-cookie"), "");
    let html = String::from_utf8_lossy(&page.body).into_owned();
    assert!(html.contains(&format!(
        "<form class=\"comment-form\" method=\"post\" action=\"/articles/{id}/comments\">"
    )));
    assert!(!html.contains("csrf"), "{html}");

    let form = |headers: &[(&str, &str)], body: &str| {
        let mut request = Request::post(format!("/articles/{id}/comments"))
            .header("content-type", "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(Body::from(format!("name=Ana&body={body}&website=&parent_id="))).expect("request")
    };
    let ours = app.state.config.public_url();
    // Browsers say the post comes from this site's page; older ones give only its origin.
    let posted =
        app.send(form(&[("sec-fetch-site", "same-origin"), ("origin", &ours)], "From+the+form.")).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert!(
        posted.header("location").starts_with(&format!("/articles/{id}#comment-")),
        "{}",
        posted.header("location")
    );
    let older = app.send(form(&[("origin", &ours)], "From+an+older+browser.")).await;
    assert_eq!(older.status, StatusCode::SEE_OTHER);
    // Another site's page cannot post as the reader.
    for headers in [
        &[("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")][..],
        &[("sec-fetch-site", "same-site")][..],
        &[("origin", "https://evil.example")][..],
        &[("origin", "null")][..],
    ] {
        let forged = app.send(form(headers, "Forged.")).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    let list = app.get(&format!("/api/articles/{id}/comments")).await.json();
    assert_eq!(list["count"].as_i64(), Some(2));
    let bodies: Vec<&str> =
        list["items"].as_array().expect("items").iter().filter_map(|c| c["body_html"].as_str()).collect();
    assert_eq!(bodies, ["<p>From an older browser.</p>", "<p>From the form.</p>"]);
    // The page shows them at once.
    let page = String::from_utf8_lossy(&app.get(&format!("/articles/{id}")).await.body).into_owned();
    assert!(page.contains("From an older browser.") && page.contains("Comments (2)"), "{page}");
}

#[tokio::test]
async fn the_console_lists_what_waits_and_moderators_act_on_it() {
    let app = TestApp::with("moderation-page", |config| config.comments.moderation = "pre".into()).await;
    let id = article_id(&app).await;
    let held = comment(&app, id, json!({"name": "Ana", "body": "Please <em>publish</em> me."})).await.json();
    let cid = held["id"].as_i64().expect("id");

    // Signed out, nothing is listed; the old address leads to the console.
    let signed_out = app.get("/console/comments").await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);
    assert!(!String::from_utf8_lossy(&signed_out.body).contains("publish"));
    let old = app.get("/moderation").await;
    assert_eq!((old.status, old.header("location")), (StatusCode::PERMANENT_REDIRECT, "/console/comments"));

    // An editor is signed in but may not moderate.
    let editor = app.staff("eddie", Role::Editor).await;
    let refused = app.get_with("/console/comments", &[("cookie", &editor.cookies)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let action = |csrf: &str, what: &str| format!("csrf={csrf}&action={what}");
    let path = format!("/console/comments/{cid}");
    let by_editor = app.send(form(&path, &action(&editor.csrf, "restore"), &editor.cookies)).await;
    assert_eq!(by_editor.status, StatusCode::FORBIDDEN);

    let moderator = app.staff("mo", Role::Moderator).await;
    // A moderator's console is the comments.
    let home = app.get_with("/console", &[("cookie", &moderator.cookies)]).await;
    assert_eq!((home.status, home.header("location")), (StatusCode::SEE_OTHER, "/console/comments"));
    let page = app.get_with("/console/comments", &[("cookie", &moderator.cookies)]).await;
    let html = String::from_utf8_lossy(&page.body).into_owned();
    assert!(
        html.contains("Waiting (1)") && html.contains("Please &lt;em&gt;publish&lt;/em&gt; me."),
        "{html}"
    );
    assert_eq!(page.header("cache-control"), "no-store");

    // An action without the anti-forgery token is refused; with it, the comment shows.
    let forged = app.send(form(&path, &action("x", "restore"), &moderator.cookies)).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let shown = app.send(form(&path, &action(&moderator.csrf, "restore"), &moderator.cookies)).await;
    assert_eq!(shown.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&format!("/api/articles/{id}/comments")).await.json()["count"], 1);
    let csrf_only = format!("lector_csrf={}", moderator.csrf);
    let without_session = app.send(form(&path, &action(&moderator.csrf, "delete"), &csrf_only)).await;
    assert_eq!(without_session.status, StatusCode::UNAUTHORIZED);
    let deleted = app.send(form(&path, &action(&moderator.csrf, "delete"), &moderator.cookies)).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&format!("/api/articles/{id}/comments")).await.json()["count"], 0);
}
