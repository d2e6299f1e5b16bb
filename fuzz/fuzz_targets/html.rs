//! Fuzz target: any bytes as an HTML page must extract without a panic, and the article
//! must render to every format.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let extraction = lector_extract::extract_html(bytes, &lector_extract::Options::default());
    let article = &extraction.article;
    let _ = lector_article::to_markdown(article);
    let _ = lector_article::to_html(article);
    let _ = lector_article::to_text(article);
    let _ = article.reading_time(lector_article::DEFAULT_WORDS_PER_MINUTE);
});
