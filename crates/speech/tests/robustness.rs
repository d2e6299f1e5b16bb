//! Hostile text through segmentation, normalization and script building: never a panic.

use lector_article::{Article, Block};
use lector_speech::{Lexicon, ScriptOptions, build_script, normalize, split_sentences};

/// Pieces of news text that trigger every normalization pass, and some that break them.
const TOKENS: &[&str] = &[
    "HK$",
    "US$",
    "$",
    "£",
    "€",
    "¥",
    "1",
    "21",
    "1,500",
    "3.4",
    "0.5",
    "2023",
    "1997",
    "-",
    "–",
    "—",
    "%",
    "°C",
    "°F",
    "km",
    "km/h",
    "m",
    "bn",
    "k",
    "pm",
    "a.m.",
    ":",
    "30",
    "/",
    "½",
    "¾",
    "st",
    "nd",
    "th",
    "'90s",
    "1990s",
    "II",
    "VIII",
    "MIX",
    "I",
    "Charles",
    "World War",
    "Super Bowl",
    "UN",
    "NATO",
    "G7",
    "Dr.",
    "St.",
    "No.",
    "U.S.",
    "e.g.",
    "&",
    "+",
    "@",
    "#",
    "www.example.com",
    "x@y.co",
    "+852",
    "(",
    ")",
    "\"",
    "“",
    "”",
    ".",
    "!",
    "?",
    "…",
    "\n",
    " ",
    " ",
    " ",
    "January",
    "Jan.",
    "the",
    "of",
    "won",
    "a",
    "an",
    "people",
    "9999999999999999999999",
    "0",
    "00",
    ",",
    "ß",
    "中文",
    "\u{E000}",
];

fn random_texts(count: usize) -> Vec<String> {
    let mut state = 0x9e37_79b9_u32;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    (0..count)
        .map(|_| {
            let len = (next() % 24) as usize;
            (0..len).map(|_| TOKENS[(next() as usize) % TOKENS.len()]).collect::<Vec<_>>().join("")
        })
        .collect()
}

#[test]
fn random_news_shaped_text_never_panics() {
    let lexicon = Lexicon::from_toml("[[entry]]\ntext = \"UN\"\nipa = \"juːɛn\"\n").expect("lexicon");
    for text in random_texts(20_000) {
        for range in split_sentences(&text) {
            let _ = normalize(&text[range], "en", &lexicon);
        }
        let _ = normalize(&text, "en", &lexicon);
    }
}

#[test]
fn huge_and_odd_input() {
    let lexicon = Lexicon::default();
    let long_number = "9".repeat(10_000);
    let _ = normalize(&long_number, "en", &lexicon);
    let no_stops = "word ".repeat(200_000);
    assert_eq!(split_sentences(&no_stops).len(), 1);
    let stops = ". ".repeat(100_000);
    let _ = split_sentences(&stops);
    let article = Article {
        headline: "\u{0}\u{1}".into(),
        body: vec![Block::paragraph(
            "1,2,3,4,5,6,7,8,9,0,1,2 and 1.2.3.4.5.6.7.8.9 and $$$ and %%% and ----",
        )],
        ..Article::default()
    };
    let _ = build_script(&article, &ScriptOptions::default());
}
