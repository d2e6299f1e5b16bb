//! Turning the chosen part of the page into article blocks with inline markup.

use std::collections::HashSet;

use lector_article::{Block, Image, Inline, Table, Video, inline_text};
use url::Url;

use crate::content::{Analysis, is_panel_title};
use crate::credit::{is_labelled_caption, looks_like_credit, split_caption_credit};
use crate::dom::{Data, Dom, is_inline_tag};
use crate::metadata::{clean, resolve, written_date};
use crate::patterns::{
    is_caption_hint, is_furniture_text, is_mobile_signature, is_video_hint, parse_duration_badge,
    quote_citation,
};

/// A caption element with more text than this is treated as ordinary content.
const MAX_CAPTION_ELEMENT_CHARS: usize = 400;
/// Recursion stops here; deeper content is read as plain text.
const MAX_DEPTH: usize = 128;
/// Images smaller than this in either declared dimension are icons or tracking pixels.
const MIN_IMAGE_SIDE: u32 = 50;

/// Hosts whose iframes are video players.
const VIDEO_HOSTS: &[&str] = &[
    "youtube.com",
    "youtube-nocookie.com",
    "youtu.be",
    "vimeo.com",
    "dailymotion.com",
    "player.twitch.tv",
    "jwplayer.com",
    "jwplatform.com",
    "brightcove.net",
    "players.brightcove.net",
    "facebook.com/plugins/video",
    "bilibili.com",
    "v.qq.com",
    "rumble.com",
    "ted.com",
];

pub struct BlockBuilder<'a, 'b> {
    analysis: &'b Analysis<'a>,
    base: Option<&'b Url>,
    /// The article's headline: headings repeating it are dropped.
    headline: &'b str,
    blocks: Vec<Block>,
    /// Inline content of the paragraph being collected from loose text.
    run: Vec<Inline>,
    /// Images met inside inline content, emitted after the paragraph that held them.
    pending: Vec<Block>,
    /// The thread's post whose poster was said last (see [`Self::poster_line`]).
    post: Option<usize>,
    /// The node being added: what is outside it is not read.
    root: usize,
}

impl<'a, 'b> BlockBuilder<'a, 'b> {
    pub fn new(analysis: &'b Analysis<'a>, base: Option<&'b Url>, headline: &'b str) -> Self {
        BlockBuilder {
            analysis,
            base,
            headline,
            blocks: Vec::new(),
            run: Vec::new(),
            pending: Vec::new(),
            post: None,
            root: 0,
        }
    }

    pub fn finish(mut self) -> Vec<Block> {
        self.flush();
        drop_excerpts(&mut self.blocks, self.analysis.flags.cards);
        self.blocks
    }

    /// Adds node `i` (and everything in it) to the article.
    pub fn add(&mut self, i: usize) {
        self.root = i;
        // A part read from inside a post (the opening post wrapping the whole thread, or each
        // post's body, joined as siblings): that post's poster opens it.
        let dom = self.analysis.dom;
        if self.analysis.flags.thread
            && let Some(post) = dom.ancestors(i).find(|&a| is_post(dom, a))
        {
            self.open_post(post);
        }
        self.block(i, 0);
    }

    fn skip(&self, i: usize) -> bool {
        self.analysis.removed[i]
            || self.analysis.is_cleaned_out(i)
            || is_button_link(self.analysis.dom, i) && !is_panel_title(self.analysis.dom, i)
    }

    fn flush(&mut self) {
        let run = std::mem::take(&mut self.run);
        self.push_paragraph(run);
        let pending = std::mem::take(&mut self.pending);
        self.blocks.extend(pending);
    }

    fn push_paragraph(&mut self, content: Vec<Inline>) {
        let mut content = normalize(content);
        drop_phone_app_line(&mut content);
        drop_said_twice(&mut content);
        let text = inline_text(&content);
        if text.trim().is_empty() || is_furniture_text(&text) || looks_like_credit(text.trim()) {
            return;
        }
        if is_labelled_caption(&text) {
            self.caption_outside_figure(&text);
            return;
        }
        self.blocks.push(Block::Paragraph { content });
    }

    /// A caption written outside a `<figure>` belongs to the image just before it; without
    /// one it is dropped, since captions are never body text.
    fn caption_outside_figure(&mut self, text: &str) {
        let target = self.pending.last_mut().or(self.blocks.last_mut());
        if let Some(Block::Image(image)) = target
            && image.caption.is_none()
            && image.credit.is_none()
        {
            let (caption, credit) = split_caption_credit(text);
            image.caption = caption;
            image.credit = credit;
        }
    }

