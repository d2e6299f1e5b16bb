//! The records the store keeps and returns.

use lector_article::Article;
use serde::Serialize;

/// Row ids.
pub type Id = i64;
/// Unix seconds.
pub type Timestamp = i64;

/// An article to store, with what identifies it across revisions.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub article: Article,
    /// The publisher's own id for the article, when it has one.
    pub external_id: Option<String>,
    /// A digest of what the voice says for this revision: audio is kept while it holds.
    pub spoken_hash: String,
    /// Whether the article is public. `None`: a new article is published at once, a revision
    /// keeps its article's state.
    pub publication: Option<Publication>,
}

/// Whether an article is public: a draft and a scheduled article are stored, narrated and seen
/// by staff, never by readers; a scheduled one becomes published at its time (by
/// [`ArticleStore::publish_due`](crate::ArticleStore::publish_due)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "publish_at", rename_all = "snake_case")]
pub enum Publication {
    Draft,
    Scheduled(Timestamp),
    Published,
}

impl Publication {
    /// The state's name: `draft`, `scheduled` or `published`.
    pub fn status(self) -> &'static str {
        match self {
            Publication::Draft => "draft",
            Publication::Scheduled(_) => "scheduled",
            Publication::Published => "published",
        }
    }

    /// When a scheduled article becomes public.
    pub fn publish_at(self) -> Option<Timestamp> {
        match self {
            Publication::Scheduled(at) => Some(at),
            _ => None,
        }
    }

    /// The state as stored; anything unknown is a draft (never public by mistake).
    pub fn from_columns(status: &str, publish_at: Option<Timestamp>) -> Publication {
        match (status, publish_at) {
            ("published", _) => Publication::Published,
            ("scheduled", Some(at)) => Publication::Scheduled(at),
            _ => Publication::Draft,
        }
    }
}

/// A stored article at its current revision.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct ArticleRecord {
    pub id: Id,
    #[cfg_attr(feature = "sql", sqlx(rename = "body", json))]
    pub article: Article,
    pub external_id: Option<String>,
    pub slug: String,
    #[cfg_attr(feature = "sql", sqlx(rename = "current_revision"))]
    pub revision: i64,
    pub spoken_hash: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// `draft`, `scheduled` or `published` (see [`Publication`]).
    pub status: String,
    pub publish_at: Option<Timestamp>,
    /// The voice an editor chose for this article; `None`: the site's for its language.
    pub voice: Option<String>,
}

impl ArticleRecord {
    pub fn publication(&self) -> Publication {
        Publication::from_columns(&self.status, self.publish_at)
    }

    /// Whether readers may see it.
    pub fn is_public(&self) -> bool {
        self.publication() == Publication::Published
    }
}

/// What saving did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Created,
    /// A new revision; `spoken_changed` says whether the narration must be made again.
    Revised {
        spoken_changed: bool,
    },
    /// The same article as the current revision: nothing was written.
    Unchanged,
}

#[derive(Debug, Clone)]
pub struct Saved {
    pub record: ArticleRecord,
    pub outcome: SaveOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct RevisionInfo {
    pub number: i64,
    pub spoken_hash: String,
    pub created_at: Timestamp,
}

/// Which articles to list, and which page of them.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Words every listed article holds in its headline or body (a word of the query matches
    /// the words it begins), best matches first; see [`search_words`].
    pub text: Option<String>,
    pub topic: Option<String>,
    pub author: Option<String>,
    /// Only the articles listed after this one (older, in the listing's order).
    pub older_than: Option<Id>,
    /// Drafts and scheduled articles too (for staff); readers' lists leave them out.
    pub unpublished: bool,
    /// Only the articles in this user's library.
    pub member: Option<Id>,
    pub limit: u32,
    pub offset: u32,
}

/// The words of a search, as both backends read them: runs of letters and digits, lower-cased,
/// at most [`MAX_SEARCH_WORDS`] of at most 64 characters each. Nothing else of the query
/// (quotes, operators) has a meaning, so no query can be malformed.
pub fn search_words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.chars().take(64).flat_map(char::to_lowercase).collect())
        .take(MAX_SEARCH_WORDS)
        .collect()
}

