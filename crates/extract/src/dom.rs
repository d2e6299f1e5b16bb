//! A compact, read-only document tree built from html5ever's parse.
//!
//! Nodes are stored in document order, so the subtree of node `i` is the range
//! `i..nodes[i].end`: subtree sums and "is inside" checks need no recursion. Scripts, styles
//! and comments are dropped while building (JSON-LD scripts are kept for the metadata).

use html5ever::tendril::StrTendril;
use html5ever::{Attribute, LocalName};

use crate::sink::{self, Sink, Tree};

/// Elements deeper than this in the source are unwrapped before parsing: html5ever's tree
/// builder is quadratic in nesting depth, and no real article nests this deep.
pub const MAX_NESTING: usize = 256;

/// Elements whose content is never text of the page.
const DROPPED_ELEMENTS: &[&str] =
    &["script", "style", "template", "noscript", "head", "svg", "canvas", "select", "textarea"];

/// Whether the page is read as by a browser running its scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scripting {
    On,
    Off,
}

#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
    /// Per node, the characters and commas of its own text (see [`text_figures`]), counted
    /// once at parse time for the many passes that sum them.
    figures: Vec<(usize, usize)>,
}

#[derive(Debug)]
pub struct Node {
    pub parent: usize,
    /// One past the last node of this node's subtree.
    pub end: usize,
    pub data: Data,
}

#[derive(Debug)]
pub enum Data {
    Document,
    Element(Element),
    Text(StrTendril),
}

#[derive(Debug)]
pub struct Element {
    pub name: LocalName,
    pub attrs: Vec<Attribute>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| &*a.name.local == name).map(|a| &*a.value)
    }

    /// A size attribute in pixels (`width="24"`, `height="24px"`), when it is one.
    pub fn pixels(&self, name: &str) -> Option<u32> {
        self.attr(name).and_then(|value| value.trim().trim_end_matches("px").parse().ok())
    }
}

/// What the source held besides the tree: `<head>` metadata the body walk does not see.
#[derive(Debug, Default)]
pub struct Head {
    pub title: Option<String>,
    /// `(key, content)` of every `<meta>` with a name, property or itemprop (keys lowercased).
    pub metas: Vec<(String, String)>,
    /// `(rel, href)` of every `<link>`.
    pub links: Vec<(String, String)>,
    pub json_ld: Vec<String>,
    /// `<base href>`, which URLs in the page are relative to.
    pub base_href: Option<String>,
}

impl Dom {
    /// Parses an HTML document. Never fails: html5ever recovers from any markup.
    pub fn parse(html: &str) -> (Dom, Head, bool) {
        Dom::parse_as(html, Scripting::On)
    }

    /// [`parse`](Self::parse) as a browser would with scripting on (`<noscript>` content is
    /// not part of the page) or off (it is: some sites serve their whole text there for
    /// readers without JavaScript).
    pub fn parse_as(html: &str, scripting: Scripting) -> (Dom, Head, bool) {
        use html5ever::tendril::TendrilSink;
        let (source, flattened) = prepare_source(html, MAX_NESTING);
        let options = html5ever::ParseOpts {
            tree_builder: html5ever::tree_builder::TreeBuilderOpts {
                scripting_enabled: scripting == Scripting::On,
                ..Default::default()
            },
            ..Default::default()
        };
        let mut tree =
            html5ever::parse_document(Sink::with_capacity(source.len() / 64), options).one(&*source);
        if scripting == Scripting::On {
            tree.move_streamed_parts();
        }
        let dropped = |name: &str| {
            DROPPED_ELEMENTS.contains(&name) && !(name == "noscript" && scripting == Scripting::Off)
        };
        let mut dom = Dom { nodes: Vec::with_capacity(tree.nodes.len()), figures: Vec::new() };
        let mut head = Head::default();
        dom.nodes.push(Node { parent: 0, end: 1, data: Data::Document });
        // The open elements: (index in the parsed tree, index in the Dom).
        let mut open: Vec<(usize, usize)> = vec![(sink::DOCUMENT, 0)];
        let mut next = tree.first_child(sink::DOCUMENT);
        while let Some(&(parsed_parent, parent)) = open.last() {
            if next == sink::NONE {
                open.pop();
                dom.nodes[parent].end = dom.nodes.len();
                next = tree.next_sibling(parsed_parent);
                continue;
            }
            let current = next;
            next = tree.next_sibling(current);
            let index = dom.nodes.len();
            match &tree.nodes[current].kind {
                sink::Kind::Text(_) => {
                    let text = tree.take_text(current);
                    dom.nodes.push(Node { parent, end: index + 1, data: Data::Text(text) });
                }
                sink::Kind::Element { .. } => {
                    let name = tree.local_name(current);
                    if dropped(name) {
                        read_head_element(&tree, current, &mut head);
                        continue;
                    }
                    if matches!(name, "meta" | "link" | "title" | "base") {
                        read_head_element(&tree, current, &mut head);
                    }
                    let (name, attrs) = tree.take_element(current);
                    dom.nodes.push(Node {
                        parent,
                        end: index + 1,
                        data: Data::Element(Element { name, attrs }),
                    });
                    open.push((current, index));
                    next = tree.first_child(current);
                }
                sink::Kind::Document | sink::Kind::BoundaryMark { .. } | sink::Kind::Other => {}
            }
        }
        dom.figures = dom
            .nodes
            .iter()
            .map(|node| match &node.data {
                Data::Text(text) => text_figures(text),
                _ => (0, 0),
            })
            .collect();
        (dom, head, flattened)
    }

