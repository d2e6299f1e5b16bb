//! The work of a lector node below HTTP: taking articles in, narrating them on the shared job
//! queue, polling feeds, keeping images, the comment rules and limits, staff accounts, the
//! configuration and the safe fetcher. The server's handlers and the command line call it; it
//! knows nothing of HTTP requests or responses.
//!
//! Everything takes a [`Core`]: the store, the blobs, the configuration, the fetcher, the
//! voices, the metrics and the signals between workers.

pub mod accounts;
mod allow;
pub mod analytics;
pub mod articles;
pub mod audio;
pub mod changes;
pub mod comments;
pub mod config;
pub mod context;
pub mod demo;
pub mod error;
pub mod export;
pub mod feeds;
pub mod fetch;
pub mod images;
pub mod import;
pub mod jobs;
pub mod lexicon;
pub mod library;
pub mod metrics;
pub mod narration;
pub mod tally;
pub mod tokens;
pub mod webhooks;

pub use config::Config;
pub use context::{Backends, Core, StartError, VoiceInfo, Voices, now};
pub use error::{Code, Error};