/// How many words of a search count.
pub const MAX_SEARCH_WORDS: usize = 16;

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// What identifies an audio rendition: the article's spoken text, a voice and a format.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct RenditionKey {
    #[cfg_attr(feature = "sql", sqlx(rename = "article_id"))]
    pub article: Id,
    pub spoken_hash: String,
    pub voice: String,
    pub format: String,
}

/// Stored audio of an article in one voice and format, with its timings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct Rendition {
    #[cfg_attr(feature = "sql", sqlx(flatten))]
    pub key: RenditionKey,
    pub blob: String,
    pub bytes: i64,
    pub duration_ms: i64,
    pub timings_blob: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<JobState> {
        [JobState::Queued, JobState::Running, JobState::Done, JobState::Failed]
            .into_iter()
            .find(|state| state.as_str() == text)
    }
}

/// A stored job state that names none of them.
#[derive(Debug, thiserror::Error)]
#[error("unknown job state {0:?}")]
pub struct UnknownJobState(pub String);

impl TryFrom<String> for JobState {
    type Error = UnknownJobState;

    fn try_from(text: String) -> Result<JobState, UnknownJobState> {
        JobState::parse(&text).ok_or(UnknownJobState(text))
    }
}

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobKind {
    /// Narrates an article in one voice.
    Narrate,
    /// Fetches and keeps an article's images.
    Images,
    /// Delivers a webhook event about an article (the job's `voice` holds the hook's id and
    /// the event's name).
    Webhook,
}

impl JobKind {
    pub const ALL: [JobKind; 3] = [JobKind::Narrate, JobKind::Images, JobKind::Webhook];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Narrate => "narrate",
            JobKind::Images => "images",
            JobKind::Webhook => "webhook",
        }
    }

    pub fn parse(text: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Background work on an article: its narration in one voice (`kind` "narrate"), or keeping
/// its images ("images", with an empty voice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct Job {
    pub id: Id,
    pub kind: String,
    pub article_id: Id,
    pub voice: String,
    #[cfg_attr(feature = "sql", sqlx(try_from = "String"))]
    pub state: JobState,
    /// Claims so far: the current claim's number while running.
    pub attempts: i64,
    pub run_after: Timestamp,
    /// While running: until when its worker holds it without renewing.
    pub lease_until: Option<Timestamp>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An API token as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct TokenInfo {
    pub id: Id,
    pub name: String,
    /// What the token may do: scopes separated by spaces (`articles:write comments:moderate`).
    pub scopes: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    /// The user the token belongs to; `None` for a token made from the command line for no one.
    pub user_id: Option<Id>,
}

/// What a live token may do: its own scopes, and the role of the user it belongs to (a token
/// never does more than its user's role allows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub scopes: String,
    /// The role of the token's user; `None` for a token that belongs to no user.
    pub role: Option<String>,
    /// The token's user.
    pub user: Option<Id>,
}

/// What the voice says instead of one sentence of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct SpokenOverride {
    /// The sentence as written.
    pub written: String,
    /// The words said instead.
    pub spoken: String,
}

/// An entry of the site's pronunciation lexicon, as it is given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NewLexiconEntry {
    /// The written form: a word or phrase, or a regular expression when `regex`.
    pub text: String,
    #[serde(default)]
    pub regex: bool,
    /// What is said instead, as plain words ("oh KAH for")…
    #[serde(default)]
    pub say: Option<String>,
    /// …or as IPA.
    #[serde(default)]
    pub ipa: Option<String>,
    #[serde(default)]
    pub case_sensitive: bool,
    /// A sentence to listen to the entry in.
    #[serde(default)]
    pub example: Option<String>,
}

