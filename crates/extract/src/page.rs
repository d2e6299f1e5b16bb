//! The whole-page pipeline: metadata, headline, standfirst, byline, lead image, then the body.

use std::collections::{HashMap, HashSet};

use lector_article::{Article, Block, Image, Inline, PageType, Topic, Video, inline_text};
use url::Url;

use crate::Warning;
use crate::blocks::{BlockBuilder, same_text};
use crate::content::{
    Analysis, Flags, MIN_CARDS, Spared, card_kind, is_main_landmark, layout_copies, repeated_endings,
    reveal_hidden_wrappers, sibling_copies, whole_page_stats,
};
use crate::dom::{Dom, Scripting, signature_prefix, signature_text};
use crate::metadata::{
    MAX_TOPICS, Metadata, clean, is_byline_element, push_author, read_metadata, read_page_dates, resolve,
    url_date,
};
use crate::page_type;
use crate::patterns::{
    byline_name, contains_ignore_case, is_author_box_class, is_bare_date, is_details_line, is_furniture_text,
    is_other_pages_heading, is_other_products_heading, is_reviews_heading, is_standfirst_hint,
};

/// A body with less text than this is retried with more lenient flags.
const MIN_BODY_CHARS: usize = 500;
/// A body with less text than this is compared with the page's main landmark.
const MAIN_CHECK_CHARS: usize = 1000;
/// How many times the body's text the main landmark must hold to be taken instead.
const MAIN_GAIN: usize = 2;
/// A body with less text than this, on a page that declares itself a service or a product or
/// declares nothing, may give way to the whole content area read without scoring when the area
/// holds much more text; a longer body, only when the area holds much more prose.
const SECTIONS_CHECK_CHARS: usize = 5000;
/// Below this many characters, a reading made only of part of the page's list of cards gives
/// way to the whole list (see `extract_body`).
const CARDS_CHECK_CHARS: usize = 2000;
/// How many times the body's text the whole content area must hold to be taken instead.
const SECTIONS_GAIN: f32 = 1.5;
/// Text the page must gain when read without scripts for that reading to be taken.
const NOSCRIPT_MIN_GAIN: usize = 200;
/// At most this many summary bullets.
const MAX_BULLETS: usize = 5;
/// How near the body's start or end (in blocks) a story's date on a line of its own is.
const DATE_LINE_EDGE: usize = 3;
/// How many nodes after the headline are searched for a standfirst list.
const STANDFIRST_WINDOW: usize = 60;

pub fn extract_page(html: &str, base_url: Option<&Url>, warnings: &mut Vec<Warning>) -> Article {
    let article = read_page(html, base_url, warnings);
    // A page whose only text is its discussion (a link aggregator's story page, the story
    // itself being elsewhere): the comments are its content, as a thread's posts are.
    // A page that declares itself a thread was read as one already.
    if article.body.is_empty() && article.page_type != Some(PageType::Forum) {
        let discussion = extract_page_as(html, base_url, &mut Vec::new(), Scripting::On, Reading::Discussion);
        if body_chars(&discussion) > 0 {
            return discussion;
        }
    }
    article
}

/// How a page is read: as it declares itself, or as the discussion it holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    AsDeclared,
    Discussion,
}

fn read_page(html: &str, base_url: Option<&Url>, warnings: &mut Vec<Warning>) -> Article {
    let article = extract_page_as(html, base_url, warnings, Scripting::On, Reading::AsDeclared);
    // Little text as a browser with scripts shows it: some pages (forums, single-page apps)
    // serve their whole text inside <noscript> for readers without JavaScript.
    if body_chars(&article) >= MIN_BODY_CHARS || !contains_ignore_case(html, "<noscript") {
        return article;
    }
    let without_scripts =
        extract_page_as(html, base_url, &mut Vec::new(), Scripting::Off, Reading::AsDeclared);
    // A notice that the page needs JavaScript is not the page's text.
    if body_chars(&without_scripts) >= body_chars(&article) + NOSCRIPT_MIN_GAIN {
        without_scripts
    } else {
        article
    }
}

fn body_chars(article: &Article) -> usize {
    text_chars(&article.body)
}

/// Characters of text in `blocks`: how much a reading of the page found.
fn text_chars(blocks: &[Block]) -> usize {
    blocks.iter().map(|b| b.text().chars().count()).sum()
}

/// Shortest paragraph counted as prose by [`prose_chars`].
const PROSE_PARAGRAPH_CHARS: usize = 120;

/// Characters in paragraphs long enough to be prose (not a menu's, a player's or a card's lines).
fn prose_chars(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .filter(|b| matches!(b, Block::Paragraph { .. }))
        .map(|b| b.text().chars().count())
        .filter(|&n| n >= PROSE_PARAGRAPH_CHARS)
        .sum()
}

