//! The importers on sample exports of every format (`tests/fixtures/import/`), malformed rows
//! among them: every good row read with its address, title, saved date, tags and state, each bad
//! row reported by its number, and files that are no export refused with a clear reason.

use std::io::Write;

use lector_core::import::{Entry, Format, ImportError, MAX_UNPACKED_BYTES, Parsed, parse};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn entry(url: &str, title: &str, saved_at: i64, tags: &[&str], archived: bool, favourite: bool) -> Entry {
    Entry {
        url: url.into(),
        title: Some(title.into()),
        saved_at: Some(saved_at),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        archived,
        favourite,
    }
}

/// The rows reported, as (row, a word of the message).
fn check(parsed: &Parsed, format: Format, entries: &[Entry], problems: &[(usize, &str)]) {
    assert_eq!(parsed.format, format);
    assert_eq!(parsed.entries, entries);
    let found: Vec<(usize, String)> = parsed.problems.iter().map(|p| (p.row, p.message.clone())).collect();
    assert_eq!(found.len(), problems.len(), "{found:?}");
    for ((row, message), (want_row, word)) in found.iter().zip(problems) {
        assert_eq!(row, want_row, "{found:?}");
        assert!(message.contains(word), "row {row}: {message:?} should say {word:?}");
    }
}

#[test]
fn pocket_csv() {
    check(
        &parse(&fixture("pocket.csv")).expect("read"),
        Format::PocketCsv,
        &[
            entry(
                "https://news.example/ferry",
                "Harbour ferry doubles its sailings",
                1_700_000_000,
                &["transport", "islands"],
                false,
                false,
            ),
            entry(
                "https://news.example/budget",
                "Budget vote delayed, again",
                1_700_000_100,
                &[],
                true,
                false,
            ),
            entry(
                "https://news.example/quote",
                "Quote \"inside\" the title",
                1_700_000_400,
                &["quotes"],
                false,
                false,
            ),
        ],
        &[(3, "no address"), (4, "not an http")],
    );
}

#[test]
fn pocket_html() {
    check(
        &parse(&fixture("pocket.html")).expect("read"),
        Format::Bookmarks,
        &[
            entry(
                "https://news.example/ferry",
                "Harbour ferry doubles its sailings",
                1_700_000_000,
                &["transport", "islands"],
                false,
                false,
            ),
            entry(
                "https://news.example/trams?a=1&b=2",
                "Night trams & buses return",
                1_700_000_050,
                &[],
                false,
                false,
            ),
            entry("https://news.example/budget", "Budget vote delayed", 1_700_000_100, &[], true, false),
        ],
        &[(4, "not an http")],
    );
}

#[test]
fn browser_bookmarks_with_folders_as_tags() {
    check(
        &parse(&fixture("bookmarks.html")).expect("read"),
        Format::Bookmarks,
        &[
            entry(
                "https://news.example/ferry",
                "Harbour ferry doubles its sailings",
                1_700_000_000,
                &[],
                false,
                false,
            ),
            entry(
                "https://news.example/forest",
                "City plants its first urban forest",
                1_700_000_500,
                &["green", "trees", "Cities"],
                false,
                false,
            ),
            entry("https://news.example/library", "Library opens late", 1_700_000_600, &[], false, false),
        ],
        &[(4, "not an address"), (5, "no address")],
    );
}

#[test]
fn instapaper_csv() {
    check(
        &parse(&fixture("instapaper.csv")).expect("read"),
        Format::Instapaper,
        &[
            entry(
                "https://news.example/ferry",
                "Harbour ferry doubles its sailings",
                1_700_000_000,
                &["transport"],
                false,
                false,
            ),
            entry("https://news.example/budget", "Budget vote delayed", 1_700_000_100, &[], true, false),
            entry(
                "https://news.example/forest",
                "City plants its first urban forest",
                1_700_000_200,
                &[],
                false,
                true,
            ),
            entry(
                "https://news.example/library",
                "Library opens late",
                1_700_000_300,
                &["Reading list"],
                false,
                false,
            ),
        ],
        &[(5, "no address")],
    );
}

