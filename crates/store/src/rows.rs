//! Records read from database rows, for every backend: the records derive sqlx's `FromRow`
//! (behind this crate's `sql` feature), so the same columns are read the same way in SQLite
//! and in PostgreSQL.

use sqlx::{FromRow, Row};

use crate::StoreError;

/// A record from a row, by the columns its `#[derive(FromRow)]` names.
pub fn record<'r, T, R>(row: &'r R) -> Result<T, StoreError>
where
    R: Row,
    T: FromRow<'r, R>,
{
    Ok(T::from_row(row)?)
}

/// The columns an [`ArticleRecord`](crate::ArticleRecord) is read from: the article joined
/// with its current revision.
pub const ARTICLE_COLUMNS: &str = "a.id, a.external_id, a.slug, a.current_revision, a.spoken_hash, a.created_at, \
     a.updated_at, a.status, a.publish_at, a.voice, r.body FROM articles a JOIN revisions r ON r.article_id = a.id AND r.number = a.current_revision";
