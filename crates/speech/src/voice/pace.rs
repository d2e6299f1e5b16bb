//! Each voice's natural pace, in words per minute, measured once on a reference text and kept
//! in the data directory (`pace.json`). The player's "1.25x · 250 WPM" label comes from it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::{Lexicon, normalize};

use crate::voice::{SynthesisError, data_dir};

/// Ordinary news prose, about 100 words, read to measure a voice.
const REFERENCE_TEXT: &str = "The city council approved the new tram line on Tuesday, after a debate that lasted most of the day. \
    Officials said construction would begin next spring and take about three years, with the first trams running before the end of the decade. \
    Residents of the eastern districts, who have waited longest for better transport, welcomed the decision. \
    Some shop owners along the route said they feared years of roadworks would keep customers away, and asked for help with their rents. \
    The transport department promised to publish a detailed timetable for the works within a month.";

fn store() -> PathBuf {
    data_dir().join("pace.json")
}

fn read_store() -> BTreeMap<String, f64> {
    std::fs::read_to_string(store())
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// The stored pace of a voice, if it was measured.
pub fn stored_wpm(voice: &str) -> Option<f64> {
    read_store().get(voice).copied()
}

/// The voice's words per minute at 1×, measured now if it never was, and stored.
pub fn measured_wpm(voice: &str) -> Result<f64, SynthesisError> {
    if let Some(wpm) = stored_wpm(voice) {
        return Ok(wpm);
    }
    let wpm = measure(voice)?;
    let mut all = read_store();
    all.insert(voice.to_string(), (wpm * 10.0).round() / 10.0);
    // Keeping the figure is a convenience: a read-only data directory only costs a re-measure.
    if let Ok(text) = serde_json::to_string_pretty(&all) {
        let path = store();
        let partial = path.with_extension("json.partial");
        if std::fs::create_dir_all(data_dir())
            .and_then(|()| std::fs::write(&partial, text))
            .and_then(|()| std::fs::rename(&partial, &path))
            .is_err()
        {
            let _ = std::fs::remove_file(&partial);
        }
    }
    Ok(wpm)
}

/// Words of the reference text per minute of speech (pauses between sentences excluded).
fn measure(voice: &str) -> Result<f64, SynthesisError> {
    let spoken = normalize(REFERENCE_TEXT, "en", &Lexicon::default());
    let words = spoken.word_count() as f64;
    let text = spoken.text();
    let speech = crate::voice::engine(voice)?.speak(&text, 1.0)?;
    let minutes = speech.samples.len() as f64 / f64::from(speech.sample_rate.max(1)) / 60.0;
    if minutes <= 0.0 {
        return Err(SynthesisError::Engine(format!("{voice} produced no audio")));
    }
    Ok(words / minutes)
}
