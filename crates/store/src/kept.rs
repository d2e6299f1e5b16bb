//! Recently read chunks of blobs kept in memory, in front of any blob store. A blob's name is
//! the digest of its bytes, so a kept chunk is never stale. Many listeners of one narration ask
//! for the same short ranges: each chunk is read from the store once, and then served from
//! memory without a copy. Long ranges (whole downloads) stream from the store as before.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::blob::{BlobId, BlobStore, BlobStream, CHUNK_BYTES};

/// The longest range served through kept chunks.
pub const MAX_KEPT_RANGE: u64 = 1024 * 1024;

#[derive(Debug, Clone)]
struct ByLength;

impl Weighter<(BlobId, u64), Bytes> for ByLength {
    fn weight(&self, key: &(BlobId, u64), chunk: &Bytes) -> u64 {
        (key.0.len() + chunk.len() + 64) as u64
    }
}

/// A blob store with its recently read chunks kept in memory, within a size limit.
#[derive(Debug)]
pub struct KeptChunks {
    store: Arc<dyn BlobStore>,
    /// Chunk `n` of a blob: its bytes from `n * CHUNK_BYTES`, shorter at the blob's end.
    chunks: Cache<(BlobId, u64), Bytes, ByLength>,
}

impl KeptChunks {
    /// `store` with at most `bytes` of its chunks kept.
    pub fn new(store: Arc<dyn BlobStore>, bytes: u64) -> KeptChunks {
        let items = usize::try_from(bytes / CHUNK_BYTES as u64).unwrap_or(usize::MAX).max(4);
        KeptChunks { store, chunks: Cache::with_weighter(items, bytes, ByLength) }
    }

    /// Chunks `first..=last` of blob `id` (fewer when it ends sooner), read from the store in
    /// one go from the first one not kept; `None` when there is no such blob.
    async fn chunks(&self, id: &str, first: u64, last: u64) -> std::io::Result<Option<Vec<Bytes>>> {
        let mut found = Vec::new();
        for n in first..=last {
            match self.chunks.get(&(id.to_string(), n)) {
                Some(chunk) => {
                    let ends = chunk.len() < CHUNK_BYTES;
                    found.push(chunk);
                    if ends {
                        return Ok(Some(found));
                    }
                }
                None => {
                    let (start, length) = (n * CHUNK_BYTES as u64, (last - n + 1) * CHUNK_BYTES as u64);
                    let Some(bytes) = self.store.read_range(id, start, length).await? else {
                        return Ok(None);
                    };
                    let bytes = Bytes::from(bytes);
                    for (i, offset) in (0..bytes.len().max(1)).step_by(CHUNK_BYTES).enumerate() {
                        let chunk = bytes.slice(offset..bytes.len().min(offset + CHUNK_BYTES));
                        self.chunks.insert((id.to_string(), n + i as u64), chunk.clone());
                        found.push(chunk);
                    }
                    return Ok(Some(found));
                }
            }
        }
        Ok(Some(found))
    }
}

#[async_trait::async_trait]
impl BlobStore for KeptChunks {
    async fn put(&self, bytes: Vec<u8>) -> std::io::Result<BlobId> {
        self.store.put(bytes).await
    }

    async fn put_stream(&self, chunks: BlobStream) -> std::io::Result<BlobId> {
        self.store.put_stream(chunks).await
    }

    async fn get(&self, id: &str) -> std::io::Result<Option<Vec<u8>>> {
        self.store.get(id).await
    }

    async fn len(&self, id: &str) -> std::io::Result<Option<u64>> {
        self.store.len(id).await
    }

    async fn stream_range(&self, id: &str, start: u64, length: u64) -> std::io::Result<Option<BlobStream>> {
        if length == 0 || length > MAX_KEPT_RANGE {
            return self.store.stream_range(id, start, length).await;
        }
        let chunk = CHUNK_BYTES as u64;
        let (first, end) = (start / chunk, start.saturating_add(length));
        let Some(chunks) = self.chunks(id, first, (end - 1) / chunk).await? else { return Ok(None) };
        let parts: Vec<std::io::Result<Bytes>> = chunks
            .into_iter()
            .enumerate()
            .filter_map(|(i, bytes)| {
                let at = (first + i as u64) * chunk;
                let from = usize::try_from(start.saturating_sub(at)).unwrap_or(usize::MAX).min(bytes.len());
                let to = usize::try_from(end - at).unwrap_or(usize::MAX).min(bytes.len());
                (from < to).then(|| Ok(bytes.slice(from..to)))
            })
            .collect();
        Ok(Some(futures_util::stream::iter(parts).boxed()))
    }
}
