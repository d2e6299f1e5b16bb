//! Cross-origin protection for forms that anyone may post (the comment form), from what
//! browsers say of where a request comes from, so that the page holding the form carries
//! nothing of one reader's and can be shared by every reader and cache: `Sec-Fetch-Site`,
//! which every current browser sends, else `Origin` compared with this site's. A request with
//! neither does not come from a browser, and no other site can make a reader's browser send it.

use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};

/// Whether a form post comes from this site's own pages (or from no browser at all), this
/// site being at `public_url`.
pub fn from_this_site(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    let Ok(origin) = url::Url::parse(origin) else { return false };
    let ours = url::Url::parse(public_url).map(|u| u.origin());
    if ours.is_ok_and(|ours| ours == origin.origin()) {
        return true;
    }
    // Served under another name than the configured one: the address the browser used.
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    let authority = match origin.port() {
        Some(port) => format!("{}:{port}", origin.host_str().unwrap_or_default()),
        None => origin.host_str().unwrap_or_default().to_string(),
    };
    host.is_some_and(|host| !authority.is_empty() && host.eq_ignore_ascii_case(&authority))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pairs: &[(&'static str, &'static str)]) -> bool {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().expect("a header value"));
        }
        from_this_site(&headers, "https://news.example")
    }

    #[test]
    fn browsers_say_where_a_post_comes_from() {
        assert!(check(&[("sec-fetch-site", "same-origin")]));
        assert!(!check(&[("sec-fetch-site", "cross-site"), ("origin", "https://news.example")]));
        assert!(!check(&[("sec-fetch-site", "same-site")]), "a sibling subdomain is another site");
        assert!(check(&[("origin", "https://news.example")]));
        assert!(!check(&[("origin", "https://evil.example")]));
        assert!(!check(&[("origin", "null")]));
        assert!(!check(&[("origin", "http://news.example")]), "another scheme is another origin");
        assert!(check(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]));
        assert!(!check(&[("origin", "http://127.0.0.1:9999"), ("host", "127.0.0.1:8080")]));
        assert!(check(&[]), "no browser");
    }
}
