//! Kokoro-82M end to end with the real model and voices (installed by scripts/setup): eSpeak
//! phonemes, inference with ONNX Runtime, speeds (the model's input, then a time-stretch), and
//! word times from its phoneme durations.

use lector_speech::voice::{Gender, Quality, kokoro, voices};

const VOICE: &str = "kokoro:af_heart";
const SENTENCE: &str =
    "The council approved the tram extension on Tuesday, after a long fight over the route.";

fn heart() -> kokoro::KokoroVoice {
    kokoro::KokoroVoice::by_id(VOICE).unwrap_or_else(|e| panic!("Kokoro is missing (run scripts/setup): {e}"))
}

fn rms(samples: &[i16]) -> f64 {
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    (sum / samples.len().max(1) as f64).sqrt()
}

#[test]
fn the_default_voice_for_each_language_is_the_best_measured_one_installed() {
    use lector_speech::voice::{default_voice, default_voice_for};
    // English voices by their word error rates (docs/benchmarks.md).
    assert_eq!(default_voice(), VOICE);
    assert_eq!(default_voice_for(""), VOICE);
    assert_eq!(default_voice_for("en-US"), VOICE);
    assert_eq!(default_voice_for("en-GB"), "kokoro:bf_emma");
    // Other languages: a Kokoro voice of the language, else eSpeak's.
    assert!(default_voice_for("fr").starts_with("kokoro:ff_"), "{}", default_voice_for("fr"));
    assert!(default_voice_for("zh-CN").starts_with("kokoro:z"), "{}", default_voice_for("zh-CN"));
    let german = default_voice_for("de-DE");
    assert!(german.starts_with("espeak:de"), "{german}");
}

#[test]
fn every_kokoro_voice_is_listed() {
    let listed: Vec<_> = voices().expect("voices").into_iter().filter(|v| v.engine == "kokoro").collect();
    assert_eq!(listed.len(), 54, "{listed:?}");
    assert!(listed.iter().all(|v| v.quality == Quality::NeuralHd && v.sample_rate == 24_000));
    let heart = listed.iter().find(|v| v.id == VOICE).expect("af_heart");
    assert_eq!((heart.language.as_str(), heart.gender), ("en-us", Gender::Female));
    let george = listed.iter().find(|v| v.id == "kokoro:bm_george").expect("bm_george");
    assert_eq!((george.language.as_str(), george.gender), ("en-gb", Gender::Male));
    for language in ["es", "fr-fr", "hi", "it", "ja", "pt-br", "cmn"] {
        assert!(listed.iter().any(|v| v.language == language), "no {language} voice");
    }
    assert_eq!(serde_json::to_value(heart.quality).unwrap(), "neural-hd");
}

#[test]
fn a_sentence_is_spoken_with_every_word_timed_in_order() {
    let speech = heart().speak(SENTENCE, 1.0).expect("speaks");
    eprintln!("{:?}", speech.words);
    assert_eq!(speech.sample_rate, 24_000);
    let seconds = speech.samples.len() as f64 / 24_000.0;
    assert!((3.0..9.0).contains(&seconds), "{seconds} s for 15 words");
    assert!(rms(&speech.samples) > 500.0, "not silent");
    let text: &str = SENTENCE;
    let words: Vec<usize> =
        text.split_whitespace().map(|w| w.as_ptr() as usize - text.as_ptr() as usize).collect();
    assert_eq!(speech.words.iter().map(|w| w.0).collect::<Vec<_>>(), words, "one time per written word");
    let times: Vec<u32> = speech.words.iter().map(|w| w.1).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "times in order: {times:?}");
    let end_ms = (seconds * 1000.0) as u32;
    assert!(times[0] < 400, "the first word starts near the start: {times:?}");
    // The words fill the sentence: the last starts in its last quarter, before the end.
    assert!(times[14] > end_ms * 3 / 4 && times[14] < end_ms, "{times:?} of {end_ms} ms");
    // "extension" (three syllables) lasts longer than "the" (one).
    assert!(times[5] - times[4] > times[4] - times[3], "{times:?}");
    assert!(heart().speak("", 1.0).expect("nothing to say").samples.is_empty());
}

