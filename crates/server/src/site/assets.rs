//! The page assets (the stylesheet and the player's script), compressed once with brotli and
//! gzip when first asked for and served in the encoding the client takes best, each encoding
//! with its own strong entity tag; and the embed loader publishers' pages include.

use std::io::Write;
use std::sync::OnceLock;

use axum::http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use headers::HeaderMapExt;

use crate::http::conditional;

const CSS: &str = include_str!("../../assets/site.css");
const JS: &str = include_str!("../../assets/player.js");
/// Included by publishers' pages at an address without a version: kept an hour.
const EMBED_JS: &str = include_str!("../../assets/embed.js");

/// Assets are named by their version in pages: a year of caching is safe.
const ASSET_CACHE: &str = "public, max-age=31536000, immutable";

/// A digest of every asset, which pages put in the assets' addresses.
pub fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| lector_store::blob_id(format!("{CSS}{JS}").as_bytes())[..12].to_string())
}

/// How a response body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
            Encoding::Identity => "identity",
        }
    }
}

/// The encoding an `Accept-Encoding` header takes best (RFC 9110 §12.5.3): the highest
/// weight, brotli before gzip before none on a tie; `*` stands for codings not named; no
/// encoding unless one is taken.
pub fn preferred(accept: Option<&str>) -> Encoding {
    let Some(accept) = accept else { return Encoding::Identity };
    let weights: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let coding = parts.next()?.trim().to_ascii_lowercase();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!coding.is_empty()).then_some((coding, weight))
        })
        .collect();
    let weight = |name: &str| {
        let named =
            weights.iter().find(|(coding, _)| coding == name || (name == "gzip" && coding == "x-gzip"));
        named.or_else(|| weights.iter().find(|(coding, _)| coding == "*")).map(|(_, weight)| *weight)
    };
    let mut best = (Encoding::Identity, weight("identity").unwrap_or(0.001));
    for encoding in [Encoding::Gzip, Encoding::Brotli] {
        let w = weight(encoding.name()).unwrap_or(0.0);
        if w > 0.0 && w >= best.1 {
            best = (encoding, w);
        }
    }
    best.0
}

/// One asset in every encoding.
struct Asset {
    content_type: &'static str,
    identity: &'static str,
    brotli: Vec<u8>,
    gzip: Vec<u8>,
}

impl Asset {
    fn new(content_type: &'static str, text: &'static str) -> Asset {
        let mut brotli = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 11, 22);
            let _ = writer.write_all(text.as_bytes());
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = gzip.write_all(text.as_bytes());
        Asset { content_type, identity: text, brotli, gzip: gzip.finish().unwrap_or_default() }
    }

    fn serve(&self, headers: &HeaderMap) -> Response {
        let mut encoding = preferred(headers.get(ACCEPT_ENCODING).and_then(|v| v.to_str().ok()));
        let body = match encoding {
            Encoding::Brotli if !self.brotli.is_empty() => self.brotli.clone(),
            Encoding::Gzip if !self.gzip.is_empty() => self.gzip.clone(),
            _ => {
                encoding = Encoding::Identity;
                self.identity.as_bytes().to_vec()
            }
        };
        let etag = conditional::etag(&format!("\"{}-{}\"", version(), encoding.name()));
        let mut common = HeaderMap::new();
        common.insert(CACHE_CONTROL, HeaderValue::from_static(ASSET_CACHE));
        common.insert(VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(etag) = &etag {
            common.typed_insert(etag.clone());
            if conditional::not_modified(headers, etag) {
                return (StatusCode::NOT_MODIFIED, common).into_response();
            }
        }
        common.insert(CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        if encoding != Encoding::Identity {
            common.insert(CONTENT_ENCODING, HeaderValue::from_static(encoding.name()));
        }
        (common, body).into_response()
    }
}

fn css_asset() -> &'static Asset {
    static ASSET: OnceLock<Asset> = OnceLock::new();
    ASSET.get_or_init(|| Asset::new("text/css; charset=utf-8", CSS))
}

fn js_asset() -> &'static Asset {
    static ASSET: OnceLock<Asset> = OnceLock::new();
    ASSET.get_or_init(|| Asset::new("text/javascript; charset=utf-8", JS))
}

pub async fn css(headers: HeaderMap) -> Response {
    css_asset().serve(&headers)
}

pub async fn js(headers: HeaderMap) -> Response {
    js_asset().serve(&headers)
}

/// The library pages' script: the service worker's registration.
const LIBRARY_JS: &str = include_str!("../../assets/library.js");

/// `/assets/library.js`.
pub async fn library_js() -> Response {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "no-cache")], LIBRARY_JS)
        .into_response()
}

/// The service worker of a library's installable app.
const SERVICE_WORKER: &str = include_str!("../../assets/sw.js");

/// `/sw.js`: the library app's service worker (from the site's root, so that it may keep the
/// whole site's pages).
pub async fn service_worker() -> Response {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "no-cache")], SERVICE_WORKER)
        .into_response()
}

/// `/manifest.webmanifest`: the library as an installable app, with a share target, so that
/// "Share → lector" on a phone opens the save box filled in.
pub async fn manifest(axum::extract::State(state): axum::extract::State<crate::state::AppState>) -> Response {
    let name = &state.config.site.name;
    let manifest = serde_json::json!({
        "name": name,
        "short_name": name,
        "start_url": "/library",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d3557",
        "icons": [{"src": "/feeds/podcast.png", "sizes": "1400x1400", "type": "image/png", "purpose": "any"}],
        "share_target": {
            "action": "/library",
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"}
        }
    });
    ([(CONTENT_TYPE, "application/manifest+json"), (CACHE_CONTROL, "no-cache")], manifest.to_string())
        .into_response()
}

/// `/embed.js`: turns its own script tag into the player's frame.
pub async fn embed_js() -> Response {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "public, max-age=3600")], EMBED_JS)
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_encoding_the_client_takes() {
        let check = |accept| preferred(accept);
        assert_eq!(check(None), Encoding::Identity);
        assert_eq!(check(Some("")), Encoding::Identity);
        assert_eq!(check(Some("gzip, deflate, br, zstd")), Encoding::Brotli);
        assert_eq!(check(Some("gzip, deflate")), Encoding::Gzip);
        assert_eq!(check(Some("x-gzip")), Encoding::Gzip);
        assert_eq!(check(Some("br;q=0.5, gzip;q=0.8")), Encoding::Gzip);
        assert_eq!(check(Some("br;q=0, gzip;q=0")), Encoding::Identity);
        assert_eq!(check(Some("*")), Encoding::Brotli);
        assert_eq!(check(Some("*;q=0.5, br;q=0")), Encoding::Gzip);
        assert_eq!(check(Some("identity")), Encoding::Identity);
        assert_eq!(check(Some("deflate")), Encoding::Identity);
        assert_eq!(check(Some("GZIP;Q=1")), Encoding::Gzip);
        assert_eq!(check(Some("br;q=nonsense")), Encoding::Brotli);
    }

    #[test]
    fn every_encoding_decodes_to_the_asset() {
        let asset = css_asset();
        let mut text = Vec::new();
        brotli::BrotliDecompress(&mut asset.brotli.as_slice(), &mut text).expect("brotli");
        assert_eq!(text, CSS.as_bytes());
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(asset.gzip.as_slice()), &mut text)
            .expect("gzip");
        assert_eq!(text, CSS);
        assert!(asset.brotli.len() < asset.gzip.len() && asset.gzip.len() < CSS.len() / 2);
    }
}
