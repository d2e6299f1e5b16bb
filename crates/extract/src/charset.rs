//! Decoding page bytes to text: BOM, then the HTTP header, then `<meta>`, then a guess.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How many leading bytes are searched for a `<meta charset>` declaration.
const META_PRESCAN_BYTES: usize = 8192;

/// Where the encoding of a page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    ByteOrderMark,
    HttpHeader,
    MetaTag,
    /// No declaration: valid UTF-8 is taken as UTF-8, anything else as windows-1252.
    Guess,
}

/// The decoded text, the encoding used and where it came from.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub source: CharsetSource,
    /// True when some bytes were not valid in the encoding and became U+FFFD.
    pub had_errors: bool,
    /// True when text encoded twice was found and read back (see [`repair_double_encoding`]).
    pub repaired: bool,
}

/// Decodes `bytes`, honouring a BOM first, then the charset of an HTTP `Content-Type` header,
/// then a `<meta charset>` or `<meta http-equiv="Content-Type">` near the start of the page.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    let (encoding, source) = if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        (encoding, CharsetSource::ByteOrderMark)
    } else if let Some(encoding) = content_type.and_then(charset_parameter).and_then(usable_label) {
        (prefer_utf8(bytes, encoding), CharsetSource::HttpHeader)
    } else if let Some(encoding) = meta_charset(bytes) {
        (prefer_utf8(bytes, encoding), CharsetSource::MetaTag)
    } else if std::str::from_utf8(bytes).is_ok() {
        (UTF_8, CharsetSource::Guess)
    } else {
        (WINDOWS_1252, CharsetSource::Guess)
    };
    // `decode` sniffs the BOM again and strips it.
    let (text, encoding, had_errors) = encoding.decode(bytes);
    let (text, repaired) = match repair_double_encoding(&text) {
        Some(repaired) => (repaired, true),
        None => (text.into_owned(), false),
    };
    Decoded { text, encoding, source, had_errors, repaired }
}

/// Text encoded as UTF-8 twice: UTF-8 bytes read once as windows-1252 (or Latin-1) and
/// encoded again, so that "—" shows as "â€”" and "é" as "Ã©" (a page saved through a tool
/// that guessed its encoding wrong). Each run of characters whose windows-1252 (or Latin-1)
/// bytes form one UTF-8 character of two to four bytes (a lead byte, then continuation
/// bytes) is read back as that character; `None` when there is none. Written text does not
/// hold such runs: a lead letter such as "Ã" or "â" is followed by a letter, not by the
/// signs and controls that continuation bytes read as.
pub fn repair_double_encoding(text: &str) -> Option<String> {
    // Lead bytes of multi-byte UTF-8 read as Latin-1, 'Â' (U+00C2) to 'ô' (U+00F4), are
    // written in UTF-8 as 0xC3 and a byte from 0x82 to 0xB4: found with a byte search.
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    // Where the text not yet copied to `out` starts.
    let mut copied = 0;
    for at in memchr::memchr_iter(0xC3, bytes) {
        // (The characters a repair reads after its lead never hold the byte 0xC3.)
        if !bytes.get(at + 1).is_some_and(|b| (0x82..=0xB4).contains(b)) {
            continue;
        }
        let Some((repaired, used)) = reencoded_char(text[at..].chars()) else { continue };
        let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[copied..at]);
        out.push(repaired);
        // The continuation characters were read with the lead.
        copied = at + text[at..].chars().take(used).map(char::len_utf8).sum::<usize>();
    }
    out.map(|mut out| {
        out.push_str(&text[copied..]);
        out
    })
}

/// The UTF-8 character that `chars` begin with once read back as single bytes, and how many
/// characters it took.
fn reencoded_char(mut chars: std::str::Chars<'_>) -> Option<(char, usize)> {
    let lead = single_byte(chars.next()?)?;
    let length = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = [lead, 0, 0, 0];
    for slot in &mut bytes[1..length] {
        *slot = single_byte(chars.next()?).filter(|b| (0x80..=0xBF).contains(b))?;
    }
    let decoded = std::str::from_utf8(&bytes[..length]).ok()?;
    decoded.chars().next().map(|c| (c, length))
}

/// The byte a character stands for in windows-1252 or Latin-1.
fn single_byte(c: char) -> Option<u8> {
    if let Ok(byte) = u8::try_from(u32::from(c)) {
        return Some(byte);
    }
    let mut buffer = [0u8; 4];
    let (bytes, _, unmappable) = WINDOWS_1252.encode(c.encode_utf8(&mut buffer));
    match (&*bytes, unmappable) {
        (&[byte], false) => Some(byte),
        _ => None,
    }
}

