//! The narration script of whole articles: order, kinds, locations, pauses, what is never read.

use lector_article::{Article, Author, Block, Image, Inline, Table, Video};
use lector_speech::{Kind, Lexicon, Part, ScriptOptions, build_script};

fn article() -> Article {
    let text = |s: &str| Inline::Text(s.to_string());
    Article {
        headline: "Harbour City approves HK$1.2 billion tram extension".into(),
        authors: vec![
            Author { name: "Maria Okafor".into(), url: None },
            Author { name: "Li Wei".into(), url: None },
        ],
        summary: vec!["Councillors vote 27 to 4 for the 6km line".into(), "Trams run from 2029".into()],
        body: vec![
            Block::paragraph(
                "The council met on Tuesday. Mr. Wong said the line (https://example.com/plan) would open in 2029.",
            ),
            Block::Image(Image {
                url: "a.jpg".into(),
                caption: Some("A tram at dusk.".into()),
                credit: Some("Reuters".into()),
                ..Image::default()
            }),
            Block::Heading { level: 2, content: vec![text("A decade of delays")] },
            Block::Video(Video {
                title: "Inside the depot".into(),
                duration_seconds: Some(135),
                ..Video::default()
            }),
            Block::List {
                ordered: false,
                items: vec![vec![text("moving power lines")], vec![text("laying track")]],
            },
            Block::Quote {
                paragraphs: vec![vec![text("We waited long enough.")]],
                attribution: Some("Daniel Wong".into()),
            },
            Block::Preformatted { text: "fn main() {}".into() },
        ],
        ..Article::default()
    }
}

#[test]
fn reading_order_kinds_and_locations() {
    let article = article();
    let script = build_script(&article, &ScriptOptions::default());
    let summary: Vec<(Kind, Part, &str)> =
        script.utterances.iter().map(|u| (u.kind, u.location.part, u.text.as_str())).collect();
    assert_eq!(
        summary,
        [
            (Kind::Headline, Part::Headline, "Harbour City approves HK$1.2 billion tram extension"),
            (Kind::Byline, Part::Byline, "By Maria Okafor and Li Wei"),
            (Kind::Bullet, Part::Summary(0), "Councillors vote 27 to 4 for the 6km line"),
            (Kind::Bullet, Part::Summary(1), "Trams run from 2029"),
            (Kind::Sentence, Part::Body(0), "The council met on Tuesday."),
            (
                Kind::Sentence,
                Part::Body(0),
                "Mr. Wong said the line (https://example.com/plan) would open in 2029."
            ),
            (Kind::Heading, Part::Body(2), "A decade of delays"),
            (Kind::Sentence, Part::Body(4), "moving power lines"),
            (Kind::Sentence, Part::Body(4), "laying track"),
            (Kind::Sentence, Part::Body(5), "We waited long enough."),
        ]
    );
    // Each location's range points at the utterance's text inside its part.
    for utterance in &script.utterances {
        let source = match utterance.location.part {
            Part::Headline => article.headline.clone(),
            Part::Byline => "By Maria Okafor and Li Wei".to_string(),
            Part::Summary(i) => article.summary[i].clone(),
            Part::Body(i) => article.body[i].text(),
        };
        assert_eq!(&source[utterance.location.range.clone()], utterance.text);
    }
}

#[test]
fn spoken_forms_and_pauses() {
    let script = build_script(&article(), &ScriptOptions::default());
    let spoken: Vec<String> = script.utterances.iter().map(|u| u.spoken.text()).collect();
    assert_eq!(spoken[0], "Harbour City approves one point two billion Hong Kong dollars tram extension");
    assert_eq!(spoken[2], "Councillors vote twenty-seven to four for the six kilometre line");
    assert_eq!(spoken[5], "Mister Wong said the line would open in twenty twenty-nine.");
    let pauses: Vec<u32> = script.utterances.iter().map(|u| u.pause_ms).collect();
    // Longer after the headline and at the end of a paragraph than between sentences.
    assert!(pauses[0] > pauses[4], "{pauses:?}");
    assert!(pauses[5] > pauses[4], "{pauses:?}");
    assert!(pauses[6] > pauses[4], "{pauses:?}");
}

#[test]
fn captions_only_when_asked_and_never_credits() {
    let options = ScriptOptions { include_captions: true, ..ScriptOptions::default() };
    let script = build_script(&article(), &options);
    let captions: Vec<&str> =
        script.utterances.iter().filter(|u| u.kind == Kind::Caption).map(|u| u.text.as_str()).collect();
    assert_eq!(captions, ["A tram at dusk."]);
    let all: String = script.utterances.iter().map(|u| u.spoken.text()).collect::<Vec<_>>().join(" ");
    for never in ["Reuters", "Inside the depot", "fn main", "https", "example"] {
        assert!(!all.contains(never), "{never:?} would be read: {all}");
    }
}

