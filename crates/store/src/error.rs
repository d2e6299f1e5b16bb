//! Why the store could not do something, in terms of no database library: a backend turns its
//! driver's errors into these (`From<sqlx::Error>` for the sqlx backends).

/// A driver's error, kept for its message and its chain of causes.
pub type DriverError = Box<dyn std::error::Error + Send + Sync>;

/// A store failure: the database or the blob files.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(DriverError),
    /// A unique key is taken: another article has this URL or external id, say.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database migration: {0}")]
    Migration(DriverError),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("blob store: {0}")]
    Io(#[from] std::io::Error),
}

#[cfg(feature = "sql")]
impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        if let sqlx::Error::ColumnDecode { .. } = error {
            return StoreError::Corrupt(error.to_string());
        }
        match error.as_database_error() {
            Some(e) if e.is_unique_violation() => StoreError::Conflict(e.message().to_string()),
            _ => StoreError::Database(Box::new(error)),
        }
    }
}

#[cfg(feature = "sql")]
impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> StoreError {
        StoreError::Migration(Box::new(error))
    }
}

impl StoreError {
    /// Whether the storage itself refuses writes (disk full, read-only), as opposed to a bug.
    pub fn is_storage_full_or_read_only(&self) -> bool {
        let io_kind = match self {
            StoreError::Io(e) => Some(e.kind()),
            _ => None,
        };
        matches!(io_kind, Some(std::io::ErrorKind::StorageFull | std::io::ErrorKind::ReadOnlyFilesystem))
            || self.to_string().contains("readonly")
            || self.to_string().contains("disk is full")
    }
}
