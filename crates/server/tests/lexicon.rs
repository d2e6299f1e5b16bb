//! The site's pronunciation lexicon through the router: an entry added through the API is
//! heard in the article's new narration (transcribed by Whisper) and in the console's listen
//! sample, only the sentences it touches are synthesized again, and removing it brings the
//! old speech back without synthesizing anything.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::Ordering;

use axum::http::{Method, StatusCode};
use common::{TestApp, article};
use lector_core::accounts::Role;
use serde_json::json;

fn synthesized(app: &TestApp) -> u64 {
    app.state.metrics.sentences_synthesized.load(Ordering::Relaxed)
}

/// Whisper tiny.en's transcript of each file, lower-cased. One at a time: the tool sets up
/// its Python environment on first use, which two runs at once must not both do.
fn transcribe(files: &[&PathBuf]) -> Vec<String> {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let tool = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools/transcribe");
    assert!(tool.exists(), "{} is missing", tool.display());
    let output = Command::new(&tool).args(files).output().expect("transcribe runs");
    assert!(output.status.success(), "transcribe failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| line.split_once('\t').map_or("", |(_, text)| text).to_lowercase())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_is_heard_in_the_new_narration_and_only_its_sentences_are_remade() {
    let app =
        TestApp::with("lexicon", |config| config.site.default_voice = Some("espeak:en-us".into())).await;
    let story = article(
        "Okafor opens the new bridge",
        "https://n.example/bridge",
        &[
            "Minister Okafor said the bridge cost four million. It opens to traffic on Monday. Drivers will pay no toll.",
        ],
    );
    let id = app.post_json("/api/articles", &story).await.json()["id"].as_i64().expect("id");
    app.run_jobs().await;
    let hash = app.get_with(&format!("/api/articles/{id}"), &[]).await.json()["narration"]["status"].clone();
    assert_eq!(hash, "ready");
    let before = synthesized(&app);

    // Refused: a pattern that matches empty text, both a respelling and IPA, no token.
    for bad in [
        json!({"text": "a*", "regex": true, "say": "x"}),
        json!({"text": "Okafor", "say": "a", "ipa": "b"}),
        json!({"text": "Okafor"}),
        json!({"text": "--", "say": "dash"}),
    ] {
        let refused = app.post_json("/api/lexicon", &bad).await;
        assert_eq!(
            (refused.status, refused.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_lexicon_entry".to_string()),
            "{bad}"
        );
    }
    assert_eq!(app.get("/api/lexicon").await.status, StatusCode::UNAUTHORIZED);

    let added = app
        .post_json(
            "/api/lexicon",
            &json!({"text": "Okafor", "say": "banana split", "example": "Yesterday the reporters asked Okafor about the new bridge."}),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&added.body));
    assert_eq!(added.json()["renarrated"], 1, "one article says Okafor");
    let entry = added.json()["entry"]["id"].as_i64().expect("id");
    app.run_jobs().await;
    // The headline and the first sentence say it; nothing else is synthesized again.
    assert_eq!(synthesized(&app) - before, 2);

    let dir = common::temp_dir("lexicon-audio");
    let audio = app.get(&format!("/api/articles/{id}/audio")).await;
    assert_eq!(audio.status, StatusCode::OK);
    let narration = dir.join("narration.mp3");
    std::fs::write(&narration, &audio.body).expect("written");
    let editor = app.staff("eddie", Role::Editor).await;
    let page =
        String::from_utf8_lossy(&app.get_with("/console/lexicon", &[("cookie", &editor.cookies)]).await.body)
            .into_owned();
    assert!(
        page.contains("banana split")
            && page.contains(
                "/console/lexicon/listen?text=Yesterday+the+reporters+asked+Okafor+about+the+new+bridge."
            ),
        "{page}"
    );
    let sample = app
        .get_with(
            "/console/lexicon/listen?text=Yesterday+the+reporters+asked+Okafor+about+the+new+bridge.",
            &[("cookie", &editor.cookies)],
        )
        .await;
    assert_eq!((sample.status, sample.header("content-type")), (StatusCode::OK, "audio/wav"));
    assert!(sample.body.starts_with(b"RIFF"));
    // What the sample says: the example as narrations now say it, the entry's words for the
    // name (Whisper is left to the narration: on a short eSpeak sample it mishears too often).
    let example = lector_article::Article {
        body: vec![lector_article::Block::paragraph(
            "Yesterday the reporters asked Okafor about the new bridge.",
        )],
        ..lector_article::Article::default()
    };
    let lexicon = lector_core::narration::site_lexicon(app.state.store.as_ref()).await.expect("lexicon");
    let said = lector_core::narration::spoken_script(&example, &app.state.config.site, &lexicon);
    let said: String = said.utterances.iter().map(|u| u.spoken.text()).collect();
    assert!(said.contains("banana split") && !said.contains("Okafor"), "{said}");
    let heard = transcribe(&[&narration]);
    // Whisper hears eSpeak's "banana split" as that, or as "banana" or "split" alone; never as
    // the name it replaced.
    let says_it =
        |heard: &str| (heard.contains("banana") || heard.contains("split")) && !heard.contains("okafor");
    assert!(says_it(&heard[0]), "the narration says the entry: {:?}", heard[0]);
    assert!(heard[0].contains("bridge") && heard[0].contains("monday"), "and the rest: {:?}", heard[0]);
    assert_eq!(app.get("/console/lexicon/listen?text=Okafor").await.status, StatusCode::UNAUTHORIZED);

    // Removed: the old speech comes back from what was kept, nothing synthesized.
    let after = synthesized(&app);
    let removed = app.write(Method::DELETE, &format!("/api/lexicon/{entry}"), "application/json", "").await;
    assert_eq!((removed.status, removed.json()["renarrated"].as_i64()), (StatusCode::OK, Some(1)));
    app.run_jobs().await;
    assert_eq!(synthesized(&app), after, "every sentence's speech was kept");
    assert_eq!(app.get(&format!("/api/articles/{id}")).await.json()["narration"]["status"], "ready");
    let again = app.write(Method::DELETE, &format!("/api/lexicon/{entry}"), "application/json", "").await;
    assert_eq!(again.code(), "lexicon_entry_not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_changes_what_one_sentence_says() {
    let app =
        TestApp::with("lexicon-script", |config| config.site.default_voice = Some("espeak:en-us".into()))
            .await;
    let story = article(
        "The new bridge opens",
        "https://n.example/bridge-script",
        &["The bridge cost four million. It opens to traffic on Monday. Drivers will pay no toll."],
    );
    let id = app.post_json("/api/articles", &story).await.json()["id"].as_i64().expect("id");
    app.run_jobs().await;
    let before = synthesized(&app);
    let editor = app.staff("eddie", Role::Editor).await;
    let page = String::from_utf8_lossy(
        &app.get_with(&format!("/console/articles/{id}"), &[("cookie", &editor.cookies)]).await.body,
    )
    .into_owned();
    assert!(page.contains("value=\"The bridge cost four million.\""), "the sentence as written: {page}");

    let path = format!("/console/articles/{id}/script");
    let body = |written: &str, spoken: &str| {
        format!(
            "csrf={}&written={}&spoken={}",
            editor.csrf,
            url::form_urlencoded::byte_serialize(written.as_bytes()).collect::<String>(),
            url::form_urlencoded::byte_serialize(spoken.as_bytes()).collect::<String>()
        )
    };
    let said = "It opens on Tuesday morning, says the mayor.";
    let changed =
        app.send(common::form(&path, &body("It opens to traffic on Monday.", said), &editor.cookies)).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", String::from_utf8_lossy(&changed.body));
    let unknown = app.send(common::form(&path, &body("No such sentence.", "x"), &editor.cookies)).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.run_jobs().await;
    assert_eq!(synthesized(&app) - before, 1, "that sentence alone is synthesized");
    let page = String::from_utf8_lossy(
        &app.get_with(&format!("/console/articles/{id}"), &[("cookie", &editor.cookies)]).await.body,
    )
    .into_owned();
    assert!(page.contains("class=\"overridden\"") && page.contains(&format!("value=\"{said}\"")), "{page}");

    // Heard in the narration, and kept through a revision that still has the sentence.
    let dir = common::temp_dir("lexicon-script-audio");
    let narration = dir.join("narration.mp3");
    std::fs::write(&narration, &app.get(&format!("/api/articles/{id}/audio")).await.body).expect("written");
    let heard = transcribe(&[&narration]);
    assert!(heard[0].contains("tuesday") && !heard[0].contains("monday"), "{:?}", heard[0]);
    let mut revised = story.clone();
    revised["headline"] = json!("The new bridge opens at last");
    app.post_json("/api/articles", &revised).await;
    let made = synthesized(&app);
    app.run_jobs().await;
    assert_eq!(synthesized(&app) - made, 1, "only the new headline is synthesized; the editor's words stay");

    // Emptied: the sentence is said as written again, from the speech kept before.
    let back =
        app.send(common::form(&path, &body("It opens to traffic on Monday.", ""), &editor.cookies)).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    let made = synthesized(&app);
    app.run_jobs().await;
    assert_eq!(synthesized(&app), made, "the written sentence's speech was kept");
}
