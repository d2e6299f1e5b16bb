//! What a listener hears must match what a reader sees: ten news sentences narrated with the
//! default Piper voice, transcribed by `../shared/tools/transcribe` (Whisper tiny.en), with a
//! word error rate of at most 8 % after normalising both sides.
//!
//! Piper samples its prosody at random, so each sentence is narrated twice and the rate is
//! measured over both narrations.

use std::path::PathBuf;
use std::process::Command;

use lector_article::{Article, Block};
use lector_speech::voice::{default_voice, render, write_wav};
use lector_speech::{Lexicon, ScriptOptions, build_script, normalize};

const SENTENCES: [&str; 10] = [
    "Harbour City approves HK$1.2 billion tram extension after a decade-long fight.",
    "Councillors voted 27 to 4 for the 6km line, which will open in 2029.",
    "Prices rose 3.4% in the year to March, the fastest pace since 1997.",
    "The deal was signed on 21 January 2023 at 3pm in the city hall.",
    "King Charles III met NATO leaders and the head of the UN on Tuesday.",
    "Temperatures fell to -5°C overnight, with winds of 70 mph along the coast.",
    "Dr. Wong said more than 40,000 people had signed the petition by Friday.",
    "The home team won 3-1, their 21st win of the season.",
    "Opposition councillors said the money would be better spent on buses.",
    "World War II ended in 1945, and the 1990s brought a long boom.",
];

/// Words a listener hears: the spoken form, lower case, punctuation and hyphens gone.
fn words(text: &str) -> Vec<String> {
    let spoken = normalize(text, "en", &Lexicon::default()).text();
    spoken
        .to_lowercase()
        .replace(['-', '/'], " ")
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric() || *c == '\'').collect::<String>())
        .map(|w| w.trim_end_matches("'s").to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Word-level edit distance.
fn errors(reference: &[String], heard: &[String]) -> usize {
    let mut previous: Vec<usize> = (0..=heard.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, h) in heard.iter().enumerate() {
            let substitute = previous[j] + usize::from(r != h);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[heard.len()]
}

#[test]
fn listeners_hear_what_readers_see() {
    let transcribe = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools/transcribe");
    assert!(transcribe.exists(), "{} is missing", transcribe.display());
    let dir = std::env::temp_dir().join(format!("lector-intelligibility-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let voice = default_voice();
    assert!(voice.starts_with("piper:"), "the default voice is the neural one (run scripts/setup): {voice}");
    let mut files = Vec::new();
    let narrations: Vec<(usize, &str)> =
        SENTENCES.iter().copied().enumerate().chain(SENTENCES.iter().copied().enumerate()).collect();
    for (n, &(_, sentence)) in narrations.iter().enumerate() {
        let article = Article { body: vec![Block::paragraph(sentence)], ..Article::default() };
        let script = build_script(&article, &ScriptOptions::default());
        let rendition = render(&script, &voice, 1.0, |_, _| true).expect("renders");
        let path = dir.join(format!("{n}.wav"));
        write_wav(&rendition, std::fs::File::create(&path).expect("file")).expect("wav");
        files.push(path);
    }
    let output = Command::new(&transcribe).args(&files).output().expect("the transcribe tool runs");
    assert!(output.status.success(), "transcribe failed: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut total_words = 0;
    let mut total_errors = 0;
    let mut report = Vec::new();
    for (n, &(_, sentence)) in narrations.iter().enumerate() {
        let name = files[n].to_string_lossy().into_owned();
        let heard = stdout.lines().find_map(|line| line.strip_prefix(&format!("{name}\t"))).unwrap_or("");
        let (expected, got) = (words(sentence), words(heard));
        let wrong = errors(&expected, &got);
        total_words += expected.len();
        total_errors += wrong;
        report.push(format!("{wrong:>2}/{:<2} {sentence}\n      heard: {heard}", expected.len()));
    }
    let rate = total_errors as f64 / total_words as f64;
    eprintln!("word error rate {:.1}%\n{}", rate * 100.0, report.join("\n"));
    assert!(rate <= 0.08, "word error rate {:.1}% is above 8%:\n{}", rate * 100.0, report.join("\n"));
}
