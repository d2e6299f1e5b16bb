//! Markdown (CommonMark with tables and front matter) turned into an article.
//!
//! Markdown says what each line is, so nothing is guessed: the first level-1 heading before
//! the body (or the only one, before any other heading) is the headline, other headings are the body's headings, and paragraphs, lists,
//! quotes, code blocks, tables and images become the same blocks. Around the headline the
//! shapes `lector extract --format markdown` writes are read back: a topics line ("A › B")
//! above it, then summary bullets, a "By …" line, a "Published <date>" line and the lead
//! image with its italic caption; in the body, video cards ("▶ Title (02:15)"). Raw HTML is left out, as are links and images to
//! anything but web addresses.

use lector_article::{Article, Block, Image, Inline, Table, Topic, Video, inline_text};
use pulldown_cmark::{Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use crate::blocks::push_text;
use crate::metadata::{MAX_TOPICS, clean, parse_date, push_author};
use crate::patterns::parse_duration_badge;
use crate::{Extraction, Warning};

/// At most this many summary bullets (as in plain text).
const MAX_BULLETS: usize = 5;
/// A "By …" line longer than this is a sentence, not a byline.
const MAX_BYLINE_WORDS: usize = 12;

/// Extracts an article from Markdown. Never fails; empty text gives an empty article.
pub fn extract_markdown(text: &str) -> Extraction {
    let mut warnings = Vec::new();
    let text = crate::truncate(text, crate::MAX_TEXT_BYTES, &mut warnings);
    let article = read(text);
    if article.body.is_empty() {
        warnings.push(Warning::NoContent);
    }
    Extraction { article, warnings }
}

/// Whether pasted text is written in Markdown: an ATX heading ("## Results"), a fenced code
/// block, or at least two links or strong spans in Markdown syntax. Text copied from a page
/// has none of these.
pub fn looks_like_markdown(text: &str) -> bool {
    let (mut fences, mut spans) = (0, 0);
    for line in text.lines().take(5_000) {
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() <= 3 {
            let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
            let rest = &trimmed[hashes..];
            if (1..=6).contains(&hashes) && rest.starts_with([' ', '\t']) && !rest.trim().is_empty() {
                return true;
            }
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fences += 1;
            }
        }
        spans += line.matches("](").count() + line.matches("**").count() / 2;
    }
    fences >= 2 || spans >= 2
}

