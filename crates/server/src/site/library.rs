//! The reader's library pages on a site in library mode: `/library` (shelves, tags, search,
//! order, the save box, saves in progress, bulk actions), the forms that save and change items,
//! and the sign-in page the gate sends readers to. Forms carry the anti-forgery token and are
//! checked to come from this site, as the console's are.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use lector_core::articles::Viewer;
use lector_core::config::SiteMode;
use lector_core::library::{self, Reading, SaveOptions, Saving};
use lector_store::{ItemChange, LibraryQuery, LibrarySort, Shelf};
use serde::{Deserialize, Serialize};

use super::console::{after_sign_in, check_form, login_page, private, see_other, staff};
use super::{PageError, SiteView, ensure_csrf, render, site_for};
use crate::http::auth::SignedIn;
use crate::http::extract::{ApiPath, ApiQuery};
use crate::state::AppState;
use crate::views::{LibraryItemView, SaveView};

/// Items on one page of the library.
const LIBRARY_PAGE: u32 = 30;
/// Saves in progress the library page lists (the rest are counted).
const SHOWN_SAVES: i64 = 20;

/// The signed-in reader of a library (the gate put them in the request); a 404 on a
/// publication.
fn reader(state: &AppState, user: Option<Extension<SignedIn>>) -> Result<i64, PageError> {
    if state.config.site.mode != SiteMode::Library {
        return Err(PageError::not_found());
    }
    user.map(|Extension(SignedIn(id))| id)
        .ok_or_else(|| PageError::new(StatusCode::UNAUTHORIZED, "Please sign in."))
}

#[derive(Debug, Deserialize)]
pub struct LoginParams {
    #[serde(default)]
    next: String,
}

/// `/login`: the sign-in page (a signed-in reader goes on to `next`).
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<LoginParams>,
) -> Result<Response, PageError> {
    if staff(&state, &headers).await?.is_some() {
        return Ok(private(see_other(&after_sign_in(&state, &params.next)), None));
    }
    login_page(&state, &headers, StatusCode::OK, None, String::new(), params.next).await
}

#[derive(Debug, Deserialize)]
pub struct LibraryParams {
    #[serde(default)]
    shelf: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    page: Option<u32>,
    /// A page to save, filled in the save box (the bookmarklet's `save`; a share's `url`,
    /// `text` and `title`).
    #[serde(default)]
    save: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    title: String,
}

#[derive(Debug, Serialize)]
struct Choice {
    value: &'static str,
    label: &'static str,
    current: bool,
}

#[derive(Debug, Serialize)]
struct TagLink {
    name: String,
    count: i64,
    current: bool,
}

#[derive(Debug, Serialize)]
struct LibraryPage {
    site: SiteView,
    csrf: String,
    shelf: &'static str,
    shelves: Vec<Choice>,
    sorts: Vec<Choice>,
    tag: Option<String>,
    tags: Vec<TagLink>,
    q: String,
    saves: Vec<SaveView>,
    /// Open saves beyond those shown (an import's).
    more_saves: usize,
    /// How far the saves under way have got, for a progress bar; none when none is. While
    /// some are, the page looks again shortly.
    progress: Option<lector_store::SaveProgress>,
    items: Vec<LibraryItemView>,
    total: i64,
    /// This page's own address, for the forms to come back to.
    here: String,
    previous_url: Option<String>,
    next_url: Option<String>,
    /// What the save box holds when the page opens (a bookmarklet's or a share's page).
    to_save: String,
}

/// What a bookmarklet or a share asks to save: an address if one came (a share's text often
/// carries the address after a title), else the text.
fn shared(params: &LibraryParams) -> String {
    let address = |text: &str| {
        text.split_whitespace()
            .find(|w| w.starts_with("https://") || w.starts_with("http://"))
            .map(str::to_string)
    };
    for field in [&params.save, &params.url] {
        if let Some(url) = address(field) {
            return url;
        }
    }
    if let Some(url) = address(&params.text) {
        return url;
    }
    match (params.title.trim(), params.text.trim()) {
        ("", text) => text.to_string(),
        (title, "") => title.to_string(),
        (title, text) => format!("{title}\n\n{text}"),
    }
}

