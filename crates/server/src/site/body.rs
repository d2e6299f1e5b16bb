//! An article's text as HTML for its page: every sentence the voice reads is wrapped in
//! `<span class="s" data-u="N">` (N: the utterance's index in the narration), so the player can
//! highlight it and play from it; ad slots go between blocks by the site's rule.

use std::ops::Range;

use lector_article::{Block, Inline};
use lector_speech::{Part, Script};

pub use lector_article::escape_html as escape;

/// Whether a link may be followed from a page: web, mail and same-site addresses only.
pub fn safe_href(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
}

/// The utterances of one part of the article: (index in the script, byte range in its text).
pub fn utterances_of(script: &Script, part: Part) -> Vec<(usize, Range<usize>)> {
    script
        .utterances
        .iter()
        .enumerate()
        .filter(|(_, u)| u.location.part == part)
        .map(|(i, u)| (i, u.location.range.clone()))
        .collect()
}

/// Writes text, wrapping the pieces that belong to an utterance in sentence spans. `offset`
/// is where `text` starts in the part's whole text, and moves past it.
struct Marker<'a> {
    ranges: &'a [(usize, Range<usize>)],
    offset: usize,
}

impl Marker<'_> {
    fn text(&mut self, text: &str, out: &mut String) {
        let start = self.offset;
        let end = start + text.len();
        let mut at = start;
        while at < end {
            let (utterance, stop) = match self.ranges.iter().find(|(_, r)| r.start <= at && at < r.end) {
                Some((index, range)) => (Some(*index), range.end.min(end)),
                None => {
                    let next =
                        self.ranges.iter().map(|(_, r)| r.start).filter(|s| *s > at).min().unwrap_or(end);
                    (None, next.min(end))
                }
            };
            let piece = text.get(at - start..stop - start).unwrap_or("");
            match utterance {
                Some(index) => {
                    out.push_str(&format!("<span class=\"s\" data-u=\"{index}\">{}</span>", escape(piece)))
                }
                None => out.push_str(&escape(piece)),
            }
            if stop <= at {
                break;
            }
            at = stop;
        }
        self.offset = end;
    }

    fn inline(&mut self, content: &[Inline], out: &mut String) {
        for inline in content {
            match inline {
                Inline::Text(text) => self.text(text, out),
                Inline::Code(text) => {
                    out.push_str("<code>");
                    self.text(text, out);
                    out.push_str("</code>");
                }
                Inline::Emphasis(children) => {
                    out.push_str("<em>");
                    self.inline(children, out);
                    out.push_str("</em>");
                }
                Inline::Strong(children) => {
                    out.push_str("<strong>");
                    self.inline(children, out);
                    out.push_str("</strong>");
                }
                Inline::Link { href, content } => {
                    if safe_href(href) {
                        out.push_str(&format!("<a href=\"{}\" rel=\"nofollow noopener\">", escape(href)));
                        self.inline(content, out);
                        out.push_str("</a>");
                    } else {
                        self.inline(content, out);
                    }
                }
                Inline::LineBreak => {
                    self.offset += 1;
                    out.push_str("<br>");
                }
            }
        }
    }
}

impl Marker<'_> {
    /// A table in a scrolling box, its caption and cells marked where the narration reads
    /// them; offsets follow [`lector_article::Table::text`]: a line each for the caption and
    /// every row, cells one byte apart.
    fn table(&mut self, table: &lector_article::Table, out: &mut String) {
        let label = table.caption.as_deref().unwrap_or("Table");
        out.push_str(&format!(
            "<div class=\"table\" role=\"region\" aria-label=\"{}\" tabindex=\"0\"><table>",
            escape(label)
        ));
        if let Some(caption) = table.caption_line() {
            out.push_str("<caption>");
            self.text(&caption, out);
            out.push_str("</caption>");
            self.offset += 1;
        }
        let mut row = |cells: &[Vec<Inline>], tag: &str, out: &mut String| {
            out.push_str("<tr>");
            for cell in cells {
                out.push_str(&format!("<{tag}>"));
                self.inline(cell, out);
                out.push_str(&format!("</{tag}>"));
                self.offset += 1;
            }
            out.push_str("</tr>");
        };
        if !table.header.is_empty() {
            out.push_str("<thead>");
            row(&table.header, "th", out);
            out.push_str("</thead>");
        }
        out.push_str("<tbody>");
        for cells in &table.rows {
            row(cells, "td", out);
        }
        out.push_str("</tbody></table></div>");
    }
}

