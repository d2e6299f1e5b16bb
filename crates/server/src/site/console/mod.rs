//! The editorial console (`/console`): staff sign in with their name and password, editors see
//! the articles with their narration and act on them, moderators the comments
//! ([`comments`]). The session's secret is in an `HttpOnly`, `SameSite=Strict` cookie (and
//! `Secure` over HTTPS); every form carries the anti-forgery token; nothing here is cached.

pub mod comments;

use axum::extract::{Form, State};
use axum::http::header::{CACHE_CONTROL, LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lector_core::accounts::{self, Role};
use lector_core::narration;
use lector_store::{ListQuery, UserInfo};
use serde::{Deserialize, Serialize};

use super::{PageError, SiteView, csrf_cookie, ensure_csrf, render, site};
use crate::http::client::ClientAddress;
use crate::http::cookies::{SESSION_COOKIE, cookie, removed_cookie, session_cookie};
use crate::http::error::ApiError;
use crate::http::extract::{ApiPath, ApiQuery};
use crate::state::AppState;
use crate::views::{page_path, rfc3339};

/// Articles per page of the console's list.
const CONSOLE_PAGE: u32 = 50;

/// The signed-in user of a request, if its session is live.
pub async fn staff(state: &AppState, headers: &HeaderMap) -> Result<Option<UserInfo>, PageError> {
    match cookie(headers, SESSION_COOKIE) {
        Some(secret) => Ok(accounts::session_user(state.store.as_ref(), &secret).await?),
        None => Ok(None),
    }
}

fn role_of(user: &UserInfo) -> Option<Role> {
    Role::parse(&user.role)
}

fn may_edit(user: &UserInfo) -> bool {
    matches!(role_of(user), Some(Role::Admin | Role::Editor))
}

fn may_moderate(user: &UserInfo) -> bool {
    matches!(role_of(user), Some(Role::Admin | Role::Moderator))
}

/// The user signed in with a role that `allowed` accepts; a page error otherwise.
async fn require(
    state: &AppState,
    headers: &HeaderMap,
    allowed: fn(&UserInfo) -> bool,
) -> Result<UserInfo, PageError> {
    match staff(state, headers).await? {
        Some(user) if allowed(&user) => Ok(user),
        Some(user) => Err(PageError::new(
            StatusCode::FORBIDDEN,
            format!("Signed in as {} ({}): this is not yours to do.", user.name, user.role),
        )),
        None => Err(PageError::new(StatusCode::UNAUTHORIZED, "Please sign in at /console.")),
    }
}

/// Checks a form's anti-forgery token and that it was posted from this site's own pages.
fn check_form(state: &AppState, headers: &HeaderMap, field: &str) -> Result<(), PageError> {
    let same_token = csrf_cookie(headers).is_some_and(|token| token == field);
    if !same_token || !crate::http::origin::from_this_site(headers, &state.config.public_url()) {
        return Err(PageError::new(StatusCode::FORBIDDEN, "The form has expired. Please reload the page."));
    }
    Ok(())
}

/// What every console page shows: who is signed in and where they may go.
#[derive(Debug, Serialize)]
struct ConsoleView {
    site: SiteView,
    csrf: String,
    user: Option<UserView>,
}

#[derive(Debug, Serialize)]
struct UserView {
    name: String,
    role: String,
    edits: bool,
    moderates: bool,
}

async fn console_view(
    state: &AppState,
    csrf: String,
    user: Option<&UserInfo>,
) -> Result<ConsoleView, PageError> {
    Ok(ConsoleView {
        site: site(state).await?,
        csrf,
        user: user.map(|u| UserView {
            name: u.name.clone(),
            role: u.role.clone(),
            edits: may_edit(u),
            moderates: may_moderate(u),
        }),
    })
}

/// A console page: never stored by a cache, with the anti-forgery cookie when it is new.
fn private(mut response: Response, csrf_cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = csrf_cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to.to_string())]).into_response()
}

#[derive(Debug, Serialize)]
struct LoginPage {
    #[serde(flatten)]
    console: ConsoleView,
    error: Option<String>,
    name: String,
}

async fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
    name: String,
) -> Result<Response, PageError> {
    let (csrf, cookie) = ensure_csrf(headers)?;
    let console = console_view(state, csrf, None).await?;
    let mut response = render("console_login.html", LoginPage { console, error, name })?;
    *response.status_mut() = status;
    Ok(private(response, cookie))
}