    /// The characters (whitespace runs counted once) and commas of a text node's text; none
    /// for an element.
    pub fn text_figures(&self, i: usize) -> (usize, usize) {
        self.figures[i]
    }

    pub fn element(&self, i: usize) -> Option<&Element> {
        match &self.nodes[i].data {
            Data::Element(element) => Some(element),
            _ => None,
        }
    }

    pub fn element_mut(&mut self, i: usize) -> Option<&mut Element> {
        match &mut self.nodes[i].data {
            Data::Element(element) => Some(element),
            _ => None,
        }
    }

    /// The element's tag name, or "" for text and the document.
    pub fn tag(&self, i: usize) -> &str {
        self.element(i).map_or("", |e| &*e.name)
    }

    pub fn attr(&self, i: usize, name: &str) -> Option<&str> {
        self.element(i).and_then(|e| e.attr(name))
    }

    pub fn text_of(&self, i: usize) -> Option<&str> {
        match &self.nodes[i].data {
            Data::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn children(&self, i: usize) -> Children<'_> {
        Children { dom: self, next: i + 1, end: self.nodes[i].end }
    }

    /// Ancestors from the parent up to (and including) the document node.
    pub fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let mut current = i;
        std::iter::from_fn(move || {
            if current == 0 {
                return None;
            }
            current = self.nodes[current].parent;
            Some(current)
        })
    }

    pub fn is_inside(&self, i: usize, ancestor: usize) -> bool {
        i > ancestor && i < self.nodes[ancestor].end
    }

    /// All text below `i`, whitespace collapsed to single spaces and trimmed.
    pub fn text(&self, i: usize) -> String {
        self.read_text(i, false)
    }

    /// [`Dom::text`], with two elements side by side read as two words when the first ends in
    /// lower case and the second starts in capitals (`<span>Written by</span><span>Ana
    /// Ruiz</span>`): fields a style sets apart, as the body's inline reading takes them.
    pub fn text_of_fields(&self, i: usize) -> String {
        self.read_text(i, true)
    }

    /// The text below `i`; with `fields`, sibling elements apart as [`Dom::text_of_fields`] says.
    fn read_text(&self, i: usize, fields: bool) -> String {
        let mut out = String::new();
        let mut after_element = false;
        for j in i..self.nodes[i].end {
            match &self.nodes[j].data {
                Data::Text(text) => {
                    if after_element
                        && out.chars().next_back().is_some_and(char::is_lowercase)
                        && text.trim_start().chars().next().is_some_and(char::is_uppercase)
                    {
                        out.push(' ');
                    }
                    push_collapsed(&mut out, text);
                    after_element = false;
                }
                Data::Element(_) => {
                    // The previous sibling is an element unless this is a first child or
                    // follows a text of its own parent.
                    if fields && j > i {
                        let (parent, previous) = (self.nodes[j].parent, j - 1);
                        let follows_text = matches!(self.nodes[previous].data, Data::Text(_))
                            && self.nodes[previous].parent == parent;
                        after_element |= previous != parent && !follows_text;
                    }
                    if matches!(self.tag(j), "br" | "p" | "div" | "li" | "td" | "th" | "tr") {
                        push_collapsed(&mut out, " ");
                    }
                }
                Data::Document => {}
            }
        }
        out.trim().to_string()
    }

