//! The article site: home, topic, author and article pages, the embeddable player and
//! oEmbed, from templates compiled into the binary (minijinja) and one CSS and one JS file.
//! Every template gets a view struct built here from the store's records. Nothing here
//! imports `crate::api`.

pub mod assets;
pub mod body;
pub mod console;
pub mod library;
pub mod podcast;
pub mod render_cache;
pub mod sitemap;

use std::sync::{Arc, OnceLock};

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use lector_article::{Article, Image};
use lector_speech::Part;
use lector_store::{ArticleRecord, ImageRecord, ListQuery};
use minijinja::Environment;
use serde::{Deserialize, Serialize};

use lector_core::articles::Viewer;
use lector_core::config::SiteMode;
use lector_core::images::local_url;
use lector_core::narration;

use crate::http::auth::Asking;
pub use crate::http::cookies::{cookie, csrf_cookie};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::http::html::{escape, sanitize};
use crate::state::AppState;
use crate::views::{page_path, page_url};
use body::{body_html, marked_text, utterances_of};
use render_cache::{FigureView, RenderKey, Rendered};

/// Articles per list page.
pub const PAGE_SIZE: u32 = 20;
/// Speeds offered in the player, from 0.5× to 3×.
pub const SPEEDS: [f32; 11] = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0];

fn templates() -> &'static Environment<'static> {
    static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut env = Environment::new();
        // HTML escaping as the rest of lector does it (minijinja's own also escapes '/', which
        // makes every URL unreadable); nothing for absent values.
        env.set_formatter(|out, state, value| {
            if value.is_undefined() || value.is_none() {
                return Ok(());
            }
            if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
                return out.write_str(&escape(&value.to_string())).map_err(minijinja::Error::from);
            }
            minijinja::escape_formatter(out, state, value)
        });
        for (name, source) in [
            ("base.html", include_str!("../../templates/base.html")),
            ("list.html", include_str!("../../templates/list.html")),
            ("article.html", include_str!("../../templates/article.html")),
            ("player.html", include_str!("../../templates/player.html")),
            ("figure.html", include_str!("../../templates/figure.html")),
            ("comment.html", include_str!("../../templates/comment.html")),
            ("console_base.html", include_str!("../../templates/console_base.html")),
            ("console_login.html", include_str!("../../templates/console_login.html")),
            ("console_articles.html", include_str!("../../templates/console_articles.html")),
            ("console_article.html", include_str!("../../templates/console_article.html")),
            ("console_comments.html", include_str!("../../templates/console_comments.html")),
            ("console_analytics.html", include_str!("../../templates/console_analytics.html")),
            ("console_lexicon.html", include_str!("../../templates/console_lexicon.html")),
            ("embed.html", include_str!("../../templates/embed.html")),
            ("library.html", include_str!("../../templates/library.html")),
            ("library_item.html", include_str!("../../templates/library_item.html")),
            ("library_account.html", include_str!("../../templates/library_account.html")),
            ("library_queue.html", include_str!("../../templates/library_queue.html")),
            ("error.html", include_str!("../../templates/error.html")),
        ] {
            if let Err(e) = env.add_template(name, source) {
                tracing::error!("template {name}: {e}");
            }
        }
        env
    })
}

/// A page that could not be shown, as HTML.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    message: String,
}

impl PageError {
    fn not_found() -> PageError {
        PageError::new(StatusCode::NOT_FOUND, "There is no such page.")
    }

    fn new(status: StatusCode, message: impl Into<String>) -> PageError {
        PageError { status, message: message.into() }
    }
}

impl From<lector_store::StoreError> for PageError {
    fn from(error: lector_store::StoreError) -> PageError {
        let api = crate::http::error::ApiError::from(error);
        PageError::new(api.status, "Something went wrong on our side. Please try again.")
    }
}

/// A refusal of the work below HTTP, with the status and message the API would give.
impl From<lector_core::Error> for PageError {
    fn from(error: lector_core::Error) -> PageError {
        let api = crate::http::error::ApiError::from(error);
        PageError::new(api.status, api.message)
    }
}

impl From<minijinja::Error> for PageError {
    fn from(error: minijinja::Error) -> PageError {
        tracing::error!("template: {error:#}");
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.")
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let html = templates()
            .get_template("error.html")
            .and_then(|t| {
                t.render(minijinja::context! { status => self.status.as_u16(), message => self.message })
            })
            .unwrap_or_else(|_| self.message.to_string());
        (self.status, Html(html)).into_response()
    }
}

fn render(name: &str, view: impl Serialize) -> Result<Response, PageError> {
    let html = templates().get_template(name)?.render(view)?;
    Ok(Html(html).into_response())
}

