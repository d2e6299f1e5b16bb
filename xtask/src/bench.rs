//! The extraction speed benchmark: pages per second on one thread and peak memory, lector
//! against rs-trafilatura 0.2.2, over the readability test pages, in the same run.
//!
//! Each engine runs in a child process of its own so that its peak memory is its own, and
//! the two take turns for a few spells (`--spells`, three by default), each engine's figure
//! being its median spell.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::dataset::{PAGE_URL, load_pages};

/// Timed passes over the whole set, after one untimed warm-up pass.
const DEFAULT_ROUNDS: usize = 5;

/// Turns each engine takes by default (see `--spells`).
const DEFAULT_SPELLS: usize = 3;

/// What one engine achieved.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    pub engine: String,
    pub pages: usize,
    pub rounds: usize,
    pub seconds: f64,
    pub pages_per_second: f64,
    /// Resident memory after loading the pages, before extracting (KiB).
    pub baseline_kib: u64,
    /// Peak resident memory of the process (KiB).
    pub peak_kib: u64,
}

pub fn run(dir: &Path, args: &[String]) -> Result<()> {
    if args.first().map(String::as_str) == Some("script") {
        return script(dir);
    }
    if args.first().map(String::as_str) == Some("voices") {
        return crate::voice_bench::run(dir, &args[1..]);
    }
    if args.first().map(String::as_str) == Some("intelligibility") {
        return crate::intelligibility::run(&crate::dataset::workspace_root(), &args[1..]);
    }
    if args.first().map(String::as_str) == Some("cluster") {
        return crate::cluster_bench::run();
    }
    if args.first().map(String::as_str) == Some("server") {
        return crate::server_bench::run();
    }
    if args.first().map(String::as_str) == Some("serve") {
        return crate::serve_bench::run();
    }
    if args.first().map(String::as_str) == Some("beacons") {
        let seconds =
            flag(args, "--seconds").map(|s| s.parse()).transpose().context("--seconds")?.unwrap_or(30);
        let rate = flag(args, "--rate").map(|s| s.parse()).transpose().context("--rate")?.unwrap_or(1_000);
        return crate::beacon_bench::run(rate, seconds);
    }
    if args.first().map(String::as_str) == Some("load") {
        let seconds =
            flag(args, "--seconds").map(|s| s.parse()).transpose().context("--seconds")?.unwrap_or(60);
        return crate::load_bench::run(seconds);
    }
    let rounds =
        flag(args, "--rounds").map(|r| r.parse()).transpose().context("--rounds")?.unwrap_or(DEFAULT_ROUNDS);
    if let Some(engine) = flag(args, "--engine") {
        // The child: measure one engine and print its figures as JSON.
        let figures = measure(dir, &engine, rounds)?;
        println!("{}", serde_json::to_string(&figures)?);
        return Ok(());
    }
    let spells: usize =
        flag(args, "--spells").map(|r| r.parse()).transpose().context("--spells")?.unwrap_or(DEFAULT_SPELLS);
    if spells == 0 {
        bail!("--spells must be 1 or more");
    }
    // The engines take turns, spell after spell, so that a slow stretch of a shared machine
    // falls on both rather than on one; each engine's median spell is its figure.
    let exe = std::env::current_exe()?;
    let engines = ["lector", "trafilatura"];
    let mut spelled: Vec<Vec<Figures>> = vec![Vec::new(); engines.len()];
    for spell in 0..spells {
        for (engine, runs) in engines.iter().zip(&mut spelled) {
            eprintln!("spell {} of {spells}: {engine}", spell + 1);
            let output = Command::new(&exe)
                .args(["bench", "--engine", engine, "--rounds", &rounds.to_string()])
                .output()
                .with_context(|| format!("running the {engine} benchmark"))?;
            if !output.status.success() {
                bail!("the {engine} benchmark failed: {}", String::from_utf8_lossy(&output.stderr));
            }
            runs.push(serde_json::from_slice(&output.stdout).context("reading benchmark figures")?);
        }
    }
    println!(
        "| engine | pages/s (1 thread, median) | spells | ms/page | peak RSS (MiB) | RSS above baseline (MiB) |"
    );
    println!("|---|---|---|---|---|---|");
    let mut medians = Vec::new();
    for runs in &spelled {
        let f = median(runs);
        let rates: Vec<String> = runs.iter().map(|r| format!("{:.1}", r.pages_per_second)).collect();
        println!(
            "| {} | {:.1} | {} | {:.2} | {:.1} | {:.1} |",
            f.engine,
            f.pages_per_second,
            rates.join(", "),
            1000.0 / f.pages_per_second,
            f.peak_kib as f64 / 1024.0,
            f.peak_kib.saturating_sub(f.baseline_kib) as f64 / 1024.0
        );
        medians.push(f);
    }
    let ratio = medians[0].pages_per_second / medians[1].pages_per_second;
    println!(
        "\nlector / rs-trafilatura speed ratio: {ratio:.2}x (medians of {spells} spells, {} pages × {rounds} rounds each)",
        medians[0].pages
    );
    Ok(())
}

