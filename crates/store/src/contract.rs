//! The behaviour every [`Store`] backend must show, as test cases generic over the trait:
//! each backend's tests run all of them through [`contract_tests!`](crate::contract_tests)
//! against a fresh, real database. Compiled with the `contract` feature only; the cases
//! panic on the first difference, as tests do.

use futures_util::StreamExt;
use futures_util::future::join_all;
use lector_article::{Article, Author, Block, Topic};

use crate::*;

/// Defines one `#[tokio::test]` per contract case; `$open` is an async function taking the
/// case's name and returning something that dereferences to a fresh, empty [`Store`].
#[macro_export]
macro_rules! contract_tests {
    ($open:path) => {
        $crate::contract_tests!(@cases $open;
            revisions_not_duplicates,
            listing_newest_first_with_filters,
            drafts_and_scheduled_articles_stay_out_of_reader_lists,
            articles_are_found_by_their_words,
            deleting_an_article_removes_what_hangs_on_it,
            jobs_queue_once_run_in_order_and_retry,
            leases_hold_jobs_and_run_out,
            kinds_of_jobs_stand_apart_and_dead_letters_are_retried,
            tokens_checked_by_hash_and_revoked,
            users_lock_out_and_keep_sessions_until_they_end,
            removing_a_user_ends_their_sessions_and_tokens,
            webhooks_are_kept_listed_and_deleted,
            listen_counts_add_up_per_article_day_and_metric,
            sentence_audio_is_found_by_key,
            lexicon_entries_are_kept_replaced_and_removed,
            feeds_remember_validators_and_items,
            images_found_by_source_or_by_any_copy,
            comments_with_replies_and_moderation,
            concurrent_enqueues_make_one_job,
            concurrent_claims_take_each_job_once,
            concurrent_pollers_take_each_due_feed_once,
            hits_are_limited_per_key_in_a_sliding_window,
            concurrent_hits_stay_within_the_limit,
            changes_are_logged_in_commit_order,
            concurrent_writes_are_read_without_holes,
            libraries_are_each_users_own,
            library_lists_by_shelf_tag_search_and_order,
            saves_are_claimed_once_per_host_at_a_time,
            reading_preferences_are_kept_per_user
        );
    };
    (@cases $open:path; $($case:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let store = $open(stringify!($case)).await;
                $crate::contract::$case(&*store).await;
                $crate::Store::close(&*store).await;
            }
        )*
    };
}

/// Defines one `#[tokio::test]` per blob-store case; `$open` is an async function taking the
/// case's name and returning something that dereferences to a fresh, empty [`BlobStore`].
#[macro_export]
macro_rules! blob_contract_tests {
    ($open:path) => {
        $crate::blob_contract_tests!(@cases $open;
            blobs_are_content_addressed_and_read_by_range,
            only_blob_ids_name_blobs,
            a_large_blob_is_stored_whole,
            concurrent_puts_of_one_blob_leave_it_whole,
            streamed_blobs_are_stored_as_they_come,
            a_stream_that_fails_leaves_no_blob
        );
    };
    (@cases $open:path; $($case:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let blobs = $open(stringify!($case)).await;
                $crate::contract::$case(&*blobs).await;
            }
        )*
    };
}

/// Bytes that differ along their whole length.
fn pattern(length: usize, seed: u32) -> Vec<u8> {
    (0..length as u32).map(|i| (i.wrapping_mul(31).wrapping_add(seed) % 251) as u8).collect()
}

/// A blob is named by its bytes' digest, read whole, by length, or by range.
pub async fn blobs_are_content_addressed_and_read_by_range(blobs: &dyn BlobStore) {
    let bytes = pattern(10_000, 1);
    let id = blobs.put(bytes.clone()).await.expect("put");
    assert_eq!((id.clone(), id.len()), (blob_id(&bytes), 64));
    assert_eq!(blobs.put(bytes.clone()).await.expect("put again"), id);
    assert_eq!(blobs.get(&id).await.expect("get"), Some(bytes.clone()));
    assert_eq!(blobs.len(&id).await.expect("len"), Some(10_000));
    assert_eq!(blobs.read_range(&id, 100, 50).await.expect("range"), Some(bytes[100..150].to_vec()));
    assert_eq!(blobs.read_range(&id, 9_990, 100).await.expect("range"), Some(bytes[9_990..].to_vec()));
    assert_eq!(blobs.read_range(&id, 10_000, 100).await.expect("at the end"), Some(Vec::new()));
    assert_eq!(blobs.read_range(&id, 20_000, 100).await.expect("past the end"), Some(Vec::new()));
    assert_eq!(blobs.read_range(&id, 5, 0).await.expect("nothing"), Some(Vec::new()));
    let empty = blobs.put(Vec::new()).await.expect("put empty");
    assert_eq!(blobs.get(&empty).await.expect("get"), Some(Vec::new()));
    assert_eq!(blobs.len(&empty).await.expect("len"), Some(0));
    let missing = "0".repeat(64);
    assert_eq!(blobs.get(&missing).await.expect("missing"), None);
    assert_eq!(blobs.len(&missing).await.expect("missing"), None);
    assert_eq!(blobs.read_range(&missing, 0, 10).await.expect("missing"), None);
}

/// Ids that are not SHA-256 in hex name nothing, whatever exists under those names.
pub async fn only_blob_ids_name_blobs(blobs: &dyn BlobStore) {
    blobs.put(b"audio".to_vec()).await.expect("put");
    for id in ["../../etc/passwd", "", "ABCDEF", &"g".repeat(64), &blob_id(b"audio").to_uppercase()] {
        assert_eq!(blobs.get(id).await.expect("refused"), None, "{id:?}");
        assert_eq!(blobs.len(id).await.expect("refused"), None, "{id:?}");
    }
}

/// A blob of many megabytes (a long narration) is stored and read back whole.
pub async fn a_large_blob_is_stored_whole(blobs: &dyn BlobStore) {
    let bytes = pattern(12 * 1024 * 1024 + 17, 2);
    let id = blobs.put(bytes.clone()).await.expect("put");
    assert_eq!(blobs.len(&id).await.expect("len"), Some(bytes.len() as u64));
    let back = blobs.get(&id).await.expect("get").expect("there");
    assert!(back == bytes, "the blob came back different");
    let tail = blobs.read_range(&id, bytes.len() as u64 - 64 * 1024, 64 * 1024).await.expect("range");
    assert!(tail.as_deref() == Some(&bytes[bytes.len() - 64 * 1024..]));
    // Streamed, the blob comes in many chunks, none of them the whole, that join to it.
    let mut chunks = blobs.stream_range(&id, 3, bytes.len() as u64).await.expect("stream").expect("there");
    let (mut joined, mut count, mut largest) = (Vec::new(), 0, 0);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.expect("a chunk");
        (count, largest) = (count + 1, largest.max(chunk.len()));
        joined.extend_from_slice(&chunk);
    }
    assert!(joined == bytes[3..], "the streamed blob came back different");
    assert!(count > 1 && largest < bytes.len() / 2, "{count} chunks, the largest {largest} bytes");
}

/// Several nodes storing the same bytes at once leave one whole blob.
pub async fn concurrent_puts_of_one_blob_leave_it_whole(blobs: &dyn BlobStore) {
    let bytes = pattern(300_000, 3);
    let ids = join_all((0..6).map(|_| blobs.put(bytes.clone()))).await;
    for id in ids {
        assert_eq!(id.expect("put"), blob_id(&bytes));
    }
    assert_eq!(blobs.get(&blob_id(&bytes)).await.expect("get"), Some(bytes));
}

/// `bytes` as a stream of chunks of `size` bytes.
fn chunked(bytes: &[u8], size: usize) -> BlobStream {
    let chunks: Vec<std::io::Result<bytes::Bytes>> =
        bytes.chunks(size).map(|chunk| Ok(bytes::Bytes::copy_from_slice(chunk))).collect();
    futures_util::stream::iter(chunks).boxed()
}

/// A blob written as a stream, small or of many parts, gets the id of its bytes and reads
/// back whole; streaming bytes already stored changes nothing.
pub async fn streamed_blobs_are_stored_as_they_come(blobs: &dyn BlobStore) {
    let small = pattern(100_000, 4);
    let id = blobs.put_stream(chunked(&small, 4096)).await.expect("streamed");
    assert_eq!(id, blob_id(&small));
    assert_eq!(blobs.get(&id).await.expect("get"), Some(small.clone()));
    assert_eq!(blobs.put_stream(chunked(&small, 999)).await.expect("again"), id);
    let empty = blobs.put_stream(chunked(&[], 1)).await.expect("nothing streamed");
    assert_eq!((empty.clone(), blobs.len(&empty).await.expect("len")), (blob_id(&[]), Some(0)));

    let large = pattern(2 * MULTIPART_BYTES + 12_345, 5);
    let id = blobs.put_stream(chunked(&large, 64 * 1024)).await.expect("streamed in parts");
    assert_eq!(id, blob_id(&large));
    assert_eq!(blobs.len(&id).await.expect("len"), Some(large.len() as u64));
    let back = blobs.get(&id).await.expect("get").expect("there");
    assert!(back == large, "the streamed blob came back different");
    assert_eq!(blobs.put_stream(chunked(&large, 1024 * 1024)).await.expect("again"), id);
}

