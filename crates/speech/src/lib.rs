//! Speech: what the voice says for an article, and the voices that say it.
//!
//! The narration script is pure: no audio, no IO. [`build_script`] turns an
//! [`Article`](lector_article::Article) into [`Utterance`]s in reading order, each with its
//! kind, its location in the article (so that a page can highlight it and start playback
//! there), its spoken form and the pause after it. [`normalize`] gives the spoken form of any
//! sentence; a [`Lexicon`] of site pronunciations wins over the built-in rules.
//!
//! [`hearing`] compares what a listener heard with what the page says.
//!
//! [`voice`] speaks a script: the engines (eSpeak NG, Piper, Kokoro), the voice registry, speed,
//! loudness, encoding (WAV, MP3, Ogg Opus) and timings. Script code never depends on it.

pub mod hearing;
pub mod lexicon;
pub mod normalize;
mod script;
mod segment;
pub mod voice;

pub use lexicon::{Lexicon, LexiconError, Pronunciation};
pub use normalize::{Piece, Spoken, normalize};
pub use script::{Kind, Location, Part, Script, ScriptOptions, Utterance, build_script};
pub use segment::split_sentences;
