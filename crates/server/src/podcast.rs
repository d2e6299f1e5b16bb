//! Podcast feeds: RSS 2.0 with iTunes tags, one for the site and one per topic, listing the
//! articles whose narration in the default voice is ready.

use std::fmt::Write;

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use lector_store::{ArticleRecord, ListQuery, RenditionKey};

use crate::api::views::page_url;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiPath;
use crate::state::AppState;

/// Items in a feed at most.
pub const FEED_ITEMS: u32 = 50;

/// The site's podcast: every narrated article, newest first.
#[utoipa::path(get, path = "/feeds/podcast.xml", tag = "feeds",
    responses((status = 200, description = "RSS 2.0 with iTunes tags", content_type = "application/rss+xml")))]
pub async fn site_feed(State(state): State<AppState>) -> Result<Response, ApiError> {
    let title = state.config.site.name.clone();
    feed(&state, None, &title, "/feeds/podcast.xml").await
}

/// A topic's podcast.
#[utoipa::path(get, path = "/feeds/topics/{slug}/podcast.xml", tag = "feeds",
    params(("slug" = String, Path, description = "Topic slug")),
    responses((status = 200, description = "RSS 2.0 with iTunes tags", content_type = "application/rss+xml"),
        (status = 404, body = ErrorBody)))]
pub async fn topic_feed(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Response, ApiError> {
    let topics = state.store.topics().await?;
    let topic = topics
        .iter()
        .find(|t| t.slug == slug)
        .ok_or_else(|| ApiError::not_found("topic_not_found", format!("no topic {slug:?}")))?;
    let title = format!("{}: {}", state.config.site.name, topic.name);
    feed(&state, Some(slug.clone()), &title, &format!("/feeds/topics/{slug}/podcast.xml")).await
}

async fn feed(
    state: &AppState,
    topic: Option<String>,
    title: &str,
    path: &str,
) -> Result<Response, ApiError> {
    let query = ListQuery { topic, limit: FEED_ITEMS, ..ListQuery::default() };
    let articles = state.store.list_articles(&query).await?.items;
    let base = state.config.public_url();
    let voice = &state.voices.default;
    let mut items = String::new();
    for record in &articles {
        let key = RenditionKey {
            article: record.id,
            spoken_hash: record.spoken_hash.clone(),
            voice: voice.clone(),
            format: "mp3".into(),
        };
        if let Some(rendition) = state.store.rendition(&key).await? {
            items.push_str(&item(state, record, &base, rendition.bytes, rendition.duration_ms));
        }
    }
    let site = &state.config.site;
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" \
         xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
         <title>{title}</title>\n<link>{base}/</link>\n<description>{description}</description>\n\
         <language>{language}</language>\n<atom:link href=\"{base}{path}\" rel=\"self\" type=\"application/rss+xml\"/>\n\
         <itunes:author>{author}</itunes:author>\n<itunes:explicit>false</itunes:explicit>\n\
         <itunes:category text=\"News\"/>\n<itunes:type>episodic</itunes:type>\n{items}</channel>\n</rss>\n",
        title = escape(title),
        base = escape(&base),
        description = escape(&site.description),
        language = escape(&site.language),
        path = escape(path),
        author = escape(&site.name),
    );
    Ok(([(CONTENT_TYPE, "application/rss+xml; charset=utf-8"), (CACHE_CONTROL, "public, max-age=300")], xml)
        .into_response())
}

fn item(state: &AppState, record: &ArticleRecord, base: &str, bytes: i64, duration_ms: i64) -> String {
    let article = &record.article;
    let published = article.published.map_or_else(
        || chrono::DateTime::from_timestamp(record.created_at, 0).unwrap_or_default().to_rfc2822(),
        |d| d.to_rfc2822(),
    );
    let description = article
        .description
        .clone()
        .or_else(|| article.summary.first().cloned())
        .unwrap_or_else(|| article.body.first().map(|b| b.text()).unwrap_or_default());
    let authors: Vec<&str> = article.authors.iter().map(|a| a.name.as_str()).collect();
    let seconds = duration_ms / 1000;
    format!(
        "<item>\n<title>{title}</title>\n<link>{link}</link>\n<guid isPermaLink=\"false\">lector-article-{id}</guid>\n\
         <pubDate>{published}</pubDate>\n<description>{description}</description>\n\
         <enclosure url=\"{base}/api/articles/{id}/audio?format=mp3\" length=\"{bytes}\" type=\"audio/mpeg\"/>\n\
         <itunes:duration>{h:02}:{m:02}:{s:02}</itunes:duration>\n<itunes:author>{authors}</itunes:author>\n\
         <itunes:explicit>false</itunes:explicit>\n</item>\n",
        title = escape(&article.headline),
        link = escape(&page_url(state, record)),
        id = record.id,
        description = escape(&description),
        base = escape(base),
        h = seconds / 3600,
        m = seconds / 60 % 60,
        s = seconds % 60,
        authors = escape(&authors.join(", ")),
    )
}

/// XML text and attribute escaping; characters XML 1.0 forbids are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
