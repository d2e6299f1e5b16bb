//! Helpers shared by the command-line tests: running `lector`, temporary folders.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The demo page shipped with the repository.
pub const DEMO_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/night-buses.html");

/// Runs `lector` with `args`, feeding `stdin` when given.
pub fn lector(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lector"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lector starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(bytes) = stdin {
        input.write_all(bytes).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("lector runs")
}

/// A fresh temporary folder named after the test.
pub fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lector-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