    fn block(&mut self, i: usize, depth: usize) {
        let dom = self.analysis.dom;
        if self.analysis.removed[i] {
            return;
        }
        // A video card is small and often empty (a player filled in by script), so it is
        // recognised before the rules that drop small containers.
        if !is_inline_tag(dom.tag(i))
            && let Some(video) = self.video_card(i)
        {
            self.flush();
            self.blocks.push(Block::Video(video));
            return;
        }
        if self.analysis.is_cleaned_out(i) {
            return;
        }
        if self.analysis.stats[i].text <= MAX_CAPTION_ELEMENT_CHARS && is_caption_element(dom, i) {
            self.flush();
            self.caption_outside_figure(&dom.text(i));
            return;
        }
        match &dom.nodes[i].data {
            Data::Text(text) => {
                push_text(&mut self.run, text);
                return;
            }
            Data::Document => {
                for child in dom.children(i) {
                    self.block(child, depth + 1);
                }
                return;
            }
            Data::Element(_) => {}
        }
        if depth > MAX_DEPTH {
            self.flush();
            let text = dom.text(i);
            self.push_paragraph(vec![Inline::Text(text)]);
            return;
        }
        if self.analysis.flags.thread && is_post(dom, i) {
            self.open_post(i);
        }
        let tag = dom.tag(i);
        match tag {
            "p" => {
                self.flush();
                let mut content = Vec::new();
                self.inlines(i, &mut content, depth);
                self.push_paragraph(content);
                self.flush();
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let mut content = Vec::new();
                self.inlines(i, &mut content, depth);
                let content = normalize(content);
                let text = inline_text(&content);
                if !text.is_empty() && !is_furniture_text(&text) && !same_text(&text, self.headline) {
                    let level = match tag {
                        "h1" | "h2" => 2,
                        "h3" => 3,
                        _ => 4,
                    };
                    self.blocks.push(Block::Heading { level, content });
                }
                self.flush();
            }
            "ul" | "ol" if self.analysis.flags.thread && depth < MAX_DEPTH && self.holds_posts(i) => {
                // A thread's posts as the items of a list: each post's paragraphs, quotes and
                // lists are read as blocks, not run together into one item.
                self.flush();
                for item in dom.children(i) {
                    if !self.skip(item) {
                        self.block(item, depth + 1);
                        self.flush();
                    }
                }
            }
            "ul" | "ol" => {
                self.flush();
                let mut items = Vec::new();
                self.list_items(i, &mut items, depth);
                if !items.is_empty() {
                    self.blocks.push(Block::List { ordered: tag == "ol", items });
                }
                self.flush();
            }
            "dl" => {
                self.flush();
                self.definitions(i, depth);
                self.flush();
            }
            "blockquote" => {
                self.flush();
                self.quote(i, depth);
            }
            "pre" => {
                self.flush();
                // Its text as written, a `<br>` in it a line's end (code pasted into an editor
                // that breaks its lines so).
                let text: String = (i..dom.nodes[i].end)
                    .filter(|&j| !self.analysis.removed[j])
                    .filter_map(|j| if dom.tag(j) == "br" { Some("\n") } else { dom.text_of(j) })
                    .collect();
                let text = text.trim_matches('\n').to_string();
                if !text.trim().is_empty() {
                    self.blocks.push(Block::Preformatted { text });
                }
            }
            "figure" => {
                self.flush();
                self.figure(i, depth);
            }
            "img" | "picture" | "amp-img" => {
                if let Some(image) = self.image(i) {
                    self.flush();
                    self.blocks.push(Block::Image(image));
                }
            }
            "video" | "iframe" => {
                if let Some(video) = self.video_element(i) {
                    self.flush();
                    self.blocks.push(Block::Video(video));
                }
            }
            "br" => {
                // Two line breaks in a row end a paragraph.
                if matches!(self.run.last(), Some(Inline::LineBreak)) {
                    self.run.pop();
                    self.flush();
                } else if !self.run.is_empty() {
                    self.run.push(Inline::LineBreak);
                }
            }
            "hr" => self.flush(),
            "table" if !self.analysis.is_data_table(i) => self.children_blocks(i, depth),
            "table" => {
                self.flush();
                self.table(i, depth);
            }
            _ if is_inline_tag(tag) && !self.analysis.stats[i].has_block_child => {
                let mut content = Vec::new();
                self.inline_element(i, &mut content, depth);
                self.run.extend(content);
            }
            _ => {
                let stats = self.analysis.stats[i];
                if stats.has_block_child {
                    self.flush();
                    self.children_blocks(i, depth);
                    self.flush();
                } else {
                    // A container of inline content only: a paragraph in disguise.
                    self.flush();
                    let mut content = Vec::new();
                    self.inlines(i, &mut content, depth);
                    self.push_paragraph(content);
                    self.flush();
                }
            }
        }
    }

    /// Opens post `i` with its poster's line, once.
    fn open_post(&mut self, i: usize) {
        if self.post == Some(i) {
            return;
        }
        self.post = Some(i);
        if let Some(line) = self.poster_line(i) {
            self.flush();
            self.blocks.push(Block::Paragraph { content: line });
        }
    }

    /// A thread's post `i`, as microdata marks it (or a `data-author` attribute): who wrote
    /// it and when, as the page shows them ("**Rick** · Jan 11, 2024"), where the post's own
    /// header is not read (a poster's card of name, avatar and figures is cleaned out as a box
    /// of links). Only what is not read already: nothing when both are.
    fn poster_line(&self, i: usize) -> Option<Vec<Inline>> {
        let dom = self.analysis.dom;
        // Read when it is inside the part being added and neither it nor a box around it
        // there is left out.
        let root = self.root;
        let read = |j: usize| {
            (root..dom.nodes[root].end).contains(&j)
                && std::iter::once(j)
                    .chain(dom.ancestors(j).take_while(|&a| a != root && a != i))
                    .all(|a| !self.skip(a))
        };
        let (name, date) = if is_post_item(dom, i) {
            let author = item_property(dom, i, "author")?;
            let name = if dom.attr(author, "itemscope").is_some() {
                item_property(dom, author, "name")?
            } else {
                author
            };
            (name, item_property(dom, i, "datePublished"))
        } else if let Some(poster) = dom.attr(i, "data-author").map(str::trim).filter(|a| !a.is_empty()) {
            // Forum software that names a post's poster in an attribute (XenForo, Reddit):
            // the name is the element that shows it, the date the post's first `<time>`, or
            // its first element that shows only a date ("Aug 2, 2025").
            let shows_poster = |j: usize| {
                is_field(dom, j)
                    && dom.text_within(j, MAX_POSTER_FIELD_CHARS).is_some_and(|t| t.trim() == poster)
            };
            let shows_date = |j: usize| {
                is_field(dom, j)
                    && dom
                        .text_within(j, MAX_POSTER_FIELD_CHARS)
                        .is_some_and(|t| written_date(t.trim()).is_some_and(|(at, _)| at == 0))
            };
            let name = innermost(dom, i, shows_poster)?;
            let date = innermost(dom, i, |j| dom.tag(j) == "time").or_else(|| innermost(dom, i, shows_date));
            (name, date)
        } else {
            return None;
        };
        let name_text = shown_text(dom, name)?;
        let mut line = Vec::new();
        if !read(name) {
            line.push(Inline::Strong(vec![Inline::Text(name_text)]));
        }
        if let Some(date) = date
            && let Some(date_text) = shown_text(dom, date)
            && !read(date)
        {
            if !line.is_empty() {
                line.push(Inline::Text(" · ".to_string()));
            }
            line.push(Inline::Text(date_text));
        }
        (!line.is_empty()).then_some(line)
    }

    /// Whether the list `i` holds posts: two items or more, most of which hold blocks of their
    /// own (paragraphs, quotes) rather than a line of text each. Items without text (spacers
    /// between posts) do not count.
    fn holds_posts(&self, i: usize) -> bool {
        let dom = self.analysis.dom;
        let items: Vec<usize> = dom
            .children(i)
            .filter(|&c| dom.tag(c) == "li" && !self.skip(c) && self.analysis.stats[c].text > 0)
            .collect();
        let posts = items
            .iter()
            .filter(|&&item| {
                (item + 1..dom.nodes[item].end).any(|j| matches!(dom.tag(j), "p" | "blockquote" | "pre"))
            })
            .count();
        items.len() >= 2 && posts * 2 > items.len()
    }

