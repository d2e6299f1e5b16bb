//! Article metadata from JSON-LD, OpenGraph and other `<meta>` tags, microdata, `<time>`,
//! `rel=author`, `rel=canonical` and `<html lang>`.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use lector_article::{Author, Image, Video};
use serde_json::Value;
use url::Url;

use crate::dom::{Dom, Element, Head};
use crate::patterns::{self, is_byline_hint, is_byline_text, parse_iso_duration};

/// JSON-LD nesting deeper than this is ignored.
const MAX_JSON_DEPTH: usize = 32;
/// At most this many topics are kept.
pub const MAX_TOPICS: usize = 10;

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "TechArticle",
    "ScholarlyArticle",
    "SocialMediaPosting",
    "Blog",
];

/// Page types whose dates are the page's own when no article object carries any (a
/// `WebPage` node of an SEO plugin's `@graph` often holds the only `datePublished`).
const PAGE_TYPES: &[&str] = &[
    "WebPage",
    "ItemPage",
    "AboutPage",
    "FAQPage",
    "QAPage",
    "ProfilePage",
    "CollectionPage",
    "MedicalWebPage",
    "DiscussionForumPosting",
];

/// Everything known about the article before its body is found.
#[derive(Debug, Default)]
pub struct Metadata {
    pub title: Option<String>,
    /// The title came from `<title>` alone, which often carries the site's name.
    pub title_from_document: bool,
    /// The page's titles for sharing (OpenGraph's, Twitter's), when they differ from `title`.
    pub other_titles: Vec<String>,
    pub authors: Vec<Author>,
    pub description: Option<String>,
    pub site_name: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub language: Option<String>,
    pub canonical_url: Option<String>,
    /// Topic names, primary first (breadcrumbs, then sections, then tags); not yet deduplicated.
    pub topics: Vec<String>,
    pub lead_image: Option<Image>,
    pub videos: Vec<Video>,
    /// JSON-LD `articleBody`, a signal for finding the body.
    pub article_body: Option<String>,
    /// A JSON-LD `Product`'s `description` of 200 characters or more, its lines kept.
    pub product_description: Option<String>,
    /// Every JSON-LD `@type`, once per object, without the schema prefix.
    pub schema_types: Vec<String>,
    /// `og:type`.
    pub og_type: Option<String>,
    /// The tool that built the page (`<meta name="generator">`).
    pub generator: Option<String>,
}

