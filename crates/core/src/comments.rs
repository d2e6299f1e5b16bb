//! The comment rules: who may post what (a per-client rate limit kept in the store, so that
//! it holds across nodes; a honeypot field; length, duplicate and link limits; replies one
//! level deep), the state a new comment starts in (post- or pre-moderation), and moderation.

use lector_store::{Comment, NewComment};

use crate::context::{Core, now};
use crate::error::{Code, Error};

/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// A comment as a reader sent it.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub name: String,
    pub body: String,
    /// The comment this one answers (replies are one level deep).
    pub parent_id: Option<i64>,
    /// Left empty by people; forms hide it. A filled one marks a robot.
    pub website: Option<String>,
}

/// A web address in a reader's text: where it is, and the address a link to it opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLink {
    pub range: std::ops::Range<usize>,
    pub href: String,
}

/// The web addresses in `text` that become links: `http://`, `https://` and `www.` addresses,
/// ending where linkify says a link ends (not on a sentence's closing punctuation). No other
/// scheme is linked (`javascript:`, `data:`…), and nor are bare domain names.
pub fn links(text: &str) -> Vec<TextLink> {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]).url_must_have_scheme(false);
    finder
        .links(text)
        .filter_map(|link| {
            let found = link.as_str();
            let lower = found.to_ascii_lowercase();
            let href = if lower.starts_with("http://") || lower.starts_with("https://") {
                found.to_string()
            } else if lower.starts_with("www.") {
                format!("https://{found}")
            } else {
                return None;
            };
            Some(TextLink { range: link.start()..link.end(), href })
        })
        .collect()
}

/// How many web addresses a text holds.
pub fn link_count(text: &str) -> usize {
    links(text).len()
}

/// Checks and stores a comment; shared by the API and the page's form.
pub async fn post(core: &Core, article: i64, draft: Draft, client: &str) -> Result<Option<Comment>, Error> {
    // Readers comment on published articles only.
    crate::articles::find_for(core, article, crate::articles::Viewer::Reader).await?;
    // A robot filled the hidden field: it is told nothing, and nothing is kept.
    if draft.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        return Ok(None);
    }
    let config = &core.config.comments;
    // NUL characters carry no text, and PostgreSQL keeps none.
    let name = draft.name.replace('\0', "").trim().to_string();
    let body = draft.body.replace('\0', "").trim().replace("\r\n", "\n");
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::refused(Code::InvalidName, format!("a name of 1 to {MAX_NAME_CHARS} characters")));
    }
    if body.is_empty() || body.chars().count() > config.max_chars {
        return Err(Error::refused(
            Code::InvalidBody,
            format!("a comment of 1 to {} characters", config.max_chars),
        ));
    }
    if link_count(&body) > config.max_links {
        return Err(Error::refused(
            Code::TooManyLinks,
            format!("at most {} links in a comment", config.max_links),
        ));
    }
    if let Some(parent) = draft.parent_id {
        let parent = core
            .store
            .comment(parent)
            .await?
            .filter(|p| p.article_id == article && p.state == "visible")
            .ok_or_else(|| Error::refused(Code::CommentNotFound, format!("no comment {parent} here")))?;
        if parent.parent_id.is_some() {
            return Err(Error::refused(
                Code::ReplyTooDeep,
                "replies are one level deep: answer the first comment",
            ));
        }
    }
    // The limit holds across nodes: the store counts the client's comments of the last minute.
    let now = now();
    let key = format!("comment:{client}");
    if let Some(oldest) = core.store.record_hit(&key, config.per_minute, now - 60, now).await? {
        return Err(Error::Refused {
            code: Code::RateLimited,
            message: "too many comments: wait a little".into(),
            retry_after: Some(u64::try_from(oldest + 60 - now).unwrap_or(1).clamp(1, 60)),
        });
    }
    if core.store.comment_exists_since(article, &name, &body, now - config.duplicate_window_secs).await? {
        return Err(Error::refused(Code::DuplicateComment, "this comment was posted already"));
    }
    let status = if config.moderation == "pre" { "pending" } else { "visible" };
    let new =
        NewComment { article_id: article, parent_id: draft.parent_id, name, body, state: status.into() };
    let id = core.store.add_comment(&new, now).await?;
    Ok(core.store.comment(id).await?)
}

/// Moves a comment to `to` (`visible`, `hidden`); `comment_not_found` when there is none.
pub async fn set_state(core: &Core, id: i64, to: &str) -> Result<(), Error> {
    if core.store.set_comment_state(id, to).await? { Ok(()) } else { Err(no_comment(id)) }
}

/// Deletes a comment and its replies; `comment_not_found` when there is none.
pub async fn delete(core: &Core, id: i64) -> Result<(), Error> {
    if core.store.delete_comment(id).await? { Ok(()) } else { Err(no_comment(id)) }
}

fn no_comment(id: i64) -> Error {
    Error::refused(Code::CommentNotFound, format!("no comment {id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_web_addresses_only() {
        assert_eq!(link_count("a http://x.example b https://y.example www.z.example nothttp://q"), 3);
        assert_eq!(link_count("javascript:alert(1) data:text/html,x ftp://f.example"), 0);
        assert_eq!(link_count("bare domains such as z.example are text"), 0);
        let found = links("see www.a.example/path, (https://b.example/x).");
        assert_eq!(
            found,
            [
                TextLink { range: 4..22, href: "https://www.a.example/path".into() },
                TextLink { range: 25..44, href: "https://b.example/x".into() },
            ]
        );
    }
}