/// A stored lexicon entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct LexiconEntry {
    pub id: Id,
    pub text: String,
    pub regex: bool,
    pub say: Option<String>,
    pub ipa: Option<String>,
    pub case_sensitive: bool,
    pub example: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl LexiconEntry {
    /// The entry as it was given.
    pub fn as_given(&self) -> NewLexiconEntry {
        NewLexiconEntry {
            text: self.text.clone(),
            regex: self.regex,
            say: self.say.clone(),
            ipa: self.ipa.clone(),
            case_sensitive: self.case_sensitive,
            example: self.example.clone(),
        }
    }
}

/// One utterance's speech, kept for the next revision that says the same thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct SentenceAudio {
    /// A digest of the voice, the speed and the spoken text.
    pub key: String,
    /// The blob of its PCM.
    pub blob: String,
    /// Its word timings, as JSON.
    pub words: String,
}

/// A sum of listening analytics: `value` of `metric` for an article on a day (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct ListenCount {
    pub article_id: Id,
    pub day: String,
    pub metric: String,
    pub value: i64,
}

/// Which sums to read: one article or all, from one day to another (inclusive).
#[derive(Debug, Clone, Default)]
pub struct ListenQuery {
    pub article: Option<Id>,
    pub from: String,
    pub to: String,
}

/// A receiver of webhook events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct Webhook {
    pub id: Id,
    pub url: String,
    /// The signing secret (`whsec_…`).
    pub secret: String,
    /// The events it receives, separated by spaces.
    pub events: String,
    pub created_at: Timestamp,
}

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct UserInfo {
    pub id: Id,
    pub name: String,
    /// `admin`, `editor` or `moderator`.
    pub role: String,
    pub created_at: Timestamp,
    /// Until when signing in is refused after too many wrong passwords.
    pub locked_until: Option<Timestamp>,
}

/// A user with what signing in checks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct UserLogin {
    #[cfg_attr(feature = "sql", sqlx(flatten))]
    pub user: UserInfo,
    /// The argon2 hash in PHC string form.
    pub password_hash: String,
    /// Wrong passwords since the last success or lockout.
    pub failed_logins: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct Feed {
    pub id: Id,
    pub url: String,
    pub interval_secs: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
}

/// What a poll of a feed leaves for the next one.
#[derive(Debug, Clone, Default)]
pub struct FeedPoll {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll_at: Timestamp,
    pub error: Option<String>,
}

/// An image fetched from an article's source and kept in the blob store.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct ImageRecord {
    pub source_url: String,
    pub blob: String,
    pub content_type: String,
    #[cfg_attr(feature = "sql", sqlx(try_from = "i64"))]
    pub width: u32,
    #[cfg_attr(feature = "sql", sqlx(try_from = "i64"))]
    pub height: u32,
    /// Smaller copies for pages: (width, blob), narrowest first.
    #[cfg_attr(feature = "sql", sqlx(json))]
    pub variants: Vec<(u32, String)>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewComment {
    pub article_id: Id,
    pub parent_id: Option<Id>,
    pub name: String,
    pub body: String,
    /// "visible", "pending" or "hidden".
    pub state: String,
}

/// A stored comment, with its visible replies when listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct Comment {
    pub id: Id,
    pub article_id: Id,
    pub parent_id: Option<Id>,
    pub name: String,
    pub body: String,
    pub state: String,
    pub created_at: Timestamp,
    #[cfg_attr(feature = "sql", sqlx(skip))]
    pub replies: Vec<Comment>,
}

/// Which comments to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentQuery {
    pub newest_first: bool,
    pub limit: u32,
    pub offset: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct TopicInfo {
    pub slug: String,
    pub name: String,
    pub articles: i64,
}

/// A write that changed what some pages show, from the change log every backend keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct Change {
    /// Its place in commit order: 1, 2, 3… without gaps.
    pub seq: i64,
    /// The one article whose pages it changed (a comment, a job, audio); `None` when any page
    /// may show it (an article stored, revised or deleted; an image kept).
    pub article: Option<Id>,
    /// When it was written, in milliseconds since 1970.
    pub at_ms: i64,
}
