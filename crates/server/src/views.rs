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

/// An item of a reader's library, as the API and the library page show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LibraryItemView {
    pub id: i64,
    pub url: String,
    pub headline: String,
    /// The host of the page it was saved from.
    pub source: Option<String>,
    pub saved_at: String,
    pub archived: bool,
    pub favourite: bool,
    pub read: bool,
    pub tags: Vec<String>,
    pub reading_minutes: u32,
    /// The length of its narration, once one is ready.
    pub listen_minutes: Option<u32>,
    /// Around the first word a search found, as HTML: every found word in `<mark>`.
    pub snippet_html: Option<String>,
}

impl LibraryItemView {
    pub fn build(core: &Core, entry: &lector_store::LibraryEntry, search: Option<&str>) -> LibraryItemView {
        let article = &entry.article.article;
        let snippet_html = search.map(lector_store::search_words).and_then(|words| {
            let text = format!("{}. {}", article.headline, lector_article::to_text(article));
            lector_core::library::snippet(&text, &words).map(|pieces| {
                pieces
                    .iter()
                    .map(|p| {
                        let text = crate::http::html::escape(&p.text);
                        if p.matched { format!("<mark>{text}</mark>") } else { text }
                    })
                    .collect()
            })
        });
        let source = article
            .canonical_url
            .as_deref()
            .or(article.source_url.as_deref())
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").to_string()));
        LibraryItemView {
            id: entry.article.id,
            url: page_path(&entry.article),
            headline: article.headline.clone(),
            source,
            saved_at: rfc3339(entry.item.saved_at),
            archived: entry.item.archived_at.is_some(),
            favourite: entry.item.favourite,
            read: entry.item.read_at.is_some(),
            tags: entry.tags.clone(),
            reading_minutes: article.reading_time(core.config.site.words_per_minute).minutes.max(1),
            listen_minutes: entry
                .listen_ms
                .map(|ms| u32::try_from((ms + 59_999) / 60_000).unwrap_or(u32::MAX)),
            snippet_html,
        }
    }
}

/// A save still being read, as the API and the library page show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SaveView {
    pub id: i64,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub attempts: i64,
    pub error: Option<String>,
    /// The article it became, once done.
    pub article_id: Option<i64>,
    pub created_at: String,
}

impl SaveView {
    pub fn build(save: &lector_store::PendingSave) -> SaveView {
        SaveView {
            id: save.id,
            state: save.state.as_str().into(),
            url: save.url.clone(),
            title: save.title.clone(),
            attempts: save.attempts,
            error: save.last_error.clone(),
            article_id: save.article_id,
            created_at: rfc3339(save.created_at),
        }
    }
}

/// An article of a reader's listen queue, with what a player needs to play it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedView {
    pub id: i64,
    pub headline: String,
    pub url: String,
    pub audio_url: String,
    pub timings_url: String,
}

/// The reader's listen queue, in order.
pub async fn queued(core: &Core, user: i64) -> Result<Vec<QueuedView>, lector_store::StoreError> {
    let mut items = Vec::new();
    for id in core.store.queue(user).await? {
        if let Some(record) = core.store.article(id).await? {
            items.push(QueuedView {
                id,
                headline: record.article.headline.clone(),
                url: page_path(&record),
                audio_url: format!("/api/articles/{id}/audio"),
                timings_url: format!("/api/articles/{id}/timings"),
            });
        }
    }
    Ok(items)
}