#[test]
fn a_site_lexicon_wins_over_the_rules() {
    let lexicon = Lexicon::from_toml(
        "[[entry]]\ntext = \"Okafor\"\nsay = \"oh KAH for\"\n\n[[entry]]\ntext = \"HK$1.2 billion\"\nsay = \"one point two billion Hong Kong bucks\"\n\n[[entry]]\ntext = \"Wong\"\nipa = \"wɒŋ\"\n",
    )
    .expect("lexicon");
    let options = ScriptOptions { lexicon, ..ScriptOptions::default() };
    let script = build_script(&article(), &options);
    assert_eq!(
        script.utterances[0].spoken.text(),
        "Harbour City approves one point two billion Hong Kong bucks tram extension"
    );
    assert_eq!(script.utterances[1].spoken.text(), "By Maria oh KAH for and Li Wei");
    assert_eq!(
        script.utterances[5].spoken.text(),
        "Mister /wɒŋ/ said the line would open in twenty twenty-nine."
    );
}

#[test]
fn listening_time_follows_the_words_and_the_rate() {
    let script = build_script(&article(), &ScriptOptions::default());
    let words = script.word_count();
    assert!(words > 40, "{words}");
    let at_150 = script.listening_seconds(150.0);
    let at_300 = script.listening_seconds(300.0);
    let pauses: f64 = script.utterances.iter().map(|u| f64::from(u.pause_ms) / 1000.0).sum();
    assert!((at_150 - pauses - (words as f64 * 60.0 / 150.0)).abs() < 1e-9);
    assert!(at_300 < at_150);
    assert_eq!(script.listening_seconds(0.0), 0.0);
}

#[test]
fn other_languages_pass_through() {
    let article = Article {
        language: Some("fr".into()),
        headline: "Le tramway prolongé en 2029".into(),
        body: vec![Block::paragraph("Le conseil a voté 27 contre 4. Les travaux commencent.")],
        ..Article::default()
    };
    let script = build_script(&article, &ScriptOptions::default());
    let spoken: Vec<String> = script.utterances.iter().map(|u| u.spoken.text()).collect();
    assert_eq!(
        spoken,
        ["Le tramway prolongé en 2029", "Le conseil a voté 27 contre 4.", "Les travaux commencent."]
    );
}

fn fares(caption: Option<&str>, language: &str) -> Article {
    let text = |s: &str| vec![Inline::Text(s.into())];
    Article {
        language: Some(language.into()),
        body: vec![
            Block::Table(Table {
                caption: caption.map(str::to_string),
                header: vec![text("Ticket"), text("Price")],
                rows: vec![vec![text("Single"), text("$2.50")], vec![text("Day return"), text("$6")]],
            }),
            Block::paragraph("Fares rise in May."),
        ],
        ..Article::default()
    }
}

/// (what is said, the written text it stands for) of the table's utterances.
fn table_utterances(article: &Article, options: &ScriptOptions) -> Vec<(String, String)> {
    let script = build_script(article, options);
    let table = article.body[0].text();
    script
        .utterances
        .iter()
        .filter(|u| u.kind == Kind::Table)
        .inspect(|u| assert_eq!(&table[u.location.range.clone()], u.text, "the range is the written text"))
        .map(|u| (u.spoken.text(), u.text.clone()))
        .collect()
}

#[test]
fn a_table_is_named_and_said_not_to_be_read_never_read_cell_by_cell() {
    let said = table_utterances(&fares(Some("Fares from May"), "en"), &ScriptOptions::default());
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].0.starts_with("Table: Fares from May. The table is not read aloud"), "{said:?}");
    assert_eq!(said[0].1, "Fares from May");
    let said = table_utterances(&fares(None, "en"), &ScriptOptions::default());
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].0.starts_with("A table follows"), "{said:?}");
    assert_eq!(said[0].1, "", "nothing on the page stands for it");
    // Never an English sentence in another language: the caption alone, or nothing.
    assert_eq!(table_utterances(&fares(Some("Tarifs"), "fr"), &ScriptOptions::default()).len(), 1);
    assert!(table_utterances(&fares(None, "fr"), &ScriptOptions::default()).is_empty());
    let all = build_script(&fares(Some("Fares from May"), "en"), &ScriptOptions::default());
    let spoken: Vec<String> = all.utterances.iter().map(|u| u.spoken.text()).collect();
    assert!(!spoken.iter().any(|s| s.contains("Single") || s.contains("dollars")), "{spoken:?}");
    assert!(spoken.last().is_some_and(|s| s.contains("Fares rise")), "the text after the table is read");
}

#[test]
fn a_site_that_reads_tables_hears_each_row_by_its_headings() {
    let options = ScriptOptions { read_tables: true, ..ScriptOptions::default() };
    let said = table_utterances(&fares(Some("Fares from May"), "en"), &options);
    let spoken: Vec<&str> = said.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(spoken[0], "Table: Fares from May.");
    assert!(spoken[1].starts_with("Ticket: Single; Price: two dollars fifty"), "{spoken:?}");
    assert!(spoken[2].starts_with("Ticket: Day return; Price: six dollars"), "{spoken:?}");
    let written: Vec<&str> = said.iter().map(|s| s.1.as_str()).collect();
    assert_eq!(written, ["Fares from May", "Single\t$2.50", "Day return\t$6"]);
}
