//! The site in Debian's Chromium, against the real server on loopback with real narration:
//! the page's elements, play, follow-along (by sentence and by word), click to seek (on a
//! sentence and on a word), speed, voice change at the same sentence, keyboard shortcuts, skips
//! of 15 seconds, the sleep timer, the "99+" badge, and the lists; the editorial console
//! (sign-in, the articles, a listen per voice, narrating in a voice, a pronunciation added and
//! heard in the new narration, sign-out); scripted listens counted by the player's beacons and drawn in the console's
//! charts; and a library (sign-in on the way to it, the save box, the browser extension
//! loaded unpacked, saving a page as the browser has it, a listen resumed in a second browser
//! at the sentence where the first stopped and marking the article read at its end, selected
//! words kept as a highlight with a note and marked in the text, three queued articles kept by
//! the service worker and heard one after another without a page load, and reading comfort chosen with the keyboard, each
//! theme's contrast checked). A failing step saves a screenshot in
//! `target/browser-failures/`.

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::time::Duration;

use browser::Browser;
use common::{TestApp, serve_loopback};
use serde_json::json;

fn paragraph(text: &str) -> serde_json::Value {
    json!({"type": "paragraph", "content": [{"text": text}]})
}

/// Runs the steps; on failure saves a screenshot and fails the test with where it is.
async fn steps(browser: &Browser, name: &str, result: Result<(), String>) {
    if let Err(failure) = result {
        let picture = browser.screenshot(name).await;
        panic!("{failure} (screenshot: {picture:?})");
    }
}

