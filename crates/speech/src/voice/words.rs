//! Word timings as written: the engine times the words it spoke ("four hundred million
//! dollars"); a reader sees the words of the page ("$400m"). The two are aligned word by word,
//! and each written word starts when the first spoken word standing for it starts.

use serde::{Deserialize, Serialize};

/// When one written word is spoken. `start`..`end` is its byte range in the utterance's
/// part text (the same coordinates as the utterance's [`Location`](crate::Location)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordTiming {
    pub start_ms: u32,
    pub end_ms: u32,
    pub start: usize,
    pub end: usize,
}

/// Marks that open or close a word without being part of it: quotes, brackets, and the
/// punctuation after a word. Symbols that are read ("$", "%", "°") stay in the word.
const OPENING: &[char] = &['"', '\'', '“', '‘', '«', '(', '[', '{', '¿', '¡'];
const CLOSING: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '}', '.', ',', ';', ':', '!', '?', '…'];

/// Words of `text` as (byte range, comparison key): whitespace-separated runs holding a
/// letter or digit, with the quotes, brackets and punctuation around them left out.
fn tokens(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        if !word.chars().any(char::is_alphanumeric) {
            continue;
        }
        let at = word.as_ptr() as usize - text.as_ptr() as usize;
        let trimmed = word.trim_start_matches(OPENING).trim_end_matches(CLOSING);
        let start = at + (trimmed.as_ptr() as usize - word.as_ptr() as usize);
        let key: String = word.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
        out.push((start, start + trimmed.len(), key));
    }
    out
}

/// Largest written × spoken word table aligned exactly (a 1,000-word sentence); longer
/// utterances are aligned in proportion.
const MAX_ALIGNED_PAIRS: usize = 1_000_000;

