//! The site's pronunciation lexicon: entries (a word, a phrase or a pattern, said as a
//! respelling or as IPA) kept in the store, edited in the console or through the API, and
//! applied by every narration. A change re-narrates the articles whose spoken text it changes,
//! and within them only the sentences it changes (the others' speech is reused).

use lector_speech::lexicon::Lexicon;
use lector_store::{LexiconEntry, ListQuery, NewLexiconEntry};

pub use crate::narration::{article_lexicon, site_lexicon};

use crate::context::{Core, now};
use crate::error::{Code, Error};

/// Most entries in the site's lexicon.
pub const MAX_ENTRIES: usize = 5_000;
/// Longest written form or pronunciation.
pub const MAX_CHARS: usize = 200;

/// Longest words an editor may give for one sentence.
pub const MAX_OVERRIDE_CHARS: usize = 1_000;

/// Has the voice say `spoken` instead of the sentence `written` of article `id` (`None` or
/// empty: as written again), and narrates the article again if that changes what it says
/// (synthesizing that sentence only). Returns whether it did.
pub async fn override_sentence(
    core: &Core,
    id: lector_store::Id,
    written: &str,
    spoken: Option<&str>,
) -> Result<bool, Error> {
    let record = core.store.article(id).await?.ok_or_else(|| Error::no_article(id))?;
    let spoken = spoken.map(str::trim).filter(|s| !s.is_empty());
    if written.trim().is_empty() || written.chars().count() > 10 * MAX_OVERRIDE_CHARS {
        return Err(refused("name the sentence as it is written"));
    }
    if spoken.is_some_and(|s| s.chars().count() > MAX_OVERRIDE_CHARS || !s.chars().any(char::is_alphanumeric))
    {
        return Err(refused(format!("say 1 to {MAX_OVERRIDE_CHARS} characters, with a letter or a digit")));
    }
    let script = crate::narration::script(&record.article, &core.config.site);
    if !script.utterances.iter().any(|u| u.text == written) {
        return Err(refused("the article has no such sentence"));
    }
    core.store.set_spoken_override(id, written, spoken, now()).await?;
    let lexicon = article_lexicon(core.store.as_ref(), Some(id)).await?;
    let site = core.config.site.clone();
    let article = record.article.clone();
    let hash = tokio::task::spawn_blocking(move || crate::narration::spoken_hash(&article, &site, &lexicon))
        .await
        .map_err(Error::internal)?;
    if hash == record.spoken_hash {
        return Ok(false);
    }
    core.store.set_spoken_hash(id, &hash).await?;
    if let Some(voice) = core.voice_of(&record) {
        queue(core, id, &voice).await?;
    }
    Ok(true)
}

/// Queues the narration of an article whose spoken text changed.
async fn queue(core: &Core, id: lector_store::Id, voice: &str) -> Result<(), Error> {
    core.store.enqueue_narration(id, voice, now()).await?;
    core.jobs_waiting.notify_waiters();
    Ok(())
}

fn refused(message: impl Into<String>) -> Error {
    Error::refused(Code::InvalidLexiconEntry, message)
}

/// Adds `entry` to `lexicon`, as it would be stored; refused with the reason otherwise.
fn add(lexicon: &mut Lexicon, entry: &NewLexiconEntry) -> Result<(), Error> {
    crate::narration::add_entry(lexicon, entry).map_err(refused)
}

/// Checks an entry as the narration will read it.
pub fn check(entry: &NewLexiconEntry) -> Result<(), Error> {
    let long = [Some(&entry.text), entry.say.as_ref(), entry.ipa.as_ref(), entry.example.as_ref()]
        .into_iter()
        .flatten()
        .any(|text| text.chars().count() > MAX_CHARS);
    if long || entry.text.trim().is_empty() {
        return Err(refused(format!("the written form and what is said are 1 to {MAX_CHARS} characters")));
    }
    add(&mut Lexicon::default(), entry)
}

