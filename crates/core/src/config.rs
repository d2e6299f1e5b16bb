//! The server's one configuration struct: defaults, then a TOML file, then `LECTOR_*`
//! environment variables, then command-line flags. Unknown keys are errors at every layer.
//!
//! Environment variables name a key in upper case with `__` between levels:
//! `LECTOR_LISTEN=0.0.0.0:8080`, `LECTOR_JOBS__CONCURRENCY=2`, `LECTOR_FETCH__ALLOW=["127.0.0.1"]`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Everything `lector serve` can be told. Every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// Holds the database (`lector.db`), blobs (`blobs/`) and voices (`voices/`).
    pub data_dir: PathBuf,
    /// The address readers use to reach this server (for feeds and absolute links);
    /// `http://<listen>` when unset.
    pub public_url: Option<String>,
    /// Serve the demo site: sample articles, kept apart in `demo.db` and `demo-blobs/`.
    pub demo: bool,
    /// What this node does: `web` serves the site and the API, `worker` narrates and polls
    /// feeds (and answers `/healthz` and `/metrics`), `all` does both.
    pub role: Role,
    /// Log filter (tracing's `EnvFilter` syntax): `info`, `lector_server=debug,warn`, …
    pub log: String,
    /// `text` for people, `json` for log collectors.
    pub log_format: String,
    pub database: DatabaseConfig,
    pub blobs: BlobsConfig,
    pub site: SiteConfig,
    pub jobs: JobsConfig,
    pub fetch: FetchConfig,
    pub feeds: FeedsConfig,
    pub limits: LimitsConfig,
    pub comments: CommentsConfig,
    pub podcast: PodcastConfig,
    pub accounts: AccountsConfig,
}

/// Where articles, revisions, audio records, jobs, tokens, feeds and comments are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE` for a PostgreSQL database that many
    /// nodes share; `sqlite://PATH` for an SQLite file; unset for `lector.db` in the data
    /// directory. The demo site always keeps its own `demo.db`.
    pub url: Option<String>,
    /// Most connections this node holds open to PostgreSQL.
    pub max_connections: u32,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig { url: None, max_connections: 10 }
    }
}

/// What a node does, so that narration can run on machines apart from the web nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Web,
    Worker,
    #[default]
    All,
}

impl Role {
    /// Whether this node serves the site and the API.
    pub fn serves(self) -> bool {
        matches!(self, Role::Web | Role::All)
    }

    /// Whether this node runs the narration workers and the feed poller.
    pub fn works(self) -> bool {
        matches!(self, Role::Worker | Role::All)
    }
}

/// Where audio and images are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BlobsConfig {
    /// A folder, or `s3://BUCKET/PREFIX` for an S3 bucket that many nodes share; unset for
    /// `blobs/` in the data directory. The demo site always keeps its own `demo-blobs/`.
    pub url: Option<String>,
    /// An S3-compatible server's address (`https://s3.example.net`); AWS when unset. The
    /// credentials come from `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, never from here.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// Memory for recently read 64 KiB chunks of audio and images, served to the next reader
    /// who asks for a short range of them without reading the store again, in MiB; 0 keeps
    /// nothing.
    pub memory_mib: u64,
}

impl Default for BlobsConfig {
    fn default() -> BlobsConfig {
        BlobsConfig { url: None, endpoint: None, region: None, memory_mib: 32 }
    }
}

/// Which blob store the configuration names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blobs {
    Folder(PathBuf),
    S3 { bucket: String, prefix: String, endpoint: Option<String>, region: Option<String> },
}

/// Which database the configuration names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    /// The connection address, password included: never log it.
    Postgres(String),
}

