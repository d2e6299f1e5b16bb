//! Piper neural voices: a `.onnx` model and its `.onnx.json`, run with ONNX Runtime (loaded
//! at run time from `libonnxruntime.so`), fed IPA phonemes from eSpeak NG.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use ort::session::Session;
use ort::value::Tensor;
use serde::Deserialize;

use crate::voice::espeak::{self, Speech};
use crate::voice::words::{phoneme_words, push_word_starts, spoken_word_times};
use crate::voice::{Gender, Quality, SynthesisError, Voice};

/// What lector reads of a voice's `.onnx.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub audio: AudioConfig,
    pub espeak: EspeakConfig,
    pub inference: InferenceConfig,
    pub phoneme_id_map: HashMap<String, Vec<i64>>,
    #[serde(default)]
    pub num_speakers: u32,
    /// Speaker names to their `sid` in multi-speaker voices.
    #[serde(default)]
    pub speaker_id_map: HashMap<String, i64>,
    #[serde(default)]
    pub language: Option<LanguageConfig>,
    #[serde(default)]
    pub dataset: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AudioConfig {
    pub sample_rate: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EspeakConfig {
    pub voice: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InferenceConfig {
    pub noise_scale: f32,
    pub length_scale: f32,
    pub noise_w: f32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LanguageConfig {
    pub code: String,
}

/// A loaded voice: its configuration and one inference session shared by callers.
#[derive(Debug)]
pub struct PiperVoice {
    pub config: Config,
    session: Mutex<Session>,
    /// (length scale, length relative to the natural pace), measured once, for exact speeds.
    calibration: OnceLock<Vec<(f32, f32)>>,
}

/// Length scales tried when calibrating, as multiples of the voice's own.
const CALIBRATION_SCALES: &[f32] = &[0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 2.0, 2.5];
/// The fastest pace reached by the length scale alone; beyond it the rest is a pitch-preserving
/// time-stretch. Squeezing every phoneme into fewer frames blurs consonants: Whisper mishears
/// 28 % of words at 2× by the scale alone against 12 % this way (docs/benchmarks.md).
const MAX_SCALE_SPEEDUP: f32 = 1.25;
/// Text spoken when calibrating: ordinary news sentences.
const CALIBRATION_TEXT: &str = "The city council approved the new tram line on Tuesday, after a debate that lasted most of the day. \
    Officials said construction would start next spring and take about three years.";

/// The ONNX Runtime library: `ORT_DYLIB_PATH`, else the one the set-up unpacked.
pub fn runtime_library() -> PathBuf {
    if let Some(path) = std::env::var_os("ORT_DYLIB_PATH") {
        return PathBuf::from(path);
    }
    let dir = super::installed_path("onnxruntime");
    std::fs::read_dir(&dir)
        .ok()
        .and_then(|entries| {
            entries.flatten().map(|e| e.path()).find(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("libonnxruntime.so"))
            })
        })
        .unwrap_or_else(|| dir.join("libonnxruntime.so"))
}

/// The ONNX Runtime environment every neural engine shares, made on first use.
pub(crate) fn environment() -> Result<&'static ort::environment::Environment, SynthesisError> {
    static ENVIRONMENT: OnceLock<Result<ort::environment::Environment, String>> = OnceLock::new();
    ENVIRONMENT
        .get_or_init(|| {
            let library = runtime_library();
            ort::init_from(&library)
                .map_err(|e| format!("cannot load ONNX Runtime from {}: {e}", library.display()))?
                .build()
                .map_err(|e| format!("ONNX Runtime: {e}"))
        })
        .as_ref()
        .map_err(|e| SynthesisError::Engine(e.clone()))
}

/// The Piper voices installed in the `voices/` folders of the search path (the first of a name
/// wins).
pub fn installed() -> Vec<(Voice, PathBuf)> {
    let mut voices: Vec<(Voice, PathBuf)> = Vec::new();
    for dir in super::search_path() {
        for (voice, path) in installed_in(&dir.join("voices")) {
            if !voices.iter().any(|(known, _)| known.id == voice.id) {
                voices.push((voice, path));
            }
        }
    }
    voices
}

