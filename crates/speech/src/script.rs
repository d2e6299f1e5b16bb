//! The narration script: the article's utterances in reading order.

use std::ops::Range;

use lector_article::{Article, Block, Inline, Table, inline_text};
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
    /// What is said of a table: its caption and that it is not read, or one of its rows.
    Table,
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
    /// Read each row of a table ("Ticket: single; price: $2.50."); otherwise a table is
    /// announced by its caption and said not to be read.
    pub read_tables: bool,
    pub lexicon: Lexicon,
    /// Used when the article has no language; BCP 47.
    pub default_language: String,
}

impl Default for ScriptOptions {
    fn default() -> Self {
        ScriptOptions {
            include_captions: false,
            read_tables: false,
            lexicon: Lexicon::default(),
            default_language: "en".into(),
        }
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
/// asked for), credits, video cards and preformatted text are never read; a table's cells are
/// never read without a sentence that says a table follows.
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
            Block::Table(table) => builder.table(i, table),
            Block::Image(_) | Block::Video(_) | Block::Preformatted { .. } => {}
        }
    }
    Script { utterances: builder.utterances }
}

/// A cell's text on one line, trimmed.
fn cell_text(cell: &[Inline]) -> String {
    inline_text(cell).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` trimmed, with a full stop added when it does not end a sentence already.
fn ended(text: &str) -> String {
    let text = text.trim();
    match text.chars().last() {
        Some('.' | '!' | '?' | '…' | ':') => text.to_string(),
        Some(_) => format!("{text}."),
        None => String::new(),
    }
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
        self.said_as(written, written, part, range, kind, pause_ms);
    }

    /// A table: a sentence that names it (its caption) and, unless the rows are read, says
    /// that it is not read; with [`ScriptOptions::read_tables`], then a sentence a body row,
    /// each cell after its column's heading. Sentences of context are English only: in
    /// another language a table says its caption alone.
    fn table(&mut self, i: usize, table: &Table) {
        let part = Part::Body(i);
        let text = table.text();
        // Lines of the table's text: the caption, the header, then the rows (see Table::text).
        let mut lines = Vec::new();
        let mut start = 0;
        for line in text.split('\n') {
            lines.push(start..start + line.len());
            start += line.len() + 1;
        }
        let english = self.language.starts_with("en");
        let read = self.options.read_tables && !table.rows.is_empty();
        let caption = table.caption.as_ref().map(|_| lines[0].clone());
        let named = caption.clone().map(|range| ended(&text[range]));
        let announcement = match (named, english, read) {
            (Some(caption), true, false) => format!("Table: {caption} The table is not read aloud."),
            (None, true, false) => "A table follows; it is not read aloud.".to_string(),
            (Some(caption), true, true) => format!("Table: {caption}"),
            (None, true, true) => "A table follows.".to_string(),
            (Some(caption), false, _) => caption,
            (None, false, _) => String::new(),
        };
        let range = caption.unwrap_or(0..0);
        let pause = if read { PAUSE_BETWEEN_SENTENCES } else { PAUSE_AFTER_PARAGRAPH };
        self.said_as(&text[range.clone()], &announcement, part, range, Kind::Table, pause);
        if !read {
            return;
        }
        let first_row = usize::from(table.caption.is_some()) + usize::from(!table.header.is_empty());
        let headings: Vec<String> = table.header.iter().map(|cell| cell_text(cell)).collect();
        for (n, row) in table.rows.iter().enumerate() {
            let Some(range) = lines.get(first_row + n).cloned() else { break };
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(c, cell)| (headings.get(c).filter(|h| !h.is_empty()), cell_text(cell)))
                .filter(|(_, cell)| !cell.is_empty())
                .map(|(heading, cell)| match heading {
                    Some(heading) => format!("{heading}: {cell}"),
                    None => cell,
                })
                .collect();
            let separator = if headings.is_empty() { ", " } else { "; " };
            let last = n + 1 == table.rows.len();
            let pause = if last { PAUSE_AFTER_PARAGRAPH } else { PAUSE_BETWEEN_SENTENCES };
            self.said_as(
                &text[range.clone()],
                &ended(&cells.join(separator)),
                part,
                range,
                Kind::Table,
                pause,
            );
        }
    }

    /// An utterance whose words are `said` for the `written` text at `range` of the part.
    fn said_as(
        &mut self,
        written: &str,
        said: &str,
        part: Part,
        range: Range<usize>,
        kind: Kind,
        pause_ms: u32,
    ) {
        let spoken = normalize(said, &self.language, &self.options.lexicon);
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
