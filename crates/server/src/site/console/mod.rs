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
use lector_core::config::SiteMode;
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
    // A library's console is its administrators' only: nobody else sees others' articles.
    let library = state.config.site.mode == SiteMode::Library;
    match staff(state, headers).await? {
        Some(user) if allowed(&user) && (!library || role_of(&user) == Some(Role::Admin)) => Ok(user),
        Some(user) => Err(PageError::new(
            StatusCode::FORBIDDEN,
            format!("Signed in as {} ({}): this is not yours to do.", user.name, user.role),
        )),
        None => Err(PageError::new(StatusCode::UNAUTHORIZED, "Please sign in at /console.")),
    }
}

/// Checks a form's anti-forgery token and that it was posted from this site's own pages.
pub(crate) fn check_form(state: &AppState, headers: &HeaderMap, field: &str) -> Result<(), PageError> {
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
pub(crate) fn private(mut response: Response, csrf_cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = csrf_cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub(crate) fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to.to_string())]).into_response()
}

#[derive(Debug, Serialize)]
struct LoginPage {
    #[serde(flatten)]
    console: ConsoleView,
    error: Option<String>,
    name: String,
    /// Where to go once signed in (a path of this site).
    next: String,
}

/// `next` when it is a path of this site (never another host's address), else the home of
/// whoever signs in: the library on a library, the console on a publication.
pub fn after_sign_in(state: &AppState, next: &str) -> String {
    let next = next.trim();
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if local {
        next.to_string()
    } else if state.config.site.mode == SiteMode::Library {
        "/library".into()
    } else {
        "/console".into()
    }
}

/// The sign-in page, going to `next` once signed in.
pub async fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
    name: String,
    next: String,
) -> Result<Response, PageError> {
    let (csrf, cookie) = ensure_csrf(headers)?;
    let console = console_view(state, csrf, None).await?;
    let mut response = render("console_login.html", LoginPage { console, error, name, next })?;
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
        return login_page(&state, &headers, StatusCode::OK, None, String::new(), String::new()).await;
    };
    if state.config.site.mode == SiteMode::Library && role_of(&user) != Some(Role::Admin) {
        return Ok(private(see_other("/library"), None));
    }
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
    #[serde(default)]
    next: String,
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
            let mut response = private(see_other(&after_sign_in(&state, &form.next)), None);
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
            let mut response =
                login_page(&state, &headers, api.status, Some(api.message), name, form.next).await?;
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
    let home = if state.config.site.mode == SiteMode::Library { "/login" } else { "/console" };
    let mut response = private(see_other(home), None);
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
    /// The voice an editor chose for this article, if one did.
    chosen_voice: Option<String>,
    /// Each sentence as written and as the voice says it.
    script: Vec<ScriptRow>,
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
    let script = script_rows(&state, &record).await?;
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
        chosen_voice: record.voice.clone(),
        script,
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
    lector_core::articles::narrate_in(&state, id, &form.voice).await?;
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
    let publication = lector_core::articles::publication(Some(&form.status), at.as_deref())?
        .ok_or_else(|| PageError::new(StatusCode::UNPROCESSABLE_ENTITY, "Choose a state."))?;
    lector_core::articles::set_publication(&state, id, publication).await?;
    tracing::info!(user = %user.name, article = id, status = publication.status(), "publication changed from the console");
    Ok(private(see_other(&format!("/console/articles/{id}")), None))
}

#[derive(Debug, Deserialize)]
pub struct AnalyticsParams {
    /// One article; all when absent.
    article: Option<i64>,
    /// How many days back from today (7 to 365; 30 when absent).
    days: Option<u32>,
}

/// A bar of a chart, laid out here so that the page needs no script.
#[derive(Debug, Serialize)]
struct Bar {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    label: String,
    value: i64,
}

