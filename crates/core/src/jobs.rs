//! The workers: take due jobs (narrations, images to keep) from the store's queue under a
//! lease that they renew while they work, and retry failures with exponential backoff. A job
//! interrupted by a stop goes back to the queue at once; after a crash its lease runs out and
//! any node takes it.

use std::time::Duration;

use lector_store::{Job, JobKind, StoreError};
use tokio::task::JoinHandle;

use crate::context::{Core, now};
use crate::images;
use crate::metrics::Metrics;
use crate::narration::{self, NarrationError};
use crate::webhooks;

/// Starts the configured number of workers; they return when the server is stopping.
pub fn spawn_workers(core: &Core) -> Vec<JoinHandle<()>> {
    (0..core.config.jobs.concurrency).map(|_| tokio::spawn(worker(core.clone()))).collect()
}

/// Takes the next job that is due (or whose lease ran out) under a lease of `jobs.lease_secs`.
pub async fn claim(core: &Core) -> Result<Option<Job>, StoreError> {
    let now = now();
    core.store.claim_job(now, now + lease_secs(core)).await
}

fn lease_secs(core: &Core) -> i64 {
    i64::try_from(core.config.jobs.lease_secs).unwrap_or(30)
}

/// Renews the job's lease every third of it while `work` runs. A lease found lost (the job
/// was taken over after this node stalled past it) is logged; the work still ends, and what
/// it records is refused by the store.
async fn holding_lease<T>(core: &Core, job: &Job, work: impl Future<Output = T>) -> T {
    let lease = lease_secs(core);
    let period = Duration::from_secs(u64::try_from(lease / 3).unwrap_or(1).max(1));
    let mut tick = tokio::time::interval(period);
    tick.tick().await;
    tokio::pin!(work);
    let mut held = true;
    loop {
        tokio::select! {
            outcome = &mut work => return outcome,
            _ = tick.tick(), if held => {
                match core.store.renew_lease(job.id, job.attempts, now() + lease).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(job = job.id, "the job's lease was lost: another worker has it");
                        held = false;
                    }
                    Err(e) => tracing::warn!(job = job.id, "renewing the job's lease: {e}"),
                }
            }
        }
    }
}