/// Reads the metadata of a parsed page. `base` resolves relative URLs.
pub fn read_metadata(dom: &Dom, head: &Head, base: Option<&Url>) -> Metadata {
    let mut meta = Metadata::default();
    let json_ld = JsonLd::parse(&head.json_ld);
    let tag = |key: &str| -> Option<String> {
        head.metas.iter().find(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| clean(v))
    };
    let tags = |key: &str| -> Vec<String> {
        head.metas.iter().filter(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| clean(v)).collect()
    };
    let article = json_ld.article();
    meta.schema_types = json_ld.types();
    meta.og_type = tag("og:type");
    meta.generator = tag("generator");

    meta.title = article
        .and_then(|a| string_field(a, "headline").or_else(|| string_field(a, "name")))
        .or_else(|| tag("og:title"))
        .or_else(|| tag("twitter:title"))
        .or_else(|| tag("dc.title"))
        .or_else(|| tag("headline"));
    if meta.title.is_none() {
        meta.title = head.title.as_deref().map(clean).filter(|t| !t.is_empty());
        meta.title_from_document = meta.title.is_some();
    }
    for other in [tag("og:title"), tag("twitter:title")].into_iter().flatten() {
        if !other.is_empty() && meta.title.as_ref() != Some(&other) && !meta.other_titles.contains(&other) {
            meta.other_titles.push(other);
        }
    }

    meta.authors = article.map(|a| authors_from_json(a.get("author"), base)).unwrap_or_default();
    // A thread's author is its opening post's, which JSON-LD gives as the discussion or the
    // question; the microdata further down names every poster.
    if meta.authors.is_empty() {
        meta.authors = json_ld
            .first_with(&["DiscussionForumPosting", "Question"], "author")
            .map(|a| authors_from_json(a.get("author"), base))
            .unwrap_or_default();
    }
    if meta.authors.is_empty() {
        meta.authors = dom_authors(dom, base);
    }
    if meta.authors.is_empty() {
        for key in ["author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"] {
            for value in tags(key) {
                if !looks_like_url(&value) {
                    push_author(&mut meta.authors, &value, None);
                }
            }
            if !meta.authors.is_empty() {
                break;
            }
        }
    }

    meta.description = article
        .and_then(|a| string_field(a, "description"))
        .or_else(|| tag("og:description"))
        .or_else(|| tag("description"))
        .or_else(|| tag("twitter:description"));

    meta.site_name = tag("og:site_name")
        .or_else(|| article.and_then(|a| a.get("publisher")).and_then(|p| string_field(p, "name")))
        .or_else(|| {
            json_ld
                .first_of_type(&["WebSite", "Organization", "NewsMediaOrganization"])
                .and_then(|o| string_field(o, "name"))
        });

    let page = json_ld.first_with(PAGE_TYPES, "datePublished");
    let json_date = |object: Option<&Value>, key: &str| {
        object.and_then(|o| string_field(o, key)).and_then(|d| parse_date(&d))
    };
    meta.published = json_date(article, "datePublished")
        .or_else(|| {
            ["article:published_time", "datepublished", "pubdate", "publishdate", "date", "dc.date"]
                .iter()
                .find_map(|key| tag(key).and_then(|d| meta_date(&d)))
        })
        .or_else(|| json_date(page, "datePublished"))
        .or_else(|| dated_meta(head, PUBLISHED_NAMES));
    meta.updated = json_date(article, "dateModified")
        .or_else(|| {
            ["article:modified_time", "og:updated_time", "datemodified"]
                .iter()
                .find_map(|key| tag(key).and_then(|d| meta_date(&d)))
        })
        .or_else(|| json_date(page, "dateModified"))
        .or_else(|| dated_meta(head, MODIFIED_NAMES));

    meta.language = dom
        .children(0)
        .find(|&i| dom.tag(i) == "html")
        .and_then(|html| dom.attr(html, "lang").or_else(|| dom.attr(html, "xml:lang")))
        .map(str::trim)
        .filter(|lang| !lang.is_empty())
        .map(str::to_string)
        .or_else(|| tag("content-language"))
        .or_else(|| article.and_then(|a| string_field(a, "inLanguage")))
        .or_else(|| tag("og:locale").map(|l| l.replace('_', "-")));

    meta.canonical_url = head
        .links
        .iter()
        .find(|(rel, _)| rel.split_whitespace().any(|r| r == "canonical"))
        .map(|(_, href)| href.clone())
        .or_else(|| tag("og:url"))
        .and_then(|href| resolve(base, &href));

    meta.topics = json_ld.breadcrumbs();
    if meta.topics.is_empty() {
        meta.topics = dom_breadcrumbs(dom);
    }
    meta.topics.extend(tags("article:section"));
    if let Some(article) = article {
        meta.topics.extend(strings(article.get("articleSection")));
    }
    // Tags: article:tag, else JSON-LD keywords, else <meta> keywords; long keyword lists are
    // search-engine stuffing, not tags.
    let mut keywords = tags("article:tag");
    if keywords.is_empty() {
        keywords = match article.and_then(|a| a.get("keywords")) {
            Some(Value::String(s)) => s.split(',').map(clean).collect(),
            Some(other) => strings(Some(other)),
            None => Vec::new(),
        };
    }
    if keywords.is_empty()
        && let Some(list) = tag("news_keywords").or_else(|| tag("keywords"))
    {
        keywords = list.split([',', ';']).map(clean).collect();
    }
    if keywords.len() <= MAX_TOPICS {
        meta.topics.extend(keywords);
    }
    meta.topics.retain(|t| !t.is_empty() && t.chars().count() <= 60 && !looks_like_url(t));

    meta.lead_image = article.and_then(|a| image_from_json(a.get("image"), base)).or_else(|| {
        let url = tag("og:image:secure_url").or_else(|| tag("og:image")).or_else(|| tag("twitter:image"))?;
        Some(Image {
            url: resolve(base, &url)?,
            alt: tag("og:image:alt").or_else(|| tag("twitter:image:alt")),
            width: tag("og:image:width").and_then(|w| w.parse().ok()),
            height: tag("og:image:height").and_then(|h| h.parse().ok()),
            ..Image::default()
        })
    });

    meta.videos = json_ld.videos(base);
    meta.article_body = article.and_then(|a| string_field(a, "articleBody")).filter(|b| b.len() > 200);
    meta.product_description = json_ld
        .first_with(&["Product", "ProductGroup"], "description")
        .and_then(|p| p.get("description")?.as_str())
        .map(|text| {
            // Some shops send the description as HTML: its tags end lines.
            static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
                regex::Regex::new(r"</?[a-zA-Z][^<>]*>").unwrap_or_else(|e| panic!("tag pattern: {e}"))
            });
            let text = TAG.replace_all(text, "\n");
            let lines: Vec<String> =
                decode_entities(&text).lines().map(clean).filter(|l| !l.is_empty()).collect();
            lines.join("\n")
        })
        // Prose has spaces: a description without (sent percent-encoded, say) is not read.
        .filter(|d| d.chars().count() >= PRODUCT_DESCRIPTION_MIN_CHARS && d.contains(' '));
    meta
}

/// Shortest JSON-LD product description read as the product's text (shorter ones are
/// taglines for search results).
const PRODUCT_DESCRIPTION_MIN_CHARS: usize = 200;

/// Whitespace collapsed and trimmed.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::dom::push_collapsed(&mut out, text);
    out.trim_end().to_string()
}

fn looks_like_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://") || text.starts_with("//")
}

/// Resolves `href` against `base`; without a base, absolute URLs are kept and others dropped
/// unless they are root- or document-relative paths (kept as written).
pub fn resolve(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty()
        || href.starts_with("javascript:")
        || href.starts_with("data:") && !href.starts_with("data:image/")
    {
        return None;
    }
    match base {
        Some(base) => base.join(href).ok().map(String::from),
        None => match Url::parse(href) {
            Ok(url) => Some(url.into()),
            Err(_) if href.starts_with("//") => Some(format!("https:{href}")),
            Err(_) => Some(href.to_string()),
        },
    }
}

/// Years before this are no page's date: a two-digit year read as four ("01/07/16" as year 1).
const EARLIEST_YEAR: i32 = 1900;

/// Parses the date forms pages use: RFC 3339 (with or without zone), RFC 2822, plain dates.
pub fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    parse_any_date(text.trim()).filter(|date| date.year() >= EARLIEST_YEAR)
}

fn parse_any_date(text: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date);
    }
    for format in
        ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%.f%:z"]
    {
        if let Ok(date) = DateTime::parse_from_str(text, format) {
            return Some(date);
        }
    }
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return Some(date);
    }
    let utc = FixedOffset::east_opt(0)?;
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(naive.and_utc().with_timezone(&utc));
        }
    }
    let date_part = text.get(..10).unwrap_or(text);
    for format in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(date_part, format) {
            return Some(date.and_hms_opt(0, 0, 0)?.and_utc().with_timezone(&utc));
        }
    }
    None
}

/// The JSON-LD objects of a page, flattened out of arrays and `@graph`s.
struct JsonLd {
    objects: Vec<Value>,
}

