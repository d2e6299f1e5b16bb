//! Blobs in an S3 bucket (AWS or any S3-compatible server), for many nodes sharing them: the
//! same content-addressed names as the folder store (`PREFIX/ab/cdef…`), written by one PUT,
//! or by a multipart upload above [`MULTIPART_BYTES`], so that a blob is visible whole or not
//! at all; ranges read with a ranged GET and handed on as the bytes arrive.

use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, PutPayload, WriteMultipart};

use sha2::{Digest, Sha256};

use crate::blob::{BlobId, BlobStore, BlobStream, blob_id, is_blob_id};

/// Blobs larger than this go up in parts of this size.
pub const MULTIPART_BYTES: usize = 8 * 1024 * 1024;

/// Where a bucket is and how to reach it.
#[derive(Debug, Clone, Default)]
pub struct S3Location {
    pub bucket: String,
    /// Folder of the bucket the blobs go in ("" for its top).
    pub prefix: String,
    /// An S3-compatible server's address (`http://127.0.0.1:8333`); AWS when unset.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// The credentials; when unset, the standard `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY` variables (and the rest of the AWS environment).
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl S3Location {
    /// Reads `s3://BUCKET/PREFIX`.
    pub fn parse(url: &str) -> Option<S3Location> {
        let rest = url.strip_prefix("s3://")?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        (!bucket.is_empty()).then(|| S3Location {
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            ..S3Location::default()
        })
    }
}

/// Blobs as objects of one bucket.
pub struct S3BlobStore {
    bucket: AmazonS3,
    prefix: String,
}

/// Names the bucket and the prefix only: the client's own form would show the credentials.
impl std::fmt::Debug for S3BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3BlobStore")
            .field("bucket", &self.bucket.to_string())
            .field("prefix", &self.prefix)
            .finish()
    }
}

fn io_error(e: object_store::Error) -> std::io::Error {
    std::io::Error::other(e)
}

impl S3BlobStore {
    /// A client for the bucket; nothing is sent until the first request.
    pub fn new(location: &S3Location) -> std::io::Result<S3BlobStore> {
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&location.bucket);
        if let Some(endpoint) = &location.endpoint {
            builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
        }
        builder = builder.with_region(location.region.as_deref().unwrap_or("us-east-1"));
        if let (Some(key), Some(secret)) = (&location.access_key_id, &location.secret_access_key) {
            builder = builder.with_access_key_id(key).with_secret_access_key(secret);
        }
        let bucket = builder.build().map_err(io_error)?;
        Ok(S3BlobStore { bucket, prefix: location.prefix.clone() })
    }

    /// The object of a blob id; `None` for anything that is not a blob id.
    fn path(&self, id: &str) -> Option<Path> {
        if !is_blob_id(id) {
            return None;
        }
        let key = format!("{}/{}", &id[..2], &id[2..]);
        Some(if self.prefix.is_empty() {
            Path::from(key)
        } else {
            Path::from(format!("{}/{key}", self.prefix))
        })
    }

    /// A name of its own for an upload in progress, under `PREFIX/.partial/`, away from the
    /// blobs' names.
    fn temporary_path(&self) -> std::io::Result<Path> {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(std::io::Error::other)?;
        let name = format!(".partial/{}", hex::encode(random));
        Ok(if self.prefix.is_empty() {
            Path::from(name)
        } else {
            Path::from(format!("{}/{name}", self.prefix))
        })
    }

    async fn size(&self, path: &Path) -> std::io::Result<Option<u64>> {
        match self.bucket.head(path).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(io_error(e)),
        }
    }
}

#[async_trait::async_trait]
impl BlobStore for S3BlobStore {
    async fn put(&self, bytes: Vec<u8>) -> std::io::Result<BlobId> {
        let id = blob_id(&bytes);
        let path = self.path(&id).ok_or_else(|| std::io::Error::other("bad blob id"))?;
        if self.size(&path).await? == Some(bytes.len() as u64) {
            return Ok(id);
        }
        if bytes.len() <= MULTIPART_BYTES {
            self.bucket.put(&path, PutPayload::from(bytes)).await.map_err(io_error)?;
        } else {
            let upload = self.bucket.put_multipart(&path).await.map_err(io_error)?;
            let mut writer = WriteMultipart::new_with_chunk_size(upload, MULTIPART_BYTES);
            writer.put(bytes.into());
            // An upload that fails is aborted: no part of it is ever visible.
            if let Err(e) = writer.finish().await {
                return Err(io_error(e));
            }
        }
        Ok(id)
    }

