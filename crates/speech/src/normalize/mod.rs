//! Normalization: written news English to the words a newsreader says.
//!
//! A sequence of rewriting passes over one sentence, each for one kind of written form,
//! ordered so that specific forms (money, dates, times) are read before plain numbers.
//! Other languages pass through unchanged except for the lexicon.

mod numbers;
mod roman;
mod words;

use std::sync::LazyLock;

use regex::{Captures, Regex};

pub use numbers::{cardinal, decade, ordinal, year};

use crate::lexicon::{Lexicon, Pronunciation};
use numbers::{decimal, digits, plural_of_words};
use roman::parse_roman;
use words::{ABBREVIATIONS, CURRENCIES, SAID_AS_WORDS, SPELLED_OUT, UNITS, month, month_name, scale};

/// One piece of what is said: words, or phonemes (IPA) from a lexicon.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Piece {
    Text(String),
    Phonemes(String),
}

/// The spoken form of a sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Spoken {
    pub pieces: Vec<Piece>,
}

impl Spoken {
    /// Words only; phonemes are shown between slashes.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Phonemes(ipa) => {
                    out.push('/');
                    out.push_str(ipa);
                    out.push('/');
                }
            }
        }
        out
    }

    /// Words in the spoken form (phoneme pieces count as one word each).
    pub fn word_count(&self) -> usize {
        self.pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => {
                    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
                }
                Piece::Phonemes(_) => 1,
            })
            .sum()
    }
}

impl std::fmt::Display for Spoken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// Normalizes one sentence. `language` is a BCP 47 tag; only English is rewritten.
pub fn normalize(text: &str, language: &str, lexicon: &Lexicon) -> Spoken {
    let mut protected = Vec::new();
    let text = lexicon.protect(text, &mut protected);
    let english = language.is_empty() || language.to_ascii_lowercase().starts_with("en");
    let text = if english { normalize_english(&text) } else { text };
    restore(&text, &protected)
}

fn restore(text: &str, protected: &[Pronunciation]) -> Spoken {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{E000}' {
            let index = chars.next().map(|code| (code as u32).saturating_sub(0xE100) as usize);
            chars.next_if_eq(&'\u{E001}');
            match index.and_then(|i| protected.get(i)) {
                Some(Pronunciation::Respelling(words)) => current.push_str(words),
                Some(Pronunciation::Ipa(ipa)) => {
                    if !current.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut current)));
                    }
                    pieces.push(Piece::Phonemes(ipa.clone()));
                }
                None => {}
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        pieces.push(Piece::Text(current));
    }
    Spoken { pieces }
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad normalization pattern {pattern:?}: {e}"))
}

macro_rules! pattern {
    ($name:ident, $re:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| regex($re));
    };
}

fn normalize_english(text: &str) -> String {
    let text = calm_shouting(text);
    let text = BRACKETED_URL.replace_all(&text, "").into_owned();
    let text = EMAIL.replace_all(&text, |c: &Captures| email(&c[0])).into_owned();
    let text = URL.replace_all(&text, |c: &Captures| url(&c[0])).into_owned();
    let text = HASHTAG.replace_all(&text, "hashtag $1").into_owned();
    let text = MENTION.replace_all(&text, "at $1").into_owned();
    // Most sentences have no digits: the passes for numbers are skipped for them.
    let text = if text
        .contains(|c: char| c.is_ascii_digit() || matches!(c, '½' | '¼' | '¾' | '⅓' | '⅔' | '⅛'))
    {
        numbers_in(text)
    } else {
        text
    };
    let text = ROMAN.replace_all(&text, roman).into_owned();
    let text = NUMBER_SIGN.replace_all(&text, "Number $1").into_owned();
    let text = SAINT_STREET.replace_all(&text, saint_or_street).into_owned();
    let text = abbreviations(&text);
    let text = DOTTED.replace_all(&text, dotted_letters).into_owned();
    let text =
        LETTER_DIGITS.replace_all(&text, |c: &Captures| format!("{} {}", &c[1], number(&c[2]))).into_owned();
    let text = ACRONYM.replace_all(&text, acronym).into_owned();
    let text = YEAR_OR_NUMBER.replace_all(&text, year_or_number).into_owned();
    let text =
        NUMBER.replace_all(&text, |c: &Captures| format!("{}{}", &c[1], signed_number(&c[2]))).into_owned();
    symbols(&text)
}

