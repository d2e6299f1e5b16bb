//! `cargo xtask quality wcxb`: the WCXB development split (1,497 pages of 7 types with
//! human-reviewed ground truth), scored by the benchmark's own metric for lector and
//! rs-trafilatura in the same run.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use lector_extract::{Options, extract_html};

use crate::quality::article_text;

/// The page types of the set, in the order the report lists them.
pub const PAGE_TYPES: [&str; 7] =
    ["article", "forum", "product", "collection", "listing", "documentation", "service"];

/// One page of the set.
#[derive(Debug)]
pub struct Page {
    /// The file's number, `0001`…
    pub id: String,
    pub url: String,
    pub page_type: String,
    pub html: Vec<u8>,
    pub truth: Truth,
}

/// The human-reviewed ground truth of a page.
#[derive(Debug, Deserialize)]
pub struct Truth {
    pub title: Option<String>,
    pub author: Option<String>,
    /// Where the file has no top-level address, the truth sometimes has it.
    pub url: Option<String>,
    pub publish_date: Option<String>,
    #[serde(default)]
    pub main_content: String,
    /// Snippets the extraction must contain.
    #[serde(default)]
    pub with: Vec<String>,
    /// Snippets the extraction must not contain.
    #[serde(default)]
    pub without: Vec<String>,
}

#[derive(Deserialize)]
struct TruthFile {
    url: Option<String>,
    #[serde(rename = "_internal")]
    internal: Internal,
    ground_truth: Truth,
}

#[derive(Deserialize)]
struct Internal {
    page_type: PageType,
}

#[derive(Deserialize)]
struct PageType {
    primary: String,
}

/// The folder of the set: `LECTOR_DATASETS/wcxb-dev`, or `../shared/datasets/wcxb-dev` beside
/// the repository.
pub fn dir() -> PathBuf {
    match std::env::var_os("LECTOR_DATASETS") {
        Some(root) => PathBuf::from(root).join("wcxb-dev"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets/wcxb-dev"),
    }
}

/// Loads every page, in file order. A missing or incomplete set is an error, never a skip.
pub fn load(dir: &Path) -> Result<Vec<Page>> {
    let truth_dir = dir.join("ground-truth");
    if !truth_dir.is_dir() {
        bail!(
            "the WCXB development set is missing: expected it in {} (set LECTOR_DATASETS to the folder holding wcxb-dev)",
            dir.display()
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&truth_dir)
        .with_context(|| format!("reading {}", truth_dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".json").map(str::to_string))
        .collect();
    names.sort();
    let mut pages = Vec::with_capacity(names.len());
    for id in names {
        let truth_path = truth_dir.join(format!("{id}.json"));
        let text = std::fs::read(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?;
        let file: TruthFile =
            serde_json::from_slice(&text).with_context(|| format!("parsing {}", truth_path.display()))?;
        let html_path = dir.join("html").join(format!("{id}.html.gz"));
        let compressed =
            std::fs::read(&html_path).with_context(|| format!("reading {}", html_path.display()))?;
        let mut html = Vec::new();
        flate2::read::GzDecoder::new(compressed.as_slice())
            .read_to_end(&mut html)
            .with_context(|| format!("decompressing {}", html_path.display()))?;
        let mut truth = file.ground_truth;
        // A few files write an absent value as the string "None".
        for value in [&mut truth.title, &mut truth.author, &mut truth.publish_date] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty() || v == "None") {
                *value = None;
            }
        }
        pages.push(Page {
            id,
            url: file.url.or(truth.url.clone()).unwrap_or_default(),
            page_type: file.internal.page_type.primary,
            html,
            truth,
        });
    }
    if pages.is_empty() {
        bail!("no pages in {}", truth_dir.display());
    }
    Ok(pages)
}

/// Which extractor is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Lector,
    /// rs-trafilatura 0.2.2.
    Trafilatura,
}

/// What an engine found on a page.
#[derive(Debug, Default)]
pub struct Found {
    pub text: String,
    pub title: Option<String>,
    pub author: Option<String>,
    /// `YYYY-MM-DD` as the page states it (its own time zone).
    pub date: Option<String>,
    /// The kind of page the engine took it for ("article", "forum", …).
    pub page_type: Option<String>,
}

