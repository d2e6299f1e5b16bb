//! Fuzz target: any text through sentence segmentation and normalization must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let lexicon = lector_speech::Lexicon::default();
    for range in lector_speech::split_sentences(&text) {
        let _ = lector_speech::normalize(&text[range], "en", &lexicon);
    }
});
