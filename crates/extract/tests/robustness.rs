//! Hostile and degenerate input: extraction returns an article and warnings, never a panic,
//! a stack overflow or a hang.

use lector_extract::{MAX_NESTING, Options, Warning, extract_html, extract_text};

fn extract(bytes: &[u8]) -> lector_extract::Extraction {
    extract_html(bytes, &Options::default())
}

const PARAGRAPH: &str = "<p>The council approved the long-delayed tram extension on Tuesday, ending a fight over the route that began in 2015.</p>";

#[test]
fn empty_input() {
    for bytes in [&b""[..], b"   ", b"<html></html>", b"<!DOCTYPE html>"] {
        let extraction = extract(bytes);
        assert!(extraction.article.body.is_empty());
        assert!(extraction.warnings.contains(&Warning::NoContent), "{bytes:?}");
    }
}

#[test]
fn a_page_whose_content_a_script_draws_has_no_article_but_its_links() {
    // Only a skip link and the header's links are in the HTML: no article, not a menu.
    let shell = br##"<html><head><title>Fitness trackers</title></head><body>
        <a class="skip" href="#main">Skip navigation links</a>
        <div class="top"><a href="/gifts">Gift cards</a> <a href="/orders">Order status</a> <a href="/cart">Cart</a></div>
        <div id="main"><div id="app"></div></div><script src="/app.js"></script></body></html>"##;
    let extraction = extract(shell);
    assert!(extraction.article.body.is_empty(), "{:?}", extraction.article.body);
    assert!(extraction.warnings.contains(&Warning::NoContent));
    // A short text with a link in it is still read.
    let note = br#"<html><body><p>The pool is closed until <a href="/dates">Monday</a> for repairs.</p></body></html>"#;
    assert_eq!(extract(note).article.body.len(), 1);
}

#[test]
fn binary_bytes() {
    // A deterministic byte soup with NULs, control bytes and invalid UTF-8.
    let mut state = 0x2545_f491_u32;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let extraction = extract(&bytes);
    assert!(extraction.warnings.contains(&Warning::Binary));
    let text = extract_text(&String::from_utf8_lossy(&bytes));
    assert!(text.warnings.contains(&Warning::Binary));
}

#[test]
fn a_twenty_megabyte_page() {
    let mut page =
        String::from("<html><head><title>Big</title></head><body><article><h1>A very long page</h1>");
    // Paragraphs that differ: the same one said again and again would read as a copy.
    let mut n = 0;
    while page.len() < 20 * 1024 * 1024 {
        n += 1;
        page.push_str(&format!(
            "<p>Part {n}: the council approved the tram extension, ending a fight over the route.</p>"
        ));
    }
    page.push_str("</article></body></html>");
    let extraction = extract(page.as_bytes());
    assert!(extraction.article.body.len() > 100_000);
    assert_eq!(extraction.article.headline, "A very long page");
}

#[test]
fn a_hundred_thousand_nested_elements() {
    for tag in ["div", "span", "b", "blockquote", "section", "table", "ul", "a"] {
        let page = format!(
            "<html><body>{}{PARAGRAPH}{}</body></html>",
            format!("<{tag}>").repeat(100_000),
            format!("</{tag}>").repeat(100_000)
        );
        let extraction = extract(page.as_bytes());
        let text = lector_article::to_text(&extraction.article);
        assert!(text.contains("long-delayed tram extension"), "{tag}: content lost");
    }
    // Block elements beyond the limit are flattened, with a warning.
    let page = format!("<body>{}{PARAGRAPH}", "<div>".repeat(MAX_NESTING * 4));
    assert!(extract(page.as_bytes()).warnings.contains(&Warning::NestingFlattened));
}