#[derive(Debug, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    q: String,
}

#[derive(Debug, Serialize)]
struct ArticleRow {
    id: i64,
    headline: String,
    page: String,
    updated_at: String,
    revision: i64,
    voice: Option<String>,
    narration: &'static str,
    external_id: Option<String>,
    /// `draft`, `scheduled` or `published`.
    status: &'static str,
    publish_at: Option<String>,
}

#[derive(Debug, Serialize)]
struct ArticlesPage {
    #[serde(flatten)]
    console: ConsoleView,
    q: String,
    total: i64,
    articles: Vec<ArticleRow>,
}

/// `/console`: the sign-in form, or the articles with their narration (editors), or the way to
/// the comments (moderators).
pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Response, PageError> {
    let Some(user) = staff(&state, &headers).await? else {
        return login_page(&state, &headers, StatusCode::OK, None, String::new()).await;
    };
    if !may_edit(&user) {
        return Ok(private(see_other("/console/comments"), None));
    }
    let q = params.q.trim().chars().take(200).collect::<String>();
    let query = ListQuery {
        text: (!q.is_empty()).then(|| q.clone()),
        limit: CONSOLE_PAGE,
        unpublished: true,
        ..ListQuery::default()
    };
    let page = state.store.list_articles(&query).await?;
    let mut articles = Vec::with_capacity(page.items.len());
    for record in &page.items {
        let progress = narration::progress(&state, record).await?;
        articles.push(ArticleRow {
            id: record.id,
            headline: record.article.headline.clone(),
            page: page_path(record),
            updated_at: rfc3339(record.updated_at),
            revision: record.revision,
            voice: progress.voice,
            narration: progress.status,
            external_id: record.external_id.clone(),
            status: record.publication().status(),
            publish_at: record.publication().publish_at().map(rfc3339),
        });
    }
    let (csrf, cookie) = ensure_csrf(&headers)?;
    let console = console_view(&state, csrf, Some(&user)).await?;
    let response = render("console_articles.html", ArticlesPage { console, q, total: page.total, articles })?;
    Ok(private(response, cookie))
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    csrf: String,
    name: String,
    password: String,
}

