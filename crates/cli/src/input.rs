//! Reading an input argument: a file, a URL or `-` for standard input, with a size limit.

use std::io::Read;
use std::path::Path;

use anyhow::Result;

use crate::BadInput;
pub use crate::fetch::Limits;
use crate::fetch::{Fetched, fetch};

/// The bytes of one input and what is known about them.
#[derive(Debug)]
pub struct Input {
    pub bytes: Vec<u8>,
    /// The final URL after redirects, for URLs.
    pub url: Option<url::Url>,
    pub content_type: Option<String>,
}

pub fn read_input(name: &str, limits: Limits) -> Result<Input> {
    if name.starts_with("http://") || name.starts_with("https://") {
        let Fetched { bytes, url, content_type } = fetch(name, limits)?;
        return Ok(Input { bytes, url: Some(url), content_type });
    }
    let bytes = if name == "-" {
        read_limited(std::io::stdin().lock(), limits.max_bytes)
            .map_err(|e| BadInput(format!("standard input: {e}")))?
    } else {
        let path = Path::new(name);
        let file = std::fs::File::open(path).map_err(|e| BadInput(format!("{name}: {e}")))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(BadInput(format!("{name}: is a directory")).into());
        }
        read_limited(file, limits.max_bytes).map_err(|e| BadInput(format!("{name}: {e}")))?
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(BadInput(format!("{name}: empty input")).into());
    }
    Ok(Input { bytes, url: None, content_type: None })
}

fn read_limited(reader: impl Read, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(std::io::Error::other(format!(
            "larger than the limit of {max_bytes} bytes (see --max-bytes)"
        )));
    }
    Ok(bytes)
}

/// True when the bytes look like HTML rather than plain text.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    let trimmed = lower.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") || trimmed.starts_with("<?xml") {
        return true;
    }
    ["<body", "<head", "<p>", "<p ", "<div", "<article", "<br", "<meta", "<title"]
        .iter()
        .any(|tag| lower.contains(tag))
}
