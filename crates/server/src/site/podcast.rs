//! Podcast feeds: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, one for the site and
//! one per topic, listing the articles whose narration in their voice is ready; each reader's
//! private feed on a library (and its episodes) under a secret address; and the show's own
//! cover for sites that configure none.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use lector_core::articles::Viewer;
use lector_core::config::SiteMode;
use lector_store::{ArticleRecord, LibraryQuery, ListQuery, RenditionKey, Shelf};
use rss::extension::Extension;
use rss::extension::itunes::{ITunesCategory, ITunesChannelExtension, ITunesItemExtension, ITunesOwner};

use crate::http::blob::serve_blob;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::state::AppState;
use crate::views::page_url;
use lector_core::images::local_url;

/// Items in a feed at most.
pub const FEED_ITEMS: u32 = 50;

/// The iTunes namespace, which Apple Podcasts and Spotify read.
const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
/// The Podcasting 2.0 namespace (chapters).
const PODCAST: &str = "https://podcastindex.org/namespace/1.0";
/// Side of the server's own cover, the least Apple Podcasts takes.
const COVER_SIDE: u32 = 1400;

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
    let articles = lector_core::articles::list_for(state, &query, Viewer::Reader).await?.items;
    channel(state, &articles, title, path, None, "public, max-age=300").await
}

/// The feed of `articles` whose narration is ready, at `path`; a private feed's episodes
/// (`secret`) are fetched from under its own secret address.
async fn channel(
    state: &AppState,
    articles: &[ArticleRecord],
    title: &str,
    path: &str,
    secret: Option<&str>,
    cache: &'static str,
) -> Result<Response, ApiError> {
    let base = state.config.public_url();
    let mut items = Vec::new();
    for record in articles {
        // Each episode in its article's voice; an article no voice reads is left out.
        let Some(voice) = state.voice_of(record) else { continue };
        let key = RenditionKey {
            article: record.id,
            spoken_hash: record.spoken_hash.clone(),
            voice,
            format: "mp3".into(),
        };
        if let Some(rendition) = state.store.rendition(&key).await? {
            // A library's pictures are its reader's: a podcast app has no session to show.
            let image = match &record.article.lead_image {
                Some(_) if secret.is_some() => None,
                Some(lead) => state
                    .store
                    .image(&lead.url)
                    .await?
                    .map(|kept| format!("{base}{}", local_url(&kept, 1400))),
                None => None,
            };
            items.push(item(state, record, &base, &rendition, image, secret));
        }
    }
    let site = &state.config.site;
    let podcast = &state.config.podcast;
    let cover = match &podcast.image_url {
        Some(url) if url.starts_with('/') => format!("{base}{url}"),
        Some(url) => url.clone(),
        None => format!("{base}/feeds/podcast.png"),
    };
    let namespaces = BTreeMap::from([
        ("itunes".to_string(), ITUNES.to_string()),
        ("podcast".to_string(), PODCAST.to_string()),
    ]);
    let channel = rss::Channel {
        title: clean(title),
        link: format!("{base}/"),
        description: clean(&site.description),
        language: Some(clean(&site.language)),
        namespaces,
        image: Some(rss::Image {
            url: cover.clone(),
            title: clean(title),
            link: format!("{base}/"),
            ..rss::Image::default()
        }),
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
            explicit: Some(podcast.explicit.to_string()),
            image: Some(cover),
            owner: Some(ITunesOwner {
                name: Some(clean(podcast.owner_name.as_deref().unwrap_or(&site.name))),
                email: podcast.owner_email.as_deref().map(clean),
            }),
            categories: vec![ITunesCategory {
                text: clean(&podcast.category),
                subcategory: podcast
                    .subcategory
                    .as_deref()
                    .map(|sub| Box::new(ITunesCategory { text: clean(sub), subcategory: None })),
            }],
            summary: Some(clean(&site.description)),
            r#type: Some("episodic".into()),
            ..ITunesChannelExtension::default()
        }),
        items,
        ..rss::Channel::default()
    };
    let xml = channel.pretty_write_to(Vec::new(), b' ', 1).map_err(|e| ApiError::internal(&e))?;
    Ok(([(CONTENT_TYPE, "application/rss+xml; charset=utf-8"), (CACHE_CONTROL, cache)], xml).into_response())
}

