//! Article images kept by lector: fetched safely once, checked to be real images and stored
//! with smaller copies for pages, so that the server serves them and readers' browsers never
//! call the source site. Keeping an article's images is a job on the shared queue, so that
//! a node that stops half-way leaves it to another.

use image::{ImageFormat, ImageReader};
use lector_article::{Article, Block};
use lector_store::{ArticleRecord, ImageRecord, JobKind, StoreError};

use crate::context::{Core, now};
use crate::fetch::FetchError;

/// Widths of the smaller copies pages use (never wider than the original).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// Largest image accepted, in pixels (width × height), and per side.
pub const MAX_PIXELS: u64 = 40_000_000;
pub const MAX_SIDE: u32 = 12_000;

/// Every image URL of an article: the lead image first, then the body's.
pub fn image_urls(article: &Article) -> Vec<String> {
    let mut urls: Vec<String> = article.lead_image.iter().map(|image| image.url.clone()).collect();
    for block in &article.body {
        if let Block::Image(image) = block {
            urls.push(image.url.clone());
        }
    }
    urls.retain(|url| url.starts_with("http://") || url.starts_with("https://"));
    urls.dedup();
    urls
}

/// Queues the keeping of the article's images, when one of them is not kept yet: a job that
/// any worker node takes (see [`keep_all`]).
pub async fn queue_images(core: &Core, record: &ArticleRecord) -> Result<(), StoreError> {
    let mut missing = false;
    for url in image_urls(&record.article) {
        if core.store.image(&url).await?.is_none() {
            missing = true;
            break;
        }
    }
    if !missing {
        return Ok(());
    }
    core.store.enqueue_job(JobKind::Images, record.id, "", now()).await?;
    core.jobs_waiting.notify_waiters();
    Ok(())
}

/// Why an image was not kept.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("fetching: {0}")]
    Fetch(#[from] FetchError),
    #[error("{0}")]
    NotAnImage(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("blob store: {0}")]
    Blob(#[from] std::io::Error),
}

impl ImageError {
    /// Whether trying again later may succeed: the network, the source's server or our own
    /// storage failed, rather than the image being refused.
    pub fn is_transient(&self) -> bool {
        match self {
            ImageError::Fetch(FetchError::Timeout | FetchError::Network(_)) => true,
            ImageError::Fetch(FetchError::Status(status)) => *status == 429 || *status >= 500,
            ImageError::Fetch(_) | ImageError::NotAnImage(_) => false,
            ImageError::Store(_) | ImageError::Blob(_) => true,
        }
    }
}

/// Keeps every image of the article that is not kept yet, until the node begins to stop. An
/// image that cannot be had (refused, not an image, gone) is left out; the first error worth
/// another try is returned after the others were tried.
pub async fn keep_all(core: &Core, record: &ArticleRecord) -> Result<(), ImageError> {
    let mut retry = None;
    for url in image_urls(&record.article) {
        if core.is_stopping() {
            break;
        }
        match keep_image(core, &url).await {
            Ok(_) => {}
            Err(e) if e.is_transient() => {
                tracing::warn!(url, "image not kept, to be tried again: {e}");
                retry.get_or_insert(e);
            }
            Err(e) => tracing::warn!(url, "image left out: {e}"),
        }
    }
    retry.map_or(Ok(()), Err)
}

/// Fetches one image unless it is kept already.
pub async fn keep_image(core: &Core, url: &str) -> Result<ImageRecord, ImageError> {
    if let Some(record) = core.store.image(url).await? {
        return Ok(record);
    }
    let fetched = core.fetcher.get(url, &["image/"]).await?;
    let record = store_image(core, url, fetched.bytes).await?;
    core.store.save_image(&record).await?;
    Ok(record)
}

/// Checks an image, puts it and its smaller copies in the blob store, and describes it.
pub async fn store_image(core: &Core, source_url: &str, bytes: Vec<u8>) -> Result<ImageRecord, ImageError> {
    // Checking and resizing is CPU work, off the async threads; then the blobs are stored.
    let (bytes, prepared) =
        tokio::task::spawn_blocking(move || prepare(&bytes).map(|prepared| (bytes, prepared)))
            .await
            .map_err(|e| ImageError::NotAnImage(e.to_string()))?
            .map_err(ImageError::NotAnImage)?;
    let blob = core.blobs.put(bytes).await?;
    let mut variants = Vec::new();
    for (width, variant) in prepared.variants {
        variants.push((width, core.blobs.put(variant).await?));
    }
    Ok(ImageRecord {
        source_url: source_url.to_string(),
        blob,
        content_type: prepared.content_type.into(),
        width: prepared.width,
        height: prepared.height,
        variants,
        created_at: now(),
    })
}

/// A decoded image's facts and its smaller copies.
#[derive(Debug)]
pub struct Prepared {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    /// (width, encoded bytes) for each of [`WIDTHS`] narrower than the original.
    pub variants: Vec<(u32, Vec<u8>)>,
}

/// Checks that `bytes` are a JPEG, PNG, GIF or WebP image of sane size and makes the copies.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, String> {
    let reader =
        ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    let format = reader.format().ok_or("not an image")?;
    let content_type = match format {
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Png => "image/png",
        ImageFormat::Gif => "image/gif",
        ImageFormat::WebP => "image/webp",
        other => return Err(format!("unsupported image format {other:?}")),
    };
    let (width, height) = reader.into_dimensions().map_err(|e| e.to_string())?;
    if width == 0
        || height == 0
        || width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return Err(format!("image of {width}×{height} pixels is outside the limits"));
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    let mut reader =
        ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| e.to_string())?;
    let mut variants = Vec::new();
    for target in WIDTHS.into_iter().filter(|w| *w < width) {
        let target_height = (u64::from(height) * u64::from(target) / u64::from(width)).max(1) as u32;
        let resized = decoded.resize_exact(target, target_height, image::imageops::FilterType::Triangle);
        let mut out = std::io::Cursor::new(Vec::new());
        if resized.color().has_alpha() {
            resized.write_to(&mut out, ImageFormat::Png).map_err(|e| e.to_string())?;
        } else {
            let rgb = resized.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
                .encode_image(&rgb)
                .map_err(|e| e.to_string())?;
        }
        variants.push((target, out.into_inner()));
    }
    Ok(Prepared { content_type, width, height, variants })
}

/// The sniffed type of an image blob.
pub fn sniff(bytes: &[u8]) -> &'static str {
    match bytes {
        [0xFF, 0xD8, ..] => "image/jpeg",
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [b'G', b'I', b'F', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        _ => "application/octet-stream",
    }
}

/// Where lector serves an image it keeps: the smallest copy at least `width` wide.
pub fn local_url(record: &ImageRecord, width: u32) -> String {
    let blob = record.variants.iter().find(|(w, _)| *w >= width).map_or(&record.blob, |(_, blob)| blob);
    format!("/images/{blob}")
}