    /// Characters of text below `i`, as [`Dom::text_figures`] counts them: what any reading of
    /// the subtree can hold at most.
    pub fn text_chars(&self, i: usize) -> usize {
        self.figures[i..self.nodes[i].end].iter().map(|&(chars, _)| chars).sum()
    }

    /// The page's `<body>` (the document when it has none).
    pub fn body(&self) -> usize {
        (0..self.nodes.len()).find(|&i| self.tag(i) == "body").unwrap_or(0)
    }

    /// The [`signature_text`] of the subtree at `i`, read from its text nodes at once.
    pub fn signature(&self, i: usize) -> String {
        let mut out = String::new();
        for j in i..self.nodes[i].end {
            if let Data::Text(text) = &self.nodes[j].data {
                push_signature(&mut out, text, usize::MAX);
            }
        }
        out
    }

    /// [`text`](Self::text) when it has at most `max_chars` characters. A subtree whose text
    /// nodes count many more is not read at all.
    pub fn text_within(&self, i: usize, max_chars: usize) -> Option<String> {
        // Joining texts and trimming the ends collapses at most one space per text node and two
        // at the ends, so a subtree counting more than this is surely longer.
        let (mut chars, mut texts) = (0, 0);
        for j in i..self.nodes[i].end {
            if let Data::Text(_) = self.nodes[j].data {
                chars += self.figures[j].0;
                texts += 1;
            }
        }
        if chars > max_chars + texts + 2 {
            return None;
        }
        let text = self.text(i);
        (text.chars().count() <= max_chars).then_some(text)
    }

    /// The first element below `i` (or `i` itself) with this tag name.
    pub fn find_tag(&self, i: usize, name: &str) -> Option<usize> {
        (i..self.nodes[i].end).find(|&j| self.tag(j) == name)
    }
}

/// Tags of text within a line (phrasing content).
pub fn is_inline_tag(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "del"
            | "ins"
            | "big"
            | "nobr"
    )
}

/// Lowercase letters and digits only, for comparing texts loosely.
pub fn signature_text(text: &str) -> String {
    signature_prefix(text, usize::MAX)
}

/// The first `chars` characters of [`signature_text`], reading no more of `text` than needed.
pub fn signature_prefix(text: &str, chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(chars));
    push_signature(&mut out, text, chars);
    out
}

/// Appends at most `chars` characters of `text`'s [`signature_text`] to `out`.
fn push_signature(out: &mut String, text: &str, chars: usize) {
    let mut count = 0;
    for c in text.chars() {
        if count >= chars {
            break;
        }
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                count += 1;
            }
        } else if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                if count < chars {
                    out.push(lower);
                    count += 1;
                }
            }
        }
    }
}

/// Appends `text` with runs of whitespace collapsed to one space, and no space at the start.
pub fn push_collapsed(out: &mut String, text: &str) {
    let mut rest = text;
    loop {
        let word = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
        if word > 0 && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        rest = &rest[word..];
        if rest.is_empty() {
            return;
        }
        let space = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push_str(&rest[..space]);
        rest = &rest[space..];
    }
}

/// Iterator over the children of a node.
#[derive(Debug)]
pub struct Children<'a> {
    dom: &'a Dom,
    next: usize,
    end: usize,
}

impl Iterator for Children<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.next >= self.end {
            return None;
        }
        let current = self.next;
        self.next = self.dom.nodes[current].end;
        Some(current)
    }
}