/// Bars for `values` in a chart `width` × `height`, scaled to the largest.
fn bars(values: &[(String, i64)], width: f64, height: f64) -> Vec<Bar> {
    let most = values.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let step = width / values.len().max(1) as f64;
    values
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let tall = (*value as f64 / most) * height;
            Bar {
                x: (i as f64 * step * 100.0).round() / 100.0,
                y: ((height - tall) * 100.0).round() / 100.0,
                width: ((step * 0.8).max(1.0) * 100.0).round() / 100.0,
                height: (tall * 100.0).round() / 100.0,
                label: label.clone(),
                value: *value,
            }
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct Share {
    label: String,
    count: i64,
    /// Of the plays, in percent.
    percent: i64,
}

#[derive(Debug, Serialize)]
struct TopArticle {
    id: i64,
    headline: String,
    plays: i64,
}

#[derive(Debug, Serialize)]
struct AnalyticsPage {
    #[serde(flatten)]
    console: ConsoleView,
    days: u32,
    from: String,
    to: String,
    article: Option<TopArticle>,
    plays: i64,
    average_minutes: String,
    completion: i64,
    per_day: Vec<Bar>,
    through: Vec<Share>,
    voices: Vec<Share>,
    speeds: Vec<Share>,
    dropoff: Vec<Bar>,
    top: Vec<TopArticle>,
}

/// `/console/analytics`: plays per day, listen-through, time listened, voices and speeds, and
/// (for one article) where listens ended, as charts drawn on the server.
pub async fn analytics(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<AnalyticsParams>,
) -> Result<Response, PageError> {
    let user = require(&state, &headers, may_edit).await?;
    let days = params.days.unwrap_or(30).clamp(7, 365);
    let today = lector_core::analytics::day_of(lector_core::now());
    let from = lector_core::analytics::first_of(&today, days)?;
    let summary = lector_core::analytics::period(state.store.as_ref(), params.article, &from, &today).await?;
    let total = &summary.total;
    let percent = |count: i64| if total.plays > 0 { count * 100 / total.plays } else { 0 };
    let share = |(label, count): (&String, &i64)| Share {
        label: label.clone(),
        count: *count,
        percent: percent(*count),
    };
    let per_day: Vec<(String, i64)> = summary.days.iter().map(|d| (d.day.clone(), d.plays)).collect();
    let dropoff: Vec<(String, i64)> = summary
        .dropoff
        .iter()
        .map(|(sentence, count)| (format!("sentence {}", sentence + 1), *count))
        .collect();
    let mut top = Vec::new();
    for (id, plays) in summary.articles.iter().take(10) {
        if let Some(record) = state.store.article(*id).await? {
            top.push(TopArticle { id: *id, headline: record.article.headline.clone(), plays: *plays });
        }
    }
    let article = match params.article {
        Some(id) => {
            let record = state.store.article(id).await?.ok_or_else(PageError::not_found)?;
            Some(TopArticle { id, headline: record.article.headline.clone(), plays: total.plays })
        }
        None => None,
    };
    let (csrf, cookie) = ensure_csrf(&headers)?;
    let page = AnalyticsPage {
        console: console_view(&state, csrf, Some(&user)).await?,
        days,
        from,
        to: today,
        article,
        plays: total.plays,
        average_minutes: format!("{:.1}", total.average_listened_ms as f64 / 60_000.0),
        completion: percent(total.reached[3]),
        per_day: bars(&per_day, 640.0, 160.0),
        through: ["25 %", "50 %", "75 %", "100 %"]
            .iter()
            .zip(total.reached)
            .map(|(label, count)| Share { label: (*label).to_string(), count, percent: percent(count) })
            .collect(),
        voices: summary.voices.iter().map(share).collect(),
        speeds: summary.speeds.iter().map(share).collect(),
        dropoff: bars(&dropoff, 640.0, 120.0),
        top,
    };
    Ok(private(render("console_analytics.html", page)?, cookie))
}

#[derive(Debug, Deserialize)]
pub struct VoiceForm {
    csrf: String,
    /// An installed voice, or empty for the site's voice for the article's language.
    #[serde(default)]
    voice: String,
}

/// Chooses the voice that reads the article (or gives it back to the site's) and queues its
/// narration in that voice.
pub async fn choose_voice(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    Form(form): Form<VoiceForm>,
) -> Result<Response, PageError> {
    check_form(&state, &headers, &form.csrf)?;
    let user = require(&state, &headers, may_edit).await?;
    let chosen = Some(form.voice.trim()).filter(|v| !v.is_empty());
    if chosen.is_some_and(|voice| state.voices.get(voice).is_none()) {
        return Err(PageError::new(StatusCode::UNPROCESSABLE_ENTITY, "There is no such voice."));
    }
    if !state.store.set_article_voice(id, chosen).await? {
        return Err(PageError::not_found());
    }
    let record = state.store.article(id).await?.ok_or_else(PageError::not_found)?;
    if let Some(voice) = state.voice_of(&record) {
        lector_core::articles::narrate_in(&state, id, &voice).await?;
    }
    tracing::info!(user = %user.name, article = id, voice = ?chosen, "article's voice chosen from the console");
    Ok(private(see_other(&format!("/console/articles/{id}")), None))
}

#[derive(Debug, Serialize)]
struct LexiconRow {
    id: i64,
    text: String,
    regex: bool,
    say: Option<String>,
    ipa: Option<String>,
    case_sensitive: bool,
    /// The sample the listen button speaks.
    listen: String,
}

#[derive(Debug, Serialize)]
struct LexiconPage {
    #[serde(flatten)]
    console: ConsoleView,
    entries: Vec<LexiconRow>,
    /// What the last change did, when the page follows one.
    renarrated: Option<usize>,
}

#[derive(Debug, Deserialize)]
pub struct LexiconParams {
    renarrated: Option<usize>,
}

/// `/console/lexicon`: the site's pronunciations, each with a listen button, and the form to
/// add one.
pub async fn lexicon(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<LexiconParams>,
) -> Result<Response, PageError> {
    let user = require(&state, &headers, may_edit).await?;
    let entries = state
        .store
        .lexicon_entries()
        .await?
        .into_iter()
        .map(|e| {
            let sample = e.example.clone().filter(|x| !x.trim().is_empty()).unwrap_or_else(|| e.text.clone());
            LexiconRow {
                listen: format!(
                    "/console/lexicon/listen?text={}",
                    url::form_urlencoded::byte_serialize(sample.as_bytes()).collect::<String>()
                ),
                id: e.id,
                text: e.text,
                regex: e.regex,
                say: e.say,
                ipa: e.ipa,
                case_sensitive: e.case_sensitive,
            }
        })
        .collect();
    let (csrf, cookie) = ensure_csrf(&headers)?;
    let console = console_view(&state, csrf, Some(&user)).await?;
    let page = LexiconPage { console, entries, renarrated: params.renarrated };
    Ok(private(render("console_lexicon.html", page)?, cookie))
}

#[derive(Debug, Deserialize)]
pub struct LexiconForm {
    csrf: String,
    text: String,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    say: String,
    #[serde(default)]
    ipa: String,
    #[serde(default)]
    case_sensitive: Option<String>,
    #[serde(default)]
    example: String,
}

/// Adds (or replaces) an entry; the articles it changes are narrated again.
pub async fn add_lexicon(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LexiconForm>,
) -> Result<Response, PageError> {
    check_form(&state, &headers, &form.csrf)?;
    let user = require(&state, &headers, may_edit).await?;
    let given = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
    let entry = lector_store::NewLexiconEntry {
        text: form.text.trim().to_string(),
        regex: form.regex.is_some(),
        say: given(&form.say),
        ipa: given(&form.ipa),
        case_sensitive: form.case_sensitive.is_some(),
        example: given(&form.example),
    };
    let changed = lector_core::lexicon::save(&state, entry).await?;
    tracing::info!(user = %user.name, renarrated = changed.renarrated, "lexicon entry saved from the console");
    Ok(private(see_other(&format!("/console/lexicon?renarrated={}", changed.renarrated)), None))
}

/// Removes an entry; the articles it changed are narrated again.
pub async fn remove_lexicon(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    check_form(&state, &headers, &form.csrf)?;
    let user = require(&state, &headers, may_edit).await?;
    let changed = lector_core::lexicon::remove(&state, id).await?;
    tracing::info!(user = %user.name, entry = id, renarrated = changed.renarrated, "lexicon entry removed from the console");
    Ok(private(see_other(&format!("/console/lexicon?renarrated={}", changed.renarrated)), None))
}

#[derive(Debug, Deserialize)]
pub struct ListenParams {
    text: String,
    voice: Option<String>,
}

/// A sample spoken as narrations say it now (WAV), for the listen buttons.
pub async fn listen_lexicon(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<ListenParams>,
) -> Result<Response, PageError> {
    require(&state, &headers, may_edit).await?;
    let wav = lector_core::lexicon::listen(&state, &params.text, params.voice.as_deref()).await?;
    let response = ([(axum::http::header::CONTENT_TYPE, "audio/wav")], wav).into_response();
    Ok(private(response, None))
}

/// A sentence of the script as the console shows it.
#[derive(Debug, Serialize)]
struct ScriptRow {
    index: usize,
    written: String,
    spoken: String,
    /// Whether an editor gave the words.
    overridden: bool,
}

/// The article's sentences as written and as every narration says them now (the lexicon and
/// the editors' words applied).
async fn script_rows(
    state: &AppState,
    record: &lector_store::ArticleRecord,
) -> Result<Vec<ScriptRow>, PageError> {
    let lexicon = lector_core::lexicon::article_lexicon(state.store.as_ref(), Some(record.id)).await?;
    let overridden: std::collections::HashSet<String> =
        state.store.spoken_overrides(record.id).await?.into_iter().map(|o| o.written).collect();
    let (article, site) = (record.article.clone(), state.config.site.clone());
    let script = tokio::task::spawn_blocking(move || narration::spoken_script(&article, &site, &lexicon))
        .await
        .map_err(|_| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong."))?;
    Ok(script
        .utterances
        .into_iter()
        .enumerate()
        .map(|(index, u)| ScriptRow {
            index,
            overridden: overridden.contains(&u.text),
            spoken: u.spoken.text(),
            written: u.text,
        })
        .collect())
}

#[derive(Debug, Deserialize)]
pub struct ScriptForm {
    csrf: String,
    written: String,
    #[serde(default)]
    spoken: String,
}

/// Has the voice say other words for one sentence (or the sentence again, when empty); the
/// article is narrated again, that sentence alone synthesized.
pub async fn override_sentence(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    Form(form): Form<ScriptForm>,
) -> Result<Response, PageError> {
    check_form(&state, &headers, &form.csrf)?;
    let user = require(&state, &headers, may_edit).await?;
    let spoken = Some(form.spoken.as_str()).filter(|s| !s.trim().is_empty());
    let renarrated = lector_core::lexicon::override_sentence(&state, id, &form.written, spoken).await?;
    tracing::info!(user = %user.name, article = id, renarrated, "spoken words of a sentence changed from the console");
    Ok(private(see_other(&format!("/console/articles/{id}#script")), None))
}
