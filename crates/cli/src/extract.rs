//! `lector extract`: files, URLs or standard input to JSON, text, Markdown or HTML.

use std::io::Write;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use lector_article::{Article, ArticleJson, DEFAULT_WORDS_PER_MINUTE};
use lector_extract::{Options, extract_html, extract_markdown, extract_text};

use crate::BadInput;
use crate::input::{Limits, looks_like_html, read_input};

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files (`.md` and `.markdown` files are read as Markdown), URLs, or `-` for standard
    /// input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// The base URL of a file or standard input (resolves its relative links).
    #[arg(long)]
    url: Option<url::Url>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Largest input accepted, in bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024, value_name = "BYTES")]
    max_bytes: u64,
    /// Seconds to wait for a URL before giving up.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    timeout: u64,
    /// Read inputs as plain text even when they look like HTML.
    #[arg(long)]
    plain: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Text,
    Markdown,
    Html,
}

pub fn run(args: &ExtractArgs) -> Result<()> {
    let limits =
        Limits { max_bytes: args.max_bytes, timeout: std::time::Duration::from_secs(args.timeout.max(1)) };
    let many = args.inputs.len() > 1;
    let progress = if many { ProgressBar::new(args.inputs.len() as u64) } else { ProgressBar::new_spinner() };
    progress.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let stdout = std::io::stdout();
    let mut failures = Vec::new();
    for name in &args.inputs {
        progress.set_message(name.clone());
        match extract_one(name, args, limits) {
            Ok(output) => {
                progress.suspend(|| -> Result<()> {
                    let mut out = stdout.lock();
                    out.write_all(output.as_bytes()).and_then(|()| out.flush()).context("writing the output")
                })?;
            }
            Err(error) if many => {
                let reason = error.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ");
                progress.suspend(|| eprintln!("lector: {reason}"));
                failures.push(name.clone());
            }
            Err(error) => {
                progress.finish_and_clear();
                return Err(error);
            }
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(BadInput(format!("{} of {} inputs failed", failures.len(), args.inputs.len())).into())
    }
}

fn extract_one(name: &str, args: &ExtractArgs, limits: Limits) -> Result<String> {
    let article = read_article(name, args.url.as_ref(), args.plain, false, limits)?;
    let article = &article;
    Ok(match args.format {
        Format::Json => {
            let json = ArticleJson::new(article, DEFAULT_WORDS_PER_MINUTE).with_source(name);
            let mut line = if args.inputs.len() > 1 {
                serde_json::to_string(&json)?
            } else {
                serde_json::to_string_pretty(&json)?
            };
            line.push('\n');
            line
        }
        Format::Text => lector_article::to_text(article),
        Format::Markdown => {
            let mut markdown = lector_article::to_markdown(article);
            markdown.push('\n');
            markdown
        }
        Format::Html => lector_article::to_html(article),
    })
}

/// The article in one input: a page (extracted), pasted text, or, with `accept_json`, article
/// JSON as `lector extract` prints it.
pub fn read_article(
    name: &str,
    base_url: Option<&url::Url>,
    plain: bool,
    accept_json: bool,
    limits: Limits,
) -> Result<Article> {
    let input = read_input(name, limits)?;
    if accept_json && input.bytes.trim_ascii_start().starts_with(b"{") {
        let article: Article = serde_json::from_slice(&input.bytes)
            .map_err(|e| BadInput(format!("{name}: not article JSON: {e}")))?;
        return Ok(article);
    }
    let extraction = if !plain && (input.url.is_some() || looks_like_html(&input.bytes)) {
        let options = Options {
            base_url: input.url.clone().or_else(|| base_url.cloned()),
            content_type: input.content_type.clone(),
        };
        extract_html(&input.bytes, &options)
    } else {
        let text = String::from_utf8(input.bytes)
            .unwrap_or_else(|e| lector_extract::decode_html(e.as_bytes(), None).text);
        let markdown_file = [".md", ".markdown"].iter().any(|ext| name.to_ascii_lowercase().ends_with(ext));
        let mut extraction = if markdown_file { extract_markdown(&text) } else { extract_text(&text) };
        extraction.article.source_url = base_url.map(ToString::to_string);
        extraction
    };
    if extraction.warnings.contains(&lector_extract::Warning::Binary) {
        return Err(BadInput(format!("{name}: the input looks like binary data, not a page or text")).into());
    }
    for warning in &extraction.warnings {
        eprintln!("lector: {name}: warning: {warning}");
    }
    let article = extraction.article;
    if article.body.is_empty() && article.headline.is_empty() {
        return Err(BadInput(format!("{name}: no article found")).into());
    }
    Ok(article)
}