    fn children_blocks(&mut self, i: usize, depth: usize) {
        let dom = self.analysis.dom;
        for child in dom.children(i) {
            self.block(child, depth + 1);
        }
    }

    /// The terms and descriptions of a definition list, each a paragraph; a description that
    /// holds blocks of its own (an API reference's paragraphs, code and notes under each
    /// name) is read block by block. A `<div>` may group a term with its description.
    fn definitions(&mut self, list: usize, depth: usize) {
        let dom = self.analysis.dom;
        for child in dom.children(list) {
            if self.skip(child) {
                continue;
            }
            match dom.tag(child) {
                "div" if depth < MAX_DEPTH => self.definitions(child, depth + 1),
                "dt" | "dd" if depth < MAX_DEPTH && has_block_child(dom, child) => {
                    for part in dom.children(child) {
                        self.block(part, depth + 1);
                    }
                    self.flush();
                }
                "dt" | "dd" => {
                    let mut content = Vec::new();
                    self.inlines(child, &mut content, depth);
                    self.push_paragraph(content);
                }
                _ => {}
            }
        }
    }

    fn list_items(&mut self, list: usize, items: &mut Vec<Vec<Inline>>, depth: usize) {
        let dom = self.analysis.dom;
        for child in dom.children(list) {
            if self.skip(child) {
                continue;
            }
            let tag = dom.tag(child);
            if depth > MAX_DEPTH {
                // Too deep to walk: the text still counts.
                self.push_item(items, vec![Inline::Text(dom.text(child))]);
                continue;
            }
            match tag {
                "ul" | "ol" => self.list_items(child, items, depth + 1),
                "li" => {
                    let mut content = Vec::new();
                    let mut nested = Vec::new();
                    for part in dom.children(child) {
                        if self.skip(part) {
                            continue;
                        }
                        if matches!(dom.tag(part), "ul" | "ol") {
                            nested.push(part);
                        } else if dom.element(part).is_some() {
                            self.inline_element(part, &mut content, depth + 1);
                            if matches!(dom.tag(part), "p" | "div") {
                                content.push(Inline::Text(" ".into()));
                            }
                        } else if let Some(text) = dom.text_of(part) {
                            push_text(&mut content, text);
                        }
                    }
                    self.push_item(items, content);
                    for nested_list in nested {
                        self.list_items(nested_list, items, depth + 1);
                    }
                }
                // Stray content directly in a list (invalid, but seen): an item of its own.
                _ => {
                    let mut content = Vec::new();
                    match dom.text_of(child) {
                        Some(text) => push_text(&mut content, text),
                        None => self.inline_element(child, &mut content, depth + 1),
                    }
                    self.push_item(items, content);
                }
            }
        }
    }

    fn push_item(&self, items: &mut Vec<Vec<Inline>>, content: Vec<Inline>) {
        let mut content = normalize(content);
        drop_said_twice(&mut content);
        let text = inline_text(&content);
        // A picture's labelled credit left without its picture ("Credit: The Spruce Eats" under
        // each slide of a gallery whose images have no source) says nothing of the list; a
        // card's title before its picture's credit ("Which EVs go furthest? Photo: Hyundai")
        // does, and an unlabelled "A / B" is a list's label as often as a credit.
        let credit_alone = is_labelled_caption(&text) && split_caption_credit(&text).0.is_none();
        if !text.trim().is_empty() && !is_furniture_text(&text) && !credit_alone {
            items.push(content);
        }
    }

    fn quote(&mut self, i: usize, depth: usize) {
        let dom = self.analysis.dom;
        let mut paragraphs = Vec::new();
        let mut attribution = None;
        let mut loose = Vec::new();
        for child in dom.children(i) {
            // A thread's quote opens with whom it quotes ("joe said:"), often as a link to
            // the quoted post, which is left out as a box of links.
            if self.analysis.flags.thread
                && attribution.is_none()
                && paragraphs.is_empty()
                && inline_text(&loose).trim().is_empty()
                && dom.element(child).is_some()
                && let Some(name) =
                    dom.text_within(child, MAX_CITATION_CHARS).as_deref().and_then(quote_citation)
            {
                attribution = Some(name.to_string());
                continue;
            }
            if self.skip(child) {
                continue;
            }
            match dom.tag(child) {
                "footer" | "cite" => {
                    let text = dom.text(child);
                    let text = text.trim_start_matches(['—', '–', '-', ' ']).trim();
                    if !text.is_empty() {
                        attribution = Some(text.to_string());
                    }
                }
                "p" | "div" | "ul" | "ol" | "h2" | "h3" | "h4" => {
                    if !loose.is_empty() {
                        paragraphs.push(normalize(std::mem::take(&mut loose)));
                    }
                    let mut content = Vec::new();
                    self.inline_element(child, &mut content, depth + 1);
                    paragraphs.push(normalize(content));
                }
                _ => {
                    if let Some(text) = dom.text_of(child) {
                        push_text(&mut loose, text);
                    } else {
                        self.inline_element(child, &mut loose, depth + 1);
                    }
                }
            }
        }
        if !loose.is_empty() {
            paragraphs.push(normalize(loose));
        }
        paragraphs.retain(|p| !inline_text(p).trim().is_empty());
        if !paragraphs.is_empty() {
            self.blocks.push(Block::Quote { paragraphs, attribution });
        }
        let pending = std::mem::take(&mut self.pending);
        self.blocks.extend(pending);
    }