/// The site readers see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    pub name: String,
    /// `publication`: a public site of articles. `library`: each signed-in user's private
    /// library of saved articles; every page, feed, image, audio file and read of the API
    /// needs a session or a token, and shows only the asker's own library.
    pub mode: SiteMode,
    /// Voice id of the narration made for every article in the site's language (and in its
    /// own); the voice that reads English news best among those installed when unset.
    pub default_voice: Option<String>,
    /// The voice for articles in other languages, by language tag (`fr`, `pt-br`): otherwise
    /// the best installed voice of the article's language, and none when no voice speaks it.
    pub voices: std::collections::BTreeMap<String, String>,
    /// Language of the site, for feeds and pages.
    pub language: String,
    /// Shown in the podcast feed.
    pub description: String,
    /// The site's logo, shown in the masthead.
    pub logo_url: Option<String>,
    /// The editorial-standards page behind "Why you can trust …" (hidden when unset).
    pub standards_url: Option<String>,
    /// An ad slot after every this many paragraphs (never first, last, or inside a list or
    /// quote); 0 for none.
    pub ad_every: u32,
    /// Reading rate for "Reading time: N minutes".
    pub words_per_minute: u32,
    /// Whether the player highlights the sentence being read, until the listener chooses.
    pub follow_along: bool,
    /// Whether the next article plays when one ends, until the listener chooses.
    pub up_next: bool,
    /// Whether the narration reads tables row by row (each cell after its column's heading);
    /// otherwise it names each table by its caption and says it is not read.
    pub read_tables: bool,
    /// Whether the narration reads the captions of the body's pictures (never their credits).
    pub read_captions: bool,
    /// Memory for the parts of article pages computed once per revision (sentence marks,
    /// sanitized body, JSON-LD), in MiB; 0 keeps nothing.
    pub render_cache_mib: u64,
    /// Memory for whole pages and article JSON as they were sent, kept until what they show
    /// changes, in MiB; 0 keeps nothing.
    pub page_cache_mib: u64,
}

/// What the site is: a newsroom's public publication, or readers' private libraries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteMode {
    #[default]
    Publication,
    Library,
}

/// The narration queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobsConfig {
    /// Narrations run at once.
    pub concurrency: usize,
    /// Tries before a job fails for good.
    pub max_attempts: u32,
    /// Wait before the first retry, doubled on each further one.
    pub retry_after_secs: u64,
    /// Audio requests for narrations that are not ready, synthesized live at once; more
    /// wait for the queue (503 with Retry-After).
    pub live_streams: usize,
    /// How long a running job stays its worker's without a renewal (renewed every third of
    /// it): after a crash, any node takes the job once this has passed.
    pub lease_secs: u64,
}

/// Every fetch the server makes on a user's behalf (pages, feeds, images).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchConfig {
    pub timeout_secs: u64,
    /// Largest response body, after decompression.
    pub max_bytes: u64,
    pub max_redirects: usize,
    /// Hosts, addresses or networks (`10.0.0.0/8`) that may be fetched although they are
    /// not public: for tests and intranets. Empty by default.
    pub allow: Vec<String>,
    pub user_agent: String,
}

/// Feed polling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedsConfig {
    /// Shortest interval a feed may ask for.
    pub min_interval_secs: u64,
    pub default_interval_secs: u64,
}

/// What podcast directories (Apple Podcasts, Spotify) ask of the site's podcast feeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PodcastConfig {
    /// The show's cover: a square JPEG or PNG of 1400 to 3000 pixels. Unset, the server's own
    /// cover (`/feeds/podcast.png`, 1400 × 1400).
    pub image_url: Option<String>,
    /// Who owns the show, for the directories to reach; the site's name when unset.
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    /// One of Apple Podcasts' top-level categories ([`PODCAST_CATEGORIES`]).
    pub category: String,
    /// A subcategory of it, such as `Daily News` under `News`.
    pub subcategory: Option<String>,
    /// Whether episodes hold explicit content.
    pub explicit: bool,
}

/// Apple Podcasts' top-level categories.
pub const PODCAST_CATEGORIES: &[&str] = &[
    "Arts",
    "Business",
    "Comedy",
    "Education",
    "Fiction",
    "Government",
    "History",
    "Health & Fitness",
    "Kids & Family",
    "Leisure",
    "Music",
    "News",
    "Religion & Spirituality",
    "Science",
    "Society & Culture",
    "Sports",
    "Technology",
    "True Crime",
    "TV & Film",
];

impl Default for PodcastConfig {
    fn default() -> Self {
        PodcastConfig {
            image_url: None,
            owner_name: None,
            owner_email: None,
            category: "News".into(),
            subcategory: Some("Daily News".into()),
            explicit: false,
        }
    }
}

/// Reader comments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CommentsConfig {
    /// `post`: comments show at once and moderators hide them later; `pre`: they wait for a
    /// moderator.
    pub moderation: String,
    /// Longest comment, in characters.
    pub max_chars: usize,
    /// Most web addresses in one comment.
    pub max_links: usize,
    /// Comments one client may post in a minute.
    pub per_minute: u32,
    /// The same text from the same name within this many seconds is refused as a duplicate.
    pub duplicate_window_secs: i64,
}

