//! Feed polling: RSS and Atom (feed-rs) fetched with conditional GET on each feed's interval;
//! every new item becomes an article, from `content:encoded` when it holds the full text,
//! otherwise by fetching and extracting the item's page.

use std::time::Duration;

use lector_article::{Article, Author, Topic};
use lector_extract::{Options, extract_document, extract_html};
use lector_store::Feed;

use crate::articles::ingest;
use crate::context::{Core, now};
use crate::error::{Code, Error};
use crate::fetch::{Conditional, FetchError};
use crate::metrics::Metrics;

/// Feed content types accepted (many servers say `text/xml` or `application/xml`).
pub const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
];
/// Items taken from one poll at most; the rest wait for the next.
pub const MAX_ITEMS_PER_POLL: usize = 50;
/// Words from which an item's own content counts as the full article.
pub const FULL_TEXT_WORDS: usize = 150;

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("not a valid RSS or Atom feed: {0}")]
    Invalid(String),
}

/// Parses feed bytes.
pub fn parse(bytes: &[u8]) -> Result<feed_rs::model::Feed, FeedError> {
    feed_rs::parser::parse(bytes).map_err(|e| FeedError::Invalid(e.to_string()))
}

/// Fetches and parses a feed, for checking one before it is added.
pub async fn fetch(core: &Core, url: &str) -> Result<feed_rs::model::Feed, FeedError> {
    let fetched = core.fetcher.get(url, FEED_TYPES).await?;
    let bytes = fetched.bytes;
    tokio::task::spawn_blocking(move || parse(&bytes)).await.map_err(|e| FeedError::Invalid(e.to_string()))?
}

/// How long a feed taken for a poll is held before it is due again, should its poll never
/// record the next time (its node stopped): a poll's fetches stay well within it.
const POLL_HOLD_SECS: i64 = 600;

/// Longest interval between polls: a week.
pub const MAX_INTERVAL_SECS: u64 = 7 * 24 * 3600;

/// Adds a feed after checking that it fetches and parses (or changes a known feed's
/// interval); its first poll starts at once, in the background.
pub async fn add(core: &Core, url: &str, interval: Option<u64>) -> Result<Feed, Error> {
    let config = &core.config.feeds;
    let interval = interval.unwrap_or(config.default_interval_secs);
    if interval < config.min_interval_secs || interval > MAX_INTERVAL_SECS {
        return Err(Error::refused(
            Code::InvalidInterval,
            format!("interval is {} to {MAX_INTERVAL_SECS} seconds", config.min_interval_secs),
        ));
    }
    match fetch(core, url).await {
        Ok(_) => {}
        Err(FeedError::Fetch(e)) => return Err(e.into()),
        Err(e @ FeedError::Invalid(_)) => return Err(Error::refused(Code::InvalidFeed, e.to_string())),
    }
    let feed = core.store.save_feed(url, i64::try_from(interval).unwrap_or(i64::MAX), now()).await?;
    let polled = core.clone();
    tokio::spawn(async move { poll_due(&polled).await });
    Ok(feed)
}

/// Stops polling a feed (its articles stay); `feed_not_found` when there is none.
pub async fn remove(core: &Core, id: i64) -> Result<(), Error> {
    if core.store.delete_feed(id).await? {
        Ok(())
    } else {
        Err(Error::refused(Code::FeedNotFound, format!("no feed {id}")))
    }
}

/// Polls due feeds every few seconds until the server stops.
pub fn spawn_poller(core: &Core) -> tokio::task::JoinHandle<()> {
    let core = core.clone();
    tokio::spawn(async move {
        let mut stopping = core.stopping.clone();
        while !core.is_stopping() {
            poll_due(&core).await;
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(5)) => {}
                _ = stopping.changed() => {}
            }
        }
    })
}

/// Polls every feed that is due, one after the other, each taken from the store first: however
/// many nodes poll, each due feed is polled by one.
pub async fn poll_due(core: &Core) {
    while !core.is_stopping() {
        let now = now();
        match core.store.claim_due_feed(now, now + POLL_HOLD_SECS).await {
            Ok(Some(feed)) => poll(core, &feed).await,
            Ok(None) => return,
            Err(e) => {
                tracing::error!("feeds: {e}");
                return;
            }
        }
    }
}

