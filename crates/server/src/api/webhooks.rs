//! `POST /api/webhooks` and friends: where lector tells a newsroom's systems what happened
//! (an `admin` token). The signing secret is shown once, when the hook is made.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use lector_core::webhooks;
use lector_core::{Code, Error};

use crate::http::auth::{Admin, Authorized};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::views::rfc3339;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    /// Where deliveries are posted (http or https, a public address unless `fetch.allow`
    /// names it).
    pub url: String,
    /// `narration.ready`, `narration.failed`, `article.published`.
    pub events: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: String,
    /// The signing secret (`whsec_…`): in the answer that made the hook only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl WebhookView {
    fn build(hook: &lector_store::Webhook, with_secret: bool) -> WebhookView {
        WebhookView {
            id: hook.id,
            url: hook.url.clone(),
            events: hook.events.split_whitespace().map(str::to_string).collect(),
            created_at: rfc3339(hook.created_at),
            secret: with_secret.then(|| hook.secret.clone()),
        }
    }
}

/// Add a webhook; the answer holds its signing secret, shown this once.
#[utoipa::path(post, path = "/api/webhooks", tag = "webhooks", request_body = WebhookRequest,
    responses((status = 201, body = WebhookView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add(
    State(state): State<AppState>,
    _admin: Authorized<Admin>,
    ApiJson(request): ApiJson<WebhookRequest>,
) -> Result<(StatusCode, axum::Json<WebhookView>), ApiError> {
    let hook = webhooks::add(&state, &request.url, &request.events).await?;
    Ok((StatusCode::CREATED, axum::Json(WebhookView::build(&hook, true))))
}

/// The webhooks (never their secrets).
#[utoipa::path(get, path = "/api/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    _admin: Authorized<Admin>,
) -> Result<axum::Json<Vec<WebhookView>>, ApiError> {
    Ok(axum::Json(state.store.webhooks().await?.iter().map(|h| WebhookView::build(h, false)).collect()))
}

/// Remove a webhook: deliveries still queued for it are dropped when their turn comes.
#[utoipa::path(delete, path = "/api/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 204, description = "Removed"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    _admin: Authorized<Admin>,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    if state.store.delete_webhook(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::refused(Code::WebhookNotFound, format!("no webhook {id}")).into())
    }
}