impl JsonLd {
    fn parse(scripts: &[String]) -> JsonLd {
        let mut objects = Vec::new();
        for script in scripts {
            // Some pages wrap JSON-LD in CDATA or comments.
            let text = script.trim().trim_start_matches("<!--").trim_end_matches("-->");
            let text = text.trim().trim_start_matches("//<![CDATA[").trim_end_matches("//]]>");
            let text = text.trim();
            let value = serde_json::from_str::<Value>(text).ok().or_else(|| {
                // Line breaks and tabs left raw inside strings, which JSON forbids but
                // browsers' readers of JSON-LD forgive: as spaces they are valid anywhere.
                let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                serde_json::from_str::<Value>(&spaced).ok()
            });
            if let Some(value) = value {
                flatten(value, &mut objects, 0);
            }
        }
        JsonLd { objects }
    }

    fn first_of_type(&self, types: &[&str]) -> Option<&Value> {
        self.objects.iter().find(|o| has_type(o, types))
    }

    /// The first object of one of `types` that has `field`.
    fn first_with(&self, types: &[&str], field: &str) -> Option<&Value> {
        self.objects.iter().find(|o| has_type(o, types) && o.get(field).is_some())
    }

    /// The article object: the first with an article type that has a headline, else the first.
    fn types(&self) -> Vec<String> {
        let mut types = Vec::new();
        for object in &self.objects {
            match object.get("@type") {
                Some(Value::String(t)) => types.push(strip_schema(t).to_string()),
                Some(Value::Array(list)) => {
                    types.extend(list.iter().filter_map(Value::as_str).map(|t| strip_schema(t).to_string()))
                }
                _ => {}
            }
        }
        types
    }

    fn article(&self) -> Option<&Value> {
        self.objects
            .iter()
            .find(|o| has_type(o, ARTICLE_TYPES) && o.get("headline").is_some())
            .or_else(|| self.first_of_type(ARTICLE_TYPES))
    }

    fn breadcrumbs(&self) -> Vec<String> {
        let Some(list) = self.first_of_type(&["BreadcrumbList"]) else { return Vec::new() };
        let Some(Value::Array(items)) = list.get("itemListElement") else { return Vec::new() };
        let mut crumbs: Vec<(i64, String)> = items
            .iter()
            .filter_map(|item| {
                let position = item
                    .get("position")
                    .and_then(|p| p.as_i64().or_else(|| p.as_str()?.parse().ok()))
                    .unwrap_or(0);
                let name = string_field(item, "name")
                    .or_else(|| item.get("item").and_then(|i| string_field(i, "name")))?;
                Some((position, name))
            })
            .collect();
        crumbs.sort_by_key(|(position, _)| *position);
        let mut names: Vec<String> = crumbs.into_iter().map(|(_, name)| name).collect();
        if names.first().is_some_and(|n| is_home(n)) {
            names.remove(0);
        }
        names
    }

    fn videos(&self, base: Option<&Url>) -> Vec<Video> {
        self.objects
            .iter()
            .filter(|o| has_type(o, &["VideoObject"]))
            .filter_map(|o| {
                Some(Video {
                    title: string_field(o, "name").or_else(|| string_field(o, "headline"))?,
                    duration_seconds: string_field(o, "duration").and_then(|d| parse_iso_duration(&d)),
                    url: string_field(o, "embedUrl")
                        .or_else(|| string_field(o, "contentUrl"))
                        .or_else(|| string_field(o, "url"))
                        .and_then(|u| resolve(base, &u)),
                    poster: image_from_json(o.get("thumbnailUrl").or_else(|| o.get("thumbnail")), base)
                        .map(|i| i.url),
                })
            })
            .collect()
    }
}

fn is_home(name: &str) -> bool {
    matches!(
        name.trim().to_lowercase().as_str(),
        "home" | "homepage" | "home page" | "start" | "accueil" | "inicio" | "startseite" | "首页"
    )
}

fn flatten(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > MAX_JSON_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                flatten(item, out, depth + 1);
            }
        }
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten(graph, out, depth + 1);
            }
            // Nested article parts (a video inside the article, say) are objects of their own too.
            for key in ["video", "mainEntity", "hasPart"] {
                if let Some(inner) = map.get(key)
                    && (inner.is_object() || inner.is_array())
                {
                    flatten(inner.clone(), out, depth + 1);
                }
            }
            if map.contains_key("@type") {
                out.push(Value::Object(map));
            }
        }
        _ => {}
    }
}

fn has_type(object: &Value, types: &[&str]) -> bool {
    match object.get("@type") {
        Some(Value::String(t)) => types.contains(&strip_schema(t)),
        Some(Value::Array(list)) => {
            list.iter().filter_map(Value::as_str).any(|t| types.contains(&strip_schema(t)))
        }
        _ => false,
    }
}

fn strip_schema(t: &str) -> &str {
    t.rsplit('/').next().unwrap_or(t)
}

fn string_field(object: &Value, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) => Some(clean(&decode_entities(s))).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(|v| v.as_str()).map(|s| clean(&decode_entities(s))),
        Value::Object(inner) => inner.get("@value").and_then(Value::as_str).map(clean),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// JSON-LD strings sometimes carry HTML entities ("Caf&eacute;").
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let (dom, _, _) = Dom::parse(&format!("<p>{}</p>", text.replace('<', "&lt;")));
    (0..dom.nodes.len()).filter_map(|i| dom.text_of(i)).collect()
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![clean(s)],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(clean).collect(),
        _ => Vec::new(),
    }
}

fn authors_from_json(value: Option<&Value>, base: Option<&Url>) -> Vec<Author> {
    let mut authors = Vec::new();
    let mut add = |value: &Value| match value {
        Value::String(name) if !looks_like_url(name) => push_author(&mut authors, name, None),
        Value::Object(_) => {
            if let Some(name) = string_field(value, "name") {
                let url = string_field(value, "url").and_then(|u| resolve(base, &u));
                push_author(&mut authors, &name, url);
            }
        }
        _ => {}
    };
    match value {
        Some(Value::Array(items)) => items.iter().for_each(&mut add),
        Some(other) => add(other),
        None => {}
    }
    authors
}