#[derive(Debug, Serialize)]
struct SiteView {
    name: String,
    language: String,
    logo_url: Option<String>,
    standards_url: Option<String>,
    topics: Vec<Link>,
    asset_version: &'static str,
    /// A site in library mode: each reader's own library, no comments, no public feeds.
    library: bool,
    /// The reader's comfort as the root element's classes (a library's signed-in reader).
    reading: String,
}

#[derive(Debug, Serialize)]
struct Link {
    name: String,
    url: String,
}

#[derive(Debug, Serialize)]
struct When {
    iso: String,
    text: String,
}

/// A date as readers see it, with its time zone: "18 April 2026, 08:00 UTC+8".
fn when(date: &chrono::DateTime<chrono::FixedOffset>) -> When {
    let offset = date.offset().local_minus_utc() / 60;
    let zone = match (offset.signum(), offset.abs() / 60, offset.abs() % 60) {
        (0, _, _) => "UTC".to_string(),
        (sign, hours, 0) => format!("UTC{}{hours}", if sign < 0 { '−' } else { '+' }),
        (sign, hours, minutes) => format!("UTC{}{hours}:{minutes:02}", if sign < 0 { '−' } else { '+' }),
    };
    When { iso: date.to_rfc3339(), text: format!("{} {zone}", date.format("%-d %B %Y, %H:%M")) }
}

async fn site(state: &AppState) -> Result<SiteView, PageError> {
    let site = &state.config.site;
    let library = site.mode == SiteMode::Library;
    // A library's topics are each reader's own: the masthead names none.
    let topics = if library {
        Vec::new()
    } else {
        state
            .store
            .topics()
            .await?
            .into_iter()
            .filter(|t| t.articles > 0)
            .take(8)
            .map(|t| Link { url: format!("/topics/{}", t.slug), name: t.name })
            .collect()
    };
    Ok(SiteView {
        name: site.name.clone(),
        language: site.language.clone(),
        logo_url: site.logo_url.clone(),
        standards_url: site.standards_url.clone(),
        topics,
        asset_version: assets::version(),
        library,
        reading: String::new(),
    })
}

/// The site as `viewer` sees it: a library's reader gets their reading comfort.
async fn site_for(state: &AppState, viewer: Viewer) -> Result<SiteView, PageError> {
    let mut view = site(state).await?;
    if let Viewer::Member(user) = viewer {
        view.reading = lector_core::library::reading(state.store.as_ref(), user).await?.classes();
    }
    Ok(view)
}

/// "Reading time: 3 minutes" at the site's rate, never 0.
fn reading(article: &Article, words_per_minute: u32) -> String {
    let minutes = article.reading_time(words_per_minute).minutes.max(1);
    format!("Reading time: {minutes} minute{}", if minutes == 1 { "" } else { "s" })
}

fn byline_text(article: &Article) -> String {
    let names: Vec<&str> = article.authors.iter().map(|a| a.name.as_str()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => format!("By {one}"),
        [rest @ .., last] => format!("By {} and {last}", rest.join(", ")),
    }
}

#[derive(Debug, Serialize)]
struct ListItem {
    url: String,
    headline: String,
    standfirst: Option<String>,
    topics: Vec<Link>,
    byline: String,
    published: Option<When>,
    reading: String,
}

#[derive(Debug, Serialize)]
struct ListPage {
    site: SiteView,
    heading: String,
    canonical: String,
    feed_url: Option<String>,
    items: Vec<ListItem>,
    previous_url: Option<String>,
    next_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    page: Option<u32>,
}

fn topic_links(article: &Article) -> Vec<Link> {
    article
        .topics
        .iter()
        .filter(|t| !t.slug.is_empty())
        .map(|t| Link { name: t.name.clone(), url: format!("/topics/{}", t.slug) })
        .collect()
}

async fn list_page(
    state: &AppState,
    viewer: Viewer,
    heading: String,
    path: &str,
    query: ListQuery,
    page: u32,
    feed_url: Option<String>,
) -> Result<Response, PageError> {
    let page = page.clamp(1, 100_000);
    let query = ListQuery { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, ..query };
    let found = lector_core::articles::list_for(state, &query, viewer).await?;
    let wpm = state.config.site.words_per_minute;
    let items = found
        .items
        .iter()
        .map(|record| {
            let article = &record.article;
            ListItem {
                url: page_path(record),
                headline: article.headline.clone(),
                standfirst: article.summary.first().cloned().or_else(|| article.description.clone()),
                topics: topic_links(article),
                byline: byline_text(article),
                published: article.published.as_ref().map(when),
                reading: reading(article, wpm),
            }
        })
        .collect();
    let next_url = (i64::from(page * PAGE_SIZE) < found.total).then(|| format!("{path}?page={}", page + 1));
    let previous_url =
        (page > 1).then(|| if page == 2 { path.to_string() } else { format!("{path}?page={}", page - 1) });
    render(
        "list.html",
        ListPage {
            site: site_for(state, viewer).await?,
            heading,
            canonical: format!("{}{path}", state.config.public_url()),
            feed_url,
            items,
            previous_url,
            next_url,
        },
    )
}

