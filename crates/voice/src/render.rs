//! A script spoken utterance by utterance, with pauses, and the timing of each utterance.

use std::io::Write;

use lector_speech::{Location, Script};
use serde::Serialize;

use crate::{MAX_SPEED, MIN_SPEED, SynthesisError, espeak, espeak_name, piper};

/// Where one utterance sits in the audio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timing {
    pub start_ms: u32,
    pub end_ms: u32,
    pub location: Location,
    pub text: String,
}

/// A script's audio (mono PCM) and its timings.
#[derive(Debug, Clone, Default)]
pub struct Rendition {
    pub samples: Vec<i16>,
    pub sample_rate: u32,
    pub timings: Vec<Timing>,
}

impl Rendition {
    pub fn duration_ms(&self) -> u32 {
        samples_to_ms(self.samples.len(), self.sample_rate)
    }
}

fn samples_to_ms(samples: usize, rate: u32) -> u32 {
    if rate == 0 { 0 } else { u32::try_from(samples as u64 * 1000 / u64::from(rate)).unwrap_or(u32::MAX) }
}

/// Speaks every utterance of `script` with `voice` at `speed`, calling `progress(done, total)`
/// after each; stops with an error as soon as `progress` returns false.
pub fn render(
    script: &Script,
    voice: &str,
    speed: f32,
    mut progress: impl FnMut(usize, usize) -> bool,
) -> Result<Rendition, SynthesisError> {
    if !(MIN_SPEED..=MAX_SPEED).contains(&speed) {
        return Err(SynthesisError::Speed(speed.to_string()));
    }
    let piper_voice = if voice.starts_with("piper:") { Some(piper::voice(voice)?) } else { None };
    let espeak_voice = espeak_name(voice);
    if piper_voice.is_none() && espeak_voice.is_none() {
        return Err(SynthesisError::UnknownVoice(voice.to_string()));
    }
    let mut rendition = Rendition::default();
    let total = script.utterances.len();
    for (done, utterance) in script.utterances.iter().enumerate() {
        let text = utterance.spoken.text();
        let speech = match (&piper_voice, espeak_voice) {
            (Some(piper), _) => piper.speak(&text, speed)?,
            (None, Some(name)) => espeak::speak(&text, name, speed)?,
            (None, None) => return Err(SynthesisError::UnknownVoice(voice.to_string())),
        };
        rendition.sample_rate = speech.sample_rate;
        let start_ms = rendition.duration_ms();
        rendition.samples.extend_from_slice(&speech.samples);
        let end_ms = rendition.duration_ms();
        let pause =
            (f64::from(utterance.pause_ms) / f64::from(speed)) as u64 * u64::from(speech.sample_rate) / 1000;
        rendition.samples.extend(std::iter::repeat_n(0, usize::try_from(pause).unwrap_or(0)));
        rendition.timings.push(Timing {
            start_ms,
            end_ms,
            location: utterance.location.clone(),
            text: utterance.text.clone(),
        });
        if !progress(done + 1, total) {
            return Err(SynthesisError::Engine("interrupted".into()));
        }
    }
    crate::loudness::normalize_loudness(&mut rendition.samples, rendition.sample_rate);
    Ok(rendition)
}

/// Writes 16-bit mono PCM WAV.
pub fn write_wav(rendition: &Rendition, out: impl Write + std::io::Seek) -> Result<(), hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rendition.sample_rate.max(1),
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::new(out, spec)?;
    for &sample in &rendition.samples {
        writer.write_sample(sample)?;
    }
    writer.finalize()
}

/// Why an MP3 could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Mp3Error {
    #[error("MP3 encoder: {0}")]
    Encoder(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Writes MP3 (LAME, 64 kbit/s mono: plenty for speech).
pub fn write_mp3(rendition: &Rendition, mut out: impl Write) -> Result<(), Mp3Error> {
    use mp3lame_encoder::{Bitrate, Builder, FlushNoGap, MonoPcm, Quality};
    let fail = |e: &dyn std::fmt::Display| Mp3Error::Encoder(e.to_string());
    let mut builder = Builder::new().ok_or_else(|| Mp3Error::Encoder("LAME could not start".into()))?;
    builder.set_num_channels(1).map_err(|e| fail(&e))?;
    builder.set_sample_rate(rendition.sample_rate.max(8000)).map_err(|e| fail(&e))?;
    builder.set_brate(Bitrate::Kbps64).map_err(|e| fail(&e))?;
    builder.set_quality(Quality::Good).map_err(|e| fail(&e))?;
    let mut encoder = builder.build().map_err(|e| fail(&e))?;
    let mut bytes = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(rendition.samples.len()));
    // In slices, so that a long article never needs one huge buffer at once.
    for chunk in rendition.samples.chunks(1 << 16) {
        encoder.encode_to_vec(MonoPcm(chunk), &mut bytes).map_err(|e| fail(&e))?;
        out.write_all(&bytes)?;
        bytes.clear();
    }
    encoder.flush_to_vec::<FlushNoGap>(&mut bytes).map_err(|e| fail(&e))?;
    out.write_all(&bytes)?;
    Ok(())
}

/// Timings as JSON: `[{ "start_ms", "end_ms", "location": {...}, "text" }]`.
pub fn timings_json(rendition: &Rendition) -> String {
    serde_json::to_string_pretty(&rendition.timings).unwrap_or_else(|_| "[]".into())
}

/// Timings as a WebVTT transcript: one cue per utterance.
pub fn timings_vtt(rendition: &Rendition) -> String {
    let mut out = String::from("WEBVTT\n");
    for (i, timing) in rendition.timings.iter().enumerate() {
        out.push_str(&format!(
            "\n{}\n{} --> {}\n{}\n",
            i + 1,
            vtt_time(timing.start_ms),
            vtt_time(timing.end_ms),
            timing.text.replace("-->", "→").replace('\n', " ")
        ));
    }
    out
}

fn vtt_time(ms: u32) -> String {
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::vtt_time;

    #[test]
    fn vtt_times() {
        assert_eq!(vtt_time(0), "00:00:00.000");
        assert_eq!(vtt_time(61_234), "00:01:01.234");
        assert_eq!(vtt_time(3_723_004), "01:02:03.004");
    }
}