/// The passes for written numbers: money, measures, times, dates, ordinals, ranges, fractions.
fn numbers_in(text: String) -> String {
    let text = PHONE.replace_all(&text, |c: &Captures| phone(&c[0])).into_owned();
    let text = MONEY.replace_all(&text, money).into_owned();
    let text = MONEY_AFTER.replace_all(&text, money_after).into_owned();
    let text = TEMPERATURE.replace_all(&text, temperature).into_owned();
    let text = BARE_TEMPERATURE.replace_all(&text, bare_temperature).into_owned();
    let text = DEGREES.replace_all(&text, bare_degrees).into_owned();
    let text = PERCENT.replace_all(&text, |c: &Captures| format!("{} percent", quantity(&c[1]))).into_owned();
    let text = NUMBER_COMPOUND.replace_all(&text, number_compound).into_owned();
    let text = UNIT.replace_all(&text, unit).into_owned();
    let text = INCHES.replace_all(&text, inches).into_owned();
    let text = SECONDS.replace_all(&text, |c: &Captures| format!("{} seconds", quantity(&c[1]))).into_owned();
    let text = SCALED.replace_all(&text, scaled).into_owned();
    let text = CLOCK_RANGE.replace_all(&text, "$1 to $2").into_owned();
    let text = CLOCK_12.replace_all(&text, clock_12).into_owned();
    let text = CLOCK_24.replace_all(&text, clock_24).into_owned();
    let text = MONTH_DAY.replace_all(&text, month_day).into_owned();
    let text = DAY_MONTH.replace_all(&text, day_month).into_owned();
    let text = NUMERIC_DATE.replace_all(&text, numeric_date).into_owned();
    let text = DECADE.replace_all(&text, |c: &Captures| decade_words(&c[1])).into_owned();
    let text = SHORT_DECADE.replace_all(&text, |c: &Captures| short_decade(&c[1])).into_owned();
    let text = ORDINAL.replace_all(&text, |c: &Captures| ordinal_text(&c[1])).into_owned();
    let text = SCORE.replace_all(&text, score).into_owned();
    let text = RANGE.replace_all(&text, range).into_owned();
    let text = FRACTION_SIGN.replace_all(&text, fraction_sign).into_owned();
    FRACTION.replace_all(&text, fraction).into_owned()
}

// --- Shouting -------------------------------------------------------------------------

