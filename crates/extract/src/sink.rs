//! The arena html5ever's tree builder writes into while it parses; [`Dom`](crate::dom::Dom) is
//! read from it once, in document order.
//!
//! The tree builder moves nodes around as a browser does (misnested tags, tables, the adoption
//! agency), so the tree is linked both ways while parsing. Nodes are indices; nothing here
//! panics on a sequence of calls the tree builder makes.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, QualName, local_name, ns};

/// No node: the end of a list of siblings, or no parent.
pub const NONE: usize = usize::MAX;

/// The document node is always the first.
pub const DOCUMENT: usize = 0;

#[derive(Debug)]
pub struct SinkNode {
    pub parent: usize,
    pub first_child: usize,
    pub last_child: usize,
    pub prev_sibling: usize,
    pub next_sibling: usize,
    /// The element's name; an empty name for every other node.
    pub name: QualName,
    pub kind: Kind,
}

#[derive(Debug)]
pub enum Kind {
    Document,
    Element {
        attrs: Vec<Attribute>,
        template_contents: usize,
    },
    Text(StrTendril),
    /// A comment React's streaming renderer writes around a part that may arrive late: `$`,
    /// `$?` or `$!` open one (`opens`), `/$` closes it.
    BoundaryMark {
        opens: bool,
    },
    /// Other comments, processing instructions and template contents: never part of the page.
    Other,
}

/// The tree as parsed.
#[derive(Debug)]
pub struct Tree {
    pub nodes: Vec<SinkNode>,
}

impl Tree {
    pub fn first_child(&self, i: usize) -> usize {
        self.nodes[i].first_child
    }

    pub fn next_sibling(&self, i: usize) -> usize {
        self.nodes[i].next_sibling
    }

