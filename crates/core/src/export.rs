//! A reader's whole library, exported to leave freely: one JSON document (every article in
//! lector's article JSON, with the reader's state and tags), a zip of Markdown files (one per
//! article, its state and tags in a front matter), an EPUB book (a chapter per article, with
//! the pictures lector kept), or a zip of the narrations as MP3 files with a playlist. The
//! builders are pure but the audio's, which reads each narration from the blob store as it
//! writes; [`entries`] reads the library from the store a page at a time.

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

/// A file name for an article: its id and a slug of its headline, then `extension`.
fn file_name(entry: &LibraryEntry, extension: &str) -> String {
    let slug: String = entry.article.slug.chars().take(80).collect();
    if slug.is_empty() {
        format!("{}.{extension}", entry.article.id)
    } else {
        format!("{}-{slug}.{extension}", entry.article.id)
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
        zip.start_file(format!("lector-library/{}", file_name(entry, "md")), options)
            .map_err(Error::internal)?;
        zip.write_all(markdown_file(entry).as_bytes()).map_err(Error::internal)?;
    }
    Ok(zip.finish().map_err(Error::internal)?.into_inner())
}

/// The narrations of `entries`' articles (each in the voice that reads it, for its current
/// text) as a zip of MP3 files, in the order given, written to `out` as they are read: one
/// narration in memory at a time, each stored as it is (compression would not shrink it), so
/// a library of any size starts downloading at once. The zip also holds `playlist.m3u8` (the
/// files with their headlines and lengths, for any player) and, when some articles have no
/// narration yet, `not-narrated.txt` naming them.
pub async fn write_audio_zip<W>(
    core: &crate::Core,
    entries: &[LibraryEntry],
    out: W,
    now: i64,
) -> Result<(), Error>
where
    W: tokio::io::AsyncWrite + Unpin,
{
    use async_zip::tokio::write::ZipFileWriter;
    use async_zip::{Compression, ZipDateTimeBuilder, ZipEntryBuilder};
    use chrono::{Datelike, Timelike};

    let now = chrono::DateTime::from_timestamp(now, 0).unwrap_or_default();
    let when = ZipDateTimeBuilder::new()
        .year(now.year())
        .month(now.month())
        .day(now.day())
        .hour(now.hour())
        .minute(now.minute())
        .second(now.second())
        .build();
    let file = |name: String| {
        ZipEntryBuilder::new(format!("lector-library-audio/{name}").into(), Compression::Stored)
            .last_modification_date(when)
    };
    let mut zip = ZipFileWriter::with_tokio(out);
    let mut playlist = String::from("#EXTM3U\n");
    let mut waiting = Vec::new();
    for entry in entries {
        let record = &entry.article;
        let headline = record.article.headline.replace(['\r', '\n'], " ");
        let rendition = match core.voice_of(record) {
            Some(voice) => {
                let key = lector_store::RenditionKey {
                    article: record.id,
                    spoken_hash: record.spoken_hash.clone(),
                    voice,
                    format: "mp3".into(),
                };
                core.store.rendition(&key).await?
            }
            None => None,
        };
        let bytes = match rendition {
            Some(rendition) => {
                core.blobs.get(&rendition.blob).await.map_err(Error::internal)?.map(|b| (b, rendition))
            }
            None => None,
        };
        let Some((bytes, rendition)) = bytes else {
            let address = record.article.canonical_url.as_ref().or(record.article.source_url.as_ref());
            waiting.push(match address {
                Some(url) => format!("- {headline} <{url}>"),
                None => format!("- {headline}"),
            });
            continue;
        };
        let name = file_name(entry, "mp3");
        zip.write_entry_whole(file(name.clone()), &bytes).await.map_err(Error::internal)?;
        let seconds = (rendition.duration_ms + 500) / 1000;
        playlist.push_str(&format!("#EXTINF:{seconds},{headline}\n{name}\n"));
    }
    zip.write_entry_whole(file("playlist.m3u8".into()), playlist.as_bytes())
        .await
        .map_err(Error::internal)?;
    if !waiting.is_empty() {
        let text = format!(
            "These articles of the library had no narration ready when it was exported; lector narrates \
             them in the background, so an export made later holds them:\n\n{}\n",
            waiting.join("\n")
        );
        zip.write_entry_whole(file("not-narrated.txt".into()), text.as_bytes())
            .await
            .map_err(Error::internal)?;
    }
    let mut out = zip.close().await.map_err(Error::internal)?.into_inner();
    tokio::io::AsyncWriteExt::shutdown(&mut out).await.map_err(Error::internal)?;
    Ok(())
}