/// A sentence in capitals ("BREAKING NEWS: …") is read as words, not spelled letter by letter.
fn calm_shouting(text: &str) -> String {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let words =
        text.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() > 1).count();
    if words >= 4 && upper * 10 > letters.len() * 8 {
        text.split_whitespace()
            .map(|word| {
                let bare: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
                if SPELLED_OUT.contains(&bare.as_str()) || SAID_AS_WORDS.contains(&bare.as_str()) {
                    word.to_string()
                } else {
                    capitalise(&word.to_lowercase())
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        text.to_string()
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// --- Web addresses, phones, tags -------------------------------------------------------

pattern!(BRACKETED_URL, r"\s*[(\[]\s*(?:https?://|www\.)[^\s)\]]+\s*[)\]]");
pattern!(EMAIL, r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b");
pattern!(
    URL,
    r"\b(?:https?://[^\s<>()]+[^\s<>().,;:!?'\x22]|www\.[^\s<>()]+[^\s<>().,;:!?'\x22]|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|io|co|uk|hk|cn|info|news|tv|ai)(?:/[^\s<>()]*[^\s<>().,;:!?'\x22])?)\b/?"
);
pattern!(
    PHONE,
    r"(?:\+\d{1,3}[\s-]?)(?:\(\d+\)[\s-]?)?\d{2,4}(?:[\s-]\d{2,4}){1,3}\b|\(\d{2,4}\)\s?\d{3,4}[\s-]\d{3,4}\b"
);
pattern!(HASHTAG, r"(?:^|\B)#([A-Za-z]\w*)");
pattern!(MENTION, r"(?:^|\B)@([A-Za-z_]\w*)");

fn email(address: &str) -> String {
    let (user, domain) = address.split_once('@').unwrap_or((address, ""));
    format!("{} at {}", dotted(user), dotted(domain))
}

fn url(address: &str) -> String {
    let address = address.trim_end_matches('/');
    let rest = address.split_once("://").map_or(address, |(_, rest)| rest);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut spoken = dotted(host);
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        spoken.push_str(" slash ");
        spoken.push_str(&segment.replace(['-', '_'], " "));
    }
    spoken
}

/// "example.co.uk" → "example dot co dot uk".
fn dotted(text: &str) -> String {
    text.split('.').filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" dot ")
}

/// Phone numbers digit by digit, a pause between groups.
fn phone(number: &str) -> String {
    let mut groups = Vec::new();
    if number.starts_with('+') {
        groups.push(String::from("plus"));
    }
    for group in number.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()) {
        groups.push(digits(group));
    }
    let mut spoken = groups.join(", ");
    spoken = spoken.replacen("plus, ", "plus ", 1);
    spoken
}

// --- Money, percentages, temperatures, units -------------------------------------------

pattern!(
    MONEY,
    r"(\b(?:[Aa]n?|[Tt]he)\s+)?(-)?(HK\$|US\$|S\$|A\$|C\$|NZ\$|NT\$|R\$|RMB\s?|\$|£|€|¥|₹|₩)\s?(\d(?:[\d,]*\d)?(?:\.\d+)?)(?:\s?(trillion|billion|million|thousand|tn|trn|bn|mn|mln|m|k)\b)?(\s+[a-z]+)?"
);
pattern!(
    MONEY_AFTER,
    r"\b(\d(?:[\d,]*\d)?(?:\.\d+)?)\s?(trillion|billion|million|bn|m)?\s?(yuan|renminbi|yen|euros?|pounds?|dollars?|rupees?|won)\b"
);

fn currency(sign: &str) -> (&'static str, &'static str) {
    CURRENCIES
        .iter()
        .find(|(written, _, _)| *written == sign.trim())
        .map_or(("dollar", "dollars"), |(_, one, many)| (*one, *many))
}

fn money(c: &Captures) -> String {
    let article = c.get(1).map_or("", |m| m.as_str());
    let minus = if c.get(2).is_some() { "minus " } else { "" };
    let (one, many) = currency(&c[3]);
    let amount = &c[4];
    let after = c.get(6).map_or("", |m| m.as_str());
    // "a £3.5m deal", "the 6km line": an amount before a noun is an adjective, and singular.
    let many = if !article.is_empty() && !after.is_empty() && !is_function_word(after) { one } else { many };
    let spoken = money_amount(minus, one, many, amount, c.get(5).and_then(|m| scale(m.as_str())));
    format!("{article}{spoken}{after}")
}

/// Words after an amount that do not make it an adjective ("a $5 fine" versus "$5 for").
fn is_function_word(word: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "a", "an", "and", "or", "for", "to", "of", "in", "on", "at", "by", "from", "with", "per", "each",
        "was", "is", "were", "are", "be", "been", "that", "which", "than", "more", "less", "away", "long",
        "wide", "high", "deep", "tall", "old", "off", "up", "down", "as", "i", "we", "you", "he", "she",
        "it", "they", "had", "has", "have", "will", "would", "could", "did", "does", "do", "not", "so",
        "but", "if", "when", "then", "now", "today", "still",
    ];
    FUNCTION_WORDS.contains(&word.trim())
}

fn money_amount(minus: &str, one: &str, many: &str, amount: &str, scale_word: Option<&str>) -> String {
    if let Some(scale_word) = scale_word {
        return format!("{minus}{} {scale_word} {many}", quantity(amount));
    }
    let plain = amount.replace(',', "");
    match plain.split_once('.') {
        Some((whole, cents)) if cents.len() == 2 => {
            let whole_n: u64 = whole.parse().unwrap_or(0);
            let cents_n: u64 = cents.parse().unwrap_or(0);
            let unit = if whole_n == 1 { one } else { many };
            if whole_n == 0 && cents_n > 0 {
                let (cent, cents) = if many == "pounds" { ("penny", "pence") } else { ("cent", "cents") };
                let cents_word = if cents_n == 1 || one == many { cent } else { cents };
                return format!("{minus}{} {cents_word}", cardinal(cents_n));
            }
            if cents_n == 0 {
                format!("{minus}{} {unit}", cardinal(whole_n))
            } else {
                format!("{minus}{} {unit} {}", cardinal(whole_n), cardinal(cents_n))
            }
        }
        _ => {
            let unit = if plain == "1" { one } else { many };
            format!("{minus}{} {unit}", number(amount))
        }
    }
}

fn money_after(c: &Captures) -> String {
    let scale_word = c.get(2).and_then(|m| scale(m.as_str()));
    let noun = &c[3];
    match scale_word {
        Some(scale_word) => format!("{} {scale_word} {noun}", quantity(&c[1])),
        // "1,000.50 euros" is read like "€1,000.50": "one thousand euros fifty".
        None if c[1].split_once('.').is_some_and(|(_, cents)| cents.len() == 2) => {
            let one = noun.strip_suffix('s').unwrap_or(noun);
            let many = if matches!(one, "yen" | "yuan" | "renminbi" | "won") {
                one.to_string()
            } else {
                format!("{one}s")
            };
            money_amount("", one, &many, &c[1], None)
        }
        None => format!("{} {noun}", quantity(&c[1])),
    }
}

pattern!(TEMPERATURE, r"([-−–])?(\d+(?:\.\d+)?)\s?°\s?([CF])\b");

fn temperature(c: &Captures) -> String {
    let minus = if c.get(1).is_some() { "minus " } else { "" };
    let scale = if &c[3] == "C" { "Celsius" } else { "Fahrenheit" };
    format!("{minus}{} {scale}", degrees(&c[2]))
}

/// "38", "1" → "thirty-eight degrees", "one degree".
fn degrees(amount: &str) -> String {
    let unit = if amount == "1" { "degree" } else { "degrees" };
    format!("{} {unit}", quantity(amount))
}

// "30C", "-5C", "90F": the style of most British papers, a temperature written without the
// degree sign. After a name or a label ("iPhone 5C", "Room 5C", "flat 5C") it is not one.
pattern!(BARE_TEMPERATURE, r"(\b[\w'’]+\s+)?([-−–])?\b(\d{1,3}(?:\.\d)?)([CF])\b");

/// Words before a number and a capital letter that make the pair a label, not a temperature.
const LABEL_BEFORE: &[&str] = &[
    "room",
    "flat",
    "apartment",
    "apt",
    "gate",
    "platform",
    "seat",
    "unit",
    "suite",
    "block",
    "form",
    "grade",
    "bus",
    "route",
    "row",
    "floor",
    "level",
    "terminal",
    "bay",
    "pier",
    "studio",
    "door",
    "box",
    "locker",
    "cabin",
    "ward",
    "stand",
    "section",
    "page",
    "figure",
    "fig",
    "table",
    "class",
    "exit",
    "model",
    "number",
    "no",
    "size",
    "type",
    "version",
    "year",
    "lot",
    "stall",
    "court",
];

fn bare_temperature(c: &Captures) -> String {
    let before = c.get(1).map_or("", |m| m.as_str());
    let word = before.trim();
    let label = word.chars().any(char::is_uppercase) && !is_sentence_word(word)
        || LABEL_BEFORE.contains(&word.to_lowercase().as_str());
    if label {
        // "Room 5C" is "Room five C".
        return format!("{before}{}{} {}", c.get(2).map_or("", |m| m.as_str()), number(&c[3]), &c[4]);
    }
    let minus = if c.get(2).is_some() { "minus " } else { "" };
    let scale = if &c[4] == "C" { "Celsius" } else { "Fahrenheit" };
    format!("{before}{minus}{} {scale}", degrees(&c[3]))
}

/// Capitalised words that begin sentences or name a time and do not make a label of what follows.
fn is_sentence_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "It",
        "Its",
        "It's",
        "Temperatures",
        "Highs",
        "Lows",
        "About",
        "Around",
        "Up",
        "Some",
        "Nearly",
        "Almost",
        "Only",
        "Just",
        "At",
        "With",
        "Expect",
        "Today",
        "Tomorrow",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Yesterday",
        "Tonight",
    ];
    WORDS.contains(&word)
}

