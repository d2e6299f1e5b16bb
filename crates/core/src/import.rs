//! Libraries exported from other read-it-later services, read into entries to save: Pocket
//! (CSV, and its HTML export), Instapaper (CSV), wallabag (JSON), Omnivore (its export zip of
//! JSON metadata and Markdown, or one of its JSON files) and any browser's bookmarks (Netscape
//! bookmark HTML). Each entry keeps its address, title, saved date, tags, and archive and
//! favourite state. A row that cannot be read is reported with its number and the rest are
//! read. Pure: no IO, no clock.

use std::io::Read;

/// Most bytes of an export file.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Most entries read from one export.
pub const MAX_ENTRIES: usize = 100_000;
/// Most bytes unpacked from an export zip, all files together (a zip bomb stops there).
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
/// Most files looked at in an export zip.
pub const MAX_ZIP_FILES: usize = 20_000;

/// The services whose exports are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    PocketCsv,
    Instapaper,
    Wallabag,
    Omnivore,
    /// Netscape bookmark HTML: browsers' bookmark exports and Pocket's HTML export.
    Bookmarks,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::PocketCsv => "Pocket (CSV)",
            Format::Instapaper => "Instapaper (CSV)",
            Format::Wallabag => "wallabag (JSON)",
            Format::Omnivore => "Omnivore",
            Format::Bookmarks => "bookmarks (HTML)",
        }
    }
}

/// One article to save, as the export has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub url: String,
    pub title: Option<String>,
    /// Unix seconds.
    pub saved_at: Option<i64>,
    pub tags: Vec<String>,
    pub archived: bool,
    pub favourite: bool,
}

/// A row that could not be read: its number in the file (1 for the first entry or line) and
/// why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub message: String,
}

/// What an export held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub format: Format,
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024)]
    TooLarge,
    #[error(
        "not an export lector reads: Pocket (CSV or HTML), Instapaper (CSV), wallabag (JSON), Omnivore (zip or JSON) or bookmarks (HTML)"
    )]
    Unknown,
    #[error("the {format} export is malformed: {message}")]
    Malformed { format: &'static str, message: String },
}

/// Reads an export, whatever service made it (told by its content, not its name).
pub fn parse(bytes: &[u8]) -> Result<Parsed, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return omnivore_zip(bytes);
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let start = text.trim_start();
    if start.starts_with('[') || start.starts_with('{') {
        return json_export(start);
    }
    let lower: String = start.chars().take(4096).collect::<String>().to_ascii_lowercase();
    if lower.starts_with("<!doctype netscape") || lower.contains("<a ") || lower.starts_with("<!doctype html")
    {
        return Ok(bookmarks(text));
    }
    let header = lower.lines().next().unwrap_or("");
    if header.contains("time_added") && header.contains("url") {
        return pocket_csv(text);
    }
    if header.starts_with("url,title") && header.contains("folder") {
        return instapaper_csv(text);
    }
    Err(ImportError::Unknown)
}

/// An address worth saving: http or https.
fn web_address(url: &str) -> Result<String, String> {
    let url = url.trim();
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_some() => {
            Ok(parsed.to_string())
        }
        Ok(_) => Err(format!("{url:?} is not an http or https address")),
        Err(_) if url.is_empty() => Err("no address".into()),
        Err(e) => Err(format!("{url:?} is not an address: {e}")),
    }
}

fn title_of(text: &str) -> Option<String> {
    let title = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then(|| title.chars().take(1_000).collect())
}

/// Unix seconds from a number of seconds (or milliseconds, as some exports write them) or an
/// RFC 3339 or ISO 8601 time.
fn when(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(number) = text.parse::<i64>() {
        return Some(if number > 100_000_000_000 { number / 1000 } else { number }).filter(|n| *n > 0);
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .or_else(|_| chrono::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z"))
        .map(|d| d.timestamp())
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|d| d.and_utc().timestamp())
        })
}

struct Collect {
    format: Format,
    entries: Vec<Entry>,
    problems: Vec<Problem>,
}

impl Collect {
    fn new(format: Format) -> Collect {
        Collect { format, entries: Vec::new(), problems: Vec::new() }
    }

