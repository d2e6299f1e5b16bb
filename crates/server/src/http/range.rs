//! Byte ranges (RFC 9110 §14): one range per request, as audio players ask for them.

/// What a `Range` header asks of a body of `length` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranged {
    /// No usable range: send everything.
    Full,
    /// Bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// The range lies outside the body: 416.
    Unsatisfiable,
}

/// Reads a `Range` header (parsed and checked against the length by `http-range-header`).
/// Anything but one satisfiable or unsatisfiable `bytes` range is ignored: a malformed header
/// or several ranges get the full body, which is always allowed.
pub fn parse_range(header: Option<&str>, length: u64) -> Ranged {
    let Some(header) = header else { return Ranged::Full };
    let Ok(parsed) = http_range_header::parse_range_header(header.trim()) else { return Ranged::Full };
    match parsed.validate(length) {
        Ok(ranges) => match ranges.as_slice() {
            [one] => Ranged::Part { start: *one.start(), end: *one.end() },
            _ => Ranged::Full,
        },
        Err(_) => Ranged::Unsatisfiable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: &str, length: u64, expected: Ranged) {
        assert_eq!(parse_range(Some(header), length), expected, "{header} of {length}");
    }

    #[test]
    fn ranges() {
        check("bytes=0-99", 1000, Ranged::Part { start: 0, end: 99 });
        check("bytes=900-", 1000, Ranged::Part { start: 900, end: 999 });
        check("bytes=900-5000", 1000, Ranged::Part { start: 900, end: 999 });
        check("bytes=-100", 1000, Ranged::Part { start: 900, end: 999 });
        check("bytes=-5000", 1000, Ranged::Part { start: 0, end: 999 });
        check("bytes=1000-", 1000, Ranged::Unsatisfiable);
        check("bytes=-0", 1000, Ranged::Unsatisfiable);
        check("bytes=5-2", 1000, Ranged::Full);
        check("bytes=0-1,5-6", 1000, Ranged::Full);
        check("items=0-1", 1000, Ranged::Full);
        check("bytes=abc", 1000, Ranged::Full);
        check("bytes=0-", 0, Ranged::Unsatisfiable);
        assert_eq!(parse_range(None, 10), Ranged::Full);
    }
}
