//! The SQLite store on a real file: the contract every backend passes, and what is SQLite's
//! own (WAL, foreign keys, reopening, migrating old rows).

use lector_store::contract::{article, new};
use lector_store::*;
use lector_store_sqlite::SqliteStore;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lector-sqlite-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

async fn open(name: &str) -> (SqliteStore, std::path::PathBuf) {
    let dir = temp_dir(name);
    let store = SqliteStore::open(&dir.join("lector.db")).await.expect("opens");
    (store, dir)
}

/// A fresh database file for a contract case.
async fn open_case(name: &str) -> Box<dyn Store> {
    Box::new(open(&format!("contract-{name}")).await.0)
}

lector_store::contract_tests!(open_case);

#[tokio::test]
async fn the_database_is_in_wal_mode_with_foreign_keys_and_survives_reopening() {
    let (store, dir) = open("pragmas").await;
    assert_eq!(store.pragmas().await.expect("pragmas"), ("wal".to_string(), true));
    let saved = store
        .save_article(new(article("Trams", "https://n.example/a", "Text."), "h1"), 10)
        .await
        .expect("saved");
    store.close().await;
    let store = SqliteStore::open(&dir.join("lector.db")).await.expect("reopens");
    let back = store.article(saved.record.id).await.expect("reads").expect("still there");
    assert_eq!(back.article.headline, "Trams");
    assert_eq!((back.revision, back.slug.as_str()), (1, "trams"));
}

#[tokio::test]
async fn comments_stored_before_text_digests_get_them_when_the_store_opens() {
    let (store, dir) = open("digests").await;
    let id = store
        .save_article(new(article("Quay", "https://n.example/q", "Text."), "h"), 1)
        .await
        .expect("saved")
        .record
        .id;
    let comment = NewComment {
        article_id: id,
        parent_id: None,
        name: "Ana".into(),
        body: "Same.".into(),
        state: "visible".into(),
    };
    store.add_comment(&comment, 10).await.expect("comment");
    store.close().await;
    // As the first schema left it: no digests.
    let path = dir.join("lector.db");
    let raw = sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&path))
        .await
        .expect("raw connection");
    sqlx::query("UPDATE comments SET body_sha256 = NULL").execute(&raw).await.expect("cleared");
    raw.close().await;

    let store = SqliteStore::open(&path).await.expect("reopens");
    assert!(store.comment_exists_since(id, "Ana", "Same.", 5).await.expect("duplicate"));
}

#[tokio::test]
async fn articles_stored_before_search_are_found_after_reopening() {
    let (store, dir) = open("search-fill").await;
    for i in 0..3 {
        let text = format!("Ferry notice {i} for the south pier.");
        store
            .save_article(
                new(article(&format!("Notice {i}"), &format!("https://n.example/{i}"), &text), "h"),
                10,
            )
            .await
            .expect("saved");
    }
    store.close().await;
    // As a schema without search left them: no words kept.
    let path = dir.join("lector.db");
    let raw = sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&path))
        .await
        .expect("raw connection");
    sqlx::query("DELETE FROM article_search").execute(&raw).await.expect("cleared");
    raw.close().await;

    let store = SqliteStore::open(&path).await.expect("reopens");
    let query = ListQuery { text: Some("ferry pier".into()), limit: 10, ..ListQuery::default() };
    assert_eq!(store.list_articles(&query).await.expect("searched").total, 3);
}
