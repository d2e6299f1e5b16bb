//! Articles in: every way an article arrives (the API's article JSON, a page or text to
//! extract, a feed item, the demo) ends in [`ingest`], which validates it, digests its spoken
//! text, stores it and queues its narration and its images.

use lector_article::{Article, ArticleJson, DEFAULT_WORDS_PER_MINUTE};
use lector_extract::{Options, Warning, extract_html, extract_markdown, extract_text};
use lector_store::{ArticleRecord, ListQuery, NewArticle, Page, Publication, SaveOutcome, Saved};

use crate::config::SiteMode;
use crate::context::{Core, now};
use crate::error::{Code, Error};
use crate::fetch::FetchError;
use crate::metrics::Metrics;
use crate::narration;

/// Most characters in a headline.
pub const MAX_HEADLINE_CHARS: usize = 1_000;
/// Most blocks in an article body.
pub const MAX_BLOCKS: usize = 5_000;
/// Most summary bullets: a summary is a glance, and the player reads it before the story.
pub const MAX_SUMMARY_BULLETS: usize = 5;

/// The article with this id, or `article_not_found`, whether it is public or not.
pub async fn find(core: &Core, id: i64) -> Result<ArticleRecord, Error> {
    core.store.article(id).await?.ok_or_else(|| Error::no_article(id))
}

/// The article with this id as `viewer` may see it: a draft or a scheduled article is
/// `article_not_found` to readers, exactly as an article that does not exist; on a site in
/// library mode, so is every article that is not in the asker's own library.
pub async fn find_for(core: &Core, id: i64, viewer: Viewer) -> Result<ArticleRecord, Error> {
    if core.config.site.mode == SiteMode::Library {
        let Viewer::Member(user) = viewer else { return Err(Error::no_article(id)) };
        if core.store.library_item(user, id).await?.is_none() {
            return Err(Error::no_article(id));
        }
        return find(core, id).await;
    }
    let record = find(core, id).await?;
    if record.is_public() || viewer == Viewer::Staff { Ok(record) } else { Err(Error::no_article(id)) }
}

/// A page of articles as `viewer` may list them: on a site in library mode, only the asker's
/// own library (nothing for anyone else); otherwise as `query` asks, unpublished articles
/// for staff only.
pub async fn list_for(core: &Core, query: &ListQuery, viewer: Viewer) -> Result<Page<ArticleRecord>, Error> {
    let mut query = query.clone();
    if core.config.site.mode == SiteMode::Library {
        let Viewer::Member(user) = viewer else { return Ok(Page { items: Vec::new(), total: 0 }) };
        query.member = Some(user);
        query.unpublished = true;
    } else {
        query.member = None;
        query.unpublished &= viewer == Viewer::Staff;
    }
    Ok(core.store.list_articles(&query).await?)
}

/// Who is asking, as far as unpublished articles and libraries go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Anyone: published articles only.
    Reader,
    /// Signed-in staff who edit articles, or a token that may write them: drafts too.
    Staff,
    /// A signed-in user (or their token) on a site in library mode: their own library only.
    Member(lector_store::Id),
}

/// The publication state an API request asks for: `status` (`draft`, `scheduled`,
/// `published`) and `publish_at` (RFC 3339). Neither: `None` (new articles are published, a
/// revision keeps its state). A time alone schedules; a time already past publishes.
pub fn publication(status: Option<&str>, publish_at: Option<&str>) -> Result<Option<Publication>, Error> {
    let at = match publish_at.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Some(
            chrono::DateTime::parse_from_rfc3339(text)
                .map_err(|e| {
                    Error::refused(
                        Code::InvalidPublication,
                        format!("publish_at {text:?} is not an RFC 3339 time: {e}"),
                    )
                })
                .map(|at| embargo_second(&at))?,
        ),
        None => None,
    };
    let scheduled = |at: i64| if at <= now() { Publication::Published } else { Publication::Scheduled(at) };
    match (status.map(str::trim), at) {
        (None, None) => Ok(None),
        (Some("published"), None) => Ok(Some(Publication::Published)),
        (Some("draft"), None) => Ok(Some(Publication::Draft)),
        (Some("scheduled") | None, Some(at)) => Ok(Some(scheduled(at))),
        (Some("scheduled"), None) => {
            Err(Error::refused(Code::InvalidPublication, "a scheduled article needs publish_at"))
        }
        (Some("published" | "draft"), Some(_)) => {
            Err(Error::refused(Code::InvalidPublication, "publish_at goes with status scheduled only"))
        }
        (Some(other), _) => Err(Error::refused(
            Code::InvalidPublication,
            format!("status {other:?} is not one of draft, scheduled and published"),
        )),
    }
}

