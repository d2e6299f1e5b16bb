//! Cookies (read and written with the `cookie` crate) and the double-submit anti-forgery token
//! of the site's forms.

use axum::http::{HeaderMap, HeaderValue};
use cookie::{Cookie, SameSite};

/// The name of the cookie that carries the comment form's anti-forgery token.
pub const CSRF_COOKIE: &str = "lector_csrf";
/// The name of the cookie that carries a staff session's secret.
pub const SESSION_COOKIE: &str = "lector_session";

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == wanted)
        .map(|cookie| cookie.value().to_string())
}

/// A `Set-Cookie` value for a cookie that scripts cannot read and that the browser sends only
/// with this site's own requests under `path` (`HttpOnly`, `SameSite=Strict`).
pub fn strict_cookie(name: &str, value: &str, path: &str) -> Option<HeaderValue> {
    let cookie = Cookie::build((name, value)).path(path).same_site(SameSite::Strict).http_only(true);
    HeaderValue::from_str(&cookie.build().to_string()).ok()
}

/// A `Set-Cookie` value for a sign-in session: `HttpOnly`, `SameSite=Strict`, for the whole
/// site, kept `max_age_secs`, and `Secure` when the site is served over HTTPS.
pub fn session_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> Option<HeaderValue> {
    let cookie = Cookie::build((name, value))
        .path("/")
        .same_site(SameSite::Strict)
        .http_only(true)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_secs));
    HeaderValue::from_str(&cookie.build().to_string()).ok()
}

/// A `Set-Cookie` value that removes the cookie `name` of `path`.
pub fn removed_cookie(name: &str, path: &str) -> Option<HeaderValue> {
    let mut cookie = Cookie::build((name, "")).path(path).same_site(SameSite::Strict).http_only(true).build();
    cookie.make_removal();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

/// The anti-forgery token the browser already has, if it is one of ours.
pub fn csrf_cookie(headers: &HeaderMap) -> Option<String> {
    cookie(headers, CSRF_COOKIE)
        .filter(|value| value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The anti-forgery token for a page's forms, and the cookie to set when the browser has
/// none yet. Double-submit: a form carries the cookie's value, which other sites can neither
/// read nor send (`SameSite=Strict`).
pub fn ensure_csrf(headers: &HeaderMap) -> Result<(String, Option<HeaderValue>), getrandom::Error> {
    if let Some(token) = csrf_cookie(headers) {
        return Ok((token, None));
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    let token = hex::encode(bytes);
    let cookie = strict_cookie(CSRF_COOKIE, &token, "/");
    Ok((token, cookie))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_name_among_many_headers() {
        let mut headers = HeaderMap::new();
        headers.append("cookie", HeaderValue::from_static("a=1; lector_csrf=\"quoted\""));
        headers.append("cookie", HeaderValue::from_static("theme=dark;b=2"));
        assert_eq!(cookie(&headers, "b").as_deref(), Some("2"));
        assert_eq!(cookie(&headers, "theme").as_deref(), Some("dark"));
        assert_eq!(cookie(&headers, "missing"), None);
        // Not 32 hex digits: not our token.
        assert_eq!(csrf_cookie(&headers), None);
    }

    #[test]
    fn written_cookies_are_strict_and_hidden_from_scripts() {
        let set = strict_cookie("m", "v", "/moderation").expect("a header");
        let text = set.to_str().expect("ASCII");
        for part in ["m=v", "Path=/moderation", "SameSite=Strict", "HttpOnly"] {
            assert!(text.contains(part), "{text}");
        }
        let session = session_cookie("s", "v", 3600, true).expect("a header");
        let text = session.to_str().expect("ASCII");
        for part in ["s=v", "Path=/", "SameSite=Strict", "HttpOnly", "Secure", "Max-Age=3600"] {
            assert!(text.contains(part), "{text}");
        }
        let plain = session_cookie("s", "v", 60, false).expect("a header");
        assert!(!plain.to_str().expect("ASCII").contains("Secure"), "no Secure over plain HTTP");
        let removed = removed_cookie("m", "/moderation").expect("a header");
        let text = removed.to_str().expect("ASCII");
        assert!(text.starts_with("m=;") && text.contains("Max-Age=0"), "{text}");
    }
}