fn extract_page_as(
    html: &str,
    base_url: Option<&Url>,
    warnings: &mut Vec<Warning>,
    scripting: Scripting,
    reading: Reading,
) -> Article {
    let (mut dom, head, flattened) = Dom::parse_as(html, scripting);
    let whole = whole_page_stats(&dom);
    reveal_hidden_wrappers(&mut dom, &whole);
    let dom = dom;
    if flattened {
        warnings.push(Warning::NestingFlattened);
    }
    let page_base = head.base_href.as_deref().and_then(|href| match base_url {
        Some(base) => base.join(href).ok(),
        None => Url::parse(href).ok(),
    });
    let base = page_base.as_ref().or(base_url);
    let mut meta = read_metadata(&dom, &head, base);
    // The title for sharing may be the one the page shows when the linked data's is not (a
    // headline written for search).
    let headline_node = find_headline(&dom, meta.title.as_deref(), meta.title_from_document)
        .or_else(|| meta.other_titles.iter().find_map(|t| find_headline(&dom, Some(t), false)));
    let title_heading = headline_node.or_else(|| find_title_heading(&dom, meta.title.as_deref()));
    let address = base_url.map(Url::as_str).or(meta.canonical_url.as_deref()).and_then(url_date);
    read_page_dates(&mut meta, &dom, title_heading, address);

    let headline = match (headline_node, &meta.title) {
        (Some(h1), _) => dom.text(h1),
        (None, Some(title)) => strip_site_name(title, meta.site_name.as_deref()),
        (None, None) => String::new(),
    };

    // Nodes that are not body text even though they sit in the article container.
    let mut set_aside: Vec<usize> = headline_node.into_iter().collect();
    let (summary, summary_node) = headline_node.map(|h| find_standfirst(&dom, h)).unwrap_or_default();
    set_aside.extend(summary_node);

    // What the page declares itself (before its text is read): a thread's posts are its content.
    let address = meta.canonical_url.as_deref().and_then(|u| Url::parse(u).ok()).or_else(|| base.cloned());
    let declared = page_type::declared(&meta.schema_types, meta.og_type.as_deref(), address.as_ref());
    let thread = declared == Some(PageType::Forum) || reading == Reading::Discussion;
    let product = declared == Some(PageType::Product);

    let spared = Spared::new(&dom, &whole, headline_node);
    // A part laid out twice, for narrow and wide screens, is read once.
    set_aside.extend(layout_copies(&dom, &spared));
    set_aside.extend(sibling_copies(&dom, &whole));
    // What each paragraph weighs in the scoring: more when the JSON-LD `articleBody` holds
    // it, nothing when it ends as two others do (outside a thread, whose posts may end with
    // one signature).
    let repeated = if thread { Vec::new() } else { repeated_endings(&dom, &whole) };
    drop(whole);
    let body_signal = meta.article_body.as_deref().map(signature_text);
    let bonus = |i: usize| -> f32 {
        if repeated.get(i) == Some(&true) {
            return 0.0;
        }
        match &body_signal {
            Some(signal) => {
                let probe = signature_prefix(&dom.text(i), 60);
                if probe.len() >= 20 && signal.contains(&probe) { 1.5 } else { 1.0 }
            }
            None => 1.0,
        }
    };
    // Furniture only (no class-weighing rules): bylines and figures in sidebars, teasers and
    // comments are not the article's.
    let furniture =
        Analysis::new(&dom, Flags::FURNITURE_ONLY.in_thread(thread).of_product(product), &[], &spared);
    let body_node = dom.body();
    let mut i = body_node;
    // A box about the writer is no part of the body, but its name is the story's author: the
    // search goes on inside it.
    let mut author_box_end = 0;
    while i < dom.nodes.len() {
        if furniture.removed[i] && i >= author_box_end && is_author_box(&dom, i) {
            author_box_end = dom.nodes[i].end;
        }
        if furniture.removed[i] && i >= author_box_end {
            i = dom.nodes[i].end;
        } else if is_byline_element(&dom, i) && !has_long_paragraph(&dom, i) {
            if meta.authors.is_empty() {
                let url = if dom.tag(i) == "a" { dom.attr(i, "href") } else { None };
                push_author(&mut meta.authors, &dom.text_of_fields(i), url.and_then(|u| resolve(base, u)));
            }
            set_aside.push(i);
            i = dom.nodes[i].end;
        } else {
            i += 1;
        }
    }

    if product {
        set_aside.extend(other_products(&dom));
    }
    set_aside.extend(repeated_links(&dom));
    let lead_figure = find_lead_figure(&furniture, &meta, base);
    if let Some((node, _)) = &lead_figure {
        set_aside.push(*node);
    }

    // Content systems set `og:type` "article" on every page, a service's or a shop's too: only
    // schema.org types and the address say a page is a story before its text is read.
    let declared_by_schema = page_type::declared(&meta.schema_types, None, address.as_ref());
    let may_be_sections =
        |t: Option<PageType>| matches!(t, None | Some(PageType::Service | PageType::Product));
    let prices =
        (0..dom.nodes.len()).filter(|&i| dom.text_of(i).is_some_and(page_type::is_price_or_range)).count();
    let shape = Declared {
        thread,
        product,
        listing: matches!(declared, Some(PageType::Collection | PageType::Listing))
            || (declared.is_none() && prices >= page_type::COLLECTION_PRICES),
        sections: may_be_sections(declared),
        index: declared == Some(PageType::Listing),
        sections_in_prose: may_be_sections(declared_by_schema),
    };
    let (mut body, from_cards) = extract_body(
        &dom,
        &spared,
        &bonus,
        base,
        Title { text: &headline, heading: title_heading },
        &set_aside,
        shape,
    );
    let lead_image = lead_image(meta.lead_image.take(), lead_figure.map(|(_, image)| image));

    fill_videos(&mut body, &meta.videos);
    drop_repeated(&mut body, thread);
    if product {
        drop_said_again(&mut body);
        drop_sections_beside_the_product(&mut body);
    }
    drop_author_boxes(&mut body);
    drop_rail_of_other_pages(&mut body);
    if thread {
        // "Re: <the thread's title>" over each reply is its subject line, said again and again.
        body.retain(|block| !is_reply_subject(&block.text()));
    }
    body.retain(|block| match block {
        Block::Paragraph { content } => {
            let text = inline_text(content);
            !summary.iter().any(|bullet| same_text(bullet, &text))
                && !is_author_bio(&text, &meta.authors)
                && !is_invisible(&text)
        }
        Block::Heading { content, .. } => !is_invisible(&inline_text(content)),
        _ => true,
    });
    // A line of the story's details at its start ("March 15, 2022 · 3 min read · By ASU
    // Online"), or a list of them, one detail an item, is shown beside it, not its text.
    if !thread {
        let details = |block: &Block| match block {
            Block::Paragraph { content } => is_details_line(&inline_text(content)),
            Block::List { items, .. } => {
                items.len() > 1
                    && is_details_line(
                        &items.iter().map(|item| inline_text(item)).collect::<Vec<_>>().join(" · "),
                    )
            }
            _ => false,
        };
        let mut n = 0;
        while n < DATE_LINE_EDGE.min(body.len()) {
            if details(&body[n]) {
                body.remove(n);
            } else {
                n += 1;
            }
        }
    }
    // A day on a line of its own, once in the body and by its start or its end, is the story's
    // date shown beside it, not its text; a day over each post or card of a list is theirs,
    // and a day heading a part of a schedule is the schedule's: they stay.
    let bare_dates: Vec<usize> = body
        .iter()
        .enumerate()
        .filter(|(_, block)| matches!(block, Block::Paragraph { .. }) && is_bare_date(&block.text()))
        .map(|(n, _)| n)
        .collect();
    if let [only] = bare_dates[..]
        && !thread
        && (only < DATE_LINE_EDGE || only + DATE_LINE_EDGE >= body.len())
        && !matches!(body.get(only + 1), Some(Block::Table { .. } | Block::List { .. }))
    {
        body.remove(only);
    }
    // The paragraphs that close a story, each about one of its writers ("Daryl Fairweather is
    // the chief economist of Redfin. Her insights have been…", "Anurag is an experienced
    // journalist…"), and the writers' photos between them: the site's notes on the writers
    // under it. Not a product's, whose author may be a book's, nor the only paragraph left (a
    // page about the writer, whose text the biography is).
    let closing_bio = |block: Option<&Block>| match block {
        Some(Block::Paragraph { content }) if !product => {
            let text = inline_text(content);
            is_closing_author_bio(&text, &meta.authors)
        }
        _ => false,
    };
    while let Some(last) = body.last() {
        let paragraphs = body.iter().filter(|block| matches!(block, Block::Paragraph { .. })).count();
        let photo_after_bio = matches!(last, Block::Image(_)) && closing_bio(body.iter().rev().nth(1));
        if paragraphs > 1 && (closing_bio(Some(last)) || photo_after_bio) {
            body.pop();
        } else {
            break;
        }
    }
    // A product's description that only its JSON-LD holds (the page draws it with a script,
    // or in a tab the reading missed) is its text.
    if product
        && let Some(description) = meta.product_description.as_deref()
        && !says_most_of(&body, description)
    {
        let paragraphs = description.lines().map(Block::paragraph);
        body.splice(0..0, paragraphs);
    }
    if is_menu_only(&body) {
        // A few links left of a page whose content a script draws: no article.
        body.clear();
    }
    if body.iter().all(|b| b.text().trim().is_empty())
        && let Some(text) = meta.article_body.as_deref()
    {
        body = text.split('\n').map(str::trim).filter(|p| !p.is_empty()).map(Block::paragraph).collect();
    }

    let mut topics: Vec<Topic> = Vec::new();
    for name in &meta.topics {
        let topic = Topic::new(name);
        if !topic.slug.is_empty() && !topics.iter().any(|t| t.slug == topic.slug) && topics.len() < MAX_TOPICS
        {
            topics.push(topic);
        }
    }

    let classified = page_type::classify(&page_type::Signals {
        schema_types: &meta.schema_types,
        og_type: meta.og_type.as_deref(),
        generator: meta.generator.as_deref(),
        url: address.as_ref(),
        body: &body,
        from_cards,
        prices,
        dated_or_signed: meta.published.is_some() || meta.updated.is_some() || !meta.authors.is_empty(),
    });
    let page_type = if reading == Reading::Discussion { Some(PageType::Forum) } else { classified };
    if page_type == Some(PageType::Article) {
        // A heading with nothing under it ends no section: a story does not end on one.
        while matches!(body.last(), Some(Block::Heading { .. })) {
            body.pop();
        }
    }

    Article {
        source_url: None,
        canonical_url: meta.canonical_url,
        language: meta.language,
        site_name: meta.site_name,
        headline,
        description: meta.description,
        summary,
        topics,
        authors: meta.authors,
        published: meta.published,
        updated: meta.updated,
        lead_image,
        body,
        page_type,
    }
}