/// Runs one engine on a page. A panic inside an engine counts as an empty extraction.
pub fn run(page: &Page, engine: Engine) -> Found {
    std::panic::catch_unwind(|| match engine {
        Engine::Lector => {
            let options = Options { base_url: url::Url::parse(&page.url).ok(), content_type: None };
            let article = extract_html(&page.html, &options).article;
            let author = (!article.authors.is_empty())
                .then(|| article.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", "));
            Found {
                text: article_text(&article),
                title: Some(article.headline.clone()),
                author,
                // The page's date: its publication, else its last update when it states only that.
                date: article.published.or(article.updated).map(|d| d.format("%Y-%m-%d").to_string()),
                page_type: article.page_type.map(|t| t.name().to_string()),
            }
        }
        Engine::Trafilatura => {
            let options =
                rs_trafilatura::Options { url: Some(page.url.clone()), ..rs_trafilatura::Options::default() };
            match rs_trafilatura::extract_bytes_with_options(&page.html, &options) {
                Ok(result) => Found {
                    text: result.content_text,
                    title: result.metadata.title,
                    author: result.metadata.author,
                    date: result.metadata.date.map(|d| d.format("%Y-%m-%d").to_string()),
                    page_type: result.metadata.page_type,
                },
                Err(_) => Found::default(),
            }
        }
    })
    .unwrap_or_default()
}

/// How one engine did on one page.
#[derive(Debug, Clone)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// `with` snippets found, of how many.
    pub with_found: (usize, usize),
    /// `without` snippets kept, of how many.
    pub without_kept: (usize, usize),
    /// None when the truth has no title (author, date).
    pub title: Option<bool>,
    pub author: Option<bool>,
    /// Whether a date was found at all, and whether it is the same day.
    pub date_found: Option<bool>,
    pub date: Option<bool>,
    /// The date the engine found, for the per-page listing.
    pub found_date: Option<String>,
    /// Whether the engine took the page for the type it is labelled with.
    pub page_type: bool,
    pub found_type: Option<String>,
}

