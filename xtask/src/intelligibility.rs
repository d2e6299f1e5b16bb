//! The intelligibility benchmark: the news sentences of
//! `crates/speech/tests/fixtures/news-sentences.txt` narrated by each neural voice (and, for
//! the default voices, at 1.5× and 2×), transcribed by `../shared/tools/transcribe` (Whisper
//! tiny.en), with the word error rate of each after bringing both sides to spoken words; the
//! `piper-tts` Python package reads the same sentences with the same Piper voice in the same
//! run, from a venv the benchmark sets up.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use lector_article::{Article, Block};
use lector_speech::hearing::{heard_words, word_errors};
use lector_speech::voice::{render, write_wav};
use lector_speech::{ScriptOptions, build_script};

/// The voices measured when none are named: Kokoro's English voices with the best grades in
/// its own listening notes, both accents and both genders, and the Piper voice.
const VOICES: &[&str] = &[
    "kokoro:af_heart",
    "kokoro:af_bella",
    "kokoro:af_nicole",
    "kokoro:am_michael",
    "kokoro:am_fenrir",
    "kokoro:bf_emma",
    "kokoro:bm_george",
    "piper:en_US-joe-medium",
];
/// Voices also measured at these speeds.
const FAST_VOICES: &[&str] = &["kokoro:af_heart", "piper:en_US-joe-medium"];
const SPEEDS: &[f32] = &[1.5, 2.0];

