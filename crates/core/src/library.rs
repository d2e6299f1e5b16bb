//! Readers' libraries: saving a page (by its address, with its HTML, or as pasted text) to a
//! user's library, the saver that reads what was saved in the background (politely: one
//! request at a time per host, a gap between them), and the reader's own state of each item
//! (archive, favourite, read, tags).
//!
//! A save answers at once: it is queued (`LibraryStore::queue_save`) and the saver fetches,
//! extracts and stores the article, links it to the user's library and queues its narration
//! as every article's is. An article saved by several users is stored once.

use std::time::Duration;

use lector_store::{ItemChange, NewSave, PendingSave};
use tokio::task::JoinHandle;

use crate::articles::{self, Source};
use crate::context::{Core, now};
use crate::error::{Code, Error};
use crate::fetch::FetchError;

/// Most tags on one item.
pub const MAX_TAGS: usize = 20;
/// Most characters in a tag.
pub const MAX_TAG_CHARS: usize = 64;
/// Most characters in a saved address.
pub const MAX_URL_CHARS: usize = 4_096;
/// Most bytes of a page's HTML or text sent with a save (the server's body limit applies
/// first).
pub const MAX_PAGE_BYTES: usize = 5 * 1024 * 1024;
/// Seconds between two fetches from one host.
pub const HOST_GAP_SECS: i64 = 2;
/// Seconds a save stays its saver's while it is read.
const LEASE_SECS: i64 = 120;
/// Tries before a save fails for good (network failures and timeouts only: a page that is
/// not an article fails at once).
const MAX_ATTEMPTS: i64 = 4;

/// What a reader saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saving {
    /// A page to fetch.
    Url(String),
    /// A page's HTML as the reader's browser has it (behind a login, say), with its address.
    Page { url: Option<String>, html: String },
    /// Text pasted by the reader.
    Text(String),
}

/// What else comes with a save (from an import: when it was saved, its state and tags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveOptions {
    pub saved_at: Option<i64>,
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub archived: bool,
    pub favourite: bool,
}

/// Tags as kept: trimmed, inner spaces made one, case kept, each once, at most
/// [`MAX_TAGS`] of at most [`MAX_TAG_CHARS`] characters; an empty name is dropped.
pub fn clean_tags<S: AsRef<str>>(tags: &[S]) -> Result<Vec<String>, Error> {
    let mut kept: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.as_ref().split_whitespace().collect::<Vec<_>>().join(" ");
        let tag: String = tag.chars().filter(|c| !c.is_control()).collect();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(Error::refused(
                Code::InvalidTag,
                format!("a tag has at most {MAX_TAG_CHARS} characters"),
            ));
        }
        if !kept.iter().any(|k| k.to_lowercase() == tag.to_lowercase()) {
            kept.push(tag);
        }
    }
    if kept.len() > MAX_TAGS {
        return Err(Error::refused(Code::InvalidTag, format!("an item has at most {MAX_TAGS} tags")));
    }
    Ok(kept)
}

/// Tags written in one field, separated by commas.
pub fn tags_from_field(field: &str) -> Result<Vec<String>, Error> {
    clean_tags(&field.split(',').collect::<Vec<_>>())
}

