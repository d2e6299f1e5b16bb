//! What a listener heard against what the page says: both sides brought to the words a
//! newsreader says (the narration's own normalization: "$400m" and "400 million dollars" both
//! become "four hundred million dollars"), lower case, without punctuation, and compared word
//! by word. The intelligibility test and benchmark measure voices with it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::{Lexicon, normalize};

/// The words a listener hears for `text`: its spoken form, lower case, hyphens and slashes as
/// spaces, punctuation and a possessive "'s" gone. Spelling variants a transcriber picks at
/// random ("harbor" for "harbour") are brought to one form, and accents dropped as Whisper's
/// own normalizer drops them ("Fernández" and "Fernandez" sound the same).
pub fn heard_words(text: &str) -> Vec<String> {
    let spoken = normalize(text, "en", &Lexicon::default()).text();
    let plain: String = spoken.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    plain
        .to_lowercase()
        .replace(['-', '/'], " ")
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric() || *c == '\'').collect::<String>())
        .map(|w| w.trim_end_matches("'s").trim_matches('\'').to_string())
        .filter(|w| !w.is_empty())
        .map(|w| british_to_american(&w))
        .collect()
}

/// One spelling for words that British and American English spell differently ("harbour",
/// "centre", "kilometres"): the transcriber writes whichever it likes, and a listener hears no
/// difference.
fn british_to_american(word: &str) -> String {
    let (stem, plural) = match word.strip_suffix('s') {
        Some(stem) if stem.ends_with("our") || stem.ends_with("tre") => (stem, "s"),
        _ => (word, ""),
    };
    let keep = ["devour", "detour", "contour", "amour", "entre"];
    if keep.contains(&stem) {
        return word.to_string();
    }
    for (british, american) in [("our", "or"), ("tre", "ter")] {
        if let Some(root) = stem.strip_suffix(british)
            && root.len() >= 3
        {
            return format!("{root}{american}{plural}");
        }
    }
    word.to_string()
}

/// Word-level edit distance between what should be heard and what was: substitutions,
/// deletions and insertions.
pub fn word_errors(reference: &[String], heard: &[String]) -> usize {
    let mut previous: Vec<usize> = (0..=heard.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, h) in heard.iter().enumerate() {
            let substitute = previous[j] + usize::from(r != h);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[heard.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        heard_words(text)
    }

    #[test]
    fn both_sides_reach_the_same_words() {
        assert_eq!(words("It cost $400m."), words("It cost 400 million dollars"));
        assert_eq!(words("Harbour centre"), words("harbor center"));
        assert_eq!(words("The mayor's plan"), words("the mayor plan"));
        assert_eq!(words("a 34-year-old man"), words("A thirty four year old man."));
        assert_eq!(words("four hours, your tour"), ["four", "hours", "your", "tour"]);
        assert_eq!(words("kilometres of colour"), words("kilometers of color"));
        assert_eq!(words("María Fernández"), words("Maria Fernandez"));
    }

    #[test]
    fn errors_count_substitutions_deletions_and_insertions() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(word_errors(&w("a b c"), &w("a b c")), 0);
        assert_eq!(word_errors(&w("a b c"), &w("a x c")), 1);
        assert_eq!(word_errors(&w("a b c"), &w("a c")), 1);
        assert_eq!(word_errors(&w("a b c"), &w("a b c d")), 1);
        assert_eq!(word_errors(&w("a b c"), &[]), 3);
    }
}
