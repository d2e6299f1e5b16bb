//! The SQLite store on a real file: the contract every backend passes, what is SQLite's own
//! (WAL, foreign keys, reopening, migrating old rows) and the blob folder.

use lector_store::contract::{article, new};
use lector_store::*;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lector-store-{name}-{}", std::process::id()));
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

#[test]
fn blobs_are_content_addressed_and_never_half_written() {
    let dir = temp_dir("blobs");
    let blobs = FsBlobStore::new(dir.join("blobs"));
    let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let id = blobs.put(&bytes).expect("put");
    assert_eq!(id, blob_id(&bytes));
    assert_eq!(id.len(), 64);
    assert_eq!(blobs.put(&bytes).expect("put again"), id);
    assert_eq!(blobs.get(&id).expect("get"), Some(bytes.clone()));
    assert_eq!(blobs.len(&id).expect("len"), Some(10_000));
    assert_eq!(blobs.read_range(&id, 9_990, 100).expect("range"), Some(bytes[9_990..].to_vec()));
    assert_eq!(blobs.get(&"0".repeat(64)).expect("missing"), None);
    // Ids that are not SHA-256 hex never reach the file system.
    assert_eq!(blobs.get("../../etc/passwd").expect("refused"), None);
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir.join("blobs")).expect("root").flatten() {
        files.extend(std::fs::read_dir(entry.path()).expect("fan-out").flatten().map(|e| e.file_name()));
    }
    assert_eq!(files.len(), 1, "{files:?}");
}

#[test]
fn a_read_only_blob_folder_is_an_error_not_a_partial_file() {
    let dir = temp_dir("readonly");
    let root = dir.join("blobs");
    std::fs::create_dir_all(&root).expect("root");
    let blobs = FsBlobStore::new(&root);
    let mut permissions = std::fs::metadata(&root).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o555);
    std::fs::set_permissions(&root, permissions).expect("read-only");
    let result = blobs.put(b"audio");
    // Root ignores permission bits; then the write simply succeeds whole.
    if let Err(e) = result {
        assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied);
        assert!(std::fs::read_dir(&root).expect("root").next().is_none());
    } else {
        assert_eq!(blobs.get(&blob_id(b"audio")).expect("get"), Some(b"audio".to_vec()));
    }
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
