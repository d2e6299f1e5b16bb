//! Hints from class names, ids, roles and short texts: what is content and what is furniture.

use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

fn regex(pattern: &str) -> Regex {
    built(pattern, RegexBuilder::new(pattern).build())
}

/// A built-in pattern once built. The patterns are constants checked by the tests below; a
/// bad one is a programming error.
fn built(pattern: &str, result: Result<Regex, regex::Error>) -> Regex {
    result.unwrap_or_else(|error| panic!("bad built-in pattern {pattern:?}: {error}"))
}

/// Room for the states of [`FURNITURE_TEXT`]'s lazy DFA: with the default, its many
/// alternatives fill the cache over a page's short texts, and the regex falls back to a slower
/// engine.
const FURNITURE_TEXT_DFA_BYTES: usize = 16 << 20;

/// Class or id tokens (split at spaces, `-` and `_`) that name page furniture: ads, share
/// bars, newsletter boxes, related lists, comments, cookie banners, player chrome,
/// reading-time lines, a reviews service's trust box, read-more teasers, a listing's panel of
/// filters ("facets"; one "facet" may be a row of results) and what the site marks as not
/// content for search engines' crawlers (`nocontent`, `robots-nocontent`); and, by
/// [`AUTHOR_BOX`], boxes about the writer.
/// Not "adv", which names a block editor's "advanced" headings and text as often as an ad.
static FURNITURE_TOKENS: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?ix)(?:^|[\s_-])(?:
            ads?|advert|adverts|advertisement|advertising|adslot|adunit|adsense|adsbygoogle|dfp|gpt|
            sponsor|sponsored|promoted|native-ad|
            share|shares|sharing|sharebar|social|socials|
            newsletter|newsletters|subscribe|subscription|signup|
            related|recirc|recirculation|mostread|most-read|popular|trending|recommended|recommendations|
            outbrain|taboola|
            comments?|commentcount|disqus|replies|
            cookie|cookies|consent|gdpr|
            paywall|regwall|
            readingtime|reading-time|readtime|read-time|
            trustbox|disclaimer|disclaimers|disclosures|nocontent|
            bulletinwp|announcement-bar|announcementbar|announcement-banner|
            readmore|read-more|more-stories|teaser|teasers|
            breadcrumbs?|toolbar|print|facets|
            audio-player|audioplayer|listen|playback|tts|
            sr-only|visually-hidden|visuallyhidden|screen-reader-text|screenreader-only
        )(?:$|[\s_-])",
    )
});

/// Class or id names of a box about the story's writer (`author-bio`, `author_detail_box`,
/// `about-the-author`): furniture to the body, but its name is the story's author.
static AUTHOR_BOX: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?ix)(?:^|[\s_-])(?:
            authorbio|author-bio|about-author|bio-box|biobox|author[_-]?(?:box|details?|profile|card)|about[_-]the[_-]author
        )(?:$|[\s_-])",
    )
});

/// Class or id words of containers that hold the article itself.
static CONTENT_HINT: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|rich-?text")
});

/// Class or id words of blocks unlikely to be the article (before scoring).
static UNLIKELY: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|newsletter|cookie|consent|most-?read|trending|outbrain|taboola|paywall",
    )
});

static COMMENTS: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)(?:^|[\s_-])(?:comments|comment-list|commentlist|comment-section|disqus_thread|replies|discussion)(?:$|[\s_-])",
    )
});

/// A class or id naming customers' reviews, or a reviews service's widget.
static REVIEWS: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)(?:^|[\s_-])(?:reviews|reviewlist|customerreviews|productreviews|yotpo|bazaarvoice|okendo|judgeme|trustpilot)(?:$|[\s_-])",
    )
});

/// A heading over customers' reviews of a product: "Customer reviews", "Google Reviews (214)",
/// "Ratings & reviews", "Photos from reviews". A bare "Reviews" may head critics' reviews (a
/// game's or a book's), part of the product's presentation.
static REVIEWS_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\W*(?:(?:customer|user|client|buyer|shopper|google|verified)s?'?\s+(?:reviews?|testimonials?|ratings?(?:\s*(?:&|and)\s*reviews?)?)|(?:reviews?|photos?|ratings?)\s+(?:from|by)\s+(?:our\s+)?(?:customers|users|buyers|shoppers|reviews)|ratings?\s*(?:&|and)\s*reviews?)(?:\s*\(?\d[\d,.]*\)?)?\W*$",
    )
});

/// A class or id naming a forum post's signature: the poster's own line under every post.
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)(?:^|[\s_-])(?:signature|signaturecontainer|postsignature|membersignature|sig|usersig)(?:$|[\s_-])",
    )
});

/// A class or id naming a thread's post or reply (see [`without_thread_names`]).
static THREAD_NAME: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)comments?|repl(?:y|ies)|community"));

/// A class or id naming a teaser of another page (see [`without_teaser_names`]).
static TEASER_NAME: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)teasers?|related|recirc(?:ulation)?|more-stories|recommend(?:ed|ations)?"));

/// Words that rescue an unlikely-looking block.
static MAYBE_CONTENT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)and|article|body|column|content|main|shadow|story|entry"));

static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|newsletter|subscribe|teaser|recommend|popular|byline|author-bio",
    )
});

/// A class name that hides a part of its element or hides it only at times (see
/// [`without_partly_hidden_names`]).
static PARTLY_HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)overflow|label-?hidden|scroll(?:bar)?-?hidden|hidden-?(?:mobile|tablet|desktop|phone|print|xs|sm|md|lg|xl)\b|(?:mobile|tablet|desktop|xs|sm|md|lg|xl)-?hidden|no-?js-?hidden|lazy-?hidden",
    )
});

/// A stylesheet utility that sets how an element scrolls into view or scrolls its content
/// (Tailwind's "scroll-mt-2", "scroll-smooth", "overscroll-contain"): a setting, not a
/// scroller.
static SCROLL_SETTING: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^(?:[a-z0-9]+:)*(?:scroll-(?:m|p)[trblxyse]?-[^\s]+|scroll-(?:smooth|auto)|overscroll-[a-z-]+)$")
});

/// Class or id hints of a byline.
static BYLINE_HINT: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)byline|author|writtenby|p-author"));

/// Class or id hints of the current date or time shown by the site (a masthead's "today").
static CLOCK_HINT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)today|current[-_]?(date|time)|date[-_]?today|clock"));

/// Class or id hints of a standfirst or summary list under the headline.
static STANDFIRST_HINT: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)standfirst|summary|key-?points|highlights|takeaways|bullets|dek|sapo|teaser-list")
});

/// Class or id hints of a video player or video card.
static VIDEO_HINT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)video|player|youtube|vimeo|jwplayer|brightcove"));

/// Class or id tokens of an image caption or credit.
static CAPTION_HINT: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)(?:^|[\s_-])(?:caption|captions|credit|credits|figcaption|photo-?credit|image-?credit|wp-caption-text|copyright)(?:$|[\s_-])",
    )
});

/// Roles that are never the article.
const FURNITURE_ROLES: &[&str] = &[
    "navigation",
    "menu",
    "menubar",
    "complementary",
    "banner",
    "contentinfo",
    "dialog",
    "alert",
    "alertdialog",
    "search",
    "tooltip",
];

