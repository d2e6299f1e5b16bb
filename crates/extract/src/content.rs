//! Finding the main content: removing furniture, scoring paragraphs into their ancestors,
//! and choosing the best container with its related siblings.
//!
//! The scoring follows the approach Arc90's Readability made standard: paragraphs score by
//! length and commas, ancestors inherit the score with distance, class and id hints add or
//! subtract, and link density discounts navigation.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use crate::dom::{Data, Dom, Element, is_inline_tag};
use crate::patterns::{
    class_weight, furniture_words, is_clamped_class, is_close_control, is_closed_panel_class,
    is_comments_class, is_consent_class, is_display_none_class, is_furniture_class, is_furniture_role,
    is_furniture_text, is_hidden_class, is_hidden_everywhere_class, is_member_card, is_reviews_class,
    is_screen_size_class, is_signature_class, is_unlikely_candidate, is_uuid, names_post_text,
    without_teaser_names, without_thread_names, without_words,
};
use crate::sink::streamed_id;

/// Paragraphs shorter than this (in characters) do not score.
const MIN_PARAGRAPH_CHARS: usize = 25;
/// Ancestors beyond this many levels above a paragraph get none of its score.
const SCORE_ANCESTOR_LEVELS: usize = 5;
/// An element hidden by its style that holds this share of the page's text hides the page
/// while it loads.
const LOADING_WRAPPER_SHARE: f32 = 0.9;
/// An element with at least this share of the page's text is protected from class-name rules.
const MOST_TEXT_SHARE: f32 = 0.4;
/// A page that shows at most this share of its text, the rest in blocks hidden by
/// `display:none`, is sent hidden for its script to show.
const STREAMED_SHOWN_SHARE: f32 = 0.1;
/// A paragraph this long (in characters) with few links is prose.
const LONG_PARAGRAPH_CHARS: usize = 150;
/// When more than this many siblings join the top candidate, their parent is the article.
const MANY_SIBLINGS: usize = 3;
/// A parent is taken as the content while the share of link text in what it adds to the
/// container stays under this (measured on both development sets: 0.1 to 0.5 give nearly the
/// same figures; 0.3 keeps the Readability pages best).
const WIDEN_MAX_LINK_SHARE: f32 = 0.3;
/// In a thread, the most of a post's text that its links (the poster's name and card, the
/// post's number and tools) may be.
const THREAD_POST_MAX_LINK_SHARE: f32 = 0.5;
/// Characters of text that make a schema.org `Person` a box about them, not a byline.
const PERSON_BOX_CHARS: usize = 100;
/// Boxes about people that make a page of people (outside threads).
const MIN_PEOPLE: usize = 3;
/// Fewest repeated elements that make a list of cards.
pub const MIN_CARDS: usize = 4;
/// How far above a list of cards its section's box may be.
const SECTION_LEVELS: usize = 3;
/// Characters of text outside links an element needs beside its lists of links to be judged
/// without them (see `link_density_without_link_lists`).
const MIN_TEXT_BESIDE_LINK_LISTS: usize = 200;
/// Text of a card's own, besides its links, that makes it more than a menu entry.
const CARD_OWN_TEXT: usize = 20;
/// The share of a box's text in lists for it to be a list that the text before it announces
/// (see `Analysis::is_announced_list`).
const ANNOUNCED_LIST_SHARE: f32 = 0.9;
/// The longest announcement of a list, in characters: a sentence or a short paragraph.
const ANNOUNCEMENT_MAX_CHARS: usize = 400;
/// The share of a list's text in links above which it is a list of links only.
const LINKS_ONLY_SHARE: f32 = 0.9;
/// The fewest characters of a title in a header that is only its link (see
/// `Analysis::is_title_link_header`): a line of words, not "Next" or a logo's name.
const MIN_TITLE_CHARS: usize = 20;
/// The longest label of a list's item, in characters (see `is_labelled_list`).
const LABEL_MAX_CHARS: usize = 40;
/// How many wrappers holding only a list are looked through for the text that announces it.
const MAX_LIST_WRAPPERS: usize = 3;
/// The text, out of links, that must follow a list of links only for the story to go on
/// after it.
const TEXT_GOES_ON_CHARS: usize = 100;

/// How many top-scoring containers are compared when looking for a common ancestor.
const TOP_CANDIDATES: usize = 5;

/// Switches that are turned off one by one when a pass finds too little text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags {
    pub strip_unlikely: bool,
    pub weight_classes: bool,
    pub clean_conditionally: bool,
    /// The page is a forum or Q&A thread: its posts are the content, so class names that
    /// say comment, reply or community do not make an element furniture, and a short post
    /// beside its poster's links is not a link list.
    pub thread: bool,
    /// The page's content is read as a list of cards: class names that say teaser or
    /// related name the cards themselves, not recirculation beside an article.
    pub cards: bool,
    /// The page is a product's: its customers' reviews are what others say of it, as
    /// comments are under a story, not its description.
    pub product: bool,
}

impl Flags {
    pub const ALL: Flags = Flags {
        strip_unlikely: true,
        weight_classes: true,
        clean_conditionally: true,
        thread: false,
        cards: false,
        product: false,
    };
    /// Only the furniture rules that always hold.
    pub const FURNITURE_ONLY: Flags = Flags {
        strip_unlikely: false,
        weight_classes: false,
        clean_conditionally: false,
        thread: false,
        cards: false,
        product: false,
    };

    /// The same flags, for a thread's page or not.
    pub fn in_thread(self, thread: bool) -> Flags {
        Flags { thread, ..self }
    }

    /// The same flags, for a product's page or not.
    pub fn of_product(self, product: bool) -> Flags {
        Flags { product, ..self }
    }

    /// The next, more lenient set of flags, or none after the last.
    pub fn relaxed(self) -> Option<Flags> {
        if self.strip_unlikely {
            Some(Flags { strip_unlikely: false, ..self })
        } else if self.weight_classes {
            Some(Flags { weight_classes: false, ..self })
        } else if self.clean_conditionally {
            Some(Flags { clean_conditionally: false, ..self })
        } else {
            None
        }
    }
}

/// The chosen container and the best-scoring node it was reached from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub node: usize,
    pub seed: usize,
}

/// Figures of a node's subtree, counting only nodes that were not removed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Characters of text, whitespace runs counted once.
    pub text: usize,
    /// Characters of text inside links.
    pub link_text: usize,
    pub commas: usize,
    pub paragraphs: usize,
    pub images: usize,
    pub list_items: usize,
    pub list_text: usize,
    pub inputs: usize,
    pub embeds: usize,
    pub heading_text: usize,
    /// Paragraphs of real prose: long, with few links.
    pub long_paragraphs: usize,
    /// Has an element child that is a block (so it is not a paragraph in disguise).
    pub has_block_child: bool,
}

impl Stats {
    pub fn link_density(&self) -> f32 {
        if self.text == 0 { 0.0 } else { self.link_text as f32 / self.text as f32 }
    }
}

/// The page after furniture removal, with figures for every node.
#[derive(Debug)]
pub struct Analysis<'a> {
    pub dom: &'a Dom,
    pub flags: Flags,
    pub removed: Vec<bool>,
    pub stats: Vec<Stats>,
    pub scores: Vec<Option<f32>>,
    spared: &'a Spared,
}

pub fn is_block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "details"
            | "dialog"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "ul"
            | "select"
            | "img"
            | "amp-img"
            | "picture"
            | "video"
            | "iframe"
            | "center"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
    )
}

/// Elements that are never part of an article body.
fn is_furniture_tag(tag: &str) -> bool {
    matches!(
        tag,
        "nav"
            | "button"
            | "input"
            | "form"
            | "object"
            | "embed"
            | "dialog"
            | "menu"
            | "link"
            | "meta"
            | "audio"
            | "label"
            | "option"
            | "applet"
            | "frame"
            | "frameset"
            | "base"
    )
}