fn shelf_label(shelf: Shelf) -> &'static str {
    match shelf {
        Shelf::Unread => "Unread",
        Shelf::Archive => "Archive",
        Shelf::Favourites => "Favourites",
        Shelf::All => "All",
    }
}

fn sort_label(sort: LibrarySort) -> &'static str {
    match sort {
        LibrarySort::Saved => "Newest saved",
        LibrarySort::SavedOldest => "Oldest saved",
        LibrarySort::Longest => "Longest",
        LibrarySort::Shortest => "Shortest",
        LibrarySort::Listen => "Listen time",
    }
}

/// The address of the library page with these choices.
fn library_url(shelf: Shelf, tag: Option<&str>, q: &str, sort: LibrarySort, page: u32) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if shelf != Shelf::Unread {
        query.append_pair("shelf", shelf.as_str());
    }
    if let Some(tag) = tag {
        query.append_pair("tag", tag);
    }
    if !q.is_empty() {
        query.append_pair("q", q);
    }
    if sort != LibrarySort::Saved {
        query.append_pair("sort", sort.as_str());
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    let query = query.finish();
    if query.is_empty() { "/library".into() } else { format!("/library?{query}") }
}

/// `/library`: the reader's library.
pub async fn page(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<LibraryParams>,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    let shelf = Shelf::parse(&params.shelf).unwrap_or_default();
    let sort = LibrarySort::parse(&params.sort).unwrap_or_default();
    let tag = Some(params.tag.trim().to_string()).filter(|t| !t.is_empty());
    let q: String = params.q.trim().chars().take(200).collect();
    let number = params.page.unwrap_or(1).clamp(1, 100_000);
    let query = LibraryQuery {
        user,
        shelf,
        tag: tag.clone(),
        text: Some(q.clone()).filter(|q| !q.is_empty()),
        sort,
        limit: LIBRARY_PAGE,
        offset: (number - 1) * LIBRARY_PAGE,
    };
    let found = state.store.library(&query).await?;
    let items: Vec<LibraryItemView> =
        found.items.iter().map(|e| LibraryItemView::build(&state, e, query.text.as_deref())).collect();
    let saves: Vec<SaveView> =
        state.store.open_saves(user, SHOWN_SAVES).await?.iter().map(SaveView::build).collect();
    let open = state.store.count_open_saves(user).await?;
    let progress = Some(state.store.save_progress(user).await?).filter(|p| p.total > 0);
    let more_saves = usize::try_from(open).unwrap_or(0).saturating_sub(saves.len());
    let tags = state
        .store
        .library_tags(user)
        .await?
        .into_iter()
        .map(|(name, count)| TagLink { current: tag.as_deref() == Some(name.as_str()), name, count })
        .collect();
    let (csrf, cookie) = ensure_csrf(&headers)?;
    let to_save: String = shared(&params).chars().take(100_000).collect();
    let view = LibraryPage {
        to_save,
        site: site_for(&state, Viewer::Member(user)).await?,
        csrf,
        shelf: shelf.as_str(),
        shelves: Shelf::ALL
            .iter()
            .map(|s| Choice { value: s.as_str(), label: shelf_label(*s), current: *s == shelf })
            .collect(),
        sorts: LibrarySort::ALL
            .iter()
            .map(|s| Choice { value: s.as_str(), label: sort_label(*s), current: *s == sort })
            .collect(),
        tag: tag.clone(),
        tags,
        progress,
        more_saves,
        saves,
        total: found.total,
        here: library_url(shelf, tag.as_deref(), &q, sort, number),
        previous_url: (number > 1).then(|| library_url(shelf, tag.as_deref(), &q, sort, number - 1)),
        next_url: (i64::from(number * LIBRARY_PAGE) < found.total)
            .then(|| library_url(shelf, tag.as_deref(), &q, sort, number + 1)),
        q,
        items,
    };
    Ok(private(render("library.html", view)?, cookie))
}

#[derive(Debug, Deserialize)]
pub struct SaveForm {
    csrf: String,
    /// An address, or the text of an article.
    page: String,
    #[serde(default)]
    tags: String,
}

