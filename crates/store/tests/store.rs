//! The SQLite store on a real file: revisions, listing, cascades, jobs, tokens, feeds, blobs.

use lector_article::{Article, Author, Block, Topic};
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

fn article(headline: &str, url: &str, text: &str) -> Article {
    Article {
        headline: headline.into(),
        canonical_url: Some(url.into()),
        body: vec![Block::paragraph(text)],
        ..Article::default()
    }
}

fn new(article: Article, hash: &str) -> NewArticle {
    NewArticle { article, external_id: None, spoken_hash: hash.into() }
}

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
async fn the_same_url_or_external_id_makes_revisions_not_duplicates() {
    let (store, _dir) = open("revisions").await;
    let first = store
        .save_article(new(article("Trams", "https://n.example/a", "One."), "h1"), 10)
        .await
        .expect("saved");
    assert_eq!(first.outcome, SaveOutcome::Created);
    let id = first.record.id;

    let again = store
        .save_article(new(article("Trams", "https://n.example/a", "One."), "h1"), 11)
        .await
        .expect("saved");
    assert_eq!((again.record.id, again.outcome, again.record.revision), (id, SaveOutcome::Unchanged, 1));

    // A changed headline with the same spoken text keeps the audio.
    let retitled = store
        .save_article(new(article("Trams!", "https://n.example/a", "One."), "h1"), 12)
        .await
        .expect("saved");
    assert_eq!(retitled.outcome, SaveOutcome::Revised { spoken_changed: false });
    let rewritten = store
        .save_article(new(article("Trams!", "https://n.example/a", "Two."), "h2"), 13)
        .await
        .expect("saved");
    assert_eq!(rewritten.outcome, SaveOutcome::Revised { spoken_changed: true });
    assert_eq!((rewritten.record.id, rewritten.record.revision), (id, 3));
    let numbers: Vec<i64> = store.revisions(id).await.expect("revisions").iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 2, 3]);

    // An external id identifies an article even when its URL changes.
    let mut by_id = new(article("Budget", "https://n.example/b", "Text."), "h3");
    by_id.external_id = Some("cms-42".into());
    let budget = store.save_article(by_id.clone(), 14).await.expect("saved").record.id;
    by_id.article.canonical_url = Some("https://n.example/b-moved".into());
    by_id.article.headline = "Budget, revised".into();
    let moved = store.save_article(by_id, 15).await.expect("saved");
    assert_eq!((moved.record.id, moved.record.revision), (budget, 2));
    assert_eq!(
        store.list_articles(&ListQuery { limit: 10, ..ListQuery::default() }).await.expect("list").total,
        2
    );

    // A replacement by id; an unknown id is None.
    let replaced =
        store.replace_article(id, new(article("Trams", "https://n.example/a", "Three."), "h4"), 16).await;
    assert_eq!(replaced.expect("replaced").expect("exists").record.revision, 4);
    assert!(
        store
            .replace_article(999, new(article("X", "https://x", "Y."), "h"), 16)
            .await
            .expect("ok")
            .is_none()
    );
}

#[tokio::test]
async fn articles_are_listed_newest_first_with_topic_and_author_filters() {
    let (store, _dir) = open("list").await;
    for i in 0..5 {
        let mut a = article(&format!("Story {i}"), &format!("https://n.example/{i}"), "Text.");
        a.topics = vec![Topic::new(if i % 2 == 0 { "Transport" } else { "Politics" })];
        a.authors =
            vec![Author { name: if i < 2 { "Priya Raman".into() } else { "Tom Hale".into() }, url: None }];
        a.published = chrono::DateTime::parse_from_rfc3339(&format!("2026-03-0{}T10:00:00Z", i + 1)).ok();
        store.save_article(new(a, "h"), 100).await.expect("saved");
    }
    let headlines = |page: &Page<ArticleRecord>| -> Vec<String> {
        page.items.iter().map(|r| r.article.headline.clone()).collect()
    };
    let all = store.list_articles(&ListQuery { limit: 2, ..ListQuery::default() }).await.expect("list");
    assert_eq!((all.total, headlines(&all)), (5, vec!["Story 4".to_string(), "Story 3".to_string()]));
    let next =
        store.list_articles(&ListQuery { limit: 2, offset: 2, ..ListQuery::default() }).await.expect("list");
    assert_eq!(headlines(&next), ["Story 2", "Story 1"]);
    let transport = ListQuery { topic: Some("transport".into()), limit: 10, ..ListQuery::default() };
    assert_eq!(
        headlines(&store.list_articles(&transport).await.expect("list")),
        ["Story 4", "Story 2", "Story 0"]
    );
    let priya = ListQuery { author: Some("priya-raman".into()), limit: 10, ..ListQuery::default() };
    assert_eq!(headlines(&store.list_articles(&priya).await.expect("list")), ["Story 1", "Story 0"]);
    let both = ListQuery {
        topic: Some("politics".into()),
        author: Some("priya-raman".into()),
        limit: 10,
        ..ListQuery::default()
    };
    assert_eq!(headlines(&store.list_articles(&both).await.expect("list")), ["Story 1"]);
    // What follows an article in a listing: the older ones, in the same order.
    let story_2 = store.list_articles(&transport).await.expect("list").items[1].id;
    let after = |topic: Option<&str>| ListQuery {
        topic: topic.map(String::from),
        older_than: Some(story_2),
        limit: 10,
        ..ListQuery::default()
    };
    let older = store.list_articles(&after(Some("transport"))).await.expect("list");
    assert_eq!((older.total, headlines(&older)), (1, vec!["Story 0".to_string()]));
    assert_eq!(headlines(&store.list_articles(&after(None)).await.expect("list")), ["Story 1", "Story 0"]);
    let topics = store.topics().await.expect("topics");
    assert_eq!(topics[0], TopicInfo { slug: "transport".into(), name: "Transport".into(), articles: 3 });
}