    /// A data table as a table block: the header is the first row when it sits in `<thead>`,
    /// holds only `<th>` cells or only cells whose text is a heading or bold (see
    /// [`is_heading_cell`]); rows without any text are left out.
    fn table(&mut self, i: usize, depth: usize) {
        let dom = self.analysis.dom;
        let mut header = Vec::new();
        let mut rows = Vec::new();
        for row in (i..dom.nodes[i].end).filter(|&j| dom.tag(j) == "tr" && !self.analysis.removed[j]) {
            let cells: Vec<usize> =
                dom.children(row).filter(|&c| matches!(dom.tag(c), "td" | "th")).collect();
            let content: Vec<Vec<Inline>> = cells
                .iter()
                .map(|&cell| {
                    let mut content = Vec::new();
                    self.inline_element(cell, &mut content, depth + 1);
                    normalize(content)
                })
                .collect();
            if content.iter().all(|cell| inline_text(cell).trim().is_empty()) {
                continue;
            }
            let in_head = dom.ancestors(row).take_while(|&a| a != i).any(|a| dom.tag(a) == "thead");
            let all_th = cells.iter().all(|&c| dom.tag(c) == "th");
            let all_headings = cells.len() > 1 && cells.iter().all(|&c| is_heading_cell(dom, c));
            if header.is_empty() && rows.is_empty() && (in_head || all_th || all_headings) {
                header = content;
            } else {
                rows.push(content);
            }
        }
        if rows.is_empty() {
            if header.is_empty() {
                return;
            }
            // A lone header row is the table's only row.
            rows.push(std::mem::take(&mut header));
        }
        let caption = dom
            .find_tag(i, "caption")
            .map(|c| clean(&dom.text(c)).trim().to_string())
            .filter(|c| !c.is_empty());
        self.blocks.push(Block::Table(Table { caption, header, rows }));
    }

    fn figure(&mut self, i: usize, depth: usize) {
        let dom = self.analysis.dom;
        let caption_node = (i..dom.nodes[i].end).find(|&j| dom.tag(j) == "figcaption");
        let (caption, credit) = caption_node.map(|c| self.caption(c)).unwrap_or((None, None));
        let media = (i..dom.nodes[i].end).find(|&j| {
            !self.analysis.removed[j] && matches!(dom.tag(j), "img" | "amp-img" | "video" | "iframe")
        });
        match media.map(|m| (m, dom.tag(m))) {
            Some((m, "img" | "amp-img")) => {
                if let Some(mut image) = self.image(m) {
                    image.caption = caption;
                    image.credit = credit;
                    self.blocks.push(Block::Image(image));
                }
                // A card made a figure (a product's picture, name and price): the text beside
                // the picture, outside any caption, is the card's.
                for child in dom.children(i) {
                    let holds_media = (child..dom.nodes[child].end).contains(&m);
                    if !holds_media && Some(child) != caption_node {
                        self.block(child, depth + 1);
                    }
                }
                self.flush();
            }
            Some((m, _)) => {
                if let Some(mut video) = self.video_element(m) {
                    if video.title.is_empty() {
                        video.title = caption.unwrap_or_default();
                    }
                    self.blocks.push(Block::Video(video));
                }
            }
            None => {
                // A figure without media (a pull quote, a chart in text): its content as blocks.
                for child in dom.children(i) {
                    if dom.tag(child) != "figcaption" {
                        self.block(child, depth + 1);
                    }
                }
                self.flush();
            }
        }
    }