    async fn put_stream(&self, mut chunks: BlobStream) -> std::io::Result<BlobId> {
        // Up to one part's worth is gathered: a blob that small goes up in one PUT by `put`.
        let mut head = Vec::new();
        while head.len() <= MULTIPART_BYTES {
            match chunks.next().await {
                Some(chunk) => head.extend_from_slice(&chunk?),
                None => return self.put(head).await,
            }
        }
        // A larger one goes up in parts under a temporary name while its digest is taken, then
        // is copied to its own name by the server: it appears there whole, at once.
        let temporary = self.temporary_path()?;
        let upload = self.bucket.put_multipart(&temporary).await.map_err(io_error)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, MULTIPART_BYTES);
        let mut hasher = Sha256::new();
        let mut length = head.len() as u64;
        hasher.update(&head);
        writer.put(head.into());
        let streamed = async {
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk?;
                hasher.update(&chunk);
                length += chunk.len() as u64;
                // At most two parts in flight: memory stays at a few parts, whatever the length.
                writer.wait_for_capacity(2).await.map_err(io_error)?;
                writer.put(chunk);
            }
            Ok::<_, std::io::Error>(())
        }
        .await;
        if let Err(e) = streamed {
            let _ = writer.abort().await;
            return Err(e);
        }
        writer.finish().await.map_err(io_error)?;
        let id = hex::encode(hasher.finalize());
        let placed = match self.path(&id) {
            Some(path) if self.size(&path).await? == Some(length) => Ok(()),
            Some(path) => self.bucket.copy(&temporary, &path).await.map_err(io_error),
            None => Err(std::io::Error::other("bad blob id")),
        };
        if let Err(e) = self.bucket.delete(&temporary).await {
            tracing::warn!("removing the temporary object {temporary}: {e}");
        }
        placed.map(|()| id)
    }

    async fn get(&self, id: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path(id) else { return Ok(None) };
        match self.bucket.get(&path).await {
            Ok(result) => Ok(Some(result.bytes().await.map_err(io_error)?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(io_error(e)),
        }
    }

    async fn len(&self, id: &str) -> std::io::Result<Option<u64>> {
        let Some(path) = self.path(id) else { return Ok(None) };
        self.size(&path).await
    }

    async fn stream_range(&self, id: &str, start: u64, length: u64) -> std::io::Result<Option<BlobStream>> {
        let Some(path) = self.path(id) else { return Ok(None) };
        if length == 0 {
            // A ranged GET cannot ask for nothing: only whether the blob is there.
            return Ok(self.size(&path).await?.map(|_| futures_util::stream::empty().boxed()));
        }
        let options = GetOptions {
            range: Some(GetRange::Bounded(start..start.saturating_add(length))),
            ..GetOptions::default()
        };
        match self.bucket.get_opts(&path, options).await {
            Ok(result) => Ok(Some(result.into_stream().map_err(io_error).boxed())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            // A range that starts at or past the end is refused by S3: it holds nothing.
            Err(e) => match self.size(&path).await? {
                Some(size) if start >= size => Ok(Some(futures_util::stream::empty().boxed())),
                Some(_) => Err(io_error(e)),
                None => Ok(None),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_debug_form_shows_no_credentials() {
        let location = S3Location {
            bucket: "audio".into(),
            prefix: "news".into(),
            endpoint: Some("http://127.0.0.1:9".into()),
            access_key_id: Some("AKIDEXAMPLE".into()),
            secret_access_key: Some("wJalrXUtnFEMIEXAMPLEKEY".into()),
            ..S3Location::default()
        };
        let shown = format!("{:?}", S3BlobStore::new(&location).expect("a client"));
        assert!(shown.contains("audio") && shown.contains("news"), "{shown}");
        assert!(!shown.contains("AKIDEXAMPLE") && !shown.contains("EXAMPLEKEY"), "{shown}");
    }

    #[test]
    fn bucket_addresses() {
        let location = S3Location::parse("s3://news-audio/lector/blobs/").expect("parses");
        assert_eq!((location.bucket.as_str(), location.prefix.as_str()), ("news-audio", "lector/blobs"));
        assert_eq!(S3Location::parse("s3://news-audio").expect("parses").prefix, "");
        assert!(S3Location::parse("s3:///x").is_none());
        assert!(S3Location::parse("/srv/blobs").is_none());
    }
}
