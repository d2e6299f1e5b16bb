//! Extraction from HTML pages: metadata, body, furniture removal, images, videos, charsets.

mod common;

use common::{paragraphs, videos};
use lector_article::{Article, Block, Inline, Table, inline_text};
use lector_extract::{Options, Warning, extract_html};

const NEWS_PAGE: &[u8] = include_bytes!("fixtures/news-page.html");
const PAGE_URL: &str = "https://harbourtimes.example/transport/tram-extension-approved";

fn extract(html: &[u8], url: Option<&str>) -> Article {
    let options = Options { base_url: url.map(|u| u.parse().expect("test URL")), content_type: None };
    extract_html(html, &options).article
}

/// Every piece of text anywhere in the body, captions included.
fn all_body_text(article: &Article) -> String {
    serde_json::to_string(&article.body).expect("serializes")
}

#[test]
fn news_page_metadata() {
    let article = extract(NEWS_PAGE, Some(PAGE_URL));
    assert_eq!(
        article.headline,
        "Harbour City approves HK$1.2 billion tram extension after decade-long fight"
    );
    assert_eq!(article.site_name.as_deref(), Some("The Harbour Times"));
    assert_eq!(article.language.as_deref(), Some("en-GB"));
    assert_eq!(article.canonical_url.as_deref(), Some(PAGE_URL));
    let topics: Vec<(&str, &str)> =
        article.topics.iter().map(|t| (t.name.as_str(), t.slug.as_str())).collect();
    assert_eq!(
        topics,
        [("Transport", "transport"), ("Cities", "cities"), ("Infrastructure", "infrastructure")]
    );
    let authors: Vec<(&str, Option<&str>)> =
        article.authors.iter().map(|a| (a.name.as_str(), a.url.as_deref())).collect();
    assert_eq!(
        authors,
        [("Maria Okafor", Some("https://harbourtimes.example/authors/maria-okafor")), ("Li Wei", None)]
    );
    assert_eq!(article.published.map(|d| d.to_rfc3339()).as_deref(), Some("2026-03-10T08:30:00+08:00"));
    assert_eq!(article.updated.map(|d| d.to_rfc3339()).as_deref(), Some("2026-03-10T11:05:00+08:00"));
    assert_eq!(
        article.summary,
        [
            "Councillors vote 27 to 4 for the 6km line linking the ferry pier to the new hospital",
            "Opponents say the plan ignores bus routes that already serve the eastern districts",
            "Construction to start next spring, with the first trams running in 2029",
        ]
    );
}

#[test]
fn news_page_lead_image_has_caption_and_credit_apart() {
    let article = extract(NEWS_PAGE, Some(PAGE_URL));
    let lead = article.lead_image.expect("lead image");
    // The og:image is the same picture as the header figure, at a larger size.
    assert_eq!(lead.url, "https://harbourtimes.example/images/tram-queens-road-1200.jpg");
    assert_eq!(lead.caption.as_deref(), Some("Commuters board a tram on Queen's Road on Tuesday."));
    assert_eq!(lead.credit.as_deref(), Some("Reuters"));
    assert_eq!((lead.width, lead.height), (Some(1200), Some(800)));
    assert_eq!(lead.alt.as_deref(), Some("A green tram on Queen's Road"));
}

#[test]
fn news_page_body_is_the_article_and_nothing_else() {
    let article = extract(NEWS_PAGE, Some(PAGE_URL));
    assert_eq!(
        paragraphs(&article),
        [
            "Harbour City's council on Tuesday approved a long-delayed tram extension, ending a fight over the route that began in 2015 and outlasted two mayors.",
            "The 6km line will link the Central ferry pier with the new Eastern General Hospital, officials said, with eleven stops along the waterfront and two through the old market district.",
            "Transport chief Daniel Wong said the line would carry 40,000 passengers a day once it opens, taking pressure off the crowded eastern corridor buses.",
            "The plan was first proposed in 2015, but legal challenges from shop owners along the route and a funding dispute with the regional government stalled it for years.",
            "The council's approval covers three phases of work:",
            "Opposition councillors said the money would be better spent on buses, arguing that the existing routes already serve the eastern districts well.",
            "Construction is due to start next spring, and the first trams are expected to run in 2029.",
        ]
    );
    let body = all_body_text(&article);
    for furniture in [
        "Advertisement",
        "cookies",
        "Facebook",
        "Listen to this article",
        "Playback speed",
        "1.25x",
        "250 WPM",
        "Reading time",
        "Why you can trust",
        "\"47\"",
        "newsletter",
        "Read more",
        "covers transport and urban affairs",
        "Ferry fares",
        "Most read",
        "About time",
        "All rights reserved",
        "Maria Okafor",
        "Home",
    ] {
        assert!(!body.contains(furniture), "{furniture:?} leaked into the body: {body}");
    }
}

