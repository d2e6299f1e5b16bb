//! The composition root: the database and the blob store a node uses, picked from the
//! configuration (an SQLite file or PostgreSQL; a folder or an S3 bucket).

use std::sync::Arc;

use anyhow::{Context, Result};
use lector_core::config::{Blobs, Database};
use lector_core::{Backends, Config};
use lector_store::{BlobStore, FsBlobStore, S3BlobStore, S3Location, Store};
use lector_store_postgres::PostgresStore;
use lector_store_sqlite::SqliteStore;

/// Opens the configured database, its schema brought up to date, and the blob store.
pub async fn open(config: &Config) -> Result<Backends> {
    Ok(Backends { store: open_store(config).await?, blobs: open_blobs(config)? })
}

/// Opens the configured database: an SQLite file in the data directory (within
/// `limits.max_database_mib`) or a PostgreSQL database.
pub async fn open_store(config: &Config) -> Result<Arc<dyn Store>> {
    Ok(match config.database() {
        Database::Sqlite(path) => {
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
            }
            let limit = config.limits.max_database_mib.map(|mib| mib * 1024 * 1024);
            let store = SqliteStore::open_with_limit(&path, limit).await;
            Arc::new(store.with_context(|| format!("opening the database {}", path.display()))?)
        }
        Database::Postgres(url) => {
            let store = PostgresStore::connect(&url, config.database.max_connections).await;
            // The address may hold a password: it is not repeated in the message.
            Arc::new(store.context("connecting to the PostgreSQL database of database.url")?)
        }
    })
}

/// Opens the configured blob store: a folder, or an S3 bucket with the credentials of the
/// standard AWS environment variables.
pub fn open_blobs(config: &Config) -> Result<Arc<dyn BlobStore>> {
    Ok(match config.blobs() {
        Blobs::Folder(path) => Arc::new(FsBlobStore::new(path)),
        Blobs::S3 { bucket, prefix, endpoint, region } => {
            let location = S3Location { bucket, prefix, endpoint, region, ..S3Location::default() };
            Arc::new(S3BlobStore::new(&location).context("opening the S3 bucket of blobs.url")?)
        }
    })
}
