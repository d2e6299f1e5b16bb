//! Following the store's change log, so that what a node keeps in memory (rendered pages and
//! documents) is never shown after the data behind it changed, on any node.
//!
//! A node trusts what it keeps only while its *lease* holds: for [`LEASE`] after it last
//! began reading the log (every change committed before that read began is applied). A
//! request that finds the lease run out reads the log first, one read serving every request
//! waiting for it; a request that finds it half spent starts a read in the background and
//! goes on. A write is answered only once every node's view includes it: the writing node
//! reads the log at once, and when other nodes may serve pages from the database it waits out
//! one lease, after which each of them has either read the change or stopped trusting what it
//! keeps.
//!
//! What a node keeps of a page is kept under the page's *version*, the number of the last
//! change read that touched it ([`ChangeFeed::version`]): a change naming an article touches
//! that article's pages, any other change every page.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use lector_store::{Change, Id, Store, StoreError};

/// How long a node trusts what it keeps after it began reading the change log, and how long a
/// write on a shared database waits before it is answered.
pub const LEASE: Duration = Duration::from_millis(50);

/// Changes read from the log at a time.
const BATCH: u32 = 1_000;

/// Not read yet.
const UNSET: i64 = -1;

/// One node's view of the change log.
#[derive(Debug)]
pub struct ChangeFeed {
    store: Arc<dyn Store>,
    /// Whether other nodes may serve pages from the database (so writes wait out a lease).
    shared: bool,
    origin: Instant,
    /// The number of the last change applied; [`UNSET`] before the first read.
    applied: AtomicI64,
    /// When the last read that succeeded began, in nanoseconds after `origin`; 0 for never.
    read_at: AtomicU64,
    /// The last change that touched every page, and its time (milliseconds).
    site: AtomicI64,
    site_at_ms: AtomicI64,
    /// The last change of each article changed since `site`, and its time.
    articles: RwLock<HashMap<Id, (i64, i64)>>,
    /// One read at a time.
    reading: tokio::sync::Mutex<()>,
    /// A background read has been started and not finished.
    refreshing: AtomicBool,
}

impl ChangeFeed {
    /// A view that has read nothing yet; `shared` when other nodes may serve pages from the
    /// same database (PostgreSQL; beside a worker node), so that writes wait out a lease.
    pub fn new(store: Arc<dyn Store>, shared: bool) -> ChangeFeed {
        ChangeFeed {
            store,
            shared,
            origin: Instant::now(),
            applied: AtomicI64::new(UNSET),
            read_at: AtomicU64::new(0),
            site: AtomicI64::new(0),
            site_at_ms: AtomicI64::new(0),
            articles: RwLock::new(HashMap::new()),
            reading: tokio::sync::Mutex::new(()),
            refreshing: AtomicBool::new(false),
        }
    }