/// A stream that fails part way leaves nothing under the id of what came, nor of the whole.
pub async fn a_stream_that_fails_leaves_no_blob(blobs: &dyn BlobStore) {
    for length in [50_000, MULTIPART_BYTES + 50_000] {
        let bytes = pattern(length, 6);
        let half = length / 2;
        let failing = chunked(&bytes[..half], 8192)
            .chain(futures_util::stream::iter([Err(std::io::Error::other("the narration stopped"))]))
            .boxed();
        let error = blobs.put_stream(failing).await.expect_err("the stream failed");
        assert!(error.to_string().contains("the narration stopped"), "{error}");
        assert_eq!(blobs.get(&blob_id(&bytes[..half])).await.expect("get"), None);
        assert_eq!(blobs.get(&blob_id(&bytes)).await.expect("get"), None);
    }
}

/// A search finds the articles holding every word of it (or words they begin) in the
/// headline or the body, the headline counting more; it follows revisions and deletions,
/// combines with the filters, and no query is malformed.
pub async fn articles_are_found_by_their_words(store: &dyn Store) {
    let mut trams = article(
        "Night trams return to the harbour",
        "https://n.example/trams",
        "The council approved the late service after a year of complaints.",
    );
    trams.topics = vec![Topic::new("Transport")];
    trams.summary = vec!["Services run until two in the morning.".into()];
    let trams = store.save_article(new(trams, "a"), 100).await.expect("saved").record.id;
    let budget = article(
        "Budget vote delayed",
        "https://n.example/budget",
        "Members argued about money for trams and buses until midnight.",
    );
    let budget = store.save_article(new(budget, "b"), 101).await.expect("saved").record.id;
    let gardens =
        article("Gardens open", "https://n.example/gardens", "The botanical gardens reopen on Sunday.");
    let gardens = store.save_article(new(gardens, "c"), 102).await.expect("saved").record.id;

    let found = |text: &str, topic: Option<&str>| {
        let text = text.to_string();
        let query = ListQuery {
            text: Some(text.clone()),
            topic: topic.map(String::from),
            limit: 10,
            ..ListQuery::default()
        };
        async move {
            let page = store.list_articles(&query).await.expect("searched");
            assert_eq!(page.total, page.items.len() as i64, "{text:?}");
            page.items.iter().map(|r| r.id).collect::<Vec<_>>()
        }
    };
    // The headline counts more than the body; case does not count.
    assert_eq!(found("trams", None).await, [trams, budget]);
    assert_eq!(found("TRAMS", None).await, [trams, budget]);
    // A word finds the words it begins; every word must be there.
    assert_eq!(found("tram", None).await, [trams, budget]);
    assert_eq!(found("council trams", None).await, [trams]);
    assert_eq!(found("midnight", None).await, [budget]);
    assert_eq!(found("morning", None).await, [trams], "the summary is searched");
    assert_eq!(found("trams", Some("transport")).await, [trams]);
    assert!(found("ferries", None).await.is_empty());
    // Nothing in a query has a meaning but its words.
    for text in [
        "",
        "   ",
        "!!!",
        "\"",
        "trams\" OR \"",
        "NEAR(trams",
        "trams)",
        "-trams",
        "'; DROP TABLE articles; --",
    ] {
        let query = ListQuery { text: Some(text.into()), limit: 10, ..ListQuery::default() };
        let page = store.list_articles(&query).await.unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(page.items.iter().all(|r| r.id == trams || r.id == budget), "{text:?}");
    }
    // A revision's words replace the old ones; a deleted article is found no more.
    let revised = article("Night buses return", "https://n.example/trams", "Buses replace the late service.");
    store.save_article(new(revised, "d"), 103).await.expect("revised");
    assert_eq!(found("trams", None).await, [budget]);
    assert_eq!(found("buses", None).await, [trams, budget]);
    store.delete_article(budget).await.expect("deleted");
    assert!(found("midnight", None).await.is_empty());
    assert_eq!(found("gardens sunday", None).await, [gardens]);
}

/// An article of one paragraph at `url`.
pub fn article(headline: &str, url: &str, text: &str) -> Article {
    Article {
        headline: headline.into(),
        canonical_url: Some(url.into()),
        body: vec![Block::paragraph(text)],
        ..Article::default()
    }
}

/// `article` to store, with spoken-text digest `hash`.
pub fn new(article: Article, hash: &str) -> NewArticle {
    NewArticle { article, external_id: None, spoken_hash: hash.into(), publication: None }
}

async fn saved_id(store: &dyn Store, headline: &str, url: &str) -> Id {
    store.save_article(new(article(headline, url, "Text."), "h"), 1).await.expect("saved").record.id
}

/// A draft or scheduled article is stored and found by id, but listed (and counted in its
/// topic) only once published; a revision keeps the state unless it names one; scheduled
/// articles are published once, at their time; every change of state is in the change log.
pub async fn drafts_and_scheduled_articles_stay_out_of_reader_lists(store: &dyn Store) {
    let mut public = article("Open", "https://n.example/open", "Text.");
    public.topics = vec![Topic::new("Transport")];
    store.save_article(new(public, "h"), 10).await.expect("saved");
    let mut hidden = article("Embargoed", "https://n.example/embargo", "Text.");
    hidden.topics = vec![Topic::new("Transport")];
    let draft = NewArticle { publication: Some(Publication::Draft), ..new(hidden.clone(), "h") };
    let saved = store.save_article(draft, 11).await.expect("saved");
    let id = saved.record.id;
    assert_eq!((saved.record.publication(), saved.record.is_public()), (Publication::Draft, false));
    assert_eq!(store.article(id).await.expect("read").expect("found by id").status, "draft");

    let headlines = |page: Page<ArticleRecord>| -> Vec<String> {
        page.items.iter().map(|r| r.article.headline.clone()).collect()
    };
    let readers = ListQuery { limit: 10, ..ListQuery::default() };
    let staff = ListQuery { limit: 10, unpublished: true, ..ListQuery::default() };
    let searched = ListQuery { text: Some("embargoed".into()), limit: 10, ..ListQuery::default() };
    assert_eq!(headlines(store.list_articles(&readers).await.expect("list")), ["Open"]);
    assert_eq!(store.list_articles(&readers).await.expect("list").total, 1);
    assert!(store.list_articles(&searched).await.expect("list").items.is_empty(), "not found by a search");
    assert_eq!(store.list_articles(&staff).await.expect("list").total, 2);
    let transport = store.topics().await.expect("topics");
    assert_eq!(transport.iter().find(|t| t.slug == "transport").map(|t| t.articles), Some(1));

    // A revision that names no state keeps the draft; one that does changes it.
    hidden.body = vec![Block::paragraph("New text.")];
    let revised = store.save_article(new(hidden.clone(), "h2"), 12).await.expect("saved");
    assert_eq!(revised.record.publication(), Publication::Draft);
    let before = store.last_change().await.expect("log").map_or(0, |c| c.seq);
    let scheduled =
        NewArticle { publication: Some(Publication::Scheduled(100)), ..new(hidden.clone(), "h2") };
    let unchanged = store.save_article(scheduled, 13).await.expect("saved");
    assert_eq!(unchanged.outcome, SaveOutcome::Unchanged, "the text is the same");
    assert_eq!(unchanged.record.publication(), Publication::Scheduled(100));
    assert!(store.last_change().await.expect("log").map_or(0, |c| c.seq) > before, "logged");
    assert_eq!(store.list_articles(&readers).await.expect("list").total, 1);

    // Published at its time, by one caller only.
    assert!(store.publish_due(99).await.expect("due").is_empty());
    assert_eq!(store.publish_due(100).await.expect("due"), [id]);
    assert!(store.publish_due(101).await.expect("due").is_empty(), "once");
    assert_eq!(headlines(store.list_articles(&readers).await.expect("list")).len(), 2);
    assert_eq!(store.list_articles(&searched).await.expect("list").total, 1);

    // Unpublished again, by id; an unknown id is said.
    let before = store.last_change().await.expect("log").map_or(0, |c| c.seq);
    assert!(store.set_publication(id, Publication::Draft, 200).await.expect("set"));
    assert!(store.last_change().await.expect("log").map_or(0, |c| c.seq) > before, "logged");
    assert!(!store.set_publication(id + 1_000, Publication::Published, 200).await.expect("set"));
    assert_eq!(store.list_articles(&readers).await.expect("list").total, 1);
    let replaced = store
        .replace_article(
            id,
            NewArticle { publication: Some(Publication::Published), ..new(hidden, "h2") },
            201,
        )
        .await
        .expect("replaced")
        .expect("there");
    assert!(replaced.record.is_public());

    // An editor's voice for the article stays through revisions until it is cleared.
    assert_eq!(replaced.record.voice, None);
    assert!(store.set_article_voice(id, Some("kokoro:bf_emma")).await.expect("set"));
    assert!(!store.set_article_voice(id + 1_000, Some("x")).await.expect("set"));
    let mut revised = article("Embargoed", "https://n.example/embargo", "Newer text.");
    revised.topics = vec![Topic::new("Transport")];
    let kept = store.save_article(new(revised, "h3"), 300).await.expect("saved");
    assert_eq!(kept.record.voice.as_deref(), Some("kokoro:bf_emma"));
    assert!(store.set_article_voice(id, None).await.expect("cleared"));
    assert_eq!(store.article(id).await.expect("read").expect("there").voice, None);
}

