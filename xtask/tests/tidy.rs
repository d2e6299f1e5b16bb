//! Repository rules checked as a test: module docs, no debugging leftovers, crate naming,
//! and dependency versions set once in the workspace.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn all_rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["crates", "xtask", "fuzz"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 10, "found too few Rust files: {files:?}");
    files
}

#[test]
fn every_file_says_what_it_is_for() {
    let missing: Vec<String> = all_rust_files()
        .into_iter()
        .filter(|path| !std::fs::read_to_string(path).unwrap_or_default().starts_with("//!"))
        .map(|path| path.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a leading //! line: {missing:?}");
}

#[test]
fn no_debugging_leftovers() {
    let markers = [concat!("db", "g!("), concat!("to", "do!("), concat!("unimpl", "emented!(")];
    let mut found = Vec::new();
    for path in all_rust_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for marker in markers {
            if text.contains(marker) {
                found.push(format!("{}: {marker}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn unsafe_code_lives_only_in_the_espeak_binding() {
    let allowed = root().join("crates/speech/src/voice/espeak");
    let marker = concat!("unsafe", " ");
    let offenders: Vec<String> = all_rust_files()
        .into_iter()
        .filter(|path| !path.starts_with(&allowed) && !path.starts_with(root().join("fuzz")))
        .filter(|path| std::fs::read_to_string(path).unwrap_or_default().contains(marker))
        .map(|path| path.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "{marker}outside crates/speech/src/voice/espeak: {offenders:?}");
}

#[test]
fn narration_scripts_stay_pure() {
    // Everything in lector-speech outside `voice/` builds scripts: no IO, no threads, no audio.
    let speech = root().join("crates/speech/src");
    let voice = speech.join("voice");
    let mut files = Vec::new();
    rust_files(&speech, &mut files);
    let markers =
        ["std::fs", "std::io", "std::net", "std::process", "std::thread", "std::env", "crate::voice"];
    let mut found = Vec::new();
    for path in files.iter().filter(|path| !path.starts_with(&voice)) {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let text = if path.ends_with("lib.rs") { text.replace("pub mod voice;", "") } else { text };
        for marker in markers.iter().filter(|marker| text.contains(**marker)) {
            found.push(format!("{}: {marker}", path.display()));
        }
    }
    assert!(files.len() > 5 && found.is_empty(), "impure script code: {found:?}");
}

#[test]
fn crates_are_named_after_their_folders_and_use_workspace_versions() {
    let crates = std::fs::read_dir(root().join("crates")).expect("crates/");
    for entry in crates.flatten() {
        let folder = entry.file_name().to_string_lossy().into_owned();
        let manifest = std::fs::read_to_string(entry.path().join("Cargo.toml")).expect("Cargo.toml");
        assert!(
            manifest.contains(&format!("name = \"lector-{folder}\"")),
            "crates/{folder} must be lector-{folder}"
        );
        assert!(
            manifest.contains("[lints]\nworkspace = true"),
            "crates/{folder} must use the workspace lints"
        );
        let mut in_dependencies = false;
        for line in manifest.lines() {
            if line.starts_with('[') {
                in_dependencies = line.contains("dependencies");
                continue;
            }
            if in_dependencies && !line.trim().is_empty() {
                assert!(
                    line.contains("workspace = true"),
                    "crates/{folder}: set versions in the workspace: {line}"
                );
            }
        }
    }
}
