//! Kokoro-82M: one neural model (run with ONNX Runtime) and 54 voice styles, fed IPA phonemes
//! from eSpeak NG; the model's phoneme durations time every word.
//!
//! The set-up installs `voices/kokoro/` in the data directory: `kokoro-v1.0.onnx` (with a
//! `durations` output added by `scripts/prepare-model.py`), `vocab.json` (phoneme → id) and
//! `voices/NAME.bin` (float32 style rows of 256, one per input length).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::Tensor;

use crate::voice::espeak::{self, Speech};
use crate::voice::words::{phoneme_words, push_word_starts, spoken_word_times};
use crate::voice::{Gender, Quality, SynthesisError, Voice, data_dir};

/// Kokoro speaks at 24 kHz.
pub const SAMPLE_RATE: u32 = 24_000;
/// Samples per predicted duration frame.
const FRAME_SAMPLES: usize = 600;
/// Phoneme ids the model takes at once (its style table has a row for each length).
pub const MAX_TOKENS: usize = 510;
/// Width of one style row.
const STYLE_WIDTH: usize = 256;
/// Longest utterance phonemized word by word when eSpeak's words do not match the written ones.
const MAX_WORDS_ONE_BY_ONE: usize = 400;
/// The model's speed input runs from 0.5 to 1.25; beyond, the rest is a pitch-preserving
/// time-stretch: faster through the model alone clips word onsets (measured: 13 % of words
/// misheard at 1.5× against 2.3 % this way, docs/benchmarks.md). The input is not the speed
/// reached: the model rounds each phoneme to whole frames of at least one, so 0.9 gives
/// 0.94× and 1.25 gives 1.19×. Pairs of (input, speed reached), measured by the frames of two
/// news paragraphs read by `af_heart` and `am_michael` (each within 2.5 % of the mean).
const MODEL_SPEED_CURVE: [(f32, f32); 6] =
    [(0.5, 0.502), (0.75, 0.733), (0.9, 0.942), (1.0, 1.0), (1.1, 1.071), (1.25, 1.194)];

/// The model's speed input for `speed` × the natural pace, and the speed-up left for a
/// time-stretch (1 when the model reaches the speed on its own).
pub fn model_speed_for(speed: f32) -> (f32, f32) {
    let (first, last) = (MODEL_SPEED_CURVE[0], MODEL_SPEED_CURVE[MODEL_SPEED_CURVE.len() - 1]);
    if speed <= first.1 {
        return (first.0, speed / first.1);
    }
    if speed >= last.1 {
        return (last.0, speed / last.1);
    }
    for pair in MODEL_SPEED_CURVE.windows(2) {
        let ((i0, r0), (i1, r1)) = (pair[0], pair[1]);
        if (r0..=r1).contains(&speed) {
            return (i0 + (i1 - i0) * (speed - r0) / (r1 - r0), 1.0);
        }
    }
    (speed, 1.0)
}

/// Where the set-up puts the model and its voices.
pub fn folder() -> PathBuf {
    super::installed_path("voices/kokoro/kokoro-v1.0.onnx")
        .parent()
        .map_or_else(|| data_dir().join("voices").join("kokoro"), Path::to_path_buf)
}

/// A voice's language, as Kokoro's names encode it in their first letter, with the eSpeak
/// voice that phonemizes it and the language's name.
fn language_of(code: char) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match code {
        'a' => ("en-us", "en-us", "American English"),
        'b' => ("en-gb", "en", "British English"),
        'e' => ("es", "es", "Spanish"),
        'f' => ("fr-fr", "fr", "French"),
        'h' => ("hi", "hi", "Hindi"),
        'i' => ("it", "it", "Italian"),
        'j' => ("ja", "ja", "Japanese"),
        'p' => ("pt-br", "pt-br", "Brazilian Portuguese"),
        'z' => ("cmn", "cmn", "Mandarin Chinese"),
        _ => return None,
    })
}

/// The Kokoro voices installed in the data directory.
pub fn installed() -> Vec<Voice> {
    installed_in(&folder())
}

