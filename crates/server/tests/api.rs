//! The JSON API through the router (`oneshot`) on a real SQLite file, with real narration:
//! articles in and out, revisions, access, bad input, audio with ranges, timings, voices,
//! podcast feeds, metrics and the OpenAPI document (the cases in `api/cases.rs`), and what only
//! an SQLite file does (a size cap).

#[path = "api/cases.rs"]
mod cases;
mod common;

use axum::http::StatusCode;
use common::{TestApp, article};
use lector_core::config::Config;

async fn open(name: &str) -> TestApp {
    TestApp::new(name).await
}

async fn open_with(name: &str, adjust: impl FnOnce(&mut Config)) -> TestApp {
    TestApp::with(name, adjust).await
}

#[tokio::test]
async fn a_full_disk_refuses_writes_clearly_and_keeps_what_was_stored() {
    // A database capped at 1 MiB fails writes as a full disk does.
    let app = TestApp::with("full", |config| config.limits.max_database_mib = Some(1)).await;
    let paragraph = "The council approved the tram line after a long debate about the route. ".repeat(40);
    let mut stored = Vec::new();
    let mut refused = None;
    for n in 0..400 {
        let answer = app
            .post_json(
                "/api/articles",
                &article(&format!("Story {n}"), &format!("https://news.example/{n}"), &[&paragraph]),
            )
            .await;
        if answer.status == StatusCode::CREATED {
            stored.push(answer.json()["id"].as_i64().expect("id"));
        } else {
            refused = Some(answer);
            break;
        }
    }
    let refused = refused.expect("the cap was reached");
    assert_eq!(
        (refused.status, refused.code().as_str()),
        (StatusCode::INSUFFICIENT_STORAGE, "storage_unavailable")
    );
    assert!(!refused.json()["error"]["message"].as_str().unwrap_or("").contains("SQLITE"), "no internals");
    assert!(stored.len() > 5, "{} stored before the disk filled", stored.len());
    // Everything acknowledged is intact, reads and health still work.
    for id in &stored {
        let read = app.get(&format!("/api/articles/{id}")).await;
        assert_eq!(read.status, StatusCode::OK);
        assert!(
            read.json()["body"][0]["content"][0]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("The council"))
        );
    }
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(app.get("/api/articles").await.json()["total"].as_i64(), Some(stored.len() as i64));
}
