//! Page shapes the extractor must handle, one minimal fixture each in `tests/fixtures/shapes/`:
//! every fixture opens with a comment naming the shape and listing lines `keep: TEXT` (must be
//! in the body), `drop: TEXT` (must not be) and `once: TEXT` (must be there exactly once).

use std::path::Path;

use lector_article::Article;
use lector_extract::{Options, extract_html};

/// What a fixture expects.
struct Expectations {
    keep: Vec<String>,
    drop: Vec<String>,
    once: Vec<String>,
}

fn expectations(source: &str) -> Expectations {
    let header = source.split("-->").next().unwrap_or_default();
    let lines = |prefix: &str| -> Vec<String> {
        header.lines().filter_map(|l| l.trim().strip_prefix(prefix)).map(|t| t.trim().to_string()).collect()
    };
    Expectations { keep: lines("keep:"), drop: lines("drop:"), once: lines("once:") }
}

/// The body's text with spaces folded, as the checks compare it.
fn body_text(article: &Article) -> String {
    let text: Vec<String> = article.body.iter().map(|b| b.text()).collect();
    text.join("\n").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Extracts one fixture and returns what it got wrong.
fn check(path: &Path) -> Vec<String> {
    let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let wanted = expectations(&source);
    assert!(!wanted.keep.is_empty(), "{} keeps nothing", path.display());
    let options = Options { base_url: "https://example.org/page".parse().ok(), content_type: None };
    let text = body_text(&extract_html(source.as_bytes(), &options).article);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut wrong: Vec<String> = wanted
        .keep
        .iter()
        .filter(|k| !text.contains(k.as_str()))
        .map(|k| format!("{name}: lost {k:?}"))
        .collect();
    wrong.extend(
        wanted.drop.iter().filter(|d| text.contains(d.as_str())).map(|d| format!("{name}: kept {d:?}")),
    );
    wrong.extend(wanted.once.iter().filter_map(|o| {
        let times = text.matches(o.as_str()).count();
        (times != 1).then(|| format!("{name}: {o:?} {times} times"))
    }));
    if !wrong.is_empty() {
        wrong.push(format!("{name}: the body was {text:?}"));
    }
    wrong
}

#[test]
fn every_shape_keeps_its_content_and_drops_the_rest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shapes");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .expect("the shapes folder")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 2, "fixtures in {}", dir.display());
    let wrong: Vec<String> = fixtures.iter().flat_map(|p| check(p)).collect();
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
