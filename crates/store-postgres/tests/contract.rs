//! The PostgreSQL store against a real server: a throwaway cluster on loopback, one fresh
//! database per case of the contract every backend passes, and what is PostgreSQL's own
//! (nodes migrating at once, concurrent saves of one article).

use lector_article::{Article, Block};
use lector_store::{ArticleStore, ImageRecord, ImageStore, JobStore, NewArticle, SaveOutcome, Store};
use lector_store_postgres::PostgresStore;
use lector_store_postgres::cluster::Cluster;

async fn open_case(name: &str) -> Box<dyn Store> {
    let url = Cluster::shared().new_database(name).await.expect("a fresh database");
    Box::new(PostgresStore::connect(&url, 8).await.expect("connects and migrates"))
}

lector_store::contract_tests!(open_case);

fn story(text: &str) -> NewArticle {
    NewArticle {
        article: Article {
            headline: "Trams".into(),
            canonical_url: Some("https://n.example/trams".into()),
            body: vec![Block::paragraph(text)],
            ..Article::default()
        },
        external_id: None,
        spoken_hash: text.into(),
        publication: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_starting_together_migrate_once_and_share_the_data() {
    let url = Cluster::shared().new_database("nodes").await.expect("a fresh database");
    let nodes = futures_util::future::join_all((0..3).map(|_| PostgresStore::connect(&url, 2))).await;
    let nodes: Vec<PostgresStore> = nodes.into_iter().map(|n| n.expect("connects and migrates")).collect();
    let saved = nodes[0].save_article(story("One."), 1).await.expect("saved");
    let seen = nodes[2].article(saved.record.id).await.expect("reads").expect("there");
    assert_eq!(seen.article.body, vec![Block::paragraph("One.")]);
    for node in &nodes {
        node.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_of_one_article_make_one_article_and_ordered_revisions() {
    let url = Cluster::shared().new_database("saves").await.expect("a fresh database");
    let store = PostgresStore::connect(&url, 8).await.expect("connects");
    let texts: Vec<String> = (0..8).map(|i| format!("Version {i}.")).collect();
    let saves = futures_util::future::join_all(texts.iter().map(|t| store.save_article(story(t), 1))).await;
    let mut ids = std::collections::BTreeSet::new();
    let mut created = 0;
    for saved in saves {
        let saved = saved.expect("every save succeeds");
        ids.insert(saved.record.id);
        created += usize::from(saved.outcome == SaveOutcome::Created);
    }
    assert_eq!((ids.len(), created), (1, 1));
    let id = ids.into_iter().next().expect("an id");
    let numbers: Vec<i64> = store.revisions(id).await.expect("revisions").iter().map(|r| r.number).collect();
    assert_eq!(numbers, (1..=8).collect::<Vec<i64>>());
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_queued_on_one_node_wakes_the_others_at_once() {
    let url = Cluster::shared().new_database("wakeups").await.expect("a fresh database");
    let (a, b) = (
        PostgresStore::connect(&url, 2).await.expect("node a"),
        PostgresStore::connect(&url, 2).await.expect("node b"),
    );
    let id = a.save_article(story("Wake."), 1).await.expect("saved").record.id;
    let signal = b.jobs_queued().expect("PostgreSQL announces queued jobs");
    let woken = signal.notified();
    tokio::pin!(woken);
    woken.as_mut().enable();
    a.enqueue_narration(id, "piper:joe", 2).await.expect("queued");
    tokio::time::timeout(std::time::Duration::from_secs(5), woken).await.expect("node b was woken");
    a.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_and_image_copies_are_json_the_database_reads() {
    let url = Cluster::shared().new_database("json").await.expect("a fresh database");
    let store = PostgresStore::connect(&url, 2).await.expect("connects");
    let saved = store.save_article(story("Trams run again."), 1).await.expect("saved");
    let image = ImageRecord {
        source_url: "https://n.example/tram.jpg".into(),
        blob: "a".repeat(64),
        content_type: "image/jpeg".into(),
        width: 1600,
        height: 900,
        variants: vec![(480, "b".repeat(64)), (960, "c".repeat(64))],
        created_at: 1,
    };
    store.save_image(&image).await.expect("saved");

    let pool = sqlx::PgPool::connect(&url).await.expect("connects");
    let headline: String =
        sqlx::query_scalar("SELECT body->>'headline' FROM revisions WHERE article_id = $1 AND number = 1")
            .bind(saved.record.id)
            .fetch_one(&pool)
            .await
            .expect("the body read as JSON");
    assert_eq!(headline, "Trams");
    let widths: Vec<i32> =
        sqlx::query_scalar("SELECT (v->>0)::int FROM images, jsonb_array_elements(variants) AS v ORDER BY 1")
            .fetch_all(&pool)
            .await
            .expect("the copies read as JSON");
    assert_eq!(widths, [480, 960]);
    // A copy's blob is found through the index on the variants, not by reading every row.
    let mut connection = pool.acquire().await.expect("a connection");
    sqlx::query("SET enable_seqscan = off").execute(&mut *connection).await.expect("set");
    let plan: Vec<String> =
        sqlx::query_scalar("EXPLAIN SELECT * FROM images WHERE blob = $1 OR variants @> $2 LIMIT 1")
            .bind("c".repeat(64))
            .bind(sqlx::types::Json([["c".repeat(64)]]))
            .fetch_all(&mut *connection)
            .await
            .expect("a plan");
    assert!(plan.iter().any(|line| line.contains("images_by_variant")), "{plan:#?}");
    let found = store.image_by_blob(&"c".repeat(64)).await.expect("reads").expect("found by a copy");
    assert_eq!(found, image);
    assert!(store.image_by_blob(&"c".repeat(63)).await.expect("reads").is_none());
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn articles_stored_before_search_are_found_when_a_node_starts() {
    let url = Cluster::shared().new_database("search-fill").await.expect("a fresh database");
    let store = PostgresStore::connect(&url, 2).await.expect("connects");
    store.save_article(story("Ferry notice for the south pier."), 1).await.expect("saved");
    store.close().await;
    // As a schema without search left them: no words kept.
    let pool = sqlx::PgPool::connect(&url).await.expect("connects");
    sqlx::query("UPDATE articles SET search = NULL").execute(&pool).await.expect("cleared");
    pool.close().await;

    let store = PostgresStore::connect(&url, 2).await.expect("connects again");
    let query = lector_store::ListQuery { text: Some("ferry pier".into()), limit: 10, ..Default::default() };
    assert_eq!(store.list_articles(&query).await.expect("searched").total, 1);
    store.close().await;
}
