//! Records read from database rows, for every backend: the same columns in SQLite and in
//! PostgreSQL, read through sqlx's generic `Row`.

use sqlx::{ColumnIndex, Decode, Row, Type};

use crate::StoreError;
use crate::model::*;

/// A row's columns by name, as the records need them: integers and texts, present or not.
pub trait Columns<'r> {
    fn int(&'r self, column: &'r str) -> Result<i64, StoreError>;
    fn text(&'r self, column: &'r str) -> Result<String, StoreError>;
    fn maybe_int(&'r self, column: &'r str) -> Result<Option<i64>, StoreError>;
    fn maybe_text(&'r self, column: &'r str) -> Result<Option<String>, StoreError>;
}

impl<'r, R> Columns<'r> for R
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    String: Decode<'r, R::Database> + Type<R::Database>,
{
    fn int(&'r self, column: &'r str) -> Result<i64, StoreError> {
        Ok(self.try_get(column)?)
    }

    fn text(&'r self, column: &'r str) -> Result<String, StoreError> {
        Ok(self.try_get(column)?)
    }

    fn maybe_int(&'r self, column: &'r str) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get(column)?)
    }

    fn maybe_text(&'r self, column: &'r str) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(column)?)
    }
}

/// A stored JSON text that does not parse.
pub fn corrupt(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// The columns [`article`] reads, from the article joined with its current revision.
pub const ARTICLE_COLUMNS: &str = "a.id, a.external_id, a.slug, a.current_revision, a.spoken_hash, a.created_at, \
     a.updated_at, r.body FROM articles a JOIN revisions r ON r.article_id = a.id AND r.number = a.current_revision";

pub fn article<'r>(row: &'r impl Columns<'r>) -> Result<ArticleRecord, StoreError> {
    let body = row.text("body")?;
    Ok(ArticleRecord {
        id: row.int("id")?,
        article: serde_json::from_str(&body).map_err(corrupt)?,
        external_id: row.maybe_text("external_id")?,
        slug: row.text("slug")?,
        revision: row.int("current_revision")?,
        spoken_hash: row.text("spoken_hash")?,
        created_at: row.int("created_at")?,
        updated_at: row.int("updated_at")?,
    })
}

pub fn job<'r>(row: &'r impl Columns<'r>) -> Result<Job, StoreError> {
    let state = row.text("state")?;
    Ok(Job {
        id: row.int("id")?,
        kind: row.text("kind")?,
        article_id: row.int("article_id")?,
        voice: row.text("voice")?,
        state: JobState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("job state {state:?}")))?,
        attempts: row.int("attempts")?,
        run_after: row.int("run_after")?,
        lease_until: row.maybe_int("lease_until")?,
        last_error: row.maybe_text("last_error")?,
        created_at: row.int("created_at")?,
        updated_at: row.int("updated_at")?,
    })
}

pub fn rendition<'r>(row: &'r impl Columns<'r>) -> Result<Rendition, StoreError> {
    Ok(Rendition {
        key: RenditionKey {
            article: row.int("article_id")?,
            spoken_hash: row.text("spoken_hash")?,
            voice: row.text("voice")?,
            format: row.text("format")?,
        },
        blob: row.text("blob")?,
        bytes: row.int("bytes")?,
        duration_ms: row.int("duration_ms")?,
        timings_blob: row.text("timings_blob")?,
        created_at: row.int("created_at")?,
    })
}

pub fn token<'r>(row: &'r impl Columns<'r>) -> Result<TokenInfo, StoreError> {
    Ok(TokenInfo {
        id: row.int("id")?,
        name: row.text("name")?,
        created_at: row.int("created_at")?,
        last_used_at: row.maybe_int("last_used_at")?,
        revoked_at: row.maybe_int("revoked_at")?,
    })
}

pub fn comment<'r>(row: &'r impl Columns<'r>) -> Result<Comment, StoreError> {
    Ok(Comment {
        id: row.int("id")?,
        article_id: row.int("article_id")?,
        parent_id: row.maybe_int("parent_id")?,
        name: row.text("name")?,
        body: row.text("body")?,
        state: row.text("state")?,
        created_at: row.int("created_at")?,
        replies: Vec::new(),
    })
}

pub fn feed<'r>(row: &'r impl Columns<'r>) -> Result<Feed, StoreError> {
    Ok(Feed {
        id: row.int("id")?,
        url: row.text("url")?,
        interval_secs: row.int("interval_secs")?,
        etag: row.maybe_text("etag")?,
        last_modified: row.maybe_text("last_modified")?,
        next_poll_at: row.int("next_poll_at")?,
        last_error: row.maybe_text("last_error")?,
        created_at: row.int("created_at")?,
    })
}

pub fn image<'r>(row: &'r impl Columns<'r>) -> Result<ImageRecord, StoreError> {
    let width = row.int("width")?;
    let height = row.int("height")?;
    Ok(ImageRecord {
        source_url: row.text("source_url")?,
        blob: row.text("blob")?,
        content_type: row.text("content_type")?,
        width: u32::try_from(width).unwrap_or(0),
        height: u32::try_from(height).unwrap_or(0),
        variants: serde_json::from_str(&row.text("variants")?).map_err(corrupt)?,
        created_at: row.int("created_at")?,
    })
}
