//! A script spoken utterance by utterance, with pauses, and the timing of each utterance.

use std::io::Write;

use crate::{Location, Script};
use serde::Serialize;

use crate::voice::words::{WordTiming, word_timings};
use crate::voice::{MAX_SPEED, MIN_SPEED, SynthesisError};

/// Longest text given to an engine at once, in characters; longer utterances are split.
const MAX_PIECE_CHARS: usize = 600;

/// `text` in pieces of at most `max` characters, split after a comma or at a space where it
/// can be (a single longer word is cut).
fn pieces(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > max {
        let limit = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let head = &rest[..limit];
        let cut =
            head.rfind(", ").map(|i| i + 1).or_else(|| head.rfind(' ')).filter(|&i| i > 0).unwrap_or(limit);
        out.push(rest[..cut].trim());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// The sample rate of every rendition: enough for speech, and one of Opus's own rates.
pub const OUTPUT_RATE: u32 = 24_000;

/// Where one utterance sits in the audio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Timing {
    pub start_ms: u32,
    pub end_ms: u32,
    pub location: Location,
    pub text: String,
    /// Each written word of `text` with when it is spoken, for engines that time words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<WordTiming>,
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

/// One utterance's speech as the engine made it, before its pause: what a narration of a new
/// revision can reuse for an utterance whose spoken text, voice and speed are the same.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spoken {
    /// Mono PCM at [`OUTPUT_RATE`].
    pub samples: Vec<i16>,
    /// (byte offset in the spoken text, ms into the utterance) of each word the engine timed.
    pub words: Vec<(usize, u32)>,
}

/// One utterance's audio (its pause included) as it becomes ready, with its timing.
#[derive(Debug, Clone)]
pub struct Chunk {
    pub samples: Vec<i16>,
    pub sample_rate: u32,
    pub timing: Timing,
}

/// Speaks the script utterance by utterance, handing each one's audio to `on_chunk` as soon
/// as it is ready (the first audio long before the last sentence is synthesized). Stops
/// with an error when `on_chunk` returns false. Timings count from the first chunk; the audio
/// is as the engine made it (see [`render`] for loudness-normalized audio).
pub fn stream(
    script: &Script,
    voice: &str,
    speed: f32,
    mut on_chunk: impl FnMut(Chunk) -> bool,
) -> Result<(), SynthesisError> {
    stream_reusing(script, voice, speed, |_, _| None, |chunk, _| on_chunk(chunk))
}

/// [`stream`], reusing the speech `known(index, spoken text)` gives for an utterance instead of
/// synthesizing it again; `on_chunk` gets, beside each chunk, the speech it newly synthesized
/// (none when it was reused), for the caller to keep.
pub fn stream_reusing(
    script: &Script,
    voice: &str,
    speed: f32,
    known: impl Fn(usize, &str) -> Option<Spoken>,
    mut on_chunk: impl FnMut(Chunk, Option<&Spoken>) -> bool,
) -> Result<(), SynthesisError> {
    if !(MIN_SPEED..=MAX_SPEED).contains(&speed) {
        return Err(SynthesisError::Speed(speed.to_string()));
    }
    let engine = crate::voice::engine::engine(voice)?;
    let rate = OUTPUT_RATE;
    let mut elapsed_samples = 0usize;
    for (index, utterance) in script.utterances.iter().enumerate() {
        let spoken = utterance.spoken.text();
        let (speech, new) = match known(index, &spoken) {
            Some(speech) => (speech, false),
            None => {
                // A run-on "sentence" is spoken in pieces, so that no engine gets an unbounded input.
                let mut made = Spoken::default();
                for piece in pieces(&spoken, MAX_PIECE_CHARS) {
                    let speech = engine.speak(piece, speed)?;
                    let offset = piece.as_ptr() as usize - spoken.as_ptr() as usize;
                    let piece_ms = samples_to_ms(made.samples.len(), rate);
                    made.words.extend(speech.words.iter().map(|&(at, ms)| (offset + at, piece_ms + ms)));
                    // Every voice comes out at one rate, whatever its model's own.
                    made.samples.extend(crate::voice::resample(&speech.samples, speech.sample_rate, rate));
                }
                (made, true)
            }
        };
        let Spoken { samples: speech_samples, words: spoken_words } = &speech;
        let mut samples = speech_samples.clone();
        let start_ms = samples_to_ms(elapsed_samples, rate);
        let end_ms = samples_to_ms(elapsed_samples + samples.len(), rate);
        let words = word_timings(
            &utterance.text,
            utterance.location.range.start,
            &spoken,
            spoken_words,
            start_ms,
            end_ms,
        );
        let pause = (f64::from(utterance.pause_ms) / f64::from(speed)) as u64 * u64::from(rate) / 1000;
        samples.extend(std::iter::repeat_n(0, usize::try_from(pause).unwrap_or(0)));
        elapsed_samples += samples.len();
        let timing = Timing {
            start_ms,
            end_ms,
            location: utterance.location.clone(),
            text: utterance.text.clone(),
            words,
        };
        if !on_chunk(Chunk { samples, sample_rate: rate, timing }, new.then_some(&speech)) {
            return Err(SynthesisError::Engine("interrupted".into()));
        }
    }
    Ok(())
}

/// Speaks every utterance of `script` with `voice` at `speed`, calling `progress(done, total)`
/// after each; stops with an error as soon as `progress` returns false. The audio is
/// loudness-normalized.
pub fn render(
    script: &Script,
    voice: &str,
    speed: f32,
    progress: impl FnMut(usize, usize) -> bool,
) -> Result<Rendition, SynthesisError> {
    render_keeping(script, voice, speed, |_, _| None, false, progress).map(|(rendition, _)| rendition)
}

/// [`render`], reusing the speech `known` gives for an utterance (see [`stream_reusing`]);
/// returns the rendition and the speech it newly synthesized, by utterance index.
pub fn render_reusing(
    script: &Script,
    voice: &str,
    speed: f32,
    known: impl Fn(usize, &str) -> Option<Spoken>,
    progress: impl FnMut(usize, usize) -> bool,
) -> Result<(Rendition, Vec<(usize, Spoken)>), SynthesisError> {
    render_keeping(script, voice, speed, known, true, progress)
}

/// The rendition, and (when `keep`) a copy of each utterance's newly synthesized speech.
fn render_keeping(
    script: &Script,
    voice: &str,
    speed: f32,
    known: impl Fn(usize, &str) -> Option<Spoken>,
    keep: bool,
    mut progress: impl FnMut(usize, usize) -> bool,
) -> Result<(Rendition, Vec<(usize, Spoken)>), SynthesisError> {
    let mut rendition = Rendition::default();
    let mut made = Vec::new();
    let total = script.utterances.len();
    stream_reusing(script, voice, speed, known, |chunk, new| {
        if let Some(speech) = new.filter(|_| keep) {
            made.push((rendition.timings.len(), speech.clone()));
        }
        rendition.sample_rate = chunk.sample_rate;
        rendition.samples.extend_from_slice(&chunk.samples);
        rendition.timings.push(chunk.timing);
        progress(rendition.timings.len(), total)
    })?;
    crate::voice::loudness::normalize_loudness(&mut rendition.samples, rendition.sample_rate);
    Ok((rendition, made))
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
    let mut encoder = Mp3Stream::new(rendition.sample_rate)?;
    // In slices, so that a long article never needs one huge buffer at once.
    for chunk in rendition.samples.chunks(1 << 16) {
        out.write_all(&encoder.push(chunk)?)?;
    }
    out.write_all(&encoder.finish()?)?;
    Ok(())
}

/// An MP3 encoder fed audio as it is synthesized: each push returns the bytes ready so far.
#[allow(missing_debug_implementations)]
pub struct Mp3Stream {
    encoder: mp3lame_encoder::Encoder,
}

impl Mp3Stream {
    pub fn new(sample_rate: u32) -> Result<Mp3Stream, Mp3Error> {
        use mp3lame_encoder::{Bitrate, Builder, Quality};
        let fail = |e: &dyn std::fmt::Display| Mp3Error::Encoder(e.to_string());
        let mut builder = Builder::new().ok_or_else(|| Mp3Error::Encoder("LAME could not start".into()))?;
        builder.set_num_channels(1).map_err(|e| fail(&e))?;
        builder.set_sample_rate(sample_rate.max(8000)).map_err(|e| fail(&e))?;
        builder.set_brate(Bitrate::Kbps64).map_err(|e| fail(&e))?;
        builder.set_quality(Quality::Good).map_err(|e| fail(&e))?;
        Ok(Mp3Stream { encoder: builder.build().map_err(|e| fail(&e))? })
    }

    /// Encodes more samples; returns the MP3 bytes now ready (possibly none).
    pub fn push(&mut self, samples: &[i16]) -> Result<Vec<u8>, Mp3Error> {
        let mut bytes = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(samples.len()));
        self.encoder
            .encode_to_vec(mp3lame_encoder::MonoPcm(samples), &mut bytes)
            .map_err(|e| Mp3Error::Encoder(e.to_string()))?;
        Ok(bytes)
    }

    /// The last bytes, after the last samples.
    pub fn finish(mut self) -> Result<Vec<u8>, Mp3Error> {
        let mut bytes = Vec::with_capacity(8192);
        self.encoder
            .flush_to_vec::<mp3lame_encoder::FlushNoGap>(&mut bytes)
            .map_err(|e| Mp3Error::Encoder(e.to_string()))?;
        Ok(bytes)
    }
}