/// The sentences, one a line, comments left out.
pub fn sentences(root: &Path) -> Result<Vec<String>> {
    let path = root.join("crates/speech/tests/fixtures/news-sentences.txt");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// One narration to transcribe: who read which sentence at what speed, into which file.
struct Narration {
    reader: String,
    speed: f32,
    sentence: usize,
    file: PathBuf,
}

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let voices: Vec<String> = match flag("--voices") {
        Some(list) => list.split(',').map(str::to_string).collect(),
        None => VOICES.iter().map(|v| (*v).to_string()).collect(),
    };
    let only_speeds: Option<Vec<f32>> = match flag("--speeds") {
        Some(list) => Some(
            list.split(',')
                .map(|s| s.trim_end_matches('x').parse::<f32>().with_context(|| format!("speed {s:?}")))
                .collect::<Result<_>>()?,
        ),
        None => None,
    };
    let transcribe = root.join("../shared/tools/transcribe");
    if !transcribe.exists() {
        bail!("{} is missing", transcribe.display());
    }
    let sentences = sentences(root)?;
    let dir = std::env::temp_dir().join(format!("lector-intelligibility-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut narrations = Vec::new();
    for voice in &voices {
        let speeds: Vec<f32> = match &only_speeds {
            Some(list) => list.clone(),
            None if FAST_VOICES.contains(&voice.as_str()) => [&[1.0], SPEEDS].concat(),
            None => vec![1.0],
        };
        for speed in speeds {
            eprintln!("narrating with {voice} at {speed}x");
            for (n, sentence) in sentences.iter().enumerate() {
                let article =
                    Article { body: vec![Block::paragraph(sentence.clone())], ..Article::default() };
                let script = build_script(&article, &ScriptOptions::default());
                let rendition = render(&script, voice, speed, |_, _| true)?;
                let file = dir.join(format!("{}-{speed}-{n}.wav", voice.replace([':', '#'], "_")));
                write_wav(&rendition, std::fs::File::create(&file)?)?;
                narrations.push(Narration { reader: format!("lector {voice}"), speed, sentence: n, file });
            }
        }
    }
    if !args.iter().any(|a| a == "--without-piper-tts") {
        match piper_tts(root, &dir, &sentences) {
            Ok(more) => narrations.extend(more),
            Err(e) => eprintln!("piper-tts left out: {e:#}"),
        }
    }
    eprintln!("transcribing {} narrations", narrations.len());
    let output = Command::new(&transcribe)
        .args(narrations.iter().map(|n| &n.file))
        .output()
        .context("running the transcribe tool")?;
    if !output.status.success() {
        bail!("transcribe failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let heard = |file: &Path| {
        let name = format!("{}\t", file.display());
        stdout.lines().find_map(|line| line.strip_prefix(&name)).unwrap_or("").to_string()
    };
    // (reader, speed) → (errors, words, seconds of speech), in the order first seen.
    let mut rows: Vec<(String, f32, usize, usize, f64)> = Vec::new();
    let verbose = args.iter().any(|a| a == "--verbose");
    for narration in &narrations {
        let expected = heard_words(&sentences[narration.sentence]);
        let transcript = heard(&narration.file);
        let errors = word_errors(&expected, &heard_words(&transcript));
        if verbose && errors > 0 {
            eprintln!(
                "{} {}x: {}\n    heard: {transcript}",
                narration.reader, narration.speed, sentences[narration.sentence]
            );
        }
        let seconds = speech_seconds(&narration.file)?;
        match rows.iter_mut().find(|r| r.0 == narration.reader && r.1 == narration.speed) {
            Some(row) => {
                row.2 += errors;
                row.3 += expected.len();
                row.4 += seconds;
            }
            None => rows.push((narration.reader.clone(), narration.speed, errors, expected.len(), seconds)),
        }
    }
    println!("| reader | speed | words | words a minute | errors | WER |");
    println!("|---|---|---|---|---|---|");
    for (reader, speed, errors, words, seconds) in rows {
        println!(
            "| {reader} | {speed}x | {words} | {:.0} | {errors} | {:.1} % |",
            words as f64 * 60.0 / seconds.max(1e-3),
            errors as f64 * 100.0 / words.max(1) as f64
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Seconds from the first to the last sound of a WAV file (silence at either end left out),
/// so that readers that pad differently are compared at the pace they speak.
fn speech_seconds(file: &Path) -> Result<f64> {
    let mut reader = hound::WavReader::open(file).with_context(|| format!("reading {}", file.display()))?;
    let spec = reader.spec();
    let samples: Vec<i32> = reader.samples::<i32>().collect::<Result<_, _>>()?;
    let peak = samples.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
    let loud = |s: &&i32| s.unsigned_abs() * 50 > peak;
    let first = samples.iter().position(|s| loud(&s)).unwrap_or(0);
    let last = samples.iter().rposition(|s| loud(&s)).unwrap_or(first);
    let frames = (last + 1 - first.min(last + 1)) / usize::from(spec.channels.max(1));
    Ok(frames as f64 / f64::from(spec.sample_rate.max(1)))
}

/// The `piper-tts` package (in `target/piper-tts-venv`, set up on first use) reading every
/// sentence with the same Piper voice, at 1×, 1.5× and 2× (its length scale).
fn piper_tts(root: &Path, dir: &Path, sentences: &[String]) -> Result<Vec<Narration>> {
    let venv = root.join("target/piper-tts-venv");
    let python = venv.join("bin/python");
    if !python.exists() || !Command::new(&python).args(["-c", "import piper"]).status()?.success() {
        eprintln!("setting up piper-tts in {}", venv.display());
        let made = Command::new("python3").arg("-m").arg("venv").arg(&venv).status()?;
        let installed = Command::new(venv.join("bin/pip")).args(["install", "-q", "piper-tts"]).status()?;
        if !made.success() || !installed.success() {
            bail!("could not install piper-tts");
        }
    }
    let model = lector_speech::voice::data_dir().join("voices/en_US-joe-medium.onnx");
    let list = dir.join("piper-tts-sentences.txt");
    std::fs::write(&list, sentences.join("\n"))?;
    let program = r#"
import sys, wave
from piper import PiperVoice, SynthesisConfig
voice = PiperVoice.load(sys.argv[1])
sentences = open(sys.argv[2]).read().split("\n")
for speed in (1.0, 1.5, 2.0):
    for n, sentence in enumerate(sentences):
        with wave.open(f"{sys.argv[3]}/piper-tts-{speed}-{n}.wav", "wb") as out:
            voice.synthesize_wav(sentence, out, syn_config=SynthesisConfig(length_scale=1.0 / speed))
"#;
    eprintln!("narrating with piper-tts");
    let status = Command::new(&python)
        .args(["-c", program, &model.to_string_lossy(), &list.to_string_lossy(), &dir.to_string_lossy()])
        .status()
        .context("running piper-tts")?;
    if !status.success() {
        bail!("piper-tts failed");
    }
    let mut narrations = Vec::new();
    for speed in [1.0f32, 1.5, 2.0] {
        for n in 0..sentences.len() {
            narrations.push(Narration {
                reader: "piper-tts (Python), piper:en_US-joe-medium".into(),
                speed,
                sentence: n,
                file: dir.join(format!("piper-tts-{speed:?}-{n}.wav")),
            });
        }
    }
    Ok(narrations)
}