impl<'a> Analysis<'a> {
    /// Marks furniture (and, with `strip_unlikely`, unlikely blocks) as removed, along with
    /// `extra_removed` (the headline, the byline…), and computes subtree figures.
    /// `spared` is computed once per page.
    pub fn new(dom: &'a Dom, flags: Flags, extra_removed: &[usize], spared: &'a Spared) -> Analysis<'a> {
        let n = dom.nodes.len();
        let mut removed = vec![false; n];
        for &i in extra_removed {
            removed[i] = true;
        }
        let mut i = 0;
        while i < n {
            if removed[i] || should_remove(dom, i, flags, spared) {
                removed[i] = true;
                i = dom.nodes[i].end;
                continue;
            }
            i += 1;
        }
        // Propagate removal to whole subtrees.
        let mut i = 0;
        while i < n {
            if removed[i] {
                let end = dom.nodes[i].end;
                removed[i..end].iter_mut().for_each(|r| *r = true);
                i = end;
            } else {
                i += 1;
            }
        }
        let stats = compute_stats(dom, &removed);
        Analysis { dom, flags, removed, stats, scores: vec![None; n], spared }
    }

    pub fn class_weight(&self, i: usize) -> f32 {
        if !self.flags.weight_classes {
            return 0.0;
        }
        let plain = |name: &'a str| {
            let name = self.spared.without_headline_words(self.dom, i, name);
            if self.flags.thread { Cow::Owned(without_thread_names(&name)) } else { name }
        };
        let (class, id) = (self.dom.attr(i, "class").map(plain), self.dom.attr(i, "id").map(plain));
        let weight = class_weight(class.as_deref(), id.as_deref());
        if self.spared.headline_box[i] { 0.0 } else { weight }
    }

    /// Scores paragraphs into their ancestors. `paragraph_bonus` gives a factor per
    /// paragraph (the JSON-LD articleBody signal); 1.0 means none, 0.0 leaves it out.
    pub fn score(&mut self, paragraph_bonus: &dyn Fn(usize) -> f32) {
        let dom = self.dom;
        for i in 0..dom.nodes.len() {
            if self.removed[i] || !self.is_scorable(i) {
                continue;
            }
            let stats = self.stats[i];
            if stats.text < MIN_PARAGRAPH_CHARS {
                continue;
            }
            let factor = paragraph_bonus(i);
            if factor == 0.0 {
                continue;
            }
            let score = (1.0 + stats.commas as f32 + (stats.text / 100).min(3) as f32) * factor;
            for (level, ancestor) in dom.ancestors(i).take(SCORE_ANCESTOR_LEVELS).enumerate() {
                if ancestor == 0 || dom.element(ancestor).is_none() {
                    break;
                }
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    _ => level as f32 * 3.0,
                };
                let current = match self.scores[ancestor] {
                    Some(current) => current,
                    None => self.initial_score(ancestor),
                };
                self.scores[ancestor] = Some(current + score / divider);
            }
        }
    }

    /// Paragraph-like elements that give score: p, pre, td, and divs holding only inline content.
    fn is_scorable(&self, i: usize) -> bool {
        match self.dom.tag(i) {
            "p" | "pre" | "td" => true,
            "div" | "section" | "article" | "span" => {
                !self.stats[i].has_block_child && self.dom.tag(i) != "span"
            }
            _ => false,
        }
    }

    fn initial_score(&self, i: usize) -> f32 {
        let base = match self.dom.tag(i) {
            "div" | "article" | "main" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
            _ => 0.0,
        };
        base + self.class_weight(i)
    }

    fn final_score(&self, i: usize) -> Option<f32> {
        self.scores[i].map(|score| score * (1.0 - self.stats[i].link_density()))
    }

    /// The best container (or the body when nothing scored), and the best-scoring node it
    /// was reached from.
    pub fn top_candidate(&self) -> Candidate {
        let dom = self.dom;
        let mut ranked: Vec<(usize, f32)> =
            (0..dom.nodes.len()).filter_map(|i| Some((i, self.final_score(i)?))).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let seed = ranked.first().map_or_else(|| self.body(), |&(i, _)| i);
        let post_text = self.post_text_box(seed);
        let mut top = self.climb(&ranked);
        // Climbed above the box named as the post's text, by the score of the boxes beside it:
        // the box is the post, when no other box shares its name (the parts of a story split by
        // ads or pictures may each carry it).
        if let Some(post) = post_text.filter(|&p| p != top && dom.is_inside(p, top) && self.only_one_named(p))
        {
            top = post;
        }
        Candidate { node: self.widen(top, post_text), seed }
    }

    /// Pages made of several content blocks in sequence (a service page's sections, a
    /// listing's cards, a thread's posts): while the parent's text beyond the container is
    /// text rather than links, the parent is the content. Not beyond the box the page names as
    /// the post's text (`post_text`, see [`Analysis::post_text_box`]): the boxes beside it are
    /// the site's (an author's box, a contact form's pitch, a column of news), however much
    /// text they hold.
    fn widen(&self, mut top: usize, post_text: Option<usize>) -> usize {
        let dom = self.dom;
        loop {
            let parent = dom.nodes[top].parent;
            if parent == 0 || matches!(dom.tag(parent), "body" | "html") || self.class_weight(parent) < 0.0 {
                return top;
            }
            if post_text.is_some_and(|p| p == top || dom.is_inside(p, top)) {
                return top;
            }
            let (inner, outer) = (self.stats[top], self.stats[parent]);
            let extra = outer.text.saturating_sub(inner.text);
            if extra > 0 {
                let links = outer.link_text.saturating_sub(inner.link_text) as f32 / extra as f32;
                if links > WIDEN_MAX_LINK_SHARE {
                    return top;
                }
            }
            top = parent;
        }
    }

    /// The box holding `seed` that the page names as the post's or article's own text: by
    /// schema.org's `itemprop="articleBody"`, or by a name ("entry-content",
    /// "elementor-widget-theme-post-content", see [`names_post_text`]) as its id or as a class no
    /// other box has (in a thread, or on a page of several posts, each post's box is named so).
    fn post_text_box(&self, seed: usize) -> Option<usize> {
        let dom = self.dom;
        if self.flags.thread {
            return None;
        }
        let named = |a: usize| {
            dom.attr(a, "id").is_some_and(names_post_text)
                || dom
                    .attr(a, "itemprop")
                    .is_some_and(|p| p.split_whitespace().any(|w| w.eq_ignore_ascii_case("articleBody")))
                || dom
                    .attr(a, "class")
                    .is_some_and(|class| names_post_text(class) && self.one_with_class(|c| c == class))
        };
        std::iter::once(seed).chain(dom.ancestors(seed)).find(|&a| named(a))
    }

    /// Whether no other box has a class of the names by which `post` is named the post's text.
    fn only_one_named(&self, post: usize) -> bool {
        let Some(class) = self.dom.attr(post, "class") else { return true };
        class
            .split_whitespace()
            .filter(|&name| names_post_text(name))
            .all(|name| self.one_with_class(|c| c.split_whitespace().any(|n| n == name)))
    }

    /// Whether at most one element of the page has a class attribute that `fits`.
    fn one_with_class(&self, fits: impl Fn(&str) -> bool) -> bool {
        let dom = self.dom;
        (0..dom.nodes.len()).filter(|&i| dom.attr(i, "class").is_some_and(&fits)).nth(1).is_none()
    }

    /// From the best-scoring node (the first of `ranked`) up to the container of the article.
    fn climb(&self, ranked: &[(usize, f32)]) -> usize {
        let dom = self.dom;
        let body = self.body();
        let Some(&(mut top, top_score)) = ranked.first() else { return body };
        if matches!(dom.tag(top), "body" | "html") {
            return body;
        }

        // Several strong candidates inside one ancestor: the ancestor is the article.
        let alternatives: Vec<usize> = ranked
            .iter()
            .skip(1)
            .take(TOP_CANDIDATES - 1)
            .filter(|(_, score)| *score >= top_score * 0.75)
            .map(|(i, _)| *i)
            .collect();
        if alternatives.len() >= 3 {
            for ancestor in dom.ancestors(top) {
                if ancestor == 0 || matches!(dom.tag(ancestor), "body" | "html") {
                    break;
                }
                let inside = alternatives.iter().filter(|&&alt| dom.is_inside(alt, ancestor)).count();
                if inside >= 3 {
                    top = ancestor;
                    break;
                }
            }
        }

        // Climb while the parent keeps a good share of the score.
        let mut last_score = self.final_score(top).unwrap_or(top_score);
        let threshold = last_score / 3.0;
        let mut parent = dom.nodes[top].parent;
        while parent != 0 && !matches!(dom.tag(parent), "body" | "html") {
            let Some(parent_score) = self.final_score(parent) else {
                parent = dom.nodes[parent].parent;
                continue;
            };
            if parent_score < threshold {
                break;
            }
            if parent_score > last_score {
                top = parent;
                break;
            }
            last_score = parent_score;
            parent = dom.nodes[parent].parent;
        }

        // An only child says nothing its parent does not.
        loop {
            let parent = dom.nodes[top].parent;
            if parent == 0 || matches!(dom.tag(parent), "body" | "html") {
                break;
            }
            let element_children =
                dom.children(parent).filter(|&c| !self.removed[c] && dom.element(c).is_some()).count();
            let has_text = dom.children(parent).any(|c| dom.text_of(c).is_some_and(|t| !t.trim().is_empty()));
            if element_children != 1 || has_text {
                break;
            }
            top = parent;
        }
        top
    }

    /// The top candidate and those of its siblings that belong to the article, in order.
    pub fn article_nodes(&self, candidate: Candidate) -> Vec<usize> {
        let top = candidate.node;
        let dom = self.dom;
        let parent = dom.nodes[top].parent;
        if top == self.body() || parent == 0 {
            return vec![top];
        }
        let top_score = self.final_score(top).unwrap_or(0.0);
        let threshold = (top_score * 0.2).max(10.0);
        let top_class = dom.attr(top, "class").unwrap_or("");
        let mut nodes = Vec::new();
        for sibling in dom.children(parent) {
            if self.removed[sibling] {
                continue;
            }
            if sibling == top {
                nodes.push(sibling);
                continue;
            }
            if dom.element(sibling).is_none() {
                continue;
            }
            let mut bonus = 0.0;
            if !top_class.is_empty() && dom.attr(sibling, "class") == Some(top_class) {
                bonus += top_score * 0.2;
            }
            let stats = self.stats[sibling];
            let append = match self.final_score(sibling) {
                Some(score) if score + bonus >= threshold => true,
                _ if dom.tag(sibling) == "p" => {
                    let density = stats.link_density();
                    if stats.text > 80 {
                        density < 0.25
                    } else {
                        stats.text > 0 && density == 0.0 && {
                            let text = dom.text(sibling);
                            text.ends_with('.') || text.contains(". ")
                        }
                    }
                }
                _ => false,
            };
            if append {
                nodes.push(sibling);
            }
        }
        // Many of the parent's children belong: the parent is the article's container, and
        // its headings, lists and figures between those paragraphs belong too.
        if nodes.len() > MANY_SIBLINGS && parent != self.body() {
            nodes = vec![parent];
        }
        self.add_parts_elsewhere(candidate, &mut nodes);
        nodes
    }

    /// Articles split into sections (by pull quotes, figures or ads) repeat the structure of
    /// the best-scoring container further up or down the page: each other scoring node with the
    /// seed's tag and class, taken as many levels up as the seed was climbed, belongs too. In a
    /// thread, so does each node of the seed's tag and class in a like place, scoring or not:
    /// a short reply is a post too.
    fn add_parts_elsewhere(&self, candidate: Candidate, nodes: &mut Vec<usize>) {
        let dom = self.dom;
        let Candidate { node: top, seed } = candidate;
        // A seed inside a quote (a reply quoting the first post paragraph by paragraph scores
        // best) stands for the post that holds the quote: the parts are the other posts, not
        // the other quotes.
        let seed = dom
            .ancestors(seed)
            .take_while(|&a| a != top)
            .find(|&a| dom.tag(a) == "blockquote")
            .map_or(seed, |quote| dom.nodes[quote].parent);
        let Some(class) = dom.attr(seed, "class").filter(|c| !c.trim().is_empty()) else { return };
        let levels = if seed == top { 0 } else { dom.ancestors(seed).take_while(|&a| a != top).count() + 1 };
        let threshold = (self.final_score(seed).unwrap_or(0.0) * 0.2).max(10.0);
        let body = self.body();
        let mut added = false;
        for i in 0..dom.nodes.len() {
            if i == seed || dom.tag(i) != dom.tag(seed) || dom.attr(i, "class") != Some(class) {
                continue;
            }
            // In a thread, each box of the seed's kind in a like place is a post, however short
            // its text (a post read as one paragraph scores nothing of its own).
            let is_part = if self.flags.thread {
                self.stats[i].text > 0 && !self.removed[i] && same_path(dom, i, seed, levels)
            } else {
                self.final_score(i).is_some_and(|score| score >= threshold)
            };
            if !is_part {
                continue;
            }
            let mut part = i;
            for _ in 0..levels {
                let parent = dom.nodes[part].parent;
                if parent == 0 || parent == body {
                    break;
                }
                part = parent;
            }
            if !nodes.iter().any(|&n| n == part || dom.is_inside(part, n) || dom.is_inside(n, part)) {
                nodes.push(part);
                added = true;
            }
        }
        if added {
            nodes.sort_unstable();
        }
    }

    /// The container of a listing's repeated cards (products, stories, events): the element
    /// with the most text among those whose children are at least [`MIN_CARDS`] elements of one
    /// tag and first class name (rows striped by a second class are one kind), most of them
    /// with a heading, an image or text besides their links, and holding most of the
    /// container's text. Children with neither text nor a picture (rules, spacers between the
    /// cards) are not cards.
    pub fn card_list(&self) -> Option<usize> {
        let dom = self.dom;
        let mut best: Option<(usize, usize)> = None;
        for parent in 0..dom.nodes.len() {
            if self.removed[parent] || dom.element(parent).is_none() {
                continue;
            }
            // Children grouped by tag and class, in a map: a hostile page may give each of
            // many children a class of its own. Ties go to the group met last, as in order.
            let mut groups: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
            for child in dom.children(parent) {
                let empty = self.stats[child].text == 0 && self.stats[child].images == 0;
                if self.removed[child] || dom.element(child).is_none() || empty {
                    continue;
                }
                groups
                    .entry((dom.tag(child), card_kind(dom.attr(child, "class").unwrap_or(""))))
                    .or_default()
                    .push(child);
            }
            let Some(cards) =
                groups.into_values().max_by_key(|members| (members.len(), members.first().copied()))
            else {
                continue;
            };
            if cards.len() < MIN_CARDS {
                continue;
            }
            let text: usize = cards.iter().map(|&c| self.stats[c].text).sum();
            let is_card = |c: usize| {
                let stats = self.stats[c];
                stats.images > 0
                    || stats.heading_text > 0
                    || stats.text.saturating_sub(stats.link_text) >= CARD_OWN_TEXT
            };
            let carded = cards.iter().filter(|&&c| is_card(c)).count();
            if carded * 5 < cards.len() * 3 || text * 2 < self.stats[parent].text {
                continue;
            }
            if best.is_none_or(|(_, most)| text > most) {
                best = Some((parent, text));
            }
        }
        best.map(|(parent, _)| parent)
    }

    /// A listing shown in sections, each a heading over its own grid of cards ("Top rated",
    /// "Chicken recipes", "All recipes"): the sections beside the one holding `cards` (see
    /// [`Analysis::card_list`]) whose text is mostly cards of the same tag (or of the same tag and
    /// kind, when a box of that tag holds them), in page order.
    /// Empty when the cards stand alone.
    pub fn card_sections(&self, cards: usize) -> Vec<usize> {
        let dom = self.dom;
        let Some(first) = dom.children(cards).find(|&c| !self.removed[c] && dom.element(c).is_some()) else {
            return Vec::new();
        };
        let (card_tag, kind) = (dom.tag(first), card_kind(dom.attr(first, "class").unwrap_or("")));
        let is_heading = |j: usize| matches!(dom.tag(j), "h2" | "h3" | "h4");
        // The section: the nearest box above the cards with a heading of its own before them.
        let Some(section) = dom
            .ancestors(cards)
            .take(SECTION_LEVELS)
            .find(|&a| (a + 1..cards).any(|j| is_heading(j) && !self.removed[j]))
        else {
            return Vec::new();
        };
        let parent = dom.nodes[section].parent;
        let mut sections = Vec::new();
        for sibling in dom.children(parent) {
            if self.removed[sibling] || dom.element(sibling).is_none() {
                continue;
            }
            if sibling == section {
                sections.push(sibling);
                continue;
            }
            let end = dom.nodes[sibling].end;
            if !(sibling + 1..end).any(|j| is_heading(j) && !self.removed[j]) {
                continue;
            }
            // Its cards: elements of the cards' tag with a picture or a heading, not nested;
            // else, when they are in a box of that tag too (a wiki's columns of groups), those
            // of the cards' own kind.
            let (mut count, mut card_text) = self.cards_within(sibling, |j| dom.tag(j) == card_tag);
            if count < MIN_CARDS && !kind.is_empty() {
                (count, card_text) = self.cards_within(sibling, |j| {
                    dom.tag(j) == card_tag && card_kind(dom.attr(j, "class").unwrap_or("")) == kind
                });
            }
            if count >= MIN_CARDS && card_text * 2 >= self.stats[sibling].text {
                sections.push(sibling);
            }
        }
        if sections.len() < 2 { Vec::new() } else { sections }
    }

    /// How many elements within `section` that `is_card` accepts have a picture or a heading,
    /// the outermost of each nest, and their text.
    fn cards_within(&self, section: usize, is_card: impl Fn(usize) -> bool) -> (usize, usize) {
        let (mut count, mut text) = (0, 0);
        let mut j = section + 1;
        while j < self.dom.nodes[section].end {
            if is_card(j) && !self.removed[j] {
                let stats = self.stats[j];
                if stats.images > 0 || stats.heading_text > 0 {
                    count += 1;
                    text += stats.text;
                }
                j = self.dom.nodes[j].end;
            } else {
                j += 1;
            }
        }
        (count, text)
    }

    /// The page's `<main>` element (or the first element with `role="main"`) unless furniture.
    pub fn main_landmark(&self) -> Option<usize> {
        (0..self.dom.nodes.len()).find(|&i| !self.removed[i] && is_main_landmark(self.dom, i))
    }

    pub fn body(&self) -> usize {
        self.dom.body()
    }

    /// Containers that look like lists of links, forms or image galleries rather than
    /// article text (the "clean conditionally" rule).
    pub fn is_cleaned_out(&self, i: usize) -> bool {
        if !self.flags.clean_conditionally {
            return false;
        }
        let dom = self.dom;
        let tag = dom.tag(i);
        if !matches!(
            tag,
            "div" | "section" | "ul" | "ol" | "table" | "form" | "fieldset" | "aside" | "header" | "footer"
        ) {
            return false;
        }
        if tag == "table" && self.is_data_table(i) {
            return false;
        }
        if tag == "header" && self.is_title_link_header(i) {
            return false;
        }
        if dom.ancestors(i).any(|a| matches!(dom.tag(a), "pre" | "code")) {
            return false;
        }
        let weight = self.class_weight(i);
        if weight < 0.0 {
            return true;
        }
        let stats = self.stats[i];
        if stats.commas >= 10 {
            return false;
        }
        if self.is_announced_list(i) || is_labelled_list(dom, i) {
            return false;
        }
        let is_list = matches!(tag, "ul" | "ol")
            || (stats.text > 0 && stats.list_text as f32 / stats.text as f32 > 0.9);
        let paragraphs = stats.paragraphs as f32;
        let images = stats.images as f32;
        let in_figure = dom.ancestors(i).any(|a| dom.tag(a) == "figure");
        let heading_density =
            if stats.text == 0 { 0.0 } else { stats.heading_text as f32 / stats.text as f32 };
        let link_density = stats.link_density();
        // The links of a list the box's own text announces are that text's part, not a box
        // of links: a report's section of a sentence and the patches it lists. Counted only
        // for a box the links would clean out.
        let links_over = |share: f32| {
            link_density > share
                && stats.link_text.saturating_sub(self.announced_list_links(i)) as f32
                    > share * stats.text as f32
        };
        // In a thread, a post's pictures are its attachments (a part's photos beside the
        // poster's account of fitting it), not a gallery; nor is a box that holds a table of
        // data (a product's pictures beside its specifications).
        (images > 1.0
            && paragraphs / images < 0.5
            && !in_figure
            && !self.flags.thread
            && !self.holds_data_table(i))
            || (!is_list && stats.list_items > stats.paragraphs + 100)
            || (stats.inputs as f32 > (paragraphs / 3.0).floor())
            || (!is_list
                && heading_density < 0.9
                && stats.text < 25
                && (stats.images == 0 || stats.images > 2)
                && !in_figure
                && stats.embeds == 0
                && !in_item_or_cell(dom, i)
                && !self.is_list_label(i))
            || (!is_list
                && weight < 25.0
                && link_density > 0.2
                && !self.is_short_post(i)
                && self.link_density_without_link_lists(i) > 0.2
                && links_over(0.2))
            || (weight >= 25.0 && links_over(0.5))
            || (is_list && is_list_of_links(&stats))
    }

    /// The `<header>` of an `<article>` among others (a teaser's, as HTML has it, not the
    /// site's) that is only one link, the title's: a news front page's teaser opens with one
    /// ("<header><a href=…>Budgie 10.10.2 brings …</a></header>"), and it is its headline,
    /// not a box of links. A story alone on its page has its headline read apart.
    fn is_title_link_header(&self, i: usize) -> bool {
        let dom = self.dom;
        let stats = self.stats[i];
        let teaser = dom.ancestors(i).find(|&a| dom.tag(a) == "article").is_some_and(|article| {
            dom.children(dom.nodes[article].parent).any(|c| c != article && dom.tag(c) == "article")
        });
        teaser
            && stats.text >= MIN_TITLE_CHARS
            && stats.link_text == stats.text
            && (i..dom.nodes[i].end).filter(|&j| dom.tag(j) == "a").count() == 1
    }

    /// A list (or a box of little else) that the text just before it announces, ending with a
    /// colon ("Many patches were sent for review:", "You will need:"), and not as a label of
    /// other pages ("Related content:", see [`is_furniture_text`]): the list is that text's
    /// part, whatever its links. A list of links only is so when the text goes on after it;
    /// closing the story, it is a list of other pages ("Learn more in our plumbing series:").
    fn is_announced_list(&self, i: usize) -> bool {
        let dom = self.dom;
        let stats = self.stats[i];
        if stats.list_text as f32 <= ANNOUNCED_LIST_SHARE * stats.text as f32 {
            return false;
        }
        // The list may sit in wrappers that hold nothing else ("<div class="ulist"><ul>").
        let mut at = i;
        for _ in 0..MAX_LIST_WRAPPERS {
            let parent = dom.nodes[at].parent;
            if previous_sibling(dom, at).is_some() || parent == 0 || self.stats[parent].text != stats.text {
                break;
            }
            at = parent;
        }
        previous_sibling(dom, at)
            .and_then(|p| dom.text_within(p, ANNOUNCEMENT_MAX_CHARS))
            .is_some_and(|text| text.trim_end().ends_with(':') && !is_furniture_text(&text))
            && (stats.link_density() < LINKS_ONLY_SHARE || self.text_after(at) >= TEXT_GOES_ON_CHARS)
    }

    /// The link text, inside `i`, of lists their text announces (see [`Self::is_announced_list`]).
    fn announced_list_links(&self, i: usize) -> usize {
        let dom = self.dom;
        let mut total = 0;
        let mut j = i + 1;
        while j < dom.nodes[i].end {
            if matches!(dom.tag(j), "ul" | "ol") && self.is_announced_list(j) {
                total += self.stats[j].link_text;
                j = dom.nodes[j].end;
            } else {
                j += 1;
            }
        }
        total
    }

    /// A box of a few words and no link that a list kept in the text follows at once, as a
    /// heading set in a box ("<div class="…__heading">What we like</div><ul>…"): the list's
    /// title, not a scrap of a layout. A label over a list cleaned out (a menu's "Categories")
    /// goes with it.
    fn is_list_label(&self, i: usize) -> bool {
        let dom = self.dom;
        let stats = self.stats[i];
        stats.text > 0
            && stats.link_text == 0
            && !stats.has_block_child
            && next_sibling(dom, i).is_some_and(|list| {
                matches!(dom.tag(list), "ul" | "ol")
                    && self.stats[list].list_items >= 2
                    && !self.removed[list]
                    && !self.is_cleaned_out(list)
            })
    }

    /// The text, out of links, of the siblings after `i`.
    fn text_after(&self, i: usize) -> usize {
        let dom = self.dom;
        let parent_end = dom.nodes[dom.nodes[i].parent].end;
        let mut j = dom.nodes[i].end;
        let mut text = 0;
        while j < parent_end {
            let stats = self.stats[j];
            text += stats.text.saturating_sub(stats.link_text);
            j = dom.nodes[j].end;
        }
        text
    }

    /// The share of an element's text in links, leaving out the lists of links within it,
    /// and the paragraphs that are one link each, which are judged on their own: a directory's
    /// entry (a paragraph and its figures) with a "More on this school" list of links that
    /// outweighs its text, a ranked list's review with its "Read the full review" and
    /// "Compare deals" lines. An element with little text of its own beside such lists (a
    /// member's figures, a shop's address) is judged whole.
    fn link_density_without_link_lists(&self, i: usize) -> f32 {
        let dom = self.dom;
        let mut stats = self.stats[i];
        let mut j = i + 1;
        while j < dom.nodes[i].end {
            let inner = self.stats[j];
            let link_list = match dom.tag(j) {
                "ul" | "ol" => is_list_of_links(&inner),
                // A line that is one link ("Read the full review") under an entry's text.
                "p" => inner.text > 0 && inner.link_text == inner.text,
                _ => false,
            };
            if !self.removed[j] && link_list {
                stats.text = stats.text.saturating_sub(inner.text);
                stats.link_text = stats.link_text.saturating_sub(inner.link_text);
                j = dom.nodes[j].end;
            } else {
                j += 1;
            }
        }
        if stats.text.saturating_sub(stats.link_text) < MIN_TEXT_BESIDE_LINK_LISTS {
            return self.stats[i].link_density();
        }
        stats.link_density()
    }

    /// In a thread, a post: text in paragraphs with the poster's links around it (name,
    /// avatar, post number), which weigh heavily beside a short reply.
    fn is_short_post(&self, i: usize) -> bool {
        let stats = self.stats[i];
        self.flags.thread && stats.paragraphs > 0 && stats.link_density() < THREAD_POST_MAX_LINK_SHARE
    }

    /// A table of data rather than layout: has headers, a caption, or summary.
    pub fn is_data_table(&self, i: usize) -> bool {
        is_data_table(self.dom, i)
    }

    /// Whether a box holds a table of data that is still on the page.
    fn holds_data_table(&self, i: usize) -> bool {
        (i + 1..self.dom.nodes[i].end)
            .any(|j| self.dom.tag(j) == "table" && !self.removed[j] && self.is_data_table(j))
    }
}