/// Pages re-saved as UTF-8 often keep their old declaration. Non-ASCII text that is valid
/// UTF-8 is almost never legacy-encoded text, so such bytes are read as UTF-8.
fn prefer_utf8(bytes: &[u8], declared: &'static Encoding) -> &'static Encoding {
    if declared != UTF_8 && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        declared
    }
}

/// A label turned into an encoding, where a page declaring UTF-16 in ASCII bytes means UTF-8
/// (as the HTML standard says: the bytes were evidently not UTF-16).
fn usable_label(label: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        return Some(UTF_8);
    }
    if encoding == encoding_rs::REPLACEMENT {
        return None;
    }
    Some(encoding)
}

/// The `charset=` parameter of a `Content-Type` value.
pub fn charset_parameter(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// The charset declared by the first `<meta>` that declares one.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(offset) = find(&lower[from..], b"<meta") {
        let start = from + offset;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |p| start + p);
        let tag = &lower[start..end];
        if let Some(at) = find(tag, b"charset") {
            let rest = &tag[at + b"charset".len()..];
            let rest = trim_ascii_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_ascii_start(rest);
                let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
                let len = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(rest.len());
                if let Some(encoding) = std::str::from_utf8(&rest[..len]).ok().and_then(usable_label) {
                    return Some(encoding);
                }
            }
        }
        from = end.max(start + 1);
    }
    None
}

fn trim_ascii_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[skip..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], content_type: Option<&str>, expected_text: &str, expected: &'static Encoding) {
        let decoded = decode_html(bytes, content_type);
        assert_eq!(decoded.encoding, expected, "encoding of {bytes:?}");
        assert!(
            decoded.text.contains(expected_text),
            "{:?} does not contain {expected_text:?}",
            decoded.text
        );
    }

    #[test]
    fn charsets() {
        // BOM wins over everything.
        check(b"\xEF\xBB\xBF<meta charset=gbk>\xC3\xA9", Some("text/html; charset=big5"), "é", UTF_8);
        // The header wins over <meta>.
        check(b"<meta charset=utf-8>\xE9", Some("text/html; charset=windows-1252"), "é", WINDOWS_1252);
        // <meta charset> and the http-equiv form.
        check(b"<html><head><meta charset='gbk'></head>\xD6\xD0\xCE\xC4", None, "中文", encoding_rs::GBK);
        check(
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">\x93\xfa\x96\x7b",
            None,
            "日本",
            encoding_rs::SHIFT_JIS,
        );
        // No declaration: UTF-8 when valid, else windows-1252.
        check("caf\u{e9}".as_bytes(), None, "café", UTF_8);
        check(b"caf\xE9 \x93quoted\x94", None, "café “quoted”", WINDOWS_1252);
        // A page re-saved as UTF-8 that still declares GBK is read as UTF-8.
        check("<meta charset=gbk>中文".as_bytes(), None, "中文", UTF_8);
        // A meta claiming UTF-16 in ASCII bytes means UTF-8.
        check(b"<meta charset=utf-16>caf\xC3\xA9", None, "café", UTF_8);
    }

    #[test]
    fn text_encoded_twice_is_read_back() {
        let check = |text: &str, expected: Option<&str>| {
            assert_eq!(repair_double_encoding(text).as_deref(), expected, "{text:?}");
        };
        // Read once as windows-1252, once as Latin-1 (C1 controls), two and four bytes.
        check(
            "It\u{e2}\u{20ac}\u{2122}s here \u{e2}\u{20ac}\u{201d} now",
            Some("It\u{2019}s here \u{2014} now"),
        );
        check("flexbox \u{e2}\u{80}\u{94} flexibly", Some("flexbox \u{2014} flexibly"));
        check("caf\u{c3}\u{a9} at \u{c2}\u{a3}5", Some("caf\u{e9} at \u{a3}5"));
        check("\u{f0}\u{9f}\u{98}\u{80}", Some("\u{1f600}"));
        // Written text is left alone: accents, a lead letter before a letter, a lone sign.
        check("café, pâte, SÃO PAULO, Nº 5, â€ alone? no", None);
        check("plain ascii", None);
        check("Ã", None);
    }

    #[test]
    fn charset_parameters() {
        assert_eq!(charset_parameter("text/html; charset=\"UTF-8\""), Some("UTF-8"));
        assert_eq!(charset_parameter("text/html;CHARSET=gbk ; q=1"), Some("gbk"));
        assert_eq!(charset_parameter("text/html"), None);
    }
}
