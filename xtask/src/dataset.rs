//! The readability test pages: 130 real pages with Readability's own extraction as reference.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Readability's tests run with this page URL; relative links in the references use it.
pub const PAGE_URL: &str = "http://fakehost/test/page.html";

/// One page of the set.
#[derive(Debug)]
pub struct Page {
    pub name: String,
    pub source: Vec<u8>,
    pub expected_html: String,
    pub expected_metadata: serde_json::Value,
}

/// The repository's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The folder of the set: `LECTOR_DATASETS/readability-test-pages`, or `../shared/datasets/…`
/// beside the repository.
pub fn pages_dir() -> PathBuf {
    match std::env::var_os("LECTOR_DATASETS") {
        Some(root) => PathBuf::from(root).join("readability-test-pages"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets/readability-test-pages"),
    }
}

/// Loads every page, sorted by name. A missing or incomplete set is an error, never a skip.
pub fn load_pages(dir: &Path) -> Result<Vec<Page>> {
    if !dir.is_dir() {
        bail!(
            "the readability test pages are missing: expected them in {} (set LECTOR_DATASETS to the folder holding readability-test-pages)",
            dir.display()
        );
    }
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let read = |file: &str| {
            std::fs::read(path.join(file)).with_context(|| format!("reading {}/{file}", path.display()))
        };
        let metadata: serde_json::Value = serde_json::from_slice(&read("expected-metadata.json")?)
            .with_context(|| format!("parsing {name}/expected-metadata.json"))?;
        pages.push(Page {
            name,
            source: read("source.html")?,
            expected_html: String::from_utf8_lossy(&read("expected.html")?).into_owned(),
            expected_metadata: metadata,
        });
    }
    if pages.is_empty() {
        bail!("no pages in {}", dir.display());
    }
    pages.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(pages)
}