/// The same URL or external id makes revisions, not duplicates; unchanged text makes nothing.
pub async fn revisions_not_duplicates(store: &dyn Store) {
    let first = store
        .save_article(new(article("Trams", "https://n.example/a", "One."), "h1"), 10)
        .await
        .expect("saved");
    assert_eq!(first.outcome, SaveOutcome::Created);
    assert_eq!((first.record.revision, first.record.slug.as_str()), (1, "trams"));
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
    assert_eq!((rewritten.record.created_at, rewritten.record.updated_at), (10, 13));
    let numbers: Vec<i64> = store.revisions(id).await.expect("revisions").iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    let back = store.article(id).await.expect("reads").expect("there");
    assert_eq!(back.article.body, vec![Block::paragraph("Two.")]);

    // An external id identifies an article even when its URL changes.
    let mut by_id = new(article("Budget", "https://n.example/b", "Text."), "h3");
    by_id.external_id = Some("cms-42".into());
    let budget = store.save_article(by_id.clone(), 14).await.expect("saved").record.id;
    by_id.article.canonical_url = Some("https://n.example/b-moved".into());
    by_id.article.headline = "Budget, revised".into();
    let moved = store.save_article(by_id, 15).await.expect("saved");
    assert_eq!((moved.record.id, moved.record.revision), (budget, 2));
    assert_eq!(moved.record.external_id.as_deref(), Some("cms-42"));
    // The publisher's names find it: its external id and its (new) address; an external id
    // wins over another article's address.
    assert_eq!(store.article_known_as("cms-42").await.expect("found"), Some(budget));
    assert_eq!(store.article_known_as("https://n.example/b-moved").await.expect("found"), Some(budget));
    assert_eq!(store.article_known_as("https://n.example/a").await.expect("found"), Some(id));
    assert_eq!(store.article_known_as("cms-43").await.expect("found"), None);
    let mut shadow = new(article("Shadow", "cms-42", "Text."), "h5");
    shadow.external_id = Some("cms-44".into());
    store.save_article(shadow, 15).await.expect("saved");
    assert_eq!(store.article_known_as("cms-42").await.expect("found"), Some(budget));
    assert_eq!(
        store.list_articles(&ListQuery { limit: 10, ..ListQuery::default() }).await.expect("list").total,
        3
    );

    // A replacement by id; an unknown id is None.
    let replaced =
        store.replace_article(id, new(article("Trams", "https://n.example/a", "Three."), "h4"), 16).await;
    assert_eq!(replaced.expect("replaced").expect("exists").record.revision, 4);
    let unknown = store.replace_article(id + 999, new(article("X", "https://x", "Y."), "h"), 16).await;
    assert!(unknown.expect("ok").is_none());
    assert!(store.article(id + 999).await.expect("reads").is_none());

    // Two articles cannot share a URL: moving one onto another's is a conflict.
    let other = saved_id(store, "Other", "https://n.example/c").await;
    let clash =
        store.replace_article(other, new(article("Other", "https://n.example/a", "X."), "h5"), 17).await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");
}

/// Articles newest first (by publication, else by arrival), paged, by topic and author, and
/// what follows a given article.
pub async fn listing_newest_first_with_filters(store: &dyn Store) {
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
    let nobody = ListQuery { author: Some("nobody".into()), limit: 10, ..ListQuery::default() };
    assert_eq!(store.list_articles(&nobody).await.expect("list").total, 0);
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
    assert_eq!(topics[1], TopicInfo { slug: "politics".into(), name: "Politics".into(), articles: 2 });
}

/// Deleting an article deletes its audio, jobs and comments; foreign keys hold.
pub async fn deleting_an_article_removes_what_hangs_on_it(store: &dyn Store) {
    let id = saved_id(store, "Gone", "https://n.example/g").await;
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
    assert_eq!(store.rendition(&key).await.expect("read"), Some(rendition.clone()));
    // Saving again replaces; only renditions of the current spoken text are listed.
    let longer = Rendition { bytes: 4, ..rendition.clone() };
    store.save_rendition(&longer).await.expect("rendition");
    let stale = Rendition { key: RenditionKey { spoken_hash: "old".into(), ..key.clone() }, ..rendition };
    store.save_rendition(&stale).await.expect("rendition");
    assert_eq!(store.renditions(id).await.expect("renditions"), [longer]);

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
    // A comment on a missing article is refused.
    assert!(store.add_comment(&comment, 2).await.is_err());
}

/// A narration is queued once per article and voice, jobs run in order, a failure retries
/// later or fails for good.
pub async fn jobs_queue_once_run_in_order_and_retry(store: &dyn Store) {
    let a = saved_id(store, "A", "https://n.example/a").await;
    let b = saved_id(store, "B", "https://n.example/b").await;
    let first = store.enqueue_narration(a, "piper:joe", 10).await.expect("queued");
    assert_eq!((first.state, first.attempts, first.kind.as_str()), (JobState::Queued, 0, "narrate"));
    assert_eq!(store.enqueue_narration(a, "piper:joe", 11).await.expect("same job").id, first.id);
    let second = store.enqueue_narration(b, "piper:joe", 12).await.expect("queued");
    assert!(store.claim_job(9, 1_000).await.expect("claim").is_none(), "nothing is due before its time");

    let claimed = store.claim_job(20, 1_000).await.expect("claim").expect("a job");
    assert_eq!((claimed.id, claimed.state, claimed.attempts), (first.id, JobState::Running, 1));
    assert_eq!(claimed.lease_until, Some(1_000));
    assert!(store.fail_job(first.id, 1, "engine busy", Some(40), 21).await.expect("retry later"));
    let next = store.claim_job(22, 1_000).await.expect("claim").expect("the other job");
    assert_eq!(next.id, second.id);
    assert!(store.claim_job(23, 1_000).await.expect("claim").is_none());
    assert!(store.finish_job(second.id, 1, 32).await.expect("done"));
    assert!(!store.finish_job(second.id, 1, 33).await.expect("ended already"), "a job ends once");
    let retried = store.claim_job(40, 1_000).await.expect("claim").expect("retry is due");
    assert_eq!(
        (retried.id, retried.attempts, retried.last_error.as_deref()),
        (first.id, 2, Some("engine busy"))
    );
    assert!(store.fail_job(first.id, 2, "broken voice", None, 41).await.expect("fail"));
    let counts = store.job_counts().await.expect("counts");
    assert_eq!(counts, [(JobState::Done, 1), (JobState::Failed, 1)]);
    let failed = &store.jobs_for_article(a).await.expect("jobs")[0];
    assert_eq!((failed.state, failed.lease_until), (JobState::Failed, None));
    // A finished narration does not stop a new one.
    let fresh = store.enqueue_narration(b, "piper:joe", 50).await.expect("queued");
    assert_ne!(fresh.id, second.id);
}

/// A running job is its worker's while the lease holds; when the lease runs out any worker
/// takes it, and the first worker can then neither renew it nor end it.
pub async fn leases_hold_jobs_and_run_out(store: &dyn Store) {
    let id = saved_id(store, "Leased", "https://n.example/leased").await;
    let job = store.enqueue_narration(id, "piper:joe", 10).await.expect("queued");
    let first = store.claim_job(20, 100).await.expect("claim").expect("the job");
    assert!(store.claim_job(50, 130).await.expect("claim").is_none(), "a live lease is never taken");
    assert!(store.renew_lease(job.id, 1, 200).await.expect("renewed"));
    assert!(store.claim_job(150, 230).await.expect("claim").is_none(), "the renewed lease holds");
    // The first worker's node stops without a word: its lease runs out.
    let second = store.claim_job(201, 300).await.expect("claim").expect("taken over");
    assert_eq!((second.id, second.attempts, second.lease_until), (first.id, 2, Some(300)));
    assert!(!store.renew_lease(job.id, 1, 400).await.expect("renew"), "the first claim is over");
    assert!(!store.finish_job(job.id, 1, 210).await.expect("finish"), "the first claim cannot end it");
    let read = store.job(job.id).await.expect("read").expect("job");
    assert_eq!((read.state, read.attempts), (JobState::Running, 2));
    assert!(store.finish_job(job.id, 2, 220).await.expect("finish"));
    assert_eq!(store.job(job.id).await.expect("read").expect("job").state, JobState::Done);
    // A worker that stops cleanly gives its job back at its place in the queue.
    let other = saved_id(store, "Back", "https://n.example/back").await;
    let queued = store.enqueue_narration(other, "piper:joe", 5).await.expect("queued");
    let held = store.claim_job(300, 400).await.expect("claim").expect("the job");
    assert!(
        store.fail_job(held.id, 1, "interrupted by a stop", Some(queued.run_after), 301).await.expect("back")
    );
    let again = store.claim_job(302, 500).await.expect("claim").expect("the job again");
    assert_eq!((again.id, again.attempts), (queued.id, 2));
    // Deleted with its article, a job's lease cannot be renewed.
    assert!(store.delete_article(other).await.expect("deleted"));
    assert!(!store.renew_lease(queued.id, 2, 600).await.expect("renew"));
}