/// The Piper voices in `dir`: one per model, or one per speaker of a multi-speaker model
/// (`piper:<model>#<speaker>`).
pub fn installed_in(dir: &Path) -> Vec<(Voice, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut voices = Vec::new();
    for path in entries.flatten().map(|e| e.path()) {
        if path.extension().and_then(|e| e.to_str()) != Some("onnx") {
            continue;
        }
        let Ok(config) = read_config(&path) else { continue };
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
        let language = config
            .language
            .as_ref()
            .map_or(config.espeak.voice.clone(), |l| l.code.replace('_', "-").to_lowercase());
        let name = config.dataset.clone().unwrap_or_else(|| stem.clone());
        let voice = |id: String, name: String| Voice {
            id,
            name,
            language: language.clone(),
            gender: sidecar_gender(&path),
            quality: Quality::Neural,
            engine: "piper".into(),
            sample_rate: config.audio.sample_rate,
        };
        let speakers = speakers(&config);
        if speakers.is_empty() {
            voices.push((voice(format!("piper:{stem}"), name), path));
        } else {
            for (speaker, _) in speakers {
                voices.push((
                    voice(format!("piper:{stem}#{speaker}"), format!("{name} ({speaker})")),
                    path.clone(),
                ));
            }
        }
    }
    voices.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    voices
}

/// The speakers of a multi-speaker voice by name and `sid`, in `sid` order (names are the
/// numbers when the voice names none); empty for a single-speaker voice.
pub fn speakers(config: &Config) -> Vec<(String, i64)> {
    if config.num_speakers <= 1 {
        return Vec::new();
    }
    let mut speakers: Vec<(String, i64)> = if config.speaker_id_map.is_empty() {
        (0..i64::from(config.num_speakers)).map(|sid| (sid.to_string(), sid)).collect()
    } else {
        config.speaker_id_map.iter().map(|(name, &sid)| (name.clone(), sid)).collect()
    };
    speakers.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    speakers
}

/// `VOICE.onnx.lector.json` may say `{"gender": "male"}`: Piper's own file does not.
fn sidecar_gender(model: &Path) -> Gender {
    let sidecar = model.with_extension("onnx.lector.json");
    let gender = std::fs::read_to_string(sidecar)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| v.get("gender").and_then(|g| g.as_str()).map(str::to_string));
    match gender.as_deref() {
        Some("male") => Gender::Male,
        Some("female") => Gender::Female,
        _ => Gender::Unknown,
    }
}

