//! Word counts and reading time.

/// Average adult silent reading speed for non-fiction (Brysbaert 2019), the default rate.
pub const DEFAULT_WORDS_PER_MINUTE: u32 = 238;

/// Seconds of looking at the first body image; each next image takes one second less.
const FIRST_IMAGE_SECONDS: u32 = 12;
/// Images beyond the tenth still take this long.
const MIN_IMAGE_SECONDS: u32 = 3;

/// How long an article takes to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingTime {
    /// Whole minutes, rounded to the nearest, never 0.
    pub minutes: u32,
    /// The unrounded estimate in seconds.
    pub seconds: u32,
}

impl ReadingTime {
    /// `words` at `words_per_minute` (0 is treated as the default), plus time for `images`.
    pub fn new(words: usize, images: usize, words_per_minute: u32) -> ReadingTime {
        let rate = if words_per_minute == 0 { DEFAULT_WORDS_PER_MINUTE } else { words_per_minute };
        let word_seconds = (words as u64 * 60).div_ceil(u64::from(rate));
        let image_seconds: u64 = (0..images as u64)
            .map(|i| u64::from(FIRST_IMAGE_SECONDS.saturating_sub(i as u32).max(MIN_IMAGE_SECONDS)))
            .sum();
        let seconds = u32::try_from(word_seconds + image_seconds).unwrap_or(u32::MAX);
        let minutes = ((u64::from(seconds) + 30) / 60).max(1);
        ReadingTime { minutes: u32::try_from(minutes).unwrap_or(u32::MAX), seconds }
    }
}

/// Words as a reader counts them: runs of letters or digits, with inner apostrophes, hyphens
/// and dots ("don't", "well-known", "3.5") kept in one word. Text in scripts written without
/// spaces (Chinese, Japanese, Thai) counts each character as a word, which matches how
/// reading rates are given for them.
pub fn count_words(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_unspaced_script(c) {
            words += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                words += 1;
                in_word = true;
            }
        } else if !(in_word && matches!(c, '\'' | '’' | '-' | '.' | ',')) {
            in_word = false;
        }
    }
    words
}

fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x0E00..=0x0E7F    // Thai
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_words(text: &str, expected: usize) {
        assert_eq!(count_words(text), expected, "words in {text:?}");
    }

    #[test]
    fn word_counts() {
        check_words("", 0);
        check_words("  \n ", 0);
        check_words("Harbour City's council approved it.", 5);
        check_words("A well-known 3.5% rise, 20,000 people", 6);
        check_words("He said - twice - no", 4);
        check_words("香港政府", 4);
        check_words("Hello 世界", 3);
    }

    fn check_minutes(words: usize, images: usize, rate: u32, expected: u32) {
        assert_eq!(
            ReadingTime::new(words, images, rate).minutes,
            expected,
            "{words} words, {images} images at {rate}"
        );
    }

    #[test]
    fn reading_minutes() {
        check_minutes(0, 0, 238, 1);
        check_minutes(10, 0, 238, 1);
        check_minutes(238, 0, 238, 1);
        check_minutes(476, 0, 238, 2);
        check_minutes(714, 0, 238, 3);
        check_minutes(500, 0, 100, 5);
        check_minutes(500, 0, 0, 2);
    }

    #[test]
    fn image_seconds_fall_by_one_down_to_three() {
        assert_eq!(ReadingTime::new(0, 1, 238).seconds, 12);
        assert_eq!(ReadingTime::new(0, 2, 238).seconds, 23);
        assert_eq!(ReadingTime::new(0, 3, 238).seconds, 33);
        // 12+11+10+9+8+7+6+5+4+3 = 75, then 3 each.
        assert_eq!(ReadingTime::new(0, 10, 238).seconds, 75);
        assert_eq!(ReadingTime::new(0, 12, 238).seconds, 81);
        // 238 words (60 s) and twelve images (81 s) round to 2 minutes.
        assert_eq!(ReadingTime::new(238, 12, 238).minutes, 2);
    }
}