/// Jobs of different kinds on one article stand apart (one open job per kind, article and
/// voice); failed jobs are listed newest first and queued again by a retry, unless the same
/// work is already waiting.
pub async fn kinds_of_jobs_stand_apart_and_dead_letters_are_retried(store: &dyn Store) {
    let a = saved_id(store, "A", "https://n.example/a").await;
    let b = saved_id(store, "B", "https://n.example/b").await;
    let narration = store.enqueue_narration(a, "piper:joe", 10).await.expect("queued");
    let images = store.enqueue_job(JobKind::Images, a, "", 11).await.expect("queued");
    assert_ne!(images.id, narration.id);
    assert_eq!((images.kind.as_str(), images.voice.as_str()), ("images", ""));
    assert_eq!(store.enqueue_job(JobKind::Images, a, "", 12).await.expect("same").id, images.id);
    assert_eq!(store.enqueue_job(JobKind::Narrate, a, "piper:joe", 12).await.expect("same").id, narration.id);
    let other = store.enqueue_job(JobKind::Images, b, "", 13).await.expect("queued");

    for (job, at) in [(&narration, 20), (&images, 21), (&other, 22)] {
        let claimed = store.claim_job(at, 1_000).await.expect("claim").expect("a job");
        assert_eq!(claimed.id, job.id);
        assert!(store.fail_job(job.id, 1, "gone wrong", None, at).await.expect("failed"));
    }
    assert!(store.jobs_in_state(JobState::Queued, 10).await.expect("list").is_empty());
    let dead = store.jobs_in_state(JobState::Failed, 10).await.expect("list");
    let ids: Vec<Id> = dead.iter().map(|job| job.id).collect();
    assert_eq!(ids, [other.id, images.id, narration.id], "the most recently failed first");
    assert_eq!(dead[0].last_error.as_deref(), Some("gone wrong"));
    assert_eq!(store.jobs_in_state(JobState::Failed, 1).await.expect("list").len(), 1);

    assert!(store.retry_job(images.id, 30).await.expect("retried"));
    let again = store.job(images.id).await.expect("read").expect("job");
    assert_eq!((again.state, again.attempts, again.run_after), (JobState::Queued, 0, 30));
    assert!(!store.retry_job(images.id, 31).await.expect("not failed"), "only a failed job is retried");
    assert!(!store.retry_job(9_999, 31).await.expect("no job"));
    // The same narration queued again since: retrying the dead one would run it twice.
    let fresh = store.enqueue_narration(a, "piper:joe", 32).await.expect("queued");
    assert_ne!(fresh.id, narration.id);
    assert!(!store.retry_job(narration.id, 33).await.expect("refused"));
    let taken = store.claim_job(40, 1_000).await.expect("claim").expect("the retried job");
    assert_eq!((taken.id, taken.attempts), (images.id, 1));
}

/// Tokens are found by hash with their scopes, note their use and are revoked by name or id.
pub async fn tokens_checked_by_hash_and_revoked(store: &dyn Store) {
    let ci = store.create_token("ci", "hash-1", "admin", None, 1).await.expect("created");
    assert_eq!((ci.scopes.as_str(), ci.user_id), ("admin", None));
    store.create_token("cms", "hash-2", "articles:write comments:moderate", None, 2).await.expect("created");
    assert!(store.create_token("again", "hash-1", "admin", None, 3).await.is_err(), "a hash is unique");
    let grant = |scopes: &str| Some(TokenGrant { scopes: scopes.into(), role: None, user: None });
    assert_eq!(store.check_token("hash-1", 100).await.expect("check"), grant("admin"));
    assert_eq!(
        store.check_token("hash-2", 100).await.expect("check"),
        grant("articles:write comments:moderate")
    );
    assert_eq!(store.check_token("hash-3", 100).await.expect("check"), None);
    assert!(store.revoke_token("cms", 101).await.expect("revoke"));
    assert_eq!(store.check_token("hash-2", 102).await.expect("check"), None);
    assert!(store.revoke_token(&ci.id.to_string(), 103).await.expect("revoke"));
    assert!(!store.revoke_token("nobody", 104).await.expect("revoke"));
    let listed = store.tokens().await.expect("list");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].last_used_at, Some(100));
    assert!(listed.iter().all(|t| t.revoked_at.is_some()));
}

/// Users are unique by name; wrong passwords lock an account at the limit; sessions last until
/// they expire, end, or the password changes.
pub async fn users_lock_out_and_keep_sessions_until_they_end(store: &dyn Store) {
    let ada = store.create_user("ada", "editor", "$argon2id$one", 10).await.expect("created");
    assert_eq!((ada.name.as_str(), ada.role.as_str(), ada.locked_until), ("ada", "editor", None));
    assert!(
        matches!(store.create_user("ada", "admin", "$argon2id$two", 11).await, Err(StoreError::Conflict(_))),
        "a name is unique"
    );
    store.create_user("bob", "moderator", "$argon2id$bob", 12).await.expect("created");
    let names: Vec<String> = store.users().await.expect("users").into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["ada", "bob"]);
    let login = store.user_login("ada").await.expect("login").expect("ada");
    assert_eq!(
        (login.user.id, login.password_hash.as_str(), login.failed_logins),
        (ada.id, "$argon2id$one", 0)
    );
    assert_eq!(store.user_login("nobody").await.expect("login"), None);

    // Two wrong, one right, then three wrong: the third in a row locks.
    for _ in 0..2 {
        assert_eq!(store.login_failed(ada.id, 3, 500).await.expect("counted"), None);
    }
    store.login_succeeded(ada.id).await.expect("reset");
    assert_eq!(store.login_failed(ada.id, 3, 500).await.expect("counted"), None);
    assert_eq!(store.login_failed(ada.id, 3, 500).await.expect("counted"), None);
    assert_eq!(store.user_login("ada").await.expect("login").expect("ada").failed_logins, 2);
    assert_eq!(store.login_failed(ada.id, 3, 500).await.expect("counted"), Some(500), "locked");
    let locked = store.user_login("ada").await.expect("login").expect("ada");
    assert_eq!((locked.user.locked_until, locked.failed_logins), (Some(500), 0));

    store.create_session("s-1", ada.id, 100, 200).await.expect("session");
    store.create_session("s-2", ada.id, 100, 200).await.expect("session");
    assert_eq!(store.session_user("s-1", 150).await.expect("user").map(|u| u.name).as_deref(), Some("ada"));
    assert_eq!(store.session_user("s-1", 200).await.expect("user"), None, "expired");
    assert_eq!(store.session_user("s-9", 150).await.expect("user"), None);
    store.end_session("s-1").await.expect("ended");
    assert_eq!(store.session_user("s-1", 150).await.expect("user"), None, "ended");
    assert!(store.session_user("s-2", 150).await.expect("user").is_some());

    // A new password lifts the lock and ends every session.
    assert!(store.set_password("ada", "$argon2id$new", 160).await.expect("set"));
    assert!(!store.set_password("nobody", "$argon2id$new", 160).await.expect("set"));
    let changed = store.user_login("ada").await.expect("login").expect("ada");
    assert_eq!((changed.password_hash.as_str(), changed.user.locked_until), ("$argon2id$new", None));
    assert_eq!(store.session_user("s-2", 161).await.expect("user"), None, "sessions end");
    // Expired sessions are swept when another starts.
    store.create_session("s-3", ada.id, 300, 400).await.expect("session");
    assert!(store.session_user("s-3", 301).await.expect("user").is_some());
}

/// A removed user's sessions and tokens stop working at once; tokens carry their user's role.
pub async fn removing_a_user_ends_their_sessions_and_tokens(store: &dyn Store) {
    let eve = store.create_user("eve", "moderator", "$argon2id$eve", 1).await.expect("created");
    let token =
        store.create_token("eve's", "hash-eve", "comments:moderate", Some(eve.id), 2).await.expect("token");
    assert_eq!(token.user_id, Some(eve.id));
    store.create_token("cli", "hash-cli", "admin", None, 2).await.expect("token");
    store.create_session("s-eve", eve.id, 3, 1_000).await.expect("session");
    assert_eq!(
        store.check_token("hash-eve", 4).await.expect("check"),
        Some(TokenGrant {
            scopes: "comments:moderate".into(),
            role: Some("moderator".into()),
            user: Some(eve.id)
        })
    );
    assert!(store.remove_user("eve", 5).await.expect("removed"));
    assert!(!store.remove_user("eve", 6).await.expect("removed once"));
    assert_eq!(store.check_token("hash-eve", 7).await.expect("check"), None, "the token is revoked");
    assert_eq!(store.session_user("s-eve", 7).await.expect("user"), None, "the session ended");
    assert!(store.check_token("hash-cli", 7).await.expect("check").is_some(), "others' tokens live on");
    assert!(store.users().await.expect("users").is_empty());
    let revoked =
        store.tokens().await.expect("tokens").into_iter().find(|t| t.name == "eve's").expect("kept");
    assert_eq!(revoked.revoked_at, Some(5));
}

/// Webhooks are kept with their secret and events, listed in order and deleted by id; their
/// deliveries are jobs of their own kind beside an article's narration.
pub async fn webhooks_are_kept_listed_and_deleted(store: &dyn Store) {
    let one = store
        .create_webhook("https://cms.example/hook", "whsec_a", "narration.ready", 1)
        .await
        .expect("kept");
    let two = store
        .create_webhook("https://ops.example/hook", "whsec_b", "narration.failed article.published", 2)
        .await
        .expect("kept");
    assert_eq!(
        (one.url.as_str(), one.secret.as_str(), one.events.as_str()),
        ("https://cms.example/hook", "whsec_a", "narration.ready")
    );
    assert_eq!(
        store.webhooks().await.expect("list").iter().map(|h| h.id).collect::<Vec<_>>(),
        [one.id, two.id]
    );
    assert_eq!(store.webhook(two.id).await.expect("read"), Some(two.clone()));
    assert!(store.delete_webhook(one.id).await.expect("deleted"));
    assert!(!store.delete_webhook(one.id).await.expect("deleted once"));
    assert_eq!(store.webhook(one.id).await.expect("read"), None);

    let id = saved_id(store, "Trams", "https://n.example/hooked").await;
    let narration = store.enqueue_job(JobKind::Narrate, id, "voice", 3).await.expect("queued");
    let delivery = store
        .enqueue_job(JobKind::Webhook, id, &format!("{} narration.ready", two.id), 3)
        .await
        .expect("queued");
    assert_ne!(narration.id, delivery.id);
    assert_eq!(delivery.kind, "webhook");
    let again = store
        .enqueue_job(JobKind::Webhook, id, &format!("{} narration.ready", two.id), 4)
        .await
        .expect("queued");
    assert_eq!(again.id, delivery.id, "one waiting delivery per hook, event and article");
}

