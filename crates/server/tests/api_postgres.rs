//! The JSON API's cases (`api/cases.rs`) again as a node of many would run them: the database
//! in PostgreSQL (a throwaway cluster on loopback, a fresh database per case) and the audio and
//! images in an S3 bucket (SeaweedFS on loopback, a prefix per case).

#[path = "api/cases.rs"]
mod cases;
mod common;

use std::sync::{Arc, OnceLock};

use common::TestApp;
use lector_server::config::Config;
use lector_store::seaweed::Seaweed;
use lector_store_postgres::cluster::Cluster;
use tokio::sync::OnceCell;

fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| Cluster::start().unwrap_or_else(|e| panic!("PostgreSQL for the tests: {e}")))
}

async fn s3() -> Arc<Seaweed> {
    static SERVER: OnceCell<Arc<Seaweed>> = OnceCell::const_new();
    SERVER
        .get_or_init(|| async {
            Arc::new(Seaweed::start().await.unwrap_or_else(|e| panic!("S3 for the tests: {e}")))
        })
        .await
        .clone()
}

async fn open(name: &str) -> TestApp {
    open_with(name, |_| {}).await
}

async fn open_with(name: &str, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let url = cluster().new_database(name).await.expect("a fresh database");
    let blobs = s3().await.blobs(&format!("api/{name}")).expect("an S3 client");
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