/// What an open inline frame collects.
#[derive(Debug)]
enum Frame {
    /// A paragraph, heading or table cell.
    Block(Vec<Inline>),
    /// A list item.
    Item(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Link(Option<String>, Vec<Inline>),
    Image(Option<String>, String, Vec<Inline>),
}

impl Frame {
    fn content(&mut self) -> &mut Vec<Inline> {
        match self {
            Frame::Block(c) | Frame::Item(c) | Frame::Emphasis(c) | Frame::Strong(c) => c,
            Frame::Link(_, c) | Frame::Image(_, _, c) => c,
        }
    }
}

#[derive(Debug, Default)]
struct Builder {
    article: Article,
    frames: Vec<Frame>,
    /// Whether the body has begun: what comes after is no longer headline, byline or bullets.
    body_started: bool,
    list_depth: usize,
    list_ordered: bool,
    items: Vec<Vec<Inline>>,
    quote_depth: usize,
    quote: Vec<Vec<Inline>>,
    code: Option<String>,
    table: Option<Table>,
    row: Vec<Vec<Inline>>,
    images: Vec<Image>,
    metadata: Option<String>,
    /// Whether the last block placed was an image, whose caption may follow in italics.
    after_image: bool,
    /// Whether the text has one level-1 heading: the headline, also after a first paragraph.
    single_title: bool,
}

fn read(text: &str) -> Article {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_TASKLISTS;
    let level_one = Parser::new_ext(text, options)
        .filter(|event| matches!(event, Event::Start(Tag::Heading { level: HeadingLevel::H1, .. })))
        .count();
    let mut builder = Builder { single_title: level_one == 1, ..Builder::default() };
    for event in Parser::new_ext(text, options) {
        builder.event(event);
    }
    builder.finish()
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                if let Some(code) = &mut self.code {
                    code.push_str(&text);
                } else if let Some(metadata) = &mut self.metadata {
                    metadata.push_str(&text);
                } else {
                    push_text(self.content(), &text);
                }
            }
            Event::Code(code) => self.content().push(Inline::Code(code.to_string())),
            Event::SoftBreak => push_text(self.content(), " "),
            Event::HardBreak => self.content().push(Inline::LineBreak),
            // Raw HTML is not read: Markdown's own syntax says all an article needs.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::Rule | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    /// The innermost open inline content; text outside any block (after a nested list in a
    /// list item) opens one.
    fn content(&mut self) -> &mut Vec<Inline> {
        if self.frames.is_empty() {
            let frame = if self.list_depth > 0 { Frame::Item(Vec::new()) } else { Frame::Block(Vec::new()) };
            self.frames.push(frame);
        }
        let last = self.frames.len() - 1;
        self.frames[last].content()
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell => {
                self.frames.push(Frame::Block(Vec::new()))
            }
            Tag::Item => {
                // A nested list's items join the outer list, after what its item said so far.
                if let Some(Frame::Item(_)) = self.frames.last() {
                    self.close_item();
                }
                self.frames.push(Frame::Item(Vec::new()));
            }
            Tag::List(first) => {
                self.list_depth += 1;
                if self.list_depth == 1 {
                    self.list_ordered = first.is_some();
                    self.items.clear();
                }
            }
            Tag::BlockQuote(_) => {
                self.quote_depth += 1;
                if self.quote_depth == 1 {
                    self.quote.clear();
                }
            }
            Tag::CodeBlock(_) => self.code = Some(String::new()),
            Tag::Table(_) => self.table = Some(Table::default()),
            Tag::TableHead | Tag::TableRow => self.row.clear(),
            Tag::Emphasis => self.frames.push(Frame::Emphasis(Vec::new())),
            Tag::Strong => self.frames.push(Frame::Strong(Vec::new())),
            Tag::Link { dest_url, .. } => self.frames.push(Frame::Link(web_address(&dest_url), Vec::new())),
            Tag::Image { dest_url, title, .. } => {
                self.frames.push(Frame::Image(web_address(&dest_url), title.to_string(), Vec::new()));
            }
            Tag::MetadataBlock(MetadataBlockKind::YamlStyle) => self.metadata = Some(String::new()),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                let content = self.pop_block();
                if let Some(Frame::Item(item)) = self.frames.last_mut() {
                    // A loose list's item holds paragraphs: one item, its paragraphs joined.
                    if !item.is_empty() && !content.is_empty() {
                        item.push(Inline::Text(" ".into()));
                    }
                    item.extend(content);
                } else if matches!(content.as_slice(), [Inline::Emphasis(_)]) {
                    // An image with its italic caption on the next line: one paragraph.
                    self.place_images();
                    self.paragraph(content);
                } else {
                    self.paragraph(content);
                }
                self.place_images();
            }
            TagEnd::Heading(level) => {
                let content = self.pop_block();
                self.heading(level, content);
                self.place_images();
            }
            TagEnd::Item => {
                if let Some(Frame::Item(_)) = self.frames.last() {
                    self.close_item();
                }
                self.place_images();
            }
            TagEnd::List(_) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth == 0 {
                    if let Some(Frame::Item(_)) = self.frames.last() {
                        self.close_item();
                    }
                    let items = std::mem::take(&mut self.items);
                    self.list(items);
                }
            }
            TagEnd::BlockQuote(_) => {
                self.quote_depth = self.quote_depth.saturating_sub(1);
                if self.quote_depth == 0 {
                    self.close_quote();
                }
            }
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    let text = code.trim_end_matches('\n').to_string();
                    if !text.trim().is_empty() {
                        self.push_block(Block::Preformatted { text });
                    }
                }
            }
            TagEnd::TableCell => {
                let cell = self.pop_block();
                self.row.push(cell);
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.header = std::mem::take(&mut self.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(std::mem::take(&mut self.row));
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take()
                    && table.all_rows().any(|row| !row.is_empty())
                {
                    self.push_block(Block::Table(table));
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link | TagEnd::Image => self.close_inline(),
            TagEnd::MetadataBlock(_) => {
                if let Some(metadata) = self.metadata.take() {
                    self.front_matter(&metadata);
                }
            }
            _ => {}
        }
    }

    /// Closes an inline frame into the one around it (an image becomes a block of its own).
    fn close_inline(&mut self) {
        let Some(frame) = self.frames.pop() else { return };
        let inline = match frame {
            Frame::Emphasis(content) if !content.is_empty() => Inline::Emphasis(content),
            Frame::Strong(content) if !content.is_empty() => Inline::Strong(content),
            Frame::Link(Some(href), content) if !content.is_empty() => Inline::Link { href, content },
            Frame::Image(url, title, alt) => {
                if let Some(url) = url {
                    let alt = clean(&inline_text(&alt));
                    let title = clean(&title);
                    self.images.push(Image {
                        url,
                        alt: (!alt.is_empty()).then_some(alt),
                        caption: (!title.is_empty()).then_some(title),
                        ..Image::default()
                    });
                }
                return;
            }
            // A link to no web address keeps its words; an empty span says nothing.
            Frame::Link(None, content) => {
                for inline in content {
                    push_inline(self.content(), inline);
                }
                return;
            }
            other => {
                // A frame that is not inline (an unclosed block) is put back.
                if matches!(other, Frame::Block(_) | Frame::Item(_)) {
                    self.frames.push(other);
                }
                return;
            }
        };
        push_inline(self.content(), inline);
    }

    /// The content of the innermost block frame, closing any inline frame left open.
    fn pop_block(&mut self) -> Vec<Inline> {
        while matches!(
            self.frames.last(),
            Some(Frame::Emphasis(_) | Frame::Strong(_) | Frame::Link(..) | Frame::Image(..))
        ) {
            self.close_inline();
        }
        match self.frames.pop() {
            Some(Frame::Block(content)) => trim(content),
            Some(other) => {
                self.frames.push(other);
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    fn close_item(&mut self) {
        if let Some(Frame::Item(content)) = self.frames.pop() {
            let content = trim(content);
            if !content.is_empty() {
                self.items.push(content);
            }
        }
    }

    fn close_quote(&mut self) {
        let mut paragraphs = std::mem::take(&mut self.quote);
        let attribution = paragraphs.last().and_then(|last| {
            let text = inline_text(last);
            let who = text.trim().strip_prefix(['—', '―']).or_else(|| text.trim().strip_prefix("--"))?;
            let who = clean(who);
            (!who.is_empty()).then_some(who)
        });
        if attribution.is_some() {
            paragraphs.pop();
        }
        if !paragraphs.is_empty() {
            self.push_block(Block::Quote { paragraphs, attribution });
        }
    }

    fn paragraph(&mut self, content: Vec<Inline>) {
        if content.is_empty() {
            return;
        }
        if self.quote_depth > 0 {
            self.quote.push(content);
            return;
        }
        let text = clean(&inline_text(&content));
        // An italic line under an image is its caption.
        if self.after_image && matches!(content.as_slice(), [Inline::Emphasis(_)]) {
            let image = match (self.article.body.last_mut(), &mut self.article.lead_image) {
                (Some(Block::Image(image)), _) => Some(image),
                (None, Some(image)) => Some(image),
                _ => None,
            };
            if let Some(image) = image.filter(|image| image.caption.is_none()) {
                image.caption = Some(text);
                self.after_image = false;
                return;
            }
        }
        // A video card as lector writes it: "▶ Title (02:15)", linked to the video.
        if let Some(card) = text.strip_prefix('▶') {
            let (title, duration) = match card.trim().rsplit_once(" (") {
                Some((title, badge)) => match badge.strip_suffix(')').and_then(parse_duration_badge) {
                    Some(seconds) => (title, Some(seconds)),
                    None => (card.trim(), None),
                },
                None => (card.trim(), None),
            };
            let url = match content.as_slice() {
                [Inline::Link { href, .. }] => Some(href.clone()),
                _ => None,
            };
            if !title.is_empty() {
                let video =
                    Video { title: title.to_string(), duration_seconds: duration, url, ..Video::default() };
                self.push_block(Block::Video(video));
                return;
            }
        }
        if !self.body_started {
            if self.article.headline.is_empty() {
                // Above the headline: the topics line ("City life › Transport").
                if text.contains(" › ") && self.article.topics.is_empty() {
                    self.article.topics = text
                        .split(" › ")
                        .map(Topic::new)
                        .filter(|t| !t.slug.is_empty())
                        .take(MAX_TOPICS)
                        .collect();
                    return;
                }
            } else if let Some(byline) =
                text.strip_prefix("By ").filter(|b| b.split_whitespace().count() <= MAX_BYLINE_WORDS)
            {
                if self.article.authors.is_empty() && !byline.ends_with('.') {
                    push_author(&mut self.article.authors, byline, None);
                    return;
                }
            } else if let Some(date) = text.strip_prefix("Published ").and_then(parse_date) {
                self.article.published = self.article.published.or(Some(date));
                return;
            }
        }
        self.push_block(Block::Paragraph { content });
    }

    fn heading(&mut self, level: HeadingLevel, content: Vec<Inline>) {
        if content.is_empty() {
            return;
        }
        if self.quote_depth > 0 {
            self.quote.push(content);
            return;
        }
        let sections = self.article.body.iter().any(|b| matches!(b, Block::Heading { .. }));
        let title_here = !self.body_started || (self.single_title && !sections);
        if level == HeadingLevel::H1 && title_here && self.article.headline.is_empty() {
            self.article.headline = clean(&inline_text(&content));
            return;
        }
        let level = match level {
            HeadingLevel::H1 | HeadingLevel::H2 => 2,
            HeadingLevel::H3 => 3,
            _ => 4,
        };
        self.push_block(Block::Heading { level, content });
    }

    fn list(&mut self, items: Vec<Vec<Inline>>) {
        if items.is_empty() {
            return;
        }
        if self.quote_depth > 0 {
            self.quote.extend(items);
            return;
        }
        // Bullets right under the headline are its summary.
        let summary = !self.body_started
            && !self.article.headline.is_empty()
            && self.article.summary.is_empty()
            && !self.list_ordered
            && items.len() <= MAX_BULLETS;
        if summary {
            self.article.summary = items.iter().map(|item| clean(&inline_text(item))).collect();
            return;
        }
        self.push_block(Block::List { ordered: self.list_ordered, items });
    }

    /// Images read in the block just closed: the lead image when the body has not begun.
    fn place_images(&mut self) {
        for image in std::mem::take(&mut self.images) {
            if !self.body_started && !self.article.headline.is_empty() && self.article.lead_image.is_none() {
                self.article.lead_image = Some(image);
            } else {
                self.push_block(Block::Image(image));
            }
            self.after_image = true;
        }
    }

    fn push_block(&mut self, block: Block) {
        self.body_started = true;
        self.after_image = false;
        self.article.body.push(block);
    }

    /// The `title`, `author` and `date` of a YAML front matter block.
    fn front_matter(&mut self, yaml: &str) {
        for line in yaml.lines() {
            let Some((key, value)) = line.split_once(':') else { continue };
            let value = clean(value.trim().trim_matches(['"', '\'']));
            if value.is_empty() {
                continue;
            }
            match key.trim() {
                "title" if self.article.headline.is_empty() => self.article.headline = value,
                "author" if self.article.authors.is_empty() => {
                    push_author(&mut self.article.authors, &value, None)
                }
                "date" => self.article.published = self.article.published.or_else(|| parse_date(&value)),
                _ => {}
            }
        }
    }

    fn finish(mut self) -> Article {
        // Anything left open by a malformed end is still the reader's text.
        while !self.frames.is_empty() {
            let content = self.pop_block_any();
            self.paragraph(content);
        }
        self.place_images();
        self.article
    }

    fn pop_block_any(&mut self) -> Vec<Inline> {
        match self.frames.pop() {
            Some(mut frame) => trim(std::mem::take(frame.content())),
            None => Vec::new(),
        }
    }
}

/// A link or image address a reader can follow: a web or mail address, or a relative one.
fn web_address(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme = url.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
    let allowed = match scheme.as_deref() {
        Some("http" | "https" | "mailto") => true,
        // "page.html?at=10:30" has a colon but no scheme.
        Some(scheme) => !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)),
        None => true,
    };
    (allowed && !url.is_empty()).then(|| url.to_string())
}

fn push_inline(content: &mut Vec<Inline>, inline: Inline) {
    match inline {
        Inline::Text(text) => push_text(content, &text),
        other => content.push(other),
    }
}

/// Inline content without the spaces at its two ends.
fn trim(mut content: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text(first)) = content.first_mut() {
        *first = first.trim_start().to_string();
    }
    if let Some(Inline::Text(last)) = content.last_mut() {
        *last = last.trim_end().to_string();
    }
    content.retain(|inline| !matches!(inline, Inline::Text(text) if text.is_empty()));
    content
}
