//! Markdown, plain-text and HTML renderings of an article.

use std::fmt::Write;

use crate::model::{Article, Block, Image, Inline, Table, Video};

/// The body only, as a reader reads it: no headline, byline, captions or video cards;
/// blocks separated by blank lines, list items one per line.
pub fn to_text(article: &Article) -> String {
    let mut out = String::new();
    for block in &article.body {
        let text = block.text();
        if text.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(text.trim());
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The whole article as CommonMark: headline, bullets, byline, lead image, then the body.
pub fn to_markdown(article: &Article) -> String {
    let mut out = String::new();
    if !article.topics.is_empty() {
        let names: Vec<&str> = article.topics.iter().map(|t| t.name.as_str()).collect();
        let _ = writeln!(out, "{}\n", escape_markdown(&names.join(" › ")));
    }
    if !article.headline.is_empty() {
        let _ = writeln!(out, "# {}\n", escape_markdown(&article.headline));
    }
    for bullet in &article.summary {
        let _ = writeln!(out, "- {}", escape_markdown(bullet));
    }
    if !article.summary.is_empty() {
        out.push('\n');
    }
    if let Some(byline) = byline(article) {
        let _ = writeln!(out, "{}\n", escape_markdown(&byline));
    }
    if let Some(published) = article.published {
        let _ = writeln!(out, "Published {}\n", published.to_rfc3339());
    }
    if let Some(image) = &article.lead_image {
        markdown_image(image, &mut out);
    }
    for block in &article.body {
        match block {
            Block::Paragraph { content } => {
                let _ = writeln!(out, "{}\n", markdown_inlines(content));
            }
            Block::Heading { level, content } => {
                let hashes = "#".repeat(usize::from((*level).clamp(2, 6)));
                let _ = writeln!(out, "{hashes} {}\n", markdown_inlines(content));
            }
            Block::List { ordered, items } => {
                for (i, item) in items.iter().enumerate() {
                    if *ordered {
                        let _ = writeln!(out, "{}. {}", i + 1, markdown_inlines(item));
                    } else {
                        let _ = writeln!(out, "- {}", markdown_inlines(item));
                    }
                }
                out.push('\n');
            }
            Block::Quote { paragraphs, attribution } => {
                for (i, paragraph) in paragraphs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(">\n");
                    }
                    let _ = writeln!(out, "> {}", markdown_inlines(paragraph));
                }
                if let Some(who) = attribution {
                    let _ = writeln!(out, ">\n> — {}", escape_markdown(who));
                }
                out.push('\n');
            }
            Block::Preformatted { text } => {
                let fence = if text.contains("```") { "~~~~" } else { "```" };
                let _ = writeln!(out, "{fence}\n{}\n{fence}\n", text.trim_end_matches('\n'));
            }
            Block::Table(table) => markdown_table(table, &mut out),
            Block::Image(image) => markdown_image(image, &mut out),
            Block::Video(video) => {
                let _ = writeln!(out, "{}\n", markdown_video(video));
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// "By Maria Okafor and Li Wei", or none without authors.
fn byline(article: &Article) -> Option<String> {
    let names: Vec<&str> = article.authors.iter().map(|a| a.name.as_str()).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("By {one}")),
        [rest @ .., last] => Some(format!("By {} and {last}", rest.join(", "))),
    }
}

/// A GitHub-flavoured Markdown table (the caption in italics above it). Markdown tables need
/// a header row: a table without one gets an empty header.
fn markdown_table(table: &Table, out: &mut String) {
    let columns = table.all_rows().map(Vec::len).max().unwrap_or(0);
    if columns == 0 {
        return;
    }
    if let Some(caption) = &table.caption {
        let _ = writeln!(out, "*{}*\n", escape_markdown(caption));
    }
    let row_line = |cells: &[Vec<Inline>], out: &mut String| {
        out.push('|');
        for n in 0..columns {
            let cell = cells.get(n).map(|c| markdown_inlines(c)).unwrap_or_default();
            let _ = write!(out, " {} |", cell.replace("\\\n", " ").replace('\n', " ").replace('|', "\\|"));
        }
        out.push('\n');
    };
    row_line(&table.header, out);
    let _ = writeln!(out, "|{}", " --- |".repeat(columns));
    for row in &table.rows {
        row_line(row, out);
    }
    out.push('\n');
}

fn markdown_image(image: &Image, out: &mut String) {
    let alt = image.alt.as_deref().unwrap_or("");
    if !image.url.is_empty() {
        let _ = writeln!(out, "![{}]({})", escape_markdown(alt), markdown_url(&image.url));
    }
    let caption = caption_line(image);
    if !caption.is_empty() {
        let _ = writeln!(out, "*{}*", escape_markdown(&caption));
    }
    out.push('\n');
}

fn caption_line(image: &Image) -> String {
    match (&image.caption, &image.credit) {
        (Some(caption), Some(credit)) => format!("{caption} ({credit})"),
        (Some(caption), None) => caption.clone(),
        (None, Some(credit)) => credit.clone(),
        (None, None) => String::new(),
    }
}

fn markdown_video(video: &Video) -> String {
    let mut card = format!("▶ {}", escape_markdown(&video.title));
    if let Some(seconds) = video.duration_seconds {
        let _ = write!(card, " ({})", format_duration(seconds));
    }
    match &video.url {
        Some(url) => format!("[{card}]({})", markdown_url(url)),
        None => card,
    }
}

/// "01:38", or "1:02:03" past an hour: the badge a video card shows.
pub(crate) fn format_duration(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m:02}:{s:02}") }
}

fn markdown_inlines(content: &[Inline]) -> String {
    let mut out = String::new();
    for inline in content {
        match inline {
            Inline::Text(text) => out.push_str(&escape_markdown(text)),
            Inline::Emphasis(children) => {
                let inner = markdown_inlines(children);
                if !inner.trim().is_empty() {
                    let _ = write!(out, "*{inner}*");
                }
            }
            Inline::Strong(children) => {
                let inner = markdown_inlines(children);
                if !inner.trim().is_empty() {
                    let _ = write!(out, "**{inner}**");
                }
            }
            Inline::Code(code) => {
                let ticks = if code.contains('`') { "``" } else { "`" };
                let _ = write!(out, "{ticks}{code}{ticks}");
            }
            Inline::Link { href, content } => {
                let _ = write!(out, "[{}]({})", markdown_inlines(content), markdown_url(href));
            }
            Inline::LineBreak => out.push_str("\\\n"),
        }
    }
    out
}

fn markdown_url(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// Escapes the characters that would otherwise start Markdown syntax.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' | '*' | '_' | '[' | ']' | '`' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '>' | '-' | '+' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The article as a self-contained HTML `<article>` element; all text is escaped.
pub fn to_html(article: &Article) -> String {
    let mut out = String::from("<article>\n");
    if !article.topics.is_empty() {
        out.push_str("<nav class=\"topics\">");
        for (i, topic) in article.topics.iter().enumerate() {
            if i > 0 {
                out.push_str(" · ");
            }
            let _ = write!(
                out,
                "<a href=\"/topics/{}\">{}</a>",
                escape_html(&topic.slug),
                escape_html(&topic.name)
            );
        }
        out.push_str("</nav>\n");
    }
    let _ = writeln!(out, "<h1>{}</h1>", escape_html(&article.headline));
    if !article.summary.is_empty() {
        out.push_str("<ul class=\"summary\">\n");
        for bullet in &article.summary {
            let _ = writeln!(out, "<li>{}</li>", escape_html(bullet));
        }
        out.push_str("</ul>\n");
    }
    if let Some(byline) = byline(article) {
        let _ = writeln!(out, "<p class=\"byline\">{}</p>", escape_html(&byline));
    }
    if let Some(image) = &article.lead_image {
        html_figure(image, &mut out);
    }
    for block in &article.body {
        match block {
            Block::Paragraph { content } => {
                let _ = writeln!(out, "<p>{}</p>", html_inlines(content));
            }
            Block::Heading { level, content } => {
                let level = (*level).clamp(2, 6);
                let _ = writeln!(out, "<h{level}>{}</h{level}>", html_inlines(content));
            }
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                let _ = writeln!(out, "<{tag}>");
                for item in items {
                    let _ = writeln!(out, "<li>{}</li>", html_inlines(item));
                }
                let _ = writeln!(out, "</{tag}>");
            }
            Block::Quote { paragraphs, attribution } => {
                out.push_str("<blockquote>\n");
                for paragraph in paragraphs {
                    let _ = writeln!(out, "<p>{}</p>", html_inlines(paragraph));
                }
                if let Some(who) = attribution {
                    let _ = writeln!(out, "<footer>{}</footer>", escape_html(who));
                }
                out.push_str("</blockquote>\n");
            }
            Block::Preformatted { text } => {
                let _ = writeln!(out, "<pre>{}</pre>", escape_html(text));
            }
            Block::Table(table) => html_table(table, &mut out),
            Block::Image(image) => html_figure(image, &mut out),
            Block::Video(video) => {
                out.push_str("<figure class=\"video\">");
                let title = escape_html(&video.title);
                match &video.url {
                    Some(url) => {
                        let _ = write!(out, "<a href=\"{}\">{title}</a>", escape_html(url));
                    }
                    None => out.push_str(&title),
                }
                if let Some(seconds) = video.duration_seconds {
                    let _ = write!(out, " <span class=\"duration\">{}</span>", format_duration(seconds));
                }
                out.push_str("</figure>\n");
            }
        }
    }
    out.push_str("</article>\n");
    out
}

fn html_table(table: &Table, out: &mut String) {
    out.push_str("<table>\n");
    if let Some(caption) = &table.caption {
        let _ = writeln!(out, "<caption>{}</caption>", escape_html(caption));
    }
    let row = |cells: &[Vec<Inline>], tag: &str, out: &mut String| {
        out.push_str("<tr>");
        for cell in cells {
            let _ = write!(out, "<{tag}>{}</{tag}>", html_inlines(cell));
        }
        out.push_str("</tr>\n");
    };
    if !table.header.is_empty() {
        out.push_str("<thead>\n");
        row(&table.header, "th", out);
        out.push_str("</thead>\n");
    }
    out.push_str("<tbody>\n");
    for cells in &table.rows {
        row(cells, "td", out);
    }
    out.push_str("</tbody>\n</table>\n");
}

fn html_figure(image: &Image, out: &mut String) {
    let alt = image.alt.as_deref().unwrap_or("");
    out.push_str("<figure>");
    if !image.url.is_empty() {
        let _ = write!(out, "<img src=\"{}\" alt=\"{}\"", escape_html(&image.url), escape_html(alt));
        if let (Some(w), Some(h)) = (image.width, image.height) {
            let _ = write!(out, " width=\"{w}\" height=\"{h}\"");
        }
        out.push('>');
    }
    if image.caption.is_some() || image.credit.is_some() {
        out.push_str("<figcaption>");
        if let Some(caption) = &image.caption {
            out.push_str(&escape_html(caption));
        }
        if let Some(credit) = &image.credit {
            let _ = write!(out, " <span class=\"credit\">{}</span>", escape_html(credit));
        }
        out.push_str("</figcaption>");
    }
    out.push_str("</figure>\n");
}

fn html_inlines(content: &[Inline]) -> String {
    let mut out = String::new();
    for inline in content {
        match inline {
            Inline::Text(text) => out.push_str(&escape_html(text)),
            Inline::Emphasis(children) => {
                let _ = write!(out, "<em>{}</em>", html_inlines(children));
            }
            Inline::Strong(children) => {
                let _ = write!(out, "<strong>{}</strong>", html_inlines(children));
            }
            Inline::Code(code) => {
                let _ = write!(out, "<code>{}</code>", escape_html(code));
            }
            Inline::Link { href, content } => {
                let _ = write!(out, "<a href=\"{}\">{}</a>", escape_html(href), html_inlines(content));
            }
            Inline::LineBreak => out.push_str("<br>"),
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(format_duration(0), "00:00");
        assert_eq!(format_duration(98), "01:38");
        assert_eq!(format_duration(135), "02:15");
        assert_eq!(format_duration(3723), "1:02:03");
    }

    #[test]
    fn html_escapes_text_and_attributes() {
        let article = Article {
            headline: "<script>alert(1)</script>".into(),
            body: vec![Block::Paragraph {
                content: vec![Inline::Link {
                    href: "\"><x".into(),
                    content: vec![Inline::Text("a & b".into())],
                }],
            }],
            ..Article::default()
        };
        let html = to_html(&article);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("href=\"&quot;&gt;&lt;x\""));
        assert!(html.contains("a &amp; b"));
    }

    #[test]
    fn markdown_escapes_syntax() {
        assert_eq!(escape_markdown("# not a heading *or* _this_"), "\\# not a heading \\*or\\* \\_this\\_");
        assert_eq!(escape_markdown("a - b"), "a - b");
    }

    #[test]
    fn text_is_body_only() {
        let article = Article {
            headline: "Headline".into(),
            authors: vec![crate::Author { name: "Maria Okafor".into(), url: None }],
            body: vec![
                Block::paragraph("First."),
                Block::Image(Image {
                    url: "a.jpg".into(),
                    caption: Some("Caption".into()),
                    ..Image::default()
                }),
                Block::List {
                    ordered: false,
                    items: vec![vec![Inline::Text("one".into())], vec![Inline::Text("two".into())]],
                },
                Block::paragraph("Last."),
            ],
            ..Article::default()
        };
        assert_eq!(to_text(&article), "First.\n\none\ntwo\n\nLast.\n");
    }

    fn fares() -> Article {
        let text = |s: &str| vec![Inline::Text(s.into())];
        Article {
            body: vec![Block::Table(Table {
                caption: Some("Fares from May".into()),
                header: vec![text("Ticket"), text("Price")],
                rows: vec![
                    vec![text("Single"), vec![Inline::Strong(text("$2.50"))]],
                    vec![text("Day | return"), text("$6"), text("new")],
                ],
            })],
            ..Article::default()
        }
    }

    #[test]
    fn tables_render_in_every_format() {
        let article = fares();
        assert_eq!(
            to_html(&article),
            "<article>\n<h1></h1>\n<table>\n<caption>Fares from May</caption>\n<thead>\n\
             <tr><th>Ticket</th><th>Price</th></tr>\n</thead>\n<tbody>\n\
             <tr><td>Single</td><td><strong>$2.50</strong></td></tr>\n\
             <tr><td>Day | return</td><td>$6</td><td>new</td></tr>\n</tbody>\n</table>\n</article>\n"
        );
        // Every row gets as many cells as the widest; a pipe in a cell is escaped.
        assert_eq!(
            to_markdown(&article),
            "*Fares from May*\n\n| Ticket | Price |  |\n| --- | --- | --- |\n\
             | Single | **$2.50** |  |\n| Day \\| return | $6 | new |\n"
        );
        assert_eq!(
            to_text(&article),
            "Fares from May\nTicket\tPrice\nSingle\t$2.50\nDay | return\t$6\tnew\n"
        );
        assert_eq!(article.word_count(), 11);
    }

    #[test]
    fn a_table_without_a_header_gets_an_empty_one_in_markdown() {
        let mut article = fares();
        let Block::Table(table) = &mut article.body[0] else { unreachable!() };
        table.header.clear();
        table.caption = None;
        let markdown = to_markdown(&article);
        assert!(markdown.starts_with("|  |  |  |\n| --- | --- | --- |\n| Single |"), "{markdown}");
        assert!(!to_html(&article).contains("<thead>"));
    }
}
