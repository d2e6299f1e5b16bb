//! Sentence segmentation on real news paragraphs from the readability test pages.

use std::path::PathBuf;

use lector_article::Block;
use lector_speech::split_sentences;

/// The shared development set, beside the repository (or under `LECTOR_DATASETS`).
fn pages_dir() -> PathBuf {
    match std::env::var_os("LECTOR_DATASETS") {
        Some(root) => PathBuf::from(root).join("readability-test-pages"),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets/readability-test-pages")
        }
    }
}

/// The body paragraphs of a page of the set, as lector extracts them.
fn paragraphs(page: &str) -> Vec<String> {
    let path = pages_dir().join(page).join("source.html");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("the readability test pages are missing ({}): {e}; set LECTOR_DATASETS", path.display())
    });
    let article = lector_extract::extract_html(&bytes, &lector_extract::Options::default()).article;
    article.body.iter().filter(|b| matches!(b, Block::Paragraph { .. })).map(Block::text).collect()
}

fn sentences(text: &str) -> Vec<&str> {
    split_sentences(text).into_iter().map(|r| &text[r]).collect()
}

fn paragraph_containing<'a>(paragraphs: &'a [String], needle: &str) -> &'a str {
    paragraphs.iter().find(|p| p.contains(needle)).unwrap_or_else(|| panic!("no paragraph with {needle:?}"))
}

#[test]
fn titles_quotes_and_abbreviations_in_real_paragraphs() {
    let nytimes = paragraphs("nytimes-1");
    assert_eq!(
        sentences(paragraph_containing(&nytimes, "In retaliation, Mr. Clinton")),
        [
            "In 1998, Bin Laden’s agents blew up the United States Embassies in Kenya and Tanzania, killing more than 200 people.",
            "In retaliation, Mr. Clinton ordered a cruise missile strike against a pharmaceutical factory in Khartoum.",
        ]
    );
    let quote = paragraph_containing(&nytimes, "said Mr. Reeves, a senior fellow");
    let split = sentences(quote);
    assert_eq!(split.len(), 2, "{split:#?}");
    assert!(split[0].ends_with("Harvard University."), "{split:#?}");
    assert_eq!(split[1], "“These guys are the worst of the worst.”");
    let trump = paragraph_containing(&nytimes, "Donald J. Trump");
    assert_eq!(sentences(trump).len(), 1, "an initial does not end a sentence");

    let wapo = paragraphs("wapo-1");
    assert_eq!(sentences(paragraph_containing(&wapo, "said the U.S. government was willing")).len(), 1);
    let embassy = sentences(paragraph_containing(&wapo, "assaulted the U.S. Embassy"));
    assert!(embassy.iter().all(|s| !s.ends_with("U.S.")), "{embassy:#?}");
}

#[test]
fn every_split_in_news_pages_is_plausible() {
    let never_last = [
        "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "St.", "No.", "Gen.", "Sen.", "Gov.", "Jan.", "Feb.", "Aug.",
        "Sept.", "Oct.", "Nov.", "Dec.",
    ];
    let mut checked = 0;
    for page in [
        "nytimes-1",
        "nytimes-2",
        "wapo-1",
        "wapo-2",
        "bbc-1",
        "guardian-1",
        "ars-1",
        "cnn",
        "telegraph",
        "yahoo-2",
    ] {
        for paragraph in paragraphs(page) {
            let ranges = split_sentences(&paragraph);
            // Together the sentences hold every character of the paragraph but spaces.
            let kept: usize = ranges
                .iter()
                .map(|r| paragraph[r.clone()].chars().filter(|c| !c.is_whitespace()).count())
                .sum();
            assert_eq!(kept, paragraph.chars().filter(|c| !c.is_whitespace()).count(), "{page}: {paragraph}");
            for (n, range) in ranges.iter().enumerate() {
                let sentence = &paragraph[range.clone()];
                checked += 1;
                let last_word = sentence.split_whitespace().last().unwrap_or("");
                // A line break always ends a sentence; other splits must be plausible.
                let at_line_break =
                    ranges.get(n + 1).is_some_and(|next| paragraph[range.end..next.start].contains('\n'));
                if n + 1 < ranges.len() && !at_line_break {
                    assert!(
                        !never_last.contains(&last_word),
                        "{page}: split after {last_word:?} in {paragraph:?}"
                    );
                    let initial = last_word.len() == 2
                        && last_word.ends_with('.')
                        && last_word.starts_with(char::is_uppercase);
                    assert!(!initial, "{page}: split after the initial {last_word:?} in {paragraph:?}");
                    let ends = sentence.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
                    assert!(
                        ends.ends_with(['.', '!', '?', '…', ':']),
                        "{page}: {sentence:?} does not end a sentence"
                    );
                }
                let after_line_break = n > 0 && paragraph[ranges[n - 1].end..range.start].contains('\n');
                if n > 0 && !after_line_break {
                    let first =
                        sentence.trim_start_matches(['"', '“', '‘', '(', '[']).chars().next().unwrap_or(' ');
                    assert!(!first.is_lowercase(), "{page}: sentence starts in lower case: {sentence:?}");
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} sentences checked");
}
