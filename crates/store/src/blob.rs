//! The blob store: audio and images by the SHA-256 of their bytes, written to a temporary file
//! and renamed into place, so a blob is either whole or absent; read whole or as a stream of
//! chunks from any offset.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// A blob's name: the lowercase hex SHA-256 of its bytes.
pub type BlobId = String;

/// A blob's bytes as they are read, chunk after chunk, so that a long narration goes to a
/// client without being held whole in memory.
pub type BlobStream = BoxStream<'static, std::io::Result<Bytes>>;

/// How much of a folder blob one chunk of a [`BlobStream`] holds at most.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// Where blobs live: a folder on one machine, an S3 bucket for many. A blob is written whole
/// or not at all, and only ids that are SHA-256 in hex ever name one.
#[async_trait::async_trait]
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` and returns their id; storing the same bytes again is a no-op.
    async fn put(&self, bytes: Vec<u8>) -> std::io::Result<BlobId>;
    /// Stores the bytes of `chunks` as they come, without holding them whole, and returns their
    /// id. Until the last chunk is written nothing is visible under any id; a failed chunk
    /// leaves nothing behind.
    async fn put_stream(&self, chunks: BlobStream) -> std::io::Result<BlobId>;
    /// The whole blob, or `None` when there is no such blob.
    async fn get(&self, id: &str) -> std::io::Result<Option<Vec<u8>>>;
    /// The blob's length in bytes, or `None`.
    async fn len(&self, id: &str) -> std::io::Result<Option<u64>>;
    /// `length` bytes from `start` (fewer at the end of the blob) as they are read, or `None`
    /// when there is no such blob.
    async fn stream_range(&self, id: &str, start: u64, length: u64) -> std::io::Result<Option<BlobStream>>;
    /// `length` bytes from `start` (fewer at the end of the blob), gathered.
    async fn read_range(&self, id: &str, start: u64, length: u64) -> std::io::Result<Option<Vec<u8>>> {
        let Some(mut chunks) = self.stream_range(id, start, length).await? else { return Ok(None) };
        let mut bytes = Vec::new();
        while let Some(chunk) = chunks.next().await {
            bytes.extend_from_slice(&chunk?);
        }
        Ok(Some(bytes))
    }
}

/// Whether `id` is a blob id (64 lowercase hex digits): anything else names no blob.
pub fn is_blob_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Blobs as files under a folder: `ab/cdef…` for id `abcdef…`.
#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

/// The id of `bytes`.
pub fn blob_id(bytes: &[u8]) -> BlobId {
    hex::encode(Sha256::digest(bytes))
}

impl FsBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> FsBlobStore {
        FsBlobStore { root: root.into() }
    }

    /// The file of a blob id; `None` for anything that is not a SHA-256 in hex (so an id from
    /// a request can never name a path outside the store).
    fn path(&self, id: &str) -> Option<PathBuf> {
        is_blob_id(id).then(|| self.root.join(&id[..2]).join(&id[2..]))
    }

    fn open(&self, id: &str) -> std::io::Result<Option<std::fs::File>> {
        let Some(path) = self.path(id) else { return Ok(None) };
        match std::fs::File::open(path) {
            Ok(file) => Ok(Some(file)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A hidden name of its own for each write, so that writes at once (by this process or
/// another) never share a temporary file.
fn temporary_name(stem: &str) -> String {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let serial = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!(".{stem}.{}.{serial}.partial", std::process::id())
}

/// Runs blocking file work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(std::io::Error::other)?
}

#[async_trait::async_trait]
impl BlobStore for FsBlobStore {
    async fn put(&self, bytes: Vec<u8>) -> std::io::Result<BlobId> {
        let store = self.clone();
        blocking(move || store.put_file(&bytes)).await
    }

    async fn put_stream(&self, mut chunks: BlobStream) -> std::io::Result<BlobId> {
        std::fs::create_dir_all(&self.root)?;
        let temporary = self.root.join(temporary_name("stream"));
        let written = async {
            let mut file = tokio::fs::File::create(&temporary).await?;
            let mut hasher = Sha256::new();
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk?;
                hasher.update(&chunk);
                file.write_all(&chunk).await?;
            }
            file.sync_all().await?;
            Ok::<_, std::io::Error>(hex::encode(hasher.finalize()))
        }
        .await;
        let placed = match written {
            Ok(id) => self.place(&temporary, &id).map(|()| id),
            Err(e) => Err(e),
        };
        if placed.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        placed
    }

    async fn get(&self, id: &str) -> std::io::Result<Option<Vec<u8>>> {
        let (store, id) = (self.clone(), id.to_string());
        blocking(move || store.get_file(&id)).await
    }

    async fn len(&self, id: &str) -> std::io::Result<Option<u64>> {
        let (store, id) = (self.clone(), id.to_string());
        blocking(move || store.open(&id)?.map(|file| file.metadata().map(|m| m.len())).transpose()).await
    }

    async fn stream_range(&self, id: &str, start: u64, length: u64) -> std::io::Result<Option<BlobStream>> {
        let (store, id) = (self.clone(), id.to_string());
        // Opened and its first chunk read in one blocking call (a short range takes no more).
        let opened = blocking(move || {
            let Some(mut file) = store.open(&id)? else { return Ok(None) };
            file.seek(SeekFrom::Start(start))?;
            let mut file = file.take(length);
            let chunk = read_chunk(&mut file)?;
            Ok(Some((file, chunk)))
        });
        let Some((file, first)) = opened.await? else { return Ok(None) };
        if first.is_empty() {
            return Ok(Some(futures_util::stream::empty().boxed()));
        }
        // Then one blocking read a chunk, until the range or the file ends.
        let rest = still_to_read(file, &first);
        let later = futures_util::stream::try_unfold(rest, |file| async move {
            let Some(mut file) = file else { return Ok(None) };
            let (file, chunk) = blocking(move || {
                let chunk = read_chunk(&mut file)?;
                Ok((file, chunk))
            })
            .await?;
            if chunk.is_empty() {
                return Ok(None);
            }
            let rest = still_to_read(file, &chunk);
            Ok(Some((Bytes::from(chunk), rest)))
        });
        let first = Bytes::from(first);
        Ok(Some(futures_util::stream::once(async { Ok(first) }).chain(later).boxed()))
    }
}

/// The file, when there is more of it to read after `chunk`.
fn still_to_read(file: std::io::Take<std::fs::File>, chunk: &[u8]) -> Option<std::io::Take<std::fs::File>> {
    (chunk.len() == CHUNK_BYTES && file.limit() > 0).then_some(file)
}

/// The next chunk of a file, at most [`CHUNK_BYTES`]; empty at its end.
fn read_chunk(file: &mut std::io::Take<std::fs::File>) -> std::io::Result<Vec<u8>> {
    let mut chunk = Vec::with_capacity(CHUNK_BYTES);
    file.take(CHUNK_BYTES as u64).read_to_end(&mut chunk)?;
    Ok(chunk)
}

impl FsBlobStore {
    fn put_file(&self, bytes: &[u8]) -> std::io::Result<BlobId> {
        let id = blob_id(bytes);
        let path = self.path(&id).ok_or_else(|| std::io::Error::other("bad blob id"))?;
        if path.exists() {
            return Ok(id);
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let temporary = dir.join(temporary_name(&id[2..]));
        let written = std::fs::File::create(&temporary).and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        });
        match written.and_then(|()| self.place(&temporary, &id)) {
            Ok(()) => Ok(id),
            Err(e) => {
                let _ = std::fs::remove_file(&temporary);
                Err(e)
            }
        }
    }

    /// Renames a whole temporary file into place as blob `id` (or drops it when the blob is
    /// there already): the blob appears whole, at once.
    fn place(&self, temporary: &Path, id: &str) -> std::io::Result<()> {
        let path = self.path(id).ok_or_else(|| std::io::Error::other("bad blob id"))?;
        if path.exists() {
            return std::fs::remove_file(temporary);
        }
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
        std::fs::rename(temporary, &path)
    }

    fn get_file(&self, id: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(mut file) = self.open(id)? else { return Ok(None) };
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        Ok(Some(bytes))
    }
}