fn read_config(model: &Path) -> Result<Config, SynthesisError> {
    let path = model.with_extension("onnx.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| SynthesisError::Engine(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| SynthesisError::Engine(format!("{}: {e}", path.display())))
}

impl PiperVoice {
    /// Loads a model once; the session is shared by every caller.
    pub fn load(model: &Path) -> Result<PiperVoice, SynthesisError> {
        let config = read_config(model)?;
        let session = Session::builder(environment()?)
            .and_then(|mut builder| builder.commit_from_file(model))
            .map_err(|e| SynthesisError::Engine(format!("{}: {e}", model.display())))?;
        Ok(PiperVoice { config, session: Mutex::new(session), calibration: OnceLock::new() })
    }

    /// The length scale that makes speech `speed` times faster than the natural pace, and
    /// the speed-up still left for a time-stretch: past [`MAX_SCALE_SPEEDUP`], or when the
    /// scale alone cannot reach it.
    /// Durations are whole frames, so the scale is not simply 1/speed: it comes from a
    /// calibration curve measured once per voice.
    pub fn length_scale_for(&self, speed: f32) -> Result<(f32, f32), SynthesisError> {
        let natural = self.config.inference.length_scale;
        if (speed - 1.0).abs() < 1e-3 {
            return Ok((natural, 1.0));
        }
        let curve = match self.calibration.get() {
            Some(curve) => curve,
            None => {
                let phonemes = espeak::phonemes(CALIBRATION_TEXT, &self.config.espeak.voice)?;
                let ids = self.phoneme_ids(&phonemes);
                let mut points = Vec::new();
                for &factor in CALIBRATION_SCALES {
                    let length = self.infer(&ids, natural * factor, 0.0, 0)?.len() as f32;
                    points.push((natural * factor, length));
                }
                let base = points
                    .iter()
                    .find(|(scale, _)| (*scale - natural).abs() < 1e-6)
                    .map_or(1.0, |p| p.1.max(1.0));
                let curve = points.into_iter().map(|(scale, length)| (scale, length / base)).collect();
                self.calibration.get_or_init(|| curve)
            }
        };
        let by_scale = speed.min(MAX_SCALE_SPEEDUP);
        let extra = speed / by_scale;
        let target = 1.0 / by_scale;
        // Interpolate the scale whose relative length is the target.
        for pair in curve.windows(2) {
            let ((s0, r0), (s1, r1)) = (pair[0], pair[1]);
            if (r0..=r1).contains(&target) && r1 > r0 {
                return Ok((s0 + (s1 - s0) * (target - r0) / (r1 - r0), extra));
            }
        }
        match curve.first() {
            // Faster than the shortest scale: take it, and stretch the rest.
            Some(&(scale, shortest)) if target < shortest => Ok((scale, extra * shortest / target)),
            _ => Ok((natural / by_scale, extra)),
        }
    }

    /// Phoneme ids as Piper expects them: BOS, each phoneme followed by PAD, EOS.
    pub fn phoneme_ids(&self, phonemes: &str) -> Vec<i64> {
        self.phoneme_ids_by_word(phonemes).into_iter().map(|(id, _)| id).collect()
    }

    /// [`phoneme_ids`](Self::phoneme_ids), each with the index of the phoneme word it belongs
    /// to (words are separated by spaces; BOS, spaces and punctuation go with the word before).
    fn phoneme_ids_by_word(&self, phonemes: &str) -> Vec<(i64, usize)> {
        let map = &self.config.phoneme_id_map;
        let id = |symbol: &str| map.get(symbol).cloned().unwrap_or_default();
        let mut ids: Vec<(i64, usize)> = id("^").into_iter().chain(id("_")).map(|i| (i, 0)).collect();
        let mut last = 0;
        for (phoneme, word) in phoneme_words(phonemes) {
            last = word;
            let Some(phoneme_ids) = map.get(phoneme.encode_utf8(&mut [0; 4]) as &str) else { continue };
            ids.extend(phoneme_ids.iter().chain(&id("_")).map(|&i| (i, word)));
        }
        ids.extend(id("$").into_iter().map(|i| (i, last)));
        ids
    }

    /// Speaks `text` at `speed` × the voice's natural pace (by its length scale, so pitch holds),
    /// as the first speaker of a multi-speaker voice.
    pub fn speak(&self, text: &str, speed: f32) -> Result<Speech, SynthesisError> {
        self.speak_as(text, speed, 0)
    }

    /// The `sid` of a speaker by name (or number), for multi-speaker voices.
    pub fn speaker(&self, name: &str) -> Option<i64> {
        speakers(&self.config).into_iter().find(|(speaker, _)| speaker == name).map(|(_, sid)| sid)
    }

    /// Speaks `text` as speaker `sid` of a multi-speaker voice (ignored by single-speaker ones).
    pub fn speak_as(&self, text: &str, speed: f32, sid: i64) -> Result<Speech, SynthesisError> {
        if self.config.num_speakers > 1 && !(0..i64::from(self.config.num_speakers)).contains(&sid) {
            return Err(SynthesisError::UnknownVoice(format!("speaker {sid}")));
        }
        let phonemes = espeak::phonemes(text, &self.config.espeak.voice)?;
        let by_word = self.phoneme_ids_by_word(&phonemes);
        let ids: Vec<i64> = by_word.iter().map(|&(id, _)| id).collect();
        let sample_rate = self.config.audio.sample_rate;
        if ids.len() <= 3 {
            return Ok(Speech { samples: Vec::new(), sample_rate, words: Vec::new() });
        }
        let (length_scale, rest) = self.length_scale_for(speed)?;
        let (samples, durations) =
            self.infer_timed(&ids, length_scale, self.config.inference.noise_w, sid)?;
        let words = match durations {
            Some(durations) => word_times(text, &by_word, &durations, samples.len(), sample_rate, rest),
            None => Vec::new(),
        };
        // Past what the length scale can do, the rest is a pitch-preserving time-stretch.
        let samples =
            if rest > 1.001 { crate::voice::time_stretch(&samples, sample_rate, rest) } else { samples };
        Ok(Speech { samples, sample_rate, words })
    }

    /// One inference: phoneme ids to 16-bit samples.
    fn infer(
        &self,
        ids: &[i64],
        length_scale: f32,
        noise_w: f32,
        sid: i64,
    ) -> Result<Vec<i16>, SynthesisError> {
        Ok(self.infer_timed(ids, length_scale, noise_w, sid)?.0)
    }

    /// One inference, with each id's duration in frames when the model gives them (a
    /// `durations` output, which `scripts/prepare-model.py piper` adds).
    fn infer_timed(
        &self,
        ids: &[i64],
        length_scale: f32,
        noise_w: f32,
        sid: i64,
    ) -> Result<(Vec<i16>, Option<Vec<f32>>), SynthesisError> {
        let ids = ids.to_vec();
        let inference = &self.config.inference;
        let scales = vec![inference.noise_scale, length_scale, noise_w];
        let engine = |e: ort::Error| SynthesisError::Engine(format!("Piper: {e}"));
        let length = ids.len();
        let input = Tensor::from_array(([1usize, length], ids)).map_err(engine)?;
        let lengths = Tensor::from_array(([1usize], vec![length as i64])).map_err(engine)?;
        let scales = Tensor::from_array(([3usize], scales)).map_err(engine)?;
        let mut session =
            self.session.lock().map_err(|_| SynthesisError::Engine("Piper session lock poisoned".into()))?;
        let outputs = if self.config.num_speakers > 1 {
            let speaker = Tensor::from_array(([1usize], vec![sid])).map_err(engine)?;
            session
                .run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales, "sid" => speaker])
                .map_err(engine)?
        } else {
            session
                .run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales])
                .map_err(engine)?
        };
        let samples = to_pcm(outputs[0].try_extract_tensor::<f32>().map_err(engine)?.1);
        let durations = match outputs.get("durations") {
            Some(value) => Some(value.try_extract_tensor::<f32>().map_err(engine)?.1.to_vec()),
            None => None,
        };
        Ok((samples, durations))
    }
}

