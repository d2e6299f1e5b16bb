//! Two nodes on one PostgreSQL database and one S3 bucket (a throwaway cluster and SeaweedFS
//! on loopback): what one stores the other serves, audio included; a narration claimed by a
//! node that then stops without a word is taken over by the other once its lease runs out, and
//! the first node's late outcome is refused.

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::{TestApp, article};
use lector_core::now;
use lector_store::JobState;
use lector_store::seaweed::Seaweed;
use lector_store_postgres::cluster::Cluster;

/// A node of a cluster sharing database `url` and the bucket's folder named like it, with its
/// own data directory and leases of 3 s.
async fn node(name: &str, url: &str) -> TestApp {
    let prefix = url.rsplit('/').next().unwrap_or("nodes").to_string();
    let blobs = Seaweed::shared().await.blobs(&prefix).expect("an S3 client");
    TestApp::with_blobs(
        name,
        |config| {
            config.database.url = Some(url.to_string());
            config.jobs.lease_secs = 3;
        },
        Some(Arc::new(blobs)),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_narration_left_by_a_stalled_node_is_finished_by_another_after_its_lease() {
    let url = Cluster::shared().new_database("takeover").await.expect("a fresh database");
    let (a, b) = (node("node-a", &url).await, node("node-b", &url).await);
    let posted = a
        .post_json(
            "/api/articles",
            &article("Ferry timetable", "https://news.example/ferry", &["The ferry runs every hour."]),
        )
        .await
        .json();
    let id = posted["id"].as_i64().expect("id");
    let job = posted["narration"]["job"]["id"].as_i64().expect("a queued job");
    // Node B reads what node A stored.
    assert_eq!(b.get(&format!("/api/articles/{id}")).await.json()["headline"], "Ferry timetable");

    // Node A takes the job and stalls: no renewal, no outcome.
    let taken = lector_core::jobs::claim(&a.state).await.expect("claim").expect("the job");
    assert_eq!((taken.id, taken.attempts), (job, 1));
    assert!(lector_core::jobs::claim(&b.state).await.expect("claim").is_none(), "a live lease holds");
    assert_eq!(b.get(&format!("/api/jobs/{job}")).await.json()["state"], "running");

    // Times are whole seconds: past the lease whatever the second it began in.
    tokio::time::sleep(Duration::from_millis(4_200)).await;
    let retaken = lector_core::jobs::claim(&b.state).await.expect("claim").expect("taken over");
    assert_eq!((retaken.id, retaken.attempts), (job, 2));
    lector_core::jobs::run(&b.state, retaken).await;
    let done = a.get(&format!("/api/jobs/{job}")).await.json();
    assert_eq!((done["state"].as_str(), done["attempts"].as_i64()), (Some("done"), Some(2)));
    // Node A's late outcome changes nothing.
    assert!(!a.state.store.finish_job(job, 1, now()).await.expect("finish"));
    assert!(!a.state.store.fail_job(job, 1, "late", None, now()).await.expect("fail"));
    let read = a.state.store.job(job).await.expect("read").expect("job");
    assert_eq!(read.state, JobState::Done);

    // Both nodes see the narration ready and serve the same audio, whole or by range.
    let view = a.get(&format!("/api/articles/{id}")).await.json();
    assert_eq!(view["narration"]["status"], "ready");
    let on_b = b.get(&format!("/api/articles/{id}/audio")).await;
    let on_a = a.get(&format!("/api/articles/{id}/audio")).await;
    assert_eq!((on_a.status, on_b.status), (StatusCode::OK, StatusCode::OK));
    assert!(on_b.body.len() > 1_000 && on_a.body == on_b.body);
    let part = a.get_with(&format!("/api/articles/{id}/audio"), &[("range", "bytes=100-199")]).await;
    assert_eq!((part.status, part.body.clone()), (StatusCode::PARTIAL_CONTENT, on_b.body.slice(100..200)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_worker_keeps_its_job_by_renewing_the_lease() {
    let url = Cluster::shared().new_database("renewal").await.expect("a fresh database");
    let (a, b) = (node("renew-a", &url).await, node("renew-b", &url).await);
    let posted = a
        .post_json(
            "/api/articles",
            &article(
                "Harbour works",
                "https://news.example/works",
                &[
                    "The quay on the north side of the harbour is being rebuilt this winter.",
                    "Ferries will leave from the south pier until the works end in March.",
                    "The council says the new quay will take larger boats and more passengers.",
                    "Shops along the waterfront stay open, with a footpath around the site.",
                    "Residents can see the plans at the library on weekday afternoons.",
                    "A second phase, with a covered waiting room, is planned for next year.",
                ],
            ),
        )
        .await
        .json();
    let job = posted["narration"]["job"]["id"].as_i64().expect("a queued job");
    let taken = lector_core::jobs::claim(&a.state).await.expect("claim").expect("the job");
    // Node A narrates for longer than a lease; node B keeps trying to take the job meanwhile.
    let run = tokio::spawn({
        let state = a.state.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            lector_core::jobs::run(&state, taken).await;
        }
    });
    let started = std::time::Instant::now();
    let mut stolen = None;
    while !run.is_finished() && started.elapsed() < Duration::from_secs(60) {
        if let Some(other) = lector_core::jobs::claim(&b.state).await.expect("claim") {
            stolen = Some(other);
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    run.await.expect("the run ends");
    assert!(
        started.elapsed() > Duration::from_secs(4),
        "the narration outlasted a lease: {:?}",
        started.elapsed()
    );
    assert!(stolen.is_none(), "node B took a job node A was running: {stolen:?}");
    let done = b.get(&format!("/api/jobs/{job}")).await.json();
    assert_eq!((done["state"].as_str(), done["attempts"].as_i64()), (Some("done"), Some(1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_one_node_changes_shows_on_the_other_at_the_next_request() {
    let url = Cluster::shared().new_database("pages").await.expect("a fresh database");
    let (a, b) = (node("pages-a", &url).await, node("pages-b", &url).await);
    let story =
        article("Ferries return", "https://news.example/ferries", &["The south pier reopens on Monday."]);
    let id = a.post_json("/api/articles", &story).await.json()["id"].as_i64().expect("id");
    let (path, document) = (format!("/articles/{id}"), format!("/api/articles/{id}"));
    // Node A keeps the page, the article JSON and the home page, and serves them kept.
    let kept = |answer: &common::Answer| String::from_utf8_lossy(&answer.body).into_owned();
    let page_lookups = |app: &TestApp| app.state.page_cache.counts();
    for _ in 0..2 {
        assert!(kept(&a.get(&path).await).contains("Ferries return"));
        assert_eq!(a.get(&document).await.json()["narration"]["status"], "queued");
        assert!(kept(&a.get("/").await).contains("Ferries return"));
    }
    assert_eq!(page_lookups(&a), (3, 3), "(found, made) the second time round");

    // Each change on node B shows on node A's next request.
    let mut revised = story.clone();
    revised["headline"] = serde_json::json!("Ferries return early");
    assert_eq!(b.put_json(&document, &revised).await.status, StatusCode::OK);
    assert!(kept(&a.get(&path).await).contains("Ferries return early"), "a new revision");
    assert!(kept(&a.get("/").await).contains("Ferries return early"), "a new revision, on the lists");

    assert_eq!(b.comment(id, "Ana", "At last.").await.status, StatusCode::CREATED);
    let shown = kept(&a.get(&path).await);
    assert!(shown.contains("At last.") && shown.contains("Comments (1)"), "a comment: {shown}");
    assert_eq!(a.get(&document).await.json()["comment_count"], 1);

    let cid = b.get(&format!("/api/articles/{id}/comments")).await.json()["items"][0]["id"]
        .as_i64()
        .expect("the comment");
    let hidden = b.write(Method::POST, &format!("/api/comments/{cid}/hide"), "application/json", "").await;
    assert_eq!(hidden.status, StatusCode::NO_CONTENT);
    let shown = kept(&a.get(&path).await);
    assert!(!shown.contains("At last.") && shown.contains("Comments (0)"), "a moderation: {shown}");

    b.run_jobs().await;
    assert_eq!(a.get(&document).await.json()["narration"]["status"], "ready", "a narration ready");
    // Until the next change, the page is kept again.
    let (found, _) = page_lookups(&a);
    for _ in 0..2 {
        assert!(kept(&a.get(&path).await).contains("Ferries return early"));
    }
    assert_eq!(page_lookups(&a).0, found + 1);
}