/// One poll of one feed: new items become articles; the validators and the next poll time
/// are kept, with the error when there was one.
pub async fn poll(core: &Core, feed: &Feed) {
    Metrics::add(&core.metrics.feed_polls, 1);
    let next_poll_at = now() + feed.interval_secs.max(1);
    let fetched = core
        .fetcher
        .get_conditional(&feed.url, FEED_TYPES, feed.etag.as_deref(), feed.last_modified.as_deref())
        .await;
    let mut poll = lector_store::FeedPoll { next_poll_at, ..Default::default() };
    match fetched {
        Ok(Conditional::NotModified) => {}
        Ok(Conditional::Fetched(fetched)) => {
            poll.etag = fetched.etag.clone();
            poll.last_modified = fetched.last_modified.clone();
            let bytes = fetched.bytes;
            match tokio::task::spawn_blocking(move || parse(&bytes)).await {
                Ok(Ok(parsed)) => take_items(core, feed, parsed).await,
                Ok(Err(e)) => poll.error = Some(e.to_string()),
                Err(e) => poll.error = Some(e.to_string()),
            }
        }
        Err(e) => poll.error = Some(e.to_string()),
    }
    if let Some(error) = &poll.error {
        tracing::warn!(feed = feed.id, url = feed.url, "feed poll: {error}");
    }
    if let Err(e) = core.store.feed_polled(feed.id, &poll).await {
        tracing::error!(feed = feed.id, "recording the poll: {e}");
    }
}

async fn take_items(core: &Core, feed: &Feed, parsed: feed_rs::model::Feed) {
    // Oldest first, so that articles are stored in the order they were published.
    let mut entries = parsed.entries;
    entries.reverse();
    let mut taken = 0;
    for entry in entries {
        if taken == MAX_ITEMS_PER_POLL {
            break;
        }
        let guid = entry.id.clone();
        match core.store.feed_item_seen(feed.id, &guid).await {
            Ok(false) => {}
            Ok(true) => continue,
            Err(e) => {
                tracing::error!("feed items: {e}");
                return;
            }
        }
        taken += 1;
        match item_article(core, &entry).await {
            Ok(Some(article)) => {
                let external_id = article.canonical_url.is_none().then(|| format!("feed:{}:{guid}", feed.id));
                match ingest(core, article, external_id, None).await {
                    Ok(saved) => {
                        let _ = core.store.save_feed_item(feed.id, &guid, Some(saved.record.id), now()).await;
                    }
                    Err(e) => {
                        tracing::warn!(feed = feed.id, guid, "feed item not stored: {e}");
                        // An item that can never be stored (no headline, say) is not tried again.
                        if matches!(e, Error::Refused { .. }) {
                            let _ = core.store.save_feed_item(feed.id, &guid, None, now()).await;
                        }
                    }
                }
            }
            // Nothing to extract: remember the item so that it is not fetched again.
            Ok(None) => {
                let _ = core.store.save_feed_item(feed.id, &guid, None, now()).await;
            }
            // A page that could not be fetched is tried again at the next poll.
            Err(e) => tracing::warn!(feed = feed.id, guid, "feed item page: {e}"),
        }
    }
}

/// Where a feed item's article comes from.
#[derive(Debug)]
pub enum ItemSource {
    /// The item's own content is the full text: this article.
    Own(Box<Article>),
    /// Only a summary: the article is on this page.
    Page(String),
    /// Neither.
    Nothing,
}

/// The item's link to its page.
fn item_link(entry: &feed_rs::model::Entry) -> Option<String> {
    entry.links.iter().find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate")).map(|l| l.href.clone())
}

