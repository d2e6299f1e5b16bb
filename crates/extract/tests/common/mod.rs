//! Helpers shared by the extraction tests.

use lector_article::{Article, Block, inline_text};

/// The text of each paragraph of the body, in order.
pub fn paragraphs(article: &Article) -> Vec<String> {
    article
        .body
        .iter()
        .filter_map(|block| match block {
            Block::Paragraph { content } => Some(inline_text(content)),
            _ => None,
        })
        .collect()
}

/// (title, duration in seconds) of each video card in the body, in order.
pub fn videos(article: &Article) -> Vec<(&str, Option<u32>)> {
    article
        .body
        .iter()
        .filter_map(|block| match block {
            Block::Video(video) => Some((video.title.as_str(), video.duration_seconds)),
            _ => None,
        })
        .collect()
}
