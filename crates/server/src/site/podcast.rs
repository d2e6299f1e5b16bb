//! Podcast feeds: RSS 2.0 with iTunes tags, one for the site and one per topic, listing the
//! articles whose narration in the default voice is ready.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use lector_store::{ArticleRecord, ListQuery, RenditionKey};
use rss::extension::itunes::{ITunesCategory, ITunesChannelExtension, ITunesItemExtension};

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::state::AppState;
use crate::views::page_url;

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
    let mut items = Vec::new();
    for record in &articles {
        let key = RenditionKey {
            article: record.id,
            spoken_hash: record.spoken_hash.clone(),
            voice: voice.clone(),
            format: "mp3".into(),
        };
        if let Some(rendition) = state.store.rendition(&key).await? {
            items.push(item(state, record, &base, rendition.bytes, rendition.duration_ms));
        }
    }
    let site = &state.config.site;
    let channel = rss::Channel {
        title: clean(title),
        link: format!("{base}/"),
        description: clean(&site.description),
        language: Some(clean(&site.language)),
        atom_ext: Some(rss::extension::atom::AtomExtension {
            links: vec![rss::extension::atom::Link {
                href: format!("{base}{path}"),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..rss::extension::atom::Link::default()
            }],
        }),
        itunes_ext: Some(ITunesChannelExtension {
            author: Some(clean(&site.name)),
            explicit: Some("false".into()),
            categories: vec![ITunesCategory { text: "News".into(), subcategory: None }],
            r#type: Some("episodic".into()),
            ..ITunesChannelExtension::default()
        }),
        items,
        ..rss::Channel::default()
    };
    let xml = channel.pretty_write_to(Vec::new(), b' ', 1).map_err(|e| ApiError::internal(&e))?;
    Ok(([(CONTENT_TYPE, "application/rss+xml; charset=utf-8"), (CACHE_CONTROL, "public, max-age=300")], xml)
        .into_response())
}

fn item(state: &AppState, record: &ArticleRecord, base: &str, bytes: i64, duration_ms: i64) -> rss::Item {
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
    rss::Item {
        title: Some(clean(&article.headline)),
        link: Some(page_url(state, record)),
        guid: Some(rss::Guid { value: format!("lector-article-{}", record.id), permalink: false }),
        pub_date: Some(published),
        description: Some(clean(&description)),
        enclosure: Some(rss::Enclosure {
            url: format!("{base}/api/articles/{}/audio?format=mp3", record.id),
            length: bytes.to_string(),
            mime_type: "audio/mpeg".into(),
        }),
        itunes_ext: Some(ITunesItemExtension {
            duration: Some(format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)),
            author: Some(clean(&authors.join(", "))),
            explicit: Some("false".into()),
            ..ITunesItemExtension::default()
        }),
        ..rss::Item::default()
    }
}

/// Text without the characters XML 1.0 forbids (the writer escapes the rest).
fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || !((c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(clean("a\u{0}b\u{1b}c\td\u{FFFF}"), "abc\td");
    }
}
