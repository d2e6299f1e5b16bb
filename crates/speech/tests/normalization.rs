//! Normalization cases from `fixtures/normalization.txt`, through one `check` helper.

use lector_speech::{Lexicon, normalize};

/// All cases run; every mismatch is reported together.
fn check(cases: &str) {
    let lexicon = Lexicon::default();
    let mut failures = Vec::new();
    let mut count = 0;
    for (number, line) in cases.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((input, expected)) = line.split_once(" => ") else {
            panic!("line {}: no ' => ' in {line:?}", number + 1);
        };
        count += 1;
        let spoken = normalize(input, "en", &lexicon).text();
        if spoken != expected {
            failures.push(format!(
                "line {}: {input:?}\n   expected {expected:?}\n        got {spoken:?}",
                number + 1
            ));
        }
    }
    assert!(count > 0, "no cases");
    assert!(failures.is_empty(), "{} of {count} cases failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn news_english_is_read_as_a_newsreader_says_it() {
    check(include_str!("fixtures/normalization.txt"));
}