/// Listening sums add up per article, day and metric, across writes and concurrent writers;
/// counts for an unpublished or unknown article are dropped; reads select by article and days.
pub async fn listen_counts_add_up_per_article_day_and_metric(store: &dyn Store) {
    let one = saved_id(store, "Trams", "https://n.example/listened").await;
    let two = saved_id(store, "Buses", "https://n.example/listened-too").await;
    let draft = store
        .save_article(
            NewArticle {
                publication: Some(Publication::Draft),
                ..new(article("Draft", "https://n.example/d", "T."), "h")
            },
            1,
        )
        .await
        .expect("saved")
        .record
        .id;
    let count = |article: Id, day: &str, metric: &str, value: i64| ListenCount {
        article_id: article,
        day: day.into(),
        metric: metric.into(),
        value,
    };
    let kept = store
        .add_listen_counts(&[
            count(one, "2026-12-01", "plays", 2),
            count(one, "2026-12-01", "voice:joe", 2),
            count(two, "2026-12-02", "plays", 1),
            count(draft, "2026-12-02", "plays", 1),
            count(one + 10_000, "2026-12-02", "plays", 1),
        ])
        .await
        .expect("added");
    assert_eq!(kept, 3, "the draft's and the unknown article's are dropped");
    // Many writers at once: every count is added.
    let five = [count(one, "2026-12-01", "plays", 5)];
    let batches = (0..8).map(|_| store.add_listen_counts(&five));
    for added in join_all(batches).await {
        assert_eq!(added.expect("added"), 1);
    }
    let all = ListenQuery { article: None, from: "2026-12-01".into(), to: "2026-12-31".into() };
    let read = store.listen_counts(&all).await.expect("read");
    assert_eq!(
        read,
        [
            count(one, "2026-12-01", "plays", 42),
            count(one, "2026-12-01", "voice:joe", 2),
            count(two, "2026-12-02", "plays", 1)
        ]
    );
    let only_two = ListenQuery { article: Some(two), ..all.clone() };
    assert_eq!(store.listen_counts(&only_two).await.expect("read"), [count(two, "2026-12-02", "plays", 1)]);
    let first_day = ListenQuery { to: "2026-12-01".into(), ..all };
    assert_eq!(store.listen_counts(&first_day).await.expect("read").len(), 2);
}

/// Utterances' speech is found by key, many keys at once; the first kept for a key stays.
pub async fn sentence_audio_is_found_by_key(store: &dyn Store) {
    let audio =
        |key: &str, blob: &str| SentenceAudio { key: key.into(), blob: blob.into(), words: "[]".into() };
    store.save_sentence_audio(&audio("k1", "b1"), 1).await.expect("kept");
    store.save_sentence_audio(&audio("k2", "b2"), 1).await.expect("kept");
    store.save_sentence_audio(&audio("k1", "other"), 2).await.expect("kept once");
    let mut found = store.sentence_audio(&["k1".into(), "k2".into(), "k3".into()]).await.expect("read");
    found.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(found, [audio("k1", "b1"), audio("k2", "b2")]);
    assert!(store.sentence_audio(&[]).await.expect("read").is_empty());
}

/// Lexicon entries are kept by written form (a second one replaces the first) and removed by
/// id; an article's spoken digest follows a lexicon change, on the article and its revision.
pub async fn lexicon_entries_are_kept_replaced_and_removed(store: &dyn Store) {
    let okafor = NewLexiconEntry {
        text: "Okafor".into(),
        say: Some("oh KAH for".into()),
        ..NewLexiconEntry::default()
    };
    let first = store.save_lexicon_entry(&okafor, 1).await.expect("kept");
    let pattern = NewLexiconEntry {
        text: "Ke?nyatta".into(),
        regex: true,
        ipa: Some("kɛnˈjɑːtə".into()),
        case_sensitive: true,
        example: Some("Kenyatta spoke.".into()),
        ..NewLexiconEntry::default()
    };
    store.save_lexicon_entry(&pattern, 2).await.expect("kept");
    let again = NewLexiconEntry { say: Some("oh KAY for".into()), ..okafor };
    let replaced = store.save_lexicon_entry(&again, 3).await.expect("replaced");
    assert_eq!(
        (replaced.id, replaced.say.as_deref(), replaced.updated_at),
        (first.id, Some("oh KAY for"), 3)
    );
    let entries = store.lexicon_entries().await.expect("read");
    assert_eq!(entries.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(), ["Ke?nyatta", "Okafor"]);
    assert_eq!(entries[0].as_given(), pattern);
    assert!(store.delete_lexicon_entry(first.id).await.expect("removed"));
    assert!(!store.delete_lexicon_entry(first.id).await.expect("removed once"));
    assert_eq!(store.lexicon_entries().await.expect("read").len(), 1);

    let id = saved_id(store, "Trams", "https://n.example/spoken").await;
    assert!(store.set_spoken_hash(id, "new-digest").await.expect("set"));
    assert!(!store.set_spoken_hash(id + 1_000, "x").await.expect("set"));
    assert_eq!(store.article(id).await.expect("read").expect("there").spoken_hash, "new-digest");
    assert_eq!(store.revisions(id).await.expect("revisions")[0].spoken_hash, "new-digest");

    // An editor's words for one sentence: set, replaced, removed; gone with the article.
    store.set_spoken_override(id, "Text.", Some("Texts."), 4).await.expect("set");
    store.set_spoken_override(id, "Text.", Some("The text."), 5).await.expect("replaced");
    store.set_spoken_override(id, "Other.", Some("Else."), 5).await.expect("set");
    let overrides = store.spoken_overrides(id).await.expect("read");
    assert_eq!(
        overrides,
        [
            SpokenOverride { written: "Other.".into(), spoken: "Else.".into() },
            SpokenOverride { written: "Text.".into(), spoken: "The text.".into() }
        ]
    );
    store.set_spoken_override(id, "Other.", None, 6).await.expect("removed");
    assert_eq!(store.spoken_overrides(id).await.expect("read").len(), 1);
    assert!(store.delete_article(id).await.expect("deleted"));
    assert!(store.spoken_overrides(id).await.expect("read").is_empty());
}

/// Feeds keep their validators, their schedule and the items already seen.
pub async fn feeds_remember_validators_and_items(store: &dyn Store) {
    let feed = store.save_feed("https://n.example/rss", 600, 10).await.expect("saved");
    assert_eq!(store.save_feed("https://n.example/rss", 300, 11).await.expect("saved").id, feed.id);
    assert!(store.claim_due_feed(9, 100).await.expect("claim").is_none(), "not due yet");
    let due = store.claim_due_feed(10, 100).await.expect("claim").expect("due");
    assert_eq!((due.id, due.next_poll_at), (feed.id, 100));
    assert!(store.claim_due_feed(50, 150).await.expect("claim").is_none(), "held while it is polled");
    let poll = FeedPoll { etag: Some("\"v1\"".into()), last_modified: None, next_poll_at: 310, error: None };
    store.feed_polled(feed.id, &poll).await.expect("polled");
    assert!(store.claim_due_feed(309, 400).await.expect("claim").is_none());
    assert_eq!(store.claim_due_feed(310, 400).await.expect("claim").map(|f| f.id), Some(feed.id));
    let read = store.feed(feed.id).await.expect("read").expect("feed");
    assert_eq!((read.interval_secs, read.etag.as_deref()), (300, Some("\"v1\"")));
    // A poll without validators keeps the old ones.
    let plain = FeedPoll { next_poll_at: 400, error: Some("timed out".into()), ..FeedPoll::default() };
    store.feed_polled(feed.id, &plain).await.expect("polled");
    let read = store.feed(feed.id).await.expect("read").expect("feed");
    assert_eq!((read.etag.as_deref(), read.last_error.as_deref()), (Some("\"v1\""), Some("timed out")));
    assert!(!store.feed_item_seen(feed.id, "guid-1").await.expect("seen"));
    store.save_feed_item(feed.id, "guid-1", None, 12).await.expect("item");
    store.save_feed_item(feed.id, "guid-1", None, 13).await.expect("item again");
    assert!(store.feed_item_seen(feed.id, "guid-1").await.expect("seen"));
    assert!(store.delete_feed(feed.id).await.expect("deleted"));
    assert!(store.feeds().await.expect("feeds").is_empty());
}

