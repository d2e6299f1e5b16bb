//! Extraction: a web page (bytes) or text copied from one, turned into an [`Article`].
//!
//! Pure and synchronous: no IO, no clock, no randomness. Extraction never fails on bad
//! input; it returns the best article it can find together with [`Warning`]s.
//!
//! ```
//! let page = b"<html><head><title>Trams</title></head><body><article><h1>Trams return</h1>\
//!     <p>The city council approved the long-delayed tram extension on Tuesday, ending a fight \
//!     that began in 2015 and dominated two elections.</p></article></body></html>";
//! let extraction = lector_extract::extract_html(page, &lector_extract::Options::default());
//! assert_eq!(extraction.article.headline, "Trams return");
//! assert_eq!(extraction.article.body.len(), 1);
//! ```

mod blocks;
mod charset;
mod content;
mod credit;
mod dom;
mod markdown;
mod metadata;
mod page;
mod page_type;
mod patterns;
mod sink;
mod text;

use lector_article::Article;
use url::Url;

pub use charset::{CharsetSource, Decoded, charset_parameter, decode_html};
pub use credit::split_caption_credit;
pub use dom::MAX_NESTING;
pub use markdown::{extract_markdown, looks_like_markdown};
pub use metadata::MAX_TOPICS;
pub use text::extract_text;

/// Pages larger than this are cut (at a character boundary) before parsing, with a warning.
pub const MAX_HTML_BYTES: usize = 64 * 1024 * 1024;
/// Plain text or Markdown larger than this is cut, with a warning.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// Where the input came from, for resolving links and choosing the charset.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The page's URL: relative links and images are resolved against it.
    pub base_url: Option<Url>,
    /// The HTTP `Content-Type` header, when the page was fetched (its charset is used).
    pub content_type: Option<String>,
}

/// An article and what went less than perfectly while extracting it.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub article: Article,
    pub warnings: Vec<Warning>,
}

/// Something the caller may want to know; never a reason to fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Some bytes were not valid in the page's encoding and were replaced.
    InvalidBytes { encoding: &'static str },
    /// The page nested elements deeper than [`MAX_NESTING`]; the excess was flattened.
    NestingFlattened,
    /// The input was larger than the limit and was cut.
    Truncated { limit: usize },
    /// No article text was found.
    NoContent,
    /// The input looks like binary data rather than text.
    Binary,
    /// Text encoded as UTF-8 twice ("â€”" for "—") was found and read back.
    EncodedTwice,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::InvalidBytes { encoding } => {
                write!(f, "some bytes were not valid {encoding} and were replaced")
            }
            Warning::NestingFlattened => {
                write!(f, "elements nested deeper than {MAX_NESTING} levels were flattened")
            }
            Warning::Truncated { limit } => write!(f, "input larger than {limit} bytes was cut"),
            Warning::NoContent => write!(f, "no article text was found"),
            Warning::Binary => write!(f, "the input looks like binary data"),
            Warning::EncodedTwice => write!(f, "text encoded twice (\"â€”\" for \"—\") was read back"),
        }
    }
}

/// Extracts an article from the bytes of an HTML page.
pub fn extract_html(bytes: &[u8], options: &Options) -> Extraction {
    let mut warnings = Vec::new();
    if looks_binary(bytes) {
        warnings.push(Warning::Binary);
    }
    let decoded = decode_html(bytes, options.content_type.as_deref());
    if decoded.had_errors {
        warnings.push(Warning::InvalidBytes { encoding: decoded.encoding.name() });
    }
    if decoded.repaired {
        warnings.push(Warning::EncodedTwice);
    }
    let mut extraction = extract_document(&decoded.text, options.base_url.as_ref());
    warnings.append(&mut extraction.warnings);
    extraction.warnings = warnings;
    extraction
}

/// Extracts an article from an HTML document already decoded to text.
pub fn extract_document(html: &str, base_url: Option<&Url>) -> Extraction {
    let mut warnings = Vec::new();
    let html = truncate(html, MAX_HTML_BYTES, &mut warnings);
    let mut article = page::extract_page(html, base_url, &mut warnings);
    article.source_url = base_url.map(|u| u.to_string());
    if article.body.is_empty() {
        warnings.push(Warning::NoContent);
    }
    Extraction { article, warnings }
}

/// The text cut to at most `limit` bytes at a character boundary, with a warning when cut.
fn truncate<'t>(text: &'t str, limit: usize, warnings: &mut Vec<Warning>) -> &'t str {
    if text.len() <= limit {
        return text;
    }
    warnings.push(Warning::Truncated { limit });
    let mut cut = limit;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// NUL bytes or a high share of control characters in the first kilobytes.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.is_empty() {
        return false;
    }
    // UTF-16 pages have NULs but start with a BOM.
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let control = head.iter().filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b)).count();
    head.contains(&0) || control * 10 > head.len()
}