/// The benchmark's tokens: runs of word characters (`\w`: letters, digits, `_`) in the
/// lower-cased text.
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Word-level precision, recall and F1 over token multisets (an empty side scores 0, two
/// empty sides 1).
pub fn word_f1(found: &str, truth: &str) -> (f64, f64, f64) {
    let found = words(found);
    let truth = words(truth);
    if found.is_empty() && truth.is_empty() {
        return (1.0, 1.0, 1.0);
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for word in &truth {
        *counts.entry(word).or_default() += 1;
    }
    let mut overlap = 0usize;
    for word in &found {
        if let Some(n) = counts.get_mut(word.as_str()).filter(|n| **n > 0) {
            *n -= 1;
            overlap += 1;
        }
    }
    let precision = if found.is_empty() { 0.0 } else { overlap as f64 / found.len() as f64 };
    let recall = if truth.is_empty() { 0.0 } else { overlap as f64 / truth.len() as f64 };
    let f1 = if overlap == 0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    (precision, recall, f1)
}

/// Lower-case, single spaces: how snippets and names are compared.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A name without a leading "By".
fn name(text: &str) -> String {
    let text = folded(text);
    text.strip_prefix("by ").map(str::to_string).unwrap_or(text)
}

pub fn score(page: &Page, found: &Found) -> Score {
    let (precision, recall, f1) = word_f1(&found.text, &page.truth.main_content);
    let text = folded(&found.text);
    let contains = |snippet: &String| text.contains(&folded(snippet));
    let present = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
    let title = present(&page.truth.title)
        .then(|| found.title.as_deref().map(folded) == page.truth.title.as_deref().map(folded));
    // Several authors may be listed in another order or joined differently: every name of the
    // truth must be among ours.
    let author = present(&page.truth.author).then(|| {
        let ours = found.author.as_deref().map(name).unwrap_or_default();
        let truth = page.truth.author.as_deref().map(name).unwrap_or_default();
        !ours.is_empty()
            && truth
                .split([',', '&'])
                .flat_map(|part| part.split(" and "))
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .all(|part| ours.contains(part))
    });
    let truth_day = page.truth.publish_date.as_deref().and_then(|d| d.get(..10));
    let date_found = truth_day.map(|_| found.date.is_some());
    let date = truth_day.map(|day| found.date.as_deref() == Some(day));
    Score {
        precision,
        recall,
        f1,
        with_found: (page.truth.with.iter().filter(|s| contains(s)).count(), page.truth.with.len()),
        without_kept: (page.truth.without.iter().filter(|s| contains(s)).count(), page.truth.without.len()),
        title,
        author,
        date_found,
        date,
        found_date: found.date.clone(),
        page_type: found.page_type.as_deref() == Some(page.page_type.as_str()),
        found_type: found.page_type.clone(),
    }
}

/// Means over a group of pages.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub pages: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub with_found: f64,
    pub without_kept: f64,
    pub title: f64,
    pub author: f64,
    pub date_found: f64,
    pub date: f64,
    pub page_type: f64,
}

pub fn summarize<'a>(scores: impl IntoIterator<Item = &'a Score>) -> Summary {
    let scores: Vec<&Score> = scores.into_iter().collect();
    let n = scores.len().max(1) as f64;
    let mean = |f: fn(&Score) -> f64| scores.iter().map(|s| f(s)).sum::<f64>() / n;
    let ratio = |f: fn(&Score) -> (usize, usize)| {
        let (hit, all) = scores.iter().map(|s| f(s)).fold((0, 0), |(h, a), (x, y)| (h + x, a + y));
        if all == 0 { 0.0 } else { hit as f64 / all as f64 }
    };
    let rate = |f: fn(&Score) -> Option<bool>| {
        let known: Vec<bool> = scores.iter().filter_map(|s| f(s)).collect();
        if known.is_empty() { 0.0 } else { known.iter().filter(|&&b| b).count() as f64 / known.len() as f64 }
    };
    Summary {
        pages: scores.len(),
        precision: mean(|s| s.precision),
        recall: mean(|s| s.recall),
        f1: mean(|s| s.f1),
        with_found: ratio(|s| s.with_found),
        without_kept: ratio(|s| s.without_kept),
        title: rate(|s| s.title),
        author: rate(|s| s.author),
        date_found: rate(|s| s.date_found),
        date: rate(|s| s.date),
        page_type: rate(|s| Some(s.page_type)),
    }
}