#[test]
fn news_page_blocks_keep_structure() {
    let article = extract(NEWS_PAGE, Some(PAGE_URL));
    let kinds: Vec<&str> = article
        .body
        .iter()
        .map(|block| match block {
            Block::Paragraph { .. } => "p",
            Block::Heading { .. } => "h",
            Block::List { .. } => "list",
            Block::Quote { .. } => "quote",
            Block::Preformatted { .. } => "pre",
            Block::Image(_) => "image",
            Block::Video(_) => "video",
            Block::Table(_) => "table",
        })
        .collect();
    assert_eq!(kinds, ["p", "p", "p", "h", "p", "quote", "p", "list", "video", "image", "p", "p"]);
    let Block::Quote { attribution, .. } = &article.body[5] else { unreachable!() };
    assert_eq!(attribution.as_deref(), Some("Daniel Wong, transport chief"));
    let Block::Video(video) = &article.body[8] else { unreachable!() };
    assert_eq!(video.title, "Inside the depot where the city's oldest trams are rebuilt");
    assert_eq!(video.duration_seconds, Some(135));
    let Block::Image(image) = &article.body[9] else { unreachable!() };
    assert_eq!(image.url, "https://harbourtimes.example/images/depot-workers.jpg");
    assert_eq!(image.caption.as_deref(), Some("Engineers restore a 1950s tram at the Whitfield depot."));
    assert_eq!(image.credit.as_deref(), Some("Harbour Times"));
    // Inline emphasis and links are kept, with links made absolute.
    let Block::Paragraph { content } = &article.body[2] else { unreachable!() };
    let json = serde_json::to_string(content).expect("serializes");
    assert!(json.contains(r#"{"emphasis":[{"text":"40,000 passengers a day"}]}"#), "{json}");
    assert!(json.contains(r#""href":"https://harbourtimes.example/topics/eastern-corridor""#), "{json}");
}

#[test]
fn news_page_markdown() {
    let article = extract(NEWS_PAGE, Some(PAGE_URL));
    insta::assert_snapshot!(lector_article::to_markdown(&article));
}

/// A minimal page around `head` and `body` markup.
fn page(head: &str, body: &str) -> Vec<u8> {
    format!("<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>").into_bytes()
}

const PROSE: &str = "<p>The council approved the long-delayed tram extension on Tuesday, ending a fight over the route that began in 2015 and outlasted two mayors and three transport chiefs.</p>\
    <p>The six kilometre line will link the ferry pier with the new hospital, officials said, with eleven stops along the waterfront and two through the old market.</p>\
    <p>Opponents said the money would be better spent on buses, arguing that the existing routes already serve the eastern districts well enough for now.</p>";

#[test]
fn json_ld_article_types_and_graphs() {
    for kind in ["NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting"] {
        let head = format!(
            r#"<script type="application/ld+json">{{"@context":"https://schema.org","@graph":[{{"@type":"WebSite","name":"Site"}},{{"@type":"{kind}","headline":"Headline of a {kind}","author":{{"@type":"Person","name":"Ana Lima"}},"datePublished":"2025-01-02T03:04:05Z","articleSection":"Politics","keywords":["Elections","Brazil"]}}]}}</script>"#
        );
        let article = extract(&page(&head, &format!("<article>{PROSE}</article>")), None);
        assert_eq!(article.headline, format!("Headline of a {kind}"), "{kind}");
        assert_eq!(article.authors.first().map(|a| a.name.as_str()), Some("Ana Lima"), "{kind}");
        assert_eq!(article.published.map(|d| d.to_rfc3339()).as_deref(), Some("2025-01-02T03:04:05+00:00"));
        let topics: Vec<&str> = article.topics.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(topics, ["Politics", "Elections", "Brazil"], "{kind}");
    }
}

#[test]
fn json_ld_with_raw_line_breaks_in_strings() {
    let head = "<script type=\"application/ld+json\">{\"@type\":\"DiscussionForumPosting\",\"headline\":\"Tram thread\",\
        \"articleBody\":\"First line.\n\tSecond line.\",\"datePublished\":\"2024-02-21 13:00:00\"}</script>";
    let article = extract(&page(head, &format!("<article>{PROSE}</article>")), None);
    assert_eq!(article.published.map(|d| d.to_rfc3339()).as_deref(), Some("2024-02-21T13:00:00+00:00"));
}

#[test]
fn json_ld_written_as_a_meta() {
    let head = r#"<meta name="script:ld+json" content="{&quot;@type&quot;:&quot;Article&quot;,&quot;headline&quot;:&quot;Tram line opens&quot;,&quot;author&quot;:{&quot;@type&quot;:&quot;Person&quot;,&quot;name&quot;:&quot;Ana Lima&quot;},&quot;datePublished&quot;:&quot;2025-11-17T09:00:00-05:00&quot;}">"#;
    let article = extract(&page(head, &format!("<article>{PROSE}</article>")), None);
    assert_eq!(article.published.map(|d| d.to_rfc3339()).as_deref(), Some("2025-11-17T09:00:00-05:00"));
    assert_eq!(article.authors.first().map(|a| a.name.as_str()), Some("Ana Lima"));
}

#[test]
fn the_headline_shown_may_be_the_title_for_sharing() {
    // The linked data's headline is written for search; the page shows its OpenGraph title,
    // and the story's header, under it, dates the page, not a card's date further down.
    let head = r#"<script type="application/ld+json">{"@type":"Article","headline":"Sample menus"}</script>
        <meta property="og:title" content="Tram line opens">"#;
    let body = format!(
        "<main><h1>Tram line opens</h1><p>Page updated: <span>12 November 2025</span></p>{PROSE}\
         <div class=\"card\"><h3><a href=\"/b\">Buses return</a></h3>\
         <time datetime=\"2025-10-23\">23 October 2025</time></div></main>"
    );
    let article = extract(&page(head, &body), None);
    assert_eq!(article.headline, "Tram line opens");
    assert_eq!((day(article.published), day(article.updated).as_deref()), (None, Some("2025-11-12")));
}

#[test]
fn opengraph_meta_and_microdata_without_json_ld() {
    let head = r#"<meta property="og:title" content="OG headline for the tram story">
        <meta property="og:site_name" content="Harbour Times"><meta name="author" content="Jane Doe">
        <meta property="article:published_time" content="2024-05-06T07:08:09+02:00">
        <meta property="article:section" content="Transport"><meta property="article:tag" content="Trams">
        <meta property="article:tag" content="transport"><meta name="description" content="A description.">
        <link rel="canonical" href="/tram">"#;
    let article = extract(&page(head, &format!("<article>{PROSE}</article>")), Some("https://x.example/a/b"));
    assert_eq!(article.headline, "OG headline for the tram story");
    assert_eq!(article.site_name.as_deref(), Some("Harbour Times"));
    assert_eq!(article.authors.first().map(|a| a.name.as_str()), Some("Jane Doe"));
    assert_eq!(article.published.map(|d| d.to_rfc3339()).as_deref(), Some("2024-05-06T07:08:09+02:00"));
    assert_eq!(article.description.as_deref(), Some("A description."));
    assert_eq!(article.canonical_url.as_deref(), Some("https://x.example/tram"));
    // "transport" repeats "Transport": topics are deduplicated by slug, primary first.
    let topics: Vec<&str> = article.topics.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(topics, ["Transport", "Trams"]);

    // <meta name="keywords"> are tags when nothing better names them, unless stuffed.
    let head = r#"<meta property="article:section" content="Weather"><meta name="keywords" content="Typhoon, Hong Kong">"#;
    let article = extract(&page(head, &format!("<article>{PROSE}</article>")), None);
    let topics: Vec<&str> = article.topics.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(topics, ["Weather", "Typhoon", "Hong Kong"]);
    let stuffed = format!(
        "<meta name='keywords' content='{}'>",
        (0..30).map(|i| format!("word{i}")).collect::<Vec<_>>().join(",")
    );
    assert!(extract(&page(&stuffed, &format!("<article>{PROSE}</article>")), None).topics.is_empty());

    let body = format!(
        r#"<article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Microdata headline here</h1>
        <span itemprop="author" itemscope><span itemprop="name">Kofi Mensah</span></span>
        <time datetime="2023-09-10T12:00:00Z">10 Sept</time>{PROSE}</article>"#
    );
    let article = extract(&page("<title>Microdata headline here - Site</title>", &body), None);
    assert_eq!(article.headline, "Microdata headline here");
    assert_eq!(article.authors.first().map(|a| a.name.as_str()), Some("Kofi Mensah"));
    assert_eq!(article.published.map(|d| d.to_rfc3339()).as_deref(), Some("2023-09-10T12:00:00+00:00"));
    assert!(!all_body_text(&article).contains("Kofi Mensah"));
}

#[test]
fn rel_author_and_html_lang() {
    let body = format!(
        r#"<article><h1>A headline for rel author</h1><p class="byline">By <a rel="author" href="/people/ines">Inês Costa</a></p>{PROSE}</article>"#
    );
    let html = format!(
        "<html lang='pt-PT'><head><title>A headline for rel author</title></head><body>{body}</body></html>"
    );
    let article = extract(html.as_bytes(), Some("https://jornal.example/x"));
    assert_eq!(article.language.as_deref(), Some("pt-PT"));
    assert_eq!(article.authors.len(), 1);
    assert_eq!(article.authors[0].name, "Inês Costa");
    assert_eq!(article.authors[0].url.as_deref(), Some("https://jornal.example/people/ines"));
}

#[test]
fn videos_from_iframes_json_ld_and_data_attributes() {
    let head = r#"<script type="application/ld+json">[{"@type":"NewsArticle","headline":"Video story headline"},
        {"@type":"VideoObject","name":"Flood waters rise in the old town","duration":"PT1M38S","embedUrl":"https://www.youtube.com/embed/abc"}]</script>"#;
    let body = format!(
        r#"<article>{PROSE}<iframe src="https://www.youtube.com/embed/abc" width="560" height="315"></iframe>
        <div class="player" data-duration="75" data-title="Mayor answers questions"></div>
        <iframe src="https://ads.example/frame"></iframe></article>"#
    );
    let article = extract(&page(head, &body), None);
    let videos = videos(&article);
    assert_eq!(
        videos,
        [("Flood waters rise in the old town", Some(98)), ("Mayor answers questions", Some(75))]
    );
}

#[test]
fn bullets_are_never_invented() {
    // No list under the headline: no bullets, even with a description.
    let head = r#"<meta name="description" content="Councillors vote for the line.">"#;
    let body = format!("<article><h1>Tram line approved by the council</h1>{PROSE}</article>");
    assert!(extract(&page(head, &body), None).summary.is_empty());
    // A list of links under the headline is navigation, not a standfirst.
    let body = format!(
        r#"<article><h1>Tram line approved by the council</h1><ul><li><a href="/a">Related: ferry fares rise</a></li><li><a href="/b">Related: bus routes cut</a></li></ul>{PROSE}</article>"#
    );
    assert!(extract(&page("", &body), None).summary.is_empty());
    // A list after the body has started is body text.
    let body = format!(
        "<article><h1>Tram line approved by the council</h1>{PROSE}<ul><li>The first point made in the article body</li><li>The second point made in the article body</li></ul></article>"
    );
    let article = extract(&page("", &body), None);
    assert!(article.summary.is_empty());
    assert!(article.body.iter().any(|b| matches!(b, Block::List { items, .. } if items.len() == 2)));
    // A list under a subheading belongs to that section, however close to the headline.
    let body = format!(
        "<article><h1>Tram line approved by the council</h1><h2>What was decided</h2><ul><li>The first point made in the section</li><li>The second point made in the section</li></ul>{PROSE}</article>"
    );
    let article = extract(&page("", &body), None);
    assert!(article.summary.is_empty(), "{:?}", article.summary);
    assert!(article.body.iter().any(|b| matches!(b, Block::List { items, .. } if items.len() == 2)));
    // A list of the story's details is no summary; the bullets after it are.
    let body = format!(
        "<article><h1>Tram line approved by the council</h1><ul class=\"post-info\"><li>Last Updated January, 2024</li></ul><ul><li>The council backs the six-kilometre line</li><li>Work starts next spring</li></ul>{PROSE}</article>"
    );
    let article = extract(&page("", &body), None);
    assert_eq!(article.summary, ["The council backs the six-kilometre line", "Work starts next spring"]);
}

#[test]
fn relative_urls_resolve_against_base_and_base_href() {
    let body = format!(
        r#"<article>{PROSE}<p>See <a href="report.pdf">the report</a> and <a href="javascript:alert(1)">this</a>.</p><img src="img/a.jpg" width="600" height="400"></article>"#
    );
    let article =
        extract(&page("<base href='https://cdn.example/news/'>", &body), Some("https://site.example/x/y"));
    let json = all_body_text(&article);
    assert!(json.contains("https://cdn.example/news/report.pdf"), "{json}");
    assert!(json.contains("https://cdn.example/news/img/a.jpg"), "{json}");
    assert!(!json.contains("javascript:"), "{json}");
}

#[test]
fn charsets_from_meta_tags() {
    let cases: [(&[u8], &str, &str); 4] = [
        (
            include_bytes!("fixtures/gbk.html"),
            "香港电车延线获批",
            "香港议会周二批准了一项拖延已久的电车延线计划",
        ),
        (
            include_bytes!("fixtures/big5.html"),
            "香港電車延線獲批",
            "香港議會週二批准了一項拖延已久的電車延線計劃",
        ),
        (
            include_bytes!("fixtures/shift_jis.html"),
            "港町の路面電車延伸が承認",
            "港町の議会は火曜日、長年遅れていた路面電車",
        ),
        (
            include_bytes!("fixtures/windows-1252.html"),
            "Le tramway de la ville prolongé",
            "« Nous avons assez attendu », a-t-il ajouté —",
        ),
    ];
    for (bytes, headline, body_start) in cases {
        let extraction = extract_html(bytes, &Options::default());
        assert!(!extraction.warnings.iter().any(|w| matches!(w, Warning::InvalidBytes { .. })), "{headline}");
        assert_eq!(extraction.article.headline, headline);
        let text = lector_article::to_text(&extraction.article);
        assert!(text.contains(body_start), "{headline}: {text}");
    }
}

#[test]
fn spacer_paragraphs_of_invisible_characters_are_left_out() {
    // A site builder's spacers: a paragraph or heading holding only a zero-width joiner, a
    // zero-width space or a soft hyphen.
    let prose = "The new tram line opened on Monday after a decade of delays, and the first riders crossed the river in twelve minutes.";
    let body = format!(
        "<article><h1>Tram line opens</h1><p>{prose}</p><p>&zwj;</p><h2>&#8203;</h2><p> &shy; </p><p>{prose} Fares stay at two euros.</p><p>Emoji joined by one: 👩&zwj;🔧 fixes the points.</p></article>"
    );
    let article = extract(&page("<title>Tram line opens</title>", &body), None);
    assert_eq!(article.body.len(), 3, "{:?}", article.body);
    assert!(
        article
            .body
            .iter()
            .all(|block| !block.text().trim_matches(['\u{200B}', '\u{200D}', '\u{AD}', ' ']).is_empty())
    );
    assert!(all_body_text(&article).contains("👩\u{200D}🔧"));
}

#[test]
fn a_storys_date_on_a_line_of_its_own_is_left_out_of_its_text() {
    let prose = "The new tram line opened on Monday after a decade of delays, and the first riders crossed the river in twelve minutes.";
    let story = format!(
        "<article><h1>Tram line opens</h1><p>September 4, 2025</p><p>{prose}</p><p>{prose} Fares stay at two euros.</p><p>The council will review the timetable in spring.</p></article>"
    );
    let article = extract(&page("<title>Tram line opens</title>", &story), None);
    assert!(!all_body_text(&article).contains("September 4, 2025"), "{:?}", article.body);
    assert!(all_body_text(&article).contains("Fares stay at two euros"));
    // A day heading a schedule's table, and days over each entry of a list, are theirs.
    let schedule = format!(
        "<article><h1>Tram timetable</h1><p>{prose}</p><p>Sunday, February 8, 2026</p><table><tr><th>Stop</th><th>Time</th></tr><tr><td>Pier</td><td>07:10</td></tr><tr><td>Market</td><td>07:25</td></tr></table></article>"
    );
    let article = extract(&page("<title>Tram timetable</title>", &schedule), None);
    assert!(all_body_text(&article).contains("Sunday, February 8, 2026"), "{:?}", article.body);
    let entries = format!(
        "<article><h1>Tram diary</h1><p>March 2, 2026</p><p>{prose}</p><p>March 9, 2026</p><p>{prose} Fares stay at two euros.</p></article>"
    );
    let article = extract(&page("<title>Tram diary</title>", &entries), None);
    let text = all_body_text(&article);
    assert!(text.contains("March 2, 2026") && text.contains("March 9, 2026"), "{:?}", article.body);
}

#[test]
fn text_encoded_twice_is_read_back_with_a_warning() {
    // UTF-8 read as windows-1252 and saved as UTF-8 again: "â€™" for "’", "Ã©" for "é".
    let extraction = extract_html(include_bytes!("fixtures/encoded-twice.html"), &Options::default());
    assert!(extraction.warnings.contains(&Warning::EncodedTwice));
    assert_eq!(extraction.article.headline, "The city’s tram line opens — at last");
    let text = lector_article::to_text(&extraction.article);
    for written in
        ["paid €2 for a trip", "“We have waited long enough,”", "José Núñez", "café district", "cost £300m"]
    {
        assert!(text.contains(written), "{written}: {text}");
    }
    // A page written right is left alone.
    let extraction = extract_html(include_bytes!("fixtures/windows-1252.html"), &Options::default());
    assert!(!extraction.warnings.contains(&Warning::EncodedTwice));
}

#[test]
fn charset_from_http_header_wins_over_meta() {
    let bytes = include_bytes!("fixtures/windows-1252.html");
    // A header naming the right charset agrees; a wrong UTF-8 header would mangle the text.
    let options = Options { base_url: None, content_type: Some("text/html; charset=windows-1252".into()) };
    assert_eq!(extract_html(bytes, &options).article.headline, "Le tramway de la ville prolongé");
    let options = Options { base_url: None, content_type: Some("text/html; charset=utf-8".into()) };
    let extraction = extract_html(bytes, &options);
    assert!(extraction.warnings.iter().any(|w| matches!(w, Warning::InvalidBytes { .. })));
}

#[test]
fn json_ld_article_body_picks_the_article_among_rivals() {
    // Seven paragraphs of each, told apart by their last words (paragraphs that end alike
    // are boilerplate).
    let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let rival: String = days
        .iter()
        .map(|d| format!("<p>Ferry fares, bus fares, taxi fares and tram fares, which all rose this year, are listed for {d}.</p>"))
        .collect();
    let sentences: Vec<String> = days
        .iter()
        .map(|d| {
            format!("The council, after a long fight, approved, at last, the tram extension on {d} evening.")
        })
        .collect();
    let story: String = sentences.iter().map(|t| format!("<p>{t}</p>")).collect();
    let body = format!(
        "<div><div><div class='x'><div>{rival}</div></div></div></div><section><div>{story}</div></section>"
    );
    let signal = sentences.join(" ");
    let with_signal = format!(
        r#"<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Tram","articleBody":"{signal}"}}</script>"#
    );
    let text = |head: &str| lector_article::to_text(&extract(&page(head, &body), None));
    assert!(text(&with_signal).starts_with("The council, after a long fight"), "{}", text(&with_signal));
    // Without the signal the rival, richer in commas, wins: the signal is what decides.
    assert!(text("").starts_with("Ferry fares"), "{}", text(""));
}

#[test]
fn an_article_split_into_sections_keeps_every_section() {
    let section = |text: &str| {
        format!(
            "<section class='outer'><div class='column'><div class='story-part'>{}</div></div></section>",
            format!(
                "<p>{text}, the council said on Tuesday, after a long and bitter fight over the route.</p>"
            )
            .repeat(4)
        )
    };
    let body = format!(
        "<main>{}<aside class='pullquote'><p>We waited long enough.</p></aside>{}<div class='newsletter'><p>Sign up</p></div>{}</main>",
        section("First part"),
        section("Second part"),
        section("Third part")
    );
    let text = lector_article::to_text(&extract(&page("", &body), None));
    for part in ["First part", "Second part", "Third part"] {
        assert!(text.contains(part), "{part} missing: {text}");
    }
    assert!(!text.contains("Sign up"));
}

#[test]
fn a_container_with_many_article_children_is_taken_whole() {
    let paragraph = "<p>The report assessed poverty, income, wealth and unemployment among ten wealthy countries, the authors said.</p>";
    // Paragraphs with a few links, so that the parent scores below the inner container.
    let linked = "<p>The <a href='/r'>report, by Stanford</a>, assessed poverty, income, wealth and unemployment among ten countries.</p>";
    let body = format!(
        "<div id='storytext'><h2>The lede sits in a heading above the first paragraph.</h2>\
         <p>But <a href='/a'>a new report by the Center on Poverty</a> calls that into question.</p>\
         <div class='storytop'>{}</div>{}</div><div class='sidebar'><a href='/x'>Elsewhere</a></div>",
        paragraph.repeat(7),
        linked.repeat(4)
    );
    let text = lector_article::to_text(&extract(&page("", &body), None));
    assert!(text.starts_with("The lede sits in a heading"), "{text}");
    assert!(text.contains("calls that into question"), "{text}");
    assert!(!text.contains("Elsewhere"));
}

#[test]
fn captions_outside_figures_go_to_their_image_and_never_into_the_text() {
    let body = format!(
        "<article>{PROSE}<div class='photo'><img src='https://x.example/tram.jpg' width='600' height='400'></div>\
         <p class='image-caption'>Trams at dusk on the waterfront. Photo: Reuters</p>{PROSE}\
         <p>A crowd at the depot gate on Monday. Photograph: Kin Cheung/AP</p>\
         <p>Getty Images</p>\
         <table class='tr-caption-container'><tr><td><img src='https://x.example/map.png' width='600' height='400'></td></tr>\
         <tr><td class='tr-caption'>The new line on a map</td></tr></table></article>"
    );
    let article = extract(&page("", &body), None);
    let images: Vec<(&str, Option<&str>, Option<&str>)> = article
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Image(i) => Some((i.url.as_str(), i.caption.as_deref(), i.credit.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(
        images,
        [
            ("https://x.example/tram.jpg", Some("Trams at dusk on the waterfront."), Some("Reuters")),
            ("https://x.example/map.png", Some("The new line on a map"), None),
        ]
    );
    let text = lector_article::to_text(&article);
    for caption in ["Trams at dusk", "A crowd at the depot", "Getty Images", "Kin Cheung", "on a map"] {
        assert!(!text.contains(caption), "{caption:?} in the body text: {text}");
    }
}

#[test]
fn a_byline_paragraph_names_the_author_and_leaves_the_body() {
    let body = format!(
        "<article><h1>Tram line approved by the council</h1><p>By Maria Okafor and Li Wei</p>{PROSE}<p>By the end of the year, fares will rise again.</p></article>"
    );
    let article = extract(&page("", &body), None);
    let authors: Vec<&str> = article.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(authors, ["Maria Okafor", "Li Wei"]);
    let text = lector_article::to_text(&article);
    assert!(!text.contains("By Maria Okafor"), "{text}");
    assert!(text.contains("By the end of the year, fares will rise again."), "{text}");
}

#[test]
fn amp_images_and_lazy_loaded_sources() {
    let body = format!(
        "<article>{PROSE}<figure><amp-img src='/amp.jpg' width='800' height='450'></amp-img><figcaption>An AMP picture. Photo: AFP</figcaption></figure>\
         <figure><img src='data:image/gif;base64,R0lGOD' data-src='/lazy.jpg' width='800' height='450'></figure>\
         <img src='/pixel.gif' width='1' height='1'></article>"
    );
    let article = extract(&page("", &body), Some("https://x.example/a"));
    let images: Vec<(&str, Option<&str>)> = article
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Image(i) => Some((i.url.as_str(), i.credit.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(images, [("https://x.example/amp.jpg", Some("AFP")), ("https://x.example/lazy.jpg", None)]);
}

/// A date as its day, the way the tests below compare them.
fn day(date: Option<chrono::DateTime<chrono::FixedOffset>>) -> Option<String> {
    date.map(|d| d.format("%Y-%m-%d").to_string())
}

#[test]
fn dates_a_reader_sees_when_the_metadata_has_none() {
    let prose = "<p>On January 2, 2020 the council first voted on the tram line, and the fight over its route \
        went on for years, through two elections and a public inquiry that reported last spring.</p>";
    let html = page(
        "<title>Tram line opens</title>",
        &format!(
            "<article><h1>Tram line opens</h1><div class=\"meta\"><span>By Ana Lima</span> <span>March 3, 2024</span></div>\
             <div class=\"meta\"><span>Last updated</span> <time>Apr 5, 2024</time></div>{prose}</article>"
        ),
    );
    let article = extract(&html, None);
    assert_eq!(day(article.published).as_deref(), Some("2024-03-03"));
    assert_eq!(day(article.updated).as_deref(), Some("2024-04-05"));
    // Only an update shown: it is not taken for the publication.
    let html = page(
        "<title>Tram line opens</title>",
        &format!("<article><h1>Tram line opens</h1><p>Updated on July 9, 2025</p>{prose}</article>"),
    );
    let article = extract(&html, None);
    assert_eq!(day(article.published), None);
    assert_eq!(day(article.updated).as_deref(), Some("2025-07-09"));
    // A date inside prose is what the story is about, not when it was written.
    let html = page(
        "<title>Tram line opens</title>",
        &format!("<article><h1>Tram line opens</h1>{prose}</article>"),
    );
    assert_eq!(day(extract(&html, None).published), None);
    // Dates in numbers that read one way only; a member's sign-up date beside a post is not
    // the page's, and a post's permalink that shows only its date is a dateline.
    for (dateline, expected) in [
        ("<p>by Jon Foster - 2025-09-13</p>", "2025-09-13"),
        ("<p><span>23.07.2025</span> · 6 min read</p>", "2025-07-23"),
        ("<p>Posted on the 15/12/2025</p>", "2025-12-15"),
        ("<p><span>2/24/2026</span></p>", "2026-02-24"),
        (
            "<dl><dd>Registered: 2019-01-27</dd></dl><h2><a href=\"#p1\">2024-08-03 10:59:47</a></h2>",
            "2024-08-03",
        ),
        ("<p class=\"author\"><a href=\"#p2\">Sun Dec 17, 2023 11:23 am</a></p>", "2023-12-17"),
        ("<span>2022-11-23T08:10+02:00</span>", "2022-11-23"),
        ("<p>Essay - Published: 2025.12.17 | <a href=\"/tags/ai\">AI</a></p>", "2025-12-17"),
        // A post's date and time, then its edit note in the same element.
        (
            "<div class=\"post_head\"><span class=\"post_date\">2019-02-23, 09:14 PM <span class=\"post_edit\">\
             (This post was last modified: 2024-01-05, 10:00 AM by Ana Lima.)</span></span></div>",
            "2019-02-23",
        ),
        // A <time> whose stamp, in UTC, is past the midnight of the day it shows.
        ("<p><time datetime=\"2026-02-24T04:13:00Z\">February 23, 2026</time></p>", "2026-02-23"),
        // A day months off the stamp is not a zone's difference: the stamp stands.
        ("<p><time datetime=\"2024-12-20\">August 28, 2024</time></p>", "2024-12-20"),
        // Custom elements made to show a time, which show only how long ago.
        (
            "<p>Posted by <a href=\"/u/ana\">ana</a> \
             <faceplate-timeago ts=\"2026-03-03T09:47:05.754000+0000\">2d ago</faceplate-timeago></p>",
            "2026-03-03",
        ),
        ("<p><relative-time datetime=\"2025-12-20T13:58:12Z\">last week</relative-time></p>", "2025-12-20"),
        // An avatar or a custom element inside the dateline.
        ("<p>Dec 26, 2025 <span>&bull;</span> <img src=\"a.png\"> Mahua Das</p>", "2025-12-26"),
        ("<span>March 30, 2023 <read-time hidden>%t min</read-time></span>", "2023-03-30"),
        // A line of text on its own between blocks.
        ("<fieldset><legend>Week two</legend>\n20 December 2025\n<div>Notes</div></fieldset>", "2025-12-20"),
        // The site's clock is today, and a member's founding date is theirs, not the page's.
        ("<p id=\"todays-date\"><b>Friday</b>, December 19, 2025</p><p>March 3, 2024</p>", "2024-03-03"),
        ("<dl><dd><b>Founded:</b> Dec 11, 2021</dd></dl><p>Tue Aug 27, 2019 10:02 pm</p>", "2019-08-27"),
        // Nor is the day an offer ends.
        ("<p><sub>Sale ends 03/31/2026.</sub></p><p>Trends of 2025 · July 9, 2025</p>", "2025-07-09"),
    ] {
        let html = page(
            "<title>Tram line opens</title>",
            &format!("<article><h1>Tram line opens</h1>{dateline}{prose}</article>"),
        );
        assert_eq!(day(extract(&html, None).published).as_deref(), Some(expected), "{dateline}");
    }
    // A dateline is the publication also when the metadata names only the last change.
    let html = page(
        r#"<meta property="article:modified_time" content="2024-10-28T09:00:00Z">"#,
        &format!("<article><h1>Tram line opens</h1><p>April 26, 2024</p>{prose}</article>"),
    );
    let article = extract(&html, None);
    assert_eq!(
        (day(article.published).as_deref(), day(article.updated).as_deref()),
        (Some("2024-04-26"), Some("2024-10-28"))
    );
    // A slashed date's month depends on the country, and a headline link is not a dateline.
    for dateline in
        ["<p>03/04/2025</p>", "<p><a href=\"/x\">Council votes on tram line on 3 March 2025, again</a></p>"]
    {
        let html = page(
            "<title>Tram line opens</title>",
            &format!("<article><h1>Tram line opens</h1>{dateline}{prose}</article>"),
        );
        assert_eq!(day(extract(&html, None).published), None, "{dateline}");
    }
}

#[test]
fn dates_are_read_around_the_headline_first() {
    let prose = "<p>The council approved the long-delayed tram extension on Tuesday, ending a fight over the \
        route that began in 2015 and outlasted two mayors, three transport chiefs and a public inquiry.</p>";
    let story = |header: &str| format!("<article><h1>Tram line opens</h1>{header}{prose}{prose}</article>");
    let related = "<aside><h2>Related</h2><ul><li><a href=\"/a\">Buses return</a> March 05, 2026</li>\
        <li><a href=\"/b\">Ferry fares</a> <time datetime=\"2026-02-16\">16 February 2026</time></li></ul></aside>";
    let clock =
        "<div class=\"user\"><time datetime=\"2026-03-05T12:16:19Z\">March 05, 2026, 07:16 AM</time></div>";
    for (body, published, updated) in [
        // The site's clock above the story, as a <time>; the thread's first line below the title.
        (format!("{clock}{}", story("<p>Started by Ana Lima, June 04, 2024, 11:23 AM</p>")), Some("2024-06-04"), None),
        // A sidebar's dated links before the story.
        (format!("{related}{}", story("<p>By Ana Lima · March 1, 2017</p>")), Some("2017-03-01"), None),
        // The header shows only the last change; the related stories' dates below are theirs.
        (format!("{}{related}", story("<p>Last Modified: August 08, 2023</p>")), None, Some("2023-08-08")),
        // A header with no date: the page's first dateline, above the post's box, is read, not
        // a comment's under the post's lines (written without paragraphs).
        (
            "<h2 class=\"date-header\">Monday, September 8, 2008</h2><div class=\"post\"><h3>Tram line opens</h3>\
             <div class=\"post-body\">The council approved the long-delayed tram extension on Tuesday, ending a fight over the route that began in 2015 and outlasted two mayors.<br><br>\
             The six kilometre line will link the ferry pier with the new hospital, officials said, with eleven stops along the waterfront and two in the old market.</div>\
             <div class=\"comments\"><p>Amy September 11, 2008 at 2:06 PM</p><p>Useful.</p></div></div>"
                .to_string(),
            Some("2008-09-08"),
            None,
        ),
    ] {
        let article = extract(&page("<title>Tram line opens</title>", &body), None);
        assert_eq!(
            (day(article.published).as_deref(), day(article.updated).as_deref()),
            (published, updated),
            "{body}"
        );
    }
}

#[test]
fn a_threads_posts_in_list_items_keep_their_paragraphs_and_quotes() {
    let post = |who: &str, paragraphs: &[&str], quote: &str| {
        let quote =
            if quote.is_empty() { String::new() } else { format!("<blockquote><p>{quote}</p></blockquote>") };
        let paragraphs: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
        format!(
            "<li class=\"post\"><div class=\"author\"><a href=\"/u/{who}\">{who}</a></div><div class=\"content\">{quote}{paragraphs}</div></li>"
        )
    };
    let first = [
        "The pass closes at the first heavy snow most years, and the crews reopen it only after the slopes above the third bend are cleared.",
        "Does anyone know whether the bus still runs on the lower road when the upper road is shut, and how early it leaves?",
    ];
    let second = [
        "The bus runs twice a day on the lower road all winter; the early one leaves the square at a quarter past six.",
        "Chains are required on the upper road from November, and the police turn back cars without them below the tunnel.",
    ];
    let body = format!(
        "<main><h1>Crossing the pass in winter</h1><ol class=\"posts\">{}{}{}</ol></main>",
        post("ana", &first, ""),
        post(
            "ben",
            &second,
            "Is there any bus at all over the pass in January, or only taxis from the station?"
        ),
        post(
            "ana",
            &[
                "Thank you, that settles it: we will leave the car in the village and take the early bus over the lower road."
            ],
            ""
        ),
    );
    let article = extract(
        &page("<title>Crossing the pass in winter</title>", &body),
        Some("https://forum.example.com/t/crossing-the-pass/42"),
    );
    // Each paragraph of each post is a paragraph of its own, and a reply's quote is a quote.
    for text in first.iter().chain(&second) {
        assert!(
            article
                .body
                .iter()
                .any(|b| matches!(b, Block::Paragraph { content } if inline_text(content) == *text)),
            "{text:?} is not a paragraph of its own: {:?}",
            article.body
        );
    }
    assert!(article.body.iter().any(|b| matches!(b, Block::Quote { .. })), "{:?}", article.body);
    assert!(!article.body.iter().any(|b| matches!(b, Block::List { .. })), "{:?}", article.body);
}

/// The head of a page whose JSON-LD object of type `kind` has the headline and `dates`.
fn story_ld(kind: &str, dates: &str) -> String {
    format!(
        "<title>Tram line opens</title><script type=\"application/ld+json\">{{\"@type\":\"{kind}\",\
         \"headline\":\"Tram line opens\",{dates}}}</script>"
    )
}

/// A story whose header shows `dateline` under its headline.
fn dated_story(dateline: &str) -> String {
    format!("<article><h1>Tram line opens</h1><p>{dateline}</p>{PROSE}</article>")
}

#[test]
fn a_day_the_header_shows_before_the_metadatas_is_the_publication() {
    let ld = |published: &str| story_ld("NewsArticle", &format!("\"datePublished\":\"{published}\""));
    for (published, dateline, expected) in [
        // Stamped when the story was moved to a new site, years after it ran.
        ("2025-12-01T05:10:15Z", "By Ana Lima · 24 Apr 2000", "2000-04-24"),
        // Stamped in UTC after midnight; the page shows its own evening's day.
        ("2025-12-19T02:41:41Z", "Dec 18, 2025", "2025-12-18"),
        // A later day shown beside it is not a publication the metadata missed.
        ("2025-03-04T09:00:00Z", "June 2, 2025", "2025-03-04"),
        // An earlier day labelled as the last change says nothing of the publication.
        ("2025-03-04T09:00:00Z", "Updated January 5, 2025", "2025-03-04"),
    ] {
        let article = extract(&page(&ld(published), &dated_story(dateline)), None);
        assert_eq!(day(article.published).as_deref(), Some(expected), "{published} / {dateline}");
    }
}

#[test]
fn a_day_the_header_shows_as_the_metadatas_last_change_is_the_publication() {
    let ld = |kind: &str| {
        story_ld(kind, "\"datePublished\":\"2024-04-05T09:00:00Z\",\"dateModified\":\"2025-12-17T10:00:00Z\"")
    };
    for (kind, dateline, expected) in [
        // The page dates itself by its revision, shown without a label: the reader's day.
        ("NewsArticle", "By Ana Lima · December 17, 2025", "2025-12-17"),
        // Shown as an update, in words or by its class: the publication stays the metadata's.
        ("NewsArticle", "Last updated: December 17, 2025", "2024-04-05"),
        ("NewsArticle", "<span class=\"post-date__modified-date\">December 17, 2025</span>", "2024-04-05"),
        // A later day that is not the last change is not the page's (see above).
        ("NewsArticle", "December 18, 2025", "2024-04-05"),
        // A thread's header shows its last reply, not its start.
        ("DiscussionForumPosting", "Latest reply December 17, 2025", "2024-04-05"),
    ] {
        let article = extract(&page(&ld(kind), &dated_story(dateline)), None);
        assert_eq!(day(article.published).as_deref(), Some(expected), "{kind} / {dateline}");
        assert_eq!(day(article.updated).as_deref(), Some("2025-12-17"), "{kind} / {dateline}");
    }
    // WordPress marks one date with both classes: it is the publication.
    let html = page(
        "<title>Tram line opens</title>",
        &dated_story("<time class=\"entry-date published updated\">March 3, 2024</time>"),
    );
    assert_eq!(day(extract(&html, None).published).as_deref(), Some("2024-03-03"));
}

#[test]
fn dates_from_the_page_address_come_after_the_story_header() {
    let body = format!("<article><h1>Tram line opens</h1>{PROSE}</article>");
    for (url, expected) in [
        ("https://example.com/2024/03/17/tram-line-opens/", Some("2024-03-17")),
        ("https://example.com/news/2024-03-17-tram-line-opens", Some("2024-03-17")),
        ("https://example.com/blog/2024/3/7/tram-line-opens", Some("2024-03-07")),
        ("https://example.com/blog/2023/october/03/tram-line-opens/", Some("2023-10-03")),
        ("https://example.com/2023/Sept/3/tram-line-opens/", Some("2023-09-03")),
        // A word between year and day is not always a month.
        ("https://example.com/2023/news/03/tram-line-opens/", None),
        ("https://example.com/2023/mayor/03/tram-line-opens/", None),
        // A month names no day, and a number that looks like a year may be anything.
        ("https://example.com/2024/03/tram-line-opens/", None),
        ("https://example.com/articles/2024-tram-line-opens", None),
        ("https://example.com/2024/02/30/tram-line-opens", None),
    ] {
        let article = extract(&page("<title>Tram line opens</title>", &body), Some(url));
        assert_eq!(day(article.published).as_deref(), expected, "{url}");
    }
    // Any date in the page comes first; a canonical address counts when the page has none.
    let html = page(r#"<meta property="article:published_time" content="2024-05-06T07:08:09+02:00">"#, &body);
    let article = extract(&html, Some("https://example.com/2024/03/17/tram-line-opens/"));
    assert_eq!(day(article.published).as_deref(), Some("2024-05-06"));
    let html = page(r#"<link rel="canonical" href="https://example.com/2023/11/02/tram/">"#, &body);
    assert_eq!(day(extract(&html, None).published).as_deref(), Some("2023-11-02"));
    // When the story's header shows no date, the address's day comes before the dates of other
    // things on the page (a sidebar's stories), and after the header's own.
    let sidebar = "<aside><h2>Latest</h2><ul><li><a href=\"/b\">Ferry fares rise</a> \
        <span>16 February 2026</span></li></ul></aside>";
    let url = Some("https://example.com/blog/2023/october/03/tram-line-opens/");
    let html = page("<title>Tram line opens</title>", &format!("{body}{sidebar}"));
    assert_eq!(day(extract(&html, None).published).as_deref(), Some("2026-02-16"));
    assert_eq!(day(extract(&html, url).published).as_deref(), Some("2023-10-03"));
    let html = page("<title>Tram line opens</title>", &format!("{}{sidebar}", dated_story("March 1, 2024")));
    assert_eq!(day(extract(&html, url).published).as_deref(), Some("2024-03-01"));
}

#[test]
fn dates_from_page_nodes_and_vendor_meta_names() {
    // An SEO plugin's graph: the dates are on the WebPage node, none on an article node.
    let head = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},{"@type":"WebPage","name":"Tram line opens","datePublished":"2024-03-17T19:47:39+00:00","dateModified":"2024-05-03T10:57:58+00:00"}]}</script>
        <meta property="article:modified_time" content="2024-05-03T10:57:58+00:00">"#;
    let article = extract(&page(head, &format!("<article>{PROSE}</article>")), None);
    assert_eq!(day(article.published).as_deref(), Some("2024-03-17"));
    assert_eq!(day(article.updated).as_deref(), Some("2024-05-03"));
    // An article node's own dates come first.
    let head = r#"<script type="application/ld+json">{"@graph":[{"@type":"WebPage","datePublished":"2020-01-01"},{"@type":"NewsArticle","headline":"Tram","datePublished":"2024-03-18"}]}</script>"#;
    assert_eq!(
        day(extract(&page(head, &format!("<article>{PROSE}</article>")), None).published).as_deref(),
        Some("2024-03-18")
    );
    // Dates under a site's or a vendor's prefix.
    for (head, published, updated) in [
        (r#"<meta name="parsely-pub-date" content="2020-02-10T16:48:12Z">"#, Some("2020-02-10"), None),
        (r#"<meta name="w-published-date" content="2025-05-27T06:03:43Z">"#, Some("2025-05-27"), None),
        (
            r#"<meta name="modified-date" content="2024-07-30"><meta name="published-date" content="2021-02-16">"#,
            Some("2021-02-16"),
            Some("2024-07-30"),
        ),
        (r#"<meta name="published" content="July 17, 2025">"#, Some("2025-07-17"), None),
        (r#"<meta name="date" content="March 27, 2025">"#, Some("2025-03-27"), None),
        // A journal's citation date, year first.
        (r#"<meta name="citation_publication_date" content="2023 Jan 7">"#, Some("2023-01-07"), None),
        // "unpublished" is not a publication date's name.
        (r#"<meta name="unpublished" content="2021-02-16">"#, None, None),
        // A two-digit year is no year 1.
        (r#"<meta name="date" content="01/07/16">"#, None, None),
    ] {
        let article = extract(&page(head, &format!("<article>{PROSE}</article>")), None);
        assert_eq!(
            (day(article.published).as_deref(), day(article.updated).as_deref()),
            (published, updated),
            "{head}"
        );
    }
}

#[test]
fn a_utc_publication_time_takes_the_zone_the_page_shows() {
    let head = r#"<meta property="article:published_time" content="2025-12-19T02:41:41+00:00">
        <meta property="article:modified_time" content="2025-12-19T02:41:41+00:00">"#;
    let body = format!(
        r#"<article><p><time datetime="2025-12-18T21:46:01-05:00">December 18, 2025</time></p>{PROSE}</article>"#
    );
    let article = extract(&page(head, &body), None);
    let rfc = |d: Option<chrono::DateTime<chrono::FixedOffset>>| d.map(|d| d.to_rfc3339());
    assert_eq!(rfc(article.published).as_deref(), Some("2025-12-18T21:41:41-05:00"));
    assert_eq!(rfc(article.updated).as_deref(), Some("2025-12-18T21:41:41-05:00"));
    // A time element for another moment (a comment, a related story) says nothing of the zone.
    let body = format!(
        r#"<article><p><time datetime="2025-12-17T21:46:01-05:00">Dec 17</time></p>{PROSE}</article>"#
    );
    assert_eq!(
        rfc(extract(&page(head, &body), None).published).as_deref(),
        Some("2025-12-19T02:41:41+00:00")
    );
}

#[test]
fn data_tables_become_table_blocks_and_layout_tables_stay_text() {
    let body = format!(
        "<article>{PROSE}<table><caption> Fares from\n May </caption>\
         <thead><tr><th>Ticket</th><th>Price</th></tr></thead>\
         <tbody><tr><td>Single</td><td><b>$2.50</b></td></tr><tr><td></td><td> </td></tr>\
         <tr><td>Day <a href='/day'>return</a></td><td>$6</td></tr></tbody></table>\
         <table class='layout'><tr><td><p>The board meets again in June to set the timetable for the works.</p></td></tr></table>\
         {PROSE}</article>"
    );
    let article = extract(&page("", &body), Some(PAGE_URL));
    let tables: Vec<&Table> =
        article.body.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect();
    assert_eq!(tables.len(), 1, "{:?}", article.body);
    let table = tables[0];
    assert_eq!(table.caption.as_deref(), Some("Fares from May"));
    let cells = |row: &[Vec<Inline>]| row.iter().map(|c| inline_text(c)).collect::<Vec<_>>();
    assert_eq!(cells(&table.header), ["Ticket", "Price"]);
    let rows: Vec<Vec<String>> = table.rows.iter().map(|r| cells(r)).collect();
    assert_eq!(rows, [vec!["Single", "$2.50"], vec!["Day return", "$6"]]);
    assert!(matches!(&table.rows[1][0][1], Inline::Link { href, .. } if href.ends_with("/day")));
    // A table used for layout holds prose: it is read as paragraphs.
    assert!(paragraphs(&article).iter().any(|p| p.starts_with("The board meets again")));
}

#[test]
fn a_table_whose_first_row_is_all_header_cells_has_that_row_as_header() {
    let body = format!(
        "<article>{PROSE}<table><tr><th>Year</th><th>Riders</th></tr><tr><td>2024</td><td>1.2m</td></tr></table></article>"
    );
    let article = extract(&page("", &body), None);
    let table = article.body.iter().find_map(|b| if let Block::Table(t) = b { Some(t) } else { None });
    let table = table.expect("a table block");
    assert_eq!((table.header.len(), table.rows.len(), table.caption.is_none()), (2, 1, true));
}

#[test]
fn a_grid_of_plain_cells_is_a_table_whose_heading_row_is_its_header() {
    let grid = "<table><tr><td><h4>Ingredient</h4></td><td><h4>Per person</h4></td><td><h4>For four</h4></td></tr>\
        <tr><td colspan='3'><h5>Vegetables</h5></td></tr>\
        <tr><td>Onions</td><td>1 and a half</td><td>6</td></tr><tr><td>Carrots</td><td>4</td><td>16</td></tr></table>";
    let article = extract(&page("", &format!("<article>{PROSE}{grid}{PROSE}</article>")), None);
    let table = article.body.iter().find_map(|b| if let Block::Table(t) = b { Some(t) } else { None });
    let table = table.unwrap_or_else(|| panic!("a table block in {:?}", article.body));
    let cells = |row: &[Vec<Inline>]| row.iter().map(|c| inline_text(c)).collect::<Vec<_>>();
    assert_eq!(cells(&table.header), ["Ingredient", "Per person", "For four"]);
    let rows: Vec<Vec<String>> = table.rows.iter().map(|r| cells(r)).collect();
    assert_eq!(rows, [vec!["Vegetables"], vec!["Onions", "1 and a half", "6"], vec!["Carrots", "4", "16"]]);
    // Column names in bold, with the whitespace of an indented page around them, head it too.
    let bold = "<table>\n <tr>\n  <td> <b>Year</b> </td>\n  <td> <strong>Riders</strong> </td>\n </tr>\n\
        <tr><td>2023</td><td>1.1m</td></tr><tr><td>2024</td><td>1.2m</td></tr><tr><td>2025</td><td>1.4m</td></tr></table>";
    let article = extract(&page("", &format!("<article>{PROSE}{bold}{PROSE}</article>")), None);
    let table = article.body.iter().find_map(|b| if let Block::Table(t) = b { Some(t) } else { None });
    let table = table.unwrap_or_else(|| panic!("a table block in {:?}", article.body));
    assert_eq!((cells(&table.header), table.rows.len()), (vec!["Year".to_string(), "Riders".to_string()], 3));
    // Cells holding boxes or pictures are a layout's: read as text, not as a table.
    let layout = "<table><tr><td><div>Menu</div></td><td><img src='/logo.png' alt=''></td></tr>\
        <tr><td>Home</td><td>News</td></tr><tr><td>Sport</td><td>Weather</td></tr></table>";
    let article = extract(&page("", &format!("<article>{PROSE}{layout}{PROSE}</article>")), None);
    assert!(!article.body.iter().any(|b| matches!(b, Block::Table(_))), "{:?}", article.body);
    // Nor is a grid of links (a menu laid out in a table) a table of values.
    let menu = "<table><tr><td><a href='/'>Home</a></td><td><a href='/news'>News</a></td></tr>\
        <tr><td><a href='/sport'>Sport</a></td><td><a href='/weather'>Weather</a></td></tr>\
        <tr><td><a href='/travel'>Travel</a></td><td><a href='/food'>Food</a></td></tr></table>";
    let article = extract(&page("", &format!("<article>{PROSE}{menu}{PROSE}</article>")), None);
    assert!(!article.body.iter().any(|b| matches!(b, Block::Table(_))), "{:?}", article.body);
}

#[test]
fn a_page_laid_out_twice_is_read_once() {
    let story = "<h2>The route</h2>\
        <p>The council approved the tram extension on Tuesday, ending a fight over the route that began in 2015 and outlasted two mayors.</p>\
        <p>The six kilometre line will link the ferry pier with the new hospital, with eleven stops along the waterfront and two through the market.</p>\
        <p>Opponents said the money would be better spent on buses, arguing that the existing routes already serve the eastern districts well.</p>";
    let html = page(
        "<title>Tram line opens</title>",
        &format!(
            "<article><h1>Tram line opens</h1><div class=\"wide\">{story}</div><div class=\"narrow\">{story}</div></article>"
        ),
    );
    let text = all_body_text(&extract(&html, None));
    for words in ["ending a fight over the route", "link the ferry pier", "better spent on buses"] {
        assert_eq!(text.matches(words).count(), 1, "{words}");
    }
    // A notice under each of several cards is no copy: each card keeps its own.
    let card = |name: &str| {
        format!(
            "<h2>{name} webcam</h2><p>The {name} camera looks over the valley from the ridge above the old mill and refreshes every minute in daylight.</p>\
             <p>This webcam image is provided courtesy of the valley trust, and may not be shown elsewhere without its leave.</p>"
        )
    };
    let html = page(
        "<title>Valley webcams</title>",
        &format!(
            "<article><h1>Valley webcams</h1>{}{}{}</article>",
            card("North"),
            card("East"),
            card("West")
        ),
    );
    let text = all_body_text(&extract(&html, None));
    assert_eq!(text.matches("provided courtesy of the valley trust").count(), 3);
    // Nor is one paragraph said over and over.
    let filler = "<p>Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore.</p>";
    let html =
        page("<title>Filler</title>", &format!("<article><h1>Filler</h1>{}</article>", filler.repeat(5)));
    assert_eq!(all_body_text(&extract(&html, None)).matches("Lorem ipsum").count(), 5);
}

#[test]
fn the_author_box_is_not_the_story() {
    let head = r#"<meta name="author" content="Maria Okafor">"#;
    let html = page(
        head,
        &format!(
            "<article><h1>Tram line opens</h1>{PROSE}\
             <p>Maria Okafor is a transport reporter at the Harbour Times who has covered the city's trams, ferries and roads since 2019.</p>\
             <p>Li Wei is the city's transport chief, and said the line would carry twenty thousand people a day within five years of opening.</p></article>"
        ),
    );
    let text = all_body_text(&extract(&html, None));
    assert!(!text.contains("is a transport reporter"), "{text}");
    assert!(text.contains("Li Wei is the city's transport chief"), "{text}");
}

#[test]
fn a_box_classed_as_the_writers_leaves_the_body_and_names_the_author() {
    // The class names of writers' boxes: `author_detail_box`, `author-card`, `about-the-author`.
    for class in ["author_detail_box clearfix", "tga-author-card", "about-the-author"] {
        let body = format!(
            "<article><h1>Tram line opens</h1>{PROSE}<div class=\"{class}\"><h3 class=\"author-name\"><a href=\"/writers/maria-okafor\">Maria Okafor</a></h3>\
             <p>Transport reporter at the Harbour Times since 2019, and a keen cyclist on the weekends.</p></div></article>"
        );
        let article = extract(&page("", &body), None);
        let text = all_body_text(&article);
        assert!(!text.contains("keen cyclist"), "{class}: {text}");
        let authors: Vec<&str> = article.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(authors, ["Maria Okafor"], "{class}");
    }
    // A label and a name in two spans side by side are two words, not "byMaria".
    let body = format!(
        "<article><h1>Tram line opens</h1>{PROSE}<div class=\"AuthorBio_module_AuthorBio__28cc\">\
         <span>Written by</span><span>Maria Okafor</span></div></article>"
    );
    let authors: Vec<String> = extract(&page("", &body), None).authors.into_iter().map(|a| a.name).collect();
    assert_eq!(authors, ["Maria Okafor"]);
}

#[test]
fn long_notes_on_the_writers_closing_the_story_are_not_the_story() {
    // Two writers' notes of more than 500 characters each, the second writer's photo between.
    let career = "Before that she spent eight years on the city desk of the Harbour Times, covering the council, the port and the long fight over the tram line, and three years in the paper's Brussels office. Her reporting on the port's contracts won the regional press award in 2021, and her book on the city's ferries came out last spring. She studied economics at Edinburgh, sings in the cathedral choir on Sundays and lives by the harbour with her family and two very loud cats.";
    let head =
        r#"<meta name="author" content="Maria Okafor, Li Wei"><meta property="og:type" content="article">"#;
    let body = format!(
        "<article><h1>Tram line opens</h1>{PROSE}\
         <p>Maria Okafor is the chief transport correspondent of the Harbour Times. {career}</p>\
         <figure><img src=\"/writers/li-wei.jpg\" width=\"120\" height=\"120\" alt=\"Li Wei\"></figure>\
         <p>Li is an economics reporter at the Harbour Times. {career}</p></article>"
    );
    let article = extract(&page(head, &body), None);
    let text = all_body_text(&article);
    assert!(!text.contains("chief transport correspondent"), "{text}");
    assert!(!text.contains("economics reporter"), "{text}");
    assert!(!article.body.iter().any(|b| matches!(b, Block::Image(_))), "{:?}", article.body);
    assert!(text.contains("Opponents said the money would be better spent on buses"), "{text}");
    // The same paragraph inside the story, not closing it, is its text.
    let body = format!(
        "<article><h1>Tram line opens</h1><p>Maria Okafor is the chief transport correspondent of the Harbour Times. {career}</p>{PROSE}</article>"
    );
    assert!(all_body_text(&extract(&page(head, &body), None)).contains("chief transport correspondent"));
    // Nor is a page about the writer, whose only text the biography is.
    let body = format!(
        "<main><h1>About Maria</h1><p>Maria Okafor is the chief transport correspondent of the Harbour Times. {career}</p></main>"
    );
    assert!(all_body_text(&extract(&page(head, &body), None)).contains("chief transport correspondent"));
}

#[test]
fn a_story_does_not_end_on_a_heading() {
    let html = page(
        r#"<meta property="og:type" content="article">"#,
        &format!(
            "<article><h1>Tram line opens</h1>{PROSE}<h3>Ready for more?</h3>\
             <a class=\"btn\" href=\"/subscribe\">Subscribe</a></article>"
        ),
    );
    let article = extract(&html, None);
    assert!(matches!(article.body.last(), Some(Block::Paragraph { .. })), "{:?}", article.body.last());
    assert!(!all_body_text(&article).contains("Ready for more"));
}

#[test]
fn a_products_json_ld_description_sent_as_html_is_read_as_lines() {
    let head = r#"<title>Harbour lamp</title><script type="application/ld+json">{"@type":"Product","name":"Harbour lamp","description":"<p>A brass lamp with a linen shade, made by hand in a small workshop by the harbour, with a cloth cord and a dimmer on the base. The brass darkens slowly with use and can be polished back.</p><ul><li>Height: 48 cm</li><li>Bulb: E27, up to 40 W</li></ul>"}</script>"#;
    let article = extract(&page(head, "<main><h1>Harbour lamp</h1><p>$120</p></main>"), None);
    let text = all_body_text(&article);
    assert!(text.contains("A brass lamp with a linen shade"), "{text}");
    assert!(text.contains("Height: 48 cm"), "{text}");
    assert!(!text.contains("<p>") && !text.contains("<li>"), "{text}");
}

#[test]
fn a_page_whose_only_text_is_its_discussion_is_read_as_a_thread() {
    let page = include_bytes!("fixtures/shapes/link-story-discussion.html");
    let extraction = extract_html(page, &Options::default());
    assert_eq!(extraction.article.page_type, Some(lector_article::PageType::Forum));
    let text: String = extraction.article.body.iter().map(Block::text).collect();
    for comment in ["last service after midnight", "still ends at eleven", "to get across the harbour"] {
        assert!(text.contains(comment), "{comment:?} not in {text:?}");
    }
    assert!(!extraction.warnings.contains(&Warning::NoContent));
}

#[test]
fn a_definition_lists_descriptions_keep_their_blocks() {
    // An API reference: each name's description holds paragraphs and a code example; an
    // FAQ groups each question with its answer in a `<div>`, as HTML allows.
    let body = r#"<main><h1>cache — Memoizing functions</h1>
        <p>The cache module keeps the results of calls to expensive functions, so that a later call with the same arguments returns at once instead of computing the answer again.</p>
        <dl><dt>cache(function)</dt>
        <dd><p>Wraps a function in an unbounded cache of its results, keyed by the arguments of each call.</p>
        <pre>@cache
def fare(zone):
    return lookup(zone)</pre>
        <p>The cache grows without limit; use a bounded cache for long-running programs.</p></dd></dl>
        <dl class="faq"><div><dt>Is the cache shared between threads?</dt><dd>Yes, and it is safe to call from several threads at once.</dd></div>
        <div><dt>Can a cache be cleared?</dt><dd>Call the wrapper's clear method to empty it.</dd></div></dl></main>"#;
    let article = extract(&page("<title>cache</title>", body), None);
    let paragraph = |text: &str| {
        article.body.iter().any(|b| matches!(b, Block::Paragraph { content } if inline_text(content) == text))
    };
    assert!(
        paragraph(
            "Wraps a function in an unbounded cache of its results, keyed by the arguments of each call."
        ),
        "{:#?}",
        article.body
    );
    assert!(paragraph("The cache grows without limit; use a bounded cache for long-running programs."));
    assert!(
        article
            .body
            .iter()
            .any(|b| matches!(b, Block::Preformatted { text } if text.starts_with("@cache\ndef fare"))),
        "{:#?}",
        article.body
    );
    for grouped in ["Is the cache shared between threads?", "Call the wrapper's clear method to empty it."] {
        assert!(paragraph(grouped), "{grouped:?} not in {:#?}", article.body);
    }
}

#[test]
fn a_threads_posts_open_with_their_poster_and_the_thread_is_the_opening_posters() {
    let article = extract(include_bytes!("fixtures/shapes/thread-posts-with-microdata.html"), None);
    let names: Vec<&str> = article.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["harbourwatcher"]);
    let poster_lines: Vec<&Vec<Inline>> = article
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { content } if matches!(content.first(), Some(Inline::Strong(_))) => {
                Some(content)
            }
            _ => None,
        })
        .collect();
    assert_eq!(poster_lines.len(), 3, "{:?}", article.body);
    assert_eq!(
        poster_lines[1],
        &vec![
            Inline::Strong(vec![Inline::Text("quaysider".into())]),
            Inline::Text(" · ".into()),
            Inline::Text("Mar 4, 2026".into())
        ]
    );

    // A post whose date is read in its own text gets a line of its poster only.
    let post = |name: &str, day: &str, text: &str| {
        format!(
            r#"<div itemscope itemtype="https://schema.org/Comment"><div class="card" itemprop="author" itemscope itemtype="https://schema.org/Person"><a href="/members/{name}"><span itemprop="name">{name}</span></a></div><p>Sent from the ferry pier on <time itemprop="datePublished">{day}</time>. {text}</p></div>"#
        )
    };
    let body = format!(
        "<main><h1>Spring ferry timetable</h1>{}{}</main>",
        post(
            "harbourwatcher",
            "Mar 3, 2026",
            "The ferry timetable for the spring has been published, and the early boat to the islands now leaves at ten past six instead of half past."
        ),
        post(
            "quaysider",
            "Mar 4, 2026",
            "The Sunday boats run every forty minutes from April, with the last one back from the islands at nine in the evening, an hour later than last year."
        ),
    );
    let head = r#"<title>Spring ferry timetable</title><script type="application/ld+json">{"@context": "https://schema.org", "@type": "DiscussionForumPosting", "headline": "Spring ferry timetable", "author": {"@type": "Person", "name": "harbourwatcher"}}</script>"#;
    let article = extract(&page(head, &body), None);
    let text: Vec<String> = article.body.iter().map(Block::text).collect();
    let at =
        text.iter().position(|t| t == "quaysider").unwrap_or_else(|| panic!("no poster line in {text:?}"));
    assert!(text[at + 1].starts_with("Sent from the ferry pier on Mar 4, 2026."), "{text:?}");
    assert_eq!(text.iter().filter(|t| t.contains("Mar 4, 2026")).count(), 1, "{text:?}");
}

#[test]
fn a_threads_quote_names_whom_it_quotes_from_the_line_over_it() {
    let page = include_bytes!("fixtures/shapes/thread-quoting-first-post.html");
    let article = extract(page, Some("https://forum.example/topic/1-which-camera/"));
    let quotes: Vec<(String, Option<&str>)> = article
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Quote { paragraphs, attribution } => Some((
                paragraphs.iter().map(|p| inline_text(p)).collect::<Vec<_>>().join(" "),
                attribution.as_deref(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(quotes, [("The compact one fits in a coat pocket.".to_string(), Some("joe"))]);
}

#[test]
fn a_line_break_in_preformatted_text_ends_a_line() {
    let body = r#"<article><h1>Start the day with one script</h1>
        <p>The script opens the apps a working morning needs, in order, and waits before the inbox so that planning comes first.</p>
        <p>Save it in your home folder and run it from a terminal when you sit down at your desk each morning.</p>
        <pre>#!/usr/bin/env python3<br><br>import subprocess<br>import time<br><br>def open_app(name):<br> subprocess.Popen(["open", "-a", name])</pre>
        <p>Change the list of apps to the ones you use, and the delay to the time you want before the inbox opens.</p></article>"#;
    let article = extract(&page("<title>Start the day with one script</title>", body), None);
    let code = article.body.iter().find_map(|b| match b {
        Block::Preformatted { text } => Some(text.as_str()),
        _ => None,
    });
    assert_eq!(
        code,
        Some(
            "#!/usr/bin/env python3\n\nimport subprocess\nimport time\n\ndef open_app(name):\n subprocess.Popen([\"open\", \"-a\", name])"
        ),
        "{:#?}",
        article.body
    );
}

#[test]
fn a_posts_closing_line_from_a_phone_app_is_left_out() {
    let body = r#"<h1>Which watch tracks sleep best?</h1>
        <article class="message"><div class="bbWrapper">I want a watch that tracks sleep and heart rate for under two hundred dollars, and it should work with an Android phone.</div></article>
        <article class="message"><div class="bbWrapper">The Galaxy Watch 4 is on sale at the moment. It tracks heart rate, oxygen and sleep, and it does most anything else you might want it for.<br><br>Sent from my SM-S908U using <a href="https://tapatalk.example/">AC Forums mobile app</a></div></article>
        <article class="message"><div class="bbWrapper">Thanks, I ordered one and will report back after a week of wearing it at night.</div></article>"#;
    let article = extract(
        &page("<title>Which watch tracks sleep best?</title>", body),
        Some("https://forum.example/threads/watch.42/"),
    );
    let text = all_body_text(&article);
    assert!(text.contains("it does most anything else you might want it for."), "{text}");
    assert!(!text.contains("Sent from my"), "{text}");
}

#[test]
fn links_side_by_side_are_apart_when_the_second_starts_a_word() {
    let body = format!(
        r#"<article><h1>Harbour Run</h1>{PROSE}
        <p>Players tag the game <a href="/tags/fps">FPS</a><a href="/tags/shooter">Shooter</a><a href="/tags/co-op">Co-op</a><a href="/tags/2024">2024</a> most often, and its makers sell it through <a href="/b">Br</a><a href="/a">ands</a> of their own.</p></article>"#
    );
    let article = extract(&page("<title>Harbour Run</title>", &body), None);
    let paragraph =
        article.body.iter().map(|b| b.text()).find(|t| t.starts_with("Players tag")).unwrap_or_default();
    assert!(paragraph.contains("the game FPS Shooter Co-op 2024 most often"), "{paragraph}");
    assert!(paragraph.contains("through Brands of their own"), "{paragraph}");
}
