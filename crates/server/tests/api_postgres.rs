//! The JSON API's cases (`api/cases.rs`) again as a node of many would run them: the database
//! in PostgreSQL (a throwaway cluster on loopback, a fresh database per case) and the audio and
//! images in an S3 bucket (SeaweedFS on loopback, a prefix per case).

#[path = "api/cases.rs"]
mod cases;
mod common;

use std::sync::Arc;

use common::TestApp;
use lector_core::config::Config;
use lector_store::seaweed::Seaweed;
use lector_store_postgres::cluster::Cluster;

async fn open(name: &str) -> TestApp {
    open_with(name, |_| {}).await
}

async fn open_with(name: &str, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let url = Cluster::shared().new_database(name).await.expect("a fresh database");
    let blobs = Seaweed::shared().await.blobs(&format!("api/{name}")).expect("an S3 client");
    TestApp::with_blobs(
        &format!("pg-{name}"),
        |config| {
            config.database.url = Some(url);
            adjust(config);
        },
        Some(Arc::new(blobs)),
    )
    .await
}
