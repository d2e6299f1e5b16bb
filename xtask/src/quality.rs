//! The extraction quality harness: body text scored against the reference by 4-token
//! shingles, plus exact-match rates for title, byline and excerpt.

use std::collections::HashMap;

use lector_article::{Article, Block};
use lector_extract::{Options, extract_html};

use crate::dataset::{PAGE_URL, Page};

/// Tokens per shingle.
const SHINGLE: usize = 4;

/// Scores of one page.
#[derive(Debug, Clone)]
pub struct PageScore {
    pub name: String,
    /// None when the page has no shingles on our side (precision) or the reference side (recall).
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub title_match: bool,
    pub byline_match: bool,
    pub excerpt_match: bool,
}

/// Means over the pages.
#[derive(Debug, Clone)]
pub struct Report {
    pub pages: Vec<PageScore>,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub title_rate: f64,
    pub byline_rate: f64,
    pub excerpt_rate: f64,
}

/// Which extractor is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Lector,
    /// rs-trafilatura 0.2.2, scored with the same metric for comparison.
    Trafilatura,
}

/// What an engine found on a page, in the terms the metric compares.
struct Found {
    text: String,
    title: Option<String>,
    byline: Option<String>,
    excerpt: Option<String>,
}

pub fn evaluate(pages: &[Page], engine: Engine) -> Report {
    let scores: Vec<PageScore> = pages.iter().map(|page| score_page(page, engine)).collect();
    let mean = |values: Vec<f64>| {
        if values.is_empty() { 0.0 } else { values.iter().sum::<f64>() / values.len() as f64 }
    };
    let precision = mean(scores.iter().filter_map(|s| s.precision).collect());
    let recall = mean(scores.iter().filter_map(|s| s.recall).collect());
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    let rate = |f: fn(&PageScore) -> bool| {
        scores.iter().filter(|s| f(s)).count() as f64 / scores.len().max(1) as f64
    };
    Report {
        precision,
        recall,
        f1,
        title_rate: rate(|s| s.title_match),
        byline_rate: rate(|s| s.byline_match),
        excerpt_rate: rate(|s| s.excerpt_match),
        pages: scores,
    }
}

pub fn score_page(page: &Page, engine: Engine) -> PageScore {
    let found = match engine {
        Engine::Lector => lector_found(page),
        Engine::Trafilatura => trafilatura_found(page),
    };
    let (precision, recall) = shingle_scores(&found.text, &html_text(&page.expected_html));
    let expected = |key: &str| page.expected_metadata.get(key).and_then(|v| v.as_str()).map(normalize_space);
    PageScore {
        name: page.name.clone(),
        precision,
        recall,
        title_match: expected("title") == found.title.as_deref().map(normalize_space),
        byline_match: expected("byline").map(|b| strip_by(&b))
            == found.byline.as_deref().map(|b| strip_by(&normalize_space(b))),
        excerpt_match: expected("excerpt") == found.excerpt.as_deref().map(normalize_space),
    }
}

/// The article lector extracts from a page of the set.
pub fn extract_page(page: &Page) -> Article {
    let options = Options { base_url: url::Url::parse(PAGE_URL).ok(), content_type: None };
    extract_html(&page.source, &options).article
}

fn lector_found(page: &Page) -> Found {
    let article = extract_page(page);
    let byline = (!article.authors.is_empty())
        .then(|| article.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", "));
    Found {
        text: article_text(&article),
        title: Some(article.headline),
        byline,
        excerpt: article.description,
    }
}

fn trafilatura_found(page: &Page) -> Found {
    let options =
        rs_trafilatura::Options { url: Some(PAGE_URL.to_string()), ..rs_trafilatura::Options::default() };
    match rs_trafilatura::extract_bytes_with_options(&page.source, &options) {
        Ok(result) => Found {
            text: result.content_text,
            title: result.metadata.title,
            byline: result.metadata.author,
            excerpt: result.metadata.description,
        },
        Err(_) => Found { text: String::new(), title: None, byline: None, excerpt: None },
    }
}

/// The text the harness compares, as the article page shows it: the standfirst bullets, the
/// body's text, the captions of its images (the lead image's first), which the reference
/// keeps too, and whom its quotes quote.
pub fn article_text(article: &Article) -> String {
    let mut lines: Vec<String> = article.summary.clone();
    if let Some(lead) = &article.lead_image {
        lines.extend([&lead.caption, &lead.credit].into_iter().flatten().cloned());
    }
    for block in &article.body {
        match block {
            Block::Image(image) => {
                lines.extend([&image.caption, &image.credit].into_iter().flatten().cloned())
            }
            Block::Quote { attribution, .. } => {
                lines.push(block.text());
                lines.extend(attribution.clone());
            }
            other => lines.push(other.text()),
        }
    }
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// All text of an HTML fragment, with element boundaries as spaces.
pub fn html_text(html: &str) -> String {
    let fragment = scraper::Html::parse_fragment(html);
    let mut out = String::new();
    for node in fragment.tree.nodes() {
        match node.value() {
            scraper::Node::Text(text) => out.push_str(text),
            scraper::Node::Element(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Runs of Unicode word characters (letters, marks, digits, connector punctuation).
pub fn tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || is_mark(c) {
            current.push(c);
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

fn is_mark(c: char) -> bool {
    // Combining marks used by Indic, Thai and other scripts are part of words.
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0DFF | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E)
        || matches!(c, '\u{200C}' | '\u{200D}')
}

fn shingles(text: &str) -> HashMap<Vec<String>, usize> {
    let tokens = tokens(text);
    let mut counts = HashMap::new();
    for window in tokens.windows(SHINGLE) {
        *counts.entry(window.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// Precision and recall of `ours` against `reference` over shingle multisets.
pub fn shingle_scores(ours: &str, reference: &str) -> (Option<f64>, Option<f64>) {
    let ours = shingles(ours);
    let reference = shingles(reference);
    let ours_total: usize = ours.values().sum();
    let reference_total: usize = reference.values().sum();
    let tp: usize =
        ours.iter().map(|(shingle, n)| (*n).min(reference.get(shingle).copied().unwrap_or(0))).sum();
    let (fp, fn_) = (ours_total - tp, reference_total - tp);
    let precision = (tp + fp > 0).then(|| tp as f64 / (tp + fp) as f64);
    let recall = (tp + fn_ > 0).then(|| tp as f64 / (tp + fn_) as f64);
    (precision, recall)
}

fn normalize_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_by(byline: &str) -> String {
    let trimmed = byline.trim();
    for prefix in ["By ", "by ", "BY "] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingle_metric() {
        assert_eq!(shingle_scores("a b c d e", "a b c d e"), (Some(1.0), Some(1.0)));
        // Ours has 2 shingles, one right; the reference has 1.
        assert_eq!(shingle_scores("a b c d e", "a b c d"), (Some(0.5), Some(1.0)));
        assert_eq!(shingle_scores("a b", "a b c d"), (None, Some(0.0)));
        // Multisets: a repeated shingle counts as often as it is matched.
        let (p, r) = shingle_scores("w x y z w x y z", "w x y z");
        assert_eq!(r, Some(1.0));
        assert!(p.is_some_and(|p| (p - 0.2).abs() < 1e-9), "{p:?}");
        assert_eq!(tokens("Don't stop—it's 3.5%!"), ["Don", "t", "stop", "it", "s", "3", "5"]);
    }
}
