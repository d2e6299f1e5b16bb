//! Where an article's ready audio is, found once per version of the article's pages (see
//! [`crate::changes`]) rather than on every request: one listen makes many Range requests,
//! and each would otherwise read the article, its renditions and its blob's length.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use lector_store::{BlobStore, Id, Rendition, RenditionKey, Store};

use crate::changes::ChangeFeed;
use crate::error::Error;

/// Stored audio, ready to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyAudio {
    pub rendition: Rendition,
    /// The length of its blob, in bytes.
    pub length: u64,
    /// The article's slug, which names the file a listener saves.
    pub slug: String,
    /// Whether the article is published (its audio is for staff only otherwise).
    pub public: bool,
}

/// How many (article, voice, format) places are kept; past it, all are forgotten at once.
const MAX_PLACES: usize = 10_000;

type Place = (Id, String, String);

/// Ready audio by article, voice and format, with the version it was found at.
#[derive(Debug, Default)]
pub struct AudioIndex {
    found: RwLock<HashMap<Place, (i64, ReadyAudio)>>,
}

impl AudioIndex {
    /// The stored audio of article `id` in `voice` (none: the voice `for_article` gives the
    /// article) and `format` for its current spoken text; `None` when it is not ready or no
    /// voice reads the article.
    #[allow(clippy::too_many_arguments)]
    pub async fn ready(
        &self,
        changes: &Arc<ChangeFeed>,
        store: &dyn Store,
        blobs: &dyn BlobStore,
        id: Id,
        voice: Option<&str>,
        for_article: &(dyn Fn(&lector_store::ArticleRecord) -> Option<String> + Sync),
        format: &str,
    ) -> Result<Option<ReadyAudio>, Error> {
        let trusted = changes.fresh().await;
        // Taken before reading: what is read is at least this version.
        let version = changes.version(Some(id));
        let place = (id, voice.unwrap_or_default().to_string(), format.to_string());
        if trusted {
            let found = self.found.read().unwrap_or_else(|e| e.into_inner());
            if let Some((at, audio)) = found.get(&place)
                && *at == version
            {
                return Ok(Some(audio.clone()));
            }
        }
        let record = store.article(id).await?.ok_or_else(|| Error::no_article(id))?;
        let public = record.is_public();
        let Some(voice) = voice.map(str::to_string).or_else(|| for_article(&record)) else {
            return Ok(None);
        };
        let key =
            RenditionKey { article: id, spoken_hash: record.spoken_hash, voice, format: format.to_string() };
        let Some(rendition) = store.rendition(&key).await? else { return Ok(None) };
        let length = blobs.len(&rendition.blob).await.map_err(Error::internal)?.ok_or_else(|| {
            Error::internal(format!("blob {} of article {id}'s audio is missing", rendition.blob))
        })?;
        let audio = ReadyAudio { rendition, length, slug: record.slug, public };
        if trusted {
            let mut found = self.found.write().unwrap_or_else(|e| e.into_inner());
            if found.len() >= MAX_PLACES {
                found.clear();
            }
            found.insert(place, (version, audio.clone()));
        }
        Ok(Some(audio))
    }
}