fn ensure(condition: bool, message: impl Into<String>) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message.into()) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listen_player_in_a_real_browser() {
    let app = TestApp::with("browser", |config| config.site.ad_every = 3).await;
    lector_core::demo::keep_picture(&app.state, "https://news.example/images/harbour.jpg")
        .await
        .expect("picture");
    let article = json!({
        "canonical_url": "https://news.example/ferry",
        "headline": "Harbour ferry doubles its evening sailings",
        "summary": ["Boats leave every 30 minutes until midnight"],
        "topics": [{"name": "Transport", "slug": "transport"}, {"name": "Islands", "slug": "islands"}],
        "authors": [{"name": "Tom Hale"}],
        "published": "2026-04-09T07:30:00+08:00",
        "lead_image": {"url": "https://news.example/images/harbour.jpg", "alt": "A ferry at dusk", "caption": "The evening boat.", "credit": "Photo: Harbour Times"},
        "body": [
            paragraph("The harbour ferry will run twice as many evening sailings from June. Islanders had waited up to an hour."),
            paragraph("Boats to the three outer islands will leave every 30 minutes between 6pm and midnight."),
            {"type": "video", "title": "On board the new boats", "duration_seconds": 98},
            paragraph("Two older vessels return to service after a refit. Each carries 400 passengers."),
            paragraph("Single fares stay the same. A new evening pass costs ninety dollars a month."),
            paragraph("The operator will review the timetable again in October."),
        ],
    });
    let id = app.post_json("/api/articles", &article).await.json()["id"].as_i64().expect("id");
    let other = json!({
        "canonical_url": "https://news.example/forest", "headline": "City plants its first urban forest",
        "topics": [{"name": "Environment", "slug": "environment"}], "authors": [{"name": "Lin Wei"}],
        "published": "2026-04-01T10:00:00+08:00", "body": [paragraph("Twelve thousand trees went into the ground.")],
    });
    let forest = app.post_json("/api/articles", &other).await.json()["id"].as_i64().expect("id");
    let french = json!({
        "canonical_url": "https://news.example/bac", "headline": "Le bac du port double ses rotations du soir",
        "language": "fr", "published": "2026-03-01T10:00:00+01:00",
        "body": [paragraph("Le bac partira toutes les trente minutes.")],
    });
    let french = app.post_json("/api/articles", &french).await.json();
    let french_voice = french["narration"]["voice"].as_str().expect("a French voice").to_string();
    let french = french["id"].as_i64().expect("id");
    for n in 0..150 {
        let comment = lector_store::NewComment {
            article_id: id,
            parent_id: None,
            name: format!("R{n}"),
            body: "Good.".into(),
            state: "visible".into(),
        };
        app.state.store.add_comment(&comment, 1).await.expect("comment");
    }
    app.run_jobs().await;
    // The rate label shows the default voice's pace, measured once per data directory (the
    // server measures it when it starts; this app is not started that way).
    let default = app.state.voices.default.clone();
    tokio::task::spawn_blocking(move || lector_speech::voice::measured_wpm(&default))
        .await
        .expect("measuring")
        .expect("the default voice's pace");
    let _workers = lector_core::jobs::spawn_workers(&app.state);
    let address = serve_loopback(app.router.clone()).await;
    let base = format!("http://{address}");

    let browser = Browser::start().await;
    let result = async {
        browser.goto(&format!("{base}/articles/{id}")).await?;
        // Every element of the page.
        ensure(browser.text("h1").await? == "Harbour ferry doubles its evening sailings", "headline")?;
        ensure(browser.text(".trail li:first-child").await? == "TRANSPORT", "primary topic first")?;
        ensure(browser.text(".bullets li").await? == "Boats leave every 30 minutes until midnight", "bullets")?;
        ensure(browser.text(".reading").await? == "Reading time: 1 minute", "reading time")?;
        ensure(browser.text(".comments-badge").await?.trim() == "99+", "the badge shows 99+ for 150 comments")?;
        ensure(browser.text("figure figcaption").await?.contains("The evening boat."), "caption")?;
        ensure(browser.text("figure .credit").await? == "Photo: Harbour Times", "credit")?;
        ensure(browser.text(".byline a").await? == "Tom Hale", "byline")?;
        ensure(browser.text(".card.video .duration").await? == "01:38", "video card")?;
        ensure(browser.text(".ad").await?.to_lowercase() == "advertisement", "ad slot")?;
        let ld = browser.run("return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)['@type']").await?;
        ensure(ld == json!("NewsArticle"), "JSON-LD")?;

        // Play starts the audio, and the highlight follows the narration.
        browser.wait_for("return document.querySelector('.player .play') !== null && document.querySelector('.player .rate').textContent.includes('WPM')", Duration::from_secs(10)).await?;
        browser
            .run("var a = document.querySelector('audio'); window.lectorPressed = null; window.lectorPlaying = null; \
                  document.querySelector('.player .play').addEventListener('click', function () { window.lectorPressed = performance.now(); }, {once: true, capture: true}); \
                  a.addEventListener('playing', function () { window.lectorPlaying = performance.now(); }, {once: true}); \
                  window.lectorPositions = []; var session = navigator.mediaSession, set = session.setPositionState.bind(session); \
                  session.setPositionState = function (state) { window.lectorPositions.push(state); return set(state); }; return true")
            .await?;
        browser.click(".player .play").await?;
        browser.wait_for("var a = document.querySelector('audio'); return !a.paused && a.currentTime > 0.3", Duration::from_secs(15)).await?;
        // Press to sound, for docs/benchmarks.md (measured, not asserted: timings belong there).
        let started = browser.run("return window.lectorPlaying - window.lectorPressed").await?;
        eprintln!("play pressed to audio playing: {started} ms");
        browser.wait_for("var s = document.querySelector('.s.now'); return s !== null && Number(s.dataset.u) >= 1", Duration::from_secs(15)).await?;
        let label = browser.run("return document.querySelector('.player .play').getAttribute('aria-label')").await?;
        ensure(label == json!("Pause"), format!("the play button says {label}"))?;

        // Clicking a later paragraph plays from there.
        browser.click(".body p:nth-of-type(4)").await?;
        let target = browser.run("return Number(document.querySelector('.body p:nth-of-type(4) .s').dataset.u)").await?;
        let target = target.as_i64().ok_or("no sentence in the paragraph")?;
        browser.wait_for(&format!("var s = document.querySelector('.s.now'); return s !== null && Number(s.dataset.u) >= {target}"), Duration::from_secs(5)).await?;
        let timings: serde_json::Value = reqwest::get(format!("{base}/api/articles/{id}/timings")).await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())?;
        let start = timings["utterances"][target as usize]["start_ms"].as_f64().ok_or("timings")? / 1000.0;
        // The click lands on the paragraph's middle: on a timed word it plays from that word.
        let last = browser.run("return Math.max.apply(null, Array.from(document.querySelectorAll('.body p:nth-of-type(4) .s')).map(s => Number(s.dataset.u)))").await?;
        let end = timings["utterances"][last.as_u64().ok_or("no last sentence")? as usize]["end_ms"].as_f64().ok_or("timings")? / 1000.0;
        let now = browser.run("return document.querySelector('audio').currentTime").await?.as_f64().unwrap_or(0.0);
        ensure(now >= start - 0.05 && now < end, format!("clicked paragraph: at {now} s, it is read from {start} s to {end} s"))?;

        // 1.25× sets the playback rate and the label from the voice's measured pace.
        browser.click(".player details summary").await?;
        browser.click("[data-rate='1.25']").await?;
        let rate = browser.run("return document.querySelector('audio').playbackRate").await?;
        ensure(rate == json!(1.25), format!("playback rate {rate}"))?;
        // The system's media controls know where the listen is, and how fast it goes (told
        // when the audio's ratechange event comes, a task after the click).
        browser
            .wait_for("var p = window.lectorPositions[window.lectorPositions.length - 1]; return p && p.playbackRate === 1.25", Duration::from_secs(5))
            .await?;
        let position = browser
            .run("var p = window.lectorPositions[window.lectorPositions.length - 1], a = document.querySelector('audio'); \
                  return p ? {rate: p.playbackRate, duration: Math.abs(p.duration - a.duration) < 0.01, within: p.position >= 0 && p.position <= p.duration, state: navigator.mediaSession.playbackState} : null")
            .await?;
        ensure(position == json!({"rate": 1.25, "duration": true, "within": true, "state": "playing"}), format!("position state {position}"))?;
        let voices: serde_json::Value = reqwest::get(format!("{base}/api/voices")).await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())?;
        let default = voices["default"].as_str().unwrap_or("").to_string();
        let wpm = voices["voices"].as_array().and_then(|v| v.iter().find(|v| v["id"] == default.as_str())).and_then(|v| v["wpm"].as_f64());
        let label = browser.text(".player .rate").await?;
        match wpm {
            Some(wpm) => ensure(label == format!("1.25x · {} WPM", (wpm * 1.25).round()), format!("label {label:?}"))?,
            None => ensure(label.starts_with("1.25x"), format!("label {label:?}"))?,
        }
        let pitch = browser.run("return document.querySelector('audio').preservesPitch").await?;
        ensure(pitch == json!(true), "pitch is preserved")?;

        // Keyboard: L moves to the next sentence, K pauses.
        let before = browser.run("return Number(document.querySelector('.s.now').dataset.u)").await?.as_i64().unwrap_or(0);
        browser.run("document.activeElement && document.activeElement.blur(); return true").await?;
        browser.press("l").await?;
        browser.wait_for(&format!("return Number(document.querySelector('.s.now').dataset.u) > {before}"), Duration::from_secs(3)).await?;
        browser.press("k").await?;
        browser.wait_for("return document.querySelector('audio').paused", Duration::from_secs(3)).await?;

        // Changing voice keeps the sentence.
        let kept = browser.run("return Number(document.querySelector('.s.now').dataset.u)").await?.as_i64().unwrap_or(-1);
        browser.run("var s = document.querySelector('.player .voice'); s.value = 'espeak:en-us'; s.dispatchEvent(new Event('change')); return true").await?;
        browser.wait_for("return document.querySelector('audio').src.includes('voice=espeak')", Duration::from_secs(60)).await?;
        browser.wait_for("return document.querySelector('audio').readyState >= 1", Duration::from_secs(20)).await?;
        let espeak: serde_json::Value = reqwest::get(format!("{base}/api/articles/{id}/timings?voice=espeak:en-us")).await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())?;
        let start = espeak["utterances"][kept as usize]["start_ms"].as_f64().ok_or("espeak timings")? / 1000.0;
        browser.wait_for(&format!("return Math.abs(document.querySelector('audio').currentTime - {start}) < 0.5"), Duration::from_secs(10)).await?;
        let now = browser.run("return Number((document.querySelector('.s.now') || {dataset: {u: -1}}).dataset.u)").await?;
        ensure(now == json!(kept), format!("after the voice change the sentence is {now}, not {kept}"))?;

        // eSpeak times words: the word being said is marked inside its sentence and moves on
        // with the audio, and a click on a word plays from it.
        browser.wait_for("return document.querySelectorAll('.body .w[data-ms]').length > 20", Duration::from_secs(5)).await?;
        let words = browser.run("return document.querySelector('.player .words').checked").await?;
        ensure(words == json!(true), "word highlighting is on by default")?;
        browser.click(".player .play").await?;
        browser.wait_for("return document.querySelector('.s.now .w.said') !== null", Duration::from_secs(10)).await?;
        let first = browser.run("return Number(document.querySelector('.w.said').dataset.ms)").await?.as_f64().unwrap_or(-1.0);
        browser.wait_for(&format!("var w = document.querySelector('.w.said'); return w !== null && Number(w.dataset.ms) > {first}"), Duration::from_secs(5)).await?;
        let target = "document.querySelectorAll('.body p:nth-of-type(5) .w[data-ms]')[2]";
        let word_ms = browser.run(&format!("return Number({target}.dataset.ms)")).await?.as_f64().ok_or("no timed word in the paragraph")?;
        browser.run(&format!("{target}.click(); window.lectorClicked = document.querySelector('audio').currentTime; return true")).await?;
        let landed = browser.run("return window.lectorClicked").await?.as_f64().unwrap_or(-1.0) * 1000.0;
        ensure((landed - word_ms).abs() < 150.0, format!("a click on a word starting at {word_ms} ms landed at {landed} ms"))?;
        browser.wait_for(&format!("var w = document.querySelector('.w.said'); return w === {target}"), Duration::from_secs(3)).await?;
        browser.press("k").await?;
        browser.wait_for("return document.querySelector('audio').paused", Duration::from_secs(3)).await?;

        // Accessibility: every control in the player has a name, and text contrasts at least
        // 4.5:1 with its background (WCAG 2.1 AA).
        let unnamed = browser
            .run("return Array.from(document.querySelectorAll('.player button, .player input, .player select, .player summary')).filter(function (e) { \
                  return !(e.getAttribute('aria-label') || e.textContent.trim() || e.closest('label')); }).length")
            .await?;
        ensure(unnamed == json!(0), format!("{unnamed} player controls without a name"))?;
        let contrast = browser
            .run("function rgb(c) { var m = c.match(/[0-9.]+/g); if (!m) throw new Error('colour ' + c); return m.slice(0, 3).map(Number); } \
                  function lum(c) { return rgb(c).map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }) \
                    .reduce(function (sum, v, i) { return sum + v * [0.2126, 0.7152, 0.0722][i]; }, 0); } \
                  function background(e) { while (e) { var b = getComputedStyle(e).backgroundColor; if (!/rgba\\(0, 0, 0, 0\\)|transparent/.test(b)) return b; e = e.parentElement; } return 'rgb(255, 255, 255)'; } \
                  return Array.from(document.querySelectorAll('p, a, li, h1, h2, .meta span, .player .time, .player .rate, figcaption, .s.now, .ad')).filter(function (e) { return e.getClientRects().length > 0; }).map(function (e) { \
                    var a = lum(getComputedStyle(e).color), b = lum(background(e)); \
                    return Math.round((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) * 100) / 100; }).reduce(function (m, r) { return Math.min(m, r); }, 21)")
            .await?;
        ensure(contrast.as_f64().is_some_and(|c| c >= 4.5), format!("lowest text contrast {contrast}"))?;

        // From 320 px wide, nothing needs sideways scrolling.
        browser.resize(320, 900).await?;
        browser.wait_for("return document.documentElement.scrollWidth <= window.innerWidth", Duration::from_secs(3)).await?;
        browser.resize(1000, 1400).await?;

        // The voice chosen on an English story (eSpeak, above) is kept for English stories
        // only: a French story plays in its own voice.
        browser.goto(&format!("{base}/articles/{french}")).await?;
        browser.wait_for("return document.querySelector('.player .play') !== null", Duration::from_secs(10)).await?;
        let src = browser.run("return document.querySelector('audio').src").await?;
        ensure(src == json!(format!("{base}/api/articles/{french}/audio")), format!("the French story plays {src}, not {french_voice}"))?;
        browser.goto(&format!("{base}/articles/{id}")).await?;
        browser.wait_for("return document.querySelector('audio').src.includes('voice=espeak')", Duration::from_secs(10)).await?;

        // In the embed, "up next" plays the next narration in the player itself (article pages
        // refuse to be framed): the ferry story's embed goes on to the (older) forest story's audio.
        browser.run("localStorage.setItem('lector.prefs', JSON.stringify(Object.assign(JSON.parse(localStorage.getItem('lector.prefs') || '{}'), {upnext: true, voices: {}}))); return true").await?;
        browser.goto(&format!("{base}/embed/{id}")).await?;
        browser.wait_for("return document.querySelector('.player .play') !== null && document.querySelector('audio').readyState >= 1", Duration::from_secs(20)).await?;
        browser.click(".player .play").await?;
        browser.wait_for("var a = document.querySelector('audio'); return !a.paused && a.currentTime > 0", Duration::from_secs(15)).await?;
        browser.run("var a = document.querySelector('audio'); a.currentTime = Math.max(0, a.duration - 0.5); return true").await?;
        browser.wait_for(&format!("var a = document.querySelector('audio'); return a.src.includes('/api/articles/{forest}/audio') && !a.paused && a.currentTime > 0.2"), Duration::from_secs(20)).await?;
        let (here, title) = (browser.run("return location.pathname").await?, browser.text(".embed-title a").await?);
        ensure(here == json!(format!("/embed/{id}")), format!("the frame went to {here}"))?;
        ensure(title == "City plants its first urban forest", format!("the embed names {title:?}"))?;
        browser.press("k").await?;

        // A publisher's page on another origin: its script tag becomes the player, found by the
        // page's canonical address, in a frame the browser lets load.
        let story = format!(
            "<!DOCTYPE html><html><head><title>Ferry</title><link rel=\"canonical\" href=\"https://news.example/ferry\"></head>\
             <body><article><h1>Harbour ferry doubles its evening sailings</h1><script src=\"{base}/embed.js\" data-highlight async></script>\
             <p>The harbour ferry will run twice as many evening sailings from&nbsp;June. Islanders had waited up to an <em>hour</em>.</p></article></body></html>"
        );
        let publisher = axum::Router::new().route("/story", axum::routing::get(move || async move { axum::response::Html(story) }));
        let elsewhere = serve_loopback(publisher).await;
        // Another origin: another port, and "localhost" rather than the address.
        browser.goto(&format!("http://localhost:{}/story", elsewhere.port())).await?;
        browser.wait_for("var f = document.querySelector('iframe.lector-player'); return f !== null", Duration::from_secs(10)).await?;
        let src = browser.run("return document.querySelector('iframe.lector-player').src").await?;
        ensure(src == json!(format!("{base}/embed?article=https%3A%2F%2Fnews.example%2Fferry")), format!("frame source {src}"))?;
        browser.wait_for("var f = document.querySelector('iframe.lector-player'); return f.getBoundingClientRect().height > 100", Duration::from_secs(5)).await?;
        let mut framed = Err("the frame did not load the player".to_string());
        for _ in 0..50 {
            browser.enter_frame(0).await?;
            let inside = browser.run("return {path: location.pathname, player: document.querySelector('.player[data-player]') !== null}").await;
            browser.leave_frame().await?;
            if let Ok(inside) = inside
                && inside == json!({"path": format!("/embed/{id}"), "player": true})
            {
                framed = Ok(());
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        framed?;
        // Played in the frame, the sentence being read is marked in the publisher's own text
        // (its markup left as it was), across the page's own spaces and elements.
        let markup = browser.run("return document.querySelector('article p').outerHTML").await?;
        browser.enter_frame(0).await?;
        browser.wait_for("return document.querySelector('audio').readyState >= 1", Duration::from_secs(20)).await?;
        browser.run("var a = document.querySelector('audio'); a.muted = true; return true").await?;
        browser.click(".player .play").await?;
        browser.run("document.querySelector('audio').playbackRate = 2; return true").await?;
        browser.leave_frame().await?;
        browser
            .wait_for(
                "var h = CSS.highlights.get('lector-now'); if (!h) return false; var r = Array.from(h)[0]; \
                 return r.toString().replace(/\\s+/g, ' ') === 'Islanders had waited up to an hour.'",
                Duration::from_secs(30),
            )
            .await?;
        let after = browser.run("return document.querySelector('article p').outerHTML").await?;
        ensure(after == markup, "the publisher's markup is untouched")?;
        browser.enter_frame(0).await?;
        let line = browser.text(".embed-line").await?;
        browser.run("document.querySelector('audio').pause(); return true").await?;
        browser.leave_frame().await?;
        ensure(!line.is_empty(), "the embed shows the sentence on its own line")?;

        // Skips of 15 seconds, and the sleep timer pausing the narration.
        browser.goto(&format!("{base}/articles/{id}")).await?;
        browser.wait_for("return document.querySelector('audio').readyState >= 1", Duration::from_secs(20)).await?;
        browser.run("var a = document.querySelector('audio'); a.muted = true; return true").await?;
        browser.click(".player .play").await?;
        browser.wait_for("return document.querySelector('audio').currentTime > 0.5", Duration::from_secs(15)).await?;
        let before = browser.run("return document.querySelector('audio').currentTime").await?.as_f64().unwrap_or(0.0);
        browser.click(".player .skip-forward").await?;
        let ahead = browser.run("return document.querySelector('audio').currentTime").await?.as_f64().unwrap_or(0.0);
        ensure((ahead - before - 15.0).abs() < 1.0, format!("+15 s went from {before:.1} to {ahead:.1}"))?;
        browser.run("document.activeElement.blur(); return true").await?;
        browser.press("\u{E012}").await?;
        let behind = browser.run("return document.querySelector('audio').currentTime").await?.as_f64().unwrap_or(0.0);
        ensure((ahead - behind - 15.0).abs() < 1.0, format!("the left arrow went back from {ahead:.1} to {behind:.1}"))?;
        // A timer of a few seconds (an option added for the test; the page offers minutes).
        browser
            .run("var s = document.querySelector('.player .sleep'); var o = document.createElement('option'); \
                  o.value = '0.05'; s.appendChild(o); s.value = '0.05'; s.dispatchEvent(new Event('change')); return true")
            .await?;
        ensure(browser.text(".player .status").await?.starts_with("Sleeps in"), "the timer shows")?;
        browser.wait_for("return document.querySelector('audio').paused", Duration::from_secs(15)).await?;
        ensure(browser.text(".player .status").await? == "Paused by the sleep timer", "the timer says it paused")?;

        // The lists.
        browser.goto(&format!("{base}/")).await?;
        let home = browser.run("return Array.from(document.querySelectorAll('.listing h2 a')).map(a => a.textContent)").await?;
        ensure(home == json!(["Harbour ferry doubles its evening sailings", "City plants its first urban forest", "Le bac du port double ses rotations du soir"]), format!("home lists {home}"))?;
        browser.goto(&format!("{base}/topics/environment")).await?;
        let topic = browser.run("return Array.from(document.querySelectorAll('.listing h2 a')).map(a => a.getAttribute('href'))").await?;
        ensure(topic == json!([format!("/articles/{forest}/city-plants-its-first-urban-forest")]), format!("topic lists {topic}"))?;
        Ok(())
    }
    .await;
    steps(&browser, "listen-player", result).await;
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_in_a_real_browser() {
    let app = TestApp::new("browser-console").await;
    let article = json!({
        "canonical_url": "https://news.example/tram", "external_id": "cms-7",
        "headline": "Night trams return to the harbour line",
        "published": "2026-04-01T10:00:00+08:00", "body": [paragraph("The first tram leaves at midnight.")],
    });
    let id = app.post_json("/api/articles", &article).await.json()["id"].as_i64().expect("id");
    app.run_jobs().await;
    let store = app.state.store.as_ref();
    lector_core::accounts::add_user(store, "ada", lector_core::accounts::Role::Editor, common::PASSWORD)
        .await
        .expect("ada");
    let other = app
        .state
        .voices
        .list
        .iter()
        .find(|v| v.language.starts_with("en") && v.id != app.state.voices.default);
    let address = serve_loopback(app.router.clone()).await;
    let base = format!("http://{address}");

    let browser = Browser::start().await;
    let result = async {
        // A wrong password says so and signs nobody in.
        browser.goto(&format!("{base}/console")).await?;
        browser.fill("input[name=name]", "ada").await?;
        browser.fill("input[name=password]", "not her password").await?;
        browser.click("form[action='/console/login'] button").await?;
        ensure(browser.text("[role=alert]").await?.contains("do not match"), "the wrong password is said")?;
        let cookies = browser.run("return document.cookie").await?;
        ensure(!cookies.to_string().contains("lector_session"), "scripts never see the session")?;

        browser.fill("input[name=password]", common::PASSWORD).await?;
        browser.click("form[action='/console/login'] button").await?;
        browser.wait_for("return document.querySelector('.console-table') !== null", Duration::from_secs(5)).await?;
        ensure(browser.text(".console-nav .who").await?.contains("ada"), "signed in as ada")?;
        ensure(browser.text(&format!("tr[data-article='{id}'] .narration-ready")).await? == "ready", "narrated")?;

        // Search, then the article's page with a listen in each voice.
        browser.fill("input[name=q]", "harbour").await?;
        browser.click(".console-search button").await?;
        browser.click(&format!("tr[data-article='{id}'] a")).await?;
        browser.wait_for("return document.querySelector('.console-voices') !== null", Duration::from_secs(5)).await?;
        ensure(browser.text("h1").await? == "Night trams return to the harbour line", "the article's page")?;
        let audio = browser.run("return document.querySelectorAll('.console-voices audio').length").await?;
        ensure(audio.as_u64().unwrap_or(0) >= 1, "a listen per voice")?;
        // The default voice's listen plays the kept narration.
        let default = app.state.voices.default.clone();
        browser
            .run(&format!(
                "var a = document.querySelector('li[data-voice=\"{default}\"] audio'); a.muted = true; a.play(); return true"
            ))
            .await?;
        browser
            .wait_for(
                &format!("var a = document.querySelector('li[data-voice=\"{default}\"] audio'); return a.currentTime > 0.2"),
                Duration::from_secs(15),
            )
            .await?;
        if let Some(voice) = other {
            browser.click(&format!("li[data-voice='{}'] form button", voice.id)).await?;
            browser.wait_for("return document.querySelector('.console-voices') !== null", Duration::from_secs(5)).await?;
        }

        // Unpublished, the page is gone for readers; published again, it is back.
        let public = |path: String| async move { reqwest::get(path).await.map(|r| r.status().as_u16()).map_err(|e| e.to_string()) };
        browser.click("form.console-publication button[value='draft']").await?;
        browser.wait_for("var d = document.querySelector('dd.status-draft'); return d !== null", Duration::from_secs(5)).await?;
        ensure(public(format!("{base}/articles/{id}")).await? == 404, "a draft is not public")?;
        browser.click("form.console-publication button[value='published']").await?;
        browser.wait_for("return document.querySelector('dd.status-published') !== null", Duration::from_secs(5)).await?;
        ensure(public(format!("{base}/articles/{id}")).await? == 200, "published again")?;

        // Other words for the headline: kept, shown, and narrated.
        let headline = "li[data-sentence='0'] input[name=spoken]";
        browser.run(&format!("document.querySelector(\"{headline}\").value = ''; return true")).await?;
        browser.fill(headline, "Night trams are back on the harbour line").await?;
        browser.click("li[data-sentence='0'] button").await?;
        browser.wait_for("return document.querySelector(\"li[data-sentence='0'].overridden\") !== null", Duration::from_secs(10)).await?;
        let said = browser.run(&format!("return document.querySelector(\"{headline}\").value")).await?;
        ensure(said == json!("Night trams are back on the harbour line"), format!("the headline is said as {said}"))?;

        // A pronunciation added in the console is heard in the story's new narration.
        browser.goto(&format!("{base}/console/lexicon")).await?;
        browser.fill("form.lexicon-form input[name=text]", "midnight").await?;
        browser.fill("form.lexicon-form input[name=say]", "twelve o'clock at night").await?;
        browser.click("form.lexicon-form button").await?;
        browser.wait_for("return document.querySelector('.lexicon-result') !== null", Duration::from_secs(20)).await?;
        ensure(browser.text(".lexicon-result").await?.contains("1 article narrated again"), "the story is narrated again")?;
        ensure(browser.text("table.lexicon td").await? == "midnight", "the entry is listed")?;
        app.run_jobs().await;
        let audio = reqwest::get(format!("{base}/api/articles/{id}/audio")).await.map_err(|e| e.to_string())?;
        let bytes = audio.bytes().await.map_err(|e| e.to_string())?;
        let file = common::temp_dir("browser-lexicon").join("narration.mp3");
        std::fs::write(&file, &bytes).map_err(|e| e.to_string())?;
        let tool = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools/transcribe");
        let heard = std::process::Command::new(&tool).arg(&file).output().map_err(|e| e.to_string())?;
        let heard = String::from_utf8_lossy(&heard.stdout).to_lowercase();
        ensure(heard.contains("twelve") || heard.contains("12"), format!("the new narration says it: {heard}"))?;

        // Signing out ends the session: the console asks to sign in again.
        browser.click("form[action='/console/logout'] button").await?;
        browser.wait_for("return document.querySelector('input[name=password]') !== null", Duration::from_secs(5)).await?;
        browser.goto(&format!("{base}/console/articles/{id}")).await?;
        ensure(browser.text("main").await?.contains("Please sign in"), "signed out")?;
        Ok(())
    }
    .await;
    steps(&browser, "console", result).await;
    browser.quit().await;
    if let Some(voice) = other {
        let jobs = app.state.store.jobs_for_article(id).await.expect("jobs");
        assert!(jobs.iter().any(|j| j.voice == voice.id), "the console queued the narration in {}", voice.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripted_listens_show_in_the_console_chart() {
    let app = TestApp::new("browser-listens").await;
    let article = json!({
        "canonical_url": "https://news.example/pier", "headline": "The old pier reopens",
        "published": "2026-04-02T10:00:00+08:00",
        "body": [paragraph("The pier reopens on Saturday."), paragraph("Fishing stays banned.")],
    });
    let id = app.post_json("/api/articles", &article).await.json()["id"].as_i64().expect("id");
    app.run_jobs().await;
    lector_core::accounts::add_user(
        app.state.store.as_ref(),
        "ada",
        lector_core::accounts::Role::Editor,
        common::PASSWORD,
    )
    .await
    .expect("ada");
    let address = serve_loopback(app.router.clone()).await;
    let base = format!("http://{address}");
    let plays = || async {
        lector_core::analytics::flush(&app.state).await.expect("written");
        let period = lector_store::ListenQuery {
            article: Some(id),
            from: "2000-01-01".into(),
            to: "2100-01-01".into(),
        };
        let counts = app.state.store.listen_counts(&period).await.expect("read");
        let value = |metric: &str| counts.iter().find(|c| c.metric == metric).map_or(0, |c| c.value);
        (value("plays"), value("reached_100"), value("leaves"))
    };

    let browser = Browser::start().await;
    let result = async {
        // Two listens to the end, each in its own page view.
        for _ in 0..2 {
            browser.goto(&format!("{base}/articles/{id}")).await?;
            browser.wait_for("return document.querySelector('.player .play') !== null", Duration::from_secs(10)).await?;
            browser.run("var a = document.querySelector('audio'); a.muted = true; window.lectorEnded = false; a.addEventListener('ended', function () { window.lectorEnded = true; }); return true").await?;
            browser.click(".player .play").await?;
            browser.run("document.querySelector('audio').playbackRate = 3; return true").await?;
            browser.wait_for("return window.lectorEnded === true", Duration::from_secs(30)).await?;
        }
        browser.goto("about:blank").await?;
        let started = std::time::Instant::now();
        while plays().await != (2, 2, 2) {
            ensure(started.elapsed() < Duration::from_secs(10), format!("the beacons arrive: {:?}", plays().await))?;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }

        // The console shows them.
        browser.goto(&format!("{base}/console")).await?;
        browser.fill("input[name=name]", "ada").await?;
        browser.fill("input[name=password]", common::PASSWORD).await?;
        browser.click("form[action='/console/login'] button").await?;
        browser.wait_for("return document.querySelector('.console-table') !== null", Duration::from_secs(5)).await?;
        browser.goto(&format!("{base}/console/analytics?article={id}")).await?;
        ensure(browser.text(".total-plays").await? == "2", "two plays")?;
        ensure(browser.text(".completion").await? == "100 %", "both to the end")?;
        let bar = browser
            .run("var r = document.querySelector('svg.plays-per-day rect[data-value=\"2\"]'); return r ? r.getBoundingClientRect().height : 0")
            .await?;
        ensure(bar.as_f64().unwrap_or(0.0) > 10.0, format!("today's bar is drawn: {bar}"))?;
        let through = browser.run("return document.querySelectorAll('svg.listen-through rect[data-percent=\"100\"]').length").await?;
        ensure(through == json!(4), format!("every quarter reached by both: {through}"))?;
        Ok(())
    }
    .await;
    steps(&browser, "listens", result).await;
    browser.quit().await;
}

/// The id Chromium gives an unpacked extension: the first 128 bits of the SHA-256 of its
/// folder's path, each hexadecimal digit written as a letter from `a` to `p`.
fn unpacked_extension_id(path: &std::path::Path) -> String {
    let digest = lector_store::blob_id(path.to_string_lossy().as_bytes());
    digest[..32].chars().map(|c| (b'a' + c.to_digit(16).unwrap_or(0) as u8) as char).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_library_in_a_real_browser_with_the_extension() {
    let app = TestApp::with("browser-library", |config| {
        config.site.mode = lector_core::config::SiteMode::Library;
    })
    .await;
    let store = app.state.store.as_ref();
    let ann =
        lector_core::accounts::add_user(store, "ann", lector_core::accounts::Role::Reader, common::PASSWORD)
            .await
            .expect("ann");
    let (token, hash) = lector_core::tokens::new_token().expect("token");
    store.create_token("ann's extension", &hash, "library", Some(ann.id), 1).await.expect("token");
    // The browser reaches the library through a relay, cut at the end to go offline.
    let relay = common::Relay::start(serve_loopback(app.router.clone()).await).await;
    let base = format!("http://{}", relay.address);
    // A page whose last paragraph only its own script writes: what a fetch of its address
    // would not see, as a page behind a sign-in.
    let story = "<!doctype html><html lang=\"en\"><head><title>Harbour ferry doubles its sailings</title></head><body>\
        <article><h1>Harbour ferry doubles its sailings</h1><p class=\"byline\">By Tom Hale</p>\
        <p>The harbour ferry will run twice as many evening sailings from June, the operator said on Tuesday.</p>\
        <p>Boats to the three outer islands will leave every thirty minutes between six and midnight.</p>\
        <p id=\"late\"></p></article><script src=\"/late.js\"></script></body></html>";
    let late = "document.getElementById('late').textContent = 'Only readers signed in to the paper see that fares stay the same for islanders.';";
    let publisher = axum::Router::new()
        .route("/story", axum::routing::get(move || async move { ([("content-type", "text/html")], story) }))
        .route(
            "/late.js",
            axum::routing::get(move || async move { ([("content-type", "text/javascript")], late) }),
        );
    let publisher = format!("http://{}", serve_loopback(publisher).await);
    let folder =
        std::fs::canonicalize(concat!(env!("CARGO_MANIFEST_DIR"), "/../../extension")).expect("extension/");
    let extension = unpacked_extension_id(&folder);

    let browser = Browser::start_with(&[
        format!("--load-extension={}", folder.display()),
        "--disable-features=DisableLoadExtensionCommandLineSwitch".into(),
    ])
    .await;
    let result = async {
        // Signed out, the library sends the reader to sign in, and back after.
        browser.goto(&format!("{base}/library")).await?;
        browser.fill("input[name=name]", "ann").await?;
        browser.fill("input[name=password]", common::PASSWORD).await?;
        browser.click("form[action='/console/login'] button").await?;
        browser.wait_for("return document.querySelector('.save-box') !== null", Duration::from_secs(10)).await?;
        ensure(browser.url().await?.ends_with("/library"), "back at the library")?;

        // The save box: pasted text, shown while it is read, then in the list.
        browser.fill("#save-page", "Night trams return\n\nThe first night tram leaves at midnight. It runs until dawn on weekends. The council said fares stay the same. Drivers welcomed the change. More trams follow in the spring.").await?;
        browser.click(".save-box button").await?;
        browser.wait_for("return document.querySelector('.save-queued') !== null", Duration::from_secs(10)).await?;
        app.run_saves().await;
        browser.goto(&format!("{base}/library")).await?;
        browser.wait_for("return document.querySelector('.library-list') !== null", Duration::from_secs(10)).await?;
        ensure(browser.text(".library-list h2 a").await? == "Night trams return", "the saved text is listed")?;

        // The extension, loaded unpacked: its options take the server and the token, and its
        // save sends the page as the browser has it.
        browser.goto(&format!("{publisher}/story")).await?;
        browser.wait_for("return document.getElementById('late').textContent.length > 0", Duration::from_secs(5)).await?;
        let story_tab = browser.open_tab(&format!("chrome-extension://{extension}/options.html")).await?;
        browser.fill("#server", &base).await?;
        browser.fill("#token", &token).await?;
        browser.click("#settings button").await?;
        browser.wait_for("return document.getElementById('status').textContent === 'Saved.'", Duration::from_secs(5)).await?;
        let saved = browser
            .run_async(&format!(
                "const done = arguments[arguments.length - 1];
                 chrome.tabs.query({{url: '{publisher}/*'}})
                   .then((tabs) => chrome.runtime.sendMessage({{type: 'save-tab', tabId: tabs[0].id}}))
                   .then(done, (e) => done({{ok: false, error: String(e)}}));"
            ))
            .await?;
        ensure(saved["ok"] == json!(true), format!("the extension saved the page: {saved}"))?;
        browser.switch_to(story_tab).await?;
        app.run_saves().await;
        let listed = app
            .state
            .store
            .library(&lector_store::LibraryQuery { user: ann.id, shelf: lector_store::Shelf::All, limit: 10, ..Default::default() })
            .await
            .map_err(|e| e.to_string())?;
        let ferry = listed.items.iter().find(|e| e.article.article.headline == "Harbour ferry doubles its sailings");
        let text = ferry.map(|e| lector_article::to_text(&e.article.article)).unwrap_or_default();
        ensure(text.contains("fares stay the same for islanders"), format!("the page as the browser had it: {text:?}"))?;

        // Listening: where the reader stops is kept, and another browser resumes at that sentence.
        let trams = listed.items.iter().find(|e| e.article.article.headline == "Night trams return").map(|e| e.article.id);
        let trams = trams.ok_or_else(|| "the saved text is an article".to_string())?;
        browser.goto(&format!("{base}/articles/{trams}")).await?;
        browser.wait_for("return document.querySelectorAll('.s[data-u]').length > 3", Duration::from_secs(10)).await?;
        browser.run("var a = document.querySelector('audio'); a.muted = true; return true").await?;
        browser.click(".player button.play").await?;
        browser.wait_for("return document.querySelector('.s.now[data-u=\"3\"]') !== null", Duration::from_secs(30)).await?;
        browser.click(".player button.play").await?;
        browser.wait_for("return document.querySelector('audio').paused", Duration::from_secs(5)).await?;
        let stopped = browser.run("return Number(document.querySelector('.s.now').getAttribute('data-u'))").await?;
        let mut kept = None;
        for _ in 0..50 {
            let item = app.state.store.library_item(ann.id, trams).await.map_err(|e| e.to_string())?;
            kept = item.and_then(|i| i.position_sentence);
            if kept == stopped.as_i64() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        ensure(kept.is_some() && kept == stopped.as_i64(), format!("the position kept: {kept:?}, stopped at {stopped}"))?;
        let other = Browser::start().await;
        let resumed = async {
            other.goto(&format!("{base}/login")).await?;
            other.fill("input[name=name]", "ann").await?;
            other.fill("input[name=password]", common::PASSWORD).await?;
            other.click("form[action='/console/login'] button").await?;
            other.wait_for("return document.querySelector('.save-box') !== null", Duration::from_secs(10)).await?;
            other.goto(&format!("{base}/articles/{trams}")).await?;
            other
                .wait_for(&format!("return document.querySelector('.s.now[data-u=\"{stopped}\"]') !== null"), Duration::from_secs(10))
                .await?;
            other.run("var a = document.querySelector('audio'); a.muted = true; return true").await?;
            other.click(".player button.play").await?;
            other.wait_for("return document.querySelector('audio').currentTime > 0.2", Duration::from_secs(15)).await?;
            let at = other.run(&format!("return document.querySelector('.s.now[data-u=\"{stopped}\"]') !== null")).await?;
            ensure(at == json!(true), "the second browser plays on from that sentence")?;
            // Heard to the end, the article is marked read (and leaves the unread shelf).
            other.run("var a = document.querySelector('audio'); a.playbackRate = 3; return true").await?;
            other.wait_for("return document.querySelector('audio').ended", Duration::from_secs(30)).await?;
            for _ in 0..50 {
                let item = app.state.store.library_item(ann.id, trams).await.map_err(|e| e.to_string())?;
                if item.is_some_and(|i| i.read_at.is_some() && i.archived_at.is_some()) {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err("a listen to the end marks the article read".to_string())
        }
        .await;
        steps(&other, "library-resume", resumed).await;
        other.quit().await;

        // A highlight: words selected in the article, kept with a note, marked in the text.
        browser.goto(&format!("{base}/articles/{trams}")).await?;
        browser
            .run(
                "var p = Array.from(document.querySelectorAll('.body p')).find((p) => p.textContent.includes('until dawn')); \
                 var walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT), all = '', at = [], node; \
                 while ((node = walker.nextNode())) { for (var k = 0; k < node.nodeValue.length; k++) at.push([node, k]); all += node.nodeValue; } \
                 var words = 'It runs until dawn on weekends.', i = all.indexOf(words), last = at[i + words.length - 1]; \
                 var r = document.createRange(); r.setStart(at[i][0], at[i][1]); r.setEnd(last[0], last[1] + 1); \
                 var s = window.getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString()",
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        browser.fill(".highlight-form textarea[name=note]", "Ask about the weekend fares").await?;
        browser.click(".highlight-selection").await?;
        browser.wait_for("return document.querySelector('.highlights blockquote') !== null", Duration::from_secs(10)).await?;
        ensure(browser.text(".highlights blockquote").await? == "It runs until dawn on weekends.", "the quote is kept")?;
        ensure(browser.text(".highlights .note").await? == "Ask about the weekend fares", "the note is kept")?;
        browser
            .wait_for(
                "var h = CSS.highlights.get('lector-highlight'); return !!h && Array.from(h).some((r) => \
                 r.toString().replace(/\\s+/g, ' ') === 'It runs until dawn on weekends.')",
                Duration::from_secs(5),
            )
            .await?;

        // The queue: three articles added from the library, heard one after another in one page.
        let text = "Library opens late\n\nThe central library will open until ten in the evening. Officials said so on Monday.";
        lector_core::library::save(&app.state, ann.id, lector_core::library::Saving::Text(text.into()), Default::default())
            .await
            .map_err(|e| e.to_string())?;
        app.run_saves().await;
        browser.goto(&format!("{base}/library?shelf=all")).await?;
        for headline in ["Night trams return", "Harbour ferry doubles its sailings", "Library opens late"] {
            browser
                .run(&format!(
                    "var li = Array.from(document.querySelectorAll('.library-list li')).find((li) => li.querySelector('h2').textContent.includes('{headline}')); \
                     li.querySelector('.queue-add button').click(); return true"
                ))
                .await?;
            browser.wait_for("return document.readyState === 'complete' && document.querySelector('.library-list') !== null", Duration::from_secs(10)).await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        browser.goto(&format!("{base}/library/queue")).await?;
        let order = browser.run("return Array.from(document.querySelectorAll('.queue-list li a')).map((a) => a.textContent)").await?;
        ensure(
            order == json!(["Night trams return", "Harbour ferry doubles its sailings", "Library opens late"]),
            format!("queued in order: {order}"),
        )?;
        browser
            .run(
                "window.lectorStayed = true; window.lectorHeard = []; window.lectorRate = 1; var a = document.querySelector('.queue-audio'); \
                 a.muted = true; \
                 a.addEventListener('playing', () => { a.playbackRate = window.lectorRate; var t = document.querySelector('.queue-now').textContent; \
                   if (window.lectorHeard[window.lectorHeard.length - 1] !== t) window.lectorHeard.push(t); }); return true",
            )
            .await?;
        // The service worker keeps the queue's narrations for listening offline.
        browser
            .wait_for(
                &format!(
                    "if (!window.lectorKept) {{ window.lectorKept = 'asking'; caches.open('lector-library-v1') \
                     .then((c) => c.match('/api/articles/{trams}/audio')).then((r) => {{ window.lectorKept = r ? 'kept' : null; }}); }} \
                     return window.lectorKept === 'kept'"
                ),
                Duration::from_secs(20),
            )
            .await?;
        browser.click(".queue-play").await?;
        browser
            .wait_for(
                "return window.lectorHeard.length >= 1 && document.querySelector('.queue-audio').currentTime > 0.3",
                Duration::from_secs(20),
            )
            .await?;
        // Browsing the library while the queue plays: the archive, an article in it (its own
        // player set up), and back; the queue's player, docked, plays on through them.
        const TRAMS_SHOWN: &str = "var h = document.querySelector('article h1'); return !!h \
            && h.textContent.trim() === 'Night trams return' && document.querySelector('.player[data-ready]') !== null";
        browser
            .run("var a = document.querySelector('.queue-audio'); window.lectorBefore = [window.lectorHeard.length, a.currentTime]; return true")
            .await?;
        browser.click("header nav a[href='/library?shelf=archive']").await?;
        browser
            .wait_for(
                "return location.search === '?shelf=archive' && document.querySelector('main .library-list h2 a') !== null \
                 && document.querySelector('body > .queue-player.docked') !== null",
                Duration::from_secs(10),
            )
            .await?;
        browser.click("main .library-list h2 a").await?;
        browser
            .wait_for(TRAMS_SHOWN, Duration::from_secs(10))
            .await?;
        browser.run("history.back(); return true").await?;
        browser
            .wait_for(
                "return location.search === '?shelf=archive' && document.querySelector('main .library-list') !== null",
                Duration::from_secs(10),
            )
            .await?;
        // A form is sent from the page too, with the value of the button that sent it.
        browser.click("main .library-list li button[value=favourite]").await?;
        browser
            .wait_for(
                "return document.querySelector('main .library-list .favourite') !== null \
                 && document.querySelector('body > .queue-player.docked') !== null",
                Duration::from_secs(10),
            )
            .await?;
        let favourite = app.state.store.library_item(ann.id, trams).await.map_err(|e| e.to_string())?;
        ensure(favourite.is_some_and(|i| i.favourite), "the form made the article a favourite")?;
        // The save box sends from the page too, and the library looks again by itself while the
        // page is read, as it does when loaded.
        browser.click("header nav a[href='/library']").await?;
        browser
            .wait_for(
                "return location.pathname === '/library' && location.search === '' \
                 && document.querySelector('main .save-box') !== null",
                Duration::from_secs(10),
            )
            .await?;
        browser
            .fill("#save-page", "Winter timetable\n\nThe winter timetable starts in November. Boats leave every hour. The last returns at ten.")
            .await?;
        browser.click(".save-box button").await?;
        browser.wait_for("return document.querySelector('main .save-queued') !== null", Duration::from_secs(10)).await?;
        app.run_saves().await;
        browser
            .wait_for(
                "return document.querySelector('main .save-queued') === null && Array.from(document.querySelectorAll('main .library-list h2 a')) \
                 .some((a) => a.textContent === 'Winter timetable') && document.querySelector('body > .queue-player.docked') !== null",
                Duration::from_secs(15),
            )
            .await?;
        browser
            .wait_for(
                "var a = document.querySelector('.queue-audio'), b = window.lectorBefore; \
                 return window.lectorStayed === true && !a.paused && (window.lectorHeard.length > b[0] || a.currentTime > b[1] + 1)",
                Duration::from_secs(10),
            )
            .await
            .map_err(|e| format!("the queue plays on while browsing: {e}"))?;
        browser.run("window.lectorRate = 3; document.querySelector('.queue-audio').playbackRate = 3; return true").await?;
        browser
            .wait_for("return document.querySelector('.queue-status').textContent === 'The queue is over.'", Duration::from_secs(120))
            .await?;
        let heard = browser.run("return window.lectorStayed === true ? window.lectorHeard : 'the page was loaded again'").await?;
        ensure(
            heard == json!(["Night trams return", "Harbour ferry doubles its sailings", "Library opens late"]),
            format!("heard one after another without a page load: {heard}"),
        )?;
        let mut left = vec![0];
        for _ in 0..50 {
            left = app.state.store.queue(ann.id).await.map_err(|e| e.to_string())?;
            if left.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        ensure(left.is_empty(), format!("each heard article left the queue: {left:?}"))?;

        // Reading comfort, chosen with the keyboard; each theme's text is readable (WCAG AA).
        browser.goto(&format!("{base}/library/account")).await?;
        let contrast = "const full = (h) => h.length === 4 ? '#' + [...h.slice(1)].map((c) => c + c).join('') : h;
            const v = (n) => full(getComputedStyle(document.documentElement).getPropertyValue(n).trim());
            const lum = (hex) => { const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
              .map((x) => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
              return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
            const ratio = (a, b) => { const [x, y] = [lum(v(a)), lum(v(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
            return Math.min(ratio('--ink', '--paper'), ratio('--muted', '--paper'), ratio('--accent', '--paper'));";
        for (theme, size, pixels) in [("dark", "l", "20px"), ("sepia", "xl", "23px"), ("light", "s", "15px")] {
            browser.run(&format!("document.querySelector('input[name=theme][value={theme}]').focus(); return true")).await?;
            browser.press(" ").await?;
            browser.run(&format!("document.querySelector('input[name=size][value={size}]').focus(); return true")).await?;
            browser.press(" ").await?;
            browser.run("document.querySelector('.reading-form button').focus(); return true").await?;
            browser.press("\u{E007}").await?;
            browser
                .wait_for(&format!("return document.documentElement.classList.contains('theme-{theme}')"), Duration::from_secs(10))
                .await?;
            let shown = browser.run("return getComputedStyle(document.documentElement).fontSize").await?;
            ensure(shown == json!(pixels), format!("{theme}: text size {shown}"))?;
            let lowest = browser.run(contrast).await?.as_f64().unwrap_or(0.0);
            ensure(lowest >= 4.5, format!("{theme}: the lowest contrast is {lowest:.2}"))?;
        }

        // Offline: with the network gone, a queued article's page still reads and its
        // narration, kept whole by the service worker, plays (asked for by ranges).
        browser.goto(&format!("{base}/articles/{trams}")).await?;
        browser.wait_for("return document.querySelector('.player[data-ready]') !== null", Duration::from_secs(10)).await?;
        let page = browser.url().await?;
        relay.cut();
        let gone = browser
            .run_async(&format!(
                "const done = arguments[arguments.length - 1]; \
                 fetch('{base}/api/articles/{trams}', {{cache: 'no-store'}}).then(() => done('answered'), () => done('no network'))"
            ))
            .await?;
        ensure(gone == json!("no network"), format!("the network is cut: {gone}"))?;
        browser.goto(&page).await?;
        browser
            .wait_for(TRAMS_SHOWN, Duration::from_secs(10))
            .await?;
        browser.run("var a = document.querySelector('.player audio'); a.muted = true; return true").await?;
        browser.click(".player button.play").await?;
        browser
            .wait_for(
                "var p = document.querySelector('.player audio').played, s = 0; \
                 for (var i = 0; i < p.length; i++) s += p.end(i) - p.start(i); return s > 0.5",
                Duration::from_secs(15),
            )
            .await?;
        Ok(())
    }
    .await;
    steps(&browser, "library", result).await;
    browser.quit().await;
}
