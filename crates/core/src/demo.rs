//! The demo site (`lector serve --demo`): six sample articles written for the project across
//! three topics, extracted from the pages in `demo/`, with generated pictures for their images,
//! a few reader comments, and narration made before the site opens.

use std::hash::{Hash, Hasher};

use lector_extract::{Options, extract_html};
use lector_store::NewComment;

use crate::articles::ingest;
use crate::context::{Core, now};

/// The sample pages, with the address each was "published" at.
pub const PAGES: [(&str, &str); 6] = [
    (
        "https://harbourtimes.example/transport/night-buses-return",
        include_str!("../../../demo/night-buses.html"),
    ),
    (
        "https://harbourtimes.example/transport/ferry-evening-sailings",
        include_str!("../../../demo/ferry-evenings.html"),
    ),
    (
        "https://harbourtimes.example/environment/seabird-count-record",
        include_str!("../../../demo/seabird-count.html"),
    ),
    (
        "https://harbourtimes.example/environment/urban-forest",
        include_str!("../../../demo/urban-forest.html"),
    ),
    (
        "https://harbourtimes.example/culture/customs-house-library",
        include_str!("../../../demo/customs-house-library.html"),
    ),
    (
        "https://harbourtimes.example/culture/market-square-musicians",
        include_str!("../../../demo/market-musicians.html"),
    ),
];

/// The demo's masthead: the sample newspaper's name and standards page, unless configured.
pub fn dress(config: &mut crate::Config) {
    if config.site.name == crate::config::SiteConfig::default().name {
        config.site.name = "The Harbour Times".into();
    }
    if config.site.standards_url.is_none() {
        config.site.standards_url = Some("https://harbourtimes.example/standards".into());
    }
}

/// Why the demo could not be laid out.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo article {0}: {1}")]
    Article(String, String),
    #[error(transparent)]
    Store(#[from] lector_store::StoreError),
    #[error("demo image: {0}")]
    Image(String),
}

/// Stores the sample articles (again: saving is idempotent), their pictures and comments,
/// and narrates them in the default voice.
pub async fn load(core: &Core) -> Result<(), DemoError> {
    for (address, html) in PAGES {
        let base = url::Url::parse(address).ok();
        let article = extract_html(html.as_bytes(), &Options { base_url: base, content_type: None }).article;
        for url in crate::images::image_urls(&article) {
            keep_picture(core, &url).await?;
        }
        let saved = ingest(core, article, None, None)
            .await
            .map_err(|e| DemoError::Article(address.into(), e.to_string()))?;
        let wanted: i64 = if address.contains("customs-house") { 150 } else { (saved.record.id % 4) + 1 };
        let have = core.store.comment_count(saved.record.id).await?;
        for n in have..wanted {
            let comment = NewComment {
                article_id: saved.record.id,
                parent_id: None,
                name: format!("Reader {}", n + 1),
                body: "Thanks for this report.".into(),
                state: "visible".into(),
            };
            core.store.add_comment(&comment, now()).await?;
        }
    }
    // Narration before the site opens, so that every page can play at once.
    while let Some(job) = crate::jobs::claim(core).await? {
        tracing::info!(article = job.article_id, voice = job.voice, "narrating a demo article");
        crate::jobs::run(core, job).await;
    }
    Ok(())
}

/// A generated picture for a demo image address: a harbour at some hour, in colours drawn
/// from the address, stored as if it had been fetched from there.
pub async fn keep_picture(core: &Core, url: &str) -> Result<(), DemoError> {
    if core.store.image(url).await?.is_some() {
        return Ok(());
    }
    let seed = {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        url.hash(&mut hasher);
        hasher.finish()
    };
    let bytes = tokio::task::spawn_blocking(move || picture(seed, 1600, 1000))
        .await
        .map_err(|e| DemoError::Image(e.to_string()))?;
    let record =
        crate::images::store_image(core, url, bytes).await.map_err(|e| DemoError::Image(e.to_string()))?;
    core.store.save_image(&record).await?;
    Ok(())
}

/// Sky, sun, hills and water: a JPEG of `width` × `height`.
pub fn picture(seed: u64, width: u32, height: u32) -> Vec<u8> {
    let channel = |shift: u32| ((seed >> shift) & 0xff) as f32 / 255.0;
    let (hue_a, hue_b, sun_x) = (channel(0), channel(8), 0.2 + 0.6 * channel(16));
    let sky_top = [40.0 + 120.0 * hue_a, 70.0 + 80.0 * hue_b, 140.0 + 100.0 * channel(24)];
    let sky_low = [240.0, 170.0 + 60.0 * hue_a, 120.0 + 80.0 * hue_b];
    let water = [20.0 + 40.0 * hue_b, 60.0 + 50.0 * hue_a, 100.0 + 60.0 * channel(32)];
    let horizon = 0.62;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let (u, v) = (x as f32 / width as f32, y as f32 / height as f32);
        let hill = horizon - 0.12 * (1.0 + (u * 7.0 + hue_a * 6.0).sin() * 0.5 + (u * 17.0).sin() * 0.15);
        let mix =
            |a: [f32; 3], b: [f32; 3], t: f32| [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t.clamp(0.0, 1.0));
        let colour = if v > horizon {
            let ripple = 0.08 * ((v * 90.0 + u * 6.0).sin() * 0.5 + 0.5);
            mix(water, sky_low, ripple)
        } else if v > hill {
            mix([30.0, 60.0, 45.0], [60.0, 90.0, 60.0], (v - hill) * 4.0)
        } else {
            let sun = ((u - sun_x).powi(2) + (v - 0.35).powi(2)).sqrt();
            let base = mix(sky_top, sky_low, v / horizon);
            if sun < 0.06 {
                [255.0, 240.0, 200.0]
            } else {
                mix([255.0, 230.0, 180.0], base, (sun - 0.06) * 5.0)
            }
        };
        image::Rgb(colour.map(|c| c.clamp(0.0, 255.0) as u8))
    });
    let mut out = std::io::Cursor::new(Vec::new());
    let encoded = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&image);
    if encoded.is_err() {
        return Vec::new();
    }
    out.into_inner()
}