fn read_head_element(tree: &Tree, i: usize, head: &mut Head) {
    let attr = |name: &str| tree.attr(i, name);
    match tree.local_name(i) {
        "meta" => {
            let content = attr("content").unwrap_or("").trim();
            if attr("name").is_some_and(|name| name.trim().eq_ignore_ascii_case("script:ld+json")) {
                // Linked data written as a <meta> (as some frameworks' head helpers write it).
                head.json_ld.push(content.to_string());
                return;
            }
            for key in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(value) = attr(key) {
                    head.metas.push((value.trim().to_ascii_lowercase(), content.to_string()));
                }
            }
        }
        "link" => {
            if let (Some(rel), Some(href)) = (attr("rel"), attr("href")) {
                head.links.push((rel.to_ascii_lowercase(), href.trim().to_string()));
            }
        }
        "base" if head.base_href.is_none() => {
            head.base_href = attr("href").map(|href| href.trim().to_string());
        }
        "title" if head.title.is_none() => {
            head.title = Some(tree.descendants(i).filter_map(|n| tree.text(n)).collect());
        }
        "script" => {
            let kind = attr("type").unwrap_or("").trim().to_ascii_lowercase();
            if kind == "application/ld+json" {
                head.json_ld.push(tree.children(i).filter_map(|n| tree.text(n)).collect());
            }
        }
        "head" => {
            // <head> is dropped from the tree, but its metadata is wanted.
            for descendant in tree.descendants(i) {
                if !matches!(tree.local_name(descendant), "" | "head") {
                    read_head_element(tree, descendant, head);
                }
            }
        }
        _ => {}
    }
}

/// Elements that close themselves or their open siblings, so they never nest deeply.
fn never_nests(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "rb"
            | "rt"
            | "rp"
            | "param"
    )
}

/// Readies the source for the parser in one scan of its tags: start and end tags nested more
/// than `max_depth` deep are removed (their content kept), and the bodies of `<style>`, of
/// scripts other than JSON ones and of `<svg>` drawings are emptied, since nothing reads them
/// and they are often half of a page's bytes. Returns the source borrowed when nothing changed, and whether tags were
/// flattened.
///
/// A script body holding `<!--` is left alone: there the parser may not end the script at the
/// first `</script`, and emptying up to it could change the tree.
fn prepare_source(html: &str, max_depth: usize) -> (std::borrow::Cow<'_, str>, bool) {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    // Per dropped start tag name, how many end tags to drop.
    let mut dropped: Vec<(String, usize)> = Vec::new();
    let mut flattened = false;
    let mut out: Option<String> = None;
    let mut copied_to = 0;
    // Copies the source up to `from` and skips it on to `to`.
    let mut cut = |from: usize, to: usize, copied_to: &mut usize| {
        let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
        out.push_str(&html[*copied_to..from]);
        *copied_to = to;
    };
    let mut i = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + offset;
        let Some(close) = memchr::memchr(b'>', &bytes[start..]) else { break };
        let end = start + close + 1;
        let tag = &html[start + 1..end - 1];
        i = end;
        let (is_end, rest) = match tag.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, tag),
        };
        if rest.starts_with('!') || rest.starts_with('?') {
            if rest.starts_with("!--") {
                // Skip to the end of the comment.
                if let Some(p) = memchr::memmem::find(&bytes[start..], b"-->") {
                    i = start + p + 3;
                }
            }
            continue;
        }
        let name_len = rest.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(rest.len());
        let name = &rest[..name_len];
        let name: std::borrow::Cow<'_, str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(name.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(name)
        };
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        if !is_end && matches!(&*name, "script" | "style" | "textarea" | "title" | "xmp" | "plaintext") {
            // Raw text: skip to its end tag.
            if let Some(p) = find_end_tag(&bytes[end..], name.as_bytes()) {
                i = end + p;
                let body = &bytes[end..i];
                let unread = match &*name {
                    "style" => true,
                    "script" => {
                        // The type may be written with character references (`ld&#x2B;json`).
                        !tag.to_ascii_lowercase().contains("json")
                            && memchr::memmem::find(body, b"<!--").is_none()
                    }
                    _ => false,
                };
                if unread && !body.is_empty() {
                    cut(end, i, &mut copied_to);
                }
            }
            continue;
        }
        if never_nests(&name) || tag.ends_with('/') {
            continue;
        }
        if !is_end && name == "svg" {
            // A drawing's shapes: dropped with it, but their long path data is much of what the
            // parser would read. Left alone when HTML may break out of it (see `drawing_end`).
            if let Some(p) = drawing_end(&bytes[end..]) {
                cut(end, end + p, &mut copied_to);
                i = end + p;
            }
        }
        let mut drop_tag = false;
        if is_end {
            if let Some(entry) = dropped.iter_mut().find(|(n, count)| *n == name && *count > 0) {
                entry.1 -= 1;
                drop_tag = true;
            } else {
                depth = depth.saturating_sub(1);
            }
        } else if depth >= max_depth {
            flattened = true;
            match dropped.iter_mut().find(|(n, _)| *n == name) {
                Some(entry) => entry.1 += 1,
                None => dropped.push((name.into_owned(), 1)),
            }
            drop_tag = true;
        } else {
            depth += 1;
        }
        if drop_tag {
            cut(start, end, &mut copied_to);
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&html[copied_to..]);
            (std::borrow::Cow::Owned(out), flattened)
        }
        None => (std::borrow::Cow::Borrowed(html), flattened),
    }
}

