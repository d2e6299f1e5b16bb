//! The kind of page (article, forum thread, product, collection, listing, documentation,
//! service): from what the page declares first (schema.org types, `og:type`), then from the
//! conventions of its address, then from the shape of the text found.

use std::sync::LazyLock;

use lector_article::{Block, Inline, PageType, inline_text};
use regex::Regex;
use url::Url;

/// What the classifier looks at.
pub struct Signals<'a> {
    /// Every schema.org `@type` in the page's JSON-LD, without the schema prefix, once per object.
    pub schema_types: &'a [String],
    pub og_type: Option<&'a str>,
    /// The tool that built the page (`<meta name="generator">`).
    pub generator: Option<&'a str>,
    /// The page's address (canonical, else where it was read from).
    pub url: Option<&'a Url>,
    pub body: &'a [Block],
    /// Whether the body came from a list of repeated cards rather than prose.
    pub from_cards: bool,
    /// Texts on the page that are a price ("$24", "€ 9,95").
    pub prices: usize,
    /// Whether the page gives a date or an author for its text.
    pub dated_or_signed: bool,
}

pub(crate) const FORUM_TYPES: &[&str] = &["QAPage", "DiscussionForumPosting"];
const DOCUMENTATION_TYPES: &[&str] = &["TechArticle", "APIReference", "SoftwareSourceCode"];
const LIST_TYPES: &[&str] = &["ItemList", "CollectionPage", "OfferCatalog", "SearchResultsPage"];
/// Types of a page that lists other pages (an `ItemList` may be a story's ranking).
const LISTING_PAGE_TYPES: &[&str] = &["CollectionPage", "SearchResultsPage"];
/// Types of a page that is one story. Narrower than the list that finds an article's own
/// object in the metadata: a `Blog` is the blog's list of posts, a `TechArticle` is
/// documentation (decided before), a `SocialMediaPosting` is as often a forum's post.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "ScholarlyArticle",
];
const SERVICE_TYPES: &[&str] =
    &["Service", "ProfessionalService", "Course", "EducationalOccupationalProgram"];

/// Path segments that name a forum or Q&A thread ("/t/slug/123", "/questions/42/…").
const FORUM_SEGMENTS: &[&str] = &[
    "t",
    "thread",
    "threads",
    "forum",
    "forums",
    "questions",
    "topic",
    "discussion",
    "discussions",
    "comments",
    // Forum software's thread pages: vBulletin, phpBB, Invision, Discuz.
    "showthread.php",
    "viewtopic.php",
    "showtopic.php",
    "viewthread.php",
];
/// Host names that start so are forums or documentation sites.
const FORUM_HOSTS: &[&str] = &["forum.", "forums.", "community.", "discuss.", "discussion.", "bbs."];
const DOCUMENTATION_HOSTS: &[&str] = &["docs.", "doc.", "developer.", "developers.", "devdocs."];
const DOCUMENTATION_SEGMENTS: &[&str] =
    &["docs", "doc", "documentation", "reference", "api", "manual", "handbook"];
/// A segment that names one product when another segment follows it ("/products/blue-sock").
const PRODUCT_SEGMENTS: &[&str] = &["product", "products", "p", "dp", "item"];
const COLLECTION_SEGMENTS: &[&str] = &["collections", "collection", "category", "categories", "shop"];
/// Last segments of pages that list other pages.
const LISTING_ENDINGS: &[&str] =
    &["news", "blog", "events", "articles", "press", "courses", "programs", "certificate-programs"];

/// Tools that build documentation sites, as their `<meta name="generator">` names them.
static DOCUMENTATION_GENERATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:sphinx|mkdocs|docusaurus|gitbook|bookdown|vitepress|starlight|dokuwiki|antora|docsify|mdbook|nextra|doxygen|javadoc|typedoc|rustdoc)\b",
    )
    .unwrap_or_else(|e| panic!("documentation generator pattern: {e}"))
});

/// Paragraphs this long are prose, not a card's blurb.
const PROSE_PARAGRAPH: usize = 200;
/// A page showing this many prices, without one product declared, sells several.
pub const COLLECTION_PRICES: usize = 6;

