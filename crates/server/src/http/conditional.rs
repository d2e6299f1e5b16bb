//! Conditional requests by entity tag (RFC 9110 §13): `If-None-Match` answered with 304, and
//! `If-Range` deciding whether a `Range` applies; the headers read by the `headers` crate.

use axum::http::HeaderMap;
use headers::{ETag, HeaderMapExt, IfNoneMatch, IfRange};

/// An entity tag from its quoted form (`"abc"`); `None` when it is not one.
pub fn etag(quoted: &str) -> Option<ETag> {
    quoted.parse().ok()
}

/// Whether the client has this version already (`If-None-Match` names it, compared weakly, or
/// is `*`): the answer is 304.
pub fn not_modified(headers: &HeaderMap, etag: &ETag) -> bool {
    headers.typed_get::<IfNoneMatch>().is_some_and(|tags| !tags.precondition_passes(etag))
}

/// Whether a `Range` applies: there is no `If-Range`, or it names this version (compared
/// strongly). An `If-Range` date never matches, as lector's blobs carry no `Last-Modified`.
pub fn range_applies(headers: &HeaderMap, etag: &ETag) -> bool {
    headers.typed_get::<IfRange>().is_none_or(|condition| !condition.is_modified(Some(etag), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().expect("a header value"));
        }
        map
    }

    #[test]
    fn if_none_match_names_the_version_in_a_list_weakly_or_as_any() {
        let tag = etag("\"v2\"").expect("a tag");
        let check = |pairs| not_modified(&headers(pairs), &tag);
        assert!(check(&[("if-none-match", "\"v2\"")]));
        assert!(check(&[("if-none-match", "\"v1\", \"v2\"")]));
        assert!(check(&[("if-none-match", "W/\"v2\"")]));
        assert!(check(&[("if-none-match", "*")]));
        assert!(!check(&[("if-none-match", "\"v1\"")]));
        assert!(!check(&[("if-none-match", "v2")]), "an unquoted tag is no tag");
        assert!(!check(&[]));
    }

    #[test]
    fn if_range_lets_a_range_apply_only_to_the_same_version() {
        let tag = etag("\"v2\"").expect("a tag");
        let check = |pairs| range_applies(&headers(pairs), &tag);
        assert!(check(&[]));
        assert!(check(&[("if-range", "\"v2\"")]));
        assert!(!check(&[("if-range", "\"v1\"")]));
        assert!(!check(&[("if-range", "W/\"v2\"")]), "a weak tag never matches for a range");
        assert!(!check(&[("if-range", "Wed, 21 Oct 2015 07:28:00 GMT")]));
    }

    #[test]
    fn only_quoted_tags_are_tags() {
        assert!(etag("\"abc\"").is_some());
        assert!(etag("abc").is_none());
    }
}
