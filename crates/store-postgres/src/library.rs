//! Readers' libraries on PostgreSQL: items, tags and the queue of saves still to be read.

use sqlx::types::Json;

use lector_store::rows::{self, ARTICLE_COLUMNS};
use lector_store::*;

use crate::PostgresStore;

/// Where a library list's rows come from and how they are kept, by the query's shelf and tag;
/// `$1` is the user, `$2` the tag, `$3` the search.
fn library_filter(query: &LibraryQuery, search: bool) -> String {
    let shelf = match query.shelf {
        Shelf::Unread => " AND li.archived_at IS NULL",
        Shelf::Archive => " AND li.archived_at IS NOT NULL",
        Shelf::Favourites => " AND li.favourite = TRUE",
        Shelf::All => "",
    };
    let search = if search { " AND a.search @@ to_tsquery('simple', $3)" } else { " AND $3::text IS NULL" };
    format!(
        "li.user_id = $1{shelf}{search} AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM library_tags lt \
         WHERE lt.user_id = li.user_id AND lt.article_id = li.article_id AND lt.tag = $2))"
    )
}

fn library_order(sort: LibrarySort, search: bool) -> String {
    let by = match sort {
        LibrarySort::Saved => "li.saved_at DESC, a.id DESC",
        LibrarySort::SavedOldest => "li.saved_at, a.id",
        LibrarySort::Longest => "length(r.body::text) DESC, a.id DESC",
        LibrarySort::Shortest => "length(r.body::text), a.id",
        LibrarySort::Listen => "listen_ms DESC NULLS LAST, length(r.body::text) DESC, a.id DESC",
    };
    if search { format!("ts_rank(a.search, to_tsquery('simple', $3)) DESC, {by}") } else { by.to_owned() }
}

