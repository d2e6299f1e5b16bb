//! Narration of stored articles: the spoken-text digest that decides when audio must be made
//! again, rendering and encoding (MP3 and Ogg Opus with timings) into the blob store, and
//! live streaming of audio that is not ready yet.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use futures_util::StreamExt;

use lector_article::Article;
use lector_speech::voice::{self, Mp3Stream, OpusStream, Rendition, Timing};
use lector_speech::{Lexicon, Pronunciation, Script, ScriptOptions, build_script};
use lector_store::{ArticleRecord, CHUNK_BYTES, Job, JobKind, JobState, RenditionKey, Store};
use sha2::{Digest, Sha256};

use crate::config::SiteConfig;
use crate::context::{Core, now};
use crate::metrics::Metrics;

/// The audio formats kept for every narration.
pub const FORMATS: [&str; 2] = ["mp3", "opus"];

/// How the site's settings shape what the voice says.
pub fn script_options(site: &SiteConfig) -> ScriptOptions {
    ScriptOptions {
        read_tables: site.read_tables,
        include_captions: site.read_captions,
        ..ScriptOptions::default()
    }
}

/// The article's utterances, where each sits in the text: what the page marks for the player
/// (the lexicon changes what an utterance says, never where it is, so pages need none).
pub fn script(article: &Article, site: &SiteConfig) -> Script {
    build_script(article, &script_options(site))
}

/// Adds a lexicon entry as narrations read it; the reason when it cannot be read.
pub fn add_entry(lexicon: &mut Lexicon, entry: &lector_store::NewLexiconEntry) -> Result<(), String> {
    let pronunciation = match (entry.say.as_deref().map(str::trim), entry.ipa.as_deref().map(str::trim)) {
        (Some(say), None) if !say.is_empty() => Pronunciation::Respelling(say.to_string()),
        (None, Some(ipa)) if !ipa.is_empty() => Pronunciation::Ipa(ipa.to_string()),
        (Some(_), Some(_)) => return Err("give either say or ipa, not both".into()),
        _ => return Err("an entry needs a non-empty say or ipa".into()),
    };
    if entry.regex {
        lexicon.add_pattern(&entry.text, pronunciation, entry.case_sensitive).map_err(|e| e.to_string())
    } else {
        lexicon
            .add(&entry.text, pronunciation, entry.case_sensitive)
            .map_err(|_| "the written form needs a letter or a digit".to_string())
    }
}

/// The site's pronunciation lexicon as narrations apply it; an entry that cannot be read (it
/// cannot be stored so, but may come from an older node) is left out with a warning.
pub async fn site_lexicon(store: &dyn Store) -> Result<Lexicon, lector_store::StoreError> {
    let mut lexicon = Lexicon::default();
    for entry in store.lexicon_entries().await? {
        if let Err(e) = add_entry(&mut lexicon, &entry.as_given()) {
            tracing::warn!(entry = entry.id, "lexicon entry left out: {e}");
        }
    }
    Ok(lexicon)
}

/// What narrations of article `id` apply: the site's lexicon, and the words an editor gave
/// for its sentences (which win).
pub async fn article_lexicon(
    store: &dyn Store,
    id: Option<i64>,
) -> Result<Lexicon, lector_store::StoreError> {
    let mut lexicon = site_lexicon(store).await?;
    if let Some(id) = id {
        let mut own = Lexicon::default();
        for sentence in store.spoken_overrides(id).await? {
            // A sentence is matched whole, case and all.
            let _ = own.add(&sentence.written, Pronunciation::Respelling(sentence.spoken), true);
        }
        lexicon.extend(&own);
    }
    Ok(lexicon)
}

/// What the voice says for an article, the site's pronunciation lexicon applied.
pub fn spoken_script(article: &Article, site: &SiteConfig, lexicon: &Lexicon) -> Script {
    build_script(article, &ScriptOptions { lexicon: lexicon.clone(), ..script_options(site) })
}

/// A digest of what the voice says: two revisions with the same digest share their audio.
pub fn spoken_hash(article: &Article, site: &SiteConfig, lexicon: &Lexicon) -> String {
    let script = spoken_script(article, site, lexicon);
    let mut hasher = Sha256::new();
    hasher.update(article.language.as_deref().unwrap_or("").as_bytes());
    for utterance in &script.utterances {
        hasher.update([0]);
        hasher.update(utterance.spoken.text().as_bytes());
        hasher.update(utterance.pause_ms.to_le_bytes());
    }
    hex::encode(&hasher.finalize()[..16])
}