    /// Caption and credit of a figcaption: a credit element inside wins over text patterns.
    pub fn caption(&self, figcaption: usize) -> (Option<String>, Option<String>) {
        let dom = self.analysis.dom;
        let credit_node = (figcaption + 1..dom.nodes[figcaption].end).find(|&j| {
            let hint =
                format!("{} {}", dom.attr(j, "class").unwrap_or(""), dom.attr(j, "itemprop").unwrap_or(""))
                    .to_ascii_lowercase();
            hint.contains("credit")
                || hint.contains("copyright")
                || hint.contains("source")
                || hint.contains("author")
        });
        match credit_node {
            Some(node) => {
                let credit = dom.text(node);
                let mut caption = String::new();
                for j in figcaption..dom.nodes[figcaption].end {
                    if !dom.is_inside(j, node)
                        && j != node
                        && let Some(text) = dom.text_of(j)
                    {
                        crate::dom::push_collapsed(&mut caption, text);
                    }
                }
                let credit = credit.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '©').trim();
                let (caption, inline_credit) = split_caption_credit(&caption);
                let credit = if credit.is_empty() { inline_credit } else { Some(strip_credit_label(credit)) };
                (caption, credit)
            }
            None => split_caption_credit(&dom.text(figcaption)),
        }
    }

    pub fn image(&self, i: usize) -> Option<Image> {
        let dom = self.analysis.dom;
        let img = if matches!(dom.tag(i), "img" | "amp-img") {
            i
        } else {
            dom.find_tag(i, "img").or_else(|| dom.find_tag(i, "amp-img"))?
        };
        let element = dom.element(img)?;
        let (width, height) = (element.pixels("width"), element.pixels("height"));
        if width.is_some_and(|w| w < MIN_IMAGE_SIDE) || height.is_some_and(|h| h < MIN_IMAGE_SIDE) {
            return None;
        }
        let src = image_source(dom, img)?;
        let url = resolve(self.base, &src)?;
        let alt = element.attr("alt").map(clean).filter(|a| !a.is_empty());
        Some(Image { url, alt, width, height, ..Image::default() })
    }

    fn video_element(&self, i: usize) -> Option<Video> {
        let dom = self.analysis.dom;
        let element = dom.element(i)?;
        let src = element
            .attr("src")
            .or_else(|| element.attr("data-src"))
            .or_else(|| dom.find_tag(i, "source").and_then(|s| dom.attr(s, "src")));
        if &*element.name == "iframe" && !src.is_some_and(|s| VIDEO_HOSTS.iter().any(|host| s.contains(host)))
        {
            return None;
        }
        let title = ["title", "aria-label", "data-title"]
            .iter()
            .find_map(|a| element.attr(a))
            .map(clean)
            .unwrap_or_default();
        Some(Video {
            title,
            duration_seconds: element
                .attr("data-duration")
                .and_then(|d| d.trim().parse::<f64>().ok())
                .map(|d| d.round() as u32),
            url: src.and_then(|s| resolve(self.base, s)),
            poster: element.attr("poster").and_then(|p| resolve(self.base, p)),
        })
    }

    /// A video card: a small element hinted as video/player holding a duration badge.
    fn video_card(&self, i: usize) -> Option<Video> {
        let dom = self.analysis.dom;
        let element = dom.element(i)?;
        let hint = format!("{} {}", element.attr("class").unwrap_or(""), element.attr("id").unwrap_or(""));
        let data_duration = element.attr("data-duration");
        if !is_video_hint(&hint) && data_duration.is_none() {
            return None;
        }
        if self.analysis.stats[i].text > 400 || self.analysis.stats[i].paragraphs > 1 {
            return None;
        }
        let mut duration = data_duration.and_then(|d| d.trim().parse::<f64>().ok()).map(|d| d.round() as u32);
        let mut title = element.attr("data-title").map(clean).unwrap_or_default();
        for j in i..dom.nodes[i].end {
            if self.analysis.removed[j] {
                continue;
            }
            let Some(text) = dom.text_of(j) else { continue };
            let text = clean(text);
            if text.is_empty() {
                continue;
            }
            if let Some(seconds) = parse_duration_badge(&text) {
                duration.get_or_insert(seconds);
            } else if title.is_empty() && !is_furniture_text(&text) {
                title = text;
            }
        }
        let url = (i..dom.nodes[i].end)
            .find_map(|j| match dom.tag(j) {
                "a" => dom.attr(j, "href"),
                "video" | "iframe" | "source" => dom.attr(j, "src"),
                _ => None,
            })
            .and_then(|u| resolve(self.base, u));
        let poster = (i..dom.nodes[i].end)
            .find(|&j| dom.tag(j) == "img")
            .and_then(|j| image_source(dom, j))
            .and_then(|p| resolve(self.base, &p));
        (duration.is_some() && !title.is_empty()).then_some(Video {
            title,
            duration_seconds: duration,
            url,
            poster,
        })
    }

    /// Inline content of the children of `i`.
    fn inlines(&mut self, i: usize, out: &mut Vec<Inline>, depth: usize) {
        let dom = self.analysis.dom;
        let mut after_element = false;
        for child in dom.children(i) {
            if self.skip(child) {
                continue;
            }
            match &dom.nodes[child].data {
                Data::Text(text) => {
                    push_text(out, text);
                    after_element = false;
                }
                Data::Element(_) => {
                    // Two elements side by side, the first ending a word in lower case and the
                    // second starting one in capitals ("<span>Merrell</span><span>Moab 3</span>"):
                    // two fields a style sets apart (a brand over a product's name, a term and
                    // its tooltip's title), not one word.
                    if after_element
                        && last_char(out).is_some_and(char::is_lowercase)
                        && self.first_char(child).is_some_and(char::is_uppercase)
                    {
                        out.push(Inline::Text(" ".into()));
                    }
                    self.inline_element(child, out, depth + 1);
                    after_element = true;
                }
                Data::Document => {}
            }
        }
    }

    /// The first character of an element's text as read (removed nodes left out).
    fn first_char(&self, i: usize) -> Option<char> {
        let dom = self.analysis.dom;
        (i..dom.nodes[i].end)
            .filter(|&j| !self.analysis.removed[j])
            .find_map(|j| dom.text_of(j).and_then(|text| text.chars().next()))
    }

    fn inline_element(&mut self, i: usize, out: &mut Vec<Inline>, depth: usize) {
        let dom = self.analysis.dom;
        if self.skip(i) {
            return;
        }
        if depth > MAX_DEPTH {
            push_text(out, &dom.text(i));
            return;
        }
        let tag = dom.tag(i);
        match tag {
            "br" => out.push(Inline::LineBreak),
            "img" | "picture" | "amp-img" => {
                if let Some(image) = self.image(i) {
                    self.pending.push(Block::Image(image));
                }
            }
            "video" | "iframe" => {
                if let Some(video) = self.video_element(i) {
                    self.pending.push(Block::Video(video));
                }
            }
            "em" | "i" | "cite" | "dfn" | "var" => {
                let mut children = Vec::new();
                self.inlines(i, &mut children, depth);
                out.push(Inline::Emphasis(children));
            }
            "strong" | "b" => {
                let mut children = Vec::new();
                self.inlines(i, &mut children, depth);
                out.push(Inline::Strong(children));
            }
            "code" | "kbd" | "samp" | "tt" => {
                let text = dom.text(i);
                if !text.is_empty() {
                    out.push(Inline::Code(text));
                }
            }
            "a" => {
                let mut children = Vec::new();
                self.inlines(i, &mut children, depth);
                let href = dom
                    .attr(i, "href")
                    .filter(|h| !h.trim_start().starts_with('#'))
                    .and_then(|h| resolve(self.base, h));
                // Links side by side with nothing between are apart when the second starts a
                // word (a row of tags, "FPS" and "Shooter", drawn as pills or buttons); a word
                // split over two links ("Br", "ands") stays whole.
                let starts_a_word = inline_text(&children)
                    .trim_start()
                    .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
                if starts_a_word && matches!(out.last(), Some(Inline::Link { .. })) {
                    out.push(Inline::Text(" ".into()));
                }
                match href {
                    Some(href) => out.push(Inline::Link { href, content: children }),
                    None => out.extend(children),
                }
            }
            "figure" | "table" | "ul" | "ol" | "blockquote" | "pre" | "p" | "div" | "li" | "h1" | "h2"
            | "h3" | "h4" | "h5" | "h6" | "section" | "dd" | "dt" | "tr" | "td" | "th" => {
                out.push(Inline::Text(" ".into()));
                self.inlines(i, out, depth);
                out.push(Inline::Text(" ".into()));
            }
            _ => self.inlines(i, out, depth),
        }
    }
}

/// Longest line over a thread's quote read for whom it quotes ("Quote from: tomas on June
/// 04, 2024, 11:23:55 AM").
const MAX_CITATION_CHARS: usize = 120;

/// The schema.org types of a thread's posts, as microdata gives them (`itemtype`).
const POST_TYPES: &[&str] =
    &["Comment", "DiscussionForumPosting", "Answer", "Question", "SocialMediaPosting"];

/// Longest poster's name or post's date read from a post's microdata; a longer text is a
/// whole card, not the name.
const MAX_POSTER_FIELD_CHARS: usize = 60;

/// Most nodes in an element that shows a poster's name or a post's date: a link around a
/// name, a span around a date. Bigger elements are not read for them, so that a post's
/// search stays proportional to its size.
const MAX_POSTER_FIELD_NODES: usize = 16;

/// Whether element `j` is small enough to show a poster's name or a post's date.
fn is_field(dom: &Dom, j: usize) -> bool {
    dom.element(j).is_some() && dom.nodes[j].end - j <= MAX_POSTER_FIELD_NODES
}

