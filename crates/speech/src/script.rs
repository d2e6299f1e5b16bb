//! The narration script: the article's utterances in reading order.

use std::ops::Range;

use lector_article::{Article, Block};
use serde::{Deserialize, Serialize};

use crate::lexicon::Lexicon;
use crate::normalize::{Spoken, normalize};
use crate::segment::split_sentences;

/// What an utterance is, which sets the pause after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Headline,
    Byline,
    Bullet,
    Heading,
    Sentence,
    Caption,
}

/// Which part of the article an utterance comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "part", content = "index", rename_all = "snake_case")]
pub enum Part {
    Headline,
    Byline,
    /// A summary bullet, by index.
    Summary(usize),
    /// A body block, by index; the range is into that block's [`Block::text`].
    Body(usize),
}

/// Where an utterance's text sits: the part and the byte range in that part's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    #[serde(flatten)]
    pub part: Part,
    pub range: Range<usize>,
}

/// One thing the voice says, normally one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Utterance {
    pub kind: Kind,
    pub location: Location,
    /// The text as written.
    pub text: String,
    /// What is said.
    pub spoken: Spoken,
    /// Silence after it, in milliseconds.
    pub pause_ms: u32,
}

/// Choices for building a script.
#[derive(Debug, Clone)]
pub struct ScriptOptions {
    /// Read image captions (never their credits).
    pub include_captions: bool,
    pub lexicon: Lexicon,
    /// Used when the article has no language; BCP 47.
    pub default_language: String,
}

impl Default for ScriptOptions {
    fn default() -> Self {
        ScriptOptions { include_captions: false, lexicon: Lexicon::default(), default_language: "en".into() }
    }
}

/// Pauses, in milliseconds, by what ends.
const PAUSE_AFTER_HEADLINE: u32 = 900;
const PAUSE_AFTER_BYLINE: u32 = 600;
const PAUSE_AFTER_BULLET: u32 = 500;
const PAUSE_AFTER_HEADING: u32 = 700;
const PAUSE_BETWEEN_SENTENCES: u32 = 350;
const PAUSE_AFTER_PARAGRAPH: u32 = 750;

/// An article's narration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Script {
    pub utterances: Vec<Utterance>,
}

impl Script {
    /// Words that will be spoken.
    pub fn word_count(&self) -> usize {
        self.utterances.iter().map(|u| u.spoken.word_count()).sum()
    }

    /// Estimated listening time at `words_per_minute` (a voice's measured rate), pauses included.
    pub fn listening_seconds(&self, words_per_minute: f64) -> f64 {
        if words_per_minute <= 0.0 {
            return 0.0;
        }
        let speech = self.word_count() as f64 * 60.0 / words_per_minute;
        let pauses: u32 = self.utterances.iter().map(|u| u.pause_ms).sum();
        speech + f64::from(pauses) / 1000.0
    }
}

/// Builds the script: headline, byline, summary bullets, then the body. Ads, captions (unless
/// asked for), credits, video cards and preformatted text are never read.
pub fn build_script(article: &Article, options: &ScriptOptions) -> Script {
    let language = article.language.as_deref().unwrap_or(&options.default_language).to_string();
    let mut builder = Builder { options, language, utterances: Vec::new() };
    if !article.headline.trim().is_empty() {
        builder.sentences(
            &article.headline,
            Part::Headline,
            Kind::Headline,
            PAUSE_AFTER_HEADLINE,
            PAUSE_AFTER_HEADLINE,
        );
    }
    if let Some(byline) = byline(article) {
        builder.whole(&byline, Part::Byline, 0..byline.len(), Kind::Byline, PAUSE_AFTER_BYLINE);
    }
    for (i, bullet) in article.summary.iter().enumerate() {
        builder.sentences(
            bullet,
            Part::Summary(i),
            Kind::Bullet,
            PAUSE_BETWEEN_SENTENCES,
            PAUSE_AFTER_BULLET,
        );
    }
    for (i, block) in article.body.iter().enumerate() {
        match block {
            Block::Heading { .. } => {
                let text = block.text();
                builder.sentences(
                    &text,
                    Part::Body(i),
                    Kind::Heading,
                    PAUSE_BETWEEN_SENTENCES,
                    PAUSE_AFTER_HEADING,
                );
            }
            Block::Paragraph { .. } | Block::List { .. } | Block::Quote { .. } => {
                let text = block.text();
                builder.sentences(
                    &text,
                    Part::Body(i),
                    Kind::Sentence,
                    PAUSE_BETWEEN_SENTENCES,
                    PAUSE_AFTER_PARAGRAPH,
                );
            }
            Block::Image(image) if options.include_captions => {
                if let Some(caption) = &image.caption {
                    builder.sentences(
                        caption,
                        Part::Body(i),
                        Kind::Caption,
                        PAUSE_BETWEEN_SENTENCES,
                        PAUSE_AFTER_PARAGRAPH,
                    );
                }
            }
            Block::Image(_) | Block::Video(_) | Block::Preformatted { .. } => {}
        }
    }
    Script { utterances: builder.utterances }
}

/// "By Maria Okafor and Li Wei".
fn byline(article: &Article) -> Option<String> {
    let names: Vec<&str> =
        article.authors.iter().map(|a| a.name.as_str()).filter(|n| !n.trim().is_empty()).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("By {one}")),
        [rest @ .., last] => Some(format!("By {} and {last}", rest.join(", "))),
    }
}

struct Builder<'a> {
    options: &'a ScriptOptions,
    language: String,
    utterances: Vec<Utterance>,
}

impl Builder<'_> {
    /// One utterance per sentence of `text`; the last one gets `last_pause`.
    fn sentences(&mut self, text: &str, part: Part, kind: Kind, pause: u32, last_pause: u32) {
        let ranges = split_sentences(text);
        let count = ranges.len();
        for (n, range) in ranges.into_iter().enumerate() {
            let pause = if n + 1 == count { last_pause } else { pause };
            self.whole(text, part, range, kind, pause);
        }
    }

    fn whole(&mut self, text: &str, part: Part, range: Range<usize>, kind: Kind, pause_ms: u32) {
        let written = &text[range.clone()];
        let spoken = normalize(written, &self.language, &self.options.lexicon);
        if spoken.text().trim().is_empty() {
            return;
        }
        self.utterances.push(Utterance {
            kind,
            location: Location { part, range },
            text: written.to_string(),
            spoken,
            pause_ms,
        });
    }
}