/// Why a narration did not happen.
#[derive(Debug, thiserror::Error)]
pub enum NarrationError {
    #[error(transparent)]
    Synthesis(#[from] voice::SynthesisError),
    #[error("encoding: {0}")]
    Encoding(String),
    #[error(transparent)]
    Store(#[from] lector_store::StoreError),
    #[error("blob store: {0}")]
    Blob(#[from] std::io::Error),
    #[error("stopped before the end")]
    Interrupted,
}

/// Bytes an encoder writes, handed to the blob store a chunk at a time, so that the encoded
/// audio is never held whole.
struct ChunkWriter {
    send: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    pending: Vec<u8>,
    written: u64,
}

impl ChunkWriter {
    fn new(send: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>) -> ChunkWriter {
        ChunkWriter { send, pending: Vec::with_capacity(CHUNK_BYTES), written: 0 }
    }

    fn hand_over(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK_BYTES)));
        // The blob store gave up (its error is the one reported): stop encoding.
        self.send
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::other("the blob store stopped reading"))
    }
}

impl std::io::Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        self.written += bytes.len() as u64;
        if self.pending.len() >= CHUNK_BYTES {
            self.hand_over()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.hand_over()
    }
}

/// Encodes a rendition in one kept format straight into the blob store; returns the blob and
/// its length. An encoder that fails leaves no blob.
async fn encode_into_blobs(
    core: &Core,
    rendition: Arc<Rendition>,
    format: &'static str,
) -> Result<(String, i64), NarrationError> {
    let (send, receive) = tokio::sync::mpsc::channel(4);
    let encoder = tokio::task::spawn_blocking(move || {
        let mut writer = ChunkWriter::new(send.clone());
        let written = match format {
            "mp3" => voice::write_mp3(&rendition, &mut writer).map_err(|e| e.to_string()),
            _ => voice::write_opus(&rendition, &mut writer).map_err(|e| e.to_string()),
        };
        match written.and_then(|()| writer.hand_over().map_err(|e| e.to_string())) {
            Ok(()) => Ok(writer.written),
            Err(reason) => {
                // The blob store is told, so that nothing of it is kept.
                let _ = send.blocking_send(Err(std::io::Error::other(reason.clone())));
                Err(NarrationError::Encoding(reason))
            }
        }
    });
    let chunks = tokio_stream::wrappers::ReceiverStream::new(receive).boxed();
    let (blob, encoded) = tokio::join!(core.blobs.put_stream(chunks), encoder);
    let written = encoded.map_err(|e| NarrationError::Encoding(e.to_string()))?;
    match (blob, written) {
        (Ok(blob), Ok(written)) => Ok((blob, written as i64)),
        (_, Err(e)) => Err(e),
        (Err(e), Ok(_)) => Err(e.into()),
    }
}

/// Encodes a loudness-normalized rendition in every kept format into the blob store, with its
/// timings, and records a rendition per format.
pub async fn save(
    core: &Core,
    article: i64,
    spoken_hash: &str,
    voice: &str,
    rendition: Rendition,
) -> Result<(), NarrationError> {
    let duration_ms = i64::from(rendition.duration_ms());
    let timings = core.blobs.put(voice::timings_json(&rendition).into_bytes()).await?;
    let rendition = Arc::new(rendition);
    for format in FORMATS {
        let (blob, bytes) = encode_into_blobs(core, rendition.clone(), format).await?;
        let rendition = lector_store::Rendition {
            key: RenditionKey {
                article,
                spoken_hash: spoken_hash.into(),
                voice: voice.into(),
                format: format.into(),
            },
            blob,
            bytes,
            duration_ms,
            timings_blob: timings.clone(),
            created_at: now(),
        };
        core.store.save_rendition(&rendition).await?;
    }
    Ok(())
}

/// The key of an utterance's speech: its voice, its speed and its spoken text.
pub fn sentence_key(voice: &str, speed: f32, spoken: &str) -> String {
    let mut digest = Sha256::new();
    for part in [voice.as_bytes(), &speed.to_bits().to_le_bytes(), spoken.as_bytes()] {
        digest.update((part.len() as u64).to_le_bytes());
        digest.update(part);
    }
    hex::encode(digest.finalize())
}

/// The kept speech of the utterances among `keys`, read from their blobs (one that cannot be
/// read is made again).
async fn kept_speech(core: &Core, keys: &[String]) -> Result<HashMap<String, voice::Spoken>, NarrationError> {
    let mut found = HashMap::new();
    for audio in core.store.sentence_audio(keys).await? {
        let Ok(words) = serde_json::from_str::<Vec<(usize, u32)>>(&audio.words) else { continue };
        let Ok(Some(bytes)) = core.blobs.get(&audio.blob).await else { continue };
        let samples = bytes.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
        found.insert(audio.key, voice::Spoken { samples, words });
    }
    Ok(found)
}

