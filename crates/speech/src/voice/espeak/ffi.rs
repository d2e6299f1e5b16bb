//! The few libespeak-ng functions lector uses, declared by hand (no bindgen, no libclang).
//!
//! This is the only module of lector with `unsafe` code; every call is wrapped by the safe
//! functions in `espeak/mod.rs`, which run on the one thread that owns eSpeak.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_uint, c_void};

/// `AUDIO_OUTPUT_SYNCHRONOUS`: `espeak_Synth` returns when all audio went to the callback.
pub const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
/// `espeakCHARS_UTF8`.
pub const CHARS_UTF8: c_uint = 1;
/// `POS_CHARACTER`.
pub const POS_CHARACTER: c_int = 1;
/// `espeakRATE` and `espeakPITCH` parameters.
pub const PARAMETER_RATE: c_int = 1;
/// `phonememode` for `espeak_TextToPhonemes`: IPA phoneme names.
pub const PHONEMES_IPA: c_int = 0x02;
/// Event types used.
pub const EVENT_LIST_TERMINATED: c_int = 0;
pub const EVENT_WORD: c_int = 1;
/// `espeakINITIALIZE_DONT_EXIT`: report errors instead of exiting the process.
pub const INITIALIZE_DONT_EXIT: c_int = 0x8000;

#[repr(C)]
#[derive(Debug)]
pub struct Event {
    pub kind: c_int,
    pub unique_identifier: c_uint,
    pub text_position: c_int,
    pub length: c_int,
    pub audio_position: c_int,
    pub sample: c_int,
    pub user_data: *mut c_void,
    /// A union of an int, a pointer and 8 bytes: 8 bytes, pointer-aligned.
    pub id: usize,
}

#[repr(C)]
#[derive(Debug)]
pub struct Voice {
    pub name: *const c_char,
    pub languages: *const c_char,
    pub identifier: *const c_char,
    pub gender: u8,
    pub age: u8,
    pub variant: u8,
    pub xx1: u8,
    pub score: c_int,
    pub spare: *mut c_void,
}

pub type SynthCallback = extern "C" fn(wav: *mut i16, samples: c_int, events: *mut Event) -> c_int;

#[link(name = "espeak-ng")]
unsafe extern "C" {
    pub fn espeak_Initialize(output: c_int, buflength: c_int, path: *const c_char, options: c_int) -> c_int;
    pub fn espeak_SetSynthCallback(callback: SynthCallback);
    pub fn espeak_Synth(
        text: *const c_void,
        size: usize,
        position: c_uint,
        position_type: c_int,
        end_position: c_uint,
        flags: c_uint,
        unique_identifier: *mut c_uint,
        user_data: *mut c_void,
    ) -> c_int;
    pub fn espeak_Synchronize() -> c_int;
    pub fn espeak_SetVoiceByName(name: *const c_char) -> c_int;
    pub fn espeak_SetParameter(parameter: c_int, value: c_int, relative: c_int) -> c_int;
    pub fn espeak_ListVoices(spec: *mut Voice) -> *const *const Voice;
    pub fn espeak_TextToPhonemes(
        text: *mut *const c_void,
        text_mode: c_int,
        phoneme_mode: c_int,
    ) -> *const c_char;
}