/// Each written word's time from the model's durations: the frames of the ids before a
/// phoneme word's first id, in samples (the audio's length over the frames, 256 for Piper's
/// voices), sped up `stretch` times afterwards.
fn word_times(
    text: &str,
    by_word: &[(i64, usize)],
    durations: &[f32],
    samples: usize,
    rate: u32,
    stretch: f32,
) -> Vec<(usize, u32)> {
    let frames: f32 = durations.iter().sum();
    if durations.len() != by_word.len() || frames <= 0.0 {
        return Vec::new();
    }
    let per_frame = f64::from(samples as f32 / frames);
    // BOS and its pad are silence before the first word: the words start after them.
    let lead: f32 = durations.iter().take(2).sum();
    let mut word_samples: Vec<usize> = Vec::new();
    let lengths = durations.iter().skip(2).map(|&d| f64::from(d) * per_frame);
    push_word_starts(
        &mut word_samples,
        by_word.get(2..).unwrap_or(&[]),
        lengths,
        f64::from(lead) * per_frame,
    );
    word_samples.push(samples);
    spoken_word_times(text, &word_samples, rate, stretch)
}

fn to_pcm(audio: &[f32]) -> Vec<i16> {
    audio.iter().map(|&s| (s.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16).collect()
}

/// A loaded voice by id, loading it on first use. Every speaker of a multi-speaker model
/// shares one loaded model.
pub fn voice(id: &str) -> Result<Arc<PiperVoice>, SynthesisError> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, Arc<PiperVoice>>>> = OnceLock::new();
    let path = installed()
        .into_iter()
        .find(|(voice, _)| voice.id == id || voice.id.split_once('#').is_some_and(|(model, _)| model == id))
        .map(|(_, path)| path)
        .ok_or_else(|| SynthesisError::UnknownVoice(id.to_string()))?;
    let loaded = LOADED.get_or_init(Default::default);
    let mut loaded = loaded.lock().map_err(|_| SynthesisError::Engine("voice cache lock poisoned".into()))?;
    if let Some(voice) = loaded.get(&path) {
        return Ok(Arc::clone(voice));
    }
    let voice = Arc::new(PiperVoice::load(&path)?);
    loaded.insert(path, Arc::clone(&voice));
    Ok(voice)
}

/// One speaker of a Piper voice: the voice's only one, or one of a multi-speaker model.
#[derive(Debug, Clone)]
pub struct PiperSpeaker {
    pub voice: Arc<PiperVoice>,
    pub sid: i64,
}

impl PiperSpeaker {
    /// The speaker behind an id: `piper:<model>` or `piper:<model>#<speaker>`.
    pub fn by_id(id: &str) -> Result<PiperSpeaker, SynthesisError> {
        let voice = voice(id)?;
        let sid = match id.split_once('#') {
            Some((_, name)) => {
                voice.speaker(name).ok_or_else(|| SynthesisError::UnknownVoice(id.to_string()))?
            }
            None => 0,
        };
        Ok(PiperSpeaker { voice, sid })
    }

    pub fn speak(&self, text: &str, speed: f32) -> Result<Speech, SynthesisError> {
        self.voice.speak_as(text, speed, self.sid)
    }
}