/// The Kokoro voices of a Kokoro folder: one per style file whose name Kokoro's scheme
/// explains (`af_heart`: American English, female, "heart"), when the model is there too.
pub fn installed_in(dir: &Path) -> Vec<Voice> {
    if !dir.join("kokoro-v1.0.onnx").is_file() || !dir.join("vocab.json").is_file() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(dir.join("voices")) else { return Vec::new() };
    let mut voices: Vec<Voice> = entries
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("bin") {
                return None;
            }
            let stem = path.file_stem()?.to_str()?.to_string();
            describe(&stem)
        })
        .collect();
    voices.sort_by(|a, b| a.id.cmp(&b.id));
    voices
}

/// The listing of one voice by its style name, if the name follows Kokoro's scheme.
fn describe(name: &str) -> Option<Voice> {
    let mut chars = name.chars();
    let (language, _, language_name) = language_of(chars.next()?)?;
    let gender = match chars.next()? {
        'f' => Gender::Female,
        'm' => Gender::Male,
        _ => return None,
    };
    let given = name.get(3..).filter(|rest| name.as_bytes().get(2) == Some(&b'_') && !rest.is_empty())?;
    let mut title: String = given.replace('_', " ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    let gender_name = if gender == Gender::Female { "female" } else { "male" };
    Some(Voice {
        id: format!("kokoro:{name}"),
        name: format!("{title} ({language_name}, {gender_name})"),
        language: language.into(),
        gender,
        quality: Quality::NeuralHd,
        engine: "kokoro".into(),
        sample_rate: SAMPLE_RATE,
    })
}

/// The model, loaded once and shared by every voice.
#[derive(Debug)]
pub struct Model {
    session: Mutex<Session>,
    vocab: HashMap<char, i64>,
}

impl Model {
    /// Loads the model and vocabulary of a Kokoro folder.
    pub fn load(dir: &Path) -> Result<Model, SynthesisError> {
        let vocab_path = dir.join("vocab.json");
        let text = std::fs::read_to_string(&vocab_path)
            .map_err(|e| SynthesisError::Engine(format!("{}: {e}", vocab_path.display())))?;
        let vocab = parse_vocab(&text)
            .map_err(|e| SynthesisError::Engine(format!("{}: {e}", vocab_path.display())))?;
        let model = dir.join("kokoro-v1.0.onnx");
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let fail = |e: &dyn std::fmt::Display| SynthesisError::Engine(format!("{}: {e}", model.display()));
        let session = Session::builder(crate::voice::piper::environment()?)
            .map_err(|e| fail(&e))?
            .with_optimization_level(GraphOptimizationLevel::All)
            .map_err(|e| fail(&e))?
            .with_intra_threads(threads)
            .map_err(|e| fail(&e))?
            .commit_from_file(&model)
            .map_err(|e| fail(&e))?;
        if !session.outputs().iter().any(|output| output.name() == "durations") {
            return Err(SynthesisError::Engine(format!(
                "{} has no durations output: run scripts/setup again",
                model.display()
            )));
        }
        Ok(Model { session: Mutex::new(session), vocab })
    }

    /// Phoneme ids of an IPA string, each with the index of the phoneme word it belongs to;
    /// symbols outside the vocabulary are dropped.
    pub fn ids(&self, phonemes: &str) -> Vec<(i64, usize)> {
        phoneme_words(phonemes)
            .into_iter()
            .filter_map(|(symbol, word)| self.vocab.get(&symbol).map(|&id| (id, word)))
            .collect()
    }

    /// One inference: ids (at most [`MAX_TOKENS`]) to samples and the duration in frames of
    /// each input id, the padding ids at both ends included (first and last).
    pub fn infer(
        &self,
        ids: &[i64],
        style: &[f32],
        speed: f32,
    ) -> Result<(Vec<f32>, Vec<i64>), SynthesisError> {
        let engine = |e: ort::Error| SynthesisError::Engine(format!("Kokoro: {e}"));
        let mut tokens = Vec::with_capacity(ids.len() + 2);
        tokens.push(0);
        tokens.extend_from_slice(&ids[..ids.len().min(MAX_TOKENS)]);
        tokens.push(0);
        let length = tokens.len();
        let tokens = Tensor::from_array(([1usize, length], tokens)).map_err(engine)?;
        let style = Tensor::from_array(([1usize, STYLE_WIDTH], style.to_vec())).map_err(engine)?;
        let speed = Tensor::from_array(([1usize], vec![speed])).map_err(engine)?;
        let mut session =
            self.session.lock().map_err(|_| SynthesisError::Engine("Kokoro session lock poisoned".into()))?;
        let outputs = session
            .run(ort::inputs!["tokens" => tokens, "style" => style, "speed" => speed])
            .map_err(engine)?;
        let audio = outputs["audio"].try_extract_tensor::<f32>().map_err(engine)?.1.to_vec();
        let durations = outputs["durations"].try_extract_tensor::<i64>().map_err(engine)?.1.to_vec();
        Ok((audio, durations))
    }
}

/// `{"vocab": {"a": 43, …}}` (or the map alone) to symbol → id.
fn parse_vocab(text: &str) -> Result<HashMap<char, i64>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let map = value.get("vocab").unwrap_or(&value).as_object().ok_or("no vocabulary object")?;
    let mut vocab = HashMap::new();
    for (symbol, id) in map {
        let mut chars = symbol.chars();
        let (Some(c), None, Some(id)) = (chars.next(), chars.next(), id.as_i64()) else {
            return Err(format!("bad vocabulary entry {symbol:?}"));
        };
        vocab.insert(c, id);
    }
    if vocab.is_empty() {
        return Err("empty vocabulary".into());
    }
    Ok(vocab)
}