/// Adds an author from a byline, splitting "A and B" / "A, B" and dropping "By".
pub fn push_author(authors: &mut Vec<Author>, byline: &str, url: Option<String>) {
    let byline = clean_byline(byline);
    let names: Vec<&str> = byline
        .split(" and ")
        .flat_map(|part| part.split(" & "))
        .flat_map(|part| part.split(", "))
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect();
    let single = names.len() == 1;
    for name in names {
        if name.chars().count() > 60 || authors.iter().any(|a| a.name.eq_ignore_ascii_case(name)) {
            continue;
        }
        authors.push(Author { name: name.to_string(), url: if single { url.clone() } else { None } });
    }
}

/// "By Maria Okafor | Reporter" → "Maria Okafor".
pub fn clean_byline(text: &str) -> String {
    let mut text = clean(text);
    for prefix in ["by ", "By ", "BY ", "Written by ", "written by ", "Words by ", "Von ", "Par ", "Por "] {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest.to_string();
            break;
        }
    }
    for separator in [" | ", " - ", " — ", " – ", "\n"] {
        if let Some((first, _)) = text.split_once(separator) {
            text = first.to_string();
        }
    }
    text.trim().trim_end_matches([',', '.', ';', ':']).trim().to_string()
}

fn image_from_json(value: Option<&Value>, base: Option<&Url>) -> Option<Image> {
    match value? {
        Value::String(url) => Some(Image { url: resolve(base, url)?, ..Image::default() }),
        Value::Array(items) => items.iter().find_map(|item| image_from_json(Some(item), base)),
        object @ Value::Object(_) => {
            let url = string_field(object, "url").or_else(|| string_field(object, "contentUrl"))?;
            let dimension = |key: &str| {
                object
                    .get(key)
                    .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim_end_matches("px").parse().ok()))
                    .and_then(|v| u32::try_from(v).ok())
            };
            Some(Image {
                url: resolve(base, &url)?,
                caption: string_field(object, "caption"),
                credit: string_field(object, "creditText")
                    .or_else(|| string_field(object, "copyrightHolder")),
                width: dimension("width"),
                height: dimension("height"),
                ..Image::default()
            })
        }
        _ => None,
    }
}

/// Authors from `rel=author` links and microdata `itemprop=author` in the page.
fn dom_authors(dom: &Dom, base: Option<&Url>) -> Vec<Author> {
    let mut authors = Vec::new();
    for i in 0..dom.nodes.len() {
        let Some(element) = dom.element(i) else { continue };
        let rel_author = element.attr("rel").is_some_and(|rel| rel.split_whitespace().any(|r| r == "author"));
        let itemprop_author = element
            .attr("itemprop")
            .is_some_and(|p| p.split_whitespace().any(|p| p == "author" || p == "creator"));
        if !rel_author && !itemprop_author {
            continue;
        }
        let name = (i..dom.nodes[i].end)
            .find(|&j| dom.attr(j, "itemprop") == Some("name"))
            .map(|j| dom.attr(j, "content").map(clean).unwrap_or_else(|| dom.text(j)))
            .unwrap_or_else(|| dom.text(i));
        if name.is_empty() || name.chars().count() > 80 {
            continue;
        }
        let href = if &*element.name == "a" {
            element.attr("href")
        } else {
            dom.find_tag(i, "a").and_then(|a| dom.attr(a, "href"))
        };
        push_author(&mut authors, &name, href.and_then(|h| resolve(base, h)));
    }
    authors
}

/// The last part of `<meta>` names that carry a publication date under a site's or a
/// vendor's prefix (`parsely-pub-date`, `sailthru.date`, `dcterms.issued`, `w-published-date`).
const PUBLISHED_NAMES: &[&str] = &[
    "published-date",
    "published_date",
    "publish-date",
    "publish_date",
    "pub-date",
    "publication-date",
    "publication_date",
    "date-published",
    "published_time",
    "published",
    "issued",
    "date.issued",
];

/// The same for dates of the last change.
const MODIFIED_NAMES: &[&str] = &[
    "modified-date",
    "modified_date",
    "modified_time",
    "modified-time",
    "updated_time",
    "modified",
    "date.modified",
];

/// A `<meta>` date: machine-readable, or written out for readers ("March 27, 2025").
fn meta_date(value: &str) -> Option<DateTime<FixedOffset>> {
    parse_date(value).or_else(|| written_date(value).map(|(_, date)| date))
}

/// The date of the first `<meta>` whose name ends in one of `names` after a prefix (a name
/// part before `-`, `_`, `.` or `:`), or is one of them.
fn dated_meta(head: &Head, names: &[&str]) -> Option<DateTime<FixedOffset>> {
    head.metas.iter().find_map(|(key, value)| {
        let named = names.iter().any(|name| {
            key.strip_suffix(name)
                .is_some_and(|prefix| prefix.is_empty() || prefix.ends_with(['-', '_', '.', ':']))
        });
        if named { meta_date(value) } else { None }
    })
}

/// The page's own time zone, when the publication time is given in UTC: the zone of a
/// `<time datetime>` in the page that names the same moment (within an hour). A story posted
/// at 9 pm in New York is dated that day, not the next, as its page shows it.
fn page_zone(dom: &Dom, published: Option<DateTime<FixedOffset>>) -> Option<FixedOffset> {
    let published = published.filter(|d| d.offset().local_minus_utc() == 0)?;
    (0..dom.nodes.len()).find_map(|i| {
        let element = dom.element(i).filter(|e| &*e.name == "time")?;
        let date = parse_date(element.attr("datetime")?)?;
        let zone = *date.offset();
        (zone.local_minus_utc() != 0 && (date - published).num_minutes().abs() <= 60).then_some(zone)
    })
}

