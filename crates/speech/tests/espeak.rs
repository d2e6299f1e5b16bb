//! Real audio from eSpeak NG: voices listed, speech not silent, word timings, speed, scripts.

use lector_article::{Article, Block};
use lector_speech::voice::{Quality, espeak, render, timings_vtt, voices, write_wav};
use lector_speech::{ScriptOptions, build_script};

const SENTENCE: &str =
    "The council approved the tram extension on Tuesday after a long fight over the route.";

fn rms(samples: &[i16]) -> f64 {
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    (sum / samples.len().max(1) as f64).sqrt()
}

#[test]
fn voices_include_english_variants_and_other_languages() {
    let voices = voices().expect("eSpeak NG is installed (scripts/setup)");
    let ids: Vec<&str> = voices.iter().map(|v| v.id.as_str()).collect();
    for id in ["espeak:en-us", "espeak:en-us+f3", "espeak:en", "espeak:en+f3"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(voices.len() > 50, "eSpeak knows many languages: {}", voices.len());
    let basic: Vec<_> = voices.iter().filter(|v| v.engine == "espeak-ng").collect();
    assert!(basic.iter().all(|v| v.quality == Quality::Basic && v.sample_rate > 8000));
    let french = voices
        .iter()
        .find(|v| v.engine == "espeak-ng" && v.language.starts_with("fr"))
        .expect("a French eSpeak voice");
    let speech = espeak::speak(
        "Le conseil a voté mardi.",
        lector_speech::voice::espeak_name(&french.id).unwrap_or(""),
        1.0,
    )
    .expect("every listed voice speaks");
    assert!(rms(&speech.samples) > 300.0);
}

#[test]
fn speech_is_audible_and_words_are_timed() {
    let speech = espeak::speak(SENTENCE, "en-us", 1.0).expect("speaks");
    let seconds = speech.samples.len() as f64 / f64::from(speech.sample_rate);
    // 15 words at eSpeak's natural 175 words per minute is about five seconds.
    assert!((3.0..8.0).contains(&seconds), "{seconds} s");
    assert!(rms(&speech.samples) > 300.0, "audio is not silent");
    let words = &speech.words;
    assert_eq!(words.len(), SENTENCE.split_whitespace().count(), "{words:?}");
    assert!(words.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1), "{words:?}");
    assert!(SENTENCE[words[1].0..].starts_with("council"), "{words:?}");
}

#[test]
fn faster_speech_is_shorter_by_the_speed() {
    let normal = espeak::speak(SENTENCE, "en-us", 1.0).expect("speaks").samples.len() as f64;
    let fast = espeak::speak(SENTENCE, "en-us", 1.25).expect("speaks").samples.len() as f64;
    let ratio = fast / normal;
    // 1.25x speed is 20% shorter, within 4 points.
    assert!((0.76..=0.84).contains(&ratio), "ratio {ratio}");
    // The whole range, 0.5x to 3x, keeps getting faster.
    let lengths: Vec<usize> = [0.5, 1.0, 2.0, 3.0]
        .iter()
        .map(|&s| espeak::speak(SENTENCE, "en-us", s).expect("speaks").samples.len())
        .collect();
    assert!(lengths.windows(2).all(|w| w[1] < w[0]), "{lengths:?}");
    let three = lengths[3] as f64 / lengths[1] as f64;
    assert!((0.25..=0.42).contains(&three), "3x gave {three} of the length");
}

#[test]
fn unknown_voices_are_refused() {
    assert!(espeak::speak("Hello.", "no-such-voice", 1.0).is_err());
    let script =
        build_script(&Article { headline: "Hello".into(), ..Article::default() }, &ScriptOptions::default());
    assert!(render(&script, "piper:nobody", 1.0, |_, _| true).is_err());
    assert!(render(&script, "espeak:en-us", 5.0, |_, _| true).is_err());
}

