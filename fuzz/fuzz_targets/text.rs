//! Fuzz target: any text as a pasted page must extract without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let extraction = lector_extract::extract_text(&text);
    let _ = lector_article::to_markdown(&extraction.article);
});