/// Short texts that are furniture wherever they appear: labels (of a table of contents whose
/// links are gone, of a feedback widget), player chrome, counters, placeholders.
static FURNITURE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = r"(?ix)^(?:
            advertisement|advertisements|advertising|ad|ads|sponsored(?:\s+content)?|promoted|paid\s+content|
            scroll\s+(?:down\s+)?to\s+continue(?:\s+reading)?|continue\s+reading(?:\s+below)?|
            (?:listen|hear)\s+(?:to\s+)?(?:this|the)\s+(?:article|story|news)\b.*|
            (?:playback|listening|reading)\s+speed.*|
            (?:hear|listen\s+to)\s+the\s+news\b.*|
            \d(?:[.,]\d{1,2})?\s*[x×]|
            \d{2,3}\s*wpm|
            slow|slower|normal|average|fast|faster|
            play|pause|stop|resume|mute|unmute|replay|now\s+playing|up\s+next|watch(?:\s+(?:now|again|more|video))?|
            your\s+video\s+will\s+play\b.{0,30}|video\s+ad\s+feedback|(?:enter|exit)\s+full\s*screen|
            share(?:\s+(?:this|the)\s+(?:article|story|page))?|share\s+on\s+\w+|
            facebook|twitter|x|whatsapp|linkedin|reddit|telegram|email|e-mail|copy\s+link|print|
            \d{1,6}\+?(?:\s+comments?)?|comments?(?:\s*\(\d+\))?|view\s+comments|leave\s+a\s+(?:comment|reply)|
            be\s+the\s+first\s+to\s+(?:comment|reply|review)|
            (?:why\s+you\s+can\s+trust|why\s+trust)\b.*|
            (?:read|see)\s+(?:more|also|next)\b.{0,80}|also\s+read\b.{0,80}|
            (?:sign|log)\s+in\s+to\s+(?:your\s+(?:[\w-]+\s+){0,3}account|continue)\b.{0,60}|
            (?:sign|log)\s+in\s+to\s+(?:add|save|follow|rate|see|view|like|vote|download)\b.{0,100}|
            add\s+to\s+(?:cart|bag|basket|wish\s*list|compare)|(?:(?:view|your|shopping)\s+)?cart(?:\s*\(\d+\))?|buy\s+now|shop\s+now|in\s+stock|out\s+of\s+stock|sold\s+out|
            compare|save\s+for\s+later|write\s+a\s+review|ask\s+a\s+question|
            (?:advertisement|sponsored)\s*(?:ad\b|[-–—:(].{0,50})|
            (?:view|see)\s+(?:all|details)\b.{0,40}|(?:view|see|visit)\s+(?:the\s+)?author(?:'s|’s)?\s+(?:page|profile)|
            related(?:\s+(?:articles|stories|coverage|topics|posts|questions|reading|reads|guides|content))?(?:\s*:.{0,100})?|
            recently\s+viewed(?:\s+(?:items|products))?|
            explore\s+related\s+(?:articles|stories|posts|questions|topics)|see\s+similar\s+questions\b.{0,60}|
            oops[,!.]?\s+something\s+went\s+wrong\b.{0,80}|
            (?:©|\(c\)|copyright)\s.{0,100}|all\s+rights\s+reserved\.?|
            follow\s+(?:us|@\w+)\s+on\s+.{0,40}|follow\s+us|(?:stay|keep)\s+(?:connected|in\s+touch)(?:\s+with\s+us)?|
            more\s+(?:on|from|in)\s+this\s+(?:story|topic)|most\s+(?:read|popular|viewed)|
            you\s+(?:may|might)\s+also\s+(?:like|enjoy|be\s+interested\s+in)(?:\s*:.{0,120})?|
            you\s+(?:may|might)\s+also\s+be\s+interested\s+in\s+(?:the\s+following|these)(?:\s+[a-z]+)?|
            you\s+may\s+be\s+interested\s+in\s+(?:the\s+following|these)\s+(?:\w+\s+){0,2}?(?:as\s+well|too)|
            (?:this\s+(?:story|article|journalism|site|website|podcast)\s+(?:is|was)\s+)?(?:funded|supported|made\s+possible)\s+by\s+(?:readers|listeners|viewers|members)(?:\s+like\s+you)?|
            (?:sign\s+up|subscribe)\b.{0,150}|donate(?:\s+(?:today|now|here))?|
            (?:get|receive)\s+(?:the\s+latest|our|exclusive)\b.{0,100}\b(?:newsletters?|inbox)\b.{0,60}|
            enter\s+your\s+email(?:\s+address)?\b.{0,40}|
            (?:thank\s+you|thanks)\s+for\s+(?:subscribing|signing\s+up)\b.{0,80}|learn\s+more|
            (?:thank\s+you|thanks)\s+for\s+your\s+feedback\b.{0,60}|thank\s+you!?\s+your\s+submission\s+has\s+been\s+received|
            (?:estimated\s+)?read(?:ing)?\s*time\s*:?\s*(?:\d+|less\s+than\s+(?:a|one))\s*(?:min|mins|minutes?).*|
            (?:\d+|less\s+than\s+(?:a|one))\s*(?:min|mins|minutes?)\s+read|
            skip\s+(?:to\s+)?(?:(?:the\s+)?(?:main\s+)?content|navigation(?:\s+links)?|advertisement|ad|search\s+results|results)|
            (?:skip\s+to(?:\s*[a-z]+){0,3}\s*)+|
            table\s+of\s+contents|contents|in\s+this\s+(?:article|post|guide|story)|on\s+this\s+page|
            jump\s+to(?:\s+section)?|loading(?:\.{3}|…)?|loading(?:\s+[a-z]+){1,4}(?:\.{3}|…)|
            (?:did\s+you\s+find|was|is)\s+(?:this|the)\s+(?:[\w-]+\s+){0,3}?(?:helpful|useful)\??|
            did\s+you\s+find\s+what\s+you\s+(?:were|are)\s+looking\s+for(?:\s+today)?\??|
            not\s+open\s+for\s+further\s+replies|you\s+must\s+(?:log|sign)\s+in\s+to\s+(?:answer|reply|comment|post)\b.{0,40}|
            menu|search|close|open|home|back|reply|sign\s+in|log\s+in|log\s+out|register|my\s+account|tweet|
            keep\s+reading|share(?:\s+this)?\s+(?:on|via)|pin\s+(?:this|it)\s+for\s+later|open\s+in\s+(?:the\s+)?app|advertiser\s+disclosure|select\s+a\s+size|(?:estimated\s+)?reading\s+time|loaded\s+\d[\d,]*\s+results?|(?:image|photo|picture|slide)\s+\d+\s+(?:of|/)\s+\d+|help\s+us\s+improve\s+this\s+(?:page|article)|add\s+(?:us\s+)?as\s+a\s+(?:preferred|trusted)\s+source\s+on\s+google|
            (?:\d+\s+)?(?:comments?|replies)|show\s+more|load\s+more|back\s+to\s+top|
            code:\s*select\s+all|return\s+to\s+[“\x22].{1,80}[”\x22]|return\s+to\s+(?:the\s+)?(?:forum|board|index|topic\s+list)|
            reply\s+with\s+quote|report\s+(?:inappropriate\s+content|(?:this\s+)?post|abuse)|edit|
            start\s+asking\s+to\s+get\s+answers|find\s+the\s+answer\s+to\s+your\s+question\s+by\s+asking|
            \+?\s*wish\s*list|calculate\s+shipping|tags|\[[–-]\]\s.{0,40}\d+\s+points?\b.{0,80}|read\s+(?:the\s+)?full\s+(?:review|story|article|post)|
            (?:[\w.-]+\.\w{2,4}\s+)?(?:\(\d+(?:[.,]\d+)?\s*[kmg]i?b\)\s+)?(?:downloaded|viewed)\s+[\d,]+\s+times?
        )(?:[.:!]|\.{3}|…)?$";
    built(pattern, RegexBuilder::new(pattern).dfa_size_limit(FURNITURE_TEXT_DFA_BYTES).build())
});

/// A line that only dates the article or a post: "Published 10 March 2026", "Updated: 3:45pm",
/// "answered Feb 4, 2014 at 13:27".
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^(?:first\s+)?(?:published|updated|last\s+updated|posted|last\s+modified|asked|answered|edited|replied|commented)\b(?:\s+on)?[:\s]",
    )
});

/// Something only dates have: a month, a clock time, a year, or "… ago".
static DATE_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s|\d{1,2}[:.]\d{2}|\b(?:19|20)\d{2}\b|\bago\b|\d{1,4}[/-]\d{1,2}[/-]\d{1,4}",
    )
});

/// Labels that announce an advertisement; the short line after one is the ad's own text.
static AD_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^(?:advertisement|advertising|ad|sponsored(?:\s+content)?|promoted(?:\s+content)?|paid\s+(?:content|post|partnership))[.:]?$",
    )
});

/// A video duration badge: "01:38", "1:02:03".
static DURATION: LazyLock<Regex> = LazyLock::new(|| regex(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})$"));

/// True when the class/id tokens name furniture and nothing names content.
pub fn is_furniture_class(class_and_id: &str) -> bool {
    let names = without_state_modifiers(class_and_id);
    if names.is_empty() || !(FURNITURE_TOKENS.is_match(&names) || AUTHOR_BOX.is_match(&names)) {
        return false;
    }
    // "article-body share": the content hint wins; "social-share-content" does not.
    !has_strong_content_hint(&names)
}

/// True when the class/id names name a box about the story's writer.
pub fn is_author_box_class(class_and_id: &str) -> bool {
    AUTHOR_BOX.is_match(class_and_id)
}