/// Whether a box is inside a list item, a table cell or a definition: a short box there is
/// one of the item's fields (a card's price, badge or a label's value, "Capacity: <div>32 fl.
/// oz.</div>") or the cell's value, not a box of little text to clean out, which the item
/// or the cell would be read without.
fn in_item_or_cell(dom: &Dom, i: usize) -> bool {
    dom.ancestors(i).any(|a| matches!(dom.tag(a), "li" | "td" | "th" | "dd" | "dt"))
}

/// Whether two elements and their ancestors `levels` up have the same tags and class names:
/// boxes in like places of like parts (each post's body in its post), not boxes that only
/// share a common class name (a sidebar's `md` text and a comment's).
fn same_path(dom: &Dom, a: usize, b: usize, levels: usize) -> bool {
    let path = |i: usize| std::iter::once(i).chain(dom.ancestors(i)).take(levels + 1);
    path(a).count() == path(b).count()
        && path(a)
            .zip(path(b))
            .all(|(x, y)| dom.tag(x) == dom.tag(y) && dom.attr(x, "class") == dom.attr(y, "class"))
}

/// A list that is mostly links, three items or more and no paragraph: a menu or a list of
/// other pages, cleaned out on its own.
fn is_list_of_links(stats: &Stats) -> bool {
    stats.link_density() > 0.5 && stats.paragraphs == 0 && stats.list_items > 2
}