/// The spell with the median rate (the lower middle one of an even count).
fn median(runs: &[Figures]) -> Figures {
    let mut sorted = runs.to_vec();
    sorted.sort_by(|a, b| a.pages_per_second.total_cmp(&b.pages_per_second));
    sorted[(sorted.len() - 1) / 2].clone()
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn measure(dir: &Path, engine: &str, rounds: usize) -> Result<Figures> {
    let pages = load_pages(dir)?;
    let baseline_kib = proc_status_kib("VmRSS:").unwrap_or(0);
    let extract: fn(&[u8]) -> usize = match engine {
        "lector" => lector_text_len,
        "trafilatura" => trafilatura_text_len,
        other => bail!("unknown engine {other:?}: lector or trafilatura"),
    };
    // Warm-up: caches, lazy statics, allocator.
    let mut checksum = pages.iter().map(|p| extract(&p.source)).sum::<usize>();
    let started = Instant::now();
    for _ in 0..rounds {
        for page in &pages {
            checksum = checksum.wrapping_add(std::hint::black_box(extract(&page.source)));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    std::hint::black_box(checksum);
    let extracted = pages.len() * rounds;
    Ok(Figures {
        engine: engine.to_string(),
        pages: pages.len(),
        rounds,
        seconds,
        pages_per_second: extracted as f64 / seconds,
        baseline_kib,
        peak_kib: proc_status_kib("VmHWM:").unwrap_or(0),
    })
}

/// Extracts with lector and returns the body text's length (so the work cannot be skipped).
fn lector_text_len(bytes: &[u8]) -> usize {
    let options = lector_extract::Options { base_url: url::Url::parse(PAGE_URL).ok(), content_type: None };
    lector_article::to_text(&lector_extract::extract_html(bytes, &options).article).len()
}

fn trafilatura_text_len(bytes: &[u8]) -> usize {
    let options =
        rs_trafilatura::Options { url: Some(PAGE_URL.to_string()), ..rs_trafilatura::Options::default() };
    rs_trafilatura::extract_bytes_with_options(bytes, &options).map(|r| r.content_text.len()).unwrap_or(0)
}

/// A figure in KiB from /proc/self/status (Linux).
pub fn proc_status_kib(key: &str) -> Option<u64> {
    process_status_kib("self", key)
}

/// A figure in kB from `/proc/PID/status` ("VmRSS:", "VmHWM:").
pub fn process_status_kib(pid: &str, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// Words in the article the script benchmark narrates.
const SCRIPT_WORDS: usize = 1000;

/// An article of at least `words` words made of real news paragraphs from the set.
pub fn news_article(dir: &Path, words: usize) -> Result<lector_article::Article> {
    let pages = load_pages(dir)?;
    let mut article = lector_article::Article { headline: "Benchmark article".into(), ..Default::default() };
    'pages: for name in ["nytimes-1", "wapo-1", "bbc-1", "guardian-1", "telegraph"] {
        let Some(page) = pages.iter().find(|p| p.name == name) else { continue };
        let extracted =
            lector_extract::extract_html(&page.source, &lector_extract::Options::default()).article;
        for block in extracted.body {
            if matches!(block, lector_article::Block::Paragraph { .. }) {
                article.body.push(block);
                if article.word_count() >= words {
                    break 'pages;
                }
            }
        }
    }
    Ok(article)
}

/// Building the narration script of a 1,000-word news article, on one thread.
fn script(dir: &Path) -> Result<()> {
    let article = news_article(dir, SCRIPT_WORDS)?;
    let words = article.word_count();
    let options = lector_speech::ScriptOptions::default();
    let mut utterances = lector_speech::build_script(&article, &options).utterances.len();
    let rounds = 200;
    let started = Instant::now();
    for _ in 0..rounds {
        utterances = utterances
            .max(std::hint::black_box(lector_speech::build_script(&article, &options)).utterances.len());
    }
    let per_script = started.elapsed().as_secs_f64() / f64::from(rounds);
    println!(
        "script for a {words}-word article ({utterances} utterances): {:.3} ms (mean of {rounds})",
        per_script * 1000.0
    );
    Ok(())
}