/// The moment a `<time datetime>` stands for, or a custom element made to show one (a name
/// with a hyphen that says time: GitHub's `<relative-time datetime>`, Reddit's
/// `<faceplate-timeago ts>`), which is a `<time>` in all but its name.
fn time_stamp(element: &Element) -> Option<&str> {
    let name = &*element.name;
    if name == "time" {
        element.attr("datetime")
    } else if name.contains('-') && name.contains("time") {
        element.attr("datetime").or_else(|| element.attr("ts"))
    } else {
        None
    }
}

/// The first `<time datetime>` (or a custom element like it, see [`time_stamp`], or microdata
/// `datePublished`) among `nodes`.
fn dom_published(dom: &Dom, nodes: std::ops::Range<usize>) -> Option<DateTime<FixedOffset>> {
    nodes.into_iter().find_map(|i| {
        let element = dom.element(i)?;
        let value = if element.attr("itemprop") == Some("datePublished") {
            element.attr("content").or_else(|| element.attr("datetime"))
        } else {
            time_stamp(element).filter(|_| !element.attr("class").unwrap_or("").contains("modif"))
        }?;
        let stamped = parse_date(value)?;
        // The day the element shows, when it is a day off its stamp: the stamp is in another
        // zone (UTC past the reader's midnight), and the reader's day is the one shown.
        let shown =
            dom.text_within(i, DATELINE_MAX_CHARS).and_then(|text| written_date(&text)).map(|(_, d)| d);
        Some(
            shown
                .filter(|d| (d.date_naive() - stamped.date_naive()).num_days().abs() == 1)
                .unwrap_or(stamped),
        )
    })
}

/// Completes the page's dates from what the page shows, once its headline is known: a
/// `<time datetime>` (or microdata `datePublished`) when the metadata gives no publication, then
/// the datelines a reader sees (see [`visible_dates`]); a dateline not labelled as an update is
/// the publication, also when the metadata names only the last change, or a later publication
/// than the day the story's header shows, or an earlier publication than the header's day when
/// that day is the metadata's last change (outside threads). Then dates given in UTC take the
/// page's own zone (see [`page_zone`]).
///
/// With a headline, these are read in the story's header first: from the start of the box that
/// holds the headline (its parent, or grandparent when the parent holds only the headline) to
/// the second paragraph after it (see [`story_header`]). Other dates on the page are those of
/// other things (the site's clock above, related stories and events beside or below). Only when
/// that header shows no date at all is the day in the page's `address` taken (see
/// [`url_date`]), and failing that the whole page read, in order.
pub fn read_page_dates(
    meta: &mut Metadata,
    dom: &Dom,
    headline: Option<usize>,
    address: Option<DateTime<FixedOffset>>,
) {
    let header = headline.map(|h| story_header(dom, h));
    let header_dates = header.clone().map(|nodes| visible_dates(dom, nodes));
    // A day the header shows as the story's, earlier than the metadata's publication: the
    // metadata was stamped later (the story republished, or written in UTC past the reader's
    // midnight), and the reader's day is the one shown. Or the day of the metadata's last
    // change, shown without a label as the story's: the page dates itself by its revision, and
    // the reader's day is again the one shown. Not in a thread, whose header shows its last
    // reply.
    if let (Some((Some(shown), _)), Some(stamped)) = (header_dates, meta.published)
        && (shown.date_naive() < stamped.date_naive()
            || (shown.date_naive() > stamped.date_naive()
                && meta.updated.is_some_and(|u| u.date_naive() == shown.date_naive())
                && !is_thread(dom, &meta.schema_types)))
    {
        meta.published = Some(shown);
    }
    let passes = header.map(|nodes| (nodes, header_dates)).into_iter();
    for (nodes, shown) in passes.chain(std::iter::once((0..dom.nodes.len(), None))) {
        if shown.is_none() {
            // Past the header, the day in the page's address comes before the other dates on
            // the page (a sidebar's, a related story's).
            meta.published = meta.published.or(address);
        }
        let time = if meta.published.is_none() { dom_published(dom, nodes.clone()) } else { None };
        let (published, updated) = if meta.published.or(time).is_none() || meta.updated.is_none() {
            shown.unwrap_or_else(|| visible_dates(dom, nodes))
        } else {
            (None, None)
        };
        let found = time.or(published).or(updated).is_some();
        meta.published = meta.published.or(time).or(published);
        meta.updated = meta.updated.or(updated);
        if found {
            break;
        }
    }
    if let Some(zone) = page_zone(dom, meta.published) {
        meta.published = meta.published.map(|d| d.with_timezone(&zone));
        meta.updated =
            meta.updated.map(|d| if d.offset().local_minus_utc() == 0 { d.with_timezone(&zone) } else { d });
    }
}

/// Whether the page declares a discussion (schema.org types in JSON-LD or microdata): a
/// thread's dates are its posts'.
fn is_thread(dom: &Dom, types: &[String]) -> bool {
    let thread = |name: &str| name == "Question" || crate::page_type::FORUM_TYPES.contains(&name);
    types.iter().any(|t| thread(t))
        || (0..dom.nodes.len())
            .any(|i| dom.attr(i, "itemtype").and_then(|t| t.rsplit('/').next()).is_some_and(thread))
}

/// Shortest paragraph counted by [`story_header`]: a dateline is shorter.
const HEADER_END_PARAGRAPH_CHARS: usize = 120;