/// The class names that say what an element is, without those that say what it has or how it
/// is set ("has-comments", "no-ads", "comments-open", "share-enabled", alignments such as
/// "pane-header-alignment-left", where an accordion's headers sit, and a table's scroller,
/// "scrollable-table", which lets a wide table scroll on a narrow screen): a blog post whose
/// class says it has comments is the post, not its comments.
fn without_state_modifiers(class_and_id: &str) -> String {
    const PREFIXES: &[&str] = &[
        "has-", "has_", "no-", "no_", "with-", "without-", "show-", "hide-", "allow-", "enable-", "disable-",
    ];
    // "node--promoted" and "node--sticky": a content system's publishing states (promoted to
    // the front page, kept at the top of lists), not what the element is.
    const SUFFIXES: &[&str] = &[
        "-open",
        "-closed",
        "-enabled",
        "-disabled",
        "-on",
        "-off",
        "-count",
        "-allowed",
        "--promoted",
        "--sticky",
    ];
    class_and_id
        .split_whitespace()
        .filter(|name| {
            let lower = name.to_ascii_lowercase();
            !(PREFIXES.iter().any(|p| lower.starts_with(p))
                || SUFFIXES.iter().any(|s| lower.ends_with(s))
                || lower.contains("scroll") && (SCROLL_SETTING.is_match(&lower) || lower.contains("table"))
                || lower.contains("-alignment-"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Names a theme gives the box it fills with the post's or article's own text.
const POST_TEXT_NAMES: &[&str] = &[
    "post-content",
    "post-body",
    "post-text",
    "post-entry",
    "postbody",
    "postcontent",
    "entry-content",
    "entry-body",
    "entrycontent",
    "article-body",
    "article-content",
    "article-text",
    "articlebody",
    "story-body",
    "story-content",
    "blog-content",
    "single-content",
];

/// Whether a class or id name says the element is the post's or article's own text: one of
/// [`POST_TEXT_NAMES`], alone or closing a longer name ("elementor-widget-theme-post-content",
/// "c-article__body", "td_post-content").
pub fn names_post_text(class_or_id: &str) -> bool {
    class_or_id.split_whitespace().any(|token| {
        let lower = token.to_ascii_lowercase().replace("__", "-");
        POST_TEXT_NAMES.iter().any(|name| {
            lower.strip_suffix(name).is_some_and(|rest| rest.is_empty() || rest.ends_with(['-', '_']))
        })
    })
}

fn has_strong_content_hint(class_and_id: &str) -> bool {
    class_and_id.split_whitespace().any(|token| {
        let lower = token.to_ascii_lowercase();
        matches!(
            lower.as_str(),
            "article"
                | "article-body"
                | "articlebody"
                | "article-content"
                | "story-body"
                | "story-content"
                | "entry-content"
                | "post-content"
                | "post-body"
                | "main-content"
                | "content"
                | "body"
        )
    })
}

/// The words of class and id names that name furniture ("teaser" in "teaser-8bd8b65ebf").
pub fn furniture_words(class_and_id: &str) -> Vec<String> {
    class_and_id
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|word| !word.is_empty() && FURNITURE_TOKENS.is_match(word))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Class and id names without the given words (as whole words, split at spaces, `-` and `_`).
pub fn without_words(class_and_id: &str, words: &[String]) -> String {
    class_and_id
        .split_whitespace()
        .map(|name| {
            name.split(['-', '_'])
                .filter(|part| !words.iter().any(|w| part.eq_ignore_ascii_case(w)))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Class and id names without the words that name a thread's parts ("ipsComment" becomes
/// "ips", "comment-724096_wrap" "-724096_wrap", "community-sidebar" "-sidebar"): on a forum's
/// page the posts and replies are the content, and forum software names them so.
pub fn without_thread_names(class_and_id: &str) -> String {
    THREAD_NAME.replace_all(class_and_id, "").into_owned()
}

/// Class and id names without the words that name teasers of other pages ("teaserItem",
/// "related-story", "recirc-card"): on a page whose content is a list of cards, the cards are
/// those teasers.
pub fn without_teaser_names(class_and_id: &str) -> String {
    TEASER_NAME.replace_all(class_and_id, "").into_owned()
}

/// Comment sections and threads, which are furniture however much text they hold.
pub fn is_comments_class(class_and_id: &str) -> bool {
    let names = without_state_modifiers(class_and_id);
    COMMENTS.is_match(&names) && !has_strong_content_hint(&names)
}

/// Class or id words of a box asking the reader to accept the site's cookies (`gdpr-banner`,
/// `cookie-consent`, `CookiebotDialog`).
static CONSENT_BOX: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?ix)(?:^|[\s_-])(?:cookies?|consent|gdpr|cookie-?banner|cookiebot\w*|onetrust\w*)(?:$|[\s_-])")
});

/// A box asking for the reader's consent to cookies, which is furniture however much prose
/// it holds: on a page whose content is a shop's grid of fields, the banner's paragraphs may
/// be the page's longest.
pub fn is_consent_class(class_and_id: &str) -> bool {
    // Every such name holds one of these (a cheap test before the pattern).
    if !["cookie", "consent", "gdpr", "onetrust"].iter().any(|word| contains_ignore_case(class_and_id, word))
    {
        return false;
    }
    let names = without_state_modifiers(class_and_id);
    CONSENT_BOX.is_match(&names) && !has_strong_content_hint(&names)
}

/// Customers' reviews of a product (see [`crate::content::Flags::product`]).
pub fn is_reviews_class(class_and_id: &str) -> bool {
    let names = without_state_modifiers(class_and_id);
    REVIEWS.is_match(&names) && !has_strong_content_hint(&names)
}

/// A heading over a shop's other products beside the one on the page: "Related products",
/// "You may also like", "Recommended accessories", "Customers also bought", "Frequently
/// bought together", "Similar items", "Complete the look", "Recently viewed".
static OTHER_PRODUCTS_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^\W*(?:related\s+products?|you\s+(?:may|might)\s+also\s+(?:like|love)|recommended\s+(?:accessories|products|for\s+you)|customers\s+(?:also|who)\s+(?:bought|viewed)|frequently\s+bought\s+together|similar\s+(?:items|products)|more\s+from\s+this\s+(?:seller|brand|collection)|complete\s+the\s+look|pairs\s+well\s+with|people\s+also\s+(?:bought|viewed)|recently\s+viewed)\W*$",
    )
});

/// A heading over a shop's other products (see [`OTHER_PRODUCTS_HEADING`]).
pub fn is_other_products_heading(text: &str) -> bool {
    OTHER_PRODUCTS_HEADING.is_match(text.trim())
}

/// A heading over teasers of the site's other pages: "Recent articles", "Trending news",
/// "Latest posts", "Related stories", "You may also like", "Read next".
static OTHER_PAGES_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?ix)^\W*(?:
            (?:recent|trending|latest|popular|more|related|top|featured|similar)\s+(?:articles?|news|posts?|stories|blogs?|reads|insights)
            |you\s+(?:may|might)\s+also\s+like|read\s+(?:this\s+)?next|keep\s+reading
        )\W*$",
    )
});

/// A heading over teasers of the site's other pages (see [`OTHER_PAGES_HEADING`]).
pub fn is_other_pages_heading(text: &str) -> bool {
    OTHER_PAGES_HEADING.is_match(text.trim())
}

/// A heading over customers' reviews of a product (see [`REVIEWS_HEADING`]).
pub fn is_reviews_heading(text: &str) -> bool {
    REVIEWS_HEADING.is_match(text.trim())
}

/// The line over a quote in a forum's post naming whom it quotes: "joe said:", "Irene McC
/// wrote:", "Quote from: tomas on June 4, 2024", "Originally Posted by tomas".
static QUOTE_CITATION: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^(?:(.{1,60}?)\s+(?:said|wrote|says|writes)\s*:|quote\s+from:\s*(.{1,60}?)(?:\s+on\s+.{1,60})?|(?:quote:\s*)?originally\s+posted\s+by:?\s+(.{1,60}?))\s*$",
    )
});

/// Whom a forum's quote quotes, from the line over it (see [`QUOTE_CITATION`]); a time
/// before the name ("On 6/14/2024 at 9:14 AM, Lisias said:", "14 hours ago, Joe Root
/// said:") is left out.
pub fn quote_citation(text: &str) -> Option<&str> {
    let captures = QUOTE_CITATION.captures(text.trim())?;
    let name = captures.iter().skip(1).flatten().next()?.as_str();
    let name = name.rsplit_once(", ").map_or(name, |(_, after)| after).trim();
    (!name.is_empty()).then_some(name)
}

/// When a member joined a forum: a label said on a poster's card, not in a post's text.
static MEMBER_SINCE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)\b(?:joined|registered|member\s+since)\b"));

/// Labels of a member's figures on a poster's card ("Posts: 2", "Reaction score 14").
static MEMBER_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)\b(?:posts|messages|reaction\s+score|likes(?:\s+received)?|points|trophies|location|reputation)\b",
    )
});

/// The text of a poster's card beside a thread's post, a list of labelled figures: when the
/// member joined, or two figures at least (posts, messages, reaction score, location).
pub fn is_member_card(text: &str) -> bool {
    MEMBER_SINCE.is_match(text) || MEMBER_FIGURE.find_iter(text).count() >= 2
}

/// A poster's signature under a post (see [`crate::content::Flags::thread`]).
pub fn is_signature_class(class_and_id: &str) -> bool {
    SIGNATURE.is_match(class_and_id)
}

/// A class name of the header of one part of the content: a card's, a panel's, an
/// accordion's or a tab's ("card-header", "panel-heading", "accordion__header--open"), which
/// holds that part's heading or question, not the page's banner ("site-header",
/// "shopify-section-header").
static PART_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^(?:card|panel|accordion|tab|box|tile|block|item|module|pricing|plan|feature)(?:-{1,2}|_{1,2})(?:header|heading)(?:$|[-_])",
    )
});

pub fn is_unlikely_candidate(class_and_id: &str) -> bool {
    // Setting names aside only takes matches away: most names never match, and are not copied.
    UNLIKELY.is_match(class_and_id) && {
        let names = without_state_modifiers(class_and_id);
        let names = if names.split_whitespace().any(|name| PART_HEADER.is_match(name)) {
            names.split_whitespace().filter(|name| !PART_HEADER.is_match(name)).collect::<Vec<_>>().join(" ")
        } else {
            names
        };
        UNLIKELY.is_match(&names) && !MAYBE_CONTENT.is_match(&names)
    }
}