/// A web address a reader may save: http or https, within [`MAX_URL_CHARS`]; its host comes
/// back with it.
fn checked_url(url: &str) -> Result<(String, String), Error> {
    let url = url.trim();
    if url.chars().count() > MAX_URL_CHARS {
        return Err(Error::refused(
            Code::InvalidUrl,
            format!("an address has at most {MAX_URL_CHARS} characters"),
        ));
    }
    let parsed = url::Url::parse(url)
        .map_err(|e| Error::refused(Code::InvalidUrl, format!("{url:?} is not a web address: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::refused(Code::InvalidUrl, format!("{url:?} is not an http or https address")));
    }
    let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    if host.is_empty() {
        return Err(Error::refused(Code::InvalidUrl, format!("{url:?} names no host")));
    }
    Ok((parsed.to_string(), host))
}

/// Queues a save to `user`'s library and wakes this node's saver; the save comes back at
/// once, to be followed by its id.
pub async fn save(
    core: &Core,
    user: i64,
    saving: Saving,
    options: SaveOptions,
) -> Result<PendingSave, Error> {
    let queued = queue(core.store.as_ref(), user, saving, options).await?;
    core.jobs_waiting.notify_waiters();
    Ok(queued)
}

/// Queues a save in `store` for whichever node reads saves (an import from the command line
/// queues its entries this way).
pub async fn queue(
    store: &dyn lector_store::Store,
    user: i64,
    saving: Saving,
    options: SaveOptions,
) -> Result<PendingSave, Error> {
    let tags = clean_tags(&options.tags)?;
    let (url, host, page, page_kind) = match saving {
        Saving::Url(url) => {
            let (url, host) = checked_url(&url)?;
            (Some(url), host, None, None)
        }
        Saving::Page { url, html } => {
            let url = match url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
                Some(url) => Some(checked_url(url)?.0),
                None => None,
            };
            // The page came with the save: nothing is fetched, so no host to be polite to.
            (url, String::new(), Some(checked_page(html)?), Some("html"))
        }
        Saving::Text(text) => (None, String::new(), Some(checked_page(text)?), Some("text")),
    };
    let title =
        options.title.map(|t| t.trim().chars().take(1_000).collect::<String>()).filter(|t| !t.is_empty());
    let now = now();
    let new = NewSave {
        user,
        url,
        host,
        page,
        page_kind: page_kind.map(String::from),
        title,
        saved_at: options.saved_at.unwrap_or(now),
        tags,
        archived: options.archived,
        favourite: options.favourite,
    };
    Ok(store.queue_save(&new, now).await?)
}

fn checked_page(page: String) -> Result<String, Error> {
    if page.trim().is_empty() {
        return Err(Error::refused(Code::InvalidSave, "there is nothing to save: the page or text is empty"));
    }
    if page.len() > MAX_PAGE_BYTES {
        return Err(Error::refused(
            Code::InvalidSave,
            format!("a page sent with a save has at most {} MiB", MAX_PAGE_BYTES / 1024 / 1024),
        ));
    }
    Ok(page.replace('\0', ""))
}

/// Queues an export's entry as a save, its saved date, title, tags and state kept (a tag the
/// library would refuse is dropped rather than the entry).
pub async fn queue_entry(
    store: &dyn lector_store::Store,
    user: i64,
    entry: crate::import::Entry,
) -> Result<PendingSave, Error> {
    let tags: Vec<String> =
        entry.tags.into_iter().filter(|t| clean_tags(&[t]).is_ok()).take(MAX_TAGS).collect();
    let options = SaveOptions {
        saved_at: entry.saved_at,
        title: entry.title,
        tags,
        archived: entry.archived,
        favourite: entry.favourite,
    };
    queue(store, user, Saving::Url(entry.url), options).await
}

/// Starts the saver; it returns when the node is stopping.
pub fn spawn_saver(core: &Core) -> JoinHandle<()> {
    let core = core.clone();
    tokio::spawn(async move {
        let mut stopping = core.stopping.clone();
        loop {
            if core.is_stopping() {
                return;
            }
            match save_due(&core).await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::error!("saves: {e}"),
            }
            tokio::select! {
                () = core.jobs_waiting.notified() => {}
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stopping.changed() => {}
            }
        }
    })
}