fn item(
    state: &AppState,
    record: &ArticleRecord,
    base: &str,
    rendition: &lector_store::Rendition,
    image: Option<String>,
    secret: Option<&str>,
) -> rss::Item {
    let (bytes, duration_ms) = (rendition.bytes, rendition.duration_ms);
    let article = &record.article;
    let published = article.published.map_or_else(
        || chrono::DateTime::from_timestamp(record.created_at, 0).unwrap_or_default().to_rfc2822(),
        |d| d.to_rfc2822(),
    );
    let mut description = article
        .description
        .clone()
        .or_else(|| article.summary.first().cloned())
        .unwrap_or_else(|| article.body.first().map(|b| b.text()).unwrap_or_default());
    // A saved article's notes say where it came from.
    if secret.is_some()
        && let Some(source) = article.canonical_url.as_ref().or(article.source_url.as_ref())
    {
        description = format!("{description}\n\nSource: {source}");
    }
    let authors: Vec<&str> = article.authors.iter().map(|a| a.name.as_str()).collect();
    let seconds = duration_ms / 1000;
    let voice = &rendition.key.voice;
    let chapters = Extension {
        name: "podcast:chapters".into(),
        attrs: BTreeMap::from([
            (
                "url".to_string(),
                format!("{base}/api/articles/{}/chapters.json?voice={}", record.id, query_value(voice)),
            ),
            ("type".to_string(), "application/json+chapters".to_string()),
        ]),
        ..Extension::default()
    };
    let extensions = match secret {
        Some(_) => BTreeMap::new(),
        None => BTreeMap::from([(
            "podcast".to_string(),
            BTreeMap::from([("chapters".to_string(), vec![chapters])]),
        )]),
    };
    let audio = match secret {
        Some(secret) => format!("{base}/feeds/private/{secret}/audio/{}.mp3", record.id),
        None => format!("{base}/api/articles/{}/audio?format=mp3", record.id),
    };
    rss::Item {
        title: Some(clean(&article.headline)),
        link: Some(page_url(state, record)),
        guid: Some(rss::Guid { value: format!("lector-article-{}", record.id), permalink: false }),
        pub_date: Some(published),
        description: Some(clean(&description)),
        enclosure: Some(rss::Enclosure {
            url: audio,
            length: bytes.to_string(),
            mime_type: "audio/mpeg".into(),
        }),
        itunes_ext: Some(ITunesItemExtension {
            duration: Some(format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)),
            author: Some(clean(&authors.join(", "))),
            explicit: Some(state.config.podcast.explicit.to_string()),
            image,
            ..ITunesItemExtension::default()
        }),
        extensions,
        ..rss::Item::default()
    }
}

/// Which of a reader's articles their private feed lists.
#[derive(Debug, serde::Deserialize)]
pub struct PrivateFeedParams {
    /// `unread` (the default: newest saved first) or `queue` (in the queue's order).
    list: Option<String>,
}

/// `/feeds/private/{secret}/podcast.xml`: a reader's own podcast on a library, the unread
/// articles (or, with `?list=queue`, the queue) whose narration is ready, for any podcast app
/// (no session: the secret in the address is the key, and a new one ends it).
pub async fn private_feed(
    State(state): State<AppState>,
    ApiPath(secret): ApiPath<String>,
    ApiQuery(params): ApiQuery<PrivateFeedParams>,
) -> Result<Response, ApiError> {
    let user = feed_reader(&state, &secret).await?;
    let (articles, title, path) = match params.list.as_deref() {
        Some("queue") => {
            let mut articles = Vec::new();
            for id in state.store.queue(user).await?.into_iter().take(FEED_ITEMS as usize) {
                articles.extend(state.store.article(id).await?);
            }
            let title = format!("{}: your queue", state.config.site.name);
            (articles, title, format!("/feeds/private/{secret}/podcast.xml?list=queue"))
        }
        None | Some("unread") => {
            let query =
                LibraryQuery { user, shelf: Shelf::Unread, limit: FEED_ITEMS, ..LibraryQuery::default() };
            let articles: Vec<ArticleRecord> =
                state.store.library(&query).await?.items.into_iter().map(|entry| entry.article).collect();
            let title = format!("{}: your library", state.config.site.name);
            (articles, title, format!("/feeds/private/{secret}/podcast.xml"))
        }
        Some(_) => {
            return Err(ApiError::bad_request("invalid_list", "list is unread (the default) or queue"));
        }
    };
    channel(&state, &articles, &title, &path, Some(&secret), "private, max-age=60").await
}

