//! Kept chunks in front of the blob folder: the contract every blob store passes, every range
//! the same bytes as the folder's own, and each chunk read from the folder once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::StreamExt;
use lector_store::*;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lector-kept-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A fresh blob folder behind 256 KiB of kept chunks, so that chunks are also forgotten.
async fn open_blobs(name: &str) -> Box<dyn BlobStore> {
    let folder = Arc::new(FsBlobStore::new(temp_dir(name).join("blobs")));
    Box::new(KeptChunks::new(folder, 256 * 1024))
}

lector_store::blob_contract_tests!(open_blobs);

/// The folder, counting the ranges read from it.
#[derive(Debug)]
struct Counted {
    folder: FsBlobStore,
    ranges: AtomicUsize,
}

#[async_trait::async_trait]
impl BlobStore for Counted {
    async fn put(&self, bytes: Vec<u8>) -> std::io::Result<BlobId> {
        self.folder.put(bytes).await
    }
    async fn put_stream(&self, chunks: BlobStream) -> std::io::Result<BlobId> {
        self.folder.put_stream(chunks).await
    }
    async fn get(&self, id: &str) -> std::io::Result<Option<Vec<u8>>> {
        self.folder.get(id).await
    }
    async fn len(&self, id: &str) -> std::io::Result<Option<u64>> {
        self.folder.len(id).await
    }
    async fn stream_range(&self, id: &str, start: u64, length: u64) -> std::io::Result<Option<BlobStream>> {
        self.ranges.fetch_add(1, Ordering::Relaxed);
        self.folder.stream_range(id, start, length).await
    }
}

async fn gathered(blobs: &dyn BlobStore, id: &str, start: u64, length: u64) -> Option<Vec<u8>> {
    let mut stream = blobs.stream_range(id, start, length).await.expect("a read")?;
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk.expect("a chunk"));
    }
    Some(bytes)
}

#[tokio::test]
async fn every_range_is_the_folders_and_each_chunk_is_read_once() {
    let counted =
        Arc::new(Counted { folder: FsBlobStore::new(temp_dir("ranges").join("blobs")), ranges: 0.into() });
    let kept = KeptChunks::new(Arc::clone(&counted) as Arc<dyn BlobStore>, 4 * 1024 * 1024);
    // Three and a half chunks of bytes that differ at every offset.
    let bytes: Vec<u8> = (0..(CHUNK_BYTES * 7 / 2)).map(|i| (i * 31 % 251) as u8).collect();
    let id = kept.put(bytes.clone()).await.expect("stored");
    let total = bytes.len() as u64;
    let chunk = CHUNK_BYTES as u64;
    let ranges = [
        (0, chunk),
        (0, 10),
        (chunk - 5, 10),
        (chunk, chunk),
        (3 * chunk + 7, 100_000),
        (total - 1, 5),
        (total, 10),
        (17, 2 * chunk + 3),
        (0, total),
        (5, total + 10),
    ];
    for (start, length) in ranges {
        let start_at = usize::try_from(start).expect("small").min(bytes.len());
        let end_at = usize::try_from(start + length).expect("small").min(bytes.len());
        let expected = &bytes[start_at..end_at];
        let got = gathered(&kept, &id, start, length).await.expect("the blob");
        assert_eq!(got.len(), expected.len(), "{start}+{length}");
        assert!(got == expected, "{start}+{length}: other bytes");
    }
    let reads = counted.ranges.load(Ordering::Relaxed);
    // Asked again, every range comes from memory.
    for (start, length) in ranges {
        gathered(&kept, &id, start, length).await.expect("the blob");
    }
    assert_eq!(counted.ranges.load(Ordering::Relaxed), reads, "a kept chunk was read again");
    assert!(reads <= 4, "{reads} reads of four chunks");
    // A blob that is not there is not there, and a long range streams from the folder.
    assert_eq!(gathered(&kept, &"0".repeat(64), 0, 10).await, None);
    let long = gathered(&kept, &id, 0, MAX_KEPT_RANGE + 1).await.expect("the blob");
    assert!(long == bytes);
    assert_eq!(counted.ranges.load(Ordering::Relaxed), reads + 2);
}
