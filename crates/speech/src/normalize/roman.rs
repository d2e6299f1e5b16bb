//! Roman numerals: strict parsing, so that only canonical numerals ("VIII", never "IIX") count.

/// The value of a canonical Roman numeral in capitals, up to 3999.
pub fn parse_roman(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 15 {
        return None;
    }
    let value_of = |c: char| -> Option<u64> {
        Some(match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            'M' => 1000,
            _ => return None,
        })
    };
    let values: Vec<u64> = text.chars().map(value_of).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, &v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|&next| next > v) {
            total -= v as i64;
        } else {
            total += v as i64;
        }
    }
    let total = u64::try_from(total).ok().filter(|&t| (1..4000).contains(&t))?;
    (to_roman(total) == text).then_some(total)
}

fn to_roman(mut n: u64) -> String {
    const TABLE: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse_roman;

    #[test]
    fn numerals() {
        for (text, value) in
            [("I", 1), ("II", 2), ("IV", 4), ("VIII", 8), ("XIV", 14), ("LVIII", 58), ("MCMXCVII", 1997)]
        {
            assert_eq!(parse_roman(text), Some(value), "{text}");
        }
        for text in ["IIX", "IIII", "VV", "CIVIL", "MIXX", "", "ABC", "iv"] {
            assert_eq!(parse_roman(text), None, "{text}");
        }
    }
}
