//! The stable JSON form of an article, as `lector extract` prints it and the API takes it.

use serde::Serialize;

use crate::model::Article;

/// Version of the JSON form; bumped when a field changes meaning or is removed.
pub const JSON_VERSION: u32 = 1;

/// An article with the format version and its derived figures. Deserializing this JSON
/// back into an [`Article`] ignores the derived fields.
#[derive(Debug, Serialize)]
pub struct ArticleJson<'a> {
    pub version: u32,
    /// Where the article was read from, as the user named it (a file, a URL or "-").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    #[serde(flatten)]
    pub article: &'a Article,
    pub word_count: usize,
    pub reading_time_minutes: u32,
}

impl<'a> ArticleJson<'a> {
    /// The JSON form with the reading time at `words_per_minute`.
    pub fn new(article: &'a Article, words_per_minute: u32) -> ArticleJson<'a> {
        ArticleJson {
            version: JSON_VERSION,
            source: None,
            article,
            word_count: article.word_count(),
            reading_time_minutes: article.reading_time(words_per_minute).minutes,
        }
    }

    pub fn with_source(self, source: &'a str) -> ArticleJson<'a> {
        ArticleJson { source: Some(source), ..self }
    }
}
