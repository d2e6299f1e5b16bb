//! Plain text copied or scraped from a whole page, turned into an article.
//!
//! Each line is classified by its position (before or after the headline, before or after
//! the body starts), its length and punctuation, repetition and credit patterns: topic,
//! headline, bullet, byline, caption, body, video card or furniture.

use std::collections::HashMap;

use lector_article::{Article, Block, Image, Inline, Topic, Video};

use crate::credit::split_caption_credit;
use crate::metadata::{MAX_TOPICS, clean, push_author};
use crate::patterns::{is_ad_label, is_dateline, is_furniture_text, parse_duration_badge};
use crate::{Extraction, Warning};

/// At most this many summary bullets.
const MAX_BULLETS: usize = 5;
/// A headline is at most this long.
const MAX_HEADLINE_CHARS: usize = 200;

const BULLET_MARKS: &[char] = &['•', '·', '▪', '◦', '●', '►', '*', '-', '–', '—'];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    /// Before the headline: topics and furniture.
    Top,
    /// Between the headline and the first body paragraph: bullets, byline, caption.
    Header,
    Body,
}

/// Extracts an article from plain text (read as Markdown when it is written in it, see
/// [`looks_like_markdown`](crate::looks_like_markdown)). Never fails; empty text gives an
/// empty article.
pub fn extract_text(text: &str) -> Extraction {
    let mut warnings = Vec::new();
    let text = crate::truncate(text, crate::MAX_TEXT_BYTES, &mut warnings);
    if text.chars().take(4096).filter(|c| c.is_control() && !c.is_whitespace()).count() > 16 {
        warnings.push(Warning::Binary);
    } else if crate::markdown::looks_like_markdown(text) {
        // Markdown says what each line is: read it as such, not by guessing.
        let mut extraction = crate::markdown::extract_markdown(text);
        extraction.warnings.splice(0..0, warnings);
        return extraction;
    }
    let lines = join_wrapped_lines(text.lines().map(clean).collect());
    let article = classify(&lines);
    if article.body.is_empty() {
        warnings.push(Warning::NoContent);
    }
    Extraction { article, warnings }
}

fn classify(lines: &[String]) -> Article {
    let mut article = Article::default();
    let counts = line_counts(lines);
    let furniture = furniture_lines(lines, &counts);
    let headline_at = find_headline(lines, &furniture);

    let mut zone = if headline_at.is_some() { Zone::Top } else { Zone::Header };
    let mut topics: Vec<Topic> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<Vec<Inline>> = Vec::new();
    let mut seen_sentences: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].as_str();
        if line.is_empty() || furniture[i] {
            flush_paragraph(&mut paragraph, &mut article.body);
            flush_list(&mut list, &mut article.body);
            i += 1;
            continue;
        }
        if Some(i) == headline_at {
            article.headline = line.to_string();
            zone = Zone::Header;
            i += 1;
            continue;
        }
        // A duration badge starts a video card; its title follows, often repeated.
        if let Some(seconds) = parse_duration_badge(line) {
            flush_paragraph(&mut paragraph, &mut article.body);
            flush_list(&mut list, &mut article.body);
            let title_at = (i + 1..lines.len()).find(|&j| !lines[j].is_empty() && !furniture[j]);
            match title_at {
                Some(j) if !is_sentence_paragraph(&lines[j]) || counts[lines[j].as_str()] > 1 => {
                    let title = lines[j].clone();
                    let mut next = j + 1;
                    while next < lines.len() && (lines[next].is_empty() || lines[next] == title) {
                        next += 1;
                    }
                    article.body.push(Block::Video(Video {
                        title,
                        duration_seconds: Some(seconds),
                        ..Video::default()
                    }));
                    i = next;
                }
                _ => i += 1,
            }
            continue;
        }
        match zone {
            _ if is_dateline(line) => {
                if let Some((updated, date)) = dateline(line) {
                    if updated {
                        article.updated = article.updated.or(date);
                    } else {
                        article.published = article.published.or(date);
                    }
                }
            }
            Zone::Top => {
                if is_topic_like(line) && topics.len() < MAX_TOPICS {
                    let topic = Topic::new(line);
                    if !topic.slug.is_empty() && !topics.iter().any(|t| t.slug == topic.slug) {
                        topics.push(topic);
                    }
                }
            }
            Zone::Header => {
                if let Some(bullet) = strip_bullet(line) {
                    if article.summary.len() < MAX_BULLETS {
                        article.summary.push(bullet.to_string());
                    }
                } else if let (caption, Some(credit)) = split_caption_credit(line) {
                    if article.lead_image.is_none() && caption.as_deref().is_none_or(|c| word_count(c) <= 60)
                    {
                        article.lead_image = Some(Image {
                            url: String::new(),
                            caption,
                            credit: Some(credit),
                            ..Image::default()
                        });
                    }
                } else if let Some(byline) = byline_names(line) {
                    if article.authors.is_empty() {
                        push_author(&mut article.authors, byline, None);
                    }
                } else if is_sentence_paragraph(line) || line.chars().count() > 200 {
                    zone = Zone::Body;
                    continue;
                } else if article.headline.is_empty() && line.chars().count() <= MAX_HEADLINE_CHARS {
                    article.headline = line.to_string();
                }
            }
            Zone::Body => {
                if let Some(item) = strip_bullet(line) {
                    flush_paragraph(&mut paragraph, &mut article.body);
                    list.push(vec![Inline::Text(item.to_string())]);
                } else if split_caption_credit(line).1.is_some() && !is_sentence_paragraph(line) {
                    // A caption in the body: never body text.
                } else if counts[line] > 1 && seen_sentences.contains(&line) {
                    // A repeated line (a pull quote or a teaser) is kept once.
                } else if is_sentence_paragraph(line) || is_continuation(&paragraph, line) {
                    flush_list(&mut list, &mut article.body);
                    seen_sentences.push(line);
                    paragraph.push(line);
                    if ends_sentence(line) {
                        flush_paragraph(&mut paragraph, &mut article.body);
                    }
                } else if is_heading_like(line) && next_is_body(lines, i + 1, &furniture) {
                    flush_paragraph(&mut paragraph, &mut article.body);
                    flush_list(&mut list, &mut article.body);
                    article
                        .body
                        .push(Block::Heading { level: 2, content: vec![Inline::Text(line.to_string())] });
                } else if word_count(line) >= 12 {
                    paragraph.push(line);
                }
            }
        }
        i += 1;
    }
    flush_paragraph(&mut paragraph, &mut article.body);
    flush_list(&mut list, &mut article.body);
    article.topics = topics;
    article
}

