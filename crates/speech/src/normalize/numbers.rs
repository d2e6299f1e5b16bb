//! Numbers in words: cardinals, ordinals, years, decimals, digit by digit.

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] =
    ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const SCALES: [(u64, &str); 5] = [
    (1_000_000_000_000_000, "quadrillion"),
    (1_000_000_000_000, "trillion"),
    (1_000_000_000, "billion"),
    (1_000_000, "million"),
    (1_000, "thousand"),
];

/// 1234 → "one thousand two hundred thirty-four" (no "and", as US newsreaders say it).
pub fn cardinal(n: u64) -> String {
    if n < 20 {
        return ONES[n as usize].to_string();
    }
    let mut parts = Vec::new();
    let mut rest = n;
    for (scale, name) in SCALES {
        if rest >= scale {
            parts.push(format!("{} {name}", below_thousand(rest / scale)));
            rest %= scale;
        }
    }
    if rest > 0 {
        parts.push(below_thousand(rest));
    }
    parts.join(" ")
}

fn below_thousand(n: u64) -> String {
    let (hundreds, rest) = (n / 100, n % 100);
    let mut out = String::new();
    if hundreds > 0 {
        out.push_str(ONES[hundreds as usize]);
        out.push_str(" hundred");
    }
    if rest > 0 {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&below_hundred(rest));
    }
    out
}

fn below_hundred(n: u64) -> String {
    if n < 20 {
        ONES[n as usize].to_string()
    } else if n.is_multiple_of(10) {
        TENS[(n / 10) as usize].to_string()
    } else {
        format!("{}-{}", TENS[(n / 10) as usize], ONES[(n % 10) as usize])
    }
}

/// 21 → "twenty-first".
pub fn ordinal(n: u64) -> String {
    ordinal_of_words(&cardinal(n))
}

/// The ordinal of a number already in words: its last word changes.
pub fn ordinal_of_words(words: &str) -> String {
    let (head, last) = match words.rfind([' ', '-']) {
        Some(at) => (&words[..=at], &words[at + 1..]),
        None => ("", words),
    };
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
        w => format!("{w}th"),
    };
    format!("{head}{last}")
}

/// A year as it is said: 1997 → "nineteen ninety-seven", 2008 → "two thousand eight",
/// 2023 → "twenty twenty-three", 1900 → "nineteen hundred", 1066 → "ten sixty-six".
pub fn year(n: u64) -> String {
    if !(1000..10_000).contains(&n) {
        return cardinal(n);
    }
    let (high, low) = (n / 100, n % 100);
    if (2000..2010).contains(&n) || n.is_multiple_of(1000) {
        return cardinal(n);
    }
    match low {
        0 => format!("{} hundred", cardinal(high)),
        1..=9 => format!("{} oh {}", cardinal(high), cardinal(low)),
        _ => format!("{} {}", cardinal(high), cardinal(low)),
    }
}

/// A decade: 1990 → "nineteen nineties", 2000 → "two thousands", 1900 → "nineteen hundreds".
pub fn decade(n: u64) -> String {
    plural_of_words(&year(n))
}

/// "ninety" → "nineties", "six" → "sixes", "hundred" → "hundreds".
pub fn plural_of_words(words: &str) -> String {
    if let Some(stem) = words.strip_suffix('y') {
        format!("{stem}ies")
    } else if words.ends_with('x') || words.ends_with('s') {
        format!("{words}es")
    } else {
        format!("{words}s")
    }
}

/// Digits one by one: "0852" → "zero eight five two".
pub fn digits(text: &str) -> String {
    text.chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| if d == 0 { "zero" } else { ONES[d as usize] })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "3.40" → "three point four zero"; "1,500.5" → "one thousand five hundred point five".
/// Returns None when the text is not a plain number.
pub fn decimal(text: &str) -> Option<String> {
    let text = text.replace(',', "");
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text.as_str(), None),
    };
    let whole_words = if whole.is_empty() { "zero".to_string() } else { cardinal(whole.parse().ok()?) };
    match fraction {
        Some(f) if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) => {
            Some(format!("{whole_words} point {}", digits(f)))
        }
        Some(_) => None,
        None => Some(whole_words),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        let cases: &[(u64, &str)] = &[
            (0, "zero"),
            (7, "seven"),
            (13, "thirteen"),
            (40, "forty"),
            (42, "forty-two"),
            (100, "one hundred"),
            (105, "one hundred five"),
            (999, "nine hundred ninety-nine"),
            (1000, "one thousand"),
            (1500, "one thousand five hundred"),
            (20_000, "twenty thousand"),
            (1_000_001, "one million one"),
            (3_400_000_000, "three billion four hundred million"),
        ];
        for (n, expected) in cases {
            assert_eq!(cardinal(*n), *expected);
        }
        assert_eq!(ordinal(1), "first");
        assert_eq!(ordinal(3), "third");
        assert_eq!(ordinal(12), "twelfth");
        assert_eq!(ordinal(20), "twentieth");
        assert_eq!(ordinal(21), "twenty-first");
        assert_eq!(ordinal(100), "one hundredth");
        assert_eq!(year(1997), "nineteen ninety-seven");
        assert_eq!(year(2008), "two thousand eight");
        assert_eq!(year(2023), "twenty twenty-three");
        assert_eq!(year(1900), "nineteen hundred");
        assert_eq!(year(1905), "nineteen oh five");
        assert_eq!(year(2000), "two thousand");
        assert_eq!(decade(1990), "nineteen nineties");
        assert_eq!(decade(2010), "twenty tens");
        assert_eq!(decimal("3.4").as_deref(), Some("three point four"));
        assert_eq!(decimal("0.75").as_deref(), Some("zero point seven five"));
        assert_eq!(digits("0852"), "zero eight five two");
    }
}