/// What the page says of its own shape before its text is read.
#[derive(Clone, Copy)]
struct Declared {
    /// A forum or Q&A thread: its posts are the content.
    thread: bool,
    /// A product's page: its customers' reviews are not its text.
    product: bool,
    /// A shop's collection or a listing by its types, its address or its prices: its cards
    /// may be the content even under an introduction long enough to read alone.
    listing: bool,
    /// Declares no type, or a product's or a service's page: it may be a run of short
    /// sections.
    sections: bool,
    /// The same by its schema.org types and address alone, `og:type` aside (content systems
    /// say "article" on every page): it may be a run of short sections written in paragraphs.
    sections_in_prose: bool,
    /// A listing of other pages (news, courses, events) by its types or its address, not a
    /// shop's collection.
    index: bool,
}

impl Declared {
    /// `base` for this page: a thread's or a product's rules on or off.
    fn flags(self, base: Flags) -> Flags {
        base.in_thread(self.thread).of_product(self.product)
    }
}

/// Runs the content finder with stricter flags first, relaxing them while the body is short;
/// also says whether the body came from a list of cards.
fn extract_body(
    dom: &Dom,
    spared: &Spared,
    bonus: &dyn Fn(usize) -> f32,
    base: Option<&Url>,
    title: Title<'_>,
    set_aside: &[usize],
    declared: Declared,
) -> (Vec<Block>, bool) {
    let (headline, product) = (title.text, declared.product);
    let mut flags = declared.flags(Flags::ALL);
    let mut best: Option<(usize, Vec<Block>, Vec<usize>)> = None;
    loop {
        let mut analysis = Analysis::new(dom, flags, set_aside, spared);
        analysis.score(bonus);
        let top = analysis.top_candidate();
        let mut builder = BlockBuilder::new(&analysis, base, headline);
        let nodes = analysis.article_nodes(top);
        for &node in &nodes {
            builder.add(node);
        }
        let blocks = builder.finish();
        let length = text_chars(&blocks);
        if best.as_ref().is_none_or(|(best_length, ..)| length > *best_length) {
            best = Some((length, blocks, nodes));
        }
        if length >= MIN_BODY_CHARS {
            break;
        }
        match flags.relaxed() {
            Some(next) => flags = next,
            None => break,
        }
    }
    let (mut length, mut blocks, nodes) = best.unwrap_or_default();
    // The reading is the page's banner or footer (its tagline, a sign-in box, its links) and
    // the page marks where its content is (a column of headlines, outscored): the marked
    // content, when it holds more.
    if !nodes.is_empty()
        && nodes.iter().all(|&n| in_banner_or_footer(dom, n))
        && let Some(main) = (0..dom.nodes.len()).find(|&i| is_main_landmark(dom, i))
        && !nodes.iter().any(|&n| dom.is_inside(n, main) || dom.is_inside(main, n))
    {
        let analysis = Analysis::new(dom, declared.flags(Flags::FURNITURE_ONLY), set_aside, spared);
        if let Some(main) = analysis.main_landmark() {
            let mut builder = BlockBuilder::new(&analysis, base, headline);
            builder.add(main);
            let main_blocks = builder.finish();
            if text_chars(&main_blocks) > length {
                length = text_chars(&main_blocks);
                blocks = main_blocks;
            }
        }
    }
    let first_length = length;
    let mut from_cards = false;
    // Little prose: a listing whose content is its cards (products, stories, events).
    if length < MIN_BODY_CHARS
        && let Some(card_blocks) = read_cards(dom, spared, base, headline, set_aside, declared)
        && text_chars(&card_blocks) > length
    {
        // The prose found (an introduction) comes first unless the cards hold it.
        blocks.retain(|block| !card_blocks.iter().any(|card| same_text(&card.text(), &block.text())));
        blocks.extend(card_blocks);
        from_cards = true;
    }
    // Little text beside the page's title: a chapter whose text is its table of contents and
    // an introduction under its heading, outscored by a feedback box below or a menu above.
    // The section under the title heading is read instead when it holds much more and none of
    // what was read.
    if first_length < MIN_BODY_CHARS {
        let analysis = Analysis::new(dom, declared.flags(Flags::FURNITURE_ONLY), set_aside, spared);
        if let Some(section) =
            title.heading.and_then(|h| title_section(&analysis, h, MAIN_GAIN * first_length))
        {
            let mut builder = BlockBuilder::new(&analysis, base, headline);
            builder.add(section);
            let section_blocks = builder.finish();
            let apart =
                !blocks.iter().any(|b| section_blocks.iter().any(|s| same_text(&s.text(), &b.text())));
            if apart && text_chars(&section_blocks) > MAIN_GAIN * first_length {
                blocks = section_blocks;
                from_cards = false;
            }
        }
    }
    // Still little text, and the page marks where its content is: a page of lists, sections or
    // links (an index, a catalogue) where the best-scoring box is a tagline or one section.
    let length = text_chars(&blocks);
    if length < MAIN_CHECK_CHARS && !from_cards {
        let analysis = Analysis::new(dom, declared.flags(Flags::FURNITURE_ONLY), set_aside, spared);
        if let Some(main) = analysis.main_landmark() {
            let mut builder = BlockBuilder::new(&analysis, base, headline);
            builder.add(main);
            let main_blocks = builder.finish();
            if text_chars(&main_blocks) > MAIN_GAIN * length {
                blocks = main_blocks;
            }
        }
    }
    // A page that is not a story, a listing, a collection or a thread (a product's or a
    // service's page, a presentation) is often a run of short sections, each too small to win
    // the scoring alone: the whole content area, with only furniture and link-heavy boxes
    // taken out, is its text when it holds much more than the best-scoring box. A long reading
    // may be only a part of such a page too (a buying guide's introduction, its products'
    // reviews in boxes named widgets), but beside it a content area's gain in short lines is a
    // catalogue or a menu: what the area must hold more of is then prose.
    let length = text_chars(&blocks);
    let long = length >= SECTIONS_CHECK_CHARS;
    let mut read_as_sections = false;
    // The text under `<body>` bounds the area's: most long readings are most of it.
    if !from_cards
        && (declared.sections || declared.sections_in_prose)
        && dom.text_chars(dom.body()) as f32 > SECTIONS_GAIN * length as f32
    {
        let flags = Flags { clean_conditionally: true, ..Flags::FURNITURE_ONLY.of_product(product) };
        let analysis = Analysis::new(dom, flags, set_aside, spared);
        let area = analysis.main_landmark().unwrap_or_else(|| analysis.body());
        // The area's text before link-heavy boxes are taken out bounds what it can hold.
        if analysis.stats[area].text as f32 > SECTIONS_GAIN * length as f32 {
            let mut builder = BlockBuilder::new(&analysis, base, headline);
            builder.add(area);
            let area_blocks = builder.finish();
            let gain = if declared.sections && !long {
                text_chars(&area_blocks) as f32 > SECTIONS_GAIN * length as f32
            } else {
                prose_chars(&area_blocks) as f32 > SECTIONS_GAIN * prose_chars(&blocks) as f32
            };
            if gain {
                read_as_sections = true;
                blocks = area_blocks;
            }
        }
    }
    // The page's list of cards, read once for the two checks below when either may apply.
    let short_sections = !declared.thread
        && !declared.product
        && (declared.sections || declared.listing)
        && text_chars(&blocks) < CARDS_CHECK_CHARS;
    let cards = (!from_cards && (short_sections || declared.listing))
        .then(|| read_cards(dom, spared, base, headline, set_aside, declared))
        .flatten()
        .filter(|card_blocks| text_chars(card_blocks) > text_chars(&blocks));
    if let Some(card_blocks) = cards {
        let in_cards: String = card_blocks.iter().map(|b| signature_text(&b.text())).collect();
        // Whether the cards say any of a listing's reading, asked once for the two branches below.
        let listing_said = declared.listing && holds_any(&blocks, &card_blocks);
        if (short_sections || declared.index && listing_said)
            && blocks.iter().all(|b| in_cards.contains(&signature_text(&b.text())))
        {
            // A page that may be a run of sections or a listing, read short, and all of whose
            // reading is said by its list of cards: the scoring kept a few of the cards (those
            // with text enough beside their links), and the list is the text. So it is for an
            // index of other pages read long: the scoring kept the entries that show a whole
            // story (`index-with-whole-stories.html`); a shop's collection, whose description
            // may sit in a card of its own, keeps a long reading.
            blocks = card_blocks;
            from_cards = true;
        } else if listing_said && read_as_sections {
            // A shop's front page of sections, each a few lines over a carousel of products:
            // the content area kept the sections' lines and took the carousels out as boxes of
            // links or pictures, and the list of cards is the sections with their products.
            // What the cards do not say (a banner before them, a note after) stays where it was.
            let said = |block: &Block| in_cards.contains(&signature_text(&block.text()));
            let first_said = blocks.iter().position(said).unwrap_or(blocks.len());
            let after: Vec<Block> = blocks.split_off(first_said).into_iter().filter(|b| !said(b)).collect();
            blocks.extend(card_blocks);
            blocks.extend(after);
            from_cards = true;
        } else if declared.listing && !listing_said {
            // A listing's page may open with an introduction or a buying guide long enough to
            // be read alone: its cards, when they hold more than what was read and none of them
            // is in it, follow it. What was read inside the cards (their excerpts, read as
            // paragraphs) is said by the cards.
            let said = |text: &str| {
                let key = signature_text(text);
                key.len() >= MIN_REPEAT_CHARS && in_cards.contains(&key)
            };
            for block in &mut blocks {
                if let Block::List { items, .. } = block {
                    items.retain(|item| !said(&inline_text(item)));
                }
            }
            blocks.retain(|block| match block {
                Block::List { items, .. } => !items.is_empty(),
                _ => !said(&block.text()),
            });
            blocks.extend(card_blocks);
            from_cards = true;
        }
    }
    (blocks, from_cards)
}

