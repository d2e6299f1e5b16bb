//! The narration workers: take due jobs from the store's queue, narrate, store the audio,
//! and retry failures with exponential backoff. A job interrupted by a stop (or a crash) goes
//! back to the queue and runs again.

use std::time::Duration;

use lector_store::Job;
use tokio::task::JoinHandle;

use crate::metrics::Metrics;
use crate::narration::{self, NarrationError};
use crate::state::{AppState, now};

/// Starts the configured number of workers; they return when the server is stopping.
pub fn spawn_workers(state: &AppState) -> Vec<JoinHandle<()>> {
    (0..state.config.jobs.concurrency).map(|_| tokio::spawn(worker(state.clone()))).collect()
}

async fn worker(state: AppState) {
    let mut stopping = state.stopping.clone();
    loop {
        if state.is_stopping() {
            return;
        }
        match state.store.claim_job(now()).await {
            Ok(Some(job)) => run(&state, job).await,
            Ok(None) => {
                tokio::select! {
                    () = state.jobs_waiting.notified() => {}
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
    let outcome = narrate_job(state, &job).await;
    let now = now();
    let written = match outcome {
        Ok(()) => {
            Metrics::add(&state.metrics.narrations_done, 1);
            tracing::info!(job = job.id, article = job.article_id, voice = %job.voice, "narration stored");
            state.store.finish_job(job.id, now).await
        }
        Err(NarrationError::Interrupted) => {
            tracing::info!(
                job = job.id,
                "narration interrupted by the stop; it runs again at the next start"
            );
            // Back in the queue at its old place, ahead of anything queued since.
            state.store.fail_job(job.id, "interrupted by a stop", Some(job.run_after), now).await
        }
        Err(e) => {
            Metrics::add(&state.metrics.narrations_failed, 1);
            let config = &state.config.jobs;
            let retry_at = (job.attempts < i64::from(config.max_attempts)).then(|| {
                let exponent = u32::try_from(job.attempts.saturating_sub(1)).unwrap_or(0).min(16);
                now + (config.retry_after_secs.saturating_mul(1 << exponent)) as i64
            });
            tracing::warn!(job = job.id, attempts = job.attempts, ?retry_at, "narration failed: {e}");
            state.store.fail_job(job.id, &e.to_string(), retry_at, now).await
        }
    };
    if let Err(e) = written {
        tracing::error!(job = job.id, "recording the job's outcome: {e}");
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
