//! What can go wrong in the work below HTTP: every refusal carries a stable [`Code`], which
//! the server maps to a status in one table and shows to clients with the message.

use lector_store::StoreError;

use crate::fetch::FetchError;

/// A stable, machine-readable reason. The names never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    ArticleNotFound,
    CommentNotFound,
    FeedNotFound,
    MissingHeadline,
    HeadlineTooLong,
    EmptyBody,
    BodyTooLong,
    SummaryTooLong,
    BinaryInput,
    NoArticle,
    InvalidUrl,
    UrlRefused,
    FetchTimeout,
    PageTooLarge,
    NotAPage,
    FetchFailed,
    InvalidFeed,
    InvalidInterval,
    InvalidName,
    InvalidBody,
    TooManyLinks,
    ReplyTooDeep,
    RateLimited,
    DuplicateComment,
    StorageUnavailable,
    Conflict,
    InvalidUserName,
    WeakPassword,
    UserNotFound,
    BadCredentials,
    AccountLocked,
    InsufficientScope,
    InvalidPublication,
    InvalidEvent,
    WebhookNotFound,
    InvalidBeacon,
    InvalidPeriod,
    InvalidLexiconEntry,
    LexiconEntryNotFound,
    InvalidSave,
    InvalidTag,
    SaveNotFound,
    InvalidReading,
    InvalidHighlight,
    HighlightNotFound,
    Internal,
}

impl Code {
    /// Every code, for tables and their tests.
    pub const ALL: [Code; 46] = [
        Code::ArticleNotFound,
        Code::CommentNotFound,
        Code::FeedNotFound,
        Code::MissingHeadline,
        Code::HeadlineTooLong,
        Code::EmptyBody,
        Code::BodyTooLong,
        Code::SummaryTooLong,
        Code::BinaryInput,
        Code::NoArticle,
        Code::InvalidUrl,
        Code::UrlRefused,
        Code::FetchTimeout,
        Code::PageTooLarge,
        Code::NotAPage,
        Code::FetchFailed,
        Code::InvalidFeed,
        Code::InvalidInterval,
        Code::InvalidName,
        Code::InvalidBody,
        Code::TooManyLinks,
        Code::ReplyTooDeep,
        Code::RateLimited,
        Code::DuplicateComment,
        Code::StorageUnavailable,
        Code::Conflict,
        Code::InvalidUserName,
        Code::WeakPassword,
        Code::UserNotFound,
        Code::BadCredentials,
        Code::AccountLocked,
        Code::InsufficientScope,
        Code::InvalidPublication,
        Code::InvalidEvent,
        Code::WebhookNotFound,
        Code::InvalidBeacon,
        Code::InvalidPeriod,
        Code::InvalidLexiconEntry,
        Code::LexiconEntryNotFound,
        Code::InvalidSave,
        Code::InvalidTag,
        Code::SaveNotFound,
        Code::InvalidReading,
        Code::InvalidHighlight,
        Code::HighlightNotFound,
        Code::Internal,
    ];

    /// The code as clients see it, e.g. `article_not_found`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ArticleNotFound => "article_not_found",
            Code::CommentNotFound => "comment_not_found",
            Code::FeedNotFound => "feed_not_found",
            Code::MissingHeadline => "missing_headline",
            Code::HeadlineTooLong => "headline_too_long",
            Code::EmptyBody => "empty_body",
            Code::BodyTooLong => "body_too_long",
            Code::SummaryTooLong => "summary_too_long",
            Code::BinaryInput => "binary_input",
            Code::NoArticle => "no_article",
            Code::InvalidUrl => "invalid_url",
            Code::UrlRefused => "url_refused",
            Code::FetchTimeout => "fetch_timeout",
            Code::PageTooLarge => "page_too_large",
            Code::NotAPage => "not_a_page",
            Code::FetchFailed => "fetch_failed",
            Code::InvalidFeed => "invalid_feed",
            Code::InvalidInterval => "invalid_interval",
            Code::InvalidName => "invalid_name",
            Code::InvalidBody => "invalid_body",
            Code::TooManyLinks => "too_many_links",
            Code::ReplyTooDeep => "reply_too_deep",
            Code::RateLimited => "rate_limited",
            Code::DuplicateComment => "duplicate_comment",
            Code::StorageUnavailable => "storage_unavailable",
            Code::Conflict => "conflict",
            Code::InvalidUserName => "invalid_user_name",
            Code::WeakPassword => "weak_password",
            Code::UserNotFound => "user_not_found",
            Code::BadCredentials => "bad_credentials",
            Code::AccountLocked => "account_locked",
            Code::InsufficientScope => "insufficient_scope",
            Code::InvalidPublication => "invalid_publication",
            Code::InvalidEvent => "invalid_event",
            Code::WebhookNotFound => "webhook_not_found",
            Code::InvalidBeacon => "invalid_beacon",
            Code::InvalidPeriod => "invalid_period",
            Code::InvalidLexiconEntry => "invalid_lexicon_entry",
            Code::LexiconEntryNotFound => "lexicon_entry_not_found",
            Code::InvalidSave => "invalid_save",
            Code::InvalidTag => "invalid_tag",
            Code::SaveNotFound => "save_not_found",
            Code::InvalidReading => "invalid_reading",
            Code::InvalidHighlight => "invalid_highlight",
            Code::HighlightNotFound => "highlight_not_found",
            Code::Internal => "internal",
        }
    }
}

/// Why a piece of work was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request cannot be done as asked: the message says why, for the client.
    #[error("{message}")]
    Refused {
        code: Code,
        message: String,
        /// Seconds before trying again, for limits.
        retry_after: Option<u64>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A failure of ours (a task that died, a blob that is missing): logged, never shown.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn refused(code: Code, message: impl Into<String>) -> Error {
        Error::Refused { code, message: message.into(), retry_after: None }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Error {
        Error::Internal(cause.to_string())
    }

    /// The article that is not there.
    pub fn no_article(id: i64) -> Error {
        Error::refused(Code::ArticleNotFound, format!("no article {id}"))
    }

    pub fn code(&self) -> Code {
        match self {
            Error::Refused { code, .. } => *code,
            Error::Store(e) if e.is_storage_full_or_read_only() => Code::StorageUnavailable,
            Error::Store(StoreError::Conflict(_)) => Code::Conflict,
            Error::Store(_) | Error::Internal(_) => Code::Internal,
        }
    }
}

impl From<FetchError> for Error {
    fn from(error: FetchError) -> Error {
        let code = match error {
            FetchError::InvalidUrl(_) => Code::InvalidUrl,
            FetchError::Refused(_) => Code::UrlRefused,
            FetchError::Timeout => Code::FetchTimeout,
            FetchError::TooLarge(_) => Code::PageTooLarge,
            FetchError::ContentType(_) => Code::NotAPage,
            FetchError::Status(_) | FetchError::TooManyRedirects | FetchError::Network(_) => {
                Code::FetchFailed
            }
        };
        Error::refused(code, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case_names() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{name}");
            assert!(seen.insert(name), "{name} twice");
        }
    }

    #[test]
    fn store_failures_keep_their_meaning() {
        assert_eq!(Error::from(StoreError::Conflict("url".into())).code(), Code::Conflict);
        assert_eq!(Error::internal("x").code(), Code::Internal);
        assert_eq!(Error::from(FetchError::Timeout).code(), Code::FetchTimeout);
    }
}
