//! The JSON Schema in docs/ describes the JSON form the article crate writes.

use chrono::DateTime;
use lector_article::{Article, ArticleJson, Author, Block, Image, Inline, PageType, Table, Topic, Video};
use serde_json::{Value, json};

fn schema() -> jsonschema::Validator {
    let text = include_str!("../../../docs/article.schema.json");
    let schema: Value = serde_json::from_str(text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn errors(instance: &Value) -> Vec<String> {
    schema().iter_errors(instance).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

/// An article using every field and every kind of block.
fn full_article() -> Article {
    let text = |s: &str| Inline::Text(s.to_string());
    Article {
        source_url: Some("https://harbourtimes.example/a".into()),
        canonical_url: Some("https://harbourtimes.example/a".into()),
        language: Some("en".into()),
        site_name: Some("The Harbour Times".into()),
        headline: "Tram extension approved".into(),
        description: Some("A short description.".into()),
        summary: vec!["First bullet".into(), "Second bullet".into()],
        topics: vec![Topic::new("Transport"), Topic::new("Cities")],
        authors: vec![
            Author {
                name: "Maria Okafor".into(),
                url: Some("https://harbourtimes.example/authors/maria".into()),
            },
            Author { name: "Li Wei".into(), url: None },
        ],
        published: DateTime::parse_from_rfc3339("2026-03-10T08:30:00+08:00").ok(),
        updated: DateTime::parse_from_rfc3339("2026-03-10T11:05:00Z").ok(),
        lead_image: Some(Image {
            url: "https://harbourtimes.example/lead.jpg".into(),
            alt: Some("A tram".into()),
            caption: Some("Commuters board a tram.".into()),
            credit: Some("Reuters".into()),
            width: Some(1200),
            height: Some(800),
        }),
        body: vec![
            Block::Paragraph {
                content: vec![
                    text("Plain, "),
                    Inline::Emphasis(vec![text("emphasis")]),
                    Inline::Strong(vec![text("strong")]),
                    Inline::Code("code".into()),
                    Inline::LineBreak,
                    Inline::Link { href: "https://example.org".into(), content: vec![text("a link")] },
                ],
            },
            Block::Heading { level: 2, content: vec![text("A heading")] },
            Block::List { ordered: true, items: vec![vec![text("one")], vec![text("two")]] },
            Block::Quote {
                paragraphs: vec![vec![text("We waited.")]],
                attribution: Some("Daniel Wong".into()),
            },
            Block::Preformatted { text: "a  b\n c".into() },
            Block::Image(Image { url: "https://harbourtimes.example/b.jpg".into(), ..Image::default() }),
            Block::Table(Table {
                caption: Some("Ridership by year".into()),
                header: vec![vec![text("Year")], vec![text("Riders")]],
                rows: vec![vec![vec![text("2024")], vec![Inline::Strong(vec![text("1.2m")])]]],
            }),
            Block::Video(Video {
                title: "Inside the depot".into(),
                duration_seconds: Some(135),
                url: None,
                poster: None,
            }),
        ],
        page_type: Some(PageType::Article),
    }
}

#[test]
fn every_field_and_block_validates() {
    let article = full_article();
    let value =
        serde_json::to_value(ArticleJson::new(&article, 238).with_source("page.html")).expect("serializes");
    assert_eq!(errors(&value), Vec::<String>::new());
}

#[test]
fn json_round_trips_to_the_same_article() {
    let article = full_article();
    let text = serde_json::to_string(&ArticleJson::new(&article, 238)).expect("serializes");
    let back: Article = serde_json::from_str(&text).expect("deserializes");
    assert_eq!(back, article);
}

#[test]
fn the_schema_rejects_what_the_model_cannot_hold() {
    let article = full_article();
    let valid = serde_json::to_value(ArticleJson::new(&article, 238)).expect("serializes");
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut value = valid.clone();
        change(&mut value);
        value
    };
    let cases = [
        broken(&|v| {
            v.as_object_mut().map(|o| o.remove("headline"));
        }),
        broken(&|v| v["body"][0]["type"] = json!("advert")),
        broken(&|v| v["body"][1]["level"] = json!(1)),
        broken(&|v| v["summary"] = json!(["1", "2", "3", "4", "5", "6"])),
        broken(&|v| v["reading_time_minutes"] = json!(0)),
        broken(&|v| v["published"] = json!("yesterday")),
        broken(&|v| v["unknown_field"] = json!(true)),
        broken(&|v| v["body"][5]["caption_text"] = json!("x")),
        broken(&|v| v["body"][0]["content"][0] = json!({"blink": "x"})),
        broken(&|v| v["body"][6]["rows"] = json!([["not inlines"]])),
        broken(&|v| v["body"][6]["footer"] = json!("x")),
        broken(&|v| v["page_type"] = json!("blog")),
    ];
    for (i, case) in cases.iter().enumerate() {
        assert!(!errors(case).is_empty(), "case {i} should be rejected: {case}");
    }
}
