//! Article images kept by lector: fetched safely once, checked to be real images, stored
//! with smaller copies for pages, and served from here with long cache lifetimes, so that
//! readers' browsers never call the source site.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use image::{ImageFormat, ImageReader};
use lector_article::{Article, Block};
use lector_store::{ArticleRecord, ImageRecord};

use crate::audio::serve_blob;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiPath;
use crate::state::{AppState, now};

/// Widths of the smaller copies pages use (never wider than the original).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// Largest image accepted, in pixels (width × height), and per side.
pub const MAX_PIXELS: u64 = 40_000_000;
pub const MAX_SIDE: u32 = 12_000;
/// Images are named by content: a year of caching is safe.
const IMAGE_CACHE: &str = "public, max-age=31536000, immutable";

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

/// Fetches and keeps the article's images in the background.
pub fn keep_images(state: &AppState, record: &ArticleRecord) {
    let urls = image_urls(&record.article);
    if urls.is_empty() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        for url in urls {
            if let Err(e) = keep_image(&state, &url).await {
                tracing::warn!(url, "image not kept: {e}");
            }
        }
    });
}

/// Fetches one image unless it is kept already.
pub async fn keep_image(state: &AppState, url: &str) -> Result<ImageRecord, String> {
    if let Some(record) = state.store.image(url).await.map_err(|e| e.to_string())? {
        return Ok(record);
    }
    let fetched = state.fetcher.get(url, &["image/"]).await.map_err(|e| e.to_string())?;
    let record = store_image(state, url, fetched.bytes).await?;
    state.store.save_image(&record).await.map_err(|e| e.to_string())?;
    Ok(record)
}

/// Checks an image, puts it and its smaller copies in the blob store, and describes it.
pub async fn store_image(state: &AppState, source_url: &str, bytes: Vec<u8>) -> Result<ImageRecord, String> {
    // Checking and resizing is CPU work, off the async threads; then the blobs are stored.
    let (bytes, prepared) =
        tokio::task::spawn_blocking(move || prepare(&bytes).map(|prepared| (bytes, prepared)))
            .await
            .map_err(|e| e.to_string())??;
    let blob = state.blobs.put(bytes).await.map_err(|e| e.to_string())?;
    let mut variants = Vec::new();
    for (width, variant) in prepared.variants {
        variants.push((width, state.blobs.put(variant).await.map_err(|e| e.to_string())?));
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
fn sniff(bytes: &[u8]) -> &'static str {
    match bytes {
        [0xFF, 0xD8, ..] => "image/jpeg",
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [b'G', b'I', b'F', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        _ => "application/octet-stream",
    }
}

/// An image kept by lector, by its digest (the original or a smaller copy).
#[utoipa::path(get, path = "/images/{blob}", tag = "images",
    params(("blob" = String, Path, description = "The image's SHA-256")),
    responses((status = 200, description = "The image", content_type = "image/*"), (status = 404, body = ErrorBody)))]
pub async fn image(
    State(state): State<AppState>,
    ApiPath(blob): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let missing = || ApiError::not_found("image_not_found", "no such image");
    if state.store.image_by_blob(&blob).await?.is_none() {
        return Err(missing());
    }
    let head = state
        .blobs
        .read_range(&blob, 0, 16)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(missing)?;
    serve_blob(&state, &blob, sniff(&head), IMAGE_CACHE, &headers).await
}

/// Where lector serves an image it keeps: the smallest copy at least `width` wide.
pub fn local_url(record: &ImageRecord, width: u32) -> String {
    let blob = record.variants.iter().find(|(w, _)| *w >= width).map_or(&record.blob, |(_, blob)| blob);
    format!("/images/{blob}")
}