/// Whether an element is a microdata item of one of the [`POST_TYPES`].
fn is_post_item(dom: &Dom, i: usize) -> bool {
    dom.attr(i, "itemscope").is_some()
        && dom
            .attr(i, "itemtype")
            .and_then(|t| t.trim_end_matches('/').rsplit('/').next())
            .is_some_and(|t| POST_TYPES.contains(&t))
}

/// Whether an element is a thread's post that names its poster: a microdata item of one of
/// the [`POST_TYPES`], or an element with a `data-author` attribute.
fn is_post(dom: &Dom, i: usize) -> bool {
    is_post_item(dom, i) || dom.attr(i, "data-author").is_some_and(|a| !a.trim().is_empty())
}

/// The first element giving property `name` of microdata item `item` (not of an item inside
/// it: a quoted post's author is not the post's).
fn item_property(dom: &Dom, item: usize, name: &str) -> Option<usize> {
    (item + 1..dom.nodes[item].end).find(|&j| {
        dom.attr(j, "itemprop").is_some_and(|p| p.split_whitespace().any(|w| w == name))
            && dom.ancestors(j).find(|&a| dom.attr(a, "itemscope").is_some()) == Some(item)
    })
}

/// The innermost of the first elements inside `i` that `test` holds for, down through those
/// inside it it holds for too: the link that shows a name, not the card around it.
fn innermost(dom: &Dom, i: usize, test: impl Fn(usize) -> bool) -> Option<usize> {
    let first = (i + 1..dom.nodes[i].end).find(|&j| test(j))?;
    (first..dom.nodes[first].end).filter(|&j| test(j)).last()
}

/// The text an element shows, spaces folded: none for a `<meta>` (its value is for machines,
/// and the page may show it in other words) or a text too long for a name or a date.
fn shown_text(dom: &Dom, i: usize) -> Option<String> {
    if dom.tag(i) == "meta" {
        return None;
    }
    let text = dom.text_within(i, MAX_POSTER_FIELD_CHARS)?;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The last character of the inline content read so far, without copying it.
fn last_char(out: &[Inline]) -> Option<char> {
    out.iter().rev().find_map(|inline| match inline {
        Inline::Text(text) | Inline::Code(text) => text.chars().next_back(),
        Inline::Emphasis(children) | Inline::Strong(children) => last_char(children),
        Inline::Link { content, .. } => last_char(content),
        Inline::LineBreak => Some('\n'),
    })
}

/// Whether an element holds a block-level element among its children.
fn has_block_child(dom: &Dom, i: usize) -> bool {
    dom.children(i).any(|child| {
        matches!(
            dom.tag(child),
            "p" | "div" | "pre" | "ul" | "ol" | "dl" | "table" | "blockquote" | "figure" | "section"
        )
    })
}

/// An element whose class names it a caption or credit, outside any figure.
fn is_caption_element(dom: &Dom, i: usize) -> bool {
    let Some(element) = dom.element(i) else { return false };
    let (class, id) = (element.attr("class").unwrap_or(""), element.attr("id").unwrap_or(""));
    // The class test first: it is cheap, and most elements fail it.
    if (class.is_empty() && id.is_empty()) || !is_caption_hint(&format!("{class} {id}")) {
        return false;
    }
    // A figure's own caption is read with its figure; a "caption container" holding the
    // picture is a figure in all but name.
    !(matches!(&*element.name, "figure" | "figcaption")
        || dom.ancestors(i).any(|a| dom.tag(a) == "figure")
        || (i..dom.nodes[i].end)
            .any(|j| matches!(dom.tag(j), "img" | "amp-img" | "picture" | "video" | "iframe")))
}

/// The best source of an image: `src`, lazy-loading attributes, or the largest `srcset` entry.
fn image_source(dom: &Dom, img: usize) -> Option<String> {
    let element = dom.element(img)?;
    for name in ["data-src", "data-original", "data-lazy-src", "data-srcset", "src", "srcset"] {
        let Some(value) = element.attr(name).map(str::trim).filter(|v| !v.is_empty()) else { continue };
        if value.starts_with("data:") && !value.starts_with("data:image/")
            || value.starts_with("data:image/gif")
        {
            continue;
        }
        if name.ends_with("srcset") {
            if let Some(best) = largest_srcset(value) {
                return Some(best);
            }
            continue;
        }
        return Some(value.to_string());
    }
    // <picture><source srcset>
    let parent = dom.nodes[img].parent;
    if dom.tag(parent) == "picture" {
        for source in dom.children(parent).filter(|&c| dom.tag(c) == "source") {
            if let Some(best) = dom.attr(source, "srcset").and_then(largest_srcset) {
                return Some(best);
            }
        }
    }
    None
}

fn largest_srcset(srcset: &str) -> Option<String> {
    srcset
        .split(", ")
        .filter_map(|entry| {
            let mut parts = entry.split_whitespace();
            let url = parts.next()?;
            let size =
                parts.next().and_then(|d| d.trim_end_matches(['w', 'x']).parse::<f32>().ok()).unwrap_or(1.0);
            Some((url, size))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(url, _)| url.to_string())
}

fn strip_credit_label(credit: &str) -> String {
    let lower = credit.to_ascii_lowercase();
    for label in ["photo:", "photograph:", "picture:", "image:", "credit:", "photo by", "©"] {
        if lower.starts_with(label) {
            return credit[label.len()..].trim().to_string();
        }
    }
    credit.to_string()
}

/// Appends text to inline content, joining it to a text run that ends it.
pub(crate) fn push_text(out: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text(last)) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Inline::Text(text.to_string()));
    }
}

/// Collapses whitespace across inline boundaries, trims the ends, merges adjacent text and
/// drops empty wrappers.
pub fn normalize(content: Vec<Inline>) -> Vec<Inline> {
    let mut space_pending = false;
    let mut at_start = true;
    let mut out = normalize_into(content, &mut space_pending, &mut at_start);
    trim_trailing_breaks(&mut out);
    out
}