/// Characters (whitespace runs counted once) and commas in a text.
fn text_figures(text: &str) -> (usize, usize) {
    let mut chars = 0;
    let mut commas = 0;
    let mut in_space = true;
    let mut count = |space: bool, comma: bool| {
        if !space || !in_space {
            chars += 1;
        }
        in_space = space;
        commas += usize::from(comma);
    };
    if text.is_ascii() {
        for &b in text.as_bytes() {
            count(b.is_ascii_whitespace() || b == 0x0b, b == b',');
        }
    } else {
        for c in text.chars() {
            count(c.is_whitespace(), matches!(c, ',' | '，' | '、' | '،'));
        }
    }
    (chars, commas)
}

/// Where an `<svg>` element's body ends (the offset of its `</svg>`), when the body can be
/// skipped without changing the tree: it holds no nested `<svg>`, no `<foreignObject>` (which
/// holds HTML), no comment or CDATA section (which may hide an end tag), and no tag that makes
/// a browser leave the drawing and read HTML again (`<p>`, `<div>`, `<table>`…). `None` for an
/// empty body or one that does not end.
fn drawing_end(bytes: &[u8]) -> Option<usize> {
    let end = find_end_tag(bytes, b"svg")?;
    let body = &bytes[..end];
    let mut from = 0;
    while let Some(offset) = memchr::memchr(b'<', &body[from..]) {
        let at = from + offset;
        let name_start = at + 1 + usize::from(body.get(at + 1) == Some(&b'/'));
        let name_len = body[name_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(body.len() - name_start);
        let name = &body[name_start..name_start + name_len];
        if body.get(at + 1) == Some(&b'!')
            || BREAKS_OUT_OF_DRAWINGS.iter().any(|b| b.eq_ignore_ascii_case(name))
        {
            return None;
        }
        from = at + 1;
    }
    (end > 0).then_some(end)
}

/// Tags inside `<svg>` that an HTML parser does not read as part of the drawing (the HTML
/// standard's list of tags that end foreign content, with `svg` and `foreignobject` added).
const BREAKS_OUT_OF_DRAWINGS: &[&[u8]] = &[
    b"svg",
    b"foreignobject",
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"font",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strike",
    b"strong",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
    b"var",
];

/// Offset of the end tag `</name` (any case, followed by what may end a tag name) in `bytes`.
fn find_end_tag(bytes: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[from..]) {
        let at = from + offset;
        let candidate = &bytes[at + 1..];
        if candidate.first() == Some(&b'/')
            && candidate.len() > name.len()
            && candidate[1..=name.len()].eq_ignore_ascii_case(name)
            && candidate
                .get(name.len() + 1)
                .is_none_or(|&b| matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ' | b'/' | b'>'))
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_runs_count_once() {
        let mut out = String::new();
        push_collapsed(&mut out, "  One\n\t two\u{a0}\u{a0}three ");
        push_collapsed(&mut out, "four");
        assert_eq!(out, "One two three four");
        assert_eq!(text_figures("  One\n\t two, three\x0b"), (15, 1));
        assert_eq!(text_figures("un\u{a0}\u{3000}deux，trois、quatre"), (20, 2));
        assert_eq!(text_figures(""), (0, 0));
    }

    #[test]
    fn text_within_reads_only_short_subtrees() {
        let (dom, _, _) = Dom::parse("<div><p>  Posted   <b>3 May</b>\n</p><p>2025</p></div>");
        let div = dom.find_tag(0, "div").expect("div");
        assert_eq!(dom.text(div), "Posted 3 May 2025");
        assert_eq!(dom.text_within(div, 17).as_deref(), Some("Posted 3 May 2025"));
        assert_eq!(dom.text_within(div, 16), None);
        assert_eq!(dom.text_within(div, 2), None);
    }

    #[test]
    fn subtrees_are_ranges() {
        let (dom, head, _) = Dom::parse(
            "<html lang=en><head><title>T</title><meta property='og:title' content='OG'></head>\
             <body><div id=a><p>One <b>two</b></p><script>x()</script><p>three</p></div></body></html>",
        );
        assert_eq!(head.title.as_deref(), Some("T"));
        assert_eq!(head.metas, vec![("og:title".to_string(), "OG".to_string())]);
        let div = (0..dom.nodes.len()).find(|&i| dom.attr(i, "id") == Some("a")).expect("div");
        assert_eq!(dom.text(div), "One two three");
        let kids: Vec<&str> = dom.children(div).map(|c| dom.tag(c)).collect();
        assert_eq!(kids, ["p", "p"]);
    }

    #[test]
    fn deep_nesting_is_flattened_and_content_kept() {
        let html = format!("<body>{}deep text{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
        let (limited, flattened) = prepare_source(&html, MAX_NESTING);
        assert!(flattened);
        // <body> counts as one level.
        assert_eq!(limited.matches("<div>").count(), MAX_NESTING - 1);
        assert_eq!(limited.matches("</div>").count(), MAX_NESTING - 1);
        assert!(limited.contains("deep text"));
        let shallow = "<div><div><p>x</p></div></div>";
        assert!(!prepare_source(shallow, MAX_NESTING).1);
    }

    #[test]
    fn unread_script_and_style_bodies_are_emptied() {
        let html = "<style>p { color: red }</style><SCRIPT>var a = '</scripts>';</SCRIPT >\
                    <script type='application/ld&#x2B;json'>{\"a\": 1}</script>\
                    <script>if (a) { document.write('<!--<script>x</script>-->') }</script><p>text</p>";
        let (prepared, flattened) = prepare_source(html, MAX_NESTING);
        assert!(!flattened);
        assert_eq!(
            prepared,
            "<style></style><SCRIPT></SCRIPT ><script type='application/ld&#x2B;json'>{\"a\": 1}</script>\
             <script>if (a) { document.write('<!--<script>x</script>-->') }</script><p>text</p>"
        );
        let plain = "<p>no scripts</p><script></script>";
        assert!(matches!(prepare_source(plain, MAX_NESTING).0, std::borrow::Cow::Borrowed(_)));
        // The JSON-LD still reaches the metadata, and the page's text is the same.
        let (dom, head, _) = Dom::parse(html);
        assert_eq!(head.json_ld, ["{\"a\": 1}"]);
        assert_eq!(dom.text(0), "text");
    }

    #[test]
    fn drawing_bodies_are_emptied_unless_html_breaks_out() {
        let icon =
            "<p>a</p><svg viewBox='0 0 9 9'><g><path d='M0 0L9 9'/></g><title>Icon</title></SVG><p>b</p>";
        assert_eq!(prepare_source(icon, MAX_NESTING).0, "<p>a</p><svg viewBox='0 0 9 9'></SVG><p>b</p>");
        // A drawing within a drawing: the inner one's body goes, the outer one's stays.
        assert_eq!(prepare_source("<svg><svg><path/></svg></svg>", MAX_NESTING).0, "<svg><svg></svg></svg>");
        // Each of these the parser reads as HTML, so the body stays: a paragraph (which ends
        // the drawing), a foreign object, a comment, a drawing never closed.
        for kept in [
            "<svg><path d='M0'/><p>breaks out</p></svg>",
            "<svg><foreignObject><div>html</div></foreignObject></svg>",
            "<svg><!-- </svg> --><path/></svg>",
            "<svg><path d='M0'/>",
        ] {
            assert_eq!(prepare_source(kept, MAX_NESTING).0, kept);
        }
        let (dom, _, _) = Dom::parse("<svg><path d='M0'/><p>breaks out</p></svg><p>after</p>");
        assert_eq!(dom.text(0), "breaks out after");
    }
}
