//! The JSON API's cases, run by `api.rs` on SQLite and by `api_postgres.rs` on PostgreSQL: each
//! root gives `open` and `open_with`, which make a [`TestApp`] on its database.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::common::article;
use super::{open, open_with};

#[tokio::test]
async fn articles_are_stored_revised_listed_and_deleted() {
    let app = open("articles").await;
    let trams = article(
        "Trams return to the harbour",
        "https://news.example/trams",
        &["The council approved the line."],
    );

    // Writes need a token.
    let anonymous = app
        .send(
            axum::http::Request::post("/api/articles")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(trams.to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!((anonymous.status, anonymous.code().as_str()), (StatusCode::UNAUTHORIZED, "unauthorized"));

    let created = app.post_json("/api/articles", &trams).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&created.body));
    let body = created.json();
    let id = body["id"].as_i64().expect("an id");
    assert_eq!(created.header("location"), format!("/api/articles/{id}"));
    assert_eq!(body["headline"], "Trams return to the harbour");
    assert_eq!((body["revision"].as_i64(), body["version"].as_i64()), (Some(1), Some(1)));
    assert_eq!(body["narration"]["status"], "queued");
    assert!(
        body["url"]
            .as_str()
            .is_some_and(|u| u.ends_with(&format!("/articles/{id}/trams-return-to-the-harbour")))
    );

    // The same article again is not a duplicate; a changed one is a revision.
    let again = app.post_json("/api/articles", &trams).await;
    assert_eq!(
        (again.status, again.json()["id"].as_i64(), again.json()["revision"].as_i64()),
        (StatusCode::OK, Some(id), Some(1))
    );
    let changed = article(
        "Trams return to the harbour",
        "https://news.example/trams",
        &["The council approved the line on Tuesday."],
    );
    let revised = app.post_json("/api/articles", &changed).await;
    assert_eq!((revised.status, revised.json()["revision"].as_i64()), (StatusCode::OK, Some(2)));
    // GET output posted back is accepted too (its extra fields are ignored).
    let read = app.get(&format!("/api/articles/{id}")).await;
    assert_eq!(read.status, StatusCode::OK);
    let replaced = app
        .write(Method::PUT, &format!("/api/articles/{id}"), "application/json", {
            let mut body = read.json();
            body["headline"] = json!("Trams return to the harbour district");
            body.to_string()
        })
        .await;
    assert_eq!((replaced.status, replaced.json()["revision"].as_i64()), (StatusCode::OK, Some(3)));
    assert_eq!(replaced.json()["headline"], "Trams return to the harbour district");

    // An external id identifies an article across URLs.
    let mut budget = article("Budget passes", "https://news.example/budget", &["The budget passed."]);
    budget["external_id"] = json!("cms-7");
    budget["topics"] = json!([{"name": "Politics", "slug": "politics"}]);
    budget["authors"] = json!([{"name": "Tom Hale"}]);
    budget["published"] = json!("2026-04-03T09:00:00Z");
    let budget_id = app.post_json("/api/articles", &budget).await.json()["id"].as_i64();
    budget["canonical_url"] = json!("https://news.example/budget-moved");
    assert_eq!(app.post_json("/api/articles", &budget).await.json()["id"].as_i64(), budget_id);

    // Lists: newest first, filters, paging.
    let all = app.get("/api/articles").await.json();
    assert_eq!(all["total"], 2);
    assert_eq!(all["items"][0]["headline"], "Budget passes");
    let transport = app.get("/api/articles?topic=transport").await.json();
    assert_eq!((transport["total"].as_i64(), transport["items"][0]["id"].as_i64()), (Some(1), Some(id)));
    let by_tom = app.get("/api/articles?author=tom-hale").await.json();
    assert_eq!(by_tom["items"][0]["id"].as_i64(), budget_id);
    let first_page = app.get("/api/articles?per_page=1").await.json();
    assert_eq!(first_page["next"], "/api/articles?page=2&per_page=1");
    let second_page = app.get("/api/articles?page=2&per_page=1").await.json();
    assert_eq!((second_page["items"][0]["id"].as_i64(), second_page["next"].is_null()), (Some(id), true));

    let deleted = app.write(Method::DELETE, &format!("/api/articles/{id}"), "application/json", "").await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app.get(&format!("/api/articles/{id}")).await;
    assert_eq!((gone.status, gone.code().as_str()), (StatusCode::NOT_FOUND, "article_not_found"));
    assert_eq!(app.get("/api/articles").await.json()["total"], 1);
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_stores_nothing() {
    let app = open("bad-input").await;
    let cases: Vec<(&str, &str, Vec<u8>, StatusCode, &str)> = vec![
        ("/api/articles", "application/json", b"{\"headline\": ".to_vec(), StatusCode::BAD_REQUEST, "malformed_json"),
        ("/api/articles", "application/json", b"[1, 2]".to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_json"),
        ("/api/articles", "text/plain", b"{}".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ("/api/articles", "application/json", b"{}".to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "missing_headline"),
        (
            "/api/articles",
            "application/json",
            br#"{"headline": "Only a headline"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_body",
        ),
        (
            "/api/articles",
            "application/json",
            json!({"headline": "x".repeat(1_001), "body": [{"type": "paragraph", "content": [{"text": "y"}]}]})
                .to_string()
                .into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "headline_too_long",
        ),
        (
            "/api/articles",
            "application/json",
            json!({"headline": "Six bullets", "summary": ["a", "b", "c", "d", "e", "f"],
                "body": [{"type": "paragraph", "content": [{"text": "y"}]}]})
            .to_string()
            .into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "summary_too_long",
        ),
        ("/api/extract", "application/pdf", b"%PDF-1.4".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ("/api/extract", "text/html", b"   ".to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "empty_body"),
        ("/api/extract", "text/html", vec![0u8, 159, 146, 150, 0, 1, 2, 3, 255, 254], StatusCode::UNPROCESSABLE_ENTITY, "binary_input"),
        ("/api/extract", "text/html", b"<html><body><nav>Home</nav></body></html>".to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "no_article"),
        ("/api/extract", "application/json", br#"{"url": "ftp://x.example/a"}"#.to_vec(), StatusCode::BAD_REQUEST, "invalid_url"),
        ("/api/extract", "application/json", br#"{"link": "https://x.example/"}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_json"),
        ("/api/feeds", "application/json", br#"{"url": "https://x.example/rss", "interval": 5}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_interval"),
    ];
    for (uri, content_type, body, status, code) in cases {
        let answer = app.write(Method::POST, uri, content_type, body).await;
        assert_eq!(
            (answer.status, answer.code().as_str()),
            (status, code),
            "{uri} {content_type}: {:?}",
            answer.body
        );
    }
    // 50 MB bodies are refused before they are read whole.
    let huge = vec![b' '; 50 * 1024 * 1024];
    for (uri, content_type) in [("/api/articles", "application/json"), ("/api/extract", "text/html")] {
        let answer = app.write(Method::POST, uri, content_type, huge.clone()).await;
        assert_eq!(
            (answer.status, answer.code().as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            "{uri}"
        );
    }
    for (uri, status, code) in [
        ("/api/articles?page=0", StatusCode::BAD_REQUEST, "invalid_page"),
        ("/api/articles?per_page=1000", StatusCode::BAD_REQUEST, "invalid_page"),
        ("/api/articles?colour=red", StatusCode::BAD_REQUEST, "invalid_query"),
        ("/api/articles/abc", StatusCode::NOT_FOUND, "not_found"),
        ("/api/articles/99", StatusCode::NOT_FOUND, "article_not_found"),
        ("/api/articles/99/audio", StatusCode::NOT_FOUND, "article_not_found"),
        ("/api/jobs/99", StatusCode::NOT_FOUND, "job_not_found"),
        ("/nowhere", StatusCode::NOT_FOUND, "route_not_found"),
        ("/images/not-a-digest", StatusCode::NOT_FOUND, "image_not_found"),
        ("/feeds/topics/none/podcast.xml", StatusCode::NOT_FOUND, "topic_not_found"),
    ] {
        let answer = app.get(uri).await;
        assert_eq!((answer.status, answer.code().as_str()), (status, code), "{uri}");
    }
    let wrong_method = app.write(Method::PATCH, "/api/articles", "application/json", "{}").await;
    assert_eq!(wrong_method.code(), "method_not_allowed");
    let public_read = app.get_with("/api/feeds", &[]).await;
    assert_eq!(public_read.status, StatusCode::OK, "reads are public");
    assert_eq!(app.get("/api/articles").await.json()["total"], 0);
    assert!(app.state.store.job_counts().await.expect("jobs").is_empty(), "no job was queued");
}

#[tokio::test]
async fn tokens_do_only_what_their_scopes_allow() {
    let app = open("scopes").await;
    let mut tokens = std::collections::HashMap::new();
    for (name, scopes) in [
        ("cms", "articles:write"),
        ("moderator", "comments:moderate"),
        ("both", "articles:write comments:moderate"),
    ] {
        let (token, hash) = lector_core::tokens::new_token().expect("token");
        app.state.store.create_token(name, &hash, scopes, None, lector_core::now()).await.expect("stored");
        tokens.insert(name, token);
    }
    let send = |token: &str, method: Method, uri: &str, body: String| {
        app.send(
            axum::http::Request::builder()
                .method(method)
                .uri(uri)
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .expect("request"),
        )
    };
    let story = article("Ferry fares rise", "https://n.example/fares", &["Fares rise in June."]).to_string();
    let feed = json!({"url": "https://n.example/feed.xml", "interval": 600}).to_string();
    // The content system writes articles, and nothing else.
    let stored = send(&tokens["cms"], Method::POST, "/api/articles", story.clone()).await;
    assert_eq!(stored.status, StatusCode::CREATED);
    let id = stored.json()["id"].as_i64().expect("id");
    let refused = send(&tokens["cms"], Method::POST, "/api/feeds", feed.clone()).await;
    assert_eq!((refused.status, refused.code().as_str()), (StatusCode::FORBIDDEN, "insufficient_scope"));
    assert!(
        refused.json()["error"]["message"].as_str().is_some_and(|m| m.contains("admin")),
        "{:?}",
        refused.body
    );
    let refused = send(&tokens["cms"], Method::GET, "/api/comments?state=pending", String::new()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // The moderator moderates, and writes no article.
    let comment = app.comment(id, "Ana", "Good news for night workers.").await.json();
    let comment = comment["id"].as_i64().expect("comment id");
    let hidden =
        send(&tokens["moderator"], Method::POST, &format!("/api/comments/{comment}/hide"), String::new())
            .await;
    assert!(hidden.status.is_success(), "{}", hidden.status);
    let refused = send(&tokens["moderator"], Method::POST, "/api/articles", story.clone()).await;
    assert_eq!((refused.status, refused.code().as_str()), (StatusCode::FORBIDDEN, "insufficient_scope"));
    let refused =
        send(&tokens["moderator"], Method::DELETE, &format!("/api/articles/{id}"), String::new()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Two scopes do both; admin (the test's own token) does everything.
    let restored =
        send(&tokens["both"], Method::POST, &format!("/api/comments/{comment}/restore"), String::new()).await;
    assert!(restored.status.is_success(), "{}", restored.status);
    assert_eq!(
        send(&tokens["both"], Method::POST, "/api/feeds", feed.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let admin = app.post_json("/api/feeds", &serde_json::from_str(&feed).expect("json")).await;
    assert!(![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&admin.status), "{}", admin.status);
    // Nothing refused was done.
    assert_eq!(app.get("/api/articles").await.json()["total"], 1);
}

#[tokio::test]
async fn the_narration_speaks_the_article_s_language_or_says_it_cannot() {
    let app = open_with("languages", |config| {
        config.site.voices.insert("de".into(), "espeak:de".into());
    })
    .await;
    let story = |headline: &str, language: Option<&str>, text: &str| {
        let mut story = article(headline, &format!("https://n.example/{}", headline.len()), &[text]);
        if let Some(language) = language {
            story["language"] = json!(language);
        }
        story
    };
    let voices = app.get("/api/voices").await.json();
    let language_of = |id: &str| {
        voices["voices"]
            .as_array()
            .expect("voices")
            .iter()
            .find(|v| v["id"] == id)
            .map(|v| v["language"].to_string())
    };
    // English: the site's default voice.
    let english = app
        .post_json("/api/articles", &story("Night buses", None, "Night buses return in May."))
        .await
        .json();
    assert_eq!(english["narration"]["voice"], voices["default"]);
    // French: a voice that speaks French, never the English default.
    let french = story("Les bus de nuit", Some("fr-FR"), "Les bus de nuit reviennent en mai.");
    let french = app.post_json("/api/articles", &french).await.json();
    let voice = french["narration"]["voice"].as_str().expect("a voice").to_string();
    assert!(language_of(&voice).is_some_and(|l| l.contains("fr")), "{voice}: {:?}", language_of(&voice));
    assert_eq!(french["narration"]["job"]["voice"], voice.as_str());
    // German: the voice the site chose for it.
    let german = app
        .post_json("/api/articles", &story("Nachtbusse", Some("de"), "Die Nachtbusse fahren wieder."))
        .await
        .json();
    assert_eq!(german["narration"]["voice"], "espeak:de");
    // A language no voice speaks: stored, not narrated, and the API says why.
    let unknown =
        app.post_json("/api/articles", &story("Qaa", Some("qaa"), "Text in a private-use language.")).await;
    assert_eq!(unknown.status, StatusCode::CREATED);
    let unknown = unknown.json();
    let id = unknown["id"].as_i64().expect("id");
    assert_eq!(
        (
            unknown["narration"]["status"].as_str(),
            unknown["narration"]["voice"].is_null(),
            unknown["narration"]["job"].is_null()
        ),
        (Some("no_voice"), true, true)
    );
    assert!(unknown["narration"]["message"].as_str().is_some_and(|m| m.contains("qaa")));
    for path in ["audio", "timings", "transcript.vtt", "chapters.json"] {
        let answer = app.get(&format!("/api/articles/{id}/{path}")).await;
        assert_eq!((answer.status, answer.code().as_str()), (StatusCode::NOT_FOUND, "no_voice"), "{path}");
    }
    let asked = app.get(&format!("/api/articles/{id}/audio?voice=espeak:en-us")).await;
    assert_eq!(
        (asked.status, asked.header("content-type")),
        (StatusCode::OK, "audio/mpeg"),
        "a voice asked for by name still reads it"
    );
    let page = String::from_utf8_lossy(&app.get(&format!("/articles/{id}")).await.body).into_owned();
    assert!(page.contains("No voice on this site speaks") && !page.contains("data-player"), "{page}");
    assert!(!app.state.store.jobs_for_article(id).await.expect("jobs").iter().any(|j| j.kind == "narrate"));
}

#[tokio::test]
async fn revoked_tokens_write_nothing() {
    let app = open("revoked").await;
    app.state.store.revoke_token("test", lector_core::now()).await.expect("revoked");
    let answer = app.post_json("/api/articles", &article("A", "https://n.example/a", &["Text."])).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let answer = app
        .send(
            axum::http::Request::post("/api/articles")
                .header("authorization", "Bearer lector_0000")
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{}"))
                .expect("request"),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn narration_is_queued_made_and_served_with_ranges() {
    let app = open("audio").await;
    let posted = app
        .post_json(
            "/api/articles",
            &article(
                "Night buses return",
                "https://news.example/buses",
                &[
                    "Night buses will return to the harbour district on 1 May.",
                    "Three routes will run every 30 minutes.",
                ],
            ),
        )
        .await
        .json();
    let id = posted["id"].as_i64().expect("id");
    let job = posted["narration"]["job"]["id"].as_i64().expect("a queued job");
    assert_eq!(app.get(&format!("/api/jobs/{job}")).await.json()["state"], "queued");
    app.run_jobs().await;
    let done = app.get(&format!("/api/jobs/{job}")).await.json();
    assert_eq!((done["state"].as_str(), done["attempts"].as_i64()), (Some("done"), Some(1)));
    let view = app.get(&format!("/api/articles/{id}")).await.json();
    assert_eq!(view["narration"]["status"], "ready");
    let duration = view["narration"]["duration_ms"].as_i64().expect("a duration");
    assert!((3_000..20_000).contains(&duration), "{duration} ms");

    let full = app.get(&format!("/api/articles/{id}/audio")).await;
    assert_eq!(full.status, StatusCode::OK);
    assert_eq!((full.header("content-type"), full.header("accept-ranges")), ("audio/mpeg", "bytes"));
    assert!(full.header("cache-control").contains("max-age"));
    let etag = full.header("etag").to_string();
    assert!(etag.starts_with('"') && etag.len() > 10);
    assert_eq!(full.header("content-length"), full.body.len().to_string());
    let length = full.body.len();
    assert!(length > 10_000, "{length} bytes of MP3");
    let sync = full.body[0] == 0xFF && full.body[1] & 0xE0 == 0xE0;
    assert!(sync || full.body.starts_with(b"ID3"), "an MP3 stream");
    // Saved under the article's name.
    assert_eq!(full.header("content-disposition"), "inline; filename=\"night-buses-return.mp3\"");

    let part = app.get_with(&format!("/api/articles/{id}/audio"), &[("range", "bytes=100-199")]).await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.header("content-range"), format!("bytes 100-199/{length}"));
    assert_eq!(part.body, full.body.slice(100..200));
    let tail = app.get_with(&format!("/api/articles/{id}/audio"), &[("range", "bytes=-50")]).await;
    assert_eq!((tail.status, tail.body.len()), (StatusCode::PARTIAL_CONTENT, 50));
    assert_eq!(tail.body, full.body.slice(length - 50..));
    let outside =
        app.get_with(&format!("/api/articles/{id}/audio"), &[("range", &format!("bytes={length}-"))]).await;
    assert_eq!(
        (outside.status, outside.header("content-range")),
        (StatusCode::RANGE_NOT_SATISFIABLE, format!("bytes */{length}").as_str())
    );
    let cached = app.get_with(&format!("/api/articles/{id}/audio"), &[("if-none-match", &etag)]).await;
    assert_eq!((cached.status, cached.body.len()), (StatusCode::NOT_MODIFIED, 0));
    let stale = app
        .get_with(&format!("/api/articles/{id}/audio"), &[("range", "bytes=0-9"), ("if-range", "\"old\"")])
        .await;
    assert_eq!((stale.status, stale.body.len()), (StatusCode::OK, length));

    let opus = app.get(&format!("/api/articles/{id}/audio?format=opus")).await;
    assert_eq!(opus.header("content-type"), "audio/ogg; codecs=opus");
    assert!(opus.body.starts_with(b"OggS"));
    assert_eq!(opus.header("content-disposition"), "inline; filename=\"night-buses-return.ogg\"");

    let timings = app.get(&format!("/api/articles/{id}/timings")).await.json();
    let utterances = timings["utterances"].as_array().expect("utterances");
    assert_eq!(utterances[0]["part"], "headline");
    assert_eq!(utterances[0]["text"], "Night buses return");
    let bodies: Vec<_> = utterances.iter().filter(|u| u["part"] == "body").collect();
    assert_eq!(
        (bodies[0]["block"].as_i64(), bodies.last().and_then(|u| u["block"].as_i64())),
        (Some(0), Some(1))
    );
    let mut last_end = 0;
    for utterance in utterances {
        let (start, end) =
            (utterance["start_ms"].as_i64().unwrap_or(-1), utterance["end_ms"].as_i64().unwrap_or(-1));
        assert!(start >= last_end && end > start, "{utterance}");
        last_end = end;
    }
    assert!(last_end <= duration && duration - last_end < 2_000);
    let vtt = app.get(&format!("/api/articles/{id}/transcript.vtt")).await;
    assert_eq!(vtt.header("content-type"), "text/vtt; charset=utf-8");
    let vtt = String::from_utf8_lossy(&vtt.body).into_owned();
    let plain = regex::Regex::new("<[0-9:.]+>").expect("regex").replace_all(&vtt, "");
    assert!(vtt.starts_with("WEBVTT") && plain.contains("Three routes will run every 30 minutes."), "{vtt}");

    // Unknown voices and formats are refused.
    let unknown = app.get(&format!("/api/articles/{id}/audio?voice=nobody")).await;
    assert_eq!((unknown.status, unknown.code().as_str()), (StatusCode::BAD_REQUEST, "unknown_voice"));
    let wav = app.get(&format!("/api/articles/{id}/audio?format=wav")).await;
    assert_eq!(wav.code(), "unknown_format");

    // A revision that leaves the spoken text alone keeps its audio; a new text queues a job.
    let mut quiet = app.get(&format!("/api/articles/{id}")).await.json();
    quiet["description"] = json!("A short description nobody reads aloud.");
    let kept = app
        .write(Method::PUT, &format!("/api/articles/{id}"), "application/json", quiet.to_string())
        .await
        .json();
    assert_eq!((kept["revision"].as_i64(), kept["narration"]["status"].as_str()), (Some(2), Some("ready")));
    let same_audio = app.get_with(&format!("/api/articles/{id}/audio"), &[("if-none-match", &etag)]).await;
    assert_eq!(same_audio.status, StatusCode::NOT_MODIFIED);
    quiet["headline"] = json!("Night buses return on 1 May");
    let renarrate = app
        .write(Method::PUT, &format!("/api/articles/{id}"), "application/json", quiet.to_string())
        .await
        .json();
    assert_eq!(renarrate["narration"]["status"], "queued");

    // The podcast lists narrated articles with their enclosure.
    let podcast = app.get("/feeds/podcast.xml").await;
    assert_eq!(podcast.header("content-type"), "application/rss+xml; charset=utf-8");
    let parsed = feed_rs::parser::parse(podcast.body.as_ref()).expect("valid RSS");
    assert!(parsed.entries.is_empty(), "the revised article's new narration is not ready yet");
    app.run_jobs().await;
    let podcast = app.get("/feeds/podcast.xml").await;
    let text = String::from_utf8_lossy(&podcast.body).into_owned();
    let parsed = feed_rs::parser::parse(podcast.body.as_ref()).expect("valid RSS");
    assert_eq!(parsed.entries.len(), 1);
    let new_audio = app.get(&format!("/api/articles/{id}/audio")).await;
    assert!(text.contains(&format!("length=\"{}\" type=\"audio/mpeg\"", new_audio.body.len())), "{text}");
    assert!(
        text.contains("<itunes:duration>00:00:")
            && text.contains("<pubDate>Wed, 1 Apr 2026 22:00:00 +0000</pubDate>")
    );
    let topic = app.get("/feeds/topics/transport/podcast.xml").await;
    assert_eq!(feed_rs::parser::parse(topic.body.as_ref()).expect("valid RSS").entries.len(), 1);
}

#[tokio::test]
async fn audio_not_ready_is_streamed_while_synthesized_and_kept() {
    let app = open("stream").await;
    let id = app
        .post_json(
            "/api/articles",
            &article(
                "Ferry fares rise",
                "https://news.example/ferry",
                &["Ferry fares will rise by five percent in June."],
            ),
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let voice = "espeak:en-us";
    let streamed = app.get(&format!("/api/articles/{id}/audio?voice={voice}")).await;
    assert_eq!((streamed.status, streamed.header("cache-control")), (StatusCode::OK, "no-store"));
    assert!(
        streamed.header("content-disposition").ends_with(".mp3\""),
        "{}",
        streamed.header("content-disposition")
    );
    assert!(streamed.body.len() > 2_000 && streamed.body[0] == 0xFF, "{} bytes", streamed.body.len());
    // The rendition is stored once the stream ends, for the next listener. (Asking for the
    // audio itself while it is not stored would start more live narrations.)
    for _ in 0..100 {
        if app.get(&format!("/api/articles/{id}/timings?voice={voice}")).await.status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let stored = app.get(&format!("/api/articles/{id}/audio?voice={voice}")).await;
    assert!(!stored.header("etag").is_empty(), "the streamed narration was stored");
    assert_eq!(stored.header("accept-ranges"), "bytes");
    let timings = app.get(&format!("/api/articles/{id}/timings?voice={voice}")).await.json();
    assert_eq!(timings["voice"], voice);
    let opus = app.get(&format!("/api/articles/{id}/audio?voice=espeak:en&format=opus")).await;
    assert!(opus.body.starts_with(b"OggS") && opus.header("cache-control") == "no-store");
}

#[tokio::test]
async fn live_narrations_are_limited_and_the_rest_queued() {
    let app = open_with("live-limit", |config| config.jobs.live_streams = 0).await;
    let id = app
        .post_json(
            "/api/articles",
            &article("Tram line opens", "https://news.example/tram", &["The tram line opens on Monday."]),
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let busy = app.get(&format!("/api/articles/{id}/audio?voice=espeak:en-us")).await;
    assert_eq!((busy.status, busy.code().as_str()), (StatusCode::SERVICE_UNAVAILABLE, "audio_not_ready"));
    assert_eq!(busy.header("retry-after"), "10");
    let jobs = app.state.store.jobs_for_article(id).await.expect("jobs");
    assert!(
        jobs.iter().any(|job| job.voice == "espeak:en-us" && job.state == lector_store::JobState::Queued),
        "{jobs:?}"
    );
    app.run_jobs().await;
    let ready = app.get(&format!("/api/articles/{id}/audio?voice=espeak:en-us")).await;
    assert_eq!((ready.status, ready.header("accept-ranges")), (StatusCode::OK, "bytes"));
}

#[tokio::test]
async fn voices_health_metrics_and_the_openapi_document() {
    let app = open("operations").await;
    let voices = app.get("/api/voices").await.json();
    let default = voices["default"].as_str().expect("a default voice").to_string();
    let list = voices["voices"].as_array().expect("voices");
    assert!(list.iter().any(|v| v["id"] == default.as_str()));
    assert!(
        list.iter()
            .any(|v| v["id"] == "espeak:en-us" && v["quality"] == "basic" && v["engine"] == "espeak-ng")
    );
    // Paces are measured on an English reference text, so voices without Latin script spell it
    // slowly; English voices read it at a news pace.
    assert!(list.iter().all(|v| v["wpm"].is_null() || v["wpm"].as_f64().is_some_and(|w| w > 0.0)));
    for voice in list.iter().filter(|v| v["id"] == "espeak:en-us" || v["id"] == default.as_str()) {
        assert!(voice["wpm"].is_null() || voice["wpm"].as_f64().is_some_and(|w| w > 100.0), "{voice}");
    }

    let health = app.get("/healthz").await;
    assert_eq!((health.status, health.body.as_ref()), (StatusCode::OK, b"ok\n".as_ref()));
    app.get("/api/articles").await;
    let metrics = String::from_utf8_lossy(&app.get("/metrics").await.body).into_owned();
    assert!(
        metrics.contains("lector_http_requests_total{route=\"/api/articles\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("# TYPE lector_jobs gauge") && metrics.contains("lector_articles 0"));

    // Every documented operation is routed (not the fallback), and the document is OpenAPI 3.1.
    let document = app.get("/api/openapi.json").await.json();
    assert!(document["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")));
    let paths = document["paths"].as_object().expect("paths");
    assert!(paths.len() >= 14, "{:?}", paths.keys());
    for (path, operations) in paths {
        let uri = path.replace("{id}", "1").replace("{slug}", "x").replace("{blob}", "x");
        for method in operations.as_object().expect("operations").keys() {
            let method: Method = method.to_uppercase().parse().expect("a method");
            let request = axum::http::Request::builder()
                .method(method.clone())
                .uri(&uri)
                .body(axum::body::Body::empty())
                .expect("request");
            let answer = app.send(request).await;
            let code = if answer.header("content-type").starts_with("application/json") {
                answer.code()
            } else {
                String::new()
            };
            assert!(
                code != "route_not_found" && code != "method_not_allowed",
                "{method} {path} is documented but not routed"
            );
        }
    }
    for route in
        ["/api/articles", "/api/articles/{id}/audio", "/api/extract", "/api/feeds", "/feeds/podcast.xml"]
    {
        assert!(paths.contains_key(route), "{route} is not documented");
    }
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn failing_narrations_retry_with_backoff_then_fail() {
    let app = open_with("retry", |config| {
        config.jobs.max_attempts = 2;
        config.jobs.retry_after_secs = 30;
    })
    .await;
    let id = app
        .post_json(
            "/api/articles",
            &article("Quiet day", "https://news.example/quiet", &["Nothing happened."]),
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let store = &app.state.store;
    let now = lector_core::now();
    let job = store.enqueue_narration(id, "piper:no-such-voice", now).await.expect("queued");
    // Take only this job: the default voice's narration is not part of this test.
    let claimed = loop {
        let next = store.claim_job(now, now + 30).await.expect("claim").expect("a job");
        if next.id == job.id {
            break next;
        }
        store.finish_job(next.id, next.attempts, now).await.expect("set aside");
    };
    lector_core::jobs::run(&app.state, claimed).await;
    let waiting = app.get(&format!("/api/jobs/{}", job.id)).await.json();
    assert_eq!(waiting["state"], "queued");
    assert!(waiting["last_error"].as_str().is_some_and(|e| e.contains("no-such-voice")), "{waiting}");
    let run_after =
        chrono::DateTime::parse_from_rfc3339(waiting["run_after"].as_str().expect("time")).expect("RFC 3339");
    assert!(run_after.timestamp() >= now + 30, "the retry waits: {waiting}");
    assert!(store.claim_job(now + 29, now + 59).await.expect("claim").is_none(), "not before its time");
    let again = store.claim_job(now + 45, now + 75).await.expect("claim").expect("due");
    lector_core::jobs::run(&app.state, again).await;
    let failed = app.get(&format!("/api/jobs/{}", job.id)).await.json();
    assert_eq!((failed["state"].as_str(), failed["attempts"].as_i64()), (Some("failed"), Some(2)));
    let metrics = String::from_utf8_lossy(&app.get("/metrics").await.body).into_owned();
    assert!(metrics.contains("lector_narrations_failed_total 2"), "{metrics}");
}

#[tokio::test]
async fn a_large_blob_is_streamed_to_the_client_in_chunks() {
    let app = open("streamed").await;
    // A PNG signature, then 1 MiB that differ along their length.
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0..1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let blob = app.state.blobs.put(bytes.clone()).await.expect("stored");
    let image = lector_store::ImageRecord {
        source_url: "https://news.example/images/wide.png".into(),
        blob: blob.clone(),
        content_type: "image/png".into(),
        width: 4000,
        height: 3000,
        variants: Vec::new(),
        created_at: lector_core::now(),
    };
    app.state.store.save_image(&image).await.expect("recorded");

    let whole = app.get(&format!("/images/{blob}")).await;
    assert_eq!((whole.status, whole.header("content-type")), (StatusCode::OK, "image/png"));
    assert!(whole.body == bytes, "the image came back different");
    assert_eq!(whole.header("content-length"), bytes.len().to_string());
    // Sent as it is read from the blob store, in chunks (64 KiB from a folder; at most what
    // one read of the S3 response holds, about 400 KiB), not gathered whole first.
    assert!(whole.frames >= 3, "{} frames", whole.frames);
    let part = app.get_with(&format!("/images/{blob}"), &[("range", "bytes=70000-969999")]).await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert!(part.body == bytes[70_000..970_000], "the range came back different");
    assert!(part.frames >= 2, "{} frames", part.frames);
}

#[tokio::test]
async fn nul_characters_are_dropped_from_what_is_stored() {
    let app = open("nul").await;
    let mut posted = article(
        "Night\u{0}buses return",
        "https://news.example/nul",
        &["Three routes\u{0} will run every 30 minutes."],
    );
    posted["authors"] = json!([{"name": "Priya\u{0} Raman"}]);
    let answer = app.post_json("/api/articles", &posted).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&answer.body));
    let id = answer.json()["id"].as_i64().expect("id");
    let stored = app.get(&format!("/api/articles/{id}")).await;
    assert_eq!(stored.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&stored.body);
    assert!(!text.contains("\\u0000") && !text.contains('\0'), "{text}");
    let stored = stored.json();
    assert_eq!(stored["headline"], "Nightbuses return");
    assert_eq!(stored["authors"][0]["name"], "Priya Raman");

    let comment = app
        .send(
            axum::http::Request::post(format!("/api/articles/{id}/comments"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    json!({"name": "Ana\u{0}", "body": "Good\u{0} news."}).to_string(),
                ))
                .expect("request"),
        )
        .await;
    assert_eq!(comment.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&comment.body));
    let listed = app.get(&format!("/api/articles/{id}/comments")).await.json();
    let first = &listed["items"][0];
    assert_eq!(
        (first["name"].as_str(), first["body_html"].as_str()),
        (Some("Ana"), Some("<p>Good news.</p>")),
        "{listed}"
    );
}

#[tokio::test]
async fn articles_are_searched_by_their_words() {
    let app = open("search").await;
    for (n, (headline, text)) in [
        ("Night trams return", "The council approved the late service."),
        ("Budget vote delayed", "Members argued about money for trams."),
        ("Gardens open", "The botanical gardens reopen on Sunday."),
    ]
    .into_iter()
    .enumerate()
    {
        let posted = app
            .post_json("/api/articles", &article(headline, &format!("https://news.example/{n}"), &[text]))
            .await;
        assert_eq!(posted.status, StatusCode::CREATED);
    }
    let headlines = |answer: &serde_json::Value| -> Vec<String> {
        answer["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|a| a["headline"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let found = app.get("/api/articles?q=Tram").await.json();
    assert_eq!(
        (found["total"].as_i64(), headlines(&found)),
        (Some(2), vec!["Night trams return".to_string(), "Budget vote delayed".to_string()])
    );
    let first = app.get("/api/articles?q=trams&per_page=1").await.json();
    assert_eq!(first["next"], "/api/articles?page=2&per_page=1&q=trams");
    let second = app.get("/api/articles?page=2&per_page=1&q=trams").await.json();
    assert_eq!(headlines(&second), ["Budget vote delayed"]);
    let none = app.get("/api/articles?q=%22%29%28*").await;
    assert_eq!((none.status, none.json()["total"].as_i64()), (StatusCode::OK, Some(0)));
    let long = app.get(&format!("/api/articles?q={}", "a".repeat(1_001))).await;
    assert_eq!(
        (long.status, long.json()["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query"))
    );
}
