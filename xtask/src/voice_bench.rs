//! The voice benchmark: real-time factor, time to first audio and peak memory for each
//! engine (Kokoro, Piper, eSpeak NG) on a 700-word news article, with the `piper-tts` Python
//! package and the same Piper voice measured in the same run.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use lector_speech::{ScriptOptions, build_script};

use crate::bench::{news_article, proc_status_kib};

/// Words in the benchmark article.
const WORDS: usize = 700;

/// What one engine achieved on the article.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Figures {
    engine: String,
    load_s: f64,
    first_audio_s: f64,
    total_s: f64,
    audio_s: f64,
    peak_kib: u64,
}

pub fn run(dir: &Path, args: &[String]) -> Result<()> {
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    if let Some(engine) = flag("--engine") {
        let figures = measure(dir, &engine)?;
        println!("{}", serde_json::to_string(&figures)?);
        return Ok(());
    }
    let exe = std::env::current_exe()?;
    let mut results = Vec::new();
    for engine in ["kokoro:af_heart", "piper:en_US-joe-medium", "espeak:en-us"] {
        let output = Command::new(&exe).args(["bench", "voices", "--engine", engine]).output()?;
        if !output.status.success() {
            bail!("{engine}: {}", String::from_utf8_lossy(&output.stderr));
        }
        results.push(serde_json::from_slice::<Figures>(&output.stdout).context("figures")?);
    }
    match flag("--piper-python") {
        Some(python) => results.push(piper_tts(dir, &python)?),
        None => eprintln!("(give --piper-python PATH to measure the piper-tts package too)"),
    }
    println!(
        "| engine | load (s) | first audio (s) | synthesis (s) | audio (s) | real-time factor | peak RSS (MiB) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for f in &results {
        println!(
            "| {} | {:.2} | {:.3} | {:.2} | {:.1} | {:.3} | {:.0} |",
            f.engine,
            f.load_s,
            f.first_audio_s,
            f.total_s,
            f.audio_s,
            f.total_s / f.audio_s.max(1e-9),
            f.peak_kib as f64 / 1024.0
        );
    }
    Ok(())
}

/// One engine in this process: load, then speak the whole script.
fn measure(dir: &Path, voice: &str) -> Result<Figures> {
    let article = news_article(dir, WORDS)?;
    let script = build_script(&article, &ScriptOptions::default());
    let started = Instant::now();
    if voice.starts_with("piper:") {
        lector_speech::voice::piper::voice(voice)?.length_scale_for(1.0)?;
    } else if voice.starts_with("kokoro:") {
        // Loading includes the first, short inference (ONNX Runtime prepares its kernels then).
        lector_speech::voice::kokoro::KokoroVoice::by_id(voice)?.speak("Ready.", 1.0)?;
    } else {
        lector_speech::voice::espeak::speak("Ready.", "en-us", 1.0)?;
    }
    let load_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut first_audio_s = 0.0;
    let rendition = lector_speech::voice::render(&script, voice, 1.0, |done, _| {
        if done == 1 {
            first_audio_s = started.elapsed().as_secs_f64();
        }
        true
    })?;
    let total_s = started.elapsed().as_secs_f64();
    Ok(Figures {
        engine: format!("lector {voice}"),
        load_s,
        first_audio_s,
        total_s,
        audio_s: f64::from(rendition.duration_ms()) / 1000.0,
        peak_kib: proc_status_kib("VmHWM:").unwrap_or(0),
    })
}

/// The `piper-tts` package with the same voice and the same text, sentence by sentence.
fn piper_tts(dir: &Path, python: &str) -> Result<Figures> {
    let article = news_article(dir, WORDS)?;
    let text: Vec<String> = article.body.iter().map(lector_article::Block::text).collect();
    let text_path = std::env::temp_dir().join("lector-voice-bench.txt");
    std::fs::write(&text_path, text.join("\n"))?;
    let model = lector_speech::voice::data_dir().join("voices/en_US-joe-medium.onnx");
    let program = r#"
import json, resource, sys, time
from piper import PiperVoice
started = time.perf_counter()
voice = PiperVoice.load(sys.argv[1])
load = time.perf_counter() - started
text = open(sys.argv[2]).read()
started = time.perf_counter()
first, samples, rate = None, 0, voice.config.sample_rate
for chunk in voice.synthesize(text):
    if first is None:
        first = time.perf_counter() - started
    samples += len(chunk.audio_int16_bytes) // 2
total = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"engine": "piper-tts (Python)", "load_s": load, "first_audio_s": first or 0.0,
                  "total_s": total, "audio_s": samples / rate, "peak_kib": peak}))
"#;
    let output = Command::new(python)
        .args(["-c", program, &model.to_string_lossy(), &text_path.to_string_lossy()])
        .output()
        .context("running piper-tts")?;
    if !output.status.success() {
        bail!("piper-tts: {}", String::from_utf8_lossy(&output.stderr));
    }
    let line = String::from_utf8_lossy(&output.stdout);
    Ok(serde_json::from_str(line.lines().last().unwrap_or("{}"))?)
}