/// A page kept whole per version of what it shows (`article`'s pages, or any page's for
/// `None`; see [`crate::http::page_cache`]), made by `render` when it is not kept.
async fn kept<Fut>(
    state: &AppState,
    uri: &Uri,
    article: Option<i64>,
    render: impl FnOnce() -> Fut,
) -> Response
where
    Fut: Future<Output = Result<Response, PageError>>,
{
    state.page_cache.answer(&state.changes, uri, article, || async { render().await.into_response() }).await
}

/// The latest articles; a reader's library on a site in library mode.
pub async fn home(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<PageParams>,
    Asking(viewer): Asking,
    uri: Uri,
) -> Response {
    if state.config.site.mode == SiteMode::Library {
        return axum::response::Redirect::to("/library").into_response();
    }
    let page = params.page.unwrap_or(1);
    kept(&state, &uri, None, || {
        list_page(&state, viewer, "Latest".to_string(), "/", ListQuery::default(), page, None)
    })
    .await
}

/// A topic's articles (in library mode, the reader's own).
pub async fn topic(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    Asking(viewer): Asking,
    uri: Uri,
) -> Response {
    let page = params.page.unwrap_or(1);
    kept(&state, &uri, None, || topic_page(&state, viewer, slug, page)).await
}

async fn topic_page(
    state: &AppState,
    viewer: Viewer,
    slug: String,
    page: u32,
) -> Result<Response, PageError> {
    let topics = state.store.topics().await?;
    let topic = topics.into_iter().find(|t| t.slug == slug).ok_or_else(PageError::not_found)?;
    let query = ListQuery { topic: Some(slug.clone()), ..ListQuery::default() };
    // A topic none of the reader's own articles has is not theirs to see.
    if state.config.site.mode == SiteMode::Library
        && lector_core::articles::list_for(state, &ListQuery { limit: 1, ..query.clone() }, viewer)
            .await?
            .total
            == 0
    {
        return Err(PageError::not_found());
    }
    let feed = Some(format!("/feeds/topics/{slug}/podcast.xml"));
    list_page(state, viewer, topic.name, &format!("/topics/{slug}"), query, page, feed).await
}

/// An author's articles (in library mode, the reader's own).
pub async fn author(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    Asking(viewer): Asking,
    uri: Uri,
) -> Response {
    let page = params.page.unwrap_or(1);
    kept(&state, &uri, None, || author_page(&state, viewer, slug, page)).await
}

async fn author_page(
    state: &AppState,
    viewer: Viewer,
    slug: String,
    page: u32,
) -> Result<Response, PageError> {
    let query = ListQuery { author: Some(slug.clone()), ..ListQuery::default() };
    let first =
        lector_core::articles::list_for(state, &ListQuery { limit: 1, ..query.clone() }, viewer).await?;
    let record = first.items.first().ok_or_else(PageError::not_found)?;
    let name = record
        .article
        .authors
        .iter()
        .find(|a| lector_article::slugify(&a.name) == slug)
        .map_or_else(|| slug.clone(), |a| a.name.clone());
    list_page(state, viewer, name, &format!("/authors/{slug}"), query, page, None).await
}

/// How an image shows: the kept copy with its caption and credit; an image that could not be
/// kept (refused, gone, too large) shows its caption and credit alone, and nothing without them.
/// On a library each image's address names its article (`?article=`), whose reader alone may
/// load it.
fn shown_image(image: &Image, kept: Option<&ImageRecord>, article: Option<i64>) -> Option<FigureView> {
    match kept {
        Some(kept) => Some(figure_view(image, kept, article)),
        None if image.caption.is_some() || image.credit.is_some() => Some(FigureView {
            src: String::new(),
            srcset: None,
            alt: String::new(),
            caption: image.caption.clone(),
            credit: image.credit.clone(),
            width: None,
            height: None,
        }),
        None => None,
    }
}