/// Decides where a feed item's article comes from, extracting its own content when that
/// holds the full text (pure: no fetching).
pub fn item_source(entry: &feed_rs::model::Entry) -> ItemSource {
    let link = item_link(entry);
    let title = entry.title.as_ref().map(|t| t.content.trim().to_string()).unwrap_or_default();
    let content = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
    if lector_article::count_words(&strip_tags(&content)) >= FULL_TEXT_WORDS {
        let base = link.as_deref().and_then(|l| url::Url::parse(l).ok());
        let html = format!(
            "<html><head><title>{0}</title></head><body><article><h1>{0}</h1>{content}</article></body></html>",
            escape(&title)
        );
        return ItemSource::Own(Box::new(extract_document(&html, base.as_ref()).article));
    }
    match link {
        Some(link) => ItemSource::Page(link),
        None => ItemSource::Nothing,
    }
}

/// Fills what the extracted article lacks from the feed item: headline, address, dates,
/// authors and topics. `None` when there is no article text.
pub fn complete(mut article: Article, entry: &feed_rs::model::Entry) -> Option<Article> {
    if article.body.is_empty() {
        return None;
    }
    if article.headline.trim().is_empty() {
        article.headline = entry.title.as_ref().map(|t| t.content.trim().to_string()).unwrap_or_default();
    }
    if article.canonical_url.is_none() {
        article.canonical_url = item_link(entry);
    }
    if article.published.is_none() {
        article.published = entry.published.or(entry.updated).map(|d| d.fixed_offset());
    }
    if article.authors.is_empty() {
        article.authors = entry
            .authors
            .iter()
            .filter_map(|p| p.name.clone().filter(|n| !n.trim().is_empty()))
            .map(|name| Author { name, url: None })
            .collect();
    }
    if article.topics.is_empty() {
        for category in &entry.categories {
            let name = category.label.clone().unwrap_or_else(|| category.term.clone());
            let topic = Topic::new(&name);
            if !topic.slug.is_empty() && !article.topics.contains(&topic) {
                article.topics.push(topic);
            }
        }
    }
    Some(article)
}

/// The article of one feed item, from its own content when that is the full text, else from
/// its page; `None` when there is no article in either.
async fn item_article(core: &Core, entry: &feed_rs::model::Entry) -> Result<Option<Article>, FetchError> {
    let entry_owned = entry.clone();
    let source = tokio::task::spawn_blocking(move || item_source(&entry_owned))
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    let article = match source {
        ItemSource::Own(article) => *article,
        ItemSource::Nothing => return Ok(None),
        ItemSource::Page(link) => {
            let fetched = core.fetcher.get(&link, &["text/html", "application/xhtml+xml"]).await?;
            tokio::task::spawn_blocking(move || {
                let options =
                    Options { base_url: Some(fetched.url), content_type: Some(fetched.content_type) };
                extract_html(&fetched.bytes, &options).article
            })
            .await
            .map_err(|e| FetchError::Network(e.to_string()))?
        }
    };
    Ok(complete(article, entry))
}

/// Text without its markup (each tag made a space).
pub(crate) fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                text.push(' ');
            }
            c if !inside => text.push(c),
            _ => {}
        }
    }
    text
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
    }

    #[test]
    fn full_text_items_are_read_from_the_feed_and_others_from_their_page() {
        for name in ["rss.xml", "atom.xml"] {
            let feed = parse(&fixture(name)).expect("parses");
            assert_eq!(feed.entries.len(), 2, "{name}");
            let ItemSource::Own(own) = item_source(&feed.entries[0]) else { panic!("{name}: full text") };
            let article = complete(*own, &feed.entries[0]).expect("an article");
            assert!(article.word_count() > FULL_TEXT_WORDS, "{name}");
            assert!(
                article
                    .canonical_url
                    .as_deref()
                    .is_some_and(|u| u.starts_with("https://harbourtimes.example/"))
            );
            assert!(
                article.published.is_some() && !article.authors.is_empty() && !article.topics.is_empty(),
                "{name}: {article:?}"
            );
            assert!(
                matches!(item_source(&feed.entries[1]), ItemSource::Page(link) if link.starts_with("https://harbourtimes.example/"))
            );
        }
        assert!(parse(b"<html><body>not a feed</body></html>").is_err());
        assert!(parse(b"").is_err());
    }
}
