//! What a listener hears must match what a reader sees: the 40 news sentences of
//! `tests/fixtures/news-sentences.txt` narrated with the Piper voice and with Kokoro's
//! `af_heart`, transcribed by `../shared/tools/transcribe` (Whisper tiny.en), each voice's word
//! error rate under a bar after bringing both sides to spoken words. `cargo xtask bench
//! intelligibility` measures every neural voice and piper-tts the same way
//! (docs/benchmarks.md).

use std::path::PathBuf;
use std::process::Command;

use lector_article::{Article, Block};
use lector_speech::hearing::{heard_words, word_errors};
use lector_speech::voice::{render, write_wav};
use lector_speech::{ScriptOptions, build_script};

/// Each voice and the highest word error rate it may reach here.
const BARS: [(&str, f64); 2] = [("piper:en_US-joe-medium", 0.08), ("kokoro:af_heart", 0.05)];

fn sentences() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news-sentences.txt");
    let text = std::fs::read_to_string(&path).expect("the sentences");
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
}

#[test]
fn listeners_hear_what_readers_see() {
    let transcribe = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools/transcribe");
    assert!(transcribe.exists(), "{} is missing", transcribe.display());
    let dir = std::env::temp_dir().join(format!("lector-intelligibility-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let sentences = sentences();
    assert_eq!(sentences.len(), 40);
    let mut files = Vec::new();
    for (voice, _) in BARS {
        for (n, sentence) in sentences.iter().enumerate() {
            let article = Article { body: vec![Block::paragraph(sentence.clone())], ..Article::default() };
            let script = build_script(&article, &ScriptOptions::default());
            let rendition = render(&script, voice, 1.0, |_, _| true)
                .unwrap_or_else(|e| panic!("{voice} renders (run scripts/setup): {e}"));
            let path = dir.join(format!("{}-{n}.wav", voice.replace(':', "_")));
            write_wav(&rendition, std::fs::File::create(&path).expect("file")).expect("wav");
            files.push((voice, n, path));
        }
    }
    let output =
        Command::new(&transcribe).args(files.iter().map(|f| &f.2)).output().expect("transcribe runs");
    assert!(output.status.success(), "transcribe failed: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut failures = Vec::new();
    for (voice, bar) in BARS {
        let (mut words, mut errors, mut report) = (0, 0, Vec::new());
        for (_, n, path) in files.iter().filter(|f| f.0 == voice) {
            let name = format!("{}\t", path.display());
            let heard = stdout.lines().find_map(|line| line.strip_prefix(&name)).unwrap_or("");
            let expected = heard_words(&sentences[*n]);
            let wrong = word_errors(&expected, &heard_words(heard));
            words += expected.len();
            errors += wrong;
            if wrong > 0 {
                report.push(format!(
                    "{wrong:>2}/{:<2} {}\n      heard: {heard}",
                    expected.len(),
                    sentences[*n]
                ));
            }
        }
        let rate = errors as f64 / words as f64;
        eprintln!("{voice}: word error rate {:.1}%\n{}", rate * 100.0, report.join("\n"));
        if rate > bar {
            failures.push(format!("{voice}: {:.1}% is above {:.0}%", rate * 100.0, bar * 100.0));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{failures:?}");
}
