//! `lector import FILE --user NAME`: a library exported from Pocket, Instapaper, wallabag,
//! Omnivore or a browser's bookmarks, queued as saves to the user's library (saved dates,
//! tags, archive and favourite state kept). A server in library mode then fetches and reads the
//! pages in the background, one request at a time per host. Rows that cannot be read are named
//! on standard error and the rest imported; Ctrl-C stops between entries, the ones queued kept.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use lector_core::import::{self, ImportError};

use crate::BadInput;
use crate::serve::{ConfigArgs, load, runtime};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The export: Pocket (CSV or HTML), Instapaper (CSV), wallabag (JSON), Omnivore (zip or
    /// JSON), or bookmarks (HTML).
    file: PathBuf,
    /// The user whose library the articles go to.
    #[arg(long)]
    user: String,
    #[command(flatten)]
    config: ConfigArgs,
}

pub fn run(args: &ImportArgs) -> Result<()> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupted);
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    let config = load(&args.config, None, false)?;
    let size =
        std::fs::metadata(&args.file).map_err(|e| BadInput(format!("{}: {e}", args.file.display())))?.len();
    if size > import::MAX_FILE_BYTES as u64 {
        return Err(BadInput(format!("{}: {}", args.file.display(), ImportError::TooLarge)).into());
    }
    let bytes = std::fs::read(&args.file).map_err(|e| BadInput(format!("{}: {e}", args.file.display())))?;
    let parsed = import::parse(&bytes).map_err(|e| BadInput(format!("{}: {e}", args.file.display())))?;
    runtime()?.block_on(async {
        let store = crate::backends::open_store(&config).await?;
        let user = store
            .users()
            .await?
            .into_iter()
            .find(|u| u.name == args.user.trim())
            .ok_or_else(|| BadInput(format!("no user {:?} (lector user list)", args.user)))?;
        for problem in &parsed.problems {
            eprintln!("lector: {} row {}: {}", args.file.display(), problem.row, problem.message);
        }
        let progress = ProgressBar::new(parsed.entries.len() as u64);
        progress.set_style(
            ProgressStyle::with_template("{spinner} {msg} {bar:30} {pos}/{len} ({eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        progress.set_message(format!("importing {} into {}'s library", parsed.format.name(), user.name));
        let (mut queued, mut refused) = (0usize, 0usize);
        for (i, entry) in parsed.entries.into_iter().enumerate() {
            if interrupted.load(Ordering::SeqCst) {
                break;
            }
            let url = entry.url.clone();
            match lector_core::library::queue_entry(store.as_ref(), user.id, entry).await {
                Ok(_) => queued += 1,
                Err(lector_core::Error::Refused { message, .. }) => {
                    refused += 1;
                    progress.suspend(|| eprintln!("lector: entry {} ({url}): {message}", i + 1));
                }
                Err(other) => return Err(anyhow::Error::new(other).context("queueing the saves")),
            }
            progress.inc(1);
        }
        progress.finish_and_clear();
        store.close().await;
        let stopped = if interrupted.load(Ordering::SeqCst) { " (stopped: the rest is not imported)" } else { "" };
        eprintln!(
            "lector: {queued} article{} queued for {}'s library{stopped}; {} row{} not imported. The server reads them \
             in the background, and the library's page shows them as they come.",
            if queued == 1 { "" } else { "s" },
            user.name,
            parsed.problems.len() + refused,
            if parsed.problems.len() + refused == 1 { "" } else { "s" },
        );
        Ok::<(), anyhow::Error>(())
    })
}