#[tokio::test]
async fn deleting_an_article_removes_its_audio_jobs_and_comments() {
    let (store, _dir) = open("delete").await;
    let id = store
        .save_article(new(article("Gone", "https://n.example/g", "Text."), "h"), 1)
        .await
        .expect("saved")
        .record
        .id;
    let key = RenditionKey { article: id, spoken_hash: "h".into(), voice: "v".into(), format: "mp3".into() };
    let rendition = Rendition {
        key: key.clone(),
        blob: "b".into(),
        bytes: 3,
        duration_ms: 1000,
        timings_blob: "t".into(),
        created_at: 1,
    };
    store.save_rendition(&rendition).await.expect("rendition");
    assert_eq!(store.rendition(&key).await.expect("read"), Some(rendition));
    let job = store.enqueue_narration(id, "v", 1).await.expect("job");
    let comment = NewComment {
        article_id: id,
        parent_id: None,
        name: "A".into(),
        body: "Hi".into(),
        state: "visible".into(),
    };
    store.add_comment(&comment, 1).await.expect("comment");
    assert_eq!(store.comment_count(id).await.expect("count"), 1);
    assert!(store.delete_article(id).await.expect("deleted"));
    assert!(!store.delete_article(id).await.expect("second delete"));
    assert_eq!(store.rendition(&key).await.expect("read"), None);
    assert_eq!(store.job(job.id).await.expect("read"), None);
    assert_eq!(store.comment_count(id).await.expect("count"), 0);
    // Foreign keys hold: a comment on a missing article is refused.
    assert!(store.add_comment(&comment, 2).await.is_err());
}

#[tokio::test]
async fn jobs_queue_once_run_in_order_retry_and_survive_a_stop() {
    let (store, _dir) = open("jobs").await;
    let a = store
        .save_article(new(article("A", "https://n.example/a", "Text."), "h"), 1)
        .await
        .expect("saved")
        .record
        .id;
    let b = store
        .save_article(new(article("B", "https://n.example/b", "Text."), "h"), 1)
        .await
        .expect("saved")
        .record
        .id;
    let first = store.enqueue_narration(a, "piper:joe", 10).await.expect("queued");
    assert_eq!(store.enqueue_narration(a, "piper:joe", 11).await.expect("same job").id, first.id);
    let second = store.enqueue_narration(b, "piper:joe", 12).await.expect("queued");
    assert!(store.claim_job(9).await.expect("claim").is_none(), "nothing is due before its time");

    let claimed = store.claim_job(20).await.expect("claim").expect("a job");
    assert_eq!((claimed.id, claimed.state, claimed.attempts), (first.id, JobState::Running, 1));
    store.fail_job(first.id, "engine busy", Some(40), 21).await.expect("retry later");
    let next = store.claim_job(22).await.expect("claim").expect("the other job");
    assert_eq!(next.id, second.id);
    assert!(store.claim_job(23).await.expect("claim").is_none());
    // A stop while `next` runs: it goes back to the queue.
    assert_eq!(store.requeue_running(30).await.expect("requeue"), 1);
    assert_eq!(store.job(second.id).await.expect("read").expect("job").state, JobState::Queued);
    let again = store.claim_job(31).await.expect("claim").expect("requeued job");
    assert_eq!((again.id, again.attempts), (second.id, 2));
    store.finish_job(second.id, 32).await.expect("done");
    let retried = store.claim_job(40).await.expect("claim").expect("retry is due");
    assert_eq!(
        (retried.id, retried.attempts, retried.last_error.as_deref()),
        (first.id, 2, Some("engine busy"))
    );
    store.fail_job(first.id, "broken voice", None, 41).await.expect("fail");
    let counts = store.job_counts().await.expect("counts");
    assert_eq!(counts, [(JobState::Done, 1), (JobState::Failed, 1)]);
    assert_eq!(store.jobs_for_article(a).await.expect("jobs")[0].state, JobState::Failed);
}