/// A list whose every item opens with a label in bold and a colon ("<li><strong>Official
/// website</strong>: <a>…</a></li>", "Flagship hotel: …"): the facts of the story's subject,
/// whatever their links, not a menu or a list of other pages. Labels of other pages
/// ("Related:", see [`is_furniture_text`]) are no facts.
fn is_labelled_list(dom: &Dom, i: usize) -> bool {
    if !matches!(dom.tag(i), "ul" | "ol") {
        return false;
    }
    let mut items = 0;
    for item in dom.children(i) {
        if dom.element(item).is_none() {
            continue;
        }
        items += 1;
        let label = dom
            .children(item)
            .find(|&c| dom.element(c).is_some() || dom.text_of(c).is_some_and(|t| !t.trim().is_empty()));
        let labelled = label.is_some_and(|label| {
            matches!(dom.tag(label), "strong" | "b")
                && dom.text_within(label, LABEL_MAX_CHARS).is_some_and(|text| {
                    let text = text.trim();
                    let next = dom.nodes[label].end;
                    let after = (next < dom.nodes[item].end)
                        .then(|| dom.text_of(next))
                        .flatten()
                        .map(str::trim_start);
                    (text.ends_with(':') || after.is_some_and(|t| t.starts_with(':')))
                        && !is_furniture_text(text.trim_end_matches(':'))
                        && !(label..dom.nodes[label].end).any(|j| dom.tag(j) == "a")
                })
        });
        if !labelled {
            return false;
        }
    }
    items >= 2
}

/// A table of data, not of layout: it has header cells, a caption or column groups, or is a
/// grid of plain cells (see [`is_grid_of_plain_cells`]), and no table inside it, and does not
/// say it is only presentation.
fn is_data_table(dom: &Dom, i: usize) -> bool {
    if dom.attr(i, "role") == Some("presentation") {
        return false;
    }
    !(i + 1..dom.nodes[i].end).any(|j| dom.tag(j) == "table")
        && ((i..dom.nodes[i].end).any(|j| matches!(dom.tag(j), "th" | "caption" | "thead" | "colgroup"))
            || is_grid_of_plain_cells(dom, i))
}

/// Fewest rows of a table read as a grid of values without header cells.
const GRID_MIN_ROWS: usize = 3;

/// A table laid out as a grid of values without header cells (a shopping list of
/// ingredients and amounts, its column names in headings): at least [`GRID_MIN_ROWS`] rows
/// of the same number of cells, two or more, beside rows of one cell that spans them all (a
/// group's name), and cells holding text only, no boxes, lists, pictures or forms as a
/// layout's cells do. A grid of links (a menu laid out in a table) is no table of values.
fn is_grid_of_plain_cells(dom: &Dom, i: usize) -> bool {
    let mut width = None;
    let mut rows = 0;
    let (mut cells_with_text, mut link_cells) = (0, 0);
    for row in (i..dom.nodes[i].end).filter(|&j| dom.tag(j) == "tr") {
        let cells: Vec<usize> = dom.children(row).filter(|&c| matches!(dom.tag(c), "td" | "th")).collect();
        if cells.is_empty() {
            continue;
        }
        let spans = cells.len() == 1 && dom.attr(cells[0], "colspan").is_some();
        if !spans {
            if *width.get_or_insert(cells.len()) != cells.len() {
                return false;
            }
            rows += 1;
        }
        let plain = cells.iter().all(|&cell| {
            !(cell + 1..dom.nodes[cell].end).any(|j| {
                matches!(
                    dom.tag(j),
                    "div"
                        | "ul"
                        | "ol"
                        | "img"
                        | "picture"
                        | "svg"
                        | "form"
                        | "input"
                        | "select"
                        | "button"
                        | "iframe"
                        | "section"
                        | "article"
                        | "nav"
                        | "table"
                )
            })
        });
        if !plain {
            return false;
        }
        for &cell in &cells {
            let text = dom.text_chars(cell);
            if text > 0 {
                cells_with_text += 1;
                let linked: usize = (cell + 1..dom.nodes[cell].end)
                    .filter(|&j| dom.tag(j) == "a")
                    .map(|a| dom.text_chars(a))
                    .sum();
                if linked >= text {
                    link_cells += 1;
                }
            }
        }
    }
    rows >= GRID_MIN_ROWS && width.is_some_and(|w| w >= 2) && 2 * link_cells <= cells_with_text
}

/// Each node's figures with nothing removed, computed once per page for
/// [`reveal_hidden_wrappers`] and [`Spared`] (styles do not change them).
pub fn whole_page_stats(dom: &Dom) -> Vec<Stats> {
    compute_stats(dom, &vec![false; dom.nodes.len()])
}

