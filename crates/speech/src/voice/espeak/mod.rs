//! eSpeak NG: basic voices for every language it knows, fast, always available.
//!
//! eSpeak is a global, non-thread-safe library: one thread owns it and takes requests over
//! a channel. Synthesis runs in synchronous mode; the callback collects samples and word
//! events (for timings) into the request's own buffer.

mod ffi;

use std::ffi::{CStr, CString, c_int, c_void};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Mutex, OnceLock};

use crate::voice::{Gender, Quality, SynthesisError, Voice};

/// eSpeak's own default rate (words per minute), lector's 1× for its voices.
pub const NATURAL_RATE: f32 = 175.0;
/// eSpeak's accepted rate range; past 450 it speeds up with its sonic library (Debian's
/// build has it), which is what lets basic voices reach 3×.
const MIN_RATE: f32 = 80.0;
const MAX_RATE: f32 = 700.0;
/// Longest text synthesized in one request, in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Audio for one text.
#[derive(Debug, Clone, Default)]
pub struct Speech {
    pub samples: Vec<i16>,
    pub sample_rate: u32,
    /// (byte offset in the text, milliseconds into the audio) of each word.
    pub words: Vec<(usize, u32)>,
}

enum Request {
    Speak { text: String, voice: String, rate: f32, reply: Sender<Result<Speech, SynthesisError>> },
    Voices { reply: Sender<Vec<Voice>> },
    Phonemes { text: String, voice: String, reply: Sender<Result<String, SynthesisError>> },
}

/// The channel to the thread that owns eSpeak, started on first use.
fn owner() -> Result<&'static Mutex<Sender<Request>>, SynthesisError> {
    static OWNER: OnceLock<Result<Mutex<Sender<Request>>, SynthesisError>> = OnceLock::new();
    OWNER
        .get_or_init(|| {
            let (requests, inbox) = channel::<Request>();
            let (ready, started) = channel();
            std::thread::Builder::new()
                .name("espeak".into())
                .spawn(move || serve(&inbox, &ready))
                .map_err(|e| SynthesisError::Engine(format!("cannot start the eSpeak thread: {e}")))?;
            match started.recv() {
                Ok(Ok(())) => Ok(Mutex::new(requests)),
                Ok(Err(error)) => Err(error),
                Err(_) => Err(SynthesisError::Engine("the eSpeak thread stopped".into())),
            }
        })
        .as_ref()
        .map_err(Clone::clone)
}

fn send(request: Request) -> Result<(), SynthesisError> {
    let sender = owner()?.lock().map_err(|_| SynthesisError::Engine("eSpeak thread lock poisoned".into()))?;
    sender.send(request).map_err(|_| SynthesisError::Engine("the eSpeak thread stopped".into()))
}

/// Speaks `text` (plain UTF-8) with an eSpeak voice at `speed` × its natural rate.
pub fn speak(text: &str, voice: &str, speed: f32) -> Result<Speech, SynthesisError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(SynthesisError::TooLong { limit: MAX_TEXT_BYTES });
    }
    let (reply, answer) = channel();
    send(Request::Speak {
        text: text.to_string(),
        voice: voice.to_string(),
        rate: NATURAL_RATE * speed,
        reply,
    })?;
    answer.recv().map_err(|_| SynthesisError::Engine("the eSpeak thread stopped".into()))?
}

/// IPA phonemes of `text` in eSpeak's `voice` language, clause by clause, with each
/// clause's closing punctuation kept (as Piper voices were trained on).
pub fn phonemes(text: &str, voice: &str) -> Result<String, SynthesisError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(SynthesisError::TooLong { limit: MAX_TEXT_BYTES });
    }
    let (reply, answer) = channel();
    send(Request::Phonemes { text: text.to_string(), voice: voice.to_string(), reply })?;
    let ipa = answer.recv().map_err(|_| SynthesisError::Engine("the eSpeak thread stopped".into()))??;
    Ok(if voice.starts_with("en") { stress_teens(&ipa) } else { ipa })
}

/// The "-teen" numbers stressed on "-teen", as a newsreader says them to be told apart from the
/// "-ty" ones: eSpeak stresses "nineteen" on "nine", and listeners then hear "ninety".
pub fn stress_teens(ipa: &str) -> String {
    const STEMS: &[&str] = &["θˈɜː", "fˈoːɹ", "fˈɔː", "fˈɪf", "sˈɪks", "sˈɛvən", "ˈeɪ", "nˈaɪn"];
    let mut out = String::with_capacity(ipa.len() + 8);
    let mut rest = ipa;
    while !rest.is_empty() {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        let spaces = after.len() - after.trim_start().len();
        let (spaces, next) = after.split_at(spaces);
        let letters_end = word.find(|c: char| c.is_ascii_punctuation()).unwrap_or(word.len());
        let (bare, punctuation) = word.split_at(letters_end);
        let teen = bare.strip_suffix("tiːn").or_else(|| bare.strip_suffix("tˌiːn"));
        match teen.filter(|stem| STEMS.contains(stem)) {
            Some(stem) => {
                out.push_str(&stem.replace('ˈ', "ˌ"));
                out.push_str("tˈiːn");
                out.push_str(punctuation);
            }
            None => out.push_str(word),
        }
        out.push_str(spaces);
        rest = next;
    }
    out
}

