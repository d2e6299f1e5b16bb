//! The PostgreSQL store against a real server: a throwaway cluster on loopback, one fresh
//! database per case of the contract every backend passes, and what is PostgreSQL's own
//! (nodes migrating at once, concurrent saves of one article).

use lector_article::{Article, Block};
use lector_store::{ArticleStore, JobStore, NewArticle, SaveOutcome, Store};
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
