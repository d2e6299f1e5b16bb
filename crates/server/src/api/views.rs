//! What the API shows of stored things: views built from the store's records, so the
//! domain can change without changing the API.

use lector_store::{ArticleRecord, Job};
use serde::Serialize;
use utoipa::ToSchema;

use lector_core::articles::{article_json, words_per_minute};
use lector_core::narration;

use crate::http::error::ApiError;
use crate::state::AppState;
use crate::views::{page_url, rfc3339};

/// A stored article: the article JSON of `lector extract` with its id, revision and narration.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleView {
    pub id: i64,
    pub revision: i64,
    pub slug: String,
    /// The article's page.
    pub url: String,
    pub external_id: Option<String>,
    /// `draft`, `scheduled` or `published`: only published articles are public.
    pub status: String,
    /// When a scheduled article becomes public (RFC 3339).
    pub publish_at: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
    /// The article JSON (`version`, `headline`, `body`, …), as `lector extract` prints it.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub article: serde_json::Value,
    pub narration: NarrationView,
    pub comment_count: i64,
    /// What extraction noticed (only when the article was just extracted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The state of the article's narration in the site's default voice.
#[derive(Debug, Serialize, ToSchema)]
pub struct NarrationView {
    /// The voice for the article's language; null when no installed voice speaks it.
    pub voice: Option<String>,
    /// `ready`, `queued`, `running`, `failed`, `none`, or `no_voice` (the article's language
    /// has no voice: it is not read with another language's).
    pub status: String,
    /// Why there is no narration, for `no_voice`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub job: Option<JobView>,
    pub duration_ms: Option<i64>,
    pub audio_url: String,
    pub timings_url: String,
    pub transcript_url: String,
}

/// A background job: an article's narration in one voice, or the keeping of its images.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    pub id: i64,
    /// `narrate` or `images`.
    pub kind: String,
    pub article_id: i64,
    pub voice: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// RFC 3339: when a queued job may run next.
    pub run_after: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A line of a list of articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleSummary {
    pub id: i64,
    pub revision: i64,
    pub slug: String,
    pub url: String,
    pub headline: String,
    pub summary: Vec<String>,
    #[schema(value_type = Vec<Object>)]
    pub topics: Vec<lector_article::Topic>,
    #[schema(value_type = Vec<Object>)]
    pub authors: Vec<lector_article::Author>,
    pub published: Option<String>,
    pub reading_time_minutes: u32,
    pub created_at: String,
    pub updated_at: String,
}

impl JobView {
    pub fn build(job: &Job) -> JobView {
        JobView {
            id: job.id,
            kind: job.kind.clone(),
            article_id: job.article_id,
            voice: job.voice.clone(),
            state: job.state.as_str().into(),
            attempts: job.attempts,
            last_error: job.last_error.clone(),
            run_after: rfc3339(job.run_after),
            created_at: rfc3339(job.created_at),
            updated_at: rfc3339(job.updated_at),
        }
    }
}

impl ArticleView {
    pub async fn build(state: &AppState, record: &ArticleRecord) -> Result<ArticleView, ApiError> {
        let narration::Progress { voice, status, job, duration_ms } =
            narration::progress(state, record).await?;
        let message = voice.is_none().then(|| no_voice_message(state, &record.article));
        let base = format!("/api/articles/{}", record.id);
        Ok(ArticleView {
            id: record.id,
            revision: record.revision,
            slug: record.slug.clone(),
            url: page_url(state, record),
            external_id: record.external_id.clone(),
            status: record.publication().status().into(),
            publish_at: record.publication().publish_at().map(rfc3339),
            created_at: rfc3339(record.created_at),
            updated_at: rfc3339(record.updated_at),
            article: article_json(&record.article),
            narration: NarrationView {
                voice,
                status: status.into(),
                message,
                job: job.as_ref().map(JobView::build),
                duration_ms,
                audio_url: format!("{base}/audio"),
                timings_url: format!("{base}/timings"),
                transcript_url: format!("{base}/transcript.vtt"),
            },
            comment_count: state.store.comment_count(record.id).await?,
            warnings: Vec::new(),
        })
    }
}

impl ArticleSummary {
    pub fn build(state: &AppState, record: &ArticleRecord) -> ArticleSummary {
        let article = &record.article;
        ArticleSummary {
            id: record.id,
            revision: record.revision,
            slug: record.slug.clone(),
            url: page_url(state, record),
            headline: article.headline.clone(),
            summary: article.summary.clone(),
            topics: article.topics.clone(),
            authors: article.authors.clone(),
            published: article.published.map(|d| d.to_rfc3339()),
            reading_time_minutes: article.reading_time(words_per_minute()).minutes,
            created_at: rfc3339(record.created_at),
            updated_at: rfc3339(record.updated_at),
        }
    }
}

/// What the API says of an article no installed voice can read.
pub fn no_voice_message(state: &AppState, article: &lector_article::Article) -> String {
    let language = article.language.as_deref().unwrap_or(&state.config.site.language);
    format!("no installed voice speaks {language:?}: the article is not narrated (site.voices chooses one)")
}