#[test]
fn speeds_shorten_the_audio_and_words_follow_it() {
    let voice = heart();
    // A news paragraph, as the speeds were measured on: the model's input is not the speed
    // it reaches (1.25 gives about 1.17× here), so each speed must land within 2.5 % of its length.
    let paragraph = "The city council approved the new tram line on Tuesday, after a debate that lasted \
        most of the day. Officials said construction would start next spring and take about three years.";
    let normal = voice.speak(paragraph, 1.0).expect("speaks");
    for speed in [1.5, 0.75, 3.0] {
        let (low, high) = (0.975 / speed, 1.025 / speed);
        let fast = voice.speak(paragraph, speed as f32).expect("speaks");
        let ratio = fast.samples.len() as f64 / normal.samples.len() as f64;
        assert!((low..=high).contains(&ratio), "{speed}x gave {ratio} of the length");
        let last = fast.words.last().expect("words").1 as f64 / normal.words.last().expect("words").1 as f64;
        assert!((low - 0.1..=high + 0.1).contains(&last), "{speed}x moved the last word by {last}");
    }
}

#[test]
fn long_text_is_spoken_in_pieces_the_model_takes() {
    let text = [SENTENCE; 8].join(" ");
    let speech = heart().speak(&text, 1.0).expect("speaks");
    let seconds = speech.samples.len() as f64 / 24_000.0;
    assert!((24.0..72.0).contains(&seconds), "{seconds} s for 120 words");
    assert_eq!(speech.words.len(), 120);
    assert!(speech.words.windows(2).all(|w| w[0].1 < w[1].1), "times in order");
}

#[test]
fn the_vocoder_blocks_run_with_fixed_int8_ranges() {
    // scripts/prepare-model.py --calibrate turns the 48 convolutions of the vocoder's residual
    // blocks into QLinearConv (the published model has none); an ONNX file names each node's
    // operator once.
    let path = kokoro::folder().join("kokoro-v1.0.onnx");
    let model = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let count = model.windows(b"QLinearConv".len()).filter(|w| *w == b"QLinearConv").count();
    assert_eq!(count, 48, "{} is not prepared with fixed ranges: run scripts/setup", path.display());
}

#[test]
fn model_inputs_are_cut_to_the_length_asked() {
    let voice = heart();
    let whole = voice.model_ids(SENTENCE, kokoro::MAX_TOKENS).expect("ids");
    assert_eq!(whole.len(), 1);
    let pieces = voice.model_ids(SENTENCE, 24).expect("ids");
    assert!(pieces.len() > 2 && pieces.iter().all(|p| !p.is_empty() && p.len() <= 24), "{pieces:?}");
    assert_eq!(pieces.concat(), whole[0]);
}

#[test]
fn unknown_voices_are_refused() {
    for id in ["kokoro:", "kokoro:xx_nobody", "kokoro:af_nobody", "kokoro:../af_heart"] {
        assert!(kokoro::KokoroVoice::by_id(id).is_err(), "{id}");
    }
}

#[test]
fn a_rendered_script_times_the_words_as_written() {
    use lector_article::{Article, Block};
    use lector_speech::{ScriptOptions, build_script};
    let paragraph = "The line will cost $400m, at a rate of 3.4%. Work starts in 2026.";
    let article = Article { body: vec![Block::paragraph(paragraph)], ..Article::default() };
    let script = build_script(&article, &ScriptOptions::default());
    let rendition = lector_speech::voice::render(&script, VOICE, 1.0, |_, _| true).expect("renders");
    assert_eq!(rendition.timings.len(), 2);
    for timing in &rendition.timings {
        let words = &timing.words;
        assert_eq!(words.len(), timing.text.split_whitespace().count(), "{timing:?}");
        assert!(words.windows(2).all(|w| w[0].start_ms < w[1].start_ms), "{timing:?}");
        assert!(words.iter().all(|w| (timing.start_ms..timing.end_ms).contains(&w.start_ms)), "{timing:?}");
    }
    // Ranges are in the paragraph's own text: the written forms, not the spoken ones.
    let written: Vec<&str> = rendition.timings[0].words.iter().map(|w| &paragraph[w.start..w.end]).collect();
    assert_eq!(written, ["The", "line", "will", "cost", "$400m", "at", "a", "rate", "of", "3.4%"]);
    let second: Vec<&str> = rendition.timings[1].words.iter().map(|w| &paragraph[w.start..w.end]).collect();
    assert_eq!(second, ["Work", "starts", "in", "2026"]);
    // "$400m" is read as four words ("four hundred million dollars"): it lasts longer than "cost".
    let first = &rendition.timings[0].words;
    assert!(first[4].end_ms - first[4].start_ms > first[3].end_ms - first[3].start_ms, "{first:?}");
}