/// Reads the next due save, if there is one; true when there was.
pub async fn save_due(core: &Core) -> Result<bool, Error> {
    let now = now();
    let Some(save) = core.store.claim_save(now, now + LEASE_SECS, HOST_GAP_SECS).await? else {
        return Ok(false);
    };
    let before = core.changes.before_write();
    let outcome = read_save(core, &save).await;
    let now = crate::context::now();
    let written = match outcome {
        Ok(article) => core.store.finish_save(save.id, save.attempts, article, now).await,
        Err(Failure { error: e, passing }) => {
            let retry = passing && save.attempts < MAX_ATTEMPTS;
            let retry_at = retry.then(|| now + 30 * (1 << (save.attempts.clamp(1, 8) - 1)));
            tracing::warn!(save = save.id, attempts = save.attempts, ?retry_at, "save failed: {e}");
            core.store.fail_save(save.id, save.attempts, &e.to_string(), retry_at, now).await
        }
    };
    if let Err(e) = written {
        tracing::error!(save = save.id, "recording the save's outcome: {e}");
    }
    core.changes.after_write(before).await;
    Ok(true)
}

/// Why a save failed, and whether trying again later may help (the network, a timeout, a
/// server's passing trouble, our own storage), or not (a page that is not there, not a page,
/// or holds no article).
struct Failure {
    error: Error,
    passing: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        let passing = matches!(error.code(), Code::Internal | Code::StorageUnavailable);
        Failure { error, passing }
    }
}

/// Fetches (unless the page came with it), extracts and stores a save's article and puts it
/// in the user's library; the article's id.
async fn read_save(core: &Core, save: &PendingSave) -> Result<i64, Failure> {
    let source = match (&save.page, save.page_kind.as_deref(), &save.url) {
        (Some(page), kind, url) => Source {
            bytes: page.as_bytes().to_vec(),
            content_type: if kind == Some("text") { "text/plain".into() } else { "text/html".into() },
            base_url: url.as_deref().and_then(|u| url::Url::parse(u).ok()),
        },
        (None, _, Some(url)) => match core.fetcher.get(url, &["text/html", "application/xhtml+xml"]).await {
            Ok(page) => {
                Source { bytes: page.bytes, content_type: page.content_type, base_url: Some(page.url) }
            }
            Err(e) => {
                if matches!(e, FetchError::Refused(_)) {
                    crate::metrics::Metrics::add(&core.metrics.fetches_refused, 1);
                }
                let passing = match &e {
                    FetchError::Timeout | FetchError::Network(_) => true,
                    FetchError::Status(status) => *status >= 500 || matches!(status, 408 | 429),
                    _ => false,
                };
                return Err(Failure { error: Error::from(e), passing });
            }
        },
        (None, _, None) => return Err(Error::refused(Code::InvalidSave, "the save names no page").into()),
    };
    let (saved, _) = articles::extract_and_ingest(core, source, None).await?;
    let id = saved.record.id;
    core.store
        .add_to_library(save.user_id, id, save.saved_at, save.archived, save.favourite, &save.tags, now())
        .await
        .map_err(Error::from)?;
    Ok(id)
}

/// Archives, stars or marks read (or undoes it); `article_not_found` when the user has no
/// such item.
pub async fn change(core: &Core, user: i64, article: i64, change: ItemChange) -> Result<(), Error> {
    if core.store.change_item(user, article, change, now()).await? {
        Ok(())
    } else {
        Err(Error::no_article(article))
    }
}

/// Keeps where the reader is in an item's narration (a sentence and the time in the audio), so
/// that another device resumes there; `article_not_found` when the user has no such item.
pub async fn set_position(core: &Core, user: i64, article: i64, sentence: u32, ms: u64) -> Result<(), Error> {
    let ms = i64::try_from(ms).unwrap_or(i64::MAX);
    if core.store.set_position(user, article, i64::from(sentence), ms, now()).await? {
        Ok(())
    } else {
        Err(Error::no_article(article))
    }
}

/// Most characters of a highlight's quote.
pub const MAX_QUOTE_CHARS: usize = 2_000;
/// Most characters of a highlight's note.
pub const MAX_NOTE_CHARS: usize = 5_000;
/// Characters of text kept on each side of a quote, to find it again.
pub const CONTEXT_CHARS: usize = 64;

