//! Fuzz target: any bytes as a feed must parse or be refused without a panic, and every item
//! must become an article (or none) the same way.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lector_core::feeds::{ItemSource, complete, item_source, parse};

fuzz_target!(|bytes: &[u8]| {
    let Ok(feed) = parse(bytes) else { return };
    for entry in &feed.entries {
        if let ItemSource::Own(article) = item_source(entry) {
            let _ = complete(*article, entry);
        }
    }
});
