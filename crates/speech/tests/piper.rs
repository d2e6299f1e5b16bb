//! Real audio from the default Piper voice (installed by scripts/setup): phonemes from eSpeak,
//! inference with ONNX Runtime, speed by length scale.

use lector_speech::voice::{Gender, Quality, espeak, piper, voices};

const VOICE: &str = "piper:en_US-joe-medium";
const SENTENCE: &str =
    "The council approved the tram extension on Tuesday, after a long fight over the route.";

fn joe() -> std::sync::Arc<piper::PiperVoice> {
    piper::voice(VOICE)
        .unwrap_or_else(|e| panic!("the default Piper voice is missing (run scripts/setup): {e}"))
}

fn rms(samples: &[i16]) -> f64 {
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    (sum / samples.len().max(1) as f64).sqrt()
}

#[test]
fn the_piper_voice_is_listed_first_as_neural() {
    let voices = voices().expect("voices");
    let first = &voices[0];
    assert_eq!(first.id, VOICE);
    assert_eq!((first.quality, first.gender, first.sample_rate), (Quality::Neural, Gender::Male, 22_050));
}

#[test]
fn phonemes_keep_clause_punctuation() {
    let phonemes = espeak::phonemes("Hello, world. Is it late?", "en-us").expect("phonemes");
    assert!(phonemes.contains(',') && phonemes.contains('.') && phonemes.ends_with('?'), "{phonemes}");
    assert!(phonemes.contains('ˈ'), "IPA stress marks: {phonemes}");
    let ids = joe().phoneme_ids(&phonemes);
    // BOS, PAD, then a phoneme and a PAD each, then EOS.
    assert_eq!(ids[..2], [1, 0]);
    assert_eq!(ids.last(), Some(&2));
    assert!(ids.len() > phonemes.chars().count());
}

#[test]
fn speech_is_audible_and_speed_shortens_it() {
    let voice = joe();
    let normal = voice.speak(SENTENCE, 1.0).expect("speaks");
    let seconds = normal.samples.len() as f64 / f64::from(normal.sample_rate);
    assert!((3.0..9.0).contains(&seconds), "{seconds} s for 15 words");
    assert!(rms(&normal.samples) > 500.0, "not silent");
    // Piper draws phoneme durations with noise (noise_w), so one sentence varies by a few
    // percent from run to run (a 4-run ratio for 1.25x was seen at 0.848): compare the lengths
    // of several runs, with a band that still tells 1.25x (0.8) from 1x and from 1.5x.
    let total = |speed: f32| -> usize {
        (0..6).map(|_| voice.speak(SENTENCE, speed).expect("speaks").samples.len()).sum()
    };
    let ratio = total(1.25) as f64 / total(1.0) as f64;
    assert!((0.74..=0.87).contains(&ratio), "1.25x gave {ratio} of the length");
    assert!(voice.speak("", 1.0).expect("nothing to say").samples.is_empty());
    // Past 1.25x the length scale would blur consonants: a time-stretch makes up the rest.
    let (_, rest) = voice.length_scale_for(2.0).expect("scale");
    assert!((1.58..=1.62).contains(&rest), "2x leaves {rest} to the stretch");
    let ratio = total(2.0) as f64 / total(1.0) as f64;
    assert!((0.46..=0.54).contains(&ratio), "2x gave {ratio} of the length");
    let fastest = voice.speak(SENTENCE, 3.0).expect("speaks");
    let ratio = fastest.samples.len() as f64 / normal.samples.len() as f64;
    assert!((0.28..=0.39).contains(&ratio), "3x gave {ratio} of the length");
}

#[test]
fn measured_pace_predicts_the_length_of_speech() {
    for voice in [VOICE, "espeak:en-us"] {
        let wpm = lector_speech::voice::measured_wpm(voice).expect("measures");
        assert!((120.0..240.0).contains(&wpm), "{voice}: {wpm} words per minute");
        assert_eq!(
            lector_speech::voice::stored_wpm(voice),
            Some((wpm * 10.0).round() / 10.0),
            "stored after measuring"
        );
        // A different text of known length lasts about as long as the pace says.
        let text = "Opposition councillors said the money would be better spent on buses, arguing that the existing routes already serve the eastern districts well and that the tram would take years to build.";
        let words = text.split_whitespace().count() as f64;
        let speech = if voice.starts_with("piper:") {
            joe().speak(text, 1.0).expect("speaks")
        } else {
            espeak::speak(text, "en-us", 1.0).expect("speaks")
        };
        let minutes = speech.samples.len() as f64 / f64::from(speech.sample_rate) / 60.0;
        let predicted = words / wpm;
        assert!(
            (minutes / predicted - 1.0).abs() < 0.2,
            "{voice}: {minutes} min for a predicted {predicted}"
        );
    }
}

