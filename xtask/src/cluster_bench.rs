//! The cluster benchmark (`cargo xtask bench cluster`): release `lector serve` processes on
//! one PostgreSQL database and one S3 bucket (a throwaway cluster and SeaweedFS on loopback):
//! one web node and one, two or three worker nodes narrate the same batch of articles, and the
//! time until every narration is stored gives narrations per minute; then the queue's claim
//! latency, measured on the PostgreSQL store itself with several claimers at once.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use lector_store::seaweed::Seaweed;
use lector_store::{ArticleStore, JobStore, NewArticle, Store};
use lector_store_postgres::PostgresStore;
use lector_store_postgres::cluster::Cluster;

/// Articles narrated in each round.
const ARTICLES: usize = 12;
/// Jobs queued for the claim-latency measurement, and claimers at once.
const CLAIMS: usize = 400;
const CLAIMERS: usize = 4;

/// A started `lector serve` that is killed when dropped.
struct Node {
    base: String,
    child: Child,
    data: PathBuf,
}

impl Node {
    fn start(lector: &Path, role: &str, env: &[(String, String)]) -> Result<Node> {
        let data = std::env::temp_dir().join(format!(
            "lector-cluster-bench-{}-{role}-{}",
            std::process::id(),
            nanos()
        ));
        std::fs::create_dir_all(&data)?;
        let mut child = Command::new(lector)
            .args(["serve", "--listen", "127.0.0.1:0", "--role", role, "--data-dir"])
            .arg(&data)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("LECTOR_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("starting lector serve")?;
        let mut lines = BufReader::new(child.stderr.take().context("stderr")?).lines();
        let base = loop {
            let line = lines.next().context("the server said nothing")??;
            if let Some(address) = line.strip_prefix("lector: serving on ") {
                break address.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Ok(Node { base, child, data })
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

fn article_json(round: usize, n: usize) -> String {
    let text = "The harbour authority said the north quay will close for repairs from Monday. \
        Ferries will use the south pier, and buses will run to it every ten minutes. \
        The works are expected to last until the end of March.";
    format!(
        r#"{{"headline": "Quay notice {round}-{n}", "canonical_url": "https://harbourtimes.example/bench/{round}/{n}", "body": [{{"type": "paragraph", "content": [{{"text": "{text} Notice {n}."}}]}}]}}"#
    )
}

pub fn run() -> Result<()> {
    let lector = crate::server_bench::release_lector()?;
    let runtime = tokio::runtime::Runtime::new()?;
    let cluster = Cluster::start()?;
    let s3 = runtime.block_on(Seaweed::start())?;
    let (key, secret) = s3.credentials();
    println!(
        "lector cluster on loopback: {} cores, {ARTICLES} articles per round, voice piper:en_US-joe-medium",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    for workers in 1..=3 {
        let database = runtime.block_on(cluster.new_database(&format!("bench_{workers}")))?;
        let env: Vec<(String, String)> = [
            ("LECTOR_DATABASE__URL", database.as_str()),
            ("LECTOR_BLOBS__URL", &format!("s3://lector-test/bench-{workers}")),
            ("LECTOR_BLOBS__ENDPOINT", s3.endpoint()),
            ("AWS_ACCESS_KEY_ID", key),
            ("AWS_SECRET_ACCESS_KEY", secret),
            ("LECTOR_SITE__DEFAULT_VOICE", "piper:en_US-joe-medium"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let token_dir = std::env::temp_dir().join(format!("lector-cluster-bench-token-{}", nanos()));
        let created = Command::new(&lector)
            .args(["token", "create", "--data-dir"])
            .arg(&token_dir)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()?;
        let token = String::from_utf8(created.stdout)?.trim().to_string();
        let web = Node::start(&lector, "web", &env)?;
        // Workers start first and idle, so that the clock measures narration, not start-up.
        let nodes: Vec<Node> =
            (0..workers).map(|_| Node::start(&lector, "worker", &env)).collect::<Result<_>>()?;
        std::thread::sleep(Duration::from_secs(2));
        let started = Instant::now();
        let mut jobs = Vec::new();
        for n in 0..ARTICLES {
            let mut response = ureq::post(&format!("{}/api/articles", web.base))
                .header("authorization", &format!("Bearer {token}"))
                .header("content-type", "application/json")
                .send(article_json(workers, n).as_bytes())?;
            let created: serde_json::Value = serde_json::from_str(&response.body_mut().read_to_string()?)?;
            jobs.push(created["narration"]["job"]["id"].as_i64().context("a queued job")?);
        }
        for job in jobs {
            loop {
                let url = format!("{}/api/jobs/{job}", web.base);
                let state: serde_json::Value =
                    serde_json::from_str(&ureq::get(&url).call()?.body_mut().read_to_string()?)?;
                if state["state"] == "done" {
                    break;
                }
                if started.elapsed() > Duration::from_secs(900) {
                    bail!("job {job} did not finish: {state}");
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{workers} worker process{}: {ARTICLES} narrations in {seconds:.1} s, {:.1} narrations/min",
            if workers == 1 { "" } else { "es" },
            ARTICLES as f64 / seconds * 60.0
        );
        drop(nodes);
        drop(web);
        let _ = std::fs::remove_dir_all(&token_dir);
    }
    let (mean, p99) = runtime.block_on(claim_latency(&cluster))?;
    println!("claim latency ({CLAIMERS} claimers, {CLAIMS} jobs): mean {mean:.2} ms, p99 {p99:.2} ms");
    Ok(())
}

/// Mean and 99th percentile of `claim_job` with several claimers taking queued jobs at once.
async fn claim_latency(cluster: &Cluster) -> Result<(f64, f64)> {
    let url = cluster.new_database("claims").await?;
    let store = std::sync::Arc::new(PostgresStore::connect(&url, 8).await?);
    let article = lector_article::Article {
        headline: "Claims".into(),
        canonical_url: Some("https://harbourtimes.example/claims".into()),
        ..lector_article::Article::default()
    };
    let id = store
        .save_article(
            NewArticle { article, external_id: None, spoken_hash: "h".into(), publication: None },
            1,
        )
        .await?
        .record
        .id;
    for n in 0..CLAIMS {
        store.enqueue_narration(id, &format!("voice-{n}"), 1).await?;
    }
    let mut claimers = Vec::new();
    for _ in 0..CLAIMERS {
        let store = std::sync::Arc::clone(&store);
        claimers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            loop {
                let started = Instant::now();
                match store.claim_job(10, 100).await {
                    Ok(Some(_)) => times.push(started.elapsed().as_secs_f64() * 1000.0),
                    Ok(None) => return Ok(times),
                    Err(e) => return Err(e),
                }
            }
        }));
    }
    let mut times = Vec::new();
    for claimer in claimers {
        times.extend(claimer.await??);
    }
    if times.len() != CLAIMS {
        bail!("{} claims for {CLAIMS} jobs", times.len());
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
    store.close().await;
    Ok((mean, p99))
}
