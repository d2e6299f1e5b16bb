//! Narration that follows edits sentence by sentence: a 1,000-word article narrated, one
//! paragraph edited, and only that paragraph's sentences synthesized again (counted), the
//! rest reused; the new audio says the edit.

mod common;

use std::sync::atomic::Ordering;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{Value, json};

const VOICE: &str = "espeak:en-us";

/// Thirty-two paragraphs of two sentences, about 1,000 words, the `edited` one (if any) rewritten.
fn long_article(edited: Option<usize>) -> Value {
    let body: Vec<Value> = (0..32)
        .map(|n| {
            let text = if Some(n) == edited {
                "Ferries to the outer islands will now leave every twenty minutes on weekdays. \
                 The operator says the new timetable starts on the first Monday of June."
                    .to_string()
            } else {
                format!(
                    "Paragraph {n} of the council report describes the budget for roads, parks and libraries \
                     in plain words. Officials said the figures for district {n} would be checked again before the vote."
                )
            };
            json!({"type": "paragraph", "content": [{"text": text}]})
        })
        .collect();
    json!({
        "canonical_url": "https://n.example/budget-report",
        "headline": "The council's budget report, district by district",
        "body": body,
    })
}

fn counters(app: &TestApp) -> (u64, u64) {
    let metrics = &app.state.metrics;
    (metrics.sentences_synthesized.load(Ordering::Relaxed), metrics.sentences_reused.load(Ordering::Relaxed))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_paragraph_is_all_that_is_synthesized_again() {
    let app = TestApp::with("sentences", |config| config.site.default_voice = Some(VOICE.into())).await;
    let first = app.post_json("/api/articles", &long_article(None)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let id = first.json()["id"].as_i64().expect("id");
    let words: usize = long_article(None)["body"]
        .as_array()
        .expect("body")
        .iter()
        .map(|p| p["content"][0]["text"].as_str().unwrap_or("").split_whitespace().count())
        .sum();
    assert!((900..=1_200).contains(&words), "about 1,000 words: {words}");
    app.run_jobs().await;
    let uri = format!("/api/articles/{id}/timings");
    let before = app.get(&uri).await.json();
    let utterances = before["utterances"].as_array().expect("utterances").len();
    let (made, reused) = counters(&app);
    assert_eq!((made as usize, reused), (utterances, 0), "the first narration makes every sentence");

    // Paragraph 17 rewritten: a new revision, narrated again.
    let edited = app.post_json("/api/articles", &long_article(Some(17))).await;
    assert_eq!((edited.status, edited.json()["revision"].as_i64()), (StatusCode::OK, Some(2)));
    app.run_jobs().await;
    let after = app.get(&uri).await.json();
    let list = after["utterances"].as_array().expect("utterances");
    let in_edit: Vec<&Value> = list.iter().filter(|u| u["part"] == "body" && u["block"] == 17).collect();
    assert_eq!(in_edit.len(), 2, "the edited paragraph's two sentences");
    let (made_again, reused_again) = counters(&app);
    assert_eq!(made_again - made, 2, "only the edited paragraph's sentences are synthesized");
    assert_eq!(reused_again - reused, list.len() as u64 - 2, "every other sentence is reused");

    // The new audio says the edit, where its timings put it, and the rest as before.
    assert!(in_edit[0]["text"].as_str().unwrap_or("").starts_with("Ferries to the outer islands"));
    let span = in_edit[1]["end_ms"].as_u64().unwrap_or(0) - in_edit[0]["start_ms"].as_u64().unwrap_or(0);
    assert!(span > 4_000, "the edit is spoken, not skipped: {span} ms");
    let unchanged = |list: &[Value], block: i64| -> Vec<u64> {
        list.iter()
            .filter(|u| u["block"] == block)
            .map(|u| u["end_ms"].as_u64().unwrap_or(0) - u["start_ms"].as_u64().unwrap_or(0))
            .collect()
    };
    let old = before["utterances"].as_array().expect("utterances");
    let (was, is) = (unchanged(old, 30), unchanged(list, 30));
    assert_eq!(was.len(), is.len());
    // Timings are whole milliseconds counted from the start: a reused sentence may round 1 ms apart.
    assert!(
        was.iter().zip(&is).all(|(a, b)| a.abs_diff(*b) <= 1),
        "a reused sentence lasts as long as before: {was:?} {is:?}"
    );
    let audio = app.get(&format!("/api/articles/{id}/audio")).await;
    assert_eq!(audio.status, StatusCode::OK);
    let duration = after["duration_ms"].as_u64().unwrap_or(0);
    assert!(duration > 200_000, "the whole article is in the new audio: {duration} ms");
}
