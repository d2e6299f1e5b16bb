//! The PostgreSQL backend of lector's store: the same [`Store`] contract as SQLite, for any
//! number of nodes sharing one database. Migrations are embedded and run under PostgreSQL's
//! advisory lock (nodes starting together migrate once); a waiting narration is unique per
//! article and voice by a partial index, and workers claim jobs with `FOR UPDATE SKIP LOCKED`.

#[cfg(feature = "cluster")]
pub mod cluster;

mod library;

use std::sync::Arc;
use std::time::Duration;

use lector_article::{Article, slugify};
use lector_store::rows::{self, ARTICLE_COLUMNS};
use lector_store::*;
use sqlx::postgres::{PgConnection, PgListener, PgPool, PgPoolOptions};
use sqlx::types::Json;
use sqlx::{Postgres, Transaction};
use tokio::sync::Notify;

/// The only site until sites can be added.
const SITE: Id = 1;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How long a request waits for a free connection before it fails.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// The channel on which a queued job is announced to every node.
const JOBS_CHANNEL: &str = "lector_jobs";

/// Articles, jobs and the rest in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
    /// Woken by the listener when any node announces a queued job.
    jobs_queued: Arc<Notify>,
    /// The task that listens on [`JOBS_CHANNEL`] (its own connection), ended by `close`.
    listener: Arc<tokio::task::AbortHandle>,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`) with
    /// at most `max_connections` connections, and brings its schema up to date.
    pub async fn connect(url: &str, max_connections: u32) -> Result<PostgresStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await?;
        MIGRATIONS.run(&pool).await?;
        fill_search(&pool).await?;
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(JOBS_CHANNEL).await?;
        let jobs_queued = Arc::new(Notify::new());
        let wake = Arc::clone(&jobs_queued);
        let task = tokio::spawn(async move {
            loop {
                // `recv` reconnects by itself after a lost connection; announcements missed
                // meanwhile are found by the workers' own look every second.
                match listener.recv().await {
                    Ok(_) => wake.notify_waiters(),
                    Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
                }
            }
        });
        Ok(PostgresStore { pool, jobs_queued, listener: Arc::new(task.abort_handle()) })
    }
}

fn identity(article: &Article) -> Option<String> {
    article.canonical_url.clone().or_else(|| article.source_url.clone()).filter(|u| !u.trim().is_empty())
}

/// Makes article `id`'s words the ones its search finds: the headline weighs more than the
/// body.
async fn write_search(tx: &mut PgConnection, id: Id, article: &Article) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE articles SET search = setweight(to_tsvector('simple', $1), 'A') \
         || setweight(to_tsvector('simple', $2), 'B') WHERE id = $3",
    )
    .bind(&article.headline)
    .bind(article.body_text())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Gives the articles stored before search was kept their words, a batch at a time; nothing
/// to do (one index read) once every article has them. Nodes starting together write the same
/// words.
async fn fill_search(pool: &PgPool) -> Result<(), StoreError> {
    loop {
        let rows =
            sqlx::query(&format!("SELECT {ARTICLE_COLUMNS} WHERE a.search IS NULL ORDER BY a.id LIMIT 200"))
                .fetch_all(pool)
                .await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = pool.begin().await?;
        for row in &rows {
            let record: ArticleRecord = rows::record(row)?;
            write_search(&mut tx, record.id, &record.article).await?;
        }
        tx.commit().await?;
    }
}

/// Writes a new revision of article `id` (or the first one) and its topic and author links.
async fn write_revision(
    tx: &mut Transaction<'_, Postgres>,
    id: Id,
    number: i64,
    new: &NewArticle,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO revisions (article_id, number, body, spoken_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(number)
    .bind(Json(&new.article))
    .bind(&new.spoken_hash)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    write_search(tx, id, &new.article).await?;
    sqlx::query("DELETE FROM article_topics WHERE article_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM article_authors WHERE article_id = $1").bind(id).execute(&mut **tx).await?;
    for (position, topic) in new.article.topics.iter().enumerate() {
        let slug = if topic.slug.is_empty() { slugify(&topic.name) } else { topic.slug.clone() };
        if slug.is_empty() {
            continue;
        }
        sqlx::query(
            "INSERT INTO topics (site_id, slug, name) VALUES ($1, $2, $3) ON CONFLICT (site_id, slug) DO NOTHING",
        )
        .bind(SITE)
        .bind(&slug)
        .bind(&topic.name)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO article_topics (article_id, topic_id, position) \
             SELECT $1, id, $2 FROM topics WHERE site_id = $3 AND slug = $4 ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(position as i64)
        .bind(SITE)
        .bind(&slug)
        .execute(&mut **tx)
        .await?;
    }
    for (position, author) in new.article.authors.iter().enumerate() {
        let slug = slugify(&author.name);
        if slug.is_empty() {
            continue;
        }
        sqlx::query(
            "INSERT INTO authors (site_id, slug, name, url) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (site_id, slug) DO UPDATE SET url = COALESCE(excluded.url, authors.url)",
        )
        .bind(SITE)
        .bind(&slug)
        .bind(&author.name)
        .bind(&author.url)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO article_authors (article_id, author_id, position) \
             SELECT $1, id, $2 FROM authors WHERE site_id = $3 AND slug = $4 ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(position as i64)
        .bind(SITE)
        .bind(&slug)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl PostgresStore {
    async fn record(&self, id: Id) -> Result<Option<ArticleRecord>, StoreError> {
        let row = sqlx::query(&format!("SELECT {ARTICLE_COLUMNS} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::record).transpose()
    }

    /// A new revision of an existing article, unless it is the same as the current one. The
    /// article's row stays locked until the transaction ends: two nodes revising one article
    /// at once write one revision after the other.
    async fn revise(
        &self,
        tx: &mut Transaction<'_, Postgres>,
        id: Id,
        new: &NewArticle,
        now: Timestamp,
    ) -> Result<SaveOutcome, StoreError> {
        // The lock first, then the read: a statement run after the lock is granted sees what
        // the transaction that held it committed.
        sqlx::query("SELECT id FROM articles WHERE id = $1 FOR UPDATE").bind(id).execute(&mut **tx).await?;
        let current = sqlx::query(&format!("SELECT {ARTICLE_COLUMNS} WHERE a.id = $1"))
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        let current: ArticleRecord = rows::record(&current)?;
        if let Some(publication) = new.publication
            && publication != current.publication()
        {
            write_publication(tx, id, publication).await?;
        }
        let external_id = new.external_id.clone().or(current.external_id.clone());
        if current.article == new.article && current.external_id == external_id {
            return Ok(SaveOutcome::Unchanged);
        }
        let number = current.revision + 1;
        write_revision(tx, id, number, new, now).await?;
        let published = new.article.published.map(|d| d.timestamp());
        sqlx::query(
            "UPDATE articles SET canonical_url = $1, external_id = $2, slug = $3, headline = $4, \
             published_at = $5, sort_at = COALESCE($5, created_at), current_revision = $6, spoken_hash = $7, \
             updated_at = $8 WHERE id = $9",
        )
        .bind(identity(&new.article))
        .bind(&external_id)
        .bind(slugify(&new.article.headline))
        .bind(&new.article.headline)
        .bind(published)
        .bind(number)
        .bind(&new.spoken_hash)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(SaveOutcome::Revised { spoken_changed: current.spoken_hash != new.spoken_hash })
    }

    async fn try_save_article(&self, new: &NewArticle, now: Timestamp) -> Result<Saved, StoreError> {
        let mut tx = self.pool.begin().await?;
        let canonical = identity(&new.article);
        let existing: Option<Id> = sqlx::query_scalar(
            "SELECT id FROM articles WHERE site_id = $1 AND (($2::text IS NOT NULL AND external_id = $2) \
             OR ($3::text IS NOT NULL AND canonical_url = $3)) ORDER BY external_id IS NULL LIMIT 1",
        )
        .bind(SITE)
        .bind(&new.external_id)
        .bind(&canonical)
        .fetch_optional(&mut *tx)
        .await?;
        let (id, outcome) = match existing {
            Some(id) => (id, self.revise(&mut tx, id, new, now).await?),
            None => {
                let published = new.article.published.map(|d| d.timestamp());
                let publication = new.publication.unwrap_or(Publication::Published);
                let id: Id = sqlx::query_scalar(
                    "INSERT INTO articles (site_id, canonical_url, external_id, slug, headline, published_at, \
                     sort_at, current_revision, spoken_hash, created_at, updated_at, status, publish_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9, $10, $11) RETURNING id",
                )
                .bind(SITE)
                .bind(&canonical)
                .bind(&new.external_id)
                .bind(slugify(&new.article.headline))
                .bind(&new.article.headline)
                .bind(published)
                .bind(published.unwrap_or(now))
                .bind(&new.spoken_hash)
                .bind(now)
                .bind(publication.status())
                .bind(publication.publish_at())
                .fetch_one(&mut *tx)
                .await?;
                write_revision(&mut tx, id, 1, new, now).await?;
                (id, SaveOutcome::Created)
            }
        };
        tx.commit().await?;
        let record =
            self.record(id).await?.ok_or_else(|| StoreError::Corrupt(format!("article {id} vanished")))?;
        Ok(Saved { record, outcome })
    }
}

/// Sets an article's publication state within a write.
async fn write_publication(
    tx: &mut Transaction<'_, Postgres>,
    id: Id,
    publication: Publication,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE articles SET status = $1, publish_at = $2 WHERE id = $3")
        .bind(publication.status())
        .bind(publication.publish_at())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl ArticleStore for PostgresStore {
    async fn save_article(&self, new: NewArticle, now: Timestamp) -> Result<Saved, StoreError> {
        match self.try_save_article(&new, now).await {
            // Another node stored the same article between the look-up and the insert: it is
            // there now, and this save becomes a revision of it (or nothing).
            Err(StoreError::Conflict(_)) => self.try_save_article(&new, now).await,
            result => result,
        }
    }

    async fn replace_article(
        &self,
        id: Id,
        new: NewArticle,
        now: Timestamp,
    ) -> Result<Option<Saved>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let exists: Option<Id> = sqlx::query_scalar("SELECT id FROM articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let outcome = self.revise(&mut tx, id, &new, now).await?;
        tx.commit().await?;
        let record =
            self.record(id).await?.ok_or_else(|| StoreError::Corrupt(format!("article {id} vanished")))?;
        Ok(Some(Saved { record, outcome }))
    }

    async fn article(&self, id: Id) -> Result<Option<ArticleRecord>, StoreError> {
        self.record(id).await
    }

    async fn set_publication(
        &self,
        id: Id,
        publication: Publication,
        _now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let exists: Option<Id> = sqlx::query_scalar("SELECT id FROM articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            write_publication(&mut tx, id, publication).await?;
        }
        tx.commit().await?;
        Ok(exists.is_some())
    }

    async fn set_spoken_hash(&self, id: Id, spoken_hash: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE articles SET spoken_hash = $1 WHERE id = $2")
            .bind(spoken_hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE revisions SET spoken_hash = $1 WHERE article_id = $2 \
             AND number = (SELECT current_revision FROM articles WHERE id = $2)",
        )
        .bind(spoken_hash)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    async fn spoken_overrides(&self, id: Id) -> Result<Vec<SpokenOverride>, StoreError> {
        let rows = sqlx::query(
            "SELECT written, spoken FROM spoken_overrides WHERE article_id = $1 ORDER BY written",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::record).collect()
    }

    async fn set_spoken_override(
        &self,
        id: Id,
        written: &str,
        spoken: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        match spoken {
            Some(spoken) => {
                sqlx::query(
                    "INSERT INTO spoken_overrides (article_id, written, spoken, updated_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (article_id, written) \
                     DO UPDATE SET spoken = excluded.spoken, updated_at = excluded.updated_at",
                )
                .bind(id)
                .bind(written)
                .bind(spoken)
                .bind(now)
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM spoken_overrides WHERE article_id = $1 AND written = $2")
                    .bind(id)
                    .bind(written)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    async fn set_article_voice(&self, id: Id, voice: Option<&str>) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE articles SET voice = $1 WHERE id = $2")
            .bind(voice)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn publish_due(&self, now: Timestamp) -> Result<Vec<Id>, StoreError> {
        let ids = sqlx::query_scalar(
            "UPDATE articles SET status = 'published' WHERE status = 'scheduled' AND publish_at <= $1 RETURNING id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids)
    }

    async fn article_known_as(&self, key: &str) -> Result<Option<Id>, StoreError> {
        let found = sqlx::query_scalar(
            "SELECT id FROM articles WHERE site_id = $1 AND (external_id = $2 OR canonical_url = $2) \
             ORDER BY external_id IS NOT DISTINCT FROM $2 DESC, id LIMIT 1",
        )
        .bind(SITE)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found)
    }

    async fn delete_article(&self, id: Id) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM articles WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn list_articles(&self, query: &ListQuery) -> Result<Page<ArticleRecord>, StoreError> {
        // A search keeps the articles holding every word (or a word it begins), best first.
        let matching = match query.text.as_deref().map(search_words) {
            Some(words) if words.is_empty() => return Ok(Page { items: Vec::new(), total: 0 }),
            Some(words) => Some(words.iter().map(|word| format!("{word}:*")).collect::<Vec<_>>().join(" & ")),
            None => None,
        };
        let (search, order) = match matching {
            Some(_) => (
                " AND a.search @@ to_tsquery('simple', $5)",
                "ts_rank(a.search, to_tsquery('simple', $5)) DESC, a.sort_at DESC, a.id DESC",
            ),
            None => (" AND $5::text IS NULL", "a.sort_at DESC, a.id DESC"),
        };
        let published = if query.unpublished { "" } else { " AND a.status = 'published'" };
        let filter = format!(
            "a.site_id = $1{published} \
             AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM article_topics tl JOIN topics t ON t.id = tl.topic_id \
                  WHERE tl.article_id = a.id AND t.slug = $2)) \
             AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM article_authors aa JOIN authors au ON au.id = aa.author_id \
                  WHERE aa.article_id = a.id AND au.slug = $3)) \
             AND ($4::bigint IS NULL OR (a.sort_at, a.id) < (SELECT o.sort_at, o.id FROM articles o WHERE o.id = $4)){search} \
             AND ($6::bigint IS NULL OR EXISTS (SELECT 1 FROM library_items li WHERE li.article_id = a.id AND li.user_id = $6))"
        );
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM articles a WHERE {filter}"))
            .bind(SITE)
            .bind(&query.topic)
            .bind(&query.author)
            .bind(query.older_than)
            .bind(&matching)
            .bind(query.member)
            .fetch_one(&self.pool)
            .await?;
        let rows = sqlx::query(&format!(
            "SELECT {ARTICLE_COLUMNS} WHERE {filter} ORDER BY {order} LIMIT $7 OFFSET $8"
        ))
        .bind(SITE)
        .bind(&query.topic)
        .bind(&query.author)
        .bind(query.older_than)
        .bind(&matching)
        .bind(query.member)
        .bind(i64::from(query.limit))
        .bind(i64::from(query.offset))
        .fetch_all(&self.pool)
        .await?;
        let items = rows.iter().map(rows::record).collect::<Result<_, _>>()?;
        Ok(Page { items, total })
    }

    async fn revisions(&self, id: Id) -> Result<Vec<RevisionInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, spoken_hash, created_at FROM revisions WHERE article_id = $1 ORDER BY number",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::record).collect()
    }

    async fn topics(&self) -> Result<Vec<TopicInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.slug, t.name, COUNT(a.id) AS articles FROM topics t \
             LEFT JOIN article_topics tl ON tl.topic_id = t.id \
             LEFT JOIN articles a ON a.id = tl.article_id AND a.status = 'published' WHERE t.site_id = $1 \
             GROUP BY t.id ORDER BY articles DESC, t.name COLLATE \"C\"",
        )
        .bind(SITE)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::record).collect()
    }
}

#[async_trait::async_trait]
impl RenditionStore for PostgresStore {
    async fn rendition(&self, key: &RenditionKey) -> Result<Option<Rendition>, StoreError> {
        let row = sqlx::query(
            "SELECT * FROM renditions WHERE article_id = $1 AND spoken_hash = $2 AND voice = $3 AND format = $4",
        )
        .bind(key.article)
        .bind(&key.spoken_hash)
        .bind(&key.voice)
        .bind(&key.format)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn save_rendition(&self, rendition: &Rendition) -> Result<(), StoreError> {
        let key = &rendition.key;
        sqlx::query(
            "INSERT INTO renditions (article_id, spoken_hash, voice, format, blob, bytes, duration_ms, \
             timings_blob, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (article_id, spoken_hash, voice, format) DO UPDATE SET blob = excluded.blob, \
             bytes = excluded.bytes, duration_ms = excluded.duration_ms, timings_blob = excluded.timings_blob",
        )
        .bind(key.article)
        .bind(&key.spoken_hash)
        .bind(&key.voice)
        .bind(&key.format)
        .bind(&rendition.blob)
        .bind(rendition.bytes)
        .bind(rendition.duration_ms)
        .bind(&rendition.timings_blob)
        .bind(rendition.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn renditions(&self, article: Id) -> Result<Vec<Rendition>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.* FROM renditions r JOIN articles a ON a.id = r.article_id AND a.spoken_hash = r.spoken_hash \
             WHERE r.article_id = $1 ORDER BY r.voice COLLATE \"C\", r.format COLLATE \"C\"",
        )
        .bind(article)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::record).collect()
    }

    async fn sentence_audio(&self, keys: &[String]) -> Result<Vec<SentenceAudio>, StoreError> {
        let rows = sqlx::query("SELECT key, blob, words FROM sentence_audio WHERE key = ANY($1)")
            .bind(keys)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rows::record).collect()
    }

    async fn save_sentence_audio(&self, audio: &SentenceAudio, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sentence_audio (key, blob, words, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(&audio.key)
        .bind(&audio.blob)
        .bind(&audio.words)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl JobStore for PostgresStore {
    async fn enqueue_job(
        &self,
        kind: JobKind,
        article: Id,
        voice: &str,
        now: Timestamp,
    ) -> Result<Job, StoreError> {
        // The partial unique index keeps one open job per kind, article and voice: an insert that
        // meets one does nothing, and the open job is read instead. It may finish in between,
        // so a few rounds.
        for _ in 0..3 {
            let inserted = sqlx::query(
                "INSERT INTO jobs (kind, article_id, voice, state, attempts, run_after, created_at, updated_at) \
                 VALUES ($4, $1, $2, 'queued', 0, $3, $3, $3) \
                 ON CONFLICT (kind, article_id, voice) WHERE state IN ('queued', 'running') DO NOTHING RETURNING *",
            )
            .bind(article)
            .bind(voice)
            .bind(now)
            .bind(kind.as_str())
            .fetch_optional(&self.pool)
            .await?;
            if let Some(row) = inserted {
                // Every node's idle workers wake now rather than at their next look.
                sqlx::query("SELECT pg_notify($1, '')").bind(JOBS_CHANNEL).execute(&self.pool).await?;
                return rows::record(&row);
            }
            let open = sqlx::query(
                "SELECT * FROM jobs WHERE kind = $3 AND article_id = $1 AND voice = $2 \
                 AND state IN ('queued', 'running') ORDER BY id LIMIT 1",
            )
            .bind(article)
            .bind(voice)
            .bind(kind.as_str())
            .fetch_optional(&self.pool)
            .await?;
            if let Some(row) = open {
                return rows::record(&row);
            }
        }
        Err(StoreError::Conflict(format!("the {} job of article {article} keeps changing", kind.as_str())))
    }

    async fn claim_job(&self, now: Timestamp, lease_until: Timestamp) -> Result<Option<Job>, StoreError> {
        // Rows another worker is claiming are skipped, not waited for.
        let row = sqlx::query(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $1, updated_at = $2 \
             WHERE id = (SELECT id FROM jobs WHERE (state = 'queued' AND run_after <= $2) \
             OR (state = 'running' AND COALESCE(lease_until, 0) < $2) ORDER BY run_after, id LIMIT 1 \
             FOR UPDATE SKIP LOCKED) RETURNING *",
        )
        .bind(lease_until)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn renew_lease(&self, id: Id, attempt: i64, lease_until: Timestamp) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND state = 'running' AND attempts = $3",
        )
        .bind(lease_until)
        .bind(id)
        .bind(attempt)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn finish_job(&self, id: Id, attempt: i64, now: Timestamp) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'done', last_error = NULL, lease_until = NULL, updated_at = $1 \
             WHERE id = $2 AND state = 'running' AND attempts = $3",
        )
        .bind(now)
        .bind(id)
        .bind(attempt)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn fail_job(
        &self,
        id: Id,
        attempt: i64,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let state = if retry_at.is_some() { "queued" } else { "failed" };
        let done = sqlx::query(
            "UPDATE jobs SET state = $1, last_error = $2, run_after = $3, lease_until = NULL, updated_at = $4 \
             WHERE id = $5 AND state = 'running' AND attempts = $6",
        )
        .bind(state)
        .bind(error)
        .bind(retry_at.unwrap_or(now))
        .bind(now)
        .bind(id)
        .bind(attempt)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn job(&self, id: Id) -> Result<Option<Job>, StoreError> {
        let row = sqlx::query("SELECT * FROM jobs WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn jobs_for_article(&self, article: Id) -> Result<Vec<Job>, StoreError> {
        let rows = sqlx::query("SELECT * FROM jobs WHERE article_id = $1 ORDER BY id")
            .bind(article)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rows::record).collect()
    }

    async fn jobs_in_state(&self, state: JobState, limit: u32) -> Result<Vec<Job>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM jobs WHERE state = $1 ORDER BY updated_at DESC, id DESC LIMIT $2")
                .bind(state.as_str())
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(rows::record).collect()
    }

    async fn retry_job(&self, id: Id, now: Timestamp) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'queued', attempts = 0, run_after = $1, lease_until = NULL, updated_at = $1 \
             WHERE id = $2 AND state = 'failed' \
             AND NOT EXISTS (SELECT 1 FROM jobs AS open WHERE open.kind = jobs.kind \
             AND open.article_id = jobs.article_id AND open.voice = jobs.voice AND open.state IN ('queued', 'running'))",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 {
            sqlx::query("SELECT pg_notify($1, '')").bind(JOBS_CHANNEL).execute(&self.pool).await?;
        }
        Ok(done.rows_affected() == 1)
    }

    async fn job_counts(&self) -> Result<Vec<(JobState, i64)>, StoreError> {
        let counts: Vec<(String, i64)> = sqlx::query_as(
            "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state ORDER BY state COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(counts.into_iter().filter_map(|(state, n)| Some((JobState::parse(&state)?, n))).collect())
    }

    fn jobs_queued(&self) -> Option<Arc<Notify>> {
        Some(Arc::clone(&self.jobs_queued))
    }
}

#[async_trait::async_trait]
impl TokenStore for PostgresStore {
    async fn create_token(
        &self,
        name: &str,
        hash: &str,
        scopes: &str,
        user: Option<Id>,
        now: Timestamp,
    ) -> Result<TokenInfo, StoreError> {
        let row = sqlx::query(
            "INSERT INTO tokens (name, hash, scopes, user_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *",
        )
        .bind(name)
        .bind(hash)
        .bind(scopes)
        .bind(user)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        rows::record(&row)
    }

    async fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let rows = sqlx::query("SELECT * FROM tokens ORDER BY id").fetch_all(&self.pool).await?;
        rows.iter().map(rows::record).collect()
    }

    async fn revoke_token(&self, id_or_name: &str, now: Timestamp) -> Result<bool, StoreError> {
        let id: Option<Id> = id_or_name.parse().ok();
        let done = sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND (id = $2 OR name = $3)",
        )
        .bind(now)
        .bind(id)
        .bind(id_or_name)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn check_token(&self, hash: &str, now: Timestamp) -> Result<Option<TokenGrant>, StoreError> {
        let live: Option<(Id, String, Option<String>, Option<Id>)> = sqlx::query_as(
            "SELECT t.id, t.scopes, u.role, u.id FROM tokens t LEFT JOIN users u ON u.id = t.user_id \
             WHERE t.hash = $1 AND t.revoked_at IS NULL",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        if let Some((id, _, _, _)) = &live {
            // Noting the use is a convenience: a busy or read-only database must not refuse a read.
            let _ = sqlx::query(
                "UPDATE tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
            )
            .bind(now)
            .bind(id)
            .bind(now - 60)
            .execute(&self.pool)
            .await;
        }
        Ok(live.map(|(_, scopes, role, user)| TokenGrant { scopes, role, user }))
    }
}

#[async_trait::async_trait]
impl UserStore for PostgresStore {
    async fn create_user(
        &self,
        name: &str,
        role: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<UserInfo, StoreError> {
        let row = sqlx::query(
            "INSERT INTO users (name, role, password_hash, created_at, password_changed_at) \
             VALUES ($1, $2, $3, $4, $4) RETURNING id, name, role, created_at, locked_until",
        )
        .bind(name)
        .bind(role)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        rows::record(&row)
    }

    async fn users(&self) -> Result<Vec<UserInfo>, StoreError> {
        let rows = sqlx::query("SELECT id, name, role, created_at, locked_until FROM users ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rows::record).collect()
    }

    async fn user_login(&self, name: &str) -> Result<Option<UserLogin>, StoreError> {
        // From the writer: a lockout just set must be seen by the next attempt.
        let row = sqlx::query(
            "SELECT id, name, role, created_at, locked_until, password_hash, failed_logins FROM users WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn set_password(
        &self,
        name: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: Option<Id> = sqlx::query_scalar(
            "UPDATE users SET password_hash = $1, password_changed_at = $2, failed_logins = 0, \
             locked_until = NULL WHERE name = $3 RETURNING id",
        )
        .bind(password_hash)
        .bind(now)
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = id {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(id.is_some())
    }

    async fn remove_user(&self, name: &str, now: Timestamp) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: Option<Id> = sqlx::query_scalar("SELECT id FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(id) = id {
            sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(id.is_some())
    }

    async fn login_failed(
        &self,
        user: Id,
        lock_after: u32,
        lock_until: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError> {
        // One statement: wrong passwords tried at once on several nodes are each counted.
        let locked: Option<Option<Timestamp>> = sqlx::query_scalar(
            "UPDATE users SET \
             locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END, \
             failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END \
             WHERE id = $3 RETURNING CASE WHEN failed_logins = 0 THEN locked_until END",
        )
        .bind(i64::from(lock_after))
        .bind(lock_until)
        .bind(user)
        .fetch_optional(&self.pool)
        .await?;
        Ok(locked.flatten())
    }

    async fn login_succeeded(&self, user: Id) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET failed_logins = 0 WHERE id = $1 AND failed_logins > 0")
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_session(
        &self,
        hash: &str,
        user: Id,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(hash)
            .bind(user)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_user(&self, hash: &str, now: Timestamp) -> Result<Option<UserInfo>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.role, u.created_at, u.locked_until FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.hash = $1 AND s.expires_at > $2",
        )
        .bind(hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn end_session(&self, hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE hash = $1").bind(hash).execute(&self.pool).await?;
        Ok(())
    }
    async fn reading_prefs(&self, user: Id) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT reading FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn set_reading_prefs(&self, user: Id, prefs: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE users SET reading = $2 WHERE id = $1")
            .bind(user)
            .bind(prefs)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

#[async_trait::async_trait]
impl WebhookStore for PostgresStore {
    async fn create_webhook(
        &self,
        url: &str,
        secret: &str,
        events: &str,
        now: Timestamp,
    ) -> Result<Webhook, StoreError> {
        let row = sqlx::query(
            "INSERT INTO webhooks (url, secret, events, created_at) VALUES ($1, $2, $3, $4) RETURNING *",
        )
        .bind(url)
        .bind(secret)
        .bind(events)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        rows::record(&row)
    }

    async fn webhooks(&self) -> Result<Vec<Webhook>, StoreError> {
        let rows = sqlx::query("SELECT * FROM webhooks ORDER BY id").fetch_all(&self.pool).await?;
        rows.iter().map(rows::record).collect()
    }

    async fn webhook(&self, id: Id) -> Result<Option<Webhook>, StoreError> {
        let row =
            sqlx::query("SELECT * FROM webhooks WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn delete_webhook(&self, id: Id) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }
}

#[async_trait::async_trait]
impl ListenStore for PostgresStore {
    async fn add_listen_counts(&self, counts: &[ListenCount]) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut kept = 0;
        for count in counts {
            let done = sqlx::query(
                "INSERT INTO listen_counts (article_id, day, metric, value) \
                 SELECT $1, $2, $3, $4 WHERE EXISTS \
                 (SELECT 1 FROM articles WHERE id = $1 AND status = 'published') \
                 ON CONFLICT (article_id, day, metric) DO UPDATE SET value = listen_counts.value + excluded.value",
            )
            .bind(count.article_id)
            .bind(&count.day)
            .bind(&count.metric)
            .bind(count.value)
            .execute(&mut *tx)
            .await?;
            kept += done.rows_affected();
        }
        tx.commit().await?;
        Ok(kept)
    }

    async fn listen_counts(&self, query: &ListenQuery) -> Result<Vec<ListenCount>, StoreError> {
        let rows = sqlx::query(
            "SELECT article_id, day, metric, value FROM listen_counts \
             WHERE ($1 IS NULL OR article_id = $1) AND day >= $2 AND day <= $3 \
             ORDER BY day, article_id, metric",
        )
        .bind(query.article)
        .bind(&query.from)
        .bind(&query.to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::record).collect()
    }
}

#[async_trait::async_trait]
impl LexiconStore for PostgresStore {
    async fn lexicon_entries(&self) -> Result<Vec<LexiconEntry>, StoreError> {
        let rows = sqlx::query("SELECT * FROM lexicon ORDER BY text").fetch_all(&self.pool).await?;
        rows.iter().map(rows::record).collect()
    }

    async fn save_lexicon_entry(
        &self,
        entry: &NewLexiconEntry,
        now: Timestamp,
    ) -> Result<LexiconEntry, StoreError> {
        let row = sqlx::query(
            "INSERT INTO lexicon (text, regex, say, ipa, case_sensitive, example, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
             ON CONFLICT (text) DO UPDATE SET regex = excluded.regex, say = excluded.say, ipa = excluded.ipa, \
             case_sensitive = excluded.case_sensitive, example = excluded.example, updated_at = excluded.updated_at \
             RETURNING *",
        )
        .bind(entry.text.trim())
        .bind(entry.regex)
        .bind(&entry.say)
        .bind(&entry.ipa)
        .bind(entry.case_sensitive)
        .bind(&entry.example)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        rows::record(&row)
    }

    async fn delete_lexicon_entry(&self, id: Id) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM lexicon WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }
}

#[async_trait::async_trait]
impl FeedStore for PostgresStore {
    async fn save_feed(&self, url: &str, interval_secs: i64, now: Timestamp) -> Result<Feed, StoreError> {
        let row = sqlx::query(
            "INSERT INTO feeds (site_id, url, interval_secs, next_poll_at, created_at) VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (site_id, url) DO UPDATE SET interval_secs = excluded.interval_secs RETURNING *",
        )
        .bind(SITE)
        .bind(url)
        .bind(interval_secs)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        rows::record(&row)
    }

    async fn feeds(&self) -> Result<Vec<Feed>, StoreError> {
        let rows = sqlx::query("SELECT * FROM feeds ORDER BY id").fetch_all(&self.pool).await?;
        rows.iter().map(rows::record).collect()
    }

    async fn feed(&self, id: Id) -> Result<Option<Feed>, StoreError> {
        let row =
            sqlx::query("SELECT * FROM feeds WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn delete_feed(&self, id: Id) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM feeds WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn claim_due_feed(
        &self,
        now: Timestamp,
        hold_until: Timestamp,
    ) -> Result<Option<Feed>, StoreError> {
        let row = sqlx::query(
            "UPDATE feeds SET next_poll_at = $1 WHERE id = (SELECT id FROM feeds WHERE next_poll_at <= $2 \
             ORDER BY next_poll_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *",
        )
        .bind(hold_until)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn feed_polled(&self, id: Id, poll: &FeedPoll) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE feeds SET etag = COALESCE($1, etag), last_modified = COALESCE($2, last_modified), \
             next_poll_at = $3, last_error = $4 WHERE id = $5",
        )
        .bind(&poll.etag)
        .bind(&poll.last_modified)
        .bind(poll.next_poll_at)
        .bind(&poll.error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn feed_item_seen(&self, feed: Id, guid: &str) -> Result<bool, StoreError> {
        let seen: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM feed_items WHERE feed_id = $1 AND guid = $2")
                .bind(feed)
                .bind(guid)
                .fetch_optional(&self.pool)
                .await?;
        Ok(seen.is_some())
    }

    async fn save_feed_item(
        &self,
        feed: Id,
        guid: &str,
        article: Option<Id>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO feed_items (feed_id, guid, article_id, seen_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (feed_id, guid) DO UPDATE SET article_id = excluded.article_id",
        )
        .bind(feed)
        .bind(guid)
        .bind(article)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ImageStore for PostgresStore {
    async fn image(&self, source_url: &str) -> Result<Option<ImageRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM images WHERE source_url = $1")
            .bind(source_url)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn image_by_blob(&self, blob: &str) -> Result<Option<ImageRecord>, StoreError> {
        // The variants are `[[width, blob], …]`: containment finds the pair that holds the blob,
        // through the GIN index on them.
        let row = sqlx::query("SELECT * FROM images WHERE blob = $1 OR variants @> $2 LIMIT 1")
            .bind(blob)
            .bind(Json([[blob]]))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn save_image(&self, image: &ImageRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO images (source_url, blob, content_type, width, height, variants, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source_url) DO UPDATE SET blob = excluded.blob, \
             content_type = excluded.content_type, width = excluded.width, height = excluded.height, \
             variants = excluded.variants",
        )
        .bind(&image.source_url)
        .bind(&image.blob)
        .bind(&image.content_type)
        .bind(i64::from(image.width))
        .bind(i64::from(image.height))
        .bind(Json(&image.variants))
        .bind(image.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl CommentStore for PostgresStore {
    async fn comment_count(&self, article: Id) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE article_id = $1 AND state = 'visible'")
            .bind(article)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn add_comment(&self, comment: &NewComment, now: Timestamp) -> Result<Id, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO comments (article_id, parent_id, name, body, body_sha256, state, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(comment.article_id)
        .bind(comment.parent_id)
        .bind(&comment.name)
        .bind(&comment.body)
        .bind(blob_id(comment.body.as_bytes()))
        .bind(&comment.state)
        .bind(now)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn comment(&self, id: Id) -> Result<Option<Comment>, StoreError> {
        let row =
            sqlx::query("SELECT * FROM comments WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn comments(&self, article: Id, query: &CommentQuery) -> Result<Page<Comment>, StoreError> {
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM comments WHERE article_id = $1 AND parent_id IS NULL AND state = 'visible'",
        )
        .bind(article)
        .fetch_one(&self.pool)
        .await?;
        let order = if query.newest_first { "DESC" } else { "ASC" };
        let rows = sqlx::query(&format!(
            "SELECT * FROM comments WHERE article_id = $1 AND parent_id IS NULL AND state = 'visible' \
             ORDER BY created_at {order}, id {order} LIMIT $2 OFFSET $3"
        ))
        .bind(article)
        .bind(i64::from(query.limit))
        .bind(i64::from(query.offset))
        .fetch_all(&self.pool)
        .await?;
        let mut items: Vec<Comment> = rows.iter().map(rows::record).collect::<Result<_, _>>()?;
        if !items.is_empty() {
            // All the page's replies in one query.
            let parents: Vec<Id> = items.iter().map(|c| c.id).collect();
            let replies = sqlx::query(
                "SELECT * FROM comments WHERE parent_id = ANY($1) AND state = 'visible' ORDER BY created_at, id",
            )
            .bind(&parents)
            .fetch_all(&self.pool)
            .await?;
            for row in replies {
                let reply: Comment = rows::record(&row)?;
                if let Some(parent) = items.iter_mut().find(|c| Some(c.id) == reply.parent_id) {
                    parent.replies.push(reply);
                }
            }
        }
        Ok(Page { items, total })
    }

    async fn comments_in_state(&self, state: &str, limit: u32) -> Result<Vec<Comment>, StoreError> {
        let rows = sqlx::query("SELECT * FROM comments WHERE state = $1 ORDER BY created_at, id LIMIT $2")
            .bind(state)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rows::record).collect()
    }

    async fn set_comment_state(&self, id: Id, state: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE comments SET state = $1 WHERE id = $2")
            .bind(state)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn delete_comment(&self, id: Id) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM comments WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn comment_exists_since(
        &self,
        article: Id,
        name: &str,
        body: &str,
        since: Timestamp,
    ) -> Result<bool, StoreError> {
        let found: Option<i32> = sqlx::query_scalar(
            "SELECT 1 FROM comments WHERE article_id = $1 AND body_sha256 = $2 AND created_at >= $3 \
             AND name = $4 AND body = $5 LIMIT 1",
        )
        .bind(article)
        .bind(blob_id(body.as_bytes()))
        .bind(since)
        .bind(name)
        .bind(body)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }
}

#[async_trait::async_trait]
impl HitStore for PostgresStore {
    async fn record_hit(
        &self,
        key: &str,
        limit: u32,
        since: Timestamp,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Hits on one key are counted one after the other, whichever node takes them.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))").bind(key).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM rate_hits WHERE at <= $1").bind(since).execute(&mut *tx).await?;
        // Counted up to the limit only: a busy key costs no more than `limit` index entries.
        let hits: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM rate_hits WHERE key = $1 LIMIT $2) AS recent",
        )
        .bind(key)
        .bind(i64::from(limit))
        .fetch_one(&mut *tx)
        .await?;
        if hits >= i64::from(limit) {
            let oldest: Option<i64> =
                sqlx::query_scalar("SELECT at FROM rate_hits WHERE key = $1 ORDER BY at LIMIT 1")
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?;
            tx.commit().await?;
            return Ok(Some(oldest.unwrap_or(now)));
        }
        sqlx::query("INSERT INTO rate_hits (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(None)
    }
}

#[async_trait::async_trait]
impl ChangeStore for PostgresStore {
    async fn last_change(&self) -> Result<Option<Change>, StoreError> {
        let row = sqlx::query("SELECT seq, article, at_ms FROM changes ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::record).transpose()
    }

    async fn changes_since(&self, after: i64, limit: u32) -> Result<Vec<Change>, StoreError> {
        let rows =
            sqlx::query("SELECT seq, article, at_ms FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(rows::record).collect()
    }
}

#[async_trait::async_trait]
impl Store for PostgresStore {
    async fn close(&self) {
        self.listener.abort();
        self.pool.close().await;
    }
}
