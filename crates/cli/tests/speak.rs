//! `lector speak` and `lector voices` with the real eSpeak NG voices.

mod common;

use std::process::{Command, Stdio};

use common::{DEMO_PATH, lector, tempdir};

#[test]
fn voices_are_listed() {
    let output = lector(&["voices"], None);
    assert!(output.status.success());
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.lines().next().is_some_and(|h| h.starts_with("id") && h.contains("engine")));
    assert!(table.contains("espeak:en-us ") && table.contains("espeak:en+f3"));
    let json: serde_json::Value =
        serde_json::from_slice(&lector(&["voices", "--json"], None).stdout).expect("JSON");
    assert!(json.as_array().is_some_and(|v| v.len() > 50));
}

#[test]
fn an_article_is_spoken_to_wav_with_timings() {
    let dir = tempdir("article");
    let wav = dir.join("demo.wav");
    let timings = dir.join("demo.json");
    let output = lector(
        &["speak", DEMO_PATH, "-o", &wav.to_string_lossy(), "--timings", &timings.to_string_lossy()],
        None,
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let reader = hound::WavReader::open(&wav).expect("a WAV file");
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.bits_per_sample), (1, 16));
    let seconds = reader.duration() as f64 / f64::from(spec.sample_rate);
    assert!((30.0..120.0).contains(&seconds), "{seconds} s for the demo article");
    let timings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&timings).expect("timings")).expect("JSON");
    let timings = timings.as_array().expect("a list");
    assert_eq!(timings[0]["text"], "Night buses return to the harbour district after six-year gap");
    assert_eq!(timings[1]["text"], "By Priya Raman");
    let last_end = timings.last().and_then(|t| t["end_ms"].as_f64()).unwrap_or(0.0) / 1000.0;
    assert!(last_end <= seconds && seconds - last_end < 2.0, "{last_end} of {seconds}");
    // No temporary file is left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn article_json_and_plain_text_are_spoken_faster_at_a_higher_speed() {
    let dir = tempdir("json");
    let json = lector(&["extract", DEMO_PATH], None).stdout;
    let json = String::from_utf8(json).expect("UTF-8");
    let normal = dir.join("normal.wav");
    let fast = dir.join("fast.wav");
    // Piper, the quicker neural voice: its speeds are calibrated per voice to be exact.
    let piper = "piper:en_US-joe-medium";
    let (normal_path, fast_path) = (normal.to_string_lossy(), fast.to_string_lossy());
    let normal_args = ["speak", "-", "-o", &normal_path, "--voice", piper];
    assert!(lector(&normal_args, Some(json.as_bytes())).status.success());
    let fast_args = ["speak", "-", "-o", &fast_path, "--speed", "1.25", "--voice", piper];
    assert!(lector(&fast_args, Some(json.as_bytes())).status.success());
    let length = |path: &std::path::Path| f64::from(hound::WavReader::open(path).expect("wav").duration());
    let ratio = length(&fast) / length(&normal);
    assert!((0.76..=0.84).contains(&ratio), "1.25x gave {ratio} of the length");

    let vtt = dir.join("text.vtt");
    let text_wav = dir.join("text.wav");
    let output = lector(
        &[
            "speak",
            "-",
            "-o",
            &text_wav.to_string_lossy(),
            "--timings",
            &vtt.to_string_lossy(),
            "--voice",
            "espeak:en+f3",
        ],
        Some(b"Trams return\n\nThe council approved the line on Tuesday. Work starts in 2026.\n"),
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let vtt = std::fs::read_to_string(&vtt).expect("vtt");
    // Word timestamps sit between the words of each cue.
    let plain = regex::Regex::new("<[0-9:.]+>").expect("regex").replace_all(&vtt, "");
    assert!(vtt.starts_with("WEBVTT") && plain.contains("Work starts in 2026."), "{vtt}");

    let mp3 = dir.join("text.mp3");
    let output = lector(
        &["speak", "-", "-o", &mp3.to_string_lossy()],
        Some(b"Trams return\n\nThe council approved the line on Tuesday.\n"),
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let bytes = std::fs::read(&mp3).expect("mp3");
    let frame_sync = bytes.len() > 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0;
    assert!(bytes.starts_with(b"ID3") || frame_sync, "not an MP3 stream");

    let opus = dir.join("text.opus");
    let output = lector(
        &["speak", "-", "-o", &opus.to_string_lossy()],
        Some(b"Trams return\n\nThe council approved the line on Tuesday.\n"),
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let bytes = std::fs::read(&opus).expect("opus");
    assert!(bytes.starts_with(b"OggS") && bytes.windows(8).any(|w| w == b"OpusHead"), "not Ogg Opus");
}

#[test]
fn bad_requests_exit_2_and_write_nothing() {
    let dir = tempdir("bad");
    let out = dir.join("out.wav");
    let out_text = out.to_string_lossy().into_owned();
    for args in [
        vec!["speak", DEMO_PATH, "-o", &out_text, "--voice", "espeak:klingon"],
        vec!["speak", DEMO_PATH, "-o", &out_text, "--speed", "4"],
        vec!["speak", DEMO_PATH, "-o", &out_text, "--timings", "x.srt"],
        vec!["speak", DEMO_PATH, "-o", "story.ogg"],
        vec!["speak", "/nonexistent.html", "-o", &out_text],
    ] {
        let output = lector(&args, None);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
    assert!(!out.exists());
}

#[test]
fn ctrl_c_leaves_no_file_behind() {
    let dir = tempdir("interrupt");
    let out = dir.join("long.wav");
    // A long article (the demo, ten times) with the neural voice takes seconds to speak.
    let body = std::fs::read_to_string(DEMO_PATH).expect("demo");
    let paragraph =
        body.split("<p>Night buses will return").nth(1).and_then(|p| p.split("</p>").next()).unwrap_or("");
    let long = format!(
        "<html><body><article><h1>A long read</h1>{}</article></body></html>",
        format!("<p>Night buses will return{paragraph}</p>").repeat(60)
    );
    let page = dir.join("long.html");
    std::fs::write(&page, long).expect("write");
    let child = Command::new(env!("CARGO_BIN_EXE_lector"))
        .args(["speak", &page.to_string_lossy(), "-o", &out.to_string_lossy()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
    assert!(sent.success());
    let output = child.wait_with_output().expect("ends");
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    let left: Vec<_> = std::fs::read_dir(&dir).expect("dir").flatten().map(|e| e.file_name()).collect();
    assert!(!out.exists() && left.iter().all(|n| !n.to_string_lossy().contains("partial")), "{left:?}");
}

/// The data directory of the installed voices, and the ONNX Runtime library in it.
fn installed_data() -> (std::path::PathBuf, std::path::PathBuf) {
    let installed =
        std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".local/share/lector");
    let home = std::env::var_os("LECTOR_DATA_DIR").map_or(installed, std::path::PathBuf::from);
    let runtime = std::fs::read_dir(home.join("onnxruntime"))
        .expect("ONNX Runtime is installed by scripts/setup")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("libonnxruntime.so"))
        .expect("libonnxruntime");
    (home, runtime)
}

/// Runs `lector` with its own data directory.
fn lector_in(data: &std::path::Path, runtime: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lector"))
        .args(args)
        .env("LECTOR_DATA_DIR", data)
        .env("ORT_DYLIB_PATH", runtime)
        .output()
        .expect("runs")
}

#[test]
fn a_piper_voice_is_added_to_the_registry() {
    let (home, runtime) = installed_data();
    let model = home.join("voices/en_US-joe-medium.onnx");
    assert!(model.exists(), "the default voice is installed by scripts/setup");
    let dir = tempdir("registry");
    let copy = dir.join("en_US-copy-medium.onnx");
    std::fs::copy(&model, &copy).expect("copy model");
    std::fs::copy(model.with_extension("onnx.json"), copy.with_extension("onnx.json")).expect("copy config");
    let data = dir.join("data");
    let run = |args: &[&str]| lector_in(&data, &runtime, args);
    let added = run(&["voices", "add", &copy.to_string_lossy()]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let listed = String::from_utf8_lossy(&run(&["voices"]).stdout).into_owned();
    assert!(listed.contains("piper:en_US-copy-medium"), "{listed}");
    let not_a_voice = dir.join("notes.txt");
    std::fs::write(&not_a_voice, "hello").expect("write");
    assert_eq!(run(&["voices", "add", &not_a_voice.to_string_lossy()]).status.code(), Some(2));
}

#[test]
fn each_speaker_of_a_multi_speaker_voice_speaks_in_its_own_voice() {
    // A tiny two-speaker model (crates/speech/tests/fixtures/voices): speaker n hums at a pitch
    // that rises with n, so the output tells which speaker was used.
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../speech/tests/fixtures/voices/two-speakers.onnx");
    let (_, runtime) = installed_data();
    let dir = tempdir("speakers");
    let data = dir.join("data");
    let run = |args: &[&str]| lector_in(&data, &runtime, args);
    let added = run(&["voices", "add", &fixture.to_string_lossy()]);
    let said = String::from_utf8_lossy(&added.stderr).into_owned();
    assert!(added.status.success() && said.contains("piper:two-speakers#ben"), "{said}");
    let listed: serde_json::Value = serde_json::from_slice(&run(&["voices", "--json"]).stdout).expect("JSON");
    let ids: Vec<&str> = listed.as_array().expect("list").iter().filter_map(|v| v["id"].as_str()).collect();
    assert_eq!(ids[..2], ["piper:two-speakers#ada", "piper:two-speakers#ben"]);

    let pitch = |speaker: &str| {
        let wav = dir.join(format!("{speaker}.wav"));
        let voice = format!("piper:two-speakers#{speaker}");
        let output = Command::new(env!("CARGO_BIN_EXE_lector"))
            .args(["speak", "-", "-o", &wav.to_string_lossy(), "--voice", &voice])
            .env("LECTOR_DATA_DIR", &data)
            .env("ORT_DYLIB_PATH", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(b"The council approved the line on Tuesday.\n")?;
                child.wait_with_output()
            })
            .expect("runs");
        assert!(output.status.success(), "{voice}: {}", String::from_utf8_lossy(&output.stderr));
        let samples: Vec<i16> =
            hound::WavReader::open(&wav).expect("wav").samples::<i16>().map(|s| s.unwrap_or(0)).collect();
        samples.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count() as f64
    };
    // Speaker 1 hums at 0.07 radians per sample, speaker 0 at 0.03: 7/3 the crossings.
    let ratio = pitch("ben") / pitch("ada");
    assert!((ratio - 7.0 / 3.0).abs() < 0.15, "{ratio}");
    let unknown = run(&["speak", "-", "--voice", "piper:two-speakers#cy", "-o", "x.wav"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no voice \"piper:two-speakers#cy\""));
}

#[test]
fn kokoro_speaks_a_story_to_mp3_with_word_timings() {
    let dir = std::env::temp_dir().join(format!("lector-speak-kokoro-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let story = dir.join("story.txt");
    std::fs::write(&story, "Trams return\n\nThe council approved the line on Tuesday, at a cost of $400m.\n")
        .expect("story");
    let (mp3, vtt) = (dir.join("story.mp3"), dir.join("story.vtt"));
    let output = lector(
        &[
            "speak",
            &story.to_string_lossy(),
            "--voice",
            "kokoro:af_heart",
            "-o",
            &mp3.to_string_lossy(),
            "--timings",
            &vtt.to_string_lossy(),
        ],
        None,
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let bytes = std::fs::read(&mp3).expect("mp3");
    assert!(bytes.len() > 10_000 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0, "an MP3 of some length");
    let vtt = std::fs::read_to_string(&vtt).expect("vtt");
    let cue = vtt.lines().find(|line| line.contains("council")).expect("the body's cue");
    // Every word after the first of the cue has its own timestamp, in order.
    let stamps: Vec<&str> =
        regex::Regex::new("<([0-9:.]+)>").expect("regex").find_iter(cue).map(|m| m.as_str()).collect();
    assert!(stamps.len() >= 11, "{cue}");
    assert!(stamps.windows(2).all(|w| w[0] < w[1]), "{cue}");
    let plain = regex::Regex::new("<[0-9:.]+>").expect("regex").replace_all(cue, "");
    assert_eq!(plain, "The council approved the line on Tuesday, at a cost of $400m.");
    let _ = std::fs::remove_dir_all(&dir);
}