/// Every page scored by one engine, on as many threads as the machine has.
pub fn evaluate(pages: &[Page], engine: Engine) -> Vec<Score> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(pages.len().max(1));
    let per = pages.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = pages
            .chunks(per.max(1))
            .map(|chunk| {
                scope.spawn(move || chunk.iter().map(|p| score(p, &run(p, engine))).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

/// `cargo xtask quality wcxb [--lector-only] [--type T] [--verbose] [--show ID] [--dump DIR]`.
pub fn main(args: &[String]) -> Result<()> {
    let mut pages = load(&dir())?;
    if let Some(kind) = args.iter().position(|a| a == "--type").and_then(|i| args.get(i + 1)) {
        pages.retain(|p| &p.page_type == kind);
    }
    if let Some(id) = args.iter().position(|a| a == "--show").and_then(|i| args.get(i + 1)) {
        let page = pages.iter().find(|p| &p.id == id).with_context(|| format!("no page {id}"))?;
        let found = run(page, Engine::Lector);
        let score = score(page, &found);
        println!("{}\n{}", found.text, "-".repeat(72));
        println!("F1 {:.3} (P {:.3}, R {:.3}); {}", score.f1, score.precision, score.recall, page.url);
        let text = folded(&found.text);
        for snippet in page.truth.without.iter().filter(|s| text.contains(&folded(s))) {
            println!("kept `without`: {snippet}");
        }
        return Ok(());
    }
    if let Some(dir) = args.iter().position(|a| a == "--dump").and_then(|i| args.get(i + 1)) {
        // Each page's extracted text, to read or search beside the truth.
        std::fs::create_dir_all(dir).with_context(|| format!("creating {dir}"))?;
        for page in &pages {
            let path = Path::new(dir).join(format!("{}.txt", page.id));
            std::fs::write(&path, run(page, Engine::Lector).text)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        return Ok(());
    }
    let ours = evaluate(&pages, Engine::Lector);
    let theirs = if args.iter().any(|a| a == "--lector-only") {
        None
    } else {
        Some(evaluate(&pages, Engine::Trafilatura))
    };
    if args.iter().any(|a| a == "--verbose") {
        for (i, page) in pages.iter().enumerate() {
            let other = theirs.as_ref().map_or(String::new(), |t| format!("  trafilatura {:.3}", t[i].f1));
            println!(
                "{} {:<13} {:<13} lector {:.3} (P {:.3} R {:.3}){other}  date {} / {}  without {}/{}  {}",
                page.id,
                page.page_type,
                ours[i].found_type.as_deref().unwrap_or("-"),
                ours[i].f1,
                ours[i].precision,
                ours[i].recall,
                ours[i].found_date.as_deref().unwrap_or("-"),
                page.truth.publish_date.as_deref().unwrap_or("-"),
                ours[i].without_kept.0,
                ours[i].without_kept.1,
                page.url
            );
        }
    }
    let group = |scores: &[Score], kind: Option<&str>| {
        summarize(
            scores.iter().zip(&pages).filter(|(_, p)| kind.is_none_or(|k| p.page_type == k)).map(|(s, _)| s),
        )
    };
    println!("WCXB dev: word F1 (precision, recall), mean over pages");
    println!("{:<14} {:>5}  {:>22}  {:>22}", "type", "pages", "lector", "rs-trafilatura 0.2.2");
    let kinds: Vec<Option<&str>> = std::iter::once(None).chain(PAGE_TYPES.iter().map(|k| Some(*k))).collect();
    for kind in kinds {
        let mine = group(&ours, kind);
        if mine.pages == 0 {
            continue;
        }
        let cell = |s: &Summary| format!("{:.3} ({:.3}, {:.3})", s.f1, s.precision, s.recall);
        let other = theirs.as_ref().map_or(String::new(), |t| cell(&group(t, kind)));
        println!("{:<14} {:>5}  {:>22}  {:>22}", kind.unwrap_or("all"), mine.pages, cell(&mine), other);
    }
    let mine = group(&ours, None);
    let other = theirs.as_ref().map(|t| group(t, None));
    let line = |label: &str, f: fn(&Summary) -> f64| {
        let theirs = other.as_ref().map_or(String::new(), |o| format!("{:.3}", f(o)));
        println!("{label:<36} {:>7.3}  {theirs:>7}", f(&mine));
    };
    println!();
    println!("{:<36} {:>7}  {:>7}", "", "lector", "rs-traf");
    line("`with` snippets found", |s| s.with_found);
    line("`without` snippets kept", |s| s.without_kept);
    line("title exact (of pages with one)", |s| s.title);
    line("author right (of pages with one)", |s| s.author);
    line("date found (of pages with one)", |s| s.date_found);
    line("date same day (of pages with one)", |s| s.date);
    line("page type right", |s| s.page_type);
    println!();
    println!("page type right, by type: lector, rs-trafilatura");
    for kind in PAGE_TYPES {
        let mine = group(&ours, Some(kind));
        let other =
            theirs.as_ref().map_or(String::new(), |t| format!("{:.3}", group(t, Some(kind)).page_type));
        println!("{kind:<14} {:>7.3}  {other:>7}", mine.page_type);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_f1_is_a_multiset_overlap_of_lower_cased_words() {
        assert_eq!(word_f1("The cat sat", "the CAT sat"), (1.0, 1.0, 1.0));
        // Two of ours are in the truth's three; the repeated "the" matches once.
        let (p, r, f) = word_f1("the the cat", "the cat sat");
        assert!((p - 2.0 / 3.0).abs() < 1e-9 && (r - 2.0 / 3.0).abs() < 1e-9 && (f - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(word_f1("", "a b"), (0.0, 0.0, 0.0));
        assert_eq!(word_f1("", ""), (1.0, 1.0, 1.0));
    }
}