fn normalize_into(content: Vec<Inline>, space_pending: &mut bool, at_start: &mut bool) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let push_str = |out: &mut Vec<Inline>, s: &str, space_pending: &mut bool, at_start: &mut bool| {
        let mut piece = String::new();
        for c in s.chars() {
            if c.is_whitespace() {
                *space_pending = true;
            } else {
                if *space_pending && !*at_start {
                    piece.push(' ');
                }
                *space_pending = false;
                *at_start = false;
                piece.push(c);
            }
        }
        if piece.is_empty() {
            return;
        }
        if let Some(Inline::Text(last)) = out.last_mut() {
            last.push_str(&piece);
        } else {
            out.push(Inline::Text(piece));
        }
    };
    for inline in content {
        match inline {
            Inline::Text(text) => push_str(&mut out, &text, space_pending, at_start),
            Inline::Emphasis(children) | Inline::Strong(children)
                if inline_text(&children).trim().is_empty() =>
            {
                push_str(&mut out, &inline_text(&children), space_pending, at_start);
            }
            Inline::Emphasis(children) => {
                let inner = wrapped(&mut out, children, space_pending, at_start);
                out.push(Inline::Emphasis(inner));
            }
            Inline::Strong(children) => {
                let inner = wrapped(&mut out, children, space_pending, at_start);
                out.push(Inline::Strong(inner));
            }
            Inline::Link { href, content } => {
                if inline_text(&content).trim().is_empty() {
                    continue;
                }
                let inner = wrapped(&mut out, content, space_pending, at_start);
                out.push(Inline::Link { href, content: inner });
            }
            Inline::Code(code) => {
                if *space_pending && !*at_start {
                    push_space(&mut out);
                }
                *space_pending = false;
                *at_start = false;
                out.push(Inline::Code(code.trim().to_string()));
            }
            Inline::LineBreak => {
                if !*at_start {
                    out.push(Inline::LineBreak);
                    *space_pending = false;
                }
            }
        }
    }
    out
}

/// Normalizes a wrapper's children, putting a space that falls at its edge outside it
/// ("a *b* c", never "a* b *c").
fn wrapped(
    out: &mut Vec<Inline>,
    children: Vec<Inline>,
    space_pending: &mut bool,
    at_start: &mut bool,
) -> Vec<Inline> {
    let leading_space = inline_text(&children).starts_with(char::is_whitespace);
    if (*space_pending || leading_space) && !*at_start {
        push_space(out);
    }
    *space_pending = false;
    let mut child_at_start = true;
    let inner = normalize_into(children, space_pending, &mut child_at_start);
    if !child_at_start {
        *at_start = false;
    }
    inner
}

fn push_space(out: &mut Vec<Inline>) {
    if let Some(Inline::Text(last)) = out.last_mut() {
        last.push(' ');
    } else {
        out.push(Inline::Text(" ".into()));
    }
}

/// Fewest characters of a line said twice in a row for the second saying to go.
const MIN_SAID_TWICE_CHARS: usize = 12;
/// Most characters of a label said twice with nothing between (see [`halves`]): a longer
/// text said over and over is the page's to say, however it was written.
const MAX_SAID_TWICE_CHARS: usize = 80;

/// A card or a label sent twice, once for wide and once for narrow screens, and read as one
/// line: the line from the second link to the same address with the same words, when it says
/// nothing the line has not said before it ("Tech Writing Wed, Apr 1 Tech Writing Wed, Apr
/// 1"), or a line that is the same words twice ("Seller's other itemsSeller's other items").
fn drop_said_twice(content: &mut Vec<Inline>) {
    let text = inline_text(content);
    let text = text.trim();
    if let Some(half) = halves(text) {
        if let [Inline::Text(only)] = content.as_mut_slice() {
            *only = half.to_string();
            return;
        }
        // Or the first half ends where an inline ends (a logo's link, then its name again).
        let mut read = String::new();
        for (k, inline) in content.iter().enumerate() {
            read.push_str(&inline_text(std::slice::from_ref(inline)));
            if read.trim() == half {
                content.truncate(k + 1);
                return;
            }
            if read.trim().len() > half.len() {
                break;
            }
        }
    }
    let mut linked = HashSet::new();
    let Some(cut) = content.iter().position(|inline| match inline {
        Inline::Link { href, content } => !linked.insert((href.clone(), inline_text(content))),
        _ => false,
    }) else {
        return;
    };
    let before = inline_text(&content[..cut]);
    let after = inline_text(&content[cut..]);
    let said: HashSet<String> = words_of(&before).collect();
    // A copy, not a mention: the second saying is at least half as long as the first.
    let (before_len, after_len) = (before.trim().len(), after.trim().len());
    if after_len >= MIN_SAID_TWICE_CHARS
        && after_len * 2 >= before_len
        && words_of(&after).all(|w| said.contains(&w))
    {
        content.truncate(cut);
        while let Some(Inline::Text(last)) = content.last_mut() {
            let kept = last.trim_end().len();
            last.truncate(kept);
            if !last.is_empty() {
                break;
            }
            content.pop();
        }
    }
}

fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// The first half of a short text that is the same words twice, joined by a space or not.
fn halves(text: &str) -> Option<&str> {
    let mid = text.len() / 2;
    let second =
        if text.len().is_multiple_of(2) { text.get(mid..) } else { text.get(mid..)?.strip_prefix(' ') };
    let half = text.get(..mid).filter(|half| second == Some(*half))?;
    // A label, not a sentence: a sentence said twice is the writer's to say.
    let label = !half.trim_end().ends_with(['.', '!', '?']);
    (label
        && (MIN_SAID_TWICE_CHARS..=MAX_SAID_TWICE_CHARS).contains(&half.len())
        && half.chars().any(char::is_alphabetic))
    .then_some(half)
}

/// A paragraph's last line, after a line break, that is a post's phone-app line ("Sent from my
/// iPhone using Tapatalk") under the text of the post.
fn drop_phone_app_line(content: &mut Vec<Inline>) {
    let Some(last_break) = content.iter().rposition(|inline| matches!(inline, Inline::LineBreak)) else {
        return;
    };
    let line = inline_text(&content[last_break + 1..]);
    if is_mobile_signature(&line) {
        content.truncate(last_break);
        trim_trailing_breaks(content);
    }
}

fn trim_trailing_breaks(content: &mut Vec<Inline>) {
    while matches!(content.last(), Some(Inline::LineBreak)) {
        content.pop();
    }
}

/// Same words, ignoring case and punctuation.
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (crate::dom::signature_text(a), crate::dom::signature_text(b));
    !a.is_empty() && a == b
}

