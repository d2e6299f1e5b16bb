//! The parts of an article page that depend only on its revision and on which of its images
//! are kept (the sentence marks of the narration script, the sanitized body, headline,
//! summary and byline, the JSON-LD), computed once and kept in memory under a size limit.
//! A new revision or a newly kept image is a new key, so what is kept is never stale, on any
//! node.

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use lector_store::ImageRecord;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use serde::Serialize;

/// A figure as the page's template shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub src: String,
    pub srcset: Option<String>,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// What one rendering of an article page's fixed parts is kept under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RenderKey {
    pub article: i64,
    pub revision: i64,
    /// A digest of the article's kept images (their addresses, blobs and copies).
    pub images: u64,
}

impl RenderKey {
    pub fn new(article: i64, revision: i64, kept: &[&ImageRecord]) -> RenderKey {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for image in kept {
            (&image.source_url, &image.blob, &image.variants, image.width, image.height).hash(&mut hasher);
        }
        RenderKey { article, revision, images: hasher.finish() }
    }
}

/// An article page's parts that its revision and kept images decide.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub headline_html: String,
    pub bullets: Vec<String>,
    pub byline_html: String,
    pub blocks: Vec<String>,
    pub description: String,
    pub lead: Option<FigureView>,
    pub image_url: Option<String>,
    pub json_ld: String,
}

impl Rendered {
    /// About how much memory the parts take.
    fn bytes(&self) -> u64 {
        let texts = self.headline_html.len()
            + self.bullets.iter().map(String::len).sum::<usize>()
            + self.byline_html.len()
            + self.blocks.iter().map(String::len).sum::<usize>()
            + self.description.len()
            + self.json_ld.len();
        (texts + 512) as u64
    }
}

#[derive(Debug, Clone)]
struct ByBytes;

impl Weighter<RenderKey, Arc<Rendered>> for ByBytes {
    fn weight(&self, _key: &RenderKey, value: &Arc<Rendered>) -> u64 {
        value.bytes()
    }
}

/// Rendered parts by key, the least recently used going first past the limit.
#[derive(Debug)]
pub struct RenderCache {
    cache: Cache<RenderKey, Arc<Rendered>, ByBytes>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl RenderCache {
    /// A cache of at most `bytes` (none kept at 0).
    pub fn new(bytes: u64) -> RenderCache {
        let items = usize::try_from(bytes / 16_384).unwrap_or(usize::MAX).max(16);
        RenderCache {
            cache: Cache::with_weighter(items, bytes, ByBytes),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub fn get(&self, key: &RenderKey) -> Option<Arc<Rendered>> {
        let found = self.cache.get(key);
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    pub fn insert(&self, key: RenderKey, rendered: Arc<Rendered>) {
        self.cache.insert(key, rendered);
    }

    /// Lookups that found their parts, and lookups that did not.
    pub fn counts(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Arc<Rendered> {
        Arc::new(Rendered {
            headline_html: text.into(),
            bullets: Vec::new(),
            byline_html: String::new(),
            blocks: vec![text.repeat(100)],
            description: String::new(),
            lead: None,
            image_url: None,
            json_ld: String::new(),
        })
    }

    #[test]
    fn revisions_and_kept_images_are_keys_of_their_own() {
        let cache = RenderCache::new(1 << 20);
        let image = ImageRecord {
            source_url: "https://n.example/a.jpg".into(),
            blob: "a".repeat(64),
            content_type: "image/jpeg".into(),
            width: 800,
            height: 600,
            variants: Vec::new(),
            created_at: 1,
        };
        let first = RenderKey::new(7, 1, &[]);
        cache.insert(first.clone(), parts("one"));
        assert_eq!(cache.get(&first).map(|p| p.headline_html.clone()), Some("one".into()));
        assert!(cache.get(&RenderKey::new(7, 2, &[])).is_none(), "a new revision");
        assert!(cache.get(&RenderKey::new(7, 1, &[&image])).is_none(), "an image kept since");
        assert!(cache.get(&RenderKey::new(8, 1, &[])).is_none(), "another article");
        assert_eq!(cache.counts(), (1, 3));
    }

    #[test]
    fn the_size_limit_holds() {
        let cache = RenderCache::new(64 * 1024);
        for article in 0..1_000 {
            cache.insert(RenderKey::new(article, 1, &[]), parts("a paragraph of text"));
        }
        let kept = (0..1_000).filter(|&a| cache.get(&RenderKey::new(a, 1, &[])).is_some()).count();
        assert!((1..40).contains(&kept), "{kept} of 1,000 pages of about 2 KiB in 64 KiB");
        let none = RenderCache::new(0);
        none.insert(RenderKey::new(1, 1, &[]), parts("x"));
        assert!(none.get(&RenderKey::new(1, 1, &[])).is_none());
    }
}