#[test]
fn a_script_renders_with_increasing_timings_that_cover_the_audio() {
    let article = Article {
        headline: "Harbour City approves HK$1.2 billion tram extension".into(),
        body: vec![
            Block::paragraph("The council met on Tuesday. It approved the 6km line."),
            Block::paragraph("Work starts in 2026."),
        ],
        ..Article::default()
    };
    let script = build_script(&article, &ScriptOptions::default());
    let mut calls = 0;
    let rendition = render(&script, "espeak:en-us", 1.0, |done, total| {
        calls += 1;
        done <= total
    })
    .expect("renders");
    assert_eq!(calls, script.utterances.len());
    assert_eq!(rendition.timings.len(), script.utterances.len());
    let mut previous_end = 0;
    for timing in &rendition.timings {
        assert!(timing.start_ms >= previous_end && timing.end_ms > timing.start_ms, "{timing:?}");
        previous_end = timing.end_ms;
    }
    // Loudness is normalized to about -16 LUFS, under a -1 dBTP ceiling.
    let (loudness, peak) = lector_speech::voice::loudness::measure(&rendition.samples, rendition.sample_rate)
        .expect("measurable");
    assert!(peak <= -0.9, "true peak {peak} dBTP");
    assert!((-17.0..=-15.0).contains(&loudness) || peak > -1.5, "{loudness} LUFS at {peak} dBTP");
    let duration = rendition.duration_ms();
    assert!(previous_end <= duration && duration - previous_end < 1500, "{previous_end} of {duration}");
    // eSpeak times its words: each written word of each utterance, in order, inside it.
    for timing in &rendition.timings {
        let words = &timing.words;
        assert_eq!(words.len(), timing.text.split_whitespace().count(), "{timing:?}");
        assert!(
            words.windows(2).all(|w| w[0].start_ms < w[1].start_ms && w[0].end < w[1].start),
            "{timing:?}"
        );
        assert!(words.iter().all(|w| (timing.start_ms..timing.end_ms).contains(&w.start_ms)), "{timing:?}");
    }
    let vtt = timings_vtt(&rendition);
    assert!(vtt.starts_with("WEBVTT\n\n1\n00:00:00.000 --> "), "{vtt}");
    // The cue carries a timestamp before every word after the first (WebVTT's karaoke form).
    let cue = vtt.lines().find(|line| line.starts_with("Work")).expect("the cue");
    assert!(cue.starts_with("Work <00:00:") && cue.matches('<').count() == 3, "{cue}");
    let plain = regex::Regex::new("<[^>]+>").expect("regex").replace_all(cue, "");
    assert_eq!(plain, "Work starts in 2026.");
    let mut wav = std::io::Cursor::new(Vec::new());
    write_wav(&rendition, &mut wav).expect("wav");
    let bytes = wav.into_inner();
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(bytes.len(), 44 + rendition.samples.len() * 2);
}

#[test]
fn a_run_on_sentence_is_spoken_in_pieces() {
    let run_on = "and the council met again ".repeat(3000);
    let article = Article { body: vec![Block::paragraph(run_on)], ..Article::default() };
    let script = build_script(&article, &ScriptOptions::default());
    assert_eq!(script.utterances.len(), 1);
    let rendition = render(&script, "espeak:en-us", 1.0, |_, _| true).expect("a long utterance renders");
    assert!(rendition.duration_ms() > 60_000, "{} ms", rendition.duration_ms());
}

#[test]
fn phonemes_for_neural_voices_stress_the_teens_on_teen() {
    for voice in ["en-us", "en"] {
        let ipa = espeak::phonemes("Fifteen, nineteen and seventeen, not fifty; the canteen.", voice)
            .expect("eSpeak phonemizes");
        for teen in ["fˌɪftˈiːn", "nˌaɪntˈiːn", "sˌɛvəntˈiːn"] {
            assert!(ipa.contains(teen), "{voice}: {teen} not in {ipa}");
        }
        assert!(!ipa.contains("fˌɪftˈi "), "{voice}: fifty keeps its stress: {ipa}");
        assert!(ipa.contains("tˈiːn."), "{voice}: canteen unchanged: {ipa}");
    }
    // Other languages are left as eSpeak says them.
    assert_eq!(espeak::stress_teens("dˈiːs"), "dˈiːs");
    let spanish = espeak::phonemes("diecinueve", "es").expect("eSpeak phonemizes Spanish");
    assert!(!spanish.contains("tˈiːn"), "{spanish}");
}