/// For each written word, the index of the spoken word where it starts: equal words are
/// matched (longest common subsequence), and a run of written words between two matches
/// shares out the spoken words between them in order.
fn align(written: &[String], spoken: &[String]) -> Vec<usize> {
    let (n, m) = (written.len(), spoken.len());
    if n.saturating_mul(m) > MAX_ALIGNED_PAIRS {
        // A run-on utterance: the words share the spoken words out evenly, without a table.
        return (0..n).map(|k| if m == 0 { 0 } else { k * m / n }).collect();
    }
    // lcs[i][j]: longest common subsequence of written[i..] and spoken[j..].
    let mut lcs = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if written[i] == spoken[j] {
                lcs[i + 1][j + 1].saturating_add(1)
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut matches = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if written[i] == spoken[j] {
            matches.push((i, j));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    matches.push((n, m));
    let mut starts = vec![0; n];
    let (mut from_w, mut from_s) = (0, 0);
    for (to_w, to_s) in matches {
        let (gap_w, gap_s) = (to_w - from_w, to_s - from_s);
        for k in 0..gap_w {
            starts[from_w + k] = from_s + if gap_s == 0 { 0 } else { k * gap_s / gap_w };
        }
        if to_w < n {
            starts[to_w] = to_s;
        }
        (from_w, from_s) = (to_w + 1, to_s + 1);
    }
    starts
}

/// The timing of every written word of an utterance: `written` is its text as on the page
/// (starting at byte `base` of its part), `spoken` what the engine read, `spoken_words` the
/// engine's (byte offset in `spoken`, ms) for the words it timed, and `start_ms`..`end_ms`
/// where the utterance sits in the audio. Empty when the engine timed no words.
pub fn word_timings(
    written: &str,
    base: usize,
    spoken: &str,
    spoken_words: &[(usize, u32)],
    start_ms: u32,
    end_ms: u32,
) -> Vec<WordTiming> {
    if spoken_words.is_empty() {
        return Vec::new();
    }
    let written_tokens = tokens(written);
    let spoken_tokens = tokens(spoken);
    if written_tokens.is_empty() || spoken_tokens.is_empty() {
        return Vec::new();
    }
    // Each spoken word's time: that of the last engine word starting at or before it. Engines
    // report in order; an event that goes back in the text (eSpeak repeats one at the end of
    // some clauses) is dropped.
    let mut engine: Vec<(usize, u32)> = Vec::with_capacity(spoken_words.len());
    for &word in spoken_words {
        if engine.last().is_none_or(|last| word.0 > last.0 && word.1 >= last.1) {
            engine.push(word);
        }
    }
    let spoken_ms: Vec<u32> = spoken_tokens
        .iter()
        .map(|&(at, end, _)| {
            let found = engine.iter().rev().find(|w| w.0 < end.max(at + 1)).map_or(0, |w| w.1);
            start_ms.saturating_add(found).min(end_ms)
        })
        .collect();
    let keys = |tokens: &[(usize, usize, String)]| tokens.iter().map(|t| t.2.clone()).collect::<Vec<_>>();
    let starts = align(&keys(&written_tokens), &keys(&spoken_tokens));
    let mut timings: Vec<WordTiming> = written_tokens
        .iter()
        .zip(&starts)
        .map(|(&(start, end, _), &spoken_index)| WordTiming {
            start_ms: spoken_ms[spoken_index.min(spoken_ms.len() - 1)],
            end_ms,
            start: base + start,
            end: base + end,
        })
        .collect();
    // Times never go backwards, and each word ends where the next begins.
    for i in 1..timings.len() {
        timings[i].start_ms = timings[i].start_ms.max(timings[i - 1].start_ms);
    }
    for i in 0..timings.len().saturating_sub(1) {
        timings[i].end_ms = timings[i + 1].start_ms.max(timings[i].start_ms);
    }
    timings
}

/// The byte offset of each written word of `text`, with where it starts among `count`
/// phoneme words (0.0 to `count`): one to one when eSpeak kept the words apart, else by the
/// share of letters before it (eSpeak joins some short words, "at a" into one).
pub(crate) fn word_positions(text: &str, count: usize) -> Vec<(usize, f64)> {
    let words: Vec<(usize, usize)> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| {
            (w.as_ptr() as usize - text.as_ptr() as usize, w.chars().filter(|c| c.is_alphanumeric()).count())
        })
        .collect();
    if count == 0 {
        return Vec::new();
    }
    if words.len() == count {
        return words.into_iter().enumerate().map(|(i, (offset, _))| (offset, i as f64)).collect();
    }
    let total = words.iter().map(|w| w.1).sum::<usize>().max(1) as f64;
    let mut seen = 0usize;
    words
        .into_iter()
        .map(|(offset, letters)| {
            let position = seen as f64 / total * count as f64;
            seen += letters;
            (offset, position)
        })
        .collect()
}

/// Each symbol of an IPA string with the index of the phoneme word it belongs to: words are
/// separated by spaces, and a space or a punctuation mark belongs to the word before it.
pub(crate) fn phoneme_words(phonemes: &str) -> Vec<(char, usize)> {
    let mut out = Vec::with_capacity(phonemes.len());
    let (mut word, mut started, mut after_space) = (0, false, false);
    for symbol in phonemes.chars() {
        if symbol == ' ' {
            after_space = started;
        } else if !matches!(
            symbol,
            ';' | ':' | ',' | '.' | '!' | '?' | '—' | '…' | '"' | '(' | ')' | '“' | '”'
        ) {
            if after_space {
                word += 1;
                after_space = false;
            }
            started = true;
        }
        out.push((symbol, word));
    }
    out
}

/// Appends to `starts` the sample at which each phoneme word not yet there starts: `ids`
/// gives the word of each model input, `lengths` how many samples each lasts, and `at` is the
/// sample where the first of them begins.
pub(crate) fn push_word_starts(
    starts: &mut Vec<usize>,
    ids: &[(i64, usize)],
    lengths: impl IntoIterator<Item = f64>,
    mut at: f64,
) {
    for (&(_, word), length) in ids.iter().zip(lengths) {
        while starts.len() <= word {
            starts.push(at as usize);
        }
        at += length;
    }
}

/// The time of each written word of `text` (its byte offset, ms), from the sample at which
/// each phoneme word starts (`word_samples`, with the end of the audio last), for audio that
/// will be sped up `stretch` times afterwards. A written word that shares a phoneme word
/// starts part of the way into it.
pub(crate) fn spoken_word_times(
    text: &str,
    word_samples: &[usize],
    rate: u32,
    stretch: f32,
) -> Vec<(usize, u32)> {
    if word_samples.len() < 2 {
        return Vec::new();
    }
    let to_ms = |sample: f64| (sample * 1000.0 / f64::from(rate.max(1)) / f64::from(stretch)) as u32;
    word_positions(text, word_samples.len() - 1)
        .into_iter()
        .map(|(offset, position)| {
            let slot = (position.floor() as usize).min(word_samples.len() - 2);
            let (from, to) = (word_samples[slot] as f64, word_samples[slot + 1] as f64);
            (offset, to_ms(from + (position - slot as f64) * (to - from)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.2).collect()
    }

    #[test]
    fn tokens_leave_punctuation_out() {
        let text = "“Yes,” she said — $400m (20%).";
        let ranges: Vec<&str> = tokens(text).iter().map(|t| &text[t.0..t.1]).collect();
        assert_eq!(ranges, ["Yes", "she", "said", "$400m", "20%"]);
        assert_eq!(keys("U.S. Navy"), ["us", "navy"]);
    }

    #[test]
    fn equal_words_match_and_rewritten_runs_share_the_gap() {
        let written = keys("It cost $400m on Tuesday");
        let spoken = keys("It cost four hundred million dollars on Tuesday");
        assert_eq!(align(&written, &spoken), [0, 1, 2, 6, 7]);
        // Two written words for one spoken: both start with it.
        assert_eq!(align(&keys("a 3-1 win"), &keys("a three one win")), [0, 1, 3]);
        assert_eq!(align(&keys("Dr Wong"), &keys("Doctor Wong")), [0, 1]);
        assert_eq!(align(&keys("x y"), &keys("")), [0, 0]);
        let long: Vec<String> = (0..2000).map(|i| i.to_string()).collect();
        let starts = align(&long, &long[..1000]);
        assert_eq!((starts[0], starts[1], starts[1999]), (0, 0, 999));
    }

    #[test]
    fn written_words_get_the_times_of_their_spoken_words() {
        let written = "It cost $400m.";
        let spoken = "It cost four hundred million dollars.";
        let engine = [(0, 0), (3, 200), (8, 500), (13, 800), (21, 1100), (29, 1400)];
        let words = word_timings(written, 100, spoken, &engine, 1000, 3000);
        let got: Vec<(u32, u32, usize, usize)> =
            words.iter().map(|w| (w.start_ms, w.end_ms, w.start, w.end)).collect();
        assert_eq!(got, [(1000, 1200, 100, 102), (1200, 1500, 103, 107), (1500, 3000, 108, 113)]);
        assert_eq!(&written[8..13], "$400m");
        assert!(word_timings(written, 0, spoken, &[], 0, 10).is_empty());
        // An event that goes back to the start of the text is not the first word again.
        let stray = [(0, 0), (3, 200), (0, 900)];
        let words = word_timings("It cost", 0, "It cost", &stray, 0, 1000);
        assert_eq!(words.iter().map(|w| w.start_ms).collect::<Vec<_>>(), [0, 200]);
    }

    #[test]
    fn words_map_one_to_one_or_by_length() {
        let text = "The cost, at a price.";
        let offsets = |positions: &[(usize, f64)]| positions.iter().map(|p| p.0).collect::<Vec<_>>();
        let same = word_positions(text, 5);
        assert_eq!(offsets(&same), vec![0, 4, 10, 13, 15]);
        assert_eq!(same.iter().map(|p| p.1).collect::<Vec<_>>(), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        // eSpeak joined "at a": four phoneme words for five written ones.
        let joined = word_positions(text, 4);
        assert_eq!(offsets(&joined), vec![0, 4, 10, 13, 15]);
        assert!(joined.windows(2).all(|w| w[0].1 < w[1].1 && w[1].1 < 4.0), "{joined:?}");
        assert!(word_positions("", 3).is_empty() && word_positions("words", 0).is_empty());
    }

    #[test]
    fn ipa_symbols_belong_to_their_words() {
        let words: Vec<usize> = phoneme_words("ðə kˈæt, sˈæt.").into_iter().map(|(_, w)| w).collect();
        assert_eq!(words, [0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
        let mut starts = Vec::new();
        push_word_starts(&mut starts, &[(1, 0), (2, 0), (3, 1), (4, 2)], [10.0, 20.0, 5.0, 5.0], 100.0);
        assert_eq!(starts, [100, 130, 135]);
    }

    #[test]
    fn phoneme_word_starts_become_written_word_times() {
        // Three phoneme words at 0, 2400 and 4800 samples of 24 kHz, ending at 7200.
        let times = spoken_word_times("one two three", &[0, 2400, 4800, 7200], 24_000, 1.0);
        assert_eq!(times, [(0, 0), (4, 100), (8, 200)]);
        // Sped up twice afterwards: every time halves.
        let fast = spoken_word_times("one two three", &[0, 2400, 4800, 7200], 24_000, 2.0);
        assert_eq!(fast, [(0, 0), (4, 50), (8, 100)]);
        assert!(spoken_word_times("one", &[0], 24_000, 1.0).is_empty());
    }
}
