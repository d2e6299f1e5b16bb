//! `cargo xtask kokoro-calibration`: writes `scripts/kokoro-calibration.json`, the inputs
//! `scripts/prepare-model.py` runs Kokoro on to fix the ranges of its int8 vocoder.
//!
//! Each entry is a voice, a sentence and the phoneme ids lector gives the model for it (the
//! script's spoken form, eSpeak NG's phonemes in Kokoro's set), so that the ranges are measured
//! on what lector will really ask of the model. The sentences are not those of the
//! intelligibility benchmark, which judges the result.

use std::path::Path;

use anyhow::{Context, Result};
use lector_article::{Article, Block};
use lector_speech::voice::kokoro::KokoroVoice;
use lector_speech::{ScriptOptions, build_script};

/// Voices of both sexes and every language Kokoro speaks, each with a sentence of its language.
const SENTENCES: &[(&str, &str)] = &[
    (
        "af_heart",
        "Officials said the bridge would stay closed until engineers had checked every cable, a job that could take three weeks.",
    ),
    ("af_bella", "\"We are not going anywhere,\" the mayor told a packed hall on Thursday night."),
    ("af_nicole", "Prices at the pump rose for the fifth week in a row, to $3.89 a gallon."),
    ("am_michael", "The company, founded in 1998, employs about 12,000 people in 14 countries."),
    ("am_fenrir", "Rescue teams reached the village at dawn, hours after the river burst its banks."),
    ("am_onyx", "Why did it take so long? Nobody at the ministry would say."),
    ("bf_emma", "The Chancellor will set out her plans for the economy in the autumn statement."),
    (
        "bm_george",
        "Supporters gathered outside the court, singing and waving flags, as the verdict was read.",
    ),
    ("bf_isabella", "Temperatures fell to minus 7 degrees overnight in the Highlands."),
    ("bm_lewis", "The club confirmed the signing of the 23-year-old midfielder on a four-year deal."),
    ("ef_dora", "El gobierno anunció el martes un plan para construir veinte mil viviendas en cinco años."),
    ("em_alex", "Los vecinos esperan desde hace meses una respuesta del ayuntamiento."),
    ("ff_siwis", "Le conseil municipal a voté jeudi soir la rénovation complète de la gare."),
    ("if_sara", "Il sindaco ha detto che i lavori cominceranno all'inizio della primavera."),
    ("im_nicola", "La squadra ha vinto la partita all'ultimo minuto davanti a trentamila tifosi."),
    ("pf_dora", "O governo prometeu novas medidas para conter a alta dos preços dos alimentos."),
    ("pm_alex", "A votação foi adiada para a próxima semana depois de um longo debate."),
    ("hf_alpha", "सरकार ने मंगलवार को नई रेल लाइन की घोषणा की।"),
    ("hm_omega", "बारिश के कारण कई सड़कें बंद कर दी गईं।"),
    ("jf_alpha", "政府は火曜日、新しい鉄道路線の計画を発表しました。"),
    ("jm_kumo", "大雨のため、多くの道路が通行止めになりました。"),
    ("zf_xiaobei", "政府周二宣布了一项新的铁路建设计划。"),
    ("zm_yunjian", "由于暴雨，许多道路被迫关闭。"),
];

/// Longest input, about a long sentence: the calibration holds every convolution's input and
/// output of an input at once (about 2 GB for 120 ids), and longer pieces add no new ranges.
const MOST_IDS: usize = 128;

/// What the file says of itself.
const ABOUT: &str = "Inputs scripts/prepare-model.py runs Kokoro-82M on to set the ranges of its int8 vocoder; made by `cargo xtask kokoro-calibration`.";

/// Writes the calibration inputs next to the script that reads them.
pub fn main(root: &Path) -> Result<()> {
    let mut entries = Vec::new();
    for &(name, sentence) in SENTENCES {
        let voice = KokoroVoice::by_id(&format!("kokoro:{name}"))
            .with_context(|| format!("Kokoro voice {name} (run scripts/setup)"))?;
        let article = Article {
            language: Some(voice.voice.language.clone()),
            body: vec![Block::paragraph(sentence.to_string())],
            ..Article::default()
        };
        let script = build_script(&article, &ScriptOptions::default());
        let spoken: Vec<String> = script.utterances.iter().map(|u| u.spoken.to_string()).collect();
        for ids in voice.model_ids(&spoken.join(" "), MOST_IDS)? {
            entries.push(serde_json::json!({ "voice": name, "text": sentence, "ids": ids }));
        }
    }
    let path = root.join("scripts/kokoro-calibration.json");
    // One input a line, so that a change shows as the inputs it touches.
    let lines: Vec<String> = entries.iter().map(serde_json::Value::to_string).collect();
    let text = format!(
        "{{\"about\": {},\n\"inputs\": [\n{}\n]}}\n",
        serde_json::Value::from(ABOUT),
        lines.join(",\n")
    );
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    println!("{} inputs written to {}", entries.len(), path.display());
    Ok(())
}