fn figure_view(image: &Image, kept: &ImageRecord, article: Option<i64>) -> FigureView {
    let of = article.map(|id| format!("?article={id}")).unwrap_or_default();
    let mut srcset: Vec<String> =
        kept.variants.iter().map(|(w, blob)| format!("/images/{blob}{of} {w}w")).collect();
    srcset.push(format!("/images/{}{of} {}w", kept.blob, kept.width));
    FigureView {
        src: format!("{}{of}", local_url(kept, 960)),
        srcset: Some(srcset.join(", ")),
        alt: image.alt.clone().unwrap_or_default(),
        caption: image.caption.clone(),
        credit: image.credit.clone(),
        width: Some(kept.width),
        height: Some(kept.height),
    }
}

fn figure_html(view: &FigureView) -> Result<String, minijinja::Error> {
    templates().get_template("figure.html")?.render(minijinja::context! { image => view })
}

#[derive(Debug, Serialize)]
struct ArticleView {
    id: i64,
    /// The publisher's page: "Originally published at …".
    original: Option<Link>,
    headline: String,
    headline_html: String,
    trail: Vec<Link>,
    bullets: Vec<String>,
    reading: String,
    comment_count: i64,
    comment_badge: String,
    comment_label: String,
    lead: Option<FigureView>,
    byline_html: String,
    published: Option<When>,
    updated: Option<When>,
    blocks: Vec<String>,
    next: Option<NextView>,
    comments: Vec<crate::views::CommentView>,
}

#[derive(Debug, Serialize)]
struct NextView {
    url: String,
    /// Its player alone, which the embed plays next in place (article pages refuse frames).
    embed_url: String,
    headline: String,
}

#[derive(Debug, Serialize)]
struct PageMeta {
    canonical: String,
    description: String,
    image: Option<String>,
    json_ld: String,
    oembed_url: String,
}

