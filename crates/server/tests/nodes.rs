//! Two nodes on one PostgreSQL database and one S3 bucket (a throwaway cluster and SeaweedFS
//! on loopback): what one stores the other serves, audio included; a narration claimed by a
//! node that then stops without a word is taken over by the other once its lease runs out, and
//! the first node's late outcome is refused.

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
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
    let path = format!("/articles/{id}");
    // Node A renders the page and keeps its parts; node B revises the article and a reader
    // comments: A's next page shows both.
    assert!(String::from_utf8_lossy(&a.get(&path).await.body).contains("Ferries return"));
    let mut revised = story.clone();
    revised["headline"] = serde_json::json!("Ferries return early");
    let answer = b.put_json(&format!("/api/articles/{id}"), &revised).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(b.comment(id, "Ana", "At last.").await.status, StatusCode::CREATED);
    let shown = String::from_utf8_lossy(&a.get(&path).await.body).into_owned();
    assert!(shown.contains("Ferries return early") && shown.contains("At last."), "{shown}");
}