/// Shows what a script would show at once: an element hidden by `display:none` that holds
/// most of the page's text, with few links, wraps the page's content (an access or consent
/// script reveals it on load), not a closed menu or dialog; and an element hidden by any
/// style that holds almost all of it hides the page only until its styles load. Their hiding
/// style is dropped so that the page reads as shown; so are the closed panels' (see
/// `reveal_disclosure_panels`) and those of a page sent hidden in blocks (see
/// `reveal_streamed_blocks`).
/// `whole` comes from [`whole_page_stats`].
pub fn reveal_hidden_wrappers(dom: &mut Dom, whole: &[Stats]) {
    reveal_disclosure_panels(dom, whole);
    reveal_streamed_blocks(dom, whole);
    let total = whole[0].text.max(1) as f32;
    for (i, s) in whole.iter().enumerate() {
        let share = s.text as f32 / total;
        let wrapper = share >= MOST_TEXT_SHARE && s.link_density() < 0.3;
        let loading = share >= LOADING_WRAPPER_SHARE;
        if !wrapper && !loading {
            continue;
        }
        if let Some(element) = dom.element_mut(i) {
            element.attrs.retain(|attr| {
                let (name, value) = (&*attr.name.local, &*attr.value);
                !(name == "style" && (is_display_none(value) || loading && is_hidden_style(value)))
            });
        }
    }
}

/// Shows a page sent in blocks each hidden by `display:none` for its script to show on load:
/// when what the page shows as sent is at most [`STREAMED_SHOWN_SHARE`] of its text, its
/// outermost `display:none` blocks are shown (a dialog among them is then judged as any other).
fn reveal_streamed_blocks(dom: &mut Dom, whole: &[Stats]) {
    let mut hidden = Vec::new();
    let mut i = 0;
    while i < dom.nodes.len() {
        if dom.attr(i, "style").is_some_and(is_display_none) {
            hidden.push(i);
            i = dom.nodes[i].end;
        } else {
            i += 1;
        }
    }
    let hidden_text: usize = hidden.iter().map(|&h| whole[h].text).sum();
    let shown = whole[0].text.saturating_sub(hidden_text);
    if hidden_text == 0 || shown as f32 > STREAMED_SHOWN_SHARE * whole[0].text as f32 {
        return;
    }
    for h in hidden {
        if let Some(element) = dom.element_mut(h) {
            element.attrs.retain(|attr| !(&*attr.name.local == "style" && is_display_none(&attr.value)));
        }
    }
}

/// Opens what a reader opens with a click: the closed panels of accordions and tabs (an FAQ's
/// answers, a feature's details), named by a control's `aria-controls`, with the role or the
/// class name of a tab panel (see [`is_tab_panel_class`]), or right after a question (an FAQ
/// made of plain boxes). A menu opened the same way is then judged as any other list of links.
fn reveal_disclosure_panels(dom: &mut Dom, whole: &[Stats]) {
    let mut controlled = HashSet::new();
    for i in 0..dom.nodes.len() {
        if let Some(ids) = dom.attr(i, "aria-controls") {
            controlled.extend(ids.split_whitespace().map(str::to_string));
        }
    }
    for (i, stats) in whole.iter().enumerate() {
        if stats.text == 0 {
            continue;
        }
        let Some(element) = dom.element(i) else { continue };
        let hidden = element.attr("hidden").is_some()
            || element.attr("aria-hidden").is_some()
            || element.attr("style").is_some_and(is_hidden_style);
        let class = element.attr("class");
        let closed_by_class = class.is_some_and(|c| c.split_ascii_whitespace().any(is_closed_panel_class));
        // A tab's panel named by its class needs opening only when it is hidden.
        let panel = element.attr("id").is_some_and(|id| controlled.contains(id))
            || element.attr("role") == Some("tabpanel")
            || hidden
                && class.is_some_and(|c| {
                    c.split_ascii_whitespace().any(|n| is_tab_panel_class(n) || is_expander_content_class(n))
                })
            || hidden && answers_question(dom, i)
            || closed_by_class && follows_its_button(dom, i);
        if !panel {
            continue;
        }
        if let Some(element) = dom.element_mut(i) {
            element.attrs.retain(|attr| {
                let (name, value) = (&*attr.name.local, &*attr.value);
                !(name == "hidden" || name == "aria-hidden" || name == "style" && is_hidden_style(value))
            });
            if closed_by_class {
                for attr in &mut element.attrs {
                    if &*attr.name.local == "class" {
                        let open: Vec<&str> = attr
                            .value
                            .split_ascii_whitespace()
                            .filter(|c| !is_closed_panel_class(c))
                            .collect();
                        attr.value = open.join(" ").into();
                    }
                }
            }
        }
    }
}

/// The class name that toolkits give a tab's panel, shown when its tab is chosen (Bootstrap's
/// `tab-pane`, Foundation's `tabs-panel`): a shop's specifications behind a "Specs" tab.
fn is_tab_panel_class(class: &str) -> bool {
    ["tab-pane", "tab-panel", "tabs-panel", "tabpanel"].iter().any(|name| class.eq_ignore_ascii_case(name))
}

/// The class name of the part of a text that a "Read more" button shows, sent hidden
/// (`a-expander-content`, `expander__content`, `read-more-text`): the rest of a shop's
/// description or of a review, read as the button would show it.
fn is_expander_content_class(class: &str) -> bool {
    let class = class.to_ascii_lowercase();
    let Some(rest) = ["content", "body", "text"].iter().find_map(|part| class.strip_suffix(part)) else {
        return false;
    };
    let Some(control) = rest.strip_suffix(['-', '_']).map(|r| r.trim_end_matches(['-', '_'])) else {
        return false;
    };
    ["expander", "expandable", "readmore", "read-more", "showmore", "show-more"].iter().any(|name| {
        control.strip_suffix(name).is_some_and(|before| before.is_empty() || before.ends_with(['-', '_']))
    })
}

/// An image that shows nothing of the content: marked decorative by an empty `alt` (an icon,
/// an arrow, a divider), a drawing in an SVG file with no `alt` at all (a toggle's switch, a
/// section's icon: a picture of the content says what it shows), one whose class names it an
/// icon (see [`names_an_icon`]), one of a line's height (see [`is_icon_sized`]), or with no
/// source at all.
fn is_decorative(image: &Element) -> bool {
    image.attr("alt") == Some("")
        || image.attr("alt").is_none() && image.attr("src").is_some_and(is_svg_file)
        || image.attr("class").is_some_and(names_an_icon)
        || is_icon_sized(image)
        || !["src", "srcset", "data-src", "data-srcset", "data-lazy-src"]
            .iter()
            .any(|name| image.attr(name).is_some_and(|value| !value.trim().is_empty()))
}

/// Whether class names call an element an icon: the word "icon" or "icons" among the words
/// of a name ("course-outline-article-icon", "icon play"), not inside one ("iconic").
fn names_an_icon(class: &str) -> bool {
    class
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word.eq_ignore_ascii_case("icon") || word.eq_ignore_ascii_case("icons"))
}

/// Whether an address names an SVG file (".svg" before any query or fragment).
fn is_svg_file(src: &str) -> bool {
    let path = src.split(['?', '#']).next().unwrap_or("");
    path.len() >= 4
        && path.is_char_boundary(path.len() - 4)
        && path[path.len() - 4..].eq_ignore_ascii_case(".svg")
}

/// The largest height, in pixels, of an image drawn at a line's height (see
/// [`is_icon_sized`]): a letter's size, give or take.
const ICON_MAX_PX: u32 = 32;

/// An image whose height says it is a line's, whatever its width: a forum post's smiley or an
/// emoji drawn as a picture set in a line of text, a flag beside a name, a feature's icon in a
/// box of its own, a review's row of stars or a "verified" badge. A character or a sign, not
/// a picture of the content, so a short post with a few smileys, a grid of features or a row
/// of reviews is not taken for a gallery.
fn is_icon_sized(image: &Element) -> bool {
    image.pixels("height").is_some_and(|px| px <= ICON_MAX_PX)
}

/// Whether the element comes right after a question ("What does the plan cover?"), as the
/// answer of an accordion does.
fn answers_question(dom: &Dom, i: usize) -> bool {
    previous_sibling(dom, i)
        .is_some_and(|p| dom.text_within(p, QUESTION_MAX_CHARS).is_some_and(|text| text.ends_with('?')))
}

/// Whether the element comes right after the button that opens it (an accordion's header:
/// a `<button>`, or a short row holding one).
fn follows_its_button(dom: &Dom, i: usize) -> bool {
    previous_sibling(dom, i).is_some_and(|p| {
        dom.find_tag(p, "button").is_some()
            && dom.text_within(p, QUESTION_MAX_CHARS).is_some_and(|text| !text.trim().is_empty())
    })
}

/// The element's previous sibling, blank texts aside.
fn previous_sibling(dom: &Dom, i: usize) -> Option<usize> {
    let parent = dom.nodes[i].parent;
    let mut before = i;
    // The previous sibling, blank texts aside: the child of the parent that ends where the
    // node after it starts.
    loop {
        if before <= parent + 1 {
            break None;
        }
        let mut sibling = before - 1;
        while dom.nodes[sibling].parent != parent {
            sibling = dom.nodes[sibling].parent;
        }
        if dom.text_of(sibling).is_some_and(|t| t.trim().is_empty()) {
            before = sibling;
            continue;
        }
        break Some(sibling);
    }
}

/// Whether an element within a line says only a UUID, outside code: no writer's word but a
/// script's or a stylesheet's (a shop's "Sponsored" label spelled letter by letter between
/// spans of such ids that its stylesheet hides, so that the word cannot be searched for).
fn is_machine_id(dom: &Dom, i: usize) -> bool {
    !matches!(dom.tag(i), "code" | "kbd" | "samp" | "var" | "tt")
        && dom.nodes[i].end == i + 2
        && dom.text_of(i + 1).is_some_and(|t| is_uuid(t.trim()))
        && !dom.ancestors(i).any(|a| matches!(dom.tag(a), "pre" | "code"))
}

/// The element's next sibling, blank texts aside.
fn next_sibling(dom: &Dom, i: usize) -> Option<usize> {
    let parent = dom.nodes[i].parent;
    let parent_end = dom.nodes[parent].end;
    let mut at = dom.nodes[i].end;
    while at < parent_end {
        if !dom.text_of(at).is_some_and(|t| t.trim().is_empty()) {
            return Some(at);
        }
        at = dom.nodes[at].end;
    }
    None
}