/// The nodes of a story's header around its headline `h` (see [`read_page_dates`]).
fn story_header(dom: &Dom, h: usize) -> std::ops::Range<usize> {
    let mut ancestors = dom.ancestors(h);
    let parent = ancestors.next().unwrap_or(h);
    let start = if dom.nodes[parent].end == dom.nodes[h].end && dom.children(parent).count() == 1 {
        ancestors.next().unwrap_or(parent)
    } else {
        parent
    };
    // A standfirst may come between the headline and the dateline: the second paragraph (a
    // `<p>`, or a text of its own) ends the header.
    let mut paragraphs = 0;
    let mut i = dom.nodes[h].end;
    while i < dom.nodes.len() {
        let long = match dom.text_of(i) {
            Some(text) => text.trim().len() >= HEADER_END_PARAGRAPH_CHARS,
            None => dom.tag(i) == "p" && dom.text_within(i, HEADER_END_PARAGRAPH_CHARS).is_none(),
        };
        if long {
            paragraphs += 1;
            if paragraphs == 2 {
                return start..i;
            }
            i = dom.nodes[i].end;
        } else {
            i += 1;
        }
    }
    start..dom.nodes.len()
}

/// Longest text of an element read as a dateline ("Updated on July 9, 2025", "Jun 08, 2023 •
/// 11 min read"): longer texts are prose, whose dates are what the story is about.
const DATELINE_MAX_CHARS: usize = 60;

/// Longest text of a link read as a dateline: a forum post's permalink shows its date and
/// time ("Sun Dec 17, 2023 11:23 am"); longer links are headlines that may hold a date.
const PERMALINK_MAX_CHARS: usize = 40;

/// The publication and update dates a reader sees: the first short element whose text holds a
/// written date ("March 3, 2024", "3 March 2024", "Mar 3, 2024", "2024-03-03"), an update when
/// "updated" or "modified" comes before the date in it or names its class (unless the class
/// names a publication too, as WordPress's "published updated" does), nothing when a member's
/// "registered", "joined" or "founded" or an offer's "ends" or "until" does or when it is the
/// site's clock, a publication otherwise.
fn visible_dates(
    dom: &Dom,
    nodes: std::ops::Range<usize>,
) -> (Option<DateTime<FixedOffset>>, Option<DateTime<FixedOffset>>) {
    let (mut published, mut updated) = (None, None);
    // From each short text that holds a year, up through the inline elements around it.
    let mut seen = 0;
    for node in nodes {
        if published.is_some() && updated.is_some() {
            break;
        }
        let crate::dom::Data::Text(own) = &dom.nodes[node].data else { continue };
        if own.len() > 4 * DATELINE_MAX_CHARS || !has_year(own) {
            continue;
        }
        let Some((i, text, (at, date))) = dom
            .ancestors(node)
            .take(3)
            .take_while(|&a| {
                // A link is a dateline only when the date is all it says (a post's permalink).
                a > seen
                    && dom.element(a).is_some_and(|e| {
                        &*e.name != "a" || dom.text(a).chars().count() <= PERMALINK_MAX_CHARS
                    })
            })
            .take_while(|&a| !dom.children(a).any(|c| dom.element(c).is_some_and(|e| holds_lines(&e.name))))
            .map_while(|a| Some((a, dom.text_within(a, DATELINE_MAX_CHARS)?)))
            .find_map(|(a, text)| written_date(&text).map(|found| (a, text, found)))
            .or_else(|| {
                // A line of text on its own between blocks ("<legend>…</legend> 20 December
                // 2025 <div>…"): the text is the dateline.
                let parent = dom.ancestors(node).next().filter(|&p| p > seen)?;
                let between_blocks =
                    dom.children(parent).any(|c| dom.element(c).is_some_and(|e| holds_lines(&e.name)));
                let text = clean(own);
                let line = between_blocks && text.chars().count() <= DATELINE_MAX_CHARS;
                // Or a date and time that are all the text says, before more in the same element
                // ("2019-02-23, 09:14 PM <span>(This post was last modified: …)</span>").
                if !line && !only_date_words(&text) {
                    return None;
                }
                let found = written_date(&text)?;
                (line || found.0 == 0).then_some((node, text, found))
            })
        else {
            continue;
        };
        seen = i;
        // The label may sit beside the date ("<span>Last updated</span> <time>…</time>"): read
        // the smallest ancestors too, up to a few levels, while they stay a dateline.
        let mut before = text[..at].to_lowercase();
        for ancestor in dom.ancestors(i).take(3) {
            let around = dom.text(ancestor);
            if around.chars().count() > 2 * DATELINE_MAX_CHARS {
                break;
            }
            if let Some(start) = around.find(&text) {
                before = around[..start + at].to_lowercase();
            }
        }
        if ["registered", "joined", "member since", "founded"].iter().any(|label| before.contains(label)) {
            // A member's sign-up or founding date beside a post, not the page's.
            continue;
        }
        if ["ends", "expires", "until", "valid"].iter().any(|label| has_word(&before, label)) {
            // When an offer or a deadline runs out ("Sale ends 03/31/2026").
            continue;
        }
        if dom.ancestors(node).take(4).any(|a| is_clock(dom, a)) {
            // The site's clock ("Friday, December 19, 2025" in the masthead): today, not the page.
            continue;
        }
        // Or named so by its class ("post-date__modified-date", "updated-on"), up a few levels.
        let classed_update = std::iter::once(node).chain(dom.ancestors(node)).take(4).any(|a| {
            dom.attr(a, "class").is_some_and(|c| {
                let c = c.to_ascii_lowercase();
                (c.contains("updated") || c.contains("modified")) && !c.contains("publish")
            })
        });
        if classed_update
            || before.contains("updated")
            || before.contains("modified")
            || before.contains("reviewed")
        {
            updated = updated.or(Some(date));
        } else {
            published = published.or(Some(date));
        }
    }
    (published, updated)
}

