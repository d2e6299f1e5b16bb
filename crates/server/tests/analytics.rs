//! Listening analytics through the router: anonymous beacons counted exactly (thousands at
//! once, nothing lost), browsers that ask not to be counted left out, odd beacons refused,
//! drafts and unknown articles not counted, and the sums as JSON, CSV and the console's charts.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{TestApp, article};
use futures_util::future::join_all;
use lector_core::accounts::Role;
use serde_json::{Value, json};

fn beacon(body: &Value, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post("/api/listens").header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::from(body.to_string())).expect("request")
}

async fn publish(app: &TestApp, headline: &str, url: &str) -> i64 {
    let posted = app.post_json("/api/articles", &article(headline, url, &["The council met."])).await;
    posted.json()["id"].as_i64().expect("id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beacons_are_counted_exactly_and_shown_as_json_csv_and_charts() {
    let app = TestApp::new("analytics").await;
    let id = publish(&app, "Ferry fares", "https://n.example/fares").await;
    let voice = app.state.voices.default.clone();

    // 2,000 plays at once, each with its quarters and its leave: nothing is lost.
    let mut beacons = Vec::new();
    for n in 0..2_000 {
        beacons.push(json!({"type": "play", "article": id, "voice": voice, "speed": if n % 2 == 0 { 1.0 } else { 1.5 }}));
        beacons.push(json!({"type": "reach", "article": id, "percent": 25}));
        if n % 4 == 0 {
            beacons.push(json!({"type": "reach", "article": id, "percent": 100}));
        }
        beacons.push(json!({"type": "leave", "article": id, "listened_ms": 60_000, "sentence": n % 3}));
    }
    let answers = join_all(beacons.iter().map(|b| app.send(beacon(b, &[])))).await;
    assert!(answers.iter().all(|a| a.status == StatusCode::NO_CONTENT));
    assert!(answers.iter().all(|a| a.headers.get("set-cookie").is_none()), "no cookie, ever");

    // Browsers that ask not to be counted are not.
    for header in [("dnt", "1"), ("sec-gpc", "1")] {
        let play = json!({"type": "play", "article": id});
        assert_eq!(app.send(beacon(&play, &[header])).await.status, StatusCode::NO_CONTENT);
    }
    // Odd beacons are refused; a draft's and an unknown article's are not kept.
    for odd in [
        json!({"type": "reach", "article": id, "percent": 30}),
        json!({"type": "play", "article": id, "speed": 12}),
        json!({"type": "leave", "article": id, "listened_ms": 99_999_999_999u64}),
        json!({"type": "play", "article": id, "ip": "1.2.3.4"}),
        json!({"type": "scroll", "article": id}),
    ] {
        let answer = app.send(beacon(&odd, &[])).await;
        assert!(answer.status.is_client_error(), "{odd}: {}", answer.status);
    }
    let mut draft = article("Draft", "https://n.example/draft", &["Not yet."]);
    draft["status"] = json!("draft");
    let draft = app.post_json("/api/articles", &draft).await.json()["id"].as_i64().expect("id");
    for stray in [draft, id + 1_000] {
        app.send(beacon(&json!({"type": "play", "article": stray}), &[])).await;
    }
    lector_core::analytics::flush(&app.state).await.expect("written");

    let summary =
        app.write(Method::GET, &format!("/api/analytics?article={id}"), "application/json", "").await;
    assert_eq!(summary.status, StatusCode::OK);
    let summary = summary.json();
    let total = &summary["total"];
    assert_eq!(total["plays"], 2_000, "{total}");
    assert_eq!(total["reached"], json!([2_000, 0, 0, 500]));
    assert_eq!(
        (total["leaves"].as_i64(), total["average_listened_ms"].as_i64()),
        (Some(2_000), Some(60_000))
    );
    assert_eq!(summary["speeds"], json!({"1": 1_000, "1.5": 1_000}));
    assert_eq!(summary["voices"][&voice], 2_000);
    assert_eq!(summary["dropoff"], json!([[0, 667], [1, 667], [2, 666]]));
    assert_eq!(summary["days"].as_array().map(Vec::len), Some(30), "every day of the period");
    let all = app.write(Method::GET, "/api/analytics", "application/json", "").await.json();
    assert_eq!(all["total"]["plays"], 2_000, "the draft's and the unknown article's plays are not kept");

    let csv = app.write(Method::GET, &format!("/api/analytics.csv?article={id}"), "text/csv", "").await;
    let text = String::from_utf8_lossy(&csv.body).into_owned();
    assert!(csv.header("content-type").starts_with("text/csv"));
    let today = lector_core::analytics::day_of(lector_core::now());
    assert!(text.lines().any(|l| l == format!("{today},2000,2000,0,0,500,120000000,2000,60000")), "{text}");
    assert_eq!(text.lines().count(), 31);

    // Staff only; a bad period is refused.
    assert_eq!(app.get("/api/analytics").await.status, StatusCode::UNAUTHORIZED);
    let bad =
        app.write(Method::GET, "/api/analytics?from=2026-12-05&to=2026-12-01", "application/json", "").await;
    assert_eq!((bad.status, bad.code()), (StatusCode::BAD_REQUEST, "invalid_period".to_string()));

    // The console draws it.
    let editor = app.staff("eddie", Role::Editor).await;
    let page =
        app.get_with(&format!("/console/analytics?article={id}"), &[("cookie", &editor.cookies)]).await;
    let html = String::from_utf8_lossy(&page.body).into_owned();
    assert_eq!(page.status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!("data-day=\"{today}\" data-value=\"2000\"")), "{html}");
    assert!(
        html.contains("<dd class=\"total-plays\">2000</dd>")
            && html.contains("<dd class=\"completion\">25 %</dd>")
    );
    assert!(html.contains("sentence 1: 667"), "the drop-off chart");
    assert_eq!(app.get("/console/analytics").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn counts_are_read_once_written_and_add_up_across_writes() {
    let app = TestApp::new("analytics-retry").await;
    let id = publish(&app, "Bus lanes", "https://n.example/lanes").await;
    let play = json!({"type": "play", "article": id});
    app.send(beacon(&play, &[])).await;
    // Counted but not written yet: nothing is read.
    let period =
        lector_store::ListenQuery { article: Some(id), from: "2000-01-01".into(), to: "2100-01-01".into() };
    assert!(app.state.store.listen_counts(&period).await.expect("read").is_empty());
    lector_core::analytics::flush(&app.state).await.expect("written");
    app.send(beacon(&play, &[])).await;
    lector_core::analytics::flush(&app.state).await.expect("written");
    let read = app.state.store.listen_counts(&period).await.expect("read");
    assert_eq!(
        read.iter().find(|c| c.metric == "plays").map(|c| c.value),
        Some(2),
        "sums add up across writes"
    );
}