/// Makes an article a draft, scheduled or published; `article_not_found` when there is none.
pub async fn set_publication(core: &Core, id: i64, publication: Publication) -> Result<(), Error> {
    let was_public = find(core, id).await?.is_public();
    if !core.store.set_publication(id, publication, now()).await? {
        return Err(Error::no_article(id));
    }
    if publication == Publication::Published && !was_public {
        crate::webhooks::notify(core, crate::webhooks::ARTICLE_PUBLISHED, id).await;
    }
    Ok(())
}

/// How often scheduled articles are looked for: an embargo lifts within this long of its time,
/// and never before it.
pub const PUBLISH_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Publishes scheduled articles as their time comes, until the server stops.
pub fn spawn_publisher(core: &Core) -> tokio::task::JoinHandle<()> {
    let core = core.clone();
    tokio::spawn(async move {
        let mut stopping = core.stopping.clone();
        while !core.is_stopping() {
            if let Err(e) = publish_due(&core).await {
                tracing::error!("publishing scheduled articles: {e}");
            }
            tokio::select! {
                () = tokio::time::sleep(PUBLISH_EVERY) => {}
                _ = stopping.changed() => {}
            }
        }
    })
}

/// Publishes the scheduled articles whose time has come; run every few seconds by the nodes
/// that run jobs (each due article is published by one of them).
pub async fn publish_due(core: &Core) -> Result<Vec<i64>, Error> {
    let published = core.store.publish_due(now()).await?;
    for id in &published {
        tracing::info!(article = id, "published at its scheduled time");
        crate::webhooks::notify(core, crate::webhooks::ARTICLE_PUBLISHED, *id).await;
    }
    Ok(published)
}

/// The whole second an embargo lifts at: a time within a second is rounded up, as the store
/// keeps whole seconds and an article is never published before its time.
fn embargo_second<Tz: chrono::TimeZone>(at: &chrono::DateTime<Tz>) -> i64 {
    at.timestamp() + i64::from(at.timestamp_subsec_nanos() > 0)
}

/// Stores an article (shared by every way in): validates it, digests its spoken text,
/// saves it and queues its narration when the spoken text is new.
pub async fn ingest(
    core: &Core,
    article: Article,
    external_id: Option<String>,
    publication: Option<Publication>,
) -> Result<Saved, Error> {
    let existing = match external_id.as_deref().or(article.canonical_url.as_deref()) {
        Some(key) => core.store.article_known_as(key.trim()).await?,
        None => None,
    };
    let new = NewArticle { publication, ..prepare(core, article, external_id, existing).await? };
    // A revision that publishes a draft publishes it: what it was is read first, only then.
    let was_public = match (publication, existing) {
        (Some(Publication::Published), Some(id)) => {
            core.store.article(id).await?.is_some_and(|r| r.is_public())
        }
        _ => true,
    };
    let saved = core.store.save_article(new, now()).await?;
    let needs_audio =
        matches!(saved.outcome, SaveOutcome::Created | SaveOutcome::Revised { spoken_changed: true });
    if saved.outcome != SaveOutcome::Unchanged {
        Metrics::add(&core.metrics.articles_saved, 1);
    }
    if saved.record.is_public() && (saved.outcome == SaveOutcome::Created || !was_public) {
        crate::webhooks::notify(core, crate::webhooks::ARTICLE_PUBLISHED, saved.record.id).await;
    }
    // An article in a language no voice speaks is stored without a narration (the API says so).
    if let Some(voice) = core.voice_of(&saved.record)
        && (needs_audio || !narration::is_ready(core.store.as_ref(), &saved.record, &voice).await?)
    {
        queue_narration(core, saved.record.id, &voice).await;
    }
    queue_images(core, &saved.record).await;
    Ok(saved)
}