/// Timings as JSON: `[{ "start_ms", "end_ms", "location": {...}, "text", "words": [{ "start_ms",
/// "end_ms", "start", "end" }] }]` (`words` where the engine timed them).
pub fn timings_json(rendition: &Rendition) -> String {
    serde_json::to_string_pretty(&rendition.timings).unwrap_or_else(|_| "[]".into())
}

/// Timings as a WebVTT transcript: one cue per utterance.
pub fn timings_vtt(rendition: &Rendition) -> String {
    vtt(&rendition.timings)
}

/// WebVTT for a list of timings (as read back from [`timings_json`]): one cue per utterance,
/// with a timestamp tag before each word that has a time of its own (WebVTT's karaoke form).
pub fn vtt(timings: &[Timing]) -> String {
    let mut out = String::from("WEBVTT\n");
    for (i, timing) in timings.iter().enumerate() {
        out.push_str(&format!(
            "\n{}\n{} --> {}\n{}\n",
            i + 1,
            vtt_time(timing.start_ms),
            vtt_time(timing.end_ms),
            cue_text(timing)
        ));
    }
    out
}

/// The cue's text, escaped for WebVTT, with `<hh:mm:ss.ttt>` before each word after the first
/// that starts strictly inside the cue.
fn cue_text(timing: &Timing) -> String {
    let escape =
        |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\n', " ");
    let base = timing.location.range.start;
    let mut out = String::new();
    let mut at = 0;
    for word in &timing.words {
        let Some(start) = word.start.checked_sub(base).filter(|&s| s >= at && s <= timing.text.len()) else {
            continue;
        };
        if !timing.text.is_char_boundary(start)
            || word.start_ms <= timing.start_ms
            || word.start_ms >= timing.end_ms
        {
            continue;
        }
        out.push_str(&escape(&timing.text[at..start]));
        out.push_str(&format!("<{}>", vtt_time(word.start_ms)));
        at = start;
    }
    out.push_str(&escape(&timing.text[at..]));
    out
}

fn vtt_time(ms: u32) -> String {
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::{pieces, vtt_time};

    #[test]
    fn long_text_is_split_at_commas_or_spaces() {
        assert_eq!(pieces("short", 600), ["short"]);
        assert_eq!(pieces("one, two three, four", 11), ["one,", "two three,", "four"]);
        assert_eq!(pieces("one, two three, four", 10), ["one,", "two", "three,", "four"]);
        let word = "x".repeat(25);
        assert_eq!(pieces(&word, 10).concat(), word);
        assert!(pieces("", 10).is_empty());
        let long = "word ".repeat(1000);
        assert!(pieces(&long, 600).iter().all(|p| p.chars().count() <= 600));
    }

    #[test]
    fn vtt_times() {
        assert_eq!(vtt_time(0), "00:00:00.000");
        assert_eq!(vtt_time(61_234), "00:01:01.234");
        assert_eq!(vtt_time(3_723_004), "01:02:03.004");
    }
}
