//! The article model: what every part of lector reads and writes.
//!
//! An [`Article`] is plain data with a stable JSON form (serde; see `docs/article-json.md`).
//! This crate does no IO: it holds the types, the derived figures (word count, reading time)
//! and the Markdown, plain-text and HTML renderings.

mod json;
mod model;
mod reading;
mod render;
mod slug;

pub use json::{ArticleJson, JSON_VERSION};
pub use model::{Article, Author, Block, Image, Inline, PageType, Table, Topic, Video, inline_text};
pub use reading::{DEFAULT_WORDS_PER_MINUTE, ReadingTime, count_words};
pub use render::{escape_html, to_html, to_markdown, to_text};
pub use slug::slugify;
