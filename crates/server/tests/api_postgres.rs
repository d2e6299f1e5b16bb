//! The JSON API's cases (`api/cases.rs`) again with `database.url` naming a PostgreSQL
//! database: a throwaway cluster on loopback, a fresh database per case.

#[path = "api/cases.rs"]
mod cases;
mod common;

use std::sync::OnceLock;

use common::TestApp;
use lector_server::config::Config;
use lector_store_postgres::cluster::Cluster;

fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| Cluster::start().unwrap_or_else(|e| panic!("PostgreSQL for the tests: {e}")))
}

async fn open(name: &str) -> TestApp {
    open_with(name, |_| {}).await
}

async fn open_with(name: &str, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let url = cluster().new_database(name).await.expect("a fresh database");
    TestApp::with(&format!("pg-{name}"), |config| {
        config.database.url = Some(url);
        adjust(config);
    })
    .await
}