/// Excerpts this many or more in a body are other pages' teasers.
const MIN_EXCERPTS: usize = 3;
/// Shortest paragraph read as an excerpt.
const MIN_EXCERPT_CHARS: usize = 60;

/// A paragraph cut short with an ellipsis ("THE SALVATION ARMY continued its long-standing
/// tradition of…"): the opening of another page's text.
fn is_excerpt(block: &Block) -> bool {
    let Block::Paragraph { content } = block else { return false };
    let text = inline_text(content);
    let text = text.trim();
    text.chars().count() >= MIN_EXCERPT_CHARS && (text.ends_with("...") || text.ends_with('…'))
}

/// Drops the excerpts of other pages from a body that is mostly something else (a story
/// followed by the openings of more stories); a body made mostly of them is an index, and
/// they are its content. So are they in a body read as `cards`, whose dates, titles and tags
/// say more than the excerpts beside them: only a run of them closing a story goes there.
fn drop_excerpts(blocks: &mut Vec<Block>, cards: bool) {
    let chars = |block: &Block| block.text().chars().count();
    let (excerpts, excerpt_chars, other_chars) = blocks.iter().fold((0, 0, 0), |(n, cut, kept), block| {
        if is_excerpt(block) { (n + 1, cut + chars(block), kept) } else { (n, cut, kept + chars(block)) }
    });
    if !cards && excerpts >= MIN_EXCERPTS && other_chars >= 2 * excerpt_chars {
        blocks.retain(|block| !is_excerpt(block));
        return;
    }
    // The openings of more stories in a row (with their pictures) at the end of a story that
    // says more than they do together: a "more news" strip under it.
    let tail =
        blocks.iter().rev().take_while(|block| is_excerpt(block) || matches!(block, Block::Image(_))).count();
    let (story, strip) = blocks.split_at(blocks.len() - tail);
    if strip.iter().filter(|block| is_excerpt(block)).count() >= MIN_EXCERPTS
        && story.iter().map(chars).sum::<usize>() >= strip.iter().map(chars).sum::<usize>()
    {
        blocks.truncate(blocks.len() - tail);
    }
}

/// A cell whose whole text is a heading or bold ("<td><h4>Amounts per person</h4></td>",
/// "<td><b>Year</b></td>"): a column's name, as a header cell is.
fn is_heading_cell(dom: &Dom, cell: usize) -> bool {
    let mut marked = false;
    let mut j = cell + 1;
    while j < dom.nodes[cell].end {
        if matches!(dom.tag(j), "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "strong" | "b") {
            marked |= dom.text_chars(j) > 0;
            j = dom.nodes[j].end;
        } else if dom.text_of(j).is_some_and(|text| !text.trim().is_empty()) {
            return false;
        } else {
            j += 1;
        }
    }
    marked
}

/// A link dressed as a button ("Book a demo", "Start free trial"): a control, not text.
fn is_button_link(dom: &Dom, i: usize) -> bool {
    static BUTTON: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)(?:^|[\s_-])(?:btn|button|cta)(?:$|[\s_-])")
            .unwrap_or_else(|e| panic!("button pattern: {e}"))
    });
    dom.tag(i) == "a" && dom.attr(i, "class").is_some_and(|class| BUTTON.is_match(class))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(href: &str, text: &str) -> Inline {
        Inline::Link { href: href.into(), content: vec![Inline::Text(text.into())] }
    }

    #[test]
    fn a_line_said_twice_is_said_once() {
        let twice = |content: Vec<Inline>| {
            let mut content = normalize(content);
            drop_said_twice(&mut content);
            inline_text(&content)
        };
        // A card sent for wide and for narrow screens, read as one line.
        assert_eq!(
            twice(vec![
                link("/e/1", "Tech Writing"),
                Inline::Text(" Wed, Apr 1, 10:00 AM Free Tech Hub 260 followers ".into()),
                link("/e/1", "Tech Writing"),
                Inline::Text(" Wed, Apr 1, 10:00 AM Free".into()),
            ]),
            "Tech Writing Wed, Apr 1, 10:00 AM Free Tech Hub 260 followers"
        );
        assert_eq!(
            twice(vec![Inline::Text("Seller's other itemsSeller's other items".into())]),
            "Seller's other items"
        );
        assert_eq!(
            twice(vec![Inline::Text("February 22, 2026 February 22, 2026".into())]),
            "February 22, 2026"
        );
        assert_eq!(
            twice(vec![
                link("/", "Merrill A Bank of America Company"),
                Inline::Text(" Merrill A Bank of America Company".into())
            ]),
            "Merrill A Bank of America Company"
        );
        // A link named again in a sentence, a copy that says more, short words: said as written.
        for content in [
            vec![
                Inline::Text("Book direct through ".into()),
                link("https://hotel.example", "hotel.example"),
                Inline::Text(" for the perks, all with no more to pay when you book at ".into()),
                link("https://hotel.example", "hotel.example"),
                Inline::Text(".".into()),
            ],
            vec![
                link("/e/1", "Tech Writing"),
                Inline::Text(" Wed, Apr 1 ".into()),
                link("/e/1", "Tech Writing"),
                Inline::Text(" Wed, Apr 1, with a new speaker".into()),
            ],
            vec![Inline::Text("Bye bye".into())],
            vec![Inline::Text("The ferry runs every twenty minutes from June. ".repeat(4))],
            vec![Inline::Text(
                "The ferry runs every twenty minutes. The ferry runs every twenty minutes.".into(),
            )],
        ] {
            let text = inline_text(&normalize(content.clone()));
            assert_eq!(twice(content), text);
        }
    }

    #[test]
    fn whitespace_is_collapsed_across_inlines() {
        let content = vec![
            Inline::Text("  Hello ".into()),
            Inline::Emphasis(vec![Inline::Text(" big ".into())]),
            Inline::Text(" world\n ".into()),
        ];
        let normalized = normalize(content);
        assert_eq!(inline_text(&normalized), "Hello big world");
        assert_eq!(normalized[1], Inline::Emphasis(vec![Inline::Text("big".into())]));
    }

    #[test]
    fn srcsets() {
        assert_eq!(largest_srcset("a.jpg 320w, b.jpg 1024w, c.jpg 640w").as_deref(), Some("b.jpg"));
        assert_eq!(largest_srcset("a.jpg 1x, b.jpg 2x").as_deref(), Some("b.jpg"));
    }
}