pub fn is_furniture_role(role: &str) -> bool {
    FURNITURE_ROLES.contains(&role.trim().to_ascii_lowercase().as_str())
}

/// +25 for content hints, -25 for negative ones, per attribute (class and id).
pub fn class_weight(class: Option<&str>, id: Option<&str>) -> f32 {
    let mut weight = 0.0;
    for value in [class, id].into_iter().flatten() {
        if value.is_empty() {
            continue;
        }
        // What an element has or how it is set says nothing of it, here as for furniture.
        let value = without_state_modifiers(value);
        let value = value.as_str();
        if NEGATIVE.is_match(&without_partly_hidden_names(value)) {
            weight -= 25.0;
        }
        if CONTENT_HINT.is_match(value) {
            weight += 25.0;
        }
    }
    weight
}

/// Class names without those that hide only a part of the element or only at times:
/// overflowing content clipped ("overflow-hidden", "text-overflow-hidden"), a field's label
/// ("field--label-hidden"), a scrollbar ("scrollbar-hidden"), or the element on one screen
/// size, before scripts run or until it loads ("elementor-hidden-mobile", "hidden-sm",
/// "no-js-hidden", "lazy-hidden"). The element itself is shown.
fn without_partly_hidden_names(value: &str) -> std::borrow::Cow<'_, str> {
    let lower = value.to_ascii_lowercase();
    if !lower.contains("overflow") && !lower.contains("hidden") {
        return std::borrow::Cow::Borrowed(value);
    }
    let kept: Vec<&str> = value.split_whitespace().filter(|name| !PARTLY_HIDDEN.is_match(name)).collect();
    std::borrow::Cow::Owned(kept.join(" "))
}

pub fn is_clock_hint(class_or_id: &str) -> bool {
    CLOCK_HINT.is_match(class_or_id)
}

pub fn is_byline_hint(class_and_id: &str) -> bool {
    BYLINE_HINT.is_match(class_and_id)
}

pub fn is_standfirst_hint(class_and_id: &str) -> bool {
    STANDFIRST_HINT.is_match(class_and_id)
}

pub fn is_caption_hint(class_and_id: &str) -> bool {
    CAPTION_HINT.is_match(class_and_id)
}

pub fn is_video_hint(class_and_id: &str) -> bool {
    VIDEO_HINT.is_match(class_and_id)
}

/// True for a short text that is furniture by itself ("Advertisement", "Reading time: 4 min").
pub fn is_furniture_text(text: &str) -> bool {
    // Decorations around a label ("♥ DONATE TODAY! ♥", "» Read more") are not its words.
    let text = text.trim().trim_matches(is_decoration).trim();
    // Nor are the brackets around a whole label ("[Read more: …]").
    let text = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).map_or(text, str::trim);
    !text.is_empty()
        && (is_marquee(text)
            || text.len() <= 160
                && (FURNITURE_TEXT.is_match(text)
                    || is_mobile_signature(text)
                    || is_dateline(text)
                    || is_unfilled_template(text)
                    || is_rights_line(text))
            || text.len() <= DISCLOSURE_MAX_BYTES
                && (is_affiliate_disclosure(text) || is_consent_notice(text)))
}

/// "By Maria Okafor", "By Maria Okafor and Li Wei, Harbour Times": a line that is only a byline.
pub fn is_byline_text(text: &str) -> bool {
    byline_name(text).is_some()
}

/// The names of a line that is only a byline ("Written by Maria Okafor" → "Maria Okafor").
pub fn byline_name(text: &str) -> Option<&str> {
    static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"^(?i:by|written by|words by|reporting by)\s+(\p{Lu}[\p{L}.'’-]*(?:,?\s+(?:\p{Lu}[\p{L}.'’-]*|and|&|van|von|de|da|del|der|bin|al|le|la))*)$",
        )
    });
    let text = text.trim();
    // Every form starts with one of these pairs of letters (a cheap test before the pattern).
    let opening =
        text.get(..2).is_some_and(|two| ["by", "wr", "wo", "re"].iter().any(|o| two.eq_ignore_ascii_case(o)));
    if !opening || text.chars().count() > 80 {
        return None;
    }
    BYLINE.captures(text).and_then(|c| c.get(1)).map(|m| m.as_str())
}

/// The longest line of a story's details (see [`is_details_line`]), in characters.
const DETAILS_LINE_MAX_CHARS: usize = 160;

/// A line of the story's details joined by separators, as a site prints them over its text:
/// "March 15, 2022 · 3 min read · By ASU Online", "Reviewed by: Brian Stormont | August 12,
/// 2025", "109 Comments | Last Updated: March 11, 2019". Each piece is a date or a dateline, a
/// reading time, a count of comments, a byline or a reviewer's line, and one is dated.
pub fn is_details_line(text: &str) -> bool {
    static DETAIL: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?ix)^(?:
                (?:(?:average|estimated)\s+)?(?:read(?:ing)?\s*time\s*:?\s*)?\d+\s*(?:min|mins|minutes?)(?:\s+read)?|
                \d[\d,]*\s+comments?|
                (?:reviewed|edited|fact[-\s]checked|medically\s+reviewed)\s+by\b.{1,60}
            )$",
        )
    });
    let text = text.trim();
    if text.chars().count() > DETAILS_LINE_MAX_CHARS {
        return false;
    }
    let pieces: Vec<&str> = text.split(['·', '•', '|']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let dated = |piece: &str| {
        is_bare_date(piece)
            || is_dateline(piece)
            || piece.split_whitespace().count() <= 5
                && piece.chars().any(|c| c.is_ascii_digit())
                && DATE_TOKEN.is_match(piece)
    };
    pieces.len() >= 2
        && pieces.iter().any(|p| dated(p))
        && pieces.iter().all(|p| dated(p) || DETAIL.is_match(p) || is_byline_text(p))
}

/// A post's line from the poster's phone app: "Sent from my iPhone", "Sent from my SM-S908U
/// using Tapatalk". Kept out of [`FURNITURE_TEXT`], whose automaton its classes of word
/// characters would swell.
pub fn is_mobile_signature(text: &str) -> bool {
    const OPENING: &str = "sent from my ";
    static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(?i)^sent\s+from\s+my\s+[\w\s.-]{1,40}?(?:\s+using\s+[\w\s.-]{1,40})?[.!]?$")
    });
    let text = text.trim();
    text.get(..OPENING.len()).is_some_and(|start| start.eq_ignore_ascii_case(OPENING))
        && SIGNATURE.is_match(text)
}

/// The longest phrase of a marquee, in words (see [`is_marquee`]).
const MARQUEE_PHRASE_WORDS: usize = 4;
/// Fewest times a marquee says its phrase.
const MARQUEE_REPEATS: usize = 4;
/// Fewest words of a marquee.
const MARQUEE_MIN_WORDS: usize = 8;

/// A ticker's text: one short phrase said over and over ("Book Now * Book Now * Book Now * …",
/// a banner scrolling round): a decoration to look at, nothing to read.
fn is_marquee(text: &str) -> bool {
    let words = || text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    // Each length of phrase is tried on the words as they come: prose differs from its first
    // words within a few, so the text is seldom read to its end.
    (1..=MARQUEE_PHRASE_WORDS).any(|k| {
        let mut phrase = [""; MARQUEE_PHRASE_WORDS];
        let mut n = 0;
        for word in words() {
            if n < k {
                phrase[n] = word;
            } else if !word.eq_ignore_ascii_case(phrase[n % k]) {
                return false;
            }
            n += 1;
        }
        n >= MARQUEE_MIN_WORDS && n.is_multiple_of(k) && n / k >= MARQUEE_REPEATS
    })
}

/// Hearts, stars, arrows and bullets that decorate a label.
fn is_decoration(c: char) -> bool {
    matches!(
        c,
        '♥' | '❤'
            | '♡'
            | '★'
            | '☆'
            | '→'
            | '←'
            | '»'
            | '«'
            | '›'
            | '‹'
            | '•'
            | '·'
            | '|'
            | '▶'
            | '►'
            | '<'
            | '>'
            | '↑'
            | '^'
    )
}

/// Longest text read as a site's note on its affiliate links.
const DISCLOSURE_MAX_BYTES: usize = 400;

/// A form's or the site's note on what the reader agrees to ("By signing up, you agree to
/// receive…", "By submitting your email, you agree to our Privacy Policy") or on its cookies
/// ("This site uses cookies… By using our site, you agree to…"): the site's terms, not the
/// page's text.
fn is_consent_notice(text: &str) -> bool {
    static CONSENT: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?i)^by\s+(?:signing\s+up|subscribing|submitting|clicking|continuing|proceeding|registering|searching|entering|using)\b[^.!?]{0,120}?\byou\s+(?:agree|consent|acknowledge|accept)\b",
        )
    });
    static COOKIES: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?i)\bcookies\b.{0,300}\b(?:you\s+(?:agree|consent|accept)|click(?:ing)?\s+\W?accept|accept(?:ing)?\s+(?:all\s+)?cookies|cookie\s+(?:settings|policy|preferences))\b",
        )
    });
    // Every form says "you" and one of these words (a cheap test before the patterns).
    ["agree", "consent", "acknowledge", "accept"].iter().any(|word| contains_ignore_case(text, word))
        && (CONSENT.is_match(text) || contains_ignore_case(text, "cookies") && COOKIES.is_match(text))
}

