//! What the JSON API and the pages both show: comments, times and an article's address.

use lector_core::Core;
use lector_store::{ArticleRecord, Comment};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::html::{sanitize, text_html};

/// Unix seconds as RFC 3339.
pub fn rfc3339(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).map(|d| d.to_rfc3339()).unwrap_or_default()
}

/// The article's page: `/articles/{id}/{slug}` under the public address.
pub fn page_url(core: &Core, record: &ArticleRecord) -> String {
    format!("{}{}", core.config.public_url(), page_path(record))
}

/// The article page's path: `/articles/{id}/{slug}`.
pub fn page_path(record: &ArticleRecord) -> String {
    let slug = if record.slug.is_empty() { String::new() } else { format!("/{}", record.slug) };
    format!("/articles/{}{slug}", record.id)
}

/// A comment as readers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    /// The text as HTML (escaped, links with rel="nofollow ugc").
    pub body_html: String,
    /// `visible`, `pending` or `hidden`.
    pub state: String,
    pub created_at: String,
    /// Replies, one level deep: comments of this same shape without replies.
    #[schema(value_type = Vec<Object>)]
    pub replies: Vec<CommentView>,
}

impl CommentView {
    pub fn build(comment: &Comment) -> CommentView {
        CommentView {
            id: comment.id,
            parent_id: comment.parent_id,
            name: comment.name.clone(),
            body_html: sanitize(&text_html(&comment.body)),
            state: comment.state.clone(),
            created_at: rfc3339(comment.created_at),
            replies: comment.replies.iter().map(CommentView::build).collect(),
        }
    }
}

/// The primary language of an article (the site's when it names none), as the player keys
/// the listener's voice by it.
pub fn primary_language_of(core: &Core, article: &lector_article::Article) -> String {
    let language = article.language.as_deref().filter(|l| !l.trim().is_empty());
    lector_speech::voice::primary_language(language.unwrap_or(&core.config.site.language))
}