/// Longest text read as an accordion's question.
const QUESTION_MAX_CHARS: usize = 200;

/// Paragraphs this many or more on a page that end alike are boilerplate.
const REPEATED_ENDINGS: usize = 3;
/// How many letters and digits of a paragraph's end are compared.
const ENDING_CHARS: usize = 40;

/// Paragraphs whose ending (the last 40 letters and digits outside their links) two others on
/// the page share: the slides of a notice carousel ("… please visit our shipping page"), a
/// disclaimer under every card. Prose does not repeat itself; they score nothing. `whole`
/// comes from [`whole_page_stats`].
pub fn repeated_endings(dom: &Dom, whole: &[Stats]) -> Vec<bool> {
    let paragraph = |i: usize| match dom.tag(i) {
        "p" | "pre" => true,
        "td" | "div" | "section" | "article" => !whole[i].has_block_child,
        _ => false,
    };
    // The paragraph's own words, its links aside (a "Read more" under every card is no repeat).
    // The last ENDING_CHARS characters of its signature text, read from the end.
    let ending = |i: usize| -> String {
        let mut texts = Vec::new();
        let mut j = i + 1;
        while j < dom.nodes[i].end {
            if dom.tag(j) == "a" {
                j = dom.nodes[j].end;
                continue;
            }
            if let Some(text) = dom.text_of(j) {
                texts.push(text);
            }
            j += 1;
        }
        let mut reversed: Vec<char> = Vec::with_capacity(ENDING_CHARS + 2);
        'texts: for text in texts.iter().rev() {
            for c in text.chars().rev().filter(|c| c.is_alphanumeric()) {
                reversed.extend(c.to_lowercase().rev());
                if reversed.len() >= ENDING_CHARS {
                    break 'texts;
                }
            }
        }
        reversed.truncate(ENDING_CHARS);
        reversed.iter().rev().collect()
    };
    let endings: Vec<Option<String>> = (0..dom.nodes.len())
        .map(|i| (paragraph(i) && whole[i].text >= MIN_PARAGRAPH_CHARS).then(|| ending(i)))
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for key in endings.iter().flatten() {
        *counts.entry(key).or_default() += 1;
    }
    endings.iter().map(|key| key.as_deref().is_some_and(|k| counts[k] >= REPEATED_ENDINGS)).collect()
}

/// Fewest letters and digits of a part compared with the rest of the page by
/// [`layout_copies`]: a label or a button's word may well appear twice.
const MIN_LAYOUT_COPY_CHARS: usize = 40;

/// Most boxes named for a screen size or clamped compared with the rest of the page by
/// [`layout_copies`].
const MAX_LAYOUT_COPIES_COMPARED: usize = 100;

/// Elements shown on some screen sizes only (see [`is_screen_size_class`]) or clamped to a few
/// lines (see [`is_clamped_class`]) whose whole text the page says again elsewhere: the copies
/// of a part laid out twice, for narrow and wide screens (a shop's description above the
/// pictures on phones and beside them on desktops), and glimpses of a text shown whole (a
/// reply's of the post it answers). Where every copy is so named, the first stays. A part
/// shown on one screen size, or clamped, that the page does not say again is its only copy,
/// and stays.
pub fn layout_copies(dom: &Dom, spared: &Spared) -> Vec<usize> {
    let body = dom.body();
    let mut candidates = Vec::new();
    let mut i = body + 1;
    while i < dom.nodes[body].end {
        if !spared.headline_box[i]
            && !is_inline_tag(dom.tag(i))
            && dom
                .attr(i, "class")
                .is_some_and(|class| is_screen_size_class(class) || is_clamped_class(class))
        {
            candidates.push(i);
            i = dom.nodes[i].end;
        } else {
            i += 1;
        }
    }
    // Each box is compared with the whole page: a page of thousands of them is compared for
    // its first ones only.
    let keyed: Vec<(usize, String)> = candidates
        .into_iter()
        .map(|c| (c, dom.signature(c)))
        .filter(|(_, key)| key.len() >= MIN_LAYOUT_COPY_CHARS)
        .take(MAX_LAYOUT_COPIES_COMPARED)
        .collect();
    if keyed.is_empty() {
        return Vec::new();
    }
    let mut named: HashMap<&str, usize> = HashMap::new();
    for (_, key) in &keyed {
        *named.entry(key.as_str()).or_default() += 1;
    }
    let page = dom.signature(body);
    let mut copies = Vec::new();
    for (n, (c, key)) in keyed.iter().enumerate() {
        let named = named[key.as_str()];
        // Found no more often than needed to tell: a copy outside the named boxes, or another
        // named one before this.
        let said = memchr::memmem::find_iter(page.as_bytes(), key.as_bytes()).take(named + 1).count();
        let named_before = keyed[..n].iter().any(|(_, earlier)| earlier == key);
        if said > named || said >= 2 && named_before {
            copies.push(*c);
        }
    }
    copies
}

/// Fewest letters and digits of an element said again by the sibling right after it for
/// that sibling to be a copy (see [`sibling_copies`]): a heading and a sentence.
const MIN_SIBLING_COPY_CHARS: usize = 60;

/// Elements that say again, word for word, what the element just before them says, each
/// holding two blocks of text or more (a slide's heading and text): a carousel's slides
/// cloned for its loop, a part sent once for wide and once for narrow screens side by side.
/// A reader reads it once. A paragraph said twice in a row is the page's to say (one block:
/// a placeholder text, a summary shown twice). `whole` comes from [`whole_page_stats`].
pub fn sibling_copies(dom: &Dom, whole: &[Stats]) -> Vec<usize> {
    let mut copies = Vec::new();
    for parent in dom.body()..dom.nodes.len() {
        if dom.element(parent).is_none() || !whole[parent].has_block_child {
            continue;
        }
        let mut previous: Option<usize> = None;
        for child in dom.children(parent) {
            if dom.element(child).is_none() {
                continue;
            }
            // A copy hidden from the start (the one for narrow screens, `aria-hidden`) is left
            // out as such: the one after it is then the copy read.
            let copy = previous.is_some_and(|p| {
                whole[child].text >= MIN_SIBLING_COPY_CHARS
                    && whole[p].text == whole[child].text
                    && !is_hidden_copy(dom, p)
                    && dom.tag(p) == dom.tag(child)
                    && !is_inline_tag(dom.tag(child))
                    && text_blocks(dom, whole, child) >= 2
                    && {
                        let key = dom.signature(child);
                        key.len() >= MIN_SIBLING_COPY_CHARS && key == dom.signature(p)
                    }
            });
            if copy {
                copies.push(child);
            }
            previous = Some(child);
        }
    }
    copies
}

/// Whether an element is hidden by its own attributes: `hidden`, `aria-hidden="true"`, a
/// hiding style or class, or a class or a responsive `display` property (`display="none,
/// none,block"`, from the styled-system library) that shows it on some screen sizes only.
fn is_hidden_copy(dom: &Dom, i: usize) -> bool {
    dom.attr(i, "display").is_some_and(|display| display.split(',').any(|value| value.trim() == "none"))
        || dom.attr(i, "hidden").is_some()
        || dom.attr(i, "aria-hidden") == Some("true")
        || dom.attr(i, "style").is_some_and(is_hidden_style)
        || dom.attr(i, "class").is_some_and(|class| is_hidden_class(class) || is_screen_size_class(class))
}

/// How many blocks with text `i` holds that hold no such block themselves, up to two.
fn text_blocks(dom: &Dom, whole: &[Stats], i: usize) -> usize {
    (i..dom.nodes[i].end)
        .filter(|&j| is_block_tag(dom.tag(j)) && whole[j].text > 0)
        .filter(|&j| !dom.children(j).any(|c| is_block_tag(dom.tag(c)) && whole[c].text > 0))
        .take(2)
        .count()
}

/// What the removal rules need to know of each element beyond its own tag and attributes,
/// found once per page: which elements the class-name rules spare, and which hold a sign-up
/// field.
#[derive(Debug)]
pub struct Spared {
    /// Holds prose (two long paragraphs) or a large share of the page's text with few links:
    /// a class name like "js-social-anchor" or an id like "ad-portal" does not make it
    /// furniture, and a form around it wraps the page.
    prose: Vec<bool>,
    /// Holds the headline: the page's own box, whatever its class names say ("teaser" for a
    /// hero, "scroll-container" for a layout), so they neither make it furniture or an
    /// unlikely block nor weigh it either way.
    headline_box: Vec<bool>,
    /// Holds a field asking for an email address (a sign-up form): a small box around it is
    /// the form's.
    asks_email: Vec<bool>,
    /// Furniture words in the class and id names of each box holding the headline (below
    /// `<body>`), with the box: the boxes within it are the page's own parts, named as it is
    /// ("newsletter" for each part of a newsletter's issue), and those words say nothing of
    /// what they are.
    headline_words: Vec<(usize, Vec<String>)>,
    /// The headline's `<h1>`.
    headline: Option<usize>,
    /// A schema.org `Person` with text enough for a biography: an author's box, a poster's
    /// card in a thread, or one of a team page's members.
    about_person: Vec<bool>,
    /// How many of them the page has: a page of people (a team, speakers) has many, each
    /// its content.
    people: usize,
    /// The names of the page's places a link may jump to (`id`s, and `name`s of `<a>`s),
    /// gathered when a link first asks.
    targets: OnceCell<HashSet<String>>,
}

