//! What every piece of work on a node shares: the store, the blobs, the configuration, the
//! safe fetcher, the voices, the metrics and the signals between the workers.

use std::sync::Arc;

use lector_speech::voice::primary_language;
use lector_store::{BlobStore, KeptChunks, Store};
use serde::Serialize;
use tokio::sync::{Notify, Semaphore, watch};

use crate::audio::AudioIndex;
use crate::changes::ChangeFeed;
use crate::config::Config;
use crate::fetch::Fetcher;
use crate::metrics::Metrics;

/// Shared state; cheap to clone.
#[derive(Debug, Clone)]
pub struct Core {
    pub store: Arc<dyn Store>,
    pub blobs: Arc<dyn BlobStore>,
    pub config: Arc<Config>,
    pub fetcher: Fetcher,
    pub metrics: Arc<Metrics>,
    pub voices: Arc<Voices>,
    /// Woken when a job is queued.
    pub jobs_waiting: Arc<Notify>,
    /// Permits for live narrations (audio streamed while it is synthesized).
    pub live_streams: Arc<Semaphore>,
    /// Turns true when the server is stopping: workers finish their current step.
    pub stopping: watch::Receiver<bool>,
    /// This node's view of the store's change log, which decides what it may keep.
    pub changes: Arc<ChangeFeed>,
    /// Where ready audio is, per version.
    pub audio: Arc<AudioIndex>,
    /// Listening beacons counted on this node and not written yet.
    pub analytics: Arc<crate::tally::Tally>,
}

/// A voice as the API lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoiceInfo {
    pub id: String,
    pub name: String,
    pub language: String,
    pub gender: String,
    pub engine: String,
    pub quality: String,
    pub sample_rate: u32,
    /// Words per minute at 1×, measured once per voice; null until measured.
    pub wpm: Option<f64>,
}

/// The voices this server offers, the one it narrates with by default, and the one for each
/// other language an installed voice speaks.
#[derive(Debug, Clone)]
pub struct Voices {
    pub list: Vec<VoiceInfo>,
    pub default: String,
    /// Primary language subtag (`fr`, `cmn`) → the voice that reads it best among those
    /// installed.
    pub by_language: std::collections::BTreeMap<String, String>,
}

impl Voices {
    /// The installed voices (a blocking look at the data directory and eSpeak).
    pub fn discover(config: &Config) -> Voices {
        let installed = lector_speech::voice::voices().unwrap_or_default();
        let by_language = lector_speech::voice::best_voices_by_language(&installed);
        let list: Vec<VoiceInfo> = installed
            .into_iter()
            .map(|v| VoiceInfo {
                wpm: lector_speech::voice::stored_wpm(&v.id),
                gender: json_text(&v.gender),
                quality: json_text(&v.quality),
                id: v.id,
                name: v.name,
                language: v.language,
                engine: v.engine,
                sample_rate: v.sample_rate,
            })
            .collect();
        let default = config.site.default_voice.clone().unwrap_or_else(lector_speech::voice::default_voice);
        Voices { list, default, by_language }
    }

    pub fn get(&self, id: &str) -> Option<&VoiceInfo> {
        self.list.iter().find(|v| v.id == id)
    }

    /// The voice that narrates text in `language` (a BCP 47 tag): the site's choice for the
    /// language (`site.voices`, by the whole tag, else by the language alone), the default voice when
    /// it speaks the language (or the language is the site's and the default's is unknown),
    /// else the best installed voice of the language; `None` when no voice speaks it.
    pub fn for_language(&self, language: &str, site: &crate::config::SiteConfig) -> Option<String> {
        let tag = language.trim().to_lowercase();
        let primary = primary_language(&tag);
        // The whole tag first (`pt-br` before `pt`), then an entry for the language alone (an
        // entry for a region is only that region's).
        let exact = site.voices.iter().find(|(l, _)| l.to_lowercase() == tag);
        let bare = |l: &str| !l.contains(['-', '_']) && primary_language(l) == primary;
        let chosen = exact.or_else(|| site.voices.iter().find(|(l, _)| bare(l)));
        if let Some((_, voice)) = chosen {
            return Some(voice.clone());
        }
        let default_language = match self.get(&self.default) {
            Some(voice) => primary_language(&voice.language),
            None => primary_language(&site.language),
        };
        if default_language == primary {
            return Some(self.default.clone());
        }
        self.by_language.get(&primary).cloned()
    }
}