/// The shared model of the installed Kokoro folder, loaded on first use.
fn model() -> Result<Arc<Model>, SynthesisError> {
    static MODEL: OnceLock<Mutex<Option<Arc<Model>>>> = OnceLock::new();
    let slot = MODEL.get_or_init(Default::default);
    let mut slot = slot.lock().map_err(|_| SynthesisError::Engine("Kokoro model lock poisoned".into()))?;
    if let Some(model) = slot.as_ref() {
        return Ok(Arc::clone(model));
    }
    let model = Arc::new(Model::load(&folder())?);
    *slot = Some(Arc::clone(&model));
    Ok(model)
}

/// The eSpeak IPA of English made into the phoneme set Kokoro was trained on.
pub fn english_phonemes(ipa: &str, american: bool) -> String {
    let mut out = String::with_capacity(ipa.len());
    for c in ipa.chars() {
        match c {
            // Kokoro's English has no trilled r, velar fricative, palatalization mark or
            // lateral fricative: eSpeak's use of them maps to the nearest English sounds.
            'r' => out.push('ɹ'),
            'x' => out.push('k'),
            'ʲ' => out.push('j'),
            'ɬ' => out.push('l'),
            _ => out.push(c),
        }
    }
    if american {
        // American English flaps the t of "ninety".
        out = out.replace("nˈaɪnti", "nˈaɪndi");
    }
    out
}

/// One Kokoro voice: the shared model and its style table.
#[derive(Debug, Clone)]
pub struct KokoroVoice {
    pub voice: Voice,
    model: Arc<Model>,
    styles: Arc<Vec<f32>>,
    espeak_voice: &'static str,
}

impl KokoroVoice {
    /// The voice behind `kokoro:NAME`.
    pub fn by_id(id: &str) -> Result<KokoroVoice, SynthesisError> {
        let name = id.strip_prefix("kokoro:").ok_or_else(|| SynthesisError::UnknownVoice(id.to_string()))?;
        let voice = describe(name).ok_or_else(|| SynthesisError::UnknownVoice(id.to_string()))?;
        let path = folder().join("voices").join(format!("{name}.bin"));
        if !path.is_file() {
            return Err(SynthesisError::UnknownVoice(id.to_string()));
        }
        let styles = styles(&path)?;
        let espeak_voice = name.chars().next().and_then(language_of).map_or("en-us", |l| l.1);
        Ok(KokoroVoice { voice, model: model()?, styles, espeak_voice })
    }