/// A tiny two-speaker model (tests/fixtures/voices): speaker n hums at 0.03 + 0.04 n radians
/// per sample, so each speaker is told apart by pitch.
fn two_speakers() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/voices/two-speakers.onnx")
}

fn zero_crossings_per_second(samples: &[i16], sample_rate: u32) -> f64 {
    let crossings = samples.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count();
    crossings as f64 / (samples.len() as f64 / f64::from(sample_rate))
}

#[test]
fn each_speaker_of_a_multi_speaker_voice_is_a_voice() {
    let listed = piper::installed_in(two_speakers().parent().expect("folder"));
    let ids: Vec<&str> = listed.iter().map(|(voice, _)| voice.id.as_str()).collect();
    assert_eq!(ids, ["piper:two-speakers#ada", "piper:two-speakers#ben"]);
    assert_eq!(listed[1].0.name, "two-speakers (ben)");
    assert_eq!((listed[0].0.quality, listed[0].0.sample_rate), (Quality::Neural, 22_050));
}

#[test]
fn the_speaker_input_selects_the_speaker() {
    let voice = piper::PiperVoice::load(&two_speakers()).expect("the fixture model loads");
    assert_eq!((voice.speaker("ada"), voice.speaker("ben"), voice.speaker("cy")), (Some(0), Some(1), None));
    for (sid, radians) in [(0, 0.03), (1, 0.07)] {
        let speech = voice.speak_as(SENTENCE, 1.0, sid).expect("speaks");
        assert!(speech.samples.len() > 22_050, "{} samples", speech.samples.len());
        let expected = radians * f64::from(speech.sample_rate) / std::f64::consts::PI;
        let measured = zero_crossings_per_second(&speech.samples, speech.sample_rate);
        assert!(
            (measured / expected - 1.0).abs() < 0.05,
            "speaker {sid}: {measured} crossings/s, {expected}"
        );
    }
    // The length scale reaches the model too: 1.25× is shorter.
    let normal = voice.speak_as(SENTENCE, 1.0, 1).expect("speaks").samples.len() as f64;
    let fast = voice.speak_as(SENTENCE, 1.25, 1).expect("speaks").samples.len() as f64;
    assert!((fast / normal - 0.8).abs() < 0.04, "{fast} / {normal}");
    assert!(matches!(
        voice.speak_as(SENTENCE, 1.0, 2),
        Err(lector_speech::voice::SynthesisError::UnknownVoice(_))
    ));
}

#[test]
fn the_set_up_voice_times_every_word_from_its_durations() {
    let voice = joe();
    let speech = voice.speak(SENTENCE, 1.0).expect("speaks");
    let text: &str = SENTENCE;
    let offsets: Vec<usize> =
        text.split_whitespace().map(|w| w.as_ptr() as usize - text.as_ptr() as usize).collect();
    assert_eq!(speech.words.iter().map(|w| w.0).collect::<Vec<_>>(), offsets, "one time per written word");
    let times: Vec<u32> = speech.words.iter().map(|w| w.1).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "in order: {times:?}");
    let end_ms = (speech.samples.len() as f64 * 1000.0 / f64::from(speech.sample_rate)) as u32;
    assert!(times[0] < 300 && times[14] > end_ms * 3 / 4 && times[14] < end_ms, "{times:?} of {end_ms} ms");
    // "extension" (three syllables) lasts longer than "tram" (one).
    assert!(times[6] - times[5] > times[5] - times[4], "{times:?}");
    // At 3x (length scale and a time-stretch) the words keep their places in the shorter audio.
    let fast = voice.speak(SENTENCE, 3.0).expect("speaks");
    let fast_end = (fast.samples.len() as f64 * 1000.0 / f64::from(fast.sample_rate)) as u32;
    let last = fast.words.last().expect("words").1;
    assert!(last > fast_end * 3 / 4 && last < fast_end, "{last} of {fast_end} ms");
}
