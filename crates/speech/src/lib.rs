//! Narration scripts: what the voice says for an article, sentence by sentence.
//!
//! Pure: no audio, no IO. [`build_script`] turns an [`Article`](lector_article::Article)
//! into [`Utterance`]s in reading order, each with its kind, its location in the article
//! (so that a page can highlight it and start playback there), its spoken form and the
//! pause after it. [`normalize`] gives the spoken form of any sentence; a [`Lexicon`] of
//! site pronunciations wins over the built-in rules.

pub mod lexicon;
pub mod normalize;
mod script;
mod segment;

pub use lexicon::{Lexicon, LexiconError, Pronunciation};
pub use normalize::{Piece, Spoken, normalize};
pub use script::{Kind, Location, Part, Script, ScriptOptions, Utterance, build_script};
pub use segment::split_sentences;
