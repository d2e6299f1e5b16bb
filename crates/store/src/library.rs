//! The records of readers' libraries: an article as one reader keeps it ([`LibraryItem`]),
//! what a library list asks for ([`LibraryQuery`]), and a save still to be read
//! ([`PendingSave`], [`NewSave`]).

use serde::Serialize;

use crate::model::{ArticleRecord, Id, JobState, Timestamp};

/// An article in one user's library, with the reader's own state of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct LibraryItem {
    pub user_id: Id,
    pub article_id: Id,
    pub saved_at: Timestamp,
    /// When the reader archived it; `None`: unread or read but kept in the list.
    pub archived_at: Option<Timestamp>,
    pub favourite: bool,
    /// When the reader finished it (read to the end or listened through).
    pub read_at: Option<Timestamp>,
    /// Where the reader is in its narration: the sentence (the utterance's index), and the
    /// time in the audio in milliseconds.
    pub position_sentence: Option<i64>,
    pub position_ms: Option<i64>,
}

/// An item with its article and the reader's tags, as a library list shows it.
#[derive(Debug, Clone)]
pub struct LibraryEntry {
    pub item: LibraryItem,
    pub article: ArticleRecord,
    pub tags: Vec<String>,
    /// The longest ready narration of the article's current text, in milliseconds.
    pub listen_ms: Option<i64>,
}

/// Which part of a library a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shelf {
    /// Not archived.
    #[default]
    Unread,
    Archive,
    Favourites,
    All,
}

impl Shelf {
    pub const ALL: [Shelf; 4] = [Shelf::Unread, Shelf::Archive, Shelf::Favourites, Shelf::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Shelf::Unread => "unread",
            Shelf::Archive => "archive",
            Shelf::Favourites => "favourites",
            Shelf::All => "all",
        }
    }

    pub fn parse(text: &str) -> Option<Shelf> {
        Shelf::ALL.into_iter().find(|shelf| shelf.as_str() == text.trim())
    }
}

/// The order of a library list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LibrarySort {
    /// Newest saved first.
    #[default]
    Saved,
    /// Oldest saved first.
    SavedOldest,
    /// Longest article first (by the size of its text).
    Longest,
    /// Shortest article first.
    Shortest,
    /// Longest ready narration first; articles not narrated yet last.
    Listen,
}

impl LibrarySort {
    pub const ALL: [LibrarySort; 5] = [
        LibrarySort::Saved,
        LibrarySort::SavedOldest,
        LibrarySort::Longest,
        LibrarySort::Shortest,
        LibrarySort::Listen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LibrarySort::Saved => "saved",
            LibrarySort::SavedOldest => "oldest",
            LibrarySort::Longest => "longest",
            LibrarySort::Shortest => "shortest",
            LibrarySort::Listen => "listen",
        }
    }

    pub fn parse(text: &str) -> Option<LibrarySort> {
        LibrarySort::ALL.into_iter().find(|sort| sort.as_str() == text.trim())
    }
}

/// A page of one user's library.
#[derive(Debug, Clone, Default)]
pub struct LibraryQuery {
    pub user: Id,
    pub shelf: Shelf,
    /// Only items the reader gave this tag.
    pub tag: Option<String>,
    /// Words every item holds in its headline or body (as [`ListQuery`](crate::ListQuery)'s
    /// search: best matches first, whatever the sort).
    pub text: Option<String>,
    pub sort: LibrarySort,
    pub limit: u32,
    pub offset: u32,
}

/// A listen queue's new order: the articles of `current` that `asked` names, in its order,
/// then the rest of `current` as they were (an id not queued is ignored).
pub fn queue_order(current: Vec<Id>, asked: &[Id]) -> Vec<Id> {
    let mut placed: Vec<Id> = asked.iter().copied().filter(|id| current.contains(id)).collect();
    placed.dedup();
    let rest: Vec<Id> = current.into_iter().filter(|id| !placed.contains(id)).collect();
    placed.extend(rest);
    placed
}

/// A change to an item's state; `None` leaves that part as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemChange {
    pub archived: Option<bool>,
    pub favourite: Option<bool>,
    pub read: Option<bool>,
}

/// How far a reader's run of saves has got: what a progress bar over an import (or any run of
/// saves) shows. The run is every save made or finished since the oldest one still waiting or
/// being read was made; all zero when nothing is under way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SaveProgress {
    /// The saves of the run.
    pub total: i64,
    /// Of those, the ones read into the library.
    pub done: i64,
    /// Of those, the ones that could not be saved.
    pub failed: i64,
}

/// What a reader saved that is still to be read: a page to fetch by its address, or a page's
/// HTML or plain text sent with the save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct PendingSave {
    pub id: Id,
    pub user_id: Id,
    pub url: Option<String>,
    /// The address's host, for politeness per host; empty without an address.
    pub host: String,
    /// The page's HTML or text as sent with the save (never listed).
    #[serde(skip)]
    pub page: Option<String>,
    /// `html` or `text` when a page came with the save.
    pub page_kind: Option<String>,
    /// A title known before the page is read (from an import).
    pub title: Option<String>,
    pub saved_at: Timestamp,
    #[cfg_attr(feature = "sql", sqlx(json))]
    pub tags: Vec<String>,
    pub archived: bool,
    pub favourite: bool,
    #[cfg_attr(feature = "sql", sqlx(try_from = "String"))]
    pub state: JobState,
    pub attempts: i64,
    pub run_after: Timestamp,
    pub lease_until: Option<Timestamp>,
    pub last_error: Option<String>,
    /// The article it became, once read.
    pub article_id: Option<Id>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A save to queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSave {
    pub user: Id,
    pub url: Option<String>,
    pub host: String,
    pub page: Option<String>,
    pub page_kind: Option<String>,
    pub title: Option<String>,
    pub saved_at: Timestamp,
    pub tags: Vec<String>,
    pub archived: bool,
    pub favourite: bool,
}

/// A reader's highlight of an article's text, with a note: the words quoted and a little of
/// the text before and after them (to find them again in the page), and the revision it was
/// made on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sql", derive(sqlx::FromRow))]
pub struct Highlight {
    pub id: Id,
    pub user_id: Id,
    pub article_id: Id,
    pub revision: i64,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub note: String,
    pub created_at: Timestamp,
}

/// A highlight to keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewHighlight {
    pub user: Id,
    pub article: Id,
    pub revision: i64,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub note: String,
}