#[test]
fn a_thread_of_nested_posts_naming_posters_they_never_show() {
    // Each reply nested in the one before, each naming a poster that no element of it shows
    // (in an attribute, or in microdata's `<meta>`), as deep as nesting goes and thousands wide.
    let by_attribute =
        |n: usize| format!(r#"<div class="post" data-author="poster{n}"><div>{PARAGRAPH}</div>"#);
    let by_microdata = |n: usize| {
        format!(
            r#"<div class="post" itemscope itemtype="https://schema.org/Comment"><span itemprop="author" itemscope itemtype="https://schema.org/Person"><meta itemprop="name" content="poster{n}"></span>{PARAGRAPH}"#
        )
    };
    let head = r#"<head><script type="application/ld+json">{"@type": "DiscussionForumPosting", "headline": "Trams"}</script></head>"#;
    for post in [&by_attribute as &dyn Fn(usize) -> String, &by_microdata] {
        let nested: String =
            (0..MAX_NESTING / 2).map(post).collect::<String>() + &"</div>".repeat(MAX_NESTING / 2);
        let wide: String = (0..5_000).map(|n| post(n) + "</div>").collect();
        for body in [nested, wide] {
            let page = format!("<html>{head}<body><main>{body}</main></body></html>");
            let extraction = extract(page.as_bytes());
            let text = lector_article::to_text(&extraction.article);
            assert!(text.contains("long-delayed tram extension"), "content lost");
            assert!(!text.contains("poster1"), "a poster no element shows was named");
        }
    }
}

#[test]
fn unclosed_and_malformed_tags() {
    let mut page = String::from("<html><body><article>");
    for i in 0..20_000 {
        page.push_str(&format!("<div class='x{i}'><p>Paragraph {i} about the tram, which, as the council said, is late.<b><i><a href='/a{i}'>link"));
    }
    page.push_str("<p <<>> </ div> <!-- unclosed comment <script>alert(1)");
    let extraction = extract(page.as_bytes());
    assert!(!extraction.article.body.is_empty());
    let text = lector_article::to_text(&extraction.article);
    assert!(!text.contains("alert(1)"));
}

#[test]
fn streamed_parts_that_name_each_other_in_circles() {
    // Late parts whose places sit inside themselves or inside another part, a place named
    // twice, and boundaries that never close: the page is read, nothing moves into itself.
    let mut page = String::from("<html><body><main><!--$?--><template id=\"B:0\"></template><p>Loading</p>");
    for i in 1..2_000 {
        page.push_str(&format!(
            "<div hidden id=\"S:{i:x}\">{PARAGRAPH}<section><template id=\"P:{i:x}\"></template>\
             <!--$?--><template id=\"B:{:x}\"></template></section></div>",
            (i + 1) % 2_000
        ));
    }
    page.push_str("</main></body></html>");
    let extraction = extract(page.as_bytes());
    assert!(lector_article::to_text(&extraction.article).contains("tram extension"));
}

#[test]
fn fifty_thousand_links() {
    let mut page = String::from("<html><body><nav>");
    for i in 0..50_000 {
        page.push_str(&format!("<a href='/page/{i}'>Link number {i}</a> "));
    }
    page.push_str("</nav><article><h1>Links everywhere on this page</h1>");
    for _ in 0..5 {
        page.push_str(PARAGRAPH);
    }
    page.push_str("</article></body></html>");
    let extraction = extract(page.as_bytes());
    let text = lector_article::to_text(&extraction.article);
    assert!(text.contains("long-delayed tram extension"));
    assert!(!text.contains("Link number"), "navigation links leaked into the body");
}

#[test]
fn fifty_thousand_siblings_each_with_its_own_class() {
    // A page with little prose is searched for repeated cards: many siblings of many classes
    // must not make that search quadratic.
    let mut page = String::from("<html><body><h1>Short</h1><div class='grid'>");
    for i in 0..50_000 {
        page.push_str(&format!("<div class='c{i}'><h3>Card {i}</h3></div>"));
    }
    for i in 0..8 {
        page.push_str(&format!("<div class='card'><img src='/{i}.jpg'><h3>Same card {i}</h3></div>"));
    }
    page.push_str("</div></body></html>");
    let extraction = extract(page.as_bytes());
    assert!(!extraction.article.body.is_empty(), "{:?}", extraction.warnings);
}

#[test]
fn thousands_of_boxes_shown_on_phones_only() {
    // Each box named for one screen size is compared with the rest of the page (a copy for
    // another screen is set aside): thousands of them, each said once, must all be read, and
    // not make the comparison quadratic.
    let mut page = String::from("<html><body><main><h1>Phones</h1>");
    for i in 0..5_000 {
        page.push_str(&format!(
            "<div class='md:hidden'><p>Paragraph {i} of a page laid out for phones, said only here ({}).</p></div>",
            i * 7
        ));
    }
    page.push_str("</main></body></html>");
    let extraction = extract(page.as_bytes());
    let text = lector_article::to_text(&extraction.article);
    assert!(text.contains("Paragraph 0 of a page") && text.contains("Paragraph 4999 of a page"));
    assert_eq!(text.matches("laid out for phones").count(), 5_000);
}

#[test]
fn deeply_nested_json_ld_and_huge_attributes() {
    let json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let huge = "x".repeat(5_000_000);
    let page = format!(
        "<html><head><script type='application/ld+json'>{json}</script><meta property='og:title' content='{huge}'></head><body class='{huge}'><article>{PARAGRAPH}{PARAGRAPH}</article></body></html>"
    );
    let extraction = extract(page.as_bytes());
    assert_eq!(extraction.article.body.len(), 2);
}

#[test]
fn huge_and_hostile_plain_text() {
    let line = "The council approved the tram extension on Tuesday after a long fight. ";
    let one_long_line = line.repeat(200_000);
    assert!(!extract_text(&one_long_line).article.body.is_empty());
    let many_lines = format!("{line}\n").repeat(200_000);
    assert!(!extract_text(&many_lines).article.body.is_empty());
    let chrome = "Advertisement\n1.5x\n47\n".repeat(100_000);
    assert!(extract_text(&chrome).article.body.is_empty());
    let bullets = "• point\n".repeat(100_000);
    let _ = extract_text(&bullets);
}
