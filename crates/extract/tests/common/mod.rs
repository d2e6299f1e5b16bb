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