impl Spared {
    /// `whole` comes from [`whole_page_stats`]; `headline` is the headline's `<h1>`.
    pub fn new(dom: &Dom, whole: &[Stats], headline: Option<usize>) -> Spared {
        let total = whole[0].text.max(1) as f32;
        let prose = whole
            .iter()
            .map(|s| {
                s.long_paragraphs >= 2 || s.text as f32 / total >= MOST_TEXT_SHARE && s.link_density() < 0.3
            })
            .collect();
        let mut headline_box = vec![false; dom.nodes.len()];
        let mut headline_words = Vec::new();
        for a in headline.into_iter().flat_map(|h| dom.ancestors(h)) {
            headline_box[a] = true;
            if matches!(dom.tag(a), "html" | "body") {
                continue;
            }
            let words: Vec<String> = [dom.attr(a, "class"), dom.attr(a, "id")]
                .into_iter()
                .flatten()
                .flat_map(furniture_words)
                .collect();
            if !words.is_empty() {
                headline_words.push((a, words));
            }
        }
        let mut asks_email = vec![false; dom.nodes.len()];
        for i in (1..dom.nodes.len()).rev() {
            let own = dom.tag(i) == "input"
                && (dom.attr(i, "type").is_some_and(|t| t.eq_ignore_ascii_case("email"))
                    || dom.attr(i, "name").is_some_and(|n| n.to_ascii_lowercase().contains("email")));
            if own || asks_email[i] {
                asks_email[i] = true;
                asks_email[dom.nodes[i].parent] = true;
            }
        }
        let about_person: Vec<bool> = (0..dom.nodes.len())
            .map(|i| {
                whole[i].text >= PERSON_BOX_CHARS
                    && dom.attr(i, "itemtype").is_some_and(|t| {
                        t.trim_end_matches('/').to_ascii_lowercase().ends_with("schema.org/person")
                    })
            })
            .collect();
        let people = about_person.iter().filter(|&&p| p).count();
        Spared {
            prose,
            headline_box,
            asks_email,
            headline_words,
            headline,
            about_person,
            people,
            targets: OnceCell::new(),
        }
    }

    /// Whether the page has a place named `target` that a link may jump to.
    fn has_target(&self, dom: &Dom, target: &str) -> bool {
        self.targets
            .get_or_init(|| {
                (0..dom.nodes.len())
                    .flat_map(|j| {
                        let name = if dom.tag(j) == "a" { dom.attr(j, "name") } else { None };
                        dom.attr(j, "id").into_iter().chain(name).map(str::to_string)
                    })
                    .collect()
            })
            .contains(target)
    }

    /// An element's class and id names without the furniture words of the boxes holding the
    /// headline that it sits within.
    fn without_headline_words<'n>(&self, dom: &Dom, i: usize, names: &'n str) -> Cow<'n, str> {
        let mut names = Cow::Borrowed(names);
        for (_, words) in self.headline_words.iter().filter(|&&(a, _)| a < i && i < dom.nodes[a].end) {
            names = Cow::Owned(without_words(&names, words));
        }
        names
    }
}

fn should_remove(dom: &Dom, i: usize, flags: Flags, spared: &Spared) -> bool {
    let protected = spared.prose[i] || spared.headline_box[i];
    let Some(element) = dom.element(i) else { return false };
    let tag = &*element.name;
    if matches!(tag, "html" | "body") {
        return false;
    }
    // A form around the whole page (as ASP.NET pages have) holds the article, and a form
    // without a field to fill in (a forum's moderation form around its posts) only wraps
    // what it holds: only forms a reader fills in, without the page's prose, are furniture.
    if is_furniture_tag(tag)
        && !(tag == "form" && (protected || !has_fields(dom, i) || wraps_page(dom, i)))
        && !is_panel_title(dom, i)
    {
        return true;
    }
    // The attributes the rules read, in one pass over the element's attributes.
    let (mut hidden, mut aria_hidden, mut style, mut role, mut aria_modal, mut class, mut id) =
        (false, None, None, None, None, None, None);
    for attr in &element.attrs {
        let value = Some(&*attr.value);
        match &*attr.name.local {
            "hidden" => hidden = true,
            "aria-hidden" => aria_hidden = aria_hidden.or(value),
            "style" => style = style.or(value),
            "role" => role = role.or(value),
            "aria-modal" => aria_modal = aria_modal.or(value),
            "class" => class = class.or(value),
            "id" => id = id.or(value),
            _ => {}
        }
    }
    if hidden && !is_streamed_segment(element)
        || aria_hidden == Some("true") && !matches!(tag, "img" | "picture" | "figure") && !hidden_by_dialog(tag, role, spared.headline_box[i])
        || style.is_some_and(is_hidden_style)
        || role.is_some_and(is_furniture_role)
        || aria_modal == Some("true")
        || spared.about_person[i] && !protected && (flags.thread || spared.people < MIN_PEOPLE)
        || !spared.headline_box[i] && class.is_some_and(is_hidden_class) && !holds_prose_paragraph(dom, i)
        || class.is_some_and(is_hidden_everywhere_class)
        // Text within a line hidden by a class is a script's marker, never shown (a block hidden
        // so may be a panel a script opens), and so is an id standing alone within a line.
        || is_inline_tag(tag) && (class.is_some_and(is_display_none_class) || is_machine_id(dom, i))
    {
        return true;
    }
    if flags.thread && tag == "dl" && is_poster_card(dom, i) {
        // The poster's figures beside a post ("Joined: Dec 17, 2023", "Posts: 2").
        return true;
    }
    if tag == "details" && !protected && is_closed_menu(dom, i) {
        return true;
    }
    // An aside or a footer around the headline is no sidebar but a tag left open above the
    // page (the parser nests all that follows inside it).
    if matches!(tag, "aside") && !spared.headline_box[i] {
        return true;
    }
    // A `<header>` that ends before the headline is the site's (an app that draws the whole
    // page inside `<main>` puts its banner there), not the page's.
    if tag == "header" && !protected && spared.headline.is_some_and(|h| dom.nodes[i].end <= h) {
        return true;
    }
    if tag == "footer"
        && !spared.headline_box[i]
        && !dom.ancestors(i).any(|a| matches!(dom.tag(a), "blockquote" | "figure"))
    {
        return true;
    }
    if tag == "p" && is_jump_within_page(dom, i, spared) {
        return true;
    }
    if matches!(
        tag,
        "a" | "p" | "h1" | "h2" | "h3" | "li" | "td" | "span" | "em" | "strong" | "b" | "i" | "img"
    ) {
        return false;
    }
    // A box that opens with a button to close it is a pop-up (a lightbox's delivery terms, a
    // newsletter's offer, a quick view), drawn over the page only when asked for.
    if !protected && matches!(tag, "div" | "section") && opens_with_close_control(dom, i) {
        return true;
    }
    // A small box around a sign-up form is the form's, its pitch included.
    if !protected
        && matches!(tag, "div" | "section" | "aside")
        && spared.asks_email[i]
        && dom.text_within(i, SIGNUP_MAX_CHARS).is_some()
    {
        return true;
    }
    // A poster's signature, named so by the part a forum's script gives it (`data-role`).
    if flags.thread && dom.attr(i, "data-role").is_some_and(is_signature_class) {
        return true;
    }
    let mut class_and_id = format!("{} {}", class.unwrap_or(""), id.unwrap_or(""));
    if class_and_id.trim().is_empty() {
        return false;
    }
    // In a thread, a comment section whose entries are written in paragraphs holds the
    // thread's posts; one of one-line remarks is comments on a post.
    if is_comments_class(&class_and_id) && !(flags.thread && has_paragraph(dom, i)) {
        return true;
    }
    // A cookie-consent dialog is furniture even when its paragraphs are the page's longest
    // prose (a shop's item page is a grid of short fields).
    if !spared.headline_box[i] && is_consent_class(&class_and_id) {
        return true;
    }
    if flags.product && is_reviews_class(&class_and_id) {
        return true;
    }
    if flags.thread && is_signature_class(&class_and_id) {
        return true;
    }
    if flags.thread {
        class_and_id = without_thread_names(&class_and_id);
    }
    if flags.cards {
        class_and_id = without_teaser_names(&class_and_id);
    }
    if let Cow::Owned(names) = spared.without_headline_words(dom, i, &class_and_id) {
        class_and_id = names;
    }
    if !protected && is_furniture_class(&class_and_id) {
        return true;
    }
    // A data table's class names say how it is drawn ("sticky-header"), not what it is.
    flags.strip_unlikely
        && !spared.headline_box[i]
        && is_unlikely_candidate(&class_and_id)
        && !(tag == "table" && is_data_table(dom, i))
        && !dom.ancestors(i).any(|a| matches!(dom.tag(a), "table" | "code" | "pre"))
}

/// Whether an element hidden from screen readers is so only because a dialog was open over the
/// page when it was saved: a dialog's script hides the rest of the page, the page's main part
/// and the boxes holding its headline, until it is answered; a page hides neither otherwise.
fn hidden_by_dialog(tag: &str, role: Option<&str>, holds_headline: bool) -> bool {
    tag == "main" || role == Some("main") || holds_headline
}

/// Whether an element's first child element is a button that closes it (see
/// [`is_close_control`]).
fn opens_with_close_control(dom: &Dom, i: usize) -> bool {
    dom.children(i).find(|&c| dom.element(c).is_some()).is_some_and(|first| {
        is_close_control(dom.attr(first, "class").unwrap_or(""), dom.attr(first, "aria-label").unwrap_or(""))
    })
}

/// Most words in a line that only jumps to another place of the page.
const JUMP_MAX_WORDS: usize = 4;
/// Most bytes of such a line: a dozen a word.
const JUMP_MAX_BYTES: usize = JUMP_MAX_WORDS * 12;

/// A paragraph of a few words that is one link to a place on the same page (`href="#…"`, an
/// element of the page having that id): a way about the page ("Back to top", "Back to
/// Project" under each part, "map" beside each place of a guide), not its text. A table's or
/// a list's cell of such a link (a reference's index of functions) is the cell's value.
fn is_jump_within_page(dom: &Dom, i: usize, spared: &Spared) -> bool {
    let Some(text) = dom.text_within(i, JUMP_MAX_BYTES) else { return false };
    let words = text.split_whitespace().count();
    if words == 0 || words > JUMP_MAX_WORDS || in_item_or_cell(dom, i) {
        return false;
    }
    let mut links = (i + 1..dom.nodes[i].end).filter(|&j| dom.tag(j) == "a");
    let (Some(link), None) = (links.next(), links.next()) else { return false };
    let Some(target) =
        dom.attr(link, "href").and_then(|href| href.strip_prefix('#')).filter(|t| !t.is_empty())
    else {
        return false;
    };
    dom.text(link).split_whitespace().count() == words && spared.has_target(dom, target)
}

/// Most text in a box around a form asking for an email address that is the form's: a
/// newsletter's sign-up, its pitch included ("Join our mailing list", "Get the latest news").
const SIGNUP_MAX_CHARS: usize = 300;

/// Whether an element holds a paragraph. The scan stops at the first; an element without one
/// is removed with its subtree, so only nested holders (as deep as the tree may be) rescan.
fn has_paragraph(dom: &Dom, i: usize) -> bool {
    (i + 1..dom.nodes[i].end).any(|j| dom.tag(j) == "p")
}