/// The page's kind, or none when nothing says.
pub fn classify(signals: &Signals<'_>) -> Option<PageType> {
    let types = signals.schema_types;
    let count = |names: &[&str]| types.iter().filter(|t| names.contains(&t.as_str())).count();
    let products = count(&["Product", "ProductGroup"]);
    if products >= 2 || (products == 1 && count(LIST_TYPES) > 0) {
        return Some(PageType::Collection);
    }
    if products == 1 {
        return Some(PageType::Product);
    }
    // A question alone is a forum's only outside an FAQ.
    if count(FORUM_TYPES) > 0 || (count(&["Question"]) > 0 && count(&["FAQPage"]) == 0) {
        return Some(PageType::Forum);
    }
    if count(DOCUMENTATION_TYPES) > 0 {
        return Some(PageType::Documentation);
    }
    if let Some(kind) = signals.url.and_then(from_address) {
        return Some(kind);
    }
    let og_type = signals.og_type.map(str::to_ascii_lowercase);
    // OpenGraph's type for a group of products: a shop's collection.
    let product_group = og_type.as_deref() == Some("product.group");
    // A page that declares itself a collection of others and no story: a shop's if it shows
    // prices or says it holds products, a listing otherwise.
    if count(LISTING_PAGE_TYPES) > 0 && count(ARTICLE_TYPES) == 0 {
        let shop = signals.prices >= COLLECTION_PRICES || product_group;
        return Some(if shop { PageType::Collection } else { PageType::Listing });
    }
    if count(ARTICLE_TYPES) > 0 {
        return Some(PageType::Article);
    }
    // Built by a tool made for documentation (Sphinx, MkDocs, Docusaurus, GitBook…), and not
    // declared a story: a site generator for any kind of site (Hugo, Jekyll, Astro) says nothing.
    if signals.generator.is_some_and(|g| DOCUMENTATION_GENERATOR.is_match(g)) {
        return Some(PageType::Documentation);
    }
    match og_type.as_deref() {
        Some("product" | "og:product" | "product.item") => return Some(PageType::Product),
        Some("product.group") => return Some(PageType::Collection),
        Some("article") => return Some(PageType::Article),
        _ => {}
    }
    if signals.prices >= COLLECTION_PRICES {
        return Some(PageType::Collection);
    }
    if signals.from_cards {
        return Some(PageType::Listing);
    }
    if count(SERVICE_TYPES) > 0 {
        return Some(PageType::Service);
    }
    let prose = signals
        .body
        .iter()
        .filter(
            |b| matches!(b, Block::Paragraph { content } if inline_text(content).len() >= PROSE_PARAGRAPH),
        )
        .count();
    if lists_pages(signals.body) {
        return Some(PageType::Listing);
    }
    // A site's front page that declares nothing presents the organisation (a listing's cards
    // and a shop's prices were told apart above). Prose with a date or a byline is a story;
    // prose that nobody signs or dates presents something (a service, an organisation).
    let front_page = !signals.body.is_empty() && signals.url.is_some_and(is_front_page);
    match (prose >= 3, signals.dated_or_signed) {
        _ if front_page => Some(PageType::Service),
        (true, true) => Some(PageType::Article),
        (true, false) => Some(PageType::Service),
        (false, _) => None,
    }
}

/// The kind a page declares before its text is read: its schema.org types, `og:type` and
/// address (what [`classify`] says of it with no text).
pub fn declared(schema_types: &[String], og_type: Option<&str>, url: Option<&Url>) -> Option<PageType> {
    classify(&Signals {
        schema_types,
        og_type,
        generator: None,
        url,
        body: &[],
        from_cards: false,
        prices: 0,
        dated_or_signed: false,
    })
}

/// Whether a text is a price or a range of two ("$7.95 - $179.95", a product sold in several
/// sizes; also a filter's span of prices, so a product's own price is never read this way).
pub fn is_price_or_range(text: &str) -> bool {
    let text = text.trim();
    if text.len() > 24 {
        return false;
    }
    match text.split_once(['-', '–']) {
        Some((low, high)) => is_price(low) && is_price(high),
        None => is_price(text),
    }
}