    fn push(&mut self, row: usize, url: &str, entry: impl FnOnce(String) -> Entry) {
        if self.entries.len() >= MAX_ENTRIES {
            if self.problems.last().is_none_or(|p| !p.message.starts_with("more than")) {
                self.problems.push(Problem {
                    row,
                    message: format!("more than {MAX_ENTRIES} entries: the rest is left"),
                });
            }
            return;
        }
        match web_address(url) {
            Ok(url) => self.entries.push(entry(url)),
            Err(message) => self.problems.push(Problem { row, message }),
        }
    }

    fn done(self) -> Parsed {
        Parsed { format: self.format, entries: self.entries, problems: self.problems }
    }
}

/// Each row of a CSV export, read by `entry` from its fields by column name (a column the file
/// lacks reads as empty); a row the CSV reader refuses is reported and skipped.
fn csv_export(
    text: &str,
    format: Format,
    entry: impl Fn(&dyn Fn(&str) -> String) -> Entry,
) -> Result<Parsed, ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| malformed(format, e))?.clone();
    let mut collect = Collect::new(format);
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                collect.problems.push(Problem { row, message: e.to_string() });
                continue;
            }
        };
        let field = |name: &str| {
            let at = headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
            at.and_then(|at| record.get(at)).unwrap_or("").to_string()
        };
        let read = entry(&field);
        let url = read.url.clone();
        collect.push(row, &url, |url| Entry { url, ..read });
    }
    Ok(collect.done())
}

/// Pocket's CSV: `title,url,time_added,tags,status` (tags separated by `|`, status `unread` or
/// `archive`).
fn pocket_csv(text: &str) -> Result<Parsed, ImportError> {
    csv_export(text, Format::PocketCsv, |field| Entry {
        url: field("url"),
        title: title_of(&field("title")),
        saved_at: when(&field("time_added")),
        tags: split_tags(&field("tags"), '|'),
        archived: field("status").trim().eq_ignore_ascii_case("archive"),
        favourite: false,
    })
}

/// Instapaper's CSV: `URL,Title,Selection,Folder,Timestamp[,Tags]`; the folder `Archive`
/// archives, `Starred` stars, any other but `Unread` becomes a tag.
fn instapaper_csv(text: &str) -> Result<Parsed, ImportError> {
    csv_export(text, Format::Instapaper, |field| {
        let folder = field("folder").trim().to_string();
        let mut tags = match serde_json::from_str::<Vec<String>>(&field("tags")) {
            Ok(tags) => tags,
            Err(_) => split_tags(&field("tags"), ','),
        };
        if !folder.is_empty() && !["unread", "archive", "starred"].contains(&folder.to_lowercase().as_str()) {
            tags.push(folder.clone());
        }
        Entry {
            url: field("url"),
            title: title_of(&field("title")),
            saved_at: when(&field("timestamp")),
            tags,
            archived: folder.eq_ignore_ascii_case("archive"),
            favourite: folder.eq_ignore_ascii_case("starred"),
        }
    })
}

fn split_tags(text: &str, by: char) -> Vec<String> {
    text.split(by).map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect()
}

fn malformed(format: Format, error: impl std::fmt::Display) -> ImportError {
    ImportError::Malformed { format: format.name(), message: error.to_string() }
}

/// A JSON export: wallabag's (an array of entries with `is_archived`) or Omnivore's
/// (`savedAt`, `labels`).
fn json_export(text: &str) -> Result<Parsed, ImportError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ImportError::Malformed { format: "JSON", message: e.to_string() })?;
    let items = match &value {
        serde_json::Value::Array(items) => items.clone(),
        serde_json::Value::Object(fields) => match fields.get("items").or_else(|| fields.get("entries")) {
            Some(serde_json::Value::Array(items)) => items.clone(),
            _ => return Err(ImportError::Unknown),
        },
        _ => return Err(ImportError::Unknown),
    };
    let omnivore = items.iter().any(|item| item.get("savedAt").is_some() || item.get("labels").is_some());
    let wallabag =
        items.iter().any(|item| item.get("is_archived").is_some() || item.get("is_starred").is_some());
    if omnivore {
        let mut collect = Collect::new(Format::Omnivore);
        omnivore_items(&items, &mut collect);
        Ok(collect.done())
    } else if wallabag || items.is_empty() {
        Ok(wallabag_items(&items))
    } else {
        Err(ImportError::Unknown)
    }
}