#[derive(Debug, Serialize)]
struct PlayerView {
    config: String,
    audio_url: String,
    transcript_url: String,
    speeds: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ArticlePage {
    site: SiteView,
    page: PageMeta,
    article: ArticleView,
    /// None when no installed voice speaks the article's language.
    player: Option<PlayerView>,
    /// For staff looking at an article readers cannot see: "Draft: not public", say.
    unpublished: Option<String>,
    /// The reader's own item of the article, on a library: its state and tags, with forms.
    item: Option<ItemControls>,
}

/// What staff are told of an unpublished article they look at.
fn unpublished_notice(record: &ArticleRecord) -> Option<String> {
    match record.publication() {
        lector_store::Publication::Published => None,
        lector_store::Publication::Draft => Some("Draft: readers cannot see this article.".into()),
        lector_store::Publication::Scheduled(at) => {
            let at = crate::views::rfc3339(at);
            Some(format!("Scheduled: readers can see this article from {at}."))
        }
    }
}

/// "99+" above 99.
pub fn comment_badge(count: i64) -> String {
    if count > 99 { "99+".into() } else { count.to_string() }
}

/// The article and its page furniture, shared by the article page and the embed.
async fn article_page(state: &AppState, id: i64, viewer: Viewer) -> Result<ArticlePage, PageError> {
    let record = lector_core::articles::find_for(state, id, viewer).await?;
    let mut kept = std::collections::HashMap::new();
    for url in lector_core::images::image_urls(&record.article) {
        if let Some(image) = state.store.image(&url).await? {
            kept.insert(url, image);
        }
    }
    let mut images: Vec<&ImageRecord> = kept.values().collect();
    images.sort_by(|a, b| a.source_url.cmp(&b.source_url));
    let key = RenderKey::new(id, record.revision, &images);
    let parts = match state.render_cache.get(&key) {
        Some(parts) => parts,
        None => {
            let parts = Arc::new(render_parts(state, &record, &kept).await?);
            state.render_cache.insert(key, Arc::clone(&parts));
            parts
        }
    };
    let article = &record.article;
    let config = &state.config.site;
    let comment_count = state.store.comment_count(id).await?;
    let query = lector_store::CommentQuery { newest_first: true, limit: 50, offset: 0 };
    let comments =
        state.store.comments(id, &query).await?.items.iter().map(crate::views::CommentView::build).collect();
    let canonical = canonical_url(state, &record);
    let next = next_article(state, &record, viewer).await?;
    // No voice speaks the article's language: the page has no player.
    let listen = state.voice_of(&record);
    let audio = match &listen {
        Some(voice) => audio_object(state, &record, voice).await?,
        None => None,
    };
    let default_voice = listen.clone().unwrap_or_else(|| state.voices.default.clone());
    // A library's reader resumes where they were, on whichever device they were.
    let resume = match viewer {
        Viewer::Member(user) => {
            state.store.library_item(user, id).await?.and_then(|item| item.position_sentence)
        }
        _ => None,
    };
    let player_config = serde_json::json!({
        "library": matches!(viewer, Viewer::Member(_)),
        "resume": resume,
        "id": id,
        "title": article.headline,
        "site": config.name,
        "voice": default_voice,
        "language": crate::views::primary_language_of(state, article),
        "wpm": lector_speech::voice::stored_wpm(&default_voice),
        "audio_url": format!("/api/articles/{id}/audio"),
        "timings_url": format!("/api/articles/{id}/timings"),
        "transcript_url": format!("/api/articles/{id}/transcript.vtt"),
        "follow": config.follow_along,
        "up_next": config.up_next,
        "next": next.as_ref().map(|n| n.url.clone()),
        "next_embed": next.as_ref().map(|n| n.embed_url.clone()),
        "artwork": parts.lead.as_ref().filter(|f| !f.src.is_empty()).map(|f| f.src.clone()),
    });
    Ok(ArticlePage {
        site: site_for(state, viewer).await?,
        page: PageMeta {
            canonical,
            description: parts.description.clone(),
            image: parts.image_url.clone(),
            json_ld: page_json_ld(&parts.json_ld, audio),
            oembed_url: format!(
                "/oembed?url={}",
                url::form_urlencoded::byte_serialize(page_url(state, &record).as_bytes()).collect::<String>()
            ),
        },
        player: listen.is_some().then(|| PlayerView {
            config: player_config.to_string(),
            audio_url: format!("/api/articles/{id}/audio"),
            transcript_url: format!("/api/articles/{id}/transcript.vtt"),
            speeds: SPEEDS.iter().map(|s| s.to_string()).collect(),
        }),
        unpublished: unpublished_notice(&record),
        item: None,
        article: ArticleView {
            id,
            headline: article.headline.clone(),
            headline_html: parts.headline_html.clone(),
            trail: topic_links(article),
            bullets: parts.bullets.clone(),
            reading: reading(article, config.words_per_minute),
            comment_count,
            comment_badge: comment_badge(comment_count),
            comment_label: format!("{comment_count} comment{}", if comment_count == 1 { "" } else { "s" }),
            lead: parts.lead.clone(),
            byline_html: parts.byline_html.clone(),
            published: article.published.as_ref().map(when),
            updated: article.updated.as_ref().filter(|u| Some(*u) != article.published.as_ref()).map(when),
            original: publisher_url(&record).map(|url| Link {
                name: url.host_str().unwrap_or_default().trim_start_matches("www.").to_string(),
                url: url.to_string(),
            }),
            blocks: parts.blocks.clone(),
            next,
            comments,
        },
    })
}

/// What an article page shows that its revision and its kept images decide: the narration
/// script's sentence marks in the sanitized headline, summary, byline and body, the lead
/// figure, the description and the JSON-LD.
async fn render_parts(
    state: &AppState,
    record: &ArticleRecord,
    kept: &std::collections::HashMap<String, ImageRecord>,
) -> Result<Rendered, PageError> {
    let article = &record.article;
    let script = {
        let (article, config) = (article.clone(), state.config.clone());
        tokio::task::spawn_blocking(move || narration::script(&article, &config.site))
            .await
            .map_err(|_| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong."))?
    };
    let owner = (state.config.site.mode == SiteMode::Library).then_some(record.id);
    let lead = article.lead_image.as_ref().and_then(|image| shown_image(image, kept.get(&image.url), owner));
    let image_html = |image: &Image| -> Option<String> {
        let view = shown_image(image, kept.get(&image.url), owner)?;
        figure_html(&view).ok()
    };
    let config = &state.config.site;
    let blocks =
        body_html(&article.body, &script, config.ad_every, &image_html).iter().map(|b| sanitize(b)).collect();
    let headline_html = sanitize(&marked_text(&article.headline, &utterances_of(&script, Part::Headline)));
    let bullets = article
        .summary
        .iter()
        .enumerate()
        .map(|(i, bullet)| sanitize(&marked_text(bullet, &utterances_of(&script, Part::Summary(i)))))
        .collect();
    let byline_utterance = utterances_of(&script, Part::Byline).first().map(|(i, _)| *i);
    let author_links: Vec<String> = article
        .authors
        .iter()
        .map(|a| {
            format!(
                "<a href=\"/authors/{}\">{}</a>",
                escape(&lector_article::slugify(&a.name)),
                escape(&a.name)
            )
        })
        .collect();
    let byline_html = match (author_links.as_slice(), byline_utterance) {
        ([], _) => String::new(),
        (links, utterance) => {
            let names = match links {
                [one] => one.clone(),
                [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
                [] => String::new(),
            };
            sanitize(&match utterance {
                Some(u) => format!("<span class=\"s\" data-u=\"{u}\">By {names}</span>"),
                None => format!("By {names}"),
            })
        }
    };
    let base = state.config.public_url();
    let image_url = lead.as_ref().filter(|f| !f.src.is_empty()).map(|f| format!("{base}{}", f.src));
    let description = article
        .description
        .clone()
        .or_else(|| article.summary.first().cloned())
        .or_else(|| article.body.first().map(|b| b.text()))
        .unwrap_or_default();
    let json_ld = json_ld(state, record, &canonical_url(state, record), image_url.as_deref(), &description);
    Ok(Rendered { headline_html, bullets, byline_html, blocks, description, lead, image_url, json_ld })
}

/// The article after this one: the next older one in its primary topic, else on the site.
async fn next_article(
    state: &AppState,
    record: &ArticleRecord,
    viewer: Viewer,
) -> Result<Option<NextView>, PageError> {
    let topic = record.article.topics.first().map(|t| t.slug.clone());
    for topic in [topic, None] {
        let query = ListQuery { topic, older_than: Some(record.id), limit: 1, ..ListQuery::default() };
        if let Some(next) = lector_core::articles::list_for(state, &query, viewer).await?.items.first() {
            return Ok(Some(NextView {
                url: page_path(next),
                embed_url: format!("/embed/{}", next.id),
                headline: next.article.headline.clone(),
            }));
        }
    }
    Ok(None)
}

/// schema.org NewsArticle, safe inside a `<script>` element.
fn json_ld(
    state: &AppState,
    record: &ArticleRecord,
    canonical: &str,
    image: Option<&str>,
    description: &str,
) -> String {
    let article = &record.article;
    let base = state.config.public_url();
    let value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": description,
        "mainEntityOfPage": canonical,
        "url": canonical,
        "datePublished": article.published.map(|d| d.to_rfc3339()),
        "dateModified": article.updated.or(article.published).map(|d| d.to_rfc3339()),
        "author": article.authors.iter().map(|a| serde_json::json!({
            "@type": "Person", "name": a.name, "url": format!("{base}/authors/{}", lector_article::slugify(&a.name)),
        })).collect::<Vec<_>>(),
        "image": image.map(|i| vec![i]),
        "articleSection": article.topics.first().map(|t| t.name.clone()),
        "keywords": article.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        "wordCount": article.word_count(),
        "publisher": {"@type": "Organization", "name": state.config.site.name, "logo": state.config.site.logo_url},
    });
    value.to_string()
}

/// The page's JSON-LD: the revision's, with the narration as an `AudioObject` when it is
/// ready. Nothing in it can end the script element or open markup: '<', '>' and '&' are
/// escaped.
fn page_json_ld(json_ld: &str, audio: Option<serde_json::Value>) -> String {
    let mut value: serde_json::Value = serde_json::from_str(json_ld).unwrap_or_default();
    if let (Some(audio), Some(object)) = (audio, value.as_object_mut()) {
        object.insert("audio".into(), audio);
    }
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The narration in the article's voice as schema.org's `AudioObject`, once it is ready.
async fn audio_object(
    state: &AppState,
    record: &ArticleRecord,
    voice: &str,
) -> Result<Option<serde_json::Value>, PageError> {
    let key = lector_store::RenditionKey {
        article: record.id,
        spoken_hash: record.spoken_hash.clone(),
        voice: voice.to_string(),
        format: "mp3".into(),
    };
    let Some(rendition) = state.store.rendition(&key).await? else { return Ok(None) };
    let seconds = rendition.duration_ms.max(0) / 1000;
    Ok(Some(serde_json::json!({
        "@type": "AudioObject",
        "name": record.article.headline,
        "contentUrl": format!("{}/api/articles/{}/audio", state.config.public_url(), record.id),
        "encodingFormat": "audio/mpeg",
        "contentSize": rendition.bytes,
        "duration": format!("PT{}M{}S", seconds / 60, seconds % 60),
        "transcript": format!("{}/api/articles/{}/transcript.vtt", state.config.public_url(), record.id),
    })))
}

/// The publisher's own address of the article, when it has one on the web.
fn publisher_url(record: &ArticleRecord) -> Option<url::Url> {
    let url = url::Url::parse(record.article.canonical_url.as_deref()?).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// Where search engines and shares should point: the publisher's own page when the article
/// has one, else this site's page.
fn canonical_url(state: &AppState, record: &ArticleRecord) -> String {
    publisher_url(record).map_or_else(|| page_url(state, record), |url| url.to_string())
}

#[derive(Debug, Deserialize)]
pub struct ArticlePath {
    id: i64,
    #[allow(dead_code)]
    slug: Option<String>,
}

/// The article page (`/articles/{id}` and `/articles/{id}/{slug}`): the same for every
/// reader, so kept whole until what it shows changes.
pub async fn article(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<ArticlePath>,
    Asking(viewer): Asking,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let id = path.id;
    if viewer == Viewer::Staff {
        let page = article_page(&state, id, viewer).await;
        return for_staff(page.and_then(|page| render("article.html", page)));
    }
    if let Viewer::Member(_) = viewer {
        return library_article(&state, id, viewer, &headers, &uri).await.into_response();
    }
    kept(&state, &uri, Some(id), || async { render("article.html", article_page(&state, id, viewer).await?) })
        .await
}

/// An article of the reader's own library, with the forms of their item: never kept.
async fn library_article(
    state: &AppState,
    id: i64,
    viewer: Viewer,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<Response, PageError> {
    let mut page = article_page(state, id, viewer).await?;
    let (csrf, cookie) = ensure_csrf(headers)?;
    page.item = item_controls(state, viewer, id, csrf, uri.path().to_string()).await?;
    let mut response = render("article.html", page)?;
    if let Some(cookie) = cookie {
        response.headers_mut().append(axum::http::header::SET_COOKIE, cookie);
    }
    response
        .headers_mut()
        .insert(axum::http::header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    Ok(response)
}

/// A reader's highlight as the page shows it and its script finds it in the text.
#[derive(Debug, Serialize)]
struct HighlightView {
    id: i64,
    quote: String,
    prefix: String,
    suffix: String,
    note: String,
}

/// The forms of one item under its article page.
#[derive(Debug, Serialize)]
struct ItemControls {
    csrf: String,
    archived: bool,
    favourite: bool,
    read: bool,
    tags: String,
    back: String,
    highlights: Vec<HighlightView>,
    /// The same, for the page's script (which marks them in the text).
    highlights_json: String,
}

/// The reader's item of an article, for its page's forms; `None` off a library.
async fn item_controls(
    state: &AppState,
    viewer: Viewer,
    id: i64,
    csrf: String,
    back: String,
) -> Result<Option<ItemControls>, PageError> {
    let Viewer::Member(user) = viewer else { return Ok(None) };
    let Some(item) = state.store.library_item(user, id).await? else { return Ok(None) };
    let tags = state.store.item_tags(user, id).await?.join(", ");
    let highlights: Vec<HighlightView> = state
        .store
        .highlights(user, id)
        .await?
        .into_iter()
        .map(|h| HighlightView { id: h.id, quote: h.quote, prefix: h.prefix, suffix: h.suffix, note: h.note })
        .collect();
    let highlights_json = serde_json::to_string(&highlights).unwrap_or_default();
    Ok(Some(ItemControls {
        csrf,
        archived: item.archived_at.is_some(),
        favourite: item.favourite,
        read: item.read_at.is_some(),
        tags,
        back,
        highlights,
        highlights_json,
    }))
}

/// A page as staff see it (drafts included): never kept, never stored by a cache.
fn for_staff(page: Result<Response, PageError>) -> Response {
    let mut response = page.into_response();
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The anti-forgery token for a page's forms, and the cookie to set when the browser has
/// none yet (see [`crate::http::cookies::ensure_csrf`]).
pub fn ensure_csrf(headers: &HeaderMap) -> Result<(String, Option<HeaderValue>), PageError> {
    crate::http::cookies::ensure_csrf(headers)
        .map_err(|_| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong."))
}

/// The comment form as a browser sends it.
#[derive(Debug, Deserialize)]
pub struct CommentForm {
    name: String,
    body: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    website: String,
}

/// The comment form without JavaScript: checks that the post comes from this site's own page
/// (see [`crate::http::origin`]), posts, and sends the reader back to the comment.
pub async fn post_comment(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    client: crate::http::client::ClientAddress,
    headers: HeaderMap,
    form: Result<axum::extract::Form<CommentForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let axum::extract::Form(form) =
        form.map_err(|_| PageError::new(StatusCode::BAD_REQUEST, "The form was incomplete."))?;
    if !crate::http::origin::from_this_site(&headers, &state.config.public_url()) {
        return Err(PageError::new(StatusCode::FORBIDDEN, "Comments are posted from this site's own pages."));
    }
    let parent_id = match form.parent_id.trim() {
        "" => None,
        text => Some(
            text.parse().map_err(|_| PageError::new(StatusCode::BAD_REQUEST, "The form was incomplete."))?,
        ),
    };
    let draft = lector_core::comments::Draft {
        name: form.name,
        body: form.body,
        parent_id,
        website: Some(form.website),
    };
    let posted = lector_core::comments::post(&state, id, draft, &client.key()).await?;
    let anchor = match posted {
        Some(comment) if comment.state == "visible" => format!("comment-{}", comment.id),
        _ => "comments".to_string(),
    };
    let location = format!("/articles/{id}#{anchor}");
    Ok((StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, location)]).into_response())
}

/// The player alone, for other sites' iframes.
pub async fn embed(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    Asking(viewer): Asking,
    uri: Uri,
) -> Response {
    let page = || async {
        let mut response = render("embed.html", article_page(&state, id, viewer).await?)?;
        response.headers_mut().insert("x-lector-embed", HeaderValue::from_static("1"));
        Ok(response)
    };
    if viewer == Viewer::Staff {
        return for_staff(page().await);
    }
    kept(&state, &uri, Some(id), page).await
}

#[derive(Debug, Deserialize)]
pub struct EmbedParams {
    /// lector's id, the publisher's external id, or the article's canonical address.
    article: String,
}

/// The published article a publisher names: lector's id, its external id or its canonical
/// address.
async fn article_known_as(state: &AppState, key: &str) -> Result<Option<i64>, lector_store::StoreError> {
    let id = match key.trim().parse::<i64>() {
        Ok(id) if state.store.article(id).await?.is_some() => Some(id),
        _ => state.store.article_known_as(key.trim()).await?,
    };
    let Some(id) = id else { return Ok(None) };
    Ok(state.store.article(id).await?.filter(ArticleRecord::is_public).map(|record| record.id))
}

/// `/embed?article=…`: the player of the article the publisher names, at its own address.
pub async fn embed_known_as(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<EmbedParams>,
) -> Response {
    match article_known_as(&state, &params.article).await {
        Ok(Some(id)) => axum::response::Redirect::to(&format!("/embed/{id}")).into_response(),
        Ok(None) => PageError::not_found().into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct OembedParams {
    url: String,
    maxwidth: Option<u32>,
    maxheight: Option<u32>,
    format: Option<String>,
}

/// oEmbed (type "rich") for an article page's address.
pub async fn oembed(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<OembedParams>,
) -> Result<Response, crate::http::error::ApiError> {
    use crate::http::error::ApiError;
    if params.format.as_deref().is_some_and(|f| f != "json") {
        return Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "unsupported_format",
            "oEmbed is served as JSON only",
        ));
    }
    let base = state.config.public_url();
    let path = params.url.strip_prefix(&base).unwrap_or(&params.url);
    let here = path.strip_prefix("/articles/").and_then(|rest| rest.split(['/', '?', '#']).next());
    // This site's article page, else the publisher's own page of an article.
    let id = match here.and_then(|id| id.parse::<i64>().ok()) {
        Some(id) => Some(id),
        None => state.store.article_known_as(&params.url).await?,
    }
    .ok_or_else(|| ApiError::not_found("not_an_article", "the URL is not an article of this site"))?;
    let record = lector_core::articles::find_for(&state, id, Viewer::Reader).await?;
    let width = params.maxwidth.unwrap_or(640).clamp(200, 1200);
    let height = params.maxheight.unwrap_or(220).clamp(120, 600);
    let src = format!("{base}/embed/{id}");
    let html = format!(
        "<iframe src=\"{}\" width=\"{width}\" height=\"{height}\" title=\"Listen: {}\" loading=\"lazy\" style=\"border:0\"></iframe>",
        escape(&src),
        escape(&record.article.headline)
    );
    Ok(axum::Json(serde_json::json!({
        "version": "1.0",
        "type": "rich",
        "title": record.article.headline,
        "provider_name": state.config.site.name,
        "provider_url": base,
        "author_name": byline_text(&record.article).trim_start_matches("By ").to_string(),
        "html": html,
        "width": width,
        "height": height,
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn the_allowlist_keeps_what_pages_need_and_nothing_that_runs() {
        let hostile = "<p onclick=\"steal()\">Text <span class=\"s\" data-u=\"3\" style=\"position:fixed\">one</span></p>\
                       <script>steal()</script><a href=\"javascript:steal()\" rel=\"nofollow\">link</a>\
                       <img src=\"/images/abc\" onerror=\"steal()\" alt=\"x\"><iframe src=\"https://evil.example\"></iframe>\
                       <a href=\"data:text/html,<script>steal()</script>\">data</a><!-- note -->";
        let clean = sanitize(hostile);
        assert_eq!(
            clean,
            "<p>Text <span class=\"s\" data-u=\"3\">one</span></p><a rel=\"nofollow\">link</a>\
             <img src=\"/images/abc\" alt=\"x\"><a>data</a>"
        );
    }
}