    fn clock(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX).max(1)
    }

    /// Whether the lease holds now.
    pub fn trusted(&self) -> bool {
        let read_at = self.read_at.load(Ordering::Acquire);
        read_at != 0 && self.clock().saturating_sub(read_at) < LEASE.as_nanos() as u64
    }

    /// Makes sure the lease holds, reading the log when it ran out (and in the background
    /// when it is half spent); false when the log cannot be read, and nothing kept may be
    /// trusted.
    pub async fn fresh(self: &Arc<Self>) -> bool {
        let read_at = self.read_at.load(Ordering::Acquire);
        let age = self.clock().saturating_sub(read_at);
        if read_at != 0 && age < LEASE.as_nanos() as u64 {
            if age > LEASE.as_nanos() as u64 / 2 && !self.refreshing.swap(true, Ordering::AcqRel) {
                let feed = Arc::clone(self);
                tokio::spawn(async move {
                    if let Err(e) = feed.read_after(feed.clock()).await {
                        tracing::warn!("reading the change log: {e}");
                    }
                    feed.refreshing.store(false, Ordering::Release);
                });
            }
            return true;
        }
        match self.read_after(self.clock()).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!("reading the change log: {e}");
                false
            }
        }
    }

    /// Reads the log, or waits for a read that began at `asked` or later.
    async fn read_after(&self, asked: u64) -> Result<(), StoreError> {
        let _one = self.reading.lock().await;
        if self.read_at.load(Ordering::Acquire) >= asked {
            return Ok(());
        }
        let began = self.clock();
        if self.applied.load(Ordering::Acquire) == UNSET {
            // What was written before this node looked is older than anything it keeps; its
            // pages date from the newest change (or from now, when there is none).
            let last = self.store.last_change().await?;
            let at_ms = last.map_or_else(now_ms, |c| c.at_ms);
            self.site_at_ms.store(at_ms, Ordering::Release);
            self.applied.store(last.map_or(0, |c| c.seq), Ordering::Release);
        }
        loop {
            let after = self.applied.load(Ordering::Acquire);
            let changes = self.store.changes_since(after, BATCH).await?;
            self.apply(after, &changes);
            if changes.len() < BATCH as usize {
                break;
            }
        }
        self.read_at.store(began, Ordering::Release);
        Ok(())
    }

    fn apply(&self, after: i64, changes: &[Change]) {
        let Some(last) = changes.last() else { return };
        let mut articles = self.articles.write().unwrap_or_else(|e| e.into_inner());
        if changes[0].seq != after + 1 {
            // Changes were forgotten before this node read them: anything kept may be stale.
            self.site.store(changes[0].seq - 1, Ordering::Release);
            self.site_at_ms.store(changes[0].at_ms, Ordering::Release);
            articles.clear();
        }
        for change in changes {
            match change.article {
                None => {
                    self.site.store(change.seq, Ordering::Release);
                    self.site_at_ms.fetch_max(change.at_ms, Ordering::AcqRel);
                    // What each article kept is older than this: the site's change decides.
                    articles.clear();
                }
                Some(id) => {
                    let at_ms = articles.get(&id).map_or(change.at_ms, |&(_, at)| at.max(change.at_ms));
                    articles.insert(id, (change.seq, at_ms));
                }
            }
        }
        self.applied.store(last.seq, Ordering::Release);
    }

    /// The number of the last change read that touched `article`'s pages (or, for `None`,
    /// every page): what is kept of those pages is kept under it, so a change makes it a key
    /// of its own. A copy made after reading the log shows at least what it names.
    pub fn version(&self, article: Option<Id>) -> i64 {
        let site = self.site.load(Ordering::Acquire);
        let Some(id) = article else { return site };
        let articles = self.articles.read().unwrap_or_else(|e| e.into_inner());
        articles.get(&id).map_or(site, |&(seq, _)| seq.max(site))
    }

    /// When what `article`'s pages show (or any page, for `None`) last changed, as far as
    /// this node knows, in milliseconds since 1970.
    pub fn changed_at_ms(&self, article: Option<Id>) -> i64 {
        let site = self.site_at_ms.load(Ordering::Acquire);
        let Some(id) = article else { return site };
        let articles = self.articles.read().unwrap_or_else(|e| e.into_inner());
        articles.get(&id).map_or(site, |&(_, at)| at.max(site))
    }

    /// The number of the last change read, for a write about to be made: see
    /// [`ChangeFeed::after_write`].
    pub fn before_write(&self) -> i64 {
        self.applied.load(Ordering::Acquire)
    }

    /// Called once a write has been made, before it is answered: reads the log, so that this
    /// node shows the write at once, and when something changed since `before` (taken with
    /// [`ChangeFeed::before_write`] before the write began) on a database other nodes share,
    /// waits out one lease, so that they show it too.
    pub async fn after_write(&self, before: i64) {
        let began = Instant::now();
        let read = self.read_after(self.clock()).await;
        if let Err(e) = &read {
            tracing::warn!("reading the change log after a write: {e}");
        }
        if self.shared && (read.is_err() || self.applied.load(Ordering::Acquire) > before) {
            tokio::time::sleep(LEASE.saturating_sub(began.elapsed())).await;
        }
    }
}

/// Now, in milliseconds since 1970.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
