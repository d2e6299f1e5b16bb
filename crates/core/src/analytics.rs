//! Listening analytics without tracking people. The player sends anonymous beacons (a play
//! with its voice and speed, each quarter of the narration reached, and on leaving the time
//! listened and the last sentence heard); nothing identifies a listener, no cookie is read and
//! no address kept. Each node adds beacons up in memory ([`Tally`]) and writes the sums once a
//! second in one write ([`flush`]); the store keeps only sums per article, day and metric, and
//! [`summary`] turns them into what the console and the API show.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use lector_store::{Id, ListenCount, ListenQuery, Store};
use serde::Serialize;

use crate::context::{Core, now};
use crate::error::{Code, Error};
pub use crate::tally::{Beacon, MAX_LISTENED_MS, MAX_SENTENCE, QUARTERS, Tally, day_of};

/// How often each node writes what it counted.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// Counts a beacon received now.
pub fn receive(core: &Core, beacon: &Beacon) -> Result<(), Error> {
    core.analytics.record(beacon, |voice| core.voices.get(voice).is_some(), &day_of(now()))
}

/// Writes what this node counted; a write that fails keeps its counts for the next one.
pub async fn flush(core: &Core) -> Result<u64, Error> {
    let counts = core.analytics.take();
    if counts.is_empty() {
        return Ok(0);
    }
    match core.store.add_listen_counts(&counts).await {
        Ok(kept) => Ok(kept),
        Err(e) => {
            core.analytics.put_back(counts);
            Err(e.into())
        }
    }
}

/// Writes the counts once a second until the node stops, and once more then.
pub fn spawn_flusher(core: &Core) -> tokio::task::JoinHandle<()> {
    let core = core.clone();
    tokio::spawn(async move {
        let mut stopping = core.stopping.clone();
        while !core.is_stopping() {
            tokio::select! {
                () = tokio::time::sleep(FLUSH_EVERY) => {}
                _ = stopping.changed() => {}
            }
            if let Err(e) = flush(&core).await {
                tracing::error!("writing listening analytics: {e}");
            }
        }
    })
}

/// One day's listening (or the whole period's).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayListens {
    pub day: String,
    pub plays: i64,
    /// Listens that reached 25, 50, 75 and 100 % of the narration.
    pub reached: [i64; 4],
    pub listened_ms: i64,
    /// Listens that reported their time (on leaving or at the end).
    pub leaves: i64,
    /// `listened_ms / leaves`.
    pub average_listened_ms: i64,
}

impl DayListens {
    fn add(&mut self, metric: &str, value: i64) {
        match metric {
            "plays" => self.plays += value,
            "listened_ms" => self.listened_ms += value,
            "leaves" => self.leaves += value,
            other => {
                if let Some(quarter) = other.strip_prefix("reached_").and_then(|p| p.parse::<u8>().ok())
                    && let Some(i) = QUARTERS.iter().position(|q| *q == quarter)
                {
                    self.reached[i] += value;
                }
            }
        }
        self.average_listened_ms = if self.leaves > 0 { self.listened_ms / self.leaves } else { 0 };
    }
}

/// What the console and the API show of a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Every day of the period, the quiet ones too, oldest first.
    pub days: Vec<DayListens>,
    pub total: DayListens,
    /// Plays per voice and per speed chosen.
    pub voices: BTreeMap<String, i64>,
    pub speeds: BTreeMap<String, i64>,
    /// How many listens ended at each sentence (index in the narration), in order.
    pub dropoff: Vec<(u32, i64)>,
    /// Plays per article, most first.
    pub articles: Vec<(Id, i64)>,
}

/// The days from `from` to `to` (inclusive, `YYYY-MM-DD`), at most 400.
pub fn days_between(from: &str, to: &str) -> Result<Vec<String>, Error> {
    let parse = |text: &str| {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| refused_query(format!("{text:?} is not a day (YYYY-MM-DD)")))
    };
    let (from, to) = (parse(from)?, parse(to)?);
    if to < from || (to - from).num_days() > 400 {
        return Err(refused_query("a period of 1 to 400 days, from before to"));
    }
    Ok(from.iter_days().take_while(|d| *d <= to).map(|d| d.format("%Y-%m-%d").to_string()).collect())
}