/// The save box: an address is fetched, anything else is read as pasted text; back to the
/// library at once, where the save shows how far it is.
pub async fn save(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    axum::extract::Form(form): axum::extract::Form<SaveForm>,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    check_form(&state, &headers, &form.csrf)?;
    let input = form.page.trim();
    let one_address = !input.contains(char::is_whitespace)
        && (input.starts_with("http://") || input.starts_with("https://"));
    let saving = if one_address { Saving::Url(input.to_string()) } else { Saving::Text(form.page.clone()) };
    let options = SaveOptions { tags: library::tags_from_field(&form.tags)?, ..SaveOptions::default() };
    library::save(&state, user, saving, options).await?;
    Ok(private(see_other("/library"), None))
}

/// What an item's form asks (its buttons' `action`), and where to go back to.
#[derive(Debug, Deserialize)]
pub struct ItemForm {
    csrf: String,
    action: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    back: String,
}

/// One action on one item.
async fn act(state: &AppState, user: i64, id: i64, action: &str, tags: &str) -> Result<(), PageError> {
    let change = |archived, favourite, read| ItemChange { archived, favourite, read };
    let change = match action {
        "archive" => change(Some(true), None, None),
        "unarchive" => change(Some(false), None, None),
        "favourite" => change(None, Some(true), None),
        "unfavourite" => change(None, Some(false), None),
        "read" => change(Some(true), None, Some(true)),
        "unread" => change(Some(false), None, Some(false)),
        "tags" => {
            let tags = library::tags_from_field(tags)?;
            return Ok(library::set_tags(state, user, id, &tags).await?);
        }
        "remove" => return Ok(library::remove(state, user, id).await?),
        _ => return Err(PageError::new(StatusCode::BAD_REQUEST, "There is no such action.")),
    };
    Ok(library::change(state, user, id, change).await?)
}

/// An item's buttons: archive, favourite, mark read (and their undoing), tags, remove.
pub async fn item(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    axum::extract::Form(form): axum::extract::Form<ItemForm>,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    check_form(&state, &headers, &form.csrf)?;
    act(&state, user, id, &form.action, &form.tags).await?;
    let back =
        if form.action == "remove" && form.back.starts_with("/articles/") { "/library" } else { &form.back };
    Ok(private(see_other(&after_sign_in(&state, back)), None))
}

/// The bulk form: one action on every item checked (`ids`, repeated).
pub async fn bulk(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    let (mut csrf, mut action, mut back, mut ids) = (String::new(), String::new(), String::new(), Vec::new());
    for (name, value) in url::form_urlencoded::parse(&body) {
        match name.as_ref() {
            "csrf" => csrf = value.into_owned(),
            "action" => action = value.into_owned(),
            "back" => back = value.into_owned(),
            "ids" => ids.push(
                value
                    .parse::<i64>()
                    .map_err(|_| PageError::new(StatusCode::BAD_REQUEST, "The form was incomplete."))?,
            ),
            _ => {}
        }
    }
    check_form(&state, &headers, &csrf)?;
    if action == "tags" {
        return Err(PageError::new(StatusCode::BAD_REQUEST, "Tags are set one item at a time."));
    }
    for id in ids.iter().take(500) {
        act(&state, user, *id, &action, "").await?;
    }
    Ok(private(see_other(&after_sign_in(&state, &back)), None))
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// Forgets a save that failed (or one still waiting).
pub async fn forget_save(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    axum::extract::Form(form): axum::extract::Form<CsrfOnly>,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    check_form(&state, &headers, &form.csrf)?;
    library::forget_save(&state, user, id).await?;
    Ok(private(see_other("/library"), None))
}

/// What an import from the account page did.
#[derive(Debug, Serialize)]
struct Imported {
    format: &'static str,
    queued: usize,
    /// The rows not imported, each with its number and why.
    problems: Vec<String>,
}

#[derive(Debug, Serialize)]
struct AccountPage {
    site: SiteView,
    csrf: String,
    name: String,
    imported: Option<Imported>,
    /// The private podcast's new address, shown once when it was just made.
    feed_url: Option<String>,
    /// A new token for the browser extension, shown once.
    token: Option<String>,
    /// The bookmarklet's script: saves the page it is used on.
    bookmarklet: String,
    reading: Vec<ReadingChoice>,
}

/// One choice of reading comfort with its options.
#[derive(Debug, Serialize)]
struct ReadingChoice {
    name: &'static str,
    options: Vec<Choice>,
}

fn reading_label(value: &str) -> &'static str {
    match value {
        "auto" => "As the system",
        "light" => "Light",
        "dark" => "Dark",
        "sepia" => "Sepia",
        "s" => "Small",
        "m" => "Medium",
        "l" => "Large",
        "xl" => "Largest",
        "serif" => "Serif",
        "sans" => "Sans serif",
        "narrow" => "Narrow",
        "medium" => "Medium",
        "wide" => "Wide",
        _ => "",
    }
}

