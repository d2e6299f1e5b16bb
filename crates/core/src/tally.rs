//! Listening beacons as the player sends them, added up in memory on each node until they are
//! written (see `analytics`): no beacon names a listener, and only sums are kept.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use lector_store::{Id, ListenCount};
use serde::Deserialize;

use crate::error::{Code, Error};

/// The longest listen one beacon may report (longer is not a person listening to one article).
pub const MAX_LISTENED_MS: u64 = 6 * 3600 * 1000;
/// The highest sentence index a beacon may name.
pub const MAX_SENTENCE: u32 = 100_000;
/// The quarters a listen can reach.
pub const QUARTERS: [u8; 4] = [25, 50, 75, 100];

/// What the player says, one beacon at a time.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Beacon {
    /// A listen began (once per page view), in a voice at a speed.
    Play { article: Id, voice: Option<String>, speed: Option<f32> },
    /// The listen passed 25, 50, 75 or 100 % of the narration (each once per page view).
    Reach { article: Id, percent: u8 },
    /// The listener left or the narration ended: how long they listened, and the last sentence
    /// they heard.
    Leave { article: Id, listened_ms: u64, sentence: Option<u32> },
}

impl Beacon {
    pub fn article(&self) -> Id {
        match self {
            Beacon::Play { article, .. } | Beacon::Reach { article, .. } | Beacon::Leave { article, .. } => {
                *article
            }
        }
    }
}

/// Sums counted on this node and not written yet.
#[derive(Debug, Default)]
pub struct Tally {
    pending: Mutex<HashMap<(Id, String, String), i64>>,
    /// Beacons taken since the node started, for `/metrics`.
    pub received: AtomicU64,
}

fn refused(message: impl Into<String>) -> Error {
    Error::refused(Code::InvalidBeacon, message)
}

/// The day a time falls on, in UTC: `2026-12-04`.
pub fn day_of(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

impl Tally {
    /// Counts a beacon received on `day`; a beacon that cannot be from the player is refused.
    pub fn record(&self, beacon: &Beacon, installed: impl Fn(&str) -> bool, day: &str) -> Result<(), Error> {
        let mut metrics: Vec<(String, i64)> = Vec::with_capacity(3);
        match beacon {
            Beacon::Play { voice, speed, .. } => {
                metrics.push(("plays".into(), 1));
                // Only installed voices are named: a beacon cannot fill the table with made-up keys.
                if let Some(voice) = voice.as_deref().filter(|v| installed(v)) {
                    metrics.push((format!("voice:{voice}"), 1));
                }
                if let Some(speed) = speed {
                    if !(0.5..=3.0).contains(speed) {
                        return Err(refused("speed is 0.5 to 3"));
                    }
                    metrics.push((format!("speed:{}", (speed * 4.0).round() / 4.0), 1));
                }
            }
            Beacon::Reach { percent, .. } => {
                if !QUARTERS.contains(percent) {
                    return Err(refused("percent is 25, 50, 75 or 100"));
                }
                metrics.push((format!("reached_{percent}"), 1));
            }
            Beacon::Leave { listened_ms, sentence, .. } => {
                if *listened_ms > MAX_LISTENED_MS {
                    return Err(refused("listened_ms is at most six hours"));
                }
                metrics.push(("leaves".into(), 1));
                metrics.push(("listened_ms".into(), i64::try_from(*listened_ms).unwrap_or(0)));
                if let Some(sentence) = sentence {
                    if *sentence > MAX_SENTENCE {
                        return Err(refused("sentence is at most 100000"));
                    }
                    metrics.push((format!("drop:{sentence}"), 1));
                }
            }
        }
        if beacon.article() <= 0 {
            return Err(refused("article is an article's id"));
        }
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        for (metric, value) in metrics {
            *pending.entry((beacon.article(), day.to_string(), metric)).or_insert(0) += value;
        }
        self.received.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Everything counted so far, leaving nothing behind.
    pub fn take(&self) -> Vec<ListenCount> {
        let taken = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        taken
            .into_iter()
            .map(|((article_id, day, metric), value)| ListenCount { article_id, day, metric, value })
            .collect()
    }

    /// Puts back counts a write could not keep, to be written with the next ones.
    pub fn put_back(&self, counts: Vec<ListenCount>) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        for count in counts {
            *pending.entry((count.article_id, count.day, count.metric)).or_insert(0) += count.value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beacons_add_up_and_odd_ones_are_refused() {
        let tally = Tally::default();
        let day = "2026-12-04";
        let play = Beacon::Play { article: 3, voice: Some("made-up".into()), speed: Some(1.4) };
        tally.record(&play, |_| false, day).expect("counted");
        tally.record(&Beacon::Reach { article: 3, percent: 50 }, |_| false, day).expect("counted");
        tally
            .record(&Beacon::Leave { article: 3, listened_ms: 90_000, sentence: Some(7) }, |_| false, day)
            .expect("counted");
        tally
            .record(&Beacon::Leave { article: 3, listened_ms: 30_000, sentence: None }, |_| false, day)
            .expect("counted");
        for odd in [
            Beacon::Reach { article: 3, percent: 30 },
            Beacon::Play { article: 3, voice: None, speed: Some(9.0) },
            Beacon::Leave { article: 3, listened_ms: MAX_LISTENED_MS + 1, sentence: None },
            Beacon::Leave { article: 3, listened_ms: 1, sentence: Some(MAX_SENTENCE + 1) },
            Beacon::Reach { article: -1, percent: 25 },
        ] {
            assert_eq!(
                tally.record(&odd, |_| false, day).map_err(|e| e.code()),
                Err(Code::InvalidBeacon),
                "{odd:?}"
            );
        }
        let mut counts = tally.take();
        counts.sort_by(|a, b| a.metric.cmp(&b.metric));
        let metrics: Vec<(&str, i64)> = counts.iter().map(|c| (c.metric.as_str(), c.value)).collect();
        // The unknown voice is not named; the speed is rounded to a quarter.
        assert_eq!(
            metrics,
            [
                ("drop:7", 1),
                ("leaves", 2),
                ("listened_ms", 120_000),
                ("plays", 1),
                ("reached_50", 1),
                ("speed:1.5", 1)
            ]
        );
        assert!(tally.take().is_empty(), "taken once");
        assert_eq!(tally.received.load(Ordering::Relaxed), 4);
        // What a failed write gives back is written with the next counts.
        tally.record(&Beacon::Reach { article: 3, percent: 50 }, |_| false, day).expect("counted");
        tally.put_back(counts);
        let again = tally.take();
        assert_eq!(again.iter().find(|c| c.metric == "reached_50").map(|c| c.value), Some(2));
        assert_eq!(again.len(), 6);
    }
}
