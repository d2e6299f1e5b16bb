//! The change feed over a real SQLite store: a page's version moves exactly when a change
//! touches it, leases run out, and a write on a shared database is answered only once
//! every node's lease has either seen it or run out.

use std::sync::Arc;
use std::time::Instant;

use lector_article::{Article, Block};
use lector_core::changes::{ChangeFeed, LEASE};
use lector_store::{Id, NewArticle, NewComment, Store};
use lector_store_sqlite::SqliteStore;

/// A test's folder, removed when the test ends (the log test writes hundreds of megabytes).
struct Folder(std::path::PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn store(name: &str) -> (Arc<dyn Store>, Folder) {
    let dir = std::env::temp_dir().join(format!("lector-changes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder");
    let store = Arc::new(SqliteStore::open(&dir.join("lector.db")).await.expect("SQLite opens"));
    (store, Folder(dir))
}

async fn article(store: &dyn Store, headline: &str) -> Id {
    let article = Article {
        headline: headline.into(),
        canonical_url: Some(format!("https://n.example/{}", lector_article::slugify(headline))),
        body: vec![Block::paragraph("Text.")],
        ..Article::default()
    };
    let new = NewArticle { article, external_id: None, spoken_hash: headline.into(), publication: None };
    store.save_article(new, 1).await.expect("saved").record.id
}

async fn comment(store: &dyn Store, article: Id, body: &str) {
    let comment = NewComment {
        article_id: article,
        parent_id: None,
        name: "Ana".into(),
        body: body.into(),
        state: "visible".into(),
    };
    store.add_comment(&comment, 1).await.expect("comment");
}

#[tokio::test]
async fn a_change_moves_the_version_of_what_it_touches_and_nothing_else() {
    let (store, _folder) = store("touches").await;
    let (a, b) = (article(&*store, "Trams").await, article(&*store, "Ferries").await);
    let feed = Arc::new(ChangeFeed::new(Arc::clone(&store), false));
    assert!(!feed.trusted(), "nothing read yet");
    assert!(feed.fresh().await && feed.trusted());
    let (version_a, version_b, site) = (feed.version(Some(a)), feed.version(Some(b)), feed.version(None));
    assert!(version_a == site && version_b == site, "no article changed on its own yet");

    // A comment on A: A's pages, not B's, nor the lists.
    let before = feed.before_write();
    let site_time = feed.changed_at_ms(None);
    comment(&*store, a, "First.").await;
    feed.after_write(before).await;
    assert!(feed.version(Some(a)) > version_a, "A's pages show its comments");
    assert_eq!((feed.version(Some(b)), feed.version(None)), (version_b, site));
    assert!(feed.changed_at_ms(Some(a)) >= site_time && feed.changed_at_ms(Some(b)) == site_time);
    let commented = feed.version(Some(a));

    // A new article: every page.
    let before = feed.before_write();
    article(&*store, "Buses").await;
    feed.after_write(before).await;
    let added = feed.version(None);
    assert!(added > commented && feed.version(Some(a)) == added && feed.version(Some(b)) == added);
}

#[tokio::test]
async fn a_write_on_a_shared_database_waits_until_other_nodes_see_it() {
    let (store, _folder) = store("shared").await;
    let a = article(&*store, "Trams").await;
    let (reader, writer) = (
        Arc::new(ChangeFeed::new(Arc::clone(&store), true)),
        Arc::new(ChangeFeed::new(Arc::clone(&store), true)),
    );
    assert!(reader.fresh().await && writer.fresh().await);
    let kept = reader.version(Some(a));

    let before = writer.before_write();
    comment(&*store, a, "From the other node.").await;
    let started = Instant::now();
    writer.after_write(before).await;
    assert!(started.elapsed() >= LEASE, "answered after {:?}", started.elapsed());
    // By then the reader no longer trusts what it kept, and reading finds the change.
    assert!(!reader.trusted());
    assert!(reader.fresh().await);
    assert!(reader.version(Some(a)) > kept);

    // A write that changed nothing is answered at once.
    assert!(writer.fresh().await);
    let before = writer.before_write();
    let started = Instant::now();
    writer.after_write(before).await;
    assert!(started.elapsed() < LEASE, "waited {:?} for nothing", started.elapsed());
}

#[tokio::test]
async fn a_node_that_fell_behind_the_kept_log_moves_every_version() {
    let (store, _folder) = store("behind").await;
    let (a, b) = (article(&*store, "Trams").await, article(&*store, "Ferries").await);
    let feed = Arc::new(ChangeFeed::new(Arc::clone(&store), false));
    assert!(feed.fresh().await);
    let kept = feed.version(Some(a));
    // More comments on B than the log keeps: the change naming A may have been among them.
    for i in 0..=lector_store::CHANGES_KEPT {
        comment(&*store, b, &format!("Comment {i}.")).await;
    }
    tokio::time::sleep(LEASE).await;
    assert!(feed.fresh().await);
    assert!(feed.version(Some(a)) > kept && feed.version(None) > kept);
}
