//! The listening-beacon load: `lector serve` (release) takes 1,000 beacons a second on
//! loopback for 30 s while a reader fetches the article page over and over; every beacon must
//! be counted, and the page's latency is reported beside the same reader's without the load.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::server_bench::Server;

/// Threads sending beacons, each at an even share of the rate.
const SENDERS: u32 = 4;

/// Fetches the page one request after the other until `stop`, and returns each latency.
fn reader(url: String, stop: Arc<AtomicBool>) -> Vec<Duration> {
    let agent = ureq::Agent::new_with_defaults();
    let mut latencies = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        if agent.get(&url).call().and_then(|mut r| r.body_mut().read_to_vec()).is_ok() {
            latencies.push(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    latencies
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// Runs the reader alone for `seconds`, or beside the senders; returns (p50, p99, requests).
fn read_page(url: &str, seconds: u64) -> (f64, f64, usize) {
    let stop = Arc::new(AtomicBool::new(false));
    let handle = std::thread::spawn({
        let (url, stop) = (url.to_string(), Arc::clone(&stop));
        move || reader(url, stop)
    });
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut latencies = handle.join().unwrap_or_default();
    latencies.sort();
    (percentile(&latencies, 0.5), percentile(&latencies, 0.99), latencies.len())
}

pub fn run(rate: u32, seconds: u64) -> Result<()> {
    let server = Server::start(&[])?;
    let id = server.narrated_article()?;
    let page = format!("{}/articles/{id}", server.base);
    let (quiet50, quiet99, quiet_n) = read_page(&page, 10);

    let (sent, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let started = Instant::now();
    let senders: Vec<_> = (0..SENDERS)
        .map(|_| {
            let (url, sent, failed) =
                (format!("{}/api/listens", server.base), Arc::clone(&sent), Arc::clone(&failed));
            let body = format!(r#"{{"type": "play", "article": {id}, "speed": 1.25}}"#);
            let each = Duration::from_secs_f64(f64::from(SENDERS) / f64::from(rate));
            std::thread::spawn(move || {
                let agent = ureq::Agent::new_with_defaults();
                let mut due = Instant::now();
                while started.elapsed() < Duration::from_secs(seconds) {
                    let answer =
                        agent.post(&url).header("content-type", "application/json").send(body.as_str());
                    match answer {
                        Ok(r) if r.status().as_u16() == 204 => sent.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                    due += each;
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                }
            })
        })
        .collect();
    let (loaded50, loaded99, loaded_n) = read_page(&page, seconds);
    for sender in senders {
        sender.join().map_err(|_| anyhow::anyhow!("a sender failed"))?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    // Each node writes its counts once a second.
    std::thread::sleep(Duration::from_millis(2_500));
    let mut answer = ureq::get(&format!("{}/api/analytics?article={id}", server.base))
        .header("authorization", &format!("Bearer {}", server.token))
        .call()?;
    let summary: serde_json::Value = serde_json::from_str(&answer.body_mut().read_to_string()?)?;
    let counted = summary["total"]["plays"].as_u64().context("the total of plays")?;
    let (sent, failed) = (sent.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    println!("lector serve on {}: beacons at {rate}/s for {seconds} s from {SENDERS} threads", server.base);
    println!(
        "  beacons: {sent} answered 204 ({:.0}/s), {failed} failed, {counted} counted, {} lost",
        sent as f64 / elapsed,
        sent.saturating_sub(counted)
    );
    println!("  article page alone:        p50 {quiet50:.2} ms, p99 {quiet99:.2} ms ({quiet_n} requests)");
    println!(
        "  article page under beacons: p50 {loaded50:.2} ms, p99 {loaded99:.2} ms ({loaded_n} requests)"
    );
    if counted != sent || failed > 0 {
        bail!("beacons lost or refused: {sent} answered, {counted} counted, {failed} failed");
    }
    Ok(())
}
