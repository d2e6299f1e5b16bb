//! `lector speak` and `lector voices`: an article or text spoken to an audio file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use lector_speech::voice::{
    MAX_SPEED, MIN_SPEED, data_dir, default_voice_for, measured_wpm, render, stored_wpm, timings_json,
    timings_vtt, voices, write_mp3, write_opus, write_wav,
};
use lector_speech::{ScriptOptions, build_script};

use crate::BadInput;
use crate::extract::read_article;
use crate::input::Limits;
use crate::say_as::load_lexicon;

#[derive(Debug, Args)]
pub struct SpeakArgs {
    /// Article JSON (from `lector extract`), an HTML file or URL, plain text, or `-`.
    input: String,
    /// The voice (see `lector voices`); the default is the best installed voice for the
    /// text's language (Kokoro `af_heart` for English once the set-up has run).
    #[arg(long)]
    voice: Option<String>,
    /// Speed as a multiple of the voice's natural pace, 0.5 to 3.
    #[arg(long, default_value_t = 1.0)]
    speed: f32,
    /// The audio file to write (.wav, .mp3 or .opus).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Also write the timing of every utterance (.json or .vtt).
    #[arg(long, value_name = "FILE")]
    timings: Option<PathBuf>,
    /// A pronunciation lexicon (TOML).
    #[arg(long, value_name = "FILE")]
    lexicon: Option<PathBuf>,
    /// Read image captions too.
    #[arg(long)]
    captions: bool,
    /// Read tables row by row (otherwise a table is named by its caption and not read).
    #[arg(long)]
    read_tables: bool,
}

#[derive(Debug, Args)]
pub struct VoicesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    action: Option<VoicesAction>,
}

#[derive(Debug, clap::Subcommand)]
enum VoicesAction {
    /// Install a Piper voice: a `.onnx` model with its `.onnx.json` beside it.
    Add {
        /// The model file.
        model: PathBuf,
    },
}

pub fn list(args: &VoicesArgs) -> Result<()> {
    if let Some(VoicesAction::Add { model }) = &args.action {
        return add(model);
    }
    let voices = voices()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&voices)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<28} {:<10} {:<8} {:<11} {:<7} {:>6} {:>5}  name",
        "id", "language", "gender", "engine", "quality", "rate", "wpm"
    )?;
    for v in voices {
        let gender = serde_json::to_value(v.gender)?.as_str().unwrap_or("").to_string();
        let quality = serde_json::to_value(v.quality)?.as_str().unwrap_or("").to_string();
        // The pace shows once measured (`lector speak` measures the voice it uses).
        let wpm = stored_wpm(&v.id).map_or_else(|| "-".to_string(), |w| format!("{w:.0}"));
        writeln!(
            out,
            "{:<28} {:<10} {:<8} {:<11} {:<7} {:>6} {:>5}  {}",
            v.id, v.language, gender, v.engine, quality, v.sample_rate, wpm, v.name
        )?;
    }
    Ok(())
}