    /// The nodes below `root` in document order, `root` excluded.
    pub fn descendants(&self, root: usize) -> impl Iterator<Item = usize> + '_ {
        let mut next = self.nodes[root].first_child;
        std::iter::from_fn(move || {
            if next == NONE {
                return None;
            }
            let current = next;
            next = self.nodes[current].first_child;
            let mut up = current;
            while next == NONE && up != root {
                next = self.nodes[up].next_sibling;
                up = self.nodes[up].parent;
                if up == NONE {
                    break;
                }
            }
            Some(current)
        })
    }

    /// The children of `parent`, in order.
    pub fn children(&self, parent: usize) -> impl Iterator<Item = usize> + '_ {
        let mut next = self.nodes[parent].first_child;
        std::iter::from_fn(move || {
            if next == NONE {
                return None;
            }
            let current = next;
            next = self.nodes[current].next_sibling;
            Some(current)
        })
    }

    pub fn text(&self, i: usize) -> Option<&str> {
        match &self.nodes[i].kind {
            Kind::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The element's local name, or "" for any other node.
    pub fn local_name(&self, i: usize) -> &str {
        &self.nodes[i].name.local
    }

    pub fn attr(&self, i: usize, name: &str) -> Option<&str> {
        match &self.nodes[i].kind {
            Kind::Element { attrs, .. } => attrs.iter().find(|a| &*a.name.local == name).map(|a| &*a.value),
            _ => None,
        }
    }

    /// Moves a text node's text out (the node keeps an empty one).
    pub fn take_text(&mut self, i: usize) -> StrTendril {
        match &mut self.nodes[i].kind {
            Kind::Text(text) => std::mem::take(text),
            _ => StrTendril::new(),
        }
    }

    /// Moves an element's local name and attributes out (the node keeps no attributes).
    pub fn take_element(&mut self, i: usize) -> (LocalName, Vec<Attribute>) {
        let name = self.nodes[i].name.local.clone();
        match &mut self.nodes[i].kind {
            Kind::Element { attrs, .. } => (name, std::mem::take(attrs)),
            _ => (name, Vec::new()),
        }
    }

    /// Puts the parts a server streamed late where its script puts them at once, as a browser
    /// shows the page. React's streaming renderer sends each late part as `<div hidden
    /// id="S:1f">` at the end of the body with a script that moves its children to their place:
    /// before `<template id="P:1f">` (which goes), or in place of the fallback (a skeleton, a
    /// spinner) that follows `<template id="B:1f">` up to the boundary's closing `<!--/$-->`.
    /// A part without its place, or a place without its part, is left as it is.
    pub fn move_streamed_parts(&mut self) {
        let mut parts = std::collections::HashMap::new();
        let mut places = Vec::new();
        for i in 0..self.nodes.len() {
            let node = &self.nodes[i];
            if node.parent == NONE || !matches!(&*node.name.local, "div" | "template") {
                continue;
            }
            let Some((kind, key)) = self.attr(i, "id").and_then(streamed_id) else { continue };
            match (kind, self.local_name(i)) {
                ("S", "div") if self.attr(i, "hidden").is_some() => {
                    parts.entry(key.to_owned()).or_insert(i);
                }
                ("B" | "P", "template") => places.push((kind == "B", key.to_owned(), i)),
                _ => {}
            }
        }
        if parts.is_empty() {
            return;
        }
        for (boundary, key, place) in places {
            let Some(part) = parts.remove(&key) else { continue };
            // A place inside its own part (hostile markup) would put the part inside itself.
            if self.nodes[place].parent == NONE || self.is_within(place, part) {
                continue;
            }
            let mut before = place;
            if let Some(close) = boundary.then(|| self.boundary_close(place)).flatten() {
                while self.nodes[place].next_sibling != close {
                    let fallback = self.nodes[place].next_sibling;
                    self.detach(fallback);
                }
                before = close;
            }
            let mut child = self.nodes[part].first_child;
            while child != NONE {
                let next = self.nodes[child].next_sibling;
                self.insert_before(before, child);
                child = next;
            }
            self.detach(part);
            self.detach(place);
        }
    }

    /// Whether `node` is `ancestor` or below it.
    fn is_within(&self, node: usize, ancestor: usize) -> bool {
        let mut current = node;
        while current != NONE {
            if current == ancestor {
                return true;
            }
            current = self.nodes[current].parent;
        }
        false
    }

    /// The `<!--/$-->` that closes the boundary whose late part goes at `place`: the first
    /// closing mark among its next siblings not matched by an opening one.
    fn boundary_close(&self, place: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut next = self.nodes[place].next_sibling;
        while next != NONE {
            if let Kind::BoundaryMark { opens } = self.nodes[next].kind {
                if opens {
                    depth += 1;
                } else if depth == 0 {
                    return Some(next);
                } else {
                    depth -= 1;
                }
            }
            next = self.nodes[next].next_sibling;
        }
        None
    }

    fn push(&mut self, name: QualName, kind: Kind) -> usize {
        self.nodes.push(SinkNode {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev_sibling: NONE,
            next_sibling: NONE,
            name,
            kind,
        });
        self.nodes.len() - 1
    }

    fn detach(&mut self, i: usize) {
        let SinkNode { parent, prev_sibling, next_sibling, .. } = self.nodes[i];
        if parent == NONE {
            return;
        }
        if prev_sibling == NONE {
            self.nodes[parent].first_child = next_sibling;
        } else {
            self.nodes[prev_sibling].next_sibling = next_sibling;
        }
        if next_sibling == NONE {
            self.nodes[parent].last_child = prev_sibling;
        } else {
            self.nodes[next_sibling].prev_sibling = prev_sibling;
        }
        let node = &mut self.nodes[i];
        node.parent = NONE;
        node.prev_sibling = NONE;
        node.next_sibling = NONE;
    }

    fn append_child(&mut self, parent: usize, child: usize) {
        self.detach(child);
        let last = self.nodes[parent].last_child;
        self.nodes[child].parent = parent;
        self.nodes[child].prev_sibling = last;
        if last == NONE {
            self.nodes[parent].first_child = child;
        } else {
            self.nodes[last].next_sibling = child;
        }
        self.nodes[parent].last_child = child;
    }

    fn insert_before(&mut self, sibling: usize, new: usize) {
        self.detach(new);
        let parent = self.nodes[sibling].parent;
        let prev = self.nodes[sibling].prev_sibling;
        self.nodes[new].parent = parent;
        self.nodes[new].prev_sibling = prev;
        self.nodes[new].next_sibling = sibling;
        self.nodes[sibling].prev_sibling = new;
        if prev == NONE {
            self.nodes[parent].first_child = new;
        } else {
            self.nodes[prev].next_sibling = new;
        }
    }

    /// Appends `text` to node `i` if it is a text node.
    fn extend_text(&mut self, i: usize, text: &StrTendril) -> bool {
        match self.nodes.get_mut(i).map(|node| &mut node.kind) {
            Some(Kind::Text(existing)) => {
                existing.push_tendril(text);
                true
            }
            _ => false,
        }
    }
}

/// The kind and key of an id React's streaming renderer gives a late part or its place
/// (`S:1f` → `("S", "1f")`): a letter, a colon and a hexadecimal number.
pub fn streamed_id(id: &str) -> Option<(&str, &str)> {
    id.split_once(':').filter(|(_, key)| !key.is_empty() && key.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The [`TreeSink`] that builds a [`Tree`].
#[derive(Debug)]
pub struct Sink(RefCell<Tree>);

impl Sink {
    pub fn with_capacity(nodes: usize) -> Sink {
        let mut tree = Tree { nodes: Vec::with_capacity(nodes) };
        tree.push(no_name(), Kind::Document);
        Sink(RefCell::new(tree))
    }
}

fn no_name() -> QualName {
    QualName::new(None, ns!(), local_name!(""))
}

impl TreeSink for Sink {
    type Handle = usize;
    type Output = Tree;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Tree {
        self.0.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.0.borrow(), |tree| &tree.nodes[*target].name)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let mut tree = self.0.borrow_mut();
        let template_contents = if flags.template { tree.push(no_name(), Kind::Other) } else { NONE };
        tree.push(name, Kind::Element { attrs, template_contents })
    }

    fn create_comment(&self, text: StrTendril) -> usize {
        let kind = match &*text {
            "$" | "$?" | "$!" => Kind::BoundaryMark { opens: true },
            "/$" => Kind::BoundaryMark { opens: false },
            _ => Kind::Other,
        };
        self.0.borrow_mut().push(no_name(), kind)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.0.borrow_mut().push(no_name(), Kind::Other)
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        let mut tree = self.0.borrow_mut();
        match child {
            NodeOrText::AppendNode(node) => tree.append_child(*parent, node),
            NodeOrText::AppendText(text) => {
                let last = tree.nodes[*parent].last_child;
                if !tree.extend_text(last, &text) {
                    let node = tree.push(no_name(), Kind::Text(text));
                    tree.append_child(*parent, node);
                }
            }
        }
    }

    fn append_based_on_parent_node(&self, element: &usize, prev_element: &usize, child: NodeOrText<usize>) {
        let has_parent = self.0.borrow().nodes[*element].parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        let mut tree = self.0.borrow_mut();
        match tree.nodes[*target].kind {
            Kind::Element { template_contents, .. } if template_contents != NONE => template_contents,
            // Not a template: give the tree builder somewhere harmless to write.
            _ => tree.push(no_name(), Kind::Other),
        }
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        let mut tree = self.0.borrow_mut();
        if let NodeOrText::AppendNode(node) = new_node {
            tree.detach(node);
        }
        if tree.nodes[*sibling].parent == NONE {
            return;
        }
        match new_node {
            NodeOrText::AppendNode(node) => tree.insert_before(*sibling, node),
            NodeOrText::AppendText(text) => {
                let prev = tree.nodes[*sibling].prev_sibling;
                if !tree.extend_text(prev, &text) {
                    let node = tree.push(no_name(), Kind::Text(text));
                    tree.insert_before(*sibling, node);
                }
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &usize, new: Vec<Attribute>) {
        let mut tree = self.0.borrow_mut();
        if let Kind::Element { attrs, .. } = &mut tree.nodes[*target].kind {
            for attr in new {
                if !attrs.iter().any(|a| a.name == attr.name) {
                    attrs.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        self.0.borrow_mut().detach(*target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut tree = self.0.borrow_mut();
        let mut child = tree.nodes[*node].first_child;
        while child != NONE {
            let next = tree.nodes[child].next_sibling;
            tree.append_child(*new_parent, child);
            child = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use html5ever::tendril::TendrilSink;

    fn parse(html: &str) -> Tree {
        html5ever::parse_document(Sink::with_capacity(16), Default::default()).one(html)
    }

    /// The tree as nested tags and texts, for comparing shapes.
    fn outline(tree: &Tree, i: usize) -> String {
        let mut out = String::new();
        for child in tree.children(i) {
            match &tree.nodes[child].kind {
                Kind::Text(text) => out.push_str(text),
                Kind::Element { .. } => {
                    let name = tree.local_name(child);
                    out.push_str(&format!("<{name}>{}</{name}>", outline(tree, child)));
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn misnested_tags_are_rebuilt_as_a_browser_does() {
        let tree =
            parse("<p>one <b>two <i>three</b> four</i> five</p><table><tr><td>cell</td></tr>stray</table>");
        assert_eq!(
            outline(&tree, DOCUMENT),
            "<html><head></head><body><p>one <b>two <i>three</i></b><i> four</i> five</p>\
             stray<table><tbody><tr><td>cell</td></tr></tbody></table></body></html>"
        );
    }

    #[test]
    fn adjacent_texts_merge_and_descendants_follow_document_order() {
        let tree = parse("<div>a&amp;b<!-- note -->c<span>d</span>e</div>");
        let div = tree.descendants(DOCUMENT).find(|&i| tree.local_name(i) == "div").expect("div");
        let texts: Vec<&str> = tree.descendants(div).filter_map(|i| tree.text(i)).collect();
        assert_eq!(texts, ["a&b", "c", "d", "e"]);
        let after: Vec<&str> = tree.descendants(DOCUMENT).map(|i| tree.local_name(i)).collect();
        assert_eq!(after, ["html", "head", "body", "div", "", "", "", "span", "", ""]);
    }

    #[test]
    fn repeated_html_tags_add_missing_attributes() {
        let tree = parse("<html lang=en><body><html lang=fr dir=rtl><p>x");
        let html = tree.descendants(DOCUMENT).find(|&i| tree.local_name(i) == "html").expect("html");
        assert_eq!(tree.attr(html, "lang"), Some("en"));
        assert_eq!(tree.attr(html, "dir"), Some("rtl"));
    }

    /// The body's outline after the late parts are moved in.
    fn streamed(html: &str) -> String {
        let mut tree = parse(html);
        tree.move_streamed_parts();
        let body = tree.descendants(DOCUMENT).find(|&i| tree.local_name(i) == "body").expect("body");
        outline(&tree, body)
    }

    #[test]
    fn late_parts_replace_their_fallbacks_in_place() {
        // A boundary's fallback (up to its own closing mark, past a nested boundary) goes; a
        // segment's placeholder goes; parts arrive in any order and may hold later places.
        let html = "<main><p>top</p><!--$?--><template id=\"B:1a\"></template><i>skeleton</i>\
                    <!--$--><b>inner</b><!--/$--><i>spinner</i><!--/$--><p>end</p></main>\
                    <div hidden id=\"S:1c\"><em>late</em></div>\
                    <div hidden id=\"S:1a\"><p>one</p><template id=\"P:1c\"></template><p>two</p></div>";
        assert_eq!(streamed(html), "<main><p>top</p><p>one</p><em>late</em><p>two</p><p>end</p></main>");
    }

    #[test]
    fn parts_or_places_alone_stay_as_they_are() {
        // No closing mark: the fallback stays and the part goes before it. A part without a
        // place, a place without a part, and a shown `S:` element are left alone.
        let html = "<main><template id=\"B:0\"></template><i>wait</i></main>\
                    <div hidden id=\"S:0\"><p>late</p></div><div hidden id=\"S:2\"><p>lost</p></div>\
                    <template id=\"P:3\"></template><div id=\"S:3\"><p>shown</p></div>";
        assert_eq!(
            streamed(html),
            "<main><p>late</p><i>wait</i></main><div><p>lost</p></div><template></template><div><p>shown</p></div>"
        );
    }

    #[test]
    fn a_part_holding_its_own_place_stays_where_it_is() {
        // Hostile markup: moving the part to a place inside it would make it its own ancestor.
        let html = "<div hidden id=\"S:1\"><p>one</p><div><template id=\"P:1\"></template></div></div>\
                    <div hidden id=\"S:2\"><!--$?--><template id=\"B:2\"></template><!--/$--><p>two</p></div>";
        assert_eq!(
            streamed(html),
            "<div><p>one</p><div><template></template></div></div><div><template></template><p>two</p></div>"
        );
    }
}