/// Signs a user in: a new session, its cookie, and the console.
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddress,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    check_form(&state, &headers, &form.csrf)?;
    let signed = accounts::sign_in(
        state.store.as_ref(),
        &state.config.accounts,
        &form.name,
        &form.password,
        &client.key(),
    )
    .await;
    match signed {
        Ok(session) => {
            tracing::info!(user = %session.user.name, "signed in");
            let secure = state.config.public_url().starts_with("https://");
            // The session's whole life, as the store keeps it (read from the configuration, not
            // the clock, so that the cookie and the store agree to the second).
            let max_age = i64::try_from(state.config.accounts.session_hours * 3600).unwrap_or(i64::MAX);
            let mut response = private(see_other("/console"), None);
            if let Some(value) = session_cookie(SESSION_COOKIE, &session.secret, max_age, secure) {
                response.headers_mut().append(SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(error) => {
            let retry_after = match &error {
                lector_core::Error::Refused { retry_after, .. } => *retry_after,
                _ => None,
            };
            let api = ApiError::from(error);
            if api.status.is_server_error() {
                return Err(PageError::new(
                    api.status,
                    "Something went wrong on our side. Please try again.",
                ));
            }
            let name = form.name.chars().take(accounts::MAX_NAME_CHARS).collect();
            let mut response = login_page(&state, &headers, api.status, Some(api.message), name).await?;
            if let Some(seconds) = retry_after {
                response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
            }
            Ok(response)
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Ends the session, in the store and in the browser.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    check_form(&state, &headers, &form.csrf)?;
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        accounts::sign_out(state.store.as_ref(), &secret).await?;
    }
    let mut response = private(see_other("/console"), None);
    if let Some(value) = removed_cookie(SESSION_COOKIE, "/") {
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Debug, Serialize)]
struct VoiceRow {
    id: String,
    /// The article read in this voice (live when it is not kept yet).
    listen: String,
    name: String,
    quality: String,
    chosen: bool,
}

#[derive(Debug, Serialize)]
struct ArticleDetail {
    #[serde(flatten)]
    console: ConsoleView,
    id: i64,
    headline: String,
    page: String,
    revision: i64,
    external_id: Option<String>,
    canonical_url: Option<String>,
    narration: &'static str,
    voice: Option<String>,
    job_error: Option<String>,
    voices: Vec<VoiceRow>,
    language: String,
    status: &'static str,
    publish_at: Option<String>,
}

/// `/console/articles/{id}`: the article's narration, a listen in each voice that speaks its
/// language, and the actions on it.
pub async fn article(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let user = require(&state, &headers, may_edit).await?;
    let record = state.store.article(id).await?.ok_or_else(PageError::not_found)?;
    let progress = narration::progress(&state, &record).await?;
    let language = crate::views::primary_language_of(&state, &record.article);
    let voices = state
        .voices
        .list
        .iter()
        .filter(|v| lector_speech::voice::primary_language(&v.language) == language)
        .map(|v| VoiceRow {
            listen: format!(
                "/api/articles/{id}/audio?voice={}",
                url::form_urlencoded::byte_serialize(v.id.as_bytes()).collect::<String>()
            ),
            id: v.id.clone(),
            name: v.name.clone(),
            quality: v.quality.clone(),
            chosen: progress.voice.as_deref() == Some(v.id.as_str()),
        })
        .collect();
    let (csrf, cookie) = ensure_csrf(&headers)?;
    let console = console_view(&state, csrf, Some(&user)).await?;
    let detail = ArticleDetail {
        console,
        id: record.id,
        headline: record.article.headline.clone(),
        page: page_path(&record),
        revision: record.revision,
        external_id: record.external_id.clone(),
        canonical_url: record.article.canonical_url.clone(),
        narration: progress.status,
        voice: progress.voice,
        job_error: progress.job.and_then(|j| j.last_error),
        voices,
        language,
        status: record.publication().status(),
        publish_at: record.publication().publish_at().map(rfc3339),
    };
    Ok(private(render("console_article.html", detail)?, cookie))
}

#[derive(Debug, Deserialize)]
pub struct NarrateForm {
    csrf: String,
    voice: String,
}

/// Queues the narration of the article's current revision in a voice (a failed one is tried
/// again; kept audio stays).
pub async fn narrate(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    Form(form): Form<NarrateForm>,
) -> Result<Response, PageError> {
    check_form(&state, &headers, &form.csrf)?;
    let user = require(&state, &headers, may_edit).await?;
    if state.voices.get(&form.voice).is_none() {
        return Err(PageError::new(StatusCode::UNPROCESSABLE_ENTITY, "There is no such voice."));
    }
    lector_core::articles::narrate_in(&state, id, &form.voice).await.map_err(|e| {
        let api = ApiError::from(e);
        PageError::new(api.status, api.message)
    })?;
    tracing::info!(user = %user.name, article = id, voice = %form.voice, "narration queued from the console");
    Ok(private(see_other(&format!("/console/articles/{id}")), None))
}

#[derive(Debug, Deserialize)]
pub struct PublicationForm {
    csrf: String,
    status: String,
    #[serde(default)]
    publish_at: String,
}

/// A time from the console's form: RFC 3339, or a `datetime-local` value read as UTC.
fn form_time(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if chrono::DateTime::parse_from_rfc3339(text).is_ok() {
        return Some(text.to_string());
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| chrono::NaiveDateTime::parse_from_str(text, format).ok())
        .map(|local| local.and_utc().to_rfc3339())
        .or_else(|| Some(text.to_string()))
}

/// Publishes an article now, makes it a draft again (unpublishes it), or schedules it.
pub async fn publication(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    Form(form): Form<PublicationForm>,
) -> Result<Response, PageError> {
    check_form(&state, &headers, &form.csrf)?;
    let user = require(&state, &headers, may_edit).await?;
    let at = if form.status == "scheduled" { form_time(&form.publish_at) } else { None };
    let refused = |e: lector_core::Error| {
        let api = ApiError::from(e);
        PageError::new(api.status, api.message)
    };
    let publication = lector_core::articles::publication(Some(&form.status), at.as_deref())
        .map_err(refused)?
        .ok_or_else(|| PageError::new(StatusCode::UNPROCESSABLE_ENTITY, "Choose a state."))?;
    lector_core::articles::set_publication(&state, id, publication).await.map_err(refused)?;
    tracing::info!(user = %user.name, article = id, status = publication.status(), "publication changed from the console");
    Ok(private(see_other(&format!("/console/articles/{id}")), None))
}