// A degree sign without a scale: "a 90° turn", "72° inside".
pattern!(DEGREES, r"(\b(?:[Aa]n?|[Tt]he)\s+)?\b(\d{1,3}(?:\.\d+)?)\s?°(\s+[a-z]+)?");

fn bare_degrees(c: &Captures) -> String {
    let article = c.get(1).map_or("", |m| m.as_str());
    let after = c.get(3).map_or("", |m| m.as_str());
    // "a 90° turn" is a ninety-degree turn.
    if !article.is_empty() && !after.is_empty() && !is_function_word(after) {
        return format!("{article}{} degree{after}", quantity(&c[2]));
    }
    format!("{article}{}{after}", degrees(&c[2]))
}

/// A decimal amount of something, as a newsreader says it: trailing zeros are not read
/// ("5.00%" is "five percent", "0.50" is "zero point five").
fn quantity(amount: &str) -> String {
    let amount = amount.trim();
    match amount.split_once('.') {
        Some((whole, fraction)) if !fraction.contains('.') => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() { number(whole) } else { number(&format!("{whole}.{fraction}")) }
        }
        _ => number(amount),
    }
}

// A number joined to a word by a hyphen is said as separate words: "19-year-old" is
// "nineteen year old", "7.1-magnitude" is "seven point one magnitude", "21st-century" is
// "twenty-first century". Run together, a voice stresses it as one long word.
pattern!(NUMBER_COMPOUND, r"\b(\d(?:[\d,]*\d)?(?:\.\d+)?)(st|nd|rd|th)?-([A-Za-z]+(?:-[A-Za-z]+)*)\b");

fn number_compound(c: &Captures) -> String {
    let first = match c.get(2) {
        Some(_) => ordinal_text(&c[1]),
        None => quantity(&c[1]),
    };
    format!("{first} {}", c[3].replace('-', " "))
}

// Inches: glued to the number ("10in"), or after feet ("5 ft 11 in", "six feet 2 in").
pattern!(
    INCHES,
    r"(\b(?:[Aa]n?|[Tt]he)\s+)?\b(?:(\d{1,3}(?:\.\d+)?)in|(feet|foot)\s+(\d{1,2})\s?in)\b(\s+[a-z]+)?"
);

fn inches(c: &Captures) -> String {
    let article = c.get(1).map_or("", |m| m.as_str());
    let after = c.get(5).map_or("", |m| m.as_str());
    let (feet, amount) = match (c.get(2), c.get(4)) {
        (Some(n), _) => (String::new(), n.as_str()),
        (None, Some(n)) => (format!("{} ", &c[3]), n.as_str()),
        (None, None) => return c[0].to_string(),
    };
    // "a 10in screen" is a ten-inch screen.
    let adjective = !article.is_empty() && !after.is_empty() && !is_function_word(after);
    let unit = if amount == "1" || adjective { "inch" } else { "inches" };
    format!("{article}{feet}{} {unit}{after}", quantity(amount))
}

// Seconds with decimals: "9.58s", "12.3 secs". Whole numbers with "s" are decades ("1990s").
pattern!(SECONDS, r"\b(\d+\.\d+)\s?(?:s|secs?)\b");

// A range of clock times: "9am-5pm" is "nine a m to five p m".
pattern!(
    CLOCK_RANGE,
    r"\b(\d{1,2}(?:[:.]\d{2})?\s?[ap]\.?m\b\.?)\s?[-–]\s?(\d{1,2}(?:[:.]\d{2})?\s?[ap]\.?m\b)"
);

pattern!(PERCENT, r"(-?\d(?:[\d,]*\d)?(?:\.\d+)?)\s?%");
pattern!(
    UNIT,
    r"(\b(?:[Aa]n?|[Tt]he)\s+)?\b(\d(?:[\d,]*\d)?(?:\.\d+)?)\s?(km/h|kph|mph|sq km|sq m|sq ft|km²|m²|kWh|GWh|km|kg|cm|mm|kW|MW|GW|ft|lbs|lb|mi|ha|mg|ml|GB|MB|TB|GHz|Hz|g)\b(\s+[a-z]+)?"
);

fn unit(c: &Captures) -> String {
    let article = c.get(1).map_or("", |m| m.as_str());
    let after = c.get(4).map_or("", |m| m.as_str());
    let (_, one, many) =
        UNITS.iter().find(|(written, _, _)| *written == &c[3]).copied().unwrap_or(("", "", ""));
    // "a 6km line" is a six-kilometre line.
    let adjective = !article.is_empty() && !after.is_empty() && !is_function_word(after);
    let name = if &c[2] == "1" || adjective { one } else { many };
    format!("{article}{} {name}{after}", quantity(&c[2]))
}

