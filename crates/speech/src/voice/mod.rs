//! Voices: speaking a narration script as audio, with the timing of every utterance.
//!
//! Engines: eSpeak NG (basic voices, every language), Piper (neural) and Kokoro (neural, the
//! most natural). [`render`] speaks a
//! [`Script`](crate::Script) utterance by utterance with its pauses and records where
//! each utterance starts and ends; [`write_wav`], [`timings_json`] and [`timings_vtt`] write
//! the results.

mod engine;
pub mod espeak;
pub mod kokoro;
pub mod loudness;
mod opus;
mod pace;
pub mod piper;
mod registry;
mod render;
mod stretch;
mod words;

pub use engine::{Engine, EspeakEngine, engine};
pub use opus::{OPUS_RATE, OpusError, OpusStream, resample, write_opus};
pub use pace::{measured_wpm, stored_wpm};
pub use registry::{
    BEST_VOICES, best_voices_by_language, default_voice, default_voice_for, espeak_name, primary_language,
    voices,
};
pub use render::{
    Chunk, Mp3Error, Mp3Stream, OUTPUT_RATE, Rendition, Spoken, Timing, render, render_reusing, stream,
    stream_reusing, timings_json, timings_vtt, vtt, write_mp3, write_wav,
};
pub use stretch::time_stretch;
pub use words::{WordTiming, word_timings};

/// Slowest and fastest speeds, as multiples of a voice's natural pace.
pub const MIN_SPEED: f32 = 0.5;
pub const MAX_SPEED: f32 = 3.0;

/// An installed voice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Voice {
    /// Stable id: `espeak:<language>` for eSpeak voices.
    pub id: String,
    pub name: String,
    /// BCP 47-like language tag as the engine names it ("en-us").
    pub language: String,
    pub gender: Gender,
    pub quality: Quality,
    pub engine: String,
    pub sample_rate: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

/// Neural voices sound natural (Kokoro's most of all); basic ones (eSpeak) are fast and
/// always there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Quality {
    #[serde(rename = "neural-hd")]
    NeuralHd,
    Neural,
    Basic,
}

/// Why speech could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynthesisError {
    #[error("no voice named {0:?} (see `lector voices`)")]
    UnknownVoice(String),
    #[error("speed {0} is outside {MIN_SPEED} to {MAX_SPEED}")]
    Speed(String),
    #[error("text longer than {limit} bytes in one utterance")]
    TooLong { limit: usize },
    #[error("speech engine: {0}")]
    Engine(String),
}

static DATA_DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Makes `dir` the data directory for the rest of the process (the server's `--data-dir`);
/// false when one was set already.
pub fn use_data_dir(dir: &std::path::Path) -> bool {
    DATA_DIR.set(dir.to_path_buf()).is_ok()
}

/// Where lector keeps its voices and runtime: the directory given to [`use_data_dir`], else
/// `LECTOR_DATA_DIR`, else `$XDG_DATA_HOME/lector`, else `~/.local/share/lector`.
pub fn data_dir() -> std::path::PathBuf {
    if let Some(dir) = DATA_DIR.get() {
        return dir.clone();
    }
    if let Some(dir) = std::env::var_os("LECTOR_DATA_DIR") {
        return dir.into();
    }
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return std::path::PathBuf::from(dir).join("lector");
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| ".".into());
    std::path::PathBuf::from(home).join(".local/share/lector")
}

/// The user's own data directory, whatever the process was told: `$XDG_DATA_HOME/lector`, else
/// `~/.local/share/lector` (where `scripts/setup` installs voices unless told otherwise).
pub fn user_data_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return std::path::PathBuf::from(dir).join("lector");
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| ".".into());
    std::path::PathBuf::from(home).join(".local/share/lector")
}

/// Folders installed voices and ONNX Runtime are looked for in, in order: the data directory,
/// the user's own data directory, then the system's (`/usr/local/share/lector`,
/// `/usr/share/lector`). A server given `--data-dir` elsewhere still finds what the set-up
/// installed.
pub fn search_path() -> Vec<std::path::PathBuf> {
    search_path_from(data_dir(), user_data_dir())
}

fn search_path_from(data: std::path::PathBuf, user: std::path::PathBuf) -> Vec<std::path::PathBuf> {
    let mut path = vec![data, user];
    path.extend(["/usr/local/share/lector", "/usr/share/lector"].map(std::path::PathBuf::from));
    let mut seen = Vec::new();
    path.retain(|dir| {
        let new = !seen.contains(dir);
        seen.push(dir.clone());
        new
    });
    path
}

/// `relative` in the first folder of the search path that holds it, else in the data directory.
pub fn installed_path(relative: &str) -> std::path::PathBuf {
    first_holding(&search_path(), relative).unwrap_or_else(|| data_dir().join(relative))
}

fn first_holding(path: &[std::path::PathBuf], relative: &str) -> Option<std::path::PathBuf> {
    path.iter().map(|dir| dir.join(relative)).find(|candidate| candidate.exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_files_are_found_along_the_search_path() {
        let root = std::env::temp_dir().join(format!("lector-search-path-{}", std::process::id()));
        let (data, user) = (root.join("data"), root.join("user"));
        std::fs::create_dir_all(user.join("voices/kokoro")).expect("dirs");
        std::fs::create_dir_all(data.join("onnxruntime")).expect("dirs");
        std::fs::write(user.join("voices/kokoro/kokoro-v1.0.onnx"), b"model").expect("write");
        let path = search_path_from(data.clone(), user.clone());
        assert_eq!(&path[..2], [data.clone(), user.clone()]);
        assert_eq!(search_path_from(user.clone(), user.clone()).iter().filter(|d| **d == user).count(), 1);
        // What the data directory lacks comes from the user's; what it has wins.
        assert_eq!(
            first_holding(&path, "voices/kokoro/kokoro-v1.0.onnx"),
            Some(user.join("voices/kokoro/kokoro-v1.0.onnx"))
        );
        std::fs::create_dir_all(user.join("onnxruntime")).expect("dirs");
        assert_eq!(first_holding(&path, "onnxruntime"), Some(data.join("onnxruntime")));
        assert_eq!(first_holding(&path, "voices/missing.onnx"), None);
        let _ = std::fs::remove_dir_all(&root);
    }
}