/// Joins hard-wrapped lines: a line that does not end a sentence, followed by one that starts
/// in lower case, is the same paragraph.
fn join_wrapped_lines(lines: Vec<String>) -> Vec<String> {
    let mut joined: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        let continues = joined.last().is_some_and(|previous: &String| {
            previous.chars().count() >= 30
                && !ends_sentence(previous)
                && strip_bullet(previous).is_none()
                && line.chars().next().is_some_and(|c| c.is_lowercase())
        });
        match joined.last_mut() {
            Some(previous) if continues => {
                previous.push(' ');
                previous.push_str(&line);
            }
            _ => joined.push(line),
        }
    }
    joined
}

/// "Published 14 August 2026", "Updated: March 3, 2026 10:00".
fn dateline(line: &str) -> Option<(bool, Option<chrono::DateTime<chrono::FixedOffset>>)> {
    let lower = line.to_lowercase();
    let (updated, rest) =
        ["last updated", "updated", "published", "posted", "first published"].iter().find_map(|label| {
            lower.strip_prefix(label).map(|_| (label.contains("updated"), &line[label.len()..]))
        })?;
    let rest = rest.trim_start_matches([':', ' ', '\u{a0}']).trim().trim_start_matches("on ").trim();
    Some((updated, parse_written_date(rest)))
}

/// Dates as news pages write them: "14 August 2026", "August 14, 2026", "Aug. 14, 2026", ISO.
fn parse_written_date(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    if let Some(date) = crate::metadata::parse_date(text) {
        return Some(date);
    }
    let cleaned: String =
        text.replace(['.', ','], " ").split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    for format in ["%d %B %Y", "%B %d %Y", "%d %b %Y", "%b %d %Y"] {
        if let Ok(date) = chrono::NaiveDate::parse_from_str(&cleaned, format) {
            let utc = chrono::FixedOffset::east_opt(0)?;
            return Some(date.and_hms_opt(0, 0, 0)?.and_utc().with_timezone(&utc));
        }
    }
    None
}

fn line_counts(lines: &[String]) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for line in lines {
        *counts.entry(line.as_str()).or_insert(0) += 1;
    }
    counts
}

/// Furniture by text, plus short lines that sit inside a cluster of furniture (player chrome
/// and promotions between its controls) and short lines repeated on the page.
fn furniture_lines(lines: &[String], counts: &HashMap<&str, usize>) -> Vec<bool> {
    // Datelines are furniture in the body but carry the dates, so they are read apart.
    let mut furniture: Vec<bool> =
        lines.iter().map(|line| is_furniture_text(line) && !is_dateline(line)).collect();
    let non_empty: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
    for (k, &i) in non_empty.iter().enumerate() {
        let line = lines[i].as_str();
        if furniture[i] || ends_sentence(line) {
            continue;
        }
        let words = word_count(line);
        let before = k.checked_sub(1).map(|p| non_empty[p]);
        let after = non_empty.get(k + 1).copied();
        // The text of an ad ("Find the best energy deals") follows its label.
        if (4..=20).contains(&words) && before.is_some_and(|b| is_ad_label(&lines[b])) {
            furniture[i] = true;
            continue;
        }
        if words > 8 {
            continue;
        }
        let chrome_before = before.is_some_and(|b| furniture[b]);
        let chrome_after = after.is_some_and(|a| furniture[a]);
        // A repeated short line is furniture unless it is a video title under a badge.
        let repeated_chrome = counts[line] > 1
            && parse_duration_badge(line).is_none()
            && !before.is_some_and(|b| parse_duration_badge(&lines[b]).is_some() || lines[b] == lines[i]);
        if chrome_before && chrome_after || repeated_chrome && !is_topic_like(line) {
            furniture[i] = true;
        }
    }
    furniture
}

