//! The synthesis engine trait and its engines: eSpeak NG, Piper and Kokoro voices.

use std::sync::Arc;

use crate::voice::espeak::{self, Speech};
use crate::voice::{SynthesisError, espeak_name, kokoro, piper};

/// A voice that turns text into mono PCM at some speed.
pub trait Engine {
    /// Speaks `text` at `speed` × the voice's natural pace, pitch unchanged.
    fn speak(&self, text: &str, speed: f32) -> Result<Speech, SynthesisError>;
}

/// An eSpeak NG voice, by its eSpeak name ("en-us+f3").
#[derive(Debug, Clone)]
pub struct EspeakEngine {
    pub name: String,
}

impl Engine for EspeakEngine {
    fn speak(&self, text: &str, speed: f32) -> Result<Speech, SynthesisError> {
        espeak::speak(text, &self.name, speed)
    }
}

impl Engine for piper::PiperVoice {
    fn speak(&self, text: &str, speed: f32) -> Result<Speech, SynthesisError> {
        piper::PiperVoice::speak(self, text, speed)
    }
}

impl Engine for piper::PiperSpeaker {
    fn speak(&self, text: &str, speed: f32) -> Result<Speech, SynthesisError> {
        piper::PiperSpeaker::speak(self, text, speed)
    }
}

impl Engine for kokoro::KokoroVoice {
    fn speak(&self, text: &str, speed: f32) -> Result<Speech, SynthesisError> {
        kokoro::KokoroVoice::speak(self, text, speed)
    }
}

impl<E: Engine + ?Sized> Engine for Arc<E> {
    fn speak(&self, text: &str, speed: f32) -> Result<Speech, SynthesisError> {
        (**self).speak(text, speed)
    }
}

/// The engine behind a voice id: `kokoro:NAME`, `piper:NAME`, `piper:NAME#SPEAKER` or
/// `espeak:NAME`.
pub fn engine(voice: &str) -> Result<Box<dyn Engine>, SynthesisError> {
    if voice.starts_with("kokoro:") {
        return Ok(Box::new(kokoro::KokoroVoice::by_id(voice)?));
    }
    if voice.starts_with("piper:") {
        return Ok(Box::new(piper::PiperSpeaker::by_id(voice)?));
    }
    match espeak_name(voice) {
        Some(name) => Ok(Box::new(EspeakEngine { name: name.to_string() })),
        None => Err(SynthesisError::UnknownVoice(voice.to_string())),
    }
}
