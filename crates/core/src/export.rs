//! A reader's whole library, exported to leave freely: one JSON document (every article in
//! lector's article JSON, with the reader's state and tags), or a zip of Markdown files (one
//! per article, its state and tags in a front matter). The builders are pure; [`entries`]
//! reads the library from the store a page at a time.

use std::io::Write;

use lector_article::{ArticleJson, DEFAULT_WORDS_PER_MINUTE, to_markdown};
use lector_store::{LibraryEntry, LibraryQuery, LibrarySort, Shelf, Store};

use crate::error::Error;

/// Items read from the store at a time.
const PAGE: u32 = 200;

/// Every item of `user`'s library, oldest saved first.
pub async fn entries(store: &dyn Store, user: i64) -> Result<Vec<LibraryEntry>, Error> {
    let mut all = Vec::new();
    loop {
        let query = LibraryQuery {
            user,
            shelf: Shelf::All,
            sort: LibrarySort::SavedOldest,
            limit: PAGE,
            offset: u32::try_from(all.len()).unwrap_or(u32::MAX),
            ..LibraryQuery::default()
        };
        let page = store.library(&query).await?;
        let done = page.items.len() < PAGE as usize;
        all.extend(page.items);
        if done {
            return Ok(all);
        }
    }
}

fn time(seconds: Option<i64>) -> Option<String> {
    seconds.and_then(|s| chrono::DateTime::from_timestamp(s, 0)).map(|d| d.to_rfc3339())
}

/// The library as one JSON document: `{"version": 1, "items": [...]}`, each item with its
/// `saved_at`, `archived_at`, `read_at`, `favourite`, `tags` and the `article` in lector's JSON
/// form (the form `POST /api/articles` takes back).
pub fn to_json(entries: &[LibraryEntry]) -> Vec<u8> {
    let items: Vec<serde_json::Value> = entries
        .iter()
        .map(|entry| {
            serde_json::json!({
                "saved_at": time(Some(entry.item.saved_at)),
                "archived_at": time(entry.item.archived_at),
                "read_at": time(entry.item.read_at),
                "favourite": entry.item.favourite,
                "tags": entry.tags,
                "article": ArticleJson::new(&entry.article.article, DEFAULT_WORDS_PER_MINUTE),
            })
        })
        .collect();
    serde_json::to_vec_pretty(&serde_json::json!({"version": 1, "items": items})).unwrap_or_default()
}

/// A file name for an article: its id and a slug of its headline.
fn file_name(entry: &LibraryEntry) -> String {
    let slug: String = entry.article.slug.chars().take(80).collect();
    if slug.is_empty() {
        format!("{}.md", entry.article.id)
    } else {
        format!("{}-{slug}.md", entry.article.id)
    }
}

/// A YAML string: double-quoted, JSON-escaped (YAML reads JSON strings as they are).
fn yaml(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// One Markdown file: a front matter with what the reader kept, then the article.
pub fn markdown_file(entry: &LibraryEntry) -> String {
    let article = &entry.article.article;
    let mut front = vec![format!("title: {}", yaml(&article.headline))];
    if let Some(url) = article.canonical_url.as_ref().or(article.source_url.as_ref()) {
        front.push(format!("url: {}", yaml(url)));
    }
    for (name, at) in [
        ("saved", Some(entry.item.saved_at)),
        ("archived", entry.item.archived_at),
        ("read", entry.item.read_at),
    ] {
        if let Some(at) = time(at) {
            front.push(format!("{name}: {at}"));
        }
    }
    front.push(format!("favourite: {}", entry.item.favourite));
    let tags: Vec<String> = entry.tags.iter().map(|t| yaml(t)).collect();
    front.push(format!("tags: [{}]", tags.join(", ")));
    format!("---\n{}\n---\n\n{}", front.join("\n"), to_markdown(article))
}

/// The library as a zip of Markdown files, one per article.
pub fn to_markdown_zip(entries: &[LibraryEntry]) -> Result<Vec<u8>, Error> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for entry in entries {
        zip.start_file(format!("lector-library/{}", file_name(entry)), options).map_err(Error::internal)?;
        zip.write_all(markdown_file(entry).as_bytes()).map_err(Error::internal)?;
    }
    Ok(zip.finish().map_err(Error::internal)?.into_inner())
}
