//! Helpers shared by the audio tests.

use lector_article::{Article, Block};
use lector_speech::voice::{Rendition, render};
use lector_speech::{ScriptOptions, build_script};

/// The voices every format is checked with: one per engine.
pub const VOICES: [&str; 2] = ["espeak:en-us", "piper:en_US-joe-medium"];

/// A short article (headline and two sentences) spoken with `voice`.
pub fn short_rendition(voice: &str) -> Rendition {
    let article = Article {
        headline: "Trams return to the harbour".into(),
        body: vec![Block::paragraph("The council approved the line on Tuesday. Work starts next spring.")],
        ..Article::default()
    };
    let script = build_script(&article, &ScriptOptions::default());
    render(&script, voice, 1.0, |_, _| true).expect("renders")
}