// "3.5m", "2bn", "40k" without a currency: a count in millions, billions, thousands; but
// "the 100m sprint" and "10m high" are metres.
pattern!(SCALED, r"\b(\d(?:[\d,]*\d)?(?:\.\d+)?)\s?(tn|trn|bn|mn|m|k)\b(\s+[a-z]+)?");

/// Words after "Nm" that make it a length: what is measured, or how.
const METRES_BEFORE: &[&str] = &[
    "high",
    "tall",
    "long",
    "deep",
    "wide",
    "away",
    "above",
    "below",
    "across",
    "apart",
    "offshore",
    "underground",
    "sprint",
    "hurdles",
    "freestyle",
    "backstroke",
    "breaststroke",
    "butterfly",
    "medley",
    "relay",
    "race",
    "final",
    "dash",
    "swim",
    "pool",
    "tower",
    "wall",
    "drop",
    "jump",
    "yacht",
    "wave",
    "waves",
    "cliff",
    "runway",
];

fn scaled(c: &Captures) -> String {
    let after = c.get(3).map_or("", |m| m.as_str());
    let next = after.trim();
    if &c[2] == "m" && METRES_BEFORE.contains(&next) {
        // "10m high" measures; "the 100m sprint" names a kind of race (singular).
        let adjective = !matches!(
            next,
            "high"
                | "tall"
                | "long"
                | "deep"
                | "wide"
                | "away"
                | "above"
                | "below"
                | "across"
                | "apart"
                | "offshore"
                | "underground"
        );
        let name = if &c[1] == "1" || adjective { "metre" } else { "metres" };
        return format!("{} {name}{after}", quantity(&c[1]));
    }
    format!("{} {}{after}", quantity(&c[1]), scale(&c[2]).unwrap_or(""))
}

// --- Times and dates --------------------------------------------------------------------

pattern!(CLOCK_12, r"\b(\d{1,2})(?:[:.](\d{2}))?\s?([ap])(?:\.m\.(\s*$)?|m\b)");
pattern!(CLOCK_24, r"\b([01]?\d|2[0-3]):([0-5]\d)\b");

fn minutes(m: u64) -> String {
    if m < 10 { format!("oh {}", cardinal(m)) } else { cardinal(m) }
}

fn clock_12(c: &Captures) -> String {
    let hour: u64 = c[1].parse().unwrap_or(0);
    // "a.m." at the end of a sentence carries its full stop too.
    let marker = match (&c[3], c.get(4).is_some()) {
        ("a", false) => "a m",
        ("a", true) => "a m.",
        (_, false) => "p m",
        (_, true) => "p m.",
    };
    match c.get(2).and_then(|m| m.as_str().parse::<u64>().ok()).filter(|&m| m > 0) {
        Some(m) => format!("{} {} {marker}", cardinal(hour), minutes(m)),
        None => format!("{} {marker}", cardinal(hour)),
    }
}

fn clock_24(c: &Captures) -> String {
    let hour: u64 = c[1].parse().unwrap_or(0);
    let minute: u64 = c[2].parse().unwrap_or(0);
    let hour_words =
        if c[1].starts_with('0') && hour != 0 { format!("oh {}", cardinal(hour)) } else { cardinal(hour) };
    if minute == 0 { format!("{hour_words} hundred") } else { format!("{hour_words} {}", minutes(minute)) }
}

const MONTH_PATTERN: &str = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";