fn text_field<'a>(item: &'a serde_json::Value, name: &str) -> &'a str {
    item.get(name).and_then(serde_json::Value::as_str).unwrap_or("")
}

/// True for `1`, `true` or `"1"`.
fn flag(item: &serde_json::Value, name: &str) -> bool {
    match item.get(name) {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or(0) != 0,
        Some(serde_json::Value::String(s)) => s == "1" || s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// Tags as a list of names, or of objects with a `label` or `name`.
fn tag_list(value: Option<&serde_json::Value>) -> Vec<String> {
    let Some(serde_json::Value::Array(tags)) = value else { return Vec::new() };
    tags.iter()
        .filter_map(|tag| match tag {
            serde_json::Value::String(name) => Some(name.trim().to_string()),
            serde_json::Value::Object(fields) => fields
                .get("label")
                .or_else(|| fields.get("name"))
                .and_then(serde_json::Value::as_str)
                .map(|name| name.trim().to_string()),
            _ => None,
        })
        .filter(|name| !name.is_empty())
        .collect()
}

fn wallabag_items(items: &[serde_json::Value]) -> Parsed {
    let mut collect = Collect::new(Format::Wallabag);
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            collect.problems.push(Problem { row: i + 1, message: "not an entry".into() });
            continue;
        }
        collect.push(i + 1, text_field(item, "url"), |url| Entry {
            url,
            title: title_of(text_field(item, "title")),
            saved_at: when(text_field(item, "created_at")),
            tags: tag_list(item.get("tags")),
            archived: flag(item, "is_archived"),
            favourite: flag(item, "is_starred"),
        });
    }
    collect.done()
}

fn omnivore_items(items: &[serde_json::Value], collect: &mut Collect) {
    let offset = collect.entries.len() + collect.problems.len();
    for (i, item) in items.iter().enumerate() {
        let row = offset + i + 1;
        if !item.is_object() {
            collect.problems.push(Problem { row, message: "not an entry".into() });
            continue;
        }
        let state = text_field(item, "state");
        collect.push(row, text_field(item, "url"), |url| Entry {
            url,
            title: title_of(text_field(item, "title")),
            saved_at: when(text_field(item, "savedAt")),
            tags: tag_list(item.get("labels")),
            archived: state.eq_ignore_ascii_case("archived") || flag(item, "isArchived"),
            favourite: false,
        });
    }
}

/// Omnivore's export zip: its `metadata_*.json` files, in name order (the Markdown beside them
/// is not needed: each page is fetched again, as every save is).
fn omnivore_zip(bytes: &[u8]) -> Result<Parsed, ImportError> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| malformed(Format::Omnivore, e))?;
    let mut names: Vec<String> = archive
        .file_names()
        .filter(|name| {
            let file = name.rsplit('/').next().unwrap_or(name);
            file.starts_with("metadata") && file.ends_with(".json")
        })
        .map(String::from)
        .collect();
    if archive.len() > MAX_ZIP_FILES {
        return Err(malformed(Format::Omnivore, format!("more than {MAX_ZIP_FILES} files")));
    }
    if names.is_empty() {
        return Err(malformed(Format::Omnivore, "no metadata JSON file in the zip"));
    }
    names.sort();
    let mut collect = Collect::new(Format::Omnivore);
    let mut unpacked = 0u64;
    for name in names {
        let file = archive.by_name(&name).map_err(|e| malformed(Format::Omnivore, e))?;
        let mut json = Vec::new();
        let room = MAX_UNPACKED_BYTES.saturating_sub(unpacked);
        file.take(room + 1).read_to_end(&mut json).map_err(|e| malformed(Format::Omnivore, e))?;
        unpacked += json.len() as u64;
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(malformed(
                Format::Omnivore,
                format!("more than {} MiB unpacked", MAX_UNPACKED_BYTES / 1024 / 1024),
            ));
        }
        match serde_json::from_slice::<Vec<serde_json::Value>>(&json) {
            Ok(items) => omnivore_items(&items, &mut collect),
            Err(e) => {
                let row = collect.entries.len() + collect.problems.len() + 1;
                collect.problems.push(Problem { row, message: format!("{name}: {e}") });
            }
        }
    }
    Ok(collect.done())
}