async fn worker(core: Core) {
    let mut stopping = core.stopping.clone();
    loop {
        if core.is_stopping() {
            return;
        }
        match claim(&core).await {
            Ok(Some(job)) => run(&core, job).await,
            Ok(None) => {
                let elsewhere = core.store.jobs_queued();
                let queued_elsewhere = async {
                    match &elsewhere {
                        Some(signal) => signal.notified().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = core.jobs_waiting.notified() => {}
                    () = queued_elsewhere => {}
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = stopping.changed() => {}
                }
            }
            Err(e) => {
                tracing::error!("job queue: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// How a job's work ended.
#[derive(Debug)]
enum Outcome {
    Done,
    /// Done, and an event to tell the webhooks once every node shows it.
    DoneWith(&'static str),
    /// Stopped by the node's stop: queued again at once.
    Interrupted,
    /// Failed: tried again after a backoff, up to `jobs.max_attempts`, then failed for good.
    Failed(String),
}

/// Runs one job to its end: done, queued again with a delay, or failed for good (a dead
/// letter, listed by `GET /api/jobs?state=failed` and queued again by its retry).
pub async fn run(core: &Core, job: Job) {
    let config = &core.config.jobs;
    if job.attempts > i64::from(config.max_attempts) {
        // Taken again and again after its worker's node stopped without a word: the job may
        // be what stops it.
        tracing::warn!(
            job = job.id,
            kind = job.kind,
            attempts = job.attempts,
            "job abandoned after repeated interruptions"
        );
        let error = format!("abandoned after {} attempts that did not end", job.attempts - 1);
        if let Err(e) = core.store.fail_job(job.id, job.attempts, &error, None, now()).await {
            tracing::error!(job = job.id, "recording the job's outcome: {e}");
        }
        return;
    }
    let before = core.changes.before_write();
    let outcome = holding_lease(core, &job, work(core, &job)).await;
    let narration = job.kind == JobKind::Narrate.as_str();
    let now = now();
    let mut event = None;
    let written = match outcome {
        Outcome::Done | Outcome::DoneWith(_) => {
            if let Outcome::DoneWith(done) = outcome {
                event = Some(done);
            }
            if narration {
                Metrics::add(&core.metrics.narrations_done, 1);
            }
            tracing::info!(job = job.id, kind = job.kind, article = job.article_id, voice = %job.voice, "job done");
            core.store.finish_job(job.id, job.attempts, now).await
        }
        Outcome::Interrupted => {
            tracing::info!(job = job.id, "job interrupted by the stop; it is queued again");
            // Back in the queue at its old place, ahead of anything queued since.
            core.store.fail_job(job.id, job.attempts, "interrupted by a stop", Some(job.run_after), now).await
        }
        Outcome::Failed(error) => {
            if narration {
                Metrics::add(&core.metrics.narrations_failed, 1);
            }
            let retry_at = (job.attempts < i64::from(config.max_attempts)).then(|| {
                let exponent = u32::try_from(job.attempts.saturating_sub(1)).unwrap_or(0).min(16);
                now + (config.retry_after_secs.saturating_mul(1 << exponent)) as i64
            });
            tracing::warn!(
                job = job.id,
                kind = job.kind,
                attempts = job.attempts,
                ?retry_at,
                "job failed: {error}"
            );
            if narration && retry_at.is_none() {
                event = Some(webhooks::NARRATION_FAILED);
            }
            core.store.fail_job(job.id, job.attempts, &error, retry_at, now).await
        }
    };
    match &written {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(job = job.id, "the job was taken over meanwhile; its outcome is the new worker's")
        }
        Err(e) => tracing::error!(job = job.id, "recording the job's outcome: {e}"),
    }
    // The job is over once every node shows its outcome (audio ready, images kept).
    core.changes.after_write(before).await;
    if let Some(event) = event
        && matches!(written, Ok(true))
    {
        webhooks::notify(core, event, job.article_id).await;
    }
}

/// The job's own work, by its kind.
async fn work(core: &Core, job: &Job) -> Outcome {
    match JobKind::parse(&job.kind) {
        Some(JobKind::Narrate) => match narrate_job(core, job).await {
            Ok(true) => Outcome::DoneWith(webhooks::NARRATION_READY),
            Ok(false) => Outcome::Done,
            Err(NarrationError::Interrupted) => Outcome::Interrupted,
            Err(e) => Outcome::Failed(e.to_string()),
        },
        Some(JobKind::Images) => images_job(core, job).await,
        Some(JobKind::Webhook) => match webhooks::deliver(core, job).await {
            Ok(()) => Outcome::Done,
            Err(e) => Outcome::Failed(e),
        },
        // Queued by a newer node, perhaps: tried again later, when such a node may take it.
        None => Outcome::Failed(format!("this node does not know jobs of kind {:?}", job.kind)),
    }
}

/// Narrates the job's article unless it is gone or narrated already; true when it narrated.
async fn narrate_job(core: &Core, job: &Job) -> Result<bool, NarrationError> {
    // The article may have been deleted or revised since the job was queued.
    let Some(record) = core.store.article(job.article_id).await? else { return Ok(false) };
    if narration::is_ready(core.store.as_ref(), &record, &job.voice).await? {
        return Ok(false);
    }
    narration::narrate(core, &record, &job.voice).await?;
    Ok(true)
}

async fn images_job(core: &Core, job: &Job) -> Outcome {
    let record = match core.store.article(job.article_id).await {
        Ok(Some(record)) => record,
        Ok(None) => return Outcome::Done,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    match images::keep_all(core, &record).await {
        // Stopped before every image was tried: the next worker goes on from there.
        Ok(()) if core.is_stopping() => Outcome::Interrupted,
        Ok(()) => Outcome::Done,
        Err(e) => Outcome::Failed(e.to_string()),
    }
}
