//! HTML for pages and comments: escaping, reader text as paragraphs with safe links, and
//! the allowlist sanitizer every piece of article or reader text passes before a page.

use std::sync::OnceLock;

pub use lector_article::escape_html as escape;
use lector_core::comments::links;

/// Plain text as HTML: escaped, paragraphs at blank lines, line breaks kept, and web
/// addresses made into links that search engines do not follow.
pub fn text_html(text: &str) -> String {
    let mut html = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        html.push_str("<p>");
        for (n, line) in paragraph.lines().enumerate() {
            if n > 0 {
                html.push_str("<br>");
            }
            html.push_str(&autolink(line));
        }
        html.push_str("</p>");
    }
    html
}

fn autolink(line: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    for link in links(line) {
        out.push_str(&escape(&line[at..link.range.start]));
        out.push_str(&format!(
            "<a href=\"{}\" rel=\"nofollow ugc noopener\">{}</a>",
            escape(&link.href),
            escape(&line[link.range.clone()])
        ));
        at = link.range.end;
    }
    out.push_str(&escape(&line[at..]));
    out
}

/// The last guard before article text reaches a page: an allowlist of the elements and
/// attributes the renderer writes (ammonia). Scripts, event handlers, styles and any URL
/// scheme but http, https and mailto cannot pass, whatever a renderer bug let through.
pub fn sanitize(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut builder = ammonia::Builder::empty();
            builder
                .add_tags([
                    "p",
                    "h2",
                    "h3",
                    "h4",
                    "ul",
                    "ol",
                    "li",
                    "blockquote",
                    "footer",
                    "pre",
                    "code",
                    "em",
                    "strong",
                    "a",
                    "br",
                    "span",
                    "figure",
                    "img",
                    "figcaption",
                    "aside",
                    "div",
                    "table",
                    "caption",
                    "thead",
                    "tbody",
                    "tr",
                    "th",
                    "td",
                ])
                .add_tag_attributes("a", ["href", "rel", "class", "aria-label"])
                .add_tag_attributes("span", ["class", "data-u", "aria-label", "aria-hidden"])
                .add_tag_attributes("img", ["src", "srcset", "sizes", "alt", "width", "height", "loading"])
                .add_tag_attributes("aside", ["class", "aria-label", "data-nosnippet"])
                .add_tag_attributes("div", ["class", "role", "aria-label", "tabindex"])
                .add_tag_attributes("figcaption", ["class"])
                .url_schemes(["http", "https", "mailto"].into())
                .link_rel(None)
                .strip_comments(true);
            builder
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_links_are_nofollow() {
        assert_eq!(
            text_html("See https://example.com/a?b=1&c=2. <b>Bold</b>\nNext line\n\nwww.example.org!"),
            "<p>See <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">https://example.com/a?b=1&amp;c=2</a>. \
             &lt;b&gt;Bold&lt;/b&gt;<br>Next line</p><p><a href=\"https://www.example.org\" rel=\"nofollow ugc noopener\">www.example.org</a>!</p>"
        );
        assert_eq!(text_html("javascript:alert(1)"), "<p>javascript:alert(1)</p>");
    }
}