/// The name serde gives an enum value ("male", "neural").
fn json_text(value: &impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Where a node keeps what it has: the database and the blobs. The binary opens them as the
/// configuration says (SQLite or PostgreSQL, a folder or an S3 bucket); the core only uses
/// their traits.
#[derive(Debug, Clone)]
pub struct Backends {
    pub store: Arc<dyn Store>,
    pub blobs: Arc<dyn BlobStore>,
}

/// Why the node could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("data directory {path}: {source}")]
    DataDir { path: std::path::PathBuf, source: std::io::Error },
    #[error("HTTP client: {0}")]
    Fetch(#[from] crate::fetch::FetchError),
}

impl Core {
    /// The node's work on its opened backends: makes the data directory, builds the fetcher
    /// and discovers the voices.
    pub async fn open(
        config: Config,
        backends: Backends,
        stopping: watch::Receiver<bool>,
    ) -> Result<Core, StartError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|source| StartError::DataDir { path: config.data_dir.clone(), source })?;
        let fetcher = Fetcher::new(&config.fetch)?;
        let voices = {
            let config = config.clone();
            tokio::task::spawn_blocking(move || Voices::discover(&config)).await.unwrap_or(Voices {
                list: Vec::new(),
                default: "espeak:en-us".into(),
                by_language: std::collections::BTreeMap::new(),
            })
        };
        let live_streams = Arc::new(Semaphore::new(config.jobs.live_streams));
        // Other nodes may serve pages from the same database: on PostgreSQL, or beside a
        // worker node (one node serves from an SQLite file: `lector serve` holds its lock).
        let shared =
            matches!(config.database(), crate::config::Database::Postgres(_)) || !config.role.serves();
        let changes = Arc::new(ChangeFeed::new(Arc::clone(&backends.store), shared));
        let blobs = match config.blobs.memory_mib {
            0 => backends.blobs,
            mib => Arc::new(KeptChunks::new(backends.blobs, mib.saturating_mul(1024 * 1024))),
        };
        Ok(Core {
            store: backends.store,
            blobs,
            config: Arc::new(config),
            fetcher,
            metrics: Arc::new(Metrics::default()),
            voices: Arc::new(voices),
            jobs_waiting: Arc::new(Notify::new()),
            live_streams,
            stopping,
            changes,
            audio: Arc::new(AudioIndex::default()),
            analytics: Arc::new(crate::tally::Tally::default()),
        })
    }

    pub fn is_stopping(&self) -> bool {
        *self.stopping.borrow()
    }

    /// The voice that narrates `article`: the one for its language (the site's language when
    /// it names none); `None` when no installed voice speaks it.
    pub fn voice_for(&self, article: &lector_article::Article) -> Option<String> {
        let language = article.language.as_deref().filter(|l| !l.trim().is_empty());
        self.voices.for_language(language.unwrap_or(&self.config.site.language), &self.config.site)
    }

    /// The voice that narrates a stored article: the one an editor chose for it while it is
    /// installed, else [`Core::voice_for`] its language.
    pub fn voice_of(&self, record: &lector_store::ArticleRecord) -> Option<String> {
        record
            .voice
            .clone()
            .filter(|voice| self.voices.get(voice).is_some())
            .or_else(|| self.voice_for(&record.article))
    }
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voice(id: &str, language: &str) -> VoiceInfo {
        VoiceInfo {
            id: id.into(),
            name: id.into(),
            language: language.into(),
            gender: String::new(),
            engine: String::new(),
            quality: String::new(),
            sample_rate: 24_000,
            wpm: None,
        }
    }

    #[test]
    fn each_language_gets_its_voice_and_none_gets_another_language_s() {
        let voices = Voices {
            list: vec![
                voice("kokoro:af_heart", "en-us"),
                voice("espeak:fr", "fr"),
                voice("espeak:cmn", "cmn"),
            ],
            default: "kokoro:af_heart".into(),
            by_language: [("fr", "espeak:fr"), ("cmn", "espeak:cmn"), ("en", "kokoro:af_heart")]
                .map(|(l, v)| (l.to_string(), v.to_string()))
                .into(),
        };
        let site = crate::config::SiteConfig {
            voices: [("pt", "espeak:pt"), ("pt-br", "kokoro:pf_dora"), ("en-gb", "kokoro:bf_emma")]
                .map(|(l, v)| (l.to_string(), v.to_string()))
                .into(),
            ..crate::config::SiteConfig::default()
        };
        let check = |language: &str| voices.for_language(language, &site);
        assert_eq!(check("en").as_deref(), Some("kokoro:af_heart"));
        assert_eq!(check("en-US").as_deref(), Some("kokoro:af_heart"));
        assert_eq!(check("en-GB").as_deref(), Some("kokoro:bf_emma"), "the site's choice for the tag");
        assert_eq!(check("pt-BR").as_deref(), Some("kokoro:pf_dora"), "the whole tag before the language");
        assert_eq!(check("pt-PT").as_deref(), Some("espeak:pt"));
        assert_eq!(check("fr-CA").as_deref(), Some("espeak:fr"));
        assert_eq!(check("zh-Hans").as_deref(), Some("espeak:cmn"), "Chinese is read as Mandarin");
        assert_eq!(check("qaa"), None);
    }
}
