//! Sentence segmentation tuned to news text.
//!
//! A full stop ends a sentence unless it belongs to a title ("Mr.", "Dr.", "No."), an
//! initial ("J. K. Rowling"), a number ("3.4", "v2.1.3") or an abbreviation that only ends
//! a sentence when a sentence plainly starts after it ("in the U.S. The …"). Closing quotes
//! and brackets after the stop stay with the sentence; a line break always ends one.

use std::ops::Range;

/// Abbreviations that never end a sentence: a name or a number follows them.
const NEVER_LAST: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "gen", "sen", "rep", "gov", "lt", "col", "capt",
    "sgt", "rev", "fr", "mt", "ft", "vs", "v", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "approx", "e.g", "i.e", "cf", "fig", "vol", "pp", "para", "art", "ave",
    "rd", "hon", "gen", "adm", "maj", "pres",
];

/// Abbreviations that end a sentence only when a sentence clearly starts after them.
const MAYBE_LAST: &[&str] =
    &["u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "inc", "co", "ltd", "corp", "etc", "jr", "sr", "bros", "plc"];

/// Words that start sentences far more often than they follow an abbreviation.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "After",
    "Before",
    "When",
    "While",
    "However",
    "Meanwhile",
    "According",
    "If",
    "As",
    "For",
    "So",
    "Yet",
    "Now",
    "Then",
    "Last",
    "Officials",
    "Police",
    "Some",
    "Many",
    "Most",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "Still",
    "Since",
    "Despite",
    "Although",
    "Under",
];

const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»', '」', '』'];

/// The byte ranges of the sentences in `text`, without surrounding whitespace.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c == '\n' {
            push_trimmed(text, start..at, &mut sentences);
            start = at + 1;
            i += 1;
            continue;
        }
        if !matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？') {
            i += 1;
            continue;
        }
        // The run of terminators and closing quotes or brackets after them.
        let mut j = i + 1;
        while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '…') {
            j += 1;
        }
        while j < chars.len() && CLOSERS.contains(&chars[j].1) {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(at, _)| at);
        let cjk = matches!(c, '。' | '！' | '？');
        let followed_by_space = j >= chars.len() || chars[j].1.is_whitespace();
        if !(followed_by_space || cjk) {
            i = j.max(i + 1);
            continue;
        }
        let next_word = next_word(text, end);
        if is_boundary(text, at, c, &chars[i..j], next_word) {
            push_trimmed(text, start..end, &mut sentences);
            start = end;
        }
        i = j.max(i + 1);
    }
    push_trimmed(text, start..text.len(), &mut sentences);
    sentences
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let leading = slice.len() - slice.trim_start().len();
    let trailing = slice.len() - slice.trim_end().len();
    if slice.trim().is_empty() {
        return;
    }
    out.push(range.start + leading..range.end - trailing);
}

/// The next word after `from`, skipping spaces and opening quotes or brackets.
fn next_word(text: &str, from: usize) -> Option<&str> {
    let rest = text[from..].trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
    let rest = rest.trim_start_matches(['"', '\'', '“', '‘', '(', '[', '«']);
    let word_end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let word = &rest[..word_end];
    (!word.is_empty()).then_some(word)
}

fn is_boundary(text: &str, at: usize, terminator: char, run: &[(usize, char)], next: Option<&str>) -> bool {
    let Some(next) = next else { return true };
    let first = next.chars().next().unwrap_or(' ');
    // Lower case after the stop: the sentence goes on ("… said Mr. Lee … and then …").
    if first.is_lowercase() {
        return false;
    }
    if terminator != '.' || run.len() > 1 && run[1].1 != '.' && !CLOSERS.contains(&run[1].1) {
        return true;
    }
    if run.iter().filter(|(_, c)| *c == '.').count() >= 2 || terminator == '…' {
        // An ellipsis before a capital ends the sentence.
        return true;
    }
    let word = word_before(text, at);
    let lower = word.to_lowercase();
    if NEVER_LAST.contains(&lower.as_str()) {
        return false;
    }
    // An initial: one capital letter ("J. K. Rowling").
    let mut letters = word.chars();
    if let (Some(only), None) = (letters.next(), letters.next())
        && only.is_uppercase()
    {
        return false;
    }
    if MAYBE_LAST.contains(&lower.as_str()) || is_dotted_abbreviation(word) {
        let bare = next.trim_end_matches(|c: char| !c.is_alphanumeric());
        return SENTENCE_STARTERS.contains(&bare);
    }
    true
}

/// The word that ends at the full stop at `at` (without the stop).
fn word_before(text: &str, at: usize) -> &str {
    let before = &text[..at];
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '\''))
        .map_or(0, |(p, c)| p + c.len_utf8());
    &before[start..]
}

/// "U.S", "a.m", "Ph.D": letters with dots between them.
fn is_dotted_abbreviation(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|part| part.chars().count() <= 2 && part.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::split_sentences;

    fn check(text: &str, expected: &[&str]) {
        let got: Vec<&str> = split_sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, expected, "sentences of {text:?}");
    }

    #[test]
    fn news_sentences() {
        check("The council met. It approved the plan.", &["The council met.", "It approved the plan."]);
        check("Mr. Lee and Dr. Wong met Prof. Chan.", &["Mr. Lee and Dr. Wong met Prof. Chan."]);
        check("She lives at No. 10 Downing St. in London.", &["She lives at No. 10 Downing St. in London."]);
        check("J. K. Rowling wrote it. Fans cheered.", &["J. K. Rowling wrote it.", "Fans cheered."]);
        check("The U.S. economy grew. It was 3.4% up.", &["The U.S. economy grew.", "It was 3.4% up."]);
        check("Trade with the U.S. The talks failed.", &["Trade with the U.S.", "The talks failed."]);
        check(
            "Prices rose 3.4 per cent in v2.1.3 of the plan.",
            &["Prices rose 3.4 per cent in v2.1.3 of the plan."],
        );
        check(
            "\"We waited,\" she said. \"Too long.\" Then she left.",
            &["\"We waited,\" she said.", "\"Too long.\"", "Then she left."],
        );
        check(
            "He paused... and went on. Then... Silence.",
            &["He paused... and went on.", "Then...", "Silence."],
        );
        check("Why now? Because the money ran out!", &["Why now?", "Because the money ran out!"]);
        check("(It was late.) The vote came.", &["(It was late.)", "The vote came."]);
        check("first item\nsecond item without a stop", &["first item", "second item without a stop"]);
        check(
            "Apple Inc. said sales rose. The shares fell.",
            &["Apple Inc. said sales rose.", "The shares fell."],
        );
        check("It opens on Jan. 21 at 9 a.m. local time.", &["It opens on Jan. 21 at 9 a.m. local time."]);
        check(
            "香港议会周二批准了计划。新线路将连接码头。",
            &["香港议会周二批准了计划。", "新线路将连接码头。"],
        );
        check("", &[]);
        check("   ", &[]);
    }
}
