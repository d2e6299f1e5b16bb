//! Counters for `/metrics`, in the Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// What the server counts while it runs.
#[derive(Debug, Default)]
pub struct Metrics {
    /// (route, status) → requests.
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    pub articles_saved: AtomicU64,
    pub narrations_done: AtomicU64,
    pub narrations_failed: AtomicU64,
    /// Milliseconds spent synthesizing.
    pub narration_ms: AtomicU64,
    /// Utterances synthesized for stored narrations, and those reused from an earlier one.
    pub sentences_synthesized: AtomicU64,
    pub sentences_reused: AtomicU64,
    pub audio_streamed: AtomicU64,
    pub audio_bytes_served: AtomicU64,
    pub fetches_refused: AtomicU64,
    pub feed_polls: AtomicU64,
}

impl Metrics {
    pub fn count_request(&self, route: &str, status: u16) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route.to_string(), status)).or_default() += 1;
        }
    }

    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// The text format, with the job gauges read from the store by the caller.
    pub fn render(&self, jobs: &[(String, i64)], articles: i64) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP lector_http_requests_total HTTP requests by route and status.");
        let _ = writeln!(out, "# TYPE lector_http_requests_total counter");
        if let Ok(requests) = self.requests.lock() {
            for ((route, status), n) in requests.iter() {
                let _ = writeln!(
                    out,
                    "lector_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    route.replace('\\', "\\\\").replace('"', "\\\"")
                );
            }
        }
        let counters = [
            ("lector_articles_saved_total", "Articles created or revised.", &self.articles_saved),
            ("lector_narrations_total", "Narrations completed.", &self.narrations_done),
            ("lector_narrations_failed_total", "Narration attempts that failed.", &self.narrations_failed),
            ("lector_narration_milliseconds_total", "Time spent synthesizing speech.", &self.narration_ms),
            (
                "lector_sentences_synthesized_total",
                "Utterances synthesized for stored narrations.",
                &self.sentences_synthesized,
            ),
            (
                "lector_sentences_reused_total",
                "Utterances whose speech an earlier narration had made.",
                &self.sentences_reused,
            ),
            (
                "lector_audio_streamed_total",
                "Audio responses synthesized while streaming.",
                &self.audio_streamed,
            ),
            ("lector_audio_bytes_served_total", "Stored audio bytes served.", &self.audio_bytes_served),
            ("lector_fetches_refused_total", "Fetches refused by the address policy.", &self.fetches_refused),
            ("lector_feed_polls_total", "Feed polls.", &self.feed_polls),
        ];
        for (name, help, counter) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(out, "# HELP lector_jobs Jobs by state.\n# TYPE lector_jobs gauge");
        for (state, n) in jobs {
            let _ = writeln!(out, "lector_jobs{{state=\"{state}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP lector_articles Stored articles.\n# TYPE lector_articles gauge\nlector_articles {articles}"
        );
        out
    }
}