    fn is_english(&self) -> bool {
        self.voice.language.starts_with("en")
    }

    /// The style row for an input of `tokens` ids.
    fn style(&self, tokens: usize) -> &[f32] {
        let rows = self.styles.len() / STYLE_WIDTH;
        let row = tokens.clamp(1, rows.max(1)) - 1;
        &self.styles[row * STYLE_WIDTH..(row + 1) * STYLE_WIDTH]
    }

    /// eSpeak's IPA of `text`, in Kokoro's phoneme set.
    fn phonemes(&self, text: &str) -> Result<String, SynthesisError> {
        let ipa = espeak::phonemes(text, self.espeak_voice)?;
        Ok(if self.is_english() { english_phonemes(&ipa, self.espeak_voice == "en-us") } else { ipa })
    }

    /// The ids to speak `text`, each with the index of its written word (the words of
    /// `spoken_word_times`). eSpeak phonemizes whole clauses, and then sometimes runs two short
    /// words together ("at a" as one); when its words do not match the written ones, each
    /// written word is phonemized on its own, so that every word keeps its own time.
    fn phoneme_ids(&self, text: &str) -> Result<Vec<(i64, usize)>, SynthesisError> {
        let whole = self.model.ids(&self.phonemes(text)?);
        let written: Vec<&str> =
            text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).collect();
        let spoken_words = whole.last().map_or(0, |&(_, word)| word + 1);
        if spoken_words == written.len() || written.len() > MAX_WORDS_ONE_BY_ONE {
            return Ok(whole);
        }
        let space = self.model.vocab.get(&' ').copied();
        let mut ids: Vec<(i64, usize)> = Vec::new();
        // Written words seen so far; punctuation alone belongs to the word before it.
        let mut seen = 0usize;
        for word in text.split_whitespace() {
            seen += usize::from(word.chars().any(char::is_alphanumeric));
            let owner = seen.saturating_sub(1);
            if let (Some(space), Some(&(_, before))) = (space, ids.last()) {
                ids.push((space, before));
            }
            ids.extend(self.model.ids(&self.phonemes(word)?).into_iter().map(|(id, _)| (id, owner)));
        }
        Ok(ids)
    }

    /// The phoneme ids the model is given for `text`, cut as [`KokoroVoice::speak`] cuts them
    /// but into pieces of at most `most` ids (and [`MAX_TOKENS`]); each piece takes the style
    /// row of its length.
    pub fn model_ids(&self, text: &str, most: usize) -> Result<Vec<Vec<i64>>, SynthesisError> {
        let ids = self.phoneme_ids(text)?;
        let pieces = chunks(&ids, most.clamp(1, MAX_TOKENS));
        Ok(pieces.into_iter().map(|piece| piece.iter().map(|&(id, _)| id).collect()).collect())
    }

    /// Speaks `text` at `speed` × the voice's natural pace (the model's own speed input up to
    /// 1.25×, then a time-stretch; pitch holds), with the time of every word.
    pub fn speak(&self, text: &str, speed: f32) -> Result<Speech, SynthesisError> {
        let ids = self.phoneme_ids(text)?;
        let mut speech = Speech { samples: Vec::new(), sample_rate: SAMPLE_RATE, words: Vec::new() };
        if ids.is_empty() {
            return Ok(speech);
        }
        let (model_speed, rest) = model_speed_for(speed);
        // The sample at which each phoneme word starts.
        let mut word_samples: Vec<usize> = Vec::new();
        for chunk in chunks(&ids, MAX_TOKENS) {
            let just_ids: Vec<i64> = chunk.iter().map(|&(id, _)| id).collect();
            let (audio, durations) = self.model.infer(&just_ids, self.style(just_ids.len()), model_speed)?;
            // durations[0] is the leading pad; durations[1 + i] belongs to chunk[i].
            let samples = |frames: &i64| (frames.max(&0) * FRAME_SAMPLES as i64) as f64;
            let lead = durations.first().map_or(0.0, samples);
            let lengths = durations.iter().skip(1).map(samples);
            push_word_starts(&mut word_samples, chunk, lengths, speech.samples.len() as f64 + lead);
            speech.samples.extend(audio.iter().map(|&s| (s.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16));
        }
        word_samples.push(speech.samples.len());
        speech.words = spoken_word_times(text, &word_samples, SAMPLE_RATE, rest);
        if (rest - 1.0).abs() > 0.001 {
            speech.samples = crate::voice::time_stretch(&speech.samples, SAMPLE_RATE, rest);
        }
        Ok(speech)
    }
}