#[async_trait::async_trait]
impl LibraryStore for PostgresStore {
    async fn add_to_library(
        &self,
        user: Id,
        article: Id,
        saved_at: Timestamp,
        archived: bool,
        favourite: bool,
        tags: &[String],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let added = sqlx::query(
            "INSERT INTO library_items (user_id, article_id, saved_at, archived_at, favourite) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, article_id) DO NOTHING",
        )
        .bind(user)
        .bind(article)
        .bind(saved_at)
        .bind(archived.then_some(now))
        .bind(favourite)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        for tag in tags {
            sqlx::query("INSERT INTO library_tags (user_id, article_id, tag) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(user)
                .bind(article)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    async fn library_item(&self, user: Id, article: Id) -> Result<Option<LibraryItem>, StoreError> {
        let row = sqlx::query("SELECT * FROM library_items WHERE user_id = $1 AND article_id = $2")
            .bind(user)
            .bind(article)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn item_tags(&self, user: Id, article: Id) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT tag FROM library_tags WHERE user_id = $1 AND article_id = $2 ORDER BY tag",
        )
        .bind(user)
        .bind(article)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn change_item(
        &self,
        user: Id,
        article: Id,
        change: ItemChange,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        // Each part: NULL leaves it, else archived/read set to now (kept if already set) or cleared.
        let done = sqlx::query(
            "UPDATE library_items SET \
             archived_at = CASE WHEN $3::boolean IS NULL THEN archived_at WHEN $3 THEN COALESCE(archived_at, $6) ELSE NULL END, \
             favourite = COALESCE($4, favourite), \
             read_at = CASE WHEN $5::boolean IS NULL THEN read_at WHEN $5 THEN COALESCE(read_at, $6) ELSE NULL END \
             WHERE user_id = $1 AND article_id = $2",
        )
        .bind(user)
        .bind(article)
        .bind(change.archived)
        .bind(change.favourite)
        .bind(change.read)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn set_position(
        &self,
        user: Id,
        article: Id,
        sentence: i64,
        ms: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE library_items SET position_sentence = $3, position_ms = $4, position_at = $5 \
             WHERE user_id = $1 AND article_id = $2",
        )
        .bind(user)
        .bind(article)
        .bind(sentence)
        .bind(ms)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn add_highlight(&self, highlight: &NewHighlight, now: Timestamp) -> Result<Highlight, StoreError> {
        let row = sqlx::query(
            "INSERT INTO highlights (user_id, article_id, revision, quote, prefix, suffix, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
        )
        .bind(highlight.user)
        .bind(highlight.article)
        .bind(highlight.revision)
        .bind(&highlight.quote)
        .bind(&highlight.prefix)
        .bind(&highlight.suffix)
        .bind(&highlight.note)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        rows::record(&row)
    }

    async fn highlights(&self, user: Id, article: Id) -> Result<Vec<Highlight>, StoreError> {
        let rows = sqlx::query("SELECT * FROM highlights WHERE user_id = $1 AND article_id = $2 ORDER BY id")
            .bind(user)
            .bind(article)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rows::record).collect()
    }

    async fn delete_highlight(&self, user: Id, id: Id) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM highlights WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn queue(&self, user: Id) -> Result<Vec<Id>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT article_id FROM listen_queue WHERE user_id = $1 ORDER BY place, added_at",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn enqueue(&self, user: Id, article: Id, now: Timestamp) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO listen_queue (user_id, article_id, place, added_at) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(place), 0) + 1 FROM listen_queue WHERE user_id = $1), $3) \
             ON CONFLICT (user_id, article_id) DO NOTHING",
        )
        .bind(user)
        .bind(article)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn dequeue(&self, user: Id, article: Id) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM listen_queue WHERE user_id = $1 AND article_id = $2")
            .bind(user)
            .bind(article)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn reorder_queue(&self, user: Id, order: &[Id]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let current: Vec<Id> = sqlx::query_scalar(
            "SELECT article_id FROM listen_queue WHERE user_id = $1 ORDER BY place, added_at",
        )
        .bind(user)
        .fetch_all(&mut *tx)
        .await?;
        for (place, article) in queue_order(current, order).iter().enumerate() {
            sqlx::query("UPDATE listen_queue SET place = $3 WHERE user_id = $1 AND article_id = $2")
                .bind(user)
                .bind(article)
                .bind(i64::try_from(place).unwrap_or(i64::MAX) + 1)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn set_item_tags(&self, user: Id, article: Id, tags: &[String]) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let exists: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM library_items WHERE user_id = $1 AND article_id = $2")
                .bind(user)
                .bind(article)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Ok(false);
        }
        sqlx::query("DELETE FROM library_tags WHERE user_id = $1 AND article_id = $2")
            .bind(user)
            .bind(article)
            .execute(&mut *tx)
            .await?;
        for tag in tags {
            sqlx::query("INSERT INTO library_tags (user_id, article_id, tag) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(user)
                .bind(article)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn remove_from_library(&self, user: Id, article: Id) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM library_items WHERE user_id = $1 AND article_id = $2")
            .bind(user)
            .bind(article)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn library(&self, query: &LibraryQuery) -> Result<Page<LibraryEntry>, StoreError> {
        let matching = match query.text.as_deref().map(search_words) {
            Some(words) if words.is_empty() => return Ok(Page { items: Vec::new(), total: 0 }),
            Some(words) => Some(words.iter().map(|word| format!("{word}:*")).collect::<Vec<_>>().join(" & ")),
            None => None,
        };
        let filter = library_filter(query, matching.is_some());
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM library_items li JOIN articles a ON a.id = li.article_id WHERE {filter}"
        ))
        .bind(query.user)
        .bind(&query.tag)
        .bind(&matching)
        .fetch_one(&self.pool)
        .await?;
        let order = library_order(query.sort, matching.is_some());
        let rows = sqlx::query(&format!(
            "SELECT li.user_id, li.article_id, li.saved_at, li.archived_at, li.favourite, li.read_at, \
             li.position_sentence, li.position_ms, \
             (SELECT MAX(rd.duration_ms) FROM renditions rd WHERE rd.article_id = a.id \
              AND rd.spoken_hash = a.spoken_hash) AS listen_ms, {ARTICLE_COLUMNS} \
             JOIN library_items li ON li.article_id = a.id WHERE {filter} ORDER BY {order} LIMIT $4 OFFSET $5"
        ))
        .bind(query.user)
        .bind(&query.tag)
        .bind(&matching)
        .bind(i64::from(query.limit))
        .bind(i64::from(query.offset))
        .fetch_all(&self.pool)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            use sqlx::Row;
            items.push(LibraryEntry {
                item: rows::record(row)?,
                article: rows::record(row)?,
                tags: Vec::new(),
                listen_ms: row.try_get("listen_ms")?,
            });
        }
        let ids: Vec<Id> = items.iter().map(|entry| entry.article.id).collect();
        let tags: Vec<(Id, String)> = sqlx::query_as(
            "SELECT article_id, tag FROM library_tags WHERE user_id = $1 \
             AND article_id = ANY($2) ORDER BY tag",
        )
        .bind(query.user)
        .bind(&ids)
        .fetch_all(&self.pool)
        .await?;
        for (article, tag) in tags {
            if let Some(entry) = items.iter_mut().find(|entry| entry.article.id == article) {
                entry.tags.push(tag);
            }
        }
        Ok(Page { items, total })
    }

    async fn library_tags(&self, user: Id) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT tag, COUNT(*) FROM library_tags WHERE user_id = $1 GROUP BY tag ORDER BY tag",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn queue_save(&self, save: &NewSave, now: Timestamp) -> Result<PendingSave, StoreError> {
        let row = sqlx::query(
            "INSERT INTO library_saves (user_id, url, host, page, page_kind, title, saved_at, tags, archived, \
             favourite, state, run_after, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', $11, $11, $11) RETURNING *",
        )
        .bind(save.user)
        .bind(&save.url)
        .bind(&save.host)
        .bind(&save.page)
        .bind(&save.page_kind)
        .bind(&save.title)
        .bind(save.saved_at)
        .bind(Json(&save.tags))
        .bind(save.archived)
        .bind(save.favourite)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        rows::record(&row)
    }

    async fn claim_save(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        host_gap: i64,
    ) -> Result<Option<PendingSave>, StoreError> {
        let row = sqlx::query(
            "UPDATE library_saves SET state = 'running', attempts = attempts + 1, lease_until = $2, updated_at = $1 \
             WHERE id = (SELECT s.id FROM library_saves s WHERE ((s.state = 'queued' AND s.run_after <= $1) \
             OR (s.state = 'running' AND COALESCE(s.lease_until, 0) < $1)) \
             AND (s.host = '' OR NOT EXISTS (SELECT 1 FROM library_saves o WHERE o.host = s.host AND o.id <> s.id \
                  AND ((o.state = 'running' AND COALESCE(o.lease_until, 0) >= $1) \
                       OR (o.state IN ('done', 'failed') AND o.updated_at > $1 - $3) \
                       OR (o.state = 'queued' AND o.attempts > 0 AND o.updated_at > $1 - $3)))) \
             ORDER BY s.run_after, s.id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *",
        )
        .bind(now)
        .bind(lease_until)
        .bind(host_gap)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn finish_save(
        &self,
        id: Id,
        attempt: i64,
        article: Id,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE library_saves SET state = 'done', article_id = $3, last_error = NULL, lease_until = NULL, \
             page = NULL, updated_at = $4 WHERE id = $1 AND state = 'running' AND attempts = $2",
        )
        .bind(id)
        .bind(attempt)
        .bind(article)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn fail_save(
        &self,
        id: Id,
        attempt: i64,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let state = if retry_at.is_some() { "queued" } else { "failed" };
        let done = sqlx::query(
            "UPDATE library_saves SET state = $3, last_error = $4, run_after = $5, lease_until = NULL, updated_at = $6 \
             WHERE id = $1 AND state = 'running' AND attempts = $2",
        )
        .bind(id)
        .bind(attempt)
        .bind(state)
        .bind(error)
        .bind(retry_at.unwrap_or(now))
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn save_of(&self, id: Id) -> Result<Option<PendingSave>, StoreError> {
        let row = sqlx::query("SELECT * FROM library_saves WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn open_saves(&self, user: Id, limit: i64) -> Result<Vec<PendingSave>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM library_saves WHERE user_id = $1 AND state <> 'done' ORDER BY id DESC LIMIT $2",
        )
        .bind(user)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::record).collect()
    }

    async fn count_open_saves(&self, user: Id) -> Result<i64, StoreError> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM library_saves WHERE user_id = $1 AND state <> 'done'")
                .bind(user)
                .fetch_one(&self.pool)
                .await?;
        Ok(count)
    }

    async fn save_progress(&self, user: Id) -> Result<SaveProgress, StoreError> {
        let (total, done, failed): (i64, i64, i64) = sqlx::query_as(
            "WITH run AS (SELECT MIN(created_at) AS since FROM library_saves \
                          WHERE user_id = $1 AND state IN ('queued', 'running')) \
             SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'done'), COUNT(*) FILTER (WHERE state = 'failed') \
             FROM library_saves, run WHERE user_id = $1 AND (created_at >= run.since OR updated_at >= run.since)",
        )
        .bind(user)
        .fetch_one(&self.pool)
        .await?;
        Ok(SaveProgress { total, done, failed })
    }

    async fn remove_save(&self, user: Id, id: Id) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM library_saves WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
