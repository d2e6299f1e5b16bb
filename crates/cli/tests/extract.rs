//! `lector extract` as a user runs it: files, standard input, URLs on a loopback server,
//! formats, several inputs, and exit status 2 with a one-line reason for bad input.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
mod common;

use std::process::Output;

use common::{DEMO_PATH, lector, tempdir};
use std::time::Duration;

const DEMO: &str = include_str!("../../../demo/night-buses.html");
const HEADLINE: &str = "Night buses return to the harbour district after six-year gap";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Exit status 2 and exactly one line on stderr that contains `reason`.
fn assert_bad_input(output: &Output, reason: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line expected: {stderr}");
    assert!(stderr.contains(reason), "{reason:?} not in {stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing on stdout for bad input");
}

#[test]
fn a_file_as_markdown() {
    let output = lector(&["extract", DEMO_PATH, "--format", "markdown"], None);
    assert!(output.status.success());
    let markdown = stdout(&output);
    assert!(markdown.starts_with("City life › Transport › Night life\n\n# Night buses return"), "{markdown}");
    assert!(markdown.contains("By Priya Raman"));
    assert!(!markdown.contains("Advertisement") && !markdown.contains("Reading time"));
}

#[test]
fn text_is_the_body_only() {
    let output = lector(&["extract", DEMO_PATH, "--format", "text"], None);
    assert!(output.status.success());
    let text = stdout(&output);
    let paragraphs: Vec<&str> = text.trim_end().split("\n\n").collect();
    assert_eq!(paragraphs.len(), 6, "{text}");
    assert!(paragraphs[0].starts_with("Night buses will return to the harbour district on 1 May"));
    assert_eq!(paragraphs[3], "Who will use them");
    for absent in
        [HEADLINE, "Priya Raman", "fish market", "Photo", "Advertisement", "Share", "Three overnight routes"]
    {
        assert!(!text.contains(absent), "{absent:?} in text output");
    }
}

#[test]
fn html_and_json_formats() {
    let html = stdout(&lector(&["extract", DEMO_PATH, "--format", "html"], None));
    assert!(html.starts_with("<article>") && html.contains(&format!("<h1>{HEADLINE}</h1>")));
    let json: serde_json::Value =
        serde_json::from_slice(&lector(&["extract", DEMO_PATH], None).stdout).expect("JSON");
    assert_eq!(json["headline"], HEADLINE);
    assert_eq!(json["source"], DEMO_PATH);
    assert_eq!(json["version"], 1);
    assert_eq!(json["authors"][0]["name"], "Priya Raman");
}

#[test]
fn standard_input_html_and_plain_text() {
    let output = lector(
        &["extract", "-", "--format", "text", "--url", "https://harbourtimes.example/x"],
        Some(DEMO.as_bytes()),
    );
    assert!(output.status.success());
    assert!(stdout(&output).starts_with("Night buses will return"));
    let pasted = "Transport\n\nNight buses return to the harbour district after six-year gap\n\nBy Priya Raman\n\nNight buses will return to the harbour district on 1 May, the department said.\nAdvertisement\nFares will match daytime prices.\n";
    let output = lector(&["extract", "-"], Some(pasted.as_bytes()));
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["headline"], HEADLINE);
    assert_eq!(json["topics"][0]["name"], "Transport");
    assert_eq!(json["body"].as_array().map(Vec::len), Some(2));
}

#[test]
fn markdown_written_by_lector_reads_back() {
    let dir = tempdir(&format!("{:?}", std::thread::current().id()));
    let markdown = lector(&["extract", DEMO_PATH, "--format", "markdown"], None);
    assert!(markdown.status.success());
    let story = dir.join("story.md");
    std::fs::write(&story, &markdown.stdout).expect("write");
    let output = lector(&["extract", &story.to_string_lossy()], None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["headline"], HEADLINE);
    assert_eq!(json["authors"][0]["name"], "Priya Raman");
    let text = |output: &Output| String::from_utf8_lossy(&output.stdout).into_owned();
    let from_page = lector(&["extract", DEMO_PATH, "--format", "text"], None);
    let from_markdown = lector(&["extract", &story.to_string_lossy(), "--format", "text"], None);
    assert_eq!(text(&from_markdown), text(&from_page));
    // A `.md` file is Markdown even when nothing in it looks like Markdown syntax.
    let note = dir.join("note.md");
    std::fs::write(&note, "Trams return\n\nThe council approved the line on Tuesday.\n").expect("write");
    let output = lector(&["extract", &note.to_string_lossy(), "--format", "text"], None);
    assert_eq!(text(&output), "Trams return\n\nThe council approved the line on Tuesday.\n");
}