#[test]
fn wallabag_json() {
    check(
        &parse(&fixture("wallabag.json")).expect("read"),
        Format::Wallabag,
        &[
            entry(
                "https://news.example/ferry",
                "Harbour ferry doubles its sailings",
                1_700_000_000,
                &["transport", "islands"],
                false,
                true,
            ),
            entry("https://news.example/budget", "Budget vote delayed", 1_700_035_200, &[], true, false),
            entry(
                "https://news.example/forest",
                "City plants its first urban forest",
                1_700_128_800,
                &["green"],
                true,
                false,
            ),
        ],
        &[(3, "no address"), (4, "not an entry")],
    );
}

#[test]
fn omnivore_json_and_its_export_zip() {
    let expected = [
        entry(
            "https://news.example/ferry",
            "Harbour ferry doubles its sailings",
            1_700_000_000,
            &["transport"],
            false,
            false,
        ),
        entry("https://news.example/budget", "Budget vote delayed", 1_700_035_200, &[], true, false),
    ];
    check(
        &parse(&fixture("omnivore.json")).expect("read"),
        Format::Omnivore,
        &expected,
        &[(3, "not an http")],
    );

    // The zip: metadata files read in order, the Markdown beside them left, a broken file
    // reported and the rest read.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("metadata_0_to_20.json", options).expect("file");
    zip.write_all(&fixture("omnivore.json")).expect("written");
    zip.start_file("content/harbour-ferry.md", options).expect("file");
    zip.write_all(b"# Harbour ferry doubles its sailings\n\nThe harbour ferry...").expect("written");
    zip.start_file("metadata_21_to_40.json", options).expect("file");
    zip.write_all(b"[{\"url\": ").expect("written");
    let bytes = zip.finish().expect("zip").into_inner();
    check(
        &parse(&bytes).expect("read"),
        Format::Omnivore,
        &expected,
        &[(3, "not an http"), (4, "metadata_21_to_40.json")],
    );
}

#[test]
fn a_zip_bomb_stops_at_the_limit() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("metadata_0.json", options).expect("file");
    let spaces = vec![b' '; 1024 * 1024];
    for _ in 0..=(MAX_UNPACKED_BYTES / (1024 * 1024)) {
        zip.write_all(&spaces).expect("written");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    assert!(bytes.len() < 2 * 1024 * 1024, "the bomb is small: {}", bytes.len());
    match parse(&bytes) {
        Err(ImportError::Malformed { message, .. }) => assert!(message.contains("MiB unpacked"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn what_is_no_export_is_refused_clearly() {
    assert_eq!(parse(b""), Err(ImportError::Empty));
    assert_eq!(parse(b"  \n "), Err(ImportError::Empty));
    assert_eq!(parse(&fixture("unknown.txt")), Err(ImportError::Unknown));
    assert!(matches!(parse(&fixture("truncated.json")), Err(ImportError::Malformed { .. })));
    assert_eq!(parse(b"{\"some\": \"object\"}"), Err(ImportError::Unknown));
    assert!(matches!(parse(b"PK\x03\x04 not really a zip"), Err(ImportError::Malformed { .. })));
    assert_eq!(parse(&vec![b'a'; lector_core::import::MAX_FILE_BYTES + 1]), Err(ImportError::TooLarge));
    // Hostile markup: unclosed links and deep nesting read in time, with nothing made up.
    let hostile = format!(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>{}{}",
        "<DL>".repeat(50_000),
        "<A HREF=\"https://a.example/\">x".repeat(20_000)
    );
    let parsed = parse(hostile.as_bytes()).expect("read");
    assert_eq!(parsed.entries.len(), 20_000);
    assert!(parsed.entries.iter().all(|e| e.url == "https://a.example/"));
}