impl Default for CommentsConfig {
    fn default() -> Self {
        CommentsConfig {
            moderation: "post".into(),
            max_chars: 5_000,
            max_links: 2,
            per_minute: 5,
            duplicate_window_secs: 24 * 3600,
        }
    }
}

/// Staff accounts: how long a console session lasts and how signing in is limited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountsConfig {
    /// Hours a console session lasts from signing in.
    pub session_hours: u64,
    /// Sign-in attempts one client may make in 15 minutes, right or wrong, whatever the name.
    pub login_attempts: u32,
    /// Wrong passwords in a row that lock an account.
    pub lockout_failures: u32,
    /// Minutes a locked account refuses every sign-in, the right password included.
    pub lockout_minutes: u64,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        AccountsConfig { session_hours: 12, login_attempts: 10, lockout_failures: 5, lockout_minutes: 15 }
    }
}

/// Limits on what clients send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Most articles in one page of a list.
    pub max_page_size: u32,
    /// Largest the database may grow, in MiB; writes past it are refused (507) like writes to
    /// a full disk. None: no limit but the disk's.
    pub max_database_mib: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: lector_speech::voice::data_dir(),
            public_url: None,
            demo: false,
            role: Role::All,
            log: "info".into(),
            log_format: "text".into(),
            database: DatabaseConfig::default(),
            blobs: BlobsConfig::default(),
            site: SiteConfig::default(),
            jobs: JobsConfig::default(),
            fetch: FetchConfig::default(),
            feeds: FeedsConfig::default(),
            limits: LimitsConfig::default(),
            comments: CommentsConfig::default(),
            podcast: PodcastConfig::default(),
            accounts: AccountsConfig::default(),
        }
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            name: "lector".into(),
            mode: SiteMode::Publication,
            default_voice: None,
            voices: std::collections::BTreeMap::new(),
            language: "en".into(),
            description: "News articles to read and to listen to.".into(),
            logo_url: None,
            standards_url: None,
            ad_every: 4,
            words_per_minute: lector_article::DEFAULT_WORDS_PER_MINUTE,
            follow_along: true,
            up_next: true,
            read_tables: false,
            read_captions: false,
            render_cache_mib: 64,
            page_cache_mib: 64,
        }
    }
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig { concurrency: 1, max_attempts: 5, retry_after_secs: 30, live_streams: 2, lease_secs: 30 }
    }
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            timeout_secs: 10,
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            allow: Vec::new(),
            user_agent: concat!("lector/", env!("CARGO_PKG_VERSION")).into(),
        }
    }
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig { min_interval_secs: 60, default_interval_secs: 900 }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig { max_body_bytes: 10 * 1024 * 1024, max_page_size: 100, max_database_mib: None }
    }
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