#[tokio::test]
async fn tokens_are_checked_by_hash_and_revoked_by_name_or_id() {
    let (store, _dir) = open("tokens").await;
    let ci = store.create_token("ci", "hash-1", 1).await.expect("created");
    store.create_token("cms", "hash-2", 2).await.expect("created");
    assert!(store.check_token("hash-1", 100).await.expect("check"));
    assert!(!store.check_token("hash-3", 100).await.expect("check"));
    assert!(store.revoke_token("cms", 101).await.expect("revoke"));
    assert!(!store.check_token("hash-2", 102).await.expect("check"));
    assert!(store.revoke_token(&ci.id.to_string(), 103).await.expect("revoke"));
    assert!(!store.revoke_token("nobody", 104).await.expect("revoke"));
    let listed = store.tokens().await.expect("list");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].last_used_at, Some(100));
    assert!(listed.iter().all(|t| t.revoked_at.is_some()));
}

#[tokio::test]
async fn feeds_remember_their_validators_and_items() {
    let (store, _dir) = open("feeds").await;
    let feed = store.save_feed("https://n.example/rss", 600, 10).await.expect("saved");
    assert_eq!(store.save_feed("https://n.example/rss", 300, 11).await.expect("saved").id, feed.id);
    assert_eq!(store.due_feeds(10).await.expect("due").len(), 1);
    let poll = FeedPoll { etag: Some("\"v1\"".into()), last_modified: None, next_poll_at: 310, error: None };
    store.feed_polled(feed.id, &poll).await.expect("polled");
    assert!(store.due_feeds(309).await.expect("due").is_empty());
    let read = store.feed(feed.id).await.expect("read").expect("feed");
    assert_eq!((read.interval_secs, read.etag.as_deref()), (300, Some("\"v1\"")));
    assert!(!store.feed_item_seen(feed.id, "guid-1").await.expect("seen"));
    store.save_feed_item(feed.id, "guid-1", None, 12).await.expect("item");
    assert!(store.feed_item_seen(feed.id, "guid-1").await.expect("seen"));
    assert!(store.delete_feed(feed.id).await.expect("deleted"));
    assert!(store.feeds().await.expect("feeds").is_empty());
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
async fn comments_list_with_replies_and_moderation_states() {
    let (store, _dir) = open("comments").await;
    let id = store
        .save_article(new(article("Trams", "https://n.example/t", "Text."), "h"), 1)
        .await
        .expect("saved")
        .record
        .id;
    let post = |name: &str, body: &str, parent: Option<Id>, state: &str| NewComment {
        article_id: id,
        parent_id: parent,
        name: name.into(),
        body: body.into(),
        state: state.into(),
    };
    let first = store.add_comment(&post("Ana", "First!", None, "visible"), 10).await.expect("comment");
    let second = store.add_comment(&post("Ben", "Second.", None, "visible"), 20).await.expect("comment");
    store.add_comment(&post("Cy", "Reply.", Some(first), "visible"), 30).await.expect("reply");
    store.add_comment(&post("Di", "Hidden reply.", Some(first), "hidden"), 31).await.expect("reply");
    let waiting = store.add_comment(&post("Ed", "Waiting.", None, "pending"), 40).await.expect("comment");

    let newest =
        store.comments(id, &CommentQuery { newest_first: true, limit: 10, offset: 0 }).await.expect("list");
    let names: Vec<&str> = newest.items.iter().map(|c| c.name.as_str()).collect();
    assert_eq!((newest.total, names), (2, vec!["Ben", "Ana"]));
    let replies: Vec<&str> = newest.items[1].replies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(replies, ["Cy"], "only visible replies");
    let oldest =
        store.comments(id, &CommentQuery { newest_first: false, limit: 1, offset: 1 }).await.expect("list");
    assert_eq!(oldest.items[0].id, second);
    assert_eq!(store.comment_count(id).await.expect("count"), 3, "visible comments and replies");

    assert_eq!(store.comments_in_state("pending", 10).await.expect("pending")[0].id, waiting);
    assert!(store.set_comment_state(waiting, "visible").await.expect("publish"));
    assert!(!store.set_comment_state(9_999, "visible").await.expect("missing"));
    assert_eq!(store.comment_count(id).await.expect("count"), 4);
    assert!(store.comment_exists_since(id, "Ben", "Second.", 15).await.expect("duplicate"));
    assert!(!store.comment_exists_since(id, "Ben", "Second.", 25).await.expect("older"));
    assert!(!store.comment_exists_since(id, "Ana", "Second.", 15).await.expect("another name"));
    assert!(!store.comment_exists_since(id, "Ben", "Second!", 15).await.expect("another text"));
    // Deleting a comment deletes its replies.
    assert!(store.delete_comment(first).await.expect("deleted"));
    assert_eq!(store.comment_count(id).await.expect("count"), 2);
    assert_eq!(store.comment(first).await.expect("read"), None);
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