/// Whether `i` is, or is inside, a `<header>` or `<footer>` (or an element with the role
/// `banner` or `contentinfo`).
fn in_banner_or_footer(dom: &Dom, i: usize) -> bool {
    std::iter::once(i).chain(dom.ancestors(i)).any(|a| {
        matches!(dom.tag(a), "header" | "footer")
            || dom.attr(a, "role").is_some_and(|r| matches!(r, "banner" | "contentinfo"))
    })
}

/// The blocks of the page's list of cards, when it has one (see [`Analysis::card_list`]).
fn read_cards(
    dom: &Dom,
    spared: &Spared,
    base: Option<&Url>,
    headline: &str,
    set_aside: &[usize],
    declared: Declared,
) -> Option<Vec<Block>> {
    let flags = Flags { cards: true, ..declared.flags(Flags::FURNITURE_ONLY) };
    let analysis = Analysis::new(dom, flags, set_aside, spared);
    let cards = analysis.card_list()?;
    let mut builder = BlockBuilder::new(&analysis, base, headline);
    let sections = analysis.card_sections(cards);
    if sections.is_empty() {
        builder.add(cards);
    } else {
        for section in sections {
            builder.add(section);
        }
    }
    Some(builder.finish())
}

/// Links taken out of the keyboard's order (`tabindex="-1"`) that go where another link of
/// the page with words of its own goes: a card's second way to its page, for the mouse (its
/// picture, or its details laid out again), which a reader hears once.
fn repeated_links(dom: &Dom) -> Vec<usize> {
    let untabbed = |i: usize| dom.tag(i) == "a" && dom.attr(i, "tabindex").is_some_and(|t| t.trim() == "-1");
    // Most pages have none: the page's links are indexed only for those that do.
    if !(0..dom.nodes.len()).any(untabbed) {
        return Vec::new();
    }
    let mut worded: HashSet<&str> = HashSet::new();
    for i in 0..dom.nodes.len() {
        if dom.tag(i) == "a"
            && !untabbed(i)
            && let Some(href) = dom.attr(i, "href")
            && dom.text_chars(i) > 0
        {
            worded.insert(href.trim());
        }
    }
    (0..dom.nodes.len())
        .filter(|&i| untabbed(i) && dom.attr(i, "href").is_some_and(|href| worded.contains(href.trim())))
        .collect()
}