async fn account_page(
    state: &AppState,
    user: i64,
    headers: &HeaderMap,
    feed_url: Option<String>,
    token: Option<String>,
    imported: Option<Imported>,
) -> Result<Response, PageError> {
    let name = staff(state, headers).await?.map(|user| user.name).unwrap_or_default();
    let (csrf, cookie) = ensure_csrf(headers)?;
    let base = state.config.public_url();
    let bookmarklet =
        format!("javascript:void(location.href='{base}/library?save='+encodeURIComponent(location.href))");
    let reading = library::reading(state.store.as_ref(), user).await?;
    let choices = Reading::CHOICES
        .iter()
        .zip([&reading.theme, &reading.size, &reading.font, &reading.width])
        .map(|((name, values), chosen)| ReadingChoice {
            name,
            options: values
                .iter()
                .map(|v| Choice { value: v, label: reading_label(v), current: *v == chosen.as_str() })
                .collect(),
        })
        .collect();
    let view = AccountPage {
        site: site_for(state, Viewer::Member(user)).await?,
        csrf,
        name,
        imported,
        feed_url,
        token,
        bookmarklet,
        reading: choices,
    };
    Ok(private(render("library_account.html", view)?, cookie))
}

/// `/library/account`: the reader's podcast address, the bookmarklet, a token for the browser
/// extension, and signing out.
pub async fn account(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    account_page(&state, user, &headers, None, None, None).await
}

/// A new address for the reader's private podcast (the old one stops working), shown once.
pub async fn new_feed(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    axum::extract::Form(form): axum::extract::Form<CsrfOnly>,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    check_form(&state, &headers, &form.csrf)?;
    let secret = library::new_feed_secret(&state, user).await?;
    let url = format!("{}/feeds/private/{secret}/podcast.xml", state.config.public_url());
    account_page(&state, user, &headers, Some(url), None, None).await
}

/// A token with the `library` scope for the browser extension (or any program that saves for
/// the reader), shown once.
pub async fn new_token(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    axum::extract::Form(form): axum::extract::Form<CsrfOnly>,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    check_form(&state, &headers, &form.csrf)?;
    let (token, hash) = lector_core::tokens::new_token().map_err(|_| {
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.")
    })?;
    let name = format!("browser extension of user {user}");
    state.store.create_token(&name, &hash, "library", Some(user), lector_core::now()).await?;
    account_page(&state, user, &headers, None, Some(token), None).await
}

/// Most rows not imported that the page lists (the count says how many more).
const SHOWN_PROBLEMS: usize = 50;

/// The account page's import: an export file (a form's file field `export`, with `csrf`),
/// queued as saves with their dates, tags and state; the rows not imported are listed.
pub async fn import(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    let incomplete = || PageError::new(StatusCode::BAD_REQUEST, "The form was incomplete.");
    let (mut csrf, mut export) = (String::new(), None);
    while let Some(field) = form.next_field().await.map_err(|_| incomplete())? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(|_| incomplete())?,
            Some("export") => export = Some(field.bytes().await.map_err(|_| incomplete())?),
            _ => {}
        }
    }
    check_form(&state, &headers, &csrf)?;
    let export = export.ok_or_else(incomplete)?;
    let parsed = tokio::task::spawn_blocking(move || lector_core::import::parse(&export))
        .await
        .map_err(|_| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side."))?
        .map_err(|e| {
            PageError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("That file could not be imported: {e}."))
        })?;
    let mut problems: Vec<String> =
        parsed.problems.iter().map(|p| format!("Row {}: {}", p.row, p.message)).collect();
    let mut queued = 0;
    for entry in parsed.entries {
        let url = entry.url.clone();
        match library::queue_entry(state.store.as_ref(), user, entry).await {
            Ok(_) => queued += 1,
            Err(lector_core::Error::Refused { message, .. }) => problems.push(format!("{url}: {message}")),
            Err(e) => return Err(e.into()),
        }
    }
    state.jobs_waiting.notify_waiters();
    let more = problems.len().saturating_sub(SHOWN_PROBLEMS);
    problems.truncate(SHOWN_PROBLEMS);
    if more > 0 {
        problems.push(format!("and {more} more"));
    }
    let imported = Imported { format: parsed.format.name(), queued, problems };
    account_page(&state, user, &headers, None, None, Some(imported)).await
}

