//! Pronunciation lexicons: a word or phrase to a respelling or to IPA phonemes.
//!
//! ```toml
//! [[entry]]
//! text = "Okafor"
//! say = "oh KAH for"
//!
//! [[entry]]
//! text = "Nguyen"
//! ipa = "ŋwiən"
//! case_sensitive = true
//! ```
//!
//! Matches are whole words (or whole phrases), case-insensitive unless the entry says so.
//! A lexicon wins over every built-in rule: its words are set aside before normalization.

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

/// At most this many entries in one lexicon.
pub const MAX_ENTRIES: usize = 10_000;

/// What a lexicon entry says instead of the written word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pronunciation {
    /// Plain words, spoken as written ("oh KAH for").
    Respelling(String),
    /// IPA phonemes, for engines that take them.
    Ipa(String),
}

/// A set of entries; later lexicons added with [`Lexicon::extend`] win over earlier ones.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    text: String,
    pronunciation: Pronunciation,
    pattern: Regex,
}

/// The largest compiled pattern a lexicon entry may make (the regex crate's own limit is
/// 10 MiB); patterns match in linear time whatever they are.
pub const MAX_PATTERN_BYTES: usize = 1 << 20;

/// Why a pattern entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("not a valid pattern: {0}")]
    Invalid(String),
    #[error("the pattern matches empty text")]
    MatchesNothing,
}

/// Lexicon text must contain a letter or a digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("lexicon text must contain a letter or a digit")]
pub struct NoWord;

/// Why a lexicon file was refused.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("not a valid lexicon: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("entry {index} ({text:?}): {reason}")]
    Entry { index: usize, text: String, reason: &'static str },
    #[error("too many entries: {0} (at most {MAX_ENTRIES})")]
    TooLarge(usize),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    entry: Vec<FileEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    text: String,
    say: Option<String>,
    ipa: Option<String>,
    #[serde(default)]
    case_sensitive: bool,
}

impl Lexicon {
    /// Parses a lexicon from TOML text.
    pub fn from_toml(text: &str) -> Result<Lexicon, LexiconError> {
        let file: File = toml::from_str(text)?;
        if file.entry.len() > MAX_ENTRIES {
            return Err(LexiconError::TooLarge(file.entry.len()));
        }
        let mut lexicon = Lexicon::default();
        for (index, entry) in file.entry.into_iter().enumerate() {
            let fail = |reason| LexiconError::Entry { index, text: entry.text.clone(), reason };
            let pronunciation = match (entry.say, entry.ipa) {
                (Some(say), None) if !say.trim().is_empty() => {
                    Pronunciation::Respelling(say.trim().to_string())
                }
                (None, Some(ipa)) if !ipa.trim().is_empty() => Pronunciation::Ipa(ipa.trim().to_string()),
                (Some(_), Some(_)) => return Err(fail("give either say or ipa, not both")),
                _ => return Err(fail("needs a non-empty say or ipa")),
            };
            lexicon
                .add(&entry.text, pronunciation, entry.case_sensitive)
                .map_err(|_| fail("text must have a letter or digit"))?;
        }
        Ok(lexicon)
    }

    /// Adds one entry; text without any letter or digit is refused.
    pub fn add(
        &mut self,
        text: &str,
        pronunciation: Pronunciation,
        case_sensitive: bool,
    ) -> Result<(), NoWord> {
        let text = text.trim();
        if !text.chars().any(char::is_alphanumeric) {
            return Err(NoWord);
        }
        // Whole words: a boundary wherever the phrase starts or ends with a word character.
        let start = if text.starts_with(|c: char| c.is_alphanumeric() || c == '_') { r"\b" } else { "" };
        let end = if text.ends_with(|c: char| c.is_alphanumeric() || c == '_') { r"\b" } else { "" };
        let pattern = RegexBuilder::new(&format!("{start}{}{end}", regex::escape(text)))
            .case_insensitive(!case_sensitive)
            .build()
            .map_err(|_| NoWord)?;
        self.entries.retain(|e| e.text != text);
        self.entries.push(Entry { text: text.to_string(), pronunciation, pattern });
        self.sort();
        Ok(())
    }