/// The pictures lector kept of `entries`' articles (a copy at most 960 pixels wide, as pages
/// show them), for [`to_epub`].
pub async fn pictures(core: &crate::Core, entries: &[LibraryEntry]) -> Result<Vec<Picture>, Error> {
    let mut found: Vec<Picture> = Vec::new();
    for entry in entries {
        for url in crate::images::image_urls(&entry.article.article) {
            if found.iter().any(|p| p.source_url == url) {
                continue;
            }
            let Some(kept) = core.store.image(&url).await? else { continue };
            let blob = kept.variants.iter().find(|(w, _)| *w >= 960).map_or(&kept.blob, |(_, blob)| blob);
            if let Some(bytes) = core.blobs.get(blob).await.map_err(Error::internal)? {
                let content_type = crate::images::sniff(&bytes).to_string();
                found.push(Picture { source_url: url, bytes, content_type });
            }
        }
    }
    Ok(found)
}

/// A picture of an article kept by lector, for an EPUB: its original address (as the article
/// names it), its bytes and type.
#[derive(Debug, Clone)]
pub struct Picture {
    pub source_url: String,
    pub bytes: Vec<u8>,
    pub content_type: String,
}

/// Text made safe for XML (and XHTML) element content and attribute values: escaped as HTML
/// is, and without the characters XML forbids.
fn xml(text: &str) -> String {
    let allowed = |c: &char| {
        matches!(c, '\t' | '\n' | '\r') || !((*c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    };
    lector_article::escape_html(&text.chars().filter(allowed).collect::<String>())
}

fn extension_of(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => "jpg",
    }
}

/// One article as an XHTML document of the book: its headline, byline, source, and body
/// (pictures by their file in the book, or left out when lector did not keep them).
fn chapter(entry: &LibraryEntry, pictures: &std::collections::HashMap<&str, String>) -> String {
    use lector_article::{Block, inline_text};
    let article = &entry.article.article;
    let mut body = format!("<h1>{}</h1>\n", xml(&article.headline));
    let authors: Vec<&str> = article.authors.iter().map(|a| a.name.as_str()).collect();
    if !authors.is_empty() {
        body.push_str(&format!("<p class=\"byline\">By {}</p>\n", xml(&authors.join(", "))));
    }
    if let Some(url) = article.canonical_url.as_ref().or(article.source_url.as_ref()) {
        body.push_str(&format!("<p class=\"source\"><a href=\"{0}\">{0}</a></p>\n", xml(url)));
    }
    let figure = |url: &str, alt: &Option<String>, caption: &Option<String>| -> String {
        let Some(file) = pictures.get(url) else { return String::new() };
        let caption =
            caption.as_ref().map(|c| format!("<figcaption>{}</figcaption>", xml(c))).unwrap_or_default();
        format!(
            "<figure><img src=\"{file}\" alt=\"{}\"/>{caption}</figure>\n",
            xml(alt.as_deref().unwrap_or(""))
        )
    };
    if let Some(lead) = &article.lead_image {
        body.push_str(&figure(&lead.url, &lead.alt, &lead.caption));
    }
    for block in &article.body {
        match block {
            Block::Paragraph { content } => {
                body.push_str(&format!("<p>{}</p>\n", xml(&inline_text(content))))
            }
            Block::Heading { level, content } => {
                let level = (*level).clamp(2, 4);
                body.push_str(&format!("<h{level}>{}</h{level}>\n", xml(&inline_text(content))));
            }
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                let items: String =
                    items.iter().map(|i| format!("<li>{}</li>", xml(&inline_text(i)))).collect();
                body.push_str(&format!("<{tag}>{items}</{tag}>\n"));
            }
            Block::Quote { paragraphs, attribution } => {
                let text: String =
                    paragraphs.iter().map(|p| format!("<p>{}</p>", xml(&inline_text(p)))).collect();
                let by = attribution
                    .as_ref()
                    .map(|a| format!("<p class=\"by\">{}</p>", xml(a)))
                    .unwrap_or_default();
                body.push_str(&format!("<blockquote>{text}{by}</blockquote>\n"));
            }
            Block::Preformatted { text } => body.push_str(&format!("<pre>{}</pre>\n", xml(text))),
            Block::Table(table) => {
                let cells = |row: &[Vec<lector_article::Inline>], tag: &str| -> String {
                    row.iter().map(|c| format!("<{tag}>{}</{tag}>", xml(&inline_text(c)))).collect()
                };
                let caption = table
                    .caption
                    .as_ref()
                    .map(|c| format!("<caption>{}</caption>", xml(c)))
                    .unwrap_or_default();
                let head = if table.header.is_empty() {
                    String::new()
                } else {
                    format!("<tr>{}</tr>", cells(&table.header, "th"))
                };
                let rows: String =
                    table.rows.iter().map(|r| format!("<tr>{}</tr>", cells(r, "td"))).collect();
                body.push_str(&format!("<table>{caption}{head}{rows}</table>\n"));
            }
            Block::Image(image) => body.push_str(&figure(&image.url, &image.alt, &image.caption)),
            Block::Video(_) => {}
        }
    }
    let language = xml(article.language.as_deref().unwrap_or("en"));
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" \
         xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{language}\" lang=\"{language}\">\n<head><title>{}</title></head>\n\
         <body>\n{body}</body>\n</html>\n",
        xml(&article.headline)
    )
}