/// The reading comfort form (theme, size, typeface, width).
#[derive(Debug, Deserialize)]
pub struct ReadingForm {
    csrf: String,
    theme: String,
    size: String,
    font: String,
    width: String,
    #[serde(default)]
    back: String,
}

/// Keeps the reader's comfort, then back to where they were.
pub async fn reading(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    axum::extract::Form(form): axum::extract::Form<ReadingForm>,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    check_form(&state, &headers, &form.csrf)?;
    let chosen = Reading { theme: form.theme, size: form.size, font: form.font, width: form.width };
    library::set_reading(state.store.as_ref(), user, chosen).await?;
    let back = if form.back.is_empty() { "/library/account" } else { &form.back };
    Ok(private(see_other(&after_sign_in(&state, back)), None))
}

/// The highlight form: the words (from the reader's selection, or typed), the text around
/// them, a note.
#[derive(Debug, Deserialize)]
pub struct HighlightForm {
    csrf: String,
    quote: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    back: String,
}

/// Keeps a highlight, then back to the article.
pub async fn add_highlight(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    axum::extract::Form(form): axum::extract::Form<HighlightForm>,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    check_form(&state, &headers, &form.csrf)?;
    library::highlight(&state, user, id, &form.quote, &form.prefix, &form.suffix, &form.note).await?;
    let back = if form.back.is_empty() { format!("/articles/{id}") } else { form.back.clone() };
    Ok(private(see_other(&format!("{}#highlights", after_sign_in(&state, &back))), None))
}

/// A form that only goes back somewhere.
#[derive(Debug, Deserialize)]
pub struct BackForm {
    csrf: String,
    #[serde(default)]
    back: String,
}

/// Forgets a highlight, then back to the article.
pub async fn remove_highlight(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    axum::extract::Form(form): axum::extract::Form<BackForm>,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    check_form(&state, &headers, &form.csrf)?;
    library::forget_highlight(&state, user, id).await?;
    Ok(private(see_other(&format!("{}#highlights", after_sign_in(&state, &form.back))), None))
}

#[derive(Debug, Serialize)]
struct QueuePage {
    site: SiteView,
    csrf: String,
    items: Vec<crate::views::QueuedView>,
    /// The same, for the player's script.
    items_json: String,
}

/// `/library/queue`: the reader's listen queue, played one article after another in this
/// page, without a page load.
pub async fn queue(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    let items = crate::views::queued(&state, user).await?;
    let (csrf, cookie) = ensure_csrf(&headers)?;
    let items_json = serde_json::to_string(&items).unwrap_or_default();
    let view = QueuePage { site: site_for(&state, Viewer::Member(user)).await?, csrf, items, items_json };
    Ok(private(render("library_queue.html", view)?, cookie))
}

/// The queue's buttons: add an article, move it up or down, take it out.
#[derive(Debug, Deserialize)]
pub struct QueueForm {
    csrf: String,
    article: i64,
    action: String,
    #[serde(default)]
    back: String,
}

pub async fn change_queue(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    axum::extract::Form(form): axum::extract::Form<QueueForm>,
) -> Result<Response, PageError> {
    let user = reader(&state, user)?;
    check_form(&state, &headers, &form.csrf)?;
    match form.action.as_str() {
        "add" => library::enqueue(&state, user, form.article).await?,
        "up" => library::move_in_queue(&state, user, form.article, -1).await?,
        "down" => library::move_in_queue(&state, user, form.article, 1).await?,
        "remove" => {
            state.store.dequeue(user, form.article).await?;
        }
        _ => return Err(PageError::new(StatusCode::BAD_REQUEST, "There is no such action.")),
    }
    let back = if form.back.is_empty() { "/library/queue" } else { &form.back };
    Ok(private(see_other(&after_sign_in(&state, back)), None))
}