#[test]
fn several_inputs_give_one_json_object_per_line() {
    let dir = tempdir(&format!("{:?}", std::thread::current().id()));
    let text_file = dir.join("pasted.txt");
    std::fs::write(
        &text_file,
        "A headline for the pasted article here\n\nThe body of the pasted article is one sentence long.\n",
    )
    .expect("write");
    let text_path = text_file.to_string_lossy().into_owned();
    let output = lector(&["extract", DEMO_PATH, &text_path, DEMO_PATH], None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    let sources: Vec<&str> = lines.iter().map(|l| l["source"].as_str().unwrap_or("")).collect();
    assert_eq!(sources, [DEMO_PATH, text_path.as_str(), DEMO_PATH]);
    assert_eq!(lines[1]["headline"], "A headline for the pasted article here");
}

#[test]
fn bad_files_exit_2_with_one_line() {
    let dir = tempdir(&format!("{:?}", std::thread::current().id()));
    let empty = dir.join("empty.html");
    std::fs::write(&empty, "  \n").expect("write");
    assert_bad_input(&lector(&["extract", &empty.to_string_lossy()], None), "empty input");
    assert_bad_input(&lector(&["extract", "/nonexistent/page.html"], None), "/nonexistent/page.html");
    assert_bad_input(&lector(&["extract", &dir.to_string_lossy()], None), "directory");
    assert_bad_input(&lector(&["extract", "-"], Some(b"")), "empty input");
    // Binary data is refused as the server refuses it, not printed as an article.
    let binary: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let photo = dir.join("photo.jpg");
    std::fs::write(&photo, &binary).expect("write");
    assert_bad_input(&lector(&["extract", &photo.to_string_lossy()], None), "binary data");
    assert_bad_input(&lector(&["extract", "-"], Some(&binary)), "binary data");
    let big = dir.join("big.html");
    std::fs::write(&big, "<p>x</p>".repeat(1000)).expect("write");
    assert_bad_input(
        &lector(&["extract", &big.to_string_lossy(), "--max-bytes", "1000"], None),
        "limit of 1000 bytes",
    );
    let output = lector(&["extract", "--format", "yaml", DEMO_PATH], None);
    assert_eq!(output.status.code(), Some(2), "clap reports usage errors with status 2");
}

#[test]
fn urls_are_fetched_with_redirects_and_limits() {
    let server = TestServer::start();
    let url = |path: &str| format!("http://{}{path}", server.address);

    // The final URL after redirects is the base for relative links.
    let output = lector(&["extract", &url("/redirect/5")], None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["headline"], HEADLINE);
    assert_eq!(json["source_url"], url("/news/night-buses.html"));
    assert_eq!(json["authors"][0]["url"], "https://harbourtimes.example/authors/priya-raman");

    assert_bad_input(&lector(&["extract", &url("/redirect/6")], None), "more than 5 redirects");
    assert_bad_input(&lector(&["extract", &url("/report.pdf")], None), "not an HTML page");
    assert_bad_input(&lector(&["extract", &url("/missing")], None), "404");
    assert_bad_input(&lector(&["extract", &url("/empty")], None), "empty");
    assert_bad_input(
        &lector(&["extract", &url("/big"), "--max-bytes", "100000"], None),
        "limit of 100000 bytes",
    );
    assert_bad_input(&lector(&["extract", &url("/slow"), "--timeout", "1"], None), "timed out");
    let refused = lector(&["extract", "http://127.0.0.1:9/"], None);
    assert_eq!(refused.status.code(), Some(2));
}

/// A tiny HTTP/1.1 server on a loopback port, one thread per connection.
struct TestServer {
    address: String,
}

impl TestServer {
    fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let address = listener.local_addr().expect("address").to_string();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || respond(stream));
            }
        });
        TestServer { address }
    }
}

fn respond(mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).map_or(true, |n| n == 0) || header == "\r\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (status, content_type, body, location): (&str, &str, Vec<u8>, Option<String>) = match path.as_str() {
        "/news/night-buses.html" => ("200 OK", "text/html; charset=utf-8", DEMO.as_bytes().to_vec(), None),
        "/report.pdf" => ("200 OK", "application/pdf", b"%PDF-1.4".to_vec(), None),
        "/empty" => ("200 OK", "text/html", Vec::new(), None),
        "/big" => ("200 OK", "text/html", "<p>tram</p>".repeat(100_000).into_bytes(), None),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", "text/html", DEMO.as_bytes().to_vec(), None)
        }
        p if p.starts_with("/redirect/") => {
            let n: u32 = p["/redirect/".len()..].parse().unwrap_or(0);
            let next =
                if n <= 1 { "/news/night-buses.html".to_string() } else { format!("/redirect/{}", n - 1) };
            ("302 Found", "text/plain", Vec::new(), Some(next))
        }
        _ => ("404 Not Found", "text/plain", b"not found".to_vec(), None),
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(location) = location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
    let mut rest = Vec::new();
    let _ = reader.read_to_end(&mut rest);
}