/// Lists of other products on a product's page (variants, "customers also bought"): the
/// elements whose children are [`MIN_CARDS`] or more of one tag and first class name, most of
/// them with a price and a link of their own.
fn other_products(dom: &Dom) -> Vec<usize> {
    // Prices and links in each subtree, counted in one pass from the leaves up.
    let (mut prices, mut links) = (vec![0u32; dom.nodes.len()], vec![0u32; dom.nodes.len()]);
    for i in (1..dom.nodes.len()).rev() {
        prices[i] += u32::from(dom.text_of(i).is_some_and(page_type::is_price));
        links[i] += u32::from(dom.tag(i) == "a" && dom.attr(i, "href").is_some());
        let parent = dom.nodes[i].parent;
        prices[parent] = prices[parent].saturating_add(prices[i]);
        links[parent] = links[parent].saturating_add(links[i]);
    }
    let mut found = Vec::new();
    let mut i = 0;
    while i < dom.nodes.len() {
        if dom.element(i).is_none() || (prices[i] as usize) < MIN_CARDS {
            i += 1;
            continue;
        }
        let mut groups: HashMap<(&str, &str), (usize, usize)> = HashMap::new();
        for child in dom.children(i).filter(|&c| dom.element(c).is_some()) {
            let kind = (dom.tag(child), card_kind(dom.attr(child, "class").unwrap_or("")));
            let priced = prices[child] > 0 && links[child] > 0;
            let entry = groups.entry(kind).or_default();
            entry.0 += 1;
            entry.1 += usize::from(priced);
        }
        let cards =
            groups.values().any(|&(members, priced)| members >= MIN_CARDS && priced * 5 >= members * 3);
        if cards {
            found.push(i);
            i = dom.nodes[i].end;
        } else {
            i += 1;
        }
    }
    // The product's own price stands outside them; a page with none is a listing.
    let listed: u32 = found.iter().map(|&f| prices[f]).sum();
    if prices[0] <= listed {
        found.clear();
    }
    found
}

/// Whether the blocks already say most of `text`: half of its words or more (as a set,
/// lower-cased) are among theirs.
fn says_most_of(blocks: &[Block], text: &str) -> bool {
    let words = |t: &str| -> HashSet<String> {
        t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let wanted = words(text);
    let said: HashSet<String> = blocks.iter().flat_map(|b| words(&b.text())).collect();
    wanted.iter().filter(|w| said.contains(*w)).count() * 2 >= wanted.len()
}

/// How many of a list's first parts [`holds_any`] looks for: if the cards were read, their first
/// ones were.
const HOLDS_ANY_PARTS: usize = 16;

/// Whether any of the first parts (a line of ten letters or more) is already one of `blocks`.
/// A whole block, not words within one: an introduction that names a card's story in a
/// sentence ("don't miss a reader favourite: Air Fryer Turkey Bacon") does not hold the card.
fn holds_any(blocks: &[Block], parts: &[Block]) -> bool {
    let said: HashSet<String> = blocks.iter().map(|b| signature_text(&b.text())).collect();
    parts
        .iter()
        .map(|p| signature_text(&p.text()))
        .filter(|p| p.len() >= 10)
        .take(HOLDS_ANY_PARTS)
        .any(|p| said.contains(&p))
}

/// The page's title as the reader sees it: the headline's text and the heading that shows it.
#[derive(Clone, Copy)]
struct Title<'a> {
    text: &'a str,
    heading: Option<usize>,
}

/// The nearest box around the title heading holding more than `min_text` characters besides
/// the heading, below any `<header>` (which holds a title, not its section).
fn title_section(analysis: &Analysis<'_>, heading: usize, min_text: usize) -> Option<usize> {
    let dom = analysis.dom;
    let heading_text = analysis.stats[heading].text;
    dom.ancestors(heading)
        .take_while(|&a| a != 0 && !matches!(dom.tag(a), "body" | "html" | "header"))
        .find(|&a| analysis.stats[a].text > min_text + heading_text)
}

/// Blocks this long (in letters and digits) are compared with the blocks before them; shorter
/// ones (a subheading, a label) may repeat freely.
const MIN_REPEAT_CHARS: usize = 40;

/// Drops quotes that repeat an earlier paragraph or quote word for word (a reply quoting the
/// post it answers, a pull quote repeating its paragraph) or several blocks before them at
/// once (a whole post quoted in one box), and, outside threads, a copy of
/// the text: a run of blocks that each say again what an earlier block said, three different
/// ones at least (a page laid out twice, for wide and narrow screens). A paragraph repeated
/// on its own is the author's to repeat, and so is a notice under each of several cards; in
/// a thread, a reply may quote a whole post.
fn drop_repeated(body: &mut Vec<Block>, thread: bool) {
    let keys: Vec<String> = body.iter().map(|block| signature_text(&block.text())).collect();
    let mut seen = HashSet::new();
    // Per block: whether it is long enough to compare, and whether it says again what an
    // earlier block said.
    let repeats: Vec<Option<bool>> =
        keys.iter().map(|key| (key.len() >= MIN_REPEAT_CHARS).then(|| !seen.insert(key.as_str()))).collect();
    // A copy of the text (a second layout of the page): a run of blocks said again, short
    // ones aside, with three different ones at least. A notice repeated under each card is no
    // run, nor is one paragraph said over and over (a placeholder text).
    let mut copied = vec![false; body.len()];
    let mut run: Vec<usize> = Vec::new();
    for (i, repeat) in repeats.iter().enumerate().chain(std::iter::once((body.len(), &Some(false)))) {
        match repeat {
            None => {}
            Some(true) => run.push(i),
            Some(false) => {
                let distinct: HashSet<&str> = run.iter().map(|&j| keys[j].as_str()).collect();
                if !thread && distinct.len() >= MIN_COPIED_RUN {
                    for &j in &run {
                        copied[j] = true;
                    }
                }
                run.clear();
            }
        }
    }
    // A quote of several of the blocks before it at once (a reply quoting a whole post, its
    // paragraphs and lists run together) says them again too.
    let mut said = String::new();
    let mut compared = 0;
    let mut quoted = vec![false; body.len()];
    // Only the text up to the last quote is ever compared.
    let until_last_quote =
        body.iter().rposition(|block| matches!(block, Block::Quote { .. })).map_or(0, |q| q + 1);
    for (i, block) in body.iter().enumerate().take(until_last_quote) {
        if matches!(block, Block::Quote { .. }) && repeats[i] == Some(false) && compared < MAX_QUOTES_COMPARED
        {
            compared += 1;
            quoted[i] = said.contains(keys[i].as_str());
        }
        said.push_str(&keys[i]);
    }
    let mut index = 0;
    body.retain(|block| {
        let i = index;
        index += 1;
        let repeated = repeats[i] == Some(true) || quoted[i];
        !(copied[i] || repeated && matches!(block, Block::Quote { .. }))
    });
}