impl Config {
    /// Reads the configuration: defaults, `file` when given, the `LECTOR_*` variables among
    /// `env`, then `flags` (a TOML table of the same keys).
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        flags: toml::Table,
    ) -> Result<Config, ConfigError> {
        let mut table = toml::Table::new();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
            let layer: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
                origin: path.display().to_string(),
                message: e.message().to_string(),
            })?;
            check(&layer, &path.display().to_string())?;
            merge(&mut table, layer);
        }
        let layer = env_table(env)?;
        check(&layer, "environment")?;
        merge(&mut table, layer);
        check(&flags, "flags")?;
        merge(&mut table, flags);
        let config: Config = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
            ConfigError::Invalid { origin: "configuration".into(), message: e.to_string() }
        })?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |message: &str| {
            Err(ConfigError::Invalid { origin: "configuration".into(), message: message.into() })
        };
        if self.jobs.concurrency == 0 || self.jobs.concurrency > 64 {
            return invalid("jobs.concurrency must be 1 to 64");
        }
        if !(3..=3600).contains(&self.jobs.lease_secs) {
            return invalid("jobs.lease_secs must be 3 to 3600");
        }
        if self.fetch.timeout_secs == 0 || self.fetch.max_bytes == 0 {
            return invalid("fetch.timeout_secs and fetch.max_bytes must be above 0");
        }
        if !(60..=1000).contains(&self.site.words_per_minute) {
            return invalid("site.words_per_minute must be 60 to 1000");
        }
        if !matches!(self.comments.moderation.as_str(), "post" | "pre") {
            return invalid("comments.moderation is post or pre");
        }
        if self.comments.per_minute == 0 || self.comments.max_chars == 0 {
            return invalid("comments.per_minute and comments.max_chars must be above 0");
        }
        let accounts = &self.accounts;
        if !(1..=24 * 90).contains(&accounts.session_hours)
            || accounts.login_attempts == 0
            || accounts.lockout_failures == 0
            || !(1..=24 * 60).contains(&accounts.lockout_minutes)
        {
            return invalid(
                "accounts.session_hours must be 1 to 2160, accounts.lockout_minutes 1 to 1440, \
                 accounts.login_attempts and accounts.lockout_failures above 0",
            );
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return invalid("log_format is text or json");
        }
        if let Some(url) = &self.database.url
            && !["sqlite://", "postgres://", "postgresql://"].iter().any(|scheme| url.starts_with(scheme))
        {
            return invalid("database.url must start with postgres://, postgresql:// or sqlite://");
        }
        if let Some(url) = &self.blobs.url
            && url.starts_with("s3:")
            && lector_store::S3Location::parse(url).is_none()
        {
            return invalid("blobs.url names an S3 bucket as s3://BUCKET/PREFIX");
        }
        if let Some(endpoint) = &self.blobs.endpoint
            && !(endpoint.starts_with("http://") || endpoint.starts_with("https://"))
        {
            return invalid("blobs.endpoint must start with http:// or https://");
        }
        if !(1..=1000).contains(&self.database.max_connections) {
            return invalid("database.max_connections must be 1 to 1000");
        }
        if self.limits.max_page_size == 0 {
            return invalid("limits.max_page_size must be above 0");
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return invalid("public_url must start with http:// or https://");
        }
        if !PODCAST_CATEGORIES.contains(&self.podcast.category.as_str()) {
            return invalid(&format!(
                "podcast.category {:?} is not one of Apple Podcasts' categories: {}",
                self.podcast.category,
                PODCAST_CATEGORIES.join(", ")
            ));
        }
        if let Some(email) = &self.podcast.owner_email
            && !email.contains('@')
        {
            return invalid("podcast.owner_email must be an email address");
        }
        if let Some(url) = &self.podcast.image_url
            && !(url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/'))
        {
            return invalid("podcast.image_url must start with http://, https:// or /");
        }
        for entry in &self.fetch.allow {
            if crate::allow::AllowEntry::parse(entry).is_none() {
                return invalid(&format!("fetch.allow: {entry:?} is not a host, an address or a network"));
            }
        }
        Ok(())
    }

    /// The address readers use, without a trailing slash.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_string()
    }

    /// The database to open: the demo's own file, the configured address, or `lector.db` in
    /// the data directory.
    pub fn database(&self) -> Database {
        match &self.database.url {
            _ if self.demo => Database::Sqlite(self.data_dir.join("demo.db")),
            Some(url) if url.starts_with("sqlite://") => {
                Database::Sqlite(PathBuf::from(url.trim_start_matches("sqlite://")))
            }
            Some(url) => Database::Postgres(url.clone()),
            None => Database::Sqlite(self.data_dir.join("lector.db")),
        }
    }

    /// The blob store to open: the demo's own folder, the configured folder or bucket, or
    /// `blobs/` in the data directory.
    pub fn blobs(&self) -> Blobs {
        match &self.blobs.url {
            _ if self.demo => Blobs::Folder(self.data_dir.join("demo-blobs")),
            Some(url) => match lector_store::S3Location::parse(url) {
                Some(location) => Blobs::S3 {
                    bucket: location.bucket,
                    prefix: location.prefix,
                    endpoint: self.blobs.endpoint.clone(),
                    region: self.blobs.region.clone(),
                },
                None => Blobs::Folder(PathBuf::from(url)),
            },
            None => Blobs::Folder(self.data_dir.join("blobs")),
        }
    }
}

/// Deserializes `layer` alone, so an unknown key is named with where it came from.
fn check(layer: &toml::Table, origin: &str) -> Result<(), ConfigError> {
    toml::Value::Table(layer.clone())
        .try_into::<Config>()
        .map(|_| ())
        .map_err(|e| ConfigError::Invalid { origin: origin.into(), message: e.to_string() })
}