/// The day in a page address's path ("/2025/09/04/slug", "/news/2025-09-04-slug",
/// "/blog/2023/october/03/slug"): a year and month alone ("/2025/09/") name no day.
pub fn url_date(url: &str) -> Option<DateTime<FixedOffset>> {
    static PATH_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)/((?:19|20)\d{2})(?:/(\d{1,2})/(\d{1,2})|-(\d{2})-(\d{2})|/([a-z]{3,9})/(\d{1,2}))(?:[/\-_.]|$)",
        )
        .unwrap_or_else(|e| panic!("path date pattern: {e}"))
    });
    let path = Url::parse(url).ok()?.path().to_string();
    let captures = PATH_DATE.captures(&path)?;
    let number = |i: usize| captures.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let month = match captures.get(6) {
        Some(name) => month_number(name.as_str())?,
        None => number(2).or(number(4))?,
    };
    let (year, day) = (number(1)?, number(3).or(number(5)).or(number(7))?);
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let utc = FixedOffset::east_opt(0)?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().with_timezone(&utc))
}

/// The number of a month named in English, in full or by its first three letters ("Sept" too).
fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "sept" {
        return Some(9);
    }
    let at =
        MONTHS.iter().position(|month| *month == name || (name.len() == 3 && month.starts_with(&name)))?;
    Some(at as u32 + 1)
}

/// Whether every word of `text` belongs to a date or a time ("Sun, Feb 23 2019 at 9:14 PM").
fn only_date_words(text: &str) -> bool {
    const WEEKDAYS: [&str; 7] =
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).all(|word| {
        let word = word.to_lowercase();
        month_number(&word).is_some()
            || matches!(word.as_str(), "am" | "pm" | "at" | "st" | "nd" | "rd" | "th" | "of")
            || WEEKDAYS.iter().any(|day| *day == word || (word.len() == 3 && day.starts_with(&word)))
    })
}

/// Whether `word` stands in `text` as a word of its own.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether the element's class or id names it the current date or time.
fn is_clock(dom: &Dom, i: usize) -> bool {
    [dom.attr(i, "class"), dom.attr(i, "id")].into_iter().flatten().any(patterns::is_clock_hint)
}

/// Whether `text` holds a year of this century or the last: the cheap test before the date pattern.
fn has_year(text: &str) -> bool {
    text.as_bytes()
        .windows(4)
        .any(|w| matches!(&w[..2], b"19" | b"20") && w[2].is_ascii_digit() && w[3].is_ascii_digit())
}

/// Whether an element of this tag makes a line of its own (a paragraph, a list, a box), so
/// that a text around it is more than a dateline; images, icons, custom elements and inline
/// markup do not.
fn holds_lines(tag: &str) -> bool {
    crate::content::is_block_tag(tag) && tag != "img"
}

/// The first date in `text`, written out in English ("July 9, 2025", "9 July 2025", "Jul 9
/// 2025", and year first as journals cite, "2023 Jan 7") or in numbers that read one way (see
/// [`numeric_date`]), with the byte offset where it starts.
pub fn written_date(text: &str) -> Option<(usize, DateTime<FixedOffset>)> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        let month = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
        regex::Regex::new(&format!(
            r"(?i)\b(?:{month}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})|(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{month},?\s+((?:19|20)\d{{2}})|((?:19|20)\d{{2}})\s+{month}\s+(\d{{1,2}}))\b"
        ))
        .unwrap_or_else(|e| panic!("date pattern: {e}"))
    });
    let numeric = numeric_date(text);
    let Some(captures) = DATE.captures(text) else { return numeric };
    if numeric.is_some_and(|(at, _)| at < captures.get(0).map_or(0, |m| m.start())) {
        return numeric;
    }
    let number = |i: usize| captures.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (month, day, year) = if let Some(month) = captures.get(1) {
        (month.as_str(), number(2)?, number(3)?)
    } else if let Some(month) = captures.get(5) {
        (month.as_str(), number(4)?, number(6)?)
    } else {
        (captures.get(8)?.as_str(), number(9)?, number(7)?)
    };
    let month = month_number(month)?;
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let utc = FixedOffset::east_opt(0)?;
    Some((captures.get(0)?.start(), date.and_hms_opt(0, 0, 0)?.and_utc().with_timezone(&utc)))
}

/// The first date written in numbers in `text` that cannot be read two ways: ISO order
/// ("2025-09-13", also "2025-09-13 10:59" and "2025-09-13T08:10+02:00"), day.month.year with
/// dots ("23.07.2025"), year.month.day with dots or slashes ("2025.12.17"), and a slashed
/// date only when one of its numbers cannot be a month ("15/12/2025", "2/24/2026"): in
/// "03/04/2025", which is the month depends on the country.
fn numeric_date(text: &str) -> Option<(usize, DateTime<FixedOffset>)> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\b(?:((?:19|20)\d{2})-(\d{2})-(\d{2})(?:T|\b)|(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b|(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\b|((?:19|20)\d{2})([./])(\d{1,2})([./])(\d{1,2})\b)",
        )
        .unwrap_or_else(|e| panic!("numeric date pattern: {e}"))
    });
    DATE.captures_iter(text).find_map(|captures| {
        let number = |i: usize| captures.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (year, month, day) = if captures.get(1).is_some() {
            (number(1)?, number(2)?, number(3)?)
        } else if captures.get(6).is_some() {
            (number(6)?, number(5)?, number(4)?)
        } else if captures.get(10).is_some() {
            // Year first, its parts split alike ("2025.12.17", "2025/12/17").
            if captures.get(11)?.as_str() != captures.get(13)?.as_str() {
                return None;
            }
            (number(10)?, number(12)?, number(14)?)
        } else {
            let (first, second) = (number(7)?, number(8)?);
            match (first > 12, second > 12) {
                (true, false) => (number(9)?, second, first),
                (false, true) => (number(9)?, first, second),
                _ if first == second => (number(9)?, first, second),
                _ => return None,
            }
        };
        let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
        let utc = FixedOffset::east_opt(0)?;
        Some((captures.get(0)?.start(), date.and_hms_opt(0, 0, 0)?.and_utc().with_timezone(&utc)))
    })
}