/// On a product's page, a section under a heading that names customers' reviews ("Customer
/// reviews", "Google Reviews", "Ratings & reviews") or the shop's other products ("Related
/// products", "Recommended accessories", "Frequently bought together"), up to the next
/// heading of its level or above, is left out as such boxes are when their class names say
/// what they are: the shop's widget drew it without a name the content finder knows.
fn drop_sections_beside_the_product(body: &mut Vec<Block>) {
    let mut beside_level: Option<u8> = None;
    body.retain(|block| {
        if let Block::Heading { level, .. } = block {
            if beside_level.is_some_and(|l| *level <= l) {
                beside_level = None;
            }
            let text = block.text();
            if beside_level.is_none() && (is_reviews_heading(&text) || is_other_products_heading(&text)) {
                beside_level = Some(*level);
            }
        }
        beside_level.is_none()
    });
}

/// A heading in the second half of the body that names other pages of the site ("Recent
/// articles", "Trending news", "You may also like", "Read next") heads a rail of teasers
/// that the page ends with, drawn without a class name that says so: it and all that follows
/// are left out.
fn drop_rail_of_other_pages(body: &mut Vec<Block>) {
    let is_rail_heading =
        |block: &Block| matches!(block, Block::Heading { .. }) && is_other_pages_heading(&block.text());
    // Most bodies have no such heading (a cheap test before their blocks are measured).
    if !body.iter().any(is_rail_heading) {
        return;
    }
    let sizes: Vec<usize> = body.iter().map(|block| block.text().len()).collect();
    let total: usize = sizes.iter().sum();
    let mut before = 0;
    let cut = body.iter().zip(&sizes).position(|(block, &size)| {
        let rail = before * 2 >= total && is_rail_heading(block);
        before += size;
        rail
    });
    if let Some(cut) = cut {
        body.truncate(cut);
    }
}

/// On a product's page, a paragraph or a list's item that the blocks before it said already
/// (40 letters and digits or more) is left out: shops show a description or its bullets twice
/// (beside the pictures and again in a tab, in an "About this item" list and again in a quick
/// view), in boxes that do not say which is the copy. A text said three times or more is a note
/// under each of several parts (each size or finish offered), and stays.
fn drop_said_again(body: &mut Vec<Block>) {
    // Each paragraph's and item's key, in the order the blocks are walked below.
    let keys: Vec<String> = body
        .iter()
        .flat_map(|block| match block {
            Block::Paragraph { content } => vec![signature_text(&inline_text(content))],
            Block::List { items, .. } => {
                items.iter().map(|item| signature_text(&inline_text(item))).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for key in &keys {
        *counts.entry(key.as_str()).or_default() += 1;
    }
    let mut seen = HashSet::new();
    let mut next = keys.iter().map(String::as_str);
    let mut first = || {
        let key = next.next().unwrap_or_default();
        key.len() < MIN_REPEAT_CHARS || counts[key] > 2 || seen.insert(key)
    };
    body.retain_mut(|block| match block {
        Block::Paragraph { .. } => first(),
        Block::List { items, .. } => {
            items.retain(|_| first());
            !items.is_empty()
        }
        _ => true,
    });
}

/// A text with nothing to see or say: spaces and invisible format characters only (a site
/// builder's spacer paragraph holding one zero-width joiner, `<p>&zwj;</p>`).
fn is_invisible(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace() || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
    })
}

/// Quotes compared with all the text before them, at most: each comparison reads it whole.
const MAX_QUOTES_COMPARED: usize = 200;

/// Longest paragraph read as an author's biography.
const BIO_MAX_CHARS: usize = 500;
/// Longest paragraph closing the story read as an author's biography.
const CLOSING_BIO_MAX_CHARS: usize = 1200;

/// A short paragraph about the story's author in the third person ("Maria Okafor is a
/// transport reporter who…"): the author box, not the story.
fn is_author_bio(text: &str, authors: &[lector_article::Author]) -> bool {
    opens_about_author(text, authors, |name| name.contains(' ').then_some(name), BIO_VERBS, BIO_MAX_CHARS)
}

/// A paragraph of up to [`CLOSING_BIO_MAX_CHARS`] about one of the story's authors: read where
/// it closes the story. It opens with the writer's full name, whatever follows ("Benjamin
/// Preston covered new and used car buying…", "Eric Gerard Ruiz, a licensed CPA, specializes…"),
/// or with their first name (a name of one word being its own first name) and a verb that
/// starts a biography ("Anurag is an experienced journalist", "Lauren has written for…").
fn is_closing_author_bio(text: &str, authors: &[lector_article::Author]) -> bool {
    opens_about_author(
        text,
        authors,
        |name| name.contains(' ').then_some(name),
        AFTER_FULL_NAME,
        CLOSING_BIO_MAX_CHARS,
    ) || opens_about_author(
        text,
        authors,
        |name| Some(name.split_once(' ').map_or(name, |(first, _)| first)),
        FIRST_NAME_BIO_VERBS,
        CLOSING_BIO_MAX_CHARS,
    )
}

/// What may follow a writer's full name opening the note that closes their story: another
/// word, or the comma before their title.
const AFTER_FULL_NAME: &[&str] = &[" ", ","];

/// The verbs that open a writer's biography after their full name.
const BIO_VERBS: &[&str] = &[" is ", " has ", " was ", " writes ", " covers ", " joined "];

/// The verbs that open a writer's biography after their first name: "is a", "is an", "has
/// been", "has covered", "writes".
const FIRST_NAME_BIO_VERBS: &[&str] =
    &[" is a ", " is an ", " has been ", " has covered ", " has written ", " writes ", " covers "];

/// Whether `text`, of `max_chars` or fewer, opens with what `called` makes of an author's
/// name and then one of `verbs`.
fn opens_about_author(
    text: &str,
    authors: &[lector_article::Author],
    called: impl Fn(&str) -> Option<&str>,
    verbs: &[&str],
    max_chars: usize,
) -> bool {
    let text = text.trim();
    text.chars().count() <= max_chars
        && authors.iter().any(|author| {
            called(author.name.trim()).is_some_and(|name| {
                text.strip_prefix(name).is_some_and(|rest| verbs.iter().any(|verb| rest.starts_with(verb)))
            })
        })
}

/// Longest reply subject line ("Re: Which tent for a windy coast?").
const REPLY_SUBJECT_MAX_CHARS: usize = 150;

/// A reply's subject line in a thread: "Re:" (or a mail client's "RE:", "AW:", "SV:") and the
/// subject it answers.
fn is_reply_subject(text: &str) -> bool {
    let text = text.trim();
    let Some((label, rest)) = text.split_once(':') else { return false };
    matches!(label.to_ascii_lowercase().as_str(), "re" | "aw" | "sv" | "antw")
        && !rest.trim().is_empty()
        && text.chars().count() <= REPLY_SUBJECT_MAX_CHARS
}

/// Most text (in characters) of a body made only of links that is read as a menu.
const MENU_ONLY_CHARS: usize = 200;

/// Whether the body is a few links and nothing else ("Skip navigation links", a shop's
/// "About us · Cart"): what is left of a page whose content a script draws, not an article.
fn is_menu_only(body: &[Block]) -> bool {
    fn only_links(content: &[Inline]) -> bool {
        content.iter().all(|inline| match inline {
            Inline::Text(text) => text.trim().is_empty(),
            Inline::Link { .. } | Inline::LineBreak => true,
            Inline::Emphasis(inner) | Inline::Strong(inner) => only_links(inner),
            Inline::Code(_) => false,
        })
    }
    let chars: usize = body.iter().map(|b| b.text().chars().count()).sum();
    !body.is_empty()
        && chars <= MENU_ONLY_CHARS
        && body.iter().all(|block| match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => only_links(content),
            Block::List { items, .. } => items.iter().all(|item| only_links(item)),
            _ => false,
        })
}