/// Replaces article `id` with a new revision; `article_not_found` when there is no such
/// article.
pub async fn replace(
    core: &Core,
    id: i64,
    article: Article,
    external_id: Option<String>,
    publication: Option<Publication>,
) -> Result<Saved, Error> {
    let new = NewArticle { publication, ..prepare(core, article, external_id, Some(id)).await? };
    let was_public = find(core, id).await?.is_public();
    let saved = core.store.replace_article(id, new, now()).await?.ok_or_else(|| Error::no_article(id))?;
    if saved.record.is_public() && !was_public {
        crate::webhooks::notify(core, crate::webhooks::ARTICLE_PUBLISHED, id).await;
    }
    if saved.outcome == (SaveOutcome::Revised { spoken_changed: true })
        && let Some(voice) = core.voice_of(&saved.record)
    {
        queue_narration(core, id, &voice).await;
    }
    queue_images(core, &saved.record).await;
    Ok(saved)
}

/// A validated article with the digest of what its narration says (CPU work, off the async
/// threads), the site's lexicon and the words editors gave for the `existing` article's
/// sentences applied.
async fn prepare(
    core: &Core,
    article: Article,
    external_id: Option<String>,
    existing: Option<i64>,
) -> Result<NewArticle, Error> {
    let article = without_nul(article);
    validate(&article)?;
    let config = core.config.clone();
    let lexicon = narration::article_lexicon(core.store.as_ref(), existing).await?;
    let (article, spoken_hash) = tokio::task::spawn_blocking(move || {
        let hash = narration::spoken_hash(&article, &config.site, &lexicon);
        (article, hash)
    })
    .await
    .map_err(Error::internal)?;
    let external_id =
        external_id.map(|id| id.replace('\0', "").trim().to_string()).filter(|id| !id.is_empty());
    Ok(NewArticle { article, external_id, spoken_hash, publication: None })
}

/// The article without NUL characters, wherever they are: they carry no text, and no
/// database keeps them alike (PostgreSQL refuses them in text and JSON).
pub fn without_nul(article: Article) -> Article {
    fn drop_nul(value: &mut serde_json::Value) -> bool {
        match value {
            serde_json::Value::String(text) if text.contains('\0') => {
                text.retain(|c| c != '\0');
                true
            }
            serde_json::Value::Array(items) => {
                items.iter_mut().fold(false, |found, item| drop_nul(item) | found)
            }
            serde_json::Value::Object(fields) => {
                fields.values_mut().fold(false, |found, field| drop_nul(field) | found)
            }
            _ => false,
        }
    }
    let Ok(mut value) = serde_json::to_value(&article) else { return article };
    if !drop_nul(&mut value) {
        return article;
    }
    serde_json::from_value(value).unwrap_or(article)
}

/// Queues the article's narration in `voice`. The article is stored already, and
/// the answer says so: a queue that refuses the job (a full disk) leaves the article without
/// a narration (its `narration` says none), which storing it again queues.
async fn queue_narration(core: &Core, id: i64, voice: &str) {
    match core.store.enqueue_narration(id, voice, now()).await {
        Ok(_) => core.jobs_waiting.notify_waiters(),
        Err(e) => tracing::error!(article = id, "queueing the narration: {e}"),
    }
}

/// Queues the narration of article `id`'s current revision in `voice` (nothing to do when its
/// audio in that voice is kept already); `article_not_found` when there is no such article.
pub async fn narrate_in(core: &Core, id: i64, voice: &str) -> Result<(), Error> {
    if core.store.article(id).await?.is_none() {
        return Err(Error::no_article(id));
    }
    core.store.enqueue_narration(id, voice, now()).await?;
    core.jobs_waiting.notify_waiters();
    Ok(())
}

/// Queues the keeping of the article's images that are not kept yet. As with the narration,
/// a queue that refuses the job leaves the article stored, and storing it again queues it.
async fn queue_images(core: &Core, record: &ArticleRecord) {
    if let Err(e) = crate::images::queue_images(core, record).await {
        tracing::error!(article = record.id, "queueing the article's images: {e}");
    }
}

