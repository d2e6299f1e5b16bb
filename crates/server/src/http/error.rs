//! The one HTTP error type: a stable code and message for clients, the cause in the log.
//!
//! Body: `{"error": {"code": "article_not_found", "message": "no article 7"}}`. Codes never
//! change meaning; messages may be reworded. Internal causes (database, disk, engine) are
//! logged with a reference that the client sees, never the cause itself.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lector_core::{Code, Error};
use lector_store::StoreError;
use serde::Serialize;

/// An error as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds before trying again (`Retry-After`), for limits.
    pub retry_after: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `article_not_found`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), retry_after: None }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this needs a bearer token (lector token create)",
        )
    }

    /// An internal failure: logged in full, shown as a reference only.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        let reference = next_reference();
        tracing::error!(reference, "internal error: {cause}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("internal error (reference {reference})"),
        )
    }
}

fn next_reference() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let started =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    (started % 100_000) * 100_000 + NEXT.fetch_add(1, Ordering::Relaxed) % 100_000
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code.to_string(), message: self.message } };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
        }
        response
    }
}

/// The status of every code the work below HTTP can refuse with: the one table.
pub fn status_of(code: Code) -> StatusCode {
    match code {
        Code::ArticleNotFound
        | Code::CommentNotFound
        | Code::FeedNotFound
        | Code::UserNotFound
        | Code::WebhookNotFound
        | Code::LexiconEntryNotFound
        | Code::SaveNotFound
        | Code::HighlightNotFound => StatusCode::NOT_FOUND,
        Code::InvalidUrl | Code::InvalidBeacon | Code::InvalidPeriod => StatusCode::BAD_REQUEST,
        Code::MissingHeadline
        | Code::HeadlineTooLong
        | Code::EmptyBody
        | Code::BodyTooLong
        | Code::SummaryTooLong
        | Code::BinaryInput
        | Code::NoArticle
        | Code::UrlRefused
        | Code::PageTooLarge
        | Code::NotAPage
        | Code::InvalidFeed
        | Code::InvalidInterval
        | Code::InvalidName
        | Code::InvalidBody
        | Code::TooManyLinks
        | Code::ReplyTooDeep
        | Code::InvalidUserName
        | Code::WeakPassword
        | Code::InvalidPublication
        | Code::InvalidEvent
        | Code::InvalidLexiconEntry
        | Code::InvalidSave
        | Code::InvalidTag
        | Code::InvalidReading
        | Code::InvalidHighlight => StatusCode::UNPROCESSABLE_ENTITY,
        Code::BadCredentials => StatusCode::UNAUTHORIZED,
        Code::InsufficientScope => StatusCode::FORBIDDEN,
        Code::FetchTimeout => StatusCode::GATEWAY_TIMEOUT,
        Code::FetchFailed => StatusCode::BAD_GATEWAY,
        Code::RateLimited | Code::AccountLocked => StatusCode::TOO_MANY_REQUESTS,
        Code::DuplicateComment | Code::Conflict => StatusCode::CONFLICT,
        Code::StorageUnavailable => StatusCode::INSUFFICIENT_STORAGE,
        Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        match error {
            Error::Refused { code, message, retry_after } => {
                ApiError { status: status_of(code), code: code.as_str(), message, retry_after }
            }
            Error::Store(e) => ApiError::from(e),
            Error::Internal(cause) => ApiError::internal(&cause),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        if error.is_storage_full_or_read_only() {
            tracing::error!("storage refuses writes: {error}");
            return ApiError::new(
                status_of(Code::StorageUnavailable),
                Code::StorageUnavailable.as_str(),
                "the server cannot store anything right now (disk full or read-only)",
            );
        }
        if let StoreError::Conflict(_) = error {
            return ApiError::new(
                status_of(Code::Conflict),
                Code::Conflict.as_str(),
                "another article already has this canonical URL or external id",
            );
        }
        ApiError::internal(&error)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send JSON with Content-Type: application/json",
            ),
            JsonRejection::JsonSyntaxError(e) => ApiError::bad_request("malformed_json", e.body_text()),
            JsonRejection::JsonDataError(e) => ApiError::unprocessable("invalid_json", e.body_text()),
            JsonRejection::BytesRejection(e) => payload_error(e.status(), e.body_text()),
            other => ApiError::bad_request("bad_request", other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::bad_request("invalid_query", rejection.body_text())
    }
}

/// A body that could not be read: too large, or cut short.
pub fn payload_error(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(status, "payload_too_large", "the request body is larger than the server accepts")
    } else {
        ApiError::bad_request("unreadable_body", text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_a_client_error_and_every_failure_a_server_error() {
        for code in Code::ALL {
            let status = status_of(code);
            let ours = matches!(
                code,
                Code::Internal | Code::StorageUnavailable | Code::FetchFailed | Code::FetchTimeout
            );
            assert_eq!(status.is_server_error(), ours, "{code:?} → {status}");
            assert!(status.is_client_error() || status.is_server_error(), "{code:?} → {status}");
        }
    }

    #[test]
    fn a_refusal_keeps_its_code_message_and_wait() {
        let error = ApiError::from(Error::Refused {
            code: Code::RateLimited,
            message: "wait".into(),
            retry_after: Some(7),
        });
        assert_eq!(
            (error.status, error.code, error.message.as_str(), error.retry_after),
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited", "wait", Some(7))
        );
        assert_eq!(ApiError::from(Error::internal("disk on fire")).code, "internal");
        assert!(!ApiError::from(Error::internal("disk on fire")).message.contains("fire"));
    }
}