/// A site's note that it earns from the links on its pages ("We may earn a commission when
/// you buy through links on our site", "This website uses affiliate links", "We are a
/// reader-supported website"): said on every page, of the site and not of the story.
fn is_affiliate_disclosure(text: &str) -> bool {
    static DISCLOSURE: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?ix)
            \b(?:earn|earns|receive|receives|make|makes)\s+(?:an?\s+)?(?:small\s+)?(?:affiliate\s+)?commissions?\b
            .{0,120}\b(?:links?|purchases?|buy|products?)\b
            |\b(?:links?|purchases?|buy)\b.{0,120}\b(?:earn|receive|make)s?\s+(?:an?\s+)?(?:small\s+)?(?:affiliate\s+)?commissions?\b
            |\b(?:uses|contains|includes|may\s+contain)\s+affiliate\s+links\b
            |^(?:we\s+are\s+|.{0,40}\bis\s+)?(?:a\s+)?reader-supported\b",
        )
    });
    // The site speaks of itself: prose about how others earn from links stays.
    static SELF: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(?i)\b(?:we|i|us|our|my|this\s+(?:site|website|post|page|article|story|blog|guide))\b")
    });
    // Every form names one of these words (a cheap test before the patterns).
    ["commission", "affiliate", "reader-supported"].iter().any(|word| contains_ignore_case(text, word))
        && DISCLOSURE.is_match(text)
        && SELF.is_match(text)
}

/// A class name that says a panel is closed ("kt-accordion-panel-hidden", "is-collapsed").
pub fn is_closed_panel_class(class: &str) -> bool {
    let ends_with = |word: &str| {
        class.len() >= word.len()
            && class.is_char_boundary(class.len() - word.len())
            && class[class.len() - word.len()..].eq_ignore_ascii_case(word)
    };
    let Some(word) = ["hidden", "collapsed", "closed"].into_iter().find(|word| ends_with(word)) else {
        return false;
    };
    let rest = &class[..class.len() - word.len()];
    // Not a class for some screens ("xl:hidden") or for the overflow ("overflow-x-hidden").
    (rest.is_empty() || rest.ends_with(['-', '_']))
        && !class.contains([':', '@'])
        && !class.get(..8).is_some_and(|start| start.eq_ignore_ascii_case("overflow"))
}

/// An element given the stylesheet class `hide` (the utility class of Bootstrap 2, Foundation
/// and many shop themes that hides it at every screen size) is not shown, unless another of its
/// classes shows it on some screens (`hide show@medium`, `hide md:block`). The country-by-country
/// messages of a promotion bar, a product's raw data fields and menus for phones are hidden
/// this way. `hidden` is left alone: scripts take it away to open tabs and answers.
pub fn is_hidden_class(class: &str) -> bool {
    let tokens = || class.split_ascii_whitespace();
    tokens().any(|t| t.eq_ignore_ascii_case("hide"))
        && !tokens().any(|t| {
            // A variant for some screens ("md:block", "show@medium") that shows the element.
            t.contains([':', '@'])
                && t.split([':', '@']).any(|part| {
                    ["block", "flex", "grid", "inline", "table", "show", "contents"]
                        .iter()
                        .any(|shown| part.starts_with(shown))
                })
        })
}

/// Bootstrap's `d-none` (`display: none` at every screen size), unless another class shows the
/// element on some screens (`d-md-block`, `d-lg-inline`). Question-and-answer sites hide their
/// scripts' markers this way (a post's `$\begingroup$` and `$\endgroup$`).
pub fn is_display_none_class(class: &str) -> bool {
    let tokens = || class.split_ascii_whitespace();
    tokens().any(|t| t == "d-none")
        && !tokens().any(|t| {
            t.strip_prefix("d-").and_then(|rest| rest.split_once('-')).is_some_and(|(screen, shown)| {
                matches!(screen, "sm" | "md" | "lg" | "xl" | "xxl") && shown != "none"
            })
        })
}

/// Whether an element's class names hide it on every screen size, one size at a time: page
/// builders' switches for each device all set (Elementor's `elementor-hidden-desktop`,
/// `-tablet` and `-mobile`, the way its editors take a section off the page while keeping it),
/// or Bootstrap 3's `hidden-xs` to `hidden-lg` all given. Such an element is never shown.
pub fn is_hidden_everywhere_class(class: &str) -> bool {
    let has = |name: &str| class.split_ascii_whitespace().any(|t| t == name);
    if !class.contains("hidden-") {
        return false;
    }
    ["elementor-hidden-desktop", "elementor-hidden-tablet", "elementor-hidden-mobile"].iter().all(|n| has(n))
        || ["hidden-xs", "hidden-sm", "hidden-md", "hidden-lg"].iter().all(|n| has(n))
}

/// Whether an element's class names or label make it a button that closes a box: a class
/// `close`, one joining "close" to a button's or a pop-up's name (`close-btn`, `btn-close`,
/// `modal__close`, `lightbox-dialog__close`, `modal-popup-close-btn`, but not a state such as
/// `contentrow-main--close` or an icon's `icon-close`), or a label "Close" or "Close …".
pub fn is_close_control(class: &str, label: &str) -> bool {
    let label = label.trim();
    let closes_by_label = label.get(..5).is_some_and(|head| head.eq_ignore_ascii_case("close"))
        && label[5..].chars().next().is_none_or(char::is_whitespace);
    let is = |part: &str, name: &str| part.eq_ignore_ascii_case(name);
    let names_close = class.as_bytes().windows(5).any(|w| w.eq_ignore_ascii_case(b"close"));
    closes_by_label
        || names_close
            && class.split_ascii_whitespace().any(|token| {
                let mut parts = token.split(['-', '_']);
                is(token, "close")
                    || !token.contains("--")
                        && parts.clone().any(|p| is(p, "close"))
                        && parts.any(|p| {
                            ["btn", "button", "modal", "dialog", "popup", "lightbox"]
                                .iter()
                                .any(|name| is(p, name))
                        })
            })
}

/// Whether a text is a UUID ("f2f260c3-bf1f-466a-b856-6f031758a086"), a machine's name for a
/// thing, in any case of its hex digits.
pub fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(n, b)| match n {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A class name that shows or hides its element on some screen sizes only: Tailwind's
/// `md:hidden`, Bootstrap's `d-lg-none`, `hidden-xs` and `visible-sm`, Foundation's
/// `show-for-small-only`, and the names sites give such rules (`mobile-only`,
/// `hide-on-desktop`, `elementor-hidden-tablet`). Not `show-for-sr`, which is for screen
/// readers.
static SCREEN_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(?:(?:sm|md|lg|xl|2xl|mobile|tablet|desktop):hidden|d-(?:sm|md|lg|xl|xxl)-none|(?:hidden|visible)-(?:xs|sm|md|lg|xl)(?:-(?:down|up|block|inline|inline-block))?|(?:show|hide)-for-(?:small|medium|large|xlarge)(?:-only|-up|-down)?)$|(?:mobile|desktop|tablet|phone)[-_]?(?:only|hide|hidden|show|visible)|(?:only|hide|hidden|show|visible)[-_]?(?:on[-_]?)?(?:mobile|desktop|tablet|phone)",
    )
});

/// Whether any of an element's class names shows or hides it on some screen sizes only (see
/// [`SCREEN_SIZE`]): a page laid out twice, for narrow and wide screens, names its copies so.
pub fn is_screen_size_class(class: &str) -> bool {
    // Every such name says hidden, none, only, show or visible (stylesheets' utilities are
    // lower-case): most class names are passed over without the pattern.
    ["hid", "none", "only", "show", "visible"].iter().any(|word| class.contains(word))
        && class.split_ascii_whitespace().any(|name| SCREEN_SIZE.is_match(name))
}

/// Whether any of an element's class names clamps its text to a few lines (`line-clamp-1`,
/// `md:line-clamp-3`: the utility of Tailwind and the stylesheets that copy it): a glimpse of
/// a text shown whole elsewhere, as a reply's of the post it answers. Not `line-clamp-none`,
/// which lifts the clamp.
pub fn is_clamped_class(class: &str) -> bool {
    class.contains("line-clamp-")
        && class.split_ascii_whitespace().any(|name| {
            let name = name.rsplit(':').next().unwrap_or(name);
            name.strip_prefix("line-clamp-")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// Whether `haystack` holds `needle`, ASCII letters compared without case.
pub fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// A site's footer line: a copyright sign or word and "all rights reserved" in one short text,
/// after the footer's own link names ("Rules Privacy Policy … © 2026. All rights reserved.").
fn is_rights_line(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("all rights reserved")
        && (lower.contains('©') || lower.contains("(c)") || lower.contains("copyright"))
}

/// A template's placeholders that no script filled in ("{{ upvoteCount | shortNum }}",
/// "Original price: {{priceInfo.original}}"): with them taken out, two words at most are left.
fn is_unfilled_template(text: &str) -> bool {
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| regex(r"\{\{[^{}]*\}\}"));
    if !text.contains("{{") {
        return false;
    }
    let rest = PLACEHOLDER.replace_all(text, " ");
    rest.len() < text.len()
        && rest.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() <= 2
}

/// A short line that only dates the article; sentences that start with "Updated" are not.
pub fn is_dateline(text: &str) -> bool {
    let text = text.trim();
    text.chars().count() <= 80
        && text.split_whitespace().count() <= 12
        && !text.ends_with('.')
        && DATELINE.is_match(text)
        && DATE_TOKEN.is_match(text)
}

/// A day written out and nothing else ("September 4, 2025", "Thu 17 Dec 2025, 07:44"), as a
/// story shows the day it was published on a line of its own.
static BARE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?ix)^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?
        (?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}
          |\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}
          |\d{4}-\d{2}-\d{2})
        (?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?$",
    )
});