/// The first day of the `count` days that end on `to` (`YYYY-MM-DD`).
pub fn first_of(to: &str, count: u32) -> Result<String, Error> {
    let last = chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d")
        .map_err(|_| refused_query(format!("{to:?} is not a day (YYYY-MM-DD)")))?;
    Ok((last - chrono::Duration::days(i64::from(count.max(1)) - 1)).format("%Y-%m-%d").to_string())
}

/// The sums of one article (or all) from `from` to `to`, every day of the period included.
pub async fn period(store: &dyn Store, article: Option<Id>, from: &str, to: &str) -> Result<Summary, Error> {
    let days = days_between(from, to)?;
    let query = ListenQuery { article, from: from.to_string(), to: to.to_string() };
    Ok(summary(&days, &store.listen_counts(&query).await?))
}

fn refused_query(message: impl Into<String>) -> Error {
    Error::refused(Code::InvalidPeriod, message)
}

/// The sums of a period, by day and in total.
pub fn summary(days: &[String], counts: &[ListenCount]) -> Summary {
    let mut by_day: BTreeMap<&str, DayListens> =
        days.iter().map(|d| (d.as_str(), DayListens { day: d.clone(), ..DayListens::default() })).collect();
    let mut summary =
        Summary { total: DayListens { day: "total".into(), ..DayListens::default() }, ..Summary::default() };
    let mut dropoff: BTreeMap<u32, i64> = BTreeMap::new();
    let mut articles: HashMap<Id, i64> = HashMap::new();
    for count in counts {
        if let Some(day) = by_day.get_mut(count.day.as_str()) {
            day.add(&count.metric, count.value);
        }
        summary.total.add(&count.metric, count.value);
        if let Some(voice) = count.metric.strip_prefix("voice:") {
            *summary.voices.entry(voice.to_string()).or_insert(0) += count.value;
        } else if let Some(speed) = count.metric.strip_prefix("speed:") {
            *summary.speeds.entry(speed.to_string()).or_insert(0) += count.value;
        } else if let Some(sentence) = count.metric.strip_prefix("drop:").and_then(|s| s.parse().ok()) {
            *dropoff.entry(sentence).or_insert(0) += count.value;
        } else if count.metric == "plays" {
            *articles.entry(count.article_id).or_insert(0) += count.value;
        }
    }
    summary.days = by_day.into_values().collect();
    summary.dropoff = dropoff.into_iter().collect();
    summary.articles = articles.into_iter().collect();
    summary.articles.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_fill_every_day_and_add_up() {
        let days = days_between("2026-12-01", "2026-12-03").expect("days");
        assert_eq!(days, ["2026-12-01", "2026-12-02", "2026-12-03"]);
        assert!(days_between("2026-12-03", "2026-12-01").is_err());
        assert!(days_between("yesterday", "2026-12-01").is_err());
        let count = |article: Id, day: &str, metric: &str, value: i64| ListenCount {
            article_id: article,
            day: day.into(),
            metric: metric.into(),
            value,
        };
        let counts = [
            count(1, "2026-12-01", "plays", 4),
            count(1, "2026-12-01", "reached_25", 3),
            count(1, "2026-12-01", "reached_100", 1),
            count(1, "2026-12-01", "leaves", 2),
            count(1, "2026-12-01", "listened_ms", 120_000),
            count(2, "2026-12-03", "plays", 6),
            count(2, "2026-12-03", "drop:4", 2),
            count(1, "2026-12-01", "drop:9", 1),
            count(2, "2026-12-03", "voice:joe", 6),
        ];
        let summary = summary(&days, &counts);
        assert_eq!(summary.days.iter().map(|d| d.plays).collect::<Vec<_>>(), [4, 0, 6]);
        assert_eq!(summary.days[0].reached, [3, 0, 0, 1]);
        assert_eq!(summary.days[0].average_listened_ms, 60_000);
        assert_eq!((summary.total.plays, summary.total.average_listened_ms), (10, 60_000));
        assert_eq!(summary.dropoff, [(4, 2), (9, 1)]);
        assert_eq!(summary.articles, [(2, 6), (1, 4)]);
        assert_eq!(summary.voices.get("joe"), Some(&6));
    }
}