/// What a card's class names say it is, striping aside: "row row--odd" and "row row--even"
/// are one kind of card, and so are a row set on a light ground and one on a dark ground.
/// A number ending the first name is the card's own id, not its kind: content systems open
/// each entry's class names with it ("post-30149 post type-post", "node-12 node").
pub fn card_kind(class: &str) -> &str {
    let first = class.split_whitespace().next().unwrap_or("");
    let kind = first.trim_end_matches(|c: char| c.is_ascii_digit());
    if kind.len() == first.len() { first } else { kind.trim_end_matches(['-', '_']) }
}

/// Whether an element directly under `<body>` holds most of the page's elements: a form that
/// a framework (ASP.NET, DotNetNuke) puts around the whole page, whatever its links.
fn wraps_page(dom: &Dom, i: usize) -> bool {
    let parent = dom.nodes[i].parent;
    dom.tag(parent) == "body" && (dom.nodes[i].end - i) * 2 >= dom.nodes[parent].end - parent
}

/// Longest text of a definition list read as a poster's figures beside a post.
const MEMBER_CARD_MAX_CHARS: usize = 300;

/// A definition list of a poster's figures beside a thread's post, short and labelled as one
/// (its terms and descriptions read apart: "Posts: 2", "Joined: Dec 17, 2023").
fn is_poster_card(dom: &Dom, i: usize) -> bool {
    dom.text_within(i, MEMBER_CARD_MAX_CHARS).is_some()
        && is_member_card(&dom.children(i).map(|c| dom.text(c)).collect::<Vec<_>>().join(" "))
}

/// Shortest question a button may ask to be the title of the panel it opens.
const PANEL_QUESTION_WORDS: usize = 3;

/// A button that opens a panel and names it: an FAQ's question ("Is the course free?") or a
/// section's heading, which a reader reads as the title of what the button shows. It holds a
/// heading, or it says it opens something (`aria-expanded`, `aria-controls`) and asks a
/// question of a few words; and the panel after it holds text (a panel a script fills in on
/// a click leaves its question alone, a title of nothing). A link acting as the button
/// (`role="button"` or `aria-controls`) is one too.
pub(crate) fn is_panel_title(dom: &Dom, i: usize) -> bool {
    let Some(element) = dom.element(i).filter(|e| match &*e.name {
        "button" => true,
        "a" => e.attr("role") == Some("button") || e.attr("aria-controls").is_some() || leads_nowhere(e),
        _ => false,
    }) else {
        return false;
    };
    let names_panel = (i + 1..dom.nodes[i].end)
        .any(|j| matches!(dom.tag(j), "h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
        || (element.attr("aria-expanded").is_some() || element.attr("aria-controls").is_some()) && {
            let text = dom.text(i);
            let text = text.trim();
            text.ends_with('?') && text.split_whitespace().count() >= PANEL_QUESTION_WORDS
        };
    names_panel
        && panel_after(dom, i).is_some_and(|panel| {
            (panel..dom.nodes[panel].end).any(|j| dom.text_of(j).is_some_and(|t| !t.trim().is_empty()))
        })
}

/// A link to nowhere (`href="#"`, `javascript:`): a control a script answers, such as an
/// accordion's question, not a way to another page.
fn leads_nowhere(link: &Element) -> bool {
    link.attr("href").is_some_and(|href| {
        let href = href.trim();
        href == "#" || href.get(..11).is_some_and(|s| s.eq_ignore_ascii_case("javascript:"))
    })
}

/// What follows a panel's button: its next sibling, or, for a button alone in its wrapper (a
/// heading, a title bar), the wrapper's, up to two levels up.
fn panel_after(dom: &Dom, button: usize) -> Option<usize> {
    let mut node = button;
    for _ in 0..3 {
        let parent = dom.nodes[node].parent;
        let mut next = dom.nodes[node].end;
        while next < dom.nodes[parent].end {
            if dom.element(next).is_some() || dom.text_of(next).is_some_and(|t| !t.trim().is_empty()) {
                return Some(next);
            }
            next = dom.nodes[next].end;
        }
        node = parent;
        if node == 0 {
            break;
        }
    }
    None
}

/// Whether an element holds a field a reader fills in or a button (not only hidden inputs).
fn has_fields(dom: &Dom, i: usize) -> bool {
    (i + 1..dom.nodes[i].end).any(|j| match dom.tag(j) {
        "select" | "textarea" | "button" => true,
        "input" => !dom.attr(j, "type").is_some_and(|t| t.eq_ignore_ascii_case("hidden")),
        _ => false,
    })
}

/// A part of the page that a server streamed late, hidden until a script moves it into place
/// (React's streaming renderer sends `<div hidden id="S:0">` and swaps it in at once): the
/// page as shown has it.
fn is_streamed_segment(element: &Element) -> bool {
    &*element.name == "div" && element.attr("id").and_then(streamed_id).is_some_and(|(kind, _)| kind == "S")
}

/// Whether `i` is a `<main>` element or has the role `main`.
pub fn is_main_landmark(dom: &Dom, i: usize) -> bool {
    dom.tag(i) == "main" || dom.attr(i, "role") == Some("main")
}

/// Links in a closed menu, at least: fewer are a disclosure's own links.
const MENU_LINKS: usize = 3;

/// A closed `<details>` whose content under its `<summary>` is mostly links: a menu of
/// choices that opens on a click (a list's languages, its sort orders), not a panel of text
/// (an FAQ's answer).
fn is_closed_menu(dom: &Dom, i: usize) -> bool {
    if dom.attr(i, "open").is_some() {
        return false;
    }
    let (mut links, mut link_chars, mut chars) = (0, 0, 0);
    let mut j = i + 1;
    while j < dom.nodes[i].end {
        match dom.tag(j) {
            "summary" => {
                j = dom.nodes[j].end;
                continue;
            }
            "a" => {
                let text = dom.text(j).chars().count();
                links += 1;
                link_chars += text;
                chars += text;
                j = dom.nodes[j].end;
                continue;
            }
            _ => chars += dom.text_figures(j).0,
        }
        j += 1;
    }
    links >= MENU_LINKS && link_chars * 2 > chars
}

/// A panel of prose the reader opens (an answer under its question, a place's description
/// behind its name) is hidden until then and still the page's text.
fn holds_prose_paragraph(dom: &Dom, i: usize) -> bool {
    (i + 1..dom.nodes[i].end).any(|j| dom.tag(j) == "p" && dom.text(j).split_whitespace().count() >= 25)
}

fn is_hidden_style(style: &str) -> bool {
    is_display_none(style) || compact_style(style).contains("visibility:hidden")
}

fn is_display_none(style: &str) -> bool {
    compact_style(style).contains("display:none")
}

fn compact_style(style: &str) -> String {
    style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

fn compute_stats(dom: &Dom, removed: &[bool]) -> Vec<Stats> {
    let n = dom.nodes.len();
    let mut stats = vec![Stats::default(); n];
    for i in (0..n).rev() {
        if removed[i] {
            continue;
        }
        let mut own = stats[i];
        match &dom.nodes[i].data {
            Data::Text(_) => {
                let (chars, commas) = dom.text_figures(i);
                own.text += chars;
                own.commas += commas;
            }
            Data::Element(element) => match &*element.name {
                // A link that opens the panel it names (an FAQ's question) leads nowhere else;
                // the attribute is looked for first, as most links have none.
                "a" if (element.attr("aria-controls").is_some() || leads_nowhere(element))
                    && is_panel_title(dom, i) => {}
                "a" => own.link_text = own.text,
                "p" => {
                    own.paragraphs += 1;
                    if own.text >= LONG_PARAGRAPH_CHARS && own.link_density() < 0.25 {
                        own.long_paragraphs += 1;
                    }
                }
                // Text written in lines rather than paragraphs (a forum post's `<br>`s) is a
                // paragraph too.
                "div" if !own.has_block_child && own.text >= MIN_PARAGRAPH_CHARS && own.paragraphs == 0 => {
                    own.paragraphs += 1;
                }
                // So is a definition of some length (a glossary's "Kilowatt hour. A unit of
                // energy…"), beside its term's icon.
                "dd" if own.text >= MIN_PARAGRAPH_CHARS && own.paragraphs == 0 => {
                    own.paragraphs += 1;
                }
                "img" | "amp-img" if !is_decorative(element) => {
                    own.images += 1;
                }
                "li" => {
                    own.list_items += 1;
                }
                "ul" | "ol" => own.list_text = own.text,
                "input" | "select" | "textarea" => own.inputs += 1,
                "button" if !is_panel_title(dom, i) => own.inputs += 1,
                "iframe" | "video" | "embed" | "object" => own.embeds += 1,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => own.heading_text = own.text,
                _ => {}
            },
            Data::Document => {}
        }
        stats[i] = own;
        if i == 0 {
            continue;
        }
        let parent = dom.nodes[i].parent;
        let p = &mut stats[parent];
        p.text += own.text;
        p.link_text += own.link_text;
        p.commas += own.commas;
        p.paragraphs += own.paragraphs;
        p.images += own.images;
        p.list_items += own.list_items;
        p.list_text += own.list_text;
        p.inputs += own.inputs;
        p.embeds += own.embeds;
        p.heading_text += own.heading_text;
        p.long_paragraphs += own.long_paragraphs;
        if is_block_tag(dom.tag(i)) {
            p.has_block_child = true;
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::{card_kind, is_expander_content_class};

    #[test]
    fn the_hidden_part_of_a_read_more_expander_is_named_by_its_class() {
        for class in [
            "a-expander-content",
            "expander__content",
            "read-more-text",
            "ShowMore-Body",
            "expandable-content",
        ] {
            assert!(is_expander_content_class(class), "{class:?}");
        }
        for class in
            ["content", "expander", "expandercontent", "my-expandercontent", "reexpander-content", "text"]
        {
            assert!(!is_expander_content_class(class), "{class:?}");
        }
    }

    #[test]
    fn a_cards_kind_is_its_first_class_name_without_its_id() {
        for (class, kind) in [
            ("row row--odd", "row"),
            ("post-30149 post type-post", "post"),
            ("node_12 node--teaser", "node"),
            ("card2024", "card"),
            ("tile", "tile"),
            ("", ""),
            ("42", ""),
        ] {
            assert_eq!(card_kind(class), kind, "{class:?}");
        }
    }
}
