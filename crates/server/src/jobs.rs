//! The narration workers: take due jobs from the store's queue under a lease that they renew
//! while they narrate, store the audio, and retry failures with exponential backoff. A job
//! interrupted by a stop goes back to the queue at once; after a crash its lease runs out and
//! any node takes it.

use std::time::Duration;

use lector_store::{Job, StoreError};
use tokio::task::JoinHandle;

use crate::metrics::Metrics;
use crate::narration::{self, NarrationError};
use crate::state::{AppState, now};

/// Starts the configured number of workers; they return when the server is stopping.
pub fn spawn_workers(state: &AppState) -> Vec<JoinHandle<()>> {
    (0..state.config.jobs.concurrency).map(|_| tokio::spawn(worker(state.clone()))).collect()
}

/// Takes the next job that is due (or whose lease ran out) under a lease of `jobs.lease_secs`.
pub async fn claim(state: &AppState) -> Result<Option<Job>, StoreError> {
    let now = now();
    state.store.claim_job(now, now + lease_secs(state)).await
}

fn lease_secs(state: &AppState) -> i64 {
    i64::try_from(state.config.jobs.lease_secs).unwrap_or(30)
}

/// Renews the job's lease every third of it while `work` runs. A lease found lost (the job
/// was taken over after this node stalled past it) is logged; the work still ends, and what
/// it records is refused by the store.
async fn holding_lease<T>(state: &AppState, job: &Job, work: impl Future<Output = T>) -> T {
    let lease = lease_secs(state);
    let period = Duration::from_secs(u64::try_from(lease / 3).unwrap_or(1).max(1));
    let mut tick = tokio::time::interval(period);
    tick.tick().await;
    tokio::pin!(work);
    let mut held = true;
    loop {
        tokio::select! {
            outcome = &mut work => return outcome,
            _ = tick.tick(), if held => {
                match state.store.renew_lease(job.id, job.attempts, now() + lease).await {
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

async fn worker(state: AppState) {
    let mut stopping = state.stopping.clone();
    loop {
        if state.is_stopping() {
            return;
        }
        match claim(&state).await {
            Ok(Some(job)) => run(&state, job).await,
            Ok(None) => {
                let elsewhere = state.store.jobs_queued();
                let queued_elsewhere = async {
                    match &elsewhere {
                        Some(signal) => signal.notified().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = state.jobs_waiting.notified() => {}
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

/// Runs one job to its end: done, queued again with a delay, or failed for good.
pub async fn run(state: &AppState, job: Job) {
    let config = &state.config.jobs;
    if job.attempts > i64::from(config.max_attempts) {
        // Taken again and again after its worker's node stopped without a word: the job may
        // be what stops it.
        tracing::warn!(
            job = job.id,
            attempts = job.attempts,
            "narration abandoned after repeated interruptions"
        );
        let error = format!("abandoned after {} attempts that did not end", job.attempts - 1);
        if let Err(e) = state.store.fail_job(job.id, job.attempts, &error, None, now()).await {
            tracing::error!(job = job.id, "recording the job's outcome: {e}");
        }
        return;
    }
    let outcome = holding_lease(state, &job, narrate_job(state, &job)).await;
    let now = now();
    let written = match outcome {
        Ok(()) => {
            Metrics::add(&state.metrics.narrations_done, 1);
            tracing::info!(job = job.id, article = job.article_id, voice = %job.voice, "narration stored");
            state.store.finish_job(job.id, job.attempts, now).await
        }
        Err(NarrationError::Interrupted) => {
            tracing::info!(job = job.id, "narration interrupted by the stop; it is queued again");
            // Back in the queue at its old place, ahead of anything queued since.
            state
                .store
                .fail_job(job.id, job.attempts, "interrupted by a stop", Some(job.run_after), now)
                .await
        }
        Err(e) => {
            Metrics::add(&state.metrics.narrations_failed, 1);
            let retry_at = (job.attempts < i64::from(config.max_attempts)).then(|| {
                let exponent = u32::try_from(job.attempts.saturating_sub(1)).unwrap_or(0).min(16);
                now + (config.retry_after_secs.saturating_mul(1 << exponent)) as i64
            });
            tracing::warn!(job = job.id, attempts = job.attempts, ?retry_at, "narration failed: {e}");
            state.store.fail_job(job.id, job.attempts, &e.to_string(), retry_at, now).await
        }
    };
    match written {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(job = job.id, "the job was taken over meanwhile; its outcome is the new worker's")
        }
        Err(e) => tracing::error!(job = job.id, "recording the job's outcome: {e}"),
    }
}

async fn narrate_job(state: &AppState, job: &Job) -> Result<(), NarrationError> {
    // The article may have been deleted or revised since the job was queued.
    let Some(record) = state.store.article(job.article_id).await? else { return Ok(()) };
    if narration::is_ready(state.store.as_ref(), &record, &job.voice).await? {
        return Ok(());
    }
    narration::narrate(state, &record, &job.voice).await
}
