//! `lector say-as`: one spoken line per sentence, a lexicon that wins, bad lexicons refused.

use std::process::{Command, Output};

fn lector(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lector")).args(args).output().expect("lector runs")
}

#[test]
fn one_spoken_line_per_sentence() {
    let output = lector(&[
        "say-as",
        "Harbour City approves HK$1.2 billion tram extension. Mr. Wong said it opens at 3pm on Jan. 21, 2029.",
    ]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "Harbour City approves one point two billion Hong Kong dollars tram extension.",
            "Mister Wong said it opens at three p m on January twenty-first, twenty twenty-nine.",
        ]
    );
}

#[test]
fn a_lexicon_file_wins_and_a_bad_one_is_refused() {
    let dir = std::env::temp_dir().join(format!("lector-say-as-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = dir.join("site.toml");
    std::fs::write(&good, "[[entry]]\ntext = \"Okafor\"\nsay = \"oh KAH for\"\n").expect("write");
    let output = lector(&["say-as", "Maria Okafor reports.", "--lexicon", &good.to_string_lossy()]);
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "Maria oh KAH for reports.");

    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[[entry]]\ntext = \"Okafor\"\n").expect("write");
    for lexicon in
        [bad.to_string_lossy().into_owned(), dir.join("missing.toml").to_string_lossy().into_owned()]
    {
        let output = lector(&["say-as", "Hello.", "--lexicon", &lexicon]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}
