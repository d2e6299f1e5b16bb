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

/// Reads a `Range` header. Anything but a single `bytes` range is ignored (a full answer is
/// always allowed).
pub fn parse_range(header: Option<&str>, length: u64) -> Ranged {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else { return Ranged::Full };
    if spec.contains(',') {
        return Ranged::Full;
    }
    let Some((first, last)) = spec.split_once('-') else { return Ranged::Full };
    let (first, last) = (first.trim(), last.trim());
    let number = |text: &str| text.parse::<u64>().ok();
    match (first.is_empty(), last.is_empty()) {
        // "bytes=-500": the last 500 bytes.
        (true, false) => match number(last) {
            Some(0) => Ranged::Unsatisfiable,
            Some(suffix) if length > 0 => {
                Ranged::Part { start: length.saturating_sub(suffix), end: length - 1 }
            }
            Some(_) => Ranged::Unsatisfiable,
            None => Ranged::Full,
        },
        (false, _) => {
            let Some(start) = number(first) else { return Ranged::Full };
            let end = if last.is_empty() { Some(u64::MAX) } else { number(last) };
            match end {
                None => Ranged::Full,
                Some(end) if end < start => Ranged::Full,
                Some(_) if start >= length => Ranged::Unsatisfiable,
                Some(end) => Ranged::Part { start, end: end.min(length - 1) },
            }
        }
        (true, true) => Ranged::Full,
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