/// Keeps each newly synthesized utterance's speech for the next revision.
async fn keep_speech(
    core: &Core,
    keys: &[String],
    made: Vec<(usize, voice::Spoken)>,
) -> Result<(), NarrationError> {
    for (index, speech) in made {
        let Some(key) = keys.get(index) else { continue };
        let bytes: Vec<u8> = speech.samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        let blob = core.blobs.put(bytes).await?;
        let words =
            serde_json::to_string(&speech.words).map_err(|e| NarrationError::Encoding(e.to_string()))?;
        let audio = lector_store::SentenceAudio { key: key.clone(), blob, words };
        core.store.save_sentence_audio(&audio, now()).await?;
    }
    Ok(())
}

/// Narrates an article's current revision in `voice` and stores the audio; stops between
/// utterances when the server is stopping. Every utterance whose spoken text an earlier
/// narration in the same voice said already is reused, not synthesized again: a revision that
/// changes one paragraph synthesizes that paragraph's sentences only.
pub async fn narrate(core: &Core, record: &ArticleRecord, voice_id: &str) -> Result<(), NarrationError> {
    let lexicon = article_lexicon(core.store.as_ref(), Some(record.id)).await?;
    let script = spoken_script(&record.article, &core.config.site, &lexicon);
    let keys: Vec<String> =
        script.utterances.iter().map(|u| sentence_key(voice_id, 1.0, &u.spoken.text())).collect();
    let known = kept_speech(core, &keys).await?;
    let voice_id_owned = voice_id.to_string();
    let stopping = core.stopping.clone();
    let started = Instant::now();
    let reuse_keys = keys.clone();
    let (rendition, made) = tokio::task::spawn_blocking(move || {
        let known = |index: usize, _: &str| reuse_keys.get(index).and_then(|key| known.get(key)).cloned();
        voice::render_reusing(&script, &voice_id_owned, 1.0, known, |_, _| !*stopping.borrow()).map_err(|e| {
            if *stopping.borrow() { NarrationError::Interrupted } else { NarrationError::from(e) }
        })
    })
    .await
    .map_err(|e| NarrationError::Encoding(e.to_string()))??;
    Metrics::add(&core.metrics.narration_ms, started.elapsed().as_millis() as u64);
    Metrics::add(&core.metrics.sentences_synthesized, made.len() as u64);
    Metrics::add(&core.metrics.sentences_reused, (rendition.timings.len() - made.len()) as u64);
    keep_speech(core, &keys, made).await?;
    save(core, record.id, &record.spoken_hash, voice_id, rendition).await
}

/// Gain that brings speech to about the target loudness, from a first sample of it.
fn live_gain(samples: &[i16], sample_rate: u32) -> f64 {
    match voice::loudness::measure(samples, sample_rate) {
        Some((loudness, _)) => {
            10f64.powf(((voice::loudness::TARGET_LUFS - loudness).clamp(-12.0, 12.0)) / 20.0)
        }
        None => 1.0,
    }
}