/// An image is found by its source address, or by the blob of its original or of a copy.
pub async fn images_found_by_source_or_by_any_copy(store: &dyn Store) {
    let original = "a".repeat(64);
    let small = "b".repeat(64);
    let image = ImageRecord {
        source_url: "https://n.example/tram.jpg".into(),
        blob: original.clone(),
        content_type: "image/jpeg".into(),
        width: 1600,
        height: 900,
        variants: vec![(480, small.clone())],
        created_at: 5,
    };
    store.save_image(&image).await.expect("saved");
    assert_eq!(store.image(&image.source_url).await.expect("read"), Some(image.clone()));
    assert_eq!(store.image_by_blob(&original).await.expect("read"), Some(image.clone()));
    assert_eq!(store.image_by_blob(&small).await.expect("read"), Some(image.clone()));
    assert_eq!(store.image_by_blob(&"c".repeat(64)).await.expect("read"), None);
    let resized = ImageRecord { width: 800, height: 450, variants: Vec::new(), ..image.clone() };
    store.save_image(&resized).await.expect("saved again");
    assert_eq!(store.image(&image.source_url).await.expect("read"), Some(resized));
    assert_eq!(store.image_by_blob(&small).await.expect("read"), None);
}

/// Comments list a page of top-level comments with their visible replies; states and the
/// duplicate check.
pub async fn comments_with_replies_and_moderation(store: &dyn Store) {
    let id = saved_id(store, "Trams", "https://n.example/t").await;
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
    assert!(!store.set_comment_state(waiting + 9_999, "visible").await.expect("missing"));
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

/// Many requests to narrate the same article with the same voice at once make one job.
pub async fn concurrent_enqueues_make_one_job(store: &dyn Store) {
    let id = saved_id(store, "Busy", "https://n.example/busy").await;
    let jobs = join_all((0..8).map(|i| store.enqueue_narration(id, "piper:joe", 10 + i))).await;
    let ids: std::collections::BTreeSet<Id> = jobs.into_iter().map(|job| job.expect("queued").id).collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(store.jobs_for_article(id).await.expect("jobs").len(), 1);
}

/// Many workers claiming at once each get a different job, and every job is taken.
pub async fn concurrent_claims_take_each_job_once(store: &dyn Store) {
    let mut queued = std::collections::BTreeSet::new();
    for i in 0..6 {
        let id = saved_id(store, &format!("Story {i}"), &format!("https://n.example/s{i}")).await;
        queued.insert(store.enqueue_narration(id, "piper:joe", 1).await.expect("queued").id);
    }
    let claims = join_all((0..10).map(|i| store.claim_job(10 + i, 1_000))).await;
    let claimed: Vec<Id> = claims.into_iter().filter_map(|c| c.expect("claim")).map(|job| job.id).collect();
    let distinct: std::collections::BTreeSet<Id> = claimed.iter().copied().collect();
    assert_eq!(claimed.len(), distinct.len(), "a job was claimed twice: {claimed:?}");
    assert_eq!(distinct, queued);
}

/// Many pollers at once each take a different due feed, and every due feed is taken.
pub async fn concurrent_pollers_take_each_due_feed_once(store: &dyn Store) {
    let mut due = std::collections::BTreeSet::new();
    for i in 0..3 {
        due.insert(store.save_feed(&format!("https://n.example/{i}.xml"), 600, 10).await.expect("saved").id);
    }
    store.save_feed("https://n.example/later.xml", 600, 500).await.expect("saved");
    let claims = join_all((0..8).map(|_| store.claim_due_feed(20, 1_000))).await;
    let taken: Vec<Id> = claims.into_iter().filter_map(|c| c.expect("claim")).map(|feed| feed.id).collect();
    let distinct: std::collections::BTreeSet<Id> = taken.iter().copied().collect();
    assert_eq!(taken.len(), distinct.len(), "a feed was taken twice: {taken:?}");
    assert_eq!(distinct, due);
}

/// A key's hits are refused past the limit within the window, with the oldest hit's time;
/// other keys are apart, and hits leave the window as time passes.
pub async fn hits_are_limited_per_key_in_a_sliding_window(store: &dyn Store) {
    let hit = |key: &'static str, now: Timestamp| store.record_hit(key, 2, now - 60, now);
    assert_eq!(hit("client-a", 100).await.expect("hit"), None);
    assert_eq!(hit("client-a", 130).await.expect("hit"), None);
    assert_eq!(hit("client-a", 140).await.expect("hit"), Some(100), "third within a minute");
    assert_eq!(hit("client-b", 140).await.expect("hit"), None, "another client");
    assert_eq!(hit("client-a", 161).await.expect("hit"), None, "the first hit left the window");
    assert_eq!(hit("client-a", 165).await.expect("hit"), Some(130));
}

/// Many hits on one key at once record no more than the limit.
pub async fn concurrent_hits_stay_within_the_limit(store: &dyn Store) {
    let hits = join_all((0..12).map(|_| store.record_hit("busy", 5, 0, 10))).await;
    let recorded = hits.into_iter().filter(|h| matches!(h, Ok(None))).count();
    assert_eq!(recorded, 5);
}

/// Every write that changes what a page shows is in the change log, numbered one after the
/// other, naming the article when only its pages changed; other writes are not.
pub async fn changes_are_logged_in_commit_order(store: &dyn Store) {
    let start = store.last_change().await.expect("last change").map_or(0, |c| c.seq);
    let since = |after: i64| async move { store.changes_since(after, 1_000).await.expect("changes") };
    let before_ms = chrono::Utc::now().timestamp_millis();
    let id = saved_id(store, "Piers", "https://n.example/piers").await;
    let added = since(start).await;
    assert!(!added.is_empty() && added.iter().all(|c| c.article.is_none()), "{added:?}");
    let after_ms = chrono::Utc::now().timestamp_millis();
    assert!(added.iter().all(|c| (before_ms - 1_000..=after_ms + 1_000).contains(&c.at_ms)), "{added:?}");
    let mut seen = added.last().expect("a change").seq;

    // Each of these changes the article's own pages only, once.
    let comment = NewComment {
        article_id: id,
        parent_id: None,
        name: "Ana".into(),
        body: "Hi".into(),
        state: "pending".into(),
    };
    let comment_id = store.add_comment(&comment, 1).await.expect("comment");
    assert!(store.set_comment_state(comment_id, "visible").await.expect("moderated"));
    let job = store.enqueue_narration(id, "v", 1).await.expect("queued");
    let claimed = store.claim_job(2, 100).await.expect("claim").expect("a job");
    assert!(store.renew_lease(job.id, claimed.attempts, 200).await.expect("renewed"));
    assert!(store.finish_job(job.id, claimed.attempts, 3).await.expect("finished"));
    let rendition = Rendition {
        key: RenditionKey { article: id, spoken_hash: "h".into(), voice: "v".into(), format: "mp3".into() },
        blob: "b".into(),
        bytes: 3,
        duration_ms: 1000,
        timings_blob: "t".into(),
        created_at: 1,
    };
    store.save_rendition(&rendition).await.expect("rendition");
    assert!(store.delete_comment(comment_id).await.expect("deleted"));
    let own = since(seen).await;
    let articles: Vec<Option<Id>> = own.iter().map(|c| c.article).collect();
    // Comment posted, shown, deleted; job queued, claimed, finished (not renewed); audio.
    assert_eq!(articles, vec![Some(id); 7], "{own:?}");
    seen = own.last().expect("a change").seq;

    // Writes no page shows leave no change.
    store.create_token("t", "hash", "admin", None, 1).await.expect("token");
    store.save_feed("https://n.example/feed.xml", 600, 1).await.expect("feed");
    store.record_hit("client", 5, 0, 1).await.expect("hit");
    assert!(since(seen).await.is_empty());

    // A kept image may be on any page; so may a deleted article, whose comments go with it.
    let image = ImageRecord {
        source_url: "https://n.example/p.jpg".into(),
        blob: "a".repeat(64),
        content_type: "image/jpeg".into(),
        width: 8,
        height: 6,
        variants: Vec::new(),
        created_at: 1,
    };
    store.save_image(&image).await.expect("image");
    store.add_comment(&comment, 4).await.expect("comment");
    assert!(store.delete_article(id).await.expect("deleted"));
    let wide = since(seen).await;
    assert_eq!(wide.first().map(|c| c.article), Some(None), "{wide:?}");
    assert_eq!(wide.last().map(|c| c.article), Some(None), "{wide:?}");
    assert!(wide.len() <= 3, "the deleted article's comment is not a change of its own: {wide:?}");

    // Numbered one after the other, and read a few at a time.
    let all = since(start).await;
    assert!(all.windows(2).all(|pair| pair[1].seq == pair[0].seq + 1), "{all:?}");
    assert_eq!(store.last_change().await.expect("last"), all.last().copied());
    let first_two = store.changes_since(start, 2).await.expect("changes");
    assert_eq!(first_two, all[..2]);
}

/// A reader following the log while many writers commit at once never sees a change before
/// one numbered lower: what it has read is all there is up to there.
pub async fn concurrent_writes_are_read_without_holes(store: &dyn Store) {
    let id = saved_id(store, "Busy", "https://n.example/busy").await;
    let start = store.last_change().await.expect("last change").map_or(0, |c| c.seq);
    let comment = |i: i64| NewComment {
        article_id: id,
        parent_id: None,
        name: format!("Reader {i}"),
        body: "Hi".into(),
        state: "visible".into(),
    };
    let writers = join_all((0..8).map(|w| async move {
        for i in 0..15 {
            store.add_comment(&comment(w * 100 + i), 1).await.expect("comment");
        }
    }));
    let reader = async {
        let mut seen = start;
        while seen < start + 120 {
            let changes = store.changes_since(seen, 1_000).await.expect("changes");
            if let Some(first) = changes.first() {
                assert_eq!(first.seq, seen + 1, "a change was read before one numbered lower");
                assert!(changes.windows(2).all(|pair| pair[1].seq == pair[0].seq + 1), "{changes:?}");
                seen = changes.last().map_or(seen, |c| c.seq);
            } else {
                tokio::task::yield_now().await;
            }
        }
        seen
    };
    let (_, seen) = futures_util::join!(writers, reader);
    assert_eq!(seen, start + 120);
}

/// Each user's library holds only what they saved: one article saved by two users is stored
/// once and linked to each, with each reader's own state and tags; removing it from one
/// library leaves it in the other; deleting a user or the article takes the items with it.
pub async fn libraries_are_each_users_own(store: &dyn Store) {
    let ann = store.create_user("ann", "reader", "$argon2id$ann", 1).await.expect("ann").id;
    let ben = store.create_user("ben", "reader", "$argon2id$ben", 1).await.expect("ben").id;
    let shared = saved_id(store, "Shared story", "https://n.example/shared").await;
    let own = saved_id(store, "Ann's own", "https://n.example/own").await;
    let tags = |names: &[&str]| names.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    assert!(store.add_to_library(ann, shared, 10, false, false, &tags(&["city"]), 10).await.expect("added"));
    assert!(store.add_to_library(ann, own, 11, true, true, &[], 12).await.expect("added"));
    assert!(store.add_to_library(ben, shared, 20, false, true, &tags(&["later"]), 20).await.expect("added"));
    // Saved again: the item keeps its state and gains the tags.
    assert!(
        !store.add_to_library(ann, shared, 30, true, true, &tags(&["transport"]), 30).await.expect("again")
    );
    let item = store.library_item(ann, shared).await.expect("read").expect("there");
    assert_eq!((item.saved_at, item.archived_at, item.favourite, item.read_at), (10, None, false, None));
    let archived = store.library_item(ann, own).await.expect("read").expect("there");
    assert_eq!((archived.archived_at, archived.favourite), (Some(12), true));
    assert_eq!(store.library_item(ben, own).await.expect("read"), None, "ben never saved it");

    let all = |user: Id| LibraryQuery { user, shelf: Shelf::All, limit: 10, ..LibraryQuery::default() };
    let ids = |page: Page<LibraryEntry>| page.items.iter().map(|e| e.article.id).collect::<Vec<_>>();
    assert_eq!(ids(store.library(&all(ann)).await.expect("listed")), [own, shared]);
    assert_eq!(ids(store.library(&all(ben)).await.expect("listed")), [shared]);
    let page = store.library(&all(ann)).await.expect("listed");
    assert_eq!(page.items[1].tags, ["city", "transport"]);
    assert_eq!(store.library(&all(ben)).await.expect("listed").items[0].tags, ["later"]);
    assert_eq!(store.library_tags(ann).await.expect("tags"), [("city".into(), 1), ("transport".into(), 1)]);
    // The site's own lists can be kept to one library.
    let listed = |member: Id| {
        let query = ListQuery { member: Some(member), limit: 10, ..ListQuery::default() };
        async move {
            store.list_articles(&query).await.expect("listed").items.iter().map(|r| r.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(ann).await, [own, shared]);
    assert_eq!(listed(ben).await, [shared]);

    // State changes touch one reader's item only; an item the user lacks is refused.
    let read = ItemChange { read: Some(true), archived: Some(true), ..ItemChange::default() };
    assert!(store.change_item(ben, shared, read, 40).await.expect("changed"));
    assert!(!store.change_item(ben, own, read, 40).await.expect("refused"));
    let item = store.library_item(ben, shared).await.expect("read").expect("there");
    assert_eq!((item.read_at, item.archived_at, item.favourite), (Some(40), Some(40), true));
    // Setting a state already set keeps its time; clearing it clears it.
    assert!(store.change_item(ben, shared, read, 50).await.expect("again"));
    assert_eq!(store.library_item(ben, shared).await.expect("read").expect("there").read_at, Some(40));
    let unread = ItemChange { read: Some(false), archived: Some(false), favourite: Some(false) };
    assert!(store.change_item(ben, shared, unread, 60).await.expect("cleared"));
    let item = store.library_item(ben, shared).await.expect("read").expect("there");
    assert_eq!((item.read_at, item.archived_at, item.favourite), (None, None, false));
    assert!(!store.library_item(ann, shared).await.expect("read").expect("there").favourite);

    // Where each reader is in the narration is their own.
    assert!(store.set_position(ann, shared, 7, 41_500, 35).await.expect("kept"));
    assert!(!store.set_position(ben, own, 1, 1, 35).await.expect("not his"));
    let item = store.library_item(ann, shared).await.expect("read").expect("there");
    assert_eq!((item.position_sentence, item.position_ms), (Some(7), Some(41_500)));
    assert_eq!(store.library_item(ben, shared).await.expect("read").expect("there").position_sentence, None);
    // Highlights are each reader's own, and only on their own items.
    let highlight = |user: Id, article: Id, quote: &str| NewHighlight {
        user,
        article,
        revision: 1,
        quote: quote.into(),
        prefix: "The ".into(),
        suffix: " said".into(),
        note: "check this".into(),
    };
    let kept = store.add_highlight(&highlight(ann, shared, "council"), 36).await.expect("kept");
    assert_eq!((kept.quote.as_str(), kept.note.as_str(), kept.revision), ("council", "check this", 1));
    assert!(
        store.add_highlight(&highlight(ben, own, "not his"), 36).await.is_err(),
        "not on an item of another's"
    );
    store.add_highlight(&highlight(ben, shared, "his own"), 36).await.expect("ben's");
    let anns: Vec<String> =
        store.highlights(ann, shared).await.expect("read").into_iter().map(|h| h.quote).collect();
    assert_eq!(anns, ["council"]);
    assert!(!store.delete_highlight(ben, kept.id).await.expect("not his"));
    assert!(store.delete_highlight(ann, kept.id).await.expect("hers"));
    assert!(store.highlights(ann, shared).await.expect("read").is_empty());
    // The listen queue: in order, reordered, each reader's own, only their items.
    assert!(store.enqueue(ann, shared, 37).await.expect("queued"));
    assert!(store.enqueue(ann, own, 38).await.expect("queued"));
    assert!(!store.enqueue(ann, shared, 39).await.expect("once"));
    assert!(store.enqueue(ben, own, 39).await.is_err(), "not an item of his");
    assert_eq!(store.queue(ann).await.expect("queue"), [shared, own]);
    store.reorder_queue(ann, &[own, 9_999]).await.expect("reordered");
    assert_eq!(store.queue(ann).await.expect("queue"), [own, shared]);
    assert!(store.queue(ben).await.expect("queue").is_empty());
    assert!(store.dequeue(ann, own).await.expect("out"));
    assert!(!store.dequeue(ann, own).await.expect("once"));
    assert_eq!(store.queue(ann).await.expect("queue"), [shared]);
    assert!(store.enqueue(ann, own, 40).await.expect("queued again"));
    assert_eq!(store.queue(ann).await.expect("queue"), [shared, own], "at the end");
    assert_eq!(store.item_tags(ann, shared).await.expect("tags"), ["city", "transport"]);
    assert!(store.set_item_tags(ann, shared, &tags(&["news"])).await.expect("tagged"));
    assert_eq!(store.item_tags(ann, shared).await.expect("tags"), ["news"]);
    assert!(!store.set_item_tags(ben, own, &tags(&["news"])).await.expect("refused"));
    assert_eq!(store.library_tags(ann).await.expect("tags"), [("news".into(), 1)]);

    assert!(store.remove_from_library(ann, shared).await.expect("removed"));
    assert!(!store.remove_from_library(ann, shared).await.expect("gone"));
    assert_eq!(ids(store.library(&all(ben)).await.expect("listed")), [shared], "still ben's");
    assert!(store.article(shared).await.expect("read").is_some(), "the article stays");
    assert!(store.library_tags(ann).await.expect("tags").is_empty(), "its tags went with it");

    assert!(store.delete_article(own).await.expect("deleted"));
    assert!(ids(store.library(&all(ann)).await.expect("listed")).is_empty());
    assert!(store.remove_user("ben", 70).await.expect("removed"));
    assert_eq!(store.library_item(ben, shared).await.expect("read"), None);
}

/// A library list shows one shelf (unread, archive, favourites or all), one tag, the items
/// holding every word of a search (best first), in the order asked: saved date either way,
/// length, or listen time (narrated first).
pub async fn library_lists_by_shelf_tag_search_and_order(store: &dyn Store) {
    let ann = store.create_user("ann", "reader", "$argon2id$ann", 1).await.expect("ann").id;
    let short = store
        .save_article(new(article("Ferry fares", "https://n.example/ferry", "Fares rise."), "f"), 1)
        .await
        .expect("saved")
        .record
        .id;
    let long_text = "The council met for six hours to talk about the harbour and its ferries. ".repeat(20);
    let long = store
        .save_article(new(article("Harbour plan", "https://n.example/harbour", &long_text), "h"), 1)
        .await
        .expect("saved")
        .record
        .id;
    let middle = store
        .save_article(
            new(
                article(
                    "Night trams",
                    "https://n.example/trams",
                    "Trams run until two in the morning again.",
                ),
                "t",
            ),
            1,
        )
        .await
        .expect("saved")
        .record
        .id;
    store.add_to_library(ann, short, 100, false, true, &["money".into()], 100).await.expect("added");
    store.add_to_library(ann, long, 300, false, false, &[], 300).await.expect("added");
    store.add_to_library(ann, middle, 200, true, false, &["money".into()], 200).await.expect("added");
    store
        .save_rendition(&Rendition {
            key: RenditionKey {
                article: short,
                spoken_hash: "f".into(),
                voice: "v".into(),
                format: "mp3".into(),
            },
            blob: "b".into(),
            bytes: 1,
            duration_ms: 9_000,
            timings_blob: "t".into(),
            created_at: 1,
        })
        .await
        .expect("rendition");

    let list = |shelf: Shelf, sort: LibrarySort, tag: Option<&str>, text: Option<&str>| {
        let query = LibraryQuery {
            user: ann,
            shelf,
            sort,
            tag: tag.map(String::from),
            text: text.map(String::from),
            limit: 10,
            offset: 0,
        };
        async move {
            let page = store.library(&query).await.expect("listed");
            assert_eq!(page.total, page.items.len() as i64);
            page.items.iter().map(|e| e.article.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(list(Shelf::Unread, LibrarySort::Saved, None, None).await, [long, short]);
    assert_eq!(list(Shelf::Archive, LibrarySort::Saved, None, None).await, [middle]);
    assert_eq!(list(Shelf::Favourites, LibrarySort::Saved, None, None).await, [short]);
    assert_eq!(list(Shelf::All, LibrarySort::Saved, None, None).await, [long, middle, short]);
    assert_eq!(list(Shelf::All, LibrarySort::SavedOldest, None, None).await, [short, middle, long]);
    assert_eq!(list(Shelf::All, LibrarySort::Longest, None, None).await, [long, middle, short]);
    assert_eq!(list(Shelf::All, LibrarySort::Shortest, None, None).await, [short, middle, long]);
    assert_eq!(list(Shelf::All, LibrarySort::Listen, None, None).await[0], short, "narrated first");
    assert_eq!(list(Shelf::All, LibrarySort::Saved, Some("money"), None).await, [middle, short]);
    assert_eq!(list(Shelf::All, LibrarySort::Saved, None, Some("harbour")).await, [long]);
    assert_eq!(list(Shelf::All, LibrarySort::Saved, None, Some("tram MORNING")).await, [middle]);
    assert_eq!(list(Shelf::Unread, LibrarySort::Saved, None, Some("trams")).await, Vec::<Id>::new());
    assert_eq!(list(Shelf::All, LibrarySort::Saved, None, Some("\"'*")).await, Vec::<Id>::new());
    let page = store
        .library(&LibraryQuery { user: ann, shelf: Shelf::All, limit: 10, ..LibraryQuery::default() })
        .await
        .expect("listed");
    let listen: Vec<Option<i64>> = page.items.iter().map(|e| e.listen_ms).collect();
    assert_eq!(listen, [None, None, Some(9_000)]);
    let paged = store
        .library(&LibraryQuery {
            user: ann,
            shelf: Shelf::All,
            limit: 1,
            offset: 1,
            ..LibraryQuery::default()
        })
        .await
        .expect("listed");
    assert_eq!(
        (paged.total, paged.items.iter().map(|e| e.article.id).collect::<Vec<_>>()),
        (3, vec![middle])
    );
}

/// Saves wait in their own queue: claimed once under a lease, oldest first, never two of one
/// host at a time nor one sooner than the gap after the last; a failure is queued again or
/// kept as failed, a done save names its article and drops the page it carried.
pub async fn saves_are_claimed_once_per_host_at_a_time(store: &dyn Store) {
    let ann = store.create_user("ann", "reader", "$argon2id$ann", 1).await.expect("ann").id;
    let ben = store.create_user("ben", "reader", "$argon2id$ben", 1).await.expect("ben").id;
    let save = |url: &str, host: &str| NewSave {
        user: ann,
        url: Some(url.into()),
        host: host.into(),
        saved_at: 5,
        tags: vec!["later".into()],
        ..NewSave::default()
    };
    let first = store.queue_save(&save("https://a.example/1", "a.example"), 10).await.expect("queued");
    let second = store.queue_save(&save("https://a.example/2", "a.example"), 10).await.expect("queued");
    let other = store.queue_save(&save("https://b.example/1", "b.example"), 11).await.expect("queued");
    let text = store
        .queue_save(
            &NewSave {
                user: ann,
                page: Some("Pasted".into()),
                page_kind: Some("text".into()),
                saved_at: 12,
                ..NewSave::default()
            },
            12,
        )
        .await
        .expect("queued");
    assert_eq!(
        (first.state, first.tags.clone(), first.attempts),
        (JobState::Queued, vec!["later".to_string()], 0)
    );

    let claimed = store.claim_save(20, 50, 5).await.expect("claimed").expect("one");
    assert_eq!((claimed.id, claimed.state, claimed.attempts), (first.id, JobState::Running, 1));
    // Its host is busy: the next is another host's.
    assert_eq!(store.claim_save(20, 50, 5).await.expect("claimed").expect("one").id, other.id);
    assert_eq!(store.claim_save(20, 50, 5).await.expect("claimed").expect("one").id, text.id, "no host");
    assert_eq!(store.claim_save(20, 50, 5).await.expect("claimed"), None);

    let article = saved_id(store, "Saved", "https://a.example/1").await;
    assert!(store.finish_save(first.id, 1, article, 30).await.expect("done"));
    assert!(!store.finish_save(first.id, 1, article, 30).await.expect("once"));
    // The host's gap is not over yet; then it is.
    assert_eq!(store.claim_save(32, 60, 5).await.expect("claimed"), None);
    let again = store.claim_save(36, 60, 5).await.expect("claimed").expect("one");
    assert_eq!(again.id, second.id);
    assert!(store.fail_save(again.id, 1, "refused", Some(100), 40).await.expect("failed"));
    assert!(store.fail_save(text.id, 1, "no text", None, 40).await.expect("failed"));

    let done = store.save_of(first.id).await.expect("read").expect("there");
    assert_eq!((done.state, done.article_id, done.page.clone()), (JobState::Done, Some(article), None));
    let open: Vec<(Id, JobState)> =
        store.open_saves(ann, 10).await.expect("open").iter().map(|s| (s.id, s.state)).collect();
    assert_eq!(
        open,
        [(text.id, JobState::Failed), (other.id, JobState::Running), (second.id, JobState::Queued)]
    );
    // The newest first, as many as asked; the count is of them all.
    let newest: Vec<Id> = store.open_saves(ann, 2).await.expect("open").iter().map(|s| s.id).collect();
    assert_eq!(newest, [text.id, other.id]);
    assert_eq!(store.count_open_saves(ann).await.expect("count"), 3);
    assert!(store.open_saves(ben, 10).await.expect("open").is_empty());
    assert_eq!(store.count_open_saves(ben).await.expect("count"), 0);
    // The run: every save made or finished since the oldest one still waiting was made.
    let progress = |total, done, failed| SaveProgress { total, done, failed };
    assert_eq!(store.save_progress(ann).await.expect("progress"), progress(4, 1, 1));
    assert_eq!(store.save_progress(ben).await.expect("progress"), progress(0, 0, 0));
    // A lease that ran out is taken again; a queued retry waits for its time.
    let retaken = store.claim_save(60, 200, 5).await.expect("claimed").expect("one");
    assert_eq!((retaken.id, retaken.attempts), (other.id, 2));
    assert_eq!(store.claim_save(60, 200, 5).await.expect("claimed"), None);
    assert_eq!(store.claim_save(100, 200, 5).await.expect("claimed").expect("one").id, second.id);
    assert!(store.finish_save(other.id, 2, article, 110).await.expect("done"));
    assert_eq!(store.save_progress(ann).await.expect("progress"), progress(4, 2, 1));
    assert!(store.finish_save(second.id, 2, article, 120).await.expect("done"));
    assert_eq!(store.save_progress(ann).await.expect("progress"), progress(0, 0, 0), "nothing under way");
    // A save made later starts a run of its own; older ones finished before it are not in it.
    let later = store.queue_save(&save("https://c.example/1", "c.example"), 200).await.expect("queued");
    assert_eq!(store.save_progress(ann).await.expect("progress"), progress(1, 0, 0));
    assert!(store.remove_save(ann, later.id).await.expect("removed"));

    assert!(!store.remove_save(ben, text.id).await.expect("not ben's"));
    assert!(store.remove_save(ann, text.id).await.expect("removed"));
    assert_eq!(store.save_of(text.id).await.expect("read"), None);
}

/// Each user's reading comfort is kept as written, `{}` until set.
pub async fn reading_preferences_are_kept_per_user(store: &dyn Store) {
    let ann = store.create_user("ann", "reader", "$argon2id$ann", 1).await.expect("ann").id;
    let ben = store.create_user("ben", "reader", "$argon2id$ben", 1).await.expect("ben").id;
    assert_eq!(store.reading_prefs(ann).await.expect("read").as_deref(), Some("{}"));
    assert!(store.set_reading_prefs(ann, r#"{"theme":"dark"}"#).await.expect("kept"));
    assert_eq!(store.reading_prefs(ann).await.expect("read").as_deref(), Some(r#"{"theme":"dark"}"#));
    assert_eq!(store.reading_prefs(ben).await.expect("read").as_deref(), Some("{}"), "ben's own");
    assert!(!store.set_reading_prefs(9_999, "{}").await.expect("no user"));
    assert_eq!(store.reading_prefs(9_999).await.expect("read"), None);
}