/// Netscape bookmark HTML (browsers, and Pocket's HTML export): every link, its `ADD_DATE`
/// (Pocket: `time_added`) and `TAGS`; links under a heading "Read Archive" or "Archive" are
/// archived, and a bookmark folder's name becomes a tag of the links in it.
fn bookmarks(text: &str) -> Parsed {
    let mut collect = Collect::new(Format::Bookmarks);
    // Whether each open list is a folder's, and the names of the open folders.
    let mut folders: Vec<bool> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    let mut heading: Option<String> = None;
    let mut archived = false;
    let mut rest = text;
    let mut row = 0;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[1..close];
        let after = &rest[close + 1..];
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>();
        let name = name.to_ascii_lowercase();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("h1" | "h2" | "h3", false) => {
                let end = find_ci(after, &format!("</{name}")).unwrap_or(0);
                let title = decode_entities(&crate::feeds::strip_tags(&after[..end]));
                let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
                let lower = title.to_lowercase();
                if name == "h1" && (lower == "unread" || lower.contains("archive")) {
                    archived = lower.contains("archive");
                    heading = None;
                } else if lower.contains("archive") && name != "h3" {
                    archived = true;
                } else if name == "h3" {
                    heading = Some(title);
                }
                rest = &after[end..];
                continue;
            }
            ("dl" | "ul", false) => {
                let folder = heading.take();
                if let Some(name) = &folder {
                    named.push(name.clone());
                }
                folders.push(folder.is_some());
            }
            ("dl" | "ul", true) if folders.pop() == Some(true) => {
                named.pop();
            }
            ("a", false) => {
                row += 1;
                let attributes = attributes(tag);
                let attribute =
                    |key: &str| attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
                let end = find_ci(after, "</a").unwrap_or(0);
                let title = decode_entities(&crate::feeds::strip_tags(&after[..end]));
                let mut tags: Vec<String> =
                    attribute("tags").map(|t| split_tags(&decode_entities(t), ',')).unwrap_or_default();
                for folder in &named {
                    let common = [
                        "bookmarks",
                        "bookmarks bar",
                        "bookmarks toolbar",
                        "bookmarks menu",
                        "other bookmarks",
                    ];
                    if !common.contains(&folder.to_lowercase().as_str()) && !tags.contains(folder) {
                        tags.push(folder.clone());
                    }
                }
                let href = decode_entities(attribute("href").unwrap_or(""));
                let saved_at = attribute("add_date").or_else(|| attribute("time_added")).and_then(when);
                let archive = archived;
                collect.push(row, &href, |url| Entry {
                    url,
                    title: title_of(&title),
                    saved_at,
                    tags,
                    archived: archive,
                    favourite: false,
                });
                rest = &after[end..];
                continue;
            }
            _ => {}
        }
        rest = after;
    }
    collect.done()
}

/// Where `needle` (ASCII, lower case, starting with `<`) first occurs in the first 4 KiB of
/// `haystack`, case aside (an element's text is never longer in an export; an unclosed one costs
/// no more).
fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let mut window = haystack.len().min(4 * 1024);
    while !haystack.is_char_boundary(window) {
        window -= 1;
    }
    let (h, n) = (&haystack.as_bytes()[..window], needle.as_bytes());
    let mut from = 0;
    while let Some(at) = h[from..].iter().position(|&b| b == b'<') {
        let i = from + at;
        if h.len() >= i + n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n) {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// The attributes of a start tag (`a href="…" ADD_DATE=123`), names in lower case.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let chars: Vec<char> = tag.chars().collect();
    let mut i = chars.iter().position(|c| c.is_whitespace()).unwrap_or(chars.len());
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect::<String>().to_ascii_lowercase();
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                let quote = chars[i];
                i += 1;
                while i < chars.len() && chars[i] != quote {
                    value.push(chars[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < chars.len() && !chars[i].is_whitespace() {
                    value.push(chars[i]);
                    i += 1;
                }
            }
        }
        if !name.is_empty() {
            found.push((name, value));
        }
    }
    found
}

/// The few character references bookmark files use: `&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&#39;`, `&apos;` and numeric ones.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|end| *end <= 10);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