pub fn run(args: &SpeakArgs) -> Result<()> {
    // Ctrl-C, from the start, stops after the current utterance; no partial file is left behind.
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupted);
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    if !(MIN_SPEED..=MAX_SPEED).contains(&args.speed) {
        return Err(BadInput(format!("--speed {} is outside {MIN_SPEED} to {MAX_SPEED}", args.speed)).into());
    }
    let format = extension(&args.output);
    if !matches!(format.as_str(), "wav" | "mp3" | "opus") {
        return Err(
            BadInput(format!("{}: audio is written as .wav, .mp3 or .opus", args.output.display())).into()
        );
    }
    if let Some(timings) = &args.timings
        && !matches!(extension(timings).as_str(), "json" | "vtt")
    {
        return Err(BadInput(format!("{}: timings are written as .json or .vtt", timings.display())).into());
    }
    if let Some(voice) = &args.voice
        && !voices()?.iter().any(|v| &v.id == voice)
    {
        return Err(BadInput(format!("no voice {voice:?} (see `lector voices`)")).into());
    }
    let lexicon = match &args.lexicon {
        Some(path) => load_lexicon(path)?,
        None => lector_speech::Lexicon::default(),
    };
    let limits = Limits { max_bytes: 10 * 1024 * 1024, timeout: std::time::Duration::from_secs(10) };
    let article = read_article(&args.input, None, false, true, limits)?;
    // Without --voice, the best voice for the article's language.
    let voice =
        args.voice.clone().unwrap_or_else(|| default_voice_for(article.language.as_deref().unwrap_or("")));
    let script = build_script(
        &article,
        &ScriptOptions {
            include_captions: args.captions,
            read_tables: args.read_tables,
            lexicon,
            ..ScriptOptions::default()
        },
    );
    if script.utterances.is_empty() {
        return Err(BadInput(format!("{}: nothing to say", args.input)).into());
    }

    let progress = ProgressBar::new(script.utterances.len() as u64);
    progress.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} sentences {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let rendition = render(&script, &voice, args.speed, |done, _| {
        progress.set_position(done as u64);
        !interrupted.load(Ordering::SeqCst)
    });
    progress.finish_and_clear();
    if interrupted.load(Ordering::SeqCst) {
        return Err(BadInput("interrupted; nothing was written".into()).into());
    }
    let rendition = rendition?;

    write_atomically(&args.output, |file| {
        let mut buffered = std::io::BufWriter::new(file);
        match format.as_str() {
            "mp3" => write_mp3(&rendition, &mut buffered).map_err(std::io::Error::other)?,
            "opus" => write_opus(&rendition, &mut buffered).map_err(std::io::Error::other)?,
            _ => write_wav(&rendition, &mut buffered).map_err(std::io::Error::other)?,
        }
        buffered.flush()
    })?;
    if let Some(path) = &args.timings {
        let text = if extension(path) == "vtt" { timings_vtt(&rendition) } else { timings_json(&rendition) };
        write_atomically(path, |file| file.write_all(text.as_bytes()))?;
    }
    let wpm = measured_wpm(&voice).map(|w| w * f64::from(args.speed)).unwrap_or(0.0);
    eprintln!(
        "lector: {} sentence{}, {:.1} s of audio at {}x · {wpm:.0} WPM, written to {}",
        script.utterances.len(),
        if script.utterances.len() == 1 { "" } else { "s" },
        f64::from(rendition.duration_ms()) / 1000.0,
        args.speed,
        args.output.display()
    );
    Ok(())
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// Writes to a temporary file beside `path`, then renames it: never a half-written file.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.partial"));
    let result = std::fs::File::create(&temporary)
        .and_then(|mut file| write(&mut file).and_then(|()| file.sync_all()))
        .and_then(|()| std::fs::rename(&temporary, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.with_context(|| format!("writing {}", path.display()))
}

/// Copies a Piper voice into the data directory, after checking that it loads and speaks.
fn add(model: &Path) -> Result<()> {
    let config = model.with_extension("onnx.json");
    if extension(model) != "onnx" || !model.is_file() || !config.is_file() {
        return Err(BadInput(format!(
            "{}: a Piper voice is a .onnx file with its .onnx.json beside it",
            model.display()
        ))
        .into());
    }
    let voice = lector_speech::voice::piper::PiperVoice::load(model)
        .map_err(|e| BadInput(format!("{}: {e}", model.display())))?;
    voice.speak("Hello.", 1.0).map_err(|e| BadInput(format!("{}: {e}", model.display())))?;
    let dir = data_dir().join("voices");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let name = model.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    for (source, target) in
        [(config.clone(), dir.join(format!("{name}.json"))), (model.to_path_buf(), dir.join(&name))]
    {
        write_atomically(&target, |file| {
            std::io::copy(&mut std::fs::File::open(&source)?, file).map(|_| ())
        })?;
    }
    let stem = name.trim_end_matches(".onnx");
    let speakers = lector_speech::voice::piper::speakers(&voice.config);
    if speakers.is_empty() {
        eprintln!("lector: installed piper:{stem}");
    }
    for (speaker, _) in speakers {
        eprintln!("lector: installed piper:{stem}#{speaker}");
    }
    Ok(())
}