/// Whether a text is a price: a currency sign or code and a figure, nothing much else.
pub fn is_price(text: &str) -> bool {
    let text = text.trim();
    // Read for every short text of the page: most have no figure at all.
    if text.len() > 24 || !text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    // A currency's code before or after the figure ("EUR 163.12", "163.12 EUR", "USD 60").
    let coded = match text.split_once(' ') {
        Some((code, figure)) if is_currency_code(code) => Some(figure),
        _ => text.rsplit_once(' ').filter(|(_, code)| is_currency_code(code)).map(|(figure, _)| figure),
    };
    if let Some(figure) = coded {
        let figure = figure.trim();
        return figure.starts_with(|c: char| c.is_ascii_digit())
            && figure.chars().all(|c| c.is_ascii_digit() || ".,".contains(c));
    }
    // A dollar's country before its sign ("US $19.99", "C $25", "AU$ 40"), or "R$".
    if let Some(dollars) = DOLLAR_COUNTRIES
        .iter()
        .find_map(|country| text.strip_prefix(country).filter(|rest| rest.trim_start().starts_with('$')))
    {
        return is_price(dollars);
    }
    let stripped = text
        .trim_start_matches(|c: char| "$€£¥₹".contains(c) || c.is_whitespace())
        .trim_end_matches(|c: char| "€£ ".contains(c) || c.is_whitespace());
    stripped.len() < text.len()
        && stripped.chars().next().is_some_and(|c| c.is_ascii_digit())
        && stripped.chars().all(|c| c.is_ascii_digit() || ".,".contains(c))
}

/// Letters written before a dollar sign to say whose dollars they are ("US $", "C $", "AU$"), and
/// Brazil's real, "R$".
const DOLLAR_COUNTRIES: [&str; 11] = ["US", "CA", "C", "AU", "A", "NZ", "HK", "SG", "S", "MX", "R"];

/// The ISO 4217 codes of the currencies shops commonly price in.
const CURRENCY_CODES: [&str; 34] = [
    "USD", "EUR", "GBP", "JPY", "CNY", "INR", "AUD", "CAD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    "NZD", "SGD", "HKD", "KRW", "BRL", "MXN", "ZAR", "TRY", "AED", "SAR", "ILS", "THB", "MYR", "IDR", "PHP",
    "TWD", "RON", "BGN", "ISK",
];

/// Whether a word is one of [`CURRENCY_CODES`].
fn is_currency_code(word: &str) -> bool {
    CURRENCY_CODES.contains(&word)
}

/// Headings that are links, this many or more: the page's entries link to other pages.
const LINKED_HEADINGS: usize = 6;

/// Whether the body is a list of other pages: most of its headings (and at least
/// [`LINKED_HEADINGS`]) are each one link, a story's or an event's title.
fn lists_pages(body: &[Block]) -> bool {
    let headings: Vec<&Vec<Inline>> = body
        .iter()
        .filter_map(|b| if let Block::Heading { content, .. } = b { Some(content) } else { None })
        .collect();
    let linked = headings
        .iter()
        .filter(|content| {
            let parts: Vec<&Inline> =
                content.iter().filter(|i| !matches!(i, Inline::Text(t) if t.trim().is_empty())).collect();
            matches!(parts.as_slice(), [Inline::Link { .. }])
        })
        .count();
    linked >= LINKED_HEADINGS && linked * 2 >= headings.len()
}

/// Whether an address is a site's front page: no path, or only an index file's name.
fn is_front_page(url: &Url) -> bool {
    matches!(
        url.path().trim_matches('/').to_ascii_lowercase().as_str(),
        "" | "index.html" | "index.php" | "home"
    )
}