/// The library as an EPUB 3 book: one chapter per article, oldest saved first, with a table of
/// contents and the pictures lector kept (`pictures`, by their original address).
pub fn to_epub(
    entries: &[LibraryEntry],
    pictures: &[Picture],
    title: &str,
    now: i64,
) -> Result<Vec<u8>, Error> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let packed =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    // The first file, uncompressed, says what the zip is.
    zip.start_file("mimetype", stored).map_err(Error::internal)?;
    zip.write_all(b"application/epub+zip").map_err(Error::internal)?;
    zip.start_file("META-INF/container.xml", packed).map_err(Error::internal)?;
    zip.write_all(
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
          <rootfiles><rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/></rootfiles>\n</container>\n",
    )
    .map_err(Error::internal)?;
    let mut files: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    let mut manifest = String::new();
    for (i, picture) in pictures.iter().enumerate() {
        let file = format!("images/{i}.{}", extension_of(&picture.content_type));
        zip.start_file(format!("OEBPS/{file}"), stored).map_err(Error::internal)?;
        zip.write_all(&picture.bytes).map_err(Error::internal)?;
        manifest.push_str(&format!(
            "<item id=\"img{i}\" href=\"{file}\" media-type=\"{}\"/>\n",
            xml(&picture.content_type)
        ));
        files.insert(picture.source_url.as_str(), file);
    }
    let (mut spine, mut toc) = (String::new(), String::new());
    for entry in entries {
        let id = entry.article.id;
        zip.start_file(format!("OEBPS/a{id}.xhtml"), packed).map_err(Error::internal)?;
        zip.write_all(chapter(entry, &files).as_bytes()).map_err(Error::internal)?;
        manifest.push_str(&format!(
            "<item id=\"a{id}\" href=\"a{id}.xhtml\" media-type=\"application/xhtml+xml\"/>\n"
        ));
        spine.push_str(&format!("<itemref idref=\"a{id}\"/>\n"));
        toc.push_str(&format!(
            "<li><a href=\"a{id}.xhtml\">{}</a></li>\n",
            xml(&entry.article.article.headline)
        ));
    }
    zip.start_file("OEBPS/nav.xhtml", packed).map_err(Error::internal)?;
    zip.write_all(
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" \
             xmlns:epub=\"http://www.idpf.org/2007/ops\">\n<head><title>{0}</title></head>\n<body>\n\
             <nav epub:type=\"toc\" id=\"toc\"><h1>{0}</h1>\n<ol>\n{toc}</ol></nav>\n</body>\n</html>\n",
            xml(title)
        )
        .as_bytes(),
    )
    .map_err(Error::internal)?;
    let modified = chrono::DateTime::from_timestamp(now, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ");
    zip.start_file("OEBPS/content.opf", packed).map_err(Error::internal)?;
    zip.write_all(
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" \
             unique-identifier=\"book\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
             <dc:identifier id=\"book\">urn:lector:library:{now}</dc:identifier>\n<dc:title>{}</dc:title>\n\
             <dc:language>en</dc:language>\n<meta property=\"dcterms:modified\">{modified}</meta>\n</metadata>\n\
             <manifest>\n<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n\
             {manifest}</manifest>\n<spine>\n{spine}</spine>\n</package>\n",
            xml(title)
        )
        .as_bytes(),
    )
    .map_err(Error::internal)?;
    Ok(zip.finish().map_err(Error::internal)?.into_inner())
}