/// Every voice eSpeak has: one per language, plus its variants of English.
pub fn voices() -> Result<Vec<Voice>, SynthesisError> {
    let (reply, answer) = channel();
    send(Request::Voices { reply })?;
    answer.recv().map_err(|_| SynthesisError::Engine("the eSpeak thread stopped".into()))
}

/// What the callback fills during one `espeak_Synth` call.
#[derive(Debug, Default)]
struct Collector {
    samples: Vec<i16>,
    words: Vec<(usize, u32)>,
}

fn serve(inbox: &Receiver<Request>, ready: &Sender<Result<(), SynthesisError>>) {
    let sample_rate = match initialize() {
        Ok(rate) => {
            let _ = ready.send(Ok(()));
            rate
        }
        Err(error) => {
            let _ = ready.send(Err(error));
            return;
        }
    };
    for request in inbox {
        match request {
            Request::Speak { text, voice, rate, reply } => {
                let _ = reply.send(synthesize(&text, &voice, rate, sample_rate));
            }
            Request::Voices { reply } => {
                let _ = reply.send(list_voices(sample_rate));
            }
            Request::Phonemes { text, voice, reply } => {
                let _ = reply.send(text_to_phonemes(&text, &voice));
            }
        }
    }
}

fn initialize() -> Result<u32, SynthesisError> {
    // SAFETY: called once, on the owning thread, before any other eSpeak call.
    #[allow(unsafe_code)]
    let rate = unsafe {
        let rate = ffi::espeak_Initialize(
            ffi::AUDIO_OUTPUT_SYNCHRONOUS,
            0,
            std::ptr::null(),
            ffi::INITIALIZE_DONT_EXIT,
        );
        if rate > 0 {
            ffi::espeak_SetSynthCallback(collect);
        }
        rate
    };
    u32::try_from(rate).ok().filter(|&r| r > 0).ok_or_else(|| {
        SynthesisError::Engine("eSpeak NG could not start (is espeak-ng-data installed?)".into())
    })
}

thread_local! {
    /// The collector of the request being synthesized on the eSpeak thread: every callback
    /// chunk goes to it, including chunks that carry no event.
    static CURRENT: std::cell::RefCell<Collector> = std::cell::RefCell::new(Collector::default());
}

/// The synthesis callback: appends samples and word events to the current collector.
extern "C" fn collect(wav: *mut i16, count: c_int, events: *mut ffi::Event) -> c_int {
    let mut samples: &[i16] = &[];
    let mut words = Vec::new();
    #[allow(unsafe_code)]
    // SAFETY: eSpeak passes `count` valid samples at `wav` (or null) and an event list that
    // ends with LIST_TERMINATED; both are read before returning.
    unsafe {
        let mut event = events;
        while !event.is_null() && (*event).kind != ffi::EVENT_LIST_TERMINATED {
            let current = &*event;
            if current.kind == ffi::EVENT_WORD {
                let position = usize::try_from(current.text_position.saturating_sub(1)).unwrap_or(0);
                words.push((position, u32::try_from(current.audio_position).unwrap_or(0)));
            }
            event = event.add(1);
        }
        if !wav.is_null() && count > 0 {
            samples = std::slice::from_raw_parts(wav, usize::try_from(count).unwrap_or(0));
        }
    }
    CURRENT.with(|current| {
        let mut current = current.borrow_mut();
        current.samples.extend_from_slice(samples);
        current.words.extend(words);
    });
    0
}

