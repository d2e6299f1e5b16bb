//! Which voices there are and which one reads a language best: the installed Piper and Kokoro
//! voices, eSpeak's, and the measured preferences.

use crate::voice::{Gender, Quality, SynthesisError, Voice, espeak, kokoro, piper};

/// The voices that read news best, by measurement (`cargo xtask bench intelligibility`, word
/// error rate of Whisper's transcript; docs/benchmarks.md): for each language tag, the voices in
/// order of preference. English is measured; where no voice is named the fallbacks apply.
pub const BEST_VOICES: &[(&str, &[&str])] = &[
    ("en-gb", &["kokoro:bf_emma", "kokoro:bm_george"]),
    ("en", &["kokoro:af_heart", "kokoro:af_bella", "piper:en_US-joe-medium"]),
];

/// The default voice: the one that reads English news best among those installed.
pub fn default_voice() -> String {
    default_voice_for("en-us")
}

/// The primary subtag of a language tag, lower-cased (`pt-BR` → `pt`); Chinese is Mandarin,
/// as voices name it ("cmn"), while pages mostly say "zh".
pub fn primary_language(tag: &str) -> String {
    match tag.trim().to_lowercase().split(['-', '_']).next().unwrap_or("") {
        "zh" => "cmn".into(),
        other => other.into(),
    }
}

/// The voices a choice is made among, read once.
struct Installed {
    piper: Vec<Voice>,
    kokoro: Vec<Voice>,
    espeak: Vec<Voice>,
}

impl Installed {
    fn read() -> Installed {
        Installed {
            piper: piper::installed().into_iter().map(|(voice, _)| voice).collect(),
            kokoro: kokoro::installed(),
            espeak: espeak::voices().unwrap_or_default(),
        }
    }

    /// The voice for `language`: see [`default_voice_for`].
    fn best_for(&self, language: &str) -> String {
        let tag =
            if language.trim().is_empty() { "en-us".to_string() } else { language.trim().to_lowercase() };
        let installed = |id: &str| self.piper.iter().chain(&self.kokoro).any(|voice| voice.id == id);
        let primary = primary_language(&tag);
        for (prefix, best) in BEST_VOICES {
            let matches = tag == *prefix || tag.starts_with(&format!("{prefix}-")) || *prefix == primary;
            if matches && let Some(id) = best.iter().find(|id| installed(id)) {
                return (*id).to_string();
            }
        }
        let same_language = |voice: &&Voice| primary_language(&voice.language) == primary;
        if let Some(voice) = self.kokoro.iter().chain(&self.piper).find(same_language) {
            return voice.id.clone();
        }
        if primary == "en" {
            return if tag == "en-gb" { "espeak:en".into() } else { "espeak:en-us".into() };
        }
        self.espeak
            .iter()
            .find(|v| v.language.to_lowercase() == tag)
            .or_else(|| self.espeak.iter().find(same_language))
            .map_or_else(|| "espeak:en-us".to_string(), |v| v.id.clone())
    }
}

/// The voice for text in `language` (a BCP 47 tag; empty is English): the best measured
/// voice installed for it ([`BEST_VOICES`]), else an installed Kokoro or Piper voice of the
/// language, else eSpeak's voice for it, else eSpeak's US English.
pub fn default_voice_for(language: &str) -> String {
    Installed::read().best_for(language)
}

/// For every language one of `voices` speaks (by primary subtag), the one of them that reads
/// it best, as [`default_voice_for`] chooses (the first listed of the language when that
/// choice is not among them).
pub fn best_voices_by_language(voices: &[Voice]) -> std::collections::BTreeMap<String, String> {
    let installed = Installed::read();
    let mut best = std::collections::BTreeMap::new();
    for voice in voices {
        let language = primary_language(&voice.language);
        if language.is_empty() || best.contains_key(&language) {
            continue;
        }
        let chosen = installed.best_for(&language);
        let speaks = voices.iter().any(|v| v.id == chosen && primary_language(&v.language) == language);
        best.insert(language, if speaks { chosen } else { voice.id.clone() });
    }
    best
}

/// The voices lector offers: installed Piper and Kokoro voices first, then eSpeak's English
/// variants (US and GB, male and female), then one per language eSpeak has.
pub fn voices() -> Result<Vec<Voice>, SynthesisError> {
    let mut voices: Vec<Voice> = piper::installed().into_iter().map(|(voice, _)| voice).collect();
    voices.extend(kokoro::installed());
    voices.extend(espeak_voices()?);
    Ok(voices)
}

fn espeak_voices() -> Result<Vec<Voice>, SynthesisError> {
    let installed = espeak::voices()?;
    let rate = installed.first().map_or(22_050, |v| v.sample_rate);
    let mut voices = Vec::new();
    for (language, variant, name, gender) in [
        ("en-us", "", "English (America)", Gender::Male),
        ("en-us", "+f3", "English (America), female", Gender::Female),
        // eSpeak's British English voice is the file "en".
        ("en", "", "English (Great Britain)", Gender::Male),
        ("en", "+f3", "English (Great Britain), female", Gender::Female),
    ] {
        if installed.iter().any(|v| espeak_name(&v.id) == Some(language)) {
            voices.push(Voice {
                id: format!("espeak:{language}{variant}"),
                name: name.into(),
                language: if language == "en" { "en-gb".into() } else { language.into() },
                gender,
                quality: Quality::Basic,
                engine: "espeak-ng".into(),
                sample_rate: rate,
            });
        }
    }
    for voice in installed {
        if !voices.iter().any(|v| v.id == voice.id) {
            voices.push(voice);
        }
    }
    Ok(voices)
}

/// The eSpeak voice name behind an id ("espeak:en-us+f3" → "en-us+f3").
pub fn espeak_name(id: &str) -> Option<&str> {
    id.strip_prefix("espeak:").filter(|name| !name.is_empty())
}