fn merge(into: &mut toml::Table, layer: toml::Table) {
    for (key, value) in layer {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(existing)), toml::Value::Table(value)) => merge(existing, value),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

/// The configuration's top-level keys: a `LECTOR_` variable that names none of them is not
/// configuration (`LECTOR_DATASETS`, read by the quality tools) and is left alone.
const TOP_LEVEL_KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "public_url",
    "demo",
    "role",
    "log",
    "log_format",
    "database",
    "blobs",
    "site",
    "jobs",
    "fetch",
    "feeds",
    "limits",
    "comments",
    "podcast",
    "accounts",
];

/// `LECTOR_JOBS__CONCURRENCY=2` → `jobs.concurrency = 2`. Values are read as TOML when they
/// parse as such (numbers, booleans, arrays), else as strings.
fn env_table(env: impl IntoIterator<Item = (String, String)>) -> Result<toml::Table, ConfigError> {
    let mut table = toml::Table::new();
    for (name, value) in env {
        let Some(key) = name.strip_prefix("LECTOR_") else { continue };
        let path: Vec<String> = key.split("__").map(str::to_lowercase).collect();
        if !TOP_LEVEL_KEYS.contains(&path[0].as_str()) {
            continue;
        }
        if path.iter().any(String::is_empty) {
            return Err(ConfigError::Invalid { origin: name, message: "malformed variable name".into() });
        }
        let parsed = toml::from_str::<toml::Table>(&format!("v = {value}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or(toml::Value::String(value));
        let mut node = &mut table;
        for part in &path[..path.len() - 1] {
            node = match node.entry(part.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new())) {
                toml::Value::Table(t) => t,
                _ => {
                    return Err(ConfigError::Invalid {
                        origin: name,
                        message: "conflicting variables".into(),
                    });
                }
            };
        }
        node.insert(path[path.len() - 1].clone(), parsed);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn layers_override_in_order() {
        let dir = std::env::temp_dir().join(format!("lector-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("lector.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\n[jobs]\nconcurrency = 3\n[site]\nname = \"Harbour News\"\n",
        )
        .expect("write");
        let mut flags = toml::Table::new();
        flags.insert("listen".into(), toml::Value::String("127.0.0.1:9100".into()));
        let config = Config::load(
            Some(&file),
            env(&[
                ("LECTOR_JOBS__CONCURRENCY", "2"),
                ("LECTOR_FETCH__ALLOW", "[\"127.0.0.1\"]"),
                ("PATH", "/bin"),
            ]),
            flags,
        )
        .expect("loads");
        assert_eq!(config.listen.port(), 9100);
        assert_eq!(config.jobs.concurrency, 2);
        assert_eq!(config.site.name, "Harbour News");
        assert_eq!(config.fetch.allow, ["127.0.0.1"]);
        assert_eq!(config.jobs.max_attempts, 5);
    }

    #[test]
    fn the_database_is_a_file_in_the_data_directory_unless_an_address_is_given() {
        let load = |pairs: &[(&str, &str)]| Config::load(None, env(pairs), toml::Table::new());
        let default = load(&[("LECTOR_DATA_DIR", "/srv/lector")]).expect("loads");
        assert_eq!(default.database(), Database::Sqlite(PathBuf::from("/srv/lector/lector.db")));
        let postgres =
            load(&[("LECTOR_DATABASE__URL", "postgres://lector:secret@db:5432/news")]).expect("loads");
        assert_eq!(postgres.database(), Database::Postgres("postgres://lector:secret@db:5432/news".into()));
        let file = load(&[("LECTOR_DATABASE__URL", "sqlite:///var/lib/lector/news.db")]).expect("loads");
        assert_eq!(file.database(), Database::Sqlite(PathBuf::from("/var/lib/lector/news.db")));
        let demo = load(&[("LECTOR_DATABASE__URL", "postgres://db/news"), ("LECTOR_DEMO", "true")]);
        assert!(
            matches!(demo.expect("loads").database(), Database::Sqlite(path) if path.ends_with("demo.db"))
        );
        assert_eq!(load(&[("LECTOR_ROLE", "worker")]).expect("loads").role, Role::Worker);
        let bucket =
            load(&[("LECTOR_BLOBS__URL", "s3://audio/news"), ("LECTOR_BLOBS__ENDPOINT", "http://s3:8333")]);
        assert_eq!(
            bucket.expect("loads").blobs(),
            Blobs::S3 {
                bucket: "audio".into(),
                prefix: "news".into(),
                endpoint: Some("http://s3:8333".into()),
                region: None
            }
        );
        let folder = load(&[("LECTOR_BLOBS__URL", "/srv/audio")]).expect("loads");
        assert_eq!(folder.blobs(), Blobs::Folder(PathBuf::from("/srv/audio")));
        assert!(load(&[("LECTOR_BLOBS__URL", "s3:///")]).is_err());
        assert!(load(&[("LECTOR_BLOBS__ENDPOINT", "s3.example.net")]).is_err());
        assert!(load(&[("LECTOR_ROLE", "cook")]).is_err());
        // Podcast directories take only their own categories, and an owner they can write to.
        let podcast = load(&[
            ("LECTOR_PODCAST__CATEGORY", "\"Technology\""),
            ("LECTOR_PODCAST__SUBCATEGORY", "\"Tech News\""),
        ]);
        assert_eq!(podcast.expect("loads").podcast.category, "Technology");
        assert!(load(&[("LECTOR_PODCAST__CATEGORY", "Cooking")]).is_err());
        assert!(load(&[("LECTOR_PODCAST__OWNER_EMAIL", "newsroom")]).is_err());
        let message = load(&[("LECTOR_DATABASE__URL", "mysql://db/news")]).expect_err("refused").to_string();
        assert!(message.contains("database.url"), "{message}");
        assert!(load(&[("LECTOR_DATABASE__MAX_CONNECTIONS", "0")]).is_err());
        for (key, value) in [
            ("LECTOR_ACCOUNTS__LOCKOUT_FAILURES", "0"),
            ("LECTOR_ACCOUNTS__LOGIN_ATTEMPTS", "0"),
            ("LECTOR_ACCOUNTS__SESSION_HOURS", "0"),
            ("LECTOR_ACCOUNTS__LOCKOUT_MINUTES", "100000"),
        ] {
            let message = load(&[(key, value)]).expect_err("refused").to_string();
            assert!(message.contains("accounts."), "{key}: {message}");
        }
        assert_eq!(
            load(&[("LECTOR_ACCOUNTS__SESSION_HOURS", "8")]).expect("loads").accounts.session_hours,
            8
        );
    }

    #[test]
    fn variables_that_name_no_key_are_not_configuration() {
        let config = Config::load(
            None,
            env(&[("LECTOR_DATASETS", "/srv/datasets"), ("LECTOR_TRACE", "1"), ("LECTOR_LOG", "warn")]),
            toml::Table::new(),
        )
        .expect("loads");
        assert_eq!(config.log, "warn");
        // Every top-level key is known to the environment layer, and nothing else is.
        let full = Config { public_url: Some("https://news.example".into()), ..Config::default() };
        let serialized = toml::Table::try_from(&full).expect("serializes");
        let mut keys: Vec<&str> = serialized.keys().map(String::as_str).collect();
        let mut known = TOP_LEVEL_KEYS.to_vec();
        keys.sort_unstable();
        known.sort_unstable();
        assert_eq!(keys, known);
    }

    #[test]
    fn unknown_keys_are_refused_with_their_origin() {
        let unknown = Config::load(None, env(&[("LECTOR_JOBS__PARALLEL", "2")]), toml::Table::new());
        let message = unknown.expect_err("refused").to_string();
        assert!(message.starts_with("environment:") && message.contains("parallel"), "{message}");
        let dir = std::env::temp_dir().join(format!("lector-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("bad.toml");
        std::fs::write(&file, "[site]\ntitle = \"x\"\n").expect("write");
        let message =
            Config::load(Some(&file), env(&[]), toml::Table::new()).expect_err("refused").to_string();
        assert!(message.contains("bad.toml") && message.contains("title"), "{message}");
        let zero = Config::load(None, env(&[("LECTOR_JOBS__CONCURRENCY", "0")]), toml::Table::new());
        assert!(zero.expect_err("refused").to_string().contains("concurrency"));
        let network =
            Config::load(None, env(&[("LECTOR_FETCH__ALLOW", "[\"not a host!\"]")]), toml::Table::new());
        assert!(network.is_err());
    }
}