/// The first line that reads like a headline: several words, not a sentence of body text.
fn find_headline(lines: &[String], furniture: &[bool]) -> Option<usize> {
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() || furniture[i] || parse_duration_badge(line).is_some() {
            continue;
        }
        let words = word_count(line);
        // A bullet or a sentence closed by a full stop is body text, and the body starts
        // before any headline: headlines do not end in a full stop.
        if strip_bullet(line).is_some() || ends_with_period(line) {
            return None;
        }
        if words >= 5 || line.chars().count() > 40 {
            return (line.chars().count() <= MAX_HEADLINE_CHARS).then_some(i);
        }
        // A short line standing alone (blank lines around it, not in a run of topic lines)
        // is a short headline ("Trams return").
        let alone_before = i == 0 || lines[i - 1].is_empty();
        let blank_after = lines.get(i + 1).is_none_or(|next| next.is_empty());
        let standalone = alone_before && blank_after && lines.get(i + 2).is_some();
        if words >= 2 && !ends_with_period(line) && standalone {
            return Some(i);
        }
    }
    None
}

fn is_topic_like(line: &str) -> bool {
    let words = word_count(line);
    (1..=4).contains(&words)
        && line.chars().count() <= 40
        && line.chars().next().is_some_and(|c| c.is_uppercase())
        && !line.contains(['.', '!', '?', ':', '|'])
        && !line.chars().all(|c| c.is_ascii_digit() || c == '+')
}

fn strip_bullet(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(BULLET_MARKS)?;
    let rest = rest.trim_start();
    (rest.len() < line.len() && word_count(rest) >= 2).then_some(rest)
}

/// "By Maria Okafor", or a bare name of two to four capitalised words.
fn byline_names(line: &str) -> Option<&str> {
    for prefix in ["By ", "by ", "BY ", "Written by "] {
        if let Some(rest) = line.strip_prefix(prefix) {
            return (word_count(rest) <= 12).then_some(line);
        }
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let name_like = (2..=4).contains(&words.len())
        && line.chars().count() <= 40
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(*w, "van" | "von" | "de" | "da" | "del" | "bin" | "al" | "and" | "la" | "le")
        })
        && !line.chars().any(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ':' | '!' | '?' | '|'));
    name_like.then_some(line)
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end_matches(['"', '\'', '”', '’', ')', '»']).ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

fn ends_with_period(line: &str) -> bool {
    line.trim_end_matches(['"', '\'', '”', '’', ')', '」', '』']).ends_with(['.', '。', '．'])
}

/// Words in a line: what spaces separate, and each Chinese or Japanese character (those
/// scripts write words without spaces, a word being one to three characters), so that the
/// line-length rules hold for them too.
fn word_count(line: &str) -> usize {
    line.split_whitespace()
        .map(|token| {
            let unspaced = token.chars().filter(|&c| is_unspaced_script(c)).count();
            let rest = token.chars().any(|c| c.is_alphanumeric() && !is_unspaced_script(c));
            unspaced + usize::from(rest || unspaced == 0)
        })
        .sum()
}

/// Han ideographs, hiragana and katakana.
fn is_unspaced_script(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// A line that is body text: a sentence of several words, a short one closed by a full stop
/// ("Rents rose."; buttons and labels carry none), or a long line.
fn is_sentence_paragraph(line: &str) -> bool {
    let words = word_count(line);
    (ends_sentence(line) && words >= 4) || (ends_with_period(line) && words >= 2) || words >= 25
}

/// A hard-wrapped line continuing the paragraph being collected.
fn is_continuation(paragraph: &[&str], line: &str) -> bool {
    paragraph.last().is_some_and(|last| !ends_sentence(last)) && word_count(line) >= 2
}

fn is_heading_like(line: &str) -> bool {
    let words = word_count(line);
    (2..=12).contains(&words)
        && !ends_with_period(line)
        && line.chars().next().is_some_and(|c| c.is_uppercase() || is_unspaced_script(c))
}

fn next_is_body(lines: &[String], from: usize, furniture: &[bool]) -> bool {
    (from..lines.len())
        .find(|&j| !lines[j].is_empty() && !furniture[j])
        .is_some_and(|j| is_sentence_paragraph(&lines[j]))
}

fn flush_paragraph(paragraph: &mut Vec<&str>, body: &mut Vec<Block>) {
    if paragraph.is_empty() {
        return;
    }
    let text = paragraph.join(" ");
    paragraph.clear();
    body.push(Block::paragraph(text));
}

fn flush_list(list: &mut Vec<Vec<Inline>>, body: &mut Vec<Block>) {
    if !list.is_empty() {
        body.push(Block::List { ordered: false, items: std::mem::take(list) });
    }
}