/// `/feeds/private/{secret}/audio/{id}.mp3`: an episode of a reader's own podcast (Range,
/// conditional requests).
pub async fn private_audio(
    State(state): State<AppState>,
    ApiPath((secret, file)): ApiPath<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let user = feed_reader(&state, &secret).await?;
    let missing = || ApiError::not_found("article_not_found", "no such episode");
    let id: i64 = file.strip_suffix(".mp3").and_then(|id| id.parse().ok()).ok_or_else(missing)?;
    lector_core::articles::find_for(&state, id, Viewer::Member(user)).await?;
    let (store, blobs) = (state.store.as_ref(), state.blobs.as_ref());
    let for_article = |record: &ArticleRecord| state.voice_of(record);
    let ready = state.audio.ready(&state.changes, store, blobs, id, None, &for_article, "mp3").await?;
    let ready =
        ready.ok_or_else(|| ApiError::not_found("audio_not_ready", "the narration is not ready yet"))?;
    serve_blob(
        state.core(),
        &ready.rendition.blob,
        Some(ready.length),
        "audio/mpeg",
        "private, max-age=86400",
        &headers,
    )
    .await
}

/// The reader whose feed secret this is, on a library; 404 otherwise (a wrong or revoked
/// secret is no feed at all).
async fn feed_reader(state: &AppState, secret: &str) -> Result<i64, ApiError> {
    let none = || ApiError::not_found("feed_not_found", "no such feed");
    if state.config.site.mode != SiteMode::Library {
        return Err(none());
    }
    lector_core::library::feed_owner(state, secret).await?.ok_or_else(none)
}

/// A voice id as a query value (`kokoro:af_heart`, `piper:en_US-libritts-high#p123`).
fn query_value(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The server's own cover, made once: the show's mark (sound bars) on a plain ground, as a PNG.
pub async fn cover() -> Response {
    static COVER: OnceLock<Vec<u8>> = OnceLock::new();
    let png = COVER.get_or_init(|| {
        let side = COVER_SIDE;
        let (ground, mark) = (image::Rgb([27u8, 42, 58]), image::Rgb([242u8, 184, 75]));
        // Eleven bars, tallest in the middle, as a voice's level.
        let heights = [0.18f32, 0.3, 0.45, 0.62, 0.5, 0.74, 0.5, 0.62, 0.45, 0.3, 0.18];
        let bar = side / 24;
        let gap = bar;
        let width = heights.len() as u32 * (bar + gap) - gap;
        let left = (side - width) / 2;
        let picture = image::RgbImage::from_fn(side, side, |x, y| {
            let column = x.checked_sub(left).filter(|c| *c < width);
            let lit = column.is_some_and(|c| {
                let (index, within) = (c / (bar + gap), c % (bar + gap));
                let half = heights[index as usize] * side as f32 / 2.0;
                within < bar && (y as f32 - side as f32 / 2.0).abs() <= half
            });
            if lit { mark } else { ground }
        });
        let mut png = Vec::new();
        let encoded = image::DynamicImage::ImageRgb8(picture)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png);
        if let Err(e) = encoded {
            tracing::error!("drawing the podcast cover: {e}");
        }
        png
    });
    ([(CONTENT_TYPE, "image/png"), (CACHE_CONTROL, "public, max-age=86400")], png.clone()).into_response()
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