/// Breadcrumb trail texts from the page: an element whose class, id or label says breadcrumb.
fn dom_breadcrumbs(dom: &Dom) -> Vec<String> {
    for i in 0..dom.nodes.len() {
        let Some(element) = dom.element(i) else { continue };
        let hint = [element.attr("class"), element.attr("id"), element.attr("aria-label")]
            .into_iter()
            .flatten()
            .any(|v| v.to_ascii_lowercase().contains("breadcrumb"));
        if !hint {
            continue;
        }
        let mut names: Vec<String> =
            (i..dom.nodes[i].end).filter(|&j| dom.tag(j) == "a").map(|j| dom.text(j)).collect();
        if names.first().is_some_and(|n| is_home(n)) {
            names.remove(0);
        }
        names.retain(|n| !n.is_empty());
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// The byline element in the page: a short element whose class or id says byline or author,
/// or a small one whose whole text is a byline ("By Maria Okafor and Li Wei").
pub fn is_byline_element(dom: &Dom, i: usize) -> bool {
    let Some(element) = dom.element(i) else { return false };
    let small = dom.nodes[i].end - i <= 12;
    // A byline starts "By", "Written by", "Words by" or "Reporting by".
    let opens_byline = || {
        let first = (i..dom.nodes[i].end).find_map(|j| dom.text_of(j)?.chars().find(|c| !c.is_whitespace()));
        first.is_some_and(|c| matches!(c, 'b' | 'B' | 'w' | 'W' | 'r' | 'R'))
    };
    if small
        && matches!(&*element.name, "p" | "div" | "span")
        && opens_byline()
        && is_byline_text(&dom.text(i))
    {
        return true;
    }
    let (class, id) = (element.attr("class"), element.attr("id"));
    let hinted = || {
        (class.is_some() || id.is_some())
            && is_byline_hint(&format!("{} {}", class.unwrap_or(""), id.unwrap_or("")))
    };
    let rel = element.attr("rel") == Some("author");
    let itemprop = element.attr("itemprop").is_some_and(|p| p.contains("author"));
    (rel || itemprop || hinted()) && {
        let text = dom.text(i);
        !text.is_empty() && text.chars().count() < 100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let check = |text: &str, expected: &str| {
            let parsed = parse_date(text).map(|d| d.to_rfc3339());
            assert_eq!(parsed.as_deref(), Some(expected), "{text}");
        };
        check("2023-01-21T10:30:00+08:00", "2023-01-21T10:30:00+08:00");
        check("2023-01-21T10:30:00.123Z", "2023-01-21T10:30:00.123+00:00");
        check("2023-01-21T10:30:00+0800", "2023-01-21T10:30:00+08:00");
        check("2023-01-21 10:30:00", "2023-01-21T10:30:00+00:00");
        check("2023-01-21", "2023-01-21T00:00:00+00:00");
        check("Sat, 21 Jan 2023 10:30:00 GMT", "2023-01-21T10:30:00+00:00");
        assert_eq!(parse_date("yesterday"), None);
        let written = |text: &str| written_date(text).map(|(at, d)| (at, d.format("%Y-%m-%d").to_string()));
        assert_eq!(written("Updated on July 9, 2025"), Some((11, "2025-07-09".into())));
        assert_eq!(written("Jun 08, 2023 • 11 min read"), Some((0, "2023-06-08".into())));
        assert_eq!(written("Published 3rd March 2024"), Some((10, "2024-03-03".into())));
        assert_eq!(written("Sept. 30 2025"), Some((0, "2025-09-30".into())));
        assert_eq!(written("Cureus. 2023 Jan 7;15(1):e33475"), Some((8, "2023-01-07".into())));
        assert_eq!(written("2024 June 30"), Some((0, "2024-06-30".into())));
        assert_eq!(written("the 2024 May 35 issue"), None);
        assert_eq!(written("February 30, 2024"), None);
        assert_eq!(written("Maybe 12, 2024"), None);
        assert_eq!(written("Posted 2024-08-03 10:59:47"), Some((7, "2024-08-03".into())));
        assert_eq!(written("1.2.2025, updated March 3, 2025"), Some((0, "2025-02-01".into())));
        assert_eq!(written("March 3, 2025 (rev. 2025-04-01)"), Some((0, "2025-03-03".into())));
        assert_eq!(written("2025-13-01 or 32.01.2025"), None);
        assert_eq!(written("version 1.2.2025a"), None);
        assert_eq!(written("Published: 2025.12.17 |"), Some((11, "2025-12-17".into())));
        assert_eq!(written("2025/12/07"), Some((0, "2025-12-07".into())));
        assert_eq!(written("2025.12/07 or 2025.13.01"), None);
    }

    #[test]
    fn bylines() {
        let mut authors = Vec::new();
        push_author(&mut authors, "By Maria Okafor and Li Wei", None);
        push_author(&mut authors, "Maria Okafor", None);
        let names: Vec<&str> = authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Maria Okafor", "Li Wei"]);
        assert_eq!(clean_byline("By Jane Doe | Transport reporter"), "Jane Doe");
        for byline in [
            "By Maria Okafor",
            "By Maria Okafor and Li Wei",
            "by Ana de la Cruz",
            "Written by Kofi Mensah, Harbour Times",
            "WORDS BY Ines Duarte",
            "  Reporting by Tom Reyes ",
        ] {
            assert!(is_byline_text(byline), "{byline}");
        }
        for text in
            ["By the end of the year, fares will rise.", "By 2029", "Maria Okafor", "By car or by train"]
        {
            assert!(!is_byline_text(text), "{text}");
        }
    }
}