static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(r"\b{MONTH_PATTERN}\s(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s(\d{{4}})\b)?"))
});
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(\b[Tt]he\s+)?\b(\d{{1,2}})(?:st|nd|rd|th)?\s(?:of\s)?{MONTH_PATTERN}(?:,?\s(\d{{4}})\b)?"
    ))
});
pattern!(NUMERIC_DATE, r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b");

fn month_day(c: &Captures) -> String {
    let day: u64 = c[2].parse().unwrap_or(0);
    let Some(name) = month(&c[1]).filter(|_| (1..=31).contains(&day)) else { return c[0].to_string() };
    match c.get(3) {
        Some(y) => format!("{name} {}, {}", ordinal(day), year(y.as_str().parse().unwrap_or(0))),
        None => format!("{name} {}", ordinal(day)),
    }
}

fn day_month(c: &Captures) -> String {
    let day: u64 = c[2].parse().unwrap_or(0);
    let Some(name) = month(&c[3]).filter(|_| (1..=31).contains(&day)) else { return c[0].to_string() };
    // "the 4th of July" already has its article.
    let the = c.get(1).map_or("the ", |m| m.as_str());
    match c.get(4) {
        Some(y) => format!("{the}{} of {name} {}", ordinal(day), year(y.as_str().parse().unwrap_or(0))),
        None => format!("{the}{} of {name}", ordinal(day)),
    }
}

/// "21/1" and "21/1/2023" (day first, as most of the world writes it). "24/7" is not a date.
fn numeric_date(c: &Captures) -> String {
    let (a, b): (u32, u32) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
    if &c[0] == "24/7" {
        return "twenty-four seven".to_string();
    }
    let year_part = c.get(3).map(|y| {
        let y: u64 = y.as_str().parse().unwrap_or(0);
        year(if y < 100 { 2000 + y } else { y })
    });
    let looks_like_date = year_part.is_some() || (a > b && b <= 12);
    match (looks_like_date, month_name(b)) {
        (true, Some(name)) if (1..=31).contains(&a) => match year_part {
            Some(y) => format!("the {} of {name} {y}", ordinal(u64::from(a))),
            None => format!("the {} of {name}", ordinal(u64::from(a))),
        },
        _ => c[0].to_string(),
    }
}

// --- Decades, ordinals, ranges, fractions ---------------------------------------------------

pattern!(DECADE, r"\b(\d{3}0)s\b");
pattern!(SHORT_DECADE, r"['’](\d0)s\b");
pattern!(ORDINAL, r"\b(\d+)(?:st|nd|rd|th)\b");

fn decade_words(text: &str) -> String {
    decade(text.parse().unwrap_or(0))
}

fn short_decade(text: &str) -> String {
    plural_of_words(&cardinal(text.parse().unwrap_or(0)))
}

fn ordinal_text(text: &str) -> String {
    text.parse().map(ordinal).unwrap_or_else(|_| text.to_string())
}

pattern!(
    SCORE,
    r"(?i)\b(won|lost|beat|beating|drew|draw|defeated|victory|win|loss|leads?|led|trails?|trailed|scored?)((?:\s+\w+){0,2}?)\s+(\d{1,2})\s?[-–]\s?(\d{1,2})\b((?:(?:\s?,\s?|\s+and\s+)\d{1,2}\s?[-–]\s?\d{1,2}\b)*)"
);
pattern!(SCORE_PAIR, r"(\d{1,2})\s?[-–]\s?(\d{1,2})");
pattern!(RANGE, r"\b(\d{1,4})\s?[-–—]\s?(\d{1,4})\b");

/// A score: "won 3-1" is "won three one"; the sets that follow are scores too ("won 6-4, 6-3").
fn score(c: &Captures) -> String {
    let more = SCORE_PAIR.replace_all(&c[5], |p: &Captures| format!("{} {}", number(&p[1]), number(&p[2])));
    format!("{}{} {} {}{more}", &c[1], &c[2], number(&c[3]), number(&c[4]))
}

fn range(c: &Captures) -> String {
    let (a, b) = (&c[1], &c[2]);
    let (an, bn): (u64, u64) = (a.parse().unwrap_or(0), b.parse().unwrap_or(0));
    let is_year = |n: u64, s: &str| s.len() == 4 && YEARS.contains(&n);
    if is_year(an, a) && (is_year(bn, b) || b.len() == 2) {
        let end = if b.len() == 2 { an / 100 * 100 + bn } else { bn };
        return format!("{} to {}", year(an), year(end));
    }
    format!("{} to {}", cardinal(an), cardinal(bn))
}

pattern!(FRACTION_SIGN, r"(?:(\d+)\s?)?([½¼¾⅓⅔⅛])");
pattern!(FRACTION, r"\b(\d{1,2})/(\d{1,2})\b");

/// The name of a fraction's parts: "half", "quarters", "eighth".
fn fraction_name(numerator: u64, denominator: u64) -> Option<String> {
    let singular = match denominator {
        2 => "half".to_string(),
        4 => "quarter".to_string(),
        3..=20 => ordinal(denominator),
        _ => return None,
    };
    Some(match (numerator, denominator) {
        (1, _) => singular,
        (_, 2) => "halves".to_string(),
        _ => plural_of_words(&singular),
    })
}

/// "three quarters", "one third".
fn fraction_words(numerator: u64, denominator: u64) -> Option<String> {
    fraction_name(numerator, denominator).map(|name| format!("{} {name}", cardinal(numerator)))
}

fn fraction_sign(c: &Captures) -> String {
    let (n, d) = match &c[2] {
        "½" => (1, 2),
        "¼" => (1, 4),
        "¾" => (3, 4),
        "⅓" => (1, 3),
        "⅔" => (2, 3),
        _ => (1, 8),
    };
    match c.get(1) {
        // "2½" is "two and a half"; "2¾" is "two and three quarters".
        Some(whole) if n == 1 => {
            let name = fraction_name(n, d).unwrap_or_default();
            let article = if name.starts_with('e') { "an" } else { "a" };
            format!("{} and {article} {name}", number(whole.as_str()))
        }
        Some(whole) => format!("{} and {}", number(whole.as_str()), fraction_words(n, d).unwrap_or_default()),
        None => fraction_words(n, d).unwrap_or_default(),
    }
}

fn fraction(c: &Captures) -> String {
    let (n, d): (u64, u64) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
    if n == 0 || d == 0 || n >= d {
        return c[0].to_string();
    }
    fraction_words(n, d).unwrap_or_else(|| c[0].to_string())
}

// --- Roman numerals ----------------------------------------------------------------------

pattern!(ROMAN, r"\b(World War|Super Bowl|[A-Z][a-z]+\.?)\s([IVXLCDM]+)\b");

/// Words after which a Roman numeral is a plain number ("World War Two", "Part Three").
const CARDINAL_BEFORE_ROMAN: &[&str] = &[
    "World War",
    "Super Bowl",
    "Part",
    "Chapter",
    "Act",
    "Phase",
    "Title",
    "Apollo",
    "Volume",
    "Vol.",
    "Book",
    "Section",
    "Article",
    "Class",
    "Type",
    "Stage",
    "Level",
    "Mark",
    "Episode",
    "Season",
    "Vatican",
    "Schedule",
];

/// Names after which a lone "I" is a regnal number rather than the pronoun.
const REGNAL_NAMES: &[&str] = &[
    "Charles",
    "Elizabeth",
    "James",
    "George",
    "Henry",
    "Edward",
    "William",
    "Mary",
    "Richard",
    "John",
    "Louis",
    "Peter",
    "Catherine",
    "Nicholas",
    "Alexander",
    "Frederick",
    "Philip",
    "Leo",
    "Pius",
    "Benedict",
    "Paul",
    "Gregory",
    "Innocent",
    "Clement",
    "Francis",
    "Napoleon",
    "Victor",
    "Wilhelm",
    "Juan",
    "Felipe",
    "Carlos",
    "Harald",
    "Olav",
];

fn roman(c: &Captures) -> String {
    let (before, numeral) = (&c[1], &c[2]);
    let Some(value) = parse_roman(numeral) else { return c[0].to_string() };
    if CARDINAL_BEFORE_ROMAN.contains(&before) && value <= 100 {
        return format!("{before} {}", cardinal(value));
    }
    let single_i_allowed = numeral != "I" || REGNAL_NAMES.contains(&before);
    if value <= 40 && single_i_allowed && !before.ends_with('.') {
        return format!("{before} the {}", capitalise(&ordinal(value)));
    }
    c[0].to_string()
}

// --- Abbreviations and acronyms -----------------------------------------------------------

pattern!(NUMBER_SIGN, r"\bNo\.\s?(\d)");
pattern!(SAINT_STREET, r"\bSt\.?(\s+|$)([A-Z]?)");

fn saint_or_street(c: &Captures) -> String {
    // "St. Paul's" is a saint; "Queen St. and" or "Main St." at the end is a street.
    if c[2].is_empty() { format!("Street{}", &c[1]) } else { format!("Saint{}{}", &c[1], &c[2]) }
}

fn abbreviations(text: &str) -> String {
    // Twice, for titles in a row ("Lt. Col. Smith"): a match takes the space after it.
    let once = abbreviations_once(text);
    abbreviations_once(&once)
}

fn abbreviations_once(text: &str) -> String {
    static TITLES: LazyLock<Regex> = LazyLock::new(|| {
        let alternatives: Vec<String> =
            ABBREVIATIONS.iter().map(|(written, _)| regex::escape(written)).collect();
        regex(&format!(r"(^|[\s(\x22'“‘])({})(?:\s|$|[,;:)])", alternatives.join("|")))
    });
    TITLES
        .replace_all(text, |c: &Captures| {
            let spoken =
                ABBREVIATIONS.iter().find(|(written, _)| *written == &c[2]).map_or("", |(_, said)| *said);
            let whole = &c[0];
            let trailing = &whole[c[1].len() + c[2].len()..];
            format!("{}{spoken}{trailing}", &c[1])
        })
        .into_owned()
}

pattern!(DOTTED, r"\b((?:[A-Za-z]\.){2,})(\s*$)?");

/// "U.S." → "U S", keeping a sentence's last full stop.
fn dotted_letters(c: &Captures) -> String {
    let letters: Vec<String> = c[1].split('.').filter(|l| !l.is_empty()).map(|l| l.to_uppercase()).collect();
    let end = if c.get(2).is_some() { "." } else { "" };
    format!("{}{end}", letters.join(" "))
}

pattern!(LETTER_DIGITS, r"\b([A-Z])(\d{1,3})\b");
pattern!(ACRONYM, r"\b([A-Z][A-Z&]*[A-Z])(s)?\b");

fn acronym(c: &Captures) -> String {
    let (word, plural) = (&c[1], c.get(2).is_some());
    if SAID_AS_WORDS.contains(&word) {
        return format!("{}{}", capitalise(&word.to_lowercase()), if plural { "s" } else { "" });
    }
    let spell = SPELLED_OUT.contains(&word) || !pronounceable(word);
    if !spell {
        return format!("{}{}", capitalise(&word.to_lowercase()), if plural { "s" } else { "" });
    }
    let letters: Vec<String> = word.chars().filter(|c| c.is_alphabetic()).map(|c| c.to_string()).collect();
    let mut spoken = letters.join(" ");
    if word.contains('&') {
        spoken = word
            .split('&')
            .map(|part| part.chars().map(String::from).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" and ");
    }
    if plural {
        spoken.push_str("'s");
    }
    spoken
}

/// Four or more letters with vowels between consonants read as a word ("UNESCO"); short
/// ones or consonant clusters are spelled ("BBC", "HSBC").
fn pronounceable(word: &str) -> bool {
    let is_vowel = |c: char| matches!(c, 'A' | 'E' | 'I' | 'O' | 'U' | 'Y');
    let letters: Vec<char> = word.chars().collect();
    // Three letters, consonant-vowel-consonant, is a word written in capitals ("MIX").
    if let [a, b, c] = letters.as_slice() {
        return !is_vowel(*a) && is_vowel(*b) && !is_vowel(*c) && *b != 'Y';
    }
    if word.len() < 4 || word.contains('&') {
        return false;
    }
    let mut consonant_run = 0;
    let mut vowels = 0;
    for c in word.chars() {
        if is_vowel(c) {
            vowels += 1;
            consonant_run = 0;
        } else {
            consonant_run += 1;
            if consonant_run > 2 {
                return false;
            }
        }
    }
    vowels * 3 >= word.len()
}

// --- Years and numbers -------------------------------------------------------------------

/// Four-digit numbers in this range may be years.
const YEARS: std::ops::RangeInclusive<u64> = 1000..=2099;

pattern!(YEAR_OR_NUMBER, r"(?i)(\b[a-z]+\s+)?\b(\d{4})\b(\s+[a-z]+)?");

/// Words before a four-digit number that make it a year.
const YEAR_BEFORE: &[&str] = &[
    "in",
    "since",
    "by",
    "from",
    "until",
    "till",
    "of",
    "before",
    "after",
    "during",
    "year",
    "early",
    "late",
    "mid",
    "the",
    "summer",
    "spring",
    "autumn",
    "winter",
    "fall",
    "circa",
    "around",
    "through",
    "to",
    "and",
    "between",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "election",
    "budget",
    "season",
];

/// Nouns after a four-digit number that make it a count ("2023 people").
fn is_counted_noun(word: &str) -> bool {
    const COUNT_NOUNS: &[&str] =
        &["people", "children", "staff", "police", "men", "women", "cattle", "sheep", "personnel", "feet"];
    let word = word.trim().to_lowercase();
    COUNT_NOUNS.contains(&word.as_str()) || (word.ends_with('s') && !word.ends_with("ss") && word.len() > 3)
}

fn year_or_number(c: &Captures) -> String {
    let before = c.get(1).map_or("", |m| m.as_str());
    let after = c.get(3).map_or("", |m| m.as_str());
    let n: u64 = c[2].parse().unwrap_or(0);
    let before_word = before.trim().to_lowercase();
    let year_context = YEAR_BEFORE.contains(&before_word.as_str());
    let counted = !after.is_empty() && is_counted_noun(after);
    let words = if YEARS.contains(&n) && (year_context || !counted) { year(n) } else { cardinal(n) };
    format!("{before}{words}{after}")
}

pattern!(NUMBER, r"(^|[^\w.,])([-−]?\d(?:[\d,]*\d)?(?:\.\d+)*)");

/// A number with separators, decimals or a sign; version numbers read point by point.
fn signed_number(text: &str) -> String {
    let (minus, digits_part) = match text.strip_prefix(['-', '−']) {
        Some(rest) => ("minus ", rest),
        None => ("", text),
    };
    let dots = digits_part.matches('.').count();
    if dots > 1 {
        return format!("{minus}{}", digits_part.split('.').map(number).collect::<Vec<_>>().join(" point "));
    }
    format!("{minus}{}", number(digits_part))
}

/// A plain number in words; text that is not a number comes back unchanged.
fn number(text: &str) -> String {
    let trimmed = text.trim();
    // Separators must sit every three digits to be thousands separators.
    if trimmed.contains(',') {
        let whole = trimmed.split('.').next().unwrap_or("");
        let groups: Vec<&str> = whole.split(',').collect();
        let valid =
            groups.iter().skip(1).all(|g| g.len() == 3) && !groups[0].is_empty() && groups[0].len() <= 3;
        if !valid {
            return trimmed.split(',').filter(|g| !g.is_empty()).map(number).collect::<Vec<_>>().join(", ");
        }
    }
    if trimmed.len() > 1 && trimmed.starts_with('0') && !trimmed.starts_with("0.") {
        return digits(trimmed);
    }
    if trimmed.replace(',', "").split('.').next().is_some_and(|w| w.len() > 15) {
        return digits(trimmed);
    }
    decimal(trimmed).unwrap_or_else(|| trimmed.to_string())
}

// --- Symbols and punctuation ---------------------------------------------------------------

pattern!(SPACED_DASH, r"\s+[-–—]+\s+|—|–");
pattern!(SPACES, r"[ \t]{2,}");

fn symbols(text: &str) -> String {
    let text = SPACED_DASH.replace_all(text, ", ").into_owned();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str(" and "),
            '+' => out.push_str(" plus "),
            '=' => out.push_str(" equals "),
            '%' => out.push_str(" percent"),
            '@' => out.push_str(" at "),
            '#' => out.push_str(" number "),
            '(' | '[' => out.push_str(", "),
            ')' | ']' => out.push_str(", "),
            '"' | '“' | '”' | '«' | '»' | '„' => {}
            '/' => out.push(' '),
            _ => out.push(c),
        }
    }
    let out = SPACES.replace_all(&out, " ").into_owned();
    tidy_commas(out.trim())
}

/// Removes the stray commas that pauses leave: ", ," and ", ." and a comma at the start.
fn tidy_commas(text: &str) -> String {
    static DOUBLE: LazyLock<Regex> = LazyLock::new(|| regex(r"\s*,(\s*,)+"));
    static BEFORE_STOP: LazyLock<Regex> = LazyLock::new(|| regex(r"\s*,\s*([.!?;:])"));
    static SPACE_BEFORE: LazyLock<Regex> = LazyLock::new(|| regex(r"\s+([,.!?;:])"));
    let text = DOUBLE.replace_all(text, ",");
    let text = BEFORE_STOP.replace_all(&text, "$1");
    let text = SPACE_BEFORE.replace_all(&text, "$1");
    text.trim_start_matches([',', ' ']).trim_end_matches([',', ' ']).to_string()
}