/// Whether an article can be stored: a headline and a body, within the limits.
pub fn validate(article: &Article) -> Result<(), Error> {
    let headline = article.headline.trim();
    if headline.is_empty() {
        return Err(Error::refused(Code::MissingHeadline, "an article needs a headline"));
    }
    if headline.chars().count() > MAX_HEADLINE_CHARS {
        return Err(Error::refused(
            Code::HeadlineTooLong,
            format!("a headline has at most {MAX_HEADLINE_CHARS} characters"),
        ));
    }
    if article.body.is_empty() {
        return Err(Error::refused(Code::EmptyBody, "an article needs a body"));
    }
    if article.body.len() > MAX_BLOCKS {
        return Err(Error::refused(Code::BodyTooLong, format!("an article has at most {MAX_BLOCKS} blocks")));
    }
    if article.summary.len() > MAX_SUMMARY_BULLETS {
        return Err(Error::refused(
            Code::SummaryTooLong,
            format!("a summary has at most {MAX_SUMMARY_BULLETS} bullets"),
        ));
    }
    Ok(())
}

/// A page or text to read an article from.
#[derive(Debug, Clone)]
pub struct Source {
    pub bytes: Vec<u8>,
    /// The content type it came with: `text/plain` is read as pasted text, `text/markdown` as
    /// Markdown, anything else as HTML.
    pub content_type: String,
    /// The page's address, for its links and images.
    pub base_url: Option<url::Url>,
}

/// Fetches a web page through the safe fetcher.
pub async fn fetch_page(core: &Core, url: &str) -> Result<Source, Error> {
    let fetched = core.fetcher.get(url, &["text/html", "application/xhtml+xml"]).await.map_err(|e| {
        if matches!(e, FetchError::Refused(_)) {
            Metrics::add(&core.metrics.fetches_refused, 1);
        }
        Error::from(e)
    })?;
    Ok(Source { bytes: fetched.bytes, content_type: fetched.content_type, base_url: Some(fetched.url) })
}

/// Extracts the article of a page or text and stores it; the extraction's warnings come
/// back with it.
pub async fn extract_and_ingest(
    core: &Core,
    source: Source,
    external_id: Option<String>,
) -> Result<(Saved, Vec<String>), Error> {
    if source.bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::refused(Code::EmptyBody, "there is nothing to extract"));
    }
    let plain = source.content_type.starts_with("text/plain");
    let markdown = source.content_type.starts_with("text/markdown");
    let extraction = tokio::task::spawn_blocking(move || {
        if plain {
            extract_text(&String::from_utf8_lossy(&source.bytes))
        } else if markdown {
            extract_markdown(&String::from_utf8_lossy(&source.bytes))
        } else {
            let options = Options { base_url: source.base_url, content_type: Some(source.content_type) };
            extract_html(&source.bytes, &options)
        }
    })
    .await
    .map_err(Error::internal)?;
    if extraction.warnings.contains(&Warning::Binary) {
        return Err(Error::refused(
            Code::BinaryInput,
            "the input looks like binary data, not a page or text",
        ));
    }
    if extraction.article.body.is_empty() || extraction.article.headline.trim().is_empty() {
        return Err(Error::refused(Code::NoArticle, "no article was found in the input"));
    }
    let warnings = extraction.warnings.iter().map(ToString::to_string).collect();
    let saved = ingest(core, extraction.article, external_id, None).await?;
    Ok((saved, warnings))
}

/// The reading rate used for the reading time in article JSON.
pub fn words_per_minute() -> u32 {
    DEFAULT_WORDS_PER_MINUTE
}

/// The article's JSON form, as `lector extract` prints it.
pub fn article_json(article: &Article) -> serde_json::Value {
    serde_json::to_value(ArticleJson::new(article, words_per_minute())).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embargo_within_a_second_lifts_at_the_next_whole_second() {
        let at = |text: &str| publication(None, Some(text)).expect("valid");
        assert_eq!(at("2099-01-01T00:00:05.300Z"), Some(Publication::Scheduled(4_070_908_806)));
        assert_eq!(at("2099-01-01T00:00:05Z"), Some(Publication::Scheduled(4_070_908_805)));
        assert_eq!(at("2099-01-01T01:00:05.000000001+01:00"), Some(Publication::Scheduled(4_070_908_806)));
        assert_eq!(at("2001-01-01T00:00:05.300Z"), Some(Publication::Published));
    }
}