/// Keeps a highlight (and its note) on the current revision of one of the reader's articles;
/// `article_not_found` when the article is not in their library.
pub async fn highlight(
    core: &Core,
    user: i64,
    article: i64,
    quote: &str,
    prefix: &str,
    suffix: &str,
    note: &str,
) -> Result<lector_store::Highlight, Error> {
    let quote = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if quote.is_empty() || quote.chars().count() > MAX_QUOTE_CHARS {
        return Err(Error::refused(
            Code::InvalidHighlight,
            format!("a highlight quotes 1 to {MAX_QUOTE_CHARS} characters of the article"),
        ));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(Error::refused(
            Code::InvalidHighlight,
            format!("a note has at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    if core.store.library_item(user, article).await?.is_none() {
        return Err(Error::no_article(article));
    }
    let record = articles::find(core, article).await?;
    let last = |text: &str| {
        let chars: Vec<char> = text.chars().collect();
        chars[chars.len().saturating_sub(CONTEXT_CHARS)..].iter().collect::<String>()
    };
    let new = lector_store::NewHighlight {
        user,
        article,
        revision: record.revision,
        quote,
        prefix: last(prefix),
        suffix: suffix.chars().take(CONTEXT_CHARS).collect(),
        note: note.trim().replace('\0', ""),
    };
    Ok(core.store.add_highlight(&new, now()).await?)
}

/// Forgets one of the reader's highlights.
pub async fn forget_highlight(core: &Core, user: i64, id: i64) -> Result<(), Error> {
    if core.store.delete_highlight(user, id).await? {
        Ok(())
    } else {
        Err(Error::refused(Code::HighlightNotFound, format!("there is no highlight {id}")))
    }
}

/// Adds one of the reader's articles at the end of their listen queue (nothing when it is
/// there already); `article_not_found` when it is not in their library.
pub async fn enqueue(core: &Core, user: i64, article: i64) -> Result<(), Error> {
    if core.store.library_item(user, article).await?.is_none() {
        return Err(Error::no_article(article));
    }
    core.store.enqueue(user, article, now()).await?;
    Ok(())
}

/// Moves a queued article one place earlier (`-1`) or later (`1`).
pub async fn move_in_queue(core: &Core, user: i64, article: i64, by: i64) -> Result<(), Error> {
    let mut order = core.store.queue(user).await?;
    let Some(at) = order.iter().position(|id| *id == article) else { return Err(Error::no_article(article)) };
    let to = usize::try_from(i64::try_from(at).unwrap_or(0) + by).unwrap_or(0).min(order.len() - 1);
    let moved = order.remove(at);
    order.insert(to, moved);
    Ok(core.store.reorder_queue(user, &order).await?)
}

/// Replaces an item's tags; `article_not_found` when the user has no such item.
pub async fn set_tags<S: AsRef<str>>(core: &Core, user: i64, article: i64, tags: &[S]) -> Result<(), Error> {
    let tags = clean_tags(tags)?;
    if core.store.set_item_tags(user, article, &tags).await? {
        Ok(())
    } else {
        Err(Error::no_article(article))
    }
}

/// Takes an item out of the user's library; the article stays stored (for the others who
/// saved it, and so that saving it again is quick).
pub async fn remove(core: &Core, user: i64, article: i64) -> Result<(), Error> {
    if core.store.remove_from_library(user, article).await? {
        Ok(())
    } else {
        Err(Error::no_article(article))
    }
}

/// Forgets one of the user's saves that is not done (a failed one, say).
pub async fn forget_save(core: &Core, user: i64, id: i64) -> Result<(), Error> {
    if core.store.remove_save(user, id).await? {
        Ok(())
    } else {
        Err(Error::refused(Code::SaveNotFound, format!("there is no save {id}")))
    }
}

/// A new secret for the address of `user`'s private podcast feed; the user's earlier feed
/// secrets stop working. The secret is a token with the `feed` scope only, kept as its digest.
pub async fn new_feed_secret(core: &Core, user: i64) -> Result<String, Error> {
    let now = now();
    for token in core.store.tokens().await? {
        if token.user_id == Some(user) && token.scopes == "feed" && token.revoked_at.is_none() {
            core.store.revoke_token(&token.id.to_string(), now).await?;
        }
    }
    let (secret, hash) = crate::tokens::new_token().map_err(Error::internal)?;
    core.store.create_token(&format!("podcast feed of user {user}"), &hash, "feed", Some(user), now).await?;
    Ok(secret)
}

/// The user whose private feed `secret` opens, while it is live.
pub async fn feed_owner(core: &Core, secret: &str) -> Result<Option<i64>, Error> {
    if secret.is_empty() || secret.len() > 200 {
        return Ok(None);
    }
    let grant = crate::tokens::grant_of(core, secret).await?;
    Ok(grant
        .filter(|g| g.scopes == "feed" && crate::accounts::grant_allows(g, crate::tokens::Scope::Feed))
        .and_then(|g| g.user))
}

/// A reader's comfort: theme, text size, typeface and line width, kept per user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reading {
    /// `light`, `dark`, `sepia`, or `auto` (the system's choice).
    pub theme: String,
    /// `s`, `m`, `l` or `xl`.
    pub size: String,
    /// `serif` or `sans`.
    pub font: String,
    /// `narrow`, `medium` or `wide`.
    pub width: String,
}

impl Default for Reading {
    fn default() -> Reading {
        Reading { theme: "auto".into(), size: "m".into(), font: "serif".into(), width: "medium".into() }
    }
}

impl Reading {
    /// Each choice with the values it may take, the first the default.
    pub const CHOICES: [(&'static str, &'static [&'static str]); 4] = [
        ("theme", &["auto", "light", "dark", "sepia"]),
        ("size", &["m", "s", "l", "xl"]),
        ("font", &["serif", "sans"]),
        ("width", &["medium", "narrow", "wide"]),
    ];

    /// Checked: a value no choice has is refused by name.
    pub fn checked(self) -> Result<Reading, Error> {
        for ((name, allowed), value) in
            Reading::CHOICES.iter().zip([&self.theme, &self.size, &self.font, &self.width])
        {
            if !allowed.contains(&value.as_str()) {
                return Err(Error::refused(
                    Code::InvalidReading,
                    format!("{name} {value:?} is not one of {}", allowed.join(", ")),
                ));
            }
        }
        Ok(self)
    }

    /// The classes the page's root element takes (`theme-dark size-l font-sans width-wide`).
    pub fn classes(&self) -> String {
        format!("theme-{} size-{} font-{} width-{}", self.theme, self.size, self.font, self.width)
    }
}

/// The user's reading comfort (the defaults until they choose, or when what is kept no longer
/// reads).
pub async fn reading(store: &dyn lector_store::Store, user: i64) -> Result<Reading, Error> {
    let kept = store.reading_prefs(user).await?.unwrap_or_default();
    Ok(serde_json::from_str::<Reading>(&kept).ok().and_then(|r| r.checked().ok()).unwrap_or_default())
}

/// Keeps the user's reading comfort.
pub async fn set_reading(
    store: &dyn lector_store::Store,
    user: i64,
    reading: Reading,
) -> Result<Reading, Error> {
    let reading = reading.checked()?;
    let json = serde_json::to_string(&reading).map_err(Error::internal)?;
    store.set_reading_prefs(user, &json).await?;
    Ok(reading)
}

/// Words of context a search snippet shows around the first match.
pub const SNIPPET_WORDS: usize = 30;

/// A piece of a search snippet: text, and whether it is a word the search matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub matched: bool,
}

/// The passage of `text` around the first word a search for `words` matches (a word matches
/// a search word it begins with, case aside, as the store's search does), every matching word
/// marked, with "…" where the passage is cut; `None` when no word matches.
pub fn snippet(text: &str, words: &[String]) -> Option<Vec<Piece>> {
    let spans: Vec<(usize, usize)> = word_spans(text);
    let matches = |span: &(usize, usize)| {
        let word = text[span.0..span.1].to_lowercase();
        words.iter().any(|w| !w.is_empty() && word.starts_with(w.as_str()))
    };
    let first = spans.iter().position(matches)?;
    let start = first.saturating_sub(SNIPPET_WORDS / 3);
    let end = (start + SNIPPET_WORDS).min(spans.len());
    let mut pieces = Vec::new();
    let mut push = |text: &str, matched: bool| {
        if text.is_empty() {
            return;
        }
        match pieces.last_mut() {
            Some(Piece { text: last, matched: false }) if !matched => last.push_str(text),
            _ => pieces.push(Piece { text: text.to_string(), matched }),
        }
    };
    if start > 0 {
        push("…", false);
    }
    let mut at = spans[start].0;
    for span in &spans[start..end] {
        push(&text[at..span.0], false);
        push(&text[span.0..span.1], matches(span));
        at = span.1;
    }
    if end < spans.len() {
        push(" …", false);
    } else {
        push(text[at..].trim_end(), false);
    }
    Some(pieces)
}

/// The byte ranges of the runs of letters and digits in `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_kept_once_and_limited() {
        assert_eq!(
            clean_tags(&["  city  news ", "City News", "", "transport"]).expect("clean"),
            ["city news", "transport"]
        );
        assert_eq!(tags_from_field("a, b ,,a").expect("clean"), ["a", "b"]);
        assert_eq!(clean_tags(&["x".repeat(65)]).map_err(|e| e.code()), Err(Code::InvalidTag));
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert_eq!(clean_tags(&many).map_err(|e| e.code()), Err(Code::InvalidTag));
    }

    #[test]
    fn only_web_addresses_are_saved() {
        assert_eq!(
            checked_url(" https://News.example/a?b=1 ").expect("ok"),
            ("https://news.example/a?b=1".into(), "news.example".into())
        );
        for bad in [
            "",
            "news.example/a",
            "ftp://news.example/a",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "http://",
        ] {
            assert_eq!(checked_url(bad).map_err(|e| e.code()), Err(Code::InvalidUrl), "{bad:?}");
        }
        assert_eq!(
            checked_url(&format!("https://a.example/{}", "x".repeat(5_000))).map_err(|e| e.code()),
            Err(Code::InvalidUrl)
        );
    }

    #[test]
    fn snippets_mark_the_words_a_search_found() {
        let words = vec!["tram".to_string(), "night".to_string()];
        let pieces = snippet("The NIGHT trams return; trams run late.", &words).expect("found");
        let marked: Vec<&str> = pieces.iter().filter(|p| p.matched).map(|p| p.text.as_str()).collect();
        assert_eq!(marked, ["NIGHT", "trams", "trams"]);
        let whole: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(whole, "The NIGHT trams return; trams run late.");
        assert_eq!(snippet("Nothing here", &words), None);
        let long = format!("{} harbour {}", "word ".repeat(50), "more ".repeat(50));
        let whole: String =
            snippet(&long, &["harbour".into()]).expect("found").iter().map(|p| p.text.clone()).collect();
        assert!(whole.starts_with('…') && whole.ends_with('…') && whole.contains("harbour"), "{whole}");
        assert!(whole.split_whitespace().count() <= SNIPPET_WORDS + 2, "{whole}");
    }

    #[test]
    fn an_empty_or_huge_page_is_refused() {
        assert_eq!(checked_page("  \n".into()).map_err(|e| e.code()), Err(Code::InvalidSave));
        assert_eq!(
            checked_page("x".repeat(MAX_PAGE_BYTES + 1)).map_err(|e| e.code()),
            Err(Code::InvalidSave)
        );
        assert_eq!(checked_page("a\0b".into()).expect("kept"), "ab");
    }
}
