//! What every piece of work on a node shares: the store, the blobs, the configuration, the
//! safe fetcher, the voices, the metrics and the signals between the workers.

use std::sync::Arc;

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

/// The voices this server offers and the one it narrates with by default.
#[derive(Debug, Clone)]
pub struct Voices {
    pub list: Vec<VoiceInfo>,
    pub default: String,
}

impl Voices {
    /// The installed voices (a blocking look at the data directory and eSpeak).
    pub fn discover(config: &Config) -> Voices {
        let installed = lector_speech::voice::voices().unwrap_or_default();
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
        Voices { list, default }
    }

    pub fn get(&self, id: &str) -> Option<&VoiceInfo> {
        self.list.iter().find(|v| v.id == id)
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
            tokio::task::spawn_blocking(move || Voices::discover(&config))
                .await
                .unwrap_or(Voices { list: Vec::new(), default: "espeak:en-us".into() })
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
        })
    }

    pub fn is_stopping(&self) -> bool {
        *self.stopping.borrow()
    }
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}
