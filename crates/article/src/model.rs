//! The article types and their serde form.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::reading::{ReadingTime, count_words};
use crate::slug::slugify;

/// A news article: metadata, the lead image and the body as a list of blocks.
///
/// Page furniture (ads, share bars, player chrome, reading-time lines) is never part of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Article {
    /// Where the article was read from (a URL, or absent for pasted text and files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// The page's own canonical URL when it gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical_url: Option<String>,
    /// BCP 47 language tag, e.g. "en" or "zh-Hant".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    pub headline: String,
    /// A one-paragraph description from the page's metadata (not shown as bullets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Standfirst bullets under the headline: zero to five, never invented.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub summary: Vec<String>,
    /// Primary topic first, then section tags; no duplicates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<Topic>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Author>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<FixedOffset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<DateTime<FixedOffset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead_image: Option<Image>,
    pub body: Vec<Block>,
    /// What kind of page the text came from, when extraction could tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_type: Option<PageType>,
}

/// The kind of page an article was read from: a story, a forum or Q&A thread, one product, a
/// shop's collection of products, a listing of other pages (news, courses, events), technical
/// documentation, or a page that presents a service or an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageType {
    Article,
    Forum,
    Product,
    Collection,
    Listing,
    Documentation,
    Service,
}

impl PageType {
    /// The name used in JSON: "article", "forum", …
    pub fn name(self) -> &'static str {
        match self {
            PageType::Article => "article",
            PageType::Forum => "forum",
            PageType::Product => "product",
            PageType::Collection => "collection",
            PageType::Listing => "listing",
            PageType::Documentation => "documentation",
            PageType::Service => "service",
        }
    }
}

/// A topic or section tag; the slug names its topic page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    pub slug: String,
}

impl Topic {
    pub fn new(name: &str) -> Topic {
        let name = name.trim().to_string();
        let slug = slugify(&name);
        Topic { name, slug }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// An image with its caption and credit kept apart ("Photo: Reuters" is a credit).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Image {
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

/// A video embed: shown as a card with its duration, never narrated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Video {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poster: Option<String>,
}

/// A table of data: its caption, the header row (empty when the table has none) and the body
/// rows, each a list of cells. Rows may have different numbers of cells, as on the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Table {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

impl Table {
    /// The caption as the first line of [`text`](Self::text): line breaks and tabs made spaces.
    pub fn caption_line(&self) -> Option<String> {
        self.caption.as_deref().map(one_line)
    }

    /// The header (when there is one) and then the body rows, in order.
    pub fn all_rows(&self) -> impl Iterator<Item = &Vec<Vec<Inline>>> {
        std::iter::once(&self.header).filter(|h| !h.is_empty()).chain(&self.rows)
    }

    /// The table as text: the caption on the first line when there is one, then a line a row,
    /// cells separated by tabs. [`Block::text`] of a table, so narration ranges point into it.
    pub fn text(&self) -> String {
        let mut lines: Vec<String> = self.caption_line().into_iter().collect();
        for row in self.all_rows() {
            lines.push(row.iter().map(|cell| one_line(&inline_text(cell))).collect::<Vec<_>>().join("\t"));
        }
        lines.join("\n")
    }
}

/// Line breaks and tabs as spaces (the same length in bytes, so ranges still hold).
fn one_line(text: &str) -> String {
    text.replace(['\n', '\t'], " ")
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        content: Vec<Inline>,
    },
    /// Levels 2 to 4; the headline is level 1.
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    /// A block quote: its paragraphs and who said it, when the page says.
    Quote {
        paragraphs: Vec<Vec<Inline>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attribution: Option<String>,
    },
    /// Preformatted text (code, poetry, figures set in type), kept verbatim.
    Preformatted {
        text: String,
    },
    Table(Table),
    Image(Image),
    Video(Video),
}

/// Inline content of a paragraph, heading, list item or quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Inline {
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Code(String),
    Link { href: String, content: Vec<Inline> },
    LineBreak,
}

/// The plain text of inline content: what a reader sees, without markup.
pub fn inline_text(content: &[Inline]) -> String {
    let mut out = String::new();
    push_inline_text(content, &mut out);
    out
}

fn push_inline_text(content: &[Inline], out: &mut String) {
    for inline in content {
        match inline {
            Inline::Text(text) | Inline::Code(text) => out.push_str(text),
            Inline::Emphasis(children) | Inline::Strong(children) => push_inline_text(children, out),
            Inline::Link { content, .. } => push_inline_text(content, out),
            Inline::LineBreak => out.push('\n'),
        }
    }
}

impl Block {
    /// A paragraph of plain text.
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block::Paragraph { content: vec![Inline::Text(text.into())] }
    }

    /// The text a reader reads in this block; captions and video titles are not body text.
    pub fn text(&self) -> String {
        match self {
            Block::Paragraph { content } | Block::Heading { content, .. } => inline_text(content),
            Block::List { items, .. } => {
                items.iter().map(|item| inline_text(item)).collect::<Vec<_>>().join("\n")
            }
            Block::Quote { paragraphs, .. } => {
                paragraphs.iter().map(|p| inline_text(p)).collect::<Vec<_>>().join("\n")
            }
            Block::Preformatted { text } => text.clone(),
            Block::Table(table) => table.text(),
            Block::Image(_) | Block::Video(_) => String::new(),
        }
    }
}

impl Article {
    /// The text a reader reads below the headline: the summary points, then every block's
    /// text, one per line.
    pub fn body_text(&self) -> String {
        let blocks = self.body.iter().map(Block::text).filter(|text| !text.is_empty());
        self.summary.iter().cloned().chain(blocks).collect::<Vec<_>>().join("\n")
    }

    /// Words of body text (paragraphs, headings, lists, quotes, preformatted text, tables).
    pub fn word_count(&self) -> usize {
        self.body.iter().map(|block| count_words(&block.text())).sum()
    }

    /// Number of images in the body (the lead image is not counted).
    pub fn body_image_count(&self) -> usize {
        self.body.iter().filter(|block| matches!(block, Block::Image(_))).count()
    }

    /// Reading time at `words_per_minute` (see [`crate::DEFAULT_WORDS_PER_MINUTE`]).
    pub fn reading_time(&self, words_per_minute: u32) -> ReadingTime {
        ReadingTime::new(self.word_count(), self.body_image_count(), words_per_minute)
    }
}
