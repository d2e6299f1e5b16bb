//! The demo site as `make run` lays it out: six sample articles over three topics, with
//! bullets, kept pictures, a video card, several authors, comments, and every narration ready
//! before the site opens.

mod common;

use std::collections::HashSet;

use axum::http::StatusCode;
use common::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_site_is_complete_and_narrated() {
    let app = TestApp::with("demo", |config| {
        config.demo = true;
        lector_core::demo::dress(config);
    })
    .await;
    lector_core::demo::load(&app.state).await.expect("the demo loads");
    // Loading again changes nothing: the same pages are the same articles.
    lector_core::demo::load(&app.state).await.expect("the demo loads again");

    let list = app.get("/api/articles?per_page=50").await.json();
    assert_eq!(list["total"], 6);
    let mut topics = HashSet::new();
    let mut authors = HashSet::new();
    let mut videos = 0;
    for item in list["items"].as_array().expect("items") {
        let id = item["id"].as_i64().expect("id");
        let article = app.get(&format!("/api/articles/{id}")).await.json();
        assert_eq!(article["narration"]["status"], "ready", "{}", article["headline"]);
        assert!(
            article["summary"].as_array().is_some_and(|s| !s.is_empty()),
            "bullets: {}",
            article["headline"]
        );
        let lead = article["lead_image"]["url"].as_str().expect("a lead image");
        assert!(
            app.state.store.image(lead).await.expect("store").is_some(),
            "the picture for {lead} is kept"
        );
        assert!(article["lead_image"]["caption"].is_string() && article["lead_image"]["credit"].is_string());
        topics.insert(article["topics"][0]["slug"].as_str().unwrap_or("").to_string());
        for author in article["authors"].as_array().expect("authors") {
            authors.insert(author["name"].as_str().unwrap_or("").to_string());
        }
        videos += article["body"].as_array().expect("body").iter().filter(|b| b["type"] == "video").count();
        let page = app.get(&format!("/articles/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let expected: HashSet<String> =
        ["transport", "environment", "culture", "city-life"].iter().map(|s| s.to_string()).collect();
    assert!(topics.is_subset(&expected) && topics.len() >= 3, "{topics:?}");
    assert!(authors.len() >= 4, "{authors:?}");
    assert!(videos >= 1, "a video card");
    let home = String::from_utf8_lossy(&app.get("/").await.body).into_owned();
    assert!(home.contains("<a class=\"brand\" href=\"/\">The Harbour Times</a>"), "the demo masthead");
    let library = list["items"].as_array().and_then(|items| {
        items.iter().find(|i| i["headline"].as_str().is_some_and(|h| h.contains("customs house")))
    });
    let library = library.and_then(|i| i["id"].as_i64()).expect("the library article");
    let page = String::from_utf8_lossy(&app.get(&format!("/articles/{library}")).await.body).into_owned();
    assert!(page.contains("</svg> 99+</a>") && page.contains("Why you can trust The Harbour Times"));
}