fn synthesize(text: &str, voice: &str, rate: f32, sample_rate: u32) -> Result<Speech, SynthesisError> {
    let name = CString::new(voice).map_err(|_| SynthesisError::UnknownVoice(voice.to_string()))?;
    let text = CString::new(text.replace('\0', " ")).map_err(|_| SynthesisError::Engine("text".into()))?;
    let rate = rate.clamp(MIN_RATE, MAX_RATE).round() as c_int;
    CURRENT.with(|current| *current.borrow_mut() = Collector::default());
    #[allow(unsafe_code)]
    // SAFETY: on the owning thread; `name` and `text` are NUL-terminated and outlive the
    // synchronous calls, which hand the audio to `collect` on this same thread.
    let status = unsafe {
        if ffi::espeak_SetVoiceByName(name.as_ptr()) != 0 {
            return Err(SynthesisError::UnknownVoice(voice.to_string()));
        }
        ffi::espeak_SetParameter(ffi::PARAMETER_RATE, rate, 0);
        let status = ffi::espeak_Synth(
            text.as_ptr().cast::<c_void>(),
            text.as_bytes_with_nul().len(),
            0,
            ffi::POS_CHARACTER,
            0,
            ffi::CHARS_UTF8,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
        ffi::espeak_Synchronize();
        status
    };
    let collector = CURRENT.with(|current| std::mem::take(&mut *current.borrow_mut()));
    if status != 0 {
        return Err(SynthesisError::Engine(format!("eSpeak could not speak (status {status})")));
    }
    // eSpeak reports character positions; turn them into byte offsets of the text.
    let text = text.to_str().unwrap_or("");
    let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let words = collector
        .words
        .iter()
        .map(|&(chars, ms)| (offsets.get(chars).copied().unwrap_or(text.len()), ms))
        .collect();
    Ok(Speech { samples: collector.samples, sample_rate, words })
}

fn text_to_phonemes(text: &str, voice: &str) -> Result<String, SynthesisError> {
    let name = CString::new(voice).map_err(|_| SynthesisError::UnknownVoice(voice.to_string()))?;
    #[allow(unsafe_code)]
    // SAFETY: on the owning thread; `name` is NUL-terminated.
    if unsafe { ffi::espeak_SetVoiceByName(name.as_ptr()) } != 0 {
        return Err(SynthesisError::UnknownVoice(voice.to_string()));
    }
    let mut out = String::new();
    for (clause, mark) in clauses(text) {
        let phonemes = clause_phonemes(clause)?;
        if phonemes.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&phonemes);
        if let Some(mark) = mark {
            out.push(mark);
        }
    }
    Ok(out)
}

/// Clauses and the punctuation that closes each: eSpeak returns phonemes without it.
fn clauses(text: &str) -> Vec<(&str, Option<char>)> {
    let mut clauses = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (n, &(at, c)) in chars.iter().enumerate() {
        let closes = matches!(c, ',' | '.' | '!' | '?' | ';' | ':')
            && chars.get(n + 1).is_none_or(|&(_, next)| next.is_whitespace());
        if closes {
            clauses.push((&text[start..at], Some(c)));
            start = at + c.len_utf8();
        }
    }
    if !text[start..].trim().is_empty() {
        clauses.push((&text[start..], None));
    }
    clauses
}

/// The IPA phonemes of one clause, its parts joined by spaces.
fn clause_phonemes(clause: &str) -> Result<String, SynthesisError> {
    let input = CString::new(clause.replace('\0', " ")).map_err(|_| SynthesisError::Engine("text".into()))?;
    let mut parts = Vec::new();
    #[allow(unsafe_code)]
    // SAFETY: on the owning thread; `input` is NUL-terminated and outlives the loop; eSpeak
    // advances `cursor` inside it (or sets it to null at the end) and returns a string valid
    // until the next call, copied at once.
    unsafe {
        let mut cursor = input.as_ptr().cast::<c_void>();
        let mut calls = 0;
        while !cursor.is_null() && calls < clause.len() + 1 {
            calls += 1;
            let phonemes =
                ffi::espeak_TextToPhonemes(&raw mut cursor, ffi::CHARS_UTF8 as c_int, ffi::PHONEMES_IPA);
            if !phonemes.is_null() {
                let text = CStr::from_ptr(phonemes).to_string_lossy().trim().to_string();
                if !text.is_empty() {
                    parts.push(text);
                }
            }
        }
    }
    Ok(parts.join(" "))
}

fn list_voices(sample_rate: u32) -> Vec<Voice> {
    let mut voices = Vec::new();
    #[allow(unsafe_code)]
    // SAFETY: on the owning thread; eSpeak returns a null-terminated array of voices whose
    // strings stay valid until the next list call; they are copied at once.
    unsafe {
        let list = ffi::espeak_ListVoices(std::ptr::null_mut());
        let mut i = 0;
        while !list.is_null() && !(*list.add(i)).is_null() {
            let voice = &**list.add(i);
            i += 1;
            let text = |p: *const std::ffi::c_char| {
                if p.is_null() { String::new() } else { CStr::from_ptr(p).to_string_lossy().into_owned() }
            };
            // `languages` is a priority byte, then the name, then a NUL.
            let language =
                if voice.languages.is_null() { String::new() } else { text(voice.languages.add(1)) };
            let identifier = text(voice.identifier);
            if identifier.is_empty() || identifier.starts_with("mb/") {
                continue;
            }
            // eSpeak selects a voice by the file name of its identifier ("gmw/en-US" → "en-US").
            let file = identifier.rsplit('/').next().unwrap_or(&identifier).to_ascii_lowercase();
            voices.push(Voice {
                id: format!("espeak:{file}"),
                name: text(voice.name),
                language,
                gender: match voice.gender {
                    1 => Gender::Male,
                    2 => Gender::Female,
                    _ => Gender::Unknown,
                },
                quality: Quality::Basic,
                engine: "espeak-ng".into(),
                sample_rate,
            });
        }
    }
    voices.sort_by(|a, b| a.language.cmp(&b.language).then(a.id.cmp(&b.id)));
    voices
}