/// Streams an article's audio in `format` while it is synthesized. Each encoded piece goes to
/// `send` as soon as it is ready; when the whole article is spoken, the audio is normalized,
/// encoded in every format and stored for the next listener (even if this one left).
pub fn stream_and_store(
    core: Core,
    record: ArticleRecord,
    voice_id: String,
    format: &'static str,
    send: tokio::sync::mpsc::Sender<Vec<u8>>,
) -> tokio::task::JoinHandle<Result<(), NarrationError>> {
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let lexicon = handle.block_on(article_lexicon(core.store.as_ref(), Some(record.id)))?;
        let script = spoken_script(&record.article, &core.config.site, &lexicon);
        let mut mp3 = None::<Mp3Stream>;
        let mut opus = None::<OpusStream>;
        let mut gain = None::<f64>;
        let mut samples: Vec<i16> = Vec::new();
        let mut timings: Vec<Timing> = Vec::new();
        let mut failure = None::<String>;
        let stopping = core.stopping.clone();
        voice::stream(&script, &voice_id, 1.0, |chunk| {
            let gain = *gain.get_or_insert_with(|| live_gain(&chunk.samples, chunk.sample_rate));
            let scaled: Vec<i16> = chunk
                .samples
                .iter()
                .map(|&s| {
                    (f64::from(s) * gain).round().clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
                })
                .collect();
            let bytes = if format == "mp3" {
                if mp3.is_none() {
                    match Mp3Stream::new(chunk.sample_rate) {
                        Ok(encoder) => mp3 = Some(encoder),
                        Err(e) => {
                            failure = Some(e.to_string());
                            return false;
                        }
                    }
                }
                mp3.as_mut()
                    .map_or(Ok(Vec::new()), |encoder| encoder.push(&scaled).map_err(|e| e.to_string()))
            } else {
                if opus.is_none() {
                    match OpusStream::new(chunk.sample_rate) {
                        Ok(encoder) => opus = Some(encoder),
                        Err(e) => {
                            failure = Some(e.to_string());
                            return false;
                        }
                    }
                }
                let resampled = voice::resample(&scaled, chunk.sample_rate, voice::OPUS_RATE);
                opus.as_mut()
                    .map_or(Ok(Vec::new()), |encoder| encoder.push(&resampled).map_err(|e| e.to_string()))
            };
            match bytes {
                // A listener who left does not stop the narration: it is stored for the next.
                Ok(bytes) if !bytes.is_empty() => {
                    let _ = send.blocking_send(bytes);
                }
                Ok(_) => {}
                Err(e) => {
                    failure = Some(e);
                    return false;
                }
            }
            samples.extend_from_slice(&chunk.samples);
            timings.push(chunk.timing);
            !*stopping.borrow()
        })
        .map_err(|e| match failure.take() {
            Some(reason) => NarrationError::Encoding(reason),
            None if *stopping.borrow() => NarrationError::Interrupted,
            None => e.into(),
        })?;
        let tail = match (mp3, opus) {
            (Some(encoder), _) => encoder.finish().map_err(|e| NarrationError::Encoding(e.to_string()))?,
            (_, Some(encoder)) => encoder.finish().map_err(|e| NarrationError::Encoding(e.to_string()))?,
            _ => Vec::new(),
        };
        let _ = send.blocking_send(tail);
        drop(send);
        let mut rendition = Rendition { samples, sample_rate: voice::OUTPUT_RATE, timings };
        voice::loudness::normalize_loudness(&mut rendition.samples, rendition.sample_rate);
        Metrics::add(&core.metrics.audio_streamed, 1);
        handle.block_on(save(&core, record.id, &record.spoken_hash, &voice_id, rendition))
    })
}

/// The stored timings of a rendition, parsed.
pub fn parse_timings(bytes: &[u8]) -> Result<Vec<Timing>, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// Where an article's narration stands, in the voice that reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The article's voice; `None` when no installed voice speaks its language.
    pub voice: Option<String>,
    /// `ready`, `queued`, `running`, `failed`, `none`, or `no_voice`.
    pub status: &'static str,
    /// The latest narration job in that voice.
    pub job: Option<Job>,
    /// The length of the ready audio.
    pub duration_ms: Option<i64>,
}

/// Where the narration of the article's current revision stands.
pub async fn progress(core: &Core, record: &ArticleRecord) -> Result<Progress, lector_store::StoreError> {
    let voice = core.voice_of(record);
    let ready = match &voice {
        Some(voice) => is_ready(core.store.as_ref(), record, voice).await?,
        None => false,
    };
    let job = core
        .store
        .jobs_for_article(record.id)
        .await?
        .into_iter()
        .rev()
        .find(|job| job.kind == JobKind::Narrate.as_str() && Some(&job.voice) == voice.as_ref());
    let status = match (ready, job.as_ref().map(|j| j.state)) {
        _ if voice.is_none() => "no_voice",
        (true, _) => "ready",
        (false, Some(JobState::Queued)) => "queued",
        (false, Some(JobState::Running)) => "running",
        (false, Some(JobState::Failed)) => "failed",
        _ => "none",
    };
    let duration_ms = if ready {
        let renditions = core.store.renditions(record.id).await?;
        renditions.iter().find(|r| Some(&r.key.voice) == voice.as_ref()).map(|r| r.duration_ms)
    } else {
        None
    };
    Ok(Progress { voice, status, job, duration_ms })
}

/// Whether every kept format of an article's current narration in `voice` is stored.
pub async fn is_ready(
    store: &dyn Store,
    record: &ArticleRecord,
    voice: &str,
) -> Result<bool, lector_store::StoreError> {
    for format in FORMATS {
        let key = RenditionKey {
            article: record.id,
            spoken_hash: record.spoken_hash.clone(),
            voice: voice.into(),
            format: format.into(),
        };
        if store.rendition(&key).await?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}