/// What a change did: the entry, and how many articles are narrated again.
#[derive(Debug, Clone)]
pub struct Changed {
    pub entry: Option<LexiconEntry>,
    pub renarrated: usize,
}

/// Adds an entry (or replaces the one with the same written form) and re-narrates what it
/// changes.
pub async fn save(core: &Core, entry: NewLexiconEntry) -> Result<Changed, Error> {
    check(&entry)?;
    if core.store.lexicon_entries().await?.len() >= MAX_ENTRIES {
        return Err(refused(format!("the lexicon holds at most {MAX_ENTRIES} entries")));
    }
    let entry = core.store.save_lexicon_entry(&entry, now()).await?;
    let renarrated = follow(core).await?;
    Ok(Changed { entry: Some(entry), renarrated })
}

/// Removes an entry and re-narrates what it changed.
pub async fn remove(core: &Core, id: i64) -> Result<Changed, Error> {
    if !core.store.delete_lexicon_entry(id).await? {
        return Err(Error::refused(Code::LexiconEntryNotFound, format!("no lexicon entry {id}")));
    }
    let renarrated = follow(core).await?;
    Ok(Changed { entry: None, renarrated })
}

/// Brings every article's spoken text up to the lexicon: an article whose spoken text changed
/// gets its new digest and its narration queued (which reuses every sentence that did not
/// change). Returns how many changed.
pub async fn follow(core: &Core) -> Result<usize, Error> {
    let mut changed = 0;
    let mut offset = 0;
    loop {
        let query = ListQuery { limit: 100, offset, unpublished: true, ..ListQuery::default() };
        let page = core.store.list_articles(&query).await?;
        if page.items.is_empty() {
            break;
        }
        offset += page.items.len() as u32;
        for record in page.items {
            let lexicon = article_lexicon(core.store.as_ref(), Some(record.id)).await?;
            let site = core.config.site.clone();
            let article = record.article.clone();
            let hash =
                tokio::task::spawn_blocking(move || crate::narration::spoken_hash(&article, &site, &lexicon))
                    .await
                    .map_err(Error::internal)?;
            if hash == record.spoken_hash {
                continue;
            }
            core.store.set_spoken_hash(record.id, &hash).await?;
            changed += 1;
            if let Some(voice) = core.voice_of(&record) {
                queue(core, record.id, &voice).await?;
            }
        }
    }
    Ok(changed)
}

/// Longest sample a listen speaks.
pub const MAX_LISTEN_CHARS: usize = 300;

/// `text` spoken as every narration would say it (the site's lexicon applied) in `voice`, or
/// the site's voice, as WAV: what the console's listen button plays.
pub async fn listen(core: &Core, text: &str, voice: Option<&str>) -> Result<Vec<u8>, Error> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_LISTEN_CHARS {
        return Err(refused(format!("a sample of 1 to {MAX_LISTEN_CHARS} characters")));
    }
    let article = lector_article::Article {
        body: vec![lector_article::Block::paragraph(text)],
        ..lector_article::Article::default()
    };
    let voice = match voice {
        Some(voice) if core.voices.get(voice).is_some() => voice.to_string(),
        Some(voice) => return Err(refused(format!("no voice {voice:?}"))),
        None => core
            .voice_for(&article)
            .ok_or_else(|| refused("no installed voice speaks the site's language"))?,
    };
    let lexicon = site_lexicon(core.store.as_ref()).await?;
    let site = core.config.site.clone();
    tokio::task::spawn_blocking(move || {
        let script = crate::narration::spoken_script(&article, &site, &lexicon);
        let rendition =
            lector_speech::voice::render(&script, &voice, 1.0, |_, _| true).map_err(Error::internal)?;
        let mut wav = std::io::Cursor::new(Vec::new());
        lector_speech::voice::write_wav(&rendition, &mut wav).map_err(Error::internal)?;
        Ok(wav.into_inner())
    })
    .await
    .map_err(Error::internal)?
}