/// Blocks after an "About the author" label read as the author box: this many at most (a
/// photo, a line with the name and title, a short biography, a link to the writer's page).
const AUTHOR_BOX_BLOCKS: usize = 4;

/// True for an element whose class or id names a box about the story's writer.
fn is_author_box(dom: &Dom, i: usize) -> bool {
    dom.attr(i, "class").is_some_and(is_author_box_class)
        || dom.attr(i, "id").is_some_and(is_author_box_class)
}

/// The label of an author box: "About the author", "About the reviewer:", "About the writers".
fn author_box_label(text: &str) -> Option<usize> {
    static LABEL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)^\s*about\s+the\s+(?:authors?|writers?|reviewers?|contributors?|experts?)\b\s*:?\s*",
        )
        .unwrap_or_else(|e| panic!("author box pattern: {e}"))
    });
    LABEL.find(text).map(|m| m.end())
}

/// Drops author boxes labelled as such: a block that is only the label ("About the Author")
/// and the short paragraphs after it up to the next heading, or a short paragraph that opens
/// with the label and goes on about the writer.
fn drop_author_boxes(body: &mut Vec<Block>) {
    let mut keep = vec![true; body.len()];
    let mut i = 0;
    while i < body.len() {
        let text = body[i].text();
        // A byline over the writer's biography ("Written by Maria Okafor", then "Maria Okafor
        // is a transport reporter…"): the box at the foot of the story.
        if let Some(name) = byline_name(&text)
            && body.get(i + 1).is_some_and(|next| {
                let writer = lector_article::Author { name: name.to_string(), url: None };
                matches!(next, Block::Paragraph { .. }) && is_author_bio(&next.text(), &[writer])
            })
        {
            keep[i] = false;
            keep[i + 1] = false;
            i += 2;
            continue;
        }
        let Some(end) = author_box_label(&text) else {
            i += 1;
            continue;
        };
        // The box's short paragraphs, and the writer's photo among them.
        let short = |block: &Block| {
            matches!(block, Block::Image(_))
                || matches!(block, Block::Paragraph { .. }) && block.text().chars().count() <= BIO_MAX_CHARS
        };
        if end == text.len() {
            // The label alone, then the box's paragraphs.
            let box_end = (i + 1..body.len().min(i + 1 + AUTHOR_BOX_BLOCKS))
                .take_while(|&j| short(&body[j]))
                .last()
                .map_or(i + 1, |j| j + 1);
            if box_end > i + 1 {
                keep[i..box_end].iter_mut().for_each(|k| *k = false);
            }
            i = box_end;
        } else {
            keep[i] = !short(&body[i]);
            i += 1;
        }
    }
    let mut flags = keep.into_iter();
    body.retain(|_| flags.next().unwrap_or(true));
}

/// Different blocks said again in a row, this many or more, are a copy of the text.
const MIN_COPIED_RUN: usize = 3;

/// The first `<h1>` to `<h3>` that shows the metadata title, when no `<h1>` is the headline.
fn find_title_heading(dom: &Dom, title: Option<&str>) -> Option<usize> {
    let title_key = signature_text(title?);
    (0..dom.nodes.len()).find(|&i| {
        matches!(dom.tag(i), "h1" | "h2" | "h3") && shows_title(&signature_text(&dom.text(i)), &title_key)
    })
}

/// Whether a heading's letters and digits match the title's (one holds the other, a site's
/// name or a numbering aside).
fn shows_title(key: &str, title_key: &str) -> bool {
    key.len() >= 8 && !title_key.is_empty() && (title_key.contains(key) || key.contains(title_key))
}

/// The `<h1>` that carries the headline: the one matching the metadata title, else the only
/// one when there is no title or only a `<title>` (which is often the site's name).
fn find_headline(dom: &Dom, title: Option<&str>, title_from_document: bool) -> Option<usize> {
    let h1s: Vec<usize> = (0..dom.nodes.len()).filter(|&i| dom.tag(i) == "h1").collect();
    let title_key = title.map(signature_text).unwrap_or_default();
    let matching = h1s.iter().copied().find(|&h| shows_title(&signature_text(&dom.text(h)), &title_key));
    match matching {
        Some(h) => Some(h),
        None if h1s.len() == 1
            && (title.is_none()
                || title_from_document && dom.text(h1s[0]).split_whitespace().count() >= 4) =>
        {
            Some(h1s[0])
        }
        None => None,
    }
}

/// "Tram plan approved | The Harbour Times" → "Tram plan approved".
fn strip_site_name(title: &str, site_name: Option<&str>) -> String {
    for separator in [" | ", " - ", " – ", " — ", " :: ", " » ", " · "] {
        if let Some((first, last)) = title.rsplit_once(separator) {
            let site_matches = site_name.is_some_and(|site| same_text(site, last));
            let first_words = first.split_whitespace().count();
            if site_matches || (first_words >= 4 && last.split_whitespace().count() <= 4) {
                return first.trim().to_string();
            }
        }
    }
    title.trim().to_string()
}