/// The kind an address names by the common conventions of its host and path.
fn from_address(url: &Url) -> Option<PageType> {
    let host = url.host_str().unwrap_or("").trim_start_matches("www.").to_ascii_lowercase();
    let path = url.path().to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let has = |names: &[&str]| segments.iter().any(|s| names.contains(s));
    // Simple Machines Forum addresses a thread as `index.php?topic=589061.0`.
    let smf_topic = segments.last() == Some(&"index.php") && url.query_pairs().any(|(key, _)| key == "topic");
    if FORUM_HOSTS.iter().any(|h| host.starts_with(h)) || has(FORUM_SEGMENTS) || smf_topic {
        return Some(PageType::Forum);
    }
    if DOCUMENTATION_HOSTS.iter().any(|h| host.starts_with(h)) || has(DOCUMENTATION_SEGMENTS) {
        return Some(PageType::Documentation);
    }
    let followed = |names: &[&str]| segments.iter().rev().skip(1).any(|s| names.contains(s));
    if followed(PRODUCT_SEGMENTS) {
        return Some(PageType::Product);
    }
    if has(COLLECTION_SEGMENTS) {
        return Some(PageType::Collection);
    }
    match segments.last() {
        Some(last) if LISTING_ENDINGS.contains(last) => Some(PageType::Listing),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, schema_types: &[&str], og_type: Option<&str>, expected: Option<PageType>) {
        let url = Url::parse(url).expect("url");
        let schema_types: Vec<String> = schema_types.iter().map(|t| (*t).to_string()).collect();
        let signals = Signals {
            schema_types: &schema_types,
            og_type,
            generator: None,
            url: Some(&url),
            body: &[],
            from_cards: false,
            prices: 0,
            dated_or_signed: false,
        };
        assert_eq!(classify(&signals), expected, "{url} {schema_types:?} {og_type:?}");
    }

    #[test]
    fn declarations_then_addresses() {
        use PageType::*;
        check("https://shop.example/x", &["Product"], None, Some(Product));
        check("https://shop.example/x", &["Product", "Product", "Product"], None, Some(Collection));
        check("https://shop.example/x", &["CollectionPage", "Product"], None, Some(Collection));
        check("https://a.example/q/1", &["QAPage"], Some("article"), Some(Forum));
        check("https://a.example/q/1", &["Question"], None, Some(Forum));
        check("https://a.example/plans", &["FAQPage", "Question", "Question"], None, None);
        check("https://a.example/guide", &["TechArticle"], None, Some(Documentation));
        check("https://forum.example/x", &["WebPage"], None, Some(Forum));
        check("https://a.example/t/tram-line/1234", &[], Some("article"), Some(Forum));
        check("https://a.example/r/science/comments/1rk/hair-follicles", &[], None, Some(Forum));
        check("https://a.example/showthread.php?t=1930933", &[], Some("article"), Some(Forum));
        check("https://a.example/board/viewtopic.php?id=309936", &[], None, Some(Forum));
        check("https://a.example/community/index.php?topic=589061.0", &[], None, Some(Forum));
        check("https://a.example/index.php?page=about", &[], None, None);
        check("https://bbs.example/t17351.html", &[], None, Some(Forum));
        check("https://docs.example/start", &[], None, Some(Documentation));
        check("https://a.example/api/v2/sessions", &[], None, Some(Documentation));
        check("https://a.example/products/blue-sock", &[], None, Some(Product));
        check("https://a.example/products", &[], None, None);
        check("https://a.example/collections/socks", &[], None, Some(Collection));
        check("https://a.example/about/news", &[], None, Some(Listing));
        check("https://a.example/news/tram-line-approved", &["NewsArticle"], None, Some(Article));
        check("https://a.example/2026/03/tram", &[], Some("article"), Some(Article));
        check("https://a.example/plans", &["Service"], None, Some(Service));
        check(
            "https://a.example/economy",
            &["CollectionPage", "BreadcrumbList"],
            Some("article"),
            Some(Listing),
        );
        check("https://a.example/search?q=tram", &["SearchResultsPage"], None, Some(Listing));
        check("https://shop.example/mugs", &["CollectionPage"], Some("product.group"), Some(Collection));
        check("https://shop.example/mugs", &[], Some("product.group"), Some(Collection));
        check("https://a.example/economy", &["CollectionPage", "NewsArticle"], None, Some(Article));
        check("https://a.example/plans", &[], None, None);
    }

    #[test]
    fn documentation_tools() {
        let url = Url::parse("https://a.example/guide/start").expect("url");
        let classify_built_by = |generator, schema_types: &[String]| {
            classify(&Signals {
                schema_types,
                og_type: Some("website"),
                generator: Some(generator),
                url: Some(&url),
                body: &[],
                from_cards: false,
                prices: 0,
                dated_or_signed: false,
            })
        };
        for tool in
            ["mkdocs-1.6.1, mkdocs-material-9.7.1", "Docusaurus v3.5.2", "GitBook (aa87699)", "DokuWiki"]
        {
            assert_eq!(classify_built_by(tool, &[]), Some(PageType::Documentation), "{tool}");
        }
        for tool in ["Hugo 0.85.0", "Astro v5.16.1", "WordPress 6.8"] {
            assert_eq!(classify_built_by(tool, &[]), None, "{tool}");
        }
        let story = ["BlogPosting".to_string()];
        assert_eq!(classify_built_by("Docusaurus v3.5.2", &story), Some(PageType::Article));
    }

    #[test]
    fn shape_when_nothing_is_declared() {
        let url = Url::parse("https://a.example/x").expect("url");
        let prose = Block::paragraph("word ".repeat(50));
        let body = [prose.clone(), prose.clone(), prose];
        let signals = |body, from_cards, prices, dated_or_signed| Signals {
            schema_types: &[],
            og_type: None,
            generator: None,
            url: Some(&url),
            body,
            from_cards,
            prices,
            dated_or_signed,
        };
        assert_eq!(classify(&signals(&body, false, 0, true)), Some(PageType::Article));
        assert_eq!(classify(&signals(&body, false, 0, false)), Some(PageType::Service));
        assert_eq!(classify(&signals(&body[..2], false, 0, true)), None);
        assert_eq!(classify(&signals(&body[..2], true, 0, true)), Some(PageType::Listing));
        assert_eq!(classify(&signals(&body, true, 8, true)), Some(PageType::Collection));
        let shop = ["CollectionPage".to_string()];
        let declared_shop = Signals { schema_types: &shop, ..signals(&body, false, 8, false) };
        assert_eq!(classify(&declared_shop), Some(PageType::Collection));
        // A front page presents the organisation, also with a dated post on it.
        for front in ["https://a.example", "https://a.example/", "https://a.example/index.html?ref=x"] {
            let url = Url::parse(front).expect("url");
            let dated = Signals { url: Some(&url), ..signals(&body, false, 0, true) };
            assert_eq!(classify(&dated), Some(PageType::Service), "{front}");
            let cards = Signals { url: Some(&url), ..signals(&body[..1], true, 0, true) };
            assert_eq!(classify(&cards), Some(PageType::Listing), "{front}");
        }
        assert_eq!(declared(&[], None, Some(&Url::parse("https://a.example/").expect("url"))), None);
        // Entries whose titles link to their pages: a listing; a story's plain subheadings are not.
        let entry = |linked: bool| {
            let title = Inline::Text("Council approves the tram line".into());
            let content = if linked {
                vec![Inline::Link { href: "/story".into(), content: vec![title] }]
            } else {
                vec![title]
            };
            [Block::Heading { level: 3, content }, Block::paragraph("A line about the story.")]
        };
        let index: Vec<Block> = (0..6).flat_map(|_| entry(true)).collect();
        assert_eq!(classify(&signals(&index, false, 0, true)), Some(PageType::Listing));
        let story: Vec<Block> = (0..6).flat_map(|i| entry(i < 2)).chain(body.iter().cloned()).collect();
        assert_eq!(classify(&signals(&story, false, 0, true)), Some(PageType::Article));
    }

    #[test]
    fn prices() {
        for price in
            ["$24", "€ 9,95", "£1,299.00", "9,95 €", " $5 ", "EUR 163.12", "49,90 EUR", "US $19.99", "AU$ 40"]
        {
            assert!(is_price(price), "{price}");
            assert!(is_price_or_range(price), "{price}");
        }
        for other in
            ["$24 off your first order", "24", "€", "US$ and more", "2024", "EUR", "USD 5 off", "ABC 12"]
        {
            assert!(!is_price(other), "{other}");
        }
        for range in ["$7.95 - $179.95", "€10–€20"] {
            assert!(is_price_or_range(range), "{range}");
            assert!(!is_price(range), "{range}");
        }
        for other in ["$5 - 10 items", "-$5", "$5 -", "$1,000.00 - $2,000.00 - $3,000.00"] {
            assert!(!is_price_or_range(other), "{other}");
        }
    }
}
