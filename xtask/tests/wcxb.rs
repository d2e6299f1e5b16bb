//! Extraction over the WCXB development set (1,497 pages of 7 types): the floors below which
//! a change is a regression, overall and on articles, for the publication date and for the
//! page type, and the ceiling of boilerplate kept.

use xtask::wcxb::{Engine, dir, evaluate, load, summarize};

/// Word F1 floors on this set (docs/benchmarks.md; measured 0.8905 overall and 0.962 on
/// articles): the overall floor is the 0.88, the article floor the measure less a
/// small margin.
const F1_FLOOR: f64 = 0.88;
const ARTICLE_F1_FLOOR: f64 = 0.95;
/// Share of pages with a publication date whose date lector finds on the same day: the
/// issue's 0.90 (measured 0.901, 703 of 780).
const DATE_FLOOR: f64 = 0.90;
/// Share of pages whose `page_type` is the set's label (measured 0.750).
const PAGE_TYPE_FLOOR: f64 = 0.74;
/// Most of the `without` snippets (boilerplate the truth leaves out) lector may keep
/// (measured 0.038).
const WITHOUT_CEILING: f64 = 0.05;

#[test]
fn word_f1_and_page_types_hold_their_floors() {
    let pages = load(&dir()).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(pages.len(), 1497, "the development split has 1,497 pages");
    let scores = evaluate(&pages, Engine::Lector);
    let all = summarize(&scores);
    let articles =
        summarize(scores.iter().zip(&pages).filter(|(_, p)| p.page_type == "article").map(|(s, _)| s));
    eprintln!(
        "F1 {:.4}, articles {:.4}, without kept {:.3}, date {:.3}, page type {:.3}",
        all.f1, articles.f1, all.without_kept, all.date, all.page_type
    );
    assert!(all.f1 >= F1_FLOOR, "F1 {:.4} is below the floor of {F1_FLOOR}", all.f1);
    assert!(articles.f1 >= ARTICLE_F1_FLOOR, "article F1 {:.4} is below {ARTICLE_F1_FLOOR}", articles.f1);
    assert!(all.date >= DATE_FLOOR, "date right on {:.3} of pages with one", all.date);
    assert!(all.page_type >= PAGE_TYPE_FLOOR, "page type right on {:.3} of pages", all.page_type);
    assert!(all.without_kept <= WITHOUT_CEILING, "{:.4} of `without` snippets kept", all.without_kept);
}