/// Plain text with its sentence spans (headline, summary bullets).
pub fn marked_text(text: &str, ranges: &[(usize, Range<usize>)]) -> String {
    let mut out = String::new();
    Marker { ranges, offset: 0 }.text(text, &mut out);
    out
}

/// How a body image is shown: the caller resolves kept images (never the source's address).
pub type ImageHtml<'a> = dyn Fn(&lector_article::Image) -> Option<String> + 'a;

/// A video's duration as its badge shows it: "01:38", "1:02:05".
pub fn duration_badge(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m:02}:{s:02}") }
}

/// The body's blocks as HTML, with an ad slot after every `ad_every` paragraphs (never first,
/// never last, never inside a list or quote; 0 for none).
pub fn body_html(blocks: &[Block], script: &Script, ad_every: u32, image: &ImageHtml<'_>) -> Vec<String> {
    let mut html = Vec::new();
    let mut paragraphs = 0u32;
    for (i, block) in blocks.iter().enumerate() {
        let ranges = utterances_of(script, Part::Body(i));
        let mut marker = Marker { ranges: &ranges, offset: 0 };
        let mut out = String::new();
        match block {
            Block::Paragraph { content } => {
                out.push_str("<p>");
                marker.inline(content, &mut out);
                out.push_str("</p>");
            }
            Block::Heading { level, content } => {
                let level = (*level).clamp(2, 4);
                out.push_str(&format!("<h{level}>"));
                marker.inline(content, &mut out);
                out.push_str(&format!("</h{level}>"));
            }
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>"));
                for item in items {
                    out.push_str("<li>");
                    marker.inline(item, &mut out);
                    out.push_str("</li>");
                    marker.offset += 1;
                }
                out.push_str(&format!("</{tag}>"));
            }
            Block::Quote { paragraphs: quoted, attribution } => {
                out.push_str("<blockquote>");
                for paragraph in quoted {
                    out.push_str("<p>");
                    marker.inline(paragraph, &mut out);
                    out.push_str("</p>");
                    marker.offset += 1;
                }
                if let Some(who) = attribution {
                    out.push_str(&format!("<footer>{}</footer>", escape(who)));
                }
                out.push_str("</blockquote>");
            }
            Block::Preformatted { text } => out.push_str(&format!("<pre>{}</pre>", escape(text))),
            Block::Table(table) => marker.table(table, &mut out),
            Block::Image(picture) => match image(picture) {
                Some(figure) => out.push_str(&figure),
                None => continue,
            },
            Block::Video(video) => {
                let badge = video
                    .duration_seconds
                    .map(|s| {
                        format!(
                            "<span class=\"duration\" aria-label=\"Duration\">{}</span>",
                            duration_badge(s)
                        )
                    })
                    .unwrap_or_default();
                let title = escape(&video.title);
                let inner = format!(
                    "<span class=\"play-icon\" aria-hidden=\"true\">&#x25B6;</span><span>{title}</span>{badge}"
                );
                match video.url.as_deref().filter(|u| safe_href(u)) {
                    Some(href) => out.push_str(&format!(
                        "<a class=\"card video\" href=\"{}\" rel=\"nofollow noopener\" aria-label=\"Video: {title}\">{inner}</a>",
                        escape(href)
                    )),
                    None => out.push_str(&format!("<div class=\"card video\" role=\"group\" aria-label=\"Video: {title}\">{inner}</div>")),
                }
            }
        }
        html.push(out);
        if matches!(block, Block::Paragraph { .. }) {
            paragraphs += 1;
            let more_follow = blocks[i + 1..].iter().any(|b| !matches!(b, Block::Image(_) | Block::Video(_)));
            if ad_every > 0 && paragraphs.is_multiple_of(ad_every) && more_follow {
                html.push(
                    "<aside class=\"ad\" aria-label=\"Advertisement\" data-nosnippet><span>Advertisement</span></aside>"
                        .to_string(),
                );
            }
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use lector_article::Article;
    use lector_speech::{ScriptOptions, build_script};

    fn article(blocks: Vec<Block>) -> (Article, Script) {
        let article = Article { headline: "Trams return".into(), body: blocks, ..Article::default() };
        let script = build_script(&article, &ScriptOptions::default());
        (article, script)
    }

    #[test]
    fn sentences_are_wrapped_across_inline_markup() {
        let paragraph = Block::Paragraph {
            content: vec![
                Inline::Text("The line opens in May. It was ".into()),
                Inline::Emphasis(vec![Inline::Text("very".into())]),
                Inline::Text(" late.".into()),
            ],
        };
        let (article, script) = article(vec![paragraph]);
        let html = body_html(&article.body, &script, 0, &|_| None);
        assert_eq!(
            html[0],
            "<p><span class=\"s\" data-u=\"1\">The line opens in May.</span> <span class=\"s\" data-u=\"2\">It was </span>\
             <em><span class=\"s\" data-u=\"2\">very</span></em><span class=\"s\" data-u=\"2\"> late.</span></p>"
        );
    }

    #[test]
    fn lists_and_quotes_follow_the_script_offsets() {
        let list = Block::List {
            ordered: false,
            items: vec![
                vec![Inline::Text("Fares stay the same.".into())],
                vec![Inline::Text("Cards work.".into())],
            ],
        };
        let quote = Block::Quote {
            paragraphs: vec![vec![Inline::Text("We waited <years>.".into())]],
            attribution: Some("Ana".into()),
        };
        let (article, script) = article(vec![list, quote]);
        let html = body_html(&article.body, &script, 0, &|_| None);
        assert!(
            html[0].contains("<li><span class=\"s\" data-u=\"1\">Fares stay the same.</span></li>"),
            "{}",
            html[0]
        );
        assert!(
            html[0].contains("<li><span class=\"s\" data-u=\"2\">Cards work.</span></li>"),
            "{}",
            html[0]
        );
        assert!(
            html[1].contains("data-u=\"3\">We waited &lt;years&gt;.</span>")
                && html[1].contains("<footer>Ana</footer>")
        );
    }

    #[test]
    fn tables_are_tables_with_the_parts_the_narration_reads_marked() {
        let text = |s: &str| vec![Inline::Text(s.into())];
        let table = Block::Table(lector_article::Table {
            caption: Some("Fares <2026>".into()),
            header: vec![text("Ticket"), text("Price")],
            rows: vec![vec![text("Single"), text("$2.50")], vec![text("Day"), text("$6")]],
        });
        let article = Article { headline: "Fares".into(), body: vec![table], ..Article::default() };
        let rows = ScriptOptions { read_tables: true, ..ScriptOptions::default() };
        let html = |options: &ScriptOptions| {
            body_html(&article.body, &build_script(&article, options), 0, &|_| None)
        };
        let read = html(&rows).remove(0);
        assert_eq!(
            read,
            "<div class=\"table\" role=\"region\" aria-label=\"Fares &lt;2026&gt;\" tabindex=\"0\"><table>\
             <caption><span class=\"s\" data-u=\"1\">Fares &lt;2026&gt;</span></caption>\
             <thead><tr><th>Ticket</th><th>Price</th></tr></thead><tbody>\
             <tr><td><span class=\"s\" data-u=\"2\">Single</span></td><td><span class=\"s\" data-u=\"2\">$2.50</span></td></tr>\
             <tr><td><span class=\"s\" data-u=\"3\">Day</span></td><td><span class=\"s\" data-u=\"3\">$6</span></td></tr>\
             </tbody></table></div>"
        );
        // Not read: only the caption is marked.
        let named = html(&ScriptOptions::default()).remove(0);
        assert!(named.contains("<caption><span class=\"s\" data-u=\"1\">"), "{named}");
        assert!(named.contains("<td>Single</td>") && !named.contains("data-u=\"2\""), "{named}");
    }

    #[test]
    fn ads_go_after_every_nth_paragraph_but_never_last_and_unsafe_links_are_dropped() {
        let paragraph = |text: &str| Block::paragraph(text);
        let blocks = vec![
            paragraph("One."),
            paragraph("Two."),
            Block::List { ordered: true, items: vec![vec![Inline::Text("Item.".into())]] },
            paragraph("Three."),
            paragraph("Four."),
            Block::Paragraph {
                content: vec![Inline::Link {
                    href: "javascript:alert(1)".into(),
                    content: vec![Inline::Text("Five.".into())],
                }],
            },
        ];
        let (article, script) = article(blocks);
        let html = body_html(&article.body, &script, 2, &|_| None);
        let kinds: Vec<&str> =
            html.iter().map(|h| if h.contains("Advertisement") { "ad" } else { "block" }).collect();
        assert_eq!(kinds, ["block", "block", "ad", "block", "block", "block", "ad", "block"]);
        assert!(!html.concat().contains("javascript:"));
        assert_eq!(duration_badge(98), "01:38");
        assert_eq!(duration_badge(3725), "1:02:05");
    }
}