/// Whether `text` is a day and nothing else (see [`BARE_DATE`]).
pub fn is_bare_date(text: &str) -> bool {
    let text = text.trim();
    text.len() <= 40 && BARE_DATE.is_match(text)
}

pub fn is_ad_label(text: &str) -> bool {
    AD_LABEL.is_match(text.trim())
}

/// Seconds of a duration badge ("02:15" → 135).
pub fn parse_duration_badge(text: &str) -> Option<u32> {
    let captures = DURATION.captures(text.trim())?;
    let number = |i: usize| captures.get(i).map_or(Ok(0), |m| m.as_str().parse::<u32>());
    let (h, m, s) = (number(1).ok()?, number(2).ok()?, number(3).ok()?);
    (s < 60 && (captures.get(1).is_none() || m < 60)).then_some(h * 3600 + m * 60 + s)
}

/// Seconds of an ISO 8601 duration ("PT1M38S" → 98), as JSON-LD gives them.
pub fn parse_iso_duration(text: &str) -> Option<u32> {
    let rest = text.trim().strip_prefix(['P', 'p'])?;
    let mut seconds = 0f64;
    let mut number = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            'T' | 't' => in_time = true,
            '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
            _ => {
                let value: f64 = number.parse().ok()?;
                number.clear();
                seconds += value
                    * match (c.to_ascii_uppercase(), in_time) {
                        ('D', false) => 86_400.0,
                        ('W', false) => 604_800.0,
                        ('H', true) => 3600.0,
                        ('M', true) => 60.0,
                        ('S', true) => 1.0,
                        _ => return None,
                    };
            }
        }
    }
    (number.is_empty() && seconds < f64::from(u32::MAX)).then_some(seconds.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_cards() {
        for card in [
            "tomr Posts: 2 Joined: Dec 17, 2023",
            "Messages 1,204 Reaction score 388",
            "Registered: 2016-07-02",
        ] {
            assert!(is_member_card(card), "{card}");
        }
        for text in ["Hanger the plate that holds the derailleur", "Posts from the club's members"] {
            assert!(!is_member_card(text), "{text}");
        }
    }

    #[test]
    fn quote_citations() {
        for (line, name) in [
            ("joe said:", "joe"),
            ("Irene McC said:", "Irene McC"),
            ("  marzipan wrote:  ", "marzipan"),
            ("Quote from: tomas on June 04, 2024, 11:23:55 AM", "tomas"),
            ("Originally Posted by quaysider", "quaysider"),
            ("Quote: Originally Posted by quaysider", "quaysider"),
            ("On 6/14/2024 at 9:14 AM, Lisias said:", "Lisias"),
            ("14 hours ago, Joe Root said:", "Joe Root"),
        ] {
            assert_eq!(quote_citation(line), Some(name), "{line}");
        }
        for text in ["As the minister said: we will build it", "Quote", "said:", "wrote: nothing"] {
            assert_eq!(quote_citation(text), None, "{text}");
        }
    }

    #[test]
    fn reviews_headings() {
        for heading in [
            "Customer reviews",
            "Customer Reviews (1,204)",
            "Google Reviews",
            "Buyers' reviews",
            "User testimonials",
            "Ratings & Reviews",
            "Photos from reviews",
            "Reviews from our customers",
        ] {
            assert!(is_reviews_heading(heading), "{heading}");
        }
        for heading in ["Reviews", "Editorial reviews", "How customers use it", "Review your order"] {
            assert!(!is_reviews_heading(heading), "{heading}");
        }
    }

    #[test]
    fn other_products_headings() {
        for heading in [
            "Related products",
            "You may also like",
            "Recommended Accessories",
            "Customers also bought",
            "Frequently Bought Together",
            "Similar items",
            "Complete the look",
            "Recently viewed",
        ] {
            assert!(is_other_products_heading(heading), "{heading}");
        }
        for heading in
            ["Related reading", "What's in the box", "Similar to the first edition", "Recommended use"]
        {
            assert!(!is_other_products_heading(heading), "{heading}");
        }
    }

    #[test]
    fn furniture_classes() {
        for class in [
            "ad",
            "announcement-bar",
            "bulletinwp-bulletin-item",
            "ad-slot",
            "top_ads",
            "social-share",
            "newsletter-box",
            "related-stories",
            "comments",
            "cookie-banner",
            "reading-time",
            "author-bio",
            "read-more",
            "audio-player",
            "trustbox",
            "c-pwa-tile-facets",
            "disclaimer",
            "site-disclaimer",
            "fund-disclosures",
            "nocontent",
            "robots-nocontent",
        ] {
            assert!(is_furniture_class(class), "{class} is furniture");
        }
        for class in [
            "article-body",
            "header",
            "shadow",
            "download",
            "bad",
            "readme",
            "trust",
            "why-trust-us",
            "lead",
            "headline",
            "article share",
            "comments content",
            "BlogItem hentry has-comments",
            "post no-ads share-enabled",
            "node node--type-service node--promoted node--view-mode-full",
            "facet-row",
            "we-recommend__disclosure",
            // "adv" abbreviates "advanced" as often as "advertisement": a block editor's
            // headings and paragraphs.
            "kt-adv-heading356_d9e20b-fd wp-block-kadence-advancedheading",
        ] {
            assert!(!is_furniture_class(class), "{class} is not furniture");
        }
    }

    #[test]
    fn reviews_names() {
        for class in
            ["product-reviews", "reviews", "pdp_reviews-section", "yotpo yotpo-main-widget", "okendo-widget"]
        {
            assert!(is_reviews_class(class), "{class} names reviews");
        }
        // A review article is not customers' reviews, nor is a box that only has some.
        for class in ["review", "review-body", "article-body reviews", "has-reviews", "reviewer-name"] {
            assert!(!is_reviews_class(class), "{class} does not name reviews");
        }
    }

    #[test]
    fn post_text_names() {
        for name in [
            "entry-content",
            "elementor-widget elementor-widget-theme-post-content",
            "c-article__body",
            "td_post-content",
            "single-content clearfix",
        ] {
            assert!(names_post_text(name), "{name} names the post's text");
        }
        for name in
            ["content", "post-content-wrapper", "repost-content", "entry-contents-list", "comment-body"]
        {
            assert!(!names_post_text(name), "{name} does not name the post's text");
        }
    }

    #[test]
    fn other_pages_headings() {
        for text in ["Recent Articles", "Trending News", "Latest posts:", "You may also like", "Read next"] {
            assert!(is_other_pages_heading(text), "{text} heads other pages");
        }
        for text in [
            "Recent changes to the tax code",
            "More articles than ever",
            "Related work",
            "Top stories of 2025 ranked",
        ] {
            assert!(!is_other_pages_heading(text), "{text} does not");
        }
    }

    #[test]
    fn consent_names() {
        for class in
            ["page-notice gdpr-banner--slideup", "cookie-consent", "CookiebotDialog", "onetrust-banner-sdk"]
        {
            assert!(is_consent_class(class), "{class} names a consent box");
        }
        // A story about consent, or a page that records the reader's consent elsewhere, is not.
        for class in ["consent-decree-story article-body", "no-cookies", "cookiecutter-docs", "consentino"] {
            assert!(!is_consent_class(class), "{class} does not name a consent box");
        }
    }

    #[test]
    fn signature_names() {
        for class in [
            "signature",
            "post-signature",
            "postsignature postmsg",
            "signaturecontainer",
            "message-sig",
            "memberSignature",
        ] {
            assert!(is_signature_class(class), "{class} names a signature");
        }
        for class in ["design", "assignment", "post-body", "sign-in"] {
            assert!(!is_signature_class(class), "{class} does not name a signature");
        }
    }

    #[test]
    fn thread_names() {
        for (names, left) in [
            ("cPost ipsComment ipsComment_parent", "cPost ips ips_parent"),
            ("comment-724096_wrap", "-724096_wrap"),
            ("community-sidebar", "-sidebar"),
            ("reply js-replies", " js-"),
            ("post-body", "post-body"),
        ] {
            assert_eq!(without_thread_names(names), left, "{names}");
        }
        assert!(is_unlikely_candidate(&without_thread_names("community-sidebar")));
        assert!(!is_comments_class(&without_thread_names("comments")));
    }

    #[test]
    fn furniture_texts() {
        for text in [
            "Advertisement",
            "ADVERTISEMENT",
            "Reading Time:2 minutes",
            "Reading time: 4 minutes",
            "5 min read",
            "Listen to this article",
            "Playback speed",
            "0.75x",
            "1.5x",
            "300 WPM",
            "Slower",
            "Normal",
            "Faster",
            "47",
            "99+",
            "Share",
            "Why you can trust The Harbour Times",
            "Hear the news while you commute",
            "Read more: Tram plan approved",
            "[Read more: A Guide to Tram Fares]",
            "Sign up for our newsletter",
            "Published 10 March 2026",
            "Updated: 3:45pm, 10 March 2026",
            "© 2026 The Harbour Times. All rights reserved.",
            "Rules Privacy Policy User Agreement Accessibility Harbour, Inc. © 2026. All rights reserved.",
            "Related: Ferry fares rise again",
            "You may also like",
            "You Might Also Like:",
            "Be the first to comment",
            "Leave a Reply",
            "Follow us on Instagram",
            "Your video will play in 00:25",
            "Now playing",
            "Table of Contents",
            "In this article",
            "On this page",
            "Skip to search results",
            "Skip navigation links",
            "Skip to the main content",
            "Loading...",
            "Loading prices for your region…",
            "Skip to product list",
            "Skip to search resultsSkip to filtersSkip to sortSkip to selected filters",
            "Skip to:",
            "Was this article helpful?",
            "Did you find this helpful?",
            "answered Feb 4, 2014 at 13:27",
            "edited Mar 9, 2022 at 21:00",
            "Related posts",
            "Related content:",
            "Recently viewed",
            "You may also like…",
            "You might also like: The Challenges of Sustainable Palm Oil Production",
            "You may be interested in the following topics as well",
            "Explore related questions",
            "See similar questions with these tags.",
            "Oops! Something went wrong while submitting the form.",
            "Did you find this product summary feature useful?",
            "Did you find what you were looking for today?",
            "Not open for further replies.",
            "You must log in to answer this question.",
            "30 {{ upvoteCount | shortNum }}",
            "Original Price: {{priceAnchor.priceWrapper.info.orignalPrice}}",
            "{{ esp_area }}",
            "When you purchase through links on our site, we may earn an affiliate commission.",
            "We may earn commission from links on this page, but we only recommend products we back.",
            "We earn a commission for products purchased through some links in this article.",
            "This website uses affiliate links.",
            "We are a reader-supported website and do not accept payment from manufacturers to promote their products.",
            "We are a reader-supported website and do not accept payment from manufacturers to promote their products. When you click on some of the links on our site and make a purchase, we earn a small commission at no cost to you. This keeps our website running and free.",
            "This story is funded by readers like you",
            "♥ DONATE TODAY! ♥",
            "» Read more",
            "Supported by listeners like you.",
            "You may also be interested in the following articles:",
            "Thank you for subscribing to our daily newsletter.",
            "Learn more",
            "Learn More →",
            "< back to top",
            "Thank you for your feedback. You selected \"Yes, it is useful\"",
            "Thanks for your feedback!",
            "Thank you! Your submission has been received!",
            "Sign in to your XDA account",
            "Sign in to continue",
            "Add to cart",
            "Out of stock",
            "View all 24 products",
            "Write a review",
            "Advertisement - Members don't see this ad",
            "Advertisement (gone after registration)",
            "Sponsored Ad",
            "Get the latest student and graduate news straight to your inbox.",
            "Enter your email address",
            "Sign up to join 800,000+ other subscribers and receive regular emails on neuroscience, health and science-related tools.",
            "By signing up, you agree to receive recurring automated SMS marketing messages at the number provided. Msg & data rates may apply.",
            "By submitting your email to subscribe, you agree to the publisher's Privacy Policy.",
            "By proceeding, you agree to our Privacy Policy and Terms of Use.",
            "Stay connected:",
            "Code: Select all",
            "Return to “Troubleshooting”",
            "Return to \"Using VirtualBox\"",
            "Return to the forum",
            "Reply With Quote",
            "Report Inappropriate Content",
            "[edit]",
            "Start asking to get answers",
            "Find the answer to your question by asking.",
            "+ Wishlist",
            "Calculate shipping",
            "Sign in to add this item to your wishlist, follow it, or mark it as ignored",
            "Tags:",
            "[–] 188 points189 points190 points 17 hours ago (11 children)",
            "Read Full Review",
            "Read full story →",
            "(95.79 KiB) Downloaded 478 times",
            "Logs.zip (75.31 KiB) Downloaded 442 times",
            "Keep in touch with us",
            "Follow us",
            "View author page",
            "Book Now * Book Now * Book Now * Book Now * Book Now *",
            "Free custom domain Free custom domain Free custom domain Free custom domain",
            "Reply",
            "Back",
            "Keep Reading",
            "Related reads:",
            "Help us improve this page",
            "Add as a preferred source on Google",
            "Estimated reading time:",
            "Share this on:",
            "Pin this for later!",
            "Open in app",
            "Advertiser Disclosure",
            "Sent from my SM-S908U using AC Forums mobile app",
            "Sent from my iPhone",
            "loaded 153 results",
            "image 1 of 11",
            "Cart",
            "Cart (0)",
            "View cart",
            "See the author’s profile",
            "This site uses cookies to enhance its functions and analyze traffic. By using our site, you agree to our use of cookies.",
            "We don't use a lot of cookies; you can manage them at any time on our Cookie Settings page. If you click 'Accept', you agree to their use.",
        ] {
            assert!(is_furniture_text(text), "{text:?} is furniture");
        }
        for text in [
            "The council approved it.",
            "Advertisement revenue fell 4% last year.",
            "2023 was a hard year.",
            "Share prices fell",
            "Updated guidance from 2024 was issued on Monday to every school in the district, officials said.",
            "Published figures show 12% growth.",
            "Opposition councillors said the money would be better spent on buses.",
            "You may also like the new ferry, which runs every ten minutes.",
            "You may be interested in the following: the ferry runs every ten minutes from the pier.",
            "Be the first to comment, the mayor told residents at the meeting.",
            "Contents of the report were leaked on Friday.",
            "In this article we look at ferry fares.",
            "Loading the ferry took an hour.",
            "No, no, no, no, the ferry is not late.",
            "Go, go, go, go!",
            "Back to the harbour: the ferry returns on Monday.",
            "Keep reading the timetable before you travel.",
            "Image 1 of 11 shows the harbour before the storm.",
            "Cart horses pulled the ferry's boats up the beach.",
            "Sent from my office in Leeds, the letter reached the council a week late.",
            "View the author page of the 1925 edition in the library's catalogue.",
            "Loading recommendations",
            "Skip to grub update below if you have not created a new UUID",
            "Skip to Chunk 4 without Chunk 2, and you'll be lost when parsing breaks.",
            "Was this the right decision?",
            "Asked in 2014, the question was answered only last week.",
            "Related posts on the council's page drew hundreds of replies from residents.",
            "In the above example, style={{}} is not a special syntax, but a regular object.",
            "Write {{ name }} where the reader's name should appear in the greeting.",
            "Was the new timetable helpful to commuters who start before six in the morning?",
            "You must log in to the portal before the deadline on Friday to keep your place.",
            "Oops, something went wrong with the ferry's engine on its first crossing, the captain said, and the passengers waited an hour.",
            "The photographer keeps all rights reserved to her pictures, she said.",
            "Recently viewed homes sold within a week, the agents said.",
            "Estate agents earn a commission of about 1.5% on each home they sell, the report found.",
            "The retailer said it would stop paying affiliate commissions to coupon sites next year.",
            "Bloggers earn a commission when readers buy through their links, the study found.",
            "The new library was funded by readers of the paper, who gave more than a million pounds.",
            "★ Donate today to the harbour fund, the mayor urged residents on Friday.",
            "Learn more about the ferry's timetable on the council's site.",
            "By signing the contract, the council agreed to run the ferry until 2030.",
            "Log in to your developer console and click on Create Application.",
            "Sold out within an hour, the tickets for the ferry's first crossing went for ten times their price online.",
            "Compare the two timetables and the difference is plain: the new one adds a crossing every hour.",
            "Get the latest timetable from the pier office, where staff will also email it to you if you ask, the council said on Friday.",
            "Advertisement revenue: the paper's figures for 2025 show a fall of four percent in print and a rise online, the report said.",
            "View all the council's reports on the timetable, the mayor told residents, before you complain.",
            "Browsers that block third-party cookies stop the tracking, and users agree it helps, the survey found.",
            "By clicking the button several times you'll see the promises being fulfilled one by one.",
            "Thank you for your feedback on the timetable, the council wrote to the three thousand residents who had answered its survey in March.",
            "Thank you for subscribing, the editor wrote to the first thousand readers, who had each paid ten pounds for a year of the paper.",
        ] {
            assert!(!is_furniture_text(text), "{text:?} is not furniture");
        }
    }

    #[test]
    fn closed_panel_classes() {
        for closed in ["hidden", "kt-accordion-panel-hidden", "is-collapsed", "panel_closed"] {
            assert!(is_closed_panel_class(closed), "{closed}");
        }
        for other in ["xl:hidden", "hidden@medium", "overflow-x-hidden", "unhidden", "foreclosed", "panel"] {
            assert!(!is_closed_panel_class(other), "{other}");
        }
    }

    #[test]
    fn hidden_classes() {
        for hidden in ["hide", "productView-info hide", "promo-bar HIDE"] {
            assert!(is_hidden_class(hidden), "{hidden}");
        }
        for shown in ["hide show@medium", "hide md:block", "hidden", "hide-mobile", "overflow-hide"] {
            assert!(!is_hidden_class(shown), "{shown}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_badge("02:15"), Some(135));
        assert_eq!(parse_duration_badge("1:38"), Some(98));
        assert_eq!(parse_duration_badge("1:02:03"), Some(3723));
        assert_eq!(parse_duration_badge("12:75"), None);
        assert_eq!(parse_duration_badge("3pm"), None);
        assert_eq!(parse_iso_duration("PT1M38S"), Some(98));
        assert_eq!(parse_iso_duration("PT2H"), Some(7200));
        assert_eq!(parse_iso_duration("PT0.5S"), Some(1));
        assert_eq!(parse_iso_duration("P1DT1S"), Some(86_401));
        assert_eq!(parse_iso_duration("1:38"), None);
        assert_eq!(parse_iso_duration("PTxS"), None);
    }

    #[test]
    fn words_of_names() {
        assert_eq!(furniture_words("section-hero cc-newsletter"), ["newsletter"]);
        assert_eq!(furniture_words("Share_Bar post"), ["share"]);
        assert!(furniture_words("rich-text w-richtext").is_empty());
        let words = furniture_words("cc-newsletter");
        assert_eq!(without_words("rich-text-newsletter-cms w-richtext", &words), "rich-text-cms w-richtext");
        assert!(!is_furniture_class(&without_words("newsletter-body issue", &words)));
        assert!(is_furniture_class(&without_words("share-bar", &words)));
    }

    #[test]
    fn display_none_classes() {
        for hidden in ["d-none", "d-none d-print-block", "js-marker d-none"] {
            assert!(is_display_none_class(hidden), "{hidden}");
        }
        for shown in ["d-none d-md-block", "d-none d-lg-inline-flex", "d-block", "d-nonexistent"] {
            assert!(!is_display_none_class(shown), "{shown}");
        }
    }

    #[test]
    fn uuids() {
        for id in ["f2f260c3-bf1f-466a-b856-6f031758a086", "9B6F0970-183C-42BD-ADFD-FA9BA7274FA7"] {
            assert!(is_uuid(id), "{id}");
        }
        for text in [
            "f2f260c3-bf1f-466a-b856-6f031758a08",
            "f2f260c3-bf1f-466a-b856-6f031758a086a",
            "f2f260c3_bf1f_466a_b856_6f031758a086",
            "g2f260c3-bf1f-466a-b856-6f031758a086",
            "Sponsored",
        ] {
            assert!(!is_uuid(text), "{text}");
        }
    }

    #[test]
    fn classes_hiding_on_every_screen() {
        for hidden in [
            "elementor-section elementor-hidden-desktop elementor-hidden-tablet elementor-hidden-mobile",
            "col hidden-lg hidden-md hidden-sm hidden-xs",
        ] {
            assert!(is_hidden_everywhere_class(hidden), "{hidden}");
        }
        for shown in [
            "elementor-section elementor-hidden-tablet elementor-hidden-mobile",
            "elementor-hidden-desktop",
            "hidden-xs hidden-sm",
            "hidden-md hidden-lg hidden-sm hidden-xs-up",
            "field--label-hidden",
        ] {
            assert!(!is_hidden_everywhere_class(shown), "{shown}");
        }
    }

    #[test]
    fn close_controls() {
        for (class, label) in [
            ("close", ""),
            ("close-btn pa4 br-100", ""),
            ("btn-close", ""),
            ("modal__close", ""),
            ("lightbox-dialog__close", ""),
            ("Modal-Popup-Close-Btn", ""),
            ("icon", "Close"),
            ("", "close GDPR cookie settings"),
        ] {
            assert!(is_close_control(class, label), "{class:?} {label:?}");
        }
        for (class, label) in [
            ("closed", ""),
            ("contentrow-main--close", ""),
            ("icon-close", ""),
            ("close-menu", ""),
            ("enclose-btn", ""),
            ("", "Closest stores"),
            ("", "Open"),
            ("", "Clos"),
        ] {
            assert!(!is_close_control(class, label), "{class:?} {label:?}");
        }
    }

    #[test]
    fn bare_dates() {
        for date in
            ["September 4, 2025", "17 Dec 2025", "Thu 17 Dec 2025, 07:44", "Jan. 5th, 2026", "2025-11-17"]
        {
            assert!(is_bare_date(date), "{date}");
        }
        for text in ["September 4, 2025 No Comments", "On September 4, 2025", "May 2025", "2025"] {
            assert!(!is_bare_date(text), "{text}");
        }
    }

    #[test]
    fn details_lines() {
        for line in [
            "March 15, 2022 · 3 min read · By ASU Online",
            "December 17, 2025 • 8 minutes",
            "Reviewed by: Brian Stormont, CFP® | August 12, 2025",
            "109 Comments | | Last Updated: March 11, 2019",
            "24 Apr 2000 • Reading time: 3 min",
        ] {
            assert!(is_details_line(line), "{line}");
        }
        for text in [
            "March 15, 2022",
            "3 min read · By ASU Online",
            "March 15, 2022 · Product Liability",
            "Paris | London | Berlin",
            "Tickets from March 15, 2022 · sold at the door for members and guests of the club",
        ] {
            assert!(!is_details_line(text), "{text}");
        }
    }

    #[test]
    fn clamped_classes() {
        for clamped in ["text-muted line-clamp-1 text-break", "md:line-clamp-3", "line-clamp-12"] {
            assert!(is_clamped_class(clamped), "{clamped}");
        }
        for whole in ["line-clamp-none", "md:line-clamp-none", "line-clamp", "line-clamp-", "clamp-2"] {
            assert!(!is_clamped_class(whole), "{whole}");
        }
    }

    #[test]
    fn screen_size_classes() {
        for one_screen in [
            "text-lg md:hidden",
            "row d-lg-none d-block",
            "hidden-xs",
            "visible-sm-block",
            "show-for-small-only",
            "product-copy hide-on-desktop",
            "mobile-only",
            "elementor-hidden-tablet",
            "ipsResponsive_showPhone ipsresponsive_showphone",
        ] {
            assert!(is_screen_size_class(one_screen), "{one_screen}");
        }
        for every_screen in ["hidden", "d-none", "show-for-sr", "overflow-hidden", "showcase", "phone-number"]
        {
            assert!(!is_screen_size_class(every_screen), "{every_screen}");
        }
    }

    #[test]
    fn unlikely_candidates() {
        for class in [
            "site-header",
            "sidebar-left",
            "comment-list",
            "pane-header menu-bar",
            "shopify-section-header",
            "card-header site-footer",
        ] {
            assert!(is_unlikely_candidate(class), "{class} is unlikely");
        }
        for class in [
            "article-header",
            "accordion-wrap pane-header-alignment-left",
            "post has-sidebar",
            "gallery menu-open",
            // A part's own header: a card's, a panel's, an accordion's.
            "card-header darkbg",
            "panel-heading",
            "accordion__header accordion__header--open",
            "card-header card-header-dark",
        ] {
            assert!(!is_unlikely_candidate(class), "{class} is not unlikely");
        }
    }

    #[test]
    fn class_weights() {
        assert_eq!(class_weight(Some("article-body"), None), 25.0);
        assert_eq!(class_weight(Some("sidebar"), Some("main")), 0.0);
        assert_eq!(class_weight(Some("share-widget"), None), -25.0);
        assert_eq!(class_weight(Some("node node--type-service node--promoted"), None), 0.0);
        assert_eq!(class_weight(Some("hentry has-comments"), None), 25.0);
        assert_eq!(class_weight(Some("overflow-hidden isolate mb-24"), None), 0.0);
        assert_eq!(class_weight(Some("group mt-2 scroll-mt-2 flex-col"), None), 0.0);
        assert_eq!(class_weight(Some("lg:scroll-pt-4 scroll-smooth overscroll-x-contain"), None), 0.0);
        assert_eq!(class_weight(Some("scroll-container"), None), -25.0);
        assert_eq!(class_weight(Some("scrollable-table"), None), 0.0);
        assert_eq!(class_weight(Some("Table__Scroller"), None), 0.0);
        assert_eq!(class_weight(Some("overflow-x-hidden hidden"), None), -25.0);
        for shown in [
            "field field--label-hidden",
            "elementor-element elementor-hidden-mobile",
            "hidden-sm col",
            "no-js-hidden",
            "lazy-hidden",
            "scrollbar-hidden",
        ] {
            assert_eq!(class_weight(Some(shown), None), 0.0, "{shown}");
        }
        for hidden in ["is-hidden", "visually-hidden", "hidden", "js-hidden", "u-hidden"] {
            assert_eq!(class_weight(Some(hidden), None), -25.0, "{hidden}");
        }
    }
}
