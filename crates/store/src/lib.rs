//! Persistence for lector: articles with revisions, topics, authors, audio renditions, the
//! job queue, staff accounts with their sessions, API tokens, webhooks, listening sums, the
//! pronunciation lexicon, readers' libraries, feeds, images and comments, behind one trait per aggregate ([`ArticleStore`], [`JobStore`], …) that
//! [`Store`] gathers, and audio and images in a content-addressed [`BlobStore`].
//!
//! The backends are crates of their own: `lector-store-sqlite` (embedded) and
//! `lector-store-postgres` (many nodes); with the `sql` feature this crate gives them the row
//! reading they share. The blob stores are here: a folder ([`FsBlobStore`]) or an S3 bucket
//! ([`S3BlobStore`]).

mod blob;
#[cfg(feature = "contract")]
pub mod contract;
mod error;
mod kept;
mod library;
mod model;
#[cfg(feature = "sql")]
pub mod rows;
mod s3;
#[cfg(feature = "seaweed")]
pub mod seaweed;

pub use blob::{BlobId, BlobStore, BlobStream, CHUNK_BYTES, FsBlobStore, blob_id, is_blob_id};
pub use error::StoreError;
pub use kept::{KeptChunks, MAX_KEPT_RANGE};
pub use library::*;
pub use model::*;
pub use s3::{MULTIPART_BYTES, S3BlobStore, S3Location};

/// Articles with their revisions, topics and authors.
#[async_trait::async_trait]
pub trait ArticleStore: Send + Sync {
    /// Stores an article: a new one, or a new revision of the article with the same
    /// canonical URL or external id (none when nothing changed).
    async fn save_article(&self, new: NewArticle, now: Timestamp) -> Result<Saved, StoreError>;

    /// Replaces article `id` with a new revision; `None` when there is no such article.
    async fn replace_article(
        &self,
        id: Id,
        new: NewArticle,
        now: Timestamp,
    ) -> Result<Option<Saved>, StoreError>;

    async fn article(&self, id: Id) -> Result<Option<ArticleRecord>, StoreError>;