    /// Adds an entry whose written form is a regular expression (`Ke?nyatta`, `\bDr\.?\s+No\b`):
    /// every match is said as `pronunciation`. A pattern that matches empty text is refused.
    pub fn add_pattern(
        &mut self,
        pattern: &str,
        pronunciation: Pronunciation,
        case_sensitive: bool,
    ) -> Result<(), PatternError> {
        let pattern = pattern.trim();
        let regex = RegexBuilder::new(pattern)
            .case_insensitive(!case_sensitive)
            .size_limit(MAX_PATTERN_BYTES)
            .build()
            .map_err(|e| PatternError::Invalid(e.to_string()))?;
        if regex.is_match("") {
            return Err(PatternError::MatchesNothing);
        }
        self.entries.retain(|e| e.text != pattern);
        self.entries.push(Entry { text: pattern.to_string(), pronunciation, pattern: regex });
        self.sort();
        Ok(())
    }

    /// Adds every entry of `other`; on the same text, `other` wins.
    pub fn extend(&mut self, other: &Lexicon) {
        for entry in &other.entries {
            self.entries.retain(|e| e.text != entry.text);
            self.entries.push(entry.clone());
        }
        self.sort();
    }

    /// Longer phrases first, so that "Hong Kong Island" wins over "Hong Kong".
    fn sort(&mut self) {
        self.entries.sort_by_key(|e| std::cmp::Reverse(e.text.len()));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Replaces matches with placeholders, recording what each stands for.
    pub(crate) fn protect(&self, text: &str, protected: &mut Vec<Pronunciation>) -> String {
        let mut text = text.to_string();
        for entry in &self.entries {
            if !entry.pattern.is_match(&text) {
                continue;
            }
            text = entry
                .pattern
                .replace_all(&text, |_: &regex::Captures| {
                    protected.push(entry.pronunciation.clone());
                    placeholder(protected.len() - 1)
                })
                .into_owned();
        }
        text
    }
}

/// Marks a lexicon replacement: private-use characters no pass matches (`normalize` restores
/// them).
pub(crate) fn placeholder(index: usize) -> String {
    let code = char::from_u32(0xE100 + index as u32).unwrap_or('\u{E100}');
    format!("\u{E000}{code}\u{E001}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_and_refuses_bad_ones() {
        let lexicon = Lexicon::from_toml(
            "[[entry]]\ntext = \"Okafor\"\nsay = \"oh KAH for\"\n\n[[entry]]\ntext = \"Nguyen\"\nipa = \"ŋwiən\"\ncase_sensitive = true\n",
        )
        .expect("valid");
        assert_eq!(lexicon.len(), 2);
        for bad in [
            "[[entry]]\ntext = \"x\"\n",
            "[[entry]]\ntext = \"x\"\nsay = \"a\"\nipa = \"b\"\n",
            "[[entry]]\ntext = \"--\"\nsay = \"a\"\n",
            "[[entry]]\ntext = \"x\"\nsay = \"a\"\nspeed = 2\n",
            "not toml at all [",
        ] {
            assert!(Lexicon::from_toml(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn patterns_match_every_spelling_and_refuse_empty_or_broken_ones() {
        let mut lexicon = Lexicon::default();
        lexicon
            .add_pattern(r"Ke?nyatta", Pronunciation::Respelling("ken YAH tah".into()), false)
            .expect("valid");
        let mut protected = Vec::new();
        let text = lexicon.protect("Kenyatta met Knyatta and KENYATTA.", &mut protected);
        assert_eq!(protected.len(), 3, "{text}");
        assert!(!text.contains("yatta"));
        assert!(matches!(
            lexicon.add_pattern("a*", Pronunciation::Respelling("x".into()), false),
            Err(PatternError::MatchesNothing)
        ));
        assert!(matches!(
            lexicon.add_pattern("(unclosed", Pronunciation::Respelling("x".into()), false),
            Err(PatternError::Invalid(_))
        ));
    }
}
