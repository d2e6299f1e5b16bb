//! Extraction over the 130 readability test pages: the quality floor, and every article's
//! JSON valid against the published schema.

use lector_article::{ArticleJson, DEFAULT_WORDS_PER_MINUTE};
use xtask::dataset::{load_pages, pages_dir};
use xtask::quality::{Engine, evaluate, extract_page};

/// The floor on this set (body-text F1 over 4-token shingles; measured 0.9776): below it, a
/// change is a regression.
const F1_FLOOR: f64 = 0.965;

#[test]
fn body_text_f1_holds_its_floor() {
    let pages = load_pages(&pages_dir()).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(pages.len(), 130, "the set has 130 pages");
    let report = evaluate(&pages, Engine::Lector);
    eprintln!(
        "precision {:.4} recall {:.4} F1 {:.4}; title {:.3} byline {:.3} excerpt {:.3}",
        report.precision,
        report.recall,
        report.f1,
        report.title_rate,
        report.byline_rate,
        report.excerpt_rate
    );
    assert!(report.f1 >= F1_FLOOR, "F1 {:.4} is below the floor of {F1_FLOOR}", report.f1);
    // No page may come out empty-handed: each has a body or its reference is empty too.
    let empty: Vec<&str> =
        report.pages.iter().filter(|p| p.recall == Some(0.0)).map(|p| p.name.as_str()).collect();
    assert!(empty.is_empty(), "pages with none of the reference text: {empty:?}");
}

#[test]
fn every_article_validates_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../docs/article.schema.json")).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let pages = load_pages(&pages_dir()).unwrap_or_else(|e| panic!("{e:#}"));
    for page in &pages {
        let article = extract_page(page);
        let json = serde_json::to_value(
            ArticleJson::new(&article, DEFAULT_WORDS_PER_MINUTE).with_source(&page.name),
        )
        .expect("serializes");
        let errors: Vec<String> =
            validator.iter_errors(&json).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", page.name);
    }
}