/// Cuts ids into pieces the model takes, each ending at the last word boundary that fits.
fn chunks(ids: &[(i64, usize)], max: usize) -> Vec<&[(i64, usize)]> {
    let mut out = Vec::new();
    let mut rest = ids;
    while rest.len() > max {
        // Prefer the last word boundary in the window.
        let window = &rest[..max];
        let cut = (1..max).rev().find(|&i| window[i].1 != window[i - 1].1).unwrap_or(max);
        out.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// A style file: float32 rows of 256, little-endian.
fn styles(path: &Path) -> Result<Arc<Vec<f32>>, SynthesisError> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, Arc<Vec<f32>>>>> = OnceLock::new();
    let loaded = LOADED.get_or_init(Default::default);
    let mut loaded = loaded.lock().map_err(|_| SynthesisError::Engine("style cache lock poisoned".into()))?;
    if let Some(styles) = loaded.get(path) {
        return Ok(Arc::clone(styles));
    }
    let bytes =
        std::fs::read(path).map_err(|e| SynthesisError::Engine(format!("{}: {e}", path.display())))?;
    if bytes.is_empty() || bytes.len() % (STYLE_WIDTH * 4) != 0 {
        return Err(SynthesisError::Engine(format!("{}: not a Kokoro style file", path.display())));
    }
    let styles: Vec<f32> =
        bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    let styles = Arc::new(styles);
    loaded.insert(path.to_path_buf(), Arc::clone(&styles));
    Ok(styles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_kokoros_scheme() {
        let heart = describe("af_heart").unwrap();
        assert_eq!(
            (heart.id.as_str(), heart.language.as_str(), heart.gender),
            ("kokoro:af_heart", "en-us", Gender::Female)
        );
        assert_eq!(heart.name, "Heart (American English, female)");
        assert_eq!(describe("bm_george").unwrap().language, "en-gb");
        assert_eq!(describe("zm_yunxi").unwrap().gender, Gender::Male);
        for bad in ["", "a", "af", "af_", "xf_heart", "ax_heart", "afheart"] {
            assert!(describe(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn english_ipa_is_mapped_to_kokoros_set() {
        assert_eq!(english_phonemes("ɡˈʊtən mˈɔrɡən lˈɒx", false), "ɡˈʊtən mˈɔɹɡən lˈɒk");
        assert_eq!(english_phonemes("nˈaɪnti", true), "nˈaɪndi");
        assert_eq!(english_phonemes("nˈaɪnti", false), "nˈaɪnti");
    }

    #[test]
    fn long_inputs_are_cut_at_word_boundaries() {
        let ids: Vec<(i64, usize)> = (0..1200).map(|i| (1, i / 7)).collect();
        let pieces = chunks(&ids, MAX_TOKENS);
        assert!(pieces.iter().all(|p| p.len() <= MAX_TOKENS && !p.is_empty()));
        assert_eq!(pieces.iter().map(|p| p.len()).sum::<usize>(), 1200);
        for pair in pieces.windows(2) {
            assert_ne!(pair[0].last().unwrap().1, pair[1][0].1, "a word was cut");
        }
    }

    #[test]
    fn vocabularies_are_read_or_refused() {
        let vocab = parse_vocab(r#"{"vocab": {"a": 43, "ˈ": 156}}"#).unwrap();
        assert_eq!((vocab[&'a'], vocab[&'ˈ']), (43, 156));
        assert!(parse_vocab("{}").is_err());
        assert!(parse_vocab(r#"{"vocab": {"ab": 1}}"#).is_err());
        assert!(parse_vocab("not json").is_err());
    }
}