/// A list of one to five short items right after the headline, before the body starts.
fn find_standfirst(dom: &Dom, headline: usize) -> (Vec<String>, Option<usize>) {
    let start = dom.nodes[headline].end;
    let end = (start + STANDFIRST_WINDOW).min(dom.nodes.len());
    let mut i = start;
    while i < end {
        match dom.tag(i) {
            "ul" | "ol" => {
                let items: Vec<usize> = dom.children(i).filter(|&c| dom.tag(c) == "li").collect();
                let texts: Vec<String> = items.iter().map(|&li| dom.text(li)).collect();
                let links = (i..dom.nodes[i].end).filter(|&j| dom.tag(j) == "a").count();
                let hinted =
                    [dom.attr(i, "class"), dom.attr(i, "id"), dom.attr(dom.nodes[i].parent, "class")]
                        .into_iter()
                        .flatten()
                        .any(is_standfirst_hint);
                // A list of the story's details ("Last Updated January, 2024") is no summary,
                // and one may stand before it.
                if texts.iter().all(|t| is_furniture_text(t)) {
                    i = dom.nodes[i].end;
                    continue;
                }
                let sentence_like = texts.iter().all(|t| {
                    let words = t.split_whitespace().count();
                    (4..=60).contains(&words) && !is_furniture_text(t)
                });
                if (1..=MAX_BULLETS).contains(&texts.len()) && sentence_like && (links == 0 || hinted) {
                    return (texts, Some(i));
                }
                return (Vec::new(), None);
            }
            // A subheading opens a section: a list after it is the section's, not a standfirst.
            "h2" | "h3" | "h4" | "h5" | "h6" => break,
            // Body text has started: a long paragraph ends the search.
            "p" | "div" if dom.children(i).any(|c| dom.text_of(c).is_some_and(|t| t.trim().len() > 150)) => {
                break;
            }
            _ => {}
        }
        i += 1;
    }
    (Vec::new(), None)
}

fn has_long_paragraph(dom: &Dom, i: usize) -> bool {
    (i..dom.nodes[i].end).any(|j| dom.tag(j) == "p" && dom.text(j).len() > 200)
}

/// The figure showing the lead image: the one whose image matches the metadata image, else
/// a figure that comes before any body paragraph.
fn find_lead_figure(furniture: &Analysis<'_>, meta: &Metadata, base: Option<&Url>) -> Option<(usize, Image)> {
    let dom = furniture.dom;
    let builder = BlockBuilder::new(furniture, base, "");
    let wanted = meta.lead_image.as_ref().map(|image| picture_key(&image.url));
    let figure_at = |i: usize| -> Option<(usize, Image)> {
        let image = builder.image(i)?;
        let (caption, credit) = (i..dom.nodes[i].end)
            .find(|&j| dom.tag(j) == "figcaption")
            .map(|c| builder.caption(c))
            .unwrap_or_default();
        Some((i, Image { caption, credit, ..image }))
    };
    let figures: Vec<usize> = (0..dom.nodes.len()).filter(|&i| dom.tag(i) == "figure").collect();
    if let Some(key) = &wanted {
        let matching =
            figures.iter().find(|&&i| builder.image(i).is_some_and(|image| picture_key(&image.url) == *key));
        if let Some(&i) = matching {
            return figure_at(i);
        }
    }
    // The header figure: before the first paragraph of prose.
    let first_prose =
        (0..dom.nodes.len()).find(|&i| dom.tag(i) == "p" && dom.text(i).chars().count() > 150)?;
    figures.into_iter().filter(|&i| i < first_prose).find_map(figure_at)
}

/// The file name without extension, size suffixes or query: the same picture at two sizes
/// ("tram-1200.jpg", "tram_800x533.jpg") shares it.
fn picture_key(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem);
    let mut key = stem.to_string();
    loop {
        let trimmed = key.trim_end_matches(|c: char| c.is_ascii_digit() || c == 'x');
        let Some(rest) = trimmed.strip_suffix(['-', '_', '@']) else { break };
        if rest.is_empty() || trimmed.len() == key.len() {
            break;
        }
        key = rest.to_string();
    }
    key
}

/// The metadata image enriched with the page figure's caption and credit when both show the
/// same picture; the page figure alone when they differ (its caption belongs to it).
fn lead_image(from_meta: Option<Image>, from_page: Option<Image>) -> Option<Image> {
    match (from_meta, from_page) {
        (Some(meta), Some(page)) if picture_key(&meta.url) != picture_key(&page.url) => Some(page),
        (Some(meta), Some(page)) => Some(Image {
            alt: meta.alt.or(page.alt),
            caption: page.caption.or(meta.caption),
            credit: page.credit.or(meta.credit),
            width: meta.width.or(page.width),
            height: meta.height.or(page.height),
            url: meta.url,
        }),
        (meta, page) => meta.or(page),
    }
}

/// Fills missing titles and durations of video embeds from JSON-LD VideoObjects, in order.
fn fill_videos(body: &mut [Block], videos: &[Video]) {
    let mut known = videos.iter();
    for block in body.iter_mut() {
        if let Block::Video(video) = block {
            let Some(info) = known.next() else { break };
            if video.title.is_empty() {
                video.title = info.title.clone();
            }
            video.duration_seconds = video.duration_seconds.or(info.duration_seconds);
            video.poster = video.poster.take().or_else(|| info.poster.clone());
        }
    }
    for block in body.iter_mut() {
        if let Block::Video(video) = block {
            if video.title.is_empty() {
                video.title = "Video".to_string();
            }
            video.title = clean(&video.title);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_subjects() {
        for text in ["Re: Which tent for a windy coast?", "RE: Budget meeting", "AW: Frage zum Zelt"] {
            assert!(is_reply_subject(text), "{text}");
        }
        for text in ["Re:", "Regarding: the new timetable", "Note: the ferry leaves at six."] {
            assert!(!is_reply_subject(text), "{text}");
        }
    }

    #[test]
    fn picture_keys() {
        assert_eq!(picture_key("https://x.example/a/tram-queens-road-1200.jpg"), "tram-queens-road");
        assert_eq!(picture_key("/img/tram_800x533.jpg?v=2"), "tram");
        assert_eq!(picture_key("/img/photo@2x.png"), "photo");
        assert_eq!(picture_key("/img/2024.jpg"), "2024");
    }

    #[test]
    fn site_names_are_stripped_from_titles() {
        assert_eq!(
            strip_site_name("Tram plan approved | The Harbour Times", Some("The Harbour Times")),
            "Tram plan approved"
        );
        assert_eq!(
            strip_site_name("Council approves the tram plan - HT", None),
            "Council approves the tram plan"
        );
        assert_eq!(strip_site_name("Spider-Man - review", None), "Spider-Man - review");
    }
}