    /// Makes an article a draft, scheduled or published; false when there is no such article.
    async fn set_publication(
        &self,
        id: Id,
        publication: Publication,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Sets the digest of what the voice says for the article's current revision (the site's
    /// lexicon changed it); false when there is no such article.
    async fn set_spoken_hash(&self, id: Id, spoken_hash: &str) -> Result<bool, StoreError>;

    /// What an editor had the voice say instead of the article's sentences.
    async fn spoken_overrides(&self, id: Id) -> Result<Vec<SpokenOverride>, StoreError>;

    /// Has the voice say `spoken` instead of the sentence `written` of the article (`None`:
    /// the sentence as written again).
    async fn set_spoken_override(
        &self,
        id: Id,
        written: &str,
        spoken: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Sets the voice an editor chose for an article (`None`: the site's); false when there is
    /// no such article.
    async fn set_article_voice(&self, id: Id, voice: Option<&str>) -> Result<bool, StoreError>;

    /// Publishes every scheduled article whose time has come, on whichever node asks first;
    /// returns the ones this call published.
    async fn publish_due(&self, now: Timestamp) -> Result<Vec<Id>, StoreError>;

    /// The article the publisher knows as `key`: its external id, else its canonical URL.
    async fn article_known_as(&self, key: &str) -> Result<Option<Id>, StoreError>;

    /// Deletes an article with its revisions, renditions, jobs and comments.
    async fn delete_article(&self, id: Id) -> Result<bool, StoreError>;

    /// Articles newest first, filtered by topic or author slug; published ones only unless the
    /// query asks for the others.
    async fn list_articles(&self, query: &ListQuery) -> Result<Page<ArticleRecord>, StoreError>;

    /// Every revision number of an article, oldest first.
    async fn revisions(&self, id: Id) -> Result<Vec<RevisionInfo>, StoreError>;

    /// Topics with how many published articles each has.
    async fn topics(&self) -> Result<Vec<TopicInfo>, StoreError>;
}

/// The audio of each article's spoken text, per voice and format.
#[async_trait::async_trait]
pub trait RenditionStore: Send + Sync {
    async fn rendition(&self, key: &RenditionKey) -> Result<Option<Rendition>, StoreError>;

    async fn save_rendition(&self, rendition: &Rendition) -> Result<(), StoreError>;

    /// Renditions of the article's current spoken text, for every voice and format.
    async fn renditions(&self, article: Id) -> Result<Vec<Rendition>, StoreError>;

    /// The kept speech of the utterances among `keys` that have some.
    async fn sentence_audio(&self, keys: &[String]) -> Result<Vec<SentenceAudio>, StoreError>;

    /// Keeps an utterance's speech (the first kept for a key stays).
    async fn save_sentence_audio(&self, audio: &SentenceAudio, now: Timestamp) -> Result<(), StoreError>;
}

/// The job queue every node shares: jobs claimed under leases, retried, and failed for good.
#[async_trait::async_trait]
pub trait JobStore: Send + Sync {
    /// Queues a job unless one of the same kind for the same article and voice is already
    /// waiting or running; returns the job that will do it.
    async fn enqueue_job(
        &self,
        kind: JobKind,
        article: Id,
        voice: &str,
        now: Timestamp,
    ) -> Result<Job, StoreError>;

    /// Queues the article's narration in `voice` (see [`JobStore::enqueue_job`]).
    async fn enqueue_narration(&self, article: Id, voice: &str, now: Timestamp) -> Result<Job, StoreError> {
        self.enqueue_job(JobKind::Narrate, article, voice, now).await
    }

    /// Takes the oldest job that is due, or that is running under a lease that ran out (its
    /// node stopped without a word), and marks it running under a lease until `lease_until`,
    /// one attempt more. A job under a live lease is never taken.
    async fn claim_job(&self, now: Timestamp, lease_until: Timestamp) -> Result<Option<Job>, StoreError>;

    /// Extends the lease of a job its worker still holds: the claim that made attempt
    /// `attempt`. False when it does not (taken over after the lease ran out, ended, deleted).
    async fn renew_lease(&self, id: Id, attempt: i64, lease_until: Timestamp) -> Result<bool, StoreError>;

    /// Marks a job done, if the claim that made attempt `attempt` still holds it.
    async fn finish_job(&self, id: Id, attempt: i64, now: Timestamp) -> Result<bool, StoreError>;

    /// Records a failure of the claim that made attempt `attempt`, if it still holds the job:
    /// the job waits until `retry_at`, or fails for good with `None`.
    async fn fail_job(
        &self,
        id: Id,
        attempt: i64,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn job(&self, id: Id) -> Result<Option<Job>, StoreError>;

    async fn jobs_for_article(&self, article: Id) -> Result<Vec<Job>, StoreError>;

    /// Jobs in `state`, the most recently changed first: the failed ones are the dead letters.
    async fn jobs_in_state(&self, state: JobState, limit: u32) -> Result<Vec<Job>, StoreError>;

    /// Queues a failed job again, due at `now`, with its attempts counted from nothing; false
    /// when there is no such failed job.
    async fn retry_job(&self, id: Id, now: Timestamp) -> Result<bool, StoreError>;

    /// How many jobs are in each state.
    async fn job_counts(&self) -> Result<Vec<(JobState, i64)>, StoreError>;

    /// Woken whenever any node queues a job, where the database can say so (PostgreSQL's
    /// LISTEN/NOTIFY); `None` where it cannot, and workers look again every second anyway.
    fn jobs_queued(&self) -> Option<std::sync::Arc<tokio::sync::Notify>> {
        None
    }
}

/// API tokens, kept by the hash of their secret.
#[async_trait::async_trait]
pub trait TokenStore: Send + Sync {
    /// Stores a token by its hash with its scopes (separated by spaces), for `user` or no one.
    async fn create_token(
        &self,
        name: &str,
        hash: &str,
        scopes: &str,
        user: Option<Id>,
        now: Timestamp,
    ) -> Result<TokenInfo, StoreError>;

    async fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError>;

    /// Revokes a token by id or name; false when none matched.
    async fn revoke_token(&self, id_or_name: &str, now: Timestamp) -> Result<bool, StoreError>;

    /// What the live token with this hash may do, if there is one (and notes its use).
    async fn check_token(&self, hash: &str, now: Timestamp) -> Result<Option<TokenGrant>, StoreError>;
}

/// The site's pronunciation lexicon.
#[async_trait::async_trait]
pub trait LexiconStore: Send + Sync {
    /// Every entry, by written form.
    async fn lexicon_entries(&self) -> Result<Vec<LexiconEntry>, StoreError>;

    /// Adds an entry, or replaces the one with the same written form.
    async fn save_lexicon_entry(
        &self,
        entry: &NewLexiconEntry,
        now: Timestamp,
    ) -> Result<LexiconEntry, StoreError>;

    /// False when there is no such entry.
    async fn delete_lexicon_entry(&self, id: Id) -> Result<bool, StoreError>;
}

/// Readers' libraries: the articles each user saved with the reader's own state and tags, and
/// the saves still to be read (a queue of their own, claimed under a lease, one host at a time).
#[async_trait::async_trait]
pub trait LibraryStore: Send + Sync {
    /// Puts an article in a user's library, saved at `saved_at`, archived (at `now`) and a
    /// favourite as given, with `tags`. An article already there keeps its item and state and
    /// gains the tags. True when the item is new.
    #[allow(clippy::too_many_arguments)]
    async fn add_to_library(
        &self,
        user: Id,
        article: Id,
        saved_at: Timestamp,
        archived: bool,
        favourite: bool,
        tags: &[String],
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn library_item(&self, user: Id, article: Id) -> Result<Option<LibraryItem>, StoreError>;

    /// The tags the user gave an item, by name.
    async fn item_tags(&self, user: Id, article: Id) -> Result<Vec<String>, StoreError>;

    /// Archives, stars or marks read (or undoes it); false when the user has no such item.
    async fn change_item(
        &self,
        user: Id,
        article: Id,
        change: ItemChange,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Keeps where the reader is in the item's narration; false when the user has no such item.
    async fn set_position(
        &self,
        user: Id,
        article: Id,
        sentence: i64,
        ms: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Keeps a highlight on one of the user's items (the item must be theirs: a foreign key).
    async fn add_highlight(&self, highlight: &NewHighlight, now: Timestamp) -> Result<Highlight, StoreError>;

    /// The user's highlights on an article, oldest first.
    async fn highlights(&self, user: Id, article: Id) -> Result<Vec<Highlight>, StoreError>;

    /// Forgets one of the user's highlights; false when the user has no such highlight.
    async fn delete_highlight(&self, user: Id, id: Id) -> Result<bool, StoreError>;

    /// The articles of the user's listen queue, in order.
    async fn queue(&self, user: Id) -> Result<Vec<Id>, StoreError>;

    /// Adds one of the user's items at the end of their queue (the item must be theirs: a
    /// foreign key); false when it was queued already.
    async fn enqueue(&self, user: Id, article: Id, now: Timestamp) -> Result<bool, StoreError>;

    /// Takes an article out of the user's queue; false when it was not there.
    async fn dequeue(&self, user: Id, article: Id) -> Result<bool, StoreError>;

    /// Puts the user's queue in this order (articles not named keep their order, after these;
    /// names not queued are left out).
    async fn reorder_queue(&self, user: Id, order: &[Id]) -> Result<(), StoreError>;

    /// Replaces the item's tags; false when the user has no such item.
    async fn set_item_tags(&self, user: Id, article: Id, tags: &[String]) -> Result<bool, StoreError>;

    /// Takes the article out of the user's library (the article stays for others); false
    /// when it was not there.
    async fn remove_from_library(&self, user: Id, article: Id) -> Result<bool, StoreError>;

    /// A page of the user's library with its total.
    async fn library(&self, query: &LibraryQuery) -> Result<Page<LibraryEntry>, StoreError>;

    /// The user's tags, each with how many of their items carry it, by name.
    async fn library_tags(&self, user: Id) -> Result<Vec<(String, i64)>, StoreError>;

    /// Queues a save.
    async fn queue_save(&self, save: &NewSave, now: Timestamp) -> Result<PendingSave, StoreError>;

    /// Takes the oldest due save (or one whose lease ran out) under a lease, unless another
    /// save of its host is running or ended less than `host_gap` seconds ago.
    async fn claim_save(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        host_gap: i64,
    ) -> Result<Option<PendingSave>, StoreError>;

    /// Marks a claimed save done as `article`; false when the claim no longer holds.
    async fn finish_save(
        &self,
        id: Id,
        attempt: i64,
        article: Id,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Queues a claimed save again at `retry_at`, or fails it for good without one; false when
    /// the claim no longer holds.
    async fn fail_save(
        &self,
        id: Id,
        attempt: i64,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn save_of(&self, id: Id) -> Result<Option<PendingSave>, StoreError>;

    /// The user's saves that are not done (queued, running or failed), newest first, at most
    /// `limit` of them.
    async fn open_saves(&self, user: Id, limit: i64) -> Result<Vec<PendingSave>, StoreError>;

    /// How many of the user's saves are not done.
    async fn count_open_saves(&self, user: Id) -> Result<i64, StoreError>;

    /// How far the user's saves under way have got (see [`SaveProgress`]).
    async fn save_progress(&self, user: Id) -> Result<SaveProgress, StoreError>;

    /// Forgets one of the user's saves; false when the user has no such save.
    async fn remove_save(&self, user: Id, id: Id) -> Result<bool, StoreError>;
}

/// Listening analytics: sums, never listeners.
#[async_trait::async_trait]
pub trait ListenStore: Send + Sync {
    /// Adds every count to its sum in one write; counts for articles that are not published
    /// (or not there) are dropped. Returns how many were kept.
    async fn add_listen_counts(&self, counts: &[ListenCount]) -> Result<u64, StoreError>;

    /// The sums the query names, by day, article and metric.
    async fn listen_counts(&self, query: &ListenQuery) -> Result<Vec<ListenCount>, StoreError>;
}

/// The receivers of webhook events.
#[async_trait::async_trait]
pub trait WebhookStore: Send + Sync {
    async fn create_webhook(
        &self,
        url: &str,
        secret: &str,
        events: &str,
        now: Timestamp,
    ) -> Result<Webhook, StoreError>;

    async fn webhooks(&self) -> Result<Vec<Webhook>, StoreError>;

    async fn webhook(&self, id: Id) -> Result<Option<Webhook>, StoreError>;

    /// False when there is no such webhook.
    async fn delete_webhook(&self, id: Id) -> Result<bool, StoreError>;
}

/// Staff accounts and their sign-in sessions.
#[async_trait::async_trait]
pub trait UserStore: Send + Sync {
    /// Adds a user; [`StoreError::Conflict`] when the name is taken.
    async fn create_user(
        &self,
        name: &str,
        role: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<UserInfo, StoreError>;

    /// Every user, by name.
    async fn users(&self) -> Result<Vec<UserInfo>, StoreError>;

    /// A user with their password hash, by name.
    async fn user_login(&self, name: &str) -> Result<Option<UserLogin>, StoreError>;

    /// Sets a user's password hash, lifts any lockout and ends every session of theirs; false
    /// when there is no such user.
    async fn set_password(&self, name: &str, password_hash: &str, now: Timestamp)
    -> Result<bool, StoreError>;

    /// Removes a user: their sessions end and their tokens are revoked in the same step; false
    /// when there is no such user.
    async fn remove_user(&self, name: &str, now: Timestamp) -> Result<bool, StoreError>;

    /// Counts a wrong password; at the `lock_after`-th in a row the account is locked until
    /// `lock_until` (and the count starts again). Returns the lock when this one set it.
    async fn login_failed(
        &self,
        user: Id,
        lock_after: u32,
        lock_until: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError>;

    /// A right password: the count of wrong ones starts again.
    async fn login_succeeded(&self, user: Id) -> Result<(), StoreError>;

    /// Starts a session kept by the hash of its secret, for `user` until `expires_at`.
    async fn create_session(
        &self,
        hash: &str,
        user: Id,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The user of the live session with this hash (expired sessions are forgotten).
    async fn session_user(&self, hash: &str, now: Timestamp) -> Result<Option<UserInfo>, StoreError>;

    /// Ends a session.
    async fn end_session(&self, hash: &str) -> Result<(), StoreError>;

    /// The user's reading comfort as the core wrote it (`{}` until set); `None` for no user.
    async fn reading_prefs(&self, user: Id) -> Result<Option<String>, StoreError>;

    /// Keeps the user's reading comfort; false when there is no such user.
    async fn set_reading_prefs(&self, user: Id, prefs: &str) -> Result<bool, StoreError>;
}

/// Feeds polled for new articles, and the items already seen.
#[async_trait::async_trait]
pub trait FeedStore: Send + Sync {
    /// Adds a feed, or changes the interval of the one with this URL.
    async fn save_feed(&self, url: &str, interval_secs: i64, now: Timestamp) -> Result<Feed, StoreError>;

    async fn feeds(&self) -> Result<Vec<Feed>, StoreError>;

    async fn feed(&self, id: Id) -> Result<Option<Feed>, StoreError>;

    async fn delete_feed(&self, id: Id) -> Result<bool, StoreError>;

    /// Takes the feed that has been due longest and holds it until `hold_until`, when it is
    /// due again unless its poll records another time first: however many nodes poll, each
    /// due feed is taken by one.
    async fn claim_due_feed(&self, now: Timestamp, hold_until: Timestamp)
    -> Result<Option<Feed>, StoreError>;

    async fn feed_polled(&self, id: Id, poll: &FeedPoll) -> Result<(), StoreError>;

    async fn feed_item_seen(&self, feed: Id, guid: &str) -> Result<bool, StoreError>;

    async fn save_feed_item(
        &self,
        feed: Id,
        guid: &str,
        article: Option<Id>,
        now: Timestamp,
    ) -> Result<(), StoreError>;
}

/// Images kept from articles, by their source address and by blob.
#[async_trait::async_trait]
pub trait ImageStore: Send + Sync {
    async fn image(&self, source_url: &str) -> Result<Option<ImageRecord>, StoreError>;

    /// The image whose original or smaller copy is this blob.
    async fn image_by_blob(&self, blob: &str) -> Result<Option<ImageRecord>, StoreError>;

    async fn save_image(&self, image: &ImageRecord) -> Result<(), StoreError>;
}

/// Readers' comments and their moderation.
#[async_trait::async_trait]
pub trait CommentStore: Send + Sync {
    /// Visible comments on an article.
    async fn comment_count(&self, article: Id) -> Result<i64, StoreError>;

    /// Adds a comment.
    async fn add_comment(&self, comment: &NewComment, now: Timestamp) -> Result<Id, StoreError>;

    async fn comment(&self, id: Id) -> Result<Option<Comment>, StoreError>;

    /// Visible top-level comments of an article, a page of them, each with its visible replies
    /// (oldest first); `total` counts top-level comments.
    async fn comments(&self, article: Id, query: &CommentQuery) -> Result<Page<Comment>, StoreError>;

    /// Comments in a state ("pending", "hidden"…), oldest first.
    async fn comments_in_state(&self, state: &str, limit: u32) -> Result<Vec<Comment>, StoreError>;

    /// Sets a comment's state; false when there is no such comment.
    async fn set_comment_state(&self, id: Id, state: &str) -> Result<bool, StoreError>;

    async fn delete_comment(&self, id: Id) -> Result<bool, StoreError>;

    /// Whether the same name posted the same text on the article since `since`.
    async fn comment_exists_since(
        &self,
        article: Id,
        name: &str,
        body: &str,
        since: Timestamp,
    ) -> Result<bool, StoreError>;
}

/// Hits counted by rate limits, shared by every node.
#[async_trait::async_trait]
pub trait HitStore: Send + Sync {
    /// Records a hit on `key` (a client posting a comment, say) unless `limit` hits on it
    /// were recorded after `since`: then nothing is recorded and the time of the oldest of
    /// them is returned. Hits from before `since` are forgotten. Holds across nodes: hits on
    /// one key are counted one after the other.
    async fn record_hit(
        &self,
        key: &str,
        limit: u32,
        since: Timestamp,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError>;
}

/// The change log: every write that changes what a page or an API read shows (an article
/// stored, revised or deleted, an image kept, a comment posted or moderated, a job moved, audio
/// stored) is recorded by the database itself, in commit order, so that every node's caches
/// can follow what any node wrote. Only the newest [`CHANGES_KEPT`] are kept.
#[async_trait::async_trait]
pub trait ChangeStore: Send + Sync {
    /// The newest change; `None` when nothing was ever written.
    async fn last_change(&self) -> Result<Option<Change>, StoreError>;

    /// The changes after number `after`, oldest first, at most `limit` of them. When the
    /// first is not `after + 1`, the ones between were forgotten.
    async fn changes_since(&self, after: i64, limit: u32) -> Result<Vec<Change>, StoreError>;
}

/// How many changes the log keeps.
pub const CHANGES_KEPT: i64 = 10_000;

/// Everything lector keeps, whatever the database: every aggregate's store in one.
#[async_trait::async_trait]
pub trait Store:
    ArticleStore
    + RenditionStore
    + JobStore
    + TokenStore
    + UserStore
    + WebhookStore
    + ListenStore
    + LexiconStore
    + LibraryStore
    + FeedStore
    + ImageStore
    + CommentStore
    + HitStore
    + ChangeStore
    + std::fmt::Debug
{
    /// Finishes pending writes and releases the database.
    async fn close(&self);
}
