//! Extraction from Markdown: pasted Markdown, `.md` files, and lector's own Markdown output.

mod common;

use common::{paragraphs, videos};
use lector_article::{Article, Block, Inline, inline_text, to_markdown, to_text};
use lector_extract::{Options, extract_html, extract_markdown, extract_text, looks_like_markdown};

fn blocks_of<'a>(article: &'a Article, kind: &str) -> Vec<&'a Block> {
    article
        .body
        .iter()
        .filter(|b| {
            matches!(
                (kind, b),
                ("heading", Block::Heading { .. })
                    | ("list", Block::List { .. })
                    | ("quote", Block::Quote { .. })
                    | ("image", Block::Image(_))
                    | ("table", Block::Table(_))
                    | ("code", Block::Preformatted { .. })
            )
        })
        .collect()
}

#[test]
fn markdown_says_what_each_line_is() {
    let text = include_str!("fixtures/markdown/council.md");
    assert!(looks_like_markdown(text));
    let extraction = extract_text(text);
    assert!(extraction.warnings.is_empty(), "{:?}", extraction.warnings);
    let article = extraction.article;
    assert_eq!(article.headline, "Council approves tram extension");
    assert_eq!(article.summary, ["Councillors vote 27 to 4 for the 6km line", "Work starts next spring"]);
    assert_eq!(article.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Maria Okafor"]);
    assert_eq!(
        paragraphs(&article),
        [
            "The council approved the tram extension on Tuesday, ending a decade-long fight over the route. Read the full decision or the draft.",
            "Work starts in spring. The first trams run in 2029.",
        ]
    );
    let Block::Paragraph { content } = &article.body[0] else { panic!("{:?}", article.body[0]) };
    assert!(content.contains(&Inline::Strong(vec![Inline::Text("tram".into())])), "{content:?}");
    assert!(content.contains(&Inline::Emphasis(vec![Inline::Text("decade-long".into())])), "{content:?}");
    let links: Vec<&str> = content
        .iter()
        .filter_map(|i| match i {
            Inline::Link { href, .. } => Some(href.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(links, ["https://example.org/decision.pdf"], "a javascript: link keeps only its words");

    let headings = blocks_of(&article, "heading");
    assert!(
        matches!(headings.as_slice(), [Block::Heading { level: 2, content }] if inline_text(content) == "What happens next")
    );
    // A nested list's items join the outer list.
    let [Block::List { ordered: true, items }] = blocks_of(&article, "list").as_slice() else {
        panic!("{:?}", article.body)
    };
    let items: Vec<String> = items.iter().map(|i| inline_text(i)).collect();
    assert_eq!(items, ["Six new stops", "A depot at the hospital", "with a workshop"]);
    let [Block::Quote { paragraphs, attribution }] = blocks_of(&article, "quote").as_slice() else {
        panic!("{:?}", article.body)
    };
    assert_eq!(paragraphs.len(), 1);
    assert_eq!(attribution.as_deref(), Some("Daniel Wong"));
    let [Block::Image(image)] = blocks_of(&article, "image").as_slice() else { panic!("{:?}", article.body) };
    assert_eq!(image.url, "https://example.org/tram.jpg");
    assert_eq!(image.alt.as_deref(), Some("A tram on Queen's Road"));
    assert_eq!(image.caption.as_deref(), Some("Commuters board a tram on Tuesday."));
    let [Block::Table(table)] = blocks_of(&article, "table").as_slice() else { panic!("{:?}", article.body) };
    assert_eq!(table.header.iter().map(|c| inline_text(c)).collect::<Vec<_>>(), ["Stop", "Opens"]);
    assert_eq!(table.rows.len(), 2);
    assert!(
        matches!(blocks_of(&article, "code").as_slice(), [Block::Preformatted { text }] if text == "route = pier -> hospital")
    );
    let all = serde_json::to_string(&article).expect("serializes");
    assert!(!all.contains("alert") && !all.contains("script"), "raw HTML is not read: {all}");
}

#[test]
fn lector_markdown_reads_back_as_the_same_article() {
    let page = include_bytes!("fixtures/news-page.html");
    let original = extract_html(page, &Options::default()).article;
    assert!(!original.body.is_empty() && !original.headline.is_empty());
    let markdown = to_markdown(&original);
    let read = extract_text(&markdown).article;
    assert_eq!(read.headline, original.headline);
    assert_eq!(read.topics, original.topics);
    let names = |a: &Article| a.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&read), names(&original));
    assert_eq!(read.summary, original.summary);
    assert_eq!(read.published, original.published);
    assert_eq!(read.lead_image.as_ref().map(|i| &i.url), original.lead_image.as_ref().map(|i| &i.url));
    assert_eq!(to_text(&read), to_text(&original));
    assert!(!videos(&original).is_empty());
    assert_eq!(videos(&read), videos(&original), "video cards: title and length");
}

#[test]
fn front_matter_gives_title_author_and_date() {
    let text = "---\ntitle: \"Night buses return\"\nauthor: Priya Raman\ndate: 2026-03-14\n---\n\nThe night buses are back from Friday, the city said.\n";
    let article = extract_markdown(text).article;
    assert_eq!(article.headline, "Night buses return");
    assert_eq!(article.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Priya Raman"]);
    assert_eq!(article.published.map(|d| d.date_naive().to_string()).as_deref(), Some("2026-03-14"));
    assert_eq!(paragraphs(&article), ["The night buses are back from Friday, the city said."]);
}

#[test]
fn text_copied_from_a_page_is_not_markdown() {
    for text in [
        include_str!("fixtures/text/harbour-times.txt"),
        include_str!("fixtures/text/valley-post.txt"),
        "Prices rose by 5% in May.\n\n#1 best seller: a **bold** claim.\n",
    ] {
        assert!(!looks_like_markdown(text), "{text}");
    }
}

#[test]
fn hostile_markdown_gives_an_article_or_nothing_and_never_hangs() {
    let deep_quotes = format!("# Deep\n\n{}text\n", "> ".repeat(50_000));
    let deep_lists = format!(
        "# Deep\n\n{}",
        (0..5_000).map(|i| format!("{}- item {i}\n", "  ".repeat(i))).collect::<String>()
    );
    let unclosed = "# Title\n\nSome **bold and *emphasis and [a link](https://x.org and `code\n".to_string();
    let emphasis_run = format!("# Stars\n\n{}\n", "*a **b ".repeat(20_000));
    for text in [deep_quotes, deep_lists, unclosed, emphasis_run, "#\n\n##\n".to_string()] {
        let extraction = extract_markdown(&text);
        let json = serde_json::to_string(&extraction.article).expect("serializes");
        assert!(json.len() < 4 * text.len() + 1024, "output grows with the input only");
    }
    let empty = extract_markdown("");
    assert!(empty.article.body.is_empty() && empty.warnings.contains(&lector_extract::Warning::NoContent));
}

#[test]
fn the_only_level_one_heading_is_the_headline_after_a_first_line() {
    let article =
        extract_markdown("*March 2026*\n\n# Bus fares freeze\n\nFares stay the same until May.\n").article;
    assert_eq!(article.headline, "Bus fares freeze");
    assert_eq!(paragraphs(&article), ["March 2026", "Fares stay the same until May."]);
    // Several level-1 headings after the body starts are its sections.
    let article = extract_markdown("Intro line here.\n\n# One\n\nText one.\n\n# Two\n\nText two.\n").article;
    assert_eq!(article.headline, "");
    let headings: Vec<String> = article
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Heading { content, .. } => Some(inline_text(content)),
            _ => None,
        })
        .collect();
    assert_eq!(headings, ["One", "Two"]);
}
